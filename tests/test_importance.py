"""Derived importance of the IPA matrix, ``--rank-by ipma`` and the structural CSI in the headline
(docs/methods.md#ipa, docs/structural.md).

The relative weights are checked against Johnson's (2000) method written here from his own
construction — the orthonormal matrix Z closest to the standardised predictors (Z = U Vᵀ of
their singular value decomposition), the outcome regressed on Z (β), each predictor regressed on
Z (Λ), εⱼ = Σₖ Λⱼₖ² βₖ² — not from the eigen-decomposition the library uses, and their sum
against the R² of a plain least-squares fit.
"""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from csi.api import ScoreOptions, score_export, score_file
from csi.cli import app
from csi.model import load_model_text
from csi.report.tables import to_markdown
from csi.weakpoints import rank_weak_points

Q3 = str(EXAMPLES / "accounting_2026Q3.xlsx")
ECSI = str(EXAMPLES / "ecsi_mobile" / "survey.csv")
ECSI_MODEL = str(EXAMPLES / "ecsi_mobile" / "model.yaml")
ENGLISH = EXAMPLES / "english"
runner = CliRunner()


def johnson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's (2000) raw relative weights ε from the orthogonal counterparts Z of the predictors."""
    n = x.shape[0]
    xs = (x - x.mean(axis=0)) / x.std(axis=0)
    ys = (y - y.mean()) / y.std()
    u, _, vt = np.linalg.svd(xs, full_matrices=False)
    z = (u @ vt) * math.sqrt(n)  # orthogonal, each column of variance 1
    beta = z.T @ ys / n  # y on Z (Z orthogonal: simple regressions)
    lam = z.T @ xs / n  # lam[k, j]: x_j on z_k, the correlation of x_j with z_k
    return (lam**2).T @ beta**2


