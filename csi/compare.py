r"""Comparing periods: deltas, tests, Holm, trends and benchmarks (docs/methods.md#comparing-periods).

:func:`compare_results` takes two or more :class:`~csi.result.Result` objects, oldest first,
and matches their nodes by id. For every node and for the overall index it reports the score
of each period, the change between the last two periods and since the first, a test of the
last change, Holm-adjusted p-values, a verdict, and with three or more periods a trend.

**Test of a change.** The periods are treated as independent samples, so for scores
:math:`S_1` (previous) and :math:`S_2` (last) with standard errors :math:`s_1, s_2`

.. math:: \Delta = S_2 - S_1, \qquad se(\Delta) = \sqrt{s_1^2 + s_2^2}, \qquad
          z = \Delta / se(\Delta), \qquad p = 2\,(1 - \Phi(|z|)) = \operatorname{erfc}(|z|/\sqrt 2)

(the two-sample z test on bootstrap standard errors; docs/methods.md#z-test). When
the same clients answer in both periods the scores are positively correlated, the true
:math:`se(\Delta)` is smaller, and this test is conservative.

**Multiplicity.** The p-values of the last change of every node and of the overall index form
one family, adjusted with Holm's step-down procedure (:func:`csi.stats.holm`; Holm 1979 [1]_).
The verdict is ``up`` or ``down`` when the adjusted p is below ``alpha``, ``no_change``
otherwise, and ``None`` when the change cannot be tested (a node missing in one of the two
periods, or no standard error — a result scored with ``--bootstrap 0``). In a segment
breakdown, the family is every node of every value of that breakdown; benchmark gaps form a
family of their own.

**Trend.** With three or more periods, :func:`wls_trend` fits score on the period index
0 … T−1 by weighted least squares with weights :math:`1/se^2` (Draper & Smith 1998 [2]_, §9.2).

Worked example — two periods, one node (the hand computation of ``tests/test_compare.py``):
77 ± 0.6 then 75 ± 0.8 gives Δ = −2, se(Δ) = √(0.36 + 0.64) = 1, z = −2 and
p = 2Φ(−2) = 0.0455; alone in its family, the adjusted p is the same and the verdict ``down``.

>>> from csi.result import Estimate, Result
>>> def result(score, se):
...     return Result(Estimate(score, se, (score - 2 * se, score + 2 * se), 100), (), (), {"used": 100})
>>> c = compare_results([result(77.0, 0.6), result(75.0, 0.8)], ["Q2", "Q3"])
>>> o = c.overall
>>> o.delta, o.se_delta, o.z, round(o.p, 6), o.verdict
(-2.0, 1.0, -2.0, 0.0455, 'down')

References
----------
.. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6(2), 65–70.
.. [2] Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis*, 3rd ed. Wiley.
       (Weighted least squares with known variances.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Any

import numpy as np

from csi.actions import ActionOutcome
from csi.errors import DataError, Issue
from csi.result import Estimate, Result, _fnum, _num
from csi.stats import holm
from csi.structure import comparability

__all__ = [
    "SCHEMA",
    "OVERALL_ID",
    "Alert",
    "Benchmark",
    "BenchmarkGap",
    "BenchmarkScore",
    "Comparison",
    "DropCheck",
    "ModelChange",
    "NodeComparison",
    "Period",
    "SegmentComparison",
    "SegmentValueComparison",
    "StructuralComparison",
    "Trend",
    "WeakPointChange",
    "compare_results",
    "wls_trend",
    "z_test",
]

SCHEMA = "csi.comparison/1"
#: The id that stands for the overall index (in benchmark files and in alerts).
OVERALL_ID = "overall"


# ------------------------------------------------------------------ JSON helpers: shared with result.py


def _pair(x: Any) -> tuple[float, float]:
    x = x or (None, None)
    return (_fnum(x[0]), _fnum(x[1]))


# ------------------------------------------------------------------ statistics
def _two_sided_p(z: float) -> float:
    """Two-sided standard-normal p-value, 2(1 − Φ(|z|)), exact in the tails."""
    return math.erfc(abs(z) / math.sqrt(2.0)) if math.isfinite(z) else math.nan


def _quantile(confidence: float) -> float:
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def z_test(s1: float, se1: float, s2: float, se2: float) -> tuple[float, float, float, float]:
    r"""Two-sample z test of the change from score ``s1`` to ``s2`` (independent samples).

    .. math:: \Delta = s_2 - s_1,\quad se(\Delta) = \sqrt{se_1^2 + se_2^2},\quad
              z = \Delta / se(\Delta),\quad p = \operatorname{erfc}(|z| / \sqrt 2)

    Returns ``(delta, se_delta, z, p)``. ``z`` and ``p`` are NaN when the change cannot be
    tested: a score or standard error is missing (NaN), or ``se(Δ)`` is zero.

    Examples
    --------
    80 ± 1.2 → 83 ± 1.6: se(Δ) = √(1.44 + 2.56) = 2, z = 1.5, p = 2(1 − Φ(1.5)) = 0.133614:

    >>> d, se, z, p = z_test(80.0, 1.2, 83.0, 1.6)
    >>> d, se, z, round(p, 6)
    (3.0, 2.0, 1.5, 0.133614)
    >>> z_test(80.0, float("nan"), 83.0, 1.6)[2:]
    (nan, nan)
    """
    delta = s2 - s1
    se = math.sqrt(se1 * se1 + se2 * se2) if math.isfinite(se1) and math.isfinite(se2) else math.nan
    if not (math.isfinite(delta) and math.isfinite(se) and se > 0.0):
        return delta, se, math.nan, math.nan
    z = delta / se
    return delta, se, z, _two_sided_p(z)


@dataclass(frozen=True, slots=True)
class Trend:
    """A weighted least-squares trend: ``slope`` points per period, its ``se``, ``ci`` and ``p``.

    ``periods`` is the number of periods fitted; ``chi2`` the weighted residual sum of squares
    Σ wₜ (yₜ − ŷₜ)², which under the model follows χ² with ``df`` = periods − 2 degrees of
    freedom: a ``chi2`` well above ``df`` says the scores move between periods more than their
    standard errors explain, and the slope's ``se`` is then too small.
    """

    slope: float
    se: float
    ci: tuple[float, float]
    p: float
    periods: int
    chi2: float
    df: int

    def to_dict(self) -> dict[str, Any]:
        return {"slope": _num(self.slope), "se": _num(self.se), "ci": [_num(self.ci[0]), _num(self.ci[1])], "p": _num(self.p),
                "periods": self.periods, "chi2": _num(self.chi2), "df": self.df}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Trend:
        return cls(_fnum(d.get("slope")), _fnum(d.get("se")), _pair(d.get("ci")), _fnum(d.get("p")), int(d.get("periods", 0)),
                   _fnum(d.get("chi2")), int(d.get("df", 0)))


def wls_trend(t: Sequence[float], y: Sequence[float], se: Sequence[float], confidence: float = 0.95) -> Trend | None:
    r"""Trend of scores ``y`` over periods ``t`` by weighted least squares, weights 1/se².

    With :math:`w_t = 1/se_t^2`, :math:`\bar t = \sum w_t t / \sum w_t` and
    :math:`\bar y = \sum w_t y_t / \sum w_t`:

    .. math:: b = \frac{\sum w_t (t - \bar t)(y_t - \bar y)}{\sum w_t (t - \bar t)^2},
              \qquad se(b) = \Big(\sum w_t (t - \bar t)^2\Big)^{-1/2}

    — the slope of the straight line fitted to the scores, and its standard error from the
    WLS covariance :math:`(X^\top W X)^{-1}` *without* scaling by the residual variance: the
    standard errors are known (from each period's bootstrap over hundreds of respondents),
    so the slope's variance is known too, not estimated from the T residuals (Draper & Smith
    1998, §9.2; numpy ``polyfit(..., w=1/se, cov="unscaled")``; statsmodels
    ``WLS(...).fit(cov_type="fixed scale")``). With the variance known the slope is normal,
    so the interval is :math:`b \pm z_{1-(1-c)/2}\, se(b)` and the p-value two-sided normal.
    A t interval on T − 2 degrees of freedom belongs to the scaled variant, which estimates
    the variance from 1 or 2 residual degrees of freedom at 3–4 periods (t₀.₉₇₅ = 12.7 at
    1 df) and would hide any trend. The price of the known-variance model is that it assumes
    the scores scatter around the line only by sampling error; ``chi2`` (see :class:`Trend`)
    checks that.

    Periods with a missing score or standard error, or ``se ≤ 0``, are left out; fewer than
    three periods left give ``None``.

    Validated against numpy ``polyfit(cov="unscaled")`` and statsmodels 0.15.0 ``WLS``
    (``cov_type="fixed scale"``) on the worked example below; see
    ``tests/reference/REFERENCES.md``.

    Examples
    --------
    y = 70, 72, 71, 75 with se = 1, 2, 1, 2 (w = 1, ¼, 1, ¼): t̄ = 3/2.5 = 1.2, ȳ = 177.75/2.5 =
    71.1, Σw(t − t̄)² = 2.9, Σw(t − t̄)(y − ȳ) = 2.95, so b = 2.95/2.9 = 1.017241 and
    se = 1/√2.9 = 0.587220:

    >>> tr = wls_trend([0, 1, 2, 3], [70, 72, 71, 75], [1, 2, 1, 2])
    >>> round(tr.slope, 6), round(tr.se, 6), round(tr.p, 6), tr.df
    (1.017241, 0.58722, 0.08322, 2)
    """
    t_ = np.asarray(t, dtype=float)
    y_ = np.asarray(y, dtype=float)
    s_ = np.asarray(se, dtype=float)
    ok = np.isfinite(t_) & np.isfinite(y_) & np.isfinite(s_) & (s_ > 0)
    t_, y_, s_ = t_[ok], y_[ok], s_[ok]
    k = int(t_.size)
    if k < 3:
        return None
    w = 1.0 / s_**2
    tbar = float(np.sum(w * t_) / np.sum(w))
    ybar = float(np.sum(w * y_) / np.sum(w))
    stt = float(np.sum(w * (t_ - tbar) ** 2))
    if not stt > 0.0:
        return None
    slope = float(np.sum(w * (t_ - tbar) * (y_ - ybar)) / stt)
    se_b = 1.0 / math.sqrt(stt)
    resid = y_ - ybar - slope * (t_ - tbar)
    chi2 = float(np.sum(w * resid**2))
    q = _quantile(confidence)
    return Trend(slope, se_b, (slope - q * se_b, slope + q * se_b), _two_sided_p(slope / se_b), k, chi2, k - 2)


# ------------------------------------------------------------------ benchmarks
@dataclass(frozen=True, slots=True)
class BenchmarkScore:
    """One node's benchmark score (0–100), with its standard error when known."""

    id: str
    score: float
    se: float | None = None


