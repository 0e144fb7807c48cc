"""Tests for csi.stats: Cronbach's alpha, Cochran sample size and margin, Holm adjustment.

Reference numbers carry their source; the scripts that printed them are in
tests/reference/scripts/ and every number is listed in tests/reference/REFERENCES.md.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import csi.stats
from csi.stats import Alpha, _f_quantile, cochran_sample_size, cronbach_alpha, cronbach_alphas, holm, margin_of_error

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    # 20 respondents x 5 items (1-5), 3 missing cells, integer weights; synthetic,
    # made by tests/reference/scripts/make_alpha_small.py.
    return pd.read_csv(DATA / "alpha_small.csv")


@pytest.fixture(scope="module")
def small_items(small: pd.DataFrame) -> np.ndarray:
    return small.filter(like="item").to_numpy(dtype=float)


# --------------------------------------------------------------------------- alpha


def test_alpha_hand_computed_three_respondents():
    """Worked on paper: x = [[1, 2], [2, 3], [3, 5]], k = 2, n = 3.

    Item variances (ddof 1): item 1 (1, 2, 3) → 1; item 2 (2, 3, 5), mean 10/3 → 7/3.
    Totals 3, 5, 8, mean 16/3 → variance 19/3. alpha = 2 (1 − (1 + 7/3)/(19/3)) = 18/19.
    Feldt with d1 = d2 = 2: the F(2, 2) distribution function is x/(1 + x), so
    F_q = q/(1 − q): F_0.975 = 39, F_0.025 = 1/39. low = 1 − 39/19 = −20/19,
    high = 1 − 1/(19·39) = 740/741.
    """
    a = cronbach_alpha(np.array([[1, 2], [2, 3], [3, 5]]))
    assert a.alpha == pytest.approx(18 / 19, abs=1e-12)
    assert a.ci_low == pytest.approx(-20 / 19, abs=1e-9)
    assert a.ci_high == pytest.approx(740 / 741, abs=1e-9)
    assert (a.n, a.k) == (3, 2)


def test_alpha_pingouin_small_complete_rows(small_items):
    # pingouin 0.7.0: pg.cronbach_alpha(complete rows of alpha_small.csv), ci=0.95/0.90/0.99;
    # interval digits: Feldt on pingouin's alpha (scripts/alpha_pingouin.py), pingouin
    # itself prints [0.333, 0.864], [0.404, 0.843], [0.173, 0.9].
    complete = small_items[~np.isnan(small_items).any(axis=1)]
    a = cronbach_alpha(complete)
    assert a.alpha == pytest.approx(0.6694402420574888, abs=1e-6)
    assert (a.ci_low, a.ci_high) == pytest.approx((0.3328639340691647, 0.8644810973922972), abs=1e-6)
    assert (a.n, a.k) == (17, 5)
    a90 = cronbach_alpha(complete, confidence=0.90)
    assert (a90.ci_low, a90.ci_high) == pytest.approx((0.4036110575426367, 0.8425954492952302), abs=1e-6)
    a99 = cronbach_alpha(complete, confidence=0.99)
    assert (a99.ci_low, a99.ci_high) == pytest.approx((0.17343987703516217, 0.9004059108336679), abs=1e-6)


def test_alpha_listwise_deletion_matches_pingouin(small_items):
    # pingouin 0.7.0: pg.cronbach_alpha(all 20 rows, nan_policy="listwise") → 0.6694402420574888.
    # The interval must use the 17 complete rows (pingouin's listwise interval keeps n = 20,
    # so the reference interval is the one on the complete rows).
    a = cronbach_alpha(small_items)
    assert a.alpha == pytest.approx(0.6694402420574888, abs=1e-6)
    assert (a.ci_low, a.ci_high) == pytest.approx((0.3328639340691647, 0.8644810973922972), abs=1e-6)
    assert (a.n, a.k) == (17, 5)


def test_alpha_integer_weights_equal_repeated_rows(small, small_items):
    # pingouin 0.7.0: pg.cronbach_alpha on the complete rows of alpha_small.csv, row i
    # repeated weight_i times (29 rows) → 0.6340312592155707 (scripts/alpha_pingouin.py).
    w = small["weight"].to_numpy(dtype=float)
    a = cronbach_alpha(small_items, weights=w)
    assert a.alpha == pytest.approx(0.6340312592155707, abs=1e-6)
    assert a.n == 17
    # alpha depends on relative weights only
    assert cronbach_alpha(small_items, weights=w / 7.3).alpha == pytest.approx(a.alpha, abs=1e-12)
    assert cronbach_alpha(small_items, weights=w * 1e6).alpha == pytest.approx(a.alpha, abs=1e-12)


def test_alpha_weighted_interval_uses_kish_effective_n(small, small_items):
    """Documented convention: Feldt's interval with n replaced by (Σw)²/Σw²."""
    from scipy.stats import f

    w = small["weight"].to_numpy(dtype=float)
    keep = ~np.isnan(small_items).any(axis=1)
    n_eff = w[keep].sum() ** 2 / (w[keep] ** 2).sum()  # 29² / 61 = 13.786885…
    assert n_eff == pytest.approx(29**2 / 61, abs=1e-12)
    a = cronbach_alpha(small_items, weights=w)
    d1, d2 = n_eff - 1, (n_eff - 1) * 4
    assert a.ci_low == pytest.approx(1 - (1 - a.alpha) * f.ppf(0.975, d1, d2), abs=1e-9)
    assert a.ci_high == pytest.approx(1 - (1 - a.alpha) * f.ppf(0.025, d1, d2), abs=1e-9)


