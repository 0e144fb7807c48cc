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
>>> imp = derived_importance(m, None, np.array([0.5, 0.5]), None, [])
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

__all__ = ["Importance", "IMPORTANCE_KINDS", "derived_importance", "check_rank_by"]

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


def derived_importance(model: Model, responses: Responses | None, global_weights: np.ndarray,
                       structural: Mapping[str, Any] | None, warnings: list[str]) -> Importance:
    """The importance axis of ``model``'s IPA matrix (module docstring); a reason the relative
    weights could not be computed is appended to ``warnings``."""
    if structural is not None:
        ipma = structural["ipma"]
        by_id = {d["id"]: float(d["importance"]) for d in ipma["indicators"]}
        values = np.array([by_id.get(item.id, 0.0) for item in model.items])
        return Importance("ipma_total_effect", values, {"target": ipma["target"]})
    if model.outcome is None or responses is None:
        return Importance("model_weight", np.asarray(global_weights, dtype=float))
    found = _relative_weights(model, responses)
    if isinstance(found, str):
        warnings.append(f"the IPA matrix shows the model's weights: {found}")
        return Importance("model_weight", np.asarray(global_weights, dtype=float), {"not_derived": found})
    return found


def _relative_weights(model: Model, responses: Responses) -> Importance | str:
    """Relative weights of the index items on the outcome index, or why they cannot be had."""
    from csi.weighting.data import complete_rows, outcome_scores, read_options, usable_rows
    from csi.weighting.drivers import relative_weights

    policy = read_options(dict(model.root.options), model.root)["policy"]
    k = len(model.items)
    y = outcome_scores(responses, model)
    rows = ~np.isnan(y)
    x = np.asarray(responses.values, dtype=float)[rows, :k]
    keep = usable_rows(x, policy)
    try:
        xs, n = complete_rows(x, policy)
        w = None if responses.weights is None else np.asarray(responses.weights, dtype=float)[rows][keep]
        r = relative_weights(xs, y[rows][keep], weights=w)
    except ValueError as e:
        hint = " (try --policy mean)" if policy == "listwise" else ""
        return f"no relative weights on the outcome from {int(keep.sum())} respondents with policy {policy}: {e}{hint}"
    return Importance("relative_weight", np.array(r.weights), {"r2": r.r2, "n": n, "policy": policy})


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
