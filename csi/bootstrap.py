"""Vectorised bootstrap of weighted column sums.

Every score the engine reports is a smooth function of weighted column sums over
respondents (item sums Σ wᵢ xᵢⱼ and counts Σ wᵢ mᵢⱼ). A bootstrap replicate only changes
how often each respondent is counted, so B replicates are one (B × n) @ (n × q) matrix
product of resampling counts with the column matrix, done in chunks to bound memory.

- n ≤ ``MULTINOMIAL_MAX_N``: the classic nonparametric bootstrap (Efron & Tibshirani 1993):
  each replicate draws n respondents with replacement, i.e. multinomial counts.
- up to ``POISSON_MAX_N``: the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al.
  2012): each respondent gets an independent Poisson(1) count per replicate, which lets the
  work run in row chunks; asymptotically equivalent to the multinomial bootstrap.
- larger n: a Gaussian multiplier bootstrap. Under Poisson(1) counts cᵢ the replicate sums
  S = Σᵢ cᵢ wᵢ zᵢ have mean Σ wᵢ zᵢ and covariance Σ wᵢ² zᵢ zᵢᵀ; for large n they are
  jointly normal (central limit theorem), so replicates are drawn as S̄ + L e with L Lᵀ that
  covariance and e ~ N(0, I). It costs one q × q cross-product over the rows and O(q²) per
  replicate instead of O(n q) (Chernozhukov, Chetverikov & Kato 2013 on multiplier bootstraps).

>>> import numpy as np
>>> z = np.arange(12, dtype=float).reshape(6, 2)
>>> a = replicate_sums(z, np.ones(6), replicates=50, seed=3)
>>> b = replicate_sums(z, np.ones(6), replicates=50, seed=3)
>>> a.shape, bool((a == b).all())
((50, 2), True)
"""

from __future__ import annotations

import numpy as np

__all__ = ["replicate_sums", "bootstrap_kind", "MULTINOMIAL_MAX_N", "POISSON_MAX_N", "percentile_ci"]

MULTINOMIAL_MAX_N = 50_000
POISSON_MAX_N = 200_000
#: Cells of the count matrix held at once (B × rows): about 32 MB of float64.
_CHUNK_CELLS = 4_000_000


def bootstrap_kind(n: int) -> str:
    """Which bootstrap :func:`replicate_sums` uses for ``n`` respondents."""
    if n <= MULTINOMIAL_MAX_N:
        return "multinomial"
    return "poisson" if n <= POISSON_MAX_N else "gaussian"


def replicate_sums(z: np.ndarray, weights: np.ndarray, replicates: int, seed: int | None) -> np.ndarray:
    """Weighted column sums of ``z`` in each of ``replicates`` bootstrap replicates.

    Parameters
    ----------
    z : n × q array of finite values (missing values already replaced by 0 and counted in a
        separate indicator column).
    weights : respondent weights wᵢ (ones for an unweighted survey).
    replicates : B.
    seed : seed of ``np.random.default_rng``; the same seed gives the same replicates.

    Returns
    -------
    B × q array: row b holds Σᵢ cᵦᵢ wᵢ zᵢ for the resampling counts cᵦᵢ of replicate b.
    """
    rng = np.random.default_rng(seed)
    n, q = z.shape
    out = np.zeros((replicates, q))
    if n == 0 or replicates == 0:
        return out
    kind = bootstrap_kind(n)
    if kind == "gaussian":
        mean = weights @ z
        cov = (z * (weights**2)[:, None]).T @ z
        values, vectors = np.linalg.eigh(cov)  # indicator columns can be collinear: a PSD root, not Cholesky
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        return mean + rng.standard_normal((replicates, q)) @ root.T
    wz = z * weights[:, None]
    if kind == "multinomial":
        per_chunk = max(1, _CHUNK_CELLS // n)
        probs = np.full(n, 1.0 / n)
        for start in range(0, replicates, per_chunk):
            stop = min(replicates, start + per_chunk)
            counts = rng.multinomial(n, probs, size=stop - start).astype(np.float64)
            out[start:stop] = counts @ wz
    else:
        rows = max(1, _CHUNK_CELLS // replicates)
        for start in range(0, n, rows):
            stop = min(n, start + rows)
            counts = rng.poisson(1.0, size=(replicates, stop - start)).astype(np.float64)
            out += counts @ wz[start:stop]
    return out


def percentile_ci(replicates: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval (Efron & Tibshirani 1993, §13.3) of each column of ``replicates``."""
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.nanquantile(replicates, [tail, 1.0 - tail], axis=0)
    return lo, hi
