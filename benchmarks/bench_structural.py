"""The full ECSI structural model with B = 1000 bootstrap replicates, on 250 and 50 000 rows.

Data: the public mobile-phone ECSI data (tests/data/ecsi_mobi.csv, 250 × 24) and 50 000 rows
drawn from it with replacement (seeded) plus a uniform jitter of ±0.5 on every answer, so no
two rows repeat exactly; model tests/data/ecsi_mobi.yaml (7 constructs, 12 paths), path
scheme, standardised items. Timed:

- the estimation in one process (``csi.structural.estimate_structure`` on prepared
  responses, B = 1000, BLAS on one thread as inside ``csi score``), wall clock and CPU,
  median of ``--repeat`` runs;
- a whole ``csi score FILE --model … -B 1000 -f json`` process (start-up, reading, the
  index's own bootstrap and the structural one), median of ``--repeat`` runs.

    python benchmarks/bench_structural.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ecsi_mobi.csv"
MODEL = ROOT / "tests" / "data" / "ecsi_mobi.yaml"


def big_data(n: int, seed: int = 0) -> pd.DataFrame:
    raw = pd.read_csv(DATA)
    rng = np.random.default_rng(seed)
    rows = raw.to_numpy(float)[rng.integers(0, len(raw), size=n)]
    rows = np.clip(rows + rng.uniform(-0.5, 0.5, size=rows.shape), 1, 10)
    return pd.DataFrame(np.round(rows, 3), columns=raw.columns)


def time_engine(path: Path, repeat: int) -> tuple[list[float], list[float], dict]:
    from csi.api import score_export
    from csi.bootstrap import one_blas_thread
    from csi.model import load_model
    from csi.options import ScoreOptions
    from csi.structural import estimate_structure

    model = load_model(MODEL)
    responses = score_export(path, model, ScoreOptions(bootstrap=0)).responses
    walls, cpus = [], []
    section: dict = {}
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        with one_blas_thread():  # as inside csi score
            section = estimate_structure(model, responses, replicates=1000, seed=0)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return walls, cpus, section


def time_command(path: Path, repeat: int) -> list[float]:
    csi = Path(sys.executable).with_name("csi")
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([str(csi), "score", str(path), "--model", str(MODEL), "-B", "1000", "-f", "json"], check=True,
                       stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "ecsi_50k.csv"
        big_data(50_000).to_csv(big, index=False)
        for label, path in (("250 rows", DATA), ("50 000 rows", big)):
            walls, cpus, section = time_engine(path, args.repeat)
            cmd = time_command(path, args.repeat)
            print(f"{label}: estimation B=1000 median {statistics.median(walls):.3f} s wall, "
                  f"{statistics.median(cpus):.3f} s cpu (runs {', '.join(f'{w:.3f}' for w in walls)}); "
                  f"csi score -B 1000 median {statistics.median(cmd):.2f} s (runs {', '.join(f'{w:.2f}' for w in cmd)}); "
                  f"CSI {section['csi']:.3f}, replicates {section['bootstrap']['replicates']}, failed {section['bootstrap']['failed']}")
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; numpy {np.__version__}; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