def r_squared(x: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return float(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


@pytest.fixture(scope="module")
def q3():
    return score_export(Q3, options=ScoreOptions(bootstrap=0))


@pytest.fixture(scope="module")
def ecsi():
    return score_file(ECSI, ECSI_MODEL, ScoreOptions(bootstrap=50))


def test_relative_weights_on_the_outcome_match_johnson(q3):
    result, responses = q3.result, q3.responses
    items = [n for n in result.nodes if n.kind == "item"]
    k = len(items)
    x_all = responses.values[:, :k]
    outcome = responses.values[:, k:k + 3]  # the example's three direct satisfaction questions
    answered = ~np.isnan(outcome)
    y_all = np.where(answered, outcome, 0).sum(axis=1) / np.maximum(answered.sum(axis=1), 1)
    rows = answered.any(axis=1) & ~np.isnan(x_all).any(axis=1)  # listwise: the model's default policy
    x, y = x_all[rows], y_all[rows]
    eps = johnson(x, y)
    ipa = result.ipa
    assert ipa["importance"] == "relative_weight" and ipa["policy"] == "listwise"
    assert ipa["n"] == int(rows.sum()) == 79
    assert ipa["r2"] == pytest.approx(eps.sum(), abs=1e-10)
    assert ipa["r2"] == pytest.approx(r_squared(x, y), abs=1e-10)
    got = np.array([d["importance"] for d in ipa["items"]])
    assert [d["id"] for d in ipa["items"]] == [n.id for n in items]
    np.testing.assert_allclose(got, eps / eps.sum(), atol=1e-10, rtol=0)
    # quadrants: cross-hairs at the mean importance (1/k: shares) and the mean score
    scores = np.array([n.score for n in items])
    assert ipa["mean_importance"] == pytest.approx(1 / k)
    for d, imp, score in zip(ipa["items"], got, scores, strict=True):
        high, good = imp >= 1 / k, score >= scores.mean()
        assert d["quadrant"] == ("keep_up_the_good_work" if good else "concentrate_here") if high else (
            "possible_overkill" if good else "low_priority")
    by_id = {d["id"]: d["quadrant"] for d in ipa["items"]}
    assert all(w.quadrant == by_id[w.id] for w in result.weak_points)


def test_mean_policy_and_respondent_weights_in_chunks(monkeypatch):
    """Policy ``mean`` (a missing answer at its indicator's mean over the respondents kept) and
    integer respondent weights, as Johnson on the imputed rows repeated ``weight`` times; the
    pass over the rows in chunks of 7 so that it takes several."""
    import csi.importance
    from csi.api import model_for_run
    from csi.importance import relative_importance
    from csi.responses import DataQuality, Responses

    rng = np.random.default_rng(7)
    n, k = 60, 4
    x = rng.integers(0, 5, size=(n, k)).astype(float) * 25
    y = np.clip(x @ np.array([0.4, 0.3, 0.2, 0.1]) + rng.normal(0, 8, n), 0, 100)
    x[rng.random((n, k)) < 0.15] = np.nan
    x[3] = np.nan  # answered no indicator: left out under either policy
    y[5] = np.nan  # no outcome answer: left out
    w = rng.integers(1, 4, size=n).astype(float)
    model = model_for_run(load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}, "
                                          "{id: d, column: D}]\noutcome: {items: [{id: o, column: O}]}"), policy="mean")
    responses = Responses(np.column_stack([x, y]), ("a", "b", "c", "d", "o"), tuple("ABCDO"), np.arange(n),
                          DataQuality(n, n, {}, {}), weights=w)
    monkeypatch.setattr(csi.importance, "CHUNK_ROWS", 7)
    got = relative_importance(model, responses)
    kept = ~np.isnan(y) & ~np.isnan(x).all(axis=1)
    filled = np.where(np.isnan(x[kept]), np.nanmean(x[kept], axis=0), x[kept])
    eps = johnson(np.repeat(filled, w[kept].astype(int), axis=0), np.repeat(y[kept], w[kept].astype(int)))
    assert got.kind == "relative_weight" and got.details["policy"] == "mean" and got.details["n"] == int(kept.sum())
    np.testing.assert_allclose(got.values, eps / eps.sum(), atol=1e-10, rtol=0)
    assert got.details["r2"] == pytest.approx(eps.sum(), abs=1e-10)


def test_an_indicator_everybody_rated_alike_has_no_importance():
    """A constant indicator explains nothing (ε = 0), as method drivers has it; the others are
    Johnson's weights without it."""
    from csi.importance import relative_importance
    from csi.responses import DataQuality, Responses

    rng = np.random.default_rng(3)
    n = 40
    x = np.column_stack([rng.integers(0, 5, n) * 25.0, np.full(n, 62.5), rng.integers(0, 5, n) * 25.0])
    y = np.clip(0.6 * x[:, 0] + 0.3 * x[:, 2] + rng.normal(0, 10, n), 0, 100)
    model = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]\n"
                            "outcome: {items: [{id: o, column: O}]}")
    got = relative_importance(model, Responses(np.column_stack([x, y]), ("a", "b", "c", "o"), tuple("ABCO"), np.arange(n),
                                               DataQuality(n, n, {}, {})))
    eps = johnson(x[:, [0, 2]], y)
    np.testing.assert_allclose(got.values, [eps[0] / eps.sum(), 0.0, eps[1] / eps.sum()], atol=1e-10, rtol=0)


def test_the_loss_stays_the_model_weight_times_the_gap(q3):
    nodes = {n.id: n for n in q3.result.nodes}
    top = q3.result.weak_points[0]
    assert top.id == "phone_wait" and top.score == pytest.approx(62.9, abs=0.05)
    for w in q3.result.weak_points:
        assert w.loss == pytest.approx(nodes[w.id].global_weight * max(w.target - w.score, 0), abs=1e-12)
        assert w.importance == nodes[w.id].global_weight and w.priority is None
    assert q3.result.manifest["options"]["rank_by"] == "loss" and q3.result.ipa["rank_by"] == "loss"


