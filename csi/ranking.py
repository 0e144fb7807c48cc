r"""Fair league tables: units (account managers, branches) ranked by empirical-Bayes scores with
bootstrap rank intervals, and Spiegelhalter's funnel plot (docs/methods.md#ranking).

For unit u with raw score yᵤ (its respondents scored like the whole sample, under its own
tree), nᵤ respondents who answered the node, and bootstrap standard error sᵤ:

1. *Sampling variance.* A pooled per-respondent variance
   :math:`\hat\sigma^2 = \sum_u n_u (n_u s_u^2) / \sum_u n_u` (respondent weights, their design
   effect and the finite-population correction are in the sᵤ), and vᵤ = σ̂²/nᵤ: a unit of five
   respondents who all answered "very satisfied" has a bootstrap SE of 0, not a known score.
2. *Between-unit variance* τ² of the normal–normal model yᵤ ~ N(θᵤ, vᵤ), θᵤ ~ N(μ, τ²):
   REML (Viechtbauer 2005 [3]_; the fixed-point iteration of his eq. 9) or the moment
   estimator of DerSimonian & Laird (1986) [1]_,
   :math:`\hat\tau^2_{DL} = \max\{0, (Q - (U - 1)) / (\sum w - \sum w^2 / \sum w)\}`, with
   wᵤ = 1/vᵤ and Q = Σ wᵤ (yᵤ − ȳ_w)². Both checked against DerSimonian & Kacker (2007) [2]_,
   Tables 3–4 (tests/test_ranking.py).
3. *Shrinkage* (Morris 1983 [4]_): :math:`\hat\mu = \sum y_u/(v_u + \tau^2) / \sum 1/(v_u + \tau^2)`,
   :math:`B_u = \tau^2/(\tau^2 + v_u)`, :math:`\hat\theta_u = \hat\mu + B_u (y_u - \hat\mu)`,
   posterior variance :math:`B_u v_u` (μ̂ and τ̂² taken as known: the interval is slightly
   narrow when there are few units).
4. *Rank intervals* from the bootstrap: in replicate b the unit's standardised deviation
   (y*ᵦᵤ − yᵤ)/sᵤ, times the posterior SD, is a draw around θ̂ᵤ; the units are ranked (1 =
   highest) in every replicate and the rank interval is the percentiles of those ranks
   (Goldstein & Spiegelhalter 1996 [5]_ rank posterior draws the same way).
5. *Funnel* (Spiegelhalter 2005 [6]_, the normal case): the whole sample's score θ₀ with
   control limits :math:`\theta_0 \pm z_p \hat\sigma / \sqrt{n}` for p = 0.975 (95 %) and
   0.999 (99.8 %); a raw score outside the 99.8 % limits is *clearly* above or below.

The replicates: up to ``MULTINOMIAL_MAX_N`` respondents they are exactly the engine's
(:func:`csi.scoring.score` with ``--by``: the same resampled respondents, the same numbers
as the segment table). Above it the engine's multiplier bootstrap is applied to each unit's
linearised score (one normal draw per unit and replicate, variance Σᵢ ψᵢ² with the influence
values ψᵢ = wᵢ Σⱼ aⱼ mᵢⱼ (xᵢⱼ − Pⱼ), aⱼ the node's coefficient of item j over Σ w m): resampling
each of thousands of small cells of a million rows would take minutes.

References
----------
.. [1] DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled
       Clinical Trials* 7(3), 177–188.
.. [2] DerSimonian, R. & Kacker, R. (2007). Random-effects model for meta-analysis of clinical
       trials: an update. *Contemporary Clinical Trials* 28(2), 105–114.
.. [3] Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the
       random-effects model. *Journal of Educational and Behavioral Statistics* 30(3), 261–293.
.. [4] Morris, C. N. (1983). Parametric empirical Bayes inference: theory and applications.
       *JASA* 78(381), 47–55.
.. [5] Goldstein, H. & Spiegelhalter, D. J. (1996). League tables and their limitations.
       *JRSS A* 159(3), 385–443.
.. [6] Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
       *Statistics in Medicine* 24(8), 1185–1202.

>>> y, v = np.array([60.0, 70.0, 80.0]), np.array([25.0, 25.0, 25.0])
>>> round(tau2_dl(y, v), 6), round(tau2_reml(y, v), 6)
(75.0, 75.0)
>>> theta, b, mu = shrink(y, v, 75.0)
>>> [float(round(t, 2)) for t in theta], round(mu, 2)
([62.5, 70.0, 77.5], 70.0)
"""

