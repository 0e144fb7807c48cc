"""The command line: exit codes, stdout/stderr, outputs, and equality with the library."""

from __future__ import annotations

import json
import re
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
    from csi.report.tables import to_json

    lib = json.loads(to_json(score_file(Q3, options=ScoreOptions(bootstrap=100, seed=7), by=["部门"])))
    cli = json.loads(r.stdout)
    for doc in (cli, lib):
        doc["manifest"].pop("created")
    assert cli == json.loads(json.dumps(lib))


def test_outputs_by_suffix_are_written_and_whole(tmp_path):
    out = [tmp_path / "r.json", tmp_path / "r.csv", tmp_path / "r.md"]
    r = run("score", Q3, "-B", "50", "-q", *sum((["-o", str(p)] for p in out), []))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out[0].read_text())["schema"] == "csi.result/1"
    assert out[1].read_text(encoding="utf-8-sig").splitlines()[0].startswith("id,name,parent,kind")
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


def test_init_creates_a_new_folder_as_its_help_example_does(tmp_path):
    new = tmp_path / "my-survey" / "2026"
    r = run("init", str(new))
    assert r.exit_code == 0, r.stderr
    assert (new / "indicators.yaml").read_bytes().startswith(b"#") and run("validate", "--model", str(new / "indicators.yaml")).exit_code == 0
    (new / "indicators.yaml").write_text("name: mine\n", encoding="utf-8")
    r = run("init", str(new))
    assert r.exit_code == 2 and "--force" in r.stderr and (new / "indicators.yaml").read_text(encoding="utf-8") == "name: mine\n"
    assert run("init", str(new), "--force").exit_code == 0 and (new / "indicators.yaml").read_text(encoding="utf-8") != "name: mine\n"
    r = run("init", str(new / "indicators.yaml"))
    assert r.exit_code == 2 and "is a file, not a folder" in r.stderr


def test_validate_counts_in_the_singular_and_the_plural():
    r = run("validate", "--model", str(EXAMPLES / "english" / "model.yaml"))
    assert r.exit_code == 0 and "— 3 groups, 8 indicators, 1 outcome item, NPS" in r.stdout
    assert "22 indicators, 3 outcome items, NPS" in run("validate").stdout


@pytest.mark.parametrize(("command", "heading"), [
    (["score", str(EXAMPLES / "english" / "survey.csv"), "--model", str(EXAMPLES / "english" / "model.yaml"), "-B", "0"], "样本"),
    (["compare", Q2, Q3, "-B", "0"], "样本"),
    (["weights", Q3, "--method", "fixed"], "方法"),
], ids=["score", "compare", "weights"])
def test_lang_is_taken_in_any_case(command, heading):
    zh, en = run(*command, "--lang", "ZH"), run(*command, "--lang", "En")
    assert zh.exit_code == en.exit_code == 0, zh.stderr + en.stderr
    assert heading in zh.stdout and heading not in en.stdout
    r = run(*command, "--lang", "fr")
    assert r.exit_code == 2 and "use zh or en" in r.stderr


def test_exclusions_file_has_rows_and_reasons_but_no_personal_data(tmp_path):
    path = tmp_path / "ex.csv"
    r = run("score", Q3, "-B", "0", "-q", "--exclusions", str(path))
    assert r.exit_code == 0
    lines = path.read_text(encoding="utf-8-sig").splitlines()
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


def test_csv_files_start_with_a_byte_order_mark_and_stdout_does_not(tmp_path):
    """Excel on a Chinese Windows reads a CSV without a byte-order mark as GBK and garbles its
    Chinese; on a pipe the mark would land in the first field of cut or awk, so stdout has none."""
    import codecs
    import csv

    import pandas as pd

    report, excluded, compared = tmp_path / "q3.csv", tmp_path / "excluded.csv", tmp_path / "c.csv"
    assert run("score", Q3, "-B", "0", "-q", "-o", str(report), "--exclusions", str(excluded)).exit_code == 0
    assert run("compare", Q2, Q3, "-B", "0", "-q", "-o", str(compared)).exit_code == 0
    for path in (report, excluded, compared):
        raw = path.read_bytes()
        assert raw.startswith(codecs.BOM_UTF8) and not raw[3:].startswith(codecs.BOM_UTF8), path.name
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(frame.columns) == rows[0] and frame.to_numpy().tolist() == rows[1:], path.name
    with report.open(encoding="utf-8-sig", newline="") as f:
        names = {row["id"]: row["name"] for row in csv.DictReader(f)}
    assert names["overall"] == "代理记账服务客户满意度指数" and names["accuracy"] == "账务处理准确性"
    printed = run("score", Q3, "-B", "0", "--format", "csv").stdout
    assert printed.startswith("id,name,parent,") and printed == report.read_bytes()[3:].decode("utf-8")


@pytest.mark.parametrize("args", [("score", Q3, "-B", "0"), ("score", Q3, "-B", "0", "-f", "csv"),
                                  ("compare", Q2, Q3, "-B", "0"), ("weights", Q3, "--method", "fixed")],
                         ids=["table", "csv", "compare", "weights"])
@pytest.mark.parametrize("reads", [0, 1], ids=["closed", "one line"])
def test_a_reader_that_goes_away_ends_the_command_quietly(args, reads):
    """`csi score FILE | head -1`: exit 0 and nothing on stderr, like cat or grep; through the
    console script (`python -m csi`), whose stdout is a real pipe."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "csi", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    for _ in range(reads):
        assert proc.stdout.readline()
    proc.stdout.close()  # the reader is gone: the command's next write meets a broken pipe
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 0 and stderr == b""


def test_a_broken_pipe_in_a_shell_pipeline_exits_0():
    import shlex
    import subprocess
    import sys

    command = f"{shlex.quote(sys.executable)} -m csi score {shlex.quote(Q3)} -B 0 | head -1; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "" and len(done.stdout.splitlines()) == 1


def test_the_markdown_digests_put_each_headline_on_its_own_line():
    """Index, outcome index and NPS (score), the overall change and the trend (compare) are
    separate paragraphs: consecutive lines would render as one."""
    from markdown_it import MarkdownIt
    from test_html import golden_result

    from csi.compare import compare_results
    from csi.report import compare_report, tables

    html = MarkdownIt().render(tables.to_markdown(golden_result()))
    interval = r"\d+\.\d \[\d+\.\d, \d+\.\d\]"
    for headline in (r"<strong>总体 CSI: 75\.6</strong> \[\d+\.\d, \d+\.\d\]", f"结果指数（直接满意度）: {interval}",
                     f"净推荐值 NPS: {interval}"):
        assert re.search(f"<p>{headline}</p>", html), headline
    three = compare_results([golden_result("Q2"), golden_result(), golden_result()], ["Q1", "Q2", "Q3"])
    html = MarkdownIt().render(compare_report.to_markdown(three, "en"))
    overall = re.search(r"<p><strong>Overall CSI: [^<]*</strong>[^<]*</p>", html)
    assert overall and "Trend" not in overall.group(0) and re.search(r"<p>Trend: [^<]*</p>", html)
