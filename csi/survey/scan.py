"""Passes over an xlsx sheet's XML, read straight from the ZIP archive, besides calamine.

Before calamine reads an xlsx sheet, its size is checked (:func:`xlsx_scan`): calamine
allocates memory for every cell between the first and the last used one, so one stray value
in XFD1048576 would ask for 550 GB and abort the process; such a sheet is refused with
``sheet-too-large`` (:func:`check_extent`). The same pass finds, in a sheet up to
:data:`FORMULA_SCAN_BYTES`, the formulas that were never calculated, which calamine reads as
blanks. :func:`scan_numbers` says whether a sheet writes every number plainly (no more than
9 decimals, no exponent): then fastexcel's text of a number is the number itself. The rest
reads what calamine does not say: where a sheet's XML is (:func:`xlsx_sheet_part`), the row
its cells start on (:func:`xlsx_first_row`), its merged ranges (:func:`xlsx_merged`).
"""

from __future__ import annotations

import itertools
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree

from csi.errors import column_letter
from csi.survey.files import fail
from csi.survey.table import clip, column_number

__all__ = [
    "MAX_SHEET_CELLS", "FORMULA_SCAN_BYTES", "SheetScan", "xlsx_scan", "scan_numbers", "check_extent",
    "xlsx_sheet_part", "xlsx_first_row", "xlsx_merged",
]


#: The most cells a worksheet may span, from its first to its last used row and column.
#: calamine (fastexcel 0.21) allocates 32 bytes for every cell of that rectangle, filled or
#: not, and aborts the whole process when the allocation fails: a single stray value in
#: XFD1048576 asks for 550 GB. 50 million cells are 1.6 GB.
MAX_SHEET_CELLS = 50_000_000


_SCAN_CHUNK = 1 << 22

#: The most XML a declared cell may stand for before the ``<dimension>`` is doubted (a
#: cell of a long comment takes a few hundred bytes; an ordinary one 20–100).
BYTES_PER_CELL = 2000


#: Sheets up to this size (uncompressed XML, about 15 000 rows × 40 columns) are searched
#: for formulas without a stored result; it costs about 30 ms there.
FORMULA_SCAN_BYTES = 16 << 20


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')


@dataclass(frozen=True, slots=True)
class _Extent:
    """How far an xlsx worksheet's used cells reach.

    ``bound`` × ``columns`` bounds the rectangle calamine would allocate: ``columns`` is the
    last used column, ``last_row`` the last used row seen and ``bound`` at most 10 % above
    the true last row. ``far`` says which cells set them.
    """

    bound: int
    last_row: int
    columns: int
    far: tuple[str, ...] = ()


def _greater_letters(column: int) -> bytes:
    """A regex for column letters after ``column`` (1-based; 0: any letters)."""
    if column == 0:
        return b"[A-Z]"
    s = column_letter(column - 1).encode()
    alternatives = [b"[A-Z]{%d,}" % (len(s) + 1)]
    for i in range(len(s)):
        if s[i] != ord("Z"):
            alternatives.append(s[:i] + b"[" + bytes([s[i] + 1]) + b"-Z]" + b"[A-Z]" * (len(s) - i - 1))
    return b"(?:" + b"|".join(alternatives) + b")"


def _greater_rows(row: int) -> tuple[bytes, int]:
    """A regex for row numbers past ``row``'s bucket, and the bucket's last row.

    A bucket is the numbers sharing ``row``'s length and first two digits (100000–109999),
    so a sheet read top to bottom matches a few hundred times, not once a row.
    """
    if row == 0:
        return b"[1-9][0-9]*", 0
    s = str(row).encode()
    lead = s[:2]
    alternatives = [b"[1-9][0-9]{%d,}" % len(s)]
    for i in range(len(lead)):
        if lead[i] != ord("9"):
            alternatives.append(lead[:i] + b"[" + bytes([lead[i] + 1]) + b"-9]" + b"[0-9]" * (len(s) - i - 1))
    return b"(?:" + b"|".join(alternatives) + b")", (int(lead) + 1) * 10 ** (len(s) - len(lead)) - 1