from __future__ import annotations

import dataclasses
import hashlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from csi.bootstrap import bootstrap_kind, percentile_ci
from csi.errors import InputError, Issue
from csi.model import Group, Item, Model
from csi.options import RankOptions, ScoreOptions
from csi.result import FUNNEL_LEVELS, TAU2_METHODS, Estimate, Ranking, UnitRank
from csi.weighting import GroupWeights, group_weights

if TYPE_CHECKING:
    from csi.responses import Responses

__all__ = ["rank_units", "tau2_dl", "tau2_reml", "shrink", "funnel_limits", "unit_codes", "node_for"]

#: The value of a respondent with no value in the column (csi.survey.prepare): listed, never ranked.
MISSING = "(missing)"
#: Rows of the linearised pass at once.
_CHUNK_ROWS = 131_072


def tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian–Laird moment estimate of τ² (truncated at 0) for estimates y with variances v."""
    w = 1.0 / v
    mean = (w @ y) / w.sum()
    q = w @ (y - mean) ** 2
    c = w.sum() - (w @ w) / w.sum()
    return max(0.0, float((q - (y.size - 1)) / c)) if c > 0 else 0.0


def tau2_reml(y: np.ndarray, v: np.ndarray, tol: float = 1e-12, max_iter: int = 500) -> float:
    """REML estimate of τ² (truncated at 0): the fixed point of
    τ² = Σ w²((y − μ̂)² − v)/Σ w² + 1/Σ w, w = 1/(v + τ²) (Viechtbauer 2005, eq. 9), from the DL value."""
    tau2 = tau2_dl(y, v)
    for _ in range(max_iter):
        w = 1.0 / (v + tau2)
        mu = (w @ y) / w.sum()
        new = max(0.0, float((w**2 @ ((y - mu) ** 2 - v)) / (w @ w) + 1.0 / w.sum()))
        if abs(new - tau2) <= tol * max(1.0, tau2):
            return new
        tau2 = new
    return tau2


def shrink(y: np.ndarray, v: np.ndarray, tau2: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Empirical-Bayes estimates θ̂ = μ̂ + B(y − μ̂), the factors B = τ²/(τ² + v) and μ̂."""
    w = 1.0 / (v + tau2)
    mu = float((w @ y) / w.sum())
    b = tau2 / (tau2 + v)
    return mu + b * (y - mu), b, mu


