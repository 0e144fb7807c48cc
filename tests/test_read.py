"""Reading survey exports: formats, encodings, presets, columns, durations and every error.

Stored fixtures are in tests/data/exports (made by make_fixtures.py there); files that
only one test needs are written into ``tmp_path``.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from csi.errors import CsiError, DataError, InputError
from csi.survey import PRESETS, Preset, durations_seconds, find_column, parse_duration, read_survey
from csi.survey.read import question_number, question_stem

EXPORTS = Path(__file__).parent / "data" / "exports"
BAD = EXPORTS / "bad"

WJX_HEADER = [
    "序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
    "1、您所在的部门", "2、客户类型",
    "3、请评价以下方面—账务处理准确性", "3、请评价以下方面—报税及时性", "3、请评价以下方面—沟通顺畅",
    "4、总体而言，您对我们的服务满意吗", "5、您的建议",
]


def flat(error: CsiError) -> list[tuple]:
    return [(i.row, i.column, i.letter, i.code) for i in error.issues]


def values(series: pd.Series) -> list:
    """Cells as plain Python values, None for missing (NaN never equals itself)."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in series.tolist()]


def xlsx(path: Path, rows: list[list], cells: dict[str, object] | None = None) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for ref, value in (cells or {}).items():
        wb.active[ref] = value
    wb.save(path)
    return path


# ---------------------------------------------------------------- formats


def test_wjx_text_export():
    path = EXPORTS / "wjx_text.xlsx"
    t = read_survey(path)
    assert list(t.frame.columns) == WJX_HEADER
    assert (t.preset, t.first_row, t.sheet, t.sheets) == ("wjx", 2, "Sheet1", ("Sheet1",))
    assert (t.id_column, t.submitted_column, t.duration_column) == ("序号", "提交答卷时间", "所用时间")
    assert t.pii_columns == ("来源详情", "来自IP")
    assert t.missing_codes == ("-2", "-3", "(跳过)", "(空)")
    assert t.path == str(path)
    assert t.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert values(t.frame["序号"]) == [1.0, 2.0, 3.0, 4.0]
    assert values(t.frame["3、请评价以下方面—报税及时性"]) == ["满意", "满意", "(跳过)", "非常满意"]
    assert values(t.frame["所用时间"]) == ["95秒", "2分3秒", "41秒", "1分40秒"]
    assert t.letter("来自IP") == "F" and t.letter("5、您的建议") == "M"
    assert t.row_number(0) == 2 and t.row_number(3) == 5


def test_wjx_codes_export_keeps_numbers_and_text_apart():
    t = read_survey(EXPORTS / "wjx_codes.xlsx")
    assert t.preset == "wjx"
    matrix = t.frame["3、请评价以下方面—报税及时性"]
    assert matrix.dtype == np.float64
    assert values(matrix) == [4.0, 4.0, -3.0, 5.0]
    # a free-text question: text answers, and -2 (not answered) as a number
    assert values(t.frame["5、您的建议"]) == ["希望更及时", -2.0, "无", -2.0]


@pytest.mark.parametrize("name", ["plain.csv", "bom.csv"])
def test_utf8_csv_with_and_without_bom(name):
    t = read_survey(EXPORTS / name)
    assert list(t.frame.columns) == ["id", "部门", "q1", "q2", "备注"]  # no BOM in the first header
    assert (t.preset, t.first_row, t.sheet, t.sheets) == ("plain", 2, None, ())
    assert (t.id_column, t.duration_column, t.pii_columns, t.missing_codes) == (None, None, (), ())
    assert values(t.frame["id"]) == ["007", 2.0, 3.0]  # a leading zero keeps a code as text
    assert values(t.frame["q2"]) == [4.0, None, 5.0]
    assert values(t.frame["备注"]) == [None, "很好", "含,逗号"]
    assert t.frame["q1"].dtype == np.float64
    assert t.sha256 == hashlib.sha256((EXPORTS / name).read_bytes()).hexdigest()  # (hashed on its own thread)