def _extent_pattern(column: int, row: int) -> tuple[re.Pattern[bytes], int]:
    """A cell reference past the last column, or a row number past the last row's bucket."""
    rows, last = _greater_rows(row)
    return re.compile(rb'r="(?:(' + _greater_letters(column) + rb")[0-9]|(" + rows + rb')")'), last


@dataclass(frozen=True, slots=True)
class SheetScan:
    """What a pass over an xlsx sheet's XML found (nothing, when there was none).

    ``plain_numbers``: no number is written with more than 9 decimals or an exponent, so
    that the reader's text of every number (rounded to 9 decimals) is exact; None: not
    looked at.
    """

    extent: _Extent | None = None
    uncalculated: Mapping[tuple[int, int], str] = field(default_factory=dict)
    plain_numbers: bool | None = None


def xlsx_scan(archive: zipfile.ZipFile, part: str, formulas: bool, max_cells: int = MAX_SHEET_CELLS) -> SheetScan:
    """How far a worksheet reaches, checked before calamine reads it (it cannot be stopped
    once it allocates), and — when ``formulas`` — its formulas that were never calculated.

    The ``<dimension ref="A1:AN4001"/>`` that Excel, WPS and openpyxl write at the top of a
    sheet is taken at its word when it is within ``max_cells`` (:data:`MAX_SHEET_CELLS`): reading it costs
    nothing. A sheet without one (openpyxl's write-only mode), with a larger one, or whose XML
    is larger than :data:`BYTES_PER_CELL` bytes per declared cell (a dimension that lies) is
    scanned: one decompression and a regular expression that matches
    only references past the furthest seen so far (about 0.3 s for 100 000 rows × 40
    columns of inline text). Cells that hold only formatting (``<c r="XFD1048576" s="1"/>``)
    do not count: calamine skips them. Limits: a sheet that declares a small dimension but
    holds cells outside it, or cells whose references disagree with their rows, is not
    caught when the sheet's size is plausible for the cells it declares — Excel writes neither.

    A formula cell without a stored result (``<c r="B3"><f>AVERAGE(B2:B2)</f></c>``, as
    written by a program that never calculated it) reads as empty; its formula is returned,
    by (row, 0-based column), so that it is reported instead of passing for a blank (only
    for sheets up to ``FORMULA_SCAN_BYTES``: a formula in a larger one still reads as blank).
    """
    with archive.open(part) as stream:
        dimension = _DIMENSION.search(stream.read(65536))
    size = archive.getinfo(part).file_size
    if dimension and dimension.group(3):
        first_col, first_row, last_col, last_row = dimension.groups()
        rows = int(last_row) - int(first_row) + 1
        columns = column_number(last_col) - column_number(first_col) + 1
        # A sheet far larger than its dimension could hold (Excel writes 20–100 bytes a cell)
        # has more cells than it says: measured, not taken at its word.
        plausible = size <= rows * columns * BYTES_PER_CELL + (1 << 20)
        if 0 < rows and 0 < columns and rows * columns <= max_cells and plausible:
            extent = _Extent(int(last_row), int(last_row), column_number(last_col))
            if not formulas:
                return SheetScan(extent)
            return replace(_scan_sheet(archive, part, None, formulas), extent=extent)
    # Small sheets never come near the limit: references inside the first 52 columns and
    # 9 999 rows are not even looked at, so a normal export costs one pass without a match.
    found = _scan_sheet(archive, part, (52, 9999), formulas)
    assert found.extent is not None
    if found.extent.bound * found.extent.columns > max_cells:  # measure it without the floors
        found = replace(found, extent=_scan_sheet(archive, part, (0, 0), False).extent)
    return found