def test_rank_by_ipma_ranks_by_derived_importance_times_gap():
    result = score_file(Q3, options=ScoreOptions(bootstrap=100, rank_by="ipma", top=5))
    nodes = {n.id: n for n in result.nodes if n.kind == "item"}
    imp = {d["id"]: d["importance"] for d in result.ipa["items"]}
    expected = sorted(((imp[i] * max(n.target - n.score, 0), i) for i, n in nodes.items()), key=lambda p: -p[0])[:5]
    assert [w.id for w in result.weak_points] == [i for _, i in expected]
    for w, (priority, _) in zip(result.weak_points, expected, strict=True):
        assert w.priority == pytest.approx(priority, abs=1e-12)
        assert w.loss == pytest.approx(nodes[w.id].global_weight * max(w.target - w.score, 0), abs=1e-12)
    assert result.manifest["options"]["rank_by"] == "ipma"
    doc = result.to_dict()
    assert doc["ipa"]["rank_by"] == "ipma" and "priority" in doc["weak_points"][0]
    from csi.report.html import to_html

    md = to_markdown(result, "en")
    assert "## Weak points (ranked by IPMA: derived importance × gap to target)" in md and "| IPMA priority |" in md
    assert f"Highest IPMA priority</div><div class=\"value t-bad\">{result.weak_points[0].priority:.3f}<" in to_html(result, "en")


def test_rank_stability_follows_the_ranking_rule():
    m = load_model_text("children: [{id: a, column: A}, {id: b, column: B}, {id: c, column: C}]")
    scores = np.array([60.0, 70.0, 75.0])
    weights = np.array([0.6, 0.2, 0.2])  # loss: a 12, b 2, c 1
    derived = np.array([0.1, 0.5, 0.4])  # ipma: a 2, b 5, c 2
    reps = np.array([[60.0, 70, 75], [79, 70, 60], [60, 79.5, 75], [79, 79, 79]])
    kw = dict(targets=np.full(3, 80.0), low_share=np.zeros(3), replicate_scores=reps, top=1, derived=derived)
    by_loss = rank_weak_points(m.items, scores, weights, **kw)
    by_ipma = rank_weak_points(m.items, scores, weights, rank_by="ipma", **kw)
    assert [w.id for w in by_loss] == ["a"] and [w.id for w in by_ipma] == ["b"]
    # replicate losses: (12, 2, 1), (0.6, 2, 4), (12, 0.1, 1), (0.6, 0.2, 0.2) → a tops 3 of 4
    assert by_loss[0].stability == 0.75
    # replicate ipma: (2, 5, 2), (0.1, 5, 8), (2, 0.25, 2), (0.1, 0.5, 0.4) → b tops 2 of 4
    assert by_ipma[0].stability == 0.5 and by_ipma[0].priority == pytest.approx(5.0)
    # quadrants on the derived importance whatever the ranking (mean 1/3; mean score 68.3)
    assert by_ipma[0].quadrant == "keep_up_the_good_work" and by_loss[0].quadrant == "low_priority"


def test_with_paths_the_importance_is_the_ipma_indicator_importance(ecsi):
    st = ecsi.structural
    ipa = ecsi.ipa
    assert ipa["importance"] == "ipma_total_effect" and ipa["target"] == "outcome"
    # index weight × the construct's unstandardised total effect on satisfaction, from the section's own tables
    effect = {t["from"]: t["effect_unstandardised"] for t in st["total_effects"] if t["to"] == st["satisfaction"]}
    expected = {i["id"]: i["weight"] * effect[c["id"]] for c in st["constructs"] if c["id"] in effect for i in c["items"]}
    items = [n.id for n in ecsi.nodes if n.kind == "item"]
    assert [d["id"] for d in ipa["items"]] == items
    for d in ipa["items"]:
        assert d["importance"] == pytest.approx(expected[d["id"]], abs=1e-12)
    assert {d["id"]: d["importance"] for d in st["ipma"]["indicators"] if d["id"] in items} == \
        {d["id"]: d["importance"] for d in ipa["items"]}


