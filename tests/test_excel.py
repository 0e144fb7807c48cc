"""The Excel workbook, read back with openpyxl: its sheets, its native charts and the cells their
series point at, number formats and frozen headers; and survey text that no spreadsheet runs
as a formula, in the workbook and in the CSV files."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, ScatterChart
from test_html import HYPERLINK, SCRIPT, Page, assert_inert, golden_comparison, golden_result, hostile_result

from csi.compare import Benchmark, BenchmarkScore, compare_results
from csi.report import compare_report, tables
from csi.report.excel import COMPARISON_SHEETS, SCORE_SHEETS, comparison_to_xlsx, to_xlsx
from csi.report.html import comparison_to_html
from csi.report.labels import ipa_points


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def cells(wb, ref: str) -> list:
    """The values a chart reference such as ``'Weak points'!$E$14:$E$20`` points at, in order."""
    sheet, rng = ref.rsplit("!", 1)
    got = wb[sheet.strip("'").replace("''", "'")][rng.replace("$", "")]
    if not isinstance(got, tuple):
        return [got.value]
    return [c.value for row in got for c in (row if isinstance(row, tuple) else (row,))]


def ref(source) -> str:
    """The formula of a series' data source (numbers or strings)."""
    return (source.numRef or source.strRef).f


@pytest.fixture(scope="module")
def result():
    return golden_result()


@pytest.fixture(scope="module")
def wb(result):
    return workbook(to_xlsx(result))


