"""Time taken per respondent, from a duration column ("120秒", "2分3秒", "0:02:03", seconds).

>>> parse_duration("2分3秒"), parse_duration("95秒"), parse_duration("0:02:03")
(123.0, 95.0, 123.0)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from csi.survey.table import Table

__all__ = ["parse_duration", "durations_seconds"]


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
    if isinstance(column.dtype, pd.CategoricalDtype):  # each category parsed once
        per = [parse_duration(c) for c in column.cat.categories.tolist()]
        seconds = np.array([*per, np.nan], dtype=np.float64)[column.cat.codes.to_numpy()]
        seconds[seconds < 0] = np.nan
        return seconds
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
