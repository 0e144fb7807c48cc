"""Tests for the data-driven weighting methods: entropy, CRITIC, Johnson's relative weights,
and the helpers and registry adapters they share (csi.weighting.data).

Reference numbers carry their source; see tests/reference/REFERENCES.md. Full-precision values
marked "script" come from tests/reference/scripts/weights_reference.py, run outside the project.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from csi.errors import DataError, ModelError
from csi.model import load_model_text
from csi.survey.prepare import DataQuality, Responses
from csi.weighting import GroupWeights
from csi.weighting.critic import critic_group_weights, critic_weights
from csi.weighting.data import child_scores, complete_rows, outcome_scores, read_options, usable_rows
from csi.weighting.drivers import drivers_group_weights, relative_weights
from csi.weighting.entropy import entropy_group_weights, entropy_weights

DATA = Path(__file__).parent / "data"
BLOCKS = ("imag", "expe", "qual", "val", "sat", "loy")


def read(name: str) -> np.ndarray:
    return pd.read_csv(DATA / name).to_numpy(dtype=float)


@pytest.fixture(scope="module")
def ecsi() -> pd.DataFrame:
    return pd.read_csv(DATA / "ecsi_satisfaction.csv").drop(columns=["gender"]).astype(float)


@pytest.fixture(scope="module")
def ecsi_means(ecsi) -> np.ndarray:
    """Per-respondent block means of the ECSI data on 0–100 (mean of a block's items × 10)."""
    return np.column_stack([ecsi[[c for c in ecsi.columns if c.startswith(b)]].mean(axis=1) * 10 for b in BLOCKS])


def responses(x, weights=None) -> Responses:
    x = np.asarray(x, dtype=float)
    ids = tuple(f"c{j}" for j in range(x.shape[1]))
    q = DataQuality(x.shape[0], x.shape[0], {}, {})
    return Responses(x, ids, ids, np.arange(2, x.shape[0] + 2), q, None if weights is None else np.asarray(weights, float))


finite = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)


# =========================================================================== entropy


def test_entropy_ratio_published_elsayed_2017():
    # Elsayed, Dawood & Karthikeyan (2017), IJETT 46(2):60-66, 12 x 5 matrix; docs/methods.md#weights-entropy.
    r = entropy_weights(read("elsayed2017_entropy.csv"), variant="ratio")
    assert r.weights == pytest.approx((0.104991, 0.069124, 0.071373, 0.449937, 0.304575), abs=5e-7)
    assert r.variant == "ratio" and r.n == 12 and not any(r.constant)


def test_entropy_ratio_against_scipy():
    # script: scipy.stats.entropy on the raw columns / ln 12
    r = entropy_weights(read("elsayed2017_entropy.csv"), variant="ratio")
    assert r.weights == pytest.approx([0.10499069028987601, 0.06912398487975387, 0.07137315411913393, 0.44993707284278905,
                                       0.30457509786844716], abs=1e-6)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # script: scipy.stats.entropy on the min-max columns / ln m
        ("elsayed", [0.10008748446266345, 0.1300425611901395, 0.11152376588109221, 0.39489955301039975, 0.263446635455705]),
        ("ecsi_means", [0.22560674487670876, 0.14303732868359875, 0.15948493897045357, 0.16532213929822798,
                        0.14148159633550564, 0.1650672518355053]),
        ("ecsi_sat", [0.24922277284227806, 0.2596024908582345, 0.22992630956982393, 0.26124842672966353]),
    ],
)
def test_entropy_minmax_against_scipy(data, expected, ecsi, ecsi_means):
    x = {"elsayed": read("elsayed2017_entropy.csv"), "ecsi_means": ecsi_means,
         "ecsi_sat": ecsi[["sat1", "sat2", "sat3", "sat4"]].to_numpy()}[data]
    assert entropy_weights(x).weights == pytest.approx(expected, abs=1e-6)


def test_entropy_ratio_on_survey_scores(ecsi_means):
    # script: scipy.stats.entropy on the raw 0-100 block means
    expected = [0.09596401747113432, 0.1368979810116454, 0.18354443221946426, 0.1665157193648119, 0.20181446360436128,
                0.2152633863285828]
    assert entropy_weights(ecsi_means, "ratio").weights == pytest.approx(expected, abs=1e-6)


