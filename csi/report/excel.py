"""The Excel workbook: tables people can sort and filter, and native Excel charts.

:func:`to_xlsx` renders a :class:`~csi.result.Result` with the sheets ``Summary`` (the index,
the outcome and NPS, the dimensions with a bar chart of their scores, interval whiskers and
the target line), ``Scores`` (every node), ``Weak points`` (the losses as bars, and the IPA
matrix as a scatter chart with the cross-hairs and every indicator labelled), ``Segments``
and ``Data quality``. :func:`comparison_to_xlsx` renders a :class:`~csi.compare.Comparison`
with ``Summary``, ``Scores``, ``Trend`` (a line per dimension across the periods), ``Weak
points`` and ``Segments``. Sheet names stay English in both languages, so scripts can find
them; headings follow ``lang``.

Charts point at cell ranges of their own sheet, so a reader who edits a number sees the chart
follow. Numbers are written at full precision and shown through number formats. Every text is
written as text: a cell that would start with ``=``, ``+``, ``-`` or ``@`` gets the leading
apostrophe of :func:`csi.report.tables.escape_cell`, so no survey text can become a formula
(neither in this workbook nor in a CSV saved from it).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from csi.report.compare_report import _BENCH_VERDICT, _status, verdict_text
from csi.report.compare_report import lang_of as comparison_lang
from csi.report.findings import Finding, comparison_findings, result_findings, sections
from csi.report.labels import (
    QUADRANT_COLOURS,
    TONE_COLOURS,
    cword,
    default_target,
    display_width,
    ipa_axis,
    ipa_points,
    tone,
    top_groups,
    word,
)
from csi.report.ranking import add_sheets
from csi.report.svg import nice_ticks
from csi.report.tables import (
    _depths,
    escape_cell,
    ipa_basis,
    ipa_disagreement,
    lang_of,
    quadrant_text,
    rank_by,
    reason_text,
    weak_title,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from csi.compare import Comparison, NodeComparison
    from csi.result import Estimate, Result

__all__ = ["to_xlsx", "comparison_to_xlsx", "SCORE_SHEETS", "COMPARISON_SHEETS"]

SCORE_SHEETS = ("Summary", "Scores", "Weak points", "Segments", "Data quality")
COMPARISON_SHEETS = ("Summary", "Scores", "Trend", "Weak points", "Segments")

ACCENT = "23466F"
F_SCORE, F_PCT, F_PCT0, F_LOSS, F_INT, F_W = "0.0", "0.0%", "0%", "0.00", "0", "0.0000"
#: p-values stay numbers and read as every report shows them (csi.report.tables.fmt_p): 0.046, <0.001.
F_P = '[<0.001]"<0.001";0.000'


class _Sheet:
    """A worksheet written row by row, remembering how wide each column's content is."""

    def __init__(self, ws: Worksheet) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        self.row = 1
        self.widths: dict[int, int] = {}
        self.font_title = Font(size=16, bold=True, color=ACCENT)
        self.font_sub = Font(size=11, color="5D6878")
        self.font_h2 = Font(size=12, bold=True, color=ACCENT)
        self.font_head = Font(bold=True, color="FFFFFF")
        self.font_bold = Font(bold=True)
        self.fill_head = PatternFill("solid", fgColor=ACCENT)
        self.fill_group = PatternFill("solid", fgColor="F1F3F7")
        self.align_head = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.border_head = Border(bottom=Side(style="thin", color="1D2733"))
        self.Alignment = Alignment
        self.PatternFill = PatternFill
        self.Font = Font

    @property
    def title(self) -> str:
        return self.ws.title

    def put(self, row: int, col: int, value: Any, fmt: str | None = None, *, bold: bool = False, width: bool = True,
            indent: int = 0) -> Any:
        """One cell: text escaped and stored as text, NaN left empty, a number format."""
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        if isinstance(value, str):
            value = escape_cell(value)
        cell = self.ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = self.font_bold
        if indent:
            cell.alignment = self.Alignment(indent=indent)
        if width and value is not None:
            shown = value if isinstance(value, str) else (f"{value:.2f}" if isinstance(value, float) else str(value))
            self.widths[col] = max(self.widths.get(col, 0), display_width(shown) + 2 * indent)
        return cell

    def title_block(self, title: str, subtitle: str) -> None:
        self.put(1, 1, title, width=False).font = self.font_title
        self.put(2, 1, subtitle, width=False).font = self.font_sub
        self.ws.row_dimensions[1].height = 24
        self.row = 4

    def heading(self, text: str) -> None:
        self.put(self.row, 1, text, width=False).font = self.font_h2
        self.row += 1

    def header(self, cells: Sequence[str], row: int | None = None) -> int:
        r = self.row if row is None else row
        for c, text in enumerate(cells, start=1):
            cell = self.put(r, c, text)
            cell.font, cell.fill, cell.alignment, cell.border = self.font_head, self.fill_head, self.align_head, self.border_head
        if row is None:
            self.row += 1
        return r

    def line(self, values: Sequence[Any], fmts: Sequence[str | None] = (), *, group: bool = False) -> int:
        r = self.row
        for c, v in enumerate(values, start=1):
            cell = self.put(r, c, v, fmts[c - 1] if c - 1 < len(fmts) else None)
            if group:
                cell.fill = self.fill_group
                cell.font = self.font_bold
        self.row += 1
        return r

    def finish(self, min_width: int = 8, max_width: int = 60, fixed: dict[int, int] | None = None) -> None:
        from openpyxl.utils import get_column_letter

        for col, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = max(min_width, min(max_width, w + 2))
        for col, w in (fixed or {}).items():
            self.ws.column_dimensions[get_column_letter(col)].width = w
        self.ws.sheet_view.showGridLines = False
        # printed, a sheet is as wide as the page, charts included
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0


