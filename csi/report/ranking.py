"""League tables (``csi rank``, ``csi score --rank``) in every format: CSV, Markdown, the HTML
section with the funnel plot as inline SVG, the workbook's league-table and funnel sheets, and the
terminal (``csi rank``'s own HTML page and workbook: :mod:`csi.report.league`).

A ranked unit reads "3rd, between 1st and 9th" (zh: 第3名（第1–9名）); its funnel flag says
where its raw score falls against Spiegelhalter's limits at its n (docs/ranking.md).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from csi.report.svg import esc, nice_ticks
from csi.report.tables import escape_cell, fmt, lang_of
from csi.result import FUNNEL_LEVELS, Ranking, Result, UnitRank

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["ordinal", "rank_text", "flag_text", "to_csv", "to_markdown", "result_markdown", "ranking_markdown", "funnel_svg", "ranking_html",
           "add_sheets", "render_terminal", "CSV_COLUMNS"]

_WORDS = {
    "title": ("排名与漏斗图", "League table and funnel plot"),
    "by": ("排名单位", "Units"),
    "node": ("指标", "Measure"),
    "rank": ("排名", "Rank"),
    "unit": ("单位", "Unit"),
    "n": ("样本量", "n"),
    "raw": ("原始得分", "Raw score"),
    "shrunken": ("收缩得分", "Shrunken score"),
    "funnel": ("漏斗图", "Funnel"),
    "target": ("总体得分（漏斗中心）", "Overall score (funnel centre)"),
    "tau2": ("单位间方差 τ²", "Between-unit variance τ²"),
    "sigma": ("每人标准差 σ̂", "Per-respondent SD σ̂"),
    "too_small": ("样本过少、不参与排名", "Too small to rank"),
    "no_answers": ("无人作答、不参与排名", "No answers, not ranked"),
    "missing": ("未填写该列、不参与排名", "No value in the column, not ranked"),
    "respondents": ("人", "respondents"),
    "ranked": ("{n} 个单位中 {k} 个参与排名", "{k} of {n} units ranked"),
    "x_axis": ("样本量 n（对数刻度）", "n (log scale)"),
    "centre": ("总体得分", "overall"),
    "y_axis": ("得分", "Score"),
    "limits": ("控制限 95% 与 99.8%", "95 % and 99.8 % limits"),
    "note": ("收缩得分为经验贝叶斯估计（正态—正态模型），样本少的单位向总体均值收缩；排名区间来自自助法重复样本。"
             "原始得分落在 99.8% 控制限之外的单位标为“明显高于/低于”。",
             "Shrunken scores are empirical-Bayes estimates (normal–normal model): small units are pulled towards the mean. "
             "Rank intervals come from the bootstrap replicates. Units whose raw score lies outside the 99.8 % limits are "
             "flagged clearly above or below."),
    "shown": ("仅显示前后各 {k} 名；完整名单见 CSV、JSON 或 xlsx。", "Showing the top and bottom {k}; every unit is in the CSV, JSON and xlsx."),
}
_FLAGS = {
    "clearly_above": ("明显高于（超出 99.8% 控制限）", "clearly above (outside 99.8 %)"),
    "above": ("高于（超出 95% 控制限）", "above (outside 95 %)"),
    "within": ("控制限内", "within limits"),
    "below": ("低于（超出 95% 控制限）", "below (outside 95 %)"),
    "clearly_below": ("明显低于（超出 99.8% 控制限）", "clearly below (outside 99.8 %)"),
}
FLAG_COLOURS = {"clearly_above": "#1a7f37", "above": "#6cc070", "within": "#8c959f", "below": "#f0883e",
                "clearly_below": "#cf222e"}
CSV_COLUMNS = ("by", "node", "unit", "status", "size", "n", "rank", "rank_low", "rank_high", "raw_score", "raw_se",
               "raw_ci_low", "raw_ci_high", "shrunken_score", "shrunken_se", "shrunken_ci_low", "shrunken_ci_high",
               "shrinkage", "limit95_low", "limit95_high", "limit998_low", "limit998_high", "flag")
#: The terminal and Markdown list every unit up to this many, else the top and bottom half of it.
SHOW = 40


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def ordinal(k: int, lang: str) -> str:
    """>>> ordinal(1, "en"), ordinal(2, "en"), ordinal(13, "en"), ordinal(23, "en"), ordinal(3, "zh")
    ('1st', '2nd', '13th', '23rd', '第3名')
    """
    if lang == "zh":
        return f"第{k}名"
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def rank_text(u: UnitRank, lang: str) -> str:
    """>>> from csi.result import UnitRank
    >>> u = UnitRank("A", 20, "ranked", rank=3, rank_ci=(1, 9))
    >>> rank_text(u, "en"), rank_text(u, "zh")
    ('3rd, between 1st and 9th', '第3名（第1–9名之间）')
    """
    if u.rank is None or u.rank_ci is None:
        return ""
    lo, hi = u.rank_ci
    if lo == hi:
        return f"第{u.rank}名（区间仅此一名）" if lang == "zh" else f"{ordinal(u.rank, lang)} (interval: {ordinal(lo, lang)} only)"
    if lang == "zh":
        return f"第{u.rank}名（第{lo}–{hi}名之间）"
    return f"{ordinal(u.rank, lang)}, between {ordinal(lo, lang)} and {ordinal(hi, lang)}"


def flag_text(flag: str | None, lang: str, short: bool = False) -> str:
    """Where a unit falls on the funnel, in words (``short``: without the limit, for the terminal)."""
    if flag is None:
        return ""
    zh, en = _FLAGS[flag]
    text = zh if lang == "zh" else en
    return text.split("（")[0].split(" (")[0] if short else text


def _shown(units: Sequence[UnitRank]) -> tuple[list[UnitRank], bool]:
    if len(units) <= SHOW:
        return list(units), False
    return [*units[:SHOW // 2], *units[-(SHOW // 2):]], True


def _small(table: Ranking) -> list[UnitRank]:
    return [u for u in table.units if u.status != "ranked"]


# ------------------------------------------------------------------ CSV and Markdown
def to_csv(result: Result) -> str:
    """One row per unit of every league table, full precision."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for table in result.rankings:
        for u in table.units:
            w.writerow([escape_cell(v) for v in _row(table, u)])
    return buf.getvalue()


