"""Tests for csi.structural: structural PLS models against published SmartPLS, seminr and
plspm results, and the derived figures against plain numpy computations.

Sources are in tests/reference/REFERENCES.md (section "Structural models").
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csi.api import model_for_run, score_export
from csi.model import load_model, load_model_text
from csi.options import ScoreOptions
from csi.structural import estimate_structure
from csi.survey.prepare import DataQuality, Responses

DATA = Path(__file__).parent / "data"
SMARTPLS = DATA / "smartpls_ecsi"
# SmartPLS's construct names → our construct ids in tests/data/ecsi_mobi.yaml
LV = {"Image": "image", "Expectation": "expectation", "Quality": "quality", "Value": "value",
      "Satisfaction": "outcome", "Complaints": "complaints", "Loyalty": "loyalty"}


def smartpls(scheme: str, table: str) -> pd.DataFrame:
    """A SmartPLS 2.0.M3 result table (rows: source or item, columns: target construct)."""
    folder = {"path": "pathWeighting", "centroid": "centroid", "factorial": "factorial"}[scheme]
    text = (SMARTPLS / folder / f"{table}.txt").read_text().replace(",", ".")
    lines = [line.split() for line in text.splitlines() if line.strip()]
    header = lines[0]
    return pd.DataFrame([[float(v) for v in row[1:]] for row in lines[1:]], index=[row[0] for row in lines[1:]],
                        columns=header).astype(float)


def structural(model, data=DATA / "ecsi_mobi.csv", bootstrap=0, seed=0) -> dict:
    return score_export(data, model, ScoreOptions(bootstrap=bootstrap, seed=seed)).result.structural


@pytest.fixture(scope="module")
def ecsi_model():
    return load_model(DATA / "ecsi_mobi.yaml")


# --------------------------------------------------------------------------- SmartPLS, full ECSI


@pytest.mark.parametrize("scheme", ["path", "centroid", "factorial"])
def test_full_ecsi_matches_smartpls(ecsi_model, scheme):
    # SmartPLS 2.0.M3 (semPLS regression tests): standardised items, abort criterion 1e-7
    s = structural(model_for_run(ecsi_model, scheme=scheme, scaled=True))
    raw = pd.read_csv(DATA / "ecsi_mobi.csv")
    assert s["settings"]["scheme"] == scheme and s["settings"]["scaled"] is True
    pc = smartpls(scheme, "pathCoefficients")
    for p in s["paths"]:
        src = next(k for k, v in LV.items() if v == p["from"])
        dst = next(k for k, v in LV.items() if v == p["to"])
        assert p["coefficient"] == pytest.approx(pc.loc[src, dst], abs=1e-6), (p["from"], p["to"])
    te = smartpls(scheme, "totalEffects")
    effects = {(t["from"], t["to"]): t["effect"] for t in s["total_effects"]}
    for src, dst in itertools.permutations(LV, 2):
        expected = te.loc[src, dst]
        assert effects.get((LV[src], LV[dst]), 0.0) == pytest.approx(expected, abs=1e-6), (src, dst)
    ow = smartpls(scheme, "outerWeights")
    cl = smartpls(scheme, "crossLoadings")
    for c in s["constructs"]:
        src = next(k for k, v in LV.items() if v == c["id"])
        for item in c["items"]:
            assert item["outer_weight"] == pytest.approx(ow.loc[item["id"].upper(), src], abs=1e-6), item["id"]
            assert item["loading"] == pytest.approx(cl.loc[item["id"].upper(), src], abs=1e-6), item["id"]
        # the index weights are the weights on the items as given (SmartPLS's standardised
        # weights over the items' standard deviations), normalised to sum 1
        cols = [i["id"].upper() for i in c["items"]]
        sw = ow.loc[cols, src] / raw[cols].std()
        assert [i["weight"] for i in c["items"]] == pytest.approx(list(sw / sw.sum()), abs=1e-6)
    # construct correlations: SmartPLS's cross-loading of a single-item block is its correlation
    corr = {(d["a"], d["b"]): d["correlation"] for d in s["discriminant"]}
    for other in ("image", "expectation", "quality", "value", "outcome"):
        src = next(k for k, v in LV.items() if v == other)
        assert corr[(other, "complaints")] == pytest.approx(cl.loc["CUSCO", src], abs=1e-6)


def test_csi_is_satisfaction_index_by_the_acsi_rule(ecsi_model):
    # Independent: normalised weights × item means on 0–100, from the raw data with numpy
    s = structural(ecsi_model)
    raw = pd.read_csv(DATA / "ecsi_mobi.csv")
    sat = next(c for c in s["constructs"] if c["id"] == "outcome")
    means = (raw[["CUSA1", "CUSA2", "CUSA3"]].to_numpy(float) - 1) / 9 * 100
    w = np.array([i["weight"] for i in sat["items"]])
    assert s["csi"] == pytest.approx(float(w @ means.mean(axis=0)), abs=1e-9)
    assert s["csi"] == sat["index"] and s["satisfaction"] == "outcome"


# --------------------------------------------------------------------------- seminr fixtures

SEMINR_MODEL = """
name: seminr mobi summary model
scale: {min: 1, max: 10}
children:
  - {id: image, name: Image, children: [{id: imag1, column: IMAG1}, {id: imag2, column: IMAG2}, {id: imag3, column: IMAG3},
                                        {id: imag4, column: IMAG4}, {id: imag5, column: IMAG5}]}
  - {id: expectation, name: Expectation, children: [{id: cuex1, column: CUEX1}, {id: cuex2, column: CUEX2}, {id: cuex3, column: CUEX3}]}
  - {id: value, name: Value, children: [{id: perv1, column: PERV1}, {id: perv2, column: PERV2}]}
