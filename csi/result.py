"""The result of scoring one survey, and its JSON form (schema ``csi.result/1``, its fields in docs/architecture.md and README.md).

Numbers are kept at full precision; renderers format them. ``from_dict(to_dict(r))``
gives back an equal result, so ``csi compare`` can read results written by ``csi score``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Estimate", "NodeScore", "WeakPoint", "SegmentGroup", "Segment", "Result", "SCHEMA", "QUADRANTS", "UnitRank", "Ranking",
           "TAU2_METHODS", "FUNNEL_LEVELS", "FUNNEL_FLAGS"]

SCHEMA = "csi.result/1"
#: IPA quadrants (Martilla & James 1977), with their usual Chinese names.
QUADRANTS = {
    "concentrate_here": "加强改善重点",
    "keep_up_the_good_work": "继续保持",
    "low_priority": "优先顺序较低",
    "possible_overkill": "供给过度",
}


def _num(x: Any) -> float | None:
    """JSON has no NaN: missing numbers become null."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _fnum(x: Any) -> float:
    return math.nan if x is None else float(x)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A score with its bootstrap standard error, confidence interval and sample size."""

    score: float
    se: float
    ci: tuple[float, float]
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"score": _num(self.score), "se": _num(self.se), "ci": [_num(self.ci[0]), _num(self.ci[1])], "n": self.n}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Estimate:
        ci = d.get("ci") or [None, None]
        return cls(_fnum(d.get("score")), _fnum(d.get("se")), (_fnum(ci[0]), _fnum(ci[1])), int(d.get("n") or 0))


@dataclass(frozen=True, slots=True)
class NodeScore:
    """One dimension, sub-group or indicator of the model, scored."""

    id: str
    name: str
    parent: str | None
    kind: str
    weight: float
    global_weight: float
    estimate: Estimate
    method: str | None = None
    alpha: float | None = None
    alpha_ci: tuple[float, float] | None = None
    weighting: dict[str, Any] | None = None
    column: str | None = None
    type: str | None = None
    target: float | None = None
    low_share: float | None = None

    @property
    def score(self) -> float:
        return self.estimate.score

    @property
    def se(self) -> float:
        return self.estimate.se

    @property
    def ci(self) -> tuple[float, float]:
        return self.estimate.ci

    @property
    def n(self) -> int:
        return self.estimate.n

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "parent": self.parent, "kind": self.kind}
        if self.kind == "group":
            d["method"] = self.method
        d["weight"] = self.weight
        d["global_weight"] = self.global_weight
        if self.kind == "item":
            d["column"] = self.column
            d["type"] = self.type
            d["target"] = self.target
        d.update(self.estimate.to_dict())
        if self.kind == "group":
            d["alpha"] = _num(self.alpha)
            d["alpha_ci"] = None if self.alpha_ci is None else [_num(self.alpha_ci[0]), _num(self.alpha_ci[1])]
            if self.weighting:
                d["weighting"] = self.weighting
        else:
            d["low_share"] = _num(self.low_share)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NodeScore:
        aci = d.get("alpha_ci")
        return cls(
            id=d["id"], name=d.get("name", d["id"]), parent=d.get("parent"), kind=d.get("kind", "item"),
            weight=_fnum(d.get("weight")), global_weight=_fnum(d.get("global_weight")), estimate=Estimate.from_dict(d),
            method=d.get("method"), alpha=None if d.get("alpha") is None else float(d["alpha"]),
            alpha_ci=None if aci is None else (_fnum(aci[0]), _fnum(aci[1])), weighting=d.get("weighting"),
            column=d.get("column"), type=d.get("type"), target=d.get("target"),
            low_share=None if d.get("low_share") is None else float(d["low_share"]),
        )


@dataclass(frozen=True, slots=True)
class WeakPoint:
    """An indicator that costs the index points against its target (docs/methods.md#loss)."""

    rank: int
    id: str
    name: str
    score: float
    importance: float
    target: float
    loss: float
    quadrant: str
    low_share: float | None
    stability: float
    #: Masked comments of respondents who rated this indicator low (--verbatims).
    verbatims: tuple[str, ...] = ()
    #: Derived importance × max(target − score, 0): what the weak points are ranked by under --rank-by ipma.
    priority: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"rank": self.rank, "id": self.id, "name": self.name, "score": _num(self.score), "importance": self.importance,
             "target": self.target, "loss": _num(self.loss), "quadrant": self.quadrant, "low_share": _num(self.low_share),
             "stability": _num(self.stability)}
        if self.priority is not None:
            d["priority"] = _num(self.priority)
        if self.verbatims:
            d["verbatims"] = list(self.verbatims)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WeakPoint:
        return cls(int(d["rank"]), d["id"], d.get("name", d["id"]), _fnum(d.get("score")), float(d["importance"]),
                   float(d["target"]), _fnum(d.get("loss")), d.get("quadrant", ""),
                   None if d.get("low_share") is None else float(d["low_share"]), _fnum(d.get("stability")),
                   tuple(d.get("verbatims", ())), None if d.get("priority") is None else float(d["priority"]))


