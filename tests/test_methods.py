"""Weighting methods wired into the model, the engine and the command line."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from csi.cli import app
from csi.errors import ModelError
from csi.model import load_model_text, with_method
from csi.scoring import ScoreOptions, score
from csi.survey.prepare import DataQuality, Responses
from csi.weighting import group_weights
from csi.weighting.entropy import entropy_weights

Q3 = str(EXAMPLES / "accounting_2026Q3.xlsx")
runner = CliRunner()

TWO = """
outcome: {items: [{id: sat, column: S}]}
children:
  - {id: g, children: [{id: a, column: A}, {id: b, column: B}]}
  - {id: c, column: C}
"""


def responses(x):
    x = np.asarray(x, dtype=float)
    ids = ("a", "b", "c", "sat")
    return Responses(x, ids, ids, np.arange(2, len(x) + 2), DataQuality(len(x), len(x), {}, {}))


def test_method_rules_are_checked_when_the_model_loads():
    with pytest.raises(ModelError) as e:
        load_model_text("method: drivers\nchildren: [{id: a, column: A}, {id: b, column: B}]")
    assert e.value.codes == ["drivers-needs-outcome"]
    with pytest.raises(ModelError) as e:
        load_model_text(TWO.replace("- {id: g, children", "- {id: g, method: pls, children"))
    assert e.value.codes == ["pls-root-only"] and e.value.issues[0].line == 4
    with pytest.raises(ModelError) as e:
        load_model_text("method: entropy\noptions: {policy: sometimes}\nchildren: [{id: a, column: A}, {id: b, column: B}]")
    assert e.value.codes == ["bad-option"]


def test_with_method_overrides_only_inherited_groups():
    m = load_model_text(TWO.replace("- {id: g, children", "- {id: g, method: fixed, children"))
    e = with_method(m, "entropy")
    assert [g.method for g in e.groups] == ["entropy", "fixed"]
    assert [g.method for g in with_method(m, "entropy", force=True).groups] == ["entropy", "entropy"]
    assert [g.method for g in with_method(m, "pls").groups] == ["pls", "pls"]


def test_entropy_group_uses_the_childrens_scores():
    """The root's children are g (its own entropy-weighted mean of a and b per respondent) and c;
    the registry's root weights equal entropy_weights on those two columns."""
    rng = np.random.default_rng(4)
    x = rng.integers(0, 5, size=(50, 4)) * 25.0
    m = load_model_text("method: entropy\n" + TWO)
    gw = group_weights(m, responses(x))
    wa, wb = gw["g"].weights
    assert (wa, wb) == pytest.approx(entropy_weights(x[:, :2]).weights, abs=1e-12)
    child = np.column_stack([wa * x[:, 0] + wb * x[:, 1], x[:, 2]])
    assert gw["overall"].weights == pytest.approx(entropy_weights(child).weights, abs=1e-12)
    assert gw["g"].method == "entropy"


def test_bootstrap_weights_is_seeded_and_widens_nothing_for_fixed_weights():
    rng = np.random.default_rng(9)
    latent = rng.normal(size=300)
    x = np.clip(np.round(np.column_stack([latent + rng.normal(size=300) for _ in range(4)]) + 3), 1, 5)
    x = (x - 1) / 4 * 100
    m = load_model_text("method: drivers\n" + TWO)
    one = score(m, responses(x), ScoreOptions(bootstrap=200, seed=3, bootstrap_weights=True))
    two = score(m, responses(x), ScoreOptions(bootstrap=200, seed=3, bootstrap_weights=True))
    assert one.overall == two.overall
    fixed = load_model_text(TWO)
    a = score(fixed, responses(x), ScoreOptions(bootstrap=200, seed=3, bootstrap_weights=True))
    b = score(fixed, responses(x), ScoreOptions(bootstrap=200, seed=3))
    assert a.overall == b.overall  # nothing data-driven: the ordinary bootstrap runs


