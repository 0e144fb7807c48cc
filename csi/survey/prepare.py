"""From a read table to responses: every item on 0–100, data-quality rules applied.

Rescaling (DESIGN.md §4, METHODS.md): a rating answer x on the item's declared scale
[min, max] becomes r = (x − min)/(max − min) × 100; a reverse-worded item first maps
x → min + max − x. A measured (``metric``) value v becomes
100 · clip((worst − v)/(worst − best), 0, 1). Text answers go through the model's ``labels``;
answers listed under ``missing`` (and a preset's skip codes) are no answer; anything else
that is not a number on the scale is *invalid*: counted per column with the first rows, and
an error under ``strict``.

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

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from csi.errors import DataError, Issue
from csi.model import Item, Model, Scale
from csi.privacy import mask_text
from csi.responses import DataQuality, InvalidCells, Responses
from csi.survey.read import Table, find_column, parse_duration, question_number, question_stem

_ArrayLike = np.ndarray | ExtensionArray

__all__ = ["InvalidCells", "DataQuality", "Responses", "Binding", "Role", "bind_columns", "prepare", "rescale", "metric_score", "convert_column", "shown_cell",
           "pii_columns", "columns_used"]

#: How many example rows an invalid-cell summary keeps per column.
EXAMPLE_ROWS = 5
EXCLUSION_REASONS = ("empty", "incomplete", "speeder", "duplicate")
#: Open-text answers that say there is nothing to say (compared in lower case).
NO_COMMENT = frozenset({"无", "没有", "暂无", "无意见", "没有意见", "暂无意见", "无建议", "没有建议", "暂无建议", "无意见或建议",
                        "none", "no", "n/a", "na", "nil", "-", "/", "—", "无。", "没有。"})


def rescale(x: np.ndarray, scale: Scale, reverse: bool = False) -> np.ndarray:
    """Rescale raw answers on ``scale`` to 0–100 (reverse-worded items flipped first)."""
    if reverse:
        x = scale.min + scale.max - x
    return (x - scale.min) / (scale.max - scale.min) * 100.0


def metric_score(v: np.ndarray, best: float, worst: float) -> np.ndarray:
    """Score a measured value: 100 at or better than ``best``, 0 at or worse than ``worst``."""
    with np.errstate(invalid="ignore"):
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
_THREADED_ROWS = 100_000


class _DistinctCells:
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
        if workers > 1 and len(self._frame) >= _THREADED_ROWS:
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
        file_labels = _file_labels(s)
    codes, cells = _distinct(s)
    raw, bad = _convert(cells, item, missing_codes, file_labels)
    return np.take(raw, codes), np.take(bad, codes)


def _file_labels(s: pd.Series) -> Mapping[object, str] | None:
    """The value labels (code → label) a column's table carries for it, if any."""
    return (s.attrs.get("value_labels") or {}).get(s.name)


