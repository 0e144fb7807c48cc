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

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csi.errors import DataError, Issue
from csi.model import Item, Model, Scale
from csi.privacy import mask_text
from csi.survey.read import Table, durations_seconds, find_column, question_number, question_stem

__all__ = ["InvalidCells", "DataQuality", "Responses", "prepare", "rescale", "metric_score", "convert_column", "shown_cell",
           "pii_columns"]

#: How many example rows an invalid-cell summary keeps per column.
EXAMPLE_ROWS = 5
EXCLUSION_REASONS = ("empty", "incomplete", "speeder", "duplicate")
#: Open-text answers that say there is nothing to say (compared in lower case).
NO_COMMENT = frozenset({"无", "没有", "暂无", "无意见", "没有意见", "暂无意见", "无建议", "没有建议", "暂无建议", "无意见或建议",
                        "none", "no", "n/a", "na", "nil", "-", "/", "—", "无。", "没有。"})


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
    segments: dict[str, np.ndarray] = field(default_factory=dict)
    #: How respondent weights were made: column, raking (convergence, design effect), or nothing.
    weighting: dict[str, object] = field(default_factory=dict)
    #: Open-text answers of the model's comment columns, "" where none (not yet masked).
    comments: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    def subset(self, mask: np.ndarray) -> Responses:
        """The respondents where ``mask`` is true (quality counts refer to the whole file)."""
        return Responses(self.values[mask], self.item_ids, self.columns, self.rows[mask], self.quality,
                         None if self.weights is None else self.weights[mask],
                         {k: v[mask] for k, v in self.segments.items()}, self.weighting,
                         {k: v[mask] for k, v in self.comments.items()})


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
    Vectorised over the column: no Python per cell except for the rare non-ASCII text.
    """
    text = _normalise_text(s)
    blank = text.isna().to_numpy() | (text == "").fillna(True).to_numpy()
    missing_words = {unicodedata.normalize("NFKC", m).strip() for m in (*item.missing, *missing_codes)}
    numeric = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
    missing_numbers = []
    for word in missing_words:
        try:
            missing_numbers.append(float(word))
        except ValueError:
            pass
    is_missing = blank | text.isin(missing_words).fillna(False).to_numpy()
    if missing_numbers:
        is_missing |= np.isin(numeric, missing_numbers)
    raw = numeric.copy()
    mapping: dict[str, float] = {}
    if item.type != "metric":
        if item.labels:
            mapping = {unicodedata.normalize("NFKC", k).strip(): float(v) for k, v in item.labels}
        else:
            if file_labels is None:
                file_labels = (s.attrs.get("value_labels") or {}).get(s.name)
            for code, label in (file_labels or {}).items():
                if isinstance(code, (int, float)) and not isinstance(code, bool):
                    mapping.setdefault(unicodedata.normalize("NFKC", str(label)).strip(), float(code))
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
    items = model.all_items
    issues: list[Issue] = []
    columns: list[str] = []
    for item in items:
        try:
            columns.append(find_column(table, column=item.column, match=item.match, what=f"{item.path} ({item.id})"))
        except DataError as e:
            issues.extend(e.issues)
            columns.append("")
    seg_columns: dict[str, str] = {}
    for name in by:
        try:
            seg_columns[name] = find_column(table, column=name, what=f"segment {name!r}")
        except DataError as e:
            issues.extend(e.issues)
    dup_columns: list[str] = []
    for name in model.quality.duplicate_by:
        try:
            dup_columns.append(find_column(table, column=name, what=f"quality.duplicate_by {name!r}"))
        except DataError as e:
            issues.extend(e.issues)
    weight_header = None
    if weight_column is not None:
        try:
            weight_header = find_column(table, column=weight_column, what="--weight-column")
        except DataError as e:
            issues.extend(e.issues)
    pii = pii_columns(table, model)
    where = {"file": table.path, "sheet": table.sheet}
    for item, col in zip(items, columns, strict=True):
        if col in pii:
            issues.append(Issue("pii-column", f"{item.path} ({item.id}) is bound to a column of personal data ({pii[col]}); "
                                "nothing is scored from personal data: bind the item to another column",
                                column=col, letter=table.letter(col), **where))
    for name, col in seg_columns.items():
        if col in pii:
            issues.append(Issue("pii-column", f"--by {name}: a column of personal data ({pii[col]}); a breakdown by it "
                                "would print its values in every report: choose another column",
                                column=col, letter=table.letter(col), **where))
    if weight_header is not None and weight_header in pii:
        issues.append(Issue("pii-column", f"--weight-column: a column of personal data ({pii[weight_header]}); choose "
                            "another column", column=weight_header, letter=table.letter(weight_header), **where))
    for name in model.comments:
        try:
            col = find_column(table, column=name)
        except DataError:
            continue  # reported below, where the comment columns are read
        if col in pii:
            issues.append(Issue("pii-column", f"comments {name!r}: a column of personal data ({pii[col]}); --verbatims "
                                "would quote it: list an open question there instead", column=col,
                                letter=table.letter(col), **where))
    if issues:
        raise DataError(issues)

    frame = table.frame
    n_rows = len(frame)
    values = np.empty((n_rows, len(items)), dtype=np.float64)
    invalid_cells: list[InvalidCells] = []
    column_issues: list[Issue] = []
    strict_issues: list[Issue] = []
    for j, (item, col) in enumerate(zip(items, columns, strict=True)):
        raw, bad = convert_column(frame[col], item, table.missing_codes)
        if item.type == "metric":
            assert item.best is not None and item.worst is not None
            values[:, j] = metric_score(raw, item.best, item.worst)
        else:
            values[:, j] = rescale(raw, item.scale, item.reverse)
        if bad.any():
            where = np.flatnonzero(bad)
            letter = table.letter(col)
            shown = [shown_cell(frame[col].iloc[i]) for i in where[:EXAMPLE_ROWS]]
            invalid_cells.append(InvalidCells(item.id, col, letter, int(where.size),
                                              tuple(table.row_number(int(i)) for i in where[:EXAMPLE_ROWS]), tuple(shown)))
            problem = _unusable_column(table, item, col, raw, where)
            if problem is not None:
                column_issues.append(problem)
            elif strict:
                for i in where:
                    cell = shown_cell(frame[col].iloc[i])
                    hint = "; Excel turns answers such as 5/4 into dates: enter them as text" if _DATE.match(cell) else ""
                    strict_issues.append(Issue("invalid-answer", f"expected {_expected(item)}, got {cell!r}{hint}",
                                               file=table.path, sheet=table.sheet, row=table.row_number(int(i)), column=col,
                                               letter=letter, value=cell))
    if column_issues or strict_issues:
        raise DataError(column_issues + strict_issues)

    weights = None
    if weight_header is not None:
        weights = _respondent_weights(table, weight_header)

    comment_columns: dict[str, str] = {}
    for name in model.comments:
        try:
            comment_columns[name] = find_column(table, column=name, what=f"comments {name!r}")
        except DataError as e:
            raise DataError(e.issues) from None
    margin_columns: list[str] = []
    for column, _ in model.margins:
        try:
            margin_columns.append(find_column(table, column=column, what=f"population.margins {column!r}"))
        except DataError as e:
            raise DataError(e.issues) from None
    keep, quality = _apply_rules(table, model, values, dup_columns)
    rows = np.array([table.row_number(i) for i in range(n_rows)], dtype=np.int64)
    segments = {}
    for name, col in seg_columns.items():
        seg = frame[col].astype("string").str.strip().fillna("(missing)").replace("", "(missing)")
        segments[name] = seg.to_numpy(dtype=object)[keep]
    quality = DataQuality(quality.rows, quality.used, quality.excluded, quality.flagged, tuple(invalid_cells),
                          quality.exclusions, quality.flags)
    weighting: dict[str, object] = {"source": "column", "column": weight_header} if weight_header else {}
    kept_weights = None if weights is None else weights[keep]
    if model.margins:
        kept_weights, weighting = _rake(table, model, margin_columns, keep, kept_weights)
    comments = {}
    for name, col in comment_columns.items():
        text = frame[col].astype("string").str.strip().fillna("")
        nothing = {*table.missing_codes, *NO_COMMENT}
        text = text.where(~text.str.lower().isin(list(nothing)), "")
        comments[name] = text.to_numpy(dtype=object)[keep]
    return Responses(values[keep], tuple(i.id for i in items), tuple(columns), rows[keep], quality,
                     kept_weights, segments, weighting, comments)


def _rake(table: Table, model: Model, columns: Sequence[str], keep: np.ndarray,
          base: np.ndarray | None) -> tuple[np.ndarray, dict[str, object]]:
    """Rake the kept respondents to the model's population margins (csi.raking)."""
    from csi.raking import rake

    categories = []
    issues: list[Issue] = []
    rows = np.flatnonzero(keep)
    for (name, shares), col in zip(model.margins, columns, strict=True):
        cats = table.frame[col].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else _cell_text(v).strip())
        cats = cats.to_numpy(dtype=object)[keep]
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


