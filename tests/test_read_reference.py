"""read_survey against a plain reading of the same files: pandas for text, openpyxl for workbooks.

The reference applies the cell rules of :mod:`csi.survey.read` in the most direct way there
is — every CSV cell as text (``pd.read_csv(dtype=str)``), every workbook cell as openpyxl's
value; text stripped, a blank missing, a plain decimal (``5``, ``-2``, ``4.5``; not ``007``
nor ``1e-05``) a float — and the table must hold the same cells, cell by cell, whatever
dtypes the reader chose for its columns (float64, categorical, str, object).
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from csi.errors import DataError, InputError, column_letter
from csi.survey import cells as reader
from csi.survey import read_survey
from csi.survey.read import Table

EXPORTS = Path(__file__).parent / "data" / "exports"

PLAIN_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


# ---------------------------------------------------------------- the reference


def reference_cell(value: object) -> float | str | None:
    """One cell under the rules, written out directly."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    return float(text) if PLAIN_NUMBER.fullmatch(text) else text


def columns_of(rows: list[list]) -> dict[str, list]:
    """Header row and data rows as columns: a column without a header is named after its
    letter if it holds data and left out if not; blank rows at the end are dropped."""
    width = max(len(row) for row in rows)
    columns = {}
    for i in range(width):
        header = "" if i >= len(rows[0]) or rows[0][i] is None else str(rows[0][i]).strip()
        cells = [reference_cell(row[i] if i < len(row) else None) for row in rows[1:]]
        if not header:
            if all(c is None for c in cells):
                continue
            header = f"Unnamed: {column_letter(i)}"
        columns[header] = cells
    height = max((i + 1 for cells in columns.values() for i, v in enumerate(cells) if v is not None), default=0)
    return {h: cells[:height] for h, cells in columns.items()}


def reference_text(path: Path, encoding: str, sep: str = ",") -> dict[str, list]:
    frame = pd.read_csv(path, header=None, dtype=str, encoding=encoding, sep=sep, keep_default_na=False,
                        na_filter=False, skip_blank_lines=False)
    return columns_of(frame.to_numpy().tolist())


def reference_workbook(path: Path) -> dict[str, list]:
    return columns_of([list(row) for row in load_workbook(path, data_only=True).worksheets[0].iter_rows(values_only=True)])


def cells_of(table: Table) -> dict[str, list]:
    """The table's cells as Python values: float, str, or None where missing."""
    out = {}
    for header in table.frame.columns:
        column = []
        for v in table.frame[header].tolist():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                column.append(None)
            elif isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
                column.append(float(v))
            else:
                assert isinstance(v, str), (header, v)
                column.append(v)
        out[header] = column
    return out


def assert_same_cells(table: Table, reference: dict[str, list]) -> None:
    got = cells_of(table)
    assert list(got) == list(reference)
    for header, expected in reference.items():
        assert len(got[header]) == len(expected), header
        for i, (a, b) in enumerate(zip(got[header], expected, strict=True)):
            assert type(a) is type(b) and a == b, f"{header}, row {table.row_number(i)}: read {a!r}, reference {b!r}"


# ---------------------------------------------------------------- files to read


def wjx_rows(n: int, seed: int = 7) -> list[list]:
    """A 问卷星 按文本 export: ids, times, durations, labels, numbers, blanks, long texts."""
    rng = np.random.default_rng(seed)
    labels = ["非常满意", "满意", "一般", "不满意", "非常不满意", "(跳过)"]
    comments = ["", "无", "服务很好", "希望更及时 ", " 收费有点高"]
    rows = []
    for i in range(n):
        rows.append([
            i + 1,
            f"2026/9/{1 + i // 2000} {8 + i // 400 % 10}:{i // 7 % 60:02d}:{i % 60:02d}",
            f"{int(rng.integers(40, 900))}秒",
            rng.choice(["手机提交", "微信", "链接"]),
            labels[int(rng.integers(0, 6))] if rng.random() > 0.03 else None,
            labels[int(rng.integers(0, 6))] if rng.random() > 0.03 else "  ",
            int(rng.integers(1, 11)) if rng.random() > 0.05 else "(跳过)",
            [2.5, 5, 10, 0.5, None][int(rng.integers(0, 5))],
            f"客户{int(rng.integers(0, n * 4))}",
            comments[int(rng.integers(0, 5))] or None,
        ])
    return rows


WJX_HEADER = ["序号", "提交答卷时间", "所用时间", "来源", "1、请评价—准确性", "1、请评价—及时性",
              "2、总体满意度(1-10分)", "3、等待多少分钟", "4、联系人", "5、您的建议"]


