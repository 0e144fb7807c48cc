"""The same survey weighted by every method, side by side (``csi weights``).

For an analyst choosing a weighting method the question is whether the choice matters:
do the dimension weights, the index and — above all — the top weak points change? This
module weighs one set of responses under each method, scores it without a bootstrap, and
says which top-K weak points every method agrees on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from csi.errors import CsiError
from csi.model import Group, Model, with_method
from csi.weighting.registry import DATA_METHODS, METHODS

__all__ = ["MethodRun", "MethodComparison", "compare_methods", "weak_point_counts", "ALL_METHODS"]

#: "model" (the file as written), then every registered method.
ALL_METHODS = ("model", *METHODS)


@dataclass(frozen=True, slots=True)
class MethodRun:
    """One method applied to every group: its weights, index and top weak points, or why not."""

    method: str
    weights: dict[str, tuple[float, ...]] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    overall: float | None = None
    top: tuple[str, ...] = ()
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    #: What the weighting changed and said so (a negative weight clipped to 0 under allow_negative).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MethodComparison:
    groups: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]  # (id, name, ((child id, child name), …))
    runs: tuple[MethodRun, ...]
    top_k: int
    agreed: tuple[str, ...]  # weak points in the top K under every method that ran
    sensitivity: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "csi.weights/1",
            "top_k": self.top_k,
            "groups": [{"id": g, "name": n, "children": [{"id": c, "name": cn} for c, cn in kids]} for g, n, kids in self.groups],
            "methods": [{"method": r.method, "error": r.error, "overall": r.overall, "top_weak_points": list(r.top),
                         "group_methods": r.methods, "weights": {g: list(w) for g, w in r.weights.items()}, "details": r.details,
                         "warnings": list(r.warnings)}
                        for r in self.runs],
            "agreed_weak_points": list(self.agreed),
            "sensitivity": self.sensitivity,
        }


def _applies(method: str, model: Model) -> str | None:
    """Why ``method`` cannot weigh ``model`` (None when it can)."""
    if METHODS[method].needs_ahp and not any(g.ahp is not None for g in model.groups):
        return "no group has an AHP matrix"
    if METHODS[method].needs_outcome and model.outcome is None:
        return "needs an outcome block"
    return None


def compare_methods(model: Model, responses: Any, methods: Sequence[str] = ALL_METHODS, *, top: int = 3,
                    options: Mapping[str, Any] | None = None) -> MethodComparison:
    """Weigh and score ``responses`` under each of ``methods`` (``model`` = the file as written)."""
    from csi.scoring import ScoreOptions, score
    from csi.weighting import group_weights

    runs: list[MethodRun] = []
    for method in methods:
        why = None if method == "model" else _applies(method, model)
        if why:
            runs.append(MethodRun(method, error=why))
            continue
        try:
            m = model if method == "model" else with_method(model, method, options if method in DATA_METHODS else None, force=True)
            gw = group_weights(m, responses)
            r = score(m, responses, ScoreOptions(bootstrap=0, top=top), weights=gw)
        except CsiError as e:
            runs.append(MethodRun(method, error="; ".join(i.message for i in e.issues[:2])))
            continue
        details = {g: {k: v for k, v in w.details.items() if k in ("lambda_max", "ci", "cr", "r2", "n", "variant", "scheme")}
                   for g, w in gw.items()}
        runs.append(MethodRun(method, {g: w.weights for g, w in gw.items()}, {g: w.method for g, w in gw.items()}, r.overall.score,
                              tuple(wp.id for wp in r.weak_points), {g: d for g, d in details.items() if d},
                              warnings=tuple(str(x) for w in gw.values() for x in w.details.get("warnings", ()))))
    groups = tuple((g.id, g.name, tuple((c.id, c.name) for c in g.children)) for g in model.groups if isinstance(g, Group))
    ok = [r for r in runs if r.error is None]
    agreed: tuple[str, ...] = ()
    if ok:
        common = set(ok[0].top).intersection(*(set(r.top) for r in ok[1:]))
        agreed = tuple(i for i in ok[0].top if i in common)
    return MethodComparison(groups, tuple(runs), top, agreed, _sentence(ok, agreed, top, model))


def _sentence(ok: Sequence[MethodRun], agreed: Sequence[str], top: int, model: Model) -> str:
    """One line an analyst can quote: how often each weak point makes the top K across methods."""
    if not ok:
        return "no method could weigh this survey"
    names = {i.id: i.name for i in model.items}
    listed = ", ".join(f"{names.get(i, i)} in {n}" for i, n in weak_point_counts(ok)[:top + 2])
    scores = [r.overall for r in ok if r.overall is not None]
    agree = ", ".join(names.get(a, a) for a in agreed) if agreed else "none"
    return (f"Top-{top} weak points across {len(ok)} methods: {listed}; every method agrees on {agree}. "
            f"The index ranges {min(scores):.1f}–{max(scores):.1f}.")


def weak_point_counts(runs: Sequence[MethodRun]) -> list[tuple[str, int]]:
    """Each weak point with the number of ``runs`` that have it in their top K, most first
    (ties in the order first seen).

    >>> weak_point_counts([MethodRun("a", top=("x", "y")), MethodRun("b", top=("y", "z")), MethodRun("c", error="no")])
    [('y', 2), ('x', 1), ('z', 1)]
    """
    counts: dict[str, int] = {}
    for r in runs:
        if r.error is None:
            for i in r.top:
                counts[i] = counts.get(i, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])
