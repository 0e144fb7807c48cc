r"""Helpers shared by the data-driven weighting methods (entropy, CRITIC, drivers, PLS).

They turn a group of the model and the prepared responses into the matrices the pure
methods work on, and hold the options and checks every adapter shares:

- :func:`child_scores` — one column per child of a group, one row per respondent: an item
  child's 0–100 values, or a group child's weighted mean over the items the respondent
  answered beneath it;
- :func:`outcome_scores` — the per-respondent outcome index (mean of the answered outcome
  items);
- :func:`complete_rows` / :func:`usable_rows` — the missing-data policy (listwise deletion or
  column-mean imputation);
- :func:`read_options` — the ``options`` mapping of the adapters, validated;
- :func:`apply_sign_policy` — negative weights are reported, never silently used.

Per-respondent score of a group child g (items j beneath g, answered when :math:`m_{ij} = 1`):

.. math:: s_{ig} = \frac{\sum_j I_j m_{ij} x_{ij}}{\sum_j I_j m_{ij}}

with :math:`I_j` the product of the normalised weights on the path from g down to j (the
weights of the inner groups: fixed, AHP, or already computed by their own method).
A respondent who answered nothing beneath g has no score (NaN).

>>> import numpy as np
>>> complete_rows(np.array([[1.0, 2.0], [np.nan, 4.0], [5.0, 6.0]]))[1]
2
>>> complete_rows(np.array([[1.0, 2.0], [np.nan, 4.0], [5.0, 6.0]]), policy="mean")[0].tolist()
[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from csi.errors import DataError, Issue, ModelError
from csi.model import Group, Item, Model
from csi.weighting.registry import METHODS as REGISTERED
from csi.weighting.registry import OPTIONS, OptionProblem
from csi.weighting.registry import read_options as read_registered

if TYPE_CHECKING:  # the survey layer is not needed to import the weighting layer
    from csi.responses import Responses

__all__ = [
    "POLICIES",
    "OPTION_KEYS",
    "child_scores",
    "outcome_scores",
    "complete_rows",
    "usable_rows",
    "read_options",
    "apply_sign_policy",
    "flat_item_weights",
    "require_rows",
    "apply_policy",
]

#: Missing-data policies: drop every respondent with a missing child score, or replace a
#: missing score by the child's mean over the respondents who have one.
POLICIES = OPTIONS["policy"].choices
#: Keys the adapters' ``options`` mapping may hold, with their defaults.
OPTION_KEYS: Mapping[str, Any] = {name: o.default for name, o in OPTIONS.items()}


def read_options(options: Mapping[str, Any] | None, group: Group | None = None) -> dict[str, Any]:
    """The adapters' options with defaults filled in; an unknown key or value is a ModelError.

    >>> read_options({"policy": "mean"})["policy"], read_options(None)["scheme"]
    ('mean', 'path')
    """
    try:
        return read_registered(options)
    except OptionProblem as e:
        raise ModelError(Issue(e.code, str(e), path=group.path if group is not None else None)) from None


def usable_rows(x: np.ndarray, policy: str = "listwise") -> np.ndarray:
    """Boolean mask of the rows a policy keeps.

    ``listwise`` keeps rows without any NaN; ``mean`` keeps rows with at least one value
    (a respondent who answered nothing would only contribute imputed means).
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (respondents × columns), got shape {data.shape}")
    missing = np.isnan(data)
    return ~missing.any(axis=1) if policy == "listwise" else ~missing.all(axis=1)


def complete_rows(x: np.ndarray, policy: str = "listwise") -> tuple[np.ndarray, int]:
    """The complete matrix a method uses under a missing-data policy, and its number of rows.

    Parameters
    ----------
    x : array_like, shape (n, c)
        Respondents × columns, NaN for a missing value.
    policy : {"listwise", "mean"}
        ``listwise`` (default) drops every row with a missing value. ``mean`` drops rows with
        no value at all and replaces each remaining NaN by its column's mean over the kept
        rows (which leaves the column mean unchanged and shrinks its variance).

    Returns
    -------
    (values, n)
        The matrix (a new array) and its number of rows.

    Raises
    ------
    ValueError
        For an unknown policy, a non-2-D ``x``, or under ``mean`` a column with no value in
        any kept row.
    """
    data = np.asarray(x, dtype=float)
    keep = usable_rows(data, policy)
    out = data[keep]
    if policy == "mean" and out.size:
        missing = np.isnan(out)
        if missing.any():
            counts = (~missing).sum(axis=0)
            if np.any(counts == 0):
                raise ValueError(f"column {int(np.argmin(counts))} has no value to impute from")
            means = np.where(missing, 0.0, out).sum(axis=0) / counts
            out = np.where(missing, means, out)
    return out, int(out.shape[0])