def test_entropy_by_hand():
    """Three respondents, two children (0–100).

    a = (0, 50, 100) → x' = (0, ½, 1), p = (0, ⅓, ⅔), e = (⅓ ln 3 + ⅔ ln 3/2)/ln 3 = 0.579380;
    b = (10, 10, 20) → x' = (0, 0, 1), p = (0, 0, 1), e = 0 (0 ln 0 = 0).
    d = (0.420620, 1), w = d / 1.420620 = (0.296082, 0.703918).
    """
    r = entropy_weights([[0, 10], [50, 10], [100, 20]])
    e_a = (np.log(3) / 3 + 2 / 3 * np.log(1.5)) / np.log(3)
    assert r.entropy == pytest.approx((e_a, 0.0), abs=1e-12)
    assert r.divergence == pytest.approx((1 - e_a, 1.0), abs=1e-12)
    assert r.weights == pytest.approx(((1 - e_a) / (2 - e_a), 1 / (2 - e_a)), abs=1e-12)


def test_entropy_constant_columns():
    r = entropy_weights([[1, 5, 0], [2, 5, 3], [4, 5, 9]])
    assert r.constant == (False, True, False) and r.weights[1] == 0.0
    assert sum(r.weights) == pytest.approx(1.0)
    assert entropy_weights([[1, 5, 0], [2, 5, 3], [4, 5, 9]], "ratio").weights[1] == 0.0
    # Every column constant: no information anywhere, equal weights, all flagged.
    flat = entropy_weights([[3, 7], [3, 7], [3, 7]])
    assert flat.weights == (0.5, 0.5) and flat.constant == (True, True)
    # An all-zero column is constant under the ratio variant too (no shares to take).
    assert entropy_weights([[0, 1], [0, 2]], "ratio").constant == (True, False)


@pytest.mark.parametrize(
    ("x", "variant", "message"),
    [
        ([[1, 2]], "minmax", "at least 2 rows"),
        ([[1, np.nan], [2, 3]], "minmax", "complete"),
        ([[1, -2], [2, 3]], "ratio", "≥ 0"),
        ([1, 2, 3], "minmax", "2-D"),
        ([[1, 2], [2, 3]], "log", "variant"),
    ],
)
def test_entropy_invalid_input(x, variant, message):
    with pytest.raises(ValueError, match=message):
        entropy_weights(x, variant)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 5)), elements=finite), st.randoms(use_true_random=False))
def test_entropy_properties(x, rnd):
    r = entropy_weights(x)
    assert all(w >= 0 for w in r.weights) and sum(r.weights) == pytest.approx(1.0)
    rows = list(range(x.shape[0]))
    rnd.shuffle(rows)
    assert entropy_weights(x[rows]).weights == pytest.approx(r.weights, abs=1e-9)
    cols = list(range(x.shape[1]))[::-1]
    assert entropy_weights(x[:, cols]).weights == pytest.approx([r.weights[j] for j in cols], abs=1e-9)



@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 5)), elements=st.integers(0, 200).map(lambda v: v / 2)),
       st.floats(0.1, 10), st.floats(-50, 50))
def test_entropy_affine_invariance(x, a, b):
    # Min-max makes the textbook variant blind to a positive affine change of every column. Answers lie
    # on a grid (half points here, like survey scores), so a column's range is 0 or at least 0.5 and the
    # rescaled min-max values agree to ~1e-13; on arbitrary floats a range of 1e-12 would amplify the
    # rounding of a*x+b beyond any fixed tolerance, which says nothing about the method.
    assert entropy_weights(a * x + b).weights == pytest.approx(entropy_weights(x).weights, abs=1e-9)

# =========================================================================== CRITIC


def test_critic_published_tus_adali_2019():
    # Tus & Aytac Adali (2019), OPSEARCH 56(2):528-538, 5 x 6 matrix; docs/methods.md#weights-critic. The published
    # weights come out with every column normalised as a benefit column (see REFERENCES.md).
    r = critic_weights(read("tus2019_critic.csv"))
    assert r.weights == pytest.approx((0.157, 0.249, 0.168, 0.121, 0.154, 0.151), abs=5e-4)
    # script: pandas std(ddof=1) and corr
    assert r.weights == pytest.approx([0.157003432041533, 0.24948924316364146, 0.1676752491926968, 0.12110022243022368,
                                       0.15409929158594757, 0.1506325615859576], abs=1e-6)


