"""Read a survey export (xlsx, xlsm, xls, ods, csv, tsv) into a :class:`Table`.

Every cell is first read as text — workbooks with fastexcel (calamine, in Rust), CSV and
TSV with pyarrow's CSV reader — and then the same cell rules apply, so a file gives the
same table whatever it was saved as:

- Text is stripped of surrounding whitespace; an empty or blank cell is missing (NaN).
- A number is a number (float64), and so is text that is a plain decimal number (``5``,
  ``-2``, ``4.5``; no leading zeros, thousands separators, exponents or ``%``): ``"5"`` in
  a CSV and ``5`` in a workbook read alike, while a code such as ``"007"`` stays text.
- A column holding only numbers is float64; only text, pandas ``str``; both, ``object``
  holding floats and strs.
- A date or time cell reads as text ``"YYYY-MM-DD HH:MM:SS"`` (a time-only cell as
  ``"1899-12-31 HH:MM:SS"``, as Excel stores it), true/false as ``"true"``/``"false"``,
  an error cell (``#N/A``) as missing.

Why text first (measured on fastexcel 0.21): its per-column type guess, besides dropping
text below the rows it samples, makes ``"N/A"``, ``"NA"``, ``"null"``, ``"None"``,
``"nan"`` missing in a column that is otherwise numeric, so an answer the model does not
know would pass as "no answer" instead of being reported invalid. As text, though,
fastexcel rounds a number to 9 decimal places (1/3 → ``"0.333333333"``); a column with
any fractional number is therefore read a second time as floats (only then: ratings,
codes and seconds are whole numbers), and every number is exact except that one within
5e-10 of a whole number reads as that whole number.

Rows keep their spreadsheet numbers: frame row ``i`` is row ``first_row + i``; blank rows
inside the data are kept (as all-missing rows), blank rows at the end are dropped. Columns
keep their letters (:meth:`Table.letter`). A column without a header but with data is
named ``"Unnamed: C"`` after its letter; one with neither is dropped.

>>> question_number("5、请评价—账务处理准确性"), question_stem("5、请评价—账务处理准确性")
(5, '请评价—账务处理准确性')
>>> parse_duration("2分3秒"), parse_duration("95秒"), parse_duration("0:02:03")
(123.0, 95.0, 123.0)
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import logging
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from csi.errors import DataError, InputError, Issue, column_letter
from csi.survey.presets import Preset, detect_preset, get_preset

if TYPE_CHECKING:  # pandas, numpy and pyarrow are imported when a file is read, not before
    import numpy as np
    import pandas as pd

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Table",
    "read_survey",
    "durations_seconds",
    "parse_duration",
    "find_column",
    "question_number",
    "question_stem",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv")
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES

# fastexcel logs a warning for every column it cannot type (an all-empty question);
# keep Python's last-resort handler from printing them on stderr. An application that
# configures logging still receives them.
logging.getLogger("fastexcel").addHandler(logging.NullHandler())

_NUMBER = r"^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$"
# "5、题干", "5.题干", "5．题干", "Q5.题干", "Q5：题干" — but not "1.5倍".
_QUESTION = re.compile(r"^\s*(?:[Qq]\s*)?(\d+)\s*[、.．:：](?!\d)\s*")
_QSPEC = re.compile(r"^[Qq](\d+)$")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """One sheet of a survey export: the data rows and where they came from.

    ``frame`` holds the data rows only, its columns are the headers (stripped, unique).
    ``first_row`` is the spreadsheet row of frame row 0 (2 under a one-row header);
    ``column_indexes`` the 0-based spreadsheet column of each frame column (empty: the
    frame's own positions). The ``*_column`` fields, ``pii_columns`` and
    ``missing_codes`` come from the preset.

    >>> import pandas as pd
    >>> t = Table(pd.DataFrame({"a": [1.0], "b": ["x"]}), "s.csv", None, "plain", 2,
    ...           None, None, None, (), (), (), "", column_indexes=(0, 2))
    >>> t.letter("b"), t.row_number(0)
    ('C', 2)
    """

    frame: pd.DataFrame
    path: str
    sheet: str | None
    preset: str
    first_row: int
    id_column: str | None
    submitted_column: str | None
    duration_column: str | None
    pii_columns: tuple[str, ...]
    missing_codes: tuple[str, ...]
    sheets: tuple[str, ...]
    sha256: str
    column_indexes: tuple[int, ...] = ()

    def letter(self, column: str) -> str:
        """Spreadsheet column letter of a header (``KeyError`` if there is no such header)."""
        position = self.frame.columns.get_loc(column)
        if not isinstance(position, int):
            raise KeyError(column)
        return column_letter(self.column_indexes[position] if self.column_indexes else position)

    def row_number(self, i: int) -> int:
        """Spreadsheet row of frame row ``i``."""
        return self.first_row + int(i)


@dataclass(frozen=True, slots=True)
class _Grid:
    """A sheet as read, before the cell rules: one Arrow array per column."""

    names: tuple[str | None, ...]  # header cell text, None when blank
    indexes: tuple[int, ...]  # 0-based spreadsheet column
    columns: tuple[Any, ...]  # pyarrow string Array / ChunkedArray of the data rows
    header_row: int  # 1-based spreadsheet row of the header
    header_rows: int
    numbers: tuple[Any, ...] = ()  # per column: exact float64 values of its numeric cells, or None


# ---------------------------------------------------------------- reading


def read_survey(path: str | os.PathLike[str], sheet: str | int | None = None,
                preset: str | None = None) -> Table:
    """Read one sheet of a survey export.

    Parameters
    ----------
    path : the file; its suffix picks the reader (:data:`SUPPORTED_SUFFIXES`).
    sheet : a sheet name or 0-based index; default the first sheet. Not allowed for CSV.
    preset : ``"wjx"``, ``"plain"``, …; default: detected from the header.

    Raises
    ------
    InputError
        The file cannot be read: ``file-not-found``, ``not-a-file``, ``file-unreadable``,
        ``unsupported-format``, ``wrong-format``, ``html-not-spreadsheet``,
        ``corrupt-file``, ``encrypted-file``, ``bad-encoding``, ``empty-file``,
        ``sheet-not-found``, ``no-sheets``, ``unknown-preset``.
    DataError
        It was read but cannot be used: ``no-data-rows``, ``duplicate-header``,
        ``preset-mismatch``.
    """
    shown = os.fspath(path)
    forced = get_preset(preset) if preset is not None else None
    data, suffix = _read_bytes(Path(shown), shown)
    digest = hashlib.sha256(data).hexdigest()
    header_rows = forced.header_rows if forced else 1

    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise InputError(Issue("no-sheets", f"a {suffix} file has no sheets; drop the sheet option "
                                   f"(got {sheet!r})", file=shown, value=sheet))
        load = _text_loader(data, suffix, shown)
        sheet_name, sheets = None, ()
    else:
        load, sheet_name, sheets = _workbook_loader(data, suffix, shown, sheet)

    grid = load(header_rows)
    headers, keep = _headers(grid, shown, sheet_name)
    chosen = forced or detect_preset(headers)
    if chosen.header_rows != grid.header_rows:  # a multi-row-header export, seen only now
        grid = load(chosen.header_rows)
        headers, keep = _headers(grid, shown, sheet_name)
    if forced is not None:
        _check_preset(forced, headers, shown, sheet_name, grid.header_row)

    frame = _frame(grid, headers, keep)
    if len(frame) == 0:
        where = "sheet" if sheet_name is not None else "file"
        raise DataError(Issue("no-data-rows", f"the {where} has a header row but no answers below it"
                              + _other_sheets(sheets, sheet_name),
                              file=shown, sheet=sheet_name, row=grid.header_row + grid.header_rows))
    return Table(
        frame=frame,
        path=shown,
        sheet=sheet_name,
        preset=chosen.name,
        first_row=grid.header_row + grid.header_rows,
        id_column=chosen.known(chosen.id_column, headers),
        submitted_column=chosen.known(chosen.submitted_column, headers),
        duration_column=chosen.known(chosen.duration_column, headers),
        pii_columns=chosen.pii_in(headers),
        missing_codes=chosen.missing_codes,
        sheets=sheets,
        sha256=digest,
        column_indexes=tuple(grid.indexes[i] for i in keep),
    )


def _fail(code: str, message: str, file: str, **where: Any) -> InputError:
    return InputError(Issue(code, message, file=file, **where))


def _read_bytes(path: Path, shown: str) -> tuple[bytes, str]:
    if not path.exists():
        hint = ""
        parent = path.parent
        if parent.is_dir():
            try:
                names = [p.name for p in parent.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES]
            except OSError:
                names = []
            close = difflib.get_close_matches(path.name, names, n=3, cutoff=0.5)
            if close:
                hint = "; did you mean " + " or ".join(f'"{parent / c}"' for c in close) + "?"
        raise _fail("file-not-found", f"no such file{hint}", shown)
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)[:5]
        hint = f"; survey files in it: {', '.join(inside)}" if inside else ""
        raise _fail("not-a-file", f"is a directory, not a survey file{hint}", shown)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f'"{suffix}" files' if suffix else "files without a suffix"
        raise _fail("unsupported-format",
                    f"cannot read {what}; supported: {' '.join(SUPPORTED_SUFFIXES)}", shown)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _fail("file-unreadable", f"cannot be read: {e.strerror or e}", shown) from e
    if re.match(rb"(?:\xef\xbb\xbf)?[\s\x00]*\Z", data):  # scans only up to the first real byte
        raise _fail("empty-file", "the file is empty", shown)
    return data, suffix


def _sniff_not_workbook(data: bytes, shown: str, suffix: str) -> InputError:
    """The error for a file named like a workbook that is neither a ZIP nor an OLE2 file."""
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            return _fail("unsupported-format",
                         f"is an Excel 2003 XML spreadsheet saved as {suffix}; open it in Excel and "
                         "save it as Excel Workbook (.xlsx)", shown)
        return _fail("html-not-spreadsheet",
                     f"is an HTML page saved with an {suffix} name, not a spreadsheet (some systems "
                     "export HTML tables as \"Excel\"); open it in Excel and save it as Excel "
                     "Workbook (.xlsx), or download the export as .xlsx or .csv", shown)
    if b"\x00" not in head and (b"," in head or b"\t" in head):
        return _fail("wrong-format", f"is text (CSV?), not an {suffix} workbook; if it is CSV, "
                     "rename it to .csv", shown)
    return _fail("corrupt-file", f"is not a spreadsheet (not an xlsx/ods ZIP archive nor an xls "
                 f"file; it starts with {data[:8]!r}); re-download or re-save it", shown)


def _workbook_loader(data: bytes, suffix: str, shown: str, sheet: str | int | None):
    import fastexcel

    archive = None
    if data.startswith(_ZIP):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise _fail("corrupt-file", "is damaged or truncated (its ZIP directory cannot be read); "
                        "re-download the export or open and re-save it in Excel", shown) from e
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            raise _fail("corrupt-file", "is a ZIP archive but not an xlsx or ods workbook", shown)
    elif data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _fail("encrypted-file", "is password-protected; open it in Excel, remove the "
                        "password (File → Info → Protect Workbook → Encrypt with Password) and save "
                        "it again", shown)
    else:
        raise _sniff_not_workbook(data, shown, suffix)

    try:
        reader = fastexcel.read_excel(data)  # from bytes: calamine goes by content, not suffix
        sheets = tuple(reader.sheet_names)
    except fastexcel.FastExcelError as e:
        raise _calamine_error(e, shown) from e
    if not sheets:
        raise _fail("empty-file", "the workbook has no sheets", shown)

    if sheet is None:
        index = 0
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        index = sheet if 0 <= sheet < len(sheets) else -1
    else:
        index = sheets.index(sheet) if sheet in sheets else -1
    if index < 0:
        listing = ", ".join(f'{i}: "{s}"' for i, s in enumerate(sheets))
        close = difflib.get_close_matches(str(sheet), sheets, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise _fail("sheet-not-found", f"no sheet {sheet!r}; the sheets are (0-based index: name) "
                    f"{listing}{hint}", shown, value=sheet)
    name = sheets[index]
    header_row = _xlsx_first_row(archive, name) if archive is not None and "xl/workbook.xml" in names else 1

    def load(header_rows: int) -> _Grid:
        # Every cell as text, in one pass: fastexcel's type guessing would turn "N/A",
        # "NA", "null", "None", "nan" into missing in a column that is otherwise numeric.
        options = {"header_row": 0, "skip_rows": header_rows - 1 if header_rows > 1 else None,
                   "whitespace_as_null": True, "skip_whitespace_tail_rows": False}
        try:
            sheet_ = reader.load_sheet(index, dtypes="string", **options)
            columns = sheet_.selected_columns
            arrow = sheet_.to_arrow()
        except fastexcel.FastExcelError as e:
            raise _calamine_error(e, shown, name) from e
        if not columns:
            raise _fail("empty-file", "the sheet is empty" + _other_sheets(sheets, name), shown, sheet=name)
        texts = [arrow.column(i) for i in range(arrow.num_columns)]
        numbers: list[Any] = [None] * len(texts)
        # As text, a number is rounded to 9 decimal places (1/3 → "0.333333333"). Columns
        # with a fractional number are read again as floats, so every value is exact; an
        # integer-looking text is within 5e-10 of the number stored.
        fractional = [i for i, text in enumerate(texts) if _has_fraction(text)]
        if fractional:
            try:
                exact = reader.load_sheet(index, dtypes="float", use_columns=[columns[i].index for i in fractional],
                                          **options).to_arrow()
            except fastexcel.FastExcelError as e:
                raise _calamine_error(e, shown, name) from e
            if exact.num_rows == arrow.num_rows:  # same sheet, same rows; anything else keeps the text
                for j, i in enumerate(fractional):
                    numbers[i] = exact.column(j)
        return _Grid(_workbook_headers(reader, index, columns), tuple(c.absolute_index for c in columns),
                     tuple(texts), header_row, header_rows, tuple(numbers))

    return load, name, sheets


def _workbook_headers(reader: Any, index: int, columns: Sequence[Any]) -> tuple[str | None, ...]:
    names: list[str | None] = [c.name if c.column_name_from == "looked_up" else None for c in columns]
    # fastexcel renames a repeated header "h" to "h_1"; read the header row itself when a
    # name looks like that, so a real duplicate is reported and a real "h_1" is kept
    seen: set[str] = set()
    suspect = False
    for n in names:
        if n is not None:
            m = re.fullmatch(r"(.*)_\d+", n)
            suspect |= bool(m and m.group(1) in seen)
            seen.add(n)
    if suspect:
        top = reader.load_sheet(index, header_row=None, n_rows=1, dtypes="string", whitespace_as_null=True)
        raw = top.to_arrow()
        by_index = {c.absolute_index: raw.column(i)[0].as_py() for i, c in enumerate(top.selected_columns)}
        names = [by_index.get(c.absolute_index) if n is not None else None for c, n in zip(columns, names, strict=True)]
    return tuple(names)


def _has_fraction(text: Any) -> bool:
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring(text, ".")).as_py():  # cheap test first: most columns have no "."
        return False
    return bool(pc.any(pc.match_substring_regex(text, r"^\s*[+-]?[0-9]+\.[0-9]+\s*$")).as_py())


def _other_sheets(sheets: Sequence[str], current: str | None) -> str:
    others = [s for s in sheets if s != current]
    if not others:
        return ""
    return "; the workbook's other sheets: " + ", ".join(f'"{s}"' for s in others) + " (choose one with --sheet)"


def _calamine_error(e: Exception, shown: str, sheet: str | None = None) -> InputError:
    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    if re.search(r"password|encrypt", str(e), re.IGNORECASE):
        return _fail("encrypted-file", "is password-protected; remove the password in Excel and "
                     "save it again", shown, sheet=sheet)
    return _fail("corrupt-file", f"cannot be read as a workbook ({detail}); re-download the export "
                 "or open and re-save it in Excel", shown, sheet=sheet)


def _xlsx_first_row(archive: zipfile.ZipFile, sheet: str) -> int:
    """1-based row of the first non-empty cell of an xlsx sheet (calamine starts there).

    Reads only the workbook index and the start of the sheet. Falls back to 1.
    """
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rid = next(s.get(rel + "id") for s in book.iter(main + "sheet") if s.get("name") == sheet)
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        row = 0
        with archive.open(part) as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start" and tag == "row":
                    row = int(element.get("r") or row + 1)
                elif event == "end" and tag == "c":
                    for child in element:
                        kind = child.tag.rpartition("}")[2]
                        if (kind == "v" and child.text) or (kind == "is" and "".join(child.itertext())):
                            return max(row, 1)
                elif event == "end" and tag == "sheetData":
                    break
    except (KeyError, StopIteration, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError):
        pass
    return 1


def _decode(data: bytes, shown: str) -> tuple[bytes, str]:
    """UTF-8 bytes of a text file, and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as e:
            raise _fail("bad-encoding", f"starts like UTF-16 but is not ({e.reason}); save it from "
                        "Excel as CSV UTF-8", shown) from e
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Chinese Excel saves "CSV (逗号分隔)" in GBK, a subset of GB18030
        return data.decode("gb18030").encode("utf-8"), "gb18030"
    except UnicodeDecodeError as e:
        raise _fail("bad-encoding", "is neither UTF-8 nor GB18030 (GBK) text; save it from Excel as "
                    "\"CSV UTF-8\" or as .xlsx", shown) from e


def _text_loader(data: bytes, suffix: str, shown: str):
    if data.startswith((_ZIP, _OLE2)):
        raise _fail("wrong-format", f"is an Excel workbook, not {suffix} text; rename it to .xlsx "
                    "(or .xls)", shown)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail("corrupt-file", f"is binary, not {suffix} text", shown)
    body, _ = _decode(data, shown)
    first_line = body[:65536].split(b"\n", 1)[0]
    delimiter = "\t" if suffix == ".tsv" else ","
    if delimiter.encode() not in first_line:  # a European Excel CSV uses ';', some tools tabs
        for other in ("\t", ";", ","):
            if other.encode() in first_line:
                delimiter = other
                break
    text_head = body[:65536].decode("utf-8", errors="ignore")
    try:
        header = next(csv.reader(io.StringIO(text_head, newline=""), delimiter=delimiter), [])
    except csv.Error as e:
        raise _fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
    width = max(len(header), 1)

    def load(header_rows: int) -> _Grid:
        columns = _arrow_csv(body, delimiter, width)
        if columns is None:  # ragged rows: read as Excel shows them, padded with blanks
            try:
                columns = _python_csv(body, delimiter)
            except csv.Error as e:
                raise _fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
        names: list[str | None] = []
        data_columns = []
        for column in columns:
            cell = column[0].as_py() if len(column) else None
            names.append(cell if cell and cell.strip() else None)
            data_columns.append(column.slice(header_rows))
        return _Grid(tuple(names), tuple(range(len(columns))), tuple(data_columns), 1, header_rows)

    return load


def _arrow_csv(body: bytes, delimiter: str, width: int):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: "error"),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    return [table.column(i) for i in range(table.num_columns)]


