r"""CRITIC weights (Criteria Importance Through Intercriteria Correlation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from csi.model import Group, Model
from csi.weighting import GroupWeights
from csi.weighting.data import apply_policy, child_scores, read_options, require_rows

if TYPE_CHECKING:
    from csi.responses import Responses

__all__ = ["CriticResult", "critic_weights", "critic_group_weights"]


@dataclass(frozen=True, slots=True)
class CriticResult:
    """CRITIC weights with each column's standard deviation and information content.

    ``sd`` is the standard deviation of the min–max normalised column (ddof = 1, or with
    respondent weights Σw − 1); ``information`` is :math:`C_j`. ``constant[j]`` marks a
    column with one value in every row (weight 0).
    """

    weights: tuple[float, ...]
    sd: tuple[float, ...]
    information: tuple[float, ...]
    constant: tuple[bool, ...] = ()
    n: int = 0


def _weighted_moments(z: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Column standard deviations (ddof 1 / Σw − 1) and the correlation matrix."""
    if w is None:
        centred = z - z.mean(axis=0)
        cross = centred.T @ centred
        dof = z.shape[0] - 1.0
    else:
        sw = w.sum()
        centred = z - (w @ z) / sw
        cross = (centred * w[:, None]).T @ centred
        dof = sw - 1.0
    var = np.clip(np.diag(cross), 0.0, None)
    sd = np.sqrt(var / dof) if dof > 0 else np.zeros_like(var)
    scale = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = cross / np.outer(scale, scale)
    return sd, np.clip(r, -1.0, 1.0)


def critic_weights(x: ArrayLike, cost: Sequence[bool] | None = None, weights: ArrayLike | None = None) -> CriticResult:
    r"""CRITIC weights of the columns of a complete matrix (Diakoulaki et al. 1995).

    Every column is min–max normalised in its direction of preference,

    .. math::

        z_{ij} = \frac{x_{ij} - \min_i x_{ij}}{\max_i x_{ij} - \min_i x_{ij}} \;\text{(benefit)},
        \qquad
        z_{ij} = \frac{\max_i x_{ij} - x_{ij}}{\max_i x_{ij} - \min_i x_{ij}} \;\text{(cost)},

    then each column's information is its contrast times its conflict with the others,

    .. math::

        C_j = \sigma_j \sum_{k=1}^{n} (1 - r_{jk}), \qquad w_j = \frac{C_j}{\sum_k C_k},

    with :math:`\sigma_j` the standard deviation of :math:`z_j` and :math:`r_{jk}` the
    Pearson correlation of :math:`z_j` and :math:`z_k`. ``sd`` is reported with ddof = 1;
    the choice does not affect the weights (a common factor of every :math:`C_j`).
    Respondent weights, when given, act as frequency weights in σ and r (scaling them all
    changes nothing).

    A constant column has no contrast and no defined correlation: it gets weight 0, is
    flagged in ``constant`` and is left out of the other columns' conflict sums. When no
    column has information (every :math:`C_j = 0`: all constant, or the non-constant
    columns perfectly correlated) the non-constant columns share the weight equally (all
    columns when every one is constant).

    Validated against Tuş & Aytaç Adalı (2019), whose 5 × 6 software-selection example gives
    0.157, 0.249, 0.168, 0.121, 0.154, 0.151. Those published weights are reproduced when
    every column is normalised in the benefit direction, including their cost criterion
    (price); normalising price as a cost column gives 0.184, 0.213, 0.142, 0.158, 0.168,
    0.134 instead (``tests/reference/REFERENCES.md``). Survey scores arrive here already in
    the benefit direction, so the adapter never passes ``cost``.

    Parameters
    ----------
    x : array_like, shape (m, n)
        Complete data (no NaN), at least 2 rows.
    cost : sequence of bool, optional
        True for a column where less is better.
    weights : array_like, shape (m,), optional
        Non-negative respondent weights.

    Returns
    -------
    CriticResult

    Raises
    ------
    ValueError
        If ``x`` is not 2-D, has fewer than 2 rows, holds NaN or infinity, or ``cost`` /
        ``weights`` have the wrong length or invalid values.

    References
    ----------
    .. [1] Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective
           weights in multiple criteria problems: the CRITIC method. *Computers & Operations
           Research* 22(7), 763–770.
    .. [2] Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS
           methods for the time and attendance software selection problem. *OPSEARCH*
           56(2), 528–538.

    Examples
    --------
    Three respondents; a and b move together (r = 1), c against them (r = −1 with both):
    every σ is 0.5, C = 0.5·(0 + 2), 0.5·(0 + 2), 0.5·(2 + 2):

    >>> r = critic_weights([[0, 0, 100], [50, 50, 50], [100, 100, 0]])
    >>> [round(v, 6) for v in r.weights], [round(v, 6) for v in r.information]
    ([0.25, 0.25, 0.5], [1.0, 1.0, 2.0])
    """
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (rows × columns), got shape {data.shape}")
    m, n = data.shape
    if m < 2:
        raise ValueError(f"CRITIC weights need at least 2 rows, got {m}")
    if not np.isfinite(data).all():
        raise ValueError("x must be complete and finite; apply a missing-data policy first")
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (m,) or not np.isfinite(w).all() or np.any(w < 0) or not w.sum() > 0:
            raise ValueError(f"weights must be {m} finite non-negative values with a positive sum")
    lo, hi = data.min(axis=0), data.max(axis=0)
    span = hi - lo
    constant = span <= 1e-12 * np.maximum(np.abs(hi), 1.0)
    z = (data - lo) / np.where(constant, 1.0, span)
    if cost is not None:
        flip = np.asarray(cost, dtype=bool)
        if flip.shape != (n,):
            raise ValueError(f"cost must have one flag per column ({n})")
        z[:, flip] = 1.0 - z[:, flip]
    z[:, constant] = 0.0
    sd, r = _weighted_moments(z, w)
    sd = np.where(constant, 0.0, sd)
    live = ~constant
    conflict = (1.0 - r[np.ix_(live, live)]).sum(axis=1)
    conflict = np.where(conflict < 1e-12, 0.0, conflict)  # perfectly correlated up to rounding
    info = np.zeros(n)
    info[live] = sd[live] * conflict
    total = info.sum()
    if total > 0:
        out = info / total
    else:
        share = live if live.any() else np.ones(n, dtype=bool)
        out = share / share.sum()
    return CriticResult(tuple(float(v) for v in out), tuple(float(v) for v in sd), tuple(float(v) for v in info),
                        tuple(bool(c) for c in constant), m)


