"""The corpus of broken inputs (tests/data/bad): each file's exit code, issues and message.

``CASES.yaml`` there lists every case: the export and model, the options, the exit code, the
issues as ``[code, row, column]`` and text the message must contain. Each case runs through
the command line twice: as a user runs it (exit code, one paragraph on stderr, no traceback)
and with ``--debug``, which lets the ``CsiError`` itself through so its issues can be compared
as data.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import CsiError, Issue

BAD = Path(__file__).parent / "data" / "bad"
CASES: list[dict[str, Any]] = yaml.safe_load((BAD / "CASES.yaml").read_text(encoding="utf-8"))
runner = CliRunner()


def position(issue: Issue) -> list[Any]:
    """``[code, row, column]`` as CASES.yaml writes it (see its header)."""
    row = issue.row if issue.row is not None else issue.line
    column = issue.column if issue.column is not None else (issue.letter or issue.path)
    return [issue.code, row, column]


def command(case: dict[str, Any]) -> list[str]:
    return ["score", case.get("data", "answers.csv"), "--model", case.get("model", "model.yaml"), "-B", "0", "-q",
            *[str(a) for a in case.get("args", [])]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)  # messages name the files as given, relative to here
    args = command(case)
    if case["exit"] == 0:
        args += ["--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == case["exit"], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if case["exit"] == 0:
        invalid = json.loads(result.stdout)["data_quality"].get("invalid", [])
        assert [[c["column"], c["count"], c["rows"]] for c in invalid] == case.get("invalid", [])
        return

    err = result.stderr
    assert err.startswith("csi: error: ") and err.endswith("\n")
    assert "\n\n" not in err  # one paragraph: a line per issue, no blank lines, no dump
    for text in case.get("says", []):
        assert text in err, f"{text!r} not in the message"

    debug = runner.invoke(app, [*args, "--debug"])
    error = debug.exception
    assert isinstance(error, CsiError), repr(error)
    if "issues" in case:
        assert [position(i) for i in error.issues] == case["issues"]
    else:
        assert set(error.codes) == set(case["codes"])
    for issue in error.issues[:20]:
        assert str(issue) in err  # every shown issue says where it is …
        assert "\n" not in str(issue)
        if issue.code != "unknown-preset":  # (an option's value, before any file is opened)
            assert issue.file in (case.get("data", "answers.csv"), case.get("model", "model.yaml"))  # … in which file
    if len(error.issues) > 20:
        assert f"… and {len(error.issues) - 20} more" in err


def test_the_corpus_is_large_and_every_file_in_it_is_used() -> None:
    assert len(CASES) >= 40
    assert len({c["name"] for c in CASES}) == len(CASES)
    used = {c.get("data", "answers.csv") for c in CASES} | {c.get("model", "model.yaml") for c in CASES}
    files = {p.name for p in BAD.iterdir()} - {"CASES.yaml", "make_bad.py", "__pycache__"}
    assert files <= used, f"files no case uses: {sorted(files - used)}"


def test_the_corpus_is_what_make_bad_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    assert spec is not None and spec.loader is not None
    make_bad = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_bad)
    written = {**make_bad.data_files(), **make_bad.model_files()}
    for name, data in written.items():
        expected = data.encode() if isinstance(data, str) else data
        assert (BAD / name).read_bytes() == expected, f"{name} differs: run python tests/data/bad/make_bad.py"
    assert all(len(d) < 20_000 for d in written.values())


_MEMORY = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))  # a regression aborts instead of swapping
from csi.errors import CsiError
from csi.survey.read import read_survey
table = read_survey(sys.argv[1])
assert len(table.frame) == 6, len(table.frame)
for path, code in ((sys.argv[2], "sheet-too-large"), (sys.argv[3], "corrupt-file")):
    try:
        read_survey(path)
    except CsiError as e:
        assert e.codes == [code], e.codes
    else:
        raise SystemExit(f"{path} was read")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and ru_maxrss in KiB are Linux's")
def test_a_sheet_declared_a_billion_cells_wide_is_read_in_little_memory() -> None:
    # calamine allocates 32 bytes for every cell between the first and the last: XFD1048576
    # would be 550 GB, and the process aborts. An ODS can repeat one cell as often. Measured
    # in a child, so a regression cannot take the test run down with it.
    files = [str(BAD / name) for name in ("sparse_dimension.xlsx", "far_cell.xlsx", "repeated_cells.ods")]
    done = subprocess.run([sys.executable, "-c", _MEMORY, *files], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) < 400 * 1024  # KiB: well under 400 MB, imports included


def test_a_traceback_only_with_debug(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CSI_DEBUG", None)
    base = [sys.executable, "-m", "csi", "score", str(BAD / "far_cell.xlsx"), "--model", str(BAD / "model.yaml"), "-q"]
    plain = subprocess.run(base, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr and plain.stderr.count("\n") == 1
    debug = subprocess.run([*base, "--debug"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr and "sheet-too-large" not in plain.stdout
