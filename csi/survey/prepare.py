"""From a read table to :class:`~csi.responses.Responses`: every item on 0–100, the
data-quality rules applied.

The steps, each in its own module: :mod:`csi.survey.binding` finds the columns,
:mod:`csi.survey.answers` turns each column's answers into 0–100 values (or invalid ones),
:mod:`csi.survey.respondents` applies the respondent rules and weights. Invalid answers are
counted per column with their first rows, and are an error under ``strict``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from csi.errors import DataError, Issue
from csi.model import Item, Model
from csi.responses import DataQuality, InvalidCells, PersonalCells, Responses
from csi.survey.answers import (
    DATE_TEXT,
    DistinctCells,
    cell_text,
    column_value_labels,
    convert_cells,
    convert_column,
    expected_answer,
    metric_score,
    number_values,
    rescale,
    shown_cell,
)
from csi.survey.binding import Binding, Role, bind_columns, columns_used, pii_columns
from csi.survey.foreign import mapping_issues
from csi.survey.read import Table
from csi.survey.respondents import BLOCK_ROWS, EXCLUSION_REASONS, exclusion_reasons, kept_values, rake_kept, respondent_weights

__all__ = ["InvalidCells", "DataQuality", "Responses", "Binding", "Role", "bind_columns", "prepare", "rescale", "metric_score",
           "convert_column", "shown_cell", "pii_columns", "columns_used"]

#: How many example rows an invalid-cell summary keeps per column.
EXAMPLE_ROWS = 5


#: Open-text answers that say there is nothing to say (compared in lower case).
NO_COMMENT = frozenset({"无", "没有", "暂无", "无意见", "没有意见", "暂无意见", "无建议", "没有建议", "暂无建议", "无意见或建议",
                        "none", "no", "n/a", "na", "nil", "-", "/", "—", "无。", "没有。"})


def prepare(
    table: Table,
    model: Model,
    *,
    strict: bool = False,
    by: Sequence[str] = (),
    weight_column: str | None = None,
) -> Responses:
    """Turn a read table into :class:`Responses` for ``model``.

    Every problem with the mapping of the model onto the file (a column missing or
    ambiguous, ``pii-column``: an item, ``--by``, ``--weight-column`` or ``comments:`` on a
    column of personal data) is collected and raised as one :class:`~csi.errors.DataError`; then the
    columns whose answers as a whole do not fit their item (``no-valid-answers``,
    ``scale-mismatch``) with all invalid cells when ``strict`` (``invalid-answer``). Cell
    values quoted in messages and reports have contact details masked.
    """
    binding = bind_columns(table, model, by=by, weight_column=weight_column)
    if binding.mapping_issues():
        raise DataError(mapping_issues(table, model, binding))
    columns = [str(c) for c in binding.items]
    seg_columns = {r.name: str(r.column) for r in binding.role("by")}
    dup_columns = [str(r.column) for r in binding.role("duplicate key")]
    weight_header = next((r.column for r in binding.role("weight column")), None)

    frame = table.frame
    distinct = DistinctCells(frame)
    id_columns = list(dup_columns) or ([table.id_column] if table.id_column else [])
    duration = [table.duration_column] if table.duration_column and model.quality.min_duration is not None else []
    distinct.prefetch([*columns, *seg_columns.values(), *id_columns, *duration])
    coded, invalid_cells = _convert_items(table, model.all_items, columns, distinct, strict)
    weights = respondent_weights(table, weight_header) if weight_header is not None else None
    for kind in ("comments", "population margin"):  # checked after the answers, as they always were
        for r in binding.role(kind):
            if r.issues:
                raise DataError(list(r.issues))

    reason = exclusion_reasons(table, model, coded, distinct, id_columns)
    kept = np.flatnonzero(reason == 0)
    values, straight = kept_values(model, coded, kept)
    quality = _quality(table, reason, kept, kept[straight], invalid_cells)
    if not kept.size or not _any_answer(values):
        raise DataError(_no_usable_answers(table, model, quality))
    segments = {name: _segment(distinct, col, kept) for name, col in seg_columns.items()}
    weighting: dict[str, object] = {"source": "column", "column": weight_header} if weight_header else {}
    kept_weights = None if weights is None else weights[kept]
    if model.margins:
        margin_columns = [str(r.column) for r in binding.role("population margin")]
        kept_weights, weighting = rake_kept(table, model, distinct, margin_columns, kept, kept_weights)
    comments = {r.name: _comments(table, distinct, str(r.column), kept) for r in binding.role("comments")}
    return Responses(values, tuple(i.id for i in model.all_items), tuple(columns), _row_numbers(table, kept), quality,
                     kept_weights, segments, weighting, comments, _personal(table, list(binding.pii), kept) if comments else None)


def _convert_items(table: Table, items: Sequence[Item], columns: Sequence[str], distinct: DistinctCells,
                   strict: bool) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[InvalidCells]]:
    """Per item: codes into its distinct cells and each distinct cell's 0–100 value; the
    invalid cells found. Raises the columns that do not fit their item (and, under
    ``strict``, every invalid cell)."""
    frame = table.frame
    coded: list[tuple[np.ndarray, np.ndarray]] = []
    converted: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    invalid_cells: list[InvalidCells] = []
    column_issues: list[Issue] = []
    strict_issues: list[Issue] = []
    for item, col in zip(items, columns, strict=True):
        codes, cells = distinct[col]
        labelled = column_value_labels(frame[col])
        # Items on the same scale with the same labels usually hold the same handful of
        # answers: each such set of cells is converted once (pandas costs a millisecond a call).
        key = (item.type, item.scale, item.labels, item.missing, str(cells.dtype), tuple(cells.tolist())) \
            if labelled is None and len(cells) <= 256 else None
        if key is not None and key in converted:
            raw, bad = converted[key]
        else:
            raw, bad = convert_cells(cells, item, table.missing_codes, labelled)
            if key is not None:
                converted[key] = raw, bad
        if item.type == "metric":
            assert item.best is not None and item.worst is not None
            coded.append((codes, metric_score(raw, item.best, item.worst)))
        else:
            coded.append((codes, rescale(raw, item.scale, item.reverse)))
        where = np.flatnonzero(np.take(bad, codes)) if bad.any() else np.empty(0, dtype=np.intp)
        if where.size:
            invalid_cells.append(_invalid_summary(table, item, col, where))
            valid = int(np.count_nonzero(~np.isnan(np.take(raw, codes))))
            problem = _unusable_column(table, item, col, valid, where)
            if problem is not None:
                column_issues.append(problem)
            elif strict:
                strict_issues += _strict_issues(table, item, col, where)
    if column_issues or strict_issues:
        raise DataError(column_issues + strict_issues)
    return coded, invalid_cells


def _invalid_summary(table: Table, item: Item, col: str, where: np.ndarray) -> InvalidCells:
    shown = [shown_cell(table.frame[col].iloc[i]) for i in where[:EXAMPLE_ROWS]]
    return InvalidCells(item.id, col, table.letter(col), int(where.size),
                        tuple(table.row_number(int(i)) for i in where[:EXAMPLE_ROWS]), tuple(shown))


def _strict_issues(table: Table, item: Item, col: str, where: np.ndarray) -> list[Issue]:
    out = []
    letter = table.letter(col)
    for i in where:
        cell = shown_cell(table.frame[col].iloc[i])
        hint = "; Excel turns answers such as 5/4 into dates: enter them as text" if DATE_TEXT.match(cell) else ""
        out.append(Issue("invalid-answer", f"expected {expected_answer(item)}, got {cell!r}{hint}", file=table.path, sheet=table.sheet,
                         row=table.row_number(int(i)), column=col, letter=letter, value=cell))
    return out


def _any_answer(values: np.ndarray) -> bool:
    """Whether any cell holds a value, looking at a block of rows at a time: the first block
    of a real survey answers it, where ``np.isnan`` over all of a million × 40 matrix would
    write a bool for every cell."""
    return any(not np.isnan(values[start:start + BLOCK_ROWS]).all() for start in range(0, len(values), BLOCK_ROWS))


def _quality(table: Table, reason: np.ndarray, kept: np.ndarray, straight: np.ndarray,
             invalid_cells: Sequence[InvalidCells]) -> DataQuality:
    """What the respondent rules found: counts, and the rows with their reasons."""
    excluded_rows = np.flatnonzero(reason)
    exclusions = tuple(zip(_row_numbers(table, excluded_rows).tolist(),
                           np.array(EXCLUSION_REASONS, dtype=object)[reason[excluded_rows] - 1].tolist(), strict=True))
    counts = np.bincount(reason, minlength=len(EXCLUSION_REASONS) + 1)
    return DataQuality(len(table.frame), int(kept.size), {r: int(c) for r, c in zip(EXCLUSION_REASONS, counts[1:], strict=True)},
                       {"straightliner": int(straight.size)}, tuple(invalid_cells), exclusions,
                       tuple((row, "straightliner") for row in _row_numbers(table, straight).tolist()))


def _segment(distinct: DistinctCells, col: str, kept: np.ndarray) -> pd.Categorical:
    """Each kept respondent's value of a ``--by`` column as text, "(missing)" where blank."""
    codes, cells = distinct[col]
    text = pd.Series([segment_text(v) for v in cells], dtype="string").str.strip().fillna("(missing)").replace("", "(missing)")
    same, labels = pd.factorize(np.append(text.to_numpy(dtype=object), "(missing)"))  # " 一部" is "一部"
    return pd.Categorical.from_codes(np.take(same, codes[kept]), categories=pd.Index(labels, dtype=object), validate=False)