def test_gb18030_csv_without_bom_is_detected():
    data = (EXPORTS / "gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    t = read_survey(EXPORTS / "gbk.csv")
    assert list(t.frame.columns) == ["序号", "提交答卷时间", "所用时间", "1、部门", "2、服务态度"]
    assert t.preset == "wjx"
    assert values(t.frame["1、部门"]) == ["财务部", "人事部"]


def test_tsv():
    t = read_survey(EXPORTS / "plain.tsv")
    assert list(t.frame.columns) == ["id", "q1", "q2"]
    assert values(t.frame["q2"]) == ["满意", 3.0]


def test_ods():
    t = read_survey(EXPORTS / "plain.ods")
    assert (t.sheet, t.sheets, t.first_row) == ("Answers", ("Answers",), 2)
    assert values(t.frame["q1"]) == [5.0, 4.0]
    assert values(t.frame["q2"]) == ["满意", 3.0]


def test_sheet_by_name_and_index():
    path = EXPORTS / "two_sheets.xlsx"
    by_name = read_survey(path, sheet="2026Q3")
    by_index = read_survey(path, sheet=1)
    assert by_name.sheets == ("说明", "2026Q3")
    for t in (by_name, by_index):
        assert t.sheet == "2026Q3"
        assert list(t.frame.columns) == ["id", "dept", "q1", "q2"]
        assert values(t.frame["q2"]) == [4.0, "N/A"]


def test_default_sheet_without_data_points_to_the_others():
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "two_sheets.xlsx")
    assert e.value.codes == ["no-data-rows"]
    assert '"2026Q3"' in str(e.value) and "--sheet" in str(e.value)


@pytest.mark.parametrize("sheet", ["2026q3", 2, -1])
def test_wrong_sheet_lists_the_sheets(sheet):
    with pytest.raises(InputError) as e:
        read_survey(EXPORTS / "two_sheets.xlsx", sheet=sheet)
    assert e.value.codes == ["sheet-not-found"]
    assert '0: "说明", 1: "2026Q3"' in str(e.value)