@pytest.mark.parametrize(("rows", "k", "confidence", "weighted"),
                         [(3, 2, 0.95, False), (20, 4, 0.95, True), (250, 4, 0.9, False), (5000, 7, 0.99, True),
                          (100_000, 3, 0.95, False)])
def test_feldt_interval_from_fdtri_equals_scipy_stats_f(rows, k, confidence, weighted):
    """The interval's F quantiles (computed in csi.stats, formerly by scipy.special.fdtri) equal
    scipy.stats.f.ppf to 1e-12 — fractional degrees of freedom (Kish's effective n) included."""
    from scipy.stats import f

    rng = np.random.default_rng(rows)
    x = rng.normal(size=(rows, 1)) + rng.normal(size=(rows, k))
    w = rng.uniform(0.2, 3.0, rows) if weighted else np.ones(rows)
    a = cronbach_alpha(x, weights=w if weighted else None, confidence=confidence)
    d1 = w.sum() ** 2 / (w**2).sum() - 1
    d2 = d1 * (k - 1)
    q = (1 - confidence) / 2
    assert a.ci_low == pytest.approx(1 - (1 - a.alpha) * f.ppf(1 - q, d1, d2), abs=1e-12)
    assert a.ci_high == pytest.approx(1 - (1 - a.alpha) * f.ppf(q, d1, d2), abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_alphas_of_several_blocks_equal_alpha_block_by_block(monkeypatch, weighted):
    """The one-pass, chunked moments of cronbach_alphas against the two-pass cronbach_alpha on
    each block: overlapping blocks, missing answers (listwise deletion differs per block), a
    zero and a NaN weight, a block of one item, a block nobody completes and a constant block,
    over several chunks. Values around 70 on a 0–100 scale test that centring keeps digits."""
    import csi.stats

    monkeypatch.setattr(csi.stats, "_ALPHA_CHUNK_ROWS", 37)
    rng = np.random.default_rng(4)
    x = 70 + rng.normal(0, 8, size=(200, 1)) + rng.normal(0, 10, size=(200, 7))
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, 4] = np.nan
    x[:, 5], x[:, 6] = 50.0, 30.0
    w = rng.uniform(0.3, 4.0, 200) if weighted else None
    if weighted:
        w[3], w[10] = 0.0, np.nan
    blocks = [[0, 1, 2, 3], [1, 2], [3, 0], [2], [1, 4], [5, 0], [5, 6]]
    many = cronbach_alphas(x, blocks, weights=w, confidence=0.9)
    for block, a in zip(blocks, many, strict=True):
        one = cronbach_alpha(x[:, block], weights=w, confidence=0.9)
        assert (a.n, a.k) == (one.n, one.k)
        assert np.isnan(a.alpha) == np.isnan(one.alpha)
        if not np.isnan(one.alpha):
            assert (a.alpha, a.ci_low, a.ci_high) == pytest.approx((one.alpha, one.ci_low, one.ci_high), abs=1e-10)


