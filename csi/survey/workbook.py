"""Workbooks (.xlsx, .xlsm, .xls, .ods), read with fastexcel (calamine, in Rust).

Every cell is read as text, in one pass. Why text first (measured on fastexcel 0.21): its
per-column type guess, besides dropping text below the rows it samples, makes ``"N/A"``,
``"NA"``, ``"null"``, ``"None"``, ``"nan"`` missing in a column that is otherwise numeric,
so an answer the model does not know would pass as "no answer" instead of being reported
invalid. As text, though, fastexcel rounds a number to 9 decimal places (1/3 →
``"0.333333333"``). That text is the number itself when the sheet writes none with more
decimals or an exponent (an xlsx sheet is searched for such numbers in the background while
calamine reads it: :func:`csi.survey.scan.scan_numbers`); otherwise a column with any
fractional number is read a second time as floats (only then: ratings, codes and seconds
are whole numbers). Every number is exact except that one within 5e-10 of a whole number
reads as that whole number.

A date or time cell reads as text ``"YYYY-MM-DD HH:MM:SS"`` (a time-only cell as
``"1899-12-31 HH:MM:SS"``, as Excel stores it), true/false as ``"true"``/``"false"``, an
error cell as its text (``"#DIV/0!"``, ``"#N/A"``), and — in a sheet up to 16 MB — a formula
that was never calculated as ``"=FORMULA(…)"``: none of them is an answer, so each is
reported as an invalid one rather than passing for a blank. A formula Excel calculated
reads as its result.
"""

from __future__ import annotations

import difflib
import functools
import io
import logging
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from csi.background import Background
from csi.errors import InputError
from csi.limits import DEFAULT_LIMITS, Limits
from csi.survey.bounds import check_members
from csi.survey.files import OLE2, ZIP, fail, other_sheets, sniff_not_workbook
from csi.survey.scan import (
    FORMULA_SCAN_BYTES,
    SheetScan,
    check_extent,
    scan_numbers,
    xlsx_first_row,
    xlsx_merged,
    xlsx_scan,
    xlsx_sheet_part,
)
from csi.survey.table import Grid

__all__ = ["Workbook"]

# fastexcel logs a warning for every column it cannot type (an all-empty question);
# keep Python's last-resort handler from printing them on stderr. An application that
# configures logging still receives them.
logging.getLogger("fastexcel").addHandler(logging.NullHandler())

# What goes wrong reading a sheet's XML out of a damaged ZIP archive
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