def test_workbook_named_xls_is_read_by_content(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes((EXPORTS / "wjx_text.xlsx").read_bytes())
    assert read_survey(path).preset == "wjx"


# ---------------------------------------------------------------- cells and positions


def test_cell_rules_in_a_workbook(tmp_path):
    path = xlsx(tmp_path / "cells.xlsx", [
        ["n", " 部门 ", None, "when", "flag", "mixed"],
        [1 / 3, "  一组 ", "note", datetime.datetime(2026, 3, 2, 9, 15, 4), True, 5],
        [2, "   ", None, datetime.datetime(2026, 3, 3, 0, 0), False, "非常满意"],
        [None, None, None, None, None, None],
        [3, "二组", None, None, None, "4.5"],
        [None, None, None, None, None, None],
    ])
    t = read_survey(path)
    assert list(t.frame.columns) == ["n", "部门", "Unnamed: C", "when", "flag", "mixed"]
    assert len(t.frame) == 4  # the blank row inside is kept, the one at the end is not
    assert values(t.frame["n"]) == [1 / 3, 2.0, None, 3.0]  # exact: a numeric column is not rounded
    assert values(t.frame["部门"]) == ["一组", None, None, "二组"]
    assert values(t.frame["when"]) == ["2026-03-02 09:15:04", "2026-03-03 00:00:00", None, None]
    assert values(t.frame["flag"]) == ["true", "false", None, None]
    assert values(t.frame["mixed"]) == [5.0, "非常满意", None, 4.5]
    assert t.letter("Unnamed: C") == "C"


def test_numbers_beside_text_are_exact(tmp_path):
    # as text fastexcel rounds to 9 decimals ("0.333333333"); such columns are read again as floats
    path = xlsx(tmp_path / "exact.xlsx", [["w", "q"], [1 / 3, 5], ["(跳过)", "满意"], [0.123456789012, 4]])
    t = read_survey(path)
    assert values(t.frame["w"]) == [1 / 3, "(跳过)", 0.123456789012]
    assert values(t.frame["q"]) == [5.0, "满意", 4.0]


def test_text_that_looks_null_is_kept(tmp_path):
    # fastexcel's type guess would make these missing in a column that is otherwise numeric
    words = ["N/A", "NA", "n/a", "null", "NULL", "None", "nan", "NaN"]
    t = read_survey(xlsx(tmp_path / "na.xlsx", [["q"], [5], *([w] for w in words), [4]]))
    assert values(t.frame["q"]) == [5.0, *words, 4.0]


def test_columns_without_header_or_data_are_dropped_and_letters_kept(tmp_path):
    path = xlsx(tmp_path / "gaps.xlsx", [["a", None, "b", None], [1, None, 2, None]], {"E5": None})
    t = read_survey(path)
    assert list(t.frame.columns) == ["a", "b"]
    assert (t.letter("a"), t.letter("b")) == ("A", "C")


def test_text_below_the_first_thousand_rows_is_not_dropped(tmp_path):
    # fastexcel types a column from a sample of 1000 rows by default; text below it was lost
    path = xlsx(tmp_path / "late.xlsx", [["q"], *([i % 5 + 1] for i in range(1500)), ["(跳过)"]])
    t = read_survey(path)
    assert len(t.frame) == 1501
    assert t.frame["q"].iloc[-1] == "(跳过)"
    assert t.frame["q"].iloc[0] == 1.0


def test_header_not_in_row_one(tmp_path):
    path = xlsx(tmp_path / "offset.xlsx", [], {"B3": "id", "C3": "q1", "B4": 1, "C4": 5, "B5": 2, "C5": "x"})
    t = read_survey(path)
    assert t.first_row == 4
    assert (t.letter("id"), t.letter("q1")) == ("B", "C")
    assert t.row_number(1) == 5


def test_repeated_header_in_a_workbook(tmp_path):
    path = xlsx(tmp_path / "dup.xlsx", [["id", "q", "x", "q", " q "], [1, 2, 3, 4, 5]])
    with pytest.raises(DataError) as e:
        read_survey(path)
    assert flat(e.value) == [(1, "q", "D", "duplicate-header"), (1, "q", "E", "duplicate-header")]
    assert "columns B and D" in e.value.issues[0].message


def test_a_real_header_that_looks_renamed_is_kept(tmp_path):
    # fastexcel renames a repeated "q" to "q_1"; a header that really is "q_1" must survive
    t = read_survey(xlsx(tmp_path / "q1.xlsx", [["q", "q_1"], [1, 2]]))
    assert list(t.frame.columns) == ["q", "q_1"]


def test_ragged_csv_reads_as_excel_shows_it(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n\n4,5\n6,7,8,\n\n")
    t = read_survey(path)
    assert list(t.frame.columns) == ["a", "b", "c"]
    assert values(t.frame["a"]) == [1.0, None, 4.0, 6.0]  # blank line 3 stays row 3
    assert values(t.frame["c"]) == [3.0, None, None, 8.0]


def test_a_row_with_cells_beyond_the_header_is_refused_with_its_row(tmp_path):
    # an unquoted comma inside a cell moves every answer after it: never dropped without a word
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n\n4,5\n6,7,8,9\n1,2,3\n\n")
    with pytest.raises(InputError) as e:
        read_survey(path)
    assert e.value.codes == ["extra-cells"] and e.value.issues[0].row == 5
    assert "has 4 cells but the header row has 3" in str(e.value) and "quote that cell" in str(e.value)


def test_csv_blank_lines_keep_row_numbers(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("a,b\n1,2\n\n3,4\n")
    t = read_survey(path)
    assert values(t.frame["a"]) == [1.0, None, 3.0]
    assert t.row_number(2) == 4


def test_semicolon_csv_and_quoted_newlines(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text('a;b\n1;"two\nlines"\n2;"2,5"\n')
    t = read_survey(path)
    assert values(t.frame["b"]) == ["two\nlines", "2,5"]


def test_utf16_text_from_excel(tmp_path):
    path = tmp_path / "unicode.tsv"
    path.write_bytes("编号\t满意度\n1\t满意\n".encode("utf-16"))
    t = read_survey(path)
    assert list(t.frame.columns) == ["编号", "满意度"]
    assert values(t.frame["满意度"]) == ["满意"]


def test_western_excel_csv_in_windows_1252(tmp_path):
    """Excel on a French or German Windows saves "CSV (séparateur: point-virgule)" in
    Windows-1252: read as pandas reads it with that encoding, not as GBK."""
    text = "id;Satisfaction globale;Qualité;Größe\n1;Très satisfait;Plutôt satisfait;Füße\n2;Satisfait;Très insatisfait;“groß”\n"
    path = tmp_path / "fr.csv"
    path.write_bytes(text.encode("cp1252"))
    expected = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str)
    t = read_survey(path)
    assert list(t.frame.columns) == list(expected.columns)
    for column in ["Satisfaction globale", "Qualité", "Größe"]:
        assert values(t.frame[column]) == expected[column].tolist()


@pytest.mark.parametrize("text", [
    "序号,部门,总体满意度\n1,财务部,非常满意\n2,审计部,满意\n",
    "id,备注\n1,丂乚亐\n2,好\n",  # GBK characters whose second byte is ASCII (0x40…0x7E)
])
def test_gbk_text_stays_gbk(tmp_path, text):
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    expected = pd.read_csv(path, encoding="gbk", dtype=str)
    t = read_survey(path)
    assert list(t.frame.columns) == list(expected.columns)
    assert values(t.frame[expected.columns[-1]]) == expected[expected.columns[-1]].tolist()


@pytest.mark.parametrize(("text", "expected"), [
    ("5", 5.0), ("-2", -2.0), ("4.5", 4.5), ("0", 0.0), ("+3", 3.0),
    ("007", "007"), ("1,234", "1,234"), ("85%", "85%"), ("1e3", "1e3"), (".5", ".5"),
])
def test_numeric_text_becomes_a_number_only_when_plain(tmp_path, text, expected):
    path = tmp_path / "n.csv"
    path.write_text(f'q,r\n"{text}",x\n')
    assert values(read_survey(path).frame["q"]) == [expected]


# ---------------------------------------------------------------- presets


def test_forced_preset():
    assert read_survey(EXPORTS / "wjx_text.xlsx", preset="wjx").preset == "wjx"
    plain = read_survey(EXPORTS / "wjx_text.xlsx", preset="plain")
    assert (plain.preset, plain.id_column, plain.pii_columns, plain.missing_codes) == ("plain", None, (), ())


def test_preset_mismatch():
    with pytest.raises(DataError) as e:
        read_survey(EXPORTS / "plain.csv", preset="wjx")
    assert flat(e.value) == [(1, None, None, "preset-mismatch")]
    assert "序号, 提交答卷时间, 所用时间" in str(e.value) and "id, 部门" in str(e.value)


def test_unknown_preset():
    with pytest.raises(InputError) as e:
        read_survey(EXPORTS / "plain.csv", preset="surveymonkee")
    assert e.value.codes == ["unknown-preset"]
    assert "did you mean surveymonkey?" in str(e.value)
    assert "valid presets: wjx, tencent, qualtrics, surveymonkey, plain" in str(e.value)


def test_multi_row_header_preset(tmp_path, monkeypatch):
    """A preset of three header rows whose names are the first: the data start on row 4."""
    monkeypatch.setitem(PRESETS, "threerows", Preset(
        name="threerows", title="test", signature=("Start", "Respondent"), header_rows=3,
        id_column="Respondent"))
    rows = [["Start", "Respondent", "Q1"], ["Start Date", "Respondent", "How satisfied?"],
            ["date", "text", "1-5"], ["2026-03-02", "R_1", 5], ["2026-03-03", "R_2", 4]]
    for path in (xlsx(tmp_path / "q.xlsx", rows), tmp_path / "q.csv"):
        if path.suffix == ".csv":
            path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n")
        t = read_survey(path)
        assert (t.preset, t.first_row, t.id_column) == ("threerows", 4, "Respondent")
        assert list(t.frame.columns) == ["Start", "Respondent", "Q1"]
        assert values(t.frame["Q1"]) == [5.0, 4.0]
        assert t.frame["Q1"].dtype == np.float64


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(("name", "kind", "code"), [
    ("truncated.xlsx", InputError, "corrupt-file"),
    ("html.xls", InputError, "html-not-spreadsheet"),
    ("encrypted.xlsx", InputError, "encrypted-file"),
    ("empty.csv", InputError, "empty-file"),
    ("header_only.csv", DataError, "no-data-rows"),
])
def test_broken_files(name, kind, code):
    with pytest.raises(kind) as e:
        read_survey(BAD / name)
    assert e.value.codes == [code]
    assert e.value.issues[0].file == str(BAD / name)


def test_header_only_names_the_first_data_row():
    with pytest.raises(DataError) as e:
        read_survey(BAD / "header_only.csv")
    assert flat(e.value) == [(2, None, None, "no-data-rows")]


def test_duplicate_headers_in_csv():
    with pytest.raises(DataError) as e:
        read_survey(BAD / "duplicate_headers.csv")
    assert flat(e.value) == [(1, "满意度", "D", "duplicate-header")]


def test_missing_file_suggests_a_close_name(tmp_path):
    (tmp_path / "survey_2026Q3.xlsx").write_bytes(b"")
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / "survey_2026Q2.xlsx")
    assert e.value.codes == ["file-not-found"]
    assert "survey_2026Q3.xlsx" in str(e.value)


def test_directory(tmp_path):
    with pytest.raises(InputError) as e:
        read_survey(tmp_path)
    assert e.value.codes == ["not-a-file"]


@pytest.mark.parametrize("name", ["survey.pdf", "survey", "survey.parquet.bak"])
def test_unsupported_suffix(tmp_path, name):
    (tmp_path / name).write_text("x")
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / name)
    assert e.value.codes == ["unsupported-format"]
    assert ".xlsx .xlsm .xls .ods .csv .tsv" in str(e.value)


@pytest.mark.parametrize(("name", "content", "code"), [
    ("text.xlsx", b"id,q1\n1,5\n", "wrong-format"),
    ("junk.xlsx", b"\x01\x02\x03 not a workbook", "corrupt-file"),
    ("zip.xlsx", None, "corrupt-file"),
    ("book.csv", None, "wrong-format"),
    ("xml.xls", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
     "unsupported-format"),
    ("latin.csv", b"a,b\n\xff\xfe\x80,2\n", "bad-encoding"),
    ("blank.csv", b"\r\n  \n", "empty-file"),
])
def test_files_that_are_not_what_their_name_says(tmp_path, name, content, code):
    path = tmp_path / name
    if name == "zip.xlsx":
        import zipfile
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a workbook")
    elif name == "book.csv":
        path.write_bytes((EXPORTS / "wjx_text.xlsx").read_bytes())
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_survey(path)
    assert e.value.codes == [code]


def test_empty_sheet(tmp_path):
    wb = Workbook()
    wb.create_sheet("data").append(["id"])
    wb.save(tmp_path / "e.xlsx")
    with pytest.raises(InputError) as e:
        read_survey(tmp_path / "e.xlsx")
    assert e.value.codes == ["empty-file"]
    assert e.value.issues[0].sheet == "Sheet"
    assert '"data"' in str(e.value)


def test_sheet_option_on_csv():
    with pytest.raises(InputError) as e:
        read_survey(EXPORTS / "plain.csv", sheet="Sheet1")
    assert e.value.codes == ["no-sheets"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                      st.text(alphabet=st.sampled_from(list('ab,;\t\n" 5-.满意(跳过)\r')), max_size=200)
                      .map(lambda s: s.encode("utf-8"))),
       suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".xls", ".ods"]))
