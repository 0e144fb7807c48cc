"""The respondent rules (docs/methods.md#data-quality): who is excluded — empty, incomplete,
speeder, duplicate — and who is flagged (straight-liners); respondent weights from a column
or raked to the model's population margins; the kept rows' n × k matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from csi.errors import DataError, Issue
from csi.model import Model
from csi.survey.answers import THREADED_ROWS, DistinctCells, cell_text, number_values, run_all, shown_cell
from csi.survey.read import Table, parse_duration

__all__ = ["EXCLUSION_REASONS", "exclusion_reasons", "kept_values", "rake_kept", "respondent_weights", "durations", "BLOCK_ROWS"]

EXCLUSION_REASONS = ("empty", "incomplete", "speeder", "duplicate")


def rake_kept(table: Table, model: Model, distinct: DistinctCells, columns: Sequence[str], rows: np.ndarray,
          base: np.ndarray | None) -> tuple[np.ndarray, dict[str, object]]:
    """Rake the kept respondents (frame rows ``rows``) to the model's population margins (csi.raking)."""
    from csi.raking import rake

    categories = []
    issues: list[Issue] = []
    for (name, shares), col in zip(model.margins, columns, strict=True):
        codes, cells = distinct[col]
        names = np.empty(len(cells) + 1, dtype=object)
        names[:-1] = [cell_text(v).strip() for v in cells.tolist()]
        names[-1] = ""
        cats = np.take(names, codes[rows])
        known = {c for c, _ in shares}
        for i in np.flatnonzero(~np.isin(cats, list(known))):
            issues.append(Issue("rake-unknown-category", f"{cats[i]!r} is not a category of population.margins {name!r} "
                                f"({', '.join(sorted(known))}); add its population share or correct the answer",
                                file=table.path, sheet=table.sheet, row=table.row_number(int(rows[i])), column=col,
                                letter=table.letter(col), value=str(cats[i])))
        categories.append(cats)
    if issues:
        raise DataError(issues)
    r = rake(categories, [dict(shares) for _, shares in model.margins], base, trim=model.trim)
    info: dict[str, object] = {"source": "raking", "margins": [name for name, _ in model.margins], "converged": r.converged,
                               "iterations": r.iterations, "max_error": r.max_error, "design_effect": r.design_effect,
                               "trim": model.trim, "trimmed": r.trimmed, "base": "column" if base is not None else None}
    return r.weights, info


def respondent_weights(table: Table, header: str) -> np.ndarray:
    raw = number_values(table.frame[header])
    bad = ~(np.isfinite(raw) & (raw > 0))
    if bad.any():
        letter = table.letter(header)
        raise DataError([Issue("invalid-weight", f"a respondent weight must be a number greater than 0, got {shown_cell(table.frame[header].iloc[i])!r}",
                               file=table.path, sheet=table.sheet, row=table.row_number(int(i)), column=header, letter=letter)
                         for i in np.flatnonzero(bad)])
    # Only ratios of weights matter; sums of squares of weights near 1e308 would overflow (and
    # of weights near 1e-308 vanish), so such weights are brought near 1 first.
    top = float(raw.max()) if raw.size else 1.0
    if not 1e-100 < top < 1e100:
        raw = raw / top
    return raw


def durations(table: Table, distinct: DistinctCells) -> np.ndarray | None:
    """:func:`~csi.survey.read.durations_seconds`, each distinct cell parsed once whatever the dtype."""
    if table.duration_column is None:
        return None
    codes, cells = distinct[table.duration_column]
    seconds = np.array([parse_duration(v) for v in cells.tolist()] + [np.nan], dtype=np.float64)
    seconds[seconds < 0] = np.nan
    return np.take(seconds, codes)


def _id_codes(codes: np.ndarray, cells: pd.Series) -> np.ndarray:
    """Per row, a code shared by the rows whose cell has the same stripped text; -1 when blank."""
    if cells.dtype == np.float64:
        return codes  # distinct floats have distinct text, and a float's text is never blank
    text = cells.astype("string").str.strip()
    same, _ = pd.factorize(text)
    same[(text.isna() | (text == "")).fillna(True).to_numpy()] = -1
    return np.take(np.append(same, -1), codes)


