"""The options of a scoring run: a core type, light to import (no numpy), so that a command can
build them before the engine is loaded."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ScoreOptions", "RankOptions", "RANK_BY"]

#: How weak points are ranked (``csi score --rank-by``): by loss, or by derived importance × gap.
RANK_BY = ("loss", "ipma")


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """Options of one scoring run; recorded in the result's manifest."""

    bootstrap: int = 1000
    seed: int = 0
    confidence: float = 0.95
    top: int = 5
    target: float | None = None
    population: int | None = None
    min_group: int = 5
    #: Re-estimate data-driven weights inside every bootstrap replicate (SmartPLS-style intervals).
    bootstrap_weights: bool = False
    #: Up to this many masked comments per weak point, from respondents who rated it low.
    verbatims: int = 0
    #: Rank weak points by ``loss`` (global weight × gap) or ``ipma`` (derived importance × gap).
    rank_by: str = "loss"


@dataclass(frozen=True, slots=True)
class RankOptions:
    """What to rank: units of column ``by`` on node ``node`` (None: the overall index), with
    τ² estimated by ``tau2`` (``reml`` or ``dl``); ``anonymise`` replaces unit names by codes."""

    by: str
    node: str | None = None
    tau2: str = "reml"
    anonymise: bool = False
