"""Reference Holm (1979) adjusted p-values from statsmodels and pingouin, outside the project.

    /tmp/refvenv/bin/python tests/reference/scripts/holm_statsmodels.py

statsmodels.stats.multitest.multipletests(p, method="holm") for vectors without NaN;
pingouin.multicomp(p, method="holm"), which leaves NaN out of the adjustment, for the vector
with NaN (and, as a cross-check, for the others too).
"""

from __future__ import annotations

import numpy as np
import pingouin as pg
import statsmodels
from statsmodels.stats.multitest import multipletests

VECTORS = {
    "unsorted": [0.01, 0.04, 0.03, 0.005],
    "ties": [0.02, 0.01, 0.02, 0.04, 0.02, 0.3],
    "near_one": [0.999, 0.3, 0.001, 0.01],
    "capped": [0.26, 0.999, 0.5, 1.0],
    "ten": [0.021, 0.001, 0.017, 0.041, 0.005, 0.036, 0.042, 0.023, 0.07, 0.1],
}
WITH_NAN = [0.04, np.nan, 0.001, 0.03, np.nan, 0.5]


def main() -> None:
    print(f"statsmodels {statsmodels.__version__}, pingouin {pg.__version__}")
    for name, p in VECTORS.items():
        adj = multipletests(p, method="holm")[1]
        _, adj_pg = pg.multicomp(p, method="holm")
        assert np.allclose(adj, adj_pg, rtol=0, atol=1e-15)
        print(f"{name}: p = {p}")
        print(f"  holm = {[float(v) for v in adj]}")
    _, adj = pg.multicomp(WITH_NAN, method="holm")
    finite = [v for v in WITH_NAN if not np.isnan(v)]
    assert np.allclose(adj[~np.isnan(adj)], multipletests(finite, method="holm")[1])
    print(f"with_nan (pingouin): p = {WITH_NAN}")
    print(f"  holm = {[float(v) for v in adj]}")


if __name__ == "__main__":
    main()