@dataclass(frozen=True, slots=True)
class Benchmark:
    """Scores to compare the last period against: an industry average, a competitor.

    ``label`` names it in reports (行业平均, a competitor's name); ``source`` says where it
    came from (a file name, a study). The id :data:`OVERALL_ID` (``overall``) is the index.
    Files are read by :func:`csi.survey.benchmark.read_benchmark`.
    """

    label: str
    scores: tuple[BenchmarkScore, ...]
    source: str = ""

    def get(self, node_id: str) -> BenchmarkScore | None:
        for s in self.scores:
            if s.id == node_id:
                return s
        return None


@dataclass(frozen=True, slots=True)
class BenchmarkGap:
    """The last period against the benchmark: ``gap`` = last − benchmark.

    ``se_gap``, ``z``, ``p``, ``p_adj`` (Holm across the benchmark gaps of the comparison)
    and ``verdict`` (``above`` | ``below`` | ``no_difference``) exist only when the
    benchmark's standard error is known: treating a benchmark without one as exact would
    overstate every difference from it.
    """

    score: float
    se: float | None
    gap: float
    se_gap: float = math.nan
    z: float = math.nan
    p: float = math.nan
    p_adj: float = math.nan
    verdict: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"score": _num(self.score), "se": _num(self.se), "gap": _num(self.gap), "se_gap": _num(self.se_gap),
                "z": _num(self.z), "p": _num(self.p), "p_adj": _num(self.p_adj), "verdict": self.verdict}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BenchmarkGap:
        return cls(_fnum(d.get("score")), None if d.get("se") is None else float(d["se"]), _fnum(d.get("gap")),
                   _fnum(d.get("se_gap")), _fnum(d.get("z")), _fnum(d.get("p")), _fnum(d.get("p_adj")), d.get("verdict"))


