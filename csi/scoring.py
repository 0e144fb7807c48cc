r"""The scoring engine: indicator, group and overall scores with bootstrap uncertainty.

For indicator j with respondent weights wᵢ, 0–100 values xᵢⱼ and answer indicators mᵢⱼ:

.. math:: P_j = \frac{\sum_i w_i m_{ij} x_{ij}}{\sum_i w_i m_{ij}}

A group's score is :math:`\sum_c \omega_c S_c` over its children c with normalised weights
ω; unrolled, every group g scores :math:`\sum_{j \in g} (I_j / I_g) P_j` where Iⱼ is the
product of the normalised weights from the root to j (its *global weight*). The overall CSI is
the root's score; the outcome index is the equal-weight mean of the outcome items' scores.

An indicator nobody answered validly has no score: its weight is shared among its siblings
(renormalised), and a warning says so.

Uncertainty: B bootstrap replicates of the column sums (:mod:`csi.bootstrap`) give
replicate scores of every node; the standard error is their standard deviation and the
interval their percentiles, both multiplied around the estimate by the finite-population
correction √((N − n)/(N − 1)) when the client base N is known (Cochran 1977). A replicate
that drew nobody who answered indicator j keeps j's full-sample score.

Segments (``--by``): every value of a segment column with at least ``min_group``
respondents is scored like the whole sample — under its own tree, so an indicator nobody in
the cell answered shares its weight — from the cell's column sums, and tested against the
rest of the respondents, whose sums are the whole sample's minus the cell's. All of it comes
from one pass over the respondents and the same bootstrap replicates as the whole sample; no
cell is refitted. A replicate in which a cell (or rest) drew nobody who answered an indicator
gives that indicator, and every group it enters, no value (NaN) in that replicate: the SE and
the interval are taken over the replicates where it was observed (``nanstd``,
``nanquantile``), the bootstrap distribution given that it is observed. Filling in the point
estimate instead would pile replicates on it and understate the SE of a small cell.

Worked example (three respondents, two items on 1–5, equal weights)::

    respondent   a   b        rescaled a    b
    1            5   3                100   50
    2            4   –                 75    –
    3            2   4                 25   75

    P_a = (100 + 75 + 25)/3 = 66.667, P_b = (50 + 75)/2 = 62.5, CSI = (66.667 + 62.5)/2 = 64.583

>>> import numpy as np
>>> from csi.model import load_model_text
>>> from csi.responses import Responses, DataQuality
>>> m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}]")
>>> x = np.array([[100, 50], [75, np.nan], [25, 75]])
>>> q = DataQuality(3, 3, {}, {})
>>> r = score(m, Responses(x, ("a", "b"), ("A", "B"), np.array([2, 3, 4]), q), bootstrap=200, seed=1)
>>> round(r.node("a").score, 3), round(r.node("b").score, 3), round(r.overall.score, 3)
(66.667, 62.5, 64.583)
"""

from __future__ import annotations

import dataclasses
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csi import bootstrap
from csi.bootstrap import Columns, Partition, Progress, Sums, bootstrap_sums, percentile_ci
from csi.errors import DataError, Issue
from csi.limits import Limits, size_text
from csi.model import DATA_METHODS, Group, Item, Model, walk
from csi.options import ScoreOptions
from csi.result import Estimate, NodeScore, Result, Segment, SegmentGroup, WeakPoint
from csi.weakpoints import rank_weak_points
from csi.weighting import GroupWeights, group_weights

if TYPE_CHECKING:  # the engine only reads Responses; importing it would import pandas
    from csi.importance import Importance
    from csi.responses import Responses

__all__ = ["score", "ScoreOptions", "effective_n"]


def effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)²/Σw².

    >>> effective_n(np.ones(10)), round(effective_n(np.array([1.0, 1.0, 4.0])), 4)
    (10.0, 2.0)
    """
    return float(weights.sum() ** 2 / (weights**2).sum()) if weights.size else 0.0


@dataclass(frozen=True, slots=True)
class _Tree:
    """The model's tree unrolled into linear maps over the index items."""

    coef: np.ndarray  # groups × k: group score = coef @ P
    groups: tuple[Group, ...]
    local: dict[str, float]  # effective normalised weight within the parent
    global_: dict[str, float]  # product of weights from the root
    parent: dict[str, str | None]


