"""The grade view, 模糊综合评价 (csi.grades): memberships, M(·,⊕) up the tree, grade, B·V."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES

from csi.api import score_file
from csi.errors import ModelError
from csi.grades import combine, memberships
from csi.model import load_model_text
from csi.options import ScoreOptions
from csi.result import Result

# SPSSAU's worked example of 模糊综合评价 (tests/reference/REFERENCES.md): a new garment judged on
# five factors, evaluation set (很欢迎, 欢迎, 一般, 不欢迎), weights A and single-factor rows R.
SPSSAU_A = (0.1, 0.1, 0.15, 0.3, 0.35)
SPSSAU_R = ((0.2, 0.5, 0.3, 0.0), (0.1, 0.3, 0.5, 0.1), (0.0, 0.1, 0.6, 0.3), (0.0, 0.4, 0.5, 0.1), (0.5, 0.3, 0.2, 0.0))
SPSSAU_B = (0.205, 0.320, 0.390, 0.085)  # published, M(·,+)
SPSSAU_GRADE = "一般"
FACTORS = ("花色", "式样", "价格", "耐用度", "舒适度")
GRADES = ("很欢迎", "欢迎", "一般", "不欢迎")


def _spssau_survey(tmp_path):
    """Ten respondents whose answers to each factor have R's shares (0.2 → 2 of 10 say 很欢迎 …),
    and a model with A as fixed weights on a 4-point scale labelled with the evaluation set."""
    cols = {}
    for factor, row in zip(FACTORS, SPSSAU_R, strict=True):
        answers = [g for g, share in zip(GRADES, row, strict=True) for _ in range(round(share * 10))]
        cols[factor] = answers
    pd.DataFrame(cols).to_csv(tmp_path / "garment.csv", index=False)
    items = "\n".join(f"  - {{id: f{i}, name: {f}, column: {f}, weight: {w}}}"
                      for i, (f, w) in enumerate(zip(FACTORS, SPSSAU_A, strict=True)))
    (tmp_path / "model.yaml").write_text(f"name: 服装款式\nscale: {{min: 1, max: 4}}\n"
                                         f"labels: {{很欢迎: 4, 欢迎: 3, 一般: 2, 不欢迎: 1}}\nchildren:\n{items}\n",
                                         encoding="utf-8")
    return tmp_path / "garment.csv", tmp_path / "model.yaml"


def test_spssau_worked_example(tmp_path):
    data, model = _spssau_survey(tmp_path)
    r = score_file(data, model, ScoreOptions(bootstrap=50), grades=True)
    g = r.grades
    assert g["grades"] == list(GRADES) and g["basis"] == "scale_points"
    # each factor's row of R comes out of the answers
    assert [n["membership"] for n in g["nodes"]] == [pytest.approx(row, abs=1e-12) for row in SPSSAU_R]
    # B = A · R and the maximum-membership grade, as published
    assert g["overall"]["membership"] == pytest.approx(SPSSAU_B, abs=1e-12)
    assert g["overall"]["grade"] == SPSSAU_GRADE
    # and against a plain numpy product
    assert g["overall"]["membership"] == pytest.approx(np.array(SPSSAU_A) @ np.array(SPSSAU_R), abs=1e-12)
    # B·V on the 0–100 values of the four points (100, 66.7, 33.3, 0) equals the CSI
    v = np.array([100, 200 / 3, 100 / 3, 0])
    assert g["overall"]["score"] == pytest.approx(float(np.array(SPSSAU_B) @ v), abs=1e-9)
    assert g["overall"]["score"] == pytest.approx(r.overall.score, abs=1e-9)


def test_memberships_and_combination_by_hand():
    """Scale points 100/75/50/25/0: 100 is wholly 非常满意; 62.5 half 满意, half 一般; 90 is
    0.6 of 100 and 0.4 of 75 (90 = 0.6·100 + 0.4·75); no answer belongs nowhere."""
    m = memberships(np.array([[100.0, 62.5, 90.0, np.nan]]), np.array([100.0, 75, 50, 25, 0]), None)[0]
    np.testing.assert_allclose(m, [[1, 0, 0, 0, 0], [0, .5, .5, 0, 0], [.6, .4, 0, 0, 0], [0, 0, 0, 0, 0]], atol=1e-12)
    assert (m[:3] @ np.array([100.0, 75, 50, 25, 0])).tolist() == pytest.approx([100, 62.5, 90])
    bands = memberships(np.array([[95.0, 90.0, 89.9, 60.0, 0.0, 100.0]]), np.array([95.0, 82.5, 67.5, 30]),
                        np.array([90.0, 75, 60, 0]))[0]
    assert bands.argmax(axis=1).tolist() == [0, 0, 1, 2, 3, 0] and bands.sum(axis=1).tolist() == [1] * 6
    assert combine([np.array([1.0, 0]), np.array([0.0, 1])], [0.25, 0.75]).tolist() == [0.25, 0.75]


def test_bands_from_the_model_by_hand(tmp_path):
    """Three respondents, two items on 1–5 (0, 25, 50, 75, 100 after rescaling), weights 0.6/0.4:
    item a = 5, 4, 2 → 100, 75, 25: 优 1/3, 良 1/3 (75 ≥ 75), 中 0, 差 1/3;
    item b = 3, 3, 5 → 50, 50, 100: 优 1/3, 差 2/3.  B = 0.6·a + 0.4·b."""
    pd.DataFrame({"a": [5, 4, 2], "b": [3, 3, 5]}).to_csv(tmp_path / "s.csv", index=False)
    (tmp_path / "m.yaml").write_text("name: t\ngrades: [{name: 优, min: 90}, {name: 良, min: 75}, {name: 中, min: 60}, "
                                     "{name: 差, min: 0, value: 40}]\nchildren:\n  - {id: a, name: A, column: a, weight: 0.6}\n"
                                     "  - {id: b, name: B, column: b, weight: 0.4}\nquality: {min_answered: 0.5}\n",
                                     encoding="utf-8")
    r = score_file(tmp_path / "s.csv", tmp_path / "m.yaml", ScoreOptions(bootstrap=200, seed=1), grades=True)
    g = r.grades
    assert g["basis"] == "bands" and g["grades"] == ["优", "良", "中", "差"] and g["values"] == [95.0, 82.5, 67.5, 40.0]
    a = np.array([1, 1, 0, 1]) / 3
    b = np.array([1, 0, 0, 2]) / 3
    assert g["nodes"][0]["membership"] == pytest.approx(a) and g["nodes"][1]["membership"] == pytest.approx(b)
    B = 0.6 * a + 0.4 * b
    assert g["overall"]["membership"] == pytest.approx(B, abs=1e-12)
    assert g["overall"]["grade"] == "差"  # 优 0.6/3 + 0.4/3 = 0.333, 良 0.2, 中 0, 差 0.6/3 + 0.8/3 = 0.467
    assert g["overall"]["score"] == pytest.approx(float(B @ np.array([95, 82.5, 67.5, 40])), abs=1e-12)
    lo, hi = g["overall"]["ci"]
    assert lo <= g["overall"]["score"] <= hi and 0 <= g["overall"]["stability"] <= 1
    assert all(lo_ <= m <= hi_ for m, (lo_, hi_) in zip(g["overall"]["membership"], g["overall"]["membership_ci"], strict=True))


def test_scale_points_agree_with_scores_and_their_intervals():
    """With scale points B·V is every node's score, and the same bootstrap gives the same intervals."""
    ex = EXAMPLES / "actions"
    r = score_file(ex / "2026Q3.csv", ex / "model.yaml", ScoreOptions(bootstrap=300, seed=3), grades=True)
    g = r.grades
    assert g["overall"]["score"] == pytest.approx(r.overall.score, abs=1e-9)
    assert g["overall"]["ci"] == pytest.approx(list(r.overall.ci), abs=1e-9)
    for node, gn in zip(r.nodes, g["nodes"], strict=True):
        assert gn["id"] == node.id and gn["score"] == pytest.approx(node.score, abs=1e-9)
        assert gn["se"] == pytest.approx(node.se, abs=1e-9)
        assert sum(gn["membership"]) == pytest.approx(1.0)
    # a plain pandas count of the answers for one item
    df = pd.read_csv(ex / "2026Q3.csv")
    shares = df["Q1 账务处理准确性"].value_counts(normalize=True)
    assert g["nodes"][1]["membership"] == pytest.approx([shares.get(k, 0.0) for k in g["grades"]], abs=1e-12)
    # the section round-trips through the result JSON, and is absent without --grades
    assert Result.from_dict(json.loads(json.dumps(r.to_dict()))).grades == json.loads(json.dumps(g))
    assert "grades" not in score_file(ex / "2026Q3.csv", ex / "model.yaml", ScoreOptions(bootstrap=0)).to_dict()


