"""The command line: exit codes, stdout/stderr, outputs, and equality with the library."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES, check_golden_json
from typer.testing import CliRunner

from csi.api import score_file
from csi.cli import app
from csi.scoring import ScoreOptions

runner = CliRunner()
Q2 = str(EXAMPLES / "accounting_2026Q2.xlsx")
Q3 = str(EXAMPLES / "accounting_2026Q3.xlsx")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_version_and_help():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("csi ")
    r = run("score", "--help")
    assert r.exit_code == 0 and "--fail-under" in r.stdout


@pytest.mark.parametrize("example", [Q2, Q3])
def test_golden_json_of_the_example_quarters(example: str, update_golden: bool):
    r = run("score", example, "--format", "json", "--bootstrap", "200", "--seed", "0")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema"] == "csi.result/1"
    name = "score_" + example.rsplit("/", 1)[-1].replace(".xlsx", ".json")
    check_golden_json(name, doc, update_golden)


def test_cli_json_equals_the_library_result():
    r = run("score", Q3, "--format", "json", "--bootstrap", "100", "--seed", "7", "--by", "部门")
    lib = score_file(Q3, options=ScoreOptions(bootstrap=100, seed=7), by=["部门"]).to_dict()
    cli = json.loads(r.stdout)
    for doc in (cli, lib):
        doc["manifest"].pop("created")
    assert cli == json.loads(json.dumps(lib))


def test_outputs_by_suffix_are_written_and_whole(tmp_path):
    out = [tmp_path / "r.json", tmp_path / "r.csv", tmp_path / "r.md"]
    r = run("score", Q3, "-B", "50", "-q", *sum((["-o", str(p)] for p in out), []))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out[0].read_text())["schema"] == "csi.result/1"
    assert out[1].read_text().splitlines()[0].startswith("id,name,parent,kind")
    assert out[2].read_text().startswith("# 代理记账服务客户满意度指数")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.json", "r.md"]  # no temporary files left


def test_fail_under_exits_1():
    r = run("score", Q3, "-B", "0", "-q", "--fail-under", "99")
    assert r.exit_code == 1 and "below --fail-under 99" in r.stderr
    assert run("score", Q3, "-B", "0", "-q", "--fail-under", "50").exit_code == 0


def test_never_overwrites_an_input(tmp_path):
    data = tmp_path / "q3.xlsx"
    shutil.copy(Q3, data)
    before = data.read_bytes()
    r = run("score", str(data), "-B", "0", "-o", str(tmp_path / "q3.xlsx.json"), "-o", str(data.with_suffix(".json")))
    assert r.exit_code == 0
    r = run("score", str(data), "-B", "0", "-o", str(data))
    assert r.exit_code == 2 and "also an input" in r.stderr
    assert data.read_bytes() == before


def test_missing_output_folder_is_refused_unless_mkdir(tmp_path):
    target = tmp_path / "new" / "r.json"
    r = run("score", Q3, "-B", "0", "-q", "-o", str(target))
    assert r.exit_code == 2 and "--mkdir" in r.stderr and not target.exists()
    assert run("score", Q3, "-B", "0", "-q", "-o", str(target), "--mkdir").exit_code == 0 and target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "nope.xlsx"], "nope.xlsx"),
        (["score", Q3, "--model", "missing.yaml"], "missing.yaml"),
        (["score", Q3, "--sheet", "2026Q9"], "Sheet1"),
        (["score", Q3, "--by", "不存在的列"], "不存在的列"),
        (["score", Q3, "--strict", "-B", "0"], "很好"),
        (["score", Q3, "-o", "report.pdf"], ".pdf"),
    ],
)
def test_errors_exit_2_with_a_message_and_no_traceback(args, message):
    r = run(*args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr and r.stdout == ""


def test_bad_model_error_names_file_line_and_path(tmp_path):
    model = tmp_path / "m.yaml"
    model.write_text("name: x\nchildren:\n  - {id: a, colum: Q5}\n", encoding="utf-8")
    r = run("score", Q3, "--model", str(model))
    assert r.exit_code == 2
    assert f"{model}, line 3, children[0].colum: unknown key 'colum' in an item; did you mean 'column'?" in r.stderr


def test_validate_reports_mapping_and_exit_codes(tmp_path):
    r = run("validate", Q3)
    assert r.exit_code == 1  # the example has invalid answers on purpose
    assert "accuracy" in r.stdout and "PII columns" in r.stdout and "来自IP" in r.stdout
    r = run("validate")
    assert r.exit_code == 0 and "22 indicators" in r.stdout and "AHP efficiency: CR 0.008" in r.stdout
    model = tmp_path / "m.yaml"
    model.write_text("children: [{id: a, column: A, weight: 0}]\n", encoding="utf-8")
    r = run("validate", "--model", str(model))
    assert r.exit_code == 1 and "weight greater than 0" in r.stdout


def test_init_writes_a_model_that_loads_and_refuses_to_overwrite(tmp_path):
    r = run("init", str(tmp_path))
    assert r.exit_code == 0 and (tmp_path / "indicators.yaml").exists()
    assert run("validate", "--model", str(tmp_path / "indicators.yaml")).exit_code == 0
    r = run("init", str(tmp_path))
    assert r.exit_code == 2 and "--force" in r.stderr


def test_exclusions_file_has_rows_and_reasons_but_no_personal_data(tmp_path):
    path = tmp_path / "ex.csv"
    r = run("score", Q3, "-B", "0", "-q", "--exclusions", str(path))
    assert r.exit_code == 0
    lines = path.read_text().splitlines()
    assert lines[0] == "row,reason,status"
    assert "409,duplicate,excluded" in lines and "19,speeder,excluded" in lines
    assert "1990000" not in path.read_text()


def test_english_example_with_its_own_model():
    r = run("score", str(EXAMPLES / "english" / "survey.csv"), "--model", str(EXAMPLES / "english" / "model.yaml"), "-B", "100")
    assert r.exit_code == 0 and "Overall CSI" in r.stdout and "Weak points" in r.stdout


def test_the_console_script_exits_with_the_command_s_status_and_all_its_output(tmp_path):
    """`python -m csi` ends without tearing the interpreter down (os._exit): the status is the
    command's and nothing written is lost, on a pipe (block-buffered) and with -o."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    base = [sys.executable, "-m", "csi", "score", Q3, "-B", "50"]
    done = subprocess.run([*base, "-f", "csv", "-o", str(tmp_path / "q3.json")], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()  # 5 KB: it sits in stdout's buffer until flushed
    assert len(rows) == 2 + len(json.loads((tmp_path / "q3.json").read_text(encoding="utf-8"))["nodes"])  # header, overall
    assert rows[-1].startswith("feedback,")
    below = subprocess.run([*base, "-q", "--fail-under", "99"], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120)
    assert below.returncode == 1 and "below --fail-under 99" in below.stderr and below.stdout == ""
    missing = subprocess.run([sys.executable, "-m", "csi", "score", str(tmp_path / "none.xlsx")], capture_output=True,
                             text=True, env=env, cwd=tmp_path, timeout=120)
    assert missing.returncode == 2 and "no such file" in missing.stderr
