"""Tests for csi.weighting.ahp against Saaty's published house example and AHP's algebra.

Reference numbers carry their source; see tests/reference/REFERENCES.md.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csi.weighting.ahp import RANDOM_INDEX_SAATY_1980, AhpResult, ahp_weights


def _matrix(rows: list[str]) -> np.ndarray:
    return np.array([[float(Fraction(v)) for v in row.split()] for row in rows])


# Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48:9-26:
# a family's pairwise comparisons of eight criteria for buying a house (size of house,
# transportation, neighbourhood, age of house, yard space, modern facilities, general
# condition, financing). The same matrix is in Saaty (2003), EJOR 145:85-91, Table 1, and
# in LINDO's AHP example model citing the 1990 paper.
HOUSE = _matrix(
    [
        "1   5   3   7 6   6   1/3 1/4",
        "1/5 1   1/3 5 3   3   1/5 1/7",
        "1/3 3   1   6 3   4   6   1/5",
        "1/7 1/5 1/6 1 1/3 1/4 1/7 1/8",
        "1/6 1/3 1/3 3 1   1/2 1/5 1/6",
        "1/6 1/3 1/4 4 2   1   1/5 1/6",
        "3   5   1/6 7 5   5   1   1/2",
        "4   7   5   8 6   6   2   1",
    ]
)
# Published priority vector (3 decimals) and consistency, Saaty (1990); docs/methods.md#weights-ahp gives the
# same lambda_max, CI and CR.
HOUSE_PUBLISHED_WEIGHTS = (0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333)
# AHPy 2.1, repeated matrix squaring, precision=12 (tests/reference/scripts/ahp_ahpy.py);
# lambda_max = mean((A w) / w) on that vector, CR with Saaty's 1980 RI(8) = 1.41.
HOUSE_AHPY_WEIGHTS = (
    0.173017474648,
    0.053975722999,
    0.188110298857,
    0.017507911308,
    0.031043736404,
    0.036322202155,
    0.166833673626,
    0.333188980002,
)
HOUSE_AHPY_LAMBDA = 9.668887317115217
HOUSE_AHPY_CI = 0.23841247387360248
HOUSE_AHPY_CR = 0.1690868609032642

# Saaty (1990), the same example's third level: the three houses A, B, C compared under each
# criterion (matrices also in LINDO's model). Their priorities are checked below against
# closed forms for 3 x 3 reciprocal matrices rather than against the paper's printed
# vectors, which were not available first-hand.
HOUSE_LEVEL3 = {
    "size": _matrix(["1 6 8", "1/6 1 4", "1/8 1/4 1"]),
    "transportation": _matrix(["1 7 1/5", "1/7 1 1/8", "5 8 1"]),
    "neighborhood": _matrix(["1 8 6", "1/8 1 1/4", "1/6 4 1"]),
    "age": _matrix(["1 1 1", "1 1 1", "1 1 1"]),
    "yard": _matrix(["1 5 4", "1/5 1 1/3", "1/4 3 1"]),
    "modern": _matrix(["1 8 6", "1/8 1 1/5", "1/6 5 1"]),
    "condition": _matrix(["1 1/2 1/2", "2 1 1", "2 1 1"]),
    "financing": _matrix(["1 1/7 1/5", "7 1 3", "5 1/3 1"]),
}


# --------------------------------------------------------------------------- published


def test_saaty_1990_house_consistency_published():
    r = ahp_weights(HOUSE)
    # Saaty (1990); docs/methods.md#weights-ahp: lambda_max 9.669, CI 0.238, CR 0.169 (Saaty 1980 RI).
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.cr > 0.10  # the paper's point: this matrix is not acceptably consistent
    assert (r.n, r.ri, r.ri_table) == (8, 1.41, "saaty1980")


def test_saaty_1990_house_weights_published():
    # Saaty (1990) priority vector, published to 3 decimals.
    r = ahp_weights(HOUSE)
    assert r.weights == pytest.approx(HOUSE_PUBLISHED_WEIGHTS, abs=5e-4)


def test_saaty_1990_house_full_precision_ahpy():
    # AHPy 2.1 (independent algorithm: repeated squaring), tests/reference/scripts/ahp_ahpy.py.
    r = ahp_weights(HOUSE)
    assert r.weights == pytest.approx(HOUSE_AHPY_WEIGHTS, abs=1e-6)
    assert r.lambda_max == pytest.approx(HOUSE_AHPY_LAMBDA, abs=1e-6)
    assert r.ci == pytest.approx(HOUSE_AHPY_CI, abs=1e-6)
    assert r.cr == pytest.approx(HOUSE_AHPY_CR, abs=1e-6)


def test_accepts_nested_lists():
    r = ahp_weights(HOUSE.tolist())
    assert isinstance(r, AhpResult)
    assert isinstance(r.weights, tuple) and all(type(w) is float for w in r.weights)
    assert r.weights == pytest.approx(HOUSE_AHPY_WEIGHTS, abs=1e-6)


# --------------------------------------------------------------------------- 3 x 3 closed forms


@pytest.mark.parametrize("name", HOUSE_LEVEL3)
def test_saaty_1990_level3_closed_forms(name):
    """For a 3 x 3 reciprocal matrix with a12 = a, a13 = b, a23 = c, let k = ac/b.

    With mu = lambda - 1, det(A - lambda I) = 0 reduces to mu^3 - 3 mu - (k + 1/k) = 0,
    solved by mu = k^(1/3) + k^(-1/3) (expand (t + 1/t)^3), so
    lambda_max = 1 + k^(1/3) + k^(-1/3). For n = 3 the principal eigenvector equals the
    normalised row geometric means (Crawford & Williams 1985, J. Math. Psychol. 29:387-405).
    """
    a = HOUSE_LEVEL3[name]
    k = a[0, 1] * a[1, 2] / a[0, 2]
    lam = 1 + k ** (1 / 3) + k ** (-1 / 3)
    gm = np.prod(a, axis=1) ** (1 / 3)
    r = ahp_weights(a)
    assert r.lambda_max == pytest.approx(lam, abs=1e-9)
    assert r.ci == pytest.approx((lam - 3) / 2, abs=1e-9)
    assert r.cr == pytest.approx((lam - 3) / 2 / 0.58, abs=1e-9)
    assert r.weights == pytest.approx(gm / gm.sum(), abs=1e-9)


def test_saaty_1990_size_by_hand():
    """Size of house: k = 6·4/8 = 3, lambda_max = 1 + 3^(1/3) + 3^(-1/3) = 3.135610…;
    row geometric means 48^(1/3), (2/3)^(1/3), (1/32)^(1/3)."""
    r = ahp_weights(HOUSE_LEVEL3["size"])
    assert r.lambda_max == pytest.approx(1 + 3 ** (1 / 3) + 3 ** (-1 / 3), abs=1e-9)
    gm = np.array([48, 2 / 3, 1 / 32]) ** (1 / 3)
    assert r.weights == pytest.approx(gm / gm.sum(), abs=1e-9)
    assert r.weights == pytest.approx((0.753554, 0.181135, 0.065311), abs=1e-6)


def test_saaty_1990_consistent_level3_matrices():
    # General condition is 1 : 2 : 2 exactly; age of house compares everything equal.
    cond = ahp_weights(HOUSE_LEVEL3["condition"])
    assert cond.weights == pytest.approx((0.2, 0.4, 0.4), abs=1e-12)
    assert cond.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert cond.cr == pytest.approx(0.0, abs=1e-12)
    age = ahp_weights(HOUSE_LEVEL3["age"])
    assert age.weights == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-12)


def test_saaty_1990_neighborhood_is_size_with_b_and_c_swapped():
    size = ahp_weights(HOUSE_LEVEL3["size"])
    hood = ahp_weights(HOUSE_LEVEL3["neighborhood"])
    assert hood.weights == pytest.approx(np.array(size.weights)[[0, 2, 1]], abs=1e-12)
    assert hood.lambda_max == pytest.approx(size.lambda_max, abs=1e-12)


def test_reversing_every_judgement_inverts_three_priorities():
    # n = 3: weights are row geometric means, and the transpose has the reciprocal ones.
    for a in HOUSE_LEVEL3.values():
        w = np.array(ahp_weights(a).weights)
        wt = np.array(ahp_weights(a.T).weights)
        assert wt == pytest.approx((1 / w) / (1 / w).sum(), abs=1e-9)


# --------------------------------------------------------------------------- small n, RI table


def test_random_index_table_is_saaty_1980():
    # docs/methods.md#weights-ahp / Saaty (1980): RI for n = 1..10.
    assert RANDOM_INDEX_SAATY_1980 == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
    for n in range(3, 11):
        assert ahp_weights(np.ones((n, n))).ri == RANDOM_INDEX_SAATY_1980[n - 1]


def test_beyond_ten_uses_the_n10_index():
    r = ahp_weights(np.ones((12, 12)))
    assert r.ri == 1.49
    assert r.weights == pytest.approx([1 / 12] * 12, abs=1e-12)


def test_one_by_one():
    r = ahp_weights([[1]])
    assert (r.weights, r.lambda_max, r.ci, r.cr, r.n) == ((1.0,), 1.0, 0.0, 0.0, 1)


@pytest.mark.parametrize("a", [1 / 9, 1 / 3, 1.0, 2.0, 7.0, 9.0])
def test_two_by_two_is_always_consistent(a):
    """lambda^2 - 2 lambda = 0 for [[1, a], [1/a, 1]]: lambda_max = 2, w = (a, 1)/(a + 1)."""
    r = ahp_weights([[1, a], [1 / a, 1]])
    assert r.weights == pytest.approx((a / (1 + a), 1 / (1 + a)), abs=1e-12)
    assert r.lambda_max == pytest.approx(2.0, abs=1e-12)
    assert (r.ci, r.cr, r.ri) == (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- properties

SAATY_SCALE = [Fraction(1, v) for v in range(9, 1, -1)] + [Fraction(v) for v in range(1, 10)]


@st.composite
def reciprocal_matrices(draw, min_n=3, max_n=10):
    n = draw(st.integers(min_n, max_n))
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            v = draw(st.sampled_from(SAATY_SCALE))
            a[i, j], a[j, i] = float(v), float(1 / v)
    return a


@settings(max_examples=200, deadline=None)
@given(a=reciprocal_matrices())
def test_weights_are_a_positive_principal_eigenvector(a):
    n = len(a)
    r = ahp_weights(a)
    w = np.array(r.weights)
    assert np.all(w > 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert a @ w == pytest.approx(r.lambda_max * w, abs=1e-9)
    # Saaty (1977, J. Math. Psychol. 15:234-281): lambda_max >= n for a positive reciprocal
    # matrix, with equality only when it is consistent.
    assert r.lambda_max >= n - 1e-9
    assert r.ci == pytest.approx((r.lambda_max - n) / (n - 1), abs=1e-12)
    assert r.cr == pytest.approx(r.ci / RANDOM_INDEX_SAATY_1980[n - 1], abs=1e-12)
    # no eigenvalue exceeds lambda_max in modulus (Perron root)
    assert np.abs(np.linalg.eigvals(a)).max() == pytest.approx(r.lambda_max, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(w=st.lists(st.floats(0.01, 100), min_size=2, max_size=10).map(np.array))
def test_consistent_matrix_returns_its_weights(w):
    w = w / w.sum()
    a = np.outer(w, 1 / w)  # a_ij = w_i / w_j
    n = len(w)
    r = ahp_weights(a)
    assert r.weights == pytest.approx(w, abs=1e-9)
    assert r.lambda_max == pytest.approx(n, abs=1e-9)
    assert r.ci == pytest.approx(0.0, abs=1e-9)
    assert r.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(a=reciprocal_matrices(min_n=2), seed=st.integers(0, 2**32 - 1))
def test_permuting_alternatives_permutes_weights(a, seed):
    perm = np.random.default_rng(seed).permutation(len(a))
    r = ahp_weights(a)
    rp = ahp_weights(a[np.ix_(perm, perm)])
    assert rp.weights == pytest.approx(np.array(r.weights)[perm], abs=1e-9)
    assert rp.lambda_max == pytest.approx(r.lambda_max, abs=1e-9)
    assert rp.cr == pytest.approx(r.cr, abs=1e-9)


def test_house_permuted_by_published_rank():
    order = np.argsort(HOUSE_PUBLISHED_WEIGHTS)[::-1]  # financing first
    r = ahp_weights(HOUSE[np.ix_(order, order)])
    assert r.weights == pytest.approx(np.array(HOUSE_PUBLISHED_WEIGHTS)[order], abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert math.isclose(sum(r.weights), 1.0, abs_tol=1e-12)
