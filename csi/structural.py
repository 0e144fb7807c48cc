r"""Estimation of a model's structural (``paths:``) model: PLS path coefficients, effects,
impacts, construct indices and measurement quality, with bootstrap intervals.

The PLS algorithm is :func:`csi.weighting.pls.fit_moments` (mode A; path, centroid or
factorial scheme; stopping rule Σ(|w_old| − |w_new|)² < ``tol``, R plspm's rule, with
``tol`` 1e-10 unless ``paths.tol`` says otherwise (1e-6 stops where R plspm stops); at most 300
iterations). Items are the prepared 0–100 values of the respondents who answered every item
of the structural model (listwise deletion); respondent weights act as frequency weights.
Formulas and references: docs/structural.md.

- **Standardised or not.** ``scaled=True`` (the default) standardises every item first, as
  SmartPLS, seminr, cSEM and R plspm (``scaled = TRUE``) do; ``scaled=False`` only centres
  them, as R plspm with ``scaled = FALSE``. Path coefficients are standardised either way.
- **Construct index** (ACSI rule, Fornell et al. 1996): the outer weights on the items as
  given (:math:`w_j / s_j` when scaled) normalised to sum 1, applied to the items' mean
  0–100 values: :math:`I = \sum_j \tilde w_j \bar x_j`. The CSI is the satisfaction
  construct's index.
- **Total effects** :math:`T = (I - B)^{-1} - I` for the standardised path matrix B
  (B[target, source]); **unstandardised** total effects :math:`T^u_{ts} = T_{ts}\,
  \sigma_t / \sigma_s` with :math:`\sigma` the standard deviation of a construct's
  respondent-level index :math:`\sum_j \tilde w_j x_{ij}`; the **impact** of a driver is
  :math:`5\,T^u`: the change of the satisfaction index for a 5-point gain in the driver's
  index (the ACSI reporting convention, Fornell et al. 1996).
- **R²**, adjusted :math:`1 - (1-R^2)(n-1)/(n-k-1)` (k predictors); **f²** of predictor j:
  :math:`(R^2 - R^2_{(-j)})/(1 - R^2)` with :math:`R^2_{(-j)}` from the same construct scores
  without j (SmartPLS's definition); **VIF** of predictor j among a target's predictors:
  :math:`1/(1 - R^2_j)` regressing it on the others.
- **Bootstrap**: replicate b draws the respondents of the b-th ``rng.integers(0, n, size=n)``
  of ``np.random.default_rng(seed)`` over all n prepared respondents — the draws of the
  scores' multinomial bootstrap (:mod:`csi.bootstrap`) — and re-estimates the whole model on
  the drawn complete rows; above 50 000 respondents, as the scores do, the replicates' moment
  sums come from their normal approximation under Poisson(1) counts. Percentile intervals; standard
  errors the replicates' standard deviation (ddof 1), as the scores'; p-value
  :math:`2\min(\Pr^*(\theta^* \le 0), \Pr^*(\theta^* \ge 0))`, capped at 1.

References
----------
.. [1] Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J. & Bryant, B. E. (1996). The
       American Customer Satisfaction Index. *Journal of Marketing* 60(4), 7–18.
.. [2] Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M. & Lauro, C. (2005). PLS path
       modeling. *Computational Statistics & Data Analysis* 48, 159–205.
.. [3] Hair, J. F., Hult, G. T. M., Ringle, C. M. & Sarstedt, M. (2022). *A Primer on PLS-SEM*,
       3rd ed. Sage (f², VIF, adjusted R²).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csi.bootstrap import MULTINOMIAL_MAX_N, percentile_ci
from csi.errors import DataError, Issue
from csi.structural_figures import StructuralFit, structural_section
from csi.weighting.pls import SCHEMES, fit_moments
from csi.weighting.pls_batch import fit_moments_batch

if TYPE_CHECKING:
    from csi.model import Model
    from csi.responses import Responses

__all__ = ["estimate_structure", "structural_moments", "fit_structure", "StructuralFit", "IMPACT_POINTS"]

#: The gain in a driver's index an impact refers to (ACSI convention).
IMPACT_POINTS = 5.0
MAX_ITER = 300


def structural_moments(x: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean, covariance (divisor Σw) and the number of rows that count."""
    if w is None:
        mean = x.mean(axis=0)
        xc = x - mean
        return mean, xc.T @ xc / x.shape[0], float(x.shape[0])
    total = float(w.sum())
    mean = (w @ x) / total
    xc = x - mean
    return mean, (xc.T * w) @ xc / total, float(np.count_nonzero(w))


