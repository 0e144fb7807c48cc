r"""Raking: respondent weights that reproduce known population margins.

Iterative proportional fitting (Deming & Stephan 1940): for each margin in turn, every
respondent's weight in category c is multiplied by Tᶜ / Sᶜ, the target share over the
current weighted share; sweeps repeat until every weighted share is within ``tol`` of its
target (default 1e-6) or ``max_iter`` sweeps (default 100) have run. Non-convergence is
reported, never hidden. Optional trimming caps weights at ``trim`` × the mean weight after each
sweep (the capped weights then rake again), which trades exact margins for stability.

The design effect of the weights is 1 + CV² (Kish 1965), with CV the coefficient of variation
of the weights (population SD over mean), and the effective sample size is
n / (1 + CV²) = (Σw)² / Σw².

Worked example (one margin = post-stratification): 3 men and 1 woman, target 50 : 50 →
men weigh 0.5/0.75 = 2/3, the woman 0.5/0.25 = 2 (weights then scaled to mean 1):

>>> r = rake([np.array(["m", "m", "m", "f"])], [{"m": 0.5, "f": 0.5}])
>>> [round(float(w), 4) for w in r.weights], r.converged, r.iterations
([0.6667, 0.6667, 0.6667, 2.0], True, 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["RakeResult", "rake", "design_effect"]


@dataclass(frozen=True, slots=True)
class RakeResult:
    """Raked weights (mean 1) and how the fit went."""

    weights: np.ndarray
    converged: bool
    iterations: int
    max_error: float
    design_effect: float
    effective_n: float
    trimmed: int


def design_effect(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weights, 1 + CV² = n Σw² / (Σw)².

    >>> design_effect(np.ones(5)), round(design_effect(np.array([1.0, 3.0])), 4)
    (1.0, 1.25)
    """
    w = np.asarray(weights, dtype=float)
    return float(w.size * (w**2).sum() / w.sum() ** 2) if w.size else float("nan")


def rake(categories: Sequence[np.ndarray], targets: Sequence[Mapping[str, float]], base: np.ndarray | None = None, *,
         tol: float = 1e-6, max_iter: int = 100, trim: float | None = None) -> RakeResult:
    """Rake ``base`` weights (ones when None) so each margin's weighted shares meet ``targets``.

    ``categories[m]`` holds every respondent's category on margin m (all of them must be keys of
    ``targets[m]``; the caller checks); ``targets[m]`` maps category → population share (sums to 1).
    """
    n = len(categories[0]) if categories else 0
    w = np.ones(n) if base is None else np.asarray(base, dtype=float).copy()
    codes = []
    for cats, target in zip(categories, targets, strict=True):
        keys = list(target)
        index = {k: i for i, k in enumerate(keys)}
        codes.append((np.array([index[str(c)] for c in cats]), np.array([float(target[k]) for k in keys])))
    trimmed = 0
    error = float("inf")
    sweeps = 0
    for sweeps in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        for code, share in codes:
            current = np.bincount(code, weights=w, minlength=share.size) / w.sum()
            factor = np.divide(share, current, out=np.zeros_like(share), where=current > 0)
            w = w * factor[code]
        if trim is not None:
            # capping lowers the mean, so cap again until no weight exceeds trim × the mean
            for _ in range(100):
                cap = trim * w.mean()
                over = w > cap * (1 + 1e-12)
                if not over.any():
                    break
                w = np.where(over, cap, w)
            trimmed = int((w >= trim * w.mean() * (1 - 1e-9)).sum())
        error = max((float(np.max(np.abs(np.bincount(code, weights=w, minlength=share.size) / w.sum() - share)))
                     for code, share in codes), default=0.0)
        if error < tol:
            break
    w = w / w.mean() if n else w
    deff = design_effect(w)
    return RakeResult(w, error < tol, sweeps, error, deff, n / deff if n else 0.0, trimmed)
