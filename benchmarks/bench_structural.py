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

With ``--seminr``, instead: csi's estimation (as above) against R seminr's ``estimate_pls`` +
``bootstrap_model`` on the same files and model (benchmarks/seminr_bootstrap.R), runs alternating,
``--repeat`` of each. seminr first fits the 250 rows once so its path coefficients can be set
against csi's (the two must fit the same model). Its bootstrap runs in a PSOCK cluster of
``--cores`` worker processes, which outlive the shell that starts them: this process makes itself
their child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``) and adds every reaped descendant's CPU
time (``os.wait4``) to the R process's own, minus what R had spent before estimating (start-up,
reading the CSV). ``--seminr-b 1000,100`` sets seminr's B at 250 and at 50 000 rows: a B below
1000 is scaled to 1000 from a second, smaller B (``--seminr-b-small``) by the per-replicate slope,
t(1000) = t(B) + (1000 − B) · (t(B) − t(b)) / (B − b), the fixed part being the cluster's start
and the export of the data to it.

    python benchmarks/bench_structural.py [--repeat 3]
    python benchmarks/bench_structural.py --seminr [--repeat 3] [--cores 1] [--seminr-b 1000,100]
"""

from __future__ import annotations

import argparse
import ctypes
import json
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


def prepared(path: Path):
    """The model and the prepared responses of ``path`` (reading is not timed)."""
    from csi.api import score_export
    from csi.model import load_model
    from csi.options import ScoreOptions

    model = load_model(MODEL)
    return model, score_export(path, model, ScoreOptions(bootstrap=0)).responses


def engine_once(model, responses, replicates: int = 1000) -> tuple[float, float, dict]:
    """One structural estimation with B replicates: wall seconds, CPU seconds, the section."""
    from csi.bootstrap import one_blas_thread
    from csi.structural import estimate_structure

    t, c = time.perf_counter(), time.process_time()
    with one_blas_thread():  # as inside csi score
        section = estimate_structure(model, responses, replicates=replicates, seed=0)
    return time.perf_counter() - t, time.process_time() - c, section


def time_engine(path: Path, repeat: int) -> tuple[list[float], list[float], dict]:
    model, responses = prepared(path)
    walls, cpus = [], []
    section: dict = {}
    for _ in range(repeat):
        wall, cpu, section = engine_once(model, responses)
        walls.append(wall)
        cpus.append(cpu)
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


# ----------------------------------------------------------------------------- seminr

SEMINR_SCRIPT = ROOT / "benchmarks" / "seminr_bootstrap.R"
#: seminr's construct names → the ids of tests/data/ecsi_mobi.yaml
SEMINR_IDS = {"Image": "image", "Expectation": "expectation", "Quality": "quality", "Value": "value",
              "Satisfaction": "outcome", "Complaints": "complaints", "Loyalty": "loyalty"}


def become_subreaper() -> None:
    """Orphaned descendants (seminr's cluster workers) are re-parented to this process."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def seminr_once(path: Path, nboot: int, cores: int, tmp: Path) -> dict:
    """One Rscript run: its report, plus ``wall`` (estimate + bootstrap, as R timed them) and
    ``cpu`` (R and every worker it started, less R's own CPU before the estimation)."""
    out = tmp / "seminr.json"
    proc = subprocess.Popen(["Rscript", str(SEMINR_SCRIPT), str(path), str(nboot), str(cores), "0", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    cpu = usage.ru_utime + usage.ru_stime
    while True:  # the cluster's workers, orphaned when the shell that launched them exited
        try:
            _, _, worker = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += worker.ru_utime + worker.ru_stime
    if proc.returncode != 0:
        raise RuntimeError(f"seminr_bootstrap.R failed ({proc.returncode}): {stderr[-2000:]}")
    report = json.loads(out.read_text())
    report["wall"] = report["estimate_wall"] + report["bootstrap_wall"]
    report["cpu"] = cpu - report["cpu_before"]
    return report


def check_same_fit(report: dict, section: dict) -> float:
    """Largest |seminr − csi| over the path coefficients; every path must be in both."""
    ours = {(p["from"], p["to"]): p["coefficient"] for p in section["paths"]}
    theirs = {(SEMINR_IDS[p["from"]], SEMINR_IDS[p["to"]]): p["value"] for p in report["paths"]}
    if ours.keys() != theirs.keys():
        raise RuntimeError(f"different paths: csi {sorted(ours)}, seminr {sorted(theirs)}")
    return max(abs(ours[k] - theirs[k]) for k in ours)


def scaled_to(target: int, big: dict, small: dict) -> tuple[float, float, float, float]:
    """Wall and CPU of a B = ``target`` run from runs at two smaller B, linear in B; the slopes
    (wall and CPU seconds per replicate) too."""
    b, a = big["nboot"], small["nboot"]
    slope_wall = (big["bootstrap_wall"] - small["bootstrap_wall"]) / (b - a)
    slope_cpu = (big["cpu"] - small["cpu"]) / (b - a)
    return big["wall"] + (target - b) * slope_wall, big["cpu"] + (target - b) * slope_cpu, slope_wall, slope_cpu


def fmt(values: list[float], digits: int = 2) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def compare_seminr(args: argparse.Namespace, files: list[tuple[str, Path]], tmp: Path) -> None:
    become_subreaper()
    model, responses = prepared(DATA)
    _, _, section = engine_once(model, responses, replicates=0)
    fit = seminr_once(DATA, 0, args.cores, tmp)
    print(f"seminr {fit['seminr']}, lavaan {fit['lavaan']}, {fit['r']}, BLAS {fit['blas']}")
    print(f"same fit: 250 rows, path scheme: largest |seminr - csi| path difference {check_same_fit(fit, section):.2e} "
          f"(seminr {fit['iterations']} iterations, stop criterion 1e-7)")
    targets = [int(b) for b in args.seminr_b.split(",")]
    for (label, path), nboot in zip(files, targets, strict=True):
        model, responses = prepared(path)
        csi_wall, csi_cpu, r_wall, r_cpu, slopes = [], [], [], [], []
        for _ in range(args.repeat):
            wall, cpu, section = engine_once(model, responses)
            csi_wall.append(wall)
            csi_cpu.append(cpu)
            run = seminr_once(path, nboot, args.cores, tmp)
            if nboot < 1000:
                small = seminr_once(path, args.seminr_b_small, args.cores, tmp)
                wall, cpu, slope, slope_cpu = scaled_to(1000, run, small)
                slopes.append(slope_cpu)
                print(f"  {label}: seminr B={nboot} {run['wall']:.1f} s wall, {run['cpu']:.1f} s cpu; "
                      f"B={small['nboot']} {small['wall']:.1f} s wall, {small['cpu']:.1f} s cpu; "
                      f"per replicate {slope:.3f} s wall, {slope_cpu:.3f} s cpu", flush=True)
                run = {**run, "wall": wall, "cpu": cpu}
            else:
                print(f"  {label}: seminr B={nboot} {run['wall']:.1f} s wall, {run['cpu']:.1f} s cpu, "
                      f"kept {run['kept']}", flush=True)
            r_wall.append(run["wall"])
            r_cpu.append(run["cpu"])
            print(f"  {label}: csi {csi_wall[-1]:.2f} s wall, {csi_cpu[-1]:.2f} s cpu", flush=True)
        med = statistics.median
        how = "measured" if nboot >= 1000 else f"from B={nboot} and B={args.seminr_b_small}, linear in B"
        print(f"{label}, B=1000, {args.cores} core(s): csi median {med(csi_wall):.2f} s wall "
              f"({fmt(csi_wall)}), {med(csi_cpu):.2f} s cpu ({fmt(csi_cpu)}); seminr ({how}) median "
              f"{med(r_wall):.1f} s wall ({fmt(r_wall, 1)}), {med(r_cpu):.1f} s cpu ({fmt(r_cpu, 1)}); "
              f"ratio seminr/csi {med(r_wall) / med(csi_wall):.0f} x wall, {med(r_cpu) / med(csi_cpu):.0f} x cpu"
              + (f"; seminr cpu per replicate {fmt(slopes, 3)} s" if slopes else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seminr", action="store_true", help="time R seminr's bootstrap against csi's estimation")
    parser.add_argument("--cores", type=int, default=1, help="seminr's bootstrap workers (csi: BLAS on one thread)")
    parser.add_argument("--seminr-b", default="1000,100", help="seminr's B at 250 and at 50 000 rows")
    parser.add_argument("--seminr-b-small", type=int, default=10, help="the second B for the per-replicate slope")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "ecsi_50k.csv"
        big_data(50_000).to_csv(big, index=False)
        if args.seminr:
            compare_seminr(args, [("250 rows", DATA), ("50 000 rows", big)], Path(tmp))
            print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; numpy {np.__version__}; "
                  f"Python {sys.version.split()[0]}")
            return
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