class Workbook:
    """One sheet of a workbook, checked and ready to be read: :meth:`load` reads it.

    Opening it sniffs the bytes (a Word file, an encrypted or damaged workbook, an HTML page
    with an .xls name are refused), picks the sheet (``sheet``: a name or 0-based index,
    default the first), checks an xlsx sheet's extent and looks for its uncalculated
    formulas, and starts the search for numbers written with more than 9 decimals on a
    second thread (:meth:`load` stops it when it fails; the exact numbers wait for it).
    ``say`` is told each stage; ``parsing`` is set when calamine starts reading the cells.
    """

    def __init__(self, data: bytes, suffix: str, shown: str, sheet: str | int | None,
                 say: Callable[[str], None], parsing: threading.Event | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
        import fastexcel

        self._shown, self._say, self._limits = shown, say, limits
        self._parsing = parsing or threading.Event()
        archive, members = _archive(data, suffix, shown)
        if archive is not None:  # before calamine reads a part whole
            check_members(archive, data, shown, limits)
        try:
            self._reader = fastexcel.read_excel(data)  # from bytes: calamine goes by content, not suffix
            self.sheets: tuple[str, ...] = tuple(self._reader.sheet_names)
        except fastexcel.FastExcelError as e:
            raise _calamine_error(e, shown) from e
        if not self.sheets:
            raise fail("empty-file", "the workbook has no sheets", shown)
        self._index = _sheet_index(self.sheets, sheet, shown)
        self.sheet: str = self.sheets[self._index]
        self._archive = archive
        self._part = xlsx_sheet_part(archive, self.sheet) if archive is not None and "xl/workbook.xml" in members \
            else None
        self._header_row = xlsx_first_row(archive, self._part)
        self._scan = self._checked(members)
        self._plain_numbers: bool | None = None
        self._pending: Background | None = None
        if archive is not None and self._part is not None:
            # How the sheet writes its numbers matters only if a column holds fractional ones;
            # it is looked at in the background, on another core while calamine reads the sheet.
            self._pending = Background(functools.partial(scan_numbers, archive, self._part), name="csi-scan")

    def load(self, header_rows: int) -> Grid:
        """The sheet with ``header_rows`` rows above the data, every cell as text."""
        try:
            return self._read(header_rows)
        except BaseException:
            self._stop_looking()
            raise

    def _checked(self, members: set[str]) -> SheetScan:
        """The extent of an xlsx sheet, refused when too large, and its uncalculated formulas."""
        if self._archive is None or self._part is None:
            return SheetScan()
        self._say(f"checking sheet {self.sheet}")
        # A workbook Excel calculated has a calcChain; one a program wrote may hold bare
        # formulas. Looking for them costs a pass over the sheet, so only small sheets get it.
        formulas = "xl/calcChain.xml" not in members and \
            self._archive.getinfo(self._part).file_size <= FORMULA_SCAN_BYTES
        try:
            scan = xlsx_scan(self._archive, self._part, formulas, self._limits.sheet_cells)
        except _DAMAGED as e:
            raise self._damaged(e) from e
        assert scan.extent is not None
        check_extent(scan.extent, self._shown, self.sheet, self._limits.sheet_cells)
        return scan

    def _options(self, header_rows: int) -> dict[str, Any]:
        return {"header_row": 0, "skip_rows": header_rows - 1 if header_rows > 1 else None,
                "skip_whitespace_tail_rows": False}

    def _read(self, header_rows: int) -> Grid:
        import fastexcel

        # Every cell as text, in one pass: fastexcel's type guessing would turn "N/A",
        # "NA", "null", "None", "nan" into missing in a column that is otherwise numeric.
        # Blank text stays text here (the cell rules make it missing): fastexcel's
        # whitespace_as_null made the conversion a third slower (0.59 s instead of 0.39 s
        # for 100 000 rows × 37 columns).
        name = self.sheet
        self._say(f"reading sheet {name}")
        self._parsing.set()
        try:
            sheet = self._reader.load_sheet(self._index, dtypes="string", **self._options(header_rows))
            columns = sheet.selected_columns
            arrow, errors = sheet.to_arrow_with_errors()
        except fastexcel.FastExcelError as e:
            raise _calamine_error(e, self._shown, name) from e
        del sheet
        if not columns:
            raise fail("empty-file", "the sheet is empty" + other_sheets(self.sheets, name), self._shown, sheet=name)
        texts = [arrow.column(i) for i in range(arrow.num_columns)]
        if errors is not None and header_rows == 1:  # (fastexcel shifts their rows when it skips rows)
            texts = _with_cell_errors(texts, errors)
        if self._scan.uncalculated:
            texts = _with_formulas(texts, [c.absolute_index for c in columns], self._header_row + header_rows,
                                  self._scan.uncalculated)
        rows = arrow.num_rows
        del arrow
        names = _workbook_headers(self._reader, self._index, columns)
        merged: tuple[str, ...] = ()
        if self._archive is not None and self._part is not None and None in names:  # blank header cells: merged?
            try:
                merged = xlsx_merged(self._archive, self._part)
            except _DAMAGED as e:
                raise self._damaged(e) from e
        return Grid(names, tuple(c.absolute_index for c in columns), tuple(texts), self._header_row, header_rows,
                    merged=merged, exact=functools.partial(self._exact, texts, columns, rows, header_rows))

    def _exact(self, texts: Sequence[Any], columns: Sequence[Any], rows: int, header_rows: int,
               positions: Sequence[int]) -> dict[int, Any]:
        """The exact float64 numbers of the columns at ``positions`` whose text rounds one.

        As text, a number is rounded to 9 decimal places (1/3 → "0.333333333"): exact when
        the sheet writes no number with more decimals (nor an exponent), as survey exports
        do. Otherwise the columns kept that hold a fractional number are read again as
        floats, so every value is exact; an integer-looking text is within 5e-10 of the
        number stored.
        """
        import fastexcel

        fractional = [i for i in positions if _has_fraction(texts[i])]
        if not fractional or self._numbers_as_written():
            self._stop_looking()
            return {}
        self._say(f"reading the numbers of sheet {self.sheet}")
        try:
            floats = self._reader.load_sheet(self._index, dtypes="float", use_columns=[columns[i].index for i in fractional],
                                             **self._options(header_rows)).to_arrow()
        except fastexcel.FastExcelError as e:
            raise _calamine_error(e, self._shown, self.sheet) from e
        if floats.num_rows != rows:  # same sheet, same rows; anything else keeps the text
            return {}
        return {i: floats.column(j) for j, i in enumerate(fractional)}

    def _numbers_as_written(self) -> bool:
        """Whether no number in the sheet is written with more than 9 decimals or an exponent."""
        if self._pending is not None:
            try:
                self._plain_numbers = self._pending.result().plain_numbers
            except _DAMAGED as e:
                raise self._damaged(e) from e
            finally:
                self._pending = None
        return bool(self._plain_numbers)

    def _stop_looking(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _damaged(self, e: Exception) -> InputError:
        return fail("corrupt-file", f"the sheet's data is damaged ({e}); re-download the export or open and "
                    "re-save it in Excel", self._shown, sheet=self.sheet)


def _archive(data: bytes, suffix: str, shown: str) -> tuple[zipfile.ZipFile | None, set[str]]:
    """An xlsx/ods file's ZIP archive and its members (None for an xls file), or the error
    saying what the file is instead."""
    if data.startswith(ZIP):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise fail("corrupt-file", "is damaged or truncated (its ZIP directory cannot be read); "
                       "re-download the export or open and re-save it in Excel", shown) from e
        members = set(archive.namelist())
        if "[Content_Types].xml" not in members and "mimetype" not in members:
            raise fail("corrupt-file", "is a ZIP archive but not an xlsx or ods workbook", shown)
        return archive, members
    if data.startswith(OLE2):
        for stream, what in (("WordDocument", "a Word document"), ("PowerPoint Document", "a PowerPoint file")):
            if stream.encode("utf-16-le") in data and "Workbook".encode("utf-16-le") not in data:
                raise fail("wrong-format", f"is {what} with a {suffix} name, not a spreadsheet; open the survey "
                           "export itself (.xlsx, .xls or .csv)", shown)
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise fail("encrypted-file", "is password-protected; open it in Excel, remove the "
                       "password (File → Info → Protect Workbook → Encrypt with Password) and save "
                       "it again", shown)
        return None, set()
    raise sniff_not_workbook(data, shown, suffix)


def _sheet_index(sheets: Sequence[str], sheet: str | int | None, shown: str) -> int:
    """The 0-based index of the sheet asked for, or ``sheet-not-found`` listing the sheets."""
    if sheet is None:
        return 0
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        index = sheet if 0 <= sheet < len(sheets) else -1
    else:
        index = sheets.index(sheet) if sheet in sheets else -1
    if index < 0:
        listing = ", ".join(f'{i}: "{s}"' for i, s in enumerate(sheets))
        close = difflib.get_close_matches(str(sheet), sheets, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise fail("sheet-not-found", f"no sheet {sheet!r}; the sheets are (0-based index: name) "
                   f"{listing}{hint}", shown, value=sheet)
    return index


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
    return tuple(n if n and n.strip() else None for n in names)  # (a header of spaces is no header)


def _has_fraction(text: Any) -> bool:
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring(text, ".")).as_py():  # cheap test first: most columns have no "."
        return False
    return bool(pc.any(pc.match_substring_regex(text, r"^\s*[+-]?[0-9]+\.[0-9]+\s*$")).as_py())


def _calamine_error(e: Exception, shown: str, sheet: str | None = None) -> InputError:
    detail = str(e).splitlines()[0] if str(e) else type(e).__name__
    if re.search(r"password|encrypt", str(e), re.IGNORECASE):
        return fail("encrypted-file", "is password-protected; remove the password in Excel and "
                     "save it again", shown, sheet=sheet)
    return fail("corrupt-file", f"cannot be read as a workbook ({detail}); re-download the export "
                 "or open and re-save it in Excel", shown, sheet=sheet)


# calamine's names of the error values, and how Excel shows them
_CELL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


def _with_formulas(texts: list[Any], indexes: Sequence[int], first_data_row: int,
                   formulas: Mapping[tuple[int, int], str]) -> list[Any]:
    """Put formulas that were never calculated (``=AVERAGE(B2:B9)``) where the reader saw blanks."""
    import pyarrow as pa

    position = {index: i for i, index in enumerate(indexes)}
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in formulas.items():
        if col in position and 0 <= row - first_data_row < len(texts[position[col]]):
            by_column.setdefault(position[col], []).append((row - first_data_row, text))
    for p, cells in by_column.items():
        values = texts[p].to_pylist()
        for i, text in cells:
            if values[i] is None or not str(values[i]).strip():
                values[i] = text
        texts[p] = pa.array(values, pa.string())
    return texts


def _with_cell_errors(texts: list[Any], errors: Any) -> list[Any]:
    """Put the text of error cells (``#DIV/0!``), which the reader leaves empty, back in place.

    An error is not an answer: kept as text, it is reported as an invalid answer with its
    row, instead of passing for a blank.
    """
    import pyarrow as pa

    by_column: dict[int, list[tuple[int, str]]] = {}
    for error in errors.errors:
        name = re.search(r"Error\((\w+)\)", error.detail)
        row, col = error.offset_position
        if name and 0 <= col < len(texts) and 0 <= row < len(texts[col]):
            by_column.setdefault(col, []).append((row, _CELL_ERRORS.get(name.group(1), f"#{name.group(1).upper()}!")))
    for col, cells in by_column.items():
        values = texts[col].to_pylist()
        for row, text in cells:
            values[row] = text
        texts[col] = pa.array(values, pa.string())
    return texts