def _unroll(model: Model, weights: Mapping[str, GroupWeights], available: np.ndarray) -> _Tree:
    items = model.items
    col = {item.id: j for j, item in enumerate(items)}
    local: dict[str, float] = {}
    global_: dict[str, float] = {}
    parent: dict[str, str | None] = {}

    def has_data(node: Group | Item) -> bool:
        if isinstance(node, Item):
            return bool(available[col[node.id]])
        return any(has_data(c) for c in node.children)

    def visit(node: Group | Item, g: float) -> None:
        global_[node.id] = g
        if isinstance(node, Item):
            return
        raw = weights[node.id].weights
        live = [has_data(c) for c in node.children]
        total = sum(w for w, ok in zip(raw, live, strict=True) if ok)
        for child, w, ok in zip(node.children, raw, live, strict=True):
            parent[child.id] = None if node.id == model.root.id else node.id
            local[child.id] = w / total if ok and total > 0 else 0.0
            visit(child, g * local[child.id])

    visit(model.root, 1.0)
    groups = model.groups
    coef = np.zeros((len(groups), len(items)))
    for gi, group in enumerate(groups):
        if global_[group.id] == 0:
            continue
        for node in walk(group):
            if isinstance(node, Item):
                coef[gi, col[node.id]] = global_[node.id] / global_[group.id]
    return _Tree(coef, groups, local, global_, parent)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


@dataclass(frozen=True, slots=True)
class _Fit:
    """Full-sample values and bootstrap replicates of every statistic."""

    item: np.ndarray  # k
    item_n: np.ndarray
    item_reps: np.ndarray  # B × k
    group: np.ndarray  # g
    group_reps: np.ndarray  # B × g
    group_n: np.ndarray
    outcome: float | None
    outcome_reps: np.ndarray | None
    outcome_n: int
    nps: tuple[float, float, float] | None  # promoters, detractors, answered (weighted)
    nps_reps: np.ndarray | None
    nps_n: int
    low_share: np.ndarray
    n: int