def apply_policy(x: np.ndarray, ids: Sequence[str], group: Group, method: str, policy: str,
                 rows: np.ndarray | None = None) -> tuple[np.ndarray, int, np.ndarray]:
    """The complete matrix for an adapter: ``(values, n, kept)`` under ``policy``.

    ``rows`` restricts the candidates first (e.g. respondents with an outcome). A column
    nobody answered makes every data-driven method impossible: DataError ``no-answers``
    naming it.
    """
    data = np.asarray(x, dtype=float)
    candidates = np.ones(data.shape[0], dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    empty = [ids[j] for j in np.flatnonzero(np.isnan(data[candidates]).all(axis=0))] if candidates.any() else []
    if empty:
        raise DataError(Issue("no-answers", f"group {group.id} ({group.name}), method {method}: nobody has a score for "
                              f"{', '.join(empty)}; remove it from the model or use method fixed or ahp", path=group.path))
    keep = candidates & usable_rows(data, policy)
    values, n = complete_rows(data[keep], policy)
    return values, n, keep


def require_rows(n: int, minimum: int, group: Group, method: str) -> None:
    """Raise a DataError naming the group when fewer than ``minimum`` respondents are usable."""
    if n < minimum:
        raise DataError(Issue("too-few-respondents",
                              f"group {group.id} ({group.name}), method {method}: {n} usable respondents, at least {minimum} needed; "
                              "collect more answers, try option policy: mean, or use method fixed or ahp",
                              path=group.path))


def _index(model: Model) -> dict[str, int]:
    return {item.id: j for j, item in enumerate(model.all_items)}


def _own_weights(group: Group, item_weights: Mapping[str, Sequence[float]]) -> tuple[float, ...]:
    """Weights of an inner group's children: given, or its fixed/AHP weights."""
    if group.id in item_weights:
        w = tuple(float(v) for v in item_weights[group.id])
        if len(w) != len(group.children):
            raise ValueError(f"item_weights[{group.id!r}] has {len(w)} weights for {len(group.children)} children")
        return w
    if REGISTERED[group.method].from_answers:
        raise ValueError(f"the weights of inner group {group.id!r} (method {group.method}) are needed first: "
                         "compute groups bottom-up and pass them in item_weights")
    from csi.weighting import method_function  # local: that module imports this one

    return method_function(group.method)(group, None, None).weights


def flat_item_weights(node: Group | Item, item_weights: Mapping[str, Sequence[float]] | None = None) -> dict[str, float]:
    """Every item beneath ``node`` with the product of the normalised weights down to it.

    >>> from csi.model import load_model_text
    >>> m = load_model_text('''children:
    ...   - {id: a, column: A, weight: 3}
    ...   - {id: g, weight: 1, children: [{id: b, column: B, weight: 1}, {id: c, column: C, weight: 3}]}''')
    >>> flat_item_weights(m.root)
    {'a': 0.75, 'b': 0.0625, 'c': 0.1875}
    """
    given = item_weights or {}
    out: dict[str, float] = {}

    def visit(n: Group | Item, g: float) -> None:
        if isinstance(n, Item):
            out[n.id] = out.get(n.id, 0.0) + g
            return
        raw = _own_weights(n, given)
        total = float(sum(raw))
        for child, w in zip(n.children, raw, strict=True):
            visit(child, g * (w / total if total > 0 else 0.0))

    visit(node, 1.0)
    return out


def child_scores(group: Group, responses: Responses, model: Model,
                 item_weights: Mapping[str, Sequence[float]] | None = None) -> np.ndarray:
    """Per-respondent scores of the children of ``group``: an n × c array, NaN = no score.

    An item child's column is its 0–100 values. A group child's score is the weighted mean
    of the items the respondent answered beneath it, each item weighted by the product of
    the normalised weights from the child down to it (see the module docstring).

    Parameters
    ----------
    group : Group
        The group whose children are weighted.
    responses : Responses
        ``values`` has one column per entry of ``model.all_items``.
    model : Model
        The model ``group`` belongs to.
    item_weights : mapping of group id → weights, optional
        Weights of the inner groups beneath ``group``, in child order (as the registry
        produces them). A group missing here uses its own ``fixed`` or ``ahp`` weights; a
        missing group with a data-driven method is an error (compute groups bottom-up).

    Examples
    --------
    >>> from csi.model import load_model_text
    >>> from types import SimpleNamespace
    >>> m = load_model_text('''children:
    ...   - {id: a, column: A}
    ...   - {id: g, children: [{id: b, column: B, weight: 1}, {id: c, column: C, weight: 3}]}''')
    >>> r = SimpleNamespace(values=np.array([[10.0, 0.0, 100.0], [20.0, 40.0, np.nan], [30.0, np.nan, np.nan]]))
    >>> child_scores(m.root, r, m).tolist()
    [[10.0, 75.0], [20.0, 40.0], [30.0, nan]]
    """
    values = np.asarray(responses.values, dtype=float)
    index = _index(model)
    out = np.empty((values.shape[0], len(group.children)))
    for c, child in enumerate(group.children):
        if isinstance(child, Item):
            out[:, c] = values[:, index[child.id]]
            continue
        flat = flat_item_weights(child, item_weights)
        cols = [index[i] for i in flat]
        w = np.array(list(flat.values()))
        block = values[:, cols]
        answered = ~np.isnan(block)
        num = np.where(answered, block, 0.0) @ w
        den = answered @ w
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, c] = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