def _ref(sheet: str, col1: int, row1: int, col2: int | None = None, row2: int | None = None) -> str:
    """An absolute reference such as ``'Weak points'!$C$5:$C$9``."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    a = f"${get_column_letter(col1)}${row1}"
    if col2 is None:
        return f"{quote_sheetname(sheet)}!{a}"
    return f"{quote_sheetname(sheet)}!{a}:${get_column_letter(col2)}${row2}"


def _rows_for(cm: float) -> int:
    """Worksheet rows (15 pt high) a chart of this height covers."""
    return math.ceil(cm / 0.53)


def _plain(v: Any) -> Any:
    """An option's value for one cell."""
    if v is None or isinstance(v, bool):
        return None if v is None else str(v)
    if isinstance(v, (int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _tone_rules(ws: Worksheet, cells: str, score: str, target: str | None, default: float | None) -> None:
    """Colour score cells by their target: green met, amber up to 10 short, red more.

    ``score`` and ``target`` are the top-left cell of the range and of its targets (relative
    references, as Excel applies them cell by cell); a row without a target uses ``default``.
    """
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    if target is None and default is None:
        return
    if target is None:
        t = f"{default:g}"
    elif default is None:
        t = target
    else:
        t = f"IF(ISNUMBER({target}),{target},{default:g})"
    guard = f"ISNUMBER({score})" + ("" if default is not None or target is None else f",ISNUMBER({target})")
    for name, formula in (("good", f"AND({guard},{score}>={t})"), ("near", f"AND({guard},{score}>={t}-10)"),
                          ("bad", f"AND({guard})")):
        fg, bg = TONE_COLOURS[name]
        ws.conditional_formatting.add(cells, FormulaRule(formula=[formula], stopIfTrue=True, fill=PatternFill("solid", bgColor=bg),
                                                         font=Font(color=fg, bold=True)))


def _labels(position: str, size: int, colour: str, bold: bool = False) -> Any:
    """Data labels that show the series' name (an indicator, a quadrant) beside its point."""
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    cp = CharacterProperties(sz=size, b=bold, solidFill=colour)
    return DataLabelList(showSerName=True, showVal=False, showCatName=False, showLegendKey=False, showPercent=False,
                         dLblPos=position, txPr=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=cp), endParaRPr=cp, r=[])]))


def _axes_visible(chart: Any) -> None:
    # openpyxl ≥ 3.1 writes <c:delete val="1"/> unless told otherwise, and Excel then hides the axes
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False


def _solid(series: Any, colour: str) -> None:
    series.graphicalProperties.solidFill = colour
    series.graphicalProperties.line.solidFill = colour


def _workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _basename(path: Any) -> str:
    return str(path or "").replace("\\", "/").rsplit("/", 1)[-1]


# ------------------------------------------------------------------ one result
def to_xlsx(result: Result, lang: str | None = None) -> bytes:
    """The workbook of one scored survey, as the bytes of an .xlsx file."""
    lang = lang or lang_of(result)
    wb = _workbook()
    _summary(_Sheet(wb.create_sheet("Summary")), result, lang)
    _scores(_Sheet(wb.create_sheet("Scores")), result, lang)
    _weak(_Sheet(wb.create_sheet("Weak points")), result, lang)
    _segments(_Sheet(wb.create_sheet("Segments")), result, lang)
    _quality(_Sheet(wb.create_sheet("Data quality")), result, lang)
    if result.grades:
        _grades(_Sheet(wb.create_sheet("Grades")), result.grades, lang)
    if result.structural is not None:
        from csi.report.excel_structural import structural_sheets

        structural_sheets(result.structural, lang, lambda title: _Sheet(wb.create_sheet(title)))
    add_sheets(wb, result, lang)  # (csi score --rank: the league tables and funnels)
    name = str((result.manifest.get("model") or {}).get("name") or word("report", lang))
    wb.properties.title = f"{name} — {word('report', lang)}"
    wb.properties.creator = str(result.manifest.get("tool") or "csi")
    return _save(wb)


def _findings(s: _Sheet, findings: list[Finding], lang: str) -> None:
    """Key findings and recommendations under the title: one sentence a row, numbered."""
    for title, sentences in sections(findings, lang):
        s.row += 1
        s.heading(title)
        for i, sentence in enumerate(sentences, 1):
            s.put(s.row, 1, f"{i}. {sentence}", width=False)
            s.row += 1


def _grades(s: _Sheet, grades: dict[str, Any], lang: str) -> None:
    from csi.report import grades_report

    s.title_block(grades_report.title(lang), str(grades.get("operator", "")))
    head, rows = grades_report.sheet_rows(grades, lang)
    s.header(head)
    g = len(grades["grades"])
    pct = "0.0%"
    for row in rows:
        s.line([escape_cell(v) for v in row], [None, None, *[pct] * g, None, "0%", F_SCORE, F_SCORE, F_SCORE, F_SCORE,
                                               *[pct] * (2 * g)], group=row[0] == "overall")
    for name, seg_head, body in grades_report.segment_tables(grades, lang):  # (formatted text: the JSON has the numbers)
        s.row += 1
        s.heading(name)
        s.header(seg_head)
        for r in body:
            s.line([escape_cell(v) for v in r])
    s.finish(max_width=36)


def _estimate_row(s: _Sheet, label: str, e: Estimate | None, nps: dict | None = None) -> None:
    if nps is not None:
        ci = nps.get("ci") or [None, None]
        s.line([label, _num(nps.get("score")), _num(ci[0]), _num(ci[1]), _num(nps.get("se")), nps.get("n")],
               [None, F_SCORE, F_SCORE, F_SCORE, "0.00", F_INT])
    elif e is not None:
        s.line([label, _num(e.score), _num(e.ci[0]), _num(e.ci[1]), _num(e.se), e.n], [None, F_SCORE, F_SCORE, F_SCORE, "0.00", F_INT])


def _headline(s: _Sheet, result: Result, lang: str) -> int:
    """The index (a structural model's CSI first, then the tree's index of the drivers), the
    outcome index and NPS, one row each; returns the first row's number."""
    s.header([word("measure", lang), word("score", lang), word("ci_low", lang), word("ci_high", lang), word("se", lang), word("n", lang)])
    first = s.row
    sc = result.structural_csi()
    if sc is not None:
        _estimate_row(s, word("csi_structural", lang), sc)
        _estimate_row(s, word("drivers_index", lang), result.overall)
    else:
        _estimate_row(s, word("overall", lang), result.overall)
    if result.outcome is not None:
        _estimate_row(s, word("outcome", lang), result.outcome)
    if result.nps and result.nps.get("score") is not None:
        _estimate_row(s, word("nps", lang), None, result.nps)
    return first


