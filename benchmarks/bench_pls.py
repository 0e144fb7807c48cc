"""PLS path modelling on 50 000 respondents: csi's fit against Python plspm 0.5.7.

Six blocks of 4–5 items (five dimensions and an outcome), a seeded latent model, every
dimension → outcome, mode A, path scheme, unscaled. csi runs in this interpreter; Python
plspm needs pandas < 3, so it runs in its own interpreter, named by the environment variable
PLSPM_PYTHON (e.g. a venv made with ``pip install plspm==0.5.7 "pandas<3"``), timed there
on the same data (written once to a temporary .npy file). Runs alternate; medians are
printed with the ratio and the largest difference in outer weights.

    python benchmarks/bench_pls.py [--n 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZES = (5, 4, 5, 4, 5, 4)  # items per block; the last block is the outcome
NAMES = ("d1", "d2", "d3", "d4", "d5", "sat")

PLSPM_SCRIPT = r"""
import json, sys, time
import numpy as np, pandas as pd
import plspm.config as c
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme
x = np.load(sys.argv[1]); sizes = json.loads(sys.argv[2]); names = json.loads(sys.argv[3]); repeat = int(sys.argv[4])
cols = [f"{n}_{i}" for n, k in zip(names, sizes) for i in range(k)]
data = pd.DataFrame(x, columns=cols)
path = pd.DataFrame(0, index=names, columns=names)
for n in names[:-1]:
    path.loc[names[-1], n] = 1
times = []
for _ in range(repeat):
    t = time.perf_counter()
    config = c.Config(path, scaled=False)
    for n in names:
        config.add_lv_with_columns_named(n, Mode.A, data, n + "_")
    model = Plspm(data, config, Scheme.PATH)
    w = model.outer_model()["weight"]
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "weights": [float(w[col]) for col in cols]}))
"""


def make_data(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    dims = rng.normal(size=(n, len(SIZES) - 1)) @ np.linalg.cholesky(0.5 * np.eye(5) + 0.5).T
    sat = dims @ np.array([0.3, 0.25, 0.2, 0.15, 0.1]) + rng.normal(scale=0.6, size=n)
    latent = np.column_stack([dims, sat])
    blocks = []
    for j, k in enumerate(SIZES):
        load = rng.uniform(0.6, 0.9, size=k)
        raw = latent[:, [j]] * load + rng.normal(scale=0.7, size=(n, k))
        blocks.append(np.clip(np.round(raw * 1.1 + 3), 1, 5))
    return (np.hstack(blocks) - 1) / 4 * 100


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from csi.weighting.pls import pls_path

    x = make_data(args.n)
    bounds = np.cumsum([0, *SIZES])
    blocks = {name: x[:, bounds[i]:bounds[i + 1]] for i, name in enumerate(NAMES)}
    paths = [(d, "sat") for d in NAMES[:-1]]
    ours: list[float] = []
    theirs: list[float] = []
    other = os.environ.get("PLSPM_PYTHON")
    ref_weights = None
    with tempfile.TemporaryDirectory() as tmp:
        npy = Path(tmp) / "x.npy"
        np.save(npy, x)
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = pls_path(blocks, paths, scheme="path", scaled=False)
            ours.append(time.perf_counter() - t)
            if other:
                out = subprocess.run([other, "-c", PLSPM_SCRIPT, str(npy), json.dumps(SIZES), json.dumps(NAMES), "1"],
                                     capture_output=True, text=True, check=True)
                doc = json.loads(out.stdout)
                theirs.extend(doc["times"])
                ref_weights = doc["weights"]
    ours_w = np.concatenate([np.asarray(r.outer_weights[name]) for name in NAMES])
    print(f"PLS, {args.n} respondents × {sum(SIZES)} items in {len(SIZES)} blocks, path scheme, {args.repeat} runs")
    print(f"  csi pls_path     median {statistics.median(ours) * 1000:8.1f} ms   ({r.iterations} iterations)")
    if theirs:
        print(f"  Python plspm     median {statistics.median(theirs) * 1000:8.1f} ms")
        print(f"  ratio            {statistics.median(theirs) / statistics.median(ours):8.1f} × faster")
        print(f"  max |Δ outer weight| {np.max(np.abs(ours_w - np.asarray(ref_weights))):.2e}")
    else:
        print("  Python plspm: not measured (set PLSPM_PYTHON to an interpreter with plspm 0.5.7 and pandas < 3)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