def write_xlsx(path: Path, header: list, rows: list[list], write_only: bool = False) -> Path:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Sheet1") if write_only else book.active
    if not write_only:
        sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_text(path: Path, header: list, rows: list[list], encoding: str, delimiter: str = ",") -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("name", ["wjx_text.xlsx", "wjx_codes.xlsx", "two_sheets.xlsx"])
def test_stored_workbooks(name, tmp_path):
    path = EXPORTS / name
    if name == "two_sheets.xlsx":  # its second sheet holds the answers: save that one alone
        book = load_workbook(path)
        book.remove(book.worksheets[0])
        book.save(path := tmp_path / name)
    assert_same_cells(read_survey(path), reference_workbook(path))


@pytest.mark.parametrize("write_only", [False, True], ids=["with-dimension", "without-dimension"])
def test_wjx_workbook(tmp_path, write_only):
    """6 000 rows: more than the reader samples, so labels read as categories and ids row by row.

    openpyxl's write-only mode leaves out ``<dimension>``, so that the sheet's extent is scanned.
    """
    path = write_xlsx(tmp_path / "wjx.xlsx", WJX_HEADER, wjx_rows(6000), write_only)
    t = read_survey(path)
    assert t.preset == "wjx"
    assert_same_cells(t, reference_workbook(path))


def test_workbook_numbers_beyond_nine_decimals_are_exact(tmp_path):
    rows = [[i, 1 / (i + 3), 2.5 if i % 2 else "N/A", 0.1 + 0.2] for i in range(50)]
    path = write_xlsx(tmp_path / "exact.xlsx", ["id", "third", "half", "sum"], rows)
    stages: list[str] = []
    t = read_survey(path, progress=stages.append)
    assert "reading the numbers of sheet Sheet1" in stages
    assert_same_cells(t, reference_workbook(path))


@pytest.mark.parametrize(("name", "encoding", "sep"), [
    ("plain.csv", "utf-8", ","),
    ("bom.csv", "utf-8-sig", ","),
    ("gbk.csv", "gb18030", ","),
    ("tencent_gbk.csv", "gb18030", ","),
    ("tencent.csv", "utf-8", ","),
    ("plain.tsv", "utf-8", "\t"),
])
def test_stored_text_files(name, encoding, sep):
    path = EXPORTS / name
    assert_same_cells(read_survey(path), reference_text(path, encoding, sep))


@pytest.mark.parametrize(("encoding", "suffix"), [
    ("utf-8", ".csv"), ("utf-8-sig", ".csv"), ("gb18030", ".csv"), ("utf-8", ".tsv"),
])
def test_wjx_text_file(tmp_path, encoding, suffix):
    """UTF-8 streams through the fast path; GB18030 is read whole and transcoded."""
    sep = "\t" if suffix == ".tsv" else ","
    path = write_text(tmp_path / f"wjx{suffix}", WJX_HEADER, wjx_rows(6000), encoding, sep)
    t = read_survey(path)
    assert t.preset == "wjx"
    assert_same_cells(t, reference_text(path, encoding, sep))


def test_csv_with_a_stray_quote(tmp_path):
    """An odd number of quote characters sends the file down the careful path; a quote
    inside an unquoted cell is taken as it is, as Excel does."""
    path = tmp_path / "quote.csv"
    path.write_text('id,q1,备注\n1,5,"含,逗号"\n2,4,5"寸\n3,,\n', encoding="utf-8")
    assert_same_cells(read_survey(path), reference_text(path, "utf-8"))


def test_column_types(tmp_path):
    """What the frame's columns are: labels categorical, numbers float64, both categorical
    when they repeat (else object), distinct texts str."""
    path = write_text(tmp_path / "wjx.csv", WJX_HEADER, wjx_rows(6000), "utf-8")
    frame = read_survey(path).frame
    kinds = {h: str(frame[h].dtype) for h in frame.columns}
    assert kinds == {
        "序号": "float64", "提交答卷时间": "str", "所用时间": "category", "来源": "category",
        "1、请评价—准确性": "category", "1、请评价—及时性": "category", "2、总体满意度(1-10分)": "category",
        "3、等待多少分钟": "float64", "4、联系人": "str", "5、您的建议": "category",
    }
    answers = frame["1、请评价—准确性"]
    assert list(answers.cat.categories) == sorted(answers.dropna().unique())


def test_blank_text_in_a_workbook_is_missing(tmp_path):
    """Cells and headers of spaces only: a header of spaces is no header, a column of spaces
    holds nothing, a row of spaces at the end is no respondent."""
    path = write_xlsx(tmp_path / "blank.xlsx", ["q1", "   ", "q3", " \t "],
                      [[5, " ", "  a ", " "], [" ", "\u3000", None, " "], [4, " ", "b", " "], [" ", " ", "  ", " "]])
    table = read_survey(path)
    assert list(table.frame.columns) == ["q1", "q3"] and len(table.frame) == 3
    assert_same_cells(table, reference_workbook(path))