def test_critic_cost_column_against_pandas():
    # script: C1 (the cost criterion) normalised as (max - x)/(max - min)
    r = critic_weights(read("tus2019_critic.csv"), cost=[True, False, False, False, False, False])
    assert r.weights == pytest.approx([0.18406640733144122, 0.21302897851094377, 0.1422141623205031, 0.15830064122283902,
                                       0.16838222128267458, 0.13400758933159843], abs=1e-6)


def test_critic_survey_scores_against_pandas(ecsi_means):
    r = critic_weights(ecsi_means)
    # script: pandas, ECSI block means on 0-100
    assert r.weights == pytest.approx([0.19977706826049502, 0.17666340295800026, 0.14253788828445707, 0.13729765456934595,
                                       0.13753127274370883, 0.2061927131839929], abs=1e-6)
    assert r.sd == pytest.approx([0.20706121946297582, 0.18530062193248525, 0.18480916775976824, 0.1890638872268299,
                                  0.17055781975482118, 0.19941272903064508], abs=1e-6)


def test_critic_by_hand():
    """a and b rise together (r = 1), c falls (r = −1 with both); every σ (ddof 1) is ½.

    C_a = ½·((1−1) + (1−1) + (1+1)) = 1, C_b = 1, C_c = ½·(2 + 2 + 0) = 2 → w = (¼, ¼, ½).
    """
    r = critic_weights([[0, 0, 100], [50, 50, 50], [100, 100, 0]])
    assert r.sd == pytest.approx((0.5, 0.5, 0.5), abs=1e-12)
    assert r.information == pytest.approx((1.0, 1.0, 2.0), abs=1e-12)
    assert r.weights == pytest.approx((0.25, 0.25, 0.5), abs=1e-12)


def test_critic_constant_column_is_left_out(ecsi_means):
    with_flat = np.column_stack([ecsi_means[:, :3], np.full(len(ecsi_means), 60.0), ecsi_means[:, 3:]])
    r = critic_weights(with_flat)
    assert r.constant == (False, False, False, True, False, False, False)
    assert r.weights[3] == 0.0
    assert np.delete(r.weights, 3) == pytest.approx(critic_weights(ecsi_means).weights, abs=1e-12)
    assert critic_weights([[1, 2], [1, 2], [1, 2]]).weights == (0.5, 0.5)
    # Perfectly correlated columns have no conflict: the information is shared equally.
    assert critic_weights([[0, 1, 5], [1, 3, 5], [2, 5, 5]]).weights == pytest.approx((0.5, 0.5, 0.0))


def test_critic_frequency_weights(ecsi_means):
    reps = 1 + np.arange(len(ecsi_means)) % 3
    weighted = critic_weights(ecsi_means, weights=reps)
    repeated = critic_weights(np.repeat(ecsi_means, reps, axis=0))
    assert weighted.weights == pytest.approx(repeated.weights, abs=1e-12)
    assert weighted.sd == pytest.approx(repeated.sd, abs=1e-12)
    assert critic_weights(ecsi_means, weights=reps * 7.5).weights == pytest.approx(weighted.weights, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(3, 12), st.integers(1, 5)), elements=finite), st.randoms(use_true_random=False))
def test_critic_properties(x, rnd):
    r = critic_weights(x)
    assert all(w >= 0 for w in r.weights) and sum(r.weights) == pytest.approx(1.0)
    rows = list(range(x.shape[0]))
    rnd.shuffle(rows)
    assert critic_weights(x[rows]).weights == pytest.approx(r.weights, abs=1e-9)


def test_critic_invalid_input():
    with pytest.raises(ValueError, match="at least 2 rows"):
        critic_weights([[1, 2]])
    with pytest.raises(ValueError, match="cost"):
        critic_weights([[1, 2], [2, 1]], cost=[True])
    with pytest.raises(ValueError, match="weights"):
        critic_weights([[1, 2], [2, 1]], weights=[1, -1])


# =========================================================================== relative weights


@pytest.fixture(scope="module")
def swiss() -> pd.DataFrame:
    return pd.read_csv(DATA / "swiss.csv")


SWISS_X = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]


def test_swiss_data_is_r_datasets_swiss(swiss):
    """47 provinces; the OLS R² of Fertility on the other five is 0.706735 (R: summary(lm(...)))."""
    assert swiss.shape == (47, 7)
    x = np.column_stack([np.ones(47), swiss[SWISS_X].to_numpy()])
    y = swiss["Fertility"].to_numpy()
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    assert 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())) == pytest.approx(0.706735, abs=5e-7)