def outcome_scores(responses: Responses, model: Model) -> np.ndarray:
    """The per-respondent outcome index: mean of the answered outcome items (NaN if none).

    Raises
    ------
    ModelError
        ``drivers-needs-outcome`` when the model has no ``outcome`` block.
    """
    if model.outcome is None:
        raise ModelError(Issue("drivers-needs-outcome",
                               "method drivers (and pls) weighs children by their importance for the outcome; "
                               "add an outcome block with direct satisfaction questions to the model, or use another method",
                               path="outcome"))
    start = len(model.items)
    block = np.asarray(responses.values, dtype=float)[:, start:start + len(model.outcome.items)]
    answered = ~np.isnan(block)
    count = answered.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.where(answered, block, 0.0).sum(axis=1) / np.maximum(count, 1), np.nan)


def apply_sign_policy(weights: Sequence[float], children: Sequence[str], group: Group, allow_negative: bool,
                      warnings: list[str], what: str = "weight") -> tuple[float, ...]:
    """Normalised non-negative weights, or a ModelError when a raw weight is negative.

    With ``allow_negative`` a negative weight is set to 0 (the rest renormalised) and a
    message is appended to ``warnings``. When no positive weight remains, it is always an
    error.

    >>> g = Group("g", "G", "children[0]", ())
    >>> apply_sign_policy([0.75, 0.25], ["a", "b"], g, False, [])
    (0.75, 0.25)
    >>> w = []
    >>> apply_sign_policy([0.6, -0.2], ["a", "b"], g, True, w), w[0]
    ((1.0, 0.0), 'group g: the weight of b is negative (-0.2); clipped to 0 (allow_negative)')
    """
    raw = np.asarray(weights, dtype=float)
    negative = [(children[i], float(raw[i])) for i in np.flatnonzero(raw < 0)]
    if negative and not allow_negative:
        issues = [Issue("negative-weight",
                        f"group {group.id} ({group.name}): the {what} of {child} is negative ({value:.6g}); a negative weight "
                        "would lower the index when that child improves. Check reverse-worded items, use another method, "
                        "or set option allow_negative: true (--allow-negative) to clip it to 0",
                        path=group.path, value=value) for child, value in negative]
        raise ModelError(issues)
    clipped = np.where(raw < 0, 0.0, raw)
    for child, value in negative:
        warnings.append(f"group {group.id}: the {what} of {child} is negative ({value:.6g}); clipped to 0 (allow_negative)")
    total = float(clipped.sum())
    if not total > 0:
        raise ModelError(Issue("negative-weight", f"group {group.id} ({group.name}): no positive {what} remains; "
                               "use method fixed or ahp for this group", path=group.path))
    return tuple(float(v) for v in clipped / total)