def _scan_sheet(archive: zipfile.ZipFile, part: str, floors: tuple[int, int] | None,
                formulas: bool, numbers: bool = False, stop: threading.Event | None = None) -> SheetScan:
    """One streaming pass: the extent (when ``floors`` are given), uncalculated formulas
    (when ``formulas``), whether every number is written plainly (when ``numbers``); it
    ends early, with nothing known, when ``stop`` is set. One thread inflates and searches:
    handing pieces to a second one cost more in waits for the GIL than it saved (0.95 vs
    0.75 s for a 193 MB sheet)."""
    column = row = 0
    far_column = far_row = ""
    column_floor, row_floor = floors or (0, 0)
    pattern, last = _extent_pattern(column_floor, row_floor)
    uncalculated: dict[tuple[int, int], str] = {}
    plain: bool | None = True if numbers else None
    prefix: bytes | None = None
    tail = b""
    pieces = _pieces(archive, part, _SCAN_CHUNK)
    try:
        for data in itertools.chain(pieces, (b"",)):
            if stop is not None and stop.is_set():
                return SheetScan()
            buf = tail + data if tail else data
            if prefix is None:
                root = re.search(rb"<(\w+:)?worksheet\b", buf)
                prefix = (root.group(1) or b"") if root else b""
                row_end, cell_open, cell_end = b"</" + prefix + b"row>", b"<" + prefix + b"c ", b"</" + prefix + b"c>"
                formula, value = b"<" + prefix + b"f", b"<" + prefix + b"v>"
                has_value = (value, b"<" + prefix + b"is>")
                long_number = re.compile(re.escape(value) + rb"\s*[-+]?[0-9]*(?:\.[0-9]{10}|(?:\.[0-9]*)?[eE])")
            if data:  # whole rows only; the rest waits for the next piece
                cut = buf.rfind(row_end)
                cut = cut + len(row_end) if cut >= 0 else 0
            else:
                cut = len(buf)
            position = 0
            for at in _references(buf, cut, max(column, column_floor)) if floors is not None else ():
                if at < position or (match := pattern.match(buf, at, cut)) is None:
                    continue
                position = match.end()
                close = buf.find(b">", position)
                if close > 0 and buf[close - 1] == ord("/"):
                    continue  # an empty cell or row, there for its formatting
                if match.group(2) is not None:  # a row counts when a cell in it has a value
                    end = buf.find(row_end, close, cut)
                    inside = buf[close:end if end >= 0 else cut]
                    if not any(v in inside for v in has_value):
                        continue
                    if int(match.group(2)) > row:
                        row, far_row = int(match.group(2)), f"a value in row {int(match.group(2))}"
                else:
                    ref = re.match(rb"([A-Z]+)([0-9]+)", buf[match.start() + 3:match.start() + 16])
                    if ref is None:
                        continue
                    cell = ref.group(0).decode()
                    if column_number(ref.group(1)) > column:
                        column, far_column = column_number(ref.group(1)), f"a value in {cell}"
                    if int(ref.group(2)) >= row:
                        row, far_row = int(ref.group(2)), f"a value in {cell}"
                pattern, last = _extent_pattern(max(column, column_floor), max(row, row_floor))
            if plain and long_number.search(buf, 0, cut):
                plain = False
            at = buf.find(formula, 0, cut) if formulas else -1
            while at >= 0:
                shut = buf.find(cell_end, at, cut)
                shut = cut if shut < 0 else shut
                if buf[at + len(formula):at + len(formula) + 1] in (b">", b" ", b"/") and buf.find(value, at, shut) < 0:
                    start = buf.rfind(cell_open, 0, at)
                    ref = re.search(rb'\sr="([A-Z]{1,3})([0-9]+)"', buf[start:buf.find(b">", start) + 1]) if start >= 0 else None
                    text = re.match(rb"<[^>]*?(?:/>|>([^<]*)<)", buf[at:shut])
                    if ref is not None:
                        shown = _unescape(text.group(1)) if text and text.group(1) else "…"
                        uncalculated[(int(ref.group(2)), column_number(ref.group(1)) - 1)] = \
                            "=" + clip(shown, 40)
                at = buf.find(formula, shut, cut)
            tail = buf[cut:]
    finally:
        pieces.close()
    if floors is None:
        return SheetScan(None, uncalculated, plain)
    far = tuple(dict.fromkeys(f for f in (far_column, far_row) if f))
    extent = _Extent(max(row, last, row_floor), max(row, 1), max(column, column_floor), far)
    return SheetScan(extent, uncalculated, plain)


def scan_numbers(archive: zipfile.ZipFile, part: str, stop: threading.Event) -> SheetScan:
    """Whether every number in a sheet is written plainly (:attr:`SheetScan.plain_numbers`);
    nothing is known when ``stop`` is set before the end. One thread inflates and searches:
    this runs in the background, leaving the other core to calamine."""
    return _scan_sheet(archive, part, None, False, numbers=True, stop=stop)


