"""The improvement actions of a comparison (``csi compare --actions``) in every format.

One table, the same columns everywhere: the action, its node (and segment value), owner and
start, the score before and after with their periods, the change with its interval, the
Holm-adjusted p, the verdict and whether the expected gain was met. The renderers of
:mod:`csi.report.compare_report`, :mod:`csi.report.excel` and :mod:`csi.report.html` call these.

>>> verdict_text("worse", "zh"), gain_text("met", "en")
('显著变差', 'met')
"""

from __future__ import annotations

import html
import math
from typing import Any

from csi.actions import ActionOutcome
from csi.compare import Alert, Comparison
from csi.report.tables import fmt, fmt_p

__all__ = ["title", "columns", "cells", "values", "csv_extra", "csv_rows", "render_actions", "verdict_text", "gain_text", "alert_text", "markdown_lines", "html_section"]

_TEXT = {
    "title": ("改进措施跟踪", "Improvement actions"),
    "id": ("措施", "Action"),
    "node": ("指标", "Node"),
    "owner": ("负责人", "Owner"),
    "start": ("开始日期", "Start"),
    "before": ("实施前", "Before"),
    "after": ("实施后", "After"),
    "delta": ("变化 Δ", "Δ"),
    "ci": ("Δ 置信区间", "CI of Δ"),
    "p_adj": ("p（Holm）", "p (Holm)"),
    "verdict": ("结论", "Verdict"),
    "expected": ("预期提升", "Expected gain"),
    "gain": ("预期", "Gain"),
    "note": ("说明", "Note"),
    "caveat": ("结论只说明指标在措施开始前后是否变化，不能证明是措施造成的。",
               "A verdict says whether the node moved between the two periods, not that the action moved it."),
}
_VERDICT = {"improved": ("显著改善", "improved"), "worse": ("显著变差", "worse"),
            "no_change": ("无显著变化", "no detectable change"), None: ("未检验", "not tested")}
