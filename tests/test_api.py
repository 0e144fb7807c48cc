"""The library's pipelines (csi.api) and the commands that call them.

The command line is a wrapper: for the same file and options, ``csi score|compare|weights
--format json`` prints exactly the JSON a script gets from the library (the manifest's time and
tool version aside). A library call leaves the interpreter as it found it, and a command
checks its outputs before it reads anything.
"""

from __future__ import annotations

import ctypes
import gc
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csi.api import ScoreOptions, score_file, weights_file
from csi.cli import app, main
from tests.conftest import strip_volatile

ROOT = Path(__file__).resolve().parents[1]
Q2 = str(ROOT / "examples" / "accounting_2026Q2.xlsx")
Q3 = str(ROOT / "examples" / "accounting_2026Q3.xlsx")
ENGLISH = ROOT / "examples" / "english"
runner = CliRunner()


def run_json(*argv: str) -> dict:
    """What a fresh process prints as JSON: the console script, or a script using the library.

    Each side runs in its own new process: in one long process, numpy's sums may round the last
    bit differently as memory alignment varies, which would say nothing about the pipelines.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def cli_json(*args: str) -> dict:
    return run_json("-m", "csi", *args, "--format", "json")


def library_json(code: str) -> dict:
    """``code`` builds ``doc`` (a Result, Comparison or MethodComparison) of ``kind``; its JSON."""
    prelude = ("import sys\nfrom csi.api import *\nfrom csi.report.formats import render\n")
    return run_json("-c", prelude + code + "\nsys.stdout.write(render(kind, 'json', doc))")


def same_document(cli: dict, lib: dict) -> None:
    """Equal to the byte once the volatile manifest fields (time, tool) are gone."""
    assert json.dumps(strip_volatile(cli), ensure_ascii=False, sort_keys=True) == \
        json.dumps(strip_volatile(lib), ensure_ascii=False, sort_keys=True)


def test_score_cli_and_library_give_the_same_json():
    cli = cli_json("score", Q3, "-B", "120", "--seed", "3", "--by", "部门", "--top", "4", "--method", "entropy")
    lib = library_json(f"kind = 'result'\ndoc = score_export({Q3!r}, model_for_run(None, method='entropy'), "
                       "ScoreOptions(bootstrap=120, seed=3, top=4), ReadOptions(by=('部门',))).result")
    same_document(cli, lib)
    assert cli["manifest"]["options"]["method"] == "entropy" and cli["segments"][0]["by"] == "部门"


def test_score_cli_and_library_agree_on_a_plain_csv_with_its_own_model():
    data, model = str(ENGLISH / "survey.csv"), str(ENGLISH / "model.yaml")
    cli = cli_json("score", data, "--model", model, "-B", "80", "--by", "region")
    lib = library_json(f"kind = 'result'\ndoc = score_file({data!r}, {model!r}, ScoreOptions(bootstrap=80), by=['region'])")
    same_document(cli, lib)


def test_compare_cli_and_library_give_the_same_json():
    cli = cli_json("compare", Q2, Q3, "-B", "100", "--by", "部门", "-l", "Q2", "-l", "Q3", "--target", "85")
    lib = library_json(f"kind = 'comparison'\ndoc = compare_files([{Q2!r}, {Q3!r}], ['Q2', 'Q3'], "
                       "options=ScoreOptions(bootstrap=100, target=85.0), by='部门')")
    same_document(cli, lib)
    assert cli["manifest"]["options"]["target"] == 85


def test_weights_cli_and_library_give_the_same_json():
    cli = cli_json("weights", Q3, "--method", "fixed", "--method", "entropy", "--method", "pls", "--top", "2", "--allow-negative")
    lib = library_json(f"kind = 'weights'\ndoc = weights_file({Q3!r}, None, ['fixed', 'entropy', 'pls'], top=2, allow_negative=True)")
    same_document(cli, lib)
    assert cli["methods"][2]["error"] is None and cli["methods"][2]["warnings"]  # PLS ran, a negative weight clipped
    cli = cli_json("weights", Q3, "--method", "fixed", "--method", "pls", "--top", "2")  # both default to refusing it
    lib = library_json(f"kind = 'weights'\ndoc = weights_file({Q3!r}, None, ['fixed', 'pls'], top=2)")
    same_document(cli, lib)
    assert "negative" in cli["methods"][1]["error"]


def _openblas_threads() -> list[int]:
    """The thread count of every OpenBLAS loaded in this process (via its own getter)."""
    import numpy  # noqa: F401  (loads OpenBLAS)

    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = sorted({line.split(None, 5)[5].strip() for line in maps
                        if len(line.split(None, 5)) == 6 and "openblas" in line.lower()})
    counts = []
    for path in paths:
        try:
            counts.append(int(ctypes.CDLL(path).openblas_get_num_threads()))
        except (OSError, AttributeError):
            continue
    return counts


def test_a_library_call_leaves_the_interpreter_as_it_found_it():
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc/self/maps")
    before = (sys.getswitchinterval(), gc.isenabled(), gc.get_threshold(), gc.get_freeze_count(), _openblas_threads())
    score_file(Q3, options=ScoreOptions(bootstrap=50))
    score_file(ENGLISH / "survey.csv", ENGLISH / "model.yaml", ScoreOptions(bootstrap=50))
    weights_file(Q3, None, ["pls"], allow_negative=True)
    after = (sys.getswitchinterval(), gc.isenabled(), gc.get_threshold(), gc.get_freeze_count(), _openblas_threads())
    assert after == before


def test_a_library_call_keeps_a_caller_s_frozen_objects_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        score_file(ENGLISH / "survey.csv", ENGLISH / "model.yaml", ScoreOptions(bootstrap=20))
        # still frozen (an unfreeze would give 0), and nothing of the call's frozen on top
        # (a few frozen objects may have been freed meanwhile)
        assert frozen - 50 <= gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def test_keywords_amend_the_options_given():
    """score(model, responses, options, bootstrap=0) used to ignore the keyword."""
    from csi.model import resolve_model
    from csi.scoring import score
    from csi.survey.prepare import prepare
    from csi.survey.read import read_survey

    m = resolve_model(None)
    responses = prepare(read_survey(Q3), m)
    with_keyword = score(m, responses, ScoreOptions(bootstrap=200, seed=1), bootstrap=0)
    assert math.isnan(with_keyword.overall.se)  # no bootstrap: no standard error
    assert score(m, responses, ScoreOptions(bootstrap=200, seed=1)).overall.se > 0
    with pytest.raises(TypeError):
        score(m, responses, ScoreOptions(), bootstraps=10)


@pytest.fixture
def no_reading(monkeypatch):
    """The reader, replaced by one that records being called."""
    import csi.survey.read

    calls: list[str] = []

    def read_survey(path, *args, **kwargs):
        calls.append(str(path))
        raise AssertionError("the file was read")

    monkeypatch.setattr(csi.survey.read, "read_survey", read_survey)
    return calls


@pytest.mark.parametrize("args", [
    ["score", Q3, "-o", "{tmp}/missing/q3.json"],
    ["score", Q3, "--exclusions", "{tmp}/missing/x.csv"],
    ["score", Q3, "-o", "{tmp}/q3.json", "-o", "{tmp}/q3.pdf"],
    ["compare", Q2, Q3, "-o", "{tmp}/missing/c.json"],
    ["weights", Q3, "-o", "{tmp}/missing/w.json"],
])
def test_outputs_are_checked_before_the_file_is_read(tmp_path, no_reading, args):
    r = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.exit_code == 2, r.output
    assert "does not exist; create it or pass --mkdir" in r.stderr or "cannot tell the format from the suffix '.pdf'" in r.stderr
    assert no_reading == []
    assert not (tmp_path / "q3.json").exists()


def test_main_returns_the_exit_code_instead_of_leaving(tmp_path, capsys):
    assert main(["score", str(tmp_path / "none.xlsx")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["--version"]) == 0


def test_the_model_loads_while_the_file_opens_and_either_error_is_reported(tmp_path):
    """score_export loads the model on this thread while the read starts on another: a bad
    model is a ModelError (the read does not wait for it forever), a bad file an InputError."""
    from csi.api import score_export
    from csi.errors import InputError, ModelError

    bad = tmp_path / "bad.yaml"
    bad.write_text("children: [{id: a, colum: A}]\n", encoding="utf-8")
    with pytest.raises(ModelError):
        score_export(Q3, bad)
    with pytest.raises(InputError):
        score_export(tmp_path / "missing.xlsx", None)
    scored = score_export(ENGLISH / "survey.csv", ENGLISH / "model.yaml", ScoreOptions(bootstrap=0), method="entropy")
    assert scored.result.manifest["options"]["method"] == "entropy"
