"""Weights for every group of the model, by the group's method.

A registry maps a method name to a function ``(group, responses, model) -> GroupWeights``.
Weights are ≥ 0 and sum to 1 within each group; the result records the method and every
constant it used, so a number can be reproduced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csi.model import Group, Model

__all__ = ["GroupWeights", "METHODS", "fixed_weights", "group_weights"]


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
    return GroupWeights(group.id, "fixed", tuple(float(w) / total for w in raw))  # type: ignore[arg-type]


def ahp_group_weights(group: Group, responses: object = None, model: Model | None = None) -> GroupWeights:
    """Eigenvector weights of the group's AHP matrix, with λmax, CI, CR and the RI table."""
    from csi.weighting.ahp import ahp_weights

    assert group.ahp is not None  # the model loader requires a matrix for method ahp
    r = ahp_weights(group.ahp)
    return GroupWeights(group.id, "ahp", r.weights, {"lambda_max": r.lambda_max, "ci": r.ci, "cr": r.cr, "ri": r.ri,
                                                     "ri_table": r.ri_table, "max_cr": group.ahp_max_cr})


def _lazy(module: str, name: str) -> Callable[..., GroupWeights]:
    """An adapter imported on first use (the adapters import this module for GroupWeights)."""

    def call(group: Group, responses: object = None, model: Model | None = None, **kwargs: Any) -> GroupWeights:
        import importlib

        return getattr(importlib.import_module(module), name)(group, responses, model, **kwargs)

    call.__name__ = name
    return call


METHODS: Mapping[str, Callable[..., GroupWeights]] = {
    "fixed": fixed_weights,
    "ahp": ahp_group_weights,
    "entropy": _lazy("csi.weighting.entropy", "entropy_group_weights"),
    "critic": _lazy("csi.weighting.critic", "critic_group_weights"),
    "drivers": _lazy("csi.weighting.drivers", "drivers_group_weights"),
    "pls": _lazy("csi.weighting.pls", "pls_group_weights"),
}


def group_weights(model: Model, responses: object = None) -> dict[str, GroupWeights]:
    """Weights of every group of ``model``, keyed by group id (the root is ``overall``), in pre-order.

    Inner groups are weighted before their parents, so a data-driven parent sees its group
    children's per-respondent scores under their final weights. Under a ``pls`` root one
    path model sets every weight.
    """
    from csi.errors import Issue, ModelError
    from csi.model import DATA_METHODS

    groups = model.groups
    if responses is None and any(g.method in DATA_METHODS for g in groups):
        g = next(g for g in groups if g.method in DATA_METHODS)
        raise ModelError(Issue("method-needs-data", f"method {g.method} weighs from the survey's answers; score a survey file",
                               path=g.path))
    if model.root.method == "pls":
        root = METHODS["pls"](model.root, responses, model, options=dict(model.root.options))
        inner = root.details.get("group_weights", {})
        out = {model.root.id: root}
        for g in groups[1:]:
            out[g.id] = GroupWeights(g.id, "pls", tuple(inner[g.id]), {"from": "overall"})
        return out
    done: dict[str, GroupWeights] = {}
    for g in reversed(groups):
        if g.method in DATA_METHODS:
            done[g.id] = METHODS[g.method](g, responses, model, options=dict(g.options),
                                           item_weights={k: v.weights for k, v in done.items()})
        else:
            done[g.id] = METHODS[g.method](g, responses, model)
    return {g.id: done[g.id] for g in groups}
