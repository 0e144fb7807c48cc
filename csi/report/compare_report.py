"""Renderings of a period comparison: terminal (rich), JSON, CSV and Markdown.

Numbers are formatted here, never in :mod:`csi.compare`: JSON and CSV keep full precision,
the terminal and Markdown show one decimal for scores and three for p-values. Headings come
in Chinese and English (``lang``; default: Chinese when the model's name is).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from csi.compare import Alert, Comparison, NodeComparison, SegmentComparison
from csi.printable import printable_copy
from csi.report import actions_report
from csi.report.fit import Column, print_table, wrap, wrap_text
from csi.report.tables import escape_cell, fmt, fmt_p, md_code, md_text, text

__all__ = ["to_json", "to_csv", "to_markdown", "render_comparison", "lang_of", "sparkline", "fmt_delta", "verdict_text",
           "model_change_lines", "structural_title", "structural_label", "structural_note"]

_TEXT = {
    "title": ("期间比较", "Period comparison"),
    "periods": ("期间", "Periods"),
    "delta": ("变化 Δ", "Δ"),
    "delta_first": ("较首期", "Δ first"),
    "ci_delta": ("Δ 置信区间", "CI of Δ"),
    "p_adj": ("p（Holm）", "p (Holm)"),
    "verdict": ("结论", "Verdict"),
    "trend": ("趋势", "Trend"),
    "slope": ("斜率/期", "Slope/period"),
    "gap": ("差距", "gap"),
    "weak": ("薄弱环节变化", "Weak points across periods"),
    "status": ("变化", "Change"),
    "rank": ("排名", "Rank"),
    "delta_loss": ("损失变化", "Δ loss"),
    "changes": ("分组内的显著变化", "Significant changes inside segments"),
    "alerts": ("警报", "Alerts"),
    "absent": ("— 表示该期没有此项", "— not in that period"),
    "suppressed": ("个分组样本不足未显示", "values below the minimum size not shown"),
    "check_failed": ("--fail-on-drop 检查未通过", "--fail-on-drop check failed"),
    "points": ("分", "points"),
    "per_period": ("分/期", "points/period"),
    "model_change": ("各期的模型或评分选项不同（--allow-model-change）：只比较各期都有、绑定未变的节点",
                     "The periods differ in model or scoring options (--allow-model-change): only nodes in every period "
                     "with unchanged bindings are compared"),
    "not_comparable": ("不可比", "not comparable"),
    "structural": ("结构模型", "Structural model"),
    "construct": ("构念", "Construct"),
    "impact_of": ("{name} 的影响", "impact of {name}"),
    "structural_note": ("构念指数 0–100；影响 = 驱动因素指数提高 5 分时满意度指数的变化（分）。这些检验自成一组做 Holm 校正。",
                        "Construct indices are 0–100; an impact is the change of the satisfaction index for +5 points of "
                        "the driver's index. These tests form their own Holm family."),
}
#: The reasons csi.structure gives, in Chinese ("only in …" is translated by its prefix).
_REASON_ZH = {"bindings changed": "绑定已变", "a member changed": "下属节点有变", "only in ": "仅见于 "}
_VERDICT = {
    "up": ("显著上升", "significantly up"),
    "down": ("显著下降", "significantly down"),
    "no_change": ("无显著变化", "no detectable change"),
    None: ("未检验", "not tested"),
}
_BENCH_VERDICT = {
    "above": ("显著高于", "significantly above"),
    "below": ("显著低于", "significantly below"),
    "no_difference": ("无显著差异", "no detectable difference"),
    None: ("", ""),
}
_STATUS = {"entered": ("新进入", "entered"), "left": ("已退出", "left"), "stayed": ("保持", "stayed")}
_ABSENT = "—"
_SPARKS = "▁▂▃▄▅▆▇█"


def _t(key: str, lang: str) -> str:
    zh, en = _TEXT[key] if key in _TEXT else (text(key, "zh"), text(key, "en"))
    return zh if lang == "zh" else en


def lang_of(comparison: Comparison) -> str:
    """Report language from the model's name: Chinese when it has CJK characters."""
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in comparison.model_name) else "en"


