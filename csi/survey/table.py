"""The table a survey file is read into (:class:`Table`), and the grid it is made from.

A :class:`Grid` is a sheet as a format module read it — header cells and one Arrow array of
text per column — before the cell rules (:mod:`csi.survey.cells`) make it a data frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csi.errors import column_letter

if TYPE_CHECKING:  # pandas is imported when a file is read, not before
    import pandas as pd

__all__ = ["Table", "FileLabels", "Grid", "column_number", "clip"]


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """One sheet of a survey export: the data rows and where they came from.

    ``frame`` holds the data rows only, its columns are the headers (stripped, unique).
    ``first_row`` is the spreadsheet row of frame row 0 (2 under a one-row header, 4 under
    a Qualtrics CSV's three; 1 in a Parquet or SPSS file, whose rows count from 1);
    ``column_indexes`` the 0-based spreadsheet column of each frame column (empty: the
    frame's own positions). The ``*_column`` fields, ``pii_columns`` and
    ``missing_codes`` come from the preset. ``aliases`` maps other names of a column to its
    header (Qualtrics field ids and ImportIds, SPSS variable labels):
    :func:`~csi.survey.columns.find_column` accepts them. ``value_labels`` maps an SPSS column's header to its value labels
    (code → label; its labelled cells hold the labels).

    >>> import pandas as pd
    >>> t = Table(pd.DataFrame({"a": [1.0], "b": ["x"]}), "s.csv", None, "plain", 2,
    ...           None, None, None, (), (), (), "", column_indexes=(0, 2))
    >>> t.letter("b"), t.row_number(0)
    ('C', 2)
    """

    frame: pd.DataFrame
    path: str
    sheet: str | None
    preset: str
    first_row: int
    id_column: str | None
    submitted_column: str | None
    duration_column: str | None
    pii_columns: tuple[str, ...]
    missing_codes: tuple[str, ...]
    sheets: tuple[str, ...]
    sha256: str
    column_indexes: tuple[int, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)

    def letter(self, column: str) -> str:
        """Spreadsheet column letter of a header (``KeyError`` if there is no such header)."""
        position = self.frame.columns.get_loc(column)
        if not isinstance(position, int):
            raise KeyError(column)
        return column_letter(self.column_indexes[position] if self.column_indexes else position)

    def row_number(self, i: int) -> int:
        """Spreadsheet row of frame row ``i``."""
        return self.first_row + int(i)


@dataclass(frozen=True, slots=True)
class Grid:
    """A sheet as read, before the cell rules: one Arrow array per column."""

    names: tuple[str | None, ...]  # header cell text, None when blank
    indexes: tuple[int, ...]  # 0-based spreadsheet column
    columns: tuple[Any, ...]  # pyarrow string Array / ChunkedArray of the data rows
    header_row: int  # 1-based spreadsheet row of the header
    header_rows: int
    numbers: tuple[Any, ...] = ()  # per column: exact float64 values of its numeric cells, or None
    merged: tuple[str, ...] = ()  # merged cell ranges of the sheet ("B1:D1")
    typed: bool = False  # a Parquet or SPSS file: names are its only header, rows count from 1
    keys: tuple[str | None, ...] = ()  # per column: what the preset's roles name it by (default: its name)
    aliases: tuple[tuple[str, ...], ...] = ()  # per column: other names that find it
    labels: tuple[Any, ...] = ()  # per column: SPSS value labels {code: label}, or None
    # a workbook's exact numbers, worked out when asked for the columns kept: column position →
    # float64 values of its numeric cells (only columns whose text rounds a number)
    exact: Callable[[Sequence[int]], Mapping[int, Any]] | None = None


class FileLabels(Mapping[str, Mapping[Any, str]]):
    """Value labels of a file's columns (header → {code: label}), read-only.

    A frame carries them in ``frame.attrs["value_labels"]``, so that a column taken from it
    still knows its labels. pandas deep-copies ``attrs`` on every operation; this one copies
    as itself, for nothing.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Mapping[Any, str]]) -> None:
        self._data = {str(k): dict(v) for k, v in data.items()}

    def __getitem__(self, key: str) -> Mapping[Any, str]:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FileLabels({self._data!r})"

    def __copy__(self) -> FileLabels:
        return self

    def __deepcopy__(self, memo: dict) -> FileLabels:
        return self

    def __reduce__(self) -> tuple:
        return (FileLabels, (self._data,))


def column_number(letters: bytes | str) -> int:
    """1-based column of spreadsheet letters: ``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def clip(text: str, limit: int = 30) -> str:
    """``text`` cut to ``limit`` characters for a message, ending in "…" when cut.

    >>> clip("请评价我们的服务", 5)
    '请评价我…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
