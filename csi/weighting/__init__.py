"""Weights for every group of the model, by the group's method.

The methods are declared in :mod:`csi.weighting.registry`; each names the function
``(group, responses, model, **options) -> GroupWeights`` that weighs one group. Weights are ≥ 0 and sum to 1 within each group; the result records the method and every
constant it used, so a number can be reproduced.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csi.weighting.registry import DATA_METHODS, METHODS

if TYPE_CHECKING:  # (the model loader reads the registry, so this package does not import it at load time)
    from csi.model import Group, Model

__all__ = ["GroupWeights", "fixed_weights", "ahp_group_weights", "group_weights", "method_function"]


@dataclass(frozen=True, slots=True)
class GroupWeights:
    """The normalised weights of one group's children, in child order, and how they were made."""

    group: str
    method: str
    weights: tuple[float, ...]
    details: dict[str, Any] = field(default_factory=dict)


def fixed_weights(group: Group, responses: object = None, model: Model | None = None) -> GroupWeights:
    """The children's ``weight`` keys normalised to sum 1; equal weights when none is given.

    >>> from csi.model import load_model_text
    >>> m = load_model_text("children: [{id: a, column: A, weight: 3}, {id: b, column: B, weight: 1}]")
    >>> fixed_weights(m.root).weights
    (0.75, 0.25)
    """
    raw = [child.weight for child in group.children]
    if any(w is None for w in raw):
        raw = [1.0] * len(raw)
    total = float(sum(raw))  # type: ignore[arg-type]
    if not math.isfinite(total):  # weights near the float limit (1e308): their sum overflows, their ratios do not
        top = max(raw)  # type: ignore[type-var]
        raw = [w / top for w in raw]  # type: ignore[operator]
        total = float(sum(raw))  # type: ignore[arg-type]
    return GroupWeights(group.id, "fixed", tuple(float(w) / total for w in raw))  # type: ignore[arg-type]


def ahp_group_weights(group: Group, responses: object = None, model: Model | None = None) -> GroupWeights:
    """Eigenvector weights of the group's AHP matrix, with λmax, CI, CR and the RI table."""
    from csi.weighting.ahp import ahp_weights

    assert group.ahp is not None  # the model loader requires a matrix for method ahp
    r = ahp_weights(group.ahp)
    return GroupWeights(group.id, "ahp", r.weights, {"lambda_max": r.lambda_max, "ci": r.ci, "cr": r.cr, "ri": r.ri,
                                                     "ri_table": r.ri_table, "max_cr": group.ahp_max_cr})


def method_function(name: str) -> Callable[..., GroupWeights]:
    """The function that weighs a group by method ``name`` (imported on first use)."""
    module, function = METHODS[name].function.split(":")
    return getattr(importlib.import_module(module), function)


def group_weights(model: Model, responses: object = None) -> dict[str, GroupWeights]:
    """Weights of every group of ``model``, keyed by group id (the root is ``overall``), in pre-order.

    Inner groups are weighted before their parents, so a data-driven parent sees its group
    children's per-respondent scores under their final weights. Under a ``pls`` root one
    path model sets every weight.
    """
    from csi.errors import Issue, ModelError

    groups = model.groups
    if responses is None and any(g.method in DATA_METHODS for g in groups):
        g = next(g for g in groups if g.method in DATA_METHODS)
        raise ModelError(Issue("method-needs-data", f"method {g.method} weighs from the survey's answers; score a survey file",
                               path=g.path))
    if model.root.method == "pls":
        root = method_function("pls")(model.root, responses, model, options=dict(model.root.options))
        inner = root.details.get("group_weights", {})
        out = {model.root.id: root}
        for g in groups[1:]:
            out[g.id] = GroupWeights(g.id, "pls", tuple(inner[g.id]), {"from": "overall"})
        return out
    done: dict[str, GroupWeights] = {}
    for g in reversed(groups):
        if g.method in DATA_METHODS:
            done[g.id] = method_function(g.method)(g, responses, model, options=dict(g.options),
                                           item_weights={k: v.weights for k, v in done.items()})
        else:
            done[g.id] = method_function(g.method)(g, responses, model)
    return {g.id: done[g.id] for g in groups}