def test_sheets_and_what_they_hold(wb, result):
    assert wb.sheetnames == list(SCORE_SHEETS) == ["Summary", "Scores", "Weak points", "Segments", "Data quality"]
    summary = wb["Summary"]
    assert summary["A1"].value == "代理记账服务客户满意度指数"
    rows = {r[0]: r for r in summary.iter_rows(values_only=True) if r[0]}
    assert rows["总体 CSI"][1:6] == pytest.approx([result.overall.score, *result.overall.ci, result.overall.se, result.overall.n])
    scores = wb["Scores"]
    head = [c.value for c in scores[1]]
    assert head[:8] == ["编号", "维度 / 指标", "类型", "上级", "赋权方法", "权重", "全局权重", "得分"]
    ids = [scores.cell(row=r, column=1).value for r in range(2, scores.max_row + 1)]
    assert ids == ["overall", *[n.id for n in result.nodes]]
    for r, node in enumerate(result.nodes, start=3):
        assert scores.cell(row=r, column=8).value == pytest.approx(node.score)
        assert scores.cell(row=r, column=8).number_format == "0.0"
        assert scores.cell(row=r, column=7).number_format == "0.0%"
    assert scores.freeze_panes == "C2" and scores.auto_filter.ref == f"A1:P{scores.max_row}"
    assert scores.column_dimensions["B"].width >= 14
    # scores coloured against their targets: three rules over the score column
    rules = [rule for cf in scores.conditional_formatting for rule in cf.rules]
    assert len(rules) == 3 and all("$M2" in rule.formula[0] for rule in rules[:2])
    assert {str(cf.sqref) for cf in scores.conditional_formatting} == {f"H2:H{scores.max_row}"}
    quality = [r for r in wb["Data quality"].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert ("答卷数", 409) in [r[:2] for r in quality] and ("使用答卷", 402) in [r[:2] for r in quality]
    letters = [r[0] for r in quality]
    assert all(c["letter"] in letters for c in result.data_quality["invalid"])


def test_dimension_bars_with_whiskers_and_the_target_line(wb, result):
    (chart,) = wb["Summary"]._charts
    assert isinstance(chart, BarChart) and chart.type == "col"
    bar, line = chart._charts
    assert isinstance(line, LineChart)
    dims = [n for n in result.nodes if n.parent is None]
    (series,) = bar.series
    assert cells(wb, ref(series.val)) == pytest.approx([d.score for d in dims])
    assert cells(wb, ref(series.cat)) == [d.name for d in dims]
    # custom error bars: the distances to the interval's ends
    eb = series.errBars
    assert eb.errValType == "cust" and eb.errBarType == "both"
    assert cells(wb, eb.plus.numRef.f) == pytest.approx([d.ci[1] - d.score for d in dims])
    assert cells(wb, eb.minus.numRef.f) == pytest.approx([d.score - d.ci[0] for d in dims])
    assert cells(wb, ref(line.series[0].val)) == [80] * len(dims)
    # each bar coloured by its score against the target
    assert [p.graphicalProperties.solidFill.srgbClr for p in series.dPt] == ["C98A0B" if d.score >= 70 else "C8372D" for d in dims]
    assert chart.y_axis.scaling.min == 0 and chart.y_axis.scaling.max == 100


def test_weak_point_losses_and_the_ipa_scatter(wb, result):
    ws = wb["Weak points"]
    loss, ipa = ws._charts
    assert isinstance(loss, BarChart) and loss.type == "bar"
    (series,) = loss.series
    assert cells(wb, ref(series.val)) == pytest.approx([w.loss for w in result.weak_points])
    assert cells(wb, ref(series.cat)) == [w.name for w in result.weak_points]
    assert loss.x_axis.scaling.orientation == "maxMin"  # rank 1 on top

    assert isinstance(ipa, ScatterChart)
    points, mean_imp, mean_score = ipa_points(result)
    marked = [s for s in ipa.series if s.marker.symbol == "circle"]
    assert len(marked) == len(points) == sum(1 for n in result.nodes if n.kind == "item")
    for s, p in zip(marked, points, strict=True):
        assert cells(wb, ref(s.xVal)) == [pytest.approx(p.importance)]
        assert cells(wb, ref(s.yVal)) == [pytest.approx(p.score)]
        assert cells(wb, s.tx.strRef.f) == [p.name]  # the label shown beside the point
        assert s.dLbls.showSerName and not s.dLbls.showVal
    unmarked = [s for s in ipa.series if s.marker.symbol in (None, "none")]
    lines = [s for s in unmarked if s.dLbls is None]
    assert len(lines) == 2  # the cross-hairs at the mean importance and the mean score
    vertical, horizontal = ([cells(wb, ref(s.xVal)), cells(wb, ref(s.yVal))] for s in lines)
    assert vertical[0] == pytest.approx([mean_imp, mean_imp])
    assert horizontal[1] == pytest.approx([mean_score, mean_score])
    corners = [cells(wb, s.tx.strRef.f)[0] for s in unmarked if s.dLbls is not None]
    assert sorted(corners) == sorted(["加强改善重点", "继续保持", "优先顺序较低", "供给过度"])
    # the quadrant in the table is the weak points' quadrant
    weak_rows, ipa_rows = {}, {}
    for r in ws.iter_rows(values_only=True):
        if r[1]:
            (ipa_rows if r[1] in weak_rows else weak_rows).setdefault(r[1], r)
    for w in result.weak_points:
        assert weak_rows[w.id][8] == ipa_rows[w.id][6] == tables.quadrant_text(w.quadrant, "zh")


def test_segments_sheet(wb, result):
    ws = wb["Segments"]
    charts = ws._charts
    assert len(charts) == len(result.segments) == 2
    for chart, seg in zip(charts, result.segments, strict=True):
        assert cells(wb, ref(chart.series[0].cat)) == [g.value for g in seg.groups]
        assert cells(wb, ref(chart.series[0].val)) == pytest.approx([g.overall.score for g in seg.groups])
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    g = result.segments[0].groups[0]
    assert rows[g.value][5] == pytest.approx(g.vs_rest["delta"]) and rows[g.value][6] == pytest.approx(g.vs_rest["p_adj"])


def test_english_headings_and_a_result_without_segments(result):
    import dataclasses

    wb = workbook(to_xlsx(dataclasses.replace(result, segments=()), "en"))
    assert wb.sheetnames == list(SCORE_SHEETS)
    assert wb["Scores"]["B1"].value == "Dimension / indicator"
    assert "No breakdown" in wb["Segments"]["A4"].value and not wb["Segments"]._charts


def test_comparison_workbook_with_the_trend_per_dimension():
    c = golden_comparison()
    wb = workbook(comparison_to_xlsx(c))
    assert wb.sheetnames == list(COMPARISON_SHEETS) == ["Summary", "Scores", "Trend", "Weak points", "Segments"]
    (chart,) = wb["Trend"]._charts
    assert isinstance(chart, LineChart)
    dims = [c.overall, *[n for n in c.nodes if n.parent is None]]
    assert len(chart.series) == len(dims)
    for s, node in zip(chart.series, dims, strict=True):
        assert cells(wb, ref(s.val)) == pytest.approx(list(node.scores))
        assert cells(wb, ref(s.cat)) == list(c.labels)
        assert cells(wb, s.tx.strRef.f) == ["总体 CSI" if node.kind == "index" else node.name]
    scores = wb["Scores"]
    ids = [scores.cell(row=r, column=1).value for r in range(2, scores.max_row + 1)]
    assert ids == ["overall", *[n.id for n in c.nodes]]
    verdicts = {r[0]: r for r in scores.iter_rows(min_row=2, values_only=True)}
    down = next(n for n in c.nodes if n.verdict == "down")
    assert "显著下降" in verdicts[down.id]
    assert scores.freeze_panes == "C2"
    summary = [r for r in wb["Summary"].iter_rows(values_only=True) if r[0]]
    assert [r[0] for r in summary[3:5]] == list(c.labels)
    assert any(str(r[0]).startswith("! ") for r in summary)  # the alerts


# ---------------------------------------------------------------- survey text never becomes a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def assert_inert_workbook(data: bytes) -> list[str]:
    """No formula anywhere; no text cell that starts like one. Returns every text cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(?:\w+:)?f[ >]", z.read(name)), f"a formula in {name}"
    wb = workbook(data)
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (ws.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


def assert_inert_csv(text: str) -> list[str]:
    fields = [f for row in csv.reader(io.StringIO(text)) for f in row]
    for f in fields:
        assert _number(f) or not f.startswith(FORMULA_START), f
    return fields


def test_survey_text_is_inert_in_xlsx_and_csv(tmp_path: Path):
    r = hostile_result(tmp_path)
    texts = assert_inert_workbook(to_xlsx(r))
    assert "'" + HYPERLINK in texts  # the indicator's label, shown with the apostrophe a spreadsheet shows as text
    assert SCRIPT in texts  # a segment: harmless in a spreadsheet, kept as it is
    assert any(t.startswith("'=HYPERLINK(") and "worse" in t for t in texts)  # a client's comment
    assert "'=cmd|' /C calc'!A0" in texts and "'@SUM(1+1)*cmd|' /C calc'!A0" in texts and "'-Quality" in texts
    c = compare_results([r, r], ["=P1", "+P2"], ["a.json", "b.json"], by="team")
    texts = assert_inert_workbook(comparison_to_xlsx(c))
    assert "'=P1" in texts and "'=cmd|' /C calc'!A0" in texts
    fields = assert_inert_csv(tables.to_csv(r))
    assert "'" + HYPERLINK in fields
    fields = assert_inert_csv(compare_report.to_csv(c))
    assert "'=cmd|' /C calc'!A0" in fields and SCRIPT in fields


def test_the_example_workbook_is_inert_too(wb):
    assert_inert_workbook(to_xlsx(golden_result()))
    assert_inert_workbook(comparison_to_xlsx(golden_comparison()))


def test_three_periods_with_a_benchmark_in_both_formats():
    """Trend slopes and benchmark gaps reach the workbook and the page."""
    q2, q3 = golden_result("Q2"), golden_result("Q3")
    bench = Benchmark("行业平均", (BenchmarkScore("overall", 76.5, 0.8), BenchmarkScore("quality", 80.1)), "industry.yaml")
    c = compare_results([q2, q3, q2], ["Q1", "Q2", "Q3"], alpha=0.05, benchmark=bench, by="部门")
    wb = workbook(comparison_to_xlsx(c))
    head = [cell.value for cell in wb["Scores"][1]]
    assert "斜率/期" in head and "行业平均" in head
    row = next(r for r in wb["Scores"].iter_rows(min_row=2, values_only=True) if r[0] == "overall")
    assert row[head.index("斜率/期")] == pytest.approx(c.overall.trend.slope)
    assert row[head.index("行业平均")] == pytest.approx(76.5)
    (chart,) = wb["Trend"]._charts
    assert cells(wb, ref(chart.series[0].val)) == pytest.approx(list(c.overall.scores))
    assert_inert_workbook(comparison_to_xlsx(c))
    page = comparison_to_html(c)
    text = Page(page).all_text
    assert "行业平均" in text and "趋势 (分/期)" in text and f"{c.overall.trend.slope:+.2f}" in text
    assert page.count('<svg class="chart trend"') == 1 + sum(1 for n in c.nodes if n.parent is None)
    assert_inert(page)


def test_p_values_read_the_same_in_every_format(wb, result):
    """One formatter, csi.report.tables.fmt_p: three decimals, "<0.001" below that, in the terminal,
    Markdown, HTML and the workbook (whose cells keep the number); JSON keeps full precision."""
    import html
    import json

    from rich.console import Console

    from csi.report.html import to_html
    from csi.report.terminal import render_result

    tests = [g.vs_rest for g in result.segments[0].groups if g.vs_rest]
    assert {t["p_adj"] < 0.001 for t in tests} == {True, False}  # both kinds in the example
    console = Console(width=160, record=True, color_system=None, force_terminal=False, highlight=False)
    render_result(result, console)
    shown = {"terminal": console.export_text(), "markdown": tables.to_markdown(result),
             "html": html.unescape(re.sub(r"<[^>]+>", "", to_html(result)))}
    for t in tests:
        cell = tables.fmt_vs_rest(t)  # "-5.5 (<0.001)", "+0.2 (0.904)"
        assert cell.endswith("(<0.001)") if t["p_adj"] < 0.001 else re.fullmatch(r"[+-]\d+\.\d \(\d\.\d{3}\)", cell)
        for fmt, text in shown.items():
            assert cell in text, fmt
    assert "(0.000)" not in shown["markdown"]
    p_cells = [r[6] for r in wb["Segments"].iter_rows(min_col=1, max_col=7) if isinstance(r[6].value, float)]
    assert p_cells and all(c.number_format == '[<0.001]"<0.001";0.000' for c in p_cells)
    in_json = json.loads(tables.to_json(result))["segments"][0]["groups"]
    assert [g["vs_rest"]["p_adj"] for g in in_json if g.get("vs_rest")] == [t["p_adj"] for t in tests]  # unrounded


def test_the_compare_workbook_shows_small_p_values_as_the_reports_do():
    wb = workbook(comparison_to_xlsx(golden_comparison()))
    formats = {c.number_format for row in wb["Scores"].iter_rows() for c in row if c.number_format.endswith("0.000")}
    assert formats == {'[<0.001]"<0.001";0.000'}
