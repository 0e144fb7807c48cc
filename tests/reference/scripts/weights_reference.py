"""Reference values for entropy, CRITIC and Johnson's relative weights, computed outside the project.

Run in a separate virtualenv (never the project's):

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install pandas scipy statsmodels
    /tmp/refvenv/bin/python tests/reference/scripts/weights_reference.py

Each method is written here in a different formulation from csi's:

- entropy: min–max (or raw) columns handed to ``scipy.stats.entropy`` (which normalises them to
  shares and takes −Σ p ln p with 0 ln 0 = 0), divided by ln m;
- CRITIC: pandas ``DataFrame.std`` (ddof = 1) and ``DataFrame.corr``;
- relative weights: the orthogonal counterpart Z = U Vᵀ of the standardised predictors from
  their singular value decomposition (Johnson 2000, eq. 2–4), y regressed on Z with statsmodels
  OLS, Λ = corr(X, Z); with integer frequency weights, on the rows repeated.

Data: ``swiss.csv``, ``elsayed2017_entropy.csv``, ``tus2019_critic.csv`` and the per-respondent
block means of ``ecsi_satisfaction.csv`` rescaled to 0–100 (mean of a block's items × 10).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import entropy

DATA = Path(__file__).resolve().parents[2] / "data"
BLOCKS = ("imag", "expe", "qual", "val", "sat", "loy")


def entropy_weights(df: pd.DataFrame, minmax: bool = True) -> list[float]:
    x = (df - df.min()) / (df.max() - df.min()) if minmax else df
    e = np.array([entropy(x[c].to_numpy()) for c in x.columns]) / np.log(len(x))
    d = 1 - e
    return [float(v) for v in d / d.sum()]


def critic_weights(df: pd.DataFrame, cost: tuple[str, ...] = ()) -> tuple[list[float], list[float]]:
    z = (df - df.min()) / (df.max() - df.min())
    for c in cost:
        z[c] = 1 - z[c]
    sd = z.std(ddof=1)
    info = sd * (1 - z.corr()).sum()
    return [float(v) for v in info / info.sum()], [float(v) for v in sd]


def relative_weights(x: pd.DataFrame, y: pd.Series) -> tuple[list[float], float]:
    xs = ((x - x.mean()) / x.std(ddof=0)).to_numpy()
    u, _, vt = np.linalg.svd(xs, full_matrices=False)
    z = u @ vt * np.sqrt(len(x))  # orthonormal columns scaled to unit variance
    ys = (y - y.mean()) / y.std(ddof=0)
    beta = sm.OLS(ys.to_numpy(), sm.add_constant(z)).fit().params[1:]
    lam = np.corrcoef(np.column_stack([xs, z]), rowvar=False)[: x.shape[1], x.shape[1]:]
    eps = (lam**2) @ (beta**2)
    return [float(v) for v in eps], float(eps.sum())


def main() -> None:
    print(f"# numpy {np.__version__}, pandas {pd.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    els = pd.read_csv(DATA / "elsayed2017_entropy.csv")
    print("elsayed_ratio =", entropy_weights(els, minmax=False))
    print("elsayed_minmax =", entropy_weights(els, minmax=True))

    ecsi = pd.read_csv(DATA / "ecsi_satisfaction.csv")
    means = pd.DataFrame({b: ecsi[[c for c in ecsi.columns if c.startswith(b)]].mean(axis=1) * 10 for b in BLOCKS})
    print("ecsi_means_entropy_minmax =", entropy_weights(means))
    print("ecsi_means_entropy_ratio =", entropy_weights(means, minmax=False))
    print("ecsi_sat_entropy_minmax =", entropy_weights(ecsi[["sat1", "sat2", "sat3", "sat4"]].astype(float)))
    w, sd = critic_weights(means)
    print("ecsi_means_critic =", w)
    print("ecsi_means_critic_sd =", sd)

    tus = pd.read_csv(DATA / "tus2019_critic.csv").astype(float)
    print("tus_critic_benefit =", critic_weights(tus)[0])
    print("tus_critic_cost_c1 =", critic_weights(tus, cost=("C1",))[0])

    swiss = pd.read_csv(DATA / "swiss.csv")
    predictors = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]
    print("swiss_johnson =", relative_weights(swiss[predictors], swiss["Fertility"]))
    reps = 1 + np.arange(len(swiss)) % 3  # integer frequency weights 1, 2, 3, 1, 2, 3, ...
    expanded = swiss.loc[swiss.index.repeat(reps)]
    print("swiss_johnson_freq_weights =", relative_weights(expanded[predictors], expanded["Fertility"]))
    print("ecsi_means_johnson =", relative_weights(means[["imag", "expe", "qual", "val"]], means["sat"]))


if __name__ == "__main__":
    main()