def _convert(cells: pd.Series, item: Item, missing_codes: Sequence[str],
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
    else:
        with np.errstate(invalid="ignore"):
            bad = given & ~((raw >= item.scale.min) & (raw <= item.scale.max))
    raw[bad] = np.nan
    return raw, bad


def _cell_text(value: object) -> str:
    """A cell as the user typed it: 6.0 read from a spreadsheet shows as 6."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def shown_cell(value: object, limit: int = 40) -> str:
    """A cell as messages and reports may quote it: e-mail addresses, IP addresses, phone
    and ID numbers masked (a respondent may type one into any box), long text cut.

    >>> shown_cell("很好"), shown_cell(6.0), shown_cell("13800138000"), shown_cell("a@b.cn 5分"), shown_cell("2026-05-04 00:00:00")
    ('很好', '6', '[电话]', '[邮箱] 5分', '2026-05-04 00:00:00')
    >>> shown_cell("IP 203.0.113.7")
    'IP [IP]'
    """
    text = _cell_text(value)
    if not _DATE.match(text):  # a date is not a phone number
        text = mask_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pii_columns(table: Table, model: Model) -> dict[str, str]:
    """The file's columns of personal data, each with why it is one.

    The preset's (``来自IP``) and the model's ``pii:`` list, a name matching as a column
    spec does — exact header, another name of it (:attr:`Table.aliases`), text after the
    question number, ``Q5`` — but every match counts: an ambiguous name protects all the
    columns it could mean.
    """
    headers = [str(h) for h in table.frame.columns]
    out = {h: f"the {table.preset} export's personal-data column" for h in table.pii_columns}
    for name in model.pii:
        wanted = name.strip()
        number = int(wanted[1:]) if re.fullmatch(r"[Qq]\d+", wanted) else None
        alias = [table.aliases[wanted]] if wanted in table.aliases else []
        hits = [h for h in headers if h == wanted] or alias or [
            h for h in headers if question_stem(h) == wanted or (number is not None and question_number(h) == number)]
        for h in hits:
            out.setdefault(h, "listed under pii: in the model")
    return out


def _expected(item: Item) -> str:
    if item.type == "metric":
        return "a number (a measured value)"
    what = f"{item.scale.min:g}–{item.scale.max:g}"
    if item.labels:
        names = [k for k, _ in item.labels]
        shown = " … ".join([names[0], names[-1]]) if len(names) > 2 else ", ".join(names)
        what += f" or a label ({shown})"
    return what


def columns_used(table: Table, model: Model, *, by: Sequence[str] = (), weight_column: str | None = None) -> set[str] | None:
    """The headers :func:`prepare` reads from ``table`` for ``model``: its items, ``--by``,
    ``--weight-column``, ``quality.duplicate_by`` (else the preset's id column), the duration
    column when there is a ``min_duration``, ``comments:`` and ``population.margins``. None
    when one of them does not bind to exactly one header: :func:`prepare` then needs every
    column to say what is wrong (and which headers come closest).

    For :func:`~csi.survey.read.read_survey`'s ``columns``: a file is read only as far as
    scoring it needs. It looks at the headers only, not at any cell.
    """
    names = [(item.column, item.match) for item in model.all_items]
    names += [(name, None) for name in (*by, *model.quality.duplicate_by, *model.comments)]
    names += [(column, None) for column, _ in model.margins]
    if weight_column is not None:
        names.append((weight_column, None))
    try:
        used = {find_column(table, column=column, match=match) for column, match in names}
    except DataError:
        return None
    if not model.quality.duplicate_by and table.id_column:
        used.add(table.id_column)
    if table.duration_column and model.quality.min_duration is not None:
        used.add(table.duration_column)
    return used


@dataclass(frozen=True, slots=True)
class Role:
    """A column the model or the run names for another purpose than an item: a segment, the
    duplicate key, the weight column, a comment column, a population margin."""

    role: str
    name: str
    column: str | None
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Binding:
    """How a model maps onto a table's columns: one entry per item of ``model.all_items``
    (its header, or None with the issues that say why), the other roles, the personal-data
    columns and the bindings that would read them.

    :func:`prepare` raises on its issues; ``csi validate`` shows them all.
    """

    items: tuple[str | None, ...]
    item_issues: tuple[tuple[Issue, ...], ...]
    roles: tuple[Role, ...]
    pii: dict[str, str]
    pii_issues: tuple[Issue, ...]

    def role(self, kind: str) -> list[Role]:
        return [r for r in self.roles if r.role == kind]

    def mapping_issues(self) -> list[Issue]:
        """The issues :func:`prepare` raises first: items, ``--by``, the duplicate key, the
        weight column and personal data (comment and margin columns are checked later)."""
        issues = [i for found in self.item_issues for i in found]
        for kind in ("by", "duplicate key", "weight column"):
            issues += [i for r in self.role(kind) for i in r.issues]
        return issues + list(self.pii_issues)


def _role(table: Table, role: str, name: str, what: str) -> Role:
    try:
        return Role(role, name, find_column(table, column=name, what=what))
    except DataError as e:
        return Role(role, name, None, tuple(e.issues))


def bind_columns(table: Table, model: Model, *, by: Sequence[str] = (), weight_column: str | None = None) -> Binding:
    """Find every column ``model`` (and ``by``, ``weight_column``) names in ``table``; never raises."""
    items: list[str | None] = []
    item_issues: list[tuple[Issue, ...]] = []
    for item in model.all_items:
        try:
            items.append(find_column(table, column=item.column, match=item.match, what=f"{item.path} ({item.id})"))
            item_issues.append(())
        except DataError as e:
            items.append(None)
            item_issues.append(tuple(e.issues))
    roles = [_role(table, "by", name, f"segment {name!r}") for name in by]
    roles += [_role(table, "segment", name, f"segment {name!r}") for name in model.segments]
    roles += [_role(table, "duplicate key", name, f"quality.duplicate_by {name!r}") for name in model.quality.duplicate_by]
    if weight_column is not None:
        roles.append(_role(table, "weight column", weight_column, "--weight-column"))
    roles += [_role(table, "comments", name, f"comments {name!r}") for name in model.comments]
    roles += [_role(table, "population margin", column, f"population.margins {column!r}") for column, _ in model.margins]
    pii = pii_columns(table, model)
    return Binding(tuple(items), tuple(item_issues), tuple(roles), pii, tuple(_pii_issues(table, model, items, roles, pii)))


def _pii_issues(table: Table, model: Model, items: Sequence[str | None], roles: Sequence[Role], pii: Mapping[str, str]) -> list[Issue]:
    """A binding that would read personal data: an item, ``--by``, the weight column, a comment column."""
    where = {"file": table.path, "sheet": table.sheet}
    issues = []

    def problem(col: str, message: str) -> None:
        issues.append(Issue("pii-column", message, column=col, letter=table.letter(col), **where))

    for item, col in zip(model.all_items, items, strict=True):
        if col in pii:
            problem(col, f"{item.path} ({item.id}) is bound to a column of personal data ({pii[col]}); "
                         "nothing is scored from personal data: bind the item to another column")
    why = {"by": "a breakdown by it would print its values in every report: choose another column",
           "weight column": "choose another column",
           "comments": "--verbatims would quote it: list an open question there instead"}
    for r in roles:
        if r.column in pii and r.role in why:
            label = {"by": f"--by {r.name}", "weight column": "--weight-column", "comments": f"comments {r.name!r}"}[r.role]
            problem(r.column, f"{label}: a column of personal data ({pii[r.column]}); {why[r.role]}")
    return issues


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
    issues = binding.mapping_issues()
    if issues:
        raise DataError(issues)
    columns = [str(c) for c in binding.items]
    seg_columns = {r.name: str(r.column) for r in binding.role("by")}
    dup_columns = [str(r.column) for r in binding.role("duplicate key")]
    weight_header = next((r.column for r in binding.role("weight column")), None)

    frame = table.frame
    distinct = _DistinctCells(frame)
    id_columns = list(dup_columns) or ([table.id_column] if table.id_column else [])
    duration = [table.duration_column] if table.duration_column and model.quality.min_duration is not None else []
    distinct.prefetch([*columns, *seg_columns.values(), *id_columns, *duration])
    coded, invalid_cells = _convert_items(table, model.all_items, columns, distinct, strict)
    weights = _respondent_weights(table, weight_header) if weight_header is not None else None
    for kind in ("comments", "population margin"):  # checked after the answers, as they always were
        for r in binding.role(kind):
            if r.issues:
                raise DataError(list(r.issues))

    reason = _exclusions(table, model, coded, distinct, id_columns)
    kept = np.flatnonzero(reason == 0)
    values, straight = _kept_values(model, coded, kept)
    quality = _quality(table, reason, kept, kept[straight], invalid_cells)
    segments = {name: _segment(distinct, col, kept) for name, col in seg_columns.items()}
    weighting: dict[str, object] = {"source": "column", "column": weight_header} if weight_header else {}
    kept_weights = None if weights is None else weights[kept]
    if model.margins:
        margin_columns = [str(r.column) for r in binding.role("population margin")]
        kept_weights, weighting = _rake(table, model, distinct, margin_columns, kept, kept_weights)
    comments = {r.name: _comments(table, distinct, str(r.column), kept) for r in binding.role("comments")}
    return Responses(values, tuple(i.id for i in model.all_items), tuple(columns), _row_numbers(table, kept), quality,
                     kept_weights, segments, weighting, comments)


def _convert_items(table: Table, items: Sequence[Item], columns: Sequence[str], distinct: _DistinctCells,
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
        file_labels = _file_labels(frame[col])
        # Items on the same scale with the same labels usually hold the same handful of
        # answers: each such set of cells is converted once (pandas costs a millisecond a call).
        key = (item.type, item.scale, item.labels, item.missing, str(cells.dtype), tuple(cells.tolist())) \
            if file_labels is None and len(cells) <= 256 else None
        if key is not None and key in converted:
            raw, bad = converted[key]
        else:
            raw, bad = _convert(cells, item, table.missing_codes, file_labels)
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
        hint = "; Excel turns answers such as 5/4 into dates: enter them as text" if _DATE.match(cell) else ""
        out.append(Issue("invalid-answer", f"expected {_expected(item)}, got {cell!r}{hint}", file=table.path, sheet=table.sheet,
                         row=table.row_number(int(i)), column=col, letter=letter, value=cell))
    return out


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


def _segment(distinct: _DistinctCells, col: str, kept: np.ndarray) -> pd.Categorical:
    """Each kept respondent's value of a ``--by`` column as text, "(missing)" where blank."""
    codes, cells = distinct[col]
    text = cells.astype("string").str.strip().fillna("(missing)").replace("", "(missing)")
    same, labels = pd.factorize(np.append(text.to_numpy(dtype=object), "(missing)"))  # " 一部" is "一部"
    return pd.Categorical.from_codes(np.take(same, codes[kept]), categories=pd.Index(labels, dtype=object), validate=False)


def _comments(table: Table, distinct: _DistinctCells, col: str, kept: np.ndarray) -> np.ndarray:
    """The kept respondents' open-text answers, "" where none or "nothing to say"."""
    nothing = list({*table.missing_codes, *NO_COMMENT})
    codes, cells = distinct[col]
    text = cells.astype("string").str.strip().fillna("")
    text = text.where(~text.str.lower().isin(nothing), "")
    return np.take(np.append(text.to_numpy(dtype=object), ""), codes[kept])


def _row_numbers(table: Table, i: np.ndarray) -> np.ndarray:
    """Spreadsheet rows of frame rows ``i``: :meth:`Table.row_number` for many rows at once."""
    return np.add(i, table.first_row, dtype=np.int64)


def _rake(table: Table, model: Model, distinct: _DistinctCells, columns: Sequence[str], rows: np.ndarray,
          base: np.ndarray | None) -> tuple[np.ndarray, dict[str, object]]:
    """Rake the kept respondents (frame rows ``rows``) to the model's population margins (csi.raking)."""
    from csi.raking import rake

    categories = []
    issues: list[Issue] = []
    for (name, shares), col in zip(model.margins, columns, strict=True):
        codes, cells = distinct[col]
        names = np.empty(len(cells) + 1, dtype=object)
        names[:-1] = [_cell_text(v).strip() for v in cells.tolist()]
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
    numbers = _numbers(cells)
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
        dates = sum(bool(_DATE.match(_cell_text(v))) for v in cells)
        if dates * 2 >= len(cells):
            what = f'dates or times (e.g. "{example}" on row {first}), not answers'
        else:
            what = f'{len(cells)} answer{"s" if len(cells) > 1 else ""} and not one is usable (e.g. "{example}" on row {first})'
        return Issue("no-valid-answers", f"{item.path} ({item.id}): the column holds {what}; expected {_expected(item)}. "
                     "Check that the model binds the right column (column: or match:)", **where)
    return None


def _numbers(s: pd.Series) -> np.ndarray:
    """The cells of a column as numbers, read from their text (NaN where there is none)."""
    codes, cells = _distinct(s)
    if cells.dtype == np.float64:
        numbers = cells.to_numpy()  # a float's text reads back as itself
    else:
        numbers = pd.to_numeric(_normalise_text(cells), errors="coerce").astype("float64").to_numpy()
    return np.take(np.append(numbers, np.nan), codes)


def _respondent_weights(table: Table, header: str) -> np.ndarray:
    raw = _numbers(table.frame[header])
    bad = ~(np.isfinite(raw) & (raw > 0))
    if bad.any():
        letter = table.letter(header)
        raise DataError([Issue("invalid-weight", f"a respondent weight must be a number greater than 0, got {shown_cell(table.frame[header].iloc[i])!r}",
                               file=table.path, sheet=table.sheet, row=table.row_number(int(i)), column=header, letter=letter)
                         for i in np.flatnonzero(bad)])
    return raw


def _durations(table: Table, distinct: _DistinctCells) -> np.ndarray | None:
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


def _later_submissions(distinct: _DistinctCells, id_columns: Sequence[str]) -> np.ndarray:
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


def _exclusions(table: Table, model: Model, coded: Sequence[tuple[np.ndarray, np.ndarray]], distinct: _DistinctCells,
                id_columns: Sequence[str]) -> np.ndarray:
    """Respondent rules of DESIGN.md §4: per row 0 (kept) or 1 + the index of its reason in
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

    _run_all(count, (slice(0, n // 2), slice(n // 2, n)), threaded=n >= _THREADED_ROWS)  # halves of the rows
    reason = np.zeros(n, dtype=np.int8)
    reason[(answered_index == 0) & ~answered_other] = 1
    reason[(answered_index < model.quality.min_answered * k_index) & (reason == 0)] = 2
    if model.quality.min_duration is not None:
        seconds = _durations(table, distinct)
        if seconds is not None:
            with np.errstate(invalid="ignore"):
                reason[(seconds < model.quality.min_duration) & (reason == 0)] = 3
    if id_columns:
        reason[_later_submissions(distinct, id_columns) & (reason == 0)] = 4
    return reason


#: Rows written at a time: a block of the n × k matrix stays in the CPU cache while it is filled
#: column by column and checked for straight-lining.
_BLOCK_ROWS = 32768


def _kept_values(model: Model, coded: Sequence[tuple[np.ndarray, np.ndarray]],
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
        rows = kept[start:start + _BLOCK_ROWS]
        block = values[start:start + _BLOCK_ROWS]
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
                straight[start:start + _BLOCK_ROWS] = (answered >= least) & (high - low == 0)

    _run_all(fill, range(0, kept.size, _BLOCK_ROWS), threaded=kept.size >= _THREADED_ROWS)
    return values, straight


def _run_all(function: Callable[[Any], None], parts: Iterable[Any], threaded: bool) -> None:
    """``function`` on every part (of the rows: parts write to disjoint rows), on two threads
    when ``threaded``: numpy lets go of the GIL in the work they do."""
    if threaded:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(function, parts))
    else:
        for part in parts:
            function(part)
