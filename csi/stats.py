"""Reliability, sample size and multiple-testing statistics.

Pure functions over numpy arrays: no file IO, no printing, and no scipy — the F quantiles of
Feldt's interval are computed here (:func:`_f_quantile`), because importing ``scipy.special``
for them added about 0.1 s to every ``csi score`` run (some 12 % of it on a small survey).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike

#: Rows of x read at once by :func:`cronbach_alphas`.
_ALPHA_CHUNK_ROWS = 8_192

__all__ = [
    "Alpha",
    "SampleSize",
    "cochran_sample_size",
    "cronbach_alpha",
    "cronbach_alphas",
    "holm",
    "margin_of_error",
]


@dataclass(frozen=True, slots=True)
class Alpha:
    """Cronbach's alpha of one item block, with its Feldt confidence interval.

    ``n`` is the number of respondents used (complete rows with positive weight), ``k`` the
    number of items. Every number is NaN when alpha is undefined (see :func:`cronbach_alpha`).
    """

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int


@dataclass(frozen=True, slots=True)
class SampleSize:
    """Cochran's sample size: ``n0`` before, ``n`` after the finite-population correction.

    ``n`` is rounded up to a whole respondent; ``n0`` and the inputs are kept unrounded.
    """

    n0: float
    n: int
    margin: float
    confidence: float
    p: float
    population: int | None


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return confidence


def _z(confidence: float) -> float:
    """Two-sided standard-normal quantile z_{1-(1-c)/2}."""
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def cronbach_alpha(x: ArrayLike, weights: ArrayLike | None = None, confidence: float = 0.95) -> Alpha:
    r"""Cronbach's alpha of a block of items, with Feldt's confidence interval.

    .. math::

        \alpha = \frac{k}{k - 1}\left(1 - \frac{\sum_{j=1}^{k} \sigma^2_j}{\sigma^2_X}\right)

    where :math:`k` is the number of items, :math:`\sigma^2_j` the sample variance
    (ddof = 1) of item :math:`j` and :math:`\sigma^2_X` the sample variance of the
    respondent's total :math:`X = \sum_j x_j` (Cronbach 1951 [1]_).

    The interval is Feldt's (1965) [2]_, from the F distribution of
    :math:`(1 - \alpha)/(1 - \hat\alpha)`: with :math:`F_q(d_1, d_2)` the
    :math:`q`-quantile of the F distribution, :math:`d_1 = n - 1`,
    :math:`d_2 = (n - 1)(k - 1)` and :math:`c` the confidence level,

    .. math::

        \alpha_{low} = 1 - (1 - \hat\alpha)\,F_{1-(1-c)/2}(d_1, d_2), \qquad
        \alpha_{high} = 1 - (1 - \hat\alpha)\,F_{(1-c)/2}(d_1, d_2).

    Missing values (NaN) are handled by listwise deletion: a respondent with any missing
    item is dropped, and ``n`` counts the respondents kept.

    Respondent weights :math:`w_i` are treated as frequency weights: every variance is
    :math:`\sum_i w_i (x_i - \bar x_w)^2 / (\sum_i w_i - 1)` with
    :math:`\bar x_w = \sum_i w_i x_i / \sum_i w_i`, so with integer weights alpha equals
    the alpha of the data with row :math:`i` repeated :math:`w_i` times. The common
    denominator cancels in alpha, which therefore depends only on the relative weights
    (multiplying all weights by a constant changes nothing). For the interval, :math:`n` is
    replaced by Kish's effective sample size :math:`n_{eff} = (\sum w)^2 / \sum w^2`
    (:math:`= n` for equal weights) — an approximation, since Feldt's derivation assumes
    unweighted independent respondents. Rows with a NaN weight count as missing; rows with
    weight 0 contribute nothing and are not counted in ``n``.

    Alpha and its interval are NaN, not an error, when alpha is undefined: fewer than 2
    items (:math:`k < 2`), fewer than 3 respondents kept (:math:`n < 3`), or a total score
    with zero variance (below 1e-12 of its mean square, which absorbs rounding).

    Validated against pingouin 0.7.0 ``cronbach_alpha`` (its documented example gives
    0.591719, [0.195, 0.840]; the ECSI ``satisfaction`` data's SAT block gives 0.894295),
    with integer weights against pingouin on the expanded rows, and against an example
    worked by hand (below); see ``tests/reference/REFERENCES.md``.

    Parameters
    ----------
    x : array_like, shape (n, k)
        Respondents × items; NaN marks a missing answer.
    weights : array_like, shape (n,), optional
        Non-negative respondent weights. ``None`` means equal weights.
    confidence : float, default 0.95
        Confidence level of the interval, strictly between 0 and 1.

    Returns
    -------
    Alpha
        ``alpha``, ``ci_low``, ``ci_high``, ``n`` (respondents used) and ``k`` (items).

    Raises
    ------
    ValueError
        If ``x`` is not two-dimensional, ``weights`` has the wrong length or holds a
        negative or infinite value, or ``confidence`` is not in (0, 1).

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           *Psychometrika* 16(3), 297–334.
    .. [2] Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
           reliability coefficient twenty. *Psychometrika* 30(3), 357–370.
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley. (Effective sample size.)

    Examples
    --------
    Three respondents, two items. Item variances 1 and 7/3, total variance 19/3, so
    alpha = 2·(1 − (10/3)/(19/3)) = 18/19; with d₁ = d₂ = 2 the F quantiles are
    q/(1 − q), i.e. 39 and 1/39, giving the interval [−20/19, 740/741]:

    >>> a = cronbach_alpha([[1, 2], [2, 3], [3, 5]])
    >>> round(a.alpha, 6), round(a.ci_low, 6), round(a.ci_high, 6), a.n, a.k
    (0.947368, -1.052632, 0.99865, 3, 2)

    The last respondent's missing answer removes that row, leaving too few respondents:

    >>> cronbach_alpha([[1, 2], [2, 3], [3, 5], [4, float("nan")]]).n
    3
    >>> cronbach_alpha([[1, 2], [2, 3], [3, float("nan")]]).alpha
    nan
    """
    data = np.asarray(x, dtype=float)
    return cronbach_alphas(data, [range(data.shape[1])] if data.ndim == 2 else [], weights, confidence)[0]


def _items_and_weights(x: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """A respondents × items float matrix and its checked respondent weights."""
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (respondents × items), got shape {data.shape}")
    return data, _check_weights(weights, data.shape[0])


def _check_weights(weights: ArrayLike | None, rows: int) -> np.ndarray:
    if weights is None:
        return np.ones(rows)
    w = np.asarray(weights, dtype=float)
    if w.shape != (rows,):
        raise ValueError(f"weights must have one value per row ({rows}), got shape {w.shape}")
    if np.any(w < 0) or np.any(np.isinf(w)):
        raise ValueError("weights must be finite and non-negative")
    return w


def _alpha(k: int, n: int, items_ss: float, total_ss: float, total_sq: float, n_eff: float, confidence: float) -> Alpha:
    """Alpha and Feldt's interval from the weighted sums of squares of the items (summed) and of
    the total, the total's raw weighted sum of squares Σ w T² and Kish's effective n."""
    # A constant total leaves rounding noise, not variance: compare with its raw size.
    if k < 2 or n < 3 or not total_ss > 1e-12 * total_sq:
        return Alpha(math.nan, math.nan, math.nan, n, k)
    alpha = k / (k - 1) * (1.0 - items_ss / total_ss)
    df1 = n_eff - 1.0
    if not df1 > 0.0:  # n_eff rounds to 1 when one weight dwarfs the others: no interval
        return Alpha(alpha, math.nan, math.nan, n, k)
    df2 = df1 * (k - 1)
    q = (1.0 - confidence) / 2.0
    # An F quantile beyond the float range (df1 near 0) is capped at the largest float, as fdtri did,
    # so the bound stays finite for the JSON writer (which rejects infinities).
    low = 1.0 - (1.0 - alpha) * min(_f_quantile(1.0 - q, df1, df2), sys.float_info.max)
    high = 1.0 - (1.0 - alpha) * _f_quantile(q, df1, df2)
    return Alpha(alpha, low, high, n, k)


def cronbach_alphas(x: ArrayLike, blocks: Sequence[Sequence[int]], weights: ArrayLike | None = None,
                    confidence: float = 0.95) -> list[Alpha]:
    r"""Cronbach's alpha with Feldt's interval for several item blocks of one matrix, in one pass.

    Block b lists distinct column indices of ``x``; its result is :func:`cronbach_alpha` of
    ``x[:, b]`` — the same formula, listwise deletion within the block, frequency weights,
    Kish-adjusted Feldt interval and undefined cases — but every block comes from one pass
    over the rows in chunks, with no copy of the blocks. For the rows complete on block b
    (and with a positive weight) it accumulates the weighted moments

    .. math::

        W = \sum_i w_i,\quad \sum_i w_i^2,\quad \sum_i w_i y_{ij},\quad \sum_i w_i y_{ij}^2,
        \quad \sum_i w_i T_i,\quad \sum_i w_i T_i^2

    of :math:`y_{ij} = x_{ij} - c_j` and :math:`T_i = \sum_{j \in b} y_{ij}`; the sums of
    squares about the weighted means are then :math:`\sum w y^2 - (\sum w y)^2 / W`. The
    centres :math:`c_j` (column means of the first chunk) keep that subtraction from losing
    digits; alpha does not depend on them. Agrees with :func:`cronbach_alpha` to 1e-10
    (``tests/test_stats.py``).

    Parameters
    ----------
    x : array_like, shape (n, p)
        Respondents × columns; NaN marks a missing answer.
    blocks : sequence of sequences of int
        The columns of each block.
    weights, confidence
        As for :func:`cronbach_alpha`.

    Returns
    -------
    list of Alpha
        One per block, in order.

    Raises
    ------
    ValueError
        As :func:`cronbach_alpha`, or if a block repeats a column or names one outside ``x``.

    Examples
    --------
    The first block is :func:`cronbach_alpha`'s example (18/19). The second: items 2, 3, 5
    (variance 7/3) and 9, 7, 8 (variance 1), totals 11, 10, 13 (variance 7/3), so
    alpha = 2·(1 − (10/3)/(7/3)) = −6/7 — negative, as alpha is for items that disagree:

    >>> x = [[1, 2, 9], [2, 3, 7], [3, 5, 8]]
    >>> [round(a.alpha, 6) for a in cronbach_alphas(x, [[0, 1], [1, 2]])]
    [0.947368, -0.857143]
    """
    confidence = _check_confidence(confidence)
    data, w = _items_and_weights(x, weights)
    rows, p = data.shape
    member = np.zeros((p, len(blocks)))
    for b, cols in enumerate(blocks):
        cols = [int(c) for c in cols]
        if len(set(cols)) != len(cols) or any(not -p <= c < p for c in cols):
            raise ValueError(f"block {b} must list distinct columns of x (0 … {p - 1}), got {cols}")
        member[cols, b] = 1.0
    used = np.flatnonzero(member.any(axis=1))
    member = member[used]
    member32 = member.astype(np.float32)
    g = member.shape[1]
    centre: np.ndarray | None = None
    n = np.zeros(g)
    sw, sww, t1, t2 = np.zeros(g), np.zeros(g), np.zeros(g), np.zeros(g)
    s1, s2 = np.zeros((g, used.size)), np.zeros((g, used.size))
    # the columns used, as a view when they are a run (the index items come first in a survey's matrix)
    columns = slice(int(used[0]), int(used[-1]) + 1) if used.size and np.all(np.diff(used) == 1) else used
    for start in range(0, rows, _ALPHA_CHUNK_ROWS):
        chunk = data[start:start + _ALPHA_CHUNK_ROWS, columns]
        missing = np.isnan(chunk)
        if centre is None:
            seen = (~missing).sum(axis=0)
            centre = np.where(seen > 0, np.where(missing, 0.0, chunk).sum(axis=0) / np.maximum(seen, 1), 0.0)
        y = chunk - centre
        y[missing] = 0.0
        wr = w[start:start + _ALPHA_CHUNK_ROWS]
        # missing answers per row and block, in float32 (exact counts; bool @ float64 is slow)
        complete = ((missing.astype(np.float32) @ member32) == 0) & (wr > 0)[:, None]  # NaN weights fail w > 0
        kw = np.where(complete, wr[:, None], 0.0)  # rows × blocks: wᵢ where the row counts
        total = y @ member
        n += complete.sum(axis=0)
        sw += kw.sum(axis=0)
        sww += np.einsum("ib,ib->b", kw, kw)
        s1 += kw.T @ y
        s2 += kw.T @ (y * y)
        kt = kw * total
        t1 += kt.sum(axis=0)
        t2 += np.einsum("ib,ib->b", kt, total)
    out = []
    for b in range(g):
        k = int(member[:, b].sum())
        if n[b] == 0:
            out.append(Alpha(math.nan, math.nan, math.nan, 0, k))
            continue
        inside = member[:, b] > 0
        items_ss = float((s2[b, inside] - s1[b, inside] ** 2 / sw[b]).sum())
        total_ss = float(t2[b] - t1[b] ** 2 / sw[b])
        shift = float(centre[inside].sum()) if centre is not None else 0.0
        total_sq = float(t2[b] + 2.0 * shift * t1[b] + shift**2 * sw[b])  # Σ w (T + Σ c)²: the raw totals
        out.append(_alpha(k, int(n[b]), items_ss, total_ss, total_sq, float(sw[b] ** 2 / sww[b]), confidence))
    return out


def cochran_sample_size(
    margin: float = 0.05,
    confidence: float = 0.95,
    p: float = 0.5,
    population: int | None = None,
) -> SampleSize:
    r"""Respondents needed to estimate a proportion within a margin of error (Cochran).

    .. math::

        n_0 = \frac{z^2\,p(1 - p)}{e^2}, \qquad n = \frac{n_0}{1 + (n_0 - 1)/N}

    with :math:`e` the margin of error (a proportion: 0.05 = ±5 points),
    :math:`z = \Phi^{-1}(1 - (1 - c)/2)` the two-sided standard-normal quantile for
    confidence :math:`c`, :math:`p` the anticipated proportion (0.5, the default, is the
    most conservative) and :math:`N` the population size; without :math:`N`,
    :math:`n = n_0`. :math:`n` is rounded up to a whole respondent (Cochran 1977 [1]_,
    eqs. 4.2 and 4.3). Rounding up ignores a floating-point excess below 1e-9, so an
    exact whole number is not pushed to the next one.

    Validated against the textbook values in docs/methods.md#sample-size: ±5 %, 95 %, p = 0.5 →
    384.15 → 385; with N = 1000 → 277.73 → 278; ±3 % → 1068.

    Parameters
    ----------
    margin : float, default 0.05
        Half-width of the interval, as a proportion in (0, 1).
    confidence : float, default 0.95
        Confidence level in (0, 1).
    p : float, default 0.5
        Anticipated proportion in (0, 1).
    population : int, optional
        Size :math:`N \ge 1` of the finite population (e.g. the client base).

    Returns
    -------
    SampleSize
        ``n0`` (unrounded, no correction) and ``n`` (corrected, rounded up), with the inputs.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley, section 4.4.

    Examples
    --------
    >>> s = cochran_sample_size()
    >>> round(s.n0, 2), s.n
    (384.15, 385)
    >>> cochran_sample_size(population=1000).n
    278
    >>> cochran_sample_size(margin=0.03).n
    1068
    """
    margin, p = float(margin), float(p)
    confidence = _check_confidence(confidence)
    if not 0.0 < margin < 1.0:
        raise ValueError(f"margin must be a proportion between 0 and 1 (0.05 = ±5 %), got {margin!r}")
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1, got {p!r}")
    if population is not None and population < 1:
        raise ValueError(f"population must be at least 1, got {population!r}")
    n0 = _z(confidence) ** 2 * p * (1.0 - p) / margin**2
    n = n0 if population is None else n0 / (1.0 + (n0 - 1.0) / population)
    return SampleSize(n0, math.ceil(n - 1e-9), margin, confidence, p, population)


def margin_of_error(n: float, confidence: float = 0.95, p: float = 0.5, population: int | None = None) -> float:
    r"""Margin of error of a proportion estimated from ``n`` respondents (Cochran).

    .. math::

        e = z\,\sqrt{\frac{p(1 - p)}{n}}\;\sqrt{\frac{N - n}{N - 1}}

    with :math:`z = \Phi^{-1}(1 - (1 - c)/2)` for confidence :math:`c`, :math:`p` the
    proportion (0.5 gives the largest margin), :math:`n` the number of respondents and
    :math:`N` the population size; the finite-population factor is left out when
    :math:`N` is not given (Cochran 1977 [1]_, section 4.4). It inverts
    :func:`cochran_sample_size`: ``margin_of_error(n)`` at the unrounded :math:`n` gives
    back :math:`e`.

    Parameters
    ----------
    n : float
        Number of respondents, at least 1 (and at most ``population``).
    confidence : float, default 0.95
        Confidence level in (0, 1).
    p : float, default 0.5
        Proportion in [0, 1].
    population : int, optional
        Size :math:`N \ge 2` of the finite population.

    Returns
    -------
    float
        The half-width of the interval, as a proportion (0.05 = ±5 points).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley, section 4.4.

    Examples
    --------
    >>> round(margin_of_error(385), 6)
    0.049945
    >>> round(margin_of_error(278, population=1000), 6)
    0.049967
    >>> margin_of_error(1000, population=1000)
    0.0
    """
    n, p = float(n), float(p)
    confidence = _check_confidence(confidence)
    if not n >= 1.0:
        raise ValueError(f"n must be at least 1, got {n!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be between 0 and 1, got {p!r}")
    e = _z(confidence) * math.sqrt(p * (1.0 - p) / n)
    if population is None:
        return e
    if population < 2 or n > population:
        raise ValueError(f"population must be at least 2 and at least n ({n:g}), got {population!r}")
    return e * math.sqrt((population - n) / (population - 1))


def holm(pvalues: ArrayLike) -> np.ndarray:
    r"""Holm's step-down adjusted p-values.

    With the :math:`m` non-missing p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math::

        \tilde p_{(i)} = \min\left(1,\; \max_{j \le i}\, (m - j + 1)\, p_{(j)}\right)

    (Holm 1979 [1]_; the adjusted-p-value form is Wright 1992 [2]_). The adjusted values
    keep the order of the raw ones, never fall below them, and are capped at 1; rejecting
    where :math:`\tilde p \le \alpha` controls the family-wise error rate at
    :math:`\alpha`. Tied p-values get the same adjusted value. NaN entries are passed
    through and do not count in :math:`m`.

    Validated against statsmodels 0.15.0 ``multipletests(method="holm")`` and, for input
    with NaN, pingouin 0.7.0 ``multicomp(method="holm")``; see
    ``tests/reference/REFERENCES.md``.

    Parameters
    ----------
    pvalues : array_like
        P-values in [0, 1], any shape; NaN marks a missing test.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, float, same shape as the input.

    Raises
    ------
    ValueError
        If a p-value is outside [0, 1].

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
           *Scandinavian Journal of Statistics* 6(2), 65–70.
    .. [2] Wright, S. P. (1992). Adjusted p-values for simultaneous inference.
           *Biometrics* 48(4), 1005–1013.

    Examples
    --------
    Sorted, 0.005, 0.01, 0.03, 0.04 are multiplied by 4, 3, 2, 1 (0.02, 0.03, 0.06, 0.04);
    the running maximum lifts the last one to 0.06:

    >>> holm([0.01, 0.04, 0.03, 0.005]).round(6).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.04, float("nan"), 0.01]).round(6).tolist()
    [0.04, nan, 0.02]
    """
    p = np.asarray(pvalues, dtype=float)
    flat = p.ravel()
    if np.any((flat < 0.0) | (flat > 1.0)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(flat.shape, np.nan)
    idx = np.flatnonzero(~np.isnan(flat))
    m = idx.size
    if m:
        order = idx[np.argsort(flat[idx], kind="stable")]
        stepped = (m - np.arange(m)) * flat[order]
        out[order] = np.minimum(np.maximum.accumulate(stepped), 1.0)
    return out.reshape(p.shape)


# --------------------------------------------------------------------------- F quantile
#
# Feldt's interval needs two F quantiles per item block. They come from the inverse of the
# regularised incomplete beta function, computed below in pure Python: a continued fraction for
# the function, Newton's method for its inverse.

_EPS = sys.float_info.epsilon
#: Stands in for a zero denominator in Lentz's algorithm.
_TINY = 1e-300
#: From this argument on, ln Γ enters the beta kernel through Stirling's series, not math.lgamma.
_STIRLING_FROM = 10.0
#: B₂ₖ / (2k(2k − 1)), k = 1 … 8: the coefficients of Stirling's series (DLMF 5.11.1).
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400)
#: Newton on ln x stops when its step is below this (a relative change of x).
_QUANTILE_TOL = 1e-14
#: ln of the smallest normal float: a beta quantile below it is returned as 0.
_LOG_FLOAT_MIN = math.log(sys.float_info.min)
_QUANTILE_MAX_STEPS = 200


def _f_quantile(p: float, d1: float, d2: float) -> float:
    r"""The p-quantile of the F distribution with d₁ and d₂ degrees of freedom.

    The F distribution function at :math:`f` is :math:`I_x(d_1/2, d_2/2)` with
    :math:`x = d_1 f / (d_1 f + d_2)` (Abramowitz & Stegun [1]_, §26.6), so

    .. math::

        F_p(d_1, d_2) = \frac{d_2\,x}{d_1\,(1 - x)}, \qquad x = I^{-1}_p(d_1/2,\ d_2/2),

    where :math:`I_x(a, b) = \int_0^x t^{a-1}(1 - t)^{b-1}\,dt \,/\, B(a, b)` is the
    regularised incomplete beta function and :math:`I^{-1}_p` its inverse in :math:`x`
    (:func:`_beta_quantile`, which returns :math:`x` and :math:`1 - x` each to full relative
    precision, so a large quantile keeps its digits). Degrees of freedom need not be whole
    (Kish's effective n makes them fractional).

    Validated against ``scipy.special.fdtri`` for p from 0.001 to 0.999 and d₁, d₂ from 1 to
    5·10⁶ (relative difference at most 1.6e-11, and at the largest differences it is fdtri that
    is off: this function agrees to 1e-15 with 30-digit mpmath values), against closed forms,
    and against published table values; see ``tests/test_stats.py`` and
    ``tests/reference/REFERENCES.md``.

    Parameters
    ----------
    p : float
        Probability in [0, 1].
    d1, d2 : float
        Degrees of freedom, positive and finite.

    Returns
    -------
    float
        The quantile: 0 at p = 0, infinite at p = 1 (and wherever it overflows).

    Raises
    ------
    ValueError
        If an argument is outside its range.
    ArithmeticError
        If the iterations fail to converge (not seen for any argument tested).

    References
    ----------
    .. [1] Abramowitz, M. & Stegun, I. A. (1964). *Handbook of Mathematical Functions*.
           National Bureau of Standards, §26.6 (F distribution) and 26.5.22.

    Examples
    --------
    With d₁ = d₂ = 2, :math:`I_x(1, 1) = x`, so :math:`F_p = p/(1 - p)`:

    >>> round(_f_quantile(0.975, 2, 2), 10)
    39.0

    The 5 % critical value for 5 and 10 degrees of freedom, 3.3258 in printed tables:

    >>> round(_f_quantile(0.95, 5, 10), 4)
    3.3258
    """
    p, d1, d2 = float(p), float(d1), float(d2)
    if not (0.0 <= p <= 1.0 and 0.0 < d1 < math.inf and 0.0 < d2 < math.inf):
        raise ValueError(f"need 0 <= p <= 1 and positive, finite degrees of freedom, got p={p!r}, d1={d1!r}, d2={d2!r}")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return math.inf
    x, y = _beta_quantile(p, 1.0 - p, d1 / 2.0, d2 / 2.0)
    return math.inf if y == 0.0 else d2 / d1 * (x / y)


def _beta_quantile(p: float, q: float, a: float, b: float) -> tuple[float, float]:
    """x and 1 − x with I_x(a, b) = p, given q = 1 − p as well (exact where p is the larger).

    The smaller of x and 1 − x is solved for — through I_x(a, b) = 1 − I_{1−x}(b, a) when the
    quantile lies above 1/2 — and the other is 1 minus it, so both keep full relative precision.
    """
    lower, upper = _beta_cdf(0.5, 0.5, a, b)
    if (lower >= p) if p <= q else (upper <= q):  # I_{1/2}(a, b) ≥ p, from the smaller tail: x ≤ 1/2
        x = _beta_quantile_low(p, q, a, b)
        return x, 1.0 - x
    y = _beta_quantile_low(q, p, b, a)
    return 1.0 - y, y


def _beta_quantile_low(p: float, q: float, a: float, b: float) -> float:
    """The x ≤ 1/2 with I_x(a, b) = p (q = 1 − p), knowing that I_{1/2}(a, b) ≥ p.

    Newton's method on g(u) = ln I − ln p (or ln q − ln(1 − I) when q is the smaller), with
    u = ln x: dI/du = x · (beta density) = the beta kernel over 1 − x, taken in logs. On ln x
    the answer comes with relative precision however small it is; on the log of the smaller
    tail Newton stays quadratic far in the tails (on I itself it creeps when p is tiny, about
    one unit of ln p a step). A bracket [u_low, u_high] around the root is kept; a step that
    leaves it is replaced by bisection (or, before any point below the root is known, by
    doubling the distance below 1/2). A quantile below the smallest normal float is 0.
    """
    lower_tail = p <= q
    log_target = math.log(p if lower_tail else q)
    u_low, u_high = -math.inf, -math.log(2.0)
    u = min(max(_beta_quantile_start(p, q, a, b), _LOG_FLOAT_MIN), u_high)
    for _ in range(_QUANTILE_MAX_STEPS):
        x = math.exp(u)
        y = 1.0 - x
        lower, upper = _beta_cdf(x, y, a, b)
        tail = lower if lower_tail else upper
        if tail > 0.0:
            g = math.log(tail) - log_target if lower_tail else log_target - math.log(tail)
            step = g * tail / math.exp(_beta_log_kernel(x, y, a, b) - math.log(y))  # g / (dg/du)
        else:  # underflow: the root is above (lower tail) or below (upper tail)
            g = -1.0 if lower_tail else 1.0
            step = math.copysign(math.inf, g)
        if g == 0.0:
            return x
        if g < 0.0:
            u_low = u
        elif u <= _LOG_FLOAT_MIN:  # the root is below the float range
            return 0.0
        else:
            u_high = u
        if abs(step) <= _QUANTILE_TOL * max(1.0, -u):
            return math.exp(u - step)
        if u_low > -math.inf and u_high - u_low <= _QUANTILE_TOL * max(1.0, -u_low):
            return math.exp(0.5 * (u_low + u_high))
        u -= step
        if not u_low < u < u_high:
            u = 0.5 * (u_low + u_high) if u_low > -math.inf else max(2.0 * u_high - 1.0, _LOG_FLOAT_MIN)
    raise ArithmeticError(f"the beta quantile did not converge (p={p!r}, a={a!r}, b={b!r})")


def _beta_quantile_start(p: float, q: float, a: float, b: float) -> float:
    """ln of a first guess at the x with I_x(a, b) = p (q = 1 − p).

    For a, b ≥ 1 the normal approximation of Abramowitz & Stegun 26.5.22,
    x ≈ a / (a + b e^{2w}), which is within 1e-10 of the quantile when a and b are in the
    millions, so Newton needs one or two steps there; otherwise the leading term of
    I_x(a, b) near 0, x^a / (a B(a, b)).
    """
    if a >= 1.0 and b >= 1.0:
        z = -NormalDist().inv_cdf(p) if p <= q else NormalDist().inv_cdf(q)  # upper-tail normal deviate of p
        lam = (z * z - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = z * math.sqrt(h + lam) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (lam + 5.0 / 6.0 - 2.0 / (3.0 * h))
        v = 2.0 * w + math.log(b / a)  # ln x = −ln(1 + e^v), written not to overflow
        return -(v + math.log1p(math.exp(-v))) if v > 0.0 else -math.log1p(math.exp(v))
    return (math.log(p) + math.log(a) + math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)) / a


def _beta_cdf(x: float, y: float, a: float, b: float) -> tuple[float, float]:
    r"""I_x(a, b) and 1 − I_x(a, b), for 0 < x < 1 and y = 1 − x (the smaller of x, y exact).

    .. math::

        I_x(a, b) = \frac{x^a (1 - x)^b}{a\,B(a, b)} \cdot \frac{1}{V(x; a, b)}

    with :math:`V` the continued fraction of :func:`_beta_fraction`, used below
    x = (a + 1)/(a + b + 2), where it converges fast; above, the symmetry
    :math:`I_x(a, b) = 1 - I_{1-x}(b, a)` takes it to the other side (Press et al. 2007,
    *Numerical Recipes*, 3rd ed., §6.4). The tail computed this way is the accurate one; the
    other is 1 minus it.
    """
    if x < (a + 1.0) / (a + b + 2.0):
        lower = math.exp(_beta_log_kernel(x, y, a, b)) / (a * _beta_fraction(x, y, a, b))
        return lower, 1.0 - lower
    upper = math.exp(_beta_log_kernel(y, x, b, a)) / (b * _beta_fraction(y, x, b, a))
    return 1.0 - upper, upper


def _beta_fraction(x: float, y: float, a: float, b: float) -> float:
    r"""The continued fraction V with I_x(a, b) = x^a y^b / (a B(a, b) V), for y = 1 − x.

    DLMF 8.17.22 gives :math:`V = 1 + d_1/(1 + d_2/(1 + d_3/(1 + \dots)))` with

    .. math::

        d_{2m+1} = -\frac{(a + m)(a + b + m)\,x}{(a + 2m)(a + 2m + 1)}, \qquad
        d_{2m} = \frac{m (b - m)\,x}{(a + 2m - 1)(a + 2m)}.

    Near x = a/(a + b), :math:`d_{2m+1}` is close to −1 and :math:`1 + d_{2m+1}` loses
    digits — all of them for small a and large b (a 1e-10 relative error at a = 0.5,
    b = 2.5·10⁶). The fraction is therefore evaluated in its even contraction,
    :math:`V = \beta_0 + \alpha_1/(\beta_1 + \alpha_2/(\beta_2 + \dots))` with
    :math:`\alpha_m = -d_{2m-1} d_{2m}` and :math:`\beta_m = 1 + d_{2m} + d_{2m+1}`, where
    :math:`1 + d_{2m+1}` is expanded in :math:`\lambda = a - (a + b)x`:

    .. math::

        1 + d_{2m+1} = \frac{(a + m)(1 + \lambda + m(2 + y)) + m(m + 1)}{(a + 2m)(a + 2m + 1)},

    positive and free of cancellation below the switch point of :func:`_beta_cdf`, where
    :math:`\lambda > -1` (the same device as DiDonato & Morris's BFRAC, ACM TOMS 18 (1992),
    360–373). Evaluated by the modified Lentz algorithm (Press et al. 2007, §5.2) until a
    factor differs from 1 by at most the machine epsilon. The most terms are needed near the
    switch point: 22 at a = b = 50, 750 at a = b = 2.5·10⁶ (about 4.5 (a + b)^{1/3}); at most
    142 at the points Newton visits for Feldt's quantiles (0.5–99.5 %, d₁ ≤ 5·10⁶, 2–30 items),
    apart from the side test at x = 1/2. Past 100 + 10 √max(a, b) terms
    (Press et al.'s worst case is O(√max(a, b))) it raises rather than return an unconverged
    value.
    """
    s = a + b
    lam = a - s * x if x <= y else s * y - b  # from whichever of x and y is exact
    f = (1.0 + lam) / (a + 1.0)
    if f == 0.0:
        f = _TINY
    c, d = f, 0.0
    for m in range(1, _fraction_max_terms(a, b) + 1):
        a2m = a + 2.0 * m
        d_even = m * (b - m) * x / ((a2m - 1.0) * a2m)
        # −d_{2m−1}; a + (m − 1) rather than a + m − 1, which loses the digits of a small a at m = 1
        d_odd = (a + (m - 1)) * (s + (m - 1)) * x / ((a + (2 * m - 2)) * (a2m - 1.0))
        alpha = d_odd * d_even
        beta = d_even + ((a + m) * (1.0 + lam + m * (2.0 + y)) + m * (m + 1.0)) / (a2m * (a2m + 1.0))
        d = beta + alpha * d
        d = 1.0 / (d if d != 0.0 else _TINY)
        c = beta + alpha / c
        if c == 0.0:
            c = _TINY
        factor = c * d
        f *= factor
        if abs(factor - 1.0) <= _EPS:
            return f
    raise ArithmeticError(f"the incomplete beta continued fraction did not converge (x={x!r}, a={a!r}, b={b!r})")


def _fraction_max_terms(a: float, b: float) -> int:
    """The cap on the terms of :func:`_beta_fraction`: 100 + 10 √max(a, b)."""
    return 100 + 10 * math.ceil(math.sqrt(max(a, b)))


def _beta_log_kernel(x: float, y: float, a: float, b: float) -> float:
    r"""ln(x^a y^b / B(a, b)) for y = 1 − x, without losing digits when a or b is large.

    With ``math.lgamma`` alone, ln B(a, b) cancels against a ln x + b ln y: at a, b near
    10⁶ the terms are about 10⁷ and the result keeps only ~9 digits. For a, b ≥ 10,
    Stirling's series :math:`\ln\Gamma(z) = (z - \tfrac12)\ln z - z + \tfrac12\ln 2\pi + \delta(z)`
    (DLMF 5.11.1) turns it, with :math:`s = a + b`, :math:`t_a = x s/a - 1`,
    :math:`t_b = y s/b - 1` and :math:`\phi(t) = t - \ln(1 + t) \ge 0`, into

    .. math::

        -a\,\phi(t_a) - b\,\phi(t_b) + \tfrac12 \ln\frac{ab}{2\pi s}
        - \delta(a) - \delta(b) + \delta(s)

    (the linear terms cancel exactly: :math:`a t_a + b t_b = 0`); for a < 10 ≤ b,

    .. math::

        a \ln(b x) + b \ln y + (s - \tfrac12)\ln(1 + a/b) - a - \ln\Gamma(a) - \delta(b) + \delta(s).

    Both avoid the cancellation, as DiDonato & Morris's BRCOMP does by a related route.
    ln x and ln y are taken from whichever of x and y is exact (the smaller).
    """
    lx = math.log(x) if x <= y else math.log1p(-y)
    ly = math.log(y) if y < x else math.log1p(-x)
    if a < _STIRLING_FROM and b < _STIRLING_FROM:
        return a * lx + b * ly - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    s = a + b
    if a >= _STIRLING_FROM and b >= _STIRLING_FROM:
        e = x - a / s if x <= y else b / s - y  # x − a/s
        t_a, t_b = e * s / a, -e * s / b
        if t_a > -0.5 and t_b > -0.5:
            powers = -a * _log1p_gap(t_a) - b * _log1p_gap(t_b)
        else:  # x or y below half its mean: nothing cancels, but 1 + t near 0 would lose digits
            log_a = math.log1p(t_a) if t_a > -0.5 else lx - math.log(a / s)
            log_b = math.log1p(t_b) if t_b > -0.5 else ly - math.log(b / s)
            powers = a * log_a + b * log_b
        return powers + 0.5 * math.log(a * (b / s) / math.tau) - _stirling_rest(a) - _stirling_rest(b) + _stirling_rest(s)
    if a >= _STIRLING_FROM:  # let a be the small one
        x, y, a, b, lx, ly = y, x, b, a, ly, lx
    lbx = math.log(b * x) if x <= y else math.log(b) + lx
    return a * lbx + b * ly + (s - 0.5) * math.log1p(a / b) - a - math.lgamma(a) - _stirling_rest(b) + _stirling_rest(s)


def _log1p_gap(t: float) -> float:
    """t − ln(1 + t) for t > −1, to full relative precision also for small |t|.

    With r = t/(2 + t), ln(1 + t) = 2 artanh r = 2 Σ r^{2k+1}/(2k + 1), and t − 2r = r t, so
    t − ln(1 + t) = r t − 2 r Σ_{k≥1} r^{2k}/(2k + 1), whose terms do not cancel.
    """
    if abs(t) > 0.18:  # here t − log1p(t) loses at most a few bits
        return t - math.log1p(t)
    r = t / (2.0 + t)
    r2 = r * r
    total, power, k = 0.0, r2, 3.0
    while True:
        term = power / k
        total += term
        if term <= _EPS * total:
            return r * t - 2.0 * r * total
        power *= r2
        k += 2.0


def _stirling_rest(z: float) -> float:
    """δ(z) = ln Γ(z) − ((z − 1/2) ln z − z + ln(2π)/2) for z ≥ 10, by eight terms of Stirling's
    series Σ B₂ₖ/(2k(2k − 1) z^{2k−1}) (DLMF 5.11.1); the first omitted term, which bounds the
    error for real z (DLMF 5.11(ii)), is below 2e-18 at z = 10."""
    w = 1.0 / (z * z)
    total = 0.0
    for coefficient in reversed(_STIRLING):
        total = total * w + coefficient
    return total / z
