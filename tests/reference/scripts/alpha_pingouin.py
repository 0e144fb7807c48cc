"""Reference values for Cronbach's alpha, computed with pingouin outside the project.

Run in a separate virtualenv (never the project's):

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install pingouin statsmodels pandas
    /tmp/refvenv/bin/python tests/reference/scripts/alpha_pingouin.py

pingouin.cronbach_alpha returns alpha at full precision but rounds its Feldt interval to
3 decimals. The full-precision interval printed here applies Feldt's formula, with
scipy.stats.f.isf as pingouin does, to pingouin's alpha; the script checks that it rounds to
pingouin's own 3-decimal interval. pingouin's listwise option keeps the pre-deletion n for the
interval, so intervals are always taken on the complete rows only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import scipy
from scipy.stats import f

DATA = Path(__file__).resolve().parents[2] / "data"


def feldt(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    df1, df2 = n - 1, (n - 1) * (k - 1)
    q = (1 - confidence) / 2
    return 1 - (1 - alpha) * f.isf(q, df1, df2), 1 - (1 - alpha) * f.isf(1 - q, df1, df2)


def report(label: str, data: pd.DataFrame, confidences=(0.95,)) -> None:
    print(f"{label}: n={data.shape[0]} k={data.shape[1]}")
    for conf in confidences:
        alpha, ci3 = pg.cronbach_alpha(data=data, ci=conf)
        lo, hi = feldt(alpha, *data.shape, confidence=conf)
        assert np.allclose([round(lo, 3), round(hi, 3)], ci3), (lo, hi, ci3)
        if conf == confidences[0]:
            print(f"  alpha   = {float(alpha)!r}")
        print(f"  ci{round(conf * 100)}    = ({float(lo)!r}, {float(hi)!r})   pingouin rounded: {ci3.tolist()}")


def main() -> None:
    print(f"pingouin {pg.__version__}, pandas {pd.__version__}, scipy {scipy.__version__}")

    # 1. pingouin's documented example (its bundled 'cronbach_alpha' data set, long format).
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    report("pingouin 'cronbach_alpha' data set", wide)

    # 2. tests/data/alpha_small.csv (synthetic, made by make_alpha_small.py).
    small = pd.read_csv(DATA / "alpha_small.csv")
    items = small[[c for c in small.columns if c.startswith("item")]]
    complete = items.dropna()
    report("alpha_small, complete rows", complete, confidences=(0.95, 0.90, 0.99))
    a_listwise, ci_listwise = pg.cronbach_alpha(data=items, nan_policy="listwise")
    print(
        f"  pingouin nan_policy='listwise' on all 20 rows: alpha = {float(a_listwise)!r},"
        f" ci {ci_listwise.tolist()} (interval uses n = 20, not the 17 complete rows)"
    )
    a_pairwise, _ = pg.cronbach_alpha(data=items, nan_policy="pairwise")
    print(f"  pingouin nan_policy='pairwise' (not our convention): alpha = {float(a_pairwise)!r}")

    # 3. Frequency weights: row i repeated weight_i times.
    keep = items.notna().all(axis=1)
    expanded = complete.loc[complete.index.repeat(small.loc[keep, "weight"])]
    a_w, _ = pg.cronbach_alpha(data=expanded)
    print(f"alpha_small, integer weights as repeated rows: n={len(expanded)}")
    print(f"  alpha   = {float(a_w)!r}")

    # 4. ECSI satisfaction block (plspm 'satisfaction' data, sat1-sat4).
    ecsi = pd.read_csv(DATA / "ecsi_satisfaction.csv")
    report("ECSI SAT block (sat1-sat4)", ecsi[["sat1", "sat2", "sat3", "sat4"]])


if __name__ == "__main__":
    main()
