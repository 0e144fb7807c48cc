"""The data frame of a sheet's kept columns, converted two or more columns at a time.

The cell rules (:mod:`csi.survey.cells`) run only for the columns the caller keeps, and each
column read is let go as soon as it is converted; blank rows at the end are dropped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from csi.survey.cells import column_cells

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["to_frame"]


def to_frame(columns: list[Any], numbers: list[Any], headers: Sequence[str], keep: Sequence[int],
             others: Sequence[int] = ()) -> pd.DataFrame:
    """The data frame of the kept columns; each source column is let go once converted.
    The cells of ``others`` (columns not kept) count only for where the rows end."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    height = len(columns[keep[0]]) if keep else 0

    def convert(p: int) -> tuple[Any, np.ndarray]:
        column, exact = columns[p], numbers[p]
        columns[p] = numbers[p] = None
        return column_cells(column, exact)

    cells: dict[str, Any] = {}
    # blank rows at the end are not respondents (a CSV's trailing blank lines, a formatted range)
    filled = np.zeros(height, dtype=bool)
    # Arrow and numpy let go of the GIL: a large sheet converts two or more columns at a time.
    workers = min(4, os.cpu_count() or 1) if height * len(keep) >= _PARALLEL_CELLS else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for header, (values, given) in zip(headers, pool.map(convert, keep), strict=True):
            cells[header] = values
            filled |= given
    end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    for p in others:
        if end < height:
            end = max(end, _last_given(columns[p]) + 1)
        columns[p] = numbers[p] = None
    frame = pd.DataFrame(cells, index=pd.RangeIndex(height), copy=False)
    # Arrow's allocator keeps what the sheet as read used; what comes next (numpy) cannot use it
    pa.default_memory_pool().release_unused()
    return frame.iloc[:end] if end < height else frame


_PARALLEL_CELLS = 1_000_000


def _last_given(column: Any) -> int:
    """The last row holding a value under the cell rules (-1: none), from the end backwards:
    in a sheet whose last row is filled, one small slice is looked at."""
    import numpy as np

    stop, size = len(column), 1024
    while stop > 0:
        start = max(0, stop - size)
        _, given = column_cells(column.slice(start, stop - start))
        if given.any():
            return start + int(np.flatnonzero(given)[-1])
        stop, size = start, min(size * 8, 1 << 20)
    return -1
