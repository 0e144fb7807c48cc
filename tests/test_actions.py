"""Improvement actions followed up across periods (csi.actions, csi.follow_up, csi.survey.actions)."""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile

import pandas as pd
import pytest
from conftest import EXAMPLES, ROOT
from test_compare import _seg, node, result

from csi.actions import Action
from csi.compare import compare_results
from csi.errors import DataError, InputError
from csi.follow_up import follow_up
from csi.survey.actions import parse_actions, read_actions

D = dt.date.fromisoformat
DATES = [D("2026-03-31"), D("2026-06-30"), D("2026-09-30")]


def _three():
    """Three periods of one group g (one item x) and a breakdown by 部门 with 一部 and 二部."""
    def period(g, x, seg_g):
        return result((g[0], g[1]), [node("g", *g, kind="group"), node("x", *x, "g")],
                      segments=[_seg("部门", [("一部", 50, 70.0, 1.0, [("g", 70.0, 1.0), ("x", 70.0, 1.0)]),
                                              ("二部", 40, seg_g[0], seg_g[1], [("g", *seg_g), ("x", *seg_g)])])])
    return [period((70.0, 1.2), (60.0, 2.0), (72.0, 1.0)), period((73.0, 1.0), (61.0, 2.0), (72.0, 1.0)),
            period((76.0, 1.6), (62.0, 2.0), (66.0, 1.2))]


def _compare(**kw):
    return compare_results(_three(), ["Q1", "Q2", "Q3"], by="部门", **kw)


def test_one_action_by_hand():
    """g: 70 ± 1.2 in Q1 (the last period before 2026-04-15), 76 ± 1.6 in Q3: Δ = 6,
    se(Δ) = √(1.44 + 2.56) = 2, z = 3, p = erfc(3/√2) = 0.0026998; the CI is 6 ± 1.959964·2."""
    c = follow_up(_compare(), [Action("A1", "g", D("2026-04-15"), "张", expected_gain=5.0)], DATES)
    (o,) = c.actions
    assert (o.before_period, o.after_period) == ("Q1", "Q3")
    assert (o.before, o.after, o.delta, o.se_delta, o.z) == pytest.approx((70.0, 76.0, 6.0, 2.0, 3.0))
    assert o.p == pytest.approx(math.erfc(3 / math.sqrt(2)), abs=1e-15) and o.p == pytest.approx(0.0026998, abs=1e-7)
    assert o.p_adj == pytest.approx(o.p)  # alone in its family
    assert o.delta_ci == pytest.approx((6 - 1.959964 * 2, 6 + 1.959964 * 2), abs=1e-6)
    assert (o.verdict, o.gain) == ("improved", "met")
    assert c.period_dates == ("2026-03-31", "2026-06-30", "2026-09-30")
    # an expected gain above Δ is missed although the node improved
    c = follow_up(_compare(), [Action("A1", "g", D("2026-04-15"), expected_gain=6.5)], DATES)
    assert (c.actions[0].verdict, c.actions[0].gain) == ("improved", "missed")


def test_holm_across_actions_and_verdicts():
    actions = [Action("A1", "g", D("2026-04-15")),                     # Q1 → Q3: z = 3
               Action("A2", "x", D("2026-07-01"), expected_gain=2.0),  # Q2 → Q3: Δ 1, se √8
               Action("A3", "g", D("2026-07-01"), segment="二部"),      # 二部 Q2 → Q3: Δ −6, se √2.44
               Action("A4", "overall", D("2026-06-30"))]               # Q1 → Q3 (a start on a period's date is after it)
    c = follow_up(_compare(), actions, DATES)
    got = {o.id: o for o in c.actions}
    p = [math.erfc(abs(z) / math.sqrt(2)) for z in (3.0, 1 / math.sqrt(8), -6 / math.sqrt(2.44), 3.0)]
    assert [got[k].p for k in ("A1", "A2", "A3", "A4")] == pytest.approx(p, rel=1e-12)
    # Holm by hand: sort, multiply by m − rank + 1, running maximum, cap at 1
    order = sorted(range(4), key=lambda i: p[i])
    adj, running = [0.0] * 4, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (4 - rank) * p[i]))
        adj[i] = running
    assert [got[k].p_adj for k in ("A1", "A2", "A3", "A4")] == pytest.approx(adj, rel=1e-12)
    assert got["A4"].before_period == "Q1"  # 2026-06-30 is Q2's date: Q2 is not before the start
    assert [got[k].verdict for k in ("A1", "A2", "A3")] == ["improved", "no_change", "worse"]
    assert got["A2"].gain == "missed" and got["A1"].gain is None
    assert got["A3"].segment == ("部门", "二部") and got["A3"].before == 72.0 and got["A3"].after == 66.0
    assert [(a.code, a.node) for a in c.alerts if a.code.startswith("action")] == [("action-worse", "g")]
    # the check behind --fail-on-action
    worse = follow_up(_compare(), actions, DATES, fail_on="worse")
    assert [a.message.split(":")[0] for a in worse.alerts if a.code == "fail-on-action"] == ["action A3 (部门=二部"]
    missed = follow_up(_compare(), actions, DATES, fail_on="missed")
    assert [a.node for a in missed.alerts if a.code == "fail-on-action"] == ["x"]