def _references(buf: bytes, cut: int, column: int) -> list[int]:
    """Where ``r="`` opens a row number, or a cell reference past ``column``, in ``buf[:cut]``:
    every place the extent pattern could match, found with numpy (which lets go of the GIL)
    rather than by trying the pattern at each of a sheet's millions of cell references."""
    import numpy as np

    # (four zero bytes appended, so that four characters follow every r=" however short buf is)
    a = np.append(np.frombuffer(buf, dtype=np.uint8, count=cut), np.zeros(4, dtype=np.uint8))
    at = np.flatnonzero((a[:-6] == ord("r")) & (a[1:-5] == ord("=")) & (a[2:-4] == ord('"'))) + 3
    first, second = a[at], a[at + 1]
    is_letter = (second >= ord("A")) & (second <= ord("Z"))
    keep = (first >= ord("0")) & (first <= ord("9"))  # a row number
    if column < 26:
        keep |= ~is_letter & (first > ord("@") + column) & (first <= ord("Z"))
    several = np.flatnonzero(is_letter & (first >= ord("A")) & (first <= ord("Z")))  # two letters or more
    number = np.zeros(several.size, dtype=np.int64)
    going = np.ones(several.size, dtype=bool)
    for i in range(4):
        c = a[at[several] + i].astype(np.int64)
        going &= (c >= ord("A")) & (c <= ord("Z"))
        number = np.where(going, number * 26 + c - ord("@"), number)
    keep[several[number > column]] = True  # (four letters are past every column: 26³ + … > 16 384)
    return (at[keep] - 3).tolist()


def _pieces(archive: zipfile.ZipFile, part: str, size: int) -> Iterator[bytes]:
    """The bytes of a ZIP member in pieces of ``size``, inflated on the caller's thread."""
    with archive.open(part) as stream:
        while piece := stream.read(size):
            yield piece


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def check_extent(extent: _Extent, shown: str, sheet: str, max_cells: int = MAX_SHEET_CELLS) -> None:
    if extent.bound * extent.columns <= max_cells:
        return
    cells = extent.last_row * extent.columns
    letter = column_letter(extent.columns - 1)
    raise fail("sheet-too-large",
                f"the sheet's used range reaches column {letter} and row {extent.last_row:,} ({', '.join(extent.far)}): "
                f"{extent.last_row:,} rows × {extent.columns:,} columns are {cells:,} cells, about "
                f"{cells * 32 / 1e9:,.1f} GB of memory to read; the limit is {max_cells:,} cells. A stray value "
                "far from the answers is the usual cause: in Excel, Ctrl+End jumps to the last used cell; delete the "
                "rows and columns after the answers and save again, or save the sheet as CSV (or, if the sheet "
                "really is that large, raise the limit with --max-memory)",
                shown, sheet=sheet, row=extent.last_row, letter=letter)


def xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The ZIP member holding an xlsx sheet's XML (``xl/worksheets/sheet1.xml``), or None."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rid = next(s.get(rel + "id") for s in book.iter(main + "sheet") if s.get("name") == sheet)
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    except (KeyError, StopIteration, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return None
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return part if part in archive.namelist() else None


def xlsx_first_row(archive: zipfile.ZipFile, part: str | None) -> int:
    """1-based row of the first non-empty cell of an xlsx sheet (calamine starts there).

    Reads only the start of the sheet. Falls back to 1.
    """
    if part is None:
        return 1
    try:
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
    except (KeyError, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        pass  # calamine will say what is wrong with it
    return 1


def xlsx_merged(archive: zipfile.ZipFile, part: str) -> tuple[str, ...]:
    """The merged ranges of a worksheet (``B1:D1``); they follow its cells, so this reads it all."""
    merged: list[str] = []
    tail = b""
    pieces = _pieces(archive, part, _SCAN_CHUNK)
    try:
        for data in itertools.chain(pieces, (b"",)):
            buf = tail + data
            for ref in re.finditer(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)"', buf):
                merged.append(ref.group(1).decode())
            tail = buf[-200:] if b"mergeCell" not in buf[-200:] else b""
    finally:
        pieces.close()
    return tuple(dict.fromkeys(merged))
