"""League tables of units (account managers, branches): the types of ``csi rank`` and of the
result JSON's ``rankings`` section, light to import (no numpy), so that a command can build
:class:`RankOptions` before the engine is loaded. The arithmetic is in :mod:`csi.ranking`;
the JSON fields are described in docs/ranking.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csi.result import Estimate, _fnum, _num

__all__ = ["RankOptions", "UnitRank", "Ranking", "TAU2_METHODS", "FUNNEL_LEVELS", "FUNNEL_FLAGS"]

#: Estimators of the between-unit variance τ² (docs/methods.md#ranking).
TAU2_METHODS = ("reml", "dl")
#: The funnel's two control limits (Spiegelhalter 2005): two-sided coverage of each.
FUNNEL_LEVELS = (0.95, 0.998)
#: Where a unit's raw score falls against the funnel's limits at its n.
FUNNEL_FLAGS = ("clearly_above", "above", "within", "below", "clearly_below")


@dataclass(frozen=True, slots=True)
class RankOptions:
    """What to rank: units of column ``by`` on node ``node`` (None: the overall index), with
    τ² estimated by ``tau2`` (``reml`` or ``dl``); ``anonymise`` replaces unit names by codes."""

    by: str
    node: str | None = None
    tau2: str = "reml"
    anonymise: bool = False


@dataclass(frozen=True, slots=True)
class UnitRank:
    """One unit of a league table.

    ``status`` is ``ranked``, ``too_small`` (fewer than ``min_group`` respondents: only its size
    is shown) or ``no_answers`` (nobody in it answered the node). For a ranked unit: ``raw``
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
