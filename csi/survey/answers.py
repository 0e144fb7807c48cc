"""Answers to numbers: every cell of an item's column on the 0–100 scale, or invalid.

Rescaling (docs/methods.md#rescaling): a rating answer x on the item's declared scale
[min, max] becomes r = (x − min)/(max − min) × 100; a reverse-worded item first maps
x → min + max − x. A measured (``metric``) value v becomes
100 · clip((worst − v)/(worst − best), 0, 1). Text answers go through the model's ``labels``;
answers listed under ``missing`` (and a preset's skip codes) are no answer; anything else
that is not a number on the scale is *invalid*.

Each column is converted once per distinct cell (:class:`DistinctCells`), not once per row.

>>> import numpy as np
>>> from csi.model import Scale
>>> rescale(np.array([1.0, 3.0, 5.0]), Scale(1, 5)).tolist()
[0.0, 50.0, 100.0]
>>> rescale(np.array([1.0, 5.0]), Scale(1, 5), reverse=True).tolist()
[100.0, 0.0]
>>> metric_score(np.array([20.0, 75.0, 300.0]), best=30, worst=120).tolist()
[100.0, 50.0, 0.0]
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from csi.model import Item, Scale
from csi.privacy import mask_text

__all__ = ["rescale", "metric_score", "convert_column", "convert_cells", "shown_cell", "cell_text", "expected_answer", "column_value_labels", "number_values", "DistinctCells", "run_all", "THREADED_ROWS", "DATE_TEXT"]

_ArrayLike = np.ndarray | ExtensionArray


def rescale(x: np.ndarray, scale: Scale, reverse: bool = False) -> np.ndarray:
    """Rescale raw answers on ``scale`` to 0–100 (reverse-worded items flipped first).

    A scale whose span or sum overflows a float (``{min: -1e308, max: 1e308}``) is worked in
    halves, which cannot overflow.

    >>> rescale(np.array([-1e308, 0.0, 1e308]), Scale(-1e308, 1e308)).tolist()
    [0.0, 50.0, 100.0]
    """
    lo, hi = scale.min, scale.max
    if not (math.isfinite(hi - lo) and math.isfinite(hi + lo)):
        return ((hi / 2 - x / 2) if reverse else (x / 2 - lo / 2)) / (hi / 2 - lo / 2) * 100.0
    if reverse:
        x = lo + hi - x
    return (x - lo) / (hi - lo) * 100.0


def metric_score(v: np.ndarray, best: float, worst: float) -> np.ndarray:
    """Score a measured value: 100 at or better than ``best``, 0 at or worse than ``worst``."""
    with np.errstate(invalid="ignore", over="ignore"):
        if not math.isfinite(worst - best):  # (best and worst near the float limit: in halves, which cannot overflow)
            return np.clip((worst / 2 - v / 2) / (worst / 2 - best / 2), 0.0, 1.0) * 100.0
        return np.clip((worst - v) / (worst - best), 0.0, 1.0) * 100.0


def _normalise_text(s: pd.Series) -> pd.Series:
    """Strip and NFKC-normalise text cells (full-width ５ → 5, non-breaking spaces)."""
    text = s.astype("string").str.strip()
    if text.str.contains(r"[^\x00-\x7f]", regex=True, na=False).any():
        text = text.map(lambda v: unicodedata.normalize("NFKC", v) if isinstance(v, str) else v).astype("string")
    return text


def _distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A column as codes into its distinct cells: row i holds ``cells.iloc[codes[i]]``, -1 an empty cell.

    Whatever is read from a cell depends on the cell alone, so it is worked out once per
    distinct cell and spread to the rows with ``np.take`` (code -1 takes the last entry: put
    the value of an empty cell there). A survey column holds a handful of distinct answers.
    ``cells`` keeps the column's dtype, so that its text (``astype("string")``) is the text
    of the rows. Cells are distinct when their text differs: 1, 1.0 and True are three
    cells though Python finds them equal, and so are 0.0 and -0.0. Empty cells are None,
    NaN, NaT and NA.

    >>> codes, cells = _distinct(pd.Series(["b", None, "a", "b", 1.0, True], dtype=object))
    >>> codes.tolist(), cells.tolist()
    ([0, -1, 1, 0, 2, 3], ['b', 'a', 1.0, True])
    """
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), pd.Series(s.cat.categories)
    if dtype == np.float64 and len(s) > 1:  # a serial number counts up: every cell its own, no hashing
        x = s.to_numpy()
        if bool(np.all(x[1:] > x[:-1])):
            return _narrow(np.arange(len(x)), len(x)), s.reset_index(drop=True)
    values = s.array if isinstance(dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()
    codes, uniques = pd.factorize(values)
    if pd.api.types.is_object_dtype(dtype):
        codes, uniques = _split_equal_objects(values, codes, uniques)
    elif dtype.kind == "f" and len(uniques):
        codes, uniques = _split_zeros(s, codes, uniques)
    cells = pd.Series(uniques, dtype=dtype) if isinstance(uniques, np.ndarray) else pd.Series(uniques)
    return _narrow(codes, len(cells)), cells


#: Columns at least this long are factorized in threads: pyarrow's and pandas' hash tables
#: release the GIL, and a survey has dozens of columns.
THREADED_ROWS = 100_000


class DistinctCells:
    """:func:`_distinct` of a frame's columns, each worked out once."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._found: dict[str, tuple[np.ndarray, pd.Series] | Future[tuple[np.ndarray, pd.Series]]] = {}

    def prefetch(self, columns: Iterable[str]) -> None:
        """Start working out several columns in threads when they are long; a column is
        waited for when it is asked for, so that the caller goes on with the first while
        the last (a million distinct phone numbers: 60 ms) is still being worked out."""
        names = [c for c in dict.fromkeys(columns) if c not in self._found]
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = min(cpus, len(names), 4)
        if workers > 1 and len(self._frame) >= THREADED_ROWS:
            pool = ThreadPoolExecutor(workers)
            self._found.update((name, pool.submit(_distinct, self._frame[name])) for name in names)
            pool.shutdown(wait=False)  # (the work submitted still runs)
        else:
            self._found.update((name, _distinct(self._frame[name])) for name in names)

    def __getitem__(self, column: str) -> tuple[np.ndarray, pd.Series]:
        found = self._found.get(column)
        if found is None:
            found = self._found[column] = _distinct(self._frame[column])
        elif isinstance(found, Future):
            found = self._found[column] = found.result()
        return found


def _narrow(codes: np.ndarray, n: int) -> np.ndarray:
    """Codes in the smallest integer type that holds them: a code per row and item adds up."""
    for kind in (np.int8, np.int16, np.int32):
        if n <= np.iinfo(kind).max:
            return codes.astype(kind, copy=False)
    return codes


def _split_zeros(s: pd.Series, codes: np.ndarray, uniques: _ArrayLike) -> tuple[np.ndarray, _ArrayLike]:
    """Give -0.0 a code of its own (``pd.factorize`` finds it equal to 0.0; its text is "-0.0")."""
    u = np.asarray(uniques, dtype=np.float64)
    zero = np.flatnonzero(u == 0)
    if not zero.size:
        return codes, uniques
    x = s.to_numpy(dtype=np.float64, na_value=np.nan)
    zeros = x == 0
    negative = zeros & np.signbit(x)
    if not negative.any():
        return codes, uniques
    if np.count_nonzero(negative) == np.count_nonzero(zeros):
        u[zero] = -0.0
    else:
        u[zero] = 0.0
        codes[negative] = len(u)
        u = np.append(u, -0.0)
    return codes, pd.array(u, dtype=s.dtype) if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else u.astype(s.dtype)


def _split_equal_objects(values: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Part cells of an object column that ``pd.factorize`` took for one (1 == 1.0 == True).

    Text only equals text, so only the number-like cells are looked at again: Python floats
    by their bits; anything else (ints, bools, dates mixed in) by type and repr, one cell
    at a time — no reader makes such columns.
    """
    other = np.fromiter((not isinstance(u, str) for u in uniques), dtype=bool, count=len(uniques))
    if not other.any():
        return codes, uniques
    rows = np.flatnonzero(np.append(other, False)[codes])
    cells = values[rows]
    floats = all(type(u) in (float, np.float64) for u in uniques[other])
    if floats and pd.api.types.infer_dtype(cells, skipna=False) == "floating":
        if not (np.asarray(uniques[other], dtype=np.float64) == 0).any():
            return codes, uniques  # equal floats have the same text, except 0.0 and -0.0
        sub_codes, bits = pd.factorize(cells.astype(np.float64).view(np.int64))
        extra = bits.view(np.float64).tolist()
    else:
        seen: dict[tuple[type, str], int] = {}
        sub_codes = np.empty(len(cells), dtype=np.intp)
        extra = []
        for i, v in enumerate(cells):
            key = (type(v), repr(v))
            if key not in seen:
                seen[key] = len(extra)
                extra.append(v)
            sub_codes[i] = seen[key]
    texts = uniques[~other]
    renumber = np.append(np.cumsum(~other) - 1, -1)
    codes = np.take(renumber, codes)
    codes[rows] = len(texts) + sub_codes
    out = np.empty(len(texts) + len(extra), dtype=object)
    out[: len(texts)] = texts
    for i, v in enumerate(extra, start=len(texts)):
        out[i] = v
    return codes, out


# 腾讯问卷 exports a choice with its option letter: "A.非常满意".
_OPTION_LETTER = r"^[A-Za-z][.．、]\s*"


def convert_column(s: pd.Series, item: Item, missing_codes: Sequence[str] = (),
                   file_labels: Mapping[object, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Raw answers of one column as floats, and the mask of invalid cells.

    Returns ``(raw, invalid)``: ``raw`` holds the answer on the item's own scale (labels
    mapped, missing answers NaN); ``invalid`` marks cells that were given but are not usable.
    Text is looked up in the item's ``labels``, then without a leading option letter
    (``"A.非常满意"`` is ``非常满意``). An item without labels of its own takes a labelled
    SPSS value as its code: ``file_labels`` (code → label), by default the value labels
    the column's table carries (``s.attrs["value_labels"]``, see :func:`read_survey`).
    Each distinct cell is converted once (:func:`_distinct`), whatever the column's dtype.
    """
    if file_labels is None:
        file_labels = column_value_labels(s)
    codes, cells = _distinct(s)
    raw, bad = convert_cells(cells, item, missing_codes, file_labels)
    return np.take(raw, codes), np.take(bad, codes)


def column_value_labels(s: pd.Series) -> Mapping[object, str] | None:
    """The value labels (code → label) a column's table carries for it, if any."""
    return (s.attrs.get("value_labels") or {}).get(s.name)


def convert_cells(cells: pd.Series, item: Item, missing_codes: Sequence[str],
                  file_labels: Mapping[object, str] | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`convert_column` per distinct cell (:func:`_distinct`): ``(raw, invalid)``, the
    rows' values being ``np.take(raw, codes)``; the last entry is an empty cell's (NaN, valid)."""
    missing_words = {unicodedata.normalize("NFKC", m).strip() for m in (*item.missing, *missing_codes)}
    missing_numbers = []
    for word in missing_words:
        try:
            missing_numbers.append(float(word))
        except ValueError:
            pass
    mapping: dict[str, float] = {}
    if item.type != "metric":
        if item.labels:
            mapping = {unicodedata.normalize("NFKC", k).strip(): float(v) for k, v in item.labels}
        else:
            for code, label in (file_labels or {}).items():
                if isinstance(code, (int, float)) and not isinstance(code, bool):
                    mapping.setdefault(unicodedata.normalize("NFKC", str(label)).strip(), float(code))
    if cells.dtype == np.float64:
        raw, bad = _convert_numbers(cells.to_numpy(), item, missing_numbers, mapping)
    else:
        raw, bad = _convert_text(cells, item, missing_words, missing_numbers, mapping)
    return np.append(raw, np.nan), np.append(bad, False)


def _convert_text(cells: pd.Series, item: Item, missing_words: set[str], missing_numbers: list[float],
                  mapping: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Cells read as text: a number, a label, a missing word, or invalid."""
    text = _normalise_text(cells)
    blank = text.isna().to_numpy() | (text == "").fillna(True).to_numpy()
    numeric = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
    is_missing = blank | text.isin(missing_words).fillna(False).to_numpy()
    if missing_numbers:
        is_missing |= np.isin(numeric, missing_numbers)
    raw = numeric.copy()
    labelled = np.array(text.map(mapping), dtype=np.float64) if mapping else np.full(len(raw), np.nan)
    # text that is neither a number, a label nor a missing word: an option letter in front?
    unmatched = np.isnan(labelled) & np.isnan(numeric) & ~is_missing
    if unmatched.any() and item.type != "metric":
        bare = text[unmatched].str.replace(_OPTION_LETTER, "", regex=True)
        is_missing[unmatched] = bare.isin(missing_words).fillna(False).to_numpy()
        if mapping:
            labelled[unmatched] = bare.map(mapping).astype("float64").to_numpy()
    has_label = ~np.isnan(labelled)
    raw[has_label] = labelled[has_label]
    return _check(raw, is_missing, item)


def _convert_numbers(x: np.ndarray, item: Item, missing_numbers: list[float],
                     mapping: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Number cells (float64, none NaN), as :func:`_convert_text` reads their text.

    The text of a float64 cell reads back as the same float, and is a missing word only if
    that word's number is the cell's; a label can still be the cell's text ("5.0").
    """
    is_missing = np.isin(x, missing_numbers) if missing_numbers else np.zeros(len(x), dtype=bool)
    raw = x.copy()
    for key, code in mapping.items():
        try:
            number = float(key)
        except ValueError:
            continue
        if not np.isnan(number) and pd.Series([number]).astype("string").iloc[0] == key:
            raw[(x == number) & (np.signbit(x) == np.signbit(number))] = code
    return _check(raw, is_missing, item)


def _check(raw: np.ndarray, is_missing: np.ndarray, item: Item) -> tuple[np.ndarray, np.ndarray]:
    """Missing answers to NaN; answers off the scale (or not finite, when measured) invalid."""
    raw[is_missing] = np.nan
    given = ~is_missing
    if item.type == "metric":
        bad = given & ~np.isfinite(raw)
        if item.best is not None and item.worst is not None and min(item.best, item.worst) >= 0:
            bad |= given & (raw < 0)  # a time or a count measured from 0 cannot be negative
    else:
        with np.errstate(invalid="ignore"):
            bad = given & ~((raw >= item.scale.min) & (raw <= item.scale.max))
    raw[bad] = np.nan
    return raw, bad


def cell_text(value: object) -> str:
    """A cell as the user typed it: 6.0 read from a spreadsheet shows as 6."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def shown_cell(value: object, limit: int = 40) -> str:
    """A cell as messages and reports may quote it: e-mail addresses, IP addresses, phone
    and ID numbers masked (a respondent may type one into any box), long text cut.

    >>> shown_cell("很好"), shown_cell(6.0), shown_cell("13800138000"), shown_cell("a@b.cn 5分"), shown_cell("2026-05-04 00:00:00")
    ('很好', '6', '[电话]', '[邮箱] 5分', '2026-05-04 00:00:00')
    >>> shown_cell("IP 203.0.113.7")
    'IP [IP]'
    """
    text = cell_text(value)
    if not DATE_TEXT.match(text):  # a date is not a phone number
        text = mask_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expected_answer(item: Item) -> str:
    if item.type == "metric":
        return "a number (a measured value)"
    what = f"{item.scale.min:g}–{item.scale.max:g}"
    if item.labels:
        names = [k for k, _ in item.labels]
        shown = " … ".join([names[0], names[-1]]) if len(names) > 2 else ", ".join(names)
        what += f" or a label ({shown})"
    return what


def number_values(s: pd.Series) -> np.ndarray:
    """The cells of a column as numbers, read from their text (NaN where there is none)."""
    codes, cells = _distinct(s)
    if cells.dtype == np.float64:
        numbers = cells.to_numpy()  # a float's text reads back as itself
    else:
        numbers = pd.to_numeric(_normalise_text(cells), errors="coerce").astype("float64").to_numpy()
    return np.take(np.append(numbers, np.nan), codes)


def run_all(function: Callable[[Any], None], parts: Iterable[Any], threaded: bool) -> None:
    """``function`` on every part (of the rows: parts write to disjoint rows), on two threads
    when ``threaded``: numpy lets go of the GIL in the work they do."""
    if threaded:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(function, parts))
    else:
        for part in parts:
            function(part)