def test_grade_model_errors():
    def issues(text):
        with pytest.raises(ModelError) as e:
            load_model_text("name: t\n" + text + "children:\n  - {id: a, name: A, column: x}\n", "m.yaml")
        return [(i.code, i.path, i.line) for i in e.value.issues]

    assert issues("grades: [{name: 优, mn: 90}, {name: 差, min: 0}]\n")[:2] == [
        ("unknown-key", "grades[0].mn", 2), ("missing-key", "grades[0].min", 2)]
    assert issues("grades: [{name: 优, min: 90}, {name: 良, min: 60}]\n") == [("bad-grades", "grades", 2)]
    assert issues("grades: [{name: 优, min: 90}, {name: 优, min: 0}]\n") == [("bad-grades", "grades", 2)]
    assert issues("grades: [{name: 优, min: 120}, {name: 差, min: 0}]\n")[0][0] == "out-of-range"
    assert issues("grades: 优\n") == [("wrong-type", "grades", 2)]


def test_command_shows_the_grade_view_in_every_format(tmp_path, capsys, monkeypatch):
    from openpyxl import load_workbook

    from csi.cli import main

    monkeypatch.setenv("COLUMNS", "120")
    ex = EXAMPLES / "actions"
    outs = [tmp_path / f"g.{s}" for s in ("json", "md", "xlsx", "html")]
    args = ["score", str(ex / "2026Q3.csv"), "--model", str(ex / "model.yaml"), "-B", "100", "--grades", "--lang", "en"]
    assert main([*args, *[x for p in outs for x in ("-o", str(p))]]) == 0
    shown = capsys.readouterr().out
    assert "Grade view (fuzzy comprehensive evaluation)" in shown
    doc = json.loads(outs[0].read_text(encoding="utf-8"))
    g = doc["grades"]
    assert doc["manifest"]["options"]["grades"] is True
    overall = g["overall"]
    line = next(x for x in shown.splitlines() if x.startswith("Overall CSI"))
    assert f"{overall['membership'][1] * 100:.1f}%" in line and overall["grade"] in line
    md = outs[1].read_text(encoding="utf-8")
    assert "## Grade view (fuzzy comprehensive evaluation)" in md and f"| {overall['grade']} |" in md
    ws = load_workbook(outs[2])["Grades"]
    first = next(r for r in ws.iter_rows(values_only=True) if r[0] == "overall")
    assert list(first[2:7]) == pytest.approx(overall["membership"]) and first[7] == overall["grade"]
    assert 'id="grades"' in outs[3].read_text(encoding="utf-8")
    # without --grades nothing of it appears
    assert main(args[:-3] + ["-B", "0", "-f", "md"]) == 0
    assert "Grade view" not in capsys.readouterr().out


