"""The built-in model meeting another survey: one short message naming ``csi init --from``;
and for any model, the file's headers listed once per run, not once per missing item."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from csi.cli import app

runner = CliRunner()
ENGLISH = str(EXAMPLES / "english" / "survey.csv")
SPSS = str(Path(__file__).parent / "data" / "exports" / "spss.sav")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("export", [ENGLISH, SPSS])
def test_the_built_in_model_on_another_survey_says_so_in_a_few_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export: str):
    monkeypatch.chdir(tmp_path)  # no ./indicators.yaml: the built-in model is used
    r = run("score", export, "--bootstrap", "0")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) < 15, r.stderr
    found = re.match(rf"csi: error: {re.escape(export)}: found (\d+) of the 22 indicators of the built-in model \(代理记账服务客户满意度指数\)",
                     lines[0])
    assert found and int(found.group(1)) < 11, lines[0]  # (a question number such as Q8 may happen to bind)
    assert f"  csi init --from {export}" in lines
    assert "no header matches" not in r.stderr and "the headers are" not in r.stderr  # no per-item message, no header list


def test_following_the_message_scores_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    message = run("score", ENGLISH, "--bootstrap", "0").stderr
    commands = [line.strip().split()[1:] for line in message.splitlines() if line.startswith("  csi ")]
    assert [c[0] for c in commands] == ["init", "score"]
    assert run(*commands[0]).exit_code == 0 and Path("indicators.yaml").is_file()
    r = run(*commands[1], "--bootstrap", "0", "--format", "json")
    assert r.exit_code == 0 and '"overall"' in r.stdout


def test_validate_with_the_built_in_model_on_another_survey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    r = run("validate", ENGLISH)
    assert r.exit_code == 1
    assert f"  csi init --from {ENGLISH}" in r.stdout.splitlines() and r.stdout.count("✗") == 1


def test_the_accounting_survey_with_a_column_renamed_still_gets_the_ordinary_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import openpyxl

    monkeypatch.chdir(tmp_path)
    book = openpyxl.load_workbook(EXAMPLES / "accounting_2026Q3.xlsx")
    sheet = book.active
    for cell in sheet[1]:
        if cell.value and str(cell.value).endswith("—信息保密性"):
            cell.value = "5、请评价我们的服务质量—保密"
    book.save(tmp_path / "q3.xlsx")
    r = run("score", "q3.xlsx", "--bootstrap", "0")
    assert r.exit_code == 2 and "(confidentiality)" in r.stderr and "init --from" not in r.stderr


def test_a_model_missing_several_columns_lists_the_headers_once(tmp_path: Path):
    model = tmp_path / "m.yaml"
    model.write_text("name: t\nchildren:\n  - {id: a, name: A, column: nothing like it}\n  - {id: b, name: B, column: zzzz}\n"
                     "  - {id: c, name: C, column: Q1 Product quality}\n", encoding="utf-8")
    r = run("score", ENGLISH, "--model", str(model), "--bootstrap", "0")
    assert r.exit_code == 2
    assert r.stderr.count('"Q7 Delivery speed" (J)') == 1
    assert "(a) (column: \"nothing like it\")" in r.stderr and "(b) (column: \"zzzz\")" in r.stderr