def _python_csv(body: bytes, delimiter: str):
    import pyarrow as pa

    limit = csv.field_size_limit(1 << 30)  # a long free-text answer is not an error
    try:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)
    width = max((len(r) for r in rows), default=0)
    return [pa.array([r[i] if i < len(r) else "" for r in rows], pa.string()) for i in range(width)]


# ---------------------------------------------------------------- headers and cells


def _headers(grid: _Grid, shown: str, sheet: str | None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Final header names, and the positions of the grid columns that are kept."""
    headers: list[str] = []
    keep: list[int] = []
    first_letter: dict[str, str] = {}
    issues: list[Issue] = []
    for position, (raw, index, column) in enumerate(zip(grid.names, grid.indexes, grid.columns, strict=True)):
        name = "" if raw is None else str(raw).strip()
        letter = column_letter(index)
        if not name:
            if not _has_data(column):
                continue
            name = f"Unnamed: {letter}"
        if name in first_letter:
            issues.append(Issue("duplicate-header",
                                f'the header "{name}" is in columns {first_letter[name]} and {letter}; '
                                "every column needs its own header: rename one of them",
                                file=shown, sheet=sheet, row=grid.header_row, column=name, letter=letter))
            continue
        first_letter[name] = letter
        headers.append(name)
        keep.append(position)
    if issues:
        raise DataError(issues)
    if not headers:
        raise _fail("empty-file", "has no header row and no data", shown, sheet=sheet)
    return tuple(headers), tuple(keep)


def _has_data(column: Any) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.utf8_trim_whitespace(column)
        return bool(pc.any(pc.not_equal(column, "")).as_py())
    return len(column) - column.null_count > 0


def _check_preset(preset: Preset, headers: Sequence[str], shown: str, sheet: str | None, row: int) -> None:
    missing = preset.missing_signature(headers)
    if missing:
        found = ", ".join(headers[: preset.look_within])
        raise DataError(Issue(
            "preset-mismatch",
            f"preset {preset.name} ({preset.title}) expects the columns {', '.join(preset.signature)} "
            f"among the first {preset.look_within}; missing {', '.join(missing)}. The first columns "
            f"are: {found}. Leave the preset out to detect it, or use --preset plain",
            file=shown, sheet=sheet, row=row))


def _frame(grid: _Grid, headers: Sequence[str], keep: Sequence[int]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    numbers = grid.numbers or (None,) * len(grid.columns)
    cells = [_cells(grid.columns[i], numbers[i]) for i in keep]
    height = len(cells[0]) if cells else 0
    # blank rows at the end are not respondents (a CSV's trailing blank lines, a formatted range)
    filled = np.zeros(height, dtype=bool)
    for c in cells:
        filled |= ~np.asarray(pd.isna(c), dtype=bool)
    end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    frame = pd.DataFrame(dict(zip(headers, cells, strict=True)), index=pd.RangeIndex(height))
    return frame.iloc[:end] if end < height else frame


def _cells(column: Any, exact: Any = None) -> Any:
    """One column of text under the cell rules: float64 array, ``str`` Series or object array.

    ``exact`` holds the column's numeric cells as float64 (null elsewhere); it replaces
    the parse of the text where the text is a number.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_null(column.type):
        return np.full(len(column), np.nan)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = pc.cast(column, pa.string())
    # An answer column holds a handful of distinct labels: apply the rules to those, then
    # spread the results over the rows (several times faster on a large export).
    encoded = None
    if exact is None and len(column) > 4096 and len(pc.unique(column.slice(0, 4096))) <= 256:
        encoded = pc.dictionary_encode(column)
    source = column if encoded is None else encoded.dictionary
    text = pc.utf8_trim_whitespace(source)
    null = pa.scalar(None, text.type)
    text = pc.if_else(pc.equal(text, ""), null, text)
    numeric = pc.match_substring_regex(text, _NUMBER)
    count = pc.sum(numeric).as_py() or 0
    if count == 0:
        return (text if encoded is None else pc.take(text, encoded.indices)).to_pandas()
    parsed = pc.cast(pc.if_else(numeric, text, null), pa.float64())
    if exact is not None:
        parsed = pc.if_else(pc.and_(numeric, pc.is_valid(exact)), exact, parsed)
    numbers = _floats(parsed)
    every = count == len(text) - text.null_count
    if every and encoded is None:
        return numbers
    cells = numbers.astype(object) if every else text.to_numpy(zero_copy_only=False).astype(object)
    if not every:
        is_number = numeric.fill_null(False).to_numpy(zero_copy_only=False)
        cells[is_number] = numbers[is_number]
        cells[text.is_null().to_numpy(zero_copy_only=False)] = np.nan
    if encoded is None:
        return cells
    # spread the distinct values over the rows; a missing cell points one past the end
    rows = pc.fill_null(encoded.indices, len(cells)).to_numpy(zero_copy_only=False)
    if every:
        return np.append(numbers, np.nan)[rows]
    return np.append(cells, np.nan)[rows]


def _floats(column: Any) -> np.ndarray:
    import numpy as np

    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


# ---------------------------------------------------------------- durations


_UNITS = re.compile(
    r"^(?:(?P<d>\d+(?:\.\d+)?)\s*(?:天|days?|d))?\s*"
    r"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:小时|时|hours?|hrs?|h))?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*(?:分钟|分|minutes?|mins?|m))?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:秒钟|秒|seconds?|secs?|s)?)?$",
    re.IGNORECASE,
)
# "1:02:03", "2:03" (minutes:seconds), and a time-only Excel cell "1899-12-31 00:02:03"
_CLOCK = re.compile(r"^(?:1899-12-3[01][ T])?(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def parse_duration(value: object) -> float:
    """Seconds in one duration cell, NaN when it is missing or not a duration.

    Numbers are seconds. Text: ``"123秒"``, ``"2分3秒"``, ``"1小时2分"``, ``"1h 2m 3s"``,
    ``"1:02:03"`` (h:mm:ss), ``"2:03"`` (m:ss).

    >>> parse_duration(123), parse_duration("1小时2分3秒"), parse_duration(""), parse_duration("abc")
    (123.0, 3723.0, nan, nan)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        return number if number >= 0 else float("nan")
    if not isinstance(value, str):
        return float("nan")
    text = value.strip()
    match = _UNITS.match(text)
    if text and match and any(match.groups()):
        d, h, m, s = (float(g) if g else 0.0 for g in match.group("d", "h", "m", "s"))
        return ((d * 24 + h) * 60 + m) * 60 + s
    match = _CLOCK.match(text)
    if match:
        h, m, s = match.groups()
        return (float(h or 0) * 60 + float(m)) * 60 + float(s)
    return float("nan")


def durations_seconds(table: Table) -> np.ndarray | None:
    """Seconds taken per respondent (NaN where missing or unparseable), or None.

    None when the table has no duration column (the ``plain`` preset). Distinct texts are
    parsed once, so a 100 000-row column costs a few milliseconds.
    """
    import numpy as np
    import pandas as pd

    if table.duration_column is None:
        return None
    column = table.frame[table.duration_column]
    if isinstance(column.dtype, pd.StringDtype):
        seconds = np.full(len(column), np.nan)
        is_text = column.notna().to_numpy(dtype=bool)
    elif column.dtype == object:
        seconds = np.fromiter((float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan
                               for v in column), dtype=np.float64, count=len(column))
        is_text = np.fromiter((isinstance(v, str) for v in column), dtype=bool, count=len(column))
    else:
        seconds = np.array(column, dtype=np.float64)
        is_text = np.zeros(len(column), dtype=bool)
    if is_text.any():
        codes, distinct = pd.factorize(column[is_text])
        seconds[is_text] = np.array([parse_duration(t) for t in distinct], dtype=np.float64)[codes]
    seconds[seconds < 0] = np.nan
    return seconds


# ---------------------------------------------------------------- columns


def question_number(header: str) -> int | None:
    """Question number of a header: ``"5、题干"``, ``"5.题干"``, ``"Q5.题干"`` → 5.

    >>> question_number("12、题干—行"), question_number("Q3. Overall"), question_number("1.5倍")
    (12, 3, None)
    """
    match = _QUESTION.match(header)
    return int(match.group(1)) if match else None


def question_stem(header: str) -> str:
    """The header without its question-number prefix (``"2、部门"`` → ``"部门"``)."""
    match = _QUESTION.match(header)
    return header[match.end():].strip() if match else header.strip()


def find_column(table: Table, column: str | None = None, match: str | None = None,
                what: str = "") -> str:
    """The one header a model item is bound to.

    ``column`` is tried as (1) the exact header, (2) ``Q5``: the header of question 5
    (``"5、…"``, ``"5.…"``), (3) the header's text after its question number
    (``部门`` finds ``"2、部门"``). ``match`` is a regular expression searched in every
    header. Anything but exactly one header is a :class:`DataError` (``missing-column``,
    ``ambiguous-column``, ``bad-regex``) that names ``what`` (e.g. ``quality.children[0]
    (accuracy)``) and lists the closest or the matching headers.
    """
    if (column is None) == (match is None):
        raise ValueError("find_column needs exactly one of column= or match=")
    headers = [str(h) for h in table.frame.columns]
    spec = f'column: "{column}"' if column is not None else f'match: "{match}"'
    label = f"{what} ({spec})" if what else spec
    where = {"file": table.path, "sheet": table.sheet, "value": column if column is not None else match}

    number: int | None = None
    if column is not None:
        wanted = column.strip()
        if wanted in headers:
            return wanted
        q = _QSPEC.match(wanted)
        if q:
            number = int(q.group(1))
            hits = [h for h in headers if question_number(h) == number]
        else:
            hits = [h for h in headers if question_stem(h) == wanted]
        target = wanted
    else:
        try:
            pattern = re.compile(match)  # type: ignore[arg-type]
        except re.error as e:
            raise DataError(Issue("bad-regex", f"{label}: invalid regular expression: {e}", **where)) from e
        hits = [h for h in headers if pattern.search(h)]
        target = re.sub(r"[\\^$.*+?()\[\]{}|]", "", match or "")

    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = _listing(table, hits, limit=12)
        if number is not None:
            example = hits[0].rpartition("—")[2] if "—" in hits[0] else question_stem(hits[0])
            advice = (f"question {number} is a matrix question with one column per row; bind each row "
                      f"with match:, e.g. match: \"—{re.escape(example)}$\"")
        elif match is not None:
            advice = "make the regular expression match only one (anchor it with ^ or $)"
        else:
            advice = "give the full header, or use match:"
        raise DataError(Issue("ambiguous-column",
                              f"{label} matches {len(hits)} headers: {listed}; {advice}", **where))

    if number is not None:
        numbers = sorted({n for h in headers if (n := question_number(h)) is not None})
        found = f"the questions here are numbered {_ranges(numbers)}" if numbers else \
            "no header here starts with a question number (\"5、…\")"
        raise DataError(Issue("missing-column", f"{label}: there is no question {number}; {found}. "
                              "Use the exact header or match: with a regular expression", **where))
    close = _closest(target, headers)
    shown = f"closest headers: {_listing(table, close)}" if close else \
        f"the headers are: {_listing(table, headers, limit=10)}"
    raise DataError(Issue("missing-column",
                          f"{label}: no header matches; {shown}. Give the exact header, Q<n> for "
                          "question n, the text after the number, or match: with a regular expression",
                          **where))


def _closest(target: str, headers: Sequence[str], n: int = 3) -> list[str]:
    scored = []
    for h in headers:
        ratio = max(difflib.SequenceMatcher(None, target, h).ratio(),
                    difflib.SequenceMatcher(None, target, question_stem(h)).ratio())
        if ratio >= 0.4:
            scored.append((-ratio, h))
    return [h for _, h in sorted(scored)[:n]]


def _listing(table: Table, headers: Sequence[str], limit: int = 5) -> str:
    items = [f'"{h}" ({table.letter(h)})' for h in headers[:limit]]
    if len(headers) > limit:
        items.append(f"… {len(headers) - limit} more")
    return ", ".join(items)


def _ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1–3, 5"``."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
