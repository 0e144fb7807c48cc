"""Which text encoding a CSV/TSV file is in, and the errors for text that is not text.

UTF-8 with or without BOM, UTF-16 (Excel's "Unicode Text", with a BOM or without one), then
GB18030 — Chinese Excel saves "CSV (逗号分隔)" in GBK, a subset of it — or Windows-1252, in which
Excel on a Western European Windows saves "CSV (Comma delimited)": the two are told apart by how
the bytes above 127 sit (:func:`_single_byte_text`). A file that mixes
encodings (parts exported differently, then joined) is refused with the line where the
second one starts; one holding NUL bytes (a file not completely written) with their line.
"""

from __future__ import annotations

import codecs
import itertools
import re

from csi.errors import InputError
from csi.survey.files import fail

__all__ = ["decode", "utf16_without_bom", "nul_error", "line_of"]


def line_of(data: bytes, position: int) -> int:
    """1-based line of a byte position."""
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes, shown: str) -> tuple[bytes, str]:
    """UTF-8 bytes of a text file, and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _mixed(data, e.start, "UTF-8", shown) from e
        return data, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as e:
            raise fail("bad-encoding", f"starts like UTF-16 but is not ({e.reason}); save it from "
                        "Excel as CSV UTF-8", shown) from e
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    if re.search(rb"[\x80-\xff]", data[:bad]):  # UTF-8 text above, something else from here on
        raise _mixed(data, bad, "UTF-8", shown)
    if _single_byte_text(data):
        try:
            return data.decode("cp1252").encode("utf-8"), "cp1252"
        except UnicodeDecodeError:  # (five bytes mean nothing in Windows-1252: then it is not that)
            pass
    try:  # Chinese Excel saves "CSV (逗号分隔)" in GBK, a subset of GB18030
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        end = data.find(b"\n", e.start)
        try:  # GBK above, and this line is UTF-8?
            data[start:len(data) if end < 0 else end].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise _mixed(data, start, "GBK (GB18030)", shown) from e
        raise fail("bad-encoding", f"is neither UTF-8, GB18030 (GBK) nor Windows-1252 text (line {line_of(data, e.start)} "
                    "has bytes that are neither); save it from Excel as \"CSV UTF-8\" or as .xlsx", shown) from e
    # GBK above, and a line that is UTF-8: two Chinese characters in a row as UTF-8 are the
    # tell (a lead byte E0–EF and two continuation bytes, twice), then the whole line must decode
    shape = data.translate(_UTF8_SHAPE)
    at = shape.find(b"LccLcc")
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            at = shape.find(b"LccLcc", end)
            continue
        raise _mixed(data, start, "GBK (GB18030)", shown)
    return text.encode("utf-8"), "gb18030"


def _single_byte_text(data: bytes, runs: int = 2000) -> bool:
    """Whether text that is not UTF-8 looks like a Western single-byte encoding rather than GBK.

    A Chinese character in GBK is two bytes, nearly always both above 127, and Chinese
    characters come in words: the bytes above 127 stand in runs of two, four, six…. In
    Windows-1252 text they are accented letters and curly quotes between ASCII letters
    ("Très", "Größe", "it’s"): mostly runs of one. Taken from the first ``runs`` runs; at
    least half of them of one byte means single-byte text.
    """
    lengths = [m.end() - m.start() for m in itertools.islice(_HIGH_RUN.finditer(data), runs)]
    return bool(lengths) and 2 * sum(n == 1 for n in lengths) >= len(lengths)


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")

# Each byte as its part in UTF-8: L leads a three-byte character, c continues one, . anything else.
_UTF8_SHAPE = bytes(ord("L") if 0xE0 <= b <= 0xEF else ord("c") if 0x80 <= b <= 0xBF else ord(".") for b in range(256))


def _mixed(data: bytes, position: int, above: str, shown: str) -> InputError:
    line = line_of(data, position)
    here = "in another encoding (GBK?)" if above.startswith("UTF") else "UTF-8"
    return fail("mixed-encoding",
                 f"mixes text encodings: the lines above line {line} are {above}, line {line} is {here}, so some "
                 "rows would read as garbage; the file was probably put together from exports saved differently. "
                 "Open the parts in Excel and save each as \"CSV UTF-8\" (or .xlsx) before joining them",
                 shown, line=line)


def utf16_without_bom(data: bytes) -> bytes | None:
    """The BOM that UTF-16 text without one is missing (NUL in every other byte), else None."""
    sample = data[: min(len(data), 4096) // 2 * 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, clean, codec, bom in ((odd, even, "utf-16-le", codecs.BOM_UTF16_LE), (even, odd, "utf-16-be", codecs.BOM_UTF16_BE)):
        if nuls >= 0.3 * half and clean <= 0.02 * half:
            try:
                data[: len(data) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                return None
            return bom
    return None


def nul_error(data: bytes, nul: int, shown: str, suffix: str) -> InputError:
    head = data[:min(nul, 4096)]  # text, up to the first NUL?
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if b"\n" not in head or controls > 0.01 * len(head):
        return fail("corrupt-file", f"is binary, not {suffix} text (it starts with {data[:8]!r}); "
                     "re-download the export", shown)
    line = line_of(data, nul)
    if not data[nul:].strip(b"\x00"):
        count = len(data) - nul
        return fail("nul-bytes", f"ends with {count} NUL bytes on line {line}: the file was not completely written "
                     "(a full disk, a crash, an interrupted copy?) and its last rows may be missing; export it again",
                     shown, line=line)
    return fail("nul-bytes", f"has NUL bytes on line {line}, which text never holds: the file is damaged; export it "
                 "again, or delete them in a text editor", shown, line=line)