def funnel_limits(target: float, sigma: float, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Spiegelhalter's (2005) limits target ± z σ/√n for a two-sided ``level`` (0.95, 0.998).

    >>> lo, hi = funnel_limits(70.0, 20.0, np.array([25.0, 100.0]), 0.95)
    >>> [float(round(x, 3)) for x in lo], [float(round(x, 3)) for x in hi]
    ([62.16, 66.08], [77.84, 73.92])
    """
    z = NormalDist().inv_cdf(0.5 + level / 2)
    half = z * sigma / np.sqrt(n)
    return target - half, target + half


def unit_codes(by: str, names: Sequence[str]) -> list[str]:
    """Stable codes for unit names (``--anonymise``): "U" and the first hex digits of
    SHA-256(column, name), as few as keep the codes distinct (at least six). The same name in
    the same column gets the same code in every run; anyone holding the list of names can
    recompute them, so they hide names from a reader, not from a colleague.

    >>> unit_codes("经理", ["张三", "李四"]) == unit_codes("经理", ["张三", "李四"])
    True
    """
    digests = [hashlib.sha256(f"{by}\x00{name}".encode()).hexdigest() for name in names]
    for width in range(6, 65):
        codes = ["U" + d[:width].upper() for d in digests]
        if len(set(codes)) == len(set(names)):
            return codes
    return codes


def node_for(model: Model, node: str | None) -> Group | Item:
    """The node ranked: the root for None, else a group or index item of the model."""
    if node is None:
        return model.root
    for n in (*model.groups, *model.items):
        if n.id == node:
            return n
    valid = ", ".join(n.id for n in (*model.groups[1:], *model.items))
    raise InputError(Issue("unknown-node", f"--node {node!r} is not a dimension or indicator of the model; use one of {valid}"))


@dataclass(frozen=True, slots=True)
class _Units:
    """Every unit's name, size and n; the raw scores and B × U replicates of the wanted ones."""

    names: tuple[str, ...]
    sizes: np.ndarray
    wanted: np.ndarray
    n: np.ndarray
    est: np.ndarray
    reps: np.ndarray
    kind: str


def _cells(responses: Responses, by: str, min_group: int):  # noqa: ANN202 (a scoring._Breakdown)
    from csi.scoring import _breakdowns  # the engine's cells, sorted by name, so both agree

    if by not in responses.segments:
        raise InputError(Issue("unknown-column", f"the responses have no column {by!r} to rank by"))
    return _breakdowns(dataclasses.replace(responses, segments={by: responses.segments[by]}), min_group)[0]


def _engine_units(model: Model, responses: Responses, weights: Mapping[str, GroupWeights], options: ScoreOptions,
                  by: str, node: Group | Item) -> _Units:
    """The units' scores and replicates from the engine's own pass (multinomial bootstrap)."""
    from csi.scoring import _CellScores, _fit

    bd = _cells(responses, by, options.min_group)
    _, _, sums = _fit(model, responses, weights, options, [bd.partition])
    cells = sums.cells[0]
    k = len(model.items)
    col = _column(model, node)
    scorer = _CellScores(model, weights)
    u = len(bd.values)
    est, n = np.full(u, np.nan), np.zeros(u)
    reps = np.full((options.bootstrap, u), np.nan)
    for c in np.flatnonzero(bd.partition.wanted):
        counts = cells.counts[c]
        item, group, tree = scorer.point(cells.full[c], counts[:k])
        item_reps, group_reps = scorer.replicates(cells.replicates(c), tree)
        if isinstance(node, Group):
            est[c], reps[:, c], n[c] = group[col], group_reps[:, col], counts[k + 1 + col]
        else:
            est[c], reps[:, c], n[c] = item[col], item_reps[:, col], counts[col]
    return _Units(tuple(str(v) for v in bd.values), cells.sizes, bd.partition.wanted, n, est, reps, sums.kind)


def _column(model: Model, node: Group | Item) -> int:
    """The node's row in the tree's group coefficients, or its item column."""
    nodes = model.groups if isinstance(node, Group) else model.items
    return next(i for i, x in enumerate(nodes) if x.id == node.id)


def _linear_units(model: Model, responses: Responses, weights: Mapping[str, GroupWeights], options: ScoreOptions,
                  by: str, node: Group | Item) -> _Units:
    """The units' scores, and replicates from the multiplier bootstrap of their linearised scores."""
    from csi.scoring import _unroll

    bd = _cells(responses, by, options.min_group)
    codes, u, k = bd.partition.codes, len(bd.values), len(model.items)
    x, w = responses.values, responses.weights
    col = _column(model, node)

    def answers(rows: slice, cr: np.ndarray) -> list[np.ndarray]:  # Σ w x, Σ w m (and Σ m when weighted) per item
        xr = x[rows, :k]
        m = (~np.isnan(xr)).astype(float)
        values = [np.fmax(xr, 0.0), m]  # (0–100 values: x where answered, 0 where NaN)
        if w is not None:
            values = [values[0] * w[rows, None], m * w[rows, None], m]
        return values

    sums = np.concatenate(_by_unit(codes, u, k, answers), axis=1)
    answered = sums[:, 2 * k:] if w is not None else sums[:, k:2 * k]
    available = (answered > 0) & (sums[:, k:2 * k] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        item = np.where(available, sums[:, :k] / sums[:, k:2 * k], np.nan)
    # the node's coefficient of each item in each unit's own tree (one tree per pattern of
    # available items, as the engine scores a cell), over the unit's Σ w m
    coef = np.zeros((u, k))
    wanted = bd.partition.wanted
    patterns, which = np.unique(available[wanted], axis=0, return_inverse=True)
    for i, pattern in enumerate(patterns):
        tree = _unroll(model, weights, pattern)
        coef[np.flatnonzero(wanted)[which.ravel() == i]] = tree.coef[col] if isinstance(node, Group) else np.eye(k)[col]
    live = coef > 0
    est = np.where(wanted, (np.nan_to_num(item) * coef).sum(axis=1), np.nan)
    est[wanted & ~live.any(axis=1)] = np.nan
    p = np.where(live, np.nan_to_num(item), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(live, coef / np.where(live, sums[:, k:2 * k], 1.0), 0.0)

    def influence(rows: slice, cr: np.ndarray) -> list[np.ndarray]:  # ψ², and answered anything under the node
        xr = x[rows, :k]
        m = ~np.isnan(xr)
        t = xr - p[cr]
        t *= a[cr]
        np.copyto(t, 0.0, where=~m)
        psi = t.sum(axis=1)
        if w is not None:
            psi *= w[rows]
        return [(psi * psi)[:, None], (m & live[cr]).any(axis=1)[:, None].astype(float)]

    var, n = (v[:, 0] for v in _by_unit(codes, u, 1, influence))
    rng = np.random.default_rng(np.random.SeedSequence(options.seed, spawn_key=(0x72616E6B,)))  # a stream of its own
    reps = est + np.sqrt(var) * rng.standard_normal((options.bootstrap, u))
    reps[:, ~wanted] = np.nan
    return _Units(tuple(str(v) for v in bd.values), np.bincount(codes, minlength=u), wanted, n, est, reps,
                  "gaussian (linearised per unit)")


def _by_unit(codes: np.ndarray, u: int, width: int,
             values: Callable[[slice, np.ndarray], list[np.ndarray]]) -> list[np.ndarray]:
    """Σ over each unit's respondents of each matrix ``values(rows, their units)`` gives (rows ×
    ``width``): one ``np.bincount`` per matrix over (unit, column) pairs, a chunk of rows at a time."""
    out: list[np.ndarray] = []
    column = np.arange(width)
    for start in range(0, codes.size, _CHUNK_ROWS):
        rows = slice(start, start + _CHUNK_ROWS)
        cr = codes[rows]
        cell = (cr.astype(np.int64)[:, None] * width + column).ravel()
        for i, v in enumerate(values(rows, cr)):
            part = np.bincount(cell, weights=v.ravel(), minlength=u * width).reshape(u, width)
            if i == len(out):
                out.append(part)
            else:
                out[i] += part
    return out


def rank_units(model: Model, responses: Responses, options: ScoreOptions, rank: RankOptions, *, target: float,
               weights: Mapping[str, GroupWeights] | None = None) -> Ranking:
    """The league table of the units of column ``rank.by`` on ``rank.node`` (module docstring).

    ``target`` is the whole sample's score of the node, the funnel's centre (the result's).
    Units of fewer than ``options.min_group`` respondents are listed as too small, never ranked.
    Intervals are at ``options.confidence``; SEs and intervals carry the finite-population
    correction of the whole sample (``options.population`` or the model's), as if every unit
    were sampled at the same fraction.
    """
    from csi import bootstrap
    from csi.scoring import _fpc

    if rank.tau2 not in TAU2_METHODS:
        raise InputError(Issue("unknown-tau2", f"--tau2 {rank.tau2!r}: use {' or '.join(TAU2_METHODS)}"))
    if options.bootstrap < 2:
        raise InputError(Issue("rank-needs-bootstrap", "a league table needs bootstrap replicates: use -B 200 or more"))
    node = node_for(model, rank.node)
    with bootstrap.one_blas_thread():
        if weights is None:
            weights = group_weights(model, responses)
        find = _engine_units if bootstrap_kind(responses.n) == "multinomial" else _linear_units
        units = find(model, responses, weights, options, rank.by, node)
    population = options.population if options.population is not None else model.population
    fpc = _fpc(responses.n, population, [])
    reps = units.reps
    if fpc != 1.0:
        reps = units.est + (reps - units.est) * fpc
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a unit whose replicates are all NaN has no SE
        gaps = np.isnan(reps).any()
        se = np.nanstd(reps, axis=0, ddof=1) if gaps else reps.std(axis=0, ddof=1)
        lo, hi = _percentiles(reps, options.confidence)
    # respondents with no value in the column ("(missing)", csi.survey.prepare) are no unit
    missing = np.array([name == MISSING for name in units.names], dtype=bool)
    ranked = units.wanted & ~missing & (units.n > 0) & np.isfinite(units.est) & np.isfinite(se)
    table = _league(units, reps if ranked.all() else reps[:, ranked], se[ranked], ranked, target, options.confidence, rank.tau2)
    names = list(units.names)
    shown = [n if m else c for n, c, m in zip(names, unit_codes(rank.by, names), missing, strict=True)] if rank.anonymise else names
    out: list[UnitRank] = []
    pos = {c: i for i, c in enumerate(np.flatnonzero(ranked))}
    for c, name in enumerate(shown):
        size = int(units.sizes[c])
        if missing[c]:
            out.append(UnitRank(name, size, "missing"))
        elif not units.wanted[c]:
            out.append(UnitRank(name, size, "too_small"))
        elif c not in pos:
            out.append(UnitRank(name, size, "no_answers"))
        else:
            i = pos[c]
            raw = Estimate(float(units.est[c]), float(se[c]), (float(lo[c]), float(hi[c])), int(units.n[c]))
            out.append(dataclasses.replace(table.units[i], unit=name, size=size, raw=raw))
    order = {"ranked": 0, "no_answers": 1, "too_small": 2, "missing": 3}
    out.sort(key=lambda r: (order[r.status], r.rank or 0, r.unit))
    return Ranking(rank.by, node.id, node.name, float(target), table.sigma, table.tau2, rank.tau2, table.mu,
                   options.confidence, options.min_group, options.bootstrap, units.kind, rank.anonymise, tuple(out))


@dataclass(frozen=True, slots=True)
class _Table:
    sigma: float
    tau2: float
    mu: float
    units: tuple[UnitRank, ...]  # the ranked units, in column order, without name, size or raw


def _league(units: _Units, reps: np.ndarray, se: np.ndarray, ranked: np.ndarray, target: float, confidence: float,
            method: str) -> _Table:
    """Shrinkage, ranks with their intervals and funnel flags of the ranked units."""
    y, n = units.est[ranked], units.n[ranked]
    r = y.size
    if r == 0:
        return _Table(float("nan"), float("nan"), float("nan"), ())
    sigma2 = float((n * n * se**2).sum() / n.sum())
    v = np.maximum(sigma2, 1e-12) / n
    tau2 = (tau2_reml if method == "reml" else tau2_dl)(y, v) if r >= 2 else 0.0
    theta, b, mu = shrink(y, v, tau2)
    post_sd = np.sqrt(b * v)
    scale = np.where(se > 0, post_sd / np.where(se > 0, se, 1.0), 0.0)
    draws = reps - y
    draws *= scale
    np.nan_to_num(draws, copy=False)  # (a replicate without the unit's answers: its shrunken score)
    draws += theta
    tail = (1.0 - confidence) / 2.0
    if tau2 > 0:
        ranks = np.empty(draws.shape, dtype=np.int32)
        order = np.argsort(-draws.astype(np.float32), axis=1)  # (single precision sorts twice as fast; ties are harmless)
        np.put_along_axis(ranks, order, np.arange(1, r + 1, dtype=np.int32)[None, :].repeat(draws.shape[0], 0), axis=1)
        # the order statistics around the percentiles (at most one place wider than interpolating)
        last = draws.shape[0] - 1
        lo_k, hi_k = int(np.floor(tail * last)), int(np.ceil((1.0 - tail) * last))
        picked = np.partition(ranks, [lo_k, hi_k], axis=0)
        rank_lo, rank_hi = picked[lo_k].astype(int), picked[hi_k].astype(int)
    else:  # no detectable between-unit variation: the units cannot be told apart
        rank_lo, rank_hi = np.ones(r, dtype=int), np.full(r, r)
    point = 1 + np.searchsorted(np.sort(-theta), -theta, side="left")  # ties share the better rank
    # the rank of the posterior mean can fall outside the posterior ranks' percentiles when the
    # units are hard to tell apart; the interval is widened to hold it, so the line reads right
    rank_lo, rank_hi = np.minimum(rank_lo, point), np.maximum(rank_hi, point)
    s_lo, s_hi = _percentiles(draws, confidence)
    s_se = draws.std(axis=0, ddof=1)
    sigma = float(np.sqrt(sigma2))
    (l95, h95), (l998, h998) = (funnel_limits(target, sigma, n, level) for level in FUNNEL_LEVELS)
    out = []
    for i in range(r):
        flag = ("clearly_above" if y[i] > h998[i] else "above" if y[i] > h95[i] else
                "clearly_below" if y[i] < l998[i] else "below" if y[i] < l95[i] else "within")
        out.append(UnitRank("", 0, "ranked", None, Estimate(float(theta[i]), float(s_se[i]), (float(s_lo[i]), float(s_hi[i])), int(n[i])),
                            float(b[i]), int(point[i]), (int(rank_lo[i]), int(rank_hi[i])),
                            ((float(l95[i]), float(h95[i])), (float(l998[i]), float(h998[i]))), flag))
    return _Table(sigma, float(tau2), mu, tuple(out))


def _percentiles(reps: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`csi.bootstrap.percentile_ci` column by column, the columns without NaN by one
    ``np.quantile`` (the same numbers; ``nanquantile`` works one column at a time)."""
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.full(reps.shape[1], np.nan), np.full(reps.shape[1], np.nan)
    gaps = np.isnan(reps).any(axis=0)
    if (~gaps).any():
        lo[~gaps], hi[~gaps] = np.quantile(reps[:, ~gaps], [tail, 1.0 - tail], axis=0)
    if gaps.any():
        lo[gaps], hi[gaps] = percentile_ci(reps[:, gaps], confidence)
    return lo, hi