def _summary(s: _Sheet, result: Result, lang: str) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.data_source import NumDataSource, NumRef
    from openpyxl.chart.error_bar import ErrorBars
    from openpyxl.chart.legend import LegendEntry
    from openpyxl.chart.marker import DataPoint

    m = result.manifest
    model = m.get("model") or {}
    src = m.get("input") or {}
    r = result.respondents
    s.title_block(str(model.get("name") or word("report", lang)), word("report", lang))
    for key, value in (("input", _basename(src.get("path"))), ("sheet", src.get("sheet")), ("preset", src.get("preset")),
                       ("created", m.get("created")), ("respondents", f"{r.get('used', 0)} / {r.get('rows', r.get('used', 0))}")):
        if value not in (None, ""):
            s.put(s.row, 1, word(key, lang), bold=True)
            s.put(s.row, 2, str(value), width=False)
            s.row += 1
    _findings(s, result_findings(result), lang)
    s.row += 1
    overall_row = _headline(s, result, lang)
    target = default_target(result)
    s.ws.cell(row=overall_row, column=2).font = s.Font(bold=True, size=13)
    _tone_rules(s.ws, f"B{overall_row}", f"B{overall_row}", None, target)

    groups = top_groups(result)
    if not groups:
        s.finish()
        return
    s.row += 1
    s.heading(word("dimensions", lang))
    head = s.header([word("node", lang), word("score", lang), word("ci_low", lang), word("ci_high", lang), word("target", lang),
                     word("target_gap", lang), word("weight", lang), word("ci_minus", lang), word("ci_plus", lang)])
    first = s.row
    for g in groups:
        tgt = g.target if g.kind == "item" else target
        e = g.estimate
        s.line([g.name, _num(e.score), _num(e.ci[0]), _num(e.ci[1]), tgt,
                None if tgt is None else _num(e.score - tgt), _num(g.weight),
                _num(e.score - e.ci[0]), _num(e.ci[1] - e.score)],
               [None, F_SCORE, F_SCORE, F_SCORE, F_INT, "+0.0;-0.0;0.0", F_PCT0, "0.00", "0.00"])
    last = s.row - 1
    _tone_rules(s.ws, f"B{first}:B{last}", f"B{first}", f"E{first}", target)

    bar = BarChart()
    bar.type = "col"
    bar.title = word("dimension_chart", lang)
    bar.y_axis.title = word("score", lang)
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = 100
    bar.y_axis.majorUnit = 20
    bar.y_axis.numFmt = "0"
    bar.gapWidth = 60
    bar.add_data(Reference(s.ws, min_col=2, min_row=head, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(s.ws, min_col=1, min_row=first, max_row=last))
    series = bar.series[0]
    _solid(series, ACCENT)
    for i, g in enumerate(groups):
        pt = DataPoint(idx=i)
        pt.graphicalProperties.solidFill = TONE_COLOURS[tone(g.score, g.target if g.kind == "item" else target)][0]
        series.dPt.append(pt)
    series.errBars = ErrorBars(errDir="y", errBarType="both", errValType="cust", noEndCap=False,
                               minus=NumDataSource(numRef=NumRef(f=_ref(s.title, 8, first, 8, last))),
                               plus=NumDataSource(numRef=NumRef(f=_ref(s.title, 9, first, 9, last))))
    if target is not None:
        line = LineChart()
        line.add_data(Reference(s.ws, min_col=5, min_row=head, max_row=last), titles_from_data=True)
        ts = line.series[0]
        ts.marker.symbol = "none"
        ts.smooth = False
        ts.graphicalProperties.line.solidFill = "1D2733"
        ts.graphicalProperties.line.dashStyle = "dash"
        ts.graphicalProperties.line.width = 19050
        bar += line
    bar.legend.position = "b"
    bar.legend.legendEntry = [LegendEntry(idx=0, delete=True)]  # the bars' colours are the tones, not one series colour
    bar.height, bar.width = 9.5, 17.5
    _axes_visible(bar)
    s.ws.add_chart(bar, f"A{s.row + 1}")
    s.finish(fixed={1: max(14, min(34, s.widths.get(1, 10) + 2))})


def _scores(s: _Sheet, result: Result, lang: str) -> None:
    target = default_target(result)
    depth = _depths(result)
    cols = [word("id", lang), word("node", lang), word("kind", lang), word("parent", lang), word("method", lang), word("weight", lang),
            word("global_weight", lang), word("score", lang), word("se", lang), word("ci_low", lang), word("ci_high", lang),
            word("n", lang), word("target", lang), word("target_gap", lang), word("low", lang), word("alpha", lang)]
    fmts = [None, None, None, None, None, F_PCT, F_PCT, F_SCORE, "0.00", F_SCORE, F_SCORE, F_INT, F_INT, "+0.0;-0.0;0.0", F_PCT0, "0.00"]
    s.header(cols)
    o = result.overall
    s.line(["overall", word("overall", lang), "index", None, None, 1.0, 1.0, _num(o.score), _num(o.se), _num(o.ci[0]),
            _num(o.ci[1]), o.n, target, None, None, None], fmts, group=True)
    for n in result.nodes:
        e = n.estimate
        r = s.line([n.id, n.name, word(n.kind, lang) if n.kind in ("group", "item") else n.kind, n.parent, n.method, _num(n.weight),
                    _num(n.global_weight), _num(e.score), _num(e.se), _num(e.ci[0]), _num(e.ci[1]), e.n, n.target,
                    None if n.target is None else _num(e.score - n.target), n.low_share, n.alpha], fmts,
                   group=n.kind == "group" and depth[n.id] == 0)
        s.ws.cell(row=r, column=2).alignment = s.Alignment(indent=depth[n.id] * 2)
        s.widths[2] = max(s.widths.get(2, 0), display_width(n.name) + 2 * depth[n.id])
    last = s.row - 1
    _tone_rules(s.ws, f"H2:H{last}", "$H2", "$M2", target)
    s.ws.freeze_panes = "C2"
    s.ws.auto_filter.ref = f"A1:P{last}"
    s.finish()


def _weak(s: _Sheet, result: Result, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    parents = {n.id: n.parent for n in result.nodes}
    names = {n.id: n.name for n in result.nodes}
    s.title_block(weak_title(result, lang), word("loss_note", lang))
    s.ws.row_dimensions[2].height = 30
    s.ws.merge_cells("A2:K2")
    s.ws["A2"].alignment = s.Alignment(wrap_text=True, vertical="top")
    ipma = rank_by(result) == "ipma"
    head = s.header(["#", word("id", lang), word("node", lang), word("group", lang), word("score", lang), word("target", lang),
                     word("importance", lang), word("loss", lang), word("quadrant", lang), word("low", lang), word("stability", lang)]
                    + ([word("priority", lang)] if ipma else []))
    first = s.row
    for wp in result.weak_points:
        top = _top(wp.id, parents)
        s.line([wp.rank, wp.id, wp.name, names.get(top, "") if top and top != wp.id else "", _num(wp.score), wp.target,
                _num(wp.importance), _num(wp.loss), quadrant_text(wp.quadrant, lang), wp.low_share, _num(wp.stability)]
               + ([_num(wp.priority)] if ipma else []),
               [F_INT, None, None, None, F_SCORE, F_INT, F_PCT, F_LOSS, None, F_PCT0, F_PCT0, "0.000"])
    last = s.row - 1
    differ = ipa_disagreement(result, lang) if result.weak_points else None
    for note in ([ipa_basis(result, lang)] if result.weak_points else []) + ([differ] if differ else []):
        s.put(s.row, 1, note, width=False)
        s.row += 1
    quotes = [(wp, q) for wp in result.weak_points for q in wp.verbatims]
    if quotes:
        s.row += 1
        s.heading(word("comments", lang))
        s.header(["#", word("node", lang), word("comment", lang)])
        for wp, q in quotes:
            s.line([wp.rank, wp.name, q], [F_INT, None, None])
            s.ws.cell(row=s.row - 1, column=3).alignment = s.Alignment(wrap_text=True, vertical="top")
    if result.weak_points:
        _tone_rules(s.ws, f"E{first}:E{last}", f"E{first}", f"F{first}", None)
        chart = BarChart()
        chart.type = "bar"
        chart.title = word("loss_chart", lang)
        chart.add_data(Reference(s.ws, min_col=8, min_row=head, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(s.ws, min_col=3, min_row=first, max_row=last))
        _solid(chart.series[0], TONE_COLOURS["bad"][0])
        chart.series[0].dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                              showPercent=False, numFmt="0.00")
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 on top
        chart.y_axis.numFmt = "0.00"
        chart.y_axis.scaling.min = 0
        chart.legend = None
        chart.gapWidth = 50
        chart.height, chart.width = max(6.0, 1.1 * len(result.weak_points) + 3), 17.5
        _axes_visible(chart)
        s.ws.add_chart(chart, "M4")
        loss_rows = _rows_for(chart.height)
    else:
        loss_rows = 0
        s.put(s.row, 1, word("no_weak", lang))
        s.row += 1

    _ipa(s, result, lang, loss_rows)


def _ipa(s: _Sheet, result: Result, lang: str, loss_rows: int) -> None:
    """The IPA matrix below the weak points: the indicators' importance (the axis the result's
    ``ipa`` names), score and quadrant, and a scatter chart with the cross-hairs."""
    points, mean_imp, mean_score = ipa_points(result)
    if not points:
        s.finish()
        return
    parents = {n.id: n.parent for n in result.nodes}
    names = {n.id: n.name for n in result.nodes}
    x_title, percent = ipa_axis(result, lang)
    f_imp = F_PCT if percent else "0.000"
    s.row += 2
    s.heading(word("ipa", lang))
    s.put(s.row, 1, ipa_basis(result, lang), width=False)
    s.row += 1
    ipa_head = s.header(["#", word("id", lang), word("node", lang), word("group", lang), word("importance", lang), word("score", lang),
                         word("quadrant", lang)])
    ipa_first = s.row
    for p in points:
        top = _top(p.id, parents)
        s.line([p.number, p.id, p.name, names.get(top, "") if top and top != p.id else "", p.importance, p.score,
                quadrant_text(p.quadrant, lang)], [F_INT, None, None, None, f_imp, F_SCORE, None])
    # the cross-hairs as two short lines, each a pair of points, and the quadrants' names as
    # points without markers, labelled, in the corners
    xs = [p.importance for p in points] + [mean_imp]
    ys = [p.score for p in points] + [mean_score]
    xspan = (max(xs) - min(xs)) or max(xs) or 1.0
    ticks = nice_ticks(max(0.0, min(xs) - 0.1 * xspan), max(xs) + 0.1 * xspan, 5)
    xstep = ticks[1] - ticks[0] if len(ticks) > 1 else xspan
    xlo = max(0.0, math.floor((min(xs) - 0.1 * xspan) / xstep) * xstep)
    xhi = math.ceil((max(xs) + 0.1 * xspan) / xstep) * xstep
    ylo = max(0.0, math.floor((min(ys) - 3) / 5) * 5)
    yhi = min(100.0, math.ceil((max(ys) + 3) / 5) * 5)
    s.row += 1
    cross = s.header(["", word("importance", lang), word("score", lang)])
    s.line([x_title, mean_imp, ylo], [None, f_imp, F_SCORE])
    s.line(["", mean_imp, yhi], [None, f_imp, F_SCORE])
    s.line([word("ipa_y", lang), xlo, mean_score], [None, f_imp, F_SCORE])
    s.line(["", xhi, mean_score], [None, f_imp, F_SCORE])
    dx, dy = (xhi - xlo) * 0.01, (yhi - ylo) * 0.04
    corners = {"possible_overkill": (xlo + dx, yhi - dy, "r"), "keep_up_the_good_work": (xhi - dx, yhi - dy, "l"),
               "low_priority": (xlo + dx, ylo + dy, "r"), "concentrate_here": (xhi - dx, ylo + dy, "l")}
    corner_rows = {q: s.line([quadrant_text(q, lang), x, y], [None, f_imp, F_SCORE]) for q, (x, y, _) in corners.items()}

    box = (xlo, xhi, xstep, ylo, yhi)
    sc = _ipa_chart(s, lang, points, (ipa_first, cross), corners, corner_rows, box, x_title, percent)
    s.ws.add_chart(sc, f"M{max(ipa_head, 4 + loss_rows + 2)}")
    s.finish(max_width=40)


def _ipa_chart(s: _Sheet, lang: str, points: list, rows: tuple[int, int], corners: dict, corner_rows: dict,
               box: tuple[float, float, float, float, float], x_title: str, percent: bool) -> Any:
    """The IPA scatter chart on the rows :func:`_ipa` wrote: one series per indicator (from row
    ``rows[0]``), the cross-hairs (the pairs after the header at ``rows[1]``) and the quadrants'
    names in the corners."""
    from openpyxl.chart import Reference, ScatterChart, Series
    from openpyxl.chart.series import SeriesLabel, StrRef

    ipa_first, cross = rows
    xlo, xhi, xstep, ylo, yhi = box
    sc = ScatterChart(scatterStyle="lineMarker")
    sc.title = word("ipa", lang)
    sc.x_axis.title = x_title
    sc.y_axis.title = word("ipa_y", lang)
    sc.x_axis.scaling.min, sc.x_axis.scaling.max, sc.x_axis.majorUnit = xlo, xhi, xstep
    sc.y_axis.scaling.min, sc.y_axis.scaling.max, sc.y_axis.majorUnit = ylo, yhi, 5
    sc.x_axis.numFmt = ("0%" if xstep >= 0.01 else "0.0%") if percent else ("0.00" if xstep >= 0.01 else "0.000")
    sc.y_axis.numFmt = "0"
    sc.x_axis.majorGridlines = None
    # labels alternate right and left down a column of equally important indicators
    side: dict[int, str] = {}
    columns: dict[float, list[int]] = {}
    for i, p in enumerate(points):
        columns.setdefault(round(p.importance, 9), []).append(i)
    for members in columns.values():
        for k, i in enumerate(sorted(members, key=lambda i: -points[i].score)):
            side[i] = "r" if k % 2 == 0 else "l"
    for i, p in enumerate(points):
        r = ipa_first + i
        ser = Series(Reference(s.ws, min_col=6, min_row=r), Reference(s.ws, min_col=5, min_row=r))
        ser.tx = SeriesLabel(strRef=StrRef(_ref(s.title, 3, r)))
        colour = QUADRANT_COLOURS.get(p.quadrant, "7A8594")
        ser.marker.symbol = "circle"
        ser.marker.size = 7
        ser.marker.graphicalProperties.solidFill = colour
        ser.marker.graphicalProperties.line.solidFill = "FFFFFF"
        ser.graphicalProperties.line.noFill = True
        ser.smooth = False
        ser.dLbls = _labels(side[i], 800, "1D2733")
        sc.series.append(ser)
    for k in (0, 2):
        r = cross + 1 + k
        ser = Series(Reference(s.ws, min_col=3, min_row=r, max_row=r + 1), Reference(s.ws, min_col=2, min_row=r, max_row=r + 1))
        ser.tx = SeriesLabel(strRef=StrRef(_ref(s.title, 1, r)))
        ser.marker.symbol = "none"
        ser.graphicalProperties.line.solidFill = "5D6878"
        ser.graphicalProperties.line.dashStyle = "dash"
        ser.graphicalProperties.line.width = 12700
        ser.smooth = False
        sc.series.append(ser)
    for q, r in corner_rows.items():
        ser = Series(Reference(s.ws, min_col=3, min_row=r), Reference(s.ws, min_col=2, min_row=r))
        ser.tx = SeriesLabel(strRef=StrRef(_ref(s.title, 1, r)))
        ser.marker.symbol = "none"
        ser.graphicalProperties.line.noFill = True
        ser.smooth = False
        ser.dLbls = _labels(corners[q][2], 900, QUADRANT_COLOURS[q], bold=True)
        sc.series.append(ser)
    sc.legend = None
    sc.height, sc.width = 13, 20
    _axes_visible(sc)
    return sc


def _top(node_id: str, parents: dict[str, str | None]) -> str | None:
    hops = 0
    while parents.get(node_id) is not None and hops < 64:
        node_id = parents[node_id]  # type: ignore[assignment]
        hops += 1
    return node_id if node_id in parents else None


def _segments(s: _Sheet, result: Result, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference

    s.title_block(word("segments", lang), "")
    if not result.segments:
        s.put(s.row, 1, word("no_segments", lang))
        s.finish()
        return
    target = default_target(result)
    dims = top_groups(result)
    for seg in result.segments:
        s.heading(f"{word('segments', lang)}: {seg.by}")
        head = s.header([seg.by, word("n", lang), word("overall", lang), word("ci_low", lang), word("ci_high", lang),
                         word("vs_rest_delta", lang), word("p_adj", lang), *[d.name for d in dims]])
        first = s.row
        for g in seg.groups:
            est = dict(g.nodes)
            vs = g.vs_rest or {}
            r = s.line([g.value, g.n, _num(g.overall.score), _num(g.overall.ci[0]), _num(g.overall.ci[1]),
                        _num(vs.get("delta")), _num(vs.get("p_adj")), *[_num(est[d.id].score) if d.id in est else None for d in dims]],
                       [None, F_INT, F_SCORE, F_SCORE, F_SCORE, "+0.0;-0.0;0.0", F_P, *[F_SCORE] * len(dims)])
            p = vs.get("p_adj")
            if vs.get("delta") is not None and p is not None and p < 0.05:
                _paint_verdict(s, r, [6, 7], "up" if vs["delta"] > 0 else "down")
        last = s.row - 1
        if seg.groups:
            from openpyxl.utils import get_column_letter

            _tone_rules(s.ws, f"C{first}:C{last}", f"C{first}", None, target)
            if dims:
                _tone_rules(s.ws, f"H{first}:{get_column_letter(7 + len(dims))}{last}", f"H{first}", None, target)
            chart = BarChart()
            chart.type = "bar"
            chart.title = f"{word('segment_chart', lang)}: {seg.by}"
            chart.add_data(Reference(s.ws, min_col=3, min_row=head, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(s.ws, min_col=1, min_row=first, max_row=last))
            _solid(chart.series[0], ACCENT)
            chart.x_axis.scaling.orientation = "maxMin"
            chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 100, 20
            chart.y_axis.numFmt = "0"
            chart.legend = None
            chart.height, chart.width = max(5.0, 0.9 * len(seg.groups) + 3), 12
            _axes_visible(chart)
            s.ws.add_chart(chart, f"{get_column_letter(9 + len(dims))}{head}")
            s.row = max(s.row, head + _rows_for(chart.height))
        if seg.suppressed:
            s.put(s.row, 1, f"{seg.suppressed} {word('suppressed', lang)} (n < {seg.min_group})")
            s.row += 1
        s.row += 2
    s.finish(max_width=30)


def _quality(s: _Sheet, result: Result, lang: str) -> None:
    r = result.respondents
    s.title_block(word("quality", lang), "")
    s.header([word("measure", lang), word("count", lang)])
    s.line([word("rows", lang), r.get("rows")], [None, F_INT])
    s.line([word("used", lang), r.get("used")], [None, F_INT])
    if r.get("effective_n") is not None:
        s.line([word("effective_n", lang), _num(float(r["effective_n"]))], [None, "0.0"])
    for key, group in (("excluded", r.get("excluded") or {}), ("flagged", r.get("flagged") or {})):
        for reason, count in group.items():
            s.line([f"{word(key, lang)}: {reason_text(reason, lang)}", count], [None, F_INT])
    b = (result.data_quality or {}).get("bootstrap") or {}
    opts = result.manifest.get("options") or {}
    reps = b.get("replicates", opts.get("bootstrap"))
    if reps is not None:
        s.row += 1
        if reps:
            conf = float(opts.get("confidence", 0.95)) * 100
            s.put(s.row, 1, word("bootstrap", lang).format(b=reps, seed=b.get("seed", opts.get("seed", 0)), conf=f"{conf:g}"), width=False)
        else:
            s.put(s.row, 1, word("no_bootstrap", lang), width=False)
        s.row += 1
    invalid = (result.data_quality or {}).get("invalid") or []
    if invalid:
        s.row += 1
        s.heading(word("invalid", lang))
        s.header([word("letter", lang), word("column", lang), word("count", lang), word("rows_at", lang), word("values", lang)])
        for c in invalid:
            rows = ", ".join(str(x) for x in c.get("rows", [])) + ("…" if c.get("count", 0) > len(c.get("rows", [])) else "")
            s.line([c.get("letter", ""), c.get("column", ""), c.get("count", 0), rows,
                    ", ".join(str(v) for v in list(c.get("values", []))[:3])], [None, None, F_INT, None, None])
    if result.warnings:
        s.row += 1
        s.heading(word("warnings", lang))
        for w in result.warnings:
            s.put(s.row, 1, w, width=False)
            s.row += 1
    m = result.manifest
    if m:
        s.row += 1
        s.heading(word("options", lang))
        model = m.get("model") or {}
        src = m.get("input") or {}
        pairs: list[tuple[str, Any]] = [(word("tool", lang), m.get("tool")), (word("created", lang), m.get("created")),
                                        (word("model", lang), model.get("path")), (f"{word('model', lang)} sha256", model.get("sha256")),
                                        (word("input", lang), src.get("path")), (f"{word('input', lang)} sha256", src.get("sha256"))]
        pairs += [(str(k), _plain(v)) for k, v in (m.get("options") or {}).items()]
        for k, v in pairs:
            if v is None or v == "":
                continue
            s.put(s.row, 1, k, bold=True)
            s.put(s.row, 2, v, width=False).alignment = s.Alignment(horizontal="left")
            s.row += 1
    s.finish(max_width=48, fixed={2: 60})


# ------------------------------------------------------------------ a comparison
def comparison_to_xlsx(comparison: Comparison, lang: str | None = None) -> bytes:
    """The workbook of a comparison of periods, as the bytes of an .xlsx file."""
    lang = lang or comparison_lang(comparison)
    wb = _workbook()
    _c_summary(_Sheet(wb.create_sheet("Summary")), comparison, lang)
    _c_scores(_Sheet(wb.create_sheet("Scores")), comparison, lang)
    _c_trend(_Sheet(wb.create_sheet("Trend")), comparison, lang)
    _c_weak(_Sheet(wb.create_sheet("Weak points")), comparison, lang)
    _c_segments(_Sheet(wb.create_sheet("Segments")), comparison, lang)
    if comparison.structural is not None:
        _c_structural(_Sheet(wb.create_sheet("Structural")), comparison, lang)
    if comparison.period_dates is not None:
        _c_actions(_Sheet(wb.create_sheet("Actions")), comparison, lang)
    wb.properties.title = f"{comparison.model_name} — {cword('title', lang)}"
    wb.properties.creator = str(comparison.manifest.get("tool") or "csi")
    return _save(wb)


_VERDICT_FILL = {"up": TONE_COLOURS["good"], "down": TONE_COLOURS["bad"]}


def _paint_verdict(s: _Sheet, row: int, cols: Sequence[int], verdict: str | None) -> None:
    colours = _VERDICT_FILL.get(verdict or "")
    if colours is None:
        return
    for c in cols:
        cell = s.ws.cell(row=row, column=c)
        cell.fill = s.PatternFill("solid", fgColor=colours[1])
        cell.font = s.Font(color=colours[0], bold=True)


def _c_summary(s: _Sheet, comparison: Comparison, lang: str) -> None:
    labels = comparison.labels
    s.title_block(comparison.model_name or cword("title", lang), cword("compare_report", lang))
    s.header([cword("period", lang), cword("source", lang), cword("n", lang), f"{cword('model', lang)} sha256"])
    for p in comparison.periods:
        s.line([p.label, _basename(p.source), p.n, (p.model_sha256 or "")[:16]], [None, None, F_INT, None])
    _findings(s, comparison_findings(comparison), lang)
    s.row += 1
    o = comparison.overall
    cols = [cword("measure", lang), *labels, cword("delta", lang), cword("ci_low", lang), cword("ci_high", lang), "p",
            cword("p_adj", lang), cword("verdict", lang)]
    if o.trend is not None:
        cols += [cword("slope", lang), cword("ci_low", lang), cword("ci_high", lang)]
    s.header(cols)
    values = [cword("overall", lang), *[_num(x) for x in o.scores], _num(o.delta), _num(o.delta_ci[0]), _num(o.delta_ci[1]),
              _num(o.p), _num(o.p_adj), verdict_text(o.verdict, lang)]
    fmts = [None, *[F_SCORE] * len(labels), "+0.0;-0.0;0.0", "+0.0;-0.0;0.0", "+0.0;-0.0;0.0", F_P, F_P, None]
    if o.trend is not None:
        values += [_num(o.trend.slope), _num(o.trend.ci[0]), _num(o.trend.ci[1])]
        fmts += ["+0.00;-0.00;0.00"] * 3
    r = s.line(values, fmts)
    _paint_verdict(s, r, [len(labels) + 2, len(labels) + 7], o.verdict)
    if comparison.benchmark is not None and o.benchmark is not None:
        s.row += 1
        b = o.benchmark
        s.header([cword("benchmark", lang), cword("score", lang), cword("benchmark_gap", lang), cword("p_adj", lang), cword("verdict", lang)])
        zh, en = _BENCH_VERDICT.get(b.verdict, ("", ""))
        s.line([comparison.benchmark[0], _num(b.score), _num(b.gap), _num(b.p_adj), zh if lang == "zh" else en],
               [None, F_SCORE, "+0.0;-0.0;0.0", F_P, None])
    from csi.report.compare_report import _alert_text, _check_text

    notes: list[str] = []
    if comparison.check is not None:
        notes.append(_check_text(comparison, lang) if comparison.check.failed else cword("check_passed", lang))
    notes += [_alert_text(a, lang) for a in comparison.alerts if a.code != "fail-on-drop"]
    if notes:
        s.row += 1
        s.heading(cword("alerts", lang))
        for n in notes:
            s.put(s.row, 1, f"! {n}", width=False).font = s.Font(color=TONE_COLOURS["bad"][0])
            s.row += 1
    if comparison.warnings:
        s.row += 1
        s.heading(cword("warnings", lang))
        for w in comparison.warnings:
            s.put(s.row, 1, w, width=False)
            s.row += 1
    s.finish(max_width=40)


def _c_scores(s: _Sheet, comparison: Comparison, lang: str) -> None:
    labels = comparison.labels
    t = len(labels)
    from csi.report.compare_report import _depths as c_depths

    depth = c_depths(comparison.nodes)
    cols = [cword("id", lang), cword("node", lang), cword("kind", lang), cword("parent", lang), *labels,
            *[f"{cword('se', lang)} {lbl}" for lbl in labels], cword("delta", lang), cword("ci_low", lang), cword("ci_high", lang),
            "z", "p", cword("p_adj", lang), cword("verdict", lang), cword("delta_first", lang)]
    fmts = [None, None, None, None, *[F_SCORE] * t, *["0.00"] * t, "+0.0;-0.0;0.0", "+0.0;-0.0;0.0", "+0.0;-0.0;0.0", "0.00", F_P, F_P,
            None, "+0.0;-0.0;0.0"]
    if t >= 3:
        cols += [cword("slope", lang), f"{cword('slope', lang)} {cword('ci_low', lang)}", f"{cword('slope', lang)} {cword('ci_high', lang)}",
                 f"{cword('slope', lang)} p"]
        fmts += ["+0.00;-0.00;0.00"] * 3 + [F_P]
    if comparison.benchmark is not None:
        cols += [comparison.benchmark[0], cword("benchmark_gap", lang), f"{cword('benchmark_gap', lang)} {cword('p_adj', lang)}",
                 f"{cword('benchmark_gap', lang)} {cword('verdict', lang)}"]
        fmts += [F_SCORE, "+0.0;-0.0;0.0", F_P, None]
    s.header(cols)
    delta_col = 5 + 2 * t
    verdict_col = delta_col + 6
    for c in (comparison.overall, *comparison.nodes):
        d = 0 if c.kind == "index" else depth.get(c.id, 0)
        kind = "index" if c.kind == "index" else cword(c.kind, lang) if c.kind in ("group", "item") else c.kind
        values = [c.id, cword("overall", lang) if c.kind == "index" else c.name, kind, c.parent,
                  *[_num(x) for x in c.scores], *[_num(x) for x in c.se], _num(c.delta), _num(c.delta_ci[0]), _num(c.delta_ci[1]),
                  _num(c.z), _num(c.p), _num(c.p_adj), verdict_text(c.verdict, lang), _num(c.delta_first)]
        if t >= 3:
            tr = c.trend
            values += [None] * 4 if tr is None else [_num(tr.slope), _num(tr.ci[0]), _num(tr.ci[1]), _num(tr.p)]
        if comparison.benchmark is not None:
            b = c.benchmark
            if b is None:
                values += [None] * 4
            else:
                zh, en = _BENCH_VERDICT.get(b.verdict, ("", ""))
                values += [_num(b.score), _num(b.gap), _num(b.p_adj), zh if lang == "zh" else en]
        r = s.line(values, fmts, group=c.kind == "index" or (c.kind == "group" and d == 0))
        s.ws.cell(row=r, column=2).alignment = s.Alignment(indent=d * 2)
        _paint_verdict(s, r, [delta_col, verdict_col], c.verdict)
    s.ws.freeze_panes = "C2"
    from openpyxl.utils import get_column_letter

    s.ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{s.row - 1}"
    s.finish(max_width=40)


def _c_trend(s: _Sheet, comparison: Comparison, lang: str) -> None:
    from openpyxl.chart import LineChart, Reference

    labels = comparison.labels
    series: list[NodeComparison] = [comparison.overall, *[c for c in comparison.nodes if c.parent is None]]
    s.title_block(cword("trend_chart", lang), " → ".join(labels))
    head = s.header([cword("period", lang), *[cword("overall", lang) if c.kind == "index" else c.name for c in series]])
    first = s.row
    for i, lbl in enumerate(labels):
        s.line([lbl, *[_num(c.scores[i]) for c in series]], [None, *[F_SCORE] * len(series)])
    last = s.row - 1
    chart = LineChart()
    chart.title = cword("trend_chart", lang)
    chart.y_axis.title = cword("score", lang)
    chart.y_axis.numFmt = "0"
    chart.add_data(Reference(s.ws, min_col=2, max_col=1 + len(series), min_row=head, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(s.ws, min_col=1, min_row=first, max_row=last))
    finite = [x for c in series for x in c.scores if math.isfinite(x)]
    if finite:
        chart.y_axis.scaling.min = max(0.0, math.floor((min(finite) - 3) / 5) * 5)
        chart.y_axis.scaling.max = min(100.0, math.ceil((max(finite) + 3) / 5) * 5)
    palette = ["1D2733", "2F6DB5", "C8372D", "1F8A4C", "C98A0B", "7B4FA0", "2A9D8F", "D1495B", "6C757D", "E76F51"]
    for i, ser in enumerate(chart.series):
        colour = palette[i % len(palette)]
        ser.marker.symbol = "circle"
        ser.marker.size = 6
        ser.marker.graphicalProperties.solidFill = colour
        ser.marker.graphicalProperties.line.solidFill = colour
        ser.graphicalProperties.line.solidFill = colour
        ser.graphicalProperties.line.width = 34925 if i == 0 else 22225
        ser.smooth = False
    chart.legend.position = "r"
    chart.height, chart.width = 10, 20
    _axes_visible(chart)
    s.ws.add_chart(chart, f"A{s.row + 2}")
    s.ws.freeze_panes = "B5"
    s.finish(max_width=24)


def _c_weak(s: _Sheet, comparison: Comparison, lang: str) -> None:
    labels = comparison.labels
    s.title_block(cword("weak", lang), "")
    s.header([cword("status", lang), cword("id", lang), cword("node", lang), *[f"{cword('rank', lang)} {lbl}" for lbl in labels],
              *[f"{cword('loss', lang)} {lbl}" for lbl in labels], cword("delta_loss", lang)])
    for wp in comparison.weak_points:
        r = s.line([_status(wp.status, lang), wp.id, wp.name, *wp.ranks, *[_num(x) for x in wp.losses], _num(wp.delta_loss)],
                   [None, None, None, *[F_INT] * len(labels), *[F_LOSS] * len(labels), "+0.00;-0.00;0.00"])
        _paint_verdict(s, r, [1], {"entered": "down", "left": "up"}.get(wp.status))
    if not comparison.weak_points:
        s.put(s.row, 1, cword("no_weak", lang))
    s.finish(max_width=36)


def _c_structural(s: _Sheet, comparison: Comparison, lang: str) -> None:
    """The structural model's CSI, construct indices and impacts: scores, se, change and test per row."""
    from csi.report.compare_report import structural_label, structural_note, structural_title

    st = comparison.structural
    assert st is not None
    labels = comparison.labels
    t = len(labels)
    title, header = structural_title(lang)
    s.title_block(title, structural_note(lang))
    s.header([cword("id", lang), header, cword("kind", lang), *labels, *[f"{cword('se', lang)} {lbl}" for lbl in labels],
              cword("delta", lang), cword("ci_low", lang), cword("ci_high", lang), "z", "p", cword("p_adj", lang), cword("verdict", lang)])
    signed = "+0.00;-0.00;0.00"
    for c in st.rows:
        r = s.line([c.id, structural_label(c, lang), c.kind, *[_num(x) for x in c.scores], *[_num(x) for x in c.se], _num(c.delta),
                    _num(c.delta_ci[0]), _num(c.delta_ci[1]), _num(c.z), _num(c.p), _num(c.p_adj), verdict_text(c.verdict, lang)],
                   [None, None, None, *["0.00"] * t, *["0.00"] * t, signed, signed, signed, "0.00", F_P, F_P, None],
                   group=c.kind == "csi")
        _paint_verdict(s, r, [4 + 2 * t, 10 + 2 * t], c.verdict)
    s.ws.freeze_panes = "C5"
    s.finish(max_width=40)


def _c_actions(s: _Sheet, comparison: Comparison, lang: str) -> None:
    from csi.report import actions_report as ar

    s.title_block(ar.title(lang), "")
    head = ar.columns(lang)
    s.header([*head[:7], cword("ci_low", lang), cword("ci_high", lang), *head[8:]])
    signed = "+0.0;-0.0;0.0"
    for o in comparison.actions:
        r = s.line([escape_cell(v) for v in ar.values(o, lang)],
                   [None, None, None, None, F_SCORE, F_SCORE, signed, signed, signed, F_P, None, signed, None, None])
        _paint_verdict(s, r, [7, 11], {"improved": "up", "worse": "down"}.get(o.verdict or ""))
    s.finish(max_width=36)


def _c_segments(s: _Sheet, comparison: Comparison, lang: str) -> None:
    labels = comparison.labels
    t = len(labels)
    s.title_block(cword("segments", lang), "")
    if not comparison.segments:
        s.put(s.row, 1, cword("no_segments", lang))
        s.finish()
        return
    for seg in comparison.segments:
        s.heading(f"{cword('segments', lang)}: {seg.by}")
        s.header([seg.by, *[f"{cword('n', lang)} {lbl}" for lbl in labels], *labels, cword("delta", lang), cword("p_adj", lang),
                  cword("verdict", lang)])
        for v in seg.values:
            c = v.overall
            r = s.line([v.value, *v.n, *[_num(x) for x in c.scores], _num(c.delta), _num(c.p_adj), verdict_text(c.verdict, lang)],
                       [None, *[F_INT] * t, *[F_SCORE] * t, "+0.0;-0.0;0.0", F_P, None])
            _paint_verdict(s, r, [2 + 2 * t, 4 + 2 * t], c.verdict)
        if any(seg.suppressed):
            s.put(s.row, 1, ", ".join(f"{lbl}: {n}" for lbl, n in zip(labels, seg.suppressed, strict=True) if n)
                  + f" {cword('suppressed', lang)} (n < {seg.min_group})", width=False)
            s.row += 1
        moves = [(v.value, c) for v in seg.values for c in v.nodes if c.verdict in ("up", "down")]
        if moves:
            s.row += 1
            s.heading(cword("segment_moves", lang))
            s.header([seg.by, cword("id", lang), cword("node", lang), labels[-2], labels[-1], cword("delta", lang), cword("p_adj", lang),
                      cword("verdict", lang)])
            for value, c in moves:
                r = s.line([value, c.id, c.name, _num(c.scores[-2]), _num(c.scores[-1]), _num(c.delta), _num(c.p_adj),
                            verdict_text(c.verdict, lang)], [None, None, None, F_SCORE, F_SCORE, "+0.0;-0.0;0.0", F_P, None])
                _paint_verdict(s, r, [6, 8], c.verdict)
        s.row += 2
    s.finish(max_width=36)