def test_a_scale_without_whole_points_needs_bands(tmp_path, capsys):
    from csi.cli import main

    pd.DataFrame({"a": [55, 80, 95]}).to_csv(tmp_path / "s.csv", index=False)
    (tmp_path / "m.yaml").write_text("name: t\nscale: {min: 0, max: 100}\nchildren:\n  - {id: a, name: A, column: a}\n",
                                     encoding="utf-8")
    assert main(["score", str(tmp_path / "s.csv"), "--model", str(tmp_path / "m.yaml"), "--grades", "-B", "0"]) == 2
    err = capsys.readouterr().err
    assert "m.yaml" in err and "declare grade bands in the model" in err and "Traceback" not in err


def test_grades_per_segment_value(tmp_path):
    """With --by, each value's overall membership is that of its own respondents: checked against
    the view of a file holding only them, and B·V against the segment's score."""
    ex = EXAMPLES / "actions"
    opts = ScoreOptions(bootstrap=100, seed=2)
    r = score_file(ex / "2026Q3.csv", ex / "model.yaml", opts, by=["部门"], grades=True)
    (seg,) = r.grades["segments"]
    assert seg["by"] == "部门" and [g["value"] for g in seg["groups"]] == [g.value for g in r.segments[0].groups]
    for g, sg in zip(seg["groups"], r.segments[0].groups, strict=True):
        assert g["n"] == sg.n and g["overall"]["score"] == pytest.approx(sg.overall.score, abs=1e-9)
        assert sum(g["overall"]["membership"]) == pytest.approx(1.0)
    df = pd.read_csv(ex / "2026Q3.csv")
    df[df["部门"] == "记账二部"].to_csv(tmp_path / "two.csv", index=False)
    alone = score_file(tmp_path / "two.csv", ex / "model.yaml", opts, grades=True).grades["overall"]
    two = next(g for g in seg["groups"] if g["value"] == "记账二部")["overall"]
    assert two["membership"] == pytest.approx(alone["membership"], abs=1e-12) and two["grade"] == alone["grade"]