def segment_text(value: object) -> str | None:
    """A segment's value as a report shows it: a whole-number code without ".0" (问卷星 按序号
    writes 部门 as 1, 2, 3, which a numeric column holds as 1.0, 2.0, 3.0); None when blank.

    >>> segment_text(1.0), segment_text(2.5), segment_text("一组"), segment_text(float("nan"))
    ('1', '2.5', '一组', None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


def _comments(table: Table, distinct: DistinctCells, col: str, kept: np.ndarray) -> np.ndarray:
    """The kept respondents' open-text answers, "" where none or "nothing to say"."""
    nothing = list({*table.missing_codes, *NO_COMMENT})
    codes, cells = distinct[col]
    text = cells.astype("string").str.strip().fillna("")
    text = text.where(~text.str.lower().isin(nothing), "")
    return np.take(np.append(text.to_numpy(dtype=object), ""), codes[kept])


def _no_usable_answers(table: Table, model: Model, quality: DataQuality) -> Issue:
    """Not one answer to score: an error, never an index of 0."""
    rows = f"{quality.rows} row{'s' if quality.rows != 1 else ''} read"
    others = {reason: n for reason, n in quality.excluded.items() if n and reason != "empty"}
    if others:  # answers there were, but the respondent rules set every row with one aside
        excluded = ", ".join(f"{reason} {n}" for reason, n in quality.excluded.items() if n)
        why = (f"{rows}, every one excluded ({excluded}) by the data-quality rules; check the model's quality: settings "
               "(min_duration, min_answered, duplicate_by) against this export")
    else:
        codes = sorted({*table.missing_codes, *(m for item in model.all_items for m in item.missing)})
        shown = ", ".join(repr(c) for c in codes[:6]) + (" …" if len(codes) > 6 else "")
        why = (f"{rows}, and every answer to the model's questions is blank or a missing code ({shown or 'none declared'}); "
               "check that this is the export of the survey the model describes, with its answers (not only the header)")
    return Issue("no-usable-answers", f"no usable answers: {why}", file=table.path, sheet=table.sheet)


