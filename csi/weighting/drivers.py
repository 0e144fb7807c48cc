r"""Driver weights: Johnson's relative weights of the children for the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from csi.errors import DataError, Issue
from csi.model import Group, Model
from csi.weighting import GroupWeights
from csi.weighting.data import apply_policy, child_scores, outcome_scores, read_options, require_rows

if TYPE_CHECKING:
    from csi.responses import Responses

__all__ = ["DriverResult", "relative_weights", "relative_weights_from_correlations", "drivers_group_weights"]


@dataclass(frozen=True, slots=True)
class DriverResult:
    """Johnson's relative weights.

    ``raw`` are the ε (they sum to ``r2``), ``weights`` = ε/R² (sum 1), ``beta`` the
    coefficients of y on the orthogonal counterparts of the predictors; ``constant[j]``
    marks a predictor with one value in every row (ε = 0).
    """

    weights: tuple[float, ...]
    raw: tuple[float, ...]
    r2: float
    beta: tuple[float, ...]
    constant: tuple[bool, ...] = ()
    n: int = 0


def _correlations(data: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Correlation matrix and variances of the columns (frequency-weighted when w is given)."""
    if w is None:
        centred = data - data.mean(axis=0)
        cross = centred.T @ centred
    else:
        centred = data - (w @ data) / w.sum()
        cross = (centred * w[:, None]).T @ centred
    var = np.clip(np.diag(cross), 0.0, None)
    scale = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cross / np.outer(scale, scale)
    return np.clip(corr, -1.0, 1.0), var