def test_numbers_and_text_that_repeat_are_categorical(tmp_path):
    path = tmp_path / "mixed.csv"
    cells = ["5", "10", "(跳过)", " 5", "10", "(跳过)", "7.5", "5", "", "不记得"] * 2
    zeros = ["0", "-0", "0", "x", "0", "0", "x", "0", "0", "0"] * 2
    spread = [*map(str, range(19)), "n/a"]
    path.write_text("q,zero,spread\n" + "".join(f"{c},{z},{x}\n" for c, z, x in zip(cells, zeros, spread, strict=True)),
                    encoding="utf-8")
    frame = read_survey(path).frame
    q = frame["q"]
    assert str(q.dtype) == "category" and q.cat.categories.tolist() == [5.0, 7.5, 10.0, "(跳过)", "不记得"]
    assert cells_of_column(q) == [reference_cell(c) for c in cells]
    zero = frame["zero"]  # 0 and -0 are two cells, but would be one category
    assert zero.dtype == object and [math.copysign(1, v) for v in zero if isinstance(v, float)] == [1, -1, *[1] * 6] * 2
    assert frame["spread"].dtype == object  # twenty cells, twenty texts: not repeating


def test_progress_names_the_stages(tmp_path):
    csv_stages: list[str] = []
    read_survey(EXPORTS / "plain.csv", progress=csv_stages.append)
    assert csv_stages == ["reading plain.csv", "checking cells"]
    xlsx_stages: list[str] = []
    read_survey(EXPORTS / "wjx_text.xlsx", progress=xlsx_stages.append)
    assert xlsx_stages == ["checking sheet Sheet1", "reading sheet Sheet1", "checking cells"]


# ---------------------------------------------------------------- random tables

ALPHABET = list("abc xyz满意一般不适用(跳过)，,;\"'\n-.05")
FLOATS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).filter(
    # a number within 5e-10 of a whole one reads as that whole number (read.py's docstring)
    lambda x: x == int(x) or abs(x - round(x)) > 1e-9)
CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=8),
    st.sampled_from(["5", " 4 ", "007", "4.50", "-2", "1e-05", "非常满意", "满意", " ", "N/A"]),
    st.integers(min_value=-10**9, max_value=10**9),
    FLOATS,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list]]:
    width = draw(st.integers(1, 5))
    height = draw(st.integers(1, 8))
    # Chinese headers, as an export has: a few GB18030 bytes alone can be valid UTF-8 ("一"
    # is D2 BB, which UTF-8 reads as "һ"), and the reader takes UTF-8 for what it can be
    header = [f"题{i}" for i in range(width)]
    rows = [[draw(CELLS) for _ in range(width)] for _ in range(height)]
    return header, rows


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), kind=st.sampled_from(["utf-8 csv", "utf-8-sig csv", "gb18030 csv", "utf-8 tsv", "xlsx"]))
def test_random_tables(tmp_path, table, kind):
    header, rows = table
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "t.xlsx", header, rows)
        reference = reference_workbook(path)
    else:
        encoding, suffix = kind.split()
        sep = "\t" if suffix == "tsv" else ","
        path = write_text(tmp_path / f"t.{suffix}", header, rows, encoding, sep)
        reference = reference_text(path, encoding, sep)
    if not any(reference.values()):  # nothing but blanks
        with pytest.raises(DataError):
            read_survey(path)
        return
    assert_same_cells(read_survey(path), reference)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "5", "007", " 2.5", "满意", " 满意", "abc"]),
                                st.text(alphabet=st.sampled_from(ALPHABET), max_size=6)), max_size=60))
def test_by_value_and_by_row_agree(cells):
    """The two ways of applying the rules to a column (per distinct text, per row) give the same cells."""
    column = pa.array(cells, pa.string())
    exact = pa.array([float(c) if c is not None and PLAIN_NUMBER.fullmatch(c.strip()) else None for c in cells],
                     pa.float64())
    for numbers in (None, exact):
        by_value, given_value = reader._cells_by_value(column, numbers)
        by_row, given_row = reader._cells_by_row(column, numbers)
        assert given_value.tolist() == given_row.tolist()
        a = cells_of_column(by_value)
        b = cells_of_column(by_row)
        assert a == b
        assert a == [reference_cell(c) for c in cells]


@pytest.mark.parametrize("cells", [
    ["1", "23", "", "0", None, "13800138000", "12345678901234567890"],  # whole numbers: the quick check
    ["1", " 2", "3"], ["007", "1"], ["+1", "2"], ["1.5", "2"], ["٣", "1"], ["0", "00"], ["", " "], ["1", "一"],
])
def test_whole_numbers_read_as_the_rules_say(cells):
    column = pa.array(cells, pa.string())
    values, given = reader._cells_by_row(column, None)
    assert cells_of_column(values) == [reference_cell(c) for c in cells]
    assert given.tolist() == [reference_cell(c) is not None for c in cells]
    assert (reader._whole_numbers(column) is not None) == (cells[0] == "1" and cells[1] == "23")