def verdict_text(verdict: str | None, lang: str) -> str:
    """The plain-language verdict.

    >>> verdict_text("down", "zh"), verdict_text("no_change", "en")
    ('显著下降', 'no detectable change')
    """
    zh, en = _VERDICT.get(verdict, (str(verdict), str(verdict)))
    return zh if lang == "zh" else en


def fmt_delta(x: float | None, digits: int = 1) -> str:
    """A signed change; ``–`` when missing.

    >>> fmt_delta(-1.94), fmt_delta(0.04), fmt_delta(float("nan"))
    ('-1.9', '+0.0', '–')
    """
    if x is None or math.isnan(x):
        return "–"
    return f"{x:+.{digits}f}"


def sparkline(values: Sequence[float], min_span: float = 10.0) -> str:
    """One block character per period, low to high; a space where a score is missing.

    The vertical scale spans the values' range but at least ``min_span`` points, so sampling
    noise of a point or two does not look like a swing.

    >>> sparkline([70, 75, 80]), sparkline([77.6, 75.6]), sparkline([70, float("nan"), 72])
    ('▁▅█', '▅▄', '▄ ▅')
    """
    finite = [v for v in values if v == v]
    if not finite:
        return " " * len(values)
    lo, hi = min(finite), max(finite)
    span = max(hi - lo, min_span)
    mid = (lo + hi) / 2.0
    lo = mid - span / 2.0 if hi - lo < min_span else lo
    out = []
    for v in values:
        if v != v:
            out.append(" ")
        else:
            out.append(_SPARKS[min(len(_SPARKS) - 1, max(0, int((v - lo) / span * len(_SPARKS))))])
    return "".join(out)


def _arrow(c: NodeComparison) -> str:
    if math.isnan(c.delta):
        return " "
    if c.verdict == "up":
        return "▲"
    if c.verdict == "down":
        return "▼"
    return "△" if c.delta > 0 else ("▽" if c.delta < 0 else "=")


def _style(c: NodeComparison) -> str:
    return {"up": "green", "down": "red"}.get(c.verdict or "", "dim")


def _score(c: NodeComparison, i: int) -> str:
    return fmt(c.scores[i]) if c.present[i] else _ABSENT


def _depths(nodes: Sequence[NodeComparison]) -> dict[str, int]:
    parents = {n.id: n.parent for n in nodes}
    out = {}
    for nid in parents:
        d, p = 0, parents[nid]
        while p is not None and d < 64:
            d, p = d + 1, parents.get(p)
        out[nid] = d
    return out


def _bench_cell(c: NodeComparison, lang: str) -> str:
    b = c.benchmark
    if b is None:
        return ""
    mark = {"above": " ▲", "below": " ▼"}.get(b.verdict or "", "")
    return f"{fmt(b.score)} ({fmt_delta(b.gap)}{mark})"


def _trend_cell(c: NodeComparison) -> str:
    tr = c.trend
    if tr is None:
        return ""
    return f"{fmt_delta(tr.slope, 2)} [{fmt_delta(tr.ci[0], 2)}, {fmt_delta(tr.ci[1], 2)}]"


def _alert_text(a: Alert, lang: str) -> str:
    if a.code in ("action-worse", "fail-on-action"):
        return actions_report.alert_text(a, lang)
    where = "" if a.segment is None else f"{a.segment[1]} · "
    if a.code == "structural-drop":
        where = f"{_t('structural', lang)} · "
    what = where + (text("overall", lang) if a.node == "overall" and a.code != "structural-drop" else a.name)
    if lang == "zh":
        line = f"{what} 下降 {-a.delta:.1f} 分（{fmt(a.previous)} → {fmt(a.last)}），Holm p {_p_phrase(a.p_adj)}"
    else:
        line = f"{what} fell {-a.delta:.1f} points ({fmt(a.previous)} → {fmt(a.last)}), Holm p {_p_phrase(a.p_adj)}"
    if a.code == "fail-on-drop":
        line = f"{_t('check_failed', lang)}: {line}"
    return line