def test_any_bytes_give_a_table_or_a_csi_error(tmp_path, data, suffix):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    try:
        t = read_survey(path)
    except CsiError:
        return
    assert len(t.frame) > 0
    assert t.frame.columns.is_unique
    assert all(isinstance(c, str) and c == c.strip() and c for c in t.frame.columns)


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(("cell", "seconds"), [
    ("123秒", 123.0), ("2分3秒", 123.0), ("1分40秒", 100.0), ("1小时2分3秒", 3723.0), ("2分钟", 120.0),
    ("95", 95.0), (95, 95.0), (95.5, 95.5), ("1h 2m 3s", 3723.0), ("0:02:03", 123.0), ("2:03", 123.0),
    ("1899-12-31 00:02:03", 123.0), ("", math.nan), ("abc", math.nan), (None, math.nan), (-5, math.nan),
    ("秒", math.nan),
])
def test_parse_duration(cell, seconds):
    got = parse_duration(cell)
    assert (math.isnan(got) and math.isnan(seconds)) or got == pytest.approx(seconds)


def test_durations_of_a_wjx_export():
    seconds = durations_seconds(read_survey(EXPORTS / "wjx_text.xlsx"))
    np.testing.assert_array_equal(seconds, [95.0, 123.0, 41.0, 100.0])