def test_relative_weights_published_relaimpo(swiss):
    r = relative_weights(swiss[SWISS_X], swiss["Fertility"])
    # R relaimpo calc.relimp(type = "genizi") on datasets::swiss; docs/methods.md#weights-drivers.
    assert r.raw == pytest.approx((0.048417, 0.154708, 0.271964, 0.114680, 0.116966), abs=5e-7)
    assert r.r2 == pytest.approx(0.706735, abs=5e-7)
    assert r.weights == pytest.approx(np.array(r.raw) / r.r2, abs=1e-12)
    # script: SVD formulation (Z = U V') with statsmodels OLS
    assert r.raw == pytest.approx([0.048416895811900625, 0.15470824980616, 0.27196410464599907, 0.11468002994756175,
                                   0.11696572138110457], abs=1e-6)


def test_relative_weights_frequency_weights(swiss):
    reps = 1 + np.arange(47) % 3
    r = relative_weights(swiss[SWISS_X], swiss["Fertility"], weights=reps)
    # script: SVD formulation on the rows repeated 1, 2, 3, 1, 2, 3, ... times
    assert r.raw == pytest.approx([0.05729269397454708, 0.16358906567506723, 0.2713025629329349, 0.11058323188774893,
                                   0.12093755907879532], abs=1e-6)
    assert r.r2 == pytest.approx(0.7237051135490935, abs=1e-6)
    assert relative_weights(swiss[SWISS_X], swiss["Fertility"], weights=reps / 3).raw == pytest.approx(r.raw, abs=1e-12)


def test_relative_weights_survey_scores(ecsi_means):
    r = relative_weights(ecsi_means[:, :4], ecsi_means[:, 4])
    # script: SAT block mean on IMAG, EXPE, QUAL, VAL block means
    assert r.raw == pytest.approx([0.16040008266403114, 0.1027163207633218, 0.1438880731358064, 0.2769092773864046], abs=1e-6)
    assert r.r2 == pytest.approx(0.6839137539495639, abs=1e-6)


def test_relative_weights_by_hand():
    """Uncorrelated predictors: Λ½ = I, so ε_j = r²_jy. x1 = (1, 1, −1, −1), x2 = (1, −1, 1, −1),
    y = 0.6·x1 + 0.8·x2 → r = (0.6, 0.8), ε = (0.36, 0.64), R² = 1."""
    r = relative_weights([[1, 1], [1, -1], [-1, 1], [-1, -1]], [1.4, -0.2, 0.2, -1.4])
    assert r.raw == pytest.approx((0.36, 0.64), abs=1e-12)
    assert r.r2 == pytest.approx(1.0, abs=1e-12)


def test_relative_weights_identical_and_constant_predictors(swiss):
    x = swiss[["Education", "Education", "Agriculture"]].to_numpy()
    r = relative_weights(x, swiss["Fertility"])
    assert r.raw[0] == pytest.approx(r.raw[1], abs=1e-12)
    two = relative_weights(swiss[["Education", "Agriculture"]], swiss["Fertility"])
    assert r.r2 == pytest.approx(two.r2, abs=1e-9)
    flat = relative_weights(np.column_stack([swiss[SWISS_X], np.ones(47)]), swiss["Fertility"])
    assert flat.constant == (False,) * 5 + (True,) and flat.raw[5] == 0.0
    assert flat.raw[:5] == pytest.approx(relative_weights(swiss[SWISS_X], swiss["Fertility"]).raw, abs=1e-12)


def test_relative_weights_invalid_input(swiss):
    with pytest.raises(ValueError, match="same value"):
        relative_weights(swiss[SWISS_X], np.full(47, 3.0))
    with pytest.raises(ValueError, match="at least 7 rows"):
        relative_weights(swiss[SWISS_X][:6], swiss["Fertility"][:6])
    with pytest.raises(ValueError, match="one value per row"):
        relative_weights(swiss[SWISS_X], swiss["Fertility"][:5])


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(8, 30), st.integers(1, 4)), elements=st.floats(-10, 10)),
       st.integers(0, 2**31 - 1))
def test_relative_weights_sum_to_ols_r2(x, seed):
    rng = np.random.default_rng(seed)
    if np.any(x.std(axis=0) < 1e-3) or np.linalg.cond(np.corrcoef(x, rowvar=False).reshape(x.shape[1], -1)) > 1e6:
        return
    y = x @ rng.normal(size=x.shape[1]) + rng.normal(size=x.shape[0])
    r = relative_weights(x, y)
    design = np.column_stack([np.ones(len(x)), x])
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r2 = 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))
    assert r.r2 == pytest.approx(r2, abs=1e-9)
    assert all(v >= 0 for v in r.raw) and sum(r.weights) == pytest.approx(1.0)


