"""What a file asks the readers to allocate, checked before they allocate it (:mod:`csi.limits`).

- An xlsx/ods archive: the inflated size of every part, as its ZIP directory declares it, and
  — where the declaration is implausible (more than :data:`PLAUSIBLE_RATIO` times the
  compressed size, or less than it) — as it really inflates, counted in pieces and stopped
  at the limit (:func:`check_members`). calamine reads a sheet's XML whole, so a 4 MB file
  of 4 GB of whitespace would otherwise ask for 8 GB.
- A CSV/TSV file: the length of its first line and the cells in it, before the header is
  parsed (:func:`check_first_line`); the longest line of a file read whole
  (:func:`check_lines`) and the widest row (:func:`check_width`), before Python's CSV reader
  and pyarrow build its cells.

Each refusal is an :class:`~csi.errors.InputError` naming the file, what it asks for, the
limit and ``--max-memory``, the option that raises every limit.

Known limit: an archive whose ZIP directory *understates* a part's size within the
plausible ratio (something only a forged file does: the size is written by the program that
compresses) is inflated by calamine as it is; checking every large sheet's real size
would cost a second decompression of each normal export (0.4 s for 100 000 rows).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import IO, Any

from csi.errors import InputError
from csi.limits import Limits, size_text
from csi.survey.files import fail

__all__ = ["PLAUSIBLE_RATIO", "DEFLATE_MAX_RATIO", "check_members", "check_first_line", "check_lines", "check_width",
           "check_parquet"]

#: Spreadsheet XML compresses 5–30 times; a part declared to inflate more is measured.
PLAUSIBLE_RATIO = 100

#: No deflate stream inflates more than about 1 032 times (258-byte matches in 2 bits).
DEFLATE_MAX_RATIO = 1032

_RAISE = "; if the file is genuine, raise the limit with --max-memory (e.g. --max-memory 8G) on a machine with that much memory"


def check_members(archive: zipfile.ZipFile, data: bytes, shown: str, limits: Limits) -> None:
    """Refuse an archive with a part that inflates beyond :attr:`Limits.member_bytes`."""
    limit = limits.member_bytes
    for info in archive.infolist():
        declared = info.file_size
        if declared > limit:
            raise _too_large(info.filename, declared, shown, limits)
        if info.compress_size * DEFLATE_MAX_RATIO <= limit:  # cannot reach the limit, whatever it declares
            continue
        if declared > PLAUSIBLE_RATIO * info.compress_size or declared < info.compress_size:
            actual = _inflated_size(info, data, limit)
            if actual > limit:
                raise _too_large(info.filename, actual, shown, limits, measured=True)


def _inflated_size(info: zipfile.ZipInfo, data: bytes, limit: int) -> int:
    """How many bytes a stored or deflated member inflates to, counting stopped past ``limit``."""
    offset = info.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        return 0  # (the reader will call it damaged)
    name_length, extra_length = struct.unpack("<HH", data[offset + 26:offset + 30])
    start = offset + 30 + name_length + extra_length
    compressed = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(compressed)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return 0
    inflater = zlib.decompressobj(-15)
    total = 0
    piece = 1 << 16
    try:
        for at in range(0, len(compressed), piece):
            chunk = compressed[at:at + piece]
            while chunk:
                total += len(inflater.decompress(chunk, 1 << 22))
                if total > limit:
                    return total
                chunk = inflater.unconsumed_tail
    except zlib.error:
        return 0  # damaged: the reader says so
    return total


def _too_large(part: str, size: int, shown: str, limits: Limits, measured: bool = False) -> InputError:
    how = "inflates to more than" if measured else "inflates to"
    what = size_text(size) if not measured else size_text(limits.member_bytes)
    return fail("file-too-large", f"the part {part} of this archive {how} {what} (the limit is "
                f"{size_text(limits.member_bytes)} for one part); a survey export that large is unusual: a sheet "
                f"padded with blank space or an archive built to exhaust memory{_RAISE}", shown, value=part)


def check_first_line(stream: IO[bytes], head: bytes, shown: str, limits: Limits) -> None:
    """Refuse a CSV whose first line is longer than :attr:`Limits.line_bytes` or holds more
    cells than :attr:`Limits.columns`. ``head`` is what was read of ``stream`` so far; more
    is read only while no line end has been seen."""
    line = head.split(b"\n", 1)[0]
    while len(line) == len(head) and len(head) <= limits.line_bytes:
        more = stream.read(1 << 20)
        if not more:
            break
        head += more
        line = head.split(b"\n", 1)[0]
    if len(line) > limits.line_bytes:
        raise _long_line(1, len(line), shown, limits)
    cells = 1 + max(line.count(d) for d in (b",", b"\t", b";"))
    check_width(cells, 1, shown, limits)


def check_lines(body: bytes, shown: str, limits: Limits) -> None:
    """Refuse text whose longest line is longer than :attr:`Limits.line_bytes` (one pass, in pieces)."""
    import numpy as np

    limit = limits.line_bytes
    if len(body) <= limit:
        return
    last_end = -1  # position of the last line end seen
    lines = 0
    piece = 1 << 24
    for start in range(0, len(body), piece):
        count = min(piece, len(body) - start)
        ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8, count=count, offset=start) == 10) + start
        if ends.size:
            gaps = np.diff(ends, prepend=last_end)
            longest = int(gaps.argmax())
            if gaps[longest] - 1 > limit:
                raise _long_line(lines + longest + 1, int(gaps[longest]) - 1, shown, limits)
            lines += ends.size
            last_end = int(ends[-1])
        elif start + count - last_end - 1 > limit:
            raise _long_line(lines + 1, start + count - last_end - 1, shown, limits)
    if len(body) - last_end - 1 > limit:
        raise _long_line(lines + 1, len(body) - last_end - 1, shown, limits)


def check_width(cells: int, line: int, shown: str, limits: Limits) -> None:
    """Refuse a row of more than :attr:`Limits.columns` cells."""
    if cells > limits.columns:
        raise fail("too-many-columns", f"holds {cells:,} cells; the limit is {limits.columns:,} columns "
                   f"(Excel's own maximum is 16,384){_RAISE}", shown, line=line)


def _long_line(line: int, length: int, shown: str, limits: Limits) -> InputError:
    return fail("line-too-long", f"is longer than {size_text(limits.line_bytes)}, the limit for one line "
                f"(a row of a survey export takes a few kB): a file that is not a CSV export, or one built to exhaust "
                f"memory{_RAISE}", shown, line=line)


def check_parquet(metadata: Any, shown: str, limits: Limits) -> None:
    """Refuse a Parquet file whose footer declares more columns than :attr:`Limits.columns` or
    more uncompressed data than :attr:`Limits.member_bytes` (as its writer declared it)."""
    if metadata.num_columns > limits.columns:
        raise fail("too-many-columns", f"has {metadata.num_columns:,} columns; the limit is {limits.columns:,}{_RAISE}",
                   shown)
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if size > limits.member_bytes:
        raise fail("file-too-large", f"declares {size_text(size)} of data once decompressed (the limit is "
                   f"{size_text(limits.member_bytes)}){_RAISE}", shown)