def test_round_trip_and_shape_without_actions():
    from csi.compare import Comparison

    c = follow_up(_compare(), [Action("A1", "g", D("2026-04-15"), "张", "二部", 5.0, "note")], DATES)
    d = c.to_dict()
    assert Comparison.from_dict(json.loads(json.dumps(d))).to_dict() == d
    assert "actions" not in _compare().to_dict() and "period_dates" not in _compare().to_dict()


def test_follow_up_refuses_what_it_cannot_follow():
    bad = [Action("A1", "gg", D("2026-04-15"), file="a.yaml", line=3),
           Action("A2", "g", D("2026-04-15"), segment="五部", file="a.yaml", line=9),
           Action("A3", "g", D("2026-03-31"), file="a.yaml", line=15),
           Action("A4", "g", D("2026-10-01"), file="a.yaml", line=21),
           Action("A4", "x", D("2026-05-01"), file="a.yaml", line=27)]
    with pytest.raises(DataError) as e:
        follow_up(_compare(), bad, DATES)
    assert [(i.code, i.line) for i in e.value.issues] == [
        ("action-node", 3), ("action-segment", 9), ("action-start", 15), ("action-start", 21), ("action-duplicate", 27)]
    text = e.value.message
    assert "did you mean 'g'?" in text and "valid: 一部, 二部" in text and "a.yaml, line 15" in text
    assert "after the first period (Q1, 2026-03-31) and on or before the last (Q3, 2026-09-30)" in text
    with pytest.raises(DataError, match="needs a breakdown"):
        follow_up(compare_results(_three(), ["Q1", "Q2", "Q3"]), [Action("A", "g", D("2026-05-01"), segment="二部")], DATES)
    with pytest.raises(DataError, match="must increase"):
        follow_up(_compare(), [], [DATES[0], DATES[2], DATES[1]])
    with pytest.raises(DataError, match="3 periods but 2 dates"):
        follow_up(_compare(), [], DATES[:2])


def test_parse_actions_file_errors(tmp_path):
    def issues(text):
        with pytest.raises((DataError, InputError)) as e:
            parse_actions(text, "a.yaml")
        return [(i.code, i.line, i.path) for i in e.value.issues], e.value.message

    got, _ = issues("actions:\n  - {id: A1, node: g, start: 2026-04-15\n")
    assert got[0][0] == "actions-yaml" and got[0][1] is not None
    got, msg = issues("actions:\n  - id: A1\n    node: g\n    strat: 2026-04-15\n    expected_gain: lots\n  - id: A1\n"
                      "    node: g\n    start: 15.4.2026\nowner: me\n")
    assert got == [("actions-key", 9, None), ("action-key", 4, "actions[0].strat"), ("action-missing", 2, "actions[0]"),
                   ("action-value", 5, "actions[0].expected_gain"), ("action-value", 8, "actions[1].start")]
    assert "did you mean 'start'?" in msg and "a date such as 2026-04-15" in msg and "a.yaml, line 4" in msg
    got, _ = issues("- id: A1\n")
    assert got == [("actions-layout", 1, None)]
    got, _ = issues("actions:\n  - {id: A1, node: g, start: 2026-04-15}\n  - {id: A1, node: x, start: 2026-05-01}\n")
    assert got == [("action-duplicate", 3, "actions[1].id")]
    (tmp_path / "a.txt").write_text("actions: []", encoding="utf-8")
    with pytest.raises(InputError, match="expected a .yaml"):
        read_actions(tmp_path / "a.txt")
    with pytest.raises(InputError, match="no such file"):
        read_actions(tmp_path / "missing.yaml")


# ---------------------------------------------------------------- the example in examples/actions/
EX = EXAMPLES / "actions"
ARGS = [str(EX / f"2026Q{i}.csv") for i in (1, 2, 3)] + [
    "--model", str(EX / "model.yaml"), "--by", "部门", "--actions", str(EX / "actions.yaml"),
    "--period-date", "2026-03-31", "--period-date", "2026-06-30", "--period-date", "2026-09-30"]