# =========================================================================== shared helpers


def test_complete_rows_policies():
    x = np.array([[1.0, 2.0], [np.nan, 4.0], [5.0, np.nan], [np.nan, np.nan], [7.0, 8.0]])
    values, n = complete_rows(x)
    assert n == 2 and values.tolist() == [[1.0, 2.0], [7.0, 8.0]]
    values, n = complete_rows(x, "mean")  # the empty row goes; holes get the column means
    assert n == 4 and values.tolist() == [[1.0, 2.0], [13 / 3, 4.0], [5.0, 14 / 3], [7.0, 8.0]]
    assert usable_rows(x, "mean").tolist() == [True, True, True, False, True]
    with pytest.raises(ValueError, match="no value to impute"):
        complete_rows(np.array([[1.0, np.nan], [2.0, np.nan]]), "mean")
    with pytest.raises(ValueError, match="policy"):
        complete_rows(x, "pairwise")


def test_read_options():
    assert read_options(None) == {"policy": "listwise", "variant": "minmax", "scheme": "path", "scaled": False,
                                  "allow_negative": False}
    for bad in ({"polcy": "mean"}, {"policy": "pairwise"}, {"scaled": "yes"}):
        with pytest.raises(ModelError) as e:
            read_options(bad)
        assert e.value.codes == ["bad-option"]


NESTED = """
name: nested
outcome: {items: [{id: o1, column: O1}, {id: o2, column: O2}]}
children:
  - {id: a, column: A}
  - id: g
    children:
      - {id: b, column: B, weight: 1}
      - id: h
        weight: 3
        children: [{id: c, column: C}, {id: d, column: D}]
"""


def test_child_scores_by_hand():
    """Root children: item a, group g = {b (weight 1), h (weight 3) = {c, d} equal}.

    Global weights inside g: b ¼, c ⅜, d ⅜. Respondent 1 answered all: (0·¼ + 40·⅜ + 80·⅜) = 45.
    Respondent 2 skipped d: (100·¼ + 20·⅜)/(⅝) = 52. Respondent 3 answered nothing in g: NaN.
    """
    m = load_model_text(NESTED)
    nan = np.nan
    values = np.array([[10, 0, 40, 80, 50, 70], [20, 100, 20, nan, nan, 30], [30, nan, nan, nan, nan, nan]], float)
    r = responses(values)
    got = child_scores(m.root, r, m)
    assert got[:, 0].tolist() == [10, 20, 30]
    assert got[:2, 1] == pytest.approx([45.0, 52.0], abs=1e-12) and np.isnan(got[2, 1])
    # Weights of inner groups given by the registry replace their own: h = (1, 0) → c only.
    assert child_scores(m.root, r, m, {"h": (1.0, 0.0)})[0, 1] == pytest.approx((0 * 0.25 + 40 * 0.75), abs=1e-12)
    assert outcome_scores(r, m)[:2].tolist() == [60.0, 30.0] and np.isnan(outcome_scores(r, m)[2])


def test_child_scores_needs_data_driven_inner_weights_first():
    m = load_model_text(NESTED)
    object.__setattr__(m.node("h"), "method", "entropy")  # as the registry will allow
    with pytest.raises(ValueError, match="bottom-up"):
        child_scores(m.root, responses(np.ones((2, 6))), m)


# =========================================================================== adapters

SURVEY = """
name: survey
outcome: {items: [{id: o1, column: O1}, {id: o2, column: O2}]}
children:
  - {id: a, column: A}
  - {id: b, column: B}
  - id: g
    children: [{id: c, column: C}, {id: d, column: D}]
"""


@pytest.fixture(scope="module")
def survey_data(ecsi_means) -> np.ndarray:
    """ECSI block means as a survey: a = imag, b = expe, g = {qual, val}, outcome = (sat, loy)."""
    return ecsi_means.copy()