def test_score_with_method_on_the_command_line_records_it():
    r = runner.invoke(app, ["score", Q3, "--method", "critic", "-B", "50", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    methods = {n["id"]: n["method"] for n in doc["nodes"] if n["kind"] == "group"}
    assert methods["quality"] == "critic" and methods["efficiency"] == "ahp"  # efficiency names its own method
    assert doc["manifest"]["options"]["method"] == "critic"
    assert sum(n["weight"] for n in doc["nodes"] if n["parent"] is None) == pytest.approx(1)


def test_negative_pls_weight_fails_clearly_unless_allowed():
    r = runner.invoke(app, ["score", Q3, "--method", "pls", "-B", "0", "-q"])
    assert r.exit_code == 2 and "negative" in r.stderr and "--allow-negative" in r.stderr and "Traceback" not in r.stderr
    r = runner.invoke(app, ["score", Q3, "--method", "pls", "--allow-negative", "-B", "0", "--format", "json"])
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and any("clipped to 0" in w for w in doc["warnings"])
    root = [n for n in doc["nodes"] if n["id"] == "quality"][0]
    assert 0 < root["weighting"]["ave"] <= 1 and 0 < root["weighting"]["composite_reliability"] <= 1


def test_weights_command_side_by_side():
    r = runner.invoke(app, ["weights", Q3, "--format", "json", "--allow-negative"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    runs = {m["method"]: m for m in doc["methods"]}
    assert set(runs) == {"model", "fixed", "ahp", "entropy", "critic", "drivers", "pls"}
    assert runs["model"]["weights"]["overall"] == pytest.approx([0.25, 0.2, 0.2, 0.1, 0.15, 0.1])
    assert runs["model"]["details"]["efficiency"]["cr"] == pytest.approx(0.0079334, abs=1e-6)
    for m in runs.values():
        assert m["error"] is None and sum(m["weights"]["overall"]) == pytest.approx(1)
    assert [m for m, run in runs.items() if run["warnings"]] == ["pls"] and "clipped to 0" in runs["pls"]["warnings"][0]
    assert doc["sensitivity"].startswith("Top-3 weak points across 7 methods")
    r = runner.invoke(app, ["weights", Q3, "--allow-negative", "--lang", "en"], env={"COLUMNS": "300"})
    assert r.exit_code == 0 and doc["sensitivity"] in r.stdout  # the table's sentence is the JSON's, word for word
    assert f"! pls: {runs['pls']['warnings'][0]}" in r.stdout


def test_weights_refuses_a_negative_weight_as_score_does_unless_allowed():
    """--allow-negative is off by default, as in csi score: PLS's negative path coefficient on this
    export is not run, with the message score stops with; the other methods still are."""
    score = runner.invoke(app, ["score", Q3, "--method", "pls", "-B", "0", "-q"])
    r = runner.invoke(app, ["weights", Q3, "--method", "fixed", "--method", "pls", "--format", "json"])
    assert score.exit_code == 2 and r.exit_code == 0, r.stderr
    runs = {m["method"]: m for m in json.loads(r.stdout)["methods"]}
    assert runs["fixed"]["error"] is None and runs["pls"]["weights"] == {} and runs["pls"]["warnings"] == []
    assert "negative" in runs["pls"]["error"] and "--allow-negative" in runs["pls"]["error"]
    assert runs["pls"]["error"] in score.stderr
    table = runner.invoke(app, ["weights", Q3, "--method", "fixed", "--method", "pls", "--lang", "en"], env={"COLUMNS": "400"})
    assert table.exit_code == 0 and f"not run: {runs['pls']['error']}" in table.stdout


def test_weights_table_speaks_the_model_s_language():
    zh = runner.invoke(app, ["weights", Q3, "--method", "model", "--method", "entropy"], env={"COLUMNS": "300"})
    assert zh.exit_code == 0, zh.stderr
    for heading in ("各赋权方法下的指数与薄弱环节", "前 3 个薄弱环节", "AHP 一致性：CR 0.008（λmax 3.009，Saaty 1980 RI）",
                    "2 种方法的前 3 个薄弱环节："):
        assert heading in zh.stdout
    assert re.search(r"^方法 +│ +fixed │ +entropy$", zh.stdout, re.M)
    assert not re.search("Index|weak points|method|AHP consistency", zh.stdout)
    en = runner.invoke(app, ["weights", Q3, "--method", "model", "--method", "entropy", "--lang", "en"], env={"COLUMNS": "300"})
    assert "Index and top weak points by method" in en.stdout and "AHP consistency: CR 0.008" in en.stdout
    assert not re.search("[方法薄弱]", en.stdout)