def _columns(model: Model, responses: Responses, under: np.ndarray) -> Columns:
    """The bootstrapped columns z and the plain count columns of any rows of ``responses``.

    z, summed with the respondent weights: the k index items' values (0 where unanswered) and
    answer indicators, the same for the outcome items, then for an NPS item promoter,
    detractor and answered indicators. Counts, summed as they are: answered per index item,
    answered any index item, answered any item under each group (``under``: k × groups, item
    under group with a positive weight), answered any outcome item, answered the NPS item, and
    wᵢ-weighted bottom-two-box indicators (rescaled ≤ 25) per index item. The first 2k z and
    k + 1 + groups count columns are what a segment cell needs.
    """
    x = responses.values
    w = responses.weights
    k = len(model.items)
    ko = len(model.outcome.items) if model.outcome else 0
    nps = model.nps is not None
    q = 2 * k + 2 * ko + 3 * nps
    g = under.shape[1]
    under32 = under.astype(np.float32)
    # buffers reused from chunk to chunk, one set per thread (the arrays returned hold until
    # the thread's next call; the Gaussian pass runs on two threads)
    local = threading.local()

    def columns(rows: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        size = len(range(x.shape[0])[rows]) if isinstance(rows, slice) else len(rows)
        buffers: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = local.__dict__.setdefault("buffers", {})
        if size not in buffers:
            buffers.clear()
            buffers[size] = (np.empty((size, x.shape[1])), np.empty((size, q)), np.empty((size, 2 * k + g + 3)))
        xbuf, z, counts = buffers[size]
        xr = x[rows] if isinstance(rows, slice) else np.take(x, rows, axis=0, out=xbuf)
        answered = ~np.isnan(xr)
        # values are 0–100, so fmax(x, 0) is x where answered and 0 where NaN, written in place
        np.fmax(xr[:, :k], 0.0, out=z[:, :k])
        z[:, k:2 * k] = answered[:, :k]
        np.fmax(xr[:, k:k + ko], 0.0, out=z[:, 2 * k:2 * k + ko])
        z[:, 2 * k + ko:2 * k + 2 * ko] = answered[:, k:k + ko]
        a_k = answered[:, :k]
        counts[:, :k] = a_k
        counts[:, k] = a_k.any(axis=1)
        counts[:, k + 1:k + 1 + g] = (a_k.astype(np.float32) @ under32) > 0
        counts[:, k + 1 + g] = answered[:, k:k + ko].any(axis=1)
        counts[:, k + 2 + g] = answered[:, -1] if nps else 0.0
        low = (xr[:, :k] <= 25.0) & a_k
        counts[:, k + 3 + g:] = low if w is None else low * w[rows, None]
        if nps:
            v = xr[:, -1]
            z[:, -3] = v >= 90
            z[:, -2] = v <= 60
            z[:, -1] = answered[:, -1]
        return z, counts

    return columns


def _fit(model: Model, responses: Responses, weights: Mapping[str, GroupWeights], options: ScoreOptions,
         partitions: Sequence[Partition] = (), progress: Progress | None = None) -> tuple[_Fit, _Tree, Sums]:
    """Full-sample scores and their replicates, and (in the returned sums) those of every cell
    of ``partitions``: one pass over the respondents in chunks of rows (:mod:`csi.bootstrap`)."""
    n = responses.n
    k = len(model.items)
    ko = len(model.outcome.items) if model.outcome else 0
    # Who answered "anything under a group": an item counts when it has a positive global
    # weight with every item available. An item a respondent answered is available in every
    # set of respondents containing them, so with positive respondent weights this equals the
    # coefficients of the tree of that set (a cell, its rest, the whole sample).
    under = (_unroll(model, weights, np.ones(k, dtype=bool)).coef > 0).T
    g = under.shape[1]
    sums = bootstrap_sums(_columns(model, responses, under), n, responses.weights, options.bootstrap, options.seed,
                          partitions=partitions, cell_columns=(2 * k, k + 1 + g), progress=progress)
    full, reps, counts = sums.full, sums.reps, sums.counts

    item_sum, item_cnt = full[:k], full[k:2 * k]
    item = _ratio(item_sum, item_cnt)
    item_reps = _ratio(reps[:, :k], reps[:, k:2 * k])
    # a replicate that happens to draw nobody who answered j keeps the full-sample score
    item_reps = np.where(np.isnan(item_reps), item[None, :], item_reps)
    tree = _unroll(model, weights, item_cnt > 0)
    item_filled = np.nan_to_num(item)
    group = tree.coef @ item_filled
    group_reps = np.nan_to_num(item_reps) @ tree.coef.T
    group_n = counts[k + 1:k + 1 + g].astype(int)

    outcome = outcome_reps = None
    outcome_n = 0
    if ko:
        o = 2 * k
        o_item = _ratio(full[o:o + ko], full[o + ko:o + 2 * ko])
        o_reps = _ratio(reps[:, o:o + ko], reps[:, o + ko:o + 2 * ko])
        o_reps = np.where(np.isnan(o_reps), o_item[None, :], o_reps)
        ow = _outcome_weights(model, weights) * np.isfinite(o_item)
        if ow.sum() > 0:
            ow = ow / ow.sum()
            outcome = float(ow @ np.nan_to_num(o_item))
            outcome_reps = np.nan_to_num(o_reps) @ ow
        else:
            outcome, outcome_reps = float("nan"), None
        outcome_n = int(counts[k + 1 + g])
    nps = nps_reps = None
    nps_n = 0
    if model.nps is not None:
        p, d, a = full[-3:]
        nps = (float(p), float(d), float(a))
        nps_reps = 100.0 * _ratio(reps[:, -3] - reps[:, -2], reps[:, -1])
        nps_n = int(counts[k + 2 + g])

    low_share = _ratio(counts[k + 3 + g:], item_cnt)
    fit = _Fit(item, counts[:k].astype(int), item_reps, group, group_reps, group_n, outcome, outcome_reps, outcome_n,
               nps, nps_reps, nps_n, low_share, int(counts[k]))
    return fit, tree, sums


def _outcome_weights(model: Model, weights: Mapping[str, GroupWeights]) -> np.ndarray:
    """Weights of the outcome items: equal, or under a pls root the outcome block's normalised
    outer weights (the ACSI index of Fornell et al. 1996: Σ w̃ᵢ rᵢ with w̃ = w/Σw)."""
    assert model.outcome is not None
    root = weights[model.root.id]
    norm = root.details.get("normalised_weights", {}) if root.method == "pls" else {}
    if all(i.id in norm for i in model.outcome.items):
        return np.clip(np.array([float(norm[i.id]) for i in model.outcome.items]), 0.0, None)
    return np.ones(len(model.outcome.items))


def _estimates(est: np.ndarray, reps: np.ndarray, ns: Sequence[int], options: ScoreOptions, fpc: float) -> list[Estimate]:
    if reps.shape[0] >= 2:
        with warnings.catch_warnings():
            # an indicator nobody answered has all-NaN replicates: its SE and CI are NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            se = np.nanstd(reps, axis=0, ddof=1) * fpc
            lo, hi = percentile_ci(reps, options.confidence)
        lo = est + (lo - est) * fpc
        hi = est + (hi - est) * fpc
    else:
        se = lo = hi = np.full(est.shape, np.nan)
    return [Estimate(float(est[i]), float(se[i]), (float(lo[i]), float(hi[i])), int(ns[i])) for i in range(est.size)]


def _fpc(n: int, population: int | None, warnings: list[str]) -> float:
    if population is None:
        return 1.0
    if n > population:
        warnings.append(f"{n} respondents but a population of {population}: no finite-population correction applied")
        return 1.0
    return float(np.sqrt((population - n) / (population - 1))) if population > 1 else 0.0


def score(
    model: Model,
    responses: Responses,
    options: ScoreOptions | None = None,
    *,
    weights: Mapping[str, GroupWeights] | None = None,
    manifest: Mapping[str, object] | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
    **kwargs: object,
) -> Result:
    """Score ``responses`` against ``model``.

    ``options`` (or the same fields as keyword arguments: ``bootstrap``, ``seed``,
    ``confidence``, ``top``, ``target``, ``population``, ``min_group``; given both, the
    keywords replace those fields of ``options``) control the bootstrap and the weak points. The same options and seed give the same numbers.
    ``progress``, if given, is called as ``progress(done, total)`` while the bootstrap runs:
    ``total`` is the number of replicates, ``done`` how many are finished (counted up once for
    the column sums and, with ``bootstrap_weights``, once more for the refits).
    The replicates' arrays must fit in ``limits.bootstrap_bytes`` (:class:`csi.limits.Limits`,
    default 2 GB): a larger ``bootstrap`` is a :class:`~csi.errors.DataError` before anything
    is allocated.
    """
    if options is None:
        options = ScoreOptions(**kwargs)  # type: ignore[arg-type]
    elif kwargs:  # keywords amend the options given (an unknown one is a TypeError)
        options = dataclasses.replace(options, **kwargs)  # type: ignore[arg-type]
    # BLAS on one thread for every product made here (threads of our own set it for themselves):
    # whatever the process's BLAS threads, the same sums in the same order, the same last digit
    with bootstrap.one_blas_thread():
        return _score(model, responses, options, weights, manifest, progress, limits or Limits())


def _check_replicates(model: Model, options: ScoreOptions, breakdowns: Sequence[_Breakdown], limits: Limits) -> None:
    """Refuse a bootstrap whose replicates would take more than ``limits.bootstrap_bytes``.

    Per replicate the engine keeps q = 2k + 2k_o + 3 column sums, k item and g group scores,
    and for each segment cell 2k sums and k + g scores; twice that, for the copies the
    percentiles and the standard errors make, at 8 bytes a number.
    """
    k = len(model.items)
    ko = len(model.outcome.items) if model.outcome else 0
    g = len(model.groups)
    cells = sum(int(np.count_nonzero(b.partition.wanted)) for b in breakdowns)
    per_replicate = 2 * k + 2 * ko + 3 + k + g + cells * (3 * k + g)
    need = 2 * 8 * per_replicate * options.bootstrap
    if need > limits.bootstrap_bytes:
        most = max(limits.bootstrap_bytes // (16 * per_replicate), 0)
        raise DataError(Issue("bootstrap-too-large", f"--bootstrap {options.bootstrap:,} replicates of {k} indicators"
                              f"{f' and {cells} segment cells' if cells else ''} would take about {size_text(need)} of "
                              f"memory; the limit is {size_text(limits.bootstrap_bytes)}: use --bootstrap {min(most, 10_000):,} "
                              "or fewer (1 000 to 10 000 replicates give stable intervals), or raise the limit with "
                              "--max-memory", value=options.bootstrap))


def _score(model: Model, responses: Responses, options: ScoreOptions, weights: Mapping[str, GroupWeights] | None,
           manifest: Mapping[str, object] | None, progress: Callable[[int, int], None] | None, limits: Limits) -> Result:
    from csi.importance import check_rank_by

    check_rank_by(model, options.rank_by)
    breakdowns = _breakdowns(responses, options.min_group)
    _check_replicates(model, options, breakdowns, limits)
    if weights is None:
        weights = group_weights(model, responses)
    population = options.population if options.population is not None else model.population
    warnings: list[str] = []
    # Cronbach's alphas and the relative weights of the IPA matrix take passes of their own over
    # the respondents: on a second core, beside the bootstrap's pass (numpy releases the GIL)
    with ThreadPoolExecutor(max_workers=1) as pool:
        reliability = pool.submit(_reliability, model, responses, options)
        relative = pool.submit(_relative_importance, model, responses)
        fit, tree, sums = _fit(model, responses, weights, options, [b.partition for b in breakdowns], progress)
        alphas = reliability.result()
    fpc = _fpc(fit.n, population, warnings)
    for gw in weights.values():
        warnings.extend(str(w) for w in gw.details.get("warnings", ()))
    data_driven = [g.id for g in model.groups if weights[g.id].method in DATA_METHODS]
    if options.bootstrap_weights and data_driven and options.bootstrap > 1:
        fit = _refit_replicates(model, responses, fit, options, warnings, progress)

    for item, n_j in zip(model.items, fit.item_n, strict=True):
        if n_j == 0:
            warnings.append(f"indicator {item.id} ({item.name}) has no valid answers; its weight was shared among its siblings")

    item_est = _estimates(fit.item, fit.item_reps, list(fit.item_n), options, fpc)
    group_est = _estimates(fit.group, fit.group_reps, list(fit.group_n), options, fpc)
    by_id = {item.id: e for item, e in zip(model.items, item_est, strict=True)}
    by_id.update({g.id: e for g, e in zip(tree.groups, group_est, strict=True)})

    nodes = _node_scores(model, responses, options, weights, tree, by_id, alphas, fit.low_share)
    overall = group_est[0]

    structural = None
    if model.structure is not None:
        from csi.structural import estimate_structure

        structural = estimate_structure(model, responses, replicates=options.bootstrap, seed=options.seed,
                                        confidence=options.confidence)
    weak, ipa = _weak_points(model, responses, fit, tree, options, structural, relative.result(), warnings)

    outcome = None
    if fit.outcome is not None and fit.outcome_reps is not None:
        outcome = _estimates(np.array([fit.outcome]), fit.outcome_reps[:, None], [fit.outcome_n], options, fpc)[0]
    nps = None
    if fit.nps is not None and model.nps is not None:
        p, d, a = fit.nps
        nps = _nps_summary(model.nps.id, p, d, a, fit.nps_reps, fit.nps_n, options, fpc)

    segments = tuple(_segments(model, weights, options, breakdowns, sums))
    respondents, data_quality = _respondents(responses, options, sums.kind, fpc if population is not None else None,
                                             warnings)
    _precision_warnings(model, options, overall, fit.n, warnings)
    return Result(overall=overall, nodes=tuple(nodes), weak_points=tuple(weak), respondents=respondents,
                  manifest=dict(manifest or {}), outcome=outcome, nps=nps, segments=segments, data_quality=data_quality,
                  warnings=tuple(warnings), structural=structural, ipa=ipa)


def _node_scores(model: Model, responses: Responses, options: ScoreOptions, weights: Mapping[str, GroupWeights],
                 tree: _Tree, by_id: Mapping[str, Estimate], alphas: Mapping[str, tuple[float, float, float]],
                 low_share: np.ndarray) -> list[NodeScore]:
    """Every group and indicator of the tree in model order, with its weights, estimate and details."""
    nodes: list[NodeScore] = []
    item_index = {item.id: j for j, item in enumerate(model.items)}
    root_weights = weights[model.root.id]
    for node in walk(model.root):
        if node.id == model.root.id:
            continue
        est = by_id[node.id]
        if isinstance(node, Group):
            gw = weights[node.id]
            a = alphas.get(node.id)
            details = dict(gw.details)
            if root_weights.method == "pls" and node.id in root_weights.details.get("composite_reliability", {}):
                details["composite_reliability"] = root_weights.details["composite_reliability"][node.id]
                details["ave"] = root_weights.details["ave"][node.id]
            nodes.append(NodeScore(node.id, node.name, tree.parent[node.id], "group", tree.local[node.id], tree.global_[node.id], est,
                                   method=gw.method, alpha=None if a is None else a[0], alpha_ci=None if a is None else (a[1], a[2]),
                                   weighting=_plain(details) or None))
        else:
            j = item_index[node.id]
            target = options.target if options.target is not None else node.target
            nodes.append(NodeScore(node.id, node.name, tree.parent[node.id], "item", tree.local[node.id], tree.global_[node.id], est,
                                   column=responses.columns[j], type=node.type, target=target,
                                   low_share=float(low_share[j])))
    return nodes


def _respondents(responses: Responses, options: ScoreOptions, kind: str, fpc: float | None,
                 warnings: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The result's ``respondents`` and ``data_quality`` sections; a raking that did not
    converge adds its warning."""
    w = np.ones(responses.n) if responses.weights is None else responses.weights
    q = responses.quality
    respondents: dict[str, Any] = {
        "rows": q.rows, "used": q.used, "effective_n": effective_n(w), "excluded": dict(q.excluded),
        "flagged": dict(q.flagged), "invalid_cells": {c.column: c.count for c in q.invalid},
    }
    if responses.weighting:
        respondents["weighting"] = dict(responses.weighting)
        if responses.weighting.get("source") == "raking" and not responses.weighting.get("converged"):
            warnings.append(f"raking did not converge in {responses.weighting['iterations']} sweeps (largest margin error "
                            f"{responses.weighting['max_error']:.2g}); the weights match the population margins only approximately")
    data_quality = {
        "invalid": [{"item": c.item, "column": c.column, "letter": c.letter, "count": c.count, "rows": list(c.rows),
                     "values": list(c.values)} for c in q.invalid],
        "bootstrap": {"kind": kind, "replicates": options.bootstrap, "seed": options.seed,
                      "interval": "percentile", "fpc": fpc,
                      "gaussian_above": bootstrap.MULTINOMIAL_MAX_N, "cells_resampled_up_to": bootstrap.CELL_RESAMPLE_MAX_N},
    }
    return respondents, data_quality


def _precision_warnings(model: Model, options: ScoreOptions, overall: Estimate, n: int, warnings: list[str]) -> None:
    """Warn when the index's margin is wider than ``quality.max_margin``, or the sample tiny."""
    max_margin = model.quality.max_margin
    if max_margin is not None and np.isfinite(overall.se) and overall.se > 0:
        from statistics import NormalDist

        margin = NormalDist().inv_cdf(0.5 + options.confidence / 2) * overall.se
        if margin > max_margin:
            needed = int(np.ceil(n * (margin / max_margin) ** 2))
            warnings.append(f"the overall index is ±{margin:.1f} points at n = {n}, wider than quality.max_margin ±{max_margin:g}; "
                            f"about {needed} responses would be needed")
    if n < 30:
        warnings.append(f"only {n} respondents: intervals are rough")


def _relative_importance(model: Model, responses: Responses) -> Importance | str | None:
    """The relative weights of the IPA matrix (:func:`csi.importance.relative_importance`) when
    the model has an outcome block and no ``paths:`` (which has its IPMA importance), BLAS on
    one thread; else None."""
    if model.outcome is None or model.structure is not None:
        return None
    from csi.importance import relative_importance

    with bootstrap.one_blas_thread():
        return relative_importance(model, responses)


def _weak_points(model: Model, responses: Responses, fit: _Fit, tree: _Tree, options: ScoreOptions,
                 structural: dict[str, Any] | None, relative: Importance | str | None,
                 warnings: list[str]) -> tuple[list[WeakPoint], dict[str, Any]]:
    """The weak points (ranked by ``options.rank_by``) and the result's ``ipa`` section: the
    importance axis of the IPA matrix (:mod:`csi.importance`) and each indicator's quadrant."""
    from csi.importance import derived_importance
    from csi.weakpoints import ipa_quadrants

    importance = np.array([tree.global_[item.id] for item in model.items])
    axis = derived_importance(model, importance, structural, relative, warnings)
    if options.rank_by == "ipma" and not axis.derived:
        raise DataError(Issue("rank-by-ipma", "--rank-by ipma ranks weak points by derived importance, which needs "
                              f"relative weights on the outcome: {axis.details['not_derived']}", path="outcome"))
    targets = np.array([options.target if options.target is not None else item.target for item in model.items])
    weak = rank_weak_points(model.items, fit.item, importance, targets, fit.low_share, fit.item_reps, options.top,
                            derived=axis.values, rank_by=options.rank_by)
    if options.verbatims > 0 and responses.comments:
        weak = _with_verbatims(weak, model, responses, options.verbatims)
    quadrants = ipa_quadrants(axis.values, fit.item)
    scored = np.isfinite(fit.item)
    ipa = {"importance": axis.kind, "rank_by": options.rank_by, **_plain(dict(axis.details)),
           "mean_importance": float(np.mean(axis.values)),
           "mean_score": float(np.nanmean(fit.item)) if scored.any() else None,
           "items": [{"id": item.id, "importance": float(v), "quadrant": q if ok else None}
                     for item, v, q, ok in zip(model.items, axis.values, quadrants, scored, strict=True)]}
    return weak, ipa


def _with_verbatims(weak: Sequence[WeakPoint], model: Model, responses: Responses, k: int) -> list[WeakPoint]:
    """Attach up to ``k`` masked comments to each weak point, from respondents who rated it in
    the bottom two boxes (rescaled ≤ 25), in the order of the export's rows."""
    import dataclasses

    from csi.privacy import mask_own, mask_text

    index = {item.id: j for j, item in enumerate(model.items)}
    texts = list(responses.comments.values())
    out = []
    for wp in weak:
        low = responses.values[:, index[wp.id]] <= 25.0
        quotes: list[str] = []
        for i in np.flatnonzero(low):
            said = " / ".join(str(t[i]) for t in texts if str(t[i]))
            if said:  # the respondent's own name (their personal-data cells), then phones, e-mails, IDs
                own = () if responses.personal is None else responses.personal[i]
                quotes.append(mask_text(mask_own(said, own)))
            if len(quotes) >= k:
                break
        out.append(dataclasses.replace(wp, verbatims=tuple(quotes)))
    return out


def _plain(value: object) -> object:
    """Details as JSON-ready values: tuples to lists, numpy scalars to floats."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _refit_replicates(model: Model, responses: Responses, fit: _Fit, options: ScoreOptions, warnings: list[str],
                      progress: Progress | None = None) -> _Fit:
    """Replicates that re-estimate the data-driven weights on every resample.

    Each replicate draws n respondents with replacement, weighs the model on them, and
    scores them with those weights, so the interval carries the uncertainty of the weights
    too (as SmartPLS's bootstrap does). One weighting fit per replicate: the fits work on
    small c × c or k × k matrices, so B = 1000 costs seconds, not minutes. A replicate whose
    fit fails (a negative weight, too few answers) is dropped and counted.
    """
    import dataclasses

    from csi.errors import CsiError

    rng = np.random.default_rng(options.seed)
    n = responses.n
    k = len(model.items)
    item_reps = np.full((options.bootstrap, k), np.nan)
    group_reps = np.full((options.bootstrap, len(model.groups)), np.nan)
    failed = 0
    for b in range(options.bootstrap):
        sample = responses.subset(rng.integers(0, n, size=n))
        try:
            w_b = group_weights(model, sample)
        except CsiError:
            failed += 1
        else:
            x = sample.values[:, :k]
            answered = ~np.isnan(x)
            w = np.ones(n) if sample.weights is None else sample.weights
            item_b = _ratio(w @ np.where(answered, x, 0.0), w @ answered)
            item_b = np.where(np.isnan(item_b), fit.item, item_b)
            tree_b = _unroll(model, w_b, answered.any(axis=0))
            item_reps[b] = item_b
            group_reps[b] = tree_b.coef @ np.nan_to_num(item_b)
        if progress is not None:
            progress(b + 1, options.bootstrap)
    if failed:
        warnings.append(f"--bootstrap-weights: {failed} of {options.bootstrap} replicates could not be weighted and were left out")
    return dataclasses.replace(fit, item_reps=item_reps, group_reps=group_reps)


def _nps_summary(item_id: str, p: float, d: float, a: float, reps: np.ndarray | None, n: int, options: ScoreOptions,
                 fpc: float) -> dict[str, object]:
    """NPS = 100(p − d) with its analytic and bootstrap uncertainty (docs/methods.md#nps)."""
    if a <= 0:
        return {"id": item_id, "score": None, "se": None, "ci": [None, None], "n": 0, "promoters": None, "detractors": None}
    pp, dd = p / a, d / a
    value = 100.0 * (pp - dd)
    est = _estimates(np.array([value]), reps[:, None] if reps is not None else np.empty((0, 1)), [n], options, fpc)[0]
    d_ = est.to_dict()
    d_.update({"id": item_id, "promoters": pp, "detractors": dd,
               "se_analytic": 100.0 * float(np.sqrt(max(pp + dd - (pp - dd) ** 2, 0.0) / n)) * fpc if n else None})
    return d_


def _reliability(model: Model, responses: Responses, options: ScoreOptions) -> dict[str, tuple[float, float, float]]:
    """Cronbach's α with Feldt's interval for each group over its rating items (all groups in
    one pass over the respondents: :func:`csi.stats.cronbach_alphas`), BLAS on one thread."""
    from csi.stats import cronbach_alphas

    index = {item.id: j for j, item in enumerate(model.items)}
    blocks: dict[str, list[int]] = {}
    for group in model.groups:
        cols = [index[n.id] for n in walk(group) if isinstance(n, Item) and n.type == "rating"]
        if len(cols) >= 2:
            blocks[group.id] = cols
    with bootstrap.one_blas_thread():
        alphas = cronbach_alphas(responses.values, list(blocks.values()), weights=responses.weights, confidence=options.confidence)
    return {gid: (a.alpha, a.ci_low, a.ci_high) for gid, a in zip(blocks, alphas, strict=True)}


@dataclass(frozen=True, slots=True)
class _Breakdown:
    """One segment column: its distinct values in display order and the cell of each respondent."""

    by: str
    values: tuple[object, ...]
    partition: Partition


def _breakdowns(responses: Responses, min_group: int) -> list[_Breakdown]:
    """Cells of every segment column, values sorted by their text; cells of fewer than
    ``min_group`` respondents get no replicates (they are suppressed, but counted in the rests)."""
    import pandas as pd  # hash-based factorize: np.unique would sort a million Python strings

    out = []
    for by, column in responses.segments.items():
        if isinstance(column, pd.Categorical) and column.size and column.codes.min() >= 0:
            present = np.bincount(column.codes, minlength=len(column.categories)) > 0  # (excluded rows' values go)
            codes = (np.cumsum(present) - 1)[column.codes]
            uniques = np.asarray(column.categories, dtype=object)[present]
        else:
            codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=False)
        order = sorted(range(len(uniques)), key=lambda i: str(uniques[i]))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        cells = len(order)
        # uint16 codes sort by radix sort, several times faster than int64
        codes = rank[codes].astype(np.uint16 if cells <= np.iinfo(np.uint16).max else np.int64)
        sizes = np.bincount(codes, minlength=cells)
        out.append(_Breakdown(by, tuple(uniques[i] for i in order), Partition(codes, cells, sizes >= min_group)))
    return out


class _CellScores:
    """Scores of a set of respondents from its column sums, each set under its own tree (an
    indicator nobody in the set answered shares its weight among its siblings, as for the
    whole sample); the trees are cached by which indicators are available."""

    def __init__(self, model: Model, weights: Mapping[str, GroupWeights]) -> None:
        self.model, self.weights = model, weights
        self.k = len(model.items)
        self._trees: dict[bytes, _Tree] = {}

    def point(self, sums: np.ndarray, item_n: np.ndarray) -> tuple[np.ndarray, np.ndarray, _Tree]:
        """Item and group scores from Σ w x and Σ w m (first 2k columns) and the answer counts."""
        k = self.k
        # availability from the exact integer counts: a rest's weighted sums are differences
        # (whole sample − cell) and can leave rounding residue where nobody answered
        available = (item_n > 0) & (sums[k:2 * k] > 0)
        key = available.tobytes()
        if key not in self._trees:
            self._trees[key] = _unroll(self.model, self.weights, available)
        tree = self._trees[key]
        item = np.where(available, _ratio(sums[:k], sums[k:2 * k]), np.nan)
        return item, tree.coef @ np.nan_to_num(item), tree

    def replicates(self, reps: np.ndarray, tree: _Tree, floor: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Item and group replicate scores. A replicate in which nobody who answered an
        indicator was drawn (weighted count ≤ ``floor``) has no score for it, nor for the
        groups it enters: NaN, which the SE and the percentiles leave out (the bootstrap
        distribution conditional on the indicator being observed). Filling in the point
        estimate instead would pile replicates on it and shrink the SE of a small cell."""
        k = self.k
        den = reps[:, k:2 * k]
        item_reps = _ratio(reps[:, :k], np.where(den > floor, den, 0.0))
        group_reps = np.nan_to_num(item_reps) @ tree.coef.T
        group_reps[(np.isnan(item_reps).astype(float) @ (tree.coef.T > 0)) > 0] = np.nan
        return item_reps, group_reps


def _segments(model: Model, weights: Mapping[str, GroupWeights], options: ScoreOptions, breakdowns: Sequence[_Breakdown],
              sums: Sums) -> list[Segment]:
    """Every node per segment value, and each value's overall CSI tested against the rest.

    The cells' sums and replicates come from the same pass and the same bootstrap as the whole
    sample (:func:`csi.bootstrap.bootstrap_sums`); the rest of a cell is the whole sample
    minus the cell. The test is the two-sample z of docs/methods.md#segments,
    z = (S_g − S_rest)/√(se_g² + se_rest²), with the bootstrap SEs of the group and of all
    other respondents (suppressed groups included in the rest, never shown); the p-values of
    one breakdown are Holm-adjusted (Holm 1979).
    """
    from math import erfc, sqrt

    from csi.stats import holm

    k = len(model.items)
    scorer = _CellScores(model, weights)
    total, total_counts = sums.full[:2 * k], sums.counts
    # below any real count of one respondent, above the rounding of whole sample − cell
    floor = 1e-12 * sums.full[k:2 * k]
    out = []
    for bd, cells in zip(breakdowns, sums.cells, strict=True):
        groups: list[SegmentGroup] = []
        tests: list[dict[str, Any] | None] = []
        n_rows = int(cells.sizes.sum())
        suppressed = 0
        for c, value in enumerate(bd.values):
            size = int(cells.sizes[c])
            if not bd.partition.wanted[c]:
                suppressed += 1
                continue
            counts = cells.counts[c]
            item, group, tree = scorer.point(cells.full[c], counts[:k])
            item_reps, group_reps = scorer.replicates(cells.replicates(c), tree)
            est = _estimates(group, group_reps, counts[k + 1:], options, 1.0)
            item_est = _estimates(item, item_reps, counts[:k], options, 1.0)
            node_est = [(g.id, e) for g, e in zip(tree.groups[1:], est[1:], strict=True)]
            node_est += [(it.id, e) for it, e in zip(model.items, item_est, strict=True)]
            test = None
            if n_rows - size >= options.min_group:
                r_counts = total_counts[:counts.size] - counts
                _, r_group, r_tree = scorer.point(total - cells.full[c], r_counts[:k])
                _, r_reps = scorer.replicates(cells.rest_replicates(c), r_tree, floor)
                rest = _estimates(r_group[:1], r_reps[:, :1], [r_counts[k]], options, 1.0)[0]
                se = sqrt(est[0].se ** 2 + rest.se ** 2) if np.isfinite(est[0].se) and np.isfinite(rest.se) else float("nan")
                delta = est[0].score - rest.score
                z = delta / se if se > 0 else float("nan")
                test = {"rest_score": _num_or_none(rest.score), "rest_n": rest.n, "delta": _num_or_none(delta),
                        "se": _num_or_none(se), "z": _num_or_none(z), "p": erfc(abs(z) / sqrt(2)) if np.isfinite(z) else None}
            groups.append(SegmentGroup(str(value), size, est[0], tuple(node_est)))
            tests.append(test)
        ps = np.array([t["p"] if t and t["p"] is not None else np.nan for t in tests], dtype=float)
        adjusted = holm(ps) if ps.size else ps
        groups = [SegmentGroup(g.value, g.n, g.overall, g.nodes, None if t is None else {**t, "p_adj": _num_or_none(a)})
                  for g, t, a in zip(groups, tests, adjusted, strict=True)]
        groups.sort(key=lambda g: -g.overall.score if np.isfinite(g.overall.score) else np.inf)
        out.append(Segment(bd.by, tuple(groups), suppressed, options.min_group))
    return out


def _num_or_none(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)
