"""`csi --help` and `csi --version` stay instant: they import neither numpy nor pandas.

Checked with `python -X importtime`, which lists on stderr every module a run imports
(docs/architecture.md, "Adding a command"). A command that needs the heavy modules imports them inside its body.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "pyarrow", "fastexcel", "scipy", "openpyxl")


def imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Top-level packages a `python -X importtime -m csi ARGS` run imports, and the run."""
    env = {**os.environ, "COLUMNS": "100", "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "csi", *args], capture_output=True, text=True,
                         env=env, timeout=60)
    modules = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header line
                modules.add(name.split(".")[0])
    return modules, run


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("score", "--help"), ("compare", "--help")])
def test_help_and_version_import_no_heavy_module(args):
    modules, run = imported(*args)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "typer" in modules  # the listing is real: the CLI's own framework shows up in it
    assert not modules & set(HEAVY), f"{' '.join(args)} imported {sorted(modules & set(HEAVY))}"


def test_the_check_sees_a_heavy_import():
    # the parser must notice numpy when it is imported, or the test above could never fail
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", "import numpy"], capture_output=True, text=True, timeout=60)
    names = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "numpy" in names