def test_alphas_reject_a_repeated_column():
    with pytest.raises(ValueError, match="distinct"):
        cronbach_alphas(np.ones((5, 3)), [[0, 0]])


def test_alpha_equal_weights_change_nothing(small_items):
    plain = cronbach_alpha(small_items)
    weighted = cronbach_alpha(small_items, weights=np.full(len(small_items), 2.5))
    for field in ("alpha", "ci_low", "ci_high"):
        assert getattr(weighted, field) == pytest.approx(getattr(plain, field), abs=1e-9)
    assert weighted.n == plain.n


def test_alpha_zero_and_nan_weights_drop_the_row(small_items):
    complete = small_items[~np.isnan(small_items).any(axis=1)]
    w = np.ones(len(complete))
    w[0] = 0.0
    w[5] = np.nan
    a = cronbach_alpha(complete, weights=w)
    b = cronbach_alpha(np.delete(complete, [0, 5], axis=0))
    assert a.n == b.n == len(complete) - 2
    assert (a.alpha, a.ci_low, a.ci_high) == pytest.approx((b.alpha, b.ci_low, b.ci_high), abs=1e-9)


def test_alpha_ecsi_satisfaction_block():
    # docs/methods.md#cronbach-alpha: ECSI SAT block → 0.894295. pingouin 0.7.0 on sat1-sat4 of the plspm
    # 'satisfaction' data (n = 250): 0.8942951879313619, interval (Feldt on pingouin's
    # alpha) 0.8711537374531685-0.914182133287615, pingouin prints [0.871, 0.914].
    ecsi = pd.read_csv(DATA / "ecsi_satisfaction.csv")
    a = cronbach_alpha(ecsi[["sat1", "sat2", "sat3", "sat4"]].to_numpy(dtype=float))
    assert a.alpha == pytest.approx(0.8942951879313619, abs=1e-6)
    assert a.alpha == pytest.approx(0.894295, abs=5e-7)
    assert (a.ci_low, a.ci_high) == pytest.approx((0.8711537374531685, 0.914182133287615), abs=1e-6)
    assert (a.n, a.k) == (250, 4)


@pytest.mark.parametrize(
    ("x", "n", "k"),
    [
        pytest.param([[1], [2], [3], [5]], 4, 1, id="one item"),
        pytest.param([[1, 2], [2, 4]], 2, 2, id="two respondents"),
        pytest.param([[1, 2], [2, 4], [np.nan, 1]], 2, 2, id="two complete respondents"),
        pytest.param([[3, 3], [3, 3], [3, 3]], 3, 2, id="constant answers"),
        pytest.param([[1, 3], [2, 2], [3, 1]], 3, 2, id="constant total"),
        pytest.param(np.empty((0, 4)), 0, 4, id="no respondents"),
    ],
)
def test_alpha_undefined_is_nan_not_an_error(x, n, k):
    a = cronbach_alpha(np.asarray(x, dtype=float))
    assert math.isnan(a.alpha) and math.isnan(a.ci_low) and math.isnan(a.ci_high)
    assert (a.n, a.k) == (n, k)


@settings(max_examples=100, deadline=None)
@given(
    a=arrays(np.float64, st.integers(3, 12), elements=st.floats(0, 10)),
    data=st.data(),
)
def test_alpha_constant_total_with_fractional_weights_is_nan(a, data):
    """Items that always add up to the same total: rounding must not pass for variance."""
    w = np.array(data.draw(st.lists(st.floats(0.01, 3), min_size=len(a), max_size=len(a))))
    x = np.column_stack([a, 7.7 - a, np.full(len(a), 0.3)])
    assert math.isnan(cronbach_alpha(x, weights=w).alpha)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"x": [1.0, 2.0, 3.0]}, "2-D", id="1-D x"),
        pytest.param({"x": [[1, 2], [2, 3], [3, 5]], "weights": [1, 1]}, "one value per row", id="short weights"),
        pytest.param({"x": [[1, 2], [2, 3], [3, 5]], "weights": [1, -1, 1]}, "non-negative", id="negative weight"),
        pytest.param({"x": [[1, 2], [2, 3], [3, 5]], "weights": [1, np.inf, 1]}, "finite", id="infinite weight"),
        pytest.param({"x": [[1, 2], [2, 3], [3, 5]], "confidence": 95}, "confidence", id="confidence in percent"),
    ],
)
def test_alpha_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cronbach_alpha(**kwargs)


