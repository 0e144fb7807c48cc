"""Reference values for comparing periods (tests/test_compare.py), computed outside the project.

    /tmp/refvenv/bin/python tests/reference/scripts/compare_statsmodels.py

1. Two-period z tests of the worked case (scipy.stats.norm.sf), then Holm across the six tests
   of that comparison with statsmodels ``multipletests(method="holm")``.
2. Trend slopes by weighted least squares (weights 1/se²) with the covariance NOT scaled by the
   residual variance: numpy ``polyfit(t, y, 1, w=1/se, cov="unscaled")`` and statsmodels
   ``WLS(y, [1, t], weights=1/se**2).fit(cov_type="fixed scale")`` (normal p and interval).
"""

from __future__ import annotations

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

# the worked two-period case: (id, score P1, se P1, score P2, se P2), in comparison order
CASE = [
    ("overall", 77.0, 0.6, 75.0, 0.8),
    ("q", 80.0, 1.2, 83.0, 1.6),
    ("q1", 60.0, 1.5, 66.0, 2.0),
    ("q2", 70.0, 0.3, 70.5, 0.4),
    ("e", 85.0, 0.9, 80.0, 1.2),
    ("e1", 90.0, 1.8, 84.0, 2.4),
]

TRENDS = {
    "four": ([70.0, 72.0, 71.0, 75.0], [1.0, 2.0, 1.0, 2.0]),
    "three": ([77.563, 75.621, 74.2], [0.528, 0.613, 0.7]),
    "five": ([62.1, 70.7, 71.5, 73.9, 73.0], [0.83, 0.85, 1.1, 0.9, 1.4]),
}


def main() -> None:
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    ps = []
    for nid, s1, se1, s2, se2 in CASE:
        d = s2 - s1
        se = np.hypot(se1, se2)
        z = d / se
        p = 2 * norm.sf(abs(z))
        ps.append(p)
        print(f"{nid}: delta {d!r} se {se!r} z {z!r} p {p!r}")
    adj = multipletests(ps, method="holm")[1]
    print("holm:", [float(v) for v in adj])

    for name, (y, se) in TRENDS.items():
        y_, se_ = np.array(y), np.array(se)
        t = np.arange(len(y_), dtype=float)
        coef, cov = np.polyfit(t, y_, 1, w=1 / se_, cov="unscaled")
        res = sm.WLS(y_, sm.add_constant(t), weights=1 / se_**2).fit(cov_type="fixed scale")
        assert np.isclose(coef[0], res.params[1], rtol=0, atol=1e-12)
        assert np.isclose(np.sqrt(cov[0, 0]), res.bse[1], rtol=0, atol=1e-12)
        lo, hi = res.conf_int(alpha=0.05)[1]
        print(f"trend {name}: y {y} se {se}")
        print(f"  slope {float(res.params[1])!r} se {float(res.bse[1])!r} ci [{float(lo)!r}, {float(hi)!r}] "
              f"p {float(res.pvalues[1])!r} chi2 {float(res.ssr)!r} (polyfit slope {float(coef[0])!r} se {float(np.sqrt(cov[0, 0]))!r})")


if __name__ == "__main__":
    main()
