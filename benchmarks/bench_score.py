"""End-to-end speed of ``csi score`` against the bare readers, with peak memory (docs/architecture.md, "Speed").

    python benchmarks/generate.py          # once: benchmarks/data/wjx_100k.xlsx, wjx_1m.csv, wjx_labels_*
    python benchmarks/bench_score.py [--repeat 3] [--csv-repeat 1] [--only xlsx,csv,xlsx-labels,csv-labels,small,engine,pls]

Every measurement runs in a fresh child process. The wall time of a run is taken from just
before the child is started to the moment ``os.wait4`` reaps it, so interpreter start-up and
imports count for csi and for the baselines alike; its peak RSS is the ``ru_maxrss`` that
``os.wait4`` returns for that one child (``RUSAGE_CHILDREN`` would give the maximum over every
child so far, which is wrong when runs alternate). csi and its baseline alternate (csi first
in even rounds, the baseline first in odd ones); medians are reported.

- xlsx, 100 000 rows: ``csi score FILE -B 1000 --top 5 -f json`` against the fastest bare
  reader of the file into pandas. The candidates are timed once each before the alternation
  (fastexcel with its own type guess, fastexcel with every cell as text, pandas.read_excel
  with python-calamine when that is installed); the fastest is the baseline.
  Target: csi ≤ 1.3 × baseline.
- csv, 1 000 000 rows: the same command against ``pandas.read_csv(FILE)`` followed by the
  means of its numeric columns. Targets: time ≤ 2 × baseline, peak RSS ≤ 1.5 × baseline.
- xlsx-labels, csv-labels: the 按选项文本 files of generate.py (100 000-row workbook,
  1 000 000-row CSV: six meta columns, 1、部门, 40 five-point items answered with text labels),
  scored with ``--model benchmarks/wjx_labels.yaml``. Baselines: the bare reader followed by
  mapping the 40 items label → point (via a categorical) and their means — for the workbook
  fastexcel (its own type guess, or every cell as text: the faster one), for the CSV
  ``pandas.read_csv(FILE, engine="c")``. Targets: time ≤ 1.3 × (xlsx), ≤ 2 × (csv), peak RSS
  ≤ 1.5 × the baseline's (both).
- engine: in one child per file, after ``read_survey`` and ``prepare`` (timed once),
  ``csi.scoring.score`` with B = 1000 alternated with one ``np.sum`` over ``responses.values``.
- small: ``csi --help`` and ``csi --version`` (time, and whether numpy or pandas got imported:
  target none), and the 400-row example ``examples/accounting_2026Q3.xlsx`` scored end to
  end (target < 1 s).
- pls: benchmarks/bench_pls.py (50 000 respondents; Python plspm is measured when
  PLSPM_PYTHON or --plspm-python names an interpreter that has it).

The results, with the machine and package versions, are written to benchmarks/RESULTS.md
(``--no-write`` to only print them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "RESULTS.md"
EXAMPLE = ROOT / "examples" / "accounting_2026Q3.xlsx"
SCORE_ARGS = ["-B", "1000", "--top", "5", "-f", "json"]
LABELS_MODEL = HERE / "wjx_labels.yaml"  # binds the 40 label items of data/wjx_labels_* (generate.py)
SECTIONS = ("small", "xlsx", "csv", "xlsx-labels", "csv-labels", "engine", "pls")

# ---------------------------------------------------------------- child programs (argv[1] = the file)

XLSX_READERS = {
    "fastexcel": "import fastexcel\ndf = fastexcel.read_excel(path).load_sheet(0).to_pandas()",
    "fastexcel, text cells": "import fastexcel\ndf = fastexcel.read_excel(path).load_sheet(0, dtypes='string').to_pandas()",
    "pandas.read_excel(engine='calamine')": "import pandas as pd\ndf = pd.read_excel(path, engine='calamine')",
}
CSV_BASELINE = ("import pandas as pd\ndf = pd.read_csv(path)\nmeans = df.mean(numeric_only=True)\n"
                "assert len(df) > 0 and len(means) > 0")

# 按选项文本 files (every answer a label): after reading, the 40 item columns (headers with the
# wjx matrix dash "—") are mapped label → point and averaged. Through a categorical: pandas 3
# maps a ``str`` column with ``Series.map(dict)`` one cell at a time, ~0.5 s per million cells
# (~20 s for the 40 columns, more than reading), while ``astype("category").map`` maps the five
# categories (~35 ms a column).
LABEL_MEANS = (
    "points = {'非常满意': 5, '满意': 4, '一般': 3, '不满意': 2, '非常不满意': 1}\n"
    "items = [c for c in df.columns if '—' in c]\n"
    "scores = pd.DataFrame({c: df[c].astype('category').map(points).astype('float64') for c in items})\n"
    "means = scores.mean()\n"
    "assert len(items) == 40 and means.notna().all()"
)
XLSX_LABEL_READERS = {
    "fastexcel + label means": "import fastexcel, pandas as pd\ndf = fastexcel.read_excel(path).load_sheet(0).to_pandas()\n" + LABEL_MEANS,
    "fastexcel, text cells + label means": ("import fastexcel, pandas as pd\n"
                                            "df = fastexcel.read_excel(path).load_sheet(0, dtypes='string').to_pandas()\n" + LABEL_MEANS),
}
CSV_LABELS_BASELINE = "import pandas as pd\ndf = pd.read_csv(path, engine='c')\n" + LABEL_MEANS


@dataclass(frozen=True)
class Case:
    """One file measured end to end: what it is, which model reads it, its baselines and targets."""

    section: str  # "xlsx", "csv", "xlsx-labels", "csv-labels"
    kind: str  # "xlsx" or "csv"
    model: Path | None  # --model for csi (None: the built-in model)
    readers: dict[str, str]  # candidate baselines (the fastest is used); one for a CSV
    time_target: float
    rss_target: float | None


CASES = (
    Case("xlsx", "xlsx", None, XLSX_READERS, 1.3, None),
    Case("csv", "csv", None, {"pandas.read_csv + means": CSV_BASELINE}, 2.0, 1.5),
    # the strictest baseline wins: the bare reader alone (as the issue measured it: read_csv + numeric
    # means), or with the labels mapped to points, whichever is faster
    Case("xlsx-labels", "xlsx", LABELS_MODEL, {**XLSX_READERS, **XLSX_LABEL_READERS}, 1.3, 1.5),
    Case("csv-labels", "csv", LABELS_MODEL, {"pandas.read_csv + means": CSV_BASELINE,
                                             "pandas.read_csv + label means": CSV_LABELS_BASELINE}, 2.0, 1.5),
)

WATCHED = ("numpy", "pandas", "pyarrow", "fastexcel")


def imported_packages(stderr: str) -> dict[str, bool]:
    """Which of WATCHED a ``python -X importtime`` run imported, from its stderr listing."""
    names = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    if "typer" not in names:  # (the CLI's own framework is always listed: else the listing is missing)
        raise SystemExit("python -X importtime printed no import listing")
    return {m: m in names for m in WATCHED}


ENGINE = """
import json, sys, time
t = time.perf_counter()
import numpy as np
from csi.api import resolve_model
from csi.report.tables import to_json
from csi.scoring import ScoreOptions, score
from csi.survey.prepare import prepare
from csi.survey.read import read_survey
out = {"import_s": time.perf_counter() - t}
path, repeat = sys.argv[1], int(sys.argv[2])
model = resolve_model(sys.argv[3] if len(sys.argv) > 3 else None)
t = time.perf_counter(); table = read_survey(path); out["read_s"] = time.perf_counter() - t
t = time.perf_counter(); responses = prepare(table, model, by=list(model.segments)); out["prepare_s"] = time.perf_counter() - t
out["shape"] = list(responses.values.shape)
options = ScoreOptions(bootstrap=1000, seed=0, top=5)
out["score_s"], out["sum_s"] = [], []
for _ in range(repeat):
    t = time.perf_counter(); result = score(model, responses, options); out["score_s"].append(time.perf_counter() - t)
    t = time.perf_counter(); total = np.sum(responses.values); out["sum_s"].append(time.perf_counter() - t)