def test_alpha_result_is_frozen():
    a = cronbach_alpha([[1, 2], [2, 3], [3, 5]])
    assert isinstance(a, Alpha)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.alpha = 0.5  # type: ignore[misc]


likert = arrays(
    np.float64,
    st.tuples(st.integers(3, 25), st.integers(2, 6)),
    elements=st.integers(1, 5).map(float),
)


@settings(max_examples=100, deadline=None)
@given(x=likert, seed=st.integers(0, 2**32 - 1))
def test_alpha_properties(x, seed):
    """Order of respondents or items, and shifting an item, change nothing; α ≤ 1; α in its CI."""
    rng = np.random.default_rng(seed)
    a = cronbach_alpha(x)
    if math.isnan(a.alpha):
        return
    assert a.alpha <= 1 + 1e-12
    # at α = 1 (items perfectly correlated) Feldt's bounds are 1 ± rounding: 1.0000000000000087
    assert a.ci_low - 1e-12 <= a.alpha <= a.ci_high + 1e-12
    b = cronbach_alpha(x[rng.permutation(len(x))][:, rng.permutation(x.shape[1])])
    assert b.alpha == pytest.approx(a.alpha, abs=1e-9)
    shifted = x + rng.integers(-3, 4, size=x.shape[1])  # item means do not enter alpha
    assert cronbach_alpha(shifted).alpha == pytest.approx(a.alpha, abs=1e-9)
    assert cronbach_alpha(x * 20 - 20).alpha == pytest.approx(a.alpha, abs=1e-9)  # 1-5 → 0-80


@settings(max_examples=50, deadline=None)
@given(x=likert, data=st.data())
def test_alpha_integer_weights_equal_repeated_rows_property(x, data):
    w = np.array(data.draw(st.lists(st.integers(1, 4), min_size=len(x), max_size=len(x))))
    a = cronbach_alpha(x, weights=w)
    b = cronbach_alpha(np.repeat(x, w, axis=0))
    if math.isnan(b.alpha):
        assert math.isnan(a.alpha) or a.n < 3
    else:
        assert a.alpha == pytest.approx(b.alpha, abs=1e-9)


# --------------------------------------------------------------------------- F quantile

F_GRID_P = (0.001, 0.025, 0.05, 0.5, 0.95, 0.975, 0.999)
F_GRID_DF = (1, 2, 3, 5, 10, 29, 100, 399, 1e3, 1e4, 1e5, 1e6, 5e6)


def test_f_quantile_matches_scipy_fdtri_on_a_grid():
    """All 7 × 13 × 13 = 1183 (p, d1, d2) of the grid against scipy.special.fdtri, the routine
    the interval used before, to a relative 1e-10.

    Why 1e-10: fdtri itself is off by up to 1.5e-11 here (d1 = 10, d2 = 5e6, and the mirror
    case), as the 30-digit values of the next test show, while this quantile is within 1e-15 of
    them; a bound near machine precision would test scipy. 1e-10 still catches any slip in a
    formula (those show at 1e-3 or worse), and a 3-decimal interval needs 1e-4 at most.
    """
    from scipy.special import fdtri

    worst = (0.0, None)
    for p in F_GRID_P:
        for d1 in F_GRID_DF:
            for d2 in F_GRID_DF:
                rel = abs(_f_quantile(p, d1, d2) / float(fdtri(d1, d2, p)) - 1.0)
                worst = max(worst, (rel, (p, d1, d2)), key=lambda w: w[0])
    assert worst[0] <= 1e-10, worst


