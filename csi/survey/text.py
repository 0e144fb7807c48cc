"""CSV and TSV files: every cell as text, one Arrow array per column.

Speed and memory (docs/architecture.md, "Speed"): pyarrow reads and parses a UTF-8 CSV from disk in
parallel blocks and validates the UTF-8, while a second thread takes the SHA-256 and the NUL
and quote checks from a read of its own; the columns of repeating answers are
dictionary-encoded as they are parsed. Any other
text file (GB18030, UTF-16, odd quotes, ragged rows) is read whole and checked step by
step (:mod:`csi.survey.encodings`), with the same results. A CSV that mixes encodings,
holds NUL bytes or leaves a quote open is refused with the line.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import itertools
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csi.background import Background
from csi.limits import DEFAULT_LIMITS, Limits
from csi.survey.bounds import check_first_line, check_lines, check_width
from csi.survey.encodings import decode, nul_error, utf16_without_bom
from csi.survey.files import EMPTY, OLE2, ZIP, fail, named_workbook, read_bytes, unreadable
from csi.survey.table import Grid

__all__ = ["text_loader"]

_READ_CHUNK = 1 << 22


def text_loader(path: Path, suffix: str, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Callable[[int], Grid], str]:
    """A loader for a CSV or TSV file, and the file's SHA-256.

    The file is parsed once. A UTF-8 file (with or without BOM) streams through pyarrow's
    reader, which checks that it is UTF-8; its hash and the counts that the checks below need
    are taken from the same read, so that neither the bytes nor a decoded copy are kept.
    Anything else — another encoding, NUL bytes, an odd number of quotes, rows pyarrow
    refuses — is read whole and checked step by step (:func:`_text_checked`). A first line
    or any line longer than ``limits`` allow, or a row of more cells, is refused before its
    cells are parsed (:mod:`csi.survey.bounds`).
    """
    parsed = _text_streamed(path, suffix, shown, limits)
    columns, digest = parsed if parsed is not None else _text_checked(path, suffix, shown, limits)

    def load(header_rows: int) -> Grid:
        names: list[str | None] = []
        data_columns = []
        for column in columns:
            cell = column[0].as_py() if len(column) else None
            names.append(cell if cell and cell.strip() else None)
            data_columns.append(column.slice(header_rows))
        return Grid(tuple(names), tuple(range(len(columns))), tuple(data_columns), 1, header_rows)

    return load, digest


@dataclass(frozen=True, slots=True)
class _Scan:
    """What the careful path would look at first, taken in one pass over the bytes."""

    sha256: str
    quotes: int  # quote characters
    nul: bool  # any NUL byte


def _scan(path: Path, stop: threading.Event) -> _Scan:
    """SHA-256, quote count and NUL bytes of a file, read in chunks (hashlib and numpy
    release the GIL on large buffers, so this runs beside pyarrow's parse)."""
    import numpy as np

    sha, quotes, nul = hashlib.sha256(), 0, False
    with path.open("rb") as stream:
        while not stop.is_set() and (chunk := stream.read(_READ_CHUNK)):
            sha.update(chunk)
            quotes += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == ord('"')))  # 8× bytes.count
            nul = nul or b"\x00" in chunk
    return _Scan(sha.hexdigest(), quotes, nul)


