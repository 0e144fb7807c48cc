"""Analytic Hierarchy Process weights from a pairwise-comparison matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["AhpResult", "ahp_weights", "RANDOM_INDEX_SAATY_1980"]

#: Saaty's (1980) random consistency index RI for n = 1 … 10.
RANDOM_INDEX_SAATY_1980 = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


@dataclass(frozen=True, slots=True)
class AhpResult:
    """Weights and consistency of one AHP matrix."""

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float
    ri: float
    n: int
    ri_table: str = "saaty1980"


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    r"""Principal-eigenvector weights and consistency of a reciprocal matrix.

    The weights are the principal right eigenvector :math:`w` of :math:`A`,
    :math:`A w = \lambda_{max} w`, normalised to :math:`\sum w = 1`. Consistency:

    .. math:: CI = \frac{\lambda_{max} - n}{n - 1}, \qquad CR = \frac{CI}{RI(n)}

    with :math:`RI(n)` Saaty's (1980) random index (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
    1.45, 1.49 for n = 1 … 10). For n ≤ 2 every reciprocal matrix is consistent: CI = CR = 0.
    Beyond n = 10 the n = 10 index is used.

    Validated against Saaty (1990), the house example: λmax 9.669, CI 0.238, CR 0.169.

    Parameters
    ----------
    matrix : n × n positive reciprocal matrix, ``a[i][j]`` = importance of i over j.

    References
    ----------
    1. Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    2. Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
       *European Journal of Operational Research* 48, 9–26.

    Examples
    --------
    >>> r = ahp_weights([[1, 3], [1/3, 1]])
    >>> [round(w, 4) for w in r.weights], r.cr
    ([0.75, 0.25], 0.0)
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if n == 1:
        return AhpResult((1.0,), 1.0, 0.0, 0.0, 0.0, 1)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    vec = np.abs(vectors[:, k].real)  # Perron vector: one sign; abs removes the arbitrary sign
    weights = vec / vec.sum()
    ri = RANDOM_INDEX_SAATY_1980[min(n, 10) - 1]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    return AhpResult(tuple(float(w) for w in weights), lam, float(ci), float(cr), ri, n)