t = time.perf_counter(); text = to_json(result); out["json_s"] = time.perf_counter() - t
out["overall"] = result.overall.score
print(json.dumps(out))
"""


# ---------------------------------------------------------------- running children


@dataclass
class Run:
    wall: float  # s, start to reaped
    cpu: float  # s, user + system of the child
    rss: int  # peak resident set, bytes
    stdout: str = ""
    stderr: str = ""


def run_child(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one child to completion; its own wall time, CPU time and peak RSS (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                  out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    if proc.returncode != 0:
        raise SystemExit(f"child failed (exit {proc.returncode}): {' '.join(argv)}\n{run.stderr[-3000:]}")
    return run


def compile_package() -> str | None:
    """Write csi's bytecode when it runs from a source checkout (an editable install) in an
    environment that does not write it (PYTHONDONTWRITEBYTECODE): pip compiles an installed
    package, so without this every run would compile csi's modules from source first."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("csi")
    if spec is None or spec.origin is None or "site-packages" in spec.origin:
        return None
    package = Path(spec.origin).parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"could not compile {package}")
    return (f"csi runs from {shown(package)} (an editable install); its bytecode was compiled first, as pip "
            "does when it installs a package.")


def csi_command() -> list[str]:
    script = Path(sys.executable).parent / "csi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "csi"]