_GAIN = {"met": ("已达到", "met"), "missed": ("未达到", "missed"), None: ("", "")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def title(lang: str) -> str:
    return _pick(_TEXT["title"], lang)


def verdict_text(verdict: str | None, lang: str) -> str:
    return _pick(_VERDICT.get(verdict, (str(verdict), str(verdict))), lang)


def gain_text(gain: str | None, lang: str) -> str:
    return _pick(_GAIN.get(gain, (str(gain), str(gain))), lang)


def columns(lang: str) -> list[str]:
    keys = ("id", "node", "owner", "start", "before", "after", "delta", "ci", "p_adj", "verdict", "expected", "gain", "note")
    return [_pick(_TEXT[k], lang) for k in keys]


def _node(o: ActionOutcome) -> str:
    return o.name if o.segment is None else f"{o.name} · {o.segment[1]}"


def _signed(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:+.{digits}f}"


def cells(o: ActionOutcome, lang: str) -> list[str]:
    """One action as formatted text, in the order of :func:`columns`."""
    ci = "–" if math.isnan(o.delta_ci[0]) else f"[{_signed(o.delta_ci[0])}, {_signed(o.delta_ci[1])}]"
    return [o.id, _node(o), o.owner, o.start, f"{fmt(o.before)} ({o.before_period})", f"{fmt(o.after)} ({o.after_period})",
            _signed(o.delta), ci, fmt_p(o.p_adj), verdict_text(o.verdict, lang), _signed(o.expected_gain),
            gain_text(o.gain, lang), o.note]


def values(o: ActionOutcome, lang: str) -> list[Any]:
    """One action with numbers kept as numbers (NaN as None), for a workbook."""
    def num(x: float | None) -> float | None:
        return None if x is None or math.isnan(x) else float(x)

    return [o.id, _node(o), o.owner, o.start, num(o.before), num(o.after), num(o.delta), num(o.delta_ci[0]),
            num(o.delta_ci[1]), num(o.p_adj), verdict_text(o.verdict, lang), num(o.expected_gain), gain_text(o.gain, lang), o.note]


def alert_text(a: Alert, lang: str) -> str:
    """An ``action-worse`` or ``fail-on-action`` alert in plain words."""
    where = "" if a.segment is None else f"{a.segment[1]} · "
    worse = a.code == "action-worse"
    if lang == "zh":
        how = "显著变差" if worse else "变化"
        line = f"{where}{a.name} 在措施开始后{how} {a.delta:+.1f} 分（{fmt(a.previous)} → {fmt(a.last)}），Holm p {fmt_p(a.p_adj)}"
        return line if worse else f"--fail-on-action 检查未通过：{line}"
    how = "got significantly worse by" if worse else "changed"
    line = f"{where}{a.name} {how} {a.delta:+.1f} points after the action started ({fmt(a.previous)} → {fmt(a.last)}), Holm p {fmt_p(a.p_adj)}"
    return line if worse else f"--fail-on-action check failed: {line}"


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def _md(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def markdown_lines(comparison: Comparison, lang: str) -> list[str]:
    """The Markdown section (empty without actions)."""
    if comparison.period_dates is None:
        return []
    head = columns(lang)
    lines = ["", f"## {title(lang)}", "", "| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if i in (6, 7, 8, 10) else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in cells(o, lang)) + " |" for o in comparison.actions]
    return [*lines, "", _pick(_TEXT["caveat"], lang)]


def html_section(comparison: Comparison, lang: str) -> str:
    """The HTML section (empty without actions)."""
    if comparison.period_dates is None:
        return ""
    cls = {"improved": "up", "worse": "down"}
    head = "".join(f"<th>{esc(h)}</th>" for h in columns(lang))
    rows = []
    for o in comparison.actions:
        tds = [f"<td>{esc(c)}</td>" for c in cells(o, lang)]
        tds[9] = f"<td><span class='badge v-{cls.get(o.verdict or '', 'flat')}'>{esc(verdict_text(o.verdict, lang))}</span></td>"
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (f'<section class="card" id="actions"><h2>{esc(title(lang))}</h2><div class="scroll"><table><thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div><p class="note">{esc(_pick(_TEXT["caveat"], lang))}</p>'
            "</section>\n")


def render_actions(comparison: Comparison, console: Any, lang: str) -> None:
    """The terminal section, two lines per action (nothing without actions); ``console`` is a rich Console."""
    if comparison.period_dates is None:
        return
    from rich.text import Text

    style = {"improved": "green", "worse": "red"}
    console.print()
    console.print(title(lang), style="bold")
    for o in comparison.actions:
        c = cells(o, lang)
        if lang == "zh":
            who = "，".join(x for x in (o.owner, f"{o.start} 起", "" if o.expected_gain is None else f"预期 {c[10]} 分") if x)
            head, gain = f"  {o.id}  {_node(o)}（{who}）", {"met": "达到预期", "missed": "未达预期"}.get(o.gain or "")
        else:
            who = ", ".join(x for x in (o.owner, f"from {o.start}", "" if o.expected_gain is None else f"expected {c[10]}") if x)
            head, gain = f"  {o.id}  {_node(o)} ({who})", {"met": "gain met", "missed": "gain missed"}.get(o.gain or "")
        console.print(Text(head, style="bold"))
        line = Text(f"      {o.before_period} {fmt(o.before)} → {o.after_period} {fmt(o.after)}  ")
        line.append(f"Δ {c[6]} {c[7]}", style=style.get(o.verdict or "", ""))
        line.append(f"  {_pick(_TEXT['p_adj'], lang)} {c[8]}  ")
        line.append(c[9] + ("" if gain is None else f" · {gain}"), style=style.get(o.verdict or "", "dim"))
        console.print(line)
    console.print(_pick(_TEXT["caveat"], lang), style="dim")

#: The columns a comparison's CSV gains when it has actions.
CSV_EXTRA = ("action_node", "owner", "start", "expected_gain", "gain", "note")


def csv_extra(comparison: Comparison) -> list[str]:
    """The extra CSV columns (none without actions)."""
    return [] if comparison.period_dates is None else list(CSV_EXTRA)


def csv_rows(comparison: Comparison) -> list[list[Any]]:
    """One CSV row per action, in the comparison CSV's columns (kind ``action``, the score and se
    of the periods before and after, empty elsewhere), then :data:`CSV_EXTRA`. Full precision;
    None is an empty cell."""
    labels = comparison.labels
    out = []
    for o in comparison.actions:
        row: list[Any] = ["" if o.segment is None else o.segment[0], "" if o.segment is None else o.segment[1], o.id, o.name,
                          "", "action"]
        for lbl in labels:
            if lbl == o.before_period:
                row += [o.before, o.before_se, None]
            elif lbl == o.after_period:
                row += [o.after, o.after_se, None]
            else:
                row += [None, None, None]
        row += [o.delta, None, o.se_delta, o.delta_ci[0], o.delta_ci[1], o.z, o.p, o.p_adj, o.verdict or ""]
        row += [None] * 12  # no trend, no benchmark
        row += [o.node, o.owner, o.start, o.expected_gain, o.gain or "", o.note]
        out.append(row)
    return out