def _check_text(comparison: Comparison, lang: str) -> str:
    check = comparison.check
    assert check is not None
    names = [text("overall", lang) if nid == "overall" else comparison.node(nid).name for nid in check.nodes]
    sep = "、" if lang == "zh" else ", "
    if lang == "zh":
        return f"{_t('check_failed', lang)}（显著下降 ≥ {check.points:g} 分）：{sep.join(names)}"
    return f"{_t('check_failed', lang)} (significant drop of {check.points:g} points or more): {sep.join(names)}"


def _p_phrase(p: float) -> str:
    s = fmt_p(p)
    return s if s.startswith("<") else f"= {s}"


def _change_columns(cs: Sequence[NodeComparison], labels: Sequence[str], lang: str, trend_details: bool) -> list[Column]:
    """The columns every comparison table shares: a score per period, Δ, p, verdict, the
    sparkline (dropped first when narrow) and, with three or more periods, the slope and Δ
    since the first period (dropped next)."""
    styles = [_style(c) for c in cs]
    cols = [Column(lbl, [_score(c, i) for c in cs]) for i, lbl in enumerate(labels)]
    cols += [Column(_t("delta", lang), [f"{_arrow(c)} {fmt_delta(c.delta)}" for c in cs], styles=styles),
             Column(_t("p_adj", lang), [fmt_p(c.p_adj) for c in cs]),
             Column(_t("verdict", lang), [verdict_text(c.verdict, lang) for c in cs], "text", "left", styles=styles),
             Column(_t("trend", lang), [sparkline(c.scores) for c in cs], "fixed", "left", drop=1)]
    if trend_details and len(labels) >= 3:
        cols += [Column(_t("delta_first", lang), [fmt_delta(c.delta_first) for c in cs], drop=3),
                 Column(_t("slope", lang), [_trend_cell(c) for c in cs], drop=2)]
    return cols


def _node_table(comparison: Comparison, console: Console, lang: str) -> None:
    """The overall index and every node, fitted to the console (csi.report.fit)."""
    cs = (comparison.overall, *comparison.nodes)
    depth = _depths(comparison.nodes)
    top = [c.kind == "index" or (c.kind == "group" and depth[c.id] == 0) for c in cs]
    cols = [Column(text("node", lang), [text("overall", lang) if c.kind == "index" else "  " * depth[c.id] + c.name for c in cs],
                   "name", "left", styles=["bold" if t else "" for t in top]),
            *_change_columns(cs, comparison.labels, lang, trend_details=True)]
    if comparison.benchmark is not None:
        cols.append(Column(comparison.benchmark[0], [_bench_cell(c, lang) for c in cs],
                           styles=[{"above": "green", "below": "red"}.get((c.benchmark.verdict if c.benchmark else None) or "", "")
                                   for c in cs]))
    print_table(console, cols)


def model_change_lines(comparison: Comparison, lang: str) -> list[str]:
    """What differs between the periods and the nodes left out, when they were compared anyway."""
    mc = comparison.model_change
    if mc is None:
        return []

    def reason(why: str) -> str:
        if lang != "zh":
            return why
        key = next((k for k in _REASON_ZH if why == k or (k.endswith(" ") and why.startswith(k))), None)
        return why if key is None else _REASON_ZH[key] + why[len(key):]

    lines = [_t("model_change", lang)] + [f"- {d}" for d in mc.differences]
    lines += [f"- {_t('not_comparable', lang)}: {text('overall', lang) if nid == 'overall' else name} ({nid}): {reason(why)}"
              for nid, name, why in mc.not_comparable]
    return lines


def _has_absent(comparison: Comparison) -> bool:
    return any(not all(c.present) for c in comparison.nodes)


def _significant_in_segments(seg: SegmentComparison) -> list[tuple[str, NodeComparison]]:
    return [(v.value, c) for v in seg.values for c in (v.overall, *v.nodes) if c.verdict in ("up", "down")]


def structural_title(lang: str) -> tuple[str, str]:
    """The structural table's title and the header of its name column."""
    return _t("structural", lang), _t("construct", lang)