def fit_structure(mean: np.ndarray, cov: np.ndarray, rows: float, sizes: Sequence[int], inner: np.ndarray, scheme: str,
                  scaled: bool, tol: float) -> StructuralFit | str:
    """One PLS fit from the moments of the 0–100 items; a message when it cannot be fitted."""
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    if np.any(sd <= 1e-12):
        return "an item has the same value for every respondent used"
    scale = sd if scaled else np.ones_like(sd)
    fit = fit_moments(cov / np.outer(scale, scale), sizes, inner, scheme, tol, MAX_ITER, rows)
    if isinstance(fit, str):
        return fit
    big_w, loads, paths, r2, iterations, converged = fit
    k = len(sizes)
    block_of = np.repeat(np.arange(k), sizes)
    raw = big_w.sum(axis=1) / scale
    sums = np.bincount(block_of, weights=raw, minlength=k)
    norm = raw / sums[block_of]
    index = np.bincount(block_of, weights=norm * mean, minlength=k)
    # respondent-level index of construct l: Σ_j ñ_j x_ij; its covariance under cov
    n_mat = np.zeros((len(raw), k))
    n_mat[np.arange(len(raw)), block_of] = norm
    idx_cov = n_mat.T @ cov @ n_mat
    idx_sd = np.sqrt(np.diag(idx_cov))
    lv_corr = idx_cov / np.outer(idx_sd, idx_sd) * np.sign(np.outer(sums, sums))
    total = np.linalg.inv(np.eye(k) - paths) - np.eye(k)
    total_raw = total * np.outer(idx_sd, 1.0 / idx_sd) * np.sign(np.outer(sums, sums))
    return StructuralFit(paths, total, total_raw, norm, big_w.sum(axis=1), loads, r2, lv_corr, index, iterations, converged)


def _p_value(reps: np.ndarray) -> np.ndarray:
    """Two-sided percentile-bootstrap p-value of each column: 2 min(P*(θ* ≤ 0), P*(θ* ≥ 0))."""
    below = np.mean(reps <= 0, axis=0)
    above = np.mean(reps >= 0, axis=0)
    return np.minimum(1.0, 2.0 * np.minimum(below, above))


