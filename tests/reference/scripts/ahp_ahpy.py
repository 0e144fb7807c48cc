"""Reference AHP priorities for Saaty's (1990) house example from AHPy, outside the project.

    /tmp/refvenv/bin/pip install ahpy
    /tmp/refvenv/bin/python tests/reference/scripts/ahp_ahpy.py

AHPy finds the principal eigenvector by repeated squaring of the matrix (a different
algorithm from an eigen-decomposition), stopping when the rounded vector no longer changes;
precision=12 keeps 12 decimals. AHPy's consistency ratio uses other random-index tables
(Donegan & Dodd 1991 or Saaty 2005), so lambda_max, CI and CR (Saaty 1980 RI) are derived
here from AHPy's vector: lambda_max = mean_i (A w)_i / w_i, which is exact for an eigenvector.
"""

from __future__ import annotations

from fractions import Fraction

import ahpy
import numpy as np

CRITERIA = ["size", "transportation", "neighborhood", "age", "yard", "modern", "condition", "financing"]
# Saaty (1990), EJOR 48:9-26: pairwise comparisons of the criteria for buying a house.
HOUSE = [
    ["1", "5", "3", "7", "6", "6", "1/3", "1/4"],
    ["1/5", "1", "1/3", "5", "3", "3", "1/5", "1/7"],
    ["1/3", "3", "1", "6", "3", "4", "6", "1/5"],
    ["1/7", "1/5", "1/6", "1", "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", "3", "1", "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", "4", "2", "1", "1/5", "1/6"],
    ["3", "5", "1/6", "7", "5", "5", "1", "1/2"],
    ["4", "7", "5", "8", "6", "6", "2", "1"],
]
RI_SAATY_1980_N8 = 1.41


def main() -> None:
    print(f"ahpy {ahpy.__version__ if hasattr(ahpy, '__version__') else '(see pip show ahpy)'}")
    a = np.array([[float(Fraction(v)) for v in row] for row in HOUSE])
    n = len(a)
    comparisons = {(CRITERIA[i], CRITERIA[j]): a[i, j] for i in range(n) for j in range(i + 1, n)}
    c = ahpy.Compare("house", comparisons, precision=12)
    w = np.array([c.local_weights[k] for k in CRITERIA])
    lam = float(np.mean(a @ w / w))
    ci = (lam - n) / (n - 1)
    print("weights =", [float(v) for v in w])
    print(f"lambda_max = {lam!r}, CI = {ci!r}, CR (RI 1.41) = {ci / RI_SAATY_1980_N8!r}")


if __name__ == "__main__":
    main()