outcome:
  name: Satisfaction
  items: [{id: cusa1, column: CUSA1}, {id: cusa2, column: CUSA2}, {id: cusa3, column: CUSA3}]
paths:
  arrows: {image: outcome, expectation: outcome, value: outcome}
"""

# seminr 2.3.x test fixtures (tests/fixtures/V_3_6_0/), model of tests/testthat/test-summary.R:
# reliability.csv (alpha, rhoC, AVE, rhoA)
SEMINR_RELIABILITY = {
    "image": (0.722834595427083, 0.818325774056256, 0.477979834838268, 0.745291554480322),
    "expectation": (0.451902555978063, 0.733177801505283, 0.480507046633952, 0.461657986928213),
    "value": (0.823631979352573, 0.917897281748515, 0.84831067540365, 0.857527048393235),
    "outcome": (0.779195021918597, 0.871457927643628, 0.693363990925202, 0.784023593590752),
}
# boot_report_paths.csv, boot_report_weights, boot_report_loadings.csv: "Original Est."
SEMINR_PATHS = {"image": 0.447003896753383, "expectation": 0.171830104491587, "value": 0.316425319256028}
SEMINR_WEIGHTS = {
    "imag1": 0.331565496837403, "imag2": 0.253381407777625, "imag3": 0.19957423850573, "imag4": 0.330983162965217,
    "imag5": 0.310490528776397, "cuex1": 0.505837721216892, "cuex2": 0.49867124599148, "cuex3": 0.43608211325906,
    "perv1": 0.476812933927711, "perv2": 0.60642533542816, "cusa1": 0.387272947521168, "cusa2": 0.373939896289369,
    "cusa3": 0.439128431593844,
}
SEMINR_LOADINGS = {
    "imag1": 0.763199100938388, "imag2": 0.598825742061012, "imag3": 0.561373435201573, "imag4": 0.76917060820122,
    "imag5": 0.73625435746935, "cuex1": 0.76152466539557, "cuex2": 0.710214472518844, "cuex3": 0.597659373657607,
    "perv1": 0.901400554962627, "perv2": 0.940265063862509, "cusa1": 0.804053676874834, "cusa2": 0.842878555812946,
    "cusa3": 0.850379560919916,
}
# rsquared1.csv (test-metric.R, same model): Rsq, AdjRsq
SEMINR_R2 = (0.590603320426892, 0.585610677993074)
# fl_table.csv (test-validity.R, same model): lower triangle, √AVE on the diagonal
SEMINR_FL = [[0.691360857178267], [0.505728413396833, 0.693186155829696],
             [0.510787425945094, 0.358245251153116, 0.921037825175302],
             [0.695529337198367, 0.511250543946958, 0.606306608005369, 0.832684808871402]]
# htmt.csv (V_3_6_0)
SEMINR_HTMT = {("image", "expectation"): 0.88803042750925, ("image", "value"): 0.651659392487802,
               ("image", "outcome"): 0.910100923782741, ("expectation", "value"): 0.588628982316289,
               ("expectation", "outcome"): 0.865108193553153, ("value", "outcome"): 0.740808927759395}


def test_small_model_matches_seminr_fixtures():
    s = structural(load_model_text(SEMINR_MODEL))
    by_id = {c["id"]: c for c in s["constructs"]}
    for cid, (alpha, rho_c, ave, rho_a) in SEMINR_RELIABILITY.items():
        c = by_id[cid]
        # seminr prints the standardised alpha (on the item correlations)
        assert c["alpha_standardised"] == pytest.approx(alpha, abs=1e-6)
        assert c["rho_c"] == pytest.approx(rho_c, abs=1e-6)
        assert c["ave"] == pytest.approx(ave, abs=1e-6)
        assert c["rho_a"] == pytest.approx(rho_a, abs=1e-6)
    for p in s["paths"]:
        assert p["coefficient"] == pytest.approx(SEMINR_PATHS[p["from"]], abs=1e-6)
    items = {i["id"]: i for c in s["constructs"] for i in c["items"]}
    for item, w in SEMINR_WEIGHTS.items():
        assert items[item]["outer_weight"] == pytest.approx(w, abs=1e-6)
        assert items[item]["loading"] == pytest.approx(SEMINR_LOADINGS[item], abs=1e-6)
    assert (by_id["outcome"]["r2"], by_id["outcome"]["r2_adjusted"]) == pytest.approx(SEMINR_R2, abs=1e-6)
    fl = np.array(s["fornell_larcker"]["matrix"])
    for i, row in enumerate(SEMINR_FL):
        assert list(fl[i, :i + 1]) == pytest.approx(row, abs=1e-6)
    htmt = {(d["a"], d["b"]): d["htmt"] for d in s["discriminant"]}
    assert htmt == pytest.approx(SEMINR_HTMT, abs=1e-6)
    flagged = {(d["a"], d["b"]) for d in s["discriminant"] if any("HTMT" in f for f in d["flags"])}
    assert flagged == {k for k, v in SEMINR_HTMT.items() if v > 0.85}
    assert by_id["image"]["flags"] == ["AVE 0.478 < 0.50"]


def test_f_squared_matches_seminr_single_predictor():
    # fsquared2.csv (test-metric.R): Image → Satisfaction alone, f² = 0.941739145016071
    text = SEMINR_MODEL.replace("""  - {id: expectation, name: Expectation, children: [{id: cuex1, column: CUEX1}, {id: cuex2, column: CUEX2}, {id: cuex3, column: CUEX3}]}
  - {id: value, name: Value, children: [{id: perv1, column: PERV1}, {id: perv2, column: PERV2}]}