@dataclass(frozen=True, slots=True)
class SegmentGroup:
    """The scores of one value of a segment column."""

    value: str
    n: int
    overall: Estimate
    nodes: tuple[tuple[str, Estimate], ...]
    #: This group against all other respondents: delta, se, z, p and Holm-adjusted p.
    vs_rest: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": self.n, "overall": self.overall.to_dict(), "vs_rest": self.vs_rest,
                "nodes": [{"id": i, **e.to_dict()} for i, e in self.nodes]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SegmentGroup:
        return cls(str(d["value"]), int(d["n"]), Estimate.from_dict(d["overall"]),
                   tuple((nd["id"], Estimate.from_dict(nd)) for nd in d.get("nodes", [])), d.get("vs_rest"))


@dataclass(frozen=True, slots=True)
class Segment:
    """A breakdown by one column; groups under ``min_group`` respondents are only counted."""

    by: str
    groups: tuple[SegmentGroup, ...]
    suppressed: int
    min_group: int

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "min_group": self.min_group, "groups": [g.to_dict() for g in self.groups],
                "suppressed": self.suppressed}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Segment:
        return cls(d["by"], tuple(SegmentGroup.from_dict(g) for g in d.get("groups", [])), int(d.get("suppressed", 0)),
                   int(d.get("min_group", 5)))


@dataclass(frozen=True, slots=True)
class Result:
    """Everything ``csi score`` computes for one survey."""

    overall: Estimate
    nodes: tuple[NodeScore, ...]
    weak_points: tuple[WeakPoint, ...]
    respondents: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)
    outcome: Estimate | None = None
    nps: dict[str, Any] | None = None
    segments: tuple[Segment, ...] = ()
    data_quality: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: The grade view (模糊综合评价) with ``--grades``: :func:`csi.grades.grade_view`'s section.
    grades: dict[str, Any] | None = None
    #: The structural model's figures (docs/structural.md), when the model has ``paths:``.
    structural: dict[str, Any] | None = None
    #: League tables (``csi rank``, ``csi score --rank``): the JSON section ``rankings``, present when not empty.
    rankings: tuple[Ranking, ...] = ()
    #: The IPA matrix: which importance it shows and each indicator's (docs/methods.md#ipa); None in results written before it.
    ipa: dict[str, Any] | None = None

    def structural_csi(self) -> Estimate | None:
        """The CSI of a structural model (``paths:``): the satisfaction construct's index with its
        bootstrap standard error and interval (NaN without them; n = the respondents the
        structural model used), or None."""
        st = self.structural
        if not st:
            return None
        ci = st.get("ci") or [None, None]
        return Estimate(float(st["csi"]), _fnum(st.get("se")), (_fnum(ci[0]), _fnum(ci[1])),
                        int((st.get("settings") or {}).get("n") or 0))

    def node(self, node_id: str) -> NodeScore:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema": SCHEMA,
            "manifest": self.manifest,
            "respondents": self.respondents,
            "overall": self.overall.to_dict(),
            "outcome": None if self.outcome is None else self.outcome.to_dict(),
            "nps": self.nps,
            "nodes": [n.to_dict() for n in self.nodes],
            "weak_points": [w.to_dict() for w in self.weak_points],
            **({"ipa": self.ipa} if self.ipa is not None else {}),
            "segments": [s.to_dict() for s in self.segments],
            "data_quality": self.data_quality,
            "warnings": list(self.warnings),
        }
        if self.grades is not None:  # only with --grades, so other results keep their shape
            out["grades"] = self.grades
        if self.structural is not None:
            out["structural"] = self.structural
        if self.rankings:
            out["rankings"] = [r.to_dict() for r in self.rankings]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Result:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema: {d.get('schema')!r})")
        return cls(
            overall=Estimate.from_dict(d["overall"]),
            nodes=tuple(NodeScore.from_dict(n) for n in d.get("nodes", [])),
            weak_points=tuple(WeakPoint.from_dict(w) for w in d.get("weak_points", [])),
            respondents=d.get("respondents", {}),
            manifest=d.get("manifest", {}),
            outcome=None if d.get("outcome") is None else Estimate.from_dict(d["outcome"]),
            nps=d.get("nps"),
            segments=tuple(Segment.from_dict(s) for s in d.get("segments", [])),
            data_quality=d.get("data_quality", {}),
            warnings=tuple(d.get("warnings", [])),
            grades=d.get("grades"),
            structural=d.get("structural"),
            rankings=tuple(Ranking.from_dict(r) for r in d.get("rankings", [])),
            ipa=d.get("ipa"),
        )