# ------------------------------------------------------------------ the comparison
@dataclass(frozen=True, slots=True)
class Period:
    """One period of the comparison: its label, where it came from, respondents used, model."""

    label: str
    source: str
    n: int
    model_name: str = ""
    model_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "source": self.source, "n": self.n,
                "model": {"name": self.model_name, "sha256": self.model_sha256}}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Period:
        m = d.get("model") or {}
        return cls(str(d["label"]), str(d.get("source", "")), int(d.get("n", 0)), str(m.get("name", "")), m.get("sha256"))


@dataclass(frozen=True, slots=True)
class NodeComparison:
    """One node (or the overall index, ``kind == "index"``) across the periods.

    Per period (tuples, one entry per period): ``present``, ``scores``, ``se``, ``n`` and
    ``deltas`` (the change from the period before; NaN for the first). Then the last change,
    ``delta`` = last − previous with ``se_delta``, ``delta_ci``, ``z``, ``p``, ``p_adj``
    (Holm) and ``verdict``; ``delta_first`` = last − first; ``trend`` (three or more periods)
    and ``benchmark`` (when a benchmark has this node). Scores of a node absent in a period
    are NaN there and ``present`` is False.
    """

    id: str
    name: str
    parent: str | None
    kind: str
    present: tuple[bool, ...]
    scores: tuple[float, ...]
    se: tuple[float, ...]
    n: tuple[int | None, ...]
    deltas: tuple[float, ...]
    delta: float
    delta_first: float
    se_delta: float
    delta_ci: tuple[float, float]
    z: float
    p: float
    p_adj: float = math.nan
    verdict: str | None = None
    trend: Trend | None = None
    benchmark: BenchmarkGap | None = None

    @property
    def last(self) -> float:
        return self.scores[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "parent": self.parent, "kind": self.kind,
            "present": list(self.present),
            "scores": [_num(s) for s in self.scores],
            "se": [_num(s) for s in self.se],
            "n": list(self.n),
            "deltas": [_num(s) for s in self.deltas],
            "delta": _num(self.delta), "delta_first": _num(self.delta_first), "se_delta": _num(self.se_delta),
            "delta_ci": [_num(self.delta_ci[0]), _num(self.delta_ci[1])],
            "z": _num(self.z), "p": _num(self.p), "p_adj": _num(self.p_adj), "verdict": self.verdict,
            "trend": None if self.trend is None else self.trend.to_dict(),
            "benchmark": None if self.benchmark is None else self.benchmark.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> NodeComparison:
        scores = tuple(_fnum(s) for s in d.get("scores", ()))
        present = tuple(bool(p) for p in d.get("present", [s == s for s in scores]))
        return cls(
            id=str(d["id"]), name=str(d.get("name", d["id"])), parent=d.get("parent"), kind=str(d.get("kind", "item")),
            present=present, scores=scores, se=tuple(_fnum(s) for s in d.get("se", ())),
            n=tuple(None if v is None else int(v) for v in d.get("n", [None] * len(scores))),
            deltas=tuple(_fnum(s) for s in d.get("deltas", [None] * len(scores))),
            delta=_fnum(d.get("delta")), delta_first=_fnum(d.get("delta_first")), se_delta=_fnum(d.get("se_delta")),
            delta_ci=_pair(d.get("delta_ci")), z=_fnum(d.get("z")), p=_fnum(d.get("p")), p_adj=_fnum(d.get("p_adj")),
            verdict=d.get("verdict"),
            trend=None if d.get("trend") is None else Trend.from_dict(d["trend"]),
            benchmark=None if d.get("benchmark") is None else BenchmarkGap.from_dict(d["benchmark"]),
        )


@dataclass(frozen=True, slots=True)
class WeakPointChange:
    """A weak point of the last or the previous period's top list, across the periods.

    ``status``: ``entered`` (in the last top list, not the previous), ``left`` (the reverse) or
    ``stayed``. ``ranks`` and ``losses`` have one entry per period (rank None outside that
    period's top list; loss NaN where the indicator is absent); ``delta_loss`` = last −
    previous, in index points.
    """

    id: str
    name: str
    status: str
    ranks: tuple[int | None, ...]
    losses: tuple[float, ...]
    delta_loss: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "status": self.status, "ranks": list(self.ranks),
                "losses": [_num(v) for v in self.losses], "delta_loss": _num(self.delta_loss)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> WeakPointChange:
        return cls(str(d["id"]), str(d.get("name", d["id"])), str(d["status"]),
                   tuple(None if r is None else int(r) for r in d.get("ranks", ())),
                   tuple(_fnum(v) for v in d.get("losses", ())), _fnum(d.get("delta_loss")))


@dataclass(frozen=True, slots=True)
class SegmentValueComparison:
    """One value of a segment column (记账二部) compared across the periods."""

    value: str
    n: tuple[int | None, ...]
    overall: NodeComparison
    nodes: tuple[NodeComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "n": list(self.n), "overall": self.overall.to_dict(), "nodes": [n.to_dict() for n in self.nodes]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SegmentValueComparison:
        return cls(str(d["value"]), tuple(None if v is None else int(v) for v in d.get("n", ())),
                   NodeComparison.from_dict(d["overall"]), tuple(NodeComparison.from_dict(n) for n in d.get("nodes", ())))


@dataclass(frozen=True, slots=True)
class SegmentComparison:
    """A breakdown by one column: every value shown in at least one period.

    A value suppressed in a period (fewer than ``min_group`` respondents) is absent there,
    exactly as in that period's result; ``suppressed`` counts the suppressed values per period.
    """

    by: str
    min_group: int
    suppressed: tuple[int, ...]
    values: tuple[SegmentValueComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "min_group": self.min_group, "suppressed": list(self.suppressed),
                "values": [v.to_dict() for v in self.values]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SegmentComparison:
        return cls(str(d["by"]), int(d.get("min_group", 5)), tuple(int(v) for v in d.get("suppressed", ())),
                   tuple(SegmentValueComparison.from_dict(v) for v in d.get("values", ())))


@dataclass(frozen=True, slots=True)
class Alert:
    """Something that needs attention: a Holm-significant drop, or a failed ``--fail-on-drop``.

    ``code`` is ``significant-drop`` (the overall index or a group fell, Holm-significant),
    ``segment-drop`` (the same inside a segment value) or ``fail-on-drop`` (a drop that
    meets the ``--fail-on-drop`` threshold; the check has failed); with ``--actions``
    (:mod:`csi.follow_up`) also ``action-worse`` and ``fail-on-action``.
    """

    code: str
    node: str
    name: str
    delta: float
    p_adj: float
    previous: float
    last: float
    segment: tuple[str, str] | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "node": self.node, "name": self.name,
                "segment": None if self.segment is None else {"by": self.segment[0], "value": self.segment[1]},
                "previous": _num(self.previous), "last": _num(self.last), "delta": _num(self.delta), "p_adj": _num(self.p_adj),
                "message": self.message}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Alert:
        seg = d.get("segment")
        return cls(str(d["code"]), str(d["node"]), str(d.get("name", d["node"])), _fnum(d.get("delta")), _fnum(d.get("p_adj")),
                   _fnum(d.get("previous")), _fnum(d.get("last")), None if seg is None else (str(seg["by"]), str(seg["value"])),
                   str(d.get("message", "")))


@dataclass(frozen=True, slots=True)
class DropCheck:
    """The ``--fail-on-drop`` check: did the index (or, with scope ``any``, any dimension) fall
    by at least ``points`` with a Holm-significant test? ``nodes`` lists the ids that did."""

    points: float
    scope: str
    failed: bool
    nodes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"points": self.points, "scope": self.scope, "failed": self.failed, "nodes": list(self.nodes)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DropCheck:
        return cls(float(d["points"]), str(d.get("scope", "overall")), bool(d["failed"]), tuple(d.get("nodes", ())))


@dataclass(frozen=True, slots=True)
class ModelChange:
    """Periods scored with different models or options, compared anyway (``--allow-model-change``).

    ``differences``: what differs, one sentence each (shown before any table).
    ``not_comparable``: ``(id, name, reason)`` of each node left out of the comparison — its
    bindings changed, a member changed, or it is not in every period; the index (id
    ``overall``) is among them when anything in the tree changed, and is then shown but not tested.
    """

    differences: tuple[str, ...]
    not_comparable: tuple[tuple[str, str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"differences": list(self.differences),
                "not_comparable": [{"id": i, "name": n, "reason": r} for i, n, r in self.not_comparable]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ModelChange:
        return cls(tuple(str(x) for x in d.get("differences", ())),
                   tuple((str(x["id"]), str(x.get("name", x["id"])), str(x.get("reason", ""))) for x in d.get("not_comparable", ())))


@dataclass(frozen=True, slots=True)
class StructuralComparison:
    """The structural model (``paths:``) across the periods: the CSI — the satisfaction
    construct's index —, every other construct's index and every impact, each compared like a
    node (the same test of the last change, trend and verdict). They form one Holm family of
    their own, as the benchmark gaps do. Rows have ``kind`` ``csi``, ``construct`` or ``impact``;
    an impact's ``id`` is its driver's construct id and its scores are points of the satisfaction
    index for +5 points of the driver's index (docs/structural.md)."""

    satisfaction: str
    csi: NodeComparison
    constructs: tuple[NodeComparison, ...]
    impacts: tuple[NodeComparison, ...]

    @property
    def rows(self) -> tuple[NodeComparison, ...]:
        return (self.csi, *self.constructs, *self.impacts)

    def to_dict(self) -> dict[str, Any]:
        return {"satisfaction": self.satisfaction, "csi": self.csi.to_dict(), "constructs": [c.to_dict() for c in self.constructs],
                "impacts": [c.to_dict() for c in self.impacts]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> StructuralComparison:
        return cls(str(d["satisfaction"]), NodeComparison.from_dict(d["csi"]),
                   tuple(NodeComparison.from_dict(c) for c in d.get("constructs", ())),
                   tuple(NodeComparison.from_dict(c) for c in d.get("impacts", ())))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything ``csi compare`` computes; JSON schema ``csi.comparison/1``."""

    periods: tuple[Period, ...]
    alpha: float
    confidence: float
    overall: NodeComparison
    nodes: tuple[NodeComparison, ...]
    weak_points: tuple[WeakPointChange, ...] = ()
    benchmark: tuple[str, str] | None = None
    segments: tuple[SegmentComparison, ...] = ()
    check: DropCheck | None = None
    alerts: tuple[Alert, ...] = ()
    warnings: tuple[str, ...] = ()
    manifest: dict[str, Any] = field(default_factory=dict)
    model_change: ModelChange | None = None
    #: With ``--actions`` (:func:`csi.follow_up.follow_up`): each period's date (ISO) and the actions followed up.
    period_dates: tuple[str, ...] | None = None
    actions: tuple[ActionOutcome, ...] = ()
    #: When at least two periods have a structural model (docs/structural.md).
    structural: StructuralComparison | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.periods)

    @property
    def model_name(self) -> str:
        return self.periods[-1].model_name if self.periods else ""

    def node(self, node_id: str) -> NodeComparison:
        if node_id == OVERALL_ID:
            return self.overall
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema": SCHEMA,
            "manifest": self.manifest,
            "periods": [p.to_dict() for p in self.periods],
            "alpha": self.alpha,
            "confidence": self.confidence,
            "benchmark": None if self.benchmark is None else {"label": self.benchmark[0], "source": self.benchmark[1]},
            "overall": self.overall.to_dict(),
            "nodes": [n.to_dict() for n in self.nodes],
            "weak_points": [w.to_dict() for w in self.weak_points],
            "segments": [s.to_dict() for s in self.segments],
            "check": None if self.check is None else self.check.to_dict(),
            "alerts": [a.to_dict() for a in self.alerts],
            "warnings": list(self.warnings),
        }
        if self.model_change is not None:  # only when periods that differ were compared anyway
            out["model_change"] = self.model_change.to_dict()
        if self.period_dates is not None:  # only with --actions, so other comparisons keep their shape
            out["period_dates"] = list(self.period_dates)
            out["actions"] = [a.to_dict() for a in self.actions]
        if self.structural is not None:  # only when periods have a structural model
            out["structural"] = self.structural.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Comparison:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema: {d.get('schema')!r})")
        b = d.get("benchmark")
        return cls(
            periods=tuple(Period.from_dict(p) for p in d["periods"]),
            alpha=float(d.get("alpha", 0.05)),
            confidence=float(d.get("confidence", 0.95)),
            overall=NodeComparison.from_dict(d["overall"]),
            nodes=tuple(NodeComparison.from_dict(n) for n in d.get("nodes", ())),
            weak_points=tuple(WeakPointChange.from_dict(w) for w in d.get("weak_points", ())),
            benchmark=None if b is None else (str(b["label"]), str(b.get("source", ""))),
            segments=tuple(SegmentComparison.from_dict(s) for s in d.get("segments", ())),
            check=None if d.get("check") is None else DropCheck.from_dict(d["check"]),
            alerts=tuple(Alert.from_dict(a) for a in d.get("alerts", ())),
            warnings=tuple(str(w) for w in d.get("warnings", ())),
            manifest=dict(d.get("manifest") or {}),
            model_change=None if d.get("model_change") is None else ModelChange.from_dict(d["model_change"]),
            period_dates=None if d.get("period_dates") is None else tuple(str(x) for x in d["period_dates"]),
            actions=tuple(ActionOutcome.from_dict(a) for a in d.get("actions", ())),
            structural=None if d.get("structural") is None else StructuralComparison.from_dict(d["structural"]),
        )


# ------------------------------------------------------------------ computing it
@dataclass(frozen=True, slots=True)
class _Meta:
    id: str
    name: str
    parent: str | None
    kind: str


def _series(meta: _Meta, estimates: Sequence[Estimate | None], confidence: float) -> NodeComparison:
    """Everything of one node except the Holm adjustment, verdict and benchmark."""
    t = len(estimates)
    present = tuple(e is not None for e in estimates)
    scores = tuple(math.nan if e is None else float(e.score) for e in estimates)
    ses = tuple(math.nan if e is None else float(e.se) for e in estimates)
    ns = tuple(None if e is None else int(e.n) for e in estimates)
    deltas = (math.nan,) + tuple(scores[i] - scores[i - 1] for i in range(1, t))
    delta, se_delta, z, p = z_test(scores[-2], ses[-2], scores[-1], ses[-1])
    q = _quantile(confidence)
    ci = (delta - q * se_delta, delta + q * se_delta) if math.isfinite(se_delta) else (math.nan, math.nan)
    trend = wls_trend(range(t), scores, ses, confidence) if t >= 3 else None
    return NodeComparison(meta.id, meta.name, meta.parent, meta.kind, present, scores, ses, ns, deltas, delta,
                          scores[-1] - scores[0], se_delta, ci, z, p, trend=trend)


def _adjust(family: list[NodeComparison], alpha: float) -> list[NodeComparison]:
    """Holm-adjust the family's p-values and set each verdict."""
    if not family:
        return family
    adj = holm([c.p for c in family])
    out = []
    for c, pa in zip(family, adj, strict=True):
        pa = float(pa)
        verdict = None if math.isnan(pa) else (("up" if c.delta > 0 else "down") if pa < alpha else "no_change")
        out.append(replace(c, p_adj=pa, verdict=verdict))
    return out


def _merged_order(orders: Sequence[Sequence[str]]) -> list[str]:
    """Ids in the last period's order; ids only in earlier periods slot in after their predecessor."""
    merged = list(orders[-1])
    seen = set(merged)
    for order in reversed(orders[:-1]):
        for i, nid in enumerate(order):
            if nid in seen:
                continue
            anchor = next((order[j] for j in range(i - 1, -1, -1) if order[j] in seen), None)
            merged.insert(0 if anchor is None else merged.index(anchor) + 1, nid)
            seen.add(nid)
    return merged


def _benchmark_gaps(nodes: list[NodeComparison], benchmark: Benchmark, alpha: float) -> list[NodeComparison]:
    gaps: list[BenchmarkGap | None] = []
    for c in nodes:
        b = benchmark.get(c.id)
        if b is None:
            gaps.append(None)
            continue
        gap = c.last - b.score
        if b.se is None:
            gaps.append(BenchmarkGap(b.score, None, gap))
            continue
        _, se_gap, z, p = z_test(b.score, b.se, c.last, c.se[-1])
        gaps.append(BenchmarkGap(b.score, b.se, gap, se_gap, z, p))
    tested = [(i, g) for i, g in enumerate(gaps) if g is not None and not math.isnan(g.p)]
    if tested:
        adj = holm([g.p for _, g in tested])
        for (i, g), pa in zip(tested, adj, strict=True):
            verdict = ("above" if g.gap > 0 else "below") if pa < alpha else "no_difference"
            gaps[i] = replace(g, p_adj=float(pa), verdict=verdict)
    return [c if g is None else replace(c, benchmark=g) for c, g in zip(nodes, gaps, strict=True)]


def _loss(node: Any) -> float:
    """Lⱼ = Iⱼ · max(Tⱼ − Pⱼ, 0) (docs/methods.md#loss) from a scored indicator; NaN scores lose nothing."""
    if node is None or node.target is None:
        return math.nan
    score = node.score if math.isfinite(node.score) else math.inf
    return float(node.global_weight * max(node.target - score, 0.0))


def _weak_point_changes(results: Sequence[Result]) -> list[WeakPointChange]:
    prev, last = results[-2], results[-1]
    ranks = [{w.id: w.rank for w in r.weak_points} for r in results]
    names = {w.id: w.name for r in results for w in r.weak_points}
    nodes = [{n.id: n for n in r.nodes} for r in results]
    ids = [w.id for w in sorted(last.weak_points, key=lambda w: w.rank)]
    ids += [w.id for w in sorted(prev.weak_points, key=lambda w: w.rank) if w.id not in ids]
    out = []
    for wid in ids:
        in_last, in_prev = wid in ranks[-1], wid in ranks[-2]
        status = "stayed" if in_last and in_prev else ("entered" if in_last else "left")
        losses = tuple(_loss(nd.get(wid)) for nd in nodes)
        out.append(WeakPointChange(wid, names[wid], status, tuple(r.get(wid) for r in ranks), losses, losses[-1] - losses[-2]))
    return out


def _drop_alerts(family: Sequence[NodeComparison], labels: Sequence[str], segment: tuple[str, str] | None) -> list[Alert]:
    out = []
    for c in family:
        if c.verdict != "down" or c.kind == "item":
            continue
        where = "" if segment is None else f"{segment[0]}={segment[1]}: "
        what = "overall index" if c.kind == "index" else f"{c.name} ({c.id})"
        msg = (f"{where}{what} fell {-c.delta:.2f} points from {c.scores[-2]:.2f} ({labels[-2]}) to {c.scores[-1]:.2f} "
               f"({labels[-1]}), Holm-adjusted p = {c.p_adj:.3g}")
        out.append(Alert("significant-drop" if segment is None else "segment-drop", c.id, c.name, c.delta, c.p_adj,
                         c.scores[-2], c.scores[-1], segment, msg))
    return out


def _model_warnings(results: Sequence[Result], labels: Sequence[str]) -> list[str]:
    out = []
    shas = [(r.manifest.get("model") or {}).get("sha256") for r in results]
    for i in range(1, len(results)):
        if shas[i] and shas[i - 1] and shas[i] != shas[i - 1]:
            out.append(f"{labels[i]} was scored with a different model file than {labels[i - 1]} (sha256 {shas[i][:12]}… vs "
                       f"{shas[i - 1][:12]}…): check that the indicators and weights still mean the same")
    methods: dict[str, dict[str, str]] = {}
    for r, label in zip(results, labels, strict=True):
        for n in r.nodes:
            if n.kind == "group" and n.method:
                methods.setdefault(n.id, {})[label] = n.method
    for gid, by_label in methods.items():
        if len(set(by_label.values())) > 1:
            name = next(n.name for r in results for n in r.nodes if n.id == gid)
            listing = ", ".join(f"{m} in {lbl}" for lbl, m in by_label.items())
            out.append(f"group {gid} ({name}) is weighted by different methods: {listing}")
    for r, label in zip(results, labels, strict=True):
        if r.overall.se != r.overall.se:
            out.append(f"{label} has no standard errors (scored with --bootstrap 0): changes involving it are not tested")
    rank_by = {label: (r.manifest.get("options") or {}).get("rank_by") or "loss" for r, label in zip(results, labels, strict=True)}
    if len(set(rank_by.values())) > 1:
        listing = ", ".join(f"by {rule} in {label}" for label, rule in rank_by.items())
        out.append(f"the weak points are ranked differently ({listing}): their ranks across the periods are not comparable; "
                   "score every period with the same --rank-by")
    return out


def _untested(c: NodeComparison) -> NodeComparison:
    """The node with its scores but no change: what it measures differs between the periods."""
    nan = math.nan
    return replace(c, deltas=(nan,) * len(c.scores), delta=nan, delta_first=nan, se_delta=nan, delta_ci=(nan, nan), z=nan, p=nan,
                   trend=None)


def _comparable(results: Sequence[Result], labels: Sequence[str], sources: Sequence[str], metas: Mapping[str, _Meta],
                allow: bool, structural: Sequence[str]) -> tuple[dict[str, str], ModelChange | None]:
    """The nodes left out (id → why) and the model change to state; ``structural`` holds the
    differences of the structural models (:func:`_structural_differences`).

    Raises DataError naming what differs unless ``allow`` (``--allow-model-change``)."""
    found = comparability(results, labels)
    found = replace(found, structure=(*found.structure, *structural))
    if found.alike:
        return {}, None
    if not allow:
        hint = ("compare results scored with the same model and options, or give --allow-model-change to compare only the "
                "nodes present in every period with unchanged bindings")
        raise DataError([Issue("model-changed", f"the periods were not scored alike — {what}", file=sources[-1])
                         for what in (*found.options, *found.structure)]
                        + [Issue("model-changed", note, file=sources[-1]) for note in found.notes]
                        + [Issue("model-changed", hint)])
    left_out = tuple((nid, metas[nid].name if nid in metas else nid, why) for nid, why in found.excluded.items())
    return found.excluded, ModelChange((*found.options, *found.structure, *found.notes), left_out)


def _segment_comparison(by: str, results: Sequence[Result], sources: Sequence[str], metas: Mapping[str, _Meta],
                        order: Sequence[str], alpha: float, confidence: float, index_untested: bool) -> SegmentComparison:
    found = [next((s for s in r.segments if s.by == by), None) for r in results]
    problems = [Issue("segment-missing", f"this result has no breakdown by {by!r} (it has: "
                      f"{', '.join(repr(s.by) for s in r.segments) or 'none'}); score it again with --by {by}, "
                      "or compare the survey export itself", file=src)
                for r, src, seg in zip(results, sources, found, strict=True) if seg is None]
    if problems:
        raise DataError(problems)
    segs = [s for s in found if s is not None]
    groups = [{g.value: g for g in s.groups} for s in segs]
    values = _merged_order([[g.value for g in s.groups] for s in segs])
    built: list[tuple[str, tuple[int | None, ...], NodeComparison, list[NodeComparison]]] = []
    family: list[NodeComparison] = []
    overall_meta = _Meta(OVERALL_ID, metas[OVERALL_ID].name, None, "index")
    for value in values:
        gs = [g.get(value) for g in groups]
        ov = _series(overall_meta, [None if g is None else g.overall for g in gs], confidence)
        ov = _untested(ov) if index_untested else ov
        est = [None if g is None else dict(g.nodes) for g in gs]
        nodes = [_series(metas[nid], [None if e is None else e.get(nid) for e in est], confidence) for nid in order]
        nodes = [c for c in nodes if any(c.present)]
        built.append((value, tuple(None if g is None else g.n for g in gs), ov, nodes))
        family += [ov, *nodes]
    adjusted = iter(_adjust(family, alpha))
    out = []
    for value, ns, _, nodes in built:
        ov = next(adjusted)
        out.append(SegmentValueComparison(value, ns, ov, tuple(next(adjusted) for _ in nodes)))
    return SegmentComparison(by, max(s.min_group for s in segs), tuple(s.suppressed for s in segs), tuple(out))


# ------------------------------------------------------------------ the structural model
#: What must be equal for two periods' structural figures to mean the same: name → how to read it.
_STRUCTURAL_SHAPE: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "satisfaction construct": lambda sec: sec.get("satisfaction"),
    "arrows": lambda sec: sorted((str(p["from"]), str(p["to"])) for p in sec.get("paths", ())),
    "constructs or their items": lambda sec: {c["id"]: [i["id"] for i in c.get("items", ())] for c in sec.get("constructs", ())},
    "scheme": lambda sec: (sec.get("settings") or {}).get("scheme"),
    "scaled": lambda sec: (sec.get("settings") or {}).get("scaled"),
}


def _structural_differences(results: Sequence[Result], labels: Sequence[str]) -> list[str]:
    """One sentence per pair of consecutive periods with a structural model whose models differ."""
    have = [(lbl, r.structural) for r, lbl in zip(results, labels, strict=True) if r.structural is not None]
    out = []
    for (la, a), (lb, b) in zip(have, have[1:], strict=False):
        what = []
        for name, get in _STRUCTURAL_SHAPE.items():
            va, vb = get(a), get(b)
            if va != vb:
                what.append(f"{name} {va} → {vb}" if isinstance(va, str | bool) and isinstance(vb, str | bool) else name)
        if what:
            out.append(f"the structural model (paths:) changed from {la} to {lb}: {', '.join(what)}")
    return out


def _find(entries: Sequence[Mapping[str, Any]], key: str, value: str, field: str) -> tuple[Mapping[str, Any], str] | None:
    return next(((e, field) for e in entries if e.get(key) == value), None)


def _structural_series(results: Sequence[Result], meta: _Meta, confidence: float,
                       found: Callable[[Mapping[str, Any]], tuple[Mapping[str, Any], str] | None]) -> NodeComparison:
    """One figure of the structural sections across the periods: ``found`` gives the entry
    that holds it and the field of its value (its ``se`` and ``ci`` beside it)."""
    estimates: list[Estimate | None] = []
    for r in results:
        sec = r.structural
        hit = None if sec is None else found(sec)
        if hit is None:
            estimates.append(None)
            continue
        entry, value = hit
        n = int((sec.get("settings") or {}).get("n", 0)) if sec is not None else 0
        estimates.append(Estimate(float(entry[value]), _fnum(entry.get("se")), _pair(entry.get("ci")), n))
    return _series(meta, estimates, confidence)


def _structural_comparison(results: Sequence[Result], alpha: float, confidence: float, untested: bool) -> StructuralComparison:
    """The CSI, the other constructs' indices and the impacts across the periods (one Holm family)."""
    present = [r.structural for r in results if r.structural is not None]
    sat = str(present[-1]["satisfaction"])
    names = {c["id"]: str(c.get("name", c["id"])) for sec in present for c in sec.get("constructs", ())}
    csi = _structural_series(results, _Meta(sat, names.get(sat, sat), None, "csi"), confidence,
                             lambda sec: (sec, "csi") if sec.get("satisfaction") == sat else None)
    constructs = [_structural_series(results, _Meta(cid, names.get(cid, cid), None, "construct"), confidence,
                                     lambda sec, cid=cid: _find(sec.get("constructs", ()), "id", cid, "index"))
                  for cid in _merged_order([[c["id"] for c in sec.get("constructs", ()) if c["id"] != sat] for sec in present])]
    impacts = [_structural_series(results, _Meta(did, names.get(did, did), None, "impact"), confidence,
                                  lambda sec, did=did: _find(sec.get("impacts", ()), "driver", did, "impact"))
               for did in _merged_order([[i["driver"] for i in sec.get("impacts", ())] for sec in present])]
    rows = [csi, *constructs, *impacts]
    rows = _adjust([_untested(c) for c in rows] if untested else rows, alpha)
    return StructuralComparison(sat, rows[0], tuple(rows[1:1 + len(constructs)]), tuple(rows[1 + len(constructs):]))


def _structural_part(results: Sequence[Result], labels: Sequence[str], alpha: float, confidence: float,
                     untested: bool) -> tuple[StructuralComparison | None, list[Alert], list[str]]:
    """The structural comparison (when two or more periods have one), its drop alerts and the
    warnings: periods without a structural model, structural figures without standard errors."""
    have = [lbl for r, lbl in zip(results, labels, strict=True) if r.structural is not None]
    warnings = []
    if have and len(have) < len(results):
        lacking = [lbl for lbl in labels if lbl not in have]
        warnings.append(f"{', '.join(lacking)} {'has' if len(lacking) == 1 else 'have'} no structural model (paths:): construct "
                        f"indices and impacts are compared only between periods that have one ({', '.join(have)})")
    for r, lbl in zip(results, labels, strict=True):
        if r.structural is not None and r.structural.get("se") is None and r.overall.se == r.overall.se:
            warnings.append(f"{lbl}: the structural figures have no standard errors (scored by an earlier csi): their changes "
                            "are not tested")
    if len(have) < 2:
        return None, [], warnings
    st = _structural_comparison(results, alpha, confidence, untested)
    alerts = []
    for c in (st.csi, *st.constructs):  # impacts measure importance, not performance: no alert
        if c.verdict == "down":
            what = f"structural CSI {c.name} ({c.id})" if c.kind == "csi" else f"construct index {c.name} ({c.id})"
            alerts.append(Alert("structural-drop", c.id, c.name, c.delta, c.p_adj, c.scores[-2], c.scores[-1], None,
                                f"{what} fell {-c.delta:.2f} points from {c.scores[-2]:.2f} ({labels[-2]}) to "
                                f"{c.scores[-1]:.2f} ({labels[-1]}), Holm-adjusted p = {c.p_adj:.3g}"))
    return st, alerts, warnings


def _checked_arguments(t: int, labels: Sequence[str] | None, sources: Sequence[str] | None, alpha: float, confidence: float,
                       fail_on_drop: float | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The labels and sources (defaults filled in); ValueError for arguments out of range."""
    if t < 2:
        raise ValueError(f"a comparison needs at least two periods, got {t}")
    labels = tuple(labels) if labels is not None else tuple(f"P{i + 1}" for i in range(t))
    sources = tuple(sources) if sources is not None else ("",) * t
    if len(labels) != t or len(sources) != t:
        raise ValueError(f"{t} periods but {len(labels)} labels and {len(sources)} sources")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if fail_on_drop is not None and not fail_on_drop >= 0:
        raise ValueError(f"fail_on_drop must be a number of points ≥ 0, got {fail_on_drop!r}")
    return labels, sources


def compare_results(
    results: Sequence[Result],
    labels: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
    confidence: float = 0.95,
    benchmark: Benchmark | None = None,
    by: str | None = None,
    fail_on_drop: float | None = None,
    fail_on_drop_any: bool = False,
    manifest: Mapping[str, Any] | None = None,
    allow_model_change: bool = False,
) -> Comparison:
    """Compare scored periods, oldest first (see the module docstring for the statistics).

    Parameters
    ----------
    results : sequence of Result
        Two or more results, oldest first.
    labels, sources : sequence of str, optional
        A label (``2026Q3``) and a source (the file) per period; default ``P1, P2, …`` and ``""``.
    alpha : float, default 0.05
        Level of the Holm-adjusted tests behind every verdict.
    confidence : float, default 0.95
        Level of the intervals of Δ and of the trend slope.
    benchmark : Benchmark, optional
        Scores to set the last period against (a column of gaps).
    by : str, optional
        Also compare the breakdown by this segment column; every result must have it.
    fail_on_drop : float, optional
        The check behind ``--fail-on-drop``: fails when the overall index fell by at least
        this many points with a Holm-significant test (the verdict ``down``).
    fail_on_drop_any : bool, default False
        Widen the check to every dimension (top-level group) as well as the index.
    manifest : mapping, optional
        What produced the comparison (tool, time, options); copied into the JSON.
    allow_model_change : bool, default False
        Compare periods scored with different models or options (:mod:`csi.structure`): only
        the nodes present in every period with unchanged bindings are compared; the others, and
        the index when anything in the tree changed, are listed in ``model_change`` and never
        tested, so they raise no alert and never fail the ``fail_on_drop`` check.

    Raises
    ------
    ValueError
        Fewer than two results, labels or sources of the wrong length, alpha or confidence
        outside (0, 1), a negative ``fail_on_drop``.
    DataError
        ``by`` is given but a result has no breakdown by that column; the periods were scored
        with different models or options (code ``model-changed``) and ``allow_model_change``
        is False.
    """
    labels, sources = _checked_arguments(len(results), labels, sources, alpha, confidence, fail_on_drop)

    periods = tuple(
        Period(label, src, int(r.respondents.get("used", r.overall.n) or 0), str((r.manifest.get("model") or {}).get("name", "")),
               (r.manifest.get("model") or {}).get("sha256"))
        for r, label, src in zip(results, labels, sources, strict=True)
    )
    metas: dict[str, _Meta] = {}
    for r in results:  # the latest period's name and place in the tree win
        for n in r.nodes:
            metas[n.id] = _Meta(n.id, n.name, n.parent, n.kind)
    model_name = next((p.model_name for p in reversed(periods) if p.model_name), "")
    metas[OVERALL_ID] = _Meta(OVERALL_ID, model_name or OVERALL_ID, None, "index")
    struct_changes = _structural_differences(results, labels)
    excluded, model_change = _comparable(results, labels, sources, metas, allow_model_change, struct_changes)
    order = [nid for nid in _merged_order([[n.id for n in r.nodes] for r in results]) if nid not in excluded]
    by_id = [{n.id: n.estimate for n in r.nodes} for r in results]

    overall = _series(metas[OVERALL_ID], [r.overall for r in results], confidence)
    if OVERALL_ID in excluded:
        overall = _untested(overall)
    nodes = [_series(metas[nid], [e.get(nid) for e in by_id], confidence) for nid in order]
    family = _adjust([overall, *nodes], alpha)
    overall, nodes = family[0], family[1:]

    warnings = _model_warnings(results, labels)
    partial = [c for c in nodes if not all(c.present)]
    if partial:
        listing = "; ".join(f"{c.id} ({c.name}): only in " + ", ".join(lbl for lbl, p in zip(labels, c.present, strict=True) if p)
                            for c in partial)
        warnings.append(f"{len(partial)} node(s) are not in every period: {listing}")

    bench_info = None
    if benchmark is not None:
        both = _benchmark_gaps([overall, *nodes], benchmark, alpha)
        overall, nodes = both[0], both[1:]
        bench_info = (benchmark.label, benchmark.source)
        known = {OVERALL_ID, *order}
        unknown = [s.id for s in benchmark.scores if s.id not in known]
        if unknown:
            warnings.append(f"benchmark {benchmark.label!r} has ids that are in no period: {', '.join(unknown)}")

    segments: tuple[SegmentComparison, ...] = ()
    if by is not None:
        segments = (_segment_comparison(by, results, sources, metas, order, alpha, confidence, OVERALL_ID in excluded),)

    structural, struct_alerts, struct_warnings = _structural_part(results, labels, alpha, confidence, bool(struct_changes))
    warnings += struct_warnings
    alerts = _drop_alerts([overall, *nodes], labels, None) + struct_alerts
    for seg in segments:
        for v in seg.values:
            alerts += _drop_alerts([v.overall, *v.nodes], labels, (seg.by, v.value))

    check = None
    if fail_on_drop is not None:
        scope = [overall] + ([c for c in nodes if c.kind == "group" and c.parent is None] if fail_on_drop_any else [])
        hit = [c for c in scope if c.verdict == "down" and -c.delta >= fail_on_drop]
        check = DropCheck(float(fail_on_drop), "any" if fail_on_drop_any else "overall", bool(hit), tuple(c.id for c in hit))
        for c in hit:
            what = "overall index" if c.kind == "index" else f"{c.name} ({c.id})"
            alerts.append(Alert("fail-on-drop", c.id, c.name, c.delta, c.p_adj, c.scores[-2], c.scores[-1], None,
                                f"{what} fell {-c.delta:.2f} points (≥ {fail_on_drop:g}), Holm-adjusted p = {c.p_adj:.3g}: "
                                f"--fail-on-drop check failed"))

    weak = tuple(w for w in _weak_point_changes(results) if w.id not in excluded)
    return Comparison(periods, float(alpha), float(confidence), overall, tuple(nodes), weak,
                      bench_info, segments, check, tuple(alerts), tuple(warnings), dict(manifest or {}), model_change,
                      structural=structural)