def cells_of_column(values: object) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) if isinstance(v, (int, float))
            else v for v in pd.Series(values).tolist()]


# ---------------------------------------------------------------- problems past the first 64 KB


def long_csv(tmp_path: Path, last: bytes, rows: int = 5000) -> Path:
    """A UTF-8 CSV whose first ``rows`` rows are fine (well past the 64 KB the reader looks at
    first), then ``last``."""
    body = "id,部门,q1,备注\n" + "".join(f"{i},一部,{i % 5 + 1},很好\n" for i in range(1, rows + 1))
    path = tmp_path / "long.csv"
    path.write_bytes(body.encode("utf-8") + last)
    return path


@pytest.mark.parametrize(("last", "code"), [
    ("5001,财务部,5,好\n".encode("gb18030"), "mixed-encoding"),
    (b"5001,\xff\xfe,5,ok\n", "mixed-encoding"),
    (b"5001,x\x00y,5,ok\n", "nul-bytes"),
    (b"\x00" * 4096, "nul-bytes"),
    (b'5001,"x,5,ok\n5002,y,4,ok\n', "unclosed-quote"),
])
def test_streamed_file_keeps_every_check(tmp_path, last, code):
    """The same errors, on the same line, as for a small file (the corpus in tests/data/bad)."""
    with pytest.raises(InputError) as e:
        read_survey(long_csv(tmp_path, last))
    assert [(i.code, i.line) for i in e.value.issues] == [(code, 5002)]


def test_streamed_file_in_no_encoding(tmp_path):
    path = tmp_path / "ascii.csv"
    path.write_bytes(b"id,q1\n" + b"".join(b"%d,5\n" % i for i in range(1, 8001)) + b"8001,\xff\xff\n")
    with pytest.raises(InputError) as e:
        read_survey(path)
    assert e.value.codes == ["bad-encoding"] and "line 8002" in str(e.value)


def test_streamed_file_with_ragged_rows_and_a_stray_quote(tmp_path):
    path = long_csv(tmp_path, b'5001,x"y,5\n5002,z,4,ok,\n')
    t = read_survey(path)
    assert cells_of(t)["备注"][-2:] == [None, "ok"] and t.frame.columns[-1] == "备注"
    assert cells_of(t)["部门"][-2:] == ['x"y', "z"]
    path = long_csv(tmp_path, b'5001,x"y,5\n5002,z,4,ok,extra\n')  # a filled cell beyond the header
    with pytest.raises(InputError) as e:
        read_survey(path)
    assert e.value.codes == ["extra-cells"] and e.value.issues[0].row == 5003


def test_quoted_line_breaks_across_parse_blocks(tmp_path, monkeypatch):
    """Comments with line breaks in a file of many parse blocks (64 KB here, 4 MB in use): the
    first, parallel parse stops where a block would cut a quoted cell, and the second one reads
    every cell as pandas does."""
    from csi.survey import text

    monkeypatch.setattr(text, "_CSV_BLOCK", 1 << 16)
    attempts = []
    table_of = text._arrow_table

    def counted(source, dialect, newlines_in_values):
        attempts.append(newlines_in_values)
        return table_of(source, dialect, newlines_in_values)

    monkeypatch.setattr(text, "_arrow_table", counted)
    rows = [["id", "部门", "q1", "意见"]]
    for i in range(1, 30_001):
        comment = f"第{i}条意见\n希望改进，\r\n谢谢" if i % 7 == 0 else ("" if i % 5 else "很好")
        rows.append([str(i), "财务部" if i % 3 else "审计部", str(i % 5 + 1), comment])
    path = write_text(tmp_path / "comments.csv", rows[0], rows[1:], "utf-8")
    table = read_survey(path)
    assert attempts == [False, True]
    assert_same_cells(table, reference_text(path, "utf-8"))
    assert table.frame["意见"].iloc[6] == "第7条意见\n希望改进，\r\n谢谢"


def test_a_file_rewritten_while_it_is_read_is_refused(tmp_path, monkeypatch):
    from csi.survey import text

    path = long_csv(tmp_path, b"")
    parse = text._arrow_csv

    def rewrite_then_parse(open_source, dialect):
        path.write_bytes(path.read_bytes() + "5001,一部,3,ok\n".encode())
        return parse(open_source, dialect)

    monkeypatch.setattr(text, "_arrow_csv", rewrite_then_parse)
    with pytest.raises(InputError) as e:
        read_survey(path)
    assert e.value.codes == ["file-changed"] and "long.csv" in str(e.value)
