"""Small files that ask for gigabytes (issue 15, "Small files that ask for gigabytes"), written
on demand into a folder: ``python tests/hostile/make_hostile.py DIR`` or :func:`write_all`.

They are generated, never kept in the repository: a few of them are megabytes on disk (the
100 MB line is 100 MB), and each takes under a few seconds to build. The deflate streams of the
whitespace bombs are built from one compressed block repeated, so that 3.9 GB of spaces are
never held or compressed; their CRC-32 is combined arithmetically (zlib's ``crc32_combine``).
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

__all__ = ["CASES", "write_all"]

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  'Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<dimension ref="A1:C3"/><sheetData>')


def _row(r: int, values: list[object]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{r}"><v>{v}</v></c>' if isinstance(v, int) else
                    f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


# -- CRC-32 of data too large to pass through zlib.crc32 (zlib's crc32_combine, GF(2) matrices)

def _times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _square(odd)
    odd = _square(even)
    while True:
        even = _square(odd)
        if length2 & 1:
            crc1 = _times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _square(even)
        if length2 & 1:
            crc1 = _times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _spaces_member(head: bytes, spaces: int, tail: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``head``, ``spaces`` spaces and ``tail``; its CRC-32 and length.

    A 16 MB block of spaces compressed after a window of spaces is valid wherever such a
    window precedes it, so it is repeated instead of compressed again."""
    block = 1 << 24
    assert spaces % block == 0 and spaces >= 2 * block
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.compress(b" " * block) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeated = packer.compress(b" " * block) + packer.flush(zlib.Z_SYNC_FLUSH)
    end = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    times = spaces // block - 1
    crc_block = zlib.crc32(b" " * block)
    crc = zlib.crc32(head)
    crc = crc32_combine(crc, crc_block, block)
    repeat_crc, repeat_length = _repeated_crc(crc_block, block, times)
    crc = crc32_combine(crc, repeat_crc, repeat_length)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    return start + repeated * times + end, crc, len(head) + spaces + len(tail)


def _repeated_crc(crc: int, length: int, times: int) -> tuple[int, int]:
    """The CRC-32 and length of ``times`` copies of data of ``crc`` and ``length`` (by doubling)."""
    total_crc, total_length = 0, 0
    while times:
        if times & 1:
            total_crc = crc32_combine(total_crc, crc, length) if total_length else crc
            total_length += length
        crc, length = crc32_combine(crc, crc, length), 2 * length
        times >>= 1
    return total_crc, total_length


def _zip(members: list[tuple[str, bytes, int, int, bool]], declared: dict[str, int] | None = None) -> bytes:
    """A ZIP archive of ``(name, raw deflate data, crc, size, deflated)``; ``declared`` overrides sizes in the headers."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size, deflated in members:
        shown = (declared or {}).get(name, size)
        method = 8 if deflated else 0
        offset = len(out)
        encoded = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), shown, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), shown,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def _small(name: str, text: str) -> tuple[str, bytes, int, int, bool]:
    data = text.encode()
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data), True


def _workbook(sheet: tuple[str, bytes, int, int, bool], declared: dict[str, int] | None = None) -> bytes:
    return _zip([_small("[Content_Types].xml", _CT), _small("_rels/.rels", _RELS), _small("xl/workbook.xml", _WORKBOOK),
                 _small("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), sheet], declared)


def whitespace_bomb(declared_small: bool = False) -> bytes:
    """A 4 MB xlsx whose sheet inflates to 3.9 GB of whitespace between two rows of answers
    (its ZIP directory says so; or, ``declared_small``, says 1 000 bytes: a forged header)."""
    head = (_SHEET_HEAD + _row(1, ["q1", "q2", "q3"]) + _row(2, [5, 4, 3])).encode()
    tail = (_row(3, [4, 4, 4]) + "</sheetData></worksheet>").encode()
    data, crc, size = _spaces_member(head, 232 * (1 << 24), tail)  # 3.89 GB
    part = "xl/worksheets/sheet1.xml"
    return _workbook((part, data, crc, size, True), {part: 1000} if declared_small else None)


def lying_dimension() -> bytes:
    """An xlsx that declares A1:C3 but holds 300 000 rows of one value each in column GR:
    calamine would allocate 300 000 × 200 cells (1.9 GB)."""
    rows = [_row(1, ["q1", "q2", "q3"])]
    rows += [f'<row r="{r}"><c r="GR{r}"><v>1</v></c></row>' for r in range(2, 300_001)]
    sheet = _small("xl/worksheets/sheet1.xml", _SHEET_HEAD + "".join(rows) + "</sheetData></worksheet>")
    return _workbook(sheet)


def wide_header() -> bytes:
    """A 10 MB CSV header of 5 000 000 columns."""
    return b"c," * 5_000_000 + b"q\n1,2\n"


def long_line() -> bytes:
    """A 100 MB CSV whose second line is one line of 50 000 000 cells."""
    return b"id,q1,q2,q3\n" + b"1," * 50_000_000 + b"\n"


def alias_bomb() -> bytes:
    """A benchmark YAML of 600 bytes whose aliases expand to 10⁹ scores."""
    lines = ["label: bomb", "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return ("\n".join(lines) + "\nscores:\n  overall: *a8\n").encode()


def deep_result() -> bytes:
    """A result JSON whose warnings are lists nested 100 000 deep."""
    doc = {"schema": "csi.result/1", "overall": {"score": 70.0}, "nodes": [], "warnings": "@"}
    return json.dumps(doc).replace('"@"', "[" * 100_000 + "]" * 100_000).encode()


#: name → (file name, maker)
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "whitespace-bomb": ("whitespace_bomb.xlsx", whitespace_bomb),
    "forged-size-bomb": ("forged_size_bomb.xlsx", lambda: whitespace_bomb(declared_small=True)),
    "lying-dimension": ("lying_dimension.xlsx", lying_dimension),
    "wide-header": ("wide_header.csv", wide_header),
    "long-line": ("long_line.csv", long_line),
    "alias-bomb": ("alias_bomb.yaml", alias_bomb),
    "deep-result": ("deep_result.json", deep_result),
}


def write_all(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the cases ``names`` (default all) into ``folder``; their paths by case name."""
    paths = {}
    for case in names or list(CASES):
        file_name, make = CASES[case]
        paths[case] = folder / file_name
        paths[case].write_bytes(make())
    return paths


if __name__ == "__main__":
    for case, path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(f"{case}: {path} ({path.stat().st_size:,} bytes)")
