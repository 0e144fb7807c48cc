"""The cell rules (:mod:`csi.survey.read`), applied to one column of text at a time.

A column gets the rules once per distinct text (hashed), unless rows sampled across it are
nearly all distinct (ids, phone numbers, times): then row by row, and a column of plain whole
numbers by a digits check. Both give the same cells (``tests/test_read_reference.py`` checks
them against the rules applied in the most direct way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas, numpy and pyarrow are imported when a file is read, not before
    import numpy as np
    import pandas as pd

__all__ = ["NUMBER", "is_text", "has_data", "column_cells", "number_cells"]

NUMBER = r"^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$"


def is_text(kind: Any) -> bool:
    """A string type, or a dictionary of strings (how a CSV's columns are read)."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def has_data(column: Any) -> bool:
    import numpy as np
    import pyarrow.compute as pc

    if is_text(column.type):
        values, codes = _distinct(column)
        filled = pc.not_equal(pc.utf8_trim_whitespace(values), "").fill_null(False).to_numpy(zero_copy_only=False)
        return bool(np.append(filled, False)[codes].any())
    return len(column) - column.null_count > 0


def column_cells(column: Any, exact: Any = None) -> tuple[Any, np.ndarray]:
    """One column of text under the cell rules, and which of its rows hold a value.

    The cells: float64 when every value is a number; when every value is text, a pandas
    ``Categorical`` if the texts repeat (:func:`_repeats`: answer labels, segments) and a
    ``str`` Series if not; with both, an object array holding floats and strs. ``exact``
    holds the column's numeric cells as float64 (null elsewhere); it replaces the parse of
    the text where the text is a number.

    A column gets the rules once per distinct text (hashed), unless rows sampled across it
    are nearly all distinct (ids, phone numbers, times): then row by row. Both give the same.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_null(column.type):
        return np.full(len(column), np.nan), np.zeros(len(column), dtype=bool)
    if not pa.types.is_dictionary(column.type):
        column = _string_array(column)
        if len(column) > _SAMPLE_ROWS:  # rows spread over the column: nearly all distinct?
            sample = column.take(np.linspace(0, len(column) - 1, _SAMPLE_ROWS).astype(np.int64))
            if len(pc.unique(sample)) > 0.95 * _SAMPLE_ROWS:
                return _cells_by_row(column, exact)
    return _cells_by_value(column, exact)


#: How many rows of a column tell whether its texts repeat (see :func:`column_cells`).
_SAMPLE_ROWS = 4096


def _cells_by_value(column: Any, exact: Any) -> tuple[Any, np.ndarray]:
    """:func:`column_cells` applying the rules to each distinct text, then spreading the results
    over the rows: an index of -1 (a null cell) picks the "missing" appended at the end."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values, codes = _distinct(column)
    del column
    text = pc.utf8_trim_whitespace(values)
    null = pa.scalar(None, text.type)
    text = pc.if_else(pc.equal(text, ""), null, text)
    blank = np.append(text.is_null().to_numpy(zero_copy_only=False), True)
    given = ~blank[codes]
    used = np.zeros(len(text) + 1, dtype=bool)
    used[codes] = True
    counted = used[:-1] & ~blank[:-1]  # a value some row holds (a sliced-off header row's may linger)
    numeric = pc.match_substring_regex(text, NUMBER)
    is_number = numeric.fill_null(False).to_numpy(zero_copy_only=False)
    if not (is_number & counted).any():
        return _text_cells(text, codes, counted, int(given.sum())), given
    parsed = np.append(_floats(pc.cast(pc.if_else(numeric, text, null), pa.float64())), np.nan)
    if np.isinf(parsed).any():  # 400 digits are no float: the text stays text (an invalid answer, not 'inf')
        is_number &= np.isfinite(parsed[:-1])
        parsed[np.isinf(parsed)] = np.nan
        if not (is_number & counted).any():
            return _text_cells(text, codes, counted, int(given.sum())), given
    every = not (counted & ~is_number).any()
    exact_rows = None
    if exact is not None:  # where a number's text is rounded, its exact value replaces the parse
        exact_rows = np.append(is_number, False)[codes] & exact.is_valid().to_numpy(zero_copy_only=False)
    if every:
        numbers = parsed[codes]
        if exact_rows is not None:
            numbers[exact_rows] = _floats(exact)[exact_rows]
        return numbers, given
    if exact_rows is None or not exact_rows.any():  # (an exact value is per row, not per text)
        mixed = _mixed_categorical(text, parsed[:-1], is_number, counted, codes, int(given.sum()))
        if mixed is not None:
            return mixed, given
    cells = np.append(text.to_numpy(zero_copy_only=False).astype(object), np.nan)
    cells[:-1][is_number] = parsed[:-1][is_number]
    cells[blank] = np.nan
    cells = cells[codes]
    if exact_rows is not None:
        cells[exact_rows] = _floats(exact)[exact_rows]
    return cells, given


def _mixed_categorical(text: Any, parsed: np.ndarray, is_number: np.ndarray, counted: np.ndarray,
                       codes: np.ndarray, count: int) -> pd.Categorical | None:
    """Rows of a column of numbers and text whose cells repeat (:func:`_repeats`) as a
    ``Categorical``: its categories the numbers (ascending, float) then the texts (sorted,
    str), so that a cell is what the object array would hold and the rows share codes into
    their distinct cells. None when they do not repeat, or when the column holds both 0 and
    -0 (pandas takes them for one category, the rules for two cells).

    ``text`` holds distinct texts, ``parsed`` their numbers, ``is_number`` which are numbers,
    ``counted`` which some row holds, ``codes`` each row's position among them (-1:
    missing), ``count`` how many rows hold a value.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    held = np.flatnonzero(counted)
    as_number, as_text = held[is_number[held]], held[~is_number[held]]
    values = parsed[as_number]
    numbers = np.unique(values)
    if numbers.size and numbers[0] <= 0 <= numbers[-1] and np.unique(np.signbit(values[values == 0])).size > 1:
        return None
    words = text.take(pa.array(as_text, type=pa.int64())).to_pylist()
    ordered = sorted(set(words))
    if not _repeats(numbers.size + len(ordered), count):
        return None
    category = np.full(len(text) + 1, -1, dtype=np.int32)  # (-1 picks the last: a missing cell)
    category[as_number] = np.searchsorted(numbers, values)
    position = {word: i for i, word in enumerate(ordered, start=numbers.size)}
    category[as_text] = [position[w] for w in words]
    dtype = pd.CategoricalDtype(pd.Index([*numbers.tolist(), *ordered], dtype=object))
    return pd.Categorical.from_codes(category[codes].astype(_code_type(dtype.categories.size)), dtype=dtype,
                                     validate=False)


def _cells_by_row(column: Any, exact: Any) -> tuple[Any, np.ndarray]:
    """:func:`column_cells` applying the rules to every row of a string Array (with as few
    copies of a column of a million texts as the rules allow)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = _whole_numbers(column)
    if whole is not None:  # ids, phone numbers, seconds: digits only, as the rules read them
        given, numbers = whole
        if exact is not None:
            exact_rows = given & exact.is_valid().to_numpy(zero_copy_only=False)
            numbers[exact_rows] = _floats(exact)[exact_rows]
        return numbers, given
    text = pc.utf8_trim_whitespace(column)
    del column
    given = pc.not_equal(text, "").fill_null(False).to_numpy(zero_copy_only=False)
    numeric = pc.match_substring_regex(text, NUMBER).fill_null(False)
    is_number = numeric.to_numpy(zero_copy_only=False)
    count = int(is_number.sum())
    if count == 0:
        return _sorted_text_cells(text, given), given
    numbers = np.full(len(text), np.nan)
    numbers[is_number] = _floats(pc.cast(text.filter(numeric), pa.float64()))
    if np.isinf(numbers).any():  # 400 digits are no float: the text stays text
        is_number &= ~np.isinf(numbers)
        numbers[np.isinf(numbers)] = np.nan
        count = int(is_number.sum())
        if count == 0:
            return _sorted_text_cells(text, given), given
    if exact is not None:
        exact_rows = is_number & exact.is_valid().to_numpy(zero_copy_only=False)
        numbers[exact_rows] = _floats(exact)[exact_rows]
    if count == int(given.sum()):
        return numbers, given
    cells = text.to_numpy(zero_copy_only=False).astype(object)
    cells[is_number] = numbers[is_number]
    cells[~given] = np.nan
    return cells, given


def _whole_numbers(column: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Which rows hold a value and their float64 values, for a string Array of plain whole
    numbers ("0", "13800138000") and empty cells; None if any cell is anything else (spaces,
    a sign, a leading zero, a decimal point, text): :func:`_cells_by_row` then applies the
    full rules. Checking the digits is several times faster than the rules' regular
    expression over a million texts, and reads the same numbers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.ascii_is_decimal(column)  # (false for "")
    length = pc.binary_length(column)
    if not pc.all(pc.or_kleene(digits, pc.equal(length, 0)), skip_nulls=True).as_py():
        return None
    if pc.any(pc.and_(pc.starts_with(column, "0"), pc.greater(length, 1))).as_py():  # "007" is a code
        return None
    if pc.max(length).as_py() > 300:  # (a float reaches 1.8e308: longer digits take the full rules)
        return None
    given = digits.fill_null(False).to_numpy(zero_copy_only=False)
    if not given.all():
        column = pc.if_else(digits, column, pa.scalar(None, column.type))
    return given, np.where(given, _floats(pc.cast(column, pa.float64())), np.nan)


def _sorted_text_cells(text: Any, given: np.ndarray) -> Any:
    """:func:`_text_cells` for the rows of a string Array, mostly distinct texts; ``given``
    marks the rows holding one. Distinct texts are counted by sorting, which Arrow does
    several times faster than it hashes a million distinct texts (pyarrow 26)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    order = pc.array_sort_indices(text).to_numpy(zero_copy_only=False)
    order = order[given[order]]
    count = len(order)
    ordered = text.take(pa.array(order))
    first = _first_of_runs(ordered)
    if not _repeats(int(first.sum()), count):
        if count < len(text) - text.null_count:  # blank texts: missing
            text = pc.if_else(pa.array(given), text, pa.scalar(None, text.type))
        return text.cast(pa.large_string()).to_pandas()
    codes = np.full(len(text), -1, dtype=_code_type(int(first.sum())))
    codes[order] = np.cumsum(first) - 1
    return _categorical(ordered, first, codes)


def _text_cells(text: Any, codes: np.ndarray, counted: np.ndarray, count: int) -> Any:
    """Rows of a column of text only: ``Categorical`` with sorted categories when its
    texts repeat (:func:`_repeats`), else ``str``.

    ``text`` holds distinct texts (null for a blank), ``codes`` each row's position among
    them (-1: missing), ``counted`` which of them some row holds, ``count`` how many rows
    hold a value.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    held = np.flatnonzero(counted)
    order = held[pc.array_sort_indices(text.take(pa.array(held))).to_numpy(zero_copy_only=False)]
    ordered = text.take(pa.array(order))
    first = _first_of_runs(ordered)  # (texts that differed only in spaces are equal now)
    if not _repeats(int(first.sum()), count):
        return pc.take(text.cast(pa.large_string()), pa.array(codes, mask=codes < 0)).to_pandas()
    category = np.full(len(text) + 1, -1, dtype=_code_type(int(first.sum())))  # (-1 picks the last)
    category[order] = np.cumsum(first) - 1
    return _categorical(ordered, first, category[codes])


def _distinct(column: Any) -> tuple[Any, np.ndarray]:
    """The distinct cells of a text column (an Arrow string array) and, per row, the
    position of its cell among them (int32; -1 where the cell is null)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(_string_array(column))
    chunks = column.unify_dictionaries().chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not chunks:
        return pa.array([], pa.string()), np.empty(0, dtype=np.int32)
    codes = [(c.indices if c.null_count == 0 else pc.fill_null(c.indices, -1)).to_numpy(zero_copy_only=False)
             for c in chunks]
    return chunks[0].dictionary, (codes[0] if len(codes) == 1 else np.concatenate(codes)).astype(np.int32, copy=False)


def _string_array(column: Any) -> Any:
    """A column as one Arrow array of text (chunks combined, other types cast)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column if is_text(column.type) else pc.cast(column, pa.string())


def _first_of_runs(ordered: Any) -> np.ndarray:
    """Of a sorted string Array without nulls: which elements start a run of equal texts."""
    import numpy as np
    import pyarrow.compute as pc

    n = len(ordered)
    first = np.ones(n, dtype=bool)
    if n > 1:
        first[1:] = pc.not_equal(ordered.slice(1), ordered.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    return first


def _repeats(distinct: int, count: int) -> bool:
    """Whether ``count`` texts with ``distinct`` different ones make a categorical column:
    at most half as many distinct texts as texts, and at most 32 767 of them (answer labels,
    segments, names — not ids or times)."""
    return 2 * distinct <= count and distinct <= _MAX_CATEGORIES


_MAX_CATEGORIES = 32767


def _code_type(categories: int) -> Any:
    import numpy as np

    return np.int8 if categories < 127 else np.int16


def _categorical(ordered: Any, first: np.ndarray, codes: np.ndarray) -> pd.Categorical:
    import pandas as pd
    import pyarrow as pa

    dtype = pd.CategoricalDtype(pd.Index(ordered.filter(pa.array(first)).to_pandas()))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _floats(column: Any) -> np.ndarray:
    import numpy as np

    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def number_cells(values: np.ndarray, skip: np.ndarray | None = None) -> tuple[Any, Any]:
    """Numbers as (plain decimal text, exact float64 values): ``5.0`` → ``"5"``, 1e-05 → ``"0.00001"``.

    The text is what :func:`column_cells` recognises as a number; it then takes the exact value.
    NaN (and ``skip``) cells are null in both.
    """
    import numpy as np
    import pyarrow as pa

    missing = np.isnan(values) if skip is None else np.isnan(values) | skip
    distinct, inverse = np.unique(np.where(missing, 0.0, values), return_inverse=True)
    shown = np.array([np.format_float_positional(v, trim="-") for v in distinct.tolist()] or [""], dtype=object)
    text = shown[inverse.reshape(-1)] if len(values) else np.array([], dtype=object)
    return pa.array(text, pa.string(), mask=missing), pa.array(values, pa.float64(), mask=missing)
