"""``csi rank`` and ``csi score --rank``: the command against the library, every output format,
exit codes, anonymised names."""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import EXAMPLES, strip_volatile
from typer.testing import CliRunner

from csi.api import RankOptions, ReadOptions, ScoreOptions, rank_export
from csi.cli import app
from csi.report.tables import to_json
from csi.result import Result

runner = CliRunner()
Q3 = str(EXAMPLES / "accounting_2026Q3.xlsx")
UNITS = {"记账一部", "记账二部", "记账三部"}


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_rank_cli_and_library_give_the_same_json():
    r = run("rank", Q3, "--by", "部门", "-B", "200", "--seed", "3", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    lib = json.loads(to_json(rank_export(Q3, RankOptions("部门"), options=ScoreOptions(bootstrap=200, seed=3, top=5)).result))
    assert strip_volatile(doc) == strip_volatile(lib)
    table = doc["rankings"][0]
    assert table["by"] == "部门" and table["node"] == "overall"
    assert {u["unit"] for u in table["units"]} == UNITS
    assert sorted(u["rank"] for u in table["units"]) == [1, 2, 3]
    assert doc["segments"] == []  # the ranked column is not also a breakdown
    assert Result.from_dict(doc).rankings[0].to_dict() == table


def test_every_format_is_written(tmp_path):
    outs = [tmp_path / f"league.{s}" for s in ("json", "csv", "md", "html", "xlsx")]
    args = [a for o in outs for a in ("-o", str(o))]
    r = run("rank", Q3, "--by", "部门", "-B", "100", "--node", "timeliness", "--lang", "en", "-q", *args)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert json.loads(outs[0].read_text())["rankings"][0]["node"] == "timeliness"
    csv_text = outs[1].read_text(encoding="utf-8-sig")
    assert csv_text.startswith("by,node,unit,status") and csv_text.count("\n") == 4
    md = outs[2].read_text()
    assert "between" in md and "记账二部" in md
    html = outs[3].read_text()
    assert '<svg class="funnel"' in html and html.count('fill-opacity="0.8"') == 3  # one dot per unit
    wb = openpyxl.load_workbook(outs[4])
    assert wb.sheetnames == ["League table", "Funnel"]
    assert wb["Funnel"]._charts


def test_anonymise_leaves_no_unit_name_in_any_output(tmp_path):
    outs = [tmp_path / f"a.{s}" for s in ("json", "csv", "md", "html")]
    args = [a for o in outs for a in ("-o", str(o))]
    r = run("rank", Q3, "--by", "部门", "-B", "100", "--anonymise", *args)
    assert r.exit_code == 0, r.stderr
    for path in outs:
        text = path.read_text(encoding="utf-8-sig")
        assert not any(name in text for name in UNITS), path.name
        assert "U" in text
    assert not any(name in r.stdout for name in UNITS)


def test_score_rank_adds_the_section_and_score_alone_does_not(tmp_path):
    r = run("score", Q3, "-B", "100", "--rank", "部门", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["rankings"][0]["by"] == "部门" and doc["segments"]  # the model's breakdowns as usual
    assert doc["manifest"]["options"]["rank"]["by"] == "部门"
    plain = json.loads(run("score", Q3, "-B", "100", "-f", "json").stdout)
    assert "rankings" not in plain
    assert plain["overall"] == doc["overall"]
    x, md, html = tmp_path / "s.xlsx", tmp_path / "s.md", tmp_path / "s.html"
    assert run("score", Q3, "-B", "50", "--rank", "部门", "--lang", "en", "-q", "-o", str(x), "-o", str(md), "-o", str(html)).exit_code == 0
    assert "League table" in openpyxl.load_workbook(x).sheetnames
    assert "## League table and funnel plot: 部门" in md.read_text() and '<svg class="funnel"' in html.read_text()
    plain_md = tmp_path / "p.md"
    assert run("score", Q3, "-B", "50", "--lang", "en", "-q", "-o", str(plain_md)).exit_code == 0
    assert "League table" not in plain_md.read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["--node", "zz"], "--node 'zz' is not a dimension"),
    (["--by", "不存在"], "不存在"),
    (["--tau2", "ml"], "--tau2"),
])
def test_bad_requests_exit_2_without_traceback(args, message):
    base = ["rank", Q3, "-B", "50"] + ([] if "--by" in args else ["--by", "部门"])
    r = run(*base, *args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr


def test_min_group_lists_small_units_without_scores():
    scored = rank_export(Q3, RankOptions("部门"), options=ScoreOptions(bootstrap=100, min_group=120),
                         read=ReadOptions())
    table = scored.result.rankings[0]
    small = [u for u in table.units if u.status == "too_small"]
    assert [u.unit for u in small] == ["记账三部"] and small[0].size == 102 and small[0].raw is None
    assert [u.rank for u in table.ranked] == [1, 2]