def _personal(table: Table, pii: Sequence[str], kept: np.ndarray) -> PersonalCells | None:
    """The kept respondents' cells in the personal-data columns ``pii``: the values
    :func:`csi.privacy.mask_own` masks in the comments quoted from that respondent, looked up
    when a comment is quoted (a few per weak point), not copied here for every row."""
    pii = [c for c in pii if c in table.frame.columns]
    return PersonalCells(tuple(table.frame[c].array for c in pii), kept) if pii else None


def _row_numbers(table: Table, i: np.ndarray) -> np.ndarray:
    """Spreadsheet rows of frame rows ``i``: :meth:`Table.row_number` for many rows at once."""
    return np.add(i, table.first_row, dtype=np.int64)


def _unusable_column(table: Table, item: Item, col: str, valid: int, bad_rows: np.ndarray) -> Issue | None:
    """A column whose answers as a whole do not fit the item, even without ``strict``.

    ``valid`` answers are usable, those on ``bad_rows`` are not.
    ``no-valid-answers``: answers were given but not one is usable (dates where ratings
    belong, text in a measured column): the model is probably bound to the wrong column.
    ``scale-mismatch``: at least 3 answers, and a fifth of all, are numbers outside the
    item's scale: the question was asked on another scale (1–10 where the model says 1–5).
    A stray typo stays an invalid answer, counted and reported, not an error.
    """
    letter = table.letter(col)
    cells = table.frame[col].iloc[bad_rows]
    first = table.row_number(int(bad_rows[0]))
    example = shown_cell(cells.iloc[0])
    where = {"file": table.path, "sheet": table.sheet, "row": first, "column": col, "letter": letter}
    numbers = number_values(cells)
    numbers = numbers[np.isfinite(numbers)]
    given = valid + len(cells)
    if item.type != "metric" and numbers.size >= 3 and numbers.size >= 0.2 * given:
        low, high = min(item.scale.min, float(numbers.min())), max(item.scale.max, float(numbers.max()))
        return Issue("scale-mismatch",
                     f"{item.path} ({item.id}): {numbers.size} of its {given} answers are numbers outside the scale "
                     f"{item.scale.min:g}–{item.scale.max:g} (from {float(numbers.min()):g} to {float(numbers.max()):g}, "
                     f"first on row {first}); the question seems to use another scale: give the item "
                     f"scale: {{min: {low:g}, max: {high:g}}} in the model, or check that it is bound to the right column",
                     **where)
    if valid == 0:
        dates = sum(bool(DATE_TEXT.match(cell_text(v))) for v in cells)
        if dates * 2 >= len(cells):
            what = f'dates or times (e.g. "{example}" on row {first}), not answers'
        else:
            what = f'{len(cells)} answer{"s" if len(cells) > 1 else ""} and not one is usable (e.g. "{example}" on row {first})'
        return Issue("no-valid-answers", f"{item.path} ({item.id}): the column holds {what}; expected {expected_answer(item)}. "
                     "Check that the model binds the right column (column: or match:)", **where)
    return None
