"""Parquet files: typed columns as the cell rules' text (and exact numbers).

A Parquet column of numbers is numbers, of text is text (a column holding only plain decimal
text reads as numbers, as in a CSV); dates and times read as text like a workbook's. Its
column names are its only header, and its rows are numbered from 1.
"""

from __future__ import annotations

import io
import re
from typing import Any

from csi.limits import DEFAULT_LIMITS, Limits
from csi.survey.bounds import check_parquet
from csi.survey.cells import is_text, number_cells
from csi.survey.files import PARQUET, fail, not_typed
from csi.survey.table import Grid

__all__ = ["parquet_grid"]


def parquet_grid(data: bytes, shown: str, limits: Limits = DEFAULT_LIMITS) -> Grid:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not data.startswith(PARQUET):
        raise not_typed(data, shown, ".parquet", "a Parquet file")
    if not data.endswith(PARQUET):
        raise fail("corrupt-file", "is a truncated Parquet file (its footer is missing); write or download it again", shown)
    try:
        check_parquet(pq.ParquetFile(io.BytesIO(data)).metadata, shown, limits)  # (before the columns are inflated)
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as e:
        detail = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise fail("corrupt-file", f"cannot be read as a Parquet file ({detail}); write or download it again",
                    shown) from e
    names, texts, numbers = [], [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if re.fullmatch(r"__index_level_\d+__", name):  # a pandas index written beside the data
            continue
        text, exact = _arrow_cells(column)
        names.append(name)
        texts.append(text)
        numbers.append(exact)
    if not names:
        raise fail("empty-file", "the Parquet file has no columns", shown)
    return Grid(tuple(names), tuple(range(len(names))), tuple(texts), 0, 1, tuple(numbers), typed=True)


def _arrow_cells(column: Any) -> tuple[Any, Any]:
    """A typed Arrow column as (text, exact numbers or None), ready for :func:`~csi.survey.cells.column_cells`."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
        kind = column.type
    if is_text(kind):
        return column, None
    if pa.types.is_null(kind):
        return pa.nulls(len(column), pa.string()), None
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false"), None
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        values = np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        return number_cells(values)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):  # to the second, as a workbook's dates read
        seconds = pa.timestamp("s", kind.tz if pa.types.is_timestamp(kind) else None)
        return pc.strftime(pc.cast(column, seconds, safe=False), format="%Y-%m-%d %H:%M:%S"), None
    if pa.types.is_time(kind):
        clock = pc.cast(pc.cast(column, pa.time32("s"), safe=False), pa.string())
        return pc.binary_join_element_wise("1899-12-31", clock, " "), None
    try:
        return pc.cast(column, pa.string()), None
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.string()), None
