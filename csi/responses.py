"""The prepared answers the engine works on: an n × k matrix of 0–100 values, the respondents'
weights, segments and comments, and what the data-quality rules found.

A core type: :func:`csi.survey.prepare.prepare` makes it from a read file, the engine
(:mod:`csi.scoring`, :mod:`csi.weighting`) reads it. It knows nothing about files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["InvalidCells", "DataQuality", "PersonalCells", "Responses"]


@dataclass(frozen=True, slots=True)
class InvalidCells:
    """Cells of one column that are neither a number on the scale nor a known label."""

    item: str
    column: str
    letter: str
    count: int
    rows: tuple[int, ...]
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DataQuality:
    """What the respondent rules and the cell checks found; nothing here is silent."""

    rows: int
    used: int
    excluded: dict[str, int]
    flagged: dict[str, int]
    invalid: tuple[InvalidCells, ...] = ()
    exclusions: tuple[tuple[int, str], ...] = ()
    flags: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PersonalCells:
    """Each respondent's cells in the personal-data columns, looked up when asked for: a few
    quoted comments need them, so no copy of every respondent's is made (on a million rows
    that copy cost more than the rest of the preparation).

    ``columns`` are the file's columns (any sequence indexed by position over the file's
    rows), ``rows`` the file row of each respondent. ``cells[i]`` is respondent i's tuple of
    cells; ``cells[mask]`` the same for a subset of the respondents.
    """

    columns: tuple[Sequence[Any], ...]
    rows: np.ndarray

    @overload
    def __getitem__(self, i: int | np.integer) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, i: np.ndarray) -> PersonalCells: ...

    def __getitem__(self, i: int | np.integer | np.ndarray) -> tuple[Any, ...] | PersonalCells:
        if isinstance(i, (int, np.integer)):
            row = int(self.rows[i])
            return tuple(column[row] for column in self.columns)
        return PersonalCells(self.columns, self.rows[i])


@dataclass(frozen=True, slots=True)
class Responses:
    """The n × k matrix of 0–100 values the engine works on.

    ``values`` has one column per entry of ``model.all_items`` (index items, outcome items,
    the NPS item), NaN where a respondent gave no valid answer; ``rows`` are the spreadsheet
    rows of the respondents kept; ``weights`` are respondent weights (None = all 1).
    """

    values: np.ndarray
    item_ids: tuple[str, ...]
    columns: tuple[str, ...]
    rows: np.ndarray
    quality: DataQuality
    weights: np.ndarray | None = None
    #: Per ``--by`` column, each respondent's value as text ("(missing)" where blank): a
    #: ``Categorical``, whose codes the breakdowns use as they are.
    segments: dict[str, pd.Categorical] = field(default_factory=dict)
    #: How respondent weights were made: column, raking (convergence, design effect), or nothing.
    weighting: dict[str, object] = field(default_factory=dict)
    #: Open-text answers of the model's comment columns, "" where none (not yet masked).
    comments: dict[str, np.ndarray] = field(default_factory=dict)
    #: Per respondent, the cells of their row in the personal-data columns, so that a quoted
    #: comment has the respondent's own name masked; None without comments.
    personal: PersonalCells | None = None

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    def subset(self, mask: np.ndarray) -> Responses:
        """The respondents where ``mask`` is true (quality counts refer to the whole file)."""
        return Responses(self.values[mask], self.item_ids, self.columns, self.rows[mask], self.quality,
                         None if self.weights is None else self.weights[mask],
                         {k: v[mask] for k, v in self.segments.items()}, self.weighting,
                         {k: v[mask] for k, v in self.comments.items()},
                         None if self.personal is None else self.personal[mask])
