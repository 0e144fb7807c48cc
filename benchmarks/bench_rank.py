"""Speed of ``csi rank`` against ``csi score`` on the same 1 000 000-row file (issue 16: within 1.5 ×).

    python benchmarks/generate.py --only units-csv     # once: data/wjx_1m_units.csv, 5 000 account managers
    python benchmarks/bench_rank.py [--repeat 3] [--no-write]

Both commands run in fresh child processes, alternating (as bench_score.py does: wall time from
start to reaped, peak RSS from ``os.wait4``), medians reported:

- ``csi score FILE -B 1000 --top 5 -f json``: the default model, its breakdowns 部门 and 客户类型;
- ``csi rank FILE --by 客户经理 -B 1000 -f json``: the same scoring with no breakdown, and the
  league table of 5 000 units (the linearised per-unit bootstrap above 50 000 respondents,
  docs/methods.md §8.1).

Target: ``csi rank`` ≤ 1.5 × ``csi score``. The section is written into benchmarks/RESULTS.md
between its own markers; other sections are left as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_score import RESULTS, ROOT, alternate, compile_package, csi_command, machine, mb, say, secs, shown, verdict  # noqa: E402
from generate import UNIT_COLUMN, UNITS_CSV  # noqa: E402

START, END = "<!-- section: bench_rank -->", "<!-- end: bench_rank -->"
TARGET = 1.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command (default 3)")
    ap.add_argument("--file", type=Path, default=UNITS_CSV)
    ap.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = ap.parse_args()
    if not args.file.exists():
        raise SystemExit(f"{shown(args.file)} is missing: python benchmarks/generate.py --only units-csv")
    note = compile_package()
    started = time.perf_counter()
    csi = csi_command()
    score = ("csi score", [*csi, "score", str(args.file), "-B", "1000", "--top", "5", "-f", "json"])
    rank = ("csi rank --by " + UNIT_COLUMN, [*csi, "rank", str(args.file), "--by", UNIT_COLUMN, "-B", "1000", "-f", "json"])
    say(f"{shown(args.file)}, {args.repeat} alternating runs")
    s, r = alternate(score, rank, args.repeat, ROOT)
    table = json.loads(r.runs[-1].stdout)["rankings"][0]
    units = table["units"]
    ranked = sum(u["status"] == "ranked" for u in units)
    ratio = r.wall / s.wall
    info = machine()
    lines = [
        START,
        "## `csi rank`: 1 000 000 respondents, 5 000 units, B = 1000",
        "",
        f"Measured with `python benchmarks/bench_rank.py --repeat {args.repeat}` in {(time.perf_counter() - started) / 60:.1f} min "
        f"on `{shown(args.file)}` (`python benchmarks/generate.py --only units-csv`: wjx_1m.csv's rows and a column "
        f"{UNIT_COLUMN} of 5 000 account managers, skewed sizes, small true effects). `csi score FILE -B 1000 --top 5 -f json` "
        f"(default model: breakdowns 部门, 客户类型) against `csi rank FILE --by {UNIT_COLUMN} -B 1000 -f json`, alternating "
        "fresh processes, medians.",
        "",
        "| Measurement | csi rank | csi score | Ratio | Target | Result |",
        "|---|---|---|---|---|---|",
        f"| time | {secs(r.wall)} (cpu {secs(r.cpu)}) | {secs(s.wall)} (cpu {secs(s.cpu)}) | {ratio:.2f} × | ≤ {TARGET} × | "
        f"{verdict(ratio <= TARGET)} |",
        f"| peak RSS | {mb(r.rss):.0f} MB | {mb(s.rss):.0f} MB | {r.rss / s.rss:.2f} × | — | — |",
        "",
        f"- csi rank runs {', '.join(f'{x.wall:.2f}' for x in r.runs)} s; csi score runs "
        f"{', '.join(f'{x.wall:.2f}' for x in s.runs)} s.",
        f"- League table: {ranked} of {len(units)} units ranked (the rest under --min-group 5), τ² {table['tau2']:.3f} "
        f"({table['tau2_method']}), σ̂ {table['sigma']:.2f}, bootstrap {table['bootstrap']}.",
        f"- Machine: {info['CPU']}; {info['RAM']}; Python {info['Python']}. Commit {info['Commit']}. Date {info['Date']}. "
        f"Load average at the end: {os.getloadavg()[0]:.1f} (1 min).",
        *([f"- {note}"] if note else []),
        END,
    ]
    text = "\n".join(lines)
    say("\n" + text)
    if args.no_write:
        return
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if START in old and END in old:
        new = old[:old.index(START)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(new, encoding="utf-8")
    say(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