@pytest.mark.parametrize(
    ("p", "d1", "d2", "expected"),
    [
        # tests/reference/scripts/f_quantile_mpmath.py (mpmath 1.4.1, 40 digits): where fdtri
        # differs most from the quantile on the grid above, the example survey's 409 × 4, and a far tail
        (0.975, 10, 5_000_000, 2.04832029203330982576632),
        (0.025, 5_000_000, 10, 0.4882048983693503241909263),
        (0.999, 10, 5_000_000, 2.958836232124410962356683),
        (0.05, 1_000_000, 5_000_000, 0.9974537950134201661336745),
        (0.975, 1_000_000, 5_000_000, 1.003039416485868215469555),
        (0.95, 5_000_000, 1_000_000, 1.002552704696006070281396),
        (0.95, 1, 5_000_000, 3.841460680521262803314015),
        (0.025, 408, 1224, 0.8505987050854318619826637),
        (0.975, 408, 1224, 1.168173547174121026062613),
        (1e-277, 1000, 70, 0.01994076080870778750512282),  # fdtri: 0.0207233 (4 % off)
    ],
)
def test_f_quantile_mpmath_references(p, d1, d2, expected):
    assert _f_quantile(p, d1, d2) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize(
    ("p", "d1", "d2", "table"),
    [
        # NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.3, upper critical values of
        # the F distribution (3 decimals): 5 % and 1 % points
        (0.95, 1, 1, 161.448),
        (0.95, 1, 10, 4.965),
        (0.95, 5, 10, 3.326),
        (0.95, 10, 10, 2.978),
        (0.99, 1, 1, 4052.181),
        (0.99, 5, 10, 5.636),
        (0.99, 10, 10, 4.849),
    ],
)
def test_f_quantile_nist_table(p, d1, d2, table):
    assert _f_quantile(p, d1, d2) == pytest.approx(table, abs=5e-4)


def test_f_quantile_five_figure_table_value():
    # F_0.95(5, 10) = 3.3258: Merrington & Thompson (1943), Biometrika 33, 73-88, as reprinted in
    # Abramowitz & Stegun (1964), Table 26.9 (five significant figures)
    assert _f_quantile(0.95, 5, 10) == pytest.approx(3.3258, abs=5e-5)


@pytest.mark.parametrize("p", [0.001, 0.025, 0.3, 0.5, 0.95, 0.999])
@pytest.mark.parametrize("d", [1, 2, 3, 7.5, 29, 1e3, 1e5, 5e6, 1e9])
def test_f_quantile_closed_forms(p, d):
    """Exact cases, to a relative 1e-13 (the inversion's target; it reaches ~1e-15).

    I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a, so F_p(2, d) = (d/2)((1 - p)^(-2/d) - 1)
    and F_p(d, 2) = (2/d) / (p^(-2/d) - 1); I_x(1/2, 1/2) = (2/π) asin(√x), so
    F_p(1, 1) = tan²(πp/2); F(d, d) is symmetric under F → 1/F, so its median is 1, and in
    general F_p(d1, d2) = 1 / F_{1-p}(d2, d1).
    """
    assert _f_quantile(p, 2, d) == pytest.approx(d / 2 * math.expm1(-2 / d * math.log1p(-p)), rel=1e-13)
    assert _f_quantile(p, d, 2) == pytest.approx(2 / d / math.expm1(-2 / d * math.log(p)), rel=1e-13)
    assert _f_quantile(0.5, d, d) == pytest.approx(1.0, rel=1e-13)
    assert _f_quantile(p, d, 3.5) * _f_quantile(1 - p, 3.5, d) == pytest.approx(1.0, rel=1e-13)
    # tan(π(1 - q)/2) = 1/tan(πq/2): from the smaller tail, which is exact
    tan = math.tan(math.pi * p / 2) if p <= 0.5 else 1 / math.tan(math.pi * (1 - p) / 2)
    assert _f_quantile(p, 1, 1) == pytest.approx(tan**2, rel=1e-13)


def test_f_quantile_edges_and_bad_arguments():
    assert _f_quantile(0.0, 3, 4) == 0.0
    assert _f_quantile(1.0, 3, 4) == math.inf
    # degrees of freedom near 0 (Kish's n_eff close to 1): quantiles beyond the float range
    assert _f_quantile(0.025, 1e-4, 3e-4) == 0.0
    assert _f_quantile(0.975, 1e-4, 3e-4) == math.inf
    for p, d1, d2 in [(-0.1, 3, 4), (1.5, 3, 4), (math.nan, 3, 4), (0.5, 0, 4), (0.5, 3, -1), (0.5, math.inf, 4)]:
        with pytest.raises(ValueError, match="degrees of freedom"):
            _f_quantile(p, d1, d2)