def _unusable_column(table: Table, item: Item, col: str, raw: np.ndarray, bad_rows: np.ndarray) -> Issue | None:
    """A column whose answers as a whole do not fit the item, even without ``strict``.

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
    valid = int(np.count_nonzero(~np.isnan(raw)))
    numbers = pd.to_numeric(_normalise_text(cells), errors="coerce").to_numpy(dtype=np.float64)
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


def _respondent_weights(table: Table, header: str) -> np.ndarray:
    raw = pd.to_numeric(_normalise_text(table.frame[header]), errors="coerce").astype("float64").to_numpy()
    bad = ~(np.isfinite(raw) & (raw > 0))
    if bad.any():
        letter = table.letter(header)
        raise DataError([Issue("invalid-weight", f"a respondent weight must be a number greater than 0, got {shown_cell(table.frame[header].iloc[i])!r}",
                               file=table.path, sheet=table.sheet, row=table.row_number(int(i)), column=header, letter=letter)
                         for i in np.flatnonzero(bad)])
    return raw


def _apply_rules(table: Table, model: Model, values: np.ndarray, dup_columns: Sequence[str] = ()) -> tuple[np.ndarray, DataQuality]:
    """Respondent rules of DESIGN.md §4; returns the mask of respondents kept."""
    n = values.shape[0]
    k_index = len(model.items)
    answered_any = (~np.isnan(values)).any(axis=1)
    answered_index = (~np.isnan(values[:, :k_index])).sum(axis=1)
    reason = np.full(n, "", dtype=object)

    empty = ~answered_any
    reason[empty] = "empty"
    incomplete = (answered_index < model.quality.min_answered * k_index) & (reason == "")
    reason[incomplete] = "incomplete"
    if model.quality.min_duration is not None:
        seconds = durations_seconds(table)
        if seconds is not None:
            with np.errstate(invalid="ignore"):
                speeder = (seconds < model.quality.min_duration) & (reason == "")
            reason[speeder] = "speeder"
    id_columns = list(dup_columns) or ([table.id_column] if table.id_column else [])
    if id_columns:
        keys = table.frame[id_columns].astype("string").apply(lambda c: c.str.strip())
        known = (keys.notna() & (keys != "")).all(axis=1).to_numpy()
        # keep the last submission of each respondent; blank ids identify nobody
        later = keys.duplicated(keep="last").to_numpy() & known
        duplicate = later & (reason == "")
        reason[duplicate] = "duplicate"
    keep = reason == ""

    flags: list[tuple[int, str]] = []
    flagged = {"straightliner": 0}
    ratings = [j for j, item in enumerate(model.items) if item.type == "rating"]
    if len(ratings) >= model.quality.straightline_min_items:
        block = values[:, ratings].copy()
        # "the same answer on every item" is about what was ticked, before reverse-wording flips it
        flip = [i for i, j in enumerate(ratings) if model.items[j].reverse]
        block[:, flip] = 100.0 - block[:, flip]
        answered = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            spread = np.nanmax(np.where(np.isnan(block), -np.inf, block), axis=1) - np.nanmin(np.where(np.isnan(block), np.inf, block), axis=1)
        straight = keep & (answered >= model.quality.straightline_min_items) & (spread == 0)
        flagged["straightliner"] = int(straight.sum())
        flags = [(table.row_number(int(i)), "straightliner") for i in np.flatnonzero(straight)]

    exclusions = tuple((table.row_number(int(i)), str(reason[i])) for i in np.flatnonzero(~keep))
    excluded = {r: int((reason == r).sum()) for r in EXCLUSION_REASONS}
    return keep, DataQuality(n, int(keep.sum()), excluded, flagged, (), exclusions, tuple(flags))