def test_durations_mixed_column_and_no_duration_column(tmp_path):
    assert durations_seconds(read_survey(EXPORTS / "plain.csv")) is None
    path = tmp_path / "wjx.csv"
    path.write_text("序号,提交答卷时间,所用时间,1、q\n1,x,120,5\n2,x,2分,4\n3,x,,3\n4,x,很久,2\n")
    seconds = durations_seconds(read_survey(path))
    np.testing.assert_array_equal(seconds, [120.0, 120.0, np.nan, np.nan])


# ---------------------------------------------------------------- find_column


@pytest.fixture(scope="module")
def wjx() -> object:
    return read_survey(EXPORTS / "wjx_text.xlsx")


@pytest.mark.parametrize(("spec", "header"), [
    ({"column": "序号"}, "序号"),
    ({"column": "1、您所在的部门"}, "1、您所在的部门"),
    ({"column": "Q1"}, "1、您所在的部门"),
    ({"column": "q4"}, "4、总体而言，您对我们的服务满意吗"),
    ({"column": "您所在的部门"}, "1、您所在的部门"),
    ({"column": "请评价以下方面—报税及时性"}, "3、请评价以下方面—报税及时性"),
    ({"match": "—报税及时性$"}, "3、请评价以下方面—报税及时性"),
    ({"match": "^5、"}, "5、您的建议"),
])
def test_find_column(wjx, spec, header):
    assert find_column(wjx, **spec) == header