def test_f_quantile_raises_rather_than_return_an_unconverged_value(monkeypatch):
    monkeypatch.setattr(csi.stats, "_QUANTILE_MAX_STEPS", 1)
    with pytest.raises(ArithmeticError, match="did not converge"):
        _f_quantile(0.975, 30, 90)
    monkeypatch.undo()
    # a continued fraction cut short: near its switch point x = (a + 1)/(a + b + 2), a = b = 50
    # needs 22 terms; let its cap be 5
    monkeypatch.setattr(csi.stats, "_fraction_max_terms", lambda a, b: 5)
    with pytest.raises(ArithmeticError, match="continued fraction did not converge"):
        csi.stats._beta_cdf(0.5, 0.5, 50.0, 50.0)


def test_alpha_interval_does_not_import_scipy():
    """The point of the in-house quantile: Feldt's interval without importing scipy (0.25 s)."""
    code = ("import sys, csi.stats; a = csi.stats.cronbach_alpha([[1, 2], [2, 3], [3, 5], [4, 4]]); "
            "assert a.ci_low < a.alpha < a.ci_high; print(sorted(m for m in sys.modules if m.startswith('scipy')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


# --------------------------------------------------------------------------- Cochran

# Full-precision values: scipy 1.17.1 norm.ppf(0.975) = 1.959963984540054 in Cochran's
# formulas (tests/reference/scripts/cochran_scipy.py); rounded values: docs/methods.md#sample-size (Cochran 1977).


def test_cochran_textbook_five_percent():
    s = cochran_sample_size(margin=0.05, confidence=0.95, p=0.5)
    assert s.n0 == pytest.approx(384.15, abs=5e-3)  # docs/methods.md#sample-size
    assert s.n0 == pytest.approx(384.14588206941244, abs=1e-6)  # cochran_scipy.py
    assert s.n == 385
    assert (s.margin, s.confidence, s.p, s.population) == (0.05, 0.95, 0.5, None)


def test_cochran_finite_population():
    s = cochran_sample_size(margin=0.05, confidence=0.95, p=0.5, population=1000)
    # docs/methods.md#sample-size: 277.73 → 278; cochran_scipy.py: 277.7334531731876
    n = s.n0 / (1 + (s.n0 - 1) / 1000)
    assert n == pytest.approx(277.73, abs=5e-3)
    assert n == pytest.approx(277.7334531731876, abs=1e-6)
    assert s.n == 278
    assert s.n0 == pytest.approx(384.14588206941244, abs=1e-6)


def test_cochran_three_percent():
    s = cochran_sample_size(margin=0.03)
    assert s.n0 == pytest.approx(1067.0718946372572, abs=1e-6)  # cochran_scipy.py
    assert s.n == 1068  # docs/methods.md#sample-size


def test_cochran_does_not_round_an_exact_whole_number_up():
    # z² p(1 − p)/e² with e = z/40 and p = 0.5 is exactly 400 in real arithmetic.
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.975)
    s = cochran_sample_size(margin=z / 40)
    assert s.n0 == pytest.approx(400, abs=1e-9)
    assert s.n == 400


def test_cochran_smaller_p_needs_fewer():
    assert cochran_sample_size(p=0.1).n < cochran_sample_size(p=0.5).n
    assert cochran_sample_size(p=0.1).n == cochran_sample_size(p=0.9).n


def test_margin_of_error_references():
    # cochran_scipy.py: 0.04994450700198681 and 0.04996680173162097
    assert margin_of_error(385) == pytest.approx(0.04994450700198681, abs=1e-6)
    assert margin_of_error(278, population=1000) == pytest.approx(0.04996680173162097, abs=1e-6)
    assert margin_of_error(1000, population=1000) == 0.0
    assert margin_of_error(100, p=0.0) == 0.0


@settings(max_examples=100, deadline=None)
@given(
    margin=st.floats(0.005, 0.3),
    confidence=st.floats(0.5, 0.999),
    p=st.floats(0.05, 0.95),
    population=st.none() | st.integers(2, 10**6),
)
def test_margin_of_error_inverts_sample_size(margin, confidence, p, population):
    s = cochran_sample_size(margin, confidence, p, population)
    n = s.n0 if population is None else s.n0 / (1 + (s.n0 - 1) / population)
    if n >= 1:
        e = margin_of_error(n, confidence, p, population)
        assert e == pytest.approx(margin, rel=1e-9)
        # the rounded-up n reaches the margin
        assert margin_of_error(s.n, confidence, p, population) <= margin * (1 + 1e-9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"margin": 0},
        {"margin": 5},
        {"confidence": 1.0},
        {"confidence": 0},
        {"p": 0},
        {"p": 1.2},
        {"population": 0},
    ],
)
def test_cochran_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        cochran_sample_size(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 0},
        {"n": float("nan")},
        {"n": 10, "p": -0.1},
        {"n": 10, "confidence": 95},
        {"n": 10, "population": 5},
        {"n": 1, "population": 1},
    ],
)
def test_margin_of_error_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        margin_of_error(**kwargs)


