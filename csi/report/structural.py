"""The structural model in the terminal: CSI, constructs, paths, impacts, measurement quality
and discriminant validity (the ``structural`` section of a result, docs/structural.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csi.report.tables import fmt, fmt_p, quadrant_text

__all__ = ["render_structural"]

_TEXT = {
    "title": ("结构方程模型（PLS）", "Structural model (PLS)"),
    "csi": ("CSI（满意度构念指数）", "CSI (satisfaction construct index)"),
    "construct": ("构念", "construct"),
    "constructs": ("构念指数", "construct indices"),
    "index": ("指数", "index"),
    "paths": ("路径系数", "path coefficients"),
    "impacts": ("影响力（驱动指数 +5 分时满意度指数的变化）", "impacts (change in satisfaction's index for +5 points in a driver's index)"),
    "measurement": ("测量质量", "measurement quality"),
    "discriminant": ("区分效度", "discriminant validity"),
    "ci": ("置信区间", "interval"),
    "ipma": ("重要性–表现分析（IPMA，对满意度指数的非标准化总效应）", "importance–performance map (IPMA: unstandardised total effect on satisfaction)"),
    "importance": ("重要性", "importance"),
    "performance": ("表现", "performance"),
    "quadrant": ("象限", "quadrant"),
    "settings": ("估计", "estimation"),
}


def _t(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def _ci(row: Mapping[str, Any], digits: int) -> str:
    ci = row.get("ci")
    return "" if not ci else f"{fmt(ci[0], digits)}–{fmt(ci[1], digits)}"


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False, header_style="bold", pad_edge=False)
    for name, justify in columns:
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    return t


def render_structural(section: Mapping[str, Any], console: Console, lang: str = "zh") -> None:
    """Print the structural section of a result."""
    names = {c["id"]: c["name"] for c in section["constructs"]}
    s = section["settings"]
    console.print()
    console.print(Text(_t("title", lang), style="bold"))
    head = Text(f"{_t('csi', lang)}: ")
    head.append(fmt(section["csi"], 1), style="bold")
    if section.get("ci"):
        head.append(f"  [{_ci(section, 1)}]")
    console.print(head)
    console.print(Text(f"{_t('settings', lang)}: mode A, {s['scheme']} scheme, {'scaled' if s['scaled'] else 'unscaled'}, "
                       f"n = {s['n']}, {s['iterations']} iterations (tol {s['tol']:g})", style="dim"))

    ct = _table(_t("constructs", lang), [(_t("construct", lang), "left"), (_t("index", lang), "right"), (_t("ci", lang), "right"),
                                          ("R²", "right"), ("adj. R²", "right")])
    for c in section["constructs"]:
        ct.add_row(c["name"], fmt(c["index"]), _ci(c, 1), fmt(c["r2"], 3), fmt(c["r2_adjusted"], 3))
    console.print(ct)

    pt = _table(_t("paths", lang), [("", "left"), ("β", "right"), (_t("ci", lang), "right"), ("p", "right"), ("f²", "right"),
                                      ("VIF", "right")])
    for p in section["paths"]:
        pt.add_row(f"{names[p['from']]} → {names[p['to']]}", fmt(p["coefficient"], 3), _ci(p, 3), fmt_p(p.get("p")),
                   fmt(p["f2"], 3), fmt(p["vif"], 2))
    console.print(pt)

    it = _table(_t("impacts", lang), [("", "left"), ("impact", "right"), (_t("ci", lang), "right"), ("p", "right")])
    for i in sorted(section["impacts"], key=lambda r: -r["impact"]):
        it.add_row(names[i["driver"]], fmt(i["impact"], 2), _ci(i, 2), fmt_p(i.get("p")))
    console.print(it)

    mt = _table(_t("measurement", lang), [(_t("construct", lang), "left"), ("α", "right"), ("α std", "right"), ("ρA", "right"),
                                            ("ρC", "right"), ("AVE", "right"), ("", "left")])
    for c in section["constructs"]:
        mt.add_row(c["name"], fmt(c["alpha"], 3), fmt(c["alpha_standardised"], 3), fmt(c["rho_a"], 3), fmt(c["rho_c"], 3),
                   fmt(c["ave"], 3), Text("; ".join(c["flags"]), style="yellow"))
    console.print(mt)

    dt = _table(_t("discriminant", lang), [("", "left"), ("r", "right"), ("HTMT", "right"), ("", "left")])
    for d in section["discriminant"]:
        dt.add_row(f"{names[d['a']]} – {names[d['b']]}", fmt(d["correlation"], 3), fmt(d["htmt"], 3),
                   Text("; ".join(d["flags"]), style="yellow"))
    console.print(dt)
    if section.get("ipma"):
        qt = _table(_t("ipma", lang), [("", "left"), (_t("importance", lang), "right"), (_t("performance", lang), "right"),
                                         (_t("quadrant", lang), "left")])
        for c in sorted(section["ipma"]["constructs"], key=lambda r: -r["importance"]):
            qt.add_row(names[c["id"]], fmt(c["importance"], 3), fmt(c["performance"]), quadrant_text(c["quadrant"], lang))
        console.print(qt)
    for w in section.get("warnings", ()):
        console.print(Text("  ! " + w, style="yellow"))