def structural_label(c: NodeComparison, lang: str) -> str:
    """How a row of the structural comparison is named: ``CSI · 顾客满意度``, a construct's
    name, or ``感知质量 的影响`` / ``impact of Perceived quality``."""
    if c.kind == "csi":
        return f"CSI · {c.name}"
    if c.kind == "impact":
        return _t("impact_of", lang).format(name=c.name)
    return c.name


def structural_note(lang: str) -> str:
    """The line under every structural table: the units, and that the tests are a family of their own."""
    return _t("structural_note", lang)


def _structural_table(comparison: Comparison, console: Console, lang: str) -> None:
    st = comparison.structural
    if st is None:
        return
    rows = st.rows
    console.print()
    title, header = structural_title(lang)
    print_table(console, [Column(header, [structural_label(c, lang) for c in rows], "name", "left",
                                 styles=["bold" if c.kind == "csi" else "" for c in rows]),
                          *_change_columns(rows, comparison.labels, lang, trend_details=True)],
                title=title, title_justify="left")
    console.print(structural_note(lang), style="dim")


def _structural_markdown(comparison: Comparison, lang: str) -> list[str]:
    st = comparison.structural
    if st is None:
        return []
    labels = comparison.labels
    title, header = structural_title(lang)
    head = [header, *[_md(lbl) for lbl in labels], _t("delta", lang), _t("p_adj", lang), _t("verdict", lang)]
    lines = ["", f"## {title}", "", "| " + " | ".join(head) + " |",
             "|---|" + "---:|" * (len(labels) + 2) + "---|"]
    for c in st.rows:
        name = _md(structural_label(c, lang))
        lines.append("| " + " | ".join([f"**{name}**" if c.kind == "csi" else name, *[_score(c, i) for i in range(len(labels))],
                                         f"{_arrow(c)} {fmt_delta(c.delta)}".strip(), fmt_p(c.p_adj), verdict_text(c.verdict, lang)])
                     + " |")
    return [*lines, "", structural_note(lang)]


# ------------------------------------------------------------------ JSON, CSV
def to_json(comparison: Comparison, indent: int | None = 2) -> str:
    """The comparison as ``csi.comparison/1`` JSON (full precision, NaN as null)."""
    from csi.report.findings import comparison_findings

    doc = comparison.to_dict()
    doc["findings"] = [f.to_dict() for f in comparison_findings(comparison)]
    return json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"


def _csv_num(x: float | int | None) -> float | int | str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return x


def to_csv(comparison: Comparison) -> str:
    """One row per node (the overall index first), then the structural model's rows (kind
    ``csi``, ``construct``, ``impact``; docs/comparison-schema.md), then one per segment value and node.

    Wide format: ``score_<label>``, ``se_<label>`` and ``n_<label>`` for every period, then the
    last change and its test, the trend and the benchmark gap. Full precision; an empty cell is
    a missing number (a node absent in that period, or a test that could not be run).
    """
    labels = comparison.labels
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["by", "value", "id", "name", "parent", "kind"]
    for lbl in labels:
        head += [f"score_{lbl}", f"se_{lbl}", f"n_{lbl}"]
    head += ["delta", "delta_first", "se_delta", "delta_ci_low", "delta_ci_high", "z", "p", "p_adj", "verdict",
             "trend_slope", "trend_se", "trend_ci_low", "trend_ci_high", "trend_p",
             "benchmark", "benchmark_se", "gap", "gap_se", "gap_p", "gap_p_adj", "gap_verdict"]
    extra = actions_report.csv_extra(comparison)
    w.writerow([escape_cell(h) for h in head + extra])

    def row(by: str, value: str, c: NodeComparison) -> None:
        cells: list[object] = [by, value, c.id, c.name, c.parent or "", c.kind]
        for i in range(len(labels)):
            cells += [_csv_num(c.scores[i]), _csv_num(c.se[i]), _csv_num(c.n[i])]
        cells += [_csv_num(c.delta), _csv_num(c.delta_first), _csv_num(c.se_delta), _csv_num(c.delta_ci[0]),
                  _csv_num(c.delta_ci[1]), _csv_num(c.z), _csv_num(c.p), _csv_num(c.p_adj), c.verdict or ""]
        tr = c.trend
        cells += ["", "", "", "", ""] if tr is None else [_csv_num(tr.slope), _csv_num(tr.se), _csv_num(tr.ci[0]),
                                                          _csv_num(tr.ci[1]), _csv_num(tr.p)]
        b = c.benchmark
        cells += ["", "", "", "", "", "", ""] if b is None else [_csv_num(b.score), _csv_num(b.se), _csv_num(b.gap),
                                                                 _csv_num(b.se_gap), _csv_num(b.p), _csv_num(b.p_adj),
                                                                 b.verdict or ""]
        w.writerow([escape_cell(v) for v in cells + [""] * len(extra)])

    for c in (comparison.overall, *comparison.nodes):
        row("", "", c)
    for c in () if comparison.structural is None else comparison.structural.rows:
        row("", "", c)
    for seg in comparison.segments:
        for v in seg.values:
            for c in (v.overall, *v.nodes):
                row(seg.by, v.value, c)
    for cells in actions_report.csv_rows(comparison):
        w.writerow([escape_cell(_csv_num(v)) for v in cells])
    return buf.getvalue()


