"""The structural model's sheets of the result workbook: paths and effects, measurement quality,
IPMA (the ``structural`` section, docs/structural.md). :mod:`csi.report.excel` hands over a
function that makes its styled sheets, so this module does not import it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from csi.report.tables import quadrant_text

__all__ = ["structural_sheets"]

F_COEF = "0.000"
F_SCORE = "0.0"
F_P = '[<0.001]"<0.001";0.000'

_WORDS = {
    "paths": ("路径与效应", "Paths"),
    "measurement": ("测量质量", "Measurement"),
    "ipma": ("IPMA", "IPMA"),
    "from": ("自", "from"), "to": ("至", "to"), "coef": ("路径系数", "coefficient"), "ci_low": ("下限", "CI low"),
    "ci_high": ("上限", "CI high"), "kind": ("类型", "kind"), "effect": ("效应", "effect"),
    "unstd": ("非标准化效应", "unstandardised effect"), "construct": ("构念", "construct"), "item": ("指标", "indicator"),
    "index": ("指数", "index"), "weight": ("指数权重", "index weight"), "outer": ("外部权重", "outer weight"),
    "loading": ("载荷", "loading"), "mean": ("均值", "mean"), "importance": ("重要性", "importance"),
    "performance": ("表现", "performance"), "quadrant": ("象限", "quadrant"), "flags": ("提示", "flags"),
    "direct": ("直接路径", "path"), "total": ("总效应", "total effect"), "impact": ("影响力 (+5)", "impact (+5)"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _ci(row: Mapping[str, Any]) -> list[Any]:
    ci = row.get("ci") or [None, None]
    return [ci[0], ci[1], row.get("p")]


def structural_sheets(section: Mapping[str, Any], lang: str, sheet: Callable[[str], Any]) -> None:
    """Add the sheets; ``sheet(title)`` returns a new styled sheet with ``header``, ``line`` and
    ``finish`` (csi.report.excel's ``_Sheet``)."""
    names = {c["id"]: c["name"] for c in section["constructs"]}
    s = sheet(_w("paths", lang))
    s.header([_w("kind", lang), _w("from", lang), _w("to", lang), _w("coef", lang), _w("ci_low", lang), _w("ci_high", lang), "p",
              "f²", "VIF", _w("unstd", lang)])
    fmts = [None, None, None, F_COEF, F_COEF, F_COEF, F_P, F_COEF, "0.00", F_COEF]
    for p in section["paths"]:
        s.line([_w("direct", lang), names[p["from"]], names[p["to"]], p["coefficient"], *_ci(p), p["f2"], p["vif"]], fmts)
    for t in section["total_effects"]:
        s.line([_w("total", lang), names[t["from"]], names[t["to"]], t["effect"], *_ci(t), None, None, t["effect_unstandardised"]],
               fmts)
    for i in section["impacts"]:
        s.line([_w("impact", lang), names[i["driver"]], names[section["satisfaction"]], i["impact"], *_ci(i)],
               [None, None, None, "0.00", "0.00", "0.00", F_P])
    s.finish()

    m = sheet(_w("measurement", lang))
    m.header([_w("construct", lang), _w("item", lang), _w("index", lang), "R²", "adj. R²", "α", "α std", "ρA", "ρC", "AVE",
              _w("weight", lang), _w("outer", lang), _w("loading", lang), _w("mean", lang), _w("flags", lang)])
    for c in section["constructs"]:
        m.line([c["name"], None, c["index"], c["r2"], c["r2_adjusted"], c["alpha"], c["alpha_standardised"], c["rho_a"], c["rho_c"],
                c["ave"], None, None, None, None, "; ".join(c["flags"])],
               [None, None, F_SCORE] + [F_COEF] * 7, group=True)
        for it in c["items"]:
            m.line([c["name"], it["id"], None, None, None, None, None, None, None, None, it["weight"], it["outer_weight"],
                    it["loading"], it["mean"]], [None] * 10 + [F_COEF, F_COEF, F_COEF, F_SCORE])
    m.line([])
    m.header([_w("construct", lang), _w("construct", lang), "r", "HTMT", _w("flags", lang)])
    for d in section["discriminant"]:
        m.line([names[d["a"]], names[d["b"]], d["correlation"], d["htmt"], "; ".join(d["flags"])], [None, None, F_COEF, F_COEF])
    m.finish()

    q = sheet(_w("ipma", lang))
    q.header([_w("construct", lang), _w("item", lang), _w("importance", lang), _w("performance", lang), _w("quadrant", lang)])
    ipma = section.get("ipma") or {"constructs": [], "indicators": []}
    for c in ipma["constructs"]:
        q.line([names[c["id"]], None, c["importance"], c["performance"], quadrant_text(c["quadrant"], lang)],
               [None, None, "0.0000", F_SCORE], group=True)
        for it in (i for i in ipma["indicators"] if i["construct"] == c["id"]):
            q.line([names[c["id"]], it["id"], it["importance"], it["performance"], quadrant_text(it["quadrant"], lang)],
                   [None, None, "0.0000", F_SCORE])
    q.finish()