def relative_weights(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None) -> DriverResult:
    r"""Johnson's (2000) relative weights of the predictors ``x`` for the outcome ``y``.

    With :math:`R_{xx}` the predictors' correlation matrix and :math:`r_{xy}` their
    correlations with y, decompose :math:`R_{xx} = V \Lambda V^\top` and let
    :math:`\Lambda_{1/2} = V \Lambda^{1/2} V^\top` (the correlations between the predictors
    and their closest orthonormal counterparts Z). Then

    .. math::

        \beta = \Lambda_{1/2}^{-1} r_{xy}, \qquad
        \varepsilon_j = \sum_k (\Lambda_{1/2})_{jk}^2 \, \beta_k^2, \qquad
        \sum_j \varepsilon_j = R^2,

    and the weights are :math:`\varepsilon / R^2`. This equals Genizi's (1993)
    decomposition (R package relaimpo, ``type = "genizi"``). Respondent weights act as
    frequency weights in every correlation (scaling them all changes nothing).

    Perfectly collinear predictors make :math:`\Lambda_{1/2}` singular; eigenvalues below
    1e-10 of the largest are then dropped (the pseudo-inverse), which splits the shared
    importance equally between identical predictors. A constant predictor has no
    correlation: its ε is 0 and it is flagged in ``constant``.

    Validated against R relaimpo (``calc.relimp(type = "genizi")``) on ``datasets::swiss``,
    Fertility on Agriculture, Examination, Education, Catholic, Infant.Mortality: ε =
    0.048417, 0.154708, 0.271964, 0.114680, 0.116966, R² = 0.706735 (docs/methods.md#weights-drivers).

    Parameters
    ----------
    x : array_like, shape (n, p)
        Complete predictor scores (no NaN).
    y : array_like, shape (n,)
        Complete outcome.
    weights : array_like, shape (n,), optional
        Non-negative respondent weights.

    Returns
    -------
    DriverResult

    Raises
    ------
    ValueError
        For wrong shapes, NaN, fewer than p + 2 rows, invalid weights, a constant outcome,
        or predictors that explain none of it (R² = 0).

    References
    ----------
    .. [1] Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
           predictor variables in multiple regression. *Multivariate Behavioral Research*
           35(1), 1–19.
    .. [2] Genizi, A. (1993). Decomposition of R² in multiple regression with correlated
           regressors. *Statistica Sinica* 3, 407–420.
    .. [3] Grömping, U. (2006). Relative importance for linear regression in R: the package
           relaimpo. *Journal of Statistical Software* 17(1), 1–27.

    Examples
    --------
    Uncorrelated predictors: each ε is its squared correlation with y. Here
    r = (0.6, 0.8) and R² = 1:

    >>> r = relative_weights([[1, 1], [1, -1], [-1, 1], [-1, -1]], [1.4, -0.2, 0.2, -1.4])
    >>> [round(v, 6) for v in r.raw], round(r.r2, 6), [round(v, 6) for v in r.weights]
    ([0.36, 0.64], 1.0, [0.36, 0.64])
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if xs.ndim != 2:
        raise ValueError(f"x must be a 2-D array (rows × predictors), got shape {xs.shape}")
    n, p = xs.shape
    if ys.shape != (n,):
        raise ValueError(f"y must have one value per row of x ({n}), got shape {ys.shape}")
    if n < p + 2:
        raise ValueError(f"{p} predictors need at least {p + 2} rows, got {n}")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("x and y must be complete and finite; apply a missing-data policy first")
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (n,) or not np.isfinite(w).all() or np.any(w < 0) or not w.sum() > 0:
            raise ValueError(f"weights must be {n} finite non-negative values with a positive sum")
    corr, var = _correlations(np.column_stack([xs, ys]), w)
    # A column is constant when its sum of squares is rounding noise against its magnitude.
    size = np.maximum(np.abs(np.column_stack([xs, ys])).max(axis=0), 1e-300) ** 2 * (n if w is None else w.sum())
    return relative_weights_from_correlations(corr, var <= 1e-24 * size, n)


def relative_weights_from_correlations(corr: np.ndarray, flat: np.ndarray, n: int) -> DriverResult:
    """Johnson's relative weights from the correlation matrix of the predictors and the outcome
    (the outcome last) — the second half of :func:`relative_weights`, for callers that gather
    the correlations themselves (a pass over the rows in chunks: :mod:`csi.importance`).
    ``flat`` marks the constant columns (the outcome's last); ``n`` is recorded.

    >>> r = relative_weights_from_correlations(np.array([[1, 0, 0.6], [0, 1, 0.8], [0.6, 0.8, 1]]), np.zeros(3, bool), 4)
    >>> [round(v, 6) for v in r.raw], round(r.r2, 6)
    ([0.36, 0.64], 1.0)
    """
    p = corr.shape[0] - 1
    if flat[-1]:
        raise ValueError("the outcome has the same value in every row; nothing to explain")
    constant = flat[:-1]
    live = ~constant
    rxx = corr[:p, :p][np.ix_(live, live)]
    rxy = corr[:p, p][live]
    eigval, eigvec = np.linalg.eigh(rxx)
    eigval = np.clip(eigval, 0.0, None)
    keep = eigval > 1e-10 * eigval.max()
    root = np.sqrt(eigval)
    lam_half = (eigvec * root) @ eigvec.T
    inv_root = np.where(keep, 1.0 / np.where(keep, root, 1.0), 0.0)
    beta_live = (eigvec * inv_root) @ (eigvec.T @ rxy)
    eps_live = (lam_half**2) @ (beta_live**2)
    raw = np.zeros(p)
    beta = np.zeros(p)
    raw[live] = eps_live
    beta[live] = beta_live
    r2 = float(raw.sum())
    if not r2 > 1e-12:
        raise ValueError("the predictors explain none of the outcome (R² = 0); relative weights are undefined")
    return DriverResult(tuple(float(v) for v in raw / r2), tuple(float(v) for v in raw), r2, tuple(float(v) for v in beta),
                        tuple(bool(c) for c in constant), n)


def drivers_group_weights(group: Group, responses: Responses, model: Model, *, options: Mapping[str, Any] | None = None,
                          item_weights: Mapping[str, Sequence[float]] | None = None) -> GroupWeights:
    """Registry adapter: relative weights of ``group``'s children for the outcome index.

    x = the children's per-respondent scores (:func:`csi.weighting.data.child_scores`),
    y = each respondent's outcome index (mean of the answered outcome items). Respondents
    without an outcome answer are always left out; the ``policy`` option (``listwise``
    default, or ``mean``) handles missing child scores. Respondent weights are used.
    ``details``: ``r2``, ``raw`` (ε per child), ``beta``, ``n``, ``policy``, ``constant``
    and ``warnings``.

    Raises
    ------
    ModelError
        ``drivers-needs-outcome`` when the model has no outcome block.
    DataError
        ``too-few-respondents`` (fewer than children + 2 usable respondents),
        ``no-answers`` (nobody with an outcome has a score for a child),
        ``drivers-no-signal`` (constant outcome, or R² = 0).
    """
    opts = read_options(options, group)
    y_all = outcome_scores(responses, model)
    ids = [c.id for c in group.children]
    x_all = child_scores(group, responses, model, item_weights)
    x, n, keep = apply_policy(x_all, ids, group, "drivers", opts["policy"], rows=~np.isnan(y_all))
    y = y_all[keep]
    require_rows(n, len(ids) + 2, group, "drivers")
    w = None if getattr(responses, "weights", None) is None else np.asarray(responses.weights, dtype=float)[keep]
    try:
        r = relative_weights(x, y, weights=w)
    except ValueError as e:
        raise DataError(Issue("drivers-no-signal", f"group {group.id} ({group.name}), method drivers: {e}; use method fixed or ahp",
                              path=group.path)) from None
    constant = [i for i, c in zip(ids, r.constant, strict=True) if c]
    warnings = [f"group {group.id}: {', '.join(constant)} scored the same for every respondent; driver weight 0"] if constant else []
    details = {"r2": r.r2, "raw": dict(zip(ids, r.raw, strict=True)), "beta": dict(zip(ids, r.beta, strict=True)), "n": n,
               "policy": opts["policy"], "constant": constant, "outcome": "mean of the answered outcome items",
               "respondent_weights": "used" if w is not None else "none", "warnings": warnings}
    return GroupWeights(group.id, "drivers", r.weights, details)