def python_code(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "import sys\npath = sys.argv[1] if len(sys.argv) > 1 else None\n" + code, *args]


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss(self) -> float:
        return statistics.median(r.rss for r in self.runs)


def alternate(a: tuple[str, list[str]], b: tuple[str, list[str]], repeat: int, cwd: Path) -> tuple[Series, Series]:
    sa, sb = Series(a[0]), Series(b[0])
    for i in range(repeat):
        order = [(sa, a[1]), (sb, b[1])] if i % 2 == 0 else [(sb, b[1]), (sa, a[1])]
        for series, argv in order:
            run = run_child(argv, cwd)
            series.runs.append(run)
            say(f"    {series.label:<40} {run.wall:8.2f} s  cpu {run.cpu:8.2f} s  peak RSS {mb(run.rss):8.0f} MB")
    return sa, sb


# ---------------------------------------------------------------- formatting


def say(text: str) -> None:
    print(text, flush=True)


def mb(b: float) -> float:
    return b / 2**20


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def secs(s: float) -> str:
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kb / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        pass
    versions = []
    for name in ("csi", "numpy", "pandas", "pyarrow", "fastexcel", "openpyxl", "scipy", "typer", "python-calamine"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Packages": ", ".join(versions),
        "Commit": code_state(),
        "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def code_state() -> str:
    """The commit measured, and whether the code (csi/, the benchmark scripts, pyproject.toml)
    differs from it (read-only git commands; the results file and the docs do not count)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "csi", "benchmarks/*.py",
                                "pyproject.toml"], cwd=ROOT, capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    return (commit or "unknown") + (" with uncommitted changes" if dirty.strip() else "")


# ---------------------------------------------------------------- sections


def bench_small(repeat: int, cwd: Path) -> tuple[list[list[str]], list[str]]:
    rows, notes = [], []
    csi = csi_command()
    for flag in ("--help", "--version"):
        series = Series(f"csi {flag}")
        for _ in range(repeat):
            series.runs.append(run_child([*csi, flag], cwd))
        check = run_child([sys.executable, "-X", "importtime", "-m", "csi", flag], cwd)
        imported = imported_packages(check.stderr)
        heavy = [m for m in ("numpy", "pandas") if imported[m]]
        say(f"  csi {flag}: {secs(series.wall)}, imports {imported}")
        rows.append([f"`csi {flag}`", secs(series.wall), "—", "—", "imports neither numpy nor pandas",
                     f"{verdict(not heavy)} (imports: {', '.join(m for m, v in imported.items() if v) or 'none of numpy, pandas, pyarrow, fastexcel'})"])
    series = Series("example")
    for _ in range(repeat):
        series.runs.append(run_child([*csi, "score", str(EXAMPLE), *SCORE_ARGS], cwd))
    n = json.loads(series.runs[-1].stdout)["respondents"]["rows"]
    say(f"  400-row example: {secs(series.wall)}, peak RSS {mb(series.rss):.0f} MB")
    rows.append([f"`csi score` {EXAMPLE.name} ({n} rows), end to end", f"{secs(series.wall)}, {mb(series.rss):.0f} MB", "—", "—",
                 "well under 1 s", verdict(series.wall < 1.0)])
    notes.append(f"`csi --help`, `--version` and the example: median of {repeat} runs each.")
    return rows, notes


def bench_file(case: Case, path: Path, repeat: int, cwd: Path) -> tuple[list[list[str]], list[str], dict]:
    model = ["--model", str(case.model)] if case.model else []
    csi = ("csi score", [*csi_command(), "score", str(path), *model, *SCORE_ARGS])
    notes = []
    if len(case.readers) > 1:
        say("  choosing the fastest bare reader (one run each):")
        timed = {}
        for label, code in case.readers.items():
            try:
                run = run_child(python_code(code, str(path)), cwd)
            except SystemExit as e:
                say(f"    {label}: not available ({str(e).splitlines()[-1][:80]})")
                continue
            timed[label] = run.wall
            say(f"    {label:<40} {run.wall:8.2f} s")
        label = min(timed, key=timed.__getitem__)
        notes.append(f"{case.section} bare readers, one run each before the alternation: "
                     + ", ".join(f"{k} {v:.2f} s" for k, v in timed.items()) + f"; the baseline is {label}.")
    else:
        (label,) = case.readers
    base = (label, python_code(case.readers[label], str(path)))
    say(f"  alternating {repeat} × ({csi[0]}, {base[0]}):")
    a, b = alternate(csi, base, repeat, cwd)
    out = json.loads(a.runs[0].stdout)
    info = {"overall": out["overall"]["score"], "rows": out["respondents"]["rows"], "used": out["respondents"]["used"]}
    size = f"{info['rows']:_}".replace("_", " ")
    time_ratio, rss_ratio = a.wall / b.wall, a.rss / b.rss
    name = case.kind if case.model is None else f"{case.kind} 按选项文本"
    rows = [[f"{name} {size} rows: time", f"{secs(a.wall)} (cpu {secs(a.cpu)})", f"{secs(b.wall)} (cpu {secs(b.cpu)}), {b.label}",
             f"{time_ratio:.2f} ×", f"≤ {case.time_target} ×", verdict(time_ratio <= case.time_target)]]
    rss_target = f"≤ {case.rss_target} ×" if case.rss_target else "—"
    rows.append([f"{name} {size} rows: peak RSS", f"{mb(a.rss):.0f} MB", f"{mb(b.rss):.0f} MB", f"{rss_ratio:.2f} ×", rss_target,
                 verdict(rss_ratio <= case.rss_target) if case.rss_target else "—"])
    say(f"  {case.section}: time {time_ratio:.2f} × (target ≤ {case.time_target} ×), peak RSS {rss_ratio:.2f} ×"
        + (f" (target ≤ {case.rss_target} ×)" if case.rss_target else ""))
    notes.append(f"{case.section}: {shown(path)} ({path.stat().st_size / 1e6:.0f} MB)"
                 + (f", model {shown(case.model)}" if case.model else "") + f", median of {repeat} alternating runs; "
                 f"csi runs {', '.join(f'{r.wall:.2f}' for r in a.runs)} s; baseline runs {', '.join(f'{r.wall:.2f}' for r in b.runs)} s; "
                 f"overall CSI {info['overall']:.3f} on {info['used']:,} of {info['rows']:,} rows.")
    return rows, notes, info


def bench_engine(kind: str, path: Path, repeat: int, cwd: Path, model: Path | None = None) -> tuple[list[list[str]], list[str]]:
    run = run_child([sys.executable, "-c", ENGINE, str(path), str(repeat), *([str(model)] if model else [])], cwd)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    engine, plain = statistics.median(out["score_s"]), statistics.median(out["sum_s"])
    n, k = out["shape"]
    say(f"  engine {kind}: read {out['read_s']:.2f} s, prepare {out['prepare_s']:.2f} s, score {engine:.2f} s, "
        f"np.sum {plain * 1000:.1f} ms, to_json {out['json_s'] * 1000:.0f} ms")
    rows = [[f"engine on {kind} ({n:_} × {k}): `score`, B = 1000, vs one `np.sum`".replace("_", " "), secs(engine), secs(plain),
             f"{engine / plain:,.0f} ×", "—", "—"]]
    notes = [f"engine, {kind} file, in one process (median of {repeat}): imports {out['import_s']:.2f} s, read_survey "
             f"{out['read_s']:.2f} s, prepare {out['prepare_s']:.2f} s, score {', '.join(f'{s:.2f}' for s in out['score_s'])} s, "
             f"to_json {out['json_s'] * 1000:.0f} ms."]
    return rows, notes


def bench_pls(repeat: int, cwd: Path, plspm_python: str | None) -> tuple[list[list[str]], list[str]]:
    env = dict(os.environ)
    if plspm_python:
        env["PLSPM_PYTHON"] = plspm_python
    run = run_child([sys.executable, str(HERE / "bench_pls.py"), "--n", "50000", "--repeat", str(repeat)], cwd, env)
    text = run.stdout
    say("  " + text.strip().replace("\n", "\n  "))
    ours = re.search(r"csi pls_path\s+median\s+([\d.]+) ms", text)
    theirs = re.search(r"Python plspm\s+median\s+([\d.]+) ms", text)
    delta = re.search(r"max \|Δ outer weight\| (\S+)", text)
    if ours is None:
        return [], [f"PLS: could not parse bench_pls.py's output:\n{text}"]
    mine = float(ours.group(1)) / 1000
    if theirs:
        other = float(theirs.group(1)) / 1000
        row = ["PLS path model, 50 000 × 27, csi vs Python plspm 0.5.7", secs(mine), secs(other), f"{other / mine:.1f} × faster",
               "—", f"max Δ outer weight {delta.group(1) if delta else '?'}"]
    else:
        row = ["PLS path model, 50 000 × 27, csi (plspm not installed)", secs(mine), "not measured", "—", "—", "—"]
    return [row], [f"PLS: benchmarks/bench_pls.py --n 50000 --repeat {repeat}, medians."]


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    ap.add_argument("--csv-repeat", type=int, help="runs for the 1 000 000-row CSV (csi and engine; default --repeat)")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    ap.add_argument("--xlsx", type=Path, default=DATA / "wjx_100k.xlsx")
    ap.add_argument("--csv", type=Path, default=DATA / "wjx_1m.csv")
    ap.add_argument("--labels-xlsx", type=Path, default=DATA / "wjx_labels_100k.xlsx")
    ap.add_argument("--labels-csv", type=Path, default=DATA / "wjx_labels_1m.csv")
    ap.add_argument("--plspm-python", help="interpreter with plspm 0.5.7 (else $PLSPM_PYTHON)")
    ap.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = ap.parse_args()
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    csv_repeat = args.csv_repeat or args.repeat
    files = {"xlsx": args.xlsx.resolve(), "csv": args.csv.resolve(), "xlsx-labels": args.labels_xlsx.resolve(),
             "csv-labels": args.labels_csv.resolve()}
    for kind, path in files.items():
        if (kind in wanted or "engine" in wanted) and not path.exists():
            raise SystemExit(f"{path} is missing; run: python benchmarks/generate.py")

    rows: list[list[str]] = []
    notes: list[str] = []
    started = time.perf_counter()
    state_before = code_state()
    compiled = compile_package()
    if compiled:
        notes.append(compiled)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)  # no ./indicators.yaml there: csi uses its built-in model
        if "small" in wanted:
            say("small: csi --help, csi --version, the 400-row example")
            r, n = bench_small(args.repeat, cwd)
            rows += r
            notes += n
        for case in CASES:
            kind, path = case.section, files[case.section]
            reps = args.repeat if case.kind == "xlsx" else csv_repeat
            if kind in wanted:
                say(f"{kind}: {path.name}")
                r, n, _ = bench_file(case, path, reps, cwd)
                rows += r
                notes += n
            if "engine" in wanted:
                say(f"engine: {path.name}")
                r, n = bench_engine(kind, path, reps, cwd, case.model)
                rows += r
                notes += n
        if "pls" in wanted:
            say("pls: benchmarks/bench_pls.py")
            r, n = bench_pls(args.repeat, cwd, args.plspm_python or os.environ.get("PLSPM_PYTHON"))
            rows += r
            notes += n
    elapsed = time.perf_counter() - started

    info = machine()
    if info["Commit"] != state_before:
        notes.append(f"**The code changed during the run**: {state_before} at the start, {info['Commit']} at the end; "
                     "rerun for numbers of one state.")
    header = ["Measurement", "csi", "Baseline", "Ratio", "Target", "Result"]
    table = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    command = " ".join(["python benchmarks/bench_score.py", *sys.argv[1:]])
    doc = [
        "# Benchmark results",
        "",
        f"Measured with `{command}` in {elapsed / 60:.1f} min; the data from `python benchmarks/generate.py` "
        "(seeded 问卷星 exports: wjx_100k/wjx_1m read by the default model, wjx_labels_100k/wjx_labels_1m — 按选项文本, "
        "40 label items — by benchmarks/wjx_labels.yaml; 3 % blank cells). Times are wall-clock medians of whole "
        "processes (start-up and imports included); CPU is user + system of the child; peak RSS is the child's own "
        "`ru_maxrss` (`os.wait4`). `csi score` runs as `csi score FILE -B 1000 --top 5 -f json` (segments "
        "部门 and 客户类型 from the default model; 部门 from wjx_labels.yaml, given with --model).",
        "",
        *table,
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items() if k not in ("Packages", "Date", "Commit")) + ".",
        f"Packages: {info['Packages']}. Commit {info['Commit']}. Date {info['Date']}.",
        "",
        "Details:",
        "",
        *[f"- {n}" for n in notes],
        "",
    ]
    text = "\n".join(doc)
    say("\n" + text)
    if not args.no_write:
        old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        other = old.find("<!-- section: ")  # sections other scripts write (bench_rank.py) stay
        RESULTS.write_text(text + ("\n" + old[other:] if other >= 0 else ""), encoding="utf-8")
        say(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
