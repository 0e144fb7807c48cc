"""How much a file or an option may make csi allocate: the limits checked before allocation.

A small file can ask for a great deal of memory: a 4 MB xlsx whose sheet inflates to 4 GB, a
CSV header of five million columns, a single line of 100 MB, ``--bootstrap 1000000000``. The
readers (:mod:`csi.survey.bounds`) and the engine (:mod:`csi.scoring`) compare what the work
would need with these limits *before* they allocate it and refuse with a message that names
the file, the limit and the option that raises it (``--max-memory``).

Every limit follows from one number, the memory a run may ask for (:attr:`Limits.memory`,
default 2 GB), so one option raises them all together:

================================  =====================  =========================================
limit                             at the default 2 GB    why
================================  =====================  =========================================
cells an xlsx sheet spans         50 000 000             calamine allocates ~32 bytes a cell
inflated size of one ZIP member   500 MB                 calamine holds a sheet's XML whole
columns of a CSV/TSV file         16 384                 Excel's own maximum (XFD)
longest line of a CSV/TSV file    1 MB                   the parser holds a line's cells at once
bootstrap replicates' arrays      2 GB                   B × (columns + nodes + cells) × 8 bytes
================================  =====================  =========================================

>>> Limits().sheet_cells, Limits().columns, Limits(memory=8 * GB).member_bytes
(50000000, 16384, 2000000000)
>>> parse_size("8G"), parse_size("500M"), parse_size("3000000000")
(8000000000, 500000000, 3000000000)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GB", "DEFAULT_MEMORY", "DEFAULT_LIMITS", "Limits", "parse_size", "size_text"]

GB = 1_000_000_000

#: The memory a run may ask for unless ``--max-memory`` says otherwise.
DEFAULT_MEMORY = 2 * GB


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one run, all scaled from ``memory`` (bytes)."""

    memory: int = DEFAULT_MEMORY

    @property
    def _scale(self) -> float:
        return self.memory / DEFAULT_MEMORY

    @property
    def sheet_cells(self) -> int:
        """Cells an xlsx sheet may span from its first to its last used row and column."""
        return self.memory // 40

    @property
    def member_bytes(self) -> int:
        """Inflated bytes of one part of an xlsx/ods archive (a sheet's XML, the shared strings)."""
        return self.memory // 4

    @property
    def columns(self) -> int:
        """Cells in a row of a CSV/TSV file (the header's included)."""
        return max(16_384, int(16_384 * self._scale))

    @property
    def line_bytes(self) -> int:
        """Bytes of the longest line of a CSV/TSV file (a quoted cell may span lines; each counts)."""
        return self.memory // 2000

    @property
    def bootstrap_bytes(self) -> int:
        """Bytes the bootstrap's replicates may take."""
        return self.memory


#: The limits of a run that sets none.
DEFAULT_LIMITS = Limits()

_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)b?\s*", re.IGNORECASE)
_UNIT = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str) -> int:
    """Bytes from ``"2G"``, ``"500M"``, ``"1.5g"``, ``"3000000000"`` (decimal units); ValueError otherwise."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"expected a size such as 2G, 500M or 8G, got {text!r}")
    size = int(float(match.group(1)) * _UNIT[match.group(2).lower()])
    if size < 100 * 10**6:
        raise ValueError(f"expected at least 100M, got {text!r}")
    return size


def size_text(size: float) -> str:
    """A byte count for a message: ``"4.3 GB"``, ``"120 MB"``.

    >>> size_text(4_294_967_296), size_text(120_000_000), size_text(5_000)
    ('4.3 GB', '120 MB', '5.0 kB')
    """
    for unit, factor in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= factor:
            value = size / factor
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{int(size)} bytes"
