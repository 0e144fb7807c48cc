"""Write tests/data/alpha_small.csv: a small synthetic Likert data set for Cronbach's alpha.

20 respondents x 5 items on a 1-5 scale from a one-factor model (item = 3 + 0.9 t + e,
t ~ N(0, 1), e ~ N(0, 0.8^2), rounded and clipped to 1-5), three cells blanked to test
listwise deletion, and an integer frequency weight 1-3 per respondent.

Run once, outside the project (any Python with numpy):

    python tests/reference/scripts/make_alpha_small.py

The file is committed; re-running with the same numpy and seed reproduces it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20240611
N, K = 20, 5
OUT = Path(__file__).resolve().parents[2] / "data" / "alpha_small.csv"


def main() -> None:
    rng = np.random.default_rng(SEED)
    t = rng.normal(size=(N, 1))
    x = np.clip(np.rint(3 + 0.9 * t + rng.normal(scale=0.8, size=(N, K))), 1, 5)
    x[[3, 11, 17], [1, 4, 0]] = np.nan
    weights = rng.integers(1, 4, size=N)
    with OUT.open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["respondent", *[f"item{j + 1}" for j in range(K)], "weight"])
        for i in range(N):
            cells = ["" if np.isnan(v) else str(int(v)) for v in x[i]]
            w.writerow([i + 1, *cells, int(weights[i])])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