def test_with_paths_rank_by_ipma_uses_the_total_effects():
    result = score_file(ECSI, ECSI_MODEL, ScoreOptions(bootstrap=0, rank_by="ipma", top=3))
    imp = {d["id"]: d["importance"] for d in result.ipa["items"]}
    nodes = {n.id: n for n in result.nodes if n.kind == "item"}
    expected = sorted(nodes, key=lambda i: -imp[i] * max(nodes[i].target - nodes[i].score, 0))[:3]
    assert [w.id for w in result.weak_points] == expected


def _english_without_outcome(tmp_path):
    text = (ENGLISH / "model.yaml").read_text(encoding="utf-8")
    text = re.sub(r"outcome:\n(  .*\n)+", "", text)
    text = re.sub(r"nps:.*\n", "", text)
    model = tmp_path / "model.yaml"
    model.write_text(text, encoding="utf-8")
    return str(model)


def test_without_an_outcome_block_the_matrix_keeps_the_model_weights(tmp_path):
    model = _english_without_outcome(tmp_path)
    result = score_file(str(ENGLISH / "survey.csv"), model, ScoreOptions(bootstrap=0))
    assert result.outcome is None and result.ipa["importance"] == "model_weight"
    weights = {n.id: n.global_weight for n in result.nodes if n.kind == "item"}
    assert {d["id"]: d["importance"] for d in result.ipa["items"]} == weights
    assert "IPA importance: the model's global weights (the model has no outcome block" in to_markdown(result, "en")


def test_rank_by_ipma_without_an_outcome_block_exits_2(tmp_path):
    model = _english_without_outcome(tmp_path)
    r = runner.invoke(app, ["score", str(ENGLISH / "survey.csv"), "--model", model, "--rank-by", "ipma", "-B", "0"])
    assert r.exit_code == 2
    assert "--rank-by ipma" in r.stderr and "outcome block" in r.stderr and "paths:" in r.stderr
    assert "Traceback" not in r.stderr
    r = runner.invoke(app, ["score", str(ENGLISH / "survey.csv"), "--model", model, "--rank-by", "gap"])
    assert r.exit_code == 2 and "loss or ipma" in r.stderr