""", "").replace("{image: outcome, expectation: outcome, value: outcome}", "{image: outcome}")
    s = structural(load_model_text(text))
    assert s["paths"][0]["f2"] == pytest.approx(0.941739145016071, abs=1e-6)


# --------------------------------------------------------------------------- plspm, unscaled

from tests.test_pls import ECSI_CENTROID, ECSI_FACTORIAL, ECSI_PATH  # noqa: E402

PLSPM_MODEL = """
name: ECSI satisfaction (plspm)
scale: {min: 0, max: 10}
children:
""" + "".join(
    f"  - {{id: {b}, name: {b.upper()}, children: [{', '.join(f'{{id: {b}{i}, column: {b}{i}}}' for i in range(1, k + 1))}]}}\n"
    for b, k in (("imag", 5), ("expe", 5), ("qual", 5), ("val", 4))) + """outcome:
  name: SAT
  items: [{id: sat1, column: sat1}, {id: sat2, column: sat2}, {id: sat3, column: sat3}, {id: sat4, column: sat4}]
paths:
  scaled: false
  tol: 1.0e-6
  constructs:
    - {id: loy, name: LOY, items: [{id: loy1, column: loy1}, {id: loy2, column: loy2}, {id: loy3, column: loy3}, {id: loy4, column: loy4}]}
  arrows:
    imag: [expe, outcome, loy]
    expe: [qual, val, outcome]
    qual: [val, outcome]
    val: outcome
    outcome: loy
