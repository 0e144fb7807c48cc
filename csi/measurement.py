r"""Quality of a PLS measurement model: reliability, convergent and discriminant validity.

Every function works on moments (an item covariance or correlation matrix and the blocks'
item counts), never on the rows, so the bootstrap can reuse them.

Thresholds flagged by :func:`measurement_flags` are the usual ones (Hair et al. 2022 [1]_,
ch. 4; GB/T 19038-2009 Annex C asks for reliability and validity evidence): ρC < 0.70,
AVE < 0.50, HTMT > 0.85 (conservative) or > 0.90 (liberal; Henseler et al. 2015 [2]_), and
the Fornell–Larcker criterion (√AVE below a correlation with another construct).

References
----------
.. [1] Hair, J. F., Hult, G. T. M., Ringle, C. M. & Sarstedt, M. (2022). *A Primer on Partial
       Least Squares Structural Equation Modeling (PLS-SEM)*, 3rd ed. Sage.
.. [2] Henseler, J., Ringle, C. M. & Sarstedt, M. (2015). A new criterion for assessing
       discriminant validity in variance-based structural equation modeling. *Journal of the
       Academy of Marketing Science* 43, 115–135.
.. [3] Dijkstra, T. K. & Henseler, J. (2015). Consistent partial least squares path modeling.
       *MIS Quarterly* 39(2), 297–316.
.. [4] Fornell, C. & Larcker, D. F. (1981). Evaluating structural equation models with
       unobservable variables and measurement error. *Journal of Marketing Research* 18, 39–50.
.. [5] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       *Psychometrika* 16, 297–334.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["alpha", "rho_a", "rho_c", "ave", "htmt", "fornell_larcker", "HTMT_STRICT", "HTMT_LIBERAL", "AVE_MIN", "RHO_C_MIN"]

HTMT_STRICT = 0.85
HTMT_LIBERAL = 0.90
AVE_MIN = 0.50
RHO_C_MIN = 0.70


def alpha(cov: np.ndarray) -> float:
    r"""Cronbach's α of one block from its item covariance (raw α) or correlation matrix
    (standardised α): :math:`\alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\mathbf 1^\top C \mathbf 1}\right)`.
    NaN for a single item.

    Three items with unit variances and all correlations ½: 1ᵀC1 = 3 + 6·½ = 6, tr C = 3,
    α = 3/2 · (1 − 3/6) = 0.75:

    >>> alpha(np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]))
    0.75
    """
    k = cov.shape[0]
    if k < 2:
        return float("nan")
    return float(k / (k - 1) * (1.0 - np.trace(cov) / cov.sum()))


def rho_a(corr: np.ndarray, w: np.ndarray) -> float:
    r"""Dijkstra–Henseler's ρA [3]_ of one block from its item correlations ``corr`` and its
    weights ``w`` on the standardised items (rescaled here so the composite has variance 1):

    .. math:: \rho_A = (w^\top w)^2 \,
              \frac{w^\top (S - \operatorname{diag} S)\, w}{w^\top (w w^\top - \operatorname{diag}(w w^\top))\, w}

    NaN for a single item. Three items with equal weights and correlations ½: w = 1/√6 each,
    wᵀw = ½, wᵀ(S − I)w = 6·½/6 = ½, wᵀ(wwᵀ − diag)w = 6/36 = 1/6: ρA = ¼ · ½ · 6 = 0.75.

    >>> round(rho_a(np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]), np.ones(3)), 12)
    0.75
    """
    if corr.shape[0] < 2:
        return float("nan")
    w = w / np.sqrt(w @ corr @ w)
    ww = np.outer(w, w)
    num = w @ (corr - np.diag(np.diag(corr))) @ w
    den = w @ (ww - np.diag(np.diag(ww))) @ w
    return float((w @ w) ** 2 * num / den)


def rho_c(loadings: np.ndarray) -> float:
    r"""Composite reliability :math:`\rho_C = (\sum\lambda)^2 / ((\sum\lambda)^2 + \sum(1-\lambda^2))`."""
    num = float(np.sum(loadings)) ** 2
    return num / (num + float(np.sum(1.0 - loadings**2)))


def ave(loadings: np.ndarray) -> float:
    r"""Average variance extracted :math:`\sum \lambda^2 / k` (Fornell & Larcker 1981 [4]_)."""
    return float(np.mean(loadings**2))


def htmt(corr: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    r"""Heterotrait–monotrait ratio [2]_ of every pair of blocks from the item correlations:
    the mean correlation between the items of blocks i and j over the geometric mean of the
    blocks' mean within-block correlations. NaN where a block has one item (no monotrait
    correlation) and on the diagonal.

    Two blocks of two items, within-block correlations 0.8 and 0.5, between 0.4:
    0.4 / √(0.8 · 0.5) = 0.632456:

    >>> c = np.array([[1, .8, .4, .4], [.8, 1, .4, .4], [.4, .4, 1, .5], [.4, .4, .5, 1]])
    >>> round(float(htmt(c, [2, 2])[0, 1]), 6)
    0.632456
    """
    bounds = np.cumsum([0, *sizes])
    b = len(sizes)
    mono = np.full(b, np.nan)
    for i in range(b):
        block = corr[bounds[i]:bounds[i + 1], bounds[i]:bounds[i + 1]]
        k = block.shape[0]
        if k > 1:
            mono[i] = (block.sum() - np.trace(block)) / (k * (k - 1))
    out = np.full((b, b), np.nan)
    for i in range(b):
        for j in range(b):
            if i != j:
                hetero = corr[bounds[i]:bounds[i + 1], bounds[j]:bounds[j + 1]].mean()
                out[i, j] = hetero / np.sqrt(mono[i] * mono[j])
    return out


def fornell_larcker(lv_corr: np.ndarray, aves: np.ndarray) -> np.ndarray:
    """The Fornell–Larcker matrix [4]_: √AVE on the diagonal, construct correlations elsewhere."""
    out = np.array(lv_corr, dtype=float)
    np.fill_diagonal(out, np.sqrt(aves))
    return out