def critic_group_weights(group: Group, responses: Responses, model: Model, *, options: Mapping[str, Any] | None = None,
                         item_weights: Mapping[str, Sequence[float]] | None = None) -> GroupWeights:
    """Registry adapter: CRITIC weights of ``group``'s children from their per-respondent scores.

    Children's scores come from :func:`csi.weighting.data.child_scores`, respondents by the
    ``policy`` option (``listwise`` default, or ``mean``); respondent weights are used as
    frequency weights. ``details``: ``policy``, ``n``, ``sd``, ``information``,
    ``constant`` (ids with weight 0) and ``warnings``.

    Raises
    ------
    DataError
        ``too-few-respondents`` when fewer than 3 respondents are usable (two points are
        always perfectly correlated), ``no-answers`` when nobody has a score for a child.
    """
    opts = read_options(options, group)
    ids = [c.id for c in group.children]
    scores, n, keep = apply_policy(child_scores(group, responses, model, item_weights), ids, group, "critic", opts["policy"])
    require_rows(n, 3, group, "critic")
    w = None if getattr(responses, "weights", None) is None else np.asarray(responses.weights, dtype=float)[keep]
    r = critic_weights(scores, weights=w)
    constant = [i for i, c in zip(ids, r.constant, strict=True) if c]
    warnings = []
    if constant:
        warnings.append(f"group {group.id}: {', '.join(constant)} scored the same for every respondent; "
                        "no information, CRITIC weight 0" if len(constant) < len(ids) else
                        f"group {group.id}: every child scored the same for every respondent; CRITIC weights are equal")
    details = {"policy": opts["policy"], "n": n, "sd": dict(zip(ids, r.sd, strict=True)),
               "information": dict(zip(ids, r.information, strict=True)), "constant": constant,
               "sd_ddof": 1, "respondent_weights": "used" if w is not None else "none", "warnings": warnings}
    return GroupWeights(group.id, "critic", r.weights, details)