"""
PLSPM_LV = {"imag": "IMAG", "expe": "EXPE", "qual": "QUAL", "val": "VAL", "outcome": "SAT", "loy": "LOY"}


@pytest.mark.parametrize(("scheme", "ref"), [("path", ECSI_PATH), ("centroid", ECSI_CENTROID), ("factorial", ECSI_FACTORIAL)])
def test_unscaled_matches_plspm(scheme, ref):
    # Python plspm 0.5.7 = R plspm 0.5.1, scaled = FALSE (tests/test_pls.py); the items here are
    # on 0–100 (×10), so plspm's weights on 0–10 are ours × 10
    model = model_for_run(load_model_text(PLSPM_MODEL), scheme=scheme)
    s = structural(model, DATA / "ecsi_satisfaction.csv")
    assert s["settings"]["scaled"] is False
    items = {i["id"]: i for c in s["constructs"] for i in c["items"]}
    for item, w in ref["weights"].items():
        assert items[item]["outer_weight"] * 10 == pytest.approx(w, abs=1e-6)
        assert items[item]["loading"] == pytest.approx(ref["loadings"][item], abs=1e-6)
    for p in s["paths"]:
        assert p["coefficient"] == pytest.approx(ref["paths"][f"{PLSPM_LV[p['from']]}->{PLSPM_LV[p['to']]}"], abs=1e-6)
    for c in s["constructs"]:
        if c["r2"] is not None:
            assert c["r2"] == pytest.approx(ref["r2"][PLSPM_LV[c["id"]]], abs=1e-6)
    if scheme == "path":
        # published (docs/methods.md#weights-pls): the SAT index 68.587269 on 0–100
        assert s["csi"] == pytest.approx(68.58726876755102, abs=1e-6)


# --------------------------------------------------------------------------- derived figures, by numpy


def test_effects_impacts_vif_and_alpha_by_numpy(ecsi_model):
    s = structural(ecsi_model)
    raw = pd.read_csv(DATA / "ecsi_mobi.csv")
    x = (raw - 1) / 9 * 100
    index = {c["id"]: x[[i["id"].upper() for i in c["items"]]].to_numpy() @ np.array([i["weight"] for i in c["items"]])
             for c in s["constructs"]}
    # value → satisfaction has no indirect route: its unstandardised total effect is its OLS
    # coefficient in the regression of the satisfaction index on its drivers' indices
    drivers = ["image", "expectation", "quality", "value"]
    design = np.column_stack([np.ones(len(x))] + [index[d] for d in drivers])
    beta = np.linalg.lstsq(design, index["outcome"], rcond=None)[0]
    impacts = {i["driver"]: i["impact"] for i in s["impacts"]}
    assert impacts["value"] == pytest.approx(5 * beta[4], abs=1e-9)
    # total effects: sums over every directed route of the products of its path coefficients
    coef = {(p["from"], p["to"]): p["coefficient"] for p in s["paths"]}

    def routes(a, b):
        if a == b:
            return 1.0
        return sum(c * routes(t, b) for (f, t), c in coef.items() if f == a)

    for t in s["total_effects"]:
        assert t["effect"] == pytest.approx(routes(t["from"], t["to"]), abs=1e-12)
    # VIF of image among the satisfaction's drivers: 1/(1 − R²) of image on the others (scores)
    z = {k: (v - v.mean()) / v.std() for k, v in index.items()}
    others = np.column_stack([np.ones(len(x))] + [z[d] for d in drivers[1:]])
    fitted = others @ np.linalg.lstsq(others, z["image"], rcond=None)[0]
    r2 = 1 - np.sum((z["image"] - fitted) ** 2) / np.sum(z["image"] ** 2)
    vif = next(p["vif"] for p in s["paths"] if p["from"] == "image" and p["to"] == "outcome")
    assert vif == pytest.approx(1 / (1 - r2), abs=1e-9)
    # raw Cronbach's alpha on the 0–100 items (population-free: divisor cancels)
    items = x[["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]].to_numpy()
    k = items.shape[1]
    alpha = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert s["constructs"][0]["alpha"] == pytest.approx(alpha, abs=1e-12)


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded_and_covers_the_estimates(ecsi_model):
    a = structural(ecsi_model, bootstrap=200, seed=7)
    b = structural(ecsi_model, bootstrap=200, seed=7)
    c = structural(ecsi_model, bootstrap=200, seed=8)
    assert a == b and a["paths"][0]["ci"] != c["paths"][0]["ci"]
    assert a["bootstrap"]["replicates"] == 200 and a["bootstrap"]["failed"] == 0
    for p in a["paths"] + a["impacts"] + a["total_effects"]:
        lo, hi = p["ci"]
        assert lo <= hi and 0 <= p["p"] <= 1
    strong = next(p for p in a["paths"] if p["from"] == "image" and p["to"] == "expectation")
    weak = next(p for p in a["paths"] if p["from"] == "expectation" and p["to"] == "value")
    assert strong["p"] < 0.01 and weak["p"] > 0.05  # t ≈ 9 and t ≈ 0.6 in seminr/SmartPLS reports


def test_bootstrap_replicate_is_the_fit_on_the_drawn_rows(ecsi_model):
    # The first replicate of seed 3 is the fit on the rows of rng.integers(0, n, n); check it
    # by refitting those rows as a data set of their own
    from csi.structural import _Layout, _replicates, fit_structure, structural_moments

    scored = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0))
    st = ecsi_model.structure
    ids = st.ids
    cols = [scored.responses.item_ids.index(i) for c in st.constructs for i in c.items]
    x = scored.responses.values[:, cols]
    sizes = [len(c.items) for c in st.constructs]
    inner = np.zeros((len(ids), len(ids)))
    for s_, t in st.arrows:
        inner[ids.index(t), ids.index(s_)] = 1
    k = len(ids)
    layout = _Layout(tuple(zip(*np.nonzero(inner), strict=True)), ids.index("outcome"), (0, 1, 2, 3), k, x.shape[1])
    reps, failed = _replicates(x, np.ones(len(x), bool), None, sizes, inner, "path", True, 1e-10, 3, 3, layout)
    rng = np.random.default_rng(3)
    for r in range(3):
        rows = rng.integers(0, len(x), size=len(x))
        mean, cov, n = structural_moments(x[rows], None)
        direct = fit_structure(mean, cov, n, sizes, inner, "path", True, 1e-10)
        expected = layout.stack(direct.paths[None], direct.total[None], direct.total_raw[None], direct.weights[None],
                                direct.index[None])[0]
        assert reps[r] == pytest.approx(expected, abs=1e-9)
    assert failed == 0


def test_responses_with_missing_answers_are_dropped_listwise(ecsi_model):
    scored = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0))
    r = scored.responses
    values = r.values.copy()
    values[:10, 0] = np.nan
    holed = Responses(values, r.item_ids, r.columns, r.rows, DataQuality(len(values), len(values), {}, {}))
    full = Responses(r.values[10:], r.item_ids, r.columns, r.rows[10:], DataQuality(240, 240, {}, {}))
    a = estimate_structure(ecsi_model, holed)
    b = estimate_structure(ecsi_model, full)
    assert a["settings"]["n"] == 240 and a["paths"] == b["paths"]


# --------------------------------------------------------------------------- golden example


def test_golden_structural_example(update_golden, monkeypatch):
    import io

    from conftest import ROOT, check_golden, check_golden_json
    from rich.console import Console

    from csi.report.terminal import render_result

    monkeypatch.chdir(ROOT)  # relative paths in the report's header
    folder = Path("examples/ecsi_mobile")
    result = score_export(folder / "survey.csv", folder / "model.yaml", ScoreOptions(bootstrap=200, seed=0)).result
    check_golden_json("structural/ecsi_mobile.json", result.to_dict(), update_golden)
    out = io.StringIO()
    render_result(result, Console(file=out, width=120, color_system=None, force_terminal=False), "en")
    check_golden("structural/ecsi_mobile.txt", out.getvalue(), update_golden)


def test_bootstrap_interval_coverage_by_simulation():
    """Percentile intervals of the paths cover the population values about 95 % of the time.

    Population: standardised latent variables η₁ → η₂ (0.5), η₁, η₂ → η₃ (0.4, 0.3), each
    measured by two items x = 0.8 η + ε with var ε = 0.36 (unit-variance items). With equal
    loadings mode A weights are equal, so the composite of a block is (x₁ + x₂)/√(2·0.64·2 +
    0.72)·… and its correlations are those of η times 4·0.64 / (4·0.64 + 0.72); the
    population paths are the standardised regressions on those correlations.
    """
    from csi.bootstrap import percentile_ci
    from csi.structural import _Layout, _replicates, fit_structure, structural_moments

    phi = np.eye(3)
    phi[0, 1] = phi[1, 0] = 0.5
    phi[0, 2] = phi[2, 0] = 0.4 + 0.3 * 0.5
    phi[1, 2] = phi[2, 1] = 0.4 * 0.5 + 0.3
    shrink = 4 * 0.64 / (4 * 0.64 + 2 * 0.36)
    r = np.where(np.eye(3) == 1, 1.0, phi * shrink)
    true = [r[0, 1], *np.linalg.solve(r[:2, :2], r[:2, 2])]  # η₁→η₂, η₁→η₃, η₂→η₃
    inner = np.zeros((3, 3))
    inner[1, 0] = inner[2, 0] = inner[2, 1] = 1
    chol = np.linalg.cholesky(phi)
    rng = np.random.default_rng(2026)
    hits = np.zeros(3)
    runs = 100
    for run in range(runs):
        eta = rng.standard_normal((150, 3)) @ chol.T
        x = np.repeat(eta, 2, axis=1) * 0.8 + rng.standard_normal((150, 6)) * 0.6
        layout = _Layout(((1, 0), (2, 0), (2, 1)), 2, (0, 1), 3, 6)
        reps, failed = _replicates(x, np.ones(150, bool), None, [2, 2, 2], inner, "path", True, 1e-10, 199, run, layout)
        assert failed == 0
        lo, hi = percentile_ci(reps[:, :3], 0.95)
        # paths[inner > 0] is row-major: (2←1), (3←1), (3←2)
        hits += (lo <= true) & (true <= hi)
        if run == 0:
            mean, cov, n = structural_moments(x, None)
            assert fit_structure(mean, cov, n, [2, 2, 2], inner, "path", True, 1e-10).converged
    assert np.all(hits >= 85) and np.all(hits <= 100), hits


def test_negative_impact_is_refused_unless_allowed(ecsi_model):
    # Turn one satisfaction driver's items over: a higher "quality" index now means a lower
    # satisfaction index
    import dataclasses

    from csi.errors import DataError

    scored = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0))
    r = scored.responses
    values = r.values.copy()
    cols = [r.item_ids.index(f"perq{i}") for i in range(1, 8)]
    values[:, cols] = 100 - values[:, cols]
    flipped = dataclasses.replace(r, values=values)
    with pytest.raises(DataError) as e:
        estimate_structure(ecsi_model, flipped)
    assert e.value.codes == ["negative-impact"] and "quality" in str(e.value) and "--allow-negative" in str(e.value)
    allowed = model_for_run(ecsi_model, allow_negative=True)
    s = estimate_structure(allowed, flipped)
    assert [i["impact"] < 0 for i in s["impacts"] if i["driver"] == "quality"] == [True]
    assert s["warnings"] and "quality" in s["warnings"][0]


def test_gaussian_replicates_above_the_multinomial_limit_agree_in_spread(ecsi_model, monkeypatch):
    # Above bootstrap.MULTINOMIAL_MAX_N the moment sums are drawn from their normal
    # approximation; lowering the limit shows both on the same data: the bootstrap standard
    # deviations of the paths agree within 20 % (each is itself estimated from 400 replicates)
    import csi.structural as structural_module
    from csi.structural import _Layout, _replicates

    scored = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0))
    st = ecsi_model.structure
    ids = st.ids
    x = scored.responses.values[:, [scored.responses.item_ids.index(i) for c in st.constructs for i in c.items]]
    sizes = [len(c.items) for c in st.constructs]
    inner = np.zeros((len(ids), len(ids)))
    for s_, t in st.arrows:
        inner[ids.index(t), ids.index(s_)] = 1
    layout = _Layout(tuple(zip(*np.nonzero(inner), strict=True)), 4, (0, 1, 2, 3), len(ids), x.shape[1])
    keep = np.ones(len(x), bool)
    exact, _ = _replicates(x, keep, None, sizes, inner, "path", True, 1e-10, 400, 1, layout)
    monkeypatch.setattr(structural_module, "MULTINOMIAL_MAX_N", 100)
    normal, failed = _replicates(x, keep, None, sizes, inner, "path", True, 1e-10, 400, 1, layout)
    assert failed == 0
    ratio = normal[:, :12].std(axis=0) / exact[:, :12].std(axis=0)
    assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio


def test_ipma_importance_and_performance(ecsi_model):
    s = structural(ecsi_model)
    ipma = s["ipma"]
    assert ipma["target"] == "outcome"
    impacts = {i["driver"]: i["impact"] for i in s["impacts"]}
    index = {c["id"]: c["index"] for c in s["constructs"]}
    for c in ipma["constructs"]:
        assert 5 * c["importance"] == pytest.approx(impacts[c["id"]], abs=1e-12)
        assert c["performance"] == index[c["id"]]
    raw = pd.read_csv(DATA / "ecsi_mobi.csv")
    for c in ipma["constructs"]:
        rows = [i for i in ipma["indicators"] if i["construct"] == c["id"]]
        assert sum(i["importance"] for i in rows) == pytest.approx(c["importance"], abs=1e-12)
        for i in rows:
            assert i["performance"] == pytest.approx(float((raw[i["id"].upper()] - 1).mean() / 9 * 100), abs=1e-9)
    # quadrants: cross-hairs at the means (value: least important and least performing)
    value = next(c for c in ipma["constructs"] if c["id"] == "value")
    assert value["quadrant"] == "low_priority"


def test_workbook_has_the_structural_sheets(ecsi_model):
    import io

    import openpyxl

    from csi.report.excel import to_xlsx

    result = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=50)).result
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(result, "en")))
    assert wb.sheetnames[-3:] == ["Paths", "Measurement", "IPMA"]
    paths = [row for row in wb["Paths"].iter_rows(min_row=2, values_only=True) if row[0] == "path"]
    assert [r[3] for r in paths] == pytest.approx([p["coefficient"] for p in result.structural["paths"]], abs=1e-12)
    assert [r[4] for r in paths] == pytest.approx([p["ci"][0] for p in result.structural["paths"]], abs=1e-12)
    ipma = list(wb["IPMA"].iter_rows(min_row=2, values_only=True))
    assert ("感知价值 Perceived value", None) == ipma[-3][:2] and ipma[-3][4] == "Low priority"


def test_html_report_draws_the_path_diagram(ecsi_model):
    import re
    import xml.etree.ElementTree as ET

    from csi.report.html import to_html

    result = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=50)).result
    page = to_html(result, "en")
    svg = re.search(r'<svg class="paths".*?</svg>', page, re.S).group()
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for c in result.structural["constructs"]:
        assert c["name"] in texts
    for p in result.structural["paths"]:
        assert f"{p['coefficient']:.2f}" in texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) == len(result.structural["paths"]) + 1  # + arrowhead
    assert 'id="structural"' in page
    plain = score_export(DATA / "ecsi_mobi.csv", load_model_text(SEMINR_MODEL.split("paths:")[0]), ScoreOptions(bootstrap=0)).result
    assert 'id="structural"' not in to_html(plain, "en")


def test_integer_respondent_weights_equal_repeated_rows(ecsi_model):
    import dataclasses

    scored = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0))
    r = scored.responses
    w = np.tile([1.0, 2.0, 3.0], len(r.values) // 3 + 1)[:len(r.values)]
    weighted = dataclasses.replace(r, weights=w)
    rep = np.repeat(np.arange(len(r.values)), w.astype(int))
    repeated = Responses(r.values[rep], r.item_ids, r.columns, r.rows[rep], DataQuality(len(rep), len(rep), {}, {}))
    a = estimate_structure(ecsi_model, weighted)
    b = estimate_structure(ecsi_model, repeated)
    assert a["csi"] == pytest.approx(b["csi"], abs=1e-9)
    # the stopping point counts rows, not Σw (as pls_path), so the fits agree to the tolerance
    assert [p["coefficient"] for p in a["paths"]] == pytest.approx([p["coefficient"] for p in b["paths"]], abs=1e-6)
    assert [c["rho_a"] for c in a["constructs"]] == pytest.approx([c["rho_a"] for c in b["constructs"]], abs=1e-6, nan_ok=True)


def test_unusable_data_gives_clear_errors(ecsi_model):
    import dataclasses

    from csi.errors import DataError

    r = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=0)).responses
    few = dataclasses.replace(r, values=r.values[:8], rows=r.rows[:8])
    with pytest.raises(DataError) as e:
        estimate_structure(ecsi_model, few)
    assert e.value.codes == ["too-few-respondents"] and "at least 9" in str(e.value)
    values = r.values.copy()
    values[:, r.item_ids.index("cusco")] = 50.0
    with pytest.raises(DataError) as e:
        estimate_structure(ecsi_model, dataclasses.replace(r, values=values))
    assert e.value.codes == ["pls-failed"] and "same value" in str(e.value)


def test_cli_scheme_and_scaling_options_reach_the_result(tmp_path):
    import json

    from typer.testing import CliRunner

    from csi.cli import app

    runner = CliRunner()
    out = tmp_path / "r.json"
    args = ["score", str(DATA / "ecsi_mobi.csv"), "--model", str(DATA / "ecsi_mobi.yaml"), "-B", "0"]
    r = runner.invoke(app, [*args, "--scheme", "centroid", "--unscaled", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["structural"]["settings"]["scheme"] == "centroid" and doc["structural"]["settings"]["scaled"] is False
    assert doc["manifest"]["options"]["paths"] == {"scheme": "centroid", "scaled": False}
    lib = structural(model_for_run(load_model(DATA / "ecsi_mobi.yaml"), scheme="centroid", scaled=False))
    assert doc["structural"]["paths"] == lib["paths"]
    bad = runner.invoke(app, [*args, "--scheme", "pathway"])
    assert bad.exit_code == 2 and "path, centroid, factorial" in bad.output


def test_markdown_digest_has_the_structural_tables(ecsi_model):
    from csi.report.tables import to_markdown

    result = score_export(DATA / "ecsi_mobi.csv", ecsi_model, ScoreOptions(bootstrap=50)).result
    md = to_markdown(result, "en")
    assert "## Structural model (PLS)" in md and f"**CSI (satisfaction construct index): {result.structural['csi']:.1f}**" in md
    for p in result.structural["paths"]:
        assert f"| {p['coefficient']:.3f} |" in md
    assert "HTMT 0.929 &gt; 0.90" in md  # the digest escapes ">" in text (csi.report.tables._md)


def test_csv_export_round_trips_the_structural_model(tmp_path):
    # csi score -o x.csv -o x.json: the CSV (UTF-8 with a byte-order mark) read back has one row
    # per construct, path and impact whose numbers are the JSON's structural section's
    from typer.testing import CliRunner

    from csi.cli import app

    folder = Path(__file__).resolve().parent.parent / "examples" / "ecsi_mobile"
    out_csv, out_json = tmp_path / "r.csv", tmp_path / "r.json"
    r = CliRunner().invoke(app, ["score", str(folder / "survey.csv"), "--model", str(folder / "model.yaml"), "-B", "50",
                                 "--seed", "1", "-o", str(out_csv), "-o", str(out_json)], catch_exceptions=False)
    assert r.exit_code == 0, r.stdout
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out_csv, encoding="utf-8-sig", keep_default_na=False)
    st = json.loads(out_json.read_text(encoding="utf-8"))["structural"]

    def num(cell):
        return None if cell == "" else float(cell)

    rows = {(k, i): row for k, i, row in zip(table["kind"], table["id"], table.to_dict("records"), strict=True)}
    assert sum(table["kind"].isin(["construct", "path", "impact"])) == len(st["constructs"]) + len(st["paths"]) + len(st["impacts"])
    for c in st["constructs"]:
        row = rows[("construct", c["id"])]
        assert row["name"] == c["name"] and row["n"] == st["settings"]["n"] == 250
        for col, key in (("score", "index"), ("se", "se"), ("p", "p"), ("alpha", "alpha"), ("r2", "r2"),
                         ("r2_adjusted", "r2_adjusted"), ("alpha_standardised", "alpha_standardised"), ("rho_a", "rho_a"),
                         ("rho_c", "rho_c"), ("ave", "ave")):
            assert num(row[col]) == c[key], (c["id"], col)
        assert [num(row["ci_low"]), num(row["ci_high"])] == c["ci"]
    for p in st["paths"]:
        row = rows[("path", f"{p['from']}->{p['to']}")]
        assert (row["from"], row["to"]) == (p["from"], p["to"])
        for col, key in (("score", "coefficient"), ("se", "se"), ("p", "p"), ("f2", "f2"), ("vif", "vif")):
            assert num(row[col]) == p[key], (p["from"], p["to"], col)
        assert [num(row["ci_low"]), num(row["ci_high"])] == p["ci"]
    for i in st["impacts"]:
        row = rows[("impact", i["driver"])]
        assert (row["from"], row["to"]) == (i["driver"], st["satisfaction"])
        assert (num(row["score"]), num(row["se"]), num(row["p"])) == (i["impact"], i["se"], i["p"])
    # the node rows keep their columns, empty in the new ones
    overall = rows[("index", "overall")]
    assert all(overall[c] == "" for c in ("p", "from", "to", "r2", "rho_c", "vif"))