def _batch_statistics(mean: np.ndarray, cov: np.ndarray, rows: np.ndarray, sizes: Sequence[int], inner: np.ndarray,
                      scheme: str, scaled: bool, tol: float, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """The replicate statistics (rows) of a stack of moments, and which fits succeeded."""
    k = len(sizes)
    block_of = np.repeat(np.arange(k), sizes)
    mask = (block_of[:, None] == np.arange(k)[None, :]).astype(float)
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
    ok = (sd > 1e-12).all(axis=1) & (rows > 2)
    sd = np.where(sd > 1e-12, sd, 1.0)
    scale = sd if scaled else np.ones_like(sd)
    scaled_cov = cov / (scale[:, :, None] * scale[:, None, :])
    try:
        big_w, paths, converged, finite = fit_moments_batch(scaled_cov, sizes, inner, scheme, tol, MAX_ITER, rows)
    except np.linalg.LinAlgError:  # one singular replicate: fit the stack one by one
        return _one_by_one(mean, cov, rows, sizes, inner, scheme, scaled, tol, layout)
    ok &= converged & finite
    raw = big_w.sum(axis=2) / scale
    sums = raw @ mask
    norm = raw / sums[:, block_of]
    index = (norm * mean) @ mask
    n_mat = norm[:, :, None] * mask[None]
    idx_cov = np.swapaxes(n_mat, 1, 2) @ cov @ n_mat
    idx_sd = np.sqrt(np.diagonal(idx_cov, axis1=1, axis2=2))
    eye = np.eye(k)
    total = np.linalg.inv(eye[None] - paths) - eye[None]
    sign = np.sign(sums[:, :, None] * sums[:, None, :])
    total_raw = total * idx_sd[:, :, None] / idx_sd[:, None, :] * sign
    return layout.stack(paths, total, total_raw, norm, index), ok


def _one_by_one(mean: np.ndarray, cov: np.ndarray, rows: np.ndarray, sizes: Sequence[int], inner: np.ndarray, scheme: str,
                scaled: bool, tol: float, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    out = np.full((len(rows), layout.width), np.nan)
    ok = np.zeros(len(rows), dtype=bool)
    for r in range(len(rows)):
        fit = fit_structure(mean[r], cov[r], float(rows[r]), sizes, inner, scheme, scaled, tol) if rows[r] > 2 else "too few"
        if not isinstance(fit, str) and fit.converged:
            out[r] = layout.stack(fit.paths[None], fit.total[None], fit.total_raw[None], fit.weights[None], fit.index[None])[0]
            ok[r] = True
    return out, ok


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which statistics a replicate row holds: the arrows' paths (target, source), the
    lower-triangle total effects, the impacts on ``sat`` of ``drivers``, index weights, indices."""

    pairs: tuple[tuple[int, int], ...]
    sat: int
    drivers: tuple[int, ...]
    k: int
    q: int

    @property
    def width(self) -> int:
        return len(self.pairs) + self.k * (self.k - 1) // 2 + len(self.drivers) + self.q + self.k

    def stack(self, paths: np.ndarray, total: np.ndarray, total_raw: np.ndarray, weights: np.ndarray,
              index: np.ndarray) -> np.ndarray:
        t, s = zip(*self.pairs, strict=True)
        tri = np.tril_indices(self.k, -1)
        return np.concatenate([paths[:, list(t), list(s)], total[:, tri[0], tri[1]],
                               IMPACT_POINTS * total_raw[:, self.sat, list(self.drivers)], weights, index], axis=1)


def _replicate_sums(z: np.ndarray, keep: np.ndarray, wt: np.ndarray, replicates: int,
                    rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Chunks of replicate sums Σᵢ cᵢ zᵢ (z already weighted) and the rows that count in each.

    Up to ``MULTINOMIAL_MAX_N`` respondents: replicate b counts the respondents of the b-th
    ``rng.integers(0, n, size=n)`` over all n (the scores' draws); rows outside ``keep``
    are drawn but contribute nothing. Above it, as the scores do (:mod:`csi.bootstrap`), the
    sums are drawn from their normal approximation under independent Poisson(1) counts: mean
    Σᵢ zᵢ and covariance Σᵢ zᵢ zᵢᵀ (z already carries the respondent weight), one pass over
    the rows instead of one product per replicate.
    """
    n_all = keep.shape[0]
    if n_all <= MULTINOMIAL_MAX_N:
        chunk = max(1, min(replicates, 4_000_000 // max(n_all, 1), 500))
        done = 0
        while done < replicates:
            m = min(chunk, replicates - done)
            counts = np.empty((m, n_all))
            for r in range(m):
                counts[r] = np.bincount(rng.integers(0, n_all, size=n_all), minlength=n_all)
            c = counts[:, keep]
            yield c @ z, np.count_nonzero(c * wt[None, :], axis=1).astype(float)
            done += m
        return
    mean = z.sum(axis=0)
    cov = np.zeros((z.shape[1], z.shape[1]))
    for start in range(0, z.shape[0], 8192):
        part = z[start:start + 8192]
        cov += part.T @ part
    values, vectors = np.linalg.eigh(cov)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    rows = float(np.count_nonzero(wt))
    for start in range(0, replicates, 500):
        m = min(500, replicates - start)
        yield mean + rng.standard_normal((m, mean.size)) @ root.T, np.full(m, rows)


def _replicates(x_all: np.ndarray, keep: np.ndarray, w: np.ndarray | None, sizes: Sequence[int], inner: np.ndarray,
                scheme: str, scaled: bool, tol: float, replicates: int, seed: int | None,
                layout: _Layout) -> tuple[np.ndarray, int]:
    """The statistics of every replicate (rows, ``layout``) and the number of failed refits.

    Moments come from counts: with c the respondents' draw counts, Σ cᵢ wᵢ xᵢ and
    Σ cᵢ wᵢ xᵢ xᵢᵀ are one product of the count matrix with the rows' (centred) cross-products;
    the fits of a chunk of replicates run together (:func:`fit_moments_batch`).
    """
    x = x_all[keep]
    base = x.mean(axis=0)
    xc = x - base
    p = x.shape[1]
    iu = np.triu_indices(p)
    wt = np.ones(x.shape[0]) if w is None else w
    z = np.empty((x.shape[0], 1 + p + len(iu[0])))
    z[:, 0] = wt
    z[:, 1:1 + p] = xc * wt[:, None]
    z[:, 1 + p:] = xc[:, iu[0]] * xc[:, iu[1]] * wt[:, None]
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    failed = 0
    for sums, rows in _replicate_sums(z, keep, wt, replicates, rng):
        m = sums.shape[0]
        tot = np.where(sums[:, 0] > 0, sums[:, 0], 1.0)
        mu = sums[:, 1:1 + p] / tot[:, None]
        second = np.zeros((m, p, p))
        second[:, iu[0], iu[1]] = sums[:, 1 + p:] / tot[:, None]
        second = second + np.swapaxes(np.triu(second, 1), 1, 2)
        cov = second - mu[:, :, None] * mu[:, None, :]
        stats, ok = _batch_statistics(base + mu, cov, rows, sizes, inner, scheme, scaled, tol, layout)
        out.append(stats[ok])
        failed += int((~ok).sum())
    reps = np.concatenate(out) if out else np.empty((0, layout.width))
    return reps, failed


def estimate_structure(model: Model, responses: Responses, *, scheme: str | None = None, scaled: bool | None = None,
                       replicates: int = 0, seed: int | None = 0, confidence: float = 0.95) -> dict[str, Any]:
    """The ``structural`` section of a result (its fields: docs/structural.md).

    Raises
    ------
    DataError
        ``too-few-respondents`` (fewer complete respondents than constructs + 2, at least 3),
        ``pls-failed`` (an item without variance, collinear constructs),
        ``pls-not-converged``, ``negative-impact`` (a driver whose index lowers the
        satisfaction index, unless the model's root has ``allow_negative``).
    """
    st = model.structure
    assert st is not None, "estimate_structure needs a model with paths:"
    scheme = scheme or st.scheme
    scaled = st.scaled if scaled is None else bool(scaled)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}")
    ids = st.ids
    item_ids = [i for c in st.constructs for i in c.items]
    sizes = [len(c.items) for c in st.constructs]
    col = {item: j for j, item in enumerate(responses.item_ids)}
    x_all = np.asarray(responses.values, dtype=float)[:, [col[i] for i in item_ids]]
    keep = ~np.isnan(x_all).any(axis=1)
    w_all = None if responses.weights is None else np.asarray(responses.weights, dtype=float)
    w = None if w_all is None else w_all[keep]
    if w is not None:
        keep &= w_all > 0
        w = w_all[keep]
    n = int(keep.sum())
    need = max(3, len(ids) + 2)
    if n < need:
        raise DataError(Issue("too-few-respondents", f"paths: {n} respondents answered every item of the structural model, "
                              f"at least {need} needed", path="paths"))
    inner = np.zeros((len(ids), len(ids)))
    for s, t in st.arrows:
        inner[ids.index(t), ids.index(s)] = 1.0
    mean, cov, rows = structural_moments(x_all[keep], w)
    fit = fit_structure(mean, cov, rows, sizes, inner, scheme, scaled, st.tol)
    if isinstance(fit, str):
        raise DataError(Issue("pls-failed", f"paths: {fit}", path="paths"))
    if not fit.converged:
        raise DataError(Issue("pls-not-converged", f"paths: the PLS iteration did not converge in {MAX_ITER} iterations "
                              f"(scheme {scheme}); try --scheme centroid", path="paths"))
    sat = ids.index(st.satisfaction)
    negative = [ids[j] for j in range(len(ids)) if j != sat and fit.total_raw[sat, j] < 0]
    allowed = bool(dict(model.root.options).get("allow_negative", False))
    if negative and not allowed:
        raise DataError(Issue("negative-impact", f"paths: raising the index of {', '.join(negative)} lowers the "
                              f"satisfaction index {st.satisfaction!r} (negative total effect); check the items' "
                              "direction (reverse: true) and the arrows, or pass --allow-negative to report it as it is",
                              path="paths"))

    boot = None
    if replicates > 0:
        layout = _Layout(tuple((ids.index(t), ids.index(s)) for s, t in st.arrows), sat,
                         tuple(j for j in range(len(ids)) if j != sat and fit.total[sat, j] != 0), len(ids), len(item_ids))
        reps, failed = _replicates(x_all, keep, w, sizes, inner, scheme, scaled, st.tol, replicates, seed, layout)
        boot = {"reps": reps, "failed": failed, "confidence": confidence,
                "lo_hi": percentile_ci(reps, confidence) if reps.size else None, "p": _p_value(reps) if reps.size else None,
                "se": reps.std(axis=0, ddof=1) if reps.shape[0] >= 2 else None}
    corr = cov / np.outer(np.sqrt(np.diag(cov)), np.sqrt(np.diag(cov)))
    section = structural_section(model, fit, mean, cov, corr, n, sizes, scheme, scaled, st.tol, boot)
    section["warnings"] = [f"{c}: negative total effect on {st.satisfaction} (reported as it is, --allow-negative)"
                           for c in negative]
    return section