# --------------------------------------------------------------------------- Holm

# statsmodels 0.15.0 multipletests(p, method="holm")[1]; pingouin 0.7.0 multicomp(p,
# method="holm") agrees and is the source for the vector with NaN
# (tests/reference/scripts/holm_statsmodels.py).
HOLM_CASES = {
    "unsorted": ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
    "ties": ([0.02, 0.01, 0.02, 0.04, 0.02, 0.3], [0.1, 0.06, 0.1, 0.1, 0.1, 0.3]),
    "near_one": ([0.999, 0.3, 0.001, 0.01], [0.999, 0.6, 0.004, 0.03]),
    "capped": ([0.26, 0.999, 0.5, 1.0], [1.0, 1.0, 1.0, 1.0]),
    "ten": (
        [0.021, 0.001, 0.017, 0.041, 0.005, 0.036, 0.042, 0.023, 0.07, 0.1],
        [0.14700000000000002, 0.01, 0.136, 0.18, 0.045, 0.18, 0.18, 0.14700000000000002, 0.18, 0.18],
    ),
    "with_nan": ([0.04, np.nan, 0.001, 0.03, np.nan, 0.5], [0.09, np.nan, 0.004, 0.09, np.nan, 0.5]),
}


@pytest.mark.parametrize(("p", "expected"), HOLM_CASES.values(), ids=HOLM_CASES.keys())
def test_holm_matches_statsmodels(p, expected):
    assert holm(p) == pytest.approx(np.array(expected), abs=1e-6, nan_ok=True)


def test_holm_hand_computed():
    """Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 → 0.02, 0.03, 0.06, 0.04;
    running maximum → 0.02, 0.03, 0.06, 0.06; back in input order → 0.03, 0.06, 0.06, 0.02."""
    assert holm([0.01, 0.04, 0.03, 0.005]).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-12)


def test_holm_shapes_and_edges():
    assert holm([]).shape == (0,)
    assert holm([0.3]).tolist() == [0.3]
    assert np.isnan(holm([np.nan, np.nan])).all()
    two_d = holm([[0.01, 0.04], [0.03, 0.005]])
    assert two_d.shape == (2, 2)
    assert two_d.ravel() == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-12)
    with pytest.raises(ValueError):
        holm([0.5, 1.5])
    with pytest.raises(ValueError):
        holm([-0.01])


def _holm_by_definition(p: np.ndarray) -> np.ndarray:
    """Holm (1979) as written: p̃_(i) = min(1, max_{j ≤ i} (m − j + 1) p_(j)), O(m²)."""
    m = len(p)
    order = np.argsort(p, kind="stable")
    out = np.empty(m)
    for i in range(m):
        out[order[i]] = min(1.0, max((m - j) * p[order[j]] for j in range(i + 1)))
    return out


pvals = arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1) | st.sampled_from([0.01, 0.05, 1.0]))


@settings(max_examples=200, deadline=None)
@given(p=pvals, seed=st.integers(0, 2**32 - 1))
def test_holm_properties(p, seed):
    adj = holm(p)
    assert adj == pytest.approx(_holm_by_definition(p), abs=1e-12)
    assert np.all(adj >= p - 1e-15) and np.all(adj <= 1.0)
    order = np.argsort(p, kind="stable")
    assert np.all(np.diff(adj[order]) >= 0)  # monotone in the raw p-values
    perm = np.random.default_rng(seed).permutation(len(p))
    assert holm(p[perm]) == pytest.approx(adj[perm], abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(p=pvals, data=st.data())
def test_holm_nan_passes_through(p, data):
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(p), max_size=len(p))))
    q = p.copy()
    q[mask] = np.nan
    adj = holm(q)
    assert np.array_equal(np.isnan(adj), mask)
    if (~mask).any():
        assert adj[~mask] == pytest.approx(holm(p[~mask]), abs=1e-15)