def _text_streamed(path: Path, suffix: str, shown: str, limits: Limits) -> tuple[list[Any], str] | None:
    """The columns and SHA-256 of a plain UTF-8 CSV/TSV file, parsed as it is read; None
    for any file that needs :func:`_text_checked` to say what is wrong with it or to decode it.

    What :func:`_text_checked` would find first is looked for in the first 64 KB, the rest
    during the read: the file is UTF-8 (pyarrow validates every cell), has no NUL byte and an
    even number of quote characters. A file that passes would pass there too, and read the same.
    pyarrow parses the file from disk while a second thread hashes it and counts its quotes and
    NUL bytes (:func:`_scan`); a file that changes in between is refused.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD + len(codecs.BOM_UTF8))
            if EMPTY.match(head):  # blank so far: empty, or something for the careful path
                if len(head) < _HEAD + len(codecs.BOM_UTF8):
                    raise fail("empty-file", "the file is empty", shown)
                return None
            if head.startswith((ZIP, OLE2)):
                raise named_workbook(f"{suffix} text", shown)
            check_first_line(stream, head, shown, limits)
            if b"\x00" in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return None
            body_head = (head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head)[:_HEAD]
            try:  # another encoding shows in the first lines (a character cut at the end is fine)
                codecs.getincrementaldecoder("utf-8")().decode(body_head)
            except UnicodeDecodeError:
                return None
            try:
                dialect = _dialect(body_head, suffix)
            except csv.Error:
                return None
        before = path.stat()
        scan = Background(functools.partial(_scan, path), name="csi-scan")
        try:
            columns = _arrow_csv(lambda: _native_file(path), dialect)
        finally:
            found = scan.result()
        if _changed(before, path.stat()):
            raise fail("file-changed", "the file changed while it was being read; read it again once it is "
                       "written in full", shown)
    except OSError as e:
        raise unreadable(e, shown) from e
    if columns is None or found.nul or found.quotes % 2:
        return None
    return columns, found.sha256


def _native_file(path: Path) -> Any:
    """The file opened by Arrow itself: pyarrow reads and parses it without the GIL (a path
    string would also be decompressed by its extension, which a .csv never wants)."""
    import pyarrow as pa

    return pa.OSFile(str(path), "r")


def _changed(before: os.stat_result, after: os.stat_result) -> bool:
    """Whether a file was rewritten between two looks at it (the parse and the hash read it apart)."""
    return (before.st_size, before.st_mtime_ns, before.st_ino) != (after.st_size, after.st_mtime_ns, after.st_ino)


_HEAD = 65536


@dataclass(frozen=True, slots=True)
class _Dialect:
    """How a CSV/TSV file is laid out, as its first 64 KB show it."""

    delimiter: str
    width: int  # cells in the header row
    repeats: tuple[bool, ...]  # per column: do its first rows repeat their texts?


def _dialect(head: bytes, suffix: str) -> _Dialect:
    """The delimiter, the number of header cells and which columns repeat their texts,
    from the first 64 KB of UTF-8 text."""
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if suffix == ".tsv" else ","
    if delimiter.encode() not in first_line:  # a European Excel CSV uses ';', some tools tabs
        for other in ("\t", ";", ","):
            if other.encode() in first_line:
                delimiter = other
                break
    text_head = head.decode("utf-8", errors="ignore")
    rows = csv.reader(io.StringIO(text_head, newline=""), delimiter=delimiter)
    header = next(rows, [])
    width = max(len(header), 1)
    sample = list(itertools.islice(rows, 1000))[:-1]  # (the last row may be cut off)
    repeats = []
    for i in range(width):
        cells = [row[i] for row in sample if i < len(row)]
        repeats.append(len(cells) < 16 or 2 * len(set(cells)) <= len(cells))
    return _Dialect(delimiter, width, tuple(repeats))


def _text_checked(path: Path, suffix: str, shown: str, limits: Limits) -> tuple[list[Any], str]:
    """The columns and SHA-256 of a CSV/TSV file read whole: encodings detected and
    transcoded, NUL bytes, unclosed quotes and ragged rows dealt with."""
    import pyarrow as pa

    data = read_bytes(path, shown)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((ZIP, OLE2)):
        raise named_workbook(f"{suffix} text", shown)
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom = utf16_without_bom(data)
        if bom is None:
            raise nul_error(data, nul, shown, suffix)
        data = bom + data
    body, _ = decode(data, shown)
    del data
    check_lines(body, shown, limits)
    try:
        dialect = _dialect(body[:_HEAD], suffix)
    except csv.Error as e:
        raise fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
    delimiter = dialect.delimiter
    if body.count(b'"') % 2:
        line = _unclosed_quote(body, delimiter)
        if line is not None:
            raise fail("unclosed-quote", f'a quoted cell opens on line {line} and is never closed, so every row after '
                        'it would read as one cell; close the quote (a " inside a cell is written "") or export the '
                        "file again", shown, line=line)
    columns = _arrow_csv(lambda: pa.BufferReader(pa.py_buffer(body)), dialect)
    if columns is None:  # ragged rows: read as Excel shows them, padded with blanks
        try:
            columns = _python_csv(body, delimiter, shown, limits)
        except csv.Error as e:
            raise fail("corrupt-file", f"cannot be parsed as {suffix} ({e})", shown) from e
    return columns, digest


def _unclosed_quote(body: bytes, delimiter: str) -> int | None:
    """Line where a quoted cell opens that never closes, or None.

    Called only when the file has an odd number of quote characters; Python's strict CSV
    reader then tells a quote left open at the end (which would swallow every later row into
    one cell) from a quote inside an unquoted cell (taken as is, like Excel does).
    """
    limit = csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter,
                        strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as e:
        return start if "unexpected end of data" in str(e) else None
    finally:
        csv.field_size_limit(limit)
    return None


def _arrow_csv(open_source: Callable[[], Any], dialect: _Dialect) -> list[Any] | None:
    """Every cell of a UTF-8 CSV as text, one column per header cell; None when pyarrow
    refuses the file (rows of another width, text that is not UTF-8).

    The file is first parsed on the assumption that no quoted cell holds a line break, which
    lets pyarrow cut it into blocks at any line end and parse them in parallel; where a
    quoted cell does hold one, pyarrow stops ("parser got out of sync with chunker",
    naming the option) and the file is parsed again with quote-aware block cutting.
    """
    import pyarrow as pa

    try:
        return _arrow_table(open_source(), dialect, newlines_in_values=False)
    except pa.ArrowInvalid as e:
        if "newlines_in_values" not in str(e):
            return None
    try:
        return _arrow_table(open_source(), dialect, newlines_in_values=True)
    except pa.ArrowInvalid:
        return None


def _arrow_table(source: Any, dialect: _Dialect, newlines_in_values: bool) -> list[Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(dialect.width)]
    # A column of answers holds a handful of distinct labels: dictionary-encoded while it is
    # parsed, it takes a fraction of the memory, and the cell rules look at each label once.
    # Columns of ids, phone numbers and times are read as plain text.
    labels = pa.dictionary(pa.int32(), pa.string())
    types = {n: labels if repeats else pa.string() for n, repeats in zip(names, dialect.repeats, strict=True)}
    with source:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, block_size=_CSV_BLOCK),
            # (a row of another width is an error, pyarrow's default: no Python handler, which
            # would cost a tenth of the parse)
            parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=newlines_in_values,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False),
        )
    return table.columns


_CSV_BLOCK = 1 << 22


def _python_csv(body: bytes, delimiter: str, shown: str, limits: Limits) -> list[Any]:
    """Every cell of a file pyarrow refused for its rows of other widths: a short row is
    padded with blanks, as Excel shows it; a row with a filled cell beyond the header is
    refused (``extra-cells``), since a delimiter inside an unquoted cell moves every answer
    after it one column to the right. When most rows are wider than the first, the first is
    a title above the header (which :mod:`csi.survey.headers` reports): every row is padded
    to the widest."""
    import pyarrow as pa

    limit = csv.field_size_limit(1 << 30)  # a long free-text answer is not an error
    try:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)
    header = len(rows[0]) if rows else 0
    width = max((len(r) for r in rows), default=0)
    if width > header:
        check_width(width, 1 + next(i for i, r in enumerate(rows) if len(r) == width), shown, limits)
    extra = [i for i, r in enumerate(rows) if len(r) > header and any(c.strip() for c in r[header:])]
    if 2 * len(extra) >= len(rows) - 1:  # most rows wider: the first row is a title, not the header
        return [pa.array([r[i] if i < len(r) else "" for r in rows], pa.string()) for i in range(width)]
    if extra:
        listed = ", ".join(str(i + 1) for i in extra[:10]) + (f" and {len(extra) - 10:,} more" if len(extra) > 10 else "")
        raise fail("extra-cells", f"has {len(rows[extra[0]])} cells but the header row has {header} "
                   f"(rows with cells beyond the header: {listed}); a {_named(delimiter)} inside a cell that is not "
                   "quoted splits it and moves every answer after it one column to the right: quote that cell "
                   "(\"a, b\") or export the file again", shown, row=extra[0] + 1)
    return [pa.array([r[i] if i < len(r) else "" for r in rows], pa.string()) for i in range(header)]


def _named(delimiter: str) -> str:
    return {",": "comma", "\t": "tab", ";": "semicolon"}.get(delimiter, repr(delimiter))