def test_entropy_adapter(survey_data):
    m = load_model_text(SURVEY)
    gw = entropy_group_weights(m.root, responses(survey_data), m)
    scores = np.column_stack([survey_data[:, 0], survey_data[:, 1], survey_data[:, 2:4].mean(axis=1)])
    assert isinstance(gw, GroupWeights) and (gw.group, gw.method) == ("overall", "entropy")
    assert gw.weights == pytest.approx(entropy_weights(scores).weights, abs=1e-12)
    assert (gw.details["variant"], gw.details["policy"], gw.details["n"], gw.details["constant"]) == ("minmax", "listwise", 250, [])
    ratio = entropy_group_weights(m.root, responses(survey_data), m, options={"variant": "ratio"})
    assert ratio.weights == pytest.approx(entropy_weights(scores, "ratio").weights, abs=1e-12)
    inner = entropy_group_weights(m.node("g"), responses(survey_data), m)
    assert inner.weights == pytest.approx(entropy_weights(survey_data[:, 2:4]).weights, abs=1e-12)


def test_entropy_adapter_constant_child_warns(survey_data):
    m = load_model_text(SURVEY)
    x = survey_data.copy()
    x[:, 1] = 75.0
    gw = entropy_group_weights(m.root, responses(x), m)
    assert gw.weights[1] == 0.0 and gw.details["constant"] == ["b"]
    assert "b scored the same for every respondent" in gw.details["warnings"][0]


def test_adapters_missing_data_policy(survey_data):
    m = load_model_text(SURVEY)
    x = survey_data.copy()
    x[[3, 8], 0] = np.nan
    x[5, 2:4] = np.nan  # respondent 5 answered nothing in g
    listwise = entropy_group_weights(m.root, responses(x), m)
    mean = entropy_group_weights(m.root, responses(x), m, options={"policy": "mean"})
    assert (listwise.details["n"], mean.details["n"]) == (247, 250)
    crit = critic_group_weights(m.root, responses(x), m, options={"policy": "mean"})
    assert crit.details["n"] == 250


def test_child_nobody_answered(survey_data):
    m = load_model_text(SURVEY)
    x = survey_data.copy()
    x[:, 1] = np.nan
    for adapter in (entropy_group_weights, critic_group_weights, drivers_group_weights):
        for policy in ("listwise", "mean"):
            with pytest.raises(DataError) as e:
                adapter(m.root, responses(x), m, options={"policy": policy})
            assert e.value.codes == ["no-answers"] and "for b;" in str(e.value)


def test_too_few_respondents(survey_data):
    m = load_model_text(SURVEY)
    with pytest.raises(DataError) as e:
        entropy_group_weights(m.root, responses(survey_data[:1]), m)
    assert e.value.codes == ["too-few-respondents"]
    with pytest.raises(DataError) as e:
        drivers_group_weights(m.root, responses(survey_data[:4]), m)
    assert e.value.codes == ["too-few-respondents"]


def test_critic_adapter_with_respondent_weights(survey_data):
    m = load_model_text(SURVEY)
    reps = 1.0 + np.arange(250) % 3
    gw = critic_group_weights(m.root, responses(survey_data, weights=reps), m)
    scores = np.column_stack([survey_data[:, 0], survey_data[:, 1], survey_data[:, 2:4].mean(axis=1)])
    assert gw.weights == pytest.approx(critic_weights(np.repeat(scores, reps.astype(int), axis=0)).weights, abs=1e-12)
    assert gw.details["respondent_weights"] == "used" and gw.details["sd_ddof"] == 1


def test_drivers_adapter(survey_data):
    m = load_model_text(SURVEY)
    gw = drivers_group_weights(m.root, responses(survey_data), m)
    scores = np.column_stack([survey_data[:, 0], survey_data[:, 1], survey_data[:, 2:4].mean(axis=1)])
    ref = relative_weights(scores, survey_data[:, 4:6].mean(axis=1))
    assert gw.weights == pytest.approx(ref.weights, abs=1e-12)
    assert gw.details["r2"] == pytest.approx(ref.r2, abs=1e-12)
    assert list(gw.details["raw"]) == ["a", "b", "g"] and gw.details["n"] == 250


def test_drivers_adapter_errors(survey_data):
    no_outcome = load_model_text(SURVEY.replace("outcome: {items: [{id: o1, column: O1}, {id: o2, column: O2}]}\n", ""))
    with pytest.raises(ModelError) as e:
        drivers_group_weights(no_outcome.root, responses(survey_data[:, :4]), no_outcome)
    assert e.value.codes == ["drivers-needs-outcome"]
    m = load_model_text(SURVEY)
    x = survey_data.copy()
    x[:, 4:6] = 50.0
    with pytest.raises(DataError) as e:
        drivers_group_weights(m.root, responses(x), m)
    assert e.value.codes == ["drivers-no-signal"]
