"""Many PLS fits at once: :func:`csi.weighting.pls.fit_moments` on a stack of covariance
matrices (bootstrap replicates), every step a batched numpy operation.

Each fit follows exactly the iteration of ``fit_moments`` — same start, same updates, same
stopping rule, its own iteration count: a fit that has converged is left as it is while the
others go on — so replicate r equals ``fit_moments(s[r], ...)`` up to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["fit_moments_batch", "inner_weights_batch"]


def inner_weights_batch(corr: np.ndarray, p: np.ndarray, scheme: str) -> np.ndarray:
    """Inner weights E[r, source, target] of the centroid, factorial or path scheme, for a
    stack of LV correlation matrices (R × k × k); ``p`` is the inner model P[target, source]."""
    adjacent = p + p.T
    if scheme == "centroid":
        return np.sign(corr * adjacent)
    if scheme == "factorial":
        return corr * adjacent
    e = np.zeros_like(corr)
    for k in range(p.shape[0]):
        pred = np.flatnonzero(p[k])
        if pred.size:
            e[:, pred, k] = np.linalg.solve(corr[:, pred][:, :, pred], corr[:, pred, k][:, :, None])[:, :, 0]
        follow = np.flatnonzero(p[:, k])
        if follow.size:
            e[:, follow, k] = corr[:, follow, k]
    return e


def fit_moments_batch(s: np.ndarray, sizes: Sequence[int], p: np.ndarray, scheme: str, tol: float, max_iter: int,
                      rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fit every covariance matrix of ``s`` (R × q × q, scaled as the fits want).

    Returns the outer weight matrices W (R × q × k, oriented, LVs of variance 1), the path
    coefficients (R × k × k), whether each fit converged (R) and whether it could be fitted
    at all (R; False where a regression's LVs are collinear or the numbers stopped being
    finite).

    Raises
    ------
    numpy.linalg.LinAlgError
        When a matrix of the stack is singular (the caller refits that stack one by one).
    """
    n_lv = len(sizes)
    block_of = np.repeat(np.arange(n_lv), sizes)
    mask = (block_of[:, None] == np.arange(n_lv)[None, :]).astype(float)
    r_count = s.shape[0]
    W = mask[None] / np.sqrt((mask[None] * (s @ mask)).sum(axis=1))[:, None, :]
    w_old = W.sum(axis=2)
    shrink = (rows - 1.0) / rows
    converged = np.zeros(r_count, dtype=bool)
    finite = np.ones(r_count, dtype=bool)
    active = np.arange(r_count)
    for _ in range(max_iter):
        if active.size == 0:
            break
        sa, wa = s[active], W[active]
        sw = sa @ wa
        cov = np.swapaxes(wa, 1, 2) @ sw
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        corr = cov / (sd[:, :, None] * sd[:, None, :])
        e = inner_weights_batch(corr, p, scheme)
        wn = mask[None] * (shrink[active, None, None] * (sw / sd[:, None, :]) @ e)
        w_new = wn.sum(axis=2)
        diff = np.sum((np.abs(w_old[active]) - np.abs(w_new)) ** 2, axis=1)
        W[active] = wn
        w_old[active] = w_new
        done = diff < tol
        broken = ~np.isfinite(diff)
        converged[active[done]] = True
        finite[active[broken]] = False
        active = active[~done & ~broken]

    sw = s @ W
    scale = np.sqrt((W * sw).sum(axis=1))
    W = W / scale[:, None, :]
    loads = sw / scale[:, None, :] / np.sqrt(np.diagonal(s, axis1=1, axis2=2))[:, :, None]
    loads = (loads * mask[None]).sum(axis=2)
    signs = np.sign(loads)
    orient = np.sign(np.stack([signs[:, block_of == b].sum(axis=1) for b in range(n_lv)], axis=1))
    orient[orient == 0] = -1.0
    W = W * orient[:, None, :]
    cov_lv = np.swapaxes(W, 1, 2) @ s @ W
    paths = np.zeros((r_count, n_lv, n_lv))
    for k in range(n_lv):
        pred = np.flatnonzero(p[k])
        if pred.size:
            paths[:, k, pred] = np.linalg.solve(cov_lv[:, pred][:, :, pred], cov_lv[:, pred, k][:, :, None])[:, :, 0]
    finite &= np.isfinite(paths).all(axis=(1, 2)) & np.isfinite(W).all(axis=(1, 2))
    return W, paths, converged, finite