def _cli(*args):
    return _main("compare", *args)


def _main(*args):
    from csi.cli import main

    return main(list(args))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("actions")
    files = {s: out / f"c.{s}" for s in ("json", "csv", "md", "xlsx", "html")}
    code = _cli(*ARGS, "-q", *[x for p in files.values() for x in ("-o", str(p))])
    return code, files


def _plain_score(frame: pd.DataFrame, columns: list[str]) -> float:
    """The equal-weight group score computed by hand: each item's mean of (x − 1)/4·100, then their mean."""
    points = {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5}
    return float(sum(((frame[c].map(points) - 1) / 4 * 100).mean() for c in columns) / len(columns))


def test_example_verdicts(example):
    code, files = example
    assert code == 0
    doc = json.loads(files["json"].read_text(encoding="utf-8"))
    got = {a["id"]: a for a in doc["actions"]}
    assert {k: (a["verdict"], a["gain"]) for k, a in got.items()} == {
        "A1": ("improved", "met"), "A2": ("no_change", "missed"), "A3": ("worse", "missed")}
    # the scores before and after, against a plain pandas computation on the CSV files
    q = [pd.read_csv(EX / f"2026Q{i}.csv") for i in (1, 2, 3)]
    eff = ["Q4 电话接通速度", "Q5 业务办理速度", "Q6 问题解决速度"]
    qual = ["Q1 账务处理准确性", "Q2 纳税申报及时性", "Q3 财税处理合规性"]
    assert got["A1"]["before"] == pytest.approx(_plain_score(q[0], eff), abs=1e-9)
    assert got["A1"]["after"] == pytest.approx(_plain_score(q[2], eff), abs=1e-9)
    two = [f[f["部门"] == "记账二部"] for f in q]
    assert got["A3"]["before"] == pytest.approx(_plain_score(two[1], qual), abs=1e-9)
    assert got["A3"]["after"] == pytest.approx(_plain_score(two[2], qual), abs=1e-9)
    assert [a["code"] for a in doc["alerts"] if a["code"].startswith("action")] == ["action-worse"]
    assert doc["manifest"]["options"]["period_dates"] == ["2026-03-31", "2026-06-30", "2026-09-30"]


def test_example_in_every_format(example):
    _, files = example
    md = files["md"].read_text(encoding="utf-8")
    assert "## 改进措施跟踪" in md and "| A3 | 服务质量 · 记账二部 | 王经理 | 2026-07-01 |" in md and "显著变差" in md
    rows = [r for r in files["csv"].read_text(encoding="utf-8-sig").splitlines() if ",action," in r]
    assert [r.split(",")[2] for r in rows] == ["A1", "A2", "A3"] and rows[2].startswith("部门,记账二部,A3,")
    assert files["csv"].read_text(encoding="utf-8-sig").splitlines()[0].endswith(",action_node,owner,start,expected_gain,gain,note")
    html = files["html"].read_text(encoding="utf-8")
    assert 'id="actions"' in html and "显著改善" in html and "记账二部启用新记账系统" in html
    with zipfile.ZipFile(files["xlsx"]) as z:
        assert any("sheet" in n for n in z.namelist())
    from openpyxl import load_workbook

    ws = load_workbook(files["xlsx"])["Actions"]
    ids = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert ids[-3:] == ["A1", "A2", "A3"]


def test_example_exit_codes_and_usage(capsys):
    assert _cli(*ARGS, "-q", "-B", "200", "--fail-on-action", "worse") == 1
    err = capsys.readouterr().err
    assert "action A3" in err and "--fail-on-action worse check failed" in err
    assert _cli(*ARGS[:3], "--model", str(EX / "model.yaml"), "--period-date", "2026-03-31") == 2
    assert "give --actions FILE too" in capsys.readouterr().err
    assert _cli(*ARGS[:-2], "-B", "0") == 2
    assert "3 periods but 2 dates" in capsys.readouterr().err
    assert _cli(*ARGS, "--fail-on-action", "bad") == 2
    assert "use worse or missed" in capsys.readouterr().err


def test_library_equals_command(example):
    from csi.api import ReadOptions, compare_files

    _, files = example
    c = compare_files(ARGS[:3], model=EX / "model.yaml", by="部门", read=ReadOptions(), actions=EX / "actions.yaml",
                      period_dates=["2026-03-31", "2026-06-30", "2026-09-30"])
    doc = json.loads(files["json"].read_text(encoding="utf-8"))
    assert [a.to_dict() for a in c.actions] == doc["actions"]
    assert ROOT.exists()


