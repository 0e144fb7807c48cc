"""Cochran (1977) sample sizes and margins at full precision, outside the project.

    /tmp/refvenv/bin/python tests/reference/scripts/cochran_scipy.py

z from scipy.stats.norm.ppf; formulas as in docs/methods.md#sample-size (Cochran 1977, section 4.4):
n0 = z^2 p (1 - p) / e^2, n = n0 / (1 + (n0 - 1) / N), e = z sqrt(p (1 - p) / n) sqrt((N - n) / (N - 1)).
The rounded textbook values (384.15 -> 385, N = 1000: 277.73 -> 278, +-3 %: 1068) come from
docs/methods.md#sample-size; this script only adds the digits.
"""

from __future__ import annotations

import math

import scipy
from scipy.stats import norm


def main() -> None:
    print(f"scipy {scipy.__version__}")
    z = float(norm.ppf(0.975))
    print(f"z(0.975) = {z!r}")
    for margin, population in ((0.05, None), (0.05, 1000), (0.03, None)):
        n0 = z**2 * 0.25 / margin**2
        n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
        print(f"margin {margin}, N {population}: n0 = {n0!r}, n = {n!r} -> {math.ceil(n)}")
    for n, population in ((385, None), (278, 1000)):
        e = z * math.sqrt(0.25 / n)
        if population is not None:
            e *= math.sqrt((population - n) / (population - 1))
        print(f"margin_of_error(n={n}, N={population}) = {e!r}")


if __name__ == "__main__":
    main()