def _later_submissions(distinct: DistinctCells, id_columns: Sequence[str]) -> np.ndarray:
    """Rows followed by another row with the same ids: all of a respondent's submissions but
    the last. Blank ids identify nobody."""
    key = _id_codes(*distinct[id_columns[0]]).astype(np.int64)
    for col in id_columns[1:]:
        other = _id_codes(*distinct[col]).astype(np.int64)
        both = np.where((key < 0) | (other < 0), -1, key * (int(other.max(initial=0)) + 1) + other)
        key, _ = pd.factorize(both)
        key[both < 0] = -1
    later = np.zeros(len(key), dtype=bool)
    known = np.flatnonzero(key >= 0)
    if not known.size:
        return later
    counts = np.bincount(key[known])
    repeated = known[counts[key[known]] > 1]
    later[repeated[pd.Series(key[repeated]).duplicated(keep="last").to_numpy()]] = True
    return later


def exclusion_reasons(table: Table, model: Model, coded: Sequence[tuple[np.ndarray, np.ndarray]], distinct: DistinctCells,
                id_columns: Sequence[str]) -> np.ndarray:
    """Respondent rules (docs/methods.md#data-quality): per row 0 (kept) or 1 + the index of its reason in
    :data:`EXCLUSION_REASONS` (the first rule that excludes it). ``id_columns`` identify a
    respondent (``quality.duplicate_by``, else the preset's id column)."""
    n = len(table.frame)
    k_index = len(model.items)
    answered_index = np.zeros(n, dtype=np.int32)
    answered_other = np.zeros(n, dtype=bool)
    answers = [(j < k_index, ~np.isnan(scores), codes) for j, (codes, scores) in enumerate(coded)]

    def count(part: slice) -> None:
        for index_item, given, codes in answers:
            answered = np.take(given, codes[part])
            if index_item:
                answered_index[part] += answered
            else:
                answered_other[part] |= answered

    run_all(count, (slice(0, n // 2), slice(n // 2, n)), threaded=n >= THREADED_ROWS)  # halves of the rows
    reason = np.zeros(n, dtype=np.int8)
    reason[(answered_index == 0) & ~answered_other] = 1
    reason[(answered_index < model.quality.min_answered * k_index) & (reason == 0)] = 2
    if model.quality.min_duration is not None:
        seconds = durations(table, distinct)
        if seconds is not None:
            with np.errstate(invalid="ignore"):
                reason[(seconds < model.quality.min_duration) & (reason == 0)] = 3
    if id_columns:
        reason[_later_submissions(distinct, id_columns) & (reason == 0)] = 4
    return reason


#: Rows written at a time: a block of the n × k matrix stays in the CPU cache while it is filled
#: column by column and checked for straight-lining.
BLOCK_ROWS = 32768


def kept_values(model: Model, coded: Sequence[tuple[np.ndarray, np.ndarray]],
                 kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kept rows' 0–100 values, and which of them are straight-liners.

    A straight-liner gives the same answer on every rating item, and answers at least
    ``straightline_min_items`` of them. "The same answer" is about what was ticked, before
    reverse-wording flips it.
    """
    values = np.empty((kept.size, len(coded)), dtype=np.float64)
    straight = np.zeros(kept.size, dtype=bool)
    least = model.quality.straightline_min_items
    ratings = {j for j, item in enumerate(model.items) if item.type == "rating"}
    if len(ratings) < least:
        ratings = set()
    reverse = {j for j in ratings if model.items[j].reverse}

    def fill(start: int) -> None:
        rows = kept[start:start + BLOCK_ROWS]
        block = values[start:start + BLOCK_ROWS]
        answered = np.zeros(rows.size, dtype=np.int32)
        high = np.full(rows.size, np.nan)
        low = np.full(rows.size, np.nan)
        for j, (codes, scores) in enumerate(coded):
            column = np.take(scores, codes[rows])
            block[:, j] = column
            if j in ratings:
                ticked = 100.0 - column if j in reverse else column
                answered += ~np.isnan(ticked)
                np.fmax(high, ticked, out=high)
                np.fmin(low, ticked, out=low)
        if ratings:
            with np.errstate(invalid="ignore"):
                straight[start:start + BLOCK_ROWS] = (answered >= least) & (high - low == 0)

    run_all(fill, range(0, kept.size, BLOCK_ROWS), threaded=kept.size >= THREADED_ROWS)
    return values, straight