def test_stem_of_a_short_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("1.满意度,2、部门\n5,一组\n")
    assert find_column(read_survey(path), column="部门") == "2、部门"
    assert find_column(read_survey(path), column="Q1") == "1.满意度"


def test_matrix_question_by_number_is_ambiguous(wjx):
    with pytest.raises(DataError) as e:
        find_column(wjx, column="Q3", what="quality.children[0] (accuracy)")
    (issue,) = e.value.issues
    assert (issue.code, issue.file, issue.sheet, issue.value) == ("ambiguous-column", wjx.path, "Sheet1", "Q3")
    for text in ("quality.children[0] (accuracy)", "matrix", "match:", '"3、请评价以下方面—报税及时性" (J)'):
        assert text in issue.message


def test_ambiguous_match_lists_the_matches(wjx):
    with pytest.raises(DataError) as e:
        find_column(wjx, match="—")
    assert e.value.codes == ["ambiguous-column"]
    assert e.value.issues[0].message.count("3、请评价以下方面—") == 3


def test_missing_column_lists_the_closest(wjx):
    with pytest.raises(DataError) as e:
        find_column(wjx, column="部门", what="segments[0]")
    assert e.value.codes == ["missing-column"]
    assert '"1、您所在的部门" (G)' in str(e.value) and "segments[0]" in str(e.value)


def test_missing_question_number(wjx):
    with pytest.raises(DataError) as e:
        find_column(wjx, column="Q9")
    assert e.value.codes == ["missing-column"]
    assert "numbered 1–5" in str(e.value)


def test_match_nothing_and_bad_regex(wjx):
    with pytest.raises(DataError) as e:
        find_column(wjx, match="准确率$")
    assert e.value.codes == ["missing-column"]
    with pytest.raises(DataError) as e:
        find_column(wjx, match="(unclosed")
    assert e.value.codes == ["bad-regex"]


def test_find_column_needs_one_spec(wjx):
    with pytest.raises(ValueError):
        find_column(wjx)
    with pytest.raises(ValueError):
        find_column(wjx, column="Q1", match="x")


@pytest.mark.parametrize(("header", "number", "stem"), [
    ("5、请评价—账务处理准确性", 5, "请评价—账务处理准确性"),
    ("12.您的性别", 12, "您的性别"),
    ("Q3. Overall satisfaction", 3, "Overall satisfaction"),
    ("7．服务态度", 7, "服务态度"),
    ("1.5倍以上", None, "1.5倍以上"),
    ("序号", None, "序号"),
    ("2024年满意度", None, "2024年满意度"),
])
def test_question_number_and_stem(header, number, stem):
    assert question_number(header) == number
    assert question_stem(header) == stem


# ---------------------------------------------------------------- the sheet scan


def test_the_sheet_scan_leaves_the_switch_interval_alone(tmp_path):
    before = sys.getswitchinterval()
    path = xlsx(tmp_path / "s.xlsx", [["a", "b"], *[[i, "x"] for i in range(50)]])
    assert read_survey(path).frame.shape == (50, 2)
    assert sys.getswitchinterval() == before


# ---------------------------------------------------------------- import cost


def test_importing_the_package_does_not_import_pandas():
    code = ("import sys, csi.survey; "
            "heavy = [m for m in ('pandas', 'numpy', 'pyarrow', 'fastexcel') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)