def test_period_dates_from_the_results_manifests(tmp_path, example, capsys):
    """Results scored with csi score --period-date carry their date; compare then needs none."""
    _, files = example
    jsons = []
    for i, date in zip((1, 2, 3), ("2026-03-31", "2026-06-30", "2026-09-30"), strict=True):
        out = tmp_path / f"2026Q{i}.json"
        assert _main("score", str(EX / f"2026Q{i}.csv"), "--model", str(EX / "model.yaml"), "--by", "部门",
                    "--period-date", date, "-q", "-o", str(out)) == 0
        assert json.loads(out.read_text(encoding="utf-8"))["manifest"]["options"]["period_date"] == date
        jsons.append(str(out))
    out = tmp_path / "c.json"
    assert _cli(*jsons, "--by", "部门", "--actions", str(EX / "actions.yaml"), "-q", "-o", str(out)) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["period_dates"] == ["2026-03-31", "2026-06-30", "2026-09-30"]
    expected = json.loads(files["json"].read_text(encoding="utf-8"))["actions"]
    assert doc["actions"] == expected  # the same as from the exports with --period-date
    # a result without a date, or an export, needs --period-date
    assert _main("score", str(EX / "2026Q1.csv"), "--model", str(EX / "model.yaml"), "--by", "部门", "-q", "-B", "0",
                "-o", str(tmp_path / "nodate.json")) == 0
    capsys.readouterr()
    assert _cli(str(tmp_path / "nodate.json"), *jsons[1:], "--by", "部门", "--actions", str(EX / "actions.yaml")) == 2
    assert "nodate.json has none" in capsys.readouterr().err
    assert _cli(*ARGS[:3], "--model", str(EX / "model.yaml"), "--actions", str(EX / "actions.yaml")) == 2
    assert "a survey export carries no date" in capsys.readouterr().err
    assert _main("score", str(EX / "2026Q1.csv"), "--model", str(EX / "model.yaml"), "--period-date", "31.3.2026") == 2
    assert "write it as YYYY-MM-DD" in capsys.readouterr().err


def test_an_action_that_cannot_be_tested():
    """二部 is missing (suppressed) in the last period: nothing to compare, no verdict, a warning."""
    rs = _three()
    last = result((76.0, 1.6), [node("g", 76.0, 1.6, kind="group"), node("x", 62.0, 2.0, "g")],
                  segments=[_seg("部门", [("一部", 50, 70.0, 1.0, [("g", 70.0, 1.0), ("x", 70.0, 1.0)])], 1)])
    c = compare_results([rs[0], rs[1], last], ["Q1", "Q2", "Q3"], by="部门")
    c = follow_up(c, [Action("A3", "g", D("2026-07-01"), segment="二部", expected_gain=1.0)], DATES)
    (o,) = c.actions
    assert (o.verdict, o.gain, math.isnan(o.after), math.isnan(o.p_adj)) == (None, None, True, True)
    assert any("A3" in w and "not tested" in w for w in c.warnings)
    assert not [a for a in c.alerts if a.code.startswith("action")]


def test_key_findings_say_what_became_of_each_action(example):
    from test_findings import sentence_numbers_are_fields

    from csi.compare import Comparison
    from csi.report.findings import comparison_findings

    _, files = example
    doc = json.loads(files["json"].read_text(encoding="utf-8"))
    c = Comparison.from_dict(doc)
    found = [f for f in comparison_findings(c) if f.kind == "action"]
    assert [(f.fields["id"], f.fields["verdict"], f.fields["gain"]) for f in found] == [
        ("A1", "improved", "met"), ("A2", "no_change", "missed"), ("A3", "worse", "missed")]
    for f, a in zip(found, doc["actions"], strict=True):
        assert (f.fields["before"], f.fields["after"], f.fields["delta"], f.fields["p_adj"]) == (
            a["before"], a["after"], a["delta"], a["p_adj"])
        for lang in ("zh", "en"):
            sentence_numbers_are_fields(f, lang)
    zh = [f.text("zh") for f in found]
    assert "显著改善，达到预期 5.0 分" in zh[0] and "无显著变化，未达预期 3.0 分" in zh[1] and "显著变差" in zh[2]
    # "significantly" only where the Holm-adjusted p is below alpha
    for f in found:
        assert ("significantly" in f.text("en")) == (f.fields["p_adj"] < f.fields["alpha"])
    assert [x["kind"] for x in doc["findings"]].count("action") == 3
