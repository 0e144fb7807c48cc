"""League tables (csi.ranking): the between-unit variance against a published meta-analysis,
the funnel limits against Spiegelhalter's formula, and a simulation with known unit effects."""

from __future__ import annotations

import dataclasses
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from csi.errors import InputError
from csi.model import load_model_text
from csi.options import RankOptions, ScoreOptions
from csi.ranking import _engine_units, _linear_units, funnel_limits, node_for, rank_units, shrink, tau2_dl, tau2_reml, unit_codes
from csi.responses import DataQuality, Responses
from csi.result import Ranking
from csi.scoring import score
from csi.weighting import group_weights

TWO = load_model_text("children: [{id: a, column: A}, {id: b, column: B}]")
TREE = load_model_text("""
children:
  - {id: g1, name: G1, weight: 0.6, children: [{id: a, column: A}, {id: b, column: B}]}
  - {id: g2, name: G2, weight: 0.4, children: [{id: c, column: C}]}
""")


def clasp() -> tuple[np.ndarray, np.ndarray]:
    """Log odds ratios and their variances of the six CLASP trials (DerSimonian & Kacker 2007,
    Table 2; the same data as metafor's analysis example ``dersimonian2007``)."""
    n1 = np.array([156, 303, 565, 1570, 103, 4659.0])
    n2 = np.array([74, 303, 477, 1565, 105, 4650.0])
    a = np.array([5, 5, 12, 69, 9, 313.0])
    c = np.array([8, 17, 9, 94, 11, 352.0])
    b, d = n1 - a, n2 - c
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


@pytest.mark.parametrize(("estimator", "tau", "mu", "se"), [
    # DerSimonian & Kacker (2007), Contemporary Clinical Trials 28:105–114, Tables 3 and 4 (to 4 decimals)
    (tau2_dl, 0.2323, -0.3240, 0.1540),
    (tau2_reml, 0.1843, -0.2980, 0.1343),
])
def test_tau2_against_dersimonian_kacker_2007(estimator, tau, mu, se):
    y, v = clasp()
    tau2 = estimator(y, v)
    w = 1 / (v + tau2)
    assert np.sqrt(tau2) == pytest.approx(tau, abs=5e-5)
    assert (w @ y) / w.sum() == pytest.approx(mu, abs=5e-5)
    assert np.sqrt(1 / w.sum()) == pytest.approx(se, abs=5e-5)
    _, _, mu_hat = shrink(y, v, tau2)
    assert mu_hat == pytest.approx(mu, abs=5e-5)


def test_tau2_is_zero_without_between_unit_variation():
    y = np.array([70.0, 70.5, 69.5, 70.2])
    v = np.full(4, 25.0)
    assert tau2_dl(y, v) == 0.0
    assert tau2_reml(y, v) == 0.0


def test_funnel_limits_against_spiegelhalter_formula():
    """Spiegelhalter (2005), Stat Med 24:1185–1202, section 3 (normal outcome): limits
    θ₀ ± z_p σ/√n with z = 1.96 (95 %) and 3.09 (99.8 %). Worked example: θ₀ = 75.6, σ = 20,
    n = 25 and 100, so σ/√n = 4 and 2:
    95 %:   75.6 ± 1.96 × 4 = [67.76, 83.44],   75.6 ± 1.96 × 2 = [71.68, 79.52];
    99.8 %: 75.6 ± 3.09 × 4 = [63.24, 87.96],   75.6 ± 3.09 × 2 = [69.42, 81.78]."""
    n = np.array([25.0, 100.0])
    lo, hi = funnel_limits(75.6, 20.0, n, 0.95)
    assert lo == pytest.approx([67.76, 71.68], abs=0.001)
    assert hi == pytest.approx([83.44, 79.52], abs=0.001)
    lo, hi = funnel_limits(75.6, 20.0, n, 0.998)
    assert lo == pytest.approx([63.24, 69.42], abs=0.002)  # (z printed as 3.09; exact 3.0902)
    assert hi == pytest.approx([87.96, 81.78], abs=0.002)
    assert NormalDist().inv_cdf(0.999) == pytest.approx(3.090232, abs=1e-6)