# League tables of units (csi rank; docs/ranking.md)

#: Estimators of the between-unit variance τ² (docs/methods.md#ranking).
TAU2_METHODS = ("reml", "dl")
#: The funnel's two control limits (Spiegelhalter 2005): two-sided coverage of each.
FUNNEL_LEVELS = (0.95, 0.998)
#: Where a unit's raw score falls against the funnel's limits at its n.
FUNNEL_FLAGS = ("clearly_above", "above", "within", "below", "clearly_below")


@dataclass(frozen=True, slots=True)
class UnitRank:
    """One unit of a league table.

    ``status`` is ``ranked``, ``too_small`` (fewer than ``min_group`` respondents: only its size
    is shown), ``no_answers`` (nobody in it answered the node) or ``missing`` (the respondents
    with no value in the column, "(missing)"). For a ranked unit: ``raw``
    (the unit's score, bootstrap SE and interval, n who answered the node), ``shrunken`` (the
    empirical-Bayes score and its interval), ``rank`` (1 = best, by the shrunken score) and its
    interval ``rank_ci``, the funnel ``limits`` at its n (95 % and 99.8 %) and ``flag``
    (one of :data:`FUNNEL_FLAGS`).
    """

    unit: str
    size: int
    status: str
    raw: Estimate | None = None
    shrunken: Estimate | None = None
    shrinkage: float | None = None
    rank: int | None = None
    rank_ci: tuple[int, int] | None = None
    limits: tuple[tuple[float, float], tuple[float, float]] | None = None
    flag: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"unit": self.unit, "size": self.size, "status": self.status}
        if self.status != "ranked":
            return d
        assert self.raw is not None and self.shrunken is not None and self.limits is not None
        d.update({"rank": self.rank, "rank_ci": list(self.rank_ci or ()), "raw": self.raw.to_dict(),
                  "shrunken": self.shrunken.to_dict(), "shrinkage": _num(self.shrinkage),
                  "limits_95": [_num(x) for x in self.limits[0]], "limits_998": [_num(x) for x in self.limits[1]],
                  "flag": self.flag})
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> UnitRank:
        if d.get("status") != "ranked":
            return cls(str(d["unit"]), int(d["size"]), str(d.get("status", "too_small")))
        lo, hi = d["limits_95"], d["limits_998"]
        return cls(str(d["unit"]), int(d["size"]), "ranked", Estimate.from_dict(d["raw"]), Estimate.from_dict(d["shrunken"]),
                   _fnum(d.get("shrinkage")), int(d["rank"]), (int(d["rank_ci"][0]), int(d["rank_ci"][1])),
                   ((_fnum(lo[0]), _fnum(lo[1])), (_fnum(hi[0]), _fnum(hi[1]))), d.get("flag"))


@dataclass(frozen=True, slots=True)
class Ranking:
    """A league table of the units of one column on one node, with its funnel.

    ``target`` is the whole sample's score of the node (the funnel's centre); ``sigma`` the
    pooled per-respondent standard deviation σ̂ that sets the limits target ± z σ̂/√n and the
    units' sampling variances σ̂²/n; ``tau2`` the between-unit variance (by ``tau2_method``)
    and ``mu`` the empirical-Bayes mean the scores are shrunk towards.
    """

    by: str
    node: str
    node_name: str
    target: float
    sigma: float
    tau2: float
    tau2_method: str
    mu: float
    confidence: float
    min_group: int
    replicates: int
    bootstrap: str
    anonymised: bool
    units: tuple[UnitRank, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "node": self.node, "node_name": self.node_name, "target": _num(self.target),
                "sigma": _num(self.sigma), "tau2": _num(self.tau2), "tau2_method": self.tau2_method, "mu": _num(self.mu),
                "confidence": self.confidence, "min_group": self.min_group, "replicates": self.replicates,
                "bootstrap": self.bootstrap, "anonymised": self.anonymised, "funnel_levels": list(FUNNEL_LEVELS),
                "units": [u.to_dict() for u in self.units]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ranking:
        return cls(d["by"], d["node"], d.get("node_name", d["node"]), _fnum(d.get("target")), _fnum(d.get("sigma")),
                   _fnum(d.get("tau2")), d.get("tau2_method", "reml"), _fnum(d.get("mu")), float(d.get("confidence", 0.95)),
                   int(d.get("min_group", 5)), int(d.get("replicates", 0)), d.get("bootstrap", ""), bool(d.get("anonymised")),
                   tuple(UnitRank.from_dict(u) for u in d.get("units", [])))

    @property
    def ranked(self) -> tuple[UnitRank, ...]:
        """The ranked units, best first."""
        return tuple(sorted((u for u in self.units if u.status == "ranked"), key=lambda u: u.rank or 0))