def test_too_few_complete_answers_fall_back_to_the_model_weights(tmp_path):
    lines = (ENGLISH / "survey.csv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:9]) + "\n", encoding="utf-8")  # 8 respondents, 8 indicators
    model = str(ENGLISH / "model.yaml")
    result = score_file(str(small), model, ScoreOptions(bootstrap=0))
    assert result.ipa["importance"] == "model_weight" and "policy listwise" in result.ipa["not_derived"]
    assert any(w.startswith("the IPA matrix shows the model's weights") for w in result.warnings)
    assert "relative weights on the outcome could not be computed" in to_markdown(result, "en")
    r = runner.invoke(app, ["score", str(small), "--model", model, "--rank-by", "ipma", "-B", "0"])
    assert r.exit_code == 2 and "rank-by ipma" in r.stderr and "Traceback" not in r.stderr


def test_every_report_names_the_importance_and_the_disagreement(q3, tmp_path):
    from openpyxl import load_workbook

    from csi.report.excel import to_xlsx
    from csi.report.html import to_html

    result = q3.result
    basis = "IPA importance: relative weights of the indicators on the outcome index (Johnson 2000; 79 complete responses"
    differ = "Top 3 by loss, yet outside “Concentrate here”: 电话接通时间（秒）"
    md = to_markdown(result, "en")
    assert "## Weak points (ranked by loss)" in md and basis in md and differ in md
    page = to_html(result, "en")
    assert page.count(basis) == 2 and differ in page  # under the matrix and under the weak points
    assert "Importance (relative weight on the outcome)" in page
    wb = load_workbook(io.BytesIO(to_xlsx(result, "en")))
    cells = [str(c.value) for row in wb["Weak points"].iter_rows() for c in row if c.value is not None]
    assert sum(basis in c for c in cells) == 2 and any(differ in c for c in cells)
    r = runner.invoke(app, ["score", Q3, "-B", "0", "--lang", "en"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and basis in r.stdout and differ in r.stdout


def test_a_structural_model_leads_with_its_csi(ecsi):
    from openpyxl import load_workbook

    from csi.report.excel import to_xlsx
    from csi.report.findings import result_findings
    from csi.report.html import to_html

    st = ecsi.structural
    csi_text, tree_text = f"{st['csi']:.1f}", f"{ecsi.overall.score:.1f}"
    assert csi_text == "72.5" and tree_text == "70.3"
    md = to_markdown(ecsi, "en").split("\n")
    first = next(line for line in md if line.startswith("**"))
    assert first.startswith(f"**CSI (satisfaction construct): {csi_text}** [{st['ci'][0]:.1f}, {st['ci'][1]:.1f}]")
    assert f"Index of the drivers (index tree): {tree_text}" in md[md.index(first) + 2]
    level = result_findings(ecsi)[0]
    assert level.fields["score"] == st["csi"] and level.fields["tree_score"] == ecsi.overall.score
    assert level.text("en").startswith(f"The CSI (the satisfaction construct's index) is {csi_text}")
    page = to_html(ecsi, "en")
    assert re.search(r'kpi main[^>]*><div class="label">CSI \(satisfaction construct\)</div><div class="value[^"]*">72\.5<', page)
    summary = load_workbook(io.BytesIO(to_xlsx(ecsi, "en")))["Summary"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    lead = next(i for i, r in enumerate(rows) if r[0] == "CSI (satisfaction construct)")
    assert rows[lead][1] == pytest.approx(st["csi"]) and rows[lead + 1][0] == "Index of the drivers (index tree)"
    assert ecsi.to_dict()["overall"]["score"] == ecsi.overall.score  # the JSON's overall stays the tree's
    r = runner.invoke(app, ["score", ECSI, "--model", ECSI_MODEL, "-B", "50", "--lang", "en"], env={"COLUMNS": "200"})
    panel = r.stdout.split("Key findings")[0]
    assert panel.index("CSI (satisfaction construct)  72.5") < panel.index("Index of the drivers (index tree)  70.3")


def test_compare_warns_when_the_periods_rank_weak_points_differently():
    from csi.compare import compare_results

    q2 = EXAMPLES / "accounting_2026Q2.xlsx"
    by_loss = score_file(q2, options=ScoreOptions(bootstrap=20))
    by_ipma = score_export(Q3, options=ScoreOptions(bootstrap=20, rank_by="ipma")).result
    mixed = compare_results([by_loss, by_ipma], labels=["Q2", "Q3"])
    assert any("ranked differently (by loss in Q2, by ipma in Q3)" in w for w in mixed.warnings)
    same = compare_results([by_loss, score_file(Q3, options=ScoreOptions(bootstrap=20))], labels=["Q2", "Q3"])
    assert not any("ranked differently" in w for w in same.warnings)


def test_fail_under_checks_the_structural_csi_with_paths(ecsi):
    """Between the index tree's overall and the structural CSI, --fail-under follows the CSI."""
    tree, csi = ecsi.overall.score, ecsi.structural_csi().score
    assert abs(csi - tree) > 0.2
    between = f"{(tree + csi) / 2:.2f}"
    r = runner.invoke(app, ["score", str(ECSI), "--model", ECSI_MODEL, "-B", "50", "-q", "--fail-under", between])
    assert r.exit_code == (1 if csi < tree else 0)
    above = f"{csi + 0.05:.2f}"
    r = runner.invoke(app, ["score", str(ECSI), "--model", ECSI_MODEL, "-B", "50", "-q", "--fail-under", above])
    assert r.exit_code == 1 and f"structural CSI {csi:.2f} is below --fail-under {float(above):g}" in r.stderr
