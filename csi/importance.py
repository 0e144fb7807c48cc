r"""Derived importance: the importance axis of the IPA matrix and of the IPMA ranking of weak
points (docs/methods.md#ipa).

The loss of a weak point weighs its gap to target by the indicator's *global weight* Iⱼ: what
the index, as the model defines it, gives up. Whether an indicator matters to the clients'
satisfaction is another question, answered from the data when the model has an outcome block:

- ``relative_weight`` (an outcome block, no ``paths:``): Johnson's (2000) relative weights of
  the index indicators on each respondent's outcome index (the mean of the answered outcome
  items), as shares of the explained variance (ε/R², summing to 1):
  :func:`csi.weighting.drivers.relative_weights`. Missing answers by the model's ``policy``
  (``--policy``; listwise by default); respondent weights are frequency weights.
- ``ipma_total_effect`` (``paths:``): the IPMA indicator importance of the structural model
  (``structural.ipma.indicators``: index weight × the construct's unstandardised total effect
  on the satisfaction index; Ringle & Sarstedt 2016). An indicator whose construct has no
  effect on satisfaction has importance 0.
- ``model_weight`` (no outcome block, or when the relative weights cannot be computed): the
  global weights Iⱼ, as before.

>>> import numpy as np
>>> from csi.model import load_model_text
>>> m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}]")
>>> imp = derived_importance(m, np.array([0.5, 0.5]), None, None, [])
>>> imp.kind, imp.values.tolist()
('model_weight', [0.5, 0.5])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from csi.model import Model
    from csi.responses import Responses

__all__ = ["Importance", "IMPORTANCE_KINDS", "derived_importance", "relative_importance", "check_rank_by"]

#: What the importance axis can be, in the result's ``ipa.importance``.
IMPORTANCE_KINDS = ("model_weight", "relative_weight", "ipma_total_effect")


@dataclass(frozen=True, slots=True)
class Importance:
    """Importance of each index item (model order) and how it was obtained.

    ``details``: for ``relative_weight`` the outcome's ``r2``, the respondents used ``n`` and the
    missing-data ``policy``; for ``ipma_total_effect`` the ``target`` construct; for
    ``model_weight`` with an outcome block, ``not_derived``: why no relative weights.
    """

    kind: str
    values: np.ndarray
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def derived(self) -> bool:
        return self.kind != "model_weight"


def derived_importance(model: Model, global_weights: np.ndarray, structural: Mapping[str, Any] | None,
                       relative: Importance | str | None, warnings: list[str]) -> Importance:
    """The importance axis of ``model``'s IPA matrix (module docstring): the IPMA importance of
    ``structural``, else ``relative`` (:func:`relative_importance`: the relative weights, or why
    they could not be had — the reason goes to ``warnings``), else the global weights."""
    if structural is not None:
        ipma = structural["ipma"]
        by_id = {d["id"]: float(d["importance"]) for d in ipma["indicators"]}
        values = np.array([by_id.get(item.id, 0.0) for item in model.items])
        return Importance("ipma_total_effect", values, {"target": ipma["target"]})
    if isinstance(relative, Importance):
        return relative
    weights = np.asarray(global_weights, dtype=float)
    if relative is None:
        return Importance("model_weight", weights)
    warnings.append(f"the IPA matrix shows the model's weights: {relative}")
    return Importance("model_weight", weights, {"not_derived": relative})


#: Rows per step of the pass over the answers: the indicators' matrix is never copied whole.
CHUNK_ROWS = 65_536
#: Centre of the sums of products: every value is on the 0–100 scale, so none loses digits.
CENTRE = 50.0


def relative_importance(model: Model, responses: Responses) -> Importance | str:
    """Johnson's relative weights of the index items on the outcome index (shares of R²), or
    why they cannot be had. Needs an outcome block."""
    from csi.weighting.data import outcome_scores, read_options
    from csi.weighting.drivers import relative_weights_from_correlations

    policy = read_options(dict(model.root.options), model.root)["policy"]
    found = _correlations(np.asarray(responses.values), len(model.items), outcome_scores(responses, model),
                          responses.weights, policy)
    if not isinstance(found, str):
        corr, flat, n = found
        try:
            r = relative_weights_from_correlations(corr, flat, n)
            return Importance("relative_weight", np.array(r.weights), {"r2": r.r2, "n": n, "policy": policy})
        except ValueError as e:
            found = str(e)
    hint = " (try --policy mean)" if policy == "listwise" else ""
    return f"no relative weights on the outcome with policy {policy}: {found}{hint}"


def _kept(values: np.ndarray, k: int, y: np.ndarray, weights: np.ndarray | None, policy: str,
          start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """One chunk of rows: the indicators, which are missing, the outcome and the weights of the
    respondents with an outcome that ``policy`` keeps."""
    end = start + CHUNK_ROWS
    x = values[start:end, :k]
    missing = np.isnan(x)
    kept = ~np.isnan(y[start:end]) & (~missing.any(axis=1) if policy == "listwise" else ~missing.all(axis=1))
    w = None if weights is None else np.asarray(weights[start:end], dtype=float)[kept]
    if kept.all():
        return x, missing, y[start:end], w
    return x[kept], missing[kept], y[start:end][kept], w


def _correlations(values: np.ndarray, k: int, y: np.ndarray, weights: np.ndarray | None,
                  policy: str) -> tuple[np.ndarray, np.ndarray, int] | str:
    """The correlations of the first ``k`` columns and ``y`` over the respondents with an outcome
    that ``policy`` keeps (``listwise``: every indicator answered; ``mean``: any, the others at
    the indicator's mean over those respondents, as :func:`csi.weighting.data.complete_rows`),
    which columns are constant, and the number of respondents: weighted sums of products a
    chunk of rows at a time (a first pass for the means under ``mean``). Respondent weights are
    frequency weights."""
    chunks = range(0, values.shape[0], CHUNK_ROWS)
    fill = np.zeros(k)
    if policy == "mean":
        total, count = np.zeros(k), np.zeros(k)
        for start in chunks:
            x, missing, _, _ = _kept(values, k, y, weights, policy, start)
            total += np.where(missing, 0.0, x).sum(axis=0)
            count += (~missing).sum(axis=0)
        if np.any(count == 0) and count.sum():
            return "an indicator has no answer among the respondents kept"
        fill = total / np.maximum(count, 1)
    n, sw, s1, s2 = 0, 0.0, np.zeros(k + 1), np.zeros((k + 1, k + 1))
    low, high = np.full(k + 1, np.inf), np.full(k + 1, -np.inf)
    for start in chunks:
        x, missing, yy, w = _kept(values, k, y, weights, policy, start)
        z = np.empty((x.shape[0], k + 1))
        np.subtract(x, CENTRE, out=z[:, :k])
        np.copyto(z[:, :k], fill - CENTRE, where=missing)
        z[:, k] = yy - CENTRE
        low, high = np.minimum(low, z.min(axis=0, initial=np.inf)), np.maximum(high, z.max(axis=0, initial=-np.inf))
        n += z.shape[0]
        sw += float(z.shape[0] if w is None else w.sum())
        s1 += z.sum(axis=0) if w is None else w @ z
        zs = z if w is None else z * np.sqrt(w)[:, None]
        s2 += zs.T @ zs
    if n < k + 2:
        return f"{n} respondents with an outcome answer kept, at least {k + 2} needed for {k} indicators"
    cross = s2 - np.outer(s1, s1) / sw
    scale = np.sqrt(np.clip(np.diag(cross), 0.0, None))
    flat = low == high  # a column with one value: no correlation
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.clip(cross / np.outer(scale, scale), -1.0, 1.0)
    corr[flat, :] = corr[:, flat] = 0.0
    return corr, flat, n


def check_rank_by(model: Model, rank_by: str) -> None:
    """Refuse a ranking rule the model cannot give: ``ipma`` needs derived importance.

    Raises
    ------
    ValueError
        An unknown ``rank_by``.
    ModelError
        ``rank-by-ipma``: ``ipma`` for a model with neither an outcome block nor ``paths:``.
    """
    from csi.errors import Issue, ModelError
    from csi.options import RANK_BY

    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, got {rank_by!r}")
    if rank_by == "ipma" and model.outcome is None and model.structure is None:
        raise ModelError(Issue("rank-by-ipma", "--rank-by ipma ranks weak points by derived importance × gap to "
                               "target, and this model has no outcome block and no paths: section to derive importance "
                               "from; add an outcome block (direct satisfaction questions, ranked by relative weights) "
                               "or paths: (IPMA total effects), or use --rank-by loss", file=model.path))
