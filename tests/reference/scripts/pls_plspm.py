"""Reference values for PLS path modelling, computed with Python plspm 0.5.7 outside the project.

Run in a separate virtualenv (never the project's):

    python3 -m venv /tmp/plsvenv && /tmp/plsvenv/bin/pip install plspm==0.5.7
    /tmp/plsvenv/bin/python tests/reference/scripts/pls_plspm.py

Python plspm is a port of R plspm (Sanchez 2013) and uses the same algorithm and
convergence criterion (sum of squared differences of the absolute outer weights < 1e-6).
Cases, all mode A on tests/data/ecsi_satisfaction.csv:

- ``ecsi_<scheme>``: the ECSI model EXPE←IMAG; QUAL←EXPE; VAL←EXPE,QUAL;
  SAT←IMAG,EXPE,QUAL,VAL; LOY←IMAG,SAT, unscaled, path / centroid / factorial schemes;
- ``ecsi_path_scaled``: the same with every item standardised (R ``scaled = TRUE``: centre,
  divide by the standard deviation with divisor n). Python plspm's own ``scaled=True``
  divides by a different scale, so the items are standardised here and fitted unscaled,
  which is what R does;
- ``csi_model``: the inner model the csi ``pls`` adapter builds (every dimension → outcome):
  IMAG, EXPE, QUAL, VAL → SAT, with the items rescaled to 0–100 (x × 10), unscaled, path.

Prints outer weights, loadings, path coefficients, R², AVE (plspm's inner summary: mean squared
loading) and the first three respondents' LV scores at full precision (repr), and the SAT
index on 0–100: Σ (w/Σw) · mean(x) × 10.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plspm.config as c
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme

DATA = Path(__file__).resolve().parents[2] / "data" / "ecsi_satisfaction.csv"
PREFIX = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat", "LOY": "loy"}
ECSI = [("IMAG", "EXPE"), ("EXPE", "QUAL"), ("EXPE", "VAL"), ("QUAL", "VAL"), ("IMAG", "SAT"), ("EXPE", "SAT"),
        ("QUAL", "SAT"), ("VAL", "SAT"), ("IMAG", "LOY"), ("SAT", "LOY")]
CSI = [("IMAG", "SAT"), ("EXPE", "SAT"), ("QUAL", "SAT"), ("VAL", "SAT")]


def path_matrix(lvs: list[str], edges: list[tuple[str, str]]) -> pd.DataFrame:
    m = pd.DataFrame(0, index=lvs, columns=lvs)
    for src, dst in edges:
        m.loc[dst, src] = 1
    return m


def fit(data: pd.DataFrame, lvs: list[str], edges: list[tuple[str, str]], scheme: Scheme) -> dict:
    config = c.Config(path_matrix(lvs, edges), scaled=False)
    for lv in lvs:
        config.add_lv_with_columns_named(lv, Mode.A, data, PREFIX[lv])
    model = Plspm(data, config, scheme)
    outer = model.outer_model()
    paths = model.path_coefficients()
    summary = model.inner_summary()
    r2 = summary["r_squared"]
    scores = model.scores()
    return {
        "weights": {mv: float(outer.loc[mv, "weight"]) for mv in outer.index},
        "loadings": {mv: float(outer.loc[mv, "loading"]) for mv in outer.index},
        "paths": {f"{s}->{t}": float(paths.loc[t, s]) for s, t in edges},
        "r2": {lv: float(r2[lv]) for lv in lvs if path_matrix(lvs, edges).loc[lv].sum() > 0},
        "ave": {lv: float(summary.loc[lv, "ave"]) for lv in lvs},
        "scores_first_3": {lv: [float(v) for v in scores[lv].iloc[:3]] for lv in lvs},
    }


def main() -> None:
    raw = pd.read_csv(DATA).drop(columns=["gender"]).astype(float)
    lvs = list(PREFIX)
    cases = {f"ecsi_{s.name.lower()}": fit(raw, lvs, ECSI, s) for s in (Scheme.PATH, Scheme.CENTROID, Scheme.FACTORIAL)}
    standardised = (raw - raw.mean()) / raw.std(ddof=0)
    cases["ecsi_path_scaled"] = fit(standardised, lvs, ECSI, Scheme.PATH)
    cases["csi_model"] = fit(raw * 10, ["IMAG", "EXPE", "QUAL", "VAL", "SAT"], CSI, Scheme.PATH)
    import plspm

    print(f"# plspm {getattr(plspm, '__version__', '0.5.7')}, pandas {pd.__version__}, numpy {np.__version__}")
    for name, res in cases.items():
        print(f"{name} = {res!r}")
    sat = [f"sat{i}" for i in range(1, 5)]
    w = np.array([cases["ecsi_path"]["weights"][v] for v in sat])
    print("ecsi_path SAT index 0-100:", repr(float((w / w.sum()) @ raw[sat].mean().to_numpy() * 10)))


if __name__ == "__main__":
    main()
