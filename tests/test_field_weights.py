"""Respondent weights: raking to population margins, weighted scores, segments against the rest."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import DataError, ModelError
from csi.model import load_model_text
from csi.raking import design_effect, rake
from csi.scoring import ScoreOptions, score
from csi.stats import holm
from csi.survey.prepare import DataQuality, Responses, prepare
from csi.survey.read import read_survey

runner = CliRunner()


def two_by_two():
    """100 respondents: (M, young) 20, (M, old) 30, (F, young) 40, (F, old) 10."""
    gender = np.array(["M"] * 50 + ["F"] * 50)
    age = np.array(["young"] * 20 + ["old"] * 30 + ["young"] * 40 + ["old"] * 10)
    return gender, age


def test_raking_2x2_reproduces_both_margins():
    """Targets M/F 50/50 and young/old 40/60. The sample is 50/50 by gender but 60/40 by age.

    IPF converges to weights of the multiplicative form w(g, a) = r_g · c_a (Deming & Stephan
    1940), so the four cell weights satisfy w(M,y)·w(F,o) = w(M,o)·w(F,y) — an identity that
    does not depend on the algorithm's path."""
    gender, age = two_by_two()
    r = rake([gender, age], [{"M": 0.5, "F": 0.5}, {"young": 0.4, "old": 0.6}])
    w = r.weights
    assert r.converged and r.max_error < 1e-6
    assert w[gender == "M"].sum() / w.sum() == pytest.approx(0.5, abs=1e-6)
    assert w[age == "young"].sum() / w.sum() == pytest.approx(0.4, abs=1e-6)
    cell = {(g, a): w[(gender == g) & (age == a)][0] for g in ("M", "F") for a in ("young", "old")}
    assert cell["M", "young"] * cell["F", "old"] == pytest.approx(cell["M", "old"] * cell["F", "young"], rel=1e-6)
    assert r.design_effect == pytest.approx(design_effect(w)) and r.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum())


def test_raking_reports_non_convergence():
    gender, age = two_by_two()
    r = rake([gender, age], [{"M": 0.5, "F": 0.5}, {"young": 0.4, "old": 0.6}], max_iter=1)
    assert not r.converged and r.iterations == 1 and r.max_error > 1e-6


def test_trimming_caps_weights():
    gender, age = two_by_two()
    r = rake([gender, age], [{"M": 0.9, "F": 0.1}, {"young": 0.1, "old": 0.9}], trim=2.0, max_iter=200)
    assert r.trimmed >= 1 and r.weights.max() / r.weights.mean() <= 2.0 * (1 + 1e-9)
    assert not r.converged  # the margins cannot be met under this cap, and the result says so
    untrimmed = rake([gender, age], [{"M": 0.9, "F": 0.1}, {"young": 0.1, "old": 0.9}], max_iter=200)
    assert untrimmed.weights.max() / untrimmed.weights.mean() > 2.5


MODEL = """
children: [{id: a, column: A}]
population: {size: 1000, margins: {group: {x: 0.5, y: 0.5}}}
"""


def test_raked_scores_by_hand(tmp_path):
    """Group x (3 respondents, answers 5, 5, 5 → 100) and y (1 respondent, answer 1 → 0);
    raked 50/50 the CSI is (100 + 0)/2 = 50, unweighted it would be 75. Effective n:
    weights 2/3, 2/3, 2/3, 2 → (4)²/(3·4/9 + 4) = 16/5.333 = 3.0."""
    p = tmp_path / "s.csv"
    p.write_text("group,A\nx,5\nx,5\nx,5\ny,1\n", encoding="utf-8")
    model = load_model_text(MODEL)
    r = score(model, prepare(read_survey(p), model), ScoreOptions(bootstrap=50))
    assert r.overall.score == pytest.approx(50)
    assert r.respondents["effective_n"] == pytest.approx(3.0)
    assert r.respondents["weighting"]["source"] == "raking" and r.respondents["weighting"]["converged"]


def test_unknown_category_is_an_error_with_its_row(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("group,A\nx,5\nz,4\n", encoding="utf-8")
    model = load_model_text(MODEL)
    with pytest.raises(DataError) as e:
        prepare(read_survey(p), model)
    assert [(i.row, i.column, i.code) for i in e.value.issues] == [(3, "group", "rake-unknown-category")]


def test_margins_must_add_up():
    with pytest.raises(ModelError) as e:
        load_model_text(MODEL.replace("y: 0.5", "y: 0.2"))
    assert e.value.codes == ["margins-sum"]


def test_weight_column_by_hand(tmp_path):
    """Weights 1, 3: (1·100 + 3·0)/4 = 25."""
    p = tmp_path / "s.csv"
    p.write_text("w,A\n1,5\n3,1\n", encoding="utf-8")
    model = load_model_text("children: [{id: a, column: A}]")
    r = score(model, prepare(read_survey(p), model, weight_column="w"), ScoreOptions(bootstrap=20))
    assert r.overall.score == pytest.approx(25) and r.respondents["effective_n"] == pytest.approx(16 / 10)


def test_segment_against_the_rest_by_hand():
    """Two groups with known SEs: the test is z = Δ/√(se_g² + se_rest²), Holm across groups."""
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(70, 10, 200), rng.normal(60, 10, 200)])[:, None]
    seg = np.array(["a"] * 200 + ["b"] * 200, dtype=object)
    resp = Responses(x, ("a_",), ("A",), np.arange(400), DataQuality(400, 400, {}, {}), None, {"g": seg})
    model = load_model_text("children: [{id: a_, column: A}]")
    r = score(model, resp, ScoreOptions(bootstrap=400, seed=1))
    (segment,) = r.segments
    groups = {g.value: g for g in segment.groups}
    a, b = groups["a"], groups["b"]
    t = a.vs_rest
    assert t["delta"] == pytest.approx(a.overall.score - b.overall.score)
    assert t["rest_score"] == pytest.approx(b.overall.score)
    assert t["z"] == pytest.approx(t["delta"] / t["se"]) and t["se"] > 0
    assert [g.vs_rest["p_adj"] for g in (a, b)] == pytest.approx(list(holm([a.vs_rest["p"], b.vs_rest["p"]])))


def test_max_margin_warning(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("A\n" + "\n".join(str(v) for v in [1, 5, 3, 2, 4, 5, 1, 2]) + "\n", encoding="utf-8")
    model = load_model_text("quality: {max_margin: 3}\nchildren: [{id: a, column: A}]")
    r = score(model, prepare(read_survey(p), model), ScoreOptions(bootstrap=200))
    assert any("wider than quality.max_margin ±3" in w for w in r.warnings)


def test_segments_in_the_cli_never_show_small_groups():
    r = runner.invoke(app, ["score", str(EXAMPLES / "english" / "survey.csv"), "--model", str(EXAMPLES / "english" / "model.yaml"),
                            "--by", "region", "--min-group", "50", "-B", "50", "--format", "json"])
    doc = json.loads(r.stdout)
    (seg,) = doc["segments"]
    assert all(g["n"] >= 50 for g in seg["groups"]) and seg["suppressed"] >= 1