# ------------------------------------------------------------------ Markdown
_md = md_text


def to_markdown(comparison: Comparison, lang: str | None = None) -> str:
    """A digest for chat and e-mail (and the cron job): overall change, table, alerts."""
    lang = lang or lang_of(comparison)
    labels = comparison.labels
    t3 = len(labels) >= 3
    o = comparison.overall
    lines = [f"# {_md(comparison.model_name or _t('title', lang))} — {_t('title', lang)}", ""]
    change = model_change_lines(comparison, lang)
    if change:
        lines += [f"**{_md(change[0])}**", ""] + [_md(x) for x in change[1:]] + [""]
    for p in comparison.periods:
        lines.append(f"- **{_md(p.label)}**: `{md_code(p.source)}` · {text('n', lang)} {p.n}")
    lines.append("")
    path = " → ".join(_score(o, i) for i in range(len(labels)))
    # One paragraph each: consecutive lines would run together into one in a Markdown renderer.
    lines.append(f"**{text('overall', lang)}: {path}** ({_arrow(o)} {fmt_delta(o.delta)}, {_t('p_adj', lang)} {fmt_p(o.p_adj)}, "
                 f"{verdict_text(o.verdict, lang)})")
    if o.trend is not None:
        lines += ["", f"{_t('trend', lang)}: {_trend_cell(o)} {_t('per_period', lang)}"]
    if comparison.check is not None and comparison.check.failed:
        lines += ["", f"**{_md(_check_text(comparison, lang))}**"]
    from csi.report.findings import comparison_findings, markdown_lines

    lines += ["", *markdown_lines(comparison_findings(comparison), lang, _md)]
    if comparison.alerts:
        lines += ["", f"## {_t('alerts', lang)}", ""] + [f"- {_md(_alert_text(a, lang))}" for a in comparison.alerts
                                                        if a.code != "fail-on-drop"]
    head = [text("node", lang), *[_md(lbl) for lbl in labels], _t("delta", lang), _t("p_adj", lang), _t("verdict", lang),
            _t("trend", lang)]
    align = ["---"] + ["---:"] * len(labels) + ["---:", "---:", "---", "---"]
    if t3:
        head += [_t("delta_first", lang), _t("slope", lang)]
        align += ["---:", "---:"]
    if comparison.benchmark is not None:
        head.append(f"{_md(comparison.benchmark[0])} ({_t('gap', lang)})")
        align.append("---:")
    lines += ["", "| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    depth = _depths(comparison.nodes)
    for c in (o, *comparison.nodes):
        name = text("overall", lang) if c.kind == "index" else ("　" * depth[c.id]) + _md(c.name)
        if c.kind != "item":
            name = f"**{name}**"
        cells = [name, *[_score(c, i) for i in range(len(labels))], f"{_arrow(c)} {fmt_delta(c.delta)}".strip(), fmt_p(c.p_adj),
                 verdict_text(c.verdict, lang), sparkline(c.scores)]
        if t3:
            cells += [fmt_delta(c.delta_first), _trend_cell(c)]
        if comparison.benchmark is not None:
            cells.append(_bench_cell(c, lang))
        lines.append("| " + " | ".join(cells) + " |")
    if _has_absent(comparison):
        lines += ["", _t("absent", lang)]
    lines += _structural_markdown(comparison, lang)
    lines += actions_report.markdown_lines(comparison, lang)
    if comparison.weak_points:
        lines += ["", f"## {_t('weak', lang)}", "",
                  f"| {_t('status', lang)} | {text('node', lang)} | {_t('rank', lang)} | {text('loss', lang)} | {_t('delta_loss', lang)} |",
                  "|---|---|---|---|---:|"]
        for wp in comparison.weak_points:
            ranks = " → ".join("–" if r is None else str(r) for r in wp.ranks)
            losses = " → ".join(fmt(x, 2) for x in wp.losses)
            lines.append(f"| {_status(wp.status, lang)} | {_md(wp.name)} | {ranks} | {losses} | {fmt_delta(wp.delta_loss, 2)} |")
    for seg in comparison.segments:
        lines += ["", f"## {text('segments', lang)}: {_md(seg.by)}", "",
                  f"| {_md(seg.by)} | {text('n', lang)} | " + " | ".join(_md(lbl) for lbl in labels)
                  + f" | {_t('delta', lang)} | {_t('p_adj', lang)} | {_t('verdict', lang)} |",
                  "|---|---:|" + "---:|" * len(labels) + "---:|---:|---|"]
        for v in seg.values:
            c = v.overall
            n_last = "–" if v.n[-1] is None else str(v.n[-1])
            lines.append(f"| {_md(v.value)} | {n_last} | " + " | ".join(_score(c, i) for i in range(len(labels)))
                         + f" | {_arrow(c)} {fmt_delta(c.delta)} | {fmt_p(c.p_adj)} | {verdict_text(c.verdict, lang)} |")
        if any(seg.suppressed):
            lines.append("\n" + ", ".join(f"{lbl}: {s}" for lbl, s in zip(labels, seg.suppressed, strict=True) if s)
                         + f" {_t('suppressed', lang)} (n < {seg.min_group})")
        sig = [(val, c) for val, c in _significant_in_segments(seg) if c.kind != "index"]
        if sig:
            lines += ["", f"**{_t('changes', lang)}**", ""]
            for val, c in sig:
                lines.append(f"- {_md(val)} · {_md(c.name)}: {_score(c, len(labels) - 2)} → {_score(c, len(labels) - 1)} "
                             f"{_arrow(c)} {fmt_delta(c.delta)} ({_t('p_adj', lang)} {fmt_p(c.p_adj)})")
    if comparison.warnings:
        lines += ["", f"## {text('warnings', lang)}", ""] + [f"- {_md(w)}" for w in comparison.warnings]
    return "\n".join(lines) + "\n"


def _status(status: str, lang: str) -> str:
    zh, en = _STATUS.get(status, (status, status))
    return zh if lang == "zh" else en


# ------------------------------------------------------------------ terminal
def render_comparison(comparison: Comparison, console: Console, lang: str | None = None) -> None:
    """Print the comparison: header, overall change, node table, weak points, segments, alerts."""
    comparison = printable_copy(comparison)
    lang = lang or lang_of(comparison)
    labels = comparison.labels
    o = comparison.overall
    change = model_change_lines(comparison, lang)
    if change:  # before any table: what follows compares only part of the model
        _say(console, "! " + change[0], "bold yellow", "  ")
        for line in change[1:]:
            _say(console, "  " + line, "yellow")
        console.print()
    head = Text()
    head.append(comparison.model_name or _t("title", lang), style="bold")
    head.append(f" — {_t('title', lang)}")
    width = max(len(lbl) for lbl in labels)
    for p in comparison.periods:
        head.append(f"\n{p.label.ljust(width)}  {p.source}  {text('n', lang)} {p.n}")
    big = Text()
    big.append(f"{text('overall', lang)}  ", style="bold")
    big.append(" → ".join(_score(o, i) for i in range(len(labels))), style="bold")
    big.append("   ")
    big.append(f"{_arrow(o)} {fmt_delta(o.delta)}", style="bold " + _style(o))
    if not math.isnan(o.se_delta):
        big.append(f"  [{fmt_delta(o.delta_ci[0])}, {fmt_delta(o.delta_ci[1])}]")
    big.append(f"  p {fmt_p(o.p)}  {_t('p_adj', lang)} {fmt_p(o.p_adj)}  ")
    big.append(verdict_text(o.verdict, lang), style=_style(o))
    parts: list[Text] = [head, Text(""), big]
    if o.trend is not None:
        parts.append(Text(f"{_t('trend', lang)}  {_trend_cell(o)} {_t('per_period', lang)}  {sparkline(o.scores)}"))
    if comparison.benchmark is not None and o.benchmark is not None:
        parts.append(Text(f"{comparison.benchmark[0]}  {_bench_cell(o, lang)}"))
    console.print(Panel(Group(*parts), expand=False))
    from csi.report.findings import comparison_findings, print_findings

    print_findings(comparison_findings(comparison), console, lang)

    _node_table(comparison, console, lang)
    if _has_absent(comparison):
        console.print(_t("absent", lang), style="dim")
    _structural_table(comparison, console, lang)
    actions_report.render_actions(comparison, console, lang)

    if comparison.weak_points:
        console.print()
        wps = comparison.weak_points
        print_table(console, [
            Column(_t("status", lang), [_status(w.status, lang) for w in wps], "text", "left",
                   styles=[{"entered": "red", "left": "green"}.get(w.status, "") for w in wps]),
            Column(text("node", lang), [w.name for w in wps], "name", "left"),
            Column(_t("rank", lang), [" → ".join("–" if r is None else str(r) for r in w.ranks) for w in wps]),
            Column(text("loss", lang), [" → ".join(fmt(x, 2) for x in w.losses) for w in wps]),
            Column(_t("delta_loss", lang), [fmt_delta(w.delta_loss, 2) for w in wps],
                   styles=["red" if w.delta_loss > 0 else ("green" if w.delta_loss < 0 else "") for w in wps]),
        ], title=_t("weak", lang), title_justify="left")

    for seg in comparison.segments:
        console.print()
        vs = seg.values
        print_table(console, [
            Column(seg.by, [v.value for v in vs], "name", "left"),
            Column(text("n", lang), ["–" if v.n[-1] is None else str(v.n[-1]) for v in vs]),
            *_change_columns([v.overall for v in vs], labels, lang, trend_details=False),
        ], title=f"{text('segments', lang)}: {seg.by}", title_justify="left")
        if any(seg.suppressed):
            console.print(", ".join(f"{lbl}: {s}" for lbl, s in zip(labels, seg.suppressed, strict=True) if s)
                          + f" {_t('suppressed', lang)} (n < {seg.min_group})", style="dim")
        sig = [(val, c) for val, c in _significant_in_segments(seg) if c.kind != "index"]
        if sig:
            console.print(_t("changes", lang), style="bold")
            for val, c in sig:
                parts = [f"  {val} · {c.name}", f"  {_score(c, len(labels) - 2)} → {_score(c, len(labels) - 1)}",
                         f"  {_arrow(c)} {fmt_delta(c.delta)}", f"  {_t('p_adj', lang)} {fmt_p(c.p_adj)}"]
                line = Text("".join(parts[:2]))
                line.append(parts[2], style=_style(c))
                line.append(parts[3])
                console.print(wrap_text(line, console.width, "    ", items=parts))

    if comparison.alerts:
        console.print()
        console.print(_t("alerts", lang), style="bold red")
        if comparison.check is not None and comparison.check.failed:
            _say(console, f"  ! {_check_text(comparison, lang)}", "bold red")
        for a in comparison.alerts:
            if a.code != "fail-on-drop":
                _say(console, "  ! " + _alert_text(a, lang), "red")
    if comparison.warnings:
        console.print()
        console.print(text("warnings", lang), style="bold")
        for w in comparison.warnings:
            _say(console, "  ! " + w, "yellow")


def _say(console: Console, line: str, style: str, indent: str = "    ") -> None:
    """A line wrapped to the console between words, later lines indented under the first's text."""
    console.print(Text("\n".join(wrap(line, console.width, indent=indent)), style=style))
