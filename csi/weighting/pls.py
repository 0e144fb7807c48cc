r"""PLS path modelling (Wold's algorithm, mode A) and the ACSI-style weights it gives.

The iteration works on the items' covariance matrix, so its cost does not grow with the
number of respondents: one pass over the data builds :math:`S = X^\top X / n`, one more
computes the latent-variable scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from csi.errors import DataError, Issue, ModelError
from csi.model import Group, Item, Model, walk
from csi.weighting import GroupWeights
from csi.weighting.data import apply_policy, apply_sign_policy, read_options

if TYPE_CHECKING:
    from csi.responses import Responses

__all__ = ["PlsResult", "pls_path", "pls_group_weights", "SCHEMES", "OUTCOME_LV"]

SCHEMES = ("path", "centroid", "factorial")
#: Name of the outcome latent variable in the adapter's details.
OUTCOME_LV = "outcome"


@dataclass(frozen=True, slots=True)
class PlsResult:
    """A fitted PLS path model.

    Per-block quantities are keyed by latent-variable name, in the block's item order.
    ``paths[i, j]`` is the coefficient of LV j in the regression of LV i (0 where the inner
    model has no arrow); ``r2`` holds the endogenous LVs only. ``scores`` are the
    standardised LV scores (mean 0, variance 1 with divisor n).
    """

    names: tuple[str, ...]
    outer_weights: dict[str, tuple[float, ...]]
    normalised_weights: dict[str, tuple[float, ...]]
    loadings: dict[str, tuple[float, ...]]
    paths: np.ndarray
    r2: dict[str, float]
    scores: np.ndarray
    composite_reliability: dict[str, float]
    ave: dict[str, float]
    iterations: int
    converged: bool
    scheme: str
    scaled: bool
    n: int
    tol: float = 1e-6
    max_iter: int = 300
    inner: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def path(self, source: str, target: str) -> float:
        """The path coefficient of ``source`` → ``target``."""
        return float(self.paths[self.names.index(target), self.names.index(source)])


def _inner_matrix(paths: ArrayLike | Sequence[tuple[Any, Any]], names: Sequence[str]) -> np.ndarray:
    """The inner model as a 0/1 matrix P[target, source], checked to be lower-triangular."""
    k = len(names)
    if isinstance(paths, np.ndarray) or (isinstance(paths, Sequence) and paths and not isinstance(paths[0], tuple)):
        p = np.asarray(paths, dtype=float)
        if p.shape != (k, k) or not np.isin(p, (0.0, 1.0)).all():
            raise ValueError(f"paths must be a {k} × {k} 0/1 matrix (row = target, column = source) or a list of (source, target)")
    else:
        p = np.zeros((k, k))
        for pair in paths:  # type: ignore[union-attr]
            if len(pair) != 2:
                raise ValueError(f"a path is a (source, target) pair, got {pair!r}")
            ends = []
            for end in pair:
                if isinstance(end, str):
                    if end not in names:
                        raise ValueError(f"unknown latent variable {end!r} in paths; known: {', '.join(names)}")
                    ends.append(names.index(end))
                else:
                    ends.append(int(end))
            p[ends[1], ends[0]] = 1.0
    if np.any(np.triu(p) != 0):
        raise ValueError("the inner model must be recursive: order the blocks so every path goes from an earlier block to a later one")
    linked = (p.sum(axis=0) + p.sum(axis=1)) > 0
    if not linked.all():
        lonely = [names[i] for i in np.flatnonzero(~linked)]
        raise ValueError(f"latent variable(s) {', '.join(lonely)} have no path; every block needs at least one")
    return p


def _inner_weights(corr: np.ndarray, p: np.ndarray, scheme: str) -> np.ndarray:
    """Inner weights E[source, target] of the centroid, factorial or path scheme: the batched
    rule of :mod:`csi.weighting.pls_batch` on a stack of one."""
    from csi.weighting.pls_batch import inner_weights_batch

    return inner_weights_batch(corr[None], p, scheme)[0]


def fit_moments(s: np.ndarray, sizes: Sequence[int], p: np.ndarray, scheme: str, tol: float, max_iter: int,
                rows: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, bool] | str:
    """Wold's iteration on an item covariance matrix ``s`` (items in block order, already
    scaled as the fit wants): the algorithm of :func:`pls_path`, without the data.

    Returns the outer weight matrix W (items × LVs, each LV of variance 1 under ``s``,
    oriented), the loadings (one per item), the path coefficients P[target, source], R² per
    LV (0 for exogenous ones), the iterations and whether they converged; or, when a
    regression's latent variables are perfectly collinear, a message saying so. ``rows`` is
    the number of rows that count (the (n−1)/n factor of R plspm's convergence test).
    """
    n_lv = len(sizes)
    block_of = np.repeat(np.arange(n_lv), sizes)
    mask = (block_of[:, None] == np.arange(n_lv)[None, :]).astype(float)
    # Start: unit weights, each LV scaled to variance 1.
    W = mask / np.sqrt(np.einsum("il,ij,jl->l", mask, s, mask))
    w_old = W.sum(axis=1)
    # R plspm standardises Y as scale(Y)·sqrt((n-1)/n): a factor (n-1)/n on every weight in
    # the loop, which matters only for where the convergence test stops. With respondent
    # weights n is the number of rows that count, so scaling the weights changes nothing.
    shrink = (rows - 1.0) / rows
    converged = False
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        cov = W.T @ s @ W
        sd = np.sqrt(np.diag(cov))
        corr = cov / np.outer(sd, sd)
        try:
            e = _inner_weights(corr, p, scheme)
        except np.linalg.LinAlgError:
            return "the latent variables of one regression are perfectly collinear"
        W = mask * (shrink * (s @ (W / sd)) @ e)
        w_new = W.sum(axis=1)
        diff = float(np.sum((np.abs(w_old) - np.abs(w_new)) ** 2))
        w_old = w_new
        if diff < tol:
            converged = True
            break
        if not np.isfinite(diff):
            break

    W = W / np.sqrt(np.diag(W.T @ s @ W))
    sw = s @ W
    load_all = sw / np.sqrt(np.diag(s))[:, None]
    loads = (load_all * mask).sum(axis=1)
    # Orientation: R plspm turns an LV over when most of its items load negatively on it
    # (sign of the sum of signs; a tie counts as negative).
    signs = np.sign(loads)
    orient = np.sign(np.bincount(block_of, weights=signs, minlength=n_lv))
    orient[orient == 0] = -1.0
    W = W * orient
    loads = loads * orient[block_of]
    cov_lv = W.T @ s @ W
    path_coef = np.zeros((n_lv, n_lv))
    r2 = np.zeros(n_lv)
    for k in range(n_lv):
        pred = np.flatnonzero(p[k])
        if pred.size:
            try:
                beta = np.linalg.solve(cov_lv[np.ix_(pred, pred)], cov_lv[pred, k])
            except np.linalg.LinAlgError:
                return "the predecessors of one latent variable are perfectly collinear"
            path_coef[k, pred] = beta
            r2[k] = float(beta @ cov_lv[pred, k])
    return W, loads, path_coef, r2, iterations, converged


def pls_path(blocks: Sequence[ArrayLike] | Mapping[str, ArrayLike], paths: ArrayLike | Sequence[tuple[Any, Any]],
             scheme: str = "path", scaled: bool = False, tol: float = 1e-6, max_iter: int = 300,
             weights: ArrayLike | None = None, names: Sequence[str] | None = None) -> PlsResult:
    r"""Partial least squares path model: outer weights, loadings, paths, R², reliability.

    Wold's algorithm with mode A outer estimation, as in R plspm 0.5.1 (Sanchez 2013) and
    Tenenhaus et al. (2005). Items are centred, and with ``scaled=True`` divided by their
    standard deviation (divisor n). Start: every item weight 1, scaled so each LV has unit
    variance. Then repeat

    1. outer estimate :math:`Y = X W`, each column standardised;
    2. inner weights :math:`e_{kl}` for adjacent LVs k, l: ``path`` (default): for a
       predecessor, its coefficient in the regression of :math:`Y_l` on all of
       :math:`Y_l`'s predecessors, for a follower, :math:`\mathrm{cor}(Y_k, Y_l)`;
       ``factorial``: :math:`\mathrm{cor}(Y_k, Y_l)`; ``centroid``: its sign;
    3. inner estimate :math:`Z_l = \sum_k e_{kl} Y_k`;
    4. mode A: :math:`w_{jl} = \frac{1}{n} x_j^\top Z_l` for the items j of block l,

    until :math:`\sum_j (|w^{old}_j| - |w^{new}_j|)^2 <` ``tol`` (R plspm's criterion, with
    its scaling: Y standardised with sd·√((n−1)/n) where sd has divisor n − 1). The final
    weights are rescaled so every LV has variance 1 (divisor n); those are
    ``outer_weights``. A block whose items load mostly negatively on its LV is turned over
    (LV, weights and loadings change sign; R flips only the scores). Then

    - loadings :math:`\lambda_{jl} = \mathrm{cor}(x_j, Y_l)`;
    - path coefficients and :math:`R^2` by least squares of each endogenous LV on its
      predecessors (standardised, so coefficients are standardised);
    - composite reliability :math:`\rho_c = (\sum\lambda)^2 / ((\sum\lambda)^2 + \sum(1-\lambda^2))`
      and :math:`AVE = \sum\lambda^2 / k` per block;
    - ``normalised_weights``: the weights on the items as given (unstandardised:
      :math:`w_j / s_j` when scaled), divided by their block sum — the ACSI index weights
      (Fornell et al. 1996): :math:`\text{index} = \sum_j \tilde w_j \bar x_j` on the items'
      scale.

    Respondent weights, when given, act as frequency weights in every moment; scaling them
    all changes nothing, and with integer weights the estimates equal the fit on repeated rows
    (up to where the convergence test stops: inside the loop n counts rows, not Σw).

    Validated against R plspm 0.5.1 and Python plspm 0.5.7 (run outside the project,
    ``tests/reference/scripts/pls_plspm.py``) on the ECSI ``satisfaction`` data: with the
    ECSI inner model, path scheme, unscaled, the SAT outer weights are 0.168756, 0.157705,
    0.120048, 0.135885, VAL → SAT 0.587693, R²(SAT) 0.706403 and the SAT index 68.587269
    (docs/methods.md#weights-pls); all weights, loadings, paths and R² agree to 1e-6.

    Parameters
    ----------
    blocks : sequence of arrays, or mapping name → array
        One n × k_b array of complete items per latent variable.
    paths : array_like or sequence of (source, target)
        The inner model: a lower-triangular 0/1 matrix with ``paths[i, j] = 1`` when LV j
        points to LV i (R plspm's ``path_matrix``), or a list of (source, target) pairs by
        name or position. Every LV needs a path; sources come before targets.
    scheme : {"path", "centroid", "factorial"}
    scaled : bool
        Standardise every item first (R ``scaled = TRUE``); default: centre only.
    tol, max_iter : float, int
        Convergence threshold and the most iterations.
    weights : array_like, shape (n,), optional
        Non-negative respondent weights.
    names : sequence of str, optional
        LV names for a sequence of blocks (default ``LV1``, ``LV2``, …).

    Returns
    -------
    PlsResult
        ``converged`` is False when ``max_iter`` iterations did not reach ``tol`` (the
        estimates of the last iteration are returned, never claimed converged).

    Raises
    ------
    ValueError
        For inconsistent shapes, NaN, an item with one value for everyone, an unknown
        scheme, an inner model that is not recursive or leaves an LV unconnected, or
        perfectly collinear latent variables.

    References
    ----------
    .. [1] Wold, H. (1982). Soft modeling: the basic design and some extensions. In K. G.
           Jöreskog & H. Wold (Eds.), *Systems under Indirect Observation*, Part II, 1–54.
           North-Holland.
    .. [2] Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M. & Lauro, C. (2005). PLS path
           modeling. *Computational Statistics & Data Analysis* 48, 159–205.
    .. [3] Sanchez, G. (2013). *PLS Path Modeling with R*. Trowchez Editions.
    .. [4] Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J. & Bryant, B. E. (1996).
           The American Customer Satisfaction Index. *Journal of Marketing* 60(4), 7–18.

    Examples
    --------
    Four respondents built from three orthogonal patterns t = (1, 1, −1, −1),
    e = (1, −1, 1, −1), g = (1, −1, −1, 1) (plus 3): block A = (t + e, t − e), block
    B = (t + e + g, t − e + g). Swapping e for −e swaps the items of both blocks, so the
    weights within each block are equal; the LVs are then t and t + g, whose correlation
    1/√2 is the path and R² = 1/2. Loadings: cor(t + e, t) = 1/√2 and
    cor(t + e + g, t + g) = 2/√6:

    >>> a = np.array([[5, 3], [3, 5], [3, 1], [1, 3]], float)
    >>> b = np.array([[6, 4], [2, 4], [2, 0], [2, 4]], float)
    >>> r = pls_path({"A": a, "B": b}, [("A", "B")])
    >>> r.normalised_weights["A"], r.normalised_weights["B"], round(r.path("A", "B"), 6), round(r.r2["B"], 6)
    ((0.5, 0.5), (0.5, 0.5), 0.707107, 0.5)
    >>> [round(v, 6) for v in r.loadings["A"] + r.loadings["B"]], r.converged
    ([0.707107, 0.707107, 0.816497, 0.816497], True)
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    if isinstance(blocks, Mapping):
        lv_names = tuple(str(k) for k in blocks)
        arrays = [np.asarray(v, dtype=float) for v in blocks.values()]
    else:
        arrays = [np.asarray(v, dtype=float) for v in blocks]
        lv_names = tuple(names) if names is not None else tuple(f"LV{i + 1}" for i in range(len(arrays)))
    n_lv = len(arrays)
    if n_lv < 2 or len(lv_names) != n_lv:
        raise ValueError("a path model needs at least two blocks (and one name per block)")
    arrays = [a[:, None] if a.ndim == 1 else a for a in arrays]
    n = arrays[0].shape[0]
    if any(a.ndim != 2 or a.shape[0] != n or a.shape[1] == 0 for a in arrays):
        raise ValueError("every block must be an n × k array (k ≥ 1) with the same n")
    p = _inner_matrix(paths, lv_names)
    x = np.concatenate(arrays, axis=1)
    if not np.isfinite(x).all():
        raise ValueError("blocks must be complete and finite; apply a missing-data policy first")
    if n < 3:
        raise ValueError(f"a path model needs at least 3 rows, got {n}")
    sizes = [a.shape[1] for a in arrays]
    block_of = np.repeat(np.arange(n_lv), sizes)

    if weights is None:
        w = None
        total = float(n)
        mean = x.mean(axis=0)
        rows = float(n)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (n,) or not np.isfinite(w).all() or np.any(w < 0) or np.count_nonzero(w) < 3:
            raise ValueError(f"weights must be {n} finite non-negative values, at least 3 of them positive")
        total = float(w.sum())
        mean = (w @ x) / total
        rows = float(np.count_nonzero(w))
    xc = x - mean
    s = ((xc.T * w) @ xc if w is not None else xc.T @ xc) / total  # covariance, divisor n (Σw)
    item_sd = np.sqrt(np.clip(np.diag(s), 0.0, None))
    flat = item_sd <= 1e-12 * np.maximum(np.abs(x).max(axis=0), 1e-300)
    if flat.any():
        j = int(np.argmax(flat))
        b = int(block_of[j])
        raise ValueError(f"item {j - sum(sizes[:b])} of block {lv_names[b]} has the same value for every row")
    scale = item_sd if scaled else np.ones_like(item_sd)
    s = s / np.outer(scale, scale)
    fit = fit_moments(s, sizes, p, scheme, tol, max_iter, rows)
    if isinstance(fit, str):
        raise ValueError(fit)
    W, loads, path_coef, r2_all, iterations, converged = fit
    r2 = {lv_names[k]: float(r2_all[k]) for k in range(n_lv) if p[k].any()}
    outer = W.sum(axis=1)
    raw = outer / scale
    scores = (xc / scale) @ W

    def per_block(v: np.ndarray) -> dict[str, tuple[float, ...]]:
        return {lv_names[b]: tuple(float(t) for t in v[block_of == b]) for b in range(n_lv)}

    normalised = {}
    rho: dict[str, float] = {}
    ave: dict[str, float] = {}
    for b in range(n_lv):
        u = raw[block_of == b]
        normalised[lv_names[b]] = tuple(float(t) for t in u / u.sum())
        lam = loads[block_of == b]
        num = float(lam.sum()) ** 2
        rho[lv_names[b]] = num / (num + float(np.sum(1.0 - lam**2)))
        ave[lv_names[b]] = float(np.mean(lam**2))
    return PlsResult(lv_names, per_block(outer), normalised, per_block(loads), path_coef, r2, scores, rho, ave,
                     iterations, converged, scheme, bool(scaled), n, tol, max_iter, p)


def _items_under(node: Group | Item) -> list[Item]:
    return [n for n in walk(node) if isinstance(n, Item)]


def pls_group_weights(group: Group, responses: Responses, model: Model, *, options: Mapping[str, Any] | None = None,
                      item_weights: Mapping[str, Sequence[float]] | None = None) -> GroupWeights:
    """Registry adapter: ACSI-style PLS weights for the root and every group beneath it.

    Each top-level dimension (child of the root) is a latent variable over the items
    beneath it; the outcome items form the endogenous LV; every dimension points to the
    outcome. Dimension weights are the path coefficients normalised to sum 1; item weights
    within a dimension are its normalised outer weights on the 0–100 items. A dimension
    whose children are groups is fitted on its items flattened (one LV, no second-order
    model); each inner group's weights are then the sums of the normalised item weights
    beneath each of its children, renormalised — so every item's global weight is exactly
    its PLS weight. Those weights are in ``details["group_weights"]`` (group id → weights
    in child order) for the registry to use for the groups beneath the root.

    Options: ``policy`` (missing data over all the model's PLS items: ``listwise`` or
    ``mean``), ``scheme`` (``path``, ``centroid``, ``factorial``), ``scaled`` (standardise
    items first), ``allow_negative`` (clip negative weights to 0 with a warning instead of
    raising). Respondent weights are used as frequency weights.

    ``details``: ``outer_weights``, ``normalised_weights``, ``loadings`` (item id → value),
    ``paths`` (dimension id → coefficient), ``r2``, ``composite_reliability`` and ``ave``
    (LV id → value; the outcome LV is ``"outcome"``), ``iterations``, ``converged``,
    ``scheme``, ``scaled``, ``tol``, ``max_iter``, ``n``, ``policy``, ``group_weights``,
    ``warnings``.

    Raises
    ------
    ModelError
        ``pls-root-only`` for a group other than the root, ``pls-needs-outcome`` without an
        outcome block, ``negative-weight`` for a negative path coefficient or outer weight
        (unless ``allow_negative``).
    DataError
        ``too-few-respondents``, ``no-answers`` (an item nobody answered),
        ``pls-constant-item``, ``pls-failed`` (perfectly collinear dimensions),
        ``pls-not-converged``.
    """
    opts = read_options(options, group)
    if group.id != model.root.id:
        raise ModelError(Issue("pls-root-only", f"group {group.id}: method pls weighs the whole model and belongs on the root "
                               "(method: pls at the top of the file)", path=group.path))
    if model.outcome is None:
        raise ModelError(Issue("pls-needs-outcome", "method pls needs an outcome block (direct satisfaction questions) "
                               "as the endogenous latent variable", path="outcome"))
    index = {item.id: j for j, item in enumerate(model.all_items)}
    dims = list(group.children)
    block_items = [_items_under(d) for d in dims] + [list(model.outcome.items)]
    lv_ids = [d.id for d in dims] + [OUTCOME_LV]
    cols = [index[it.id] for items in block_items for it in items]
    item_ids = [it.id for items in block_items for it in items]
    values, n, keep = apply_policy(np.asarray(responses.values, dtype=float)[:, cols], item_ids, group, "pls", opts["policy"])
    need = max(3, len(dims) + 2)
    if n < need:
        raise DataError(Issue("too-few-respondents", f"method pls: {n} respondents answered every item of the model "
                              f"(policy {opts['policy']}), at least {need} needed; try option policy: mean, or method fixed",
                              path=group.path))
    flat = [item_ids[j] for j in np.flatnonzero(np.ptp(values, axis=0) == 0)]
    if flat:
        raise DataError(Issue("pls-constant-item", f"method pls: {', '.join(flat)} has the same value for every respondent used; "
                              "an item without variance cannot load on its latent variable — remove it or use method fixed",
                              path=group.path))
    w = None if getattr(responses, "weights", None) is None else np.asarray(responses.weights, dtype=float)[keep]
    sizes = [len(items) for items in block_items]
    bounds = np.cumsum([0, *sizes])
    blocks = {lv: values[:, bounds[i]:bounds[i + 1]] for i, lv in enumerate(lv_ids)}
    try:
        r = pls_path(blocks, [(d, OUTCOME_LV) for d in lv_ids[:-1]], scheme=opts["scheme"], scaled=opts["scaled"], weights=w)
    except ValueError as e:
        raise DataError(Issue("pls-failed", f"method pls: {e}; use method fixed", path=group.path)) from None
    if not r.converged:
        raise DataError(Issue("pls-not-converged", f"method pls did not converge in {r.max_iter} iterations "
                              f"(scheme {r.scheme}); try scheme: centroid, or method fixed", path=group.path))

    warnings: list[str] = []
    paths = {d: r.path(d, OUTCOME_LV) for d in lv_ids[:-1]}
    dim_weights = apply_sign_policy(list(paths.values()), lv_ids[:-1], group, opts["allow_negative"], warnings,
                                    what="path coefficient")
    outer: dict[str, float] = {}
    normalised: dict[str, float] = {}
    loadings: dict[str, float] = {}
    group_weights: dict[str, tuple[float, ...]] = {}
    for d, items, lv in zip(dims, block_items, lv_ids, strict=False):
        for it, wo, wn, ld in zip(items, r.outer_weights[lv], r.normalised_weights[lv], r.loadings[lv], strict=True):
            outer[it.id], normalised[it.id], loadings[it.id] = wo, wn, ld
        if isinstance(d, Group):
            flat = dict(zip([it.id for it in items],
                            apply_sign_policy(r.normalised_weights[lv], [it.id for it in items], d, opts["allow_negative"],
                                              warnings, what="outer weight"), strict=True))
            for g in (n for n in walk(d) if isinstance(n, Group)):
                mass = [sum(flat[it.id] for it in _items_under(c)) for c in g.children]
                total = sum(mass)
                group_weights[g.id] = tuple(m / total for m in mass) if total > 0 else tuple(1.0 / len(mass) for _ in mass)
    for it, wo, wn, ld in zip(model.outcome.items, r.outer_weights[OUTCOME_LV], r.normalised_weights[OUTCOME_LV],
                              r.loadings[OUTCOME_LV], strict=True):
        outer[it.id], normalised[it.id], loadings[it.id] = wo, wn, ld
    details = {
        "outer_weights": outer, "normalised_weights": normalised, "loadings": loadings, "paths": paths,
        "r2": r.r2[OUTCOME_LV], "composite_reliability": dict(r.composite_reliability), "ave": dict(r.ave),
        "iterations": r.iterations, "converged": r.converged, "scheme": r.scheme, "scaled": r.scaled, "tol": r.tol,
        "max_iter": r.max_iter, "n": n, "policy": opts["policy"], "inner_model": "every dimension → outcome",
        "flattened": [d.id for d in dims if isinstance(d, Group) and any(isinstance(c, Group) for c in d.children)],
        "respondent_weights": "used" if w is not None else "none", "group_weights": group_weights, "warnings": warnings,
    }
    return GroupWeights(group.id, "pls", dim_weights, details)