def _row(table: Ranking, u: UnitRank) -> list[Any]:
    """A unit's values in the order of :data:`CSV_COLUMNS` ("" where it has none)."""
    row: list[Any] = [table.by, table.node, u.unit, u.status, u.size]
    if u.status == "ranked" and u.raw and u.shrunken and u.limits and u.rank_ci:
        return row + [u.raw.n, u.rank, u.rank_ci[0], u.rank_ci[1], u.raw.score, u.raw.se, u.raw.ci[0], u.raw.ci[1],
                      u.shrunken.score, u.shrunken.se, u.shrunken.ci[0], u.shrunken.ci[1], u.shrinkage,
                      u.limits[0][0], u.limits[0][1], u.limits[1][0], u.limits[1][1], u.flag]
    return row + [""] * (len(CSV_COLUMNS) - len(row))


def _md(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _summary_line(table: Ranking, lang: str) -> str:
    ranked = len(table.ranked)
    return (f"{_w('by', lang)}: {_md(table.by)} · {_w('node', lang)}: {_md(table.node_name)} · "
            f"{_w('target', lang)} {fmt(table.target)} · {_w('tau2', lang)} {fmt(table.tau2, 2)} ({table.tau2_method.upper()}) · "
            f"{_w('sigma', lang)} {fmt(table.sigma)} · {_w('ranked', lang).format(k=ranked, n=len(table.units))}")


def ranking_markdown(result: Result, lang: str) -> list[str]:
    """The Markdown lines of every league table (a section of a result's report)."""
    lines: list[str] = []
    for table in result.rankings:
        lines += [f"## {_w('title', lang)}: {_md(table.by)}", "", _summary_line(table, lang), "",
                  f"| {_w('rank', lang)} | {_w('unit', lang)} | {_w('n', lang)} | {_w('raw', lang)} | {_w('shrunken', lang)} "
                  f"| {_w('funnel', lang)} |", "|---|---|---:|---|---|---|"]
        shown, cut = _shown(table.ranked)
        for u in shown:
            assert u.raw is not None and u.shrunken is not None
            lines.append(f"| {rank_text(u, lang)} | {_md(u.unit)} | {u.raw.n} | {fmt(u.raw.score)} [{fmt(u.raw.ci[0])}, "
                         f"{fmt(u.raw.ci[1])}] | {fmt(u.shrunken.score)} [{fmt(u.shrunken.ci[0])}, {fmt(u.shrunken.ci[1])}] "
                         f"| {flag_text(u.flag, lang)} |")
        if cut:
            lines += ["", _w("shown", lang).format(k=SHOW // 2)]
        for status in ("too_small", "no_answers", "missing"):
            units = [u for u in _small(table) if u.status == status]
            if units:
                names = ", ".join(f"{_md(u.unit)} ({u.size})" for u in units)
                lines += ["", f"{_w(status, lang)} (< {table.min_group} {_w('respondents', lang)}): {names}"
                          if status == "too_small" else f"{_w(status, lang)}: {names}"]
        lines += ["", _w("note", lang), ""]
    return lines


def result_markdown(result: Result, lang: str | None = None) -> str:
    """The Markdown report of a result (:func:`csi.report.tables.to_markdown`) and, after it, its
    league tables (``csi score --rank``)."""
    from csi.report.tables import to_markdown as report  # (tables imports nothing of this module)

    text = report(result, lang)
    if not result.rankings:
        return text
    return text.rstrip("\n") + "\n\n" + "\n".join(ranking_markdown(result, lang or lang_of(result))).rstrip("\n") + "\n"


def to_markdown(result: Result, lang: str | None = None) -> str:
    """The league tables alone (``csi rank -o x.md``)."""
    lang = lang or lang_of(result)
    o = result.overall
    head = [f"# {_w('title', lang)}", "", f"CSI {fmt(o.score)} [{fmt(o.ci[0])}, {fmt(o.ci[1])}], n = {o.n}", ""]
    return "\n".join(head + ranking_markdown(result, lang)).rstrip("\n") + "\n"


# ------------------------------------------------------------------ the funnel plot (SVG)
def _funnel_x(table: Ranking) -> tuple[float, float]:
    ns = [u.raw.n for u in table.ranked if u.raw is not None]
    return math.log10(max(min(ns), 1)), math.log10(max(max(ns), 2))


def funnel_svg(table: Ranking, lang: str) -> str:
    """Spiegelhalter's funnel: raw scores against n (log scale), the overall score and its 95 %
    and 99.8 % limits, units coloured by their flag."""
    from statistics import NormalDist

    ranked = [u for u in table.ranked if u.raw is not None]
    if not ranked or not math.isfinite(table.sigma):
        return ""
    width, height, left, right, top, bottom = 640.0, 400.0, 52.0, 16.0, 16.0, 44.0
    x0, x1 = _funnel_x(table)
    x0, x1 = x0 - 0.05, x1 + 0.05
    z998 = NormalDist().inv_cdf(0.5 + FUNNEL_LEVELS[1] / 2)
    n_lo = 10 ** x0
    ys = [u.raw.score for u in ranked if u.raw] + [table.target + z998 * table.sigma / math.sqrt(n_lo),
                                                   table.target - z998 * table.sigma / math.sqrt(n_lo)]
    y0, y1 = max(0.0, min(ys) - 2), min(100.0, max(ys) + 2)

    def px(logn: float) -> float:
        return left + (logn - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (y1 - max(y0, min(y1, y))) / (y1 - y0) * (height - top - bottom)

    parts = [f'<svg class="funnel" viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(_w("funnel", lang))}" '
             'xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto;font:11px sans-serif">']
    for t in nice_ticks(y0, y1, 5):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" stroke="#eaeef2"/>'
                     f'<text x="{left - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    for e in range(math.floor(x0), math.ceil(x1) + 1):
        for m in (1, 2, 5):
            v = math.log10(m) + e
            if x0 <= v <= x1:
                parts.append(f'<text x="{px(v):.1f}" y="{height - bottom + 16}" text-anchor="middle">{m * 10 ** e:g}</text>')
    grid = [x0 + (x1 - x0) * i / 80 for i in range(81)]
    for level, dash in zip(FUNNEL_LEVELS, ("4 3", ""), strict=True):
        z = NormalDist().inv_cdf(0.5 + level / 2)
        for sign in (1, -1):
            pts = " ".join(f"{px(g):.1f},{py(table.target + sign * z * table.sigma / math.sqrt(10 ** g)):.1f}" for g in grid)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="#57606a" stroke-width="1" stroke-dasharray="{dash}"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(table.target):.1f}" y2="{py(table.target):.1f}" '
                 'stroke="#0969da" stroke-width="1.5"/>')
    for u in ranked:
        assert u.raw is not None
        parts.append(f'<circle cx="{px(math.log10(max(u.raw.n, 1))):.1f}" cy="{py(u.raw.score):.1f}" r="3" '
                     f'fill="{FLAG_COLOURS.get(u.flag or "within")}" fill-opacity="0.8"><title>{esc(u.unit)}: '
                     f'{fmt(u.raw.score)} (n = {u.raw.n}) {esc(flag_text(u.flag, lang))}</title></circle>')
    legend = [("line", "#0969da", "", _w("centre", lang)), ("line", "#57606a", "4 3", "95 %"), ("line", "#57606a", "", "99.8 %"),
              *(("dot", FLAG_COLOURS[f], "", flag_text(f, lang, short=True)) for f in ("clearly_above", "clearly_below"))]
    for i, (kind, colour, dash, label) in enumerate(legend):
        lx, ly = left + 8 + i * 104, top + 6
        mark = (f'<line x1="{lx}" x2="{lx + 16}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-dasharray="{dash}"/>' if kind == "line"
                else f'<circle cx="{lx + 8}" cy="{ly}" r="3" fill="{colour}"/>')
        parts.append(f'{mark}<text x="{lx + 20}" y="{ly + 4}">{esc(label)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 8}" text-anchor="middle">{esc(_w("x_axis", lang))}</text>'
                 f'<text x="12" y="{top + (height - top - bottom) / 2:.0f}" transform="rotate(-90 12 '
                 f'{top + (height - top - bottom) / 2:.0f})" text-anchor="middle">{esc(_w("y_axis", lang))}</text></svg>')
    return "".join(parts)


# ------------------------------------------------------------------ HTML
def ranking_html(result: Result, lang: str) -> str:
    """The HTML section of every league table: the funnel and the table."""
    out = []
    for table in result.rankings:
        rows = []
        shown, cut = _shown(table.ranked)
        for u in shown:
            assert u.raw is not None and u.shrunken is not None
            colour = FLAG_COLOURS.get(u.flag or "within")
            rows.append(f"<tr><td>{esc(rank_text(u, lang))}</td><td>{esc(u.unit)}</td><td class=\"num\">{u.raw.n}</td>"
                        f"<td class=\"num\">{fmt(u.raw.score)} <small>{fmt(u.raw.ci[0])}–{fmt(u.raw.ci[1])}</small></td>"
                        f"<td class=\"num\"><b>{fmt(u.shrunken.score)}</b> <small>{fmt(u.shrunken.ci[0])}–"
                        f"{fmt(u.shrunken.ci[1])}</small></td><td style=\"color:{colour}\">{esc(flag_text(u.flag, lang))}</td></tr>")
        small = "".join(f"<li>{esc(u.unit)} ({u.size}) — {esc(_w(u.status, lang))}</li>" for u in _small(table))
        out.append(
            f'<section class="card"><h2>{esc(_w("title", lang))}: {esc(table.by)}</h2>'
            f"<p>{esc(_summary_line(table, lang))}</p>{funnel_svg(table, lang)}"
            f"<p><small>{esc(_w('limits', lang))}</small></p>"
            f"<table><thead><tr><th>{esc(_w('rank', lang))}</th><th>{esc(_w('unit', lang))}</th><th>{esc(_w('n', lang))}</th>"
            f"<th>{esc(_w('raw', lang))}</th><th>{esc(_w('shrunken', lang))}</th><th>{esc(_w('funnel', lang))}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + (f"<p><small>{esc(_w('shown', lang).format(k=SHOW // 2))}</small></p>" if cut else "")
            + (f"<ul>{small}</ul>" if small else "") + f"<p><small>{esc(_w('note', lang))}</small></p></section>\n")
    return "".join(out)


# ------------------------------------------------------------------ the workbook
def add_sheets(wb: Any, result: Result, lang: str) -> None:
    """A league-table sheet and a funnel sheet (data and a scatter chart) per league table."""
    from openpyxl.chart import Reference, ScatterChart, Series
    from openpyxl.styles import Font

    for i, table in enumerate(result.rankings):
        suffix = f" {i + 1}" if len(result.rankings) > 1 else ""
        ws = wb.create_sheet(f"League table{suffix}")
        ws.append([_summary_line(table, lang)])
        ws.append([escape_cell(c) for c in CSV_COLUMNS[2:]] + ["rank_text", "flag_text"])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for u in table.units:
            values = [None if v == "" else v for v in _row(table, u)[2:]]
            ws.append([escape_cell(v) for v in values] + [rank_text(u, lang), flag_text(u.flag, lang)])
        ws.freeze_panes = "A3"
        fs = wb.create_sheet(f"Funnel{suffix}")
        fs.append(["n", "raw_score", "unit", "target", "limit95_low", "limit95_high", "limit998_low", "limit998_high"])
        ranked = sorted((u for u in table.ranked if u.raw and u.limits), key=lambda u: u.raw.n if u.raw else 0)
        for u in ranked:
            assert u.raw is not None and u.limits is not None
            fs.append([u.raw.n, u.raw.score, escape_cell(u.unit), table.target, *u.limits[0], *u.limits[1]])
        if not ranked:
            continue
        last = len(ranked) + 1
        chart = ScatterChart()
        chart.title = f"{_w('funnel', lang)}: {table.by}"
        chart.x_axis.title, chart.y_axis.title = "n", _w("y_axis", lang)
        chart.x_axis.scaling.logBase = 10
        chart.style = 13
        xs = Reference(fs, min_col=1, min_row=2, max_row=last)
        for col, title in ((2, _w("unit", lang)), (4, "target"), (5, "95 %"), (6, "95 %"), (7, "99.8 %"), (8, "99.8 %")):
            s = Series(Reference(fs, min_col=col, min_row=2, max_row=last), xs, title=title)
            if col == 2:
                s.marker.symbol, s.graphicalProperties.line.noFill = "circle", True
            else:
                s.marker.symbol = "none"
            chart.series.append(s)
        chart.width, chart.height = 20, 12
        fs.add_chart(chart, "J2")


# ------------------------------------------------------------------ the terminal
def render_terminal(result: Result, console: Console, lang: str | None = None, overall: bool = True) -> None:
    """The league tables on the terminal (``overall``: the index's line first, as ``csi rank`` shows it)."""
    from rich.table import Table

    lang = lang or lang_of(result)
    o = result.overall
    if overall:
        console.print(f"CSI {fmt(o.score)} [{fmt(o.ci[0])}, {fmt(o.ci[1])}], n = {o.n}")
    for table in result.rankings:
        console.print(_summary_line(table, lang))
        t = Table(title=f"{_w('title', lang)}: {table.by}")
        for head, justify in (("rank", "left"), ("unit", "left"), ("n", "right"), ("raw", "right"), ("shrunken", "right"),
                              ("funnel", "left")):
            t.add_column(_w(head, lang), justify=justify)  # type: ignore[arg-type]
        shown, cut = _shown(table.ranked)
        for u in shown:
            assert u.raw is not None and u.shrunken is not None
            style = {"clearly_above": "green", "clearly_below": "red"}.get(u.flag or "", "")
            t.add_row(rank_text(u, lang), u.unit, str(u.raw.n), f"{fmt(u.raw.score)} [{fmt(u.raw.ci[0])}, {fmt(u.raw.ci[1])}]",
                      f"{fmt(u.shrunken.score)} [{fmt(u.shrunken.ci[0])}, {fmt(u.shrunken.ci[1])}]",
                      flag_text(u.flag, lang, short=True), style=style)
        console.print(t)
        if cut:
            console.print(_w("shown", lang).format(k=SHOW // 2))
        small = _small(table)
        if small:
            console.print("; ".join(f"{_w(u.status, lang)}: {u.unit} ({u.size})" for u in small))