def simulate(seed: int, units: int = 60, tau: float = 8.0, model=TWO, weights: bool = False) -> tuple[Responses, dict]:
    """Respondents of ``units`` units of 5–80 respondents each; unit u's true score is
    100 pᵤ, pᵤ ~ N(0.7, (τ/100)²) clipped to [0.05, 0.95]; every answer is 25 × Binomial(4, pᵤ)
    (five points, 0–100, mean exactly 100 pᵤ, so no clipping bias)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 81, units)
    p = np.clip(0.7 + tau / 100 * rng.standard_normal(units), 0.05, 0.95)
    codes = np.repeat(np.arange(units), sizes)
    k = len(model.items)
    x = rng.binomial(4, p[codes][:, None], size=(codes.size, k)) * 25.0
    names = np.array([f"u{i:02d}" for i in range(units)], dtype=object)
    ids = tuple(i.id for i in model.items)
    w = rng.uniform(0.5, 2.0, codes.size) if weights else None
    r = Responses(x, ids, tuple(i.upper() for i in ids), np.arange(codes.size), DataQuality(codes.size, codes.size, {}, {}),
                  weights=w, segments={"经理": pd.Categorical(names[codes])})
    return r, {f"u{i:02d}": 100 * p[i] for i in range(units)}


def test_simulation_shrinkage_beats_raw_means_and_rank_intervals_cover():
    """60 units, n 5–80, known effects: the shrunken scores have lower MSE than the raw means,
    and the 95 % rank intervals cover the true ranks at about 95 % (over 12 data sets)."""
    raw_se, shrunk_se, covered = [], [], []
    for seed in range(12):
        r, truth = simulate(seed)
        table = rank_units(TWO, r, ScoreOptions(bootstrap=300, seed=seed), RankOptions("经理"), target=70.0)
        ranked = table.ranked
        assert len(ranked) == 60
        true = np.array([truth[u.unit] for u in ranked])
        true_rank = 1 + np.argsort(np.argsort(-true))
        raw_se += [(u.raw.score - truth[u.unit]) ** 2 for u in ranked]
        shrunk_se += [(u.shrunken.score - truth[u.unit]) ** 2 for u in ranked]
        covered += [u.rank_ci[0] <= t <= u.rank_ci[1] for u, t in zip(ranked, true_rank, strict=True)]
    assert np.mean(shrunk_se) < 0.9 * np.mean(raw_se)
    assert 0.90 <= np.mean(covered) <= 0.99


def test_raw_scores_are_the_segment_table_of_csi_score():
    """Up to 50 000 respondents the units' raw scores and intervals are the engine's --by cells."""
    r, _ = simulate(3, units=12)
    options = ScoreOptions(bootstrap=200, seed=5)
    segment = score(TWO, r, options).segments[0]
    table = rank_units(TWO, r, options, RankOptions("经理"), target=70.0)
    by_unit = {u.unit: u for u in table.units}
    assert len(segment.groups) == 12
    for g in segment.groups:
        u = by_unit[g.value]
        assert u.raw.score == pytest.approx(g.overall.score, abs=1e-9)
        assert u.raw.se == pytest.approx(g.overall.se, abs=1e-9)
        assert u.raw.ci == pytest.approx(g.overall.ci, abs=1e-9)
        assert u.size == g.n


@pytest.mark.parametrize("node", [None, "g1", "c"])
def test_linearised_replicates_agree_with_resampling(node):
    """The multiplier bootstrap of the linearised unit scores (used above 50 000 respondents)
    gives the same points and about the same SEs as resampling the respondents, from ten
    respondents up (a weighted ratio over five is far from linear: there the SEs differ by up
    to a third)."""
    r, _ = simulate(7, units=40, model=TREE, weights=True)
    options = ScoreOptions(bootstrap=2000, seed=1)
    weights = group_weights(TREE, r)
    n = node_for(TREE, node)
    exact = _engine_units(TREE, r, weights, options, "经理", n)
    linear = _linear_units(TREE, r, weights, options, "经理", n)
    assert linear.est == pytest.approx(exact.est, abs=1e-9)
    assert linear.n == pytest.approx(exact.n)
    ratio = np.nanstd(linear.reps, axis=0) / np.nanstd(exact.reps, axis=0)
    assert np.median(ratio) == pytest.approx(1.0, abs=0.06)
    big = exact.n >= 10
    assert ratio[big].min() > 0.85 and ratio[big].max() < 1.15


def test_small_units_are_listed_never_ranked():
    r, _ = simulate(2, units=20)
    sizes = pd.Series(np.asarray(r.segments["经理"])).value_counts()
    table = rank_units(TWO, r, ScoreOptions(bootstrap=100, min_group=30), RankOptions("经理"), target=70.0)
    small = {u.unit for u in table.units if u.status == "too_small"}
    assert small == set(sizes[sizes < 30].index)
    assert small and all(u.rank is None and u.raw is None for u in table.units if u.status == "too_small")
    assert sorted(u.rank for u in table.ranked) == list(range(1, 21 - len(small)))
    d = table.to_dict()
    assert [u["status"] for u in d["units"]].count("too_small") == len(small)
    assert all("raw" not in u for u in d["units"] if u["status"] == "too_small")
    assert Ranking.from_dict(d) == table


def test_anonymised_codes_are_stable_and_distinct():
    r, _ = simulate(4, units=15)
    one = rank_units(TWO, r, ScoreOptions(bootstrap=100), RankOptions("经理", anonymise=True), target=70.0)
    two = rank_units(TWO, r, ScoreOptions(bootstrap=100), RankOptions("经理", anonymise=True), target=70.0)
    plain = rank_units(TWO, r, ScoreOptions(bootstrap=100), RankOptions("经理"), target=70.0)
    codes = [u.unit for u in one.units]
    assert codes == [u.unit for u in two.units] and len(set(codes)) == 15
    assert not set(codes) & {u.unit for u in plain.units}
    assert [u.raw.score for u in one.units] == [u.raw.score for u in plain.units]
    assert codes == unit_codes("经理", [u.unit for u in plain.units])
    assert len(set(unit_codes("x", [str(i) for i in range(5000)]))) == 5000


def test_population_correction_narrows_every_interval():
    r, _ = simulate(5, units=10)
    plain = rank_units(TWO, r, ScoreOptions(bootstrap=200), RankOptions("经理"), target=70.0)
    fpc = rank_units(TWO, r, ScoreOptions(bootstrap=200, population=r.n + r.n // 3), RankOptions("经理"), target=70.0)
    factor = np.sqrt((r.n // 3) / (r.n + r.n // 3 - 1))
    corrected = {u.unit: u for u in fpc.units}
    for a in plain.units:
        b = corrected[a.unit]
        assert b.raw.score == a.raw.score
        assert b.raw.se == pytest.approx(a.raw.se * factor, rel=1e-9)
    assert fpc.sigma == pytest.approx(plain.sigma * factor, rel=1e-9)


def test_funnel_flags_follow_the_limits():
    r, truth = simulate(8, units=30, tau=15.0)
    table = rank_units(TWO, r, ScoreOptions(bootstrap=100), RankOptions("经理"), target=70.0)
    for u in table.ranked:
        (l95, h95), (l998, h998) = u.limits
        y = u.raw.score
        expected = ("clearly_above" if y > h998 else "above" if y > h95 else "clearly_below" if y < l998
                    else "below" if y < l95 else "within")
        assert u.flag == expected
        assert h998 - table.target == pytest.approx(NormalDist().inv_cdf(0.999) * table.sigma / np.sqrt(u.raw.n))
    assert {"clearly_above", "clearly_below"} <= {u.flag for u in table.ranked}


def test_bad_requests_are_input_errors():
    r, _ = simulate(1, units=5)
    with pytest.raises(InputError, match="--node 'zz'"):
        rank_units(TWO, r, ScoreOptions(bootstrap=50), RankOptions("经理", node="zz"), target=70.0)
    with pytest.raises(InputError, match="-B 200"):
        rank_units(TWO, r, ScoreOptions(bootstrap=0), RankOptions("经理"), target=70.0)
    with pytest.raises(InputError, match="no column"):
        rank_units(TWO, dataclasses.replace(r, segments={}), ScoreOptions(bootstrap=50), RankOptions("经理"), target=70.0)


def test_weighted_raw_scores_equal_a_plain_numpy_computation():
    """With respondent weights, a unit's raw score on g1 (items a, b, equal weights) is the mean of
    the two weighted item means Σ w x / Σ w over the unit's respondents, computed here directly."""
    r, _ = simulate(9, units=8, model=TREE, weights=True)
    table = rank_units(TREE, r, ScoreOptions(bootstrap=100), RankOptions("经理", node="g1"), target=70.0)
    names = np.asarray(r.segments["经理"], dtype=object)
    for u in table.ranked:
        rows = names == u.unit
        w, x = r.weights[rows], r.values[rows]
        expected = np.mean([(w * x[:, j]).sum() / w.sum() for j in (0, 1)])
        assert u.raw.score == pytest.approx(expected, abs=1e-9)
        assert u.raw.n == rows.sum()


def test_respondents_without_a_unit_are_listed_not_ranked():
    r, _ = simulate(6, units=6)
    names = np.asarray(r.segments["经理"], dtype=object).copy()
    names[:40] = "(missing)"
    r = dataclasses.replace(r, segments={"经理": pd.Categorical(names)})
    for anonymise in (False, True):
        table = rank_units(TWO, r, ScoreOptions(bootstrap=100), RankOptions("经理", anonymise=anonymise), target=70.0)
        missing = [u for u in table.units if u.status == "missing"]
        assert [(u.unit, u.size) for u in missing] == [("(missing)", 40)]
        assert "(missing)" not in {u.unit for u in table.ranked}
