"""Reliability, sample size and multiple-testing statistics.

Pure functions over numpy arrays: no file IO, no printing. scipy is imported inside the
functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import math
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
    confidence = _check_confidence(confidence)
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (respondents × items), got shape {data.shape}")
    rows, k = data.shape
    w = _check_weights(weights, rows)
    keep = ~np.isnan(data).any(axis=1) & ~np.isnan(w) & (w > 0)
    data, w = data[keep], w[keep]
    n = int(data.shape[0])
    undefined = Alpha(math.nan, math.nan, math.nan, n, k)
    if k < 2 or n < 3:
        return undefined

    # Weighted sums of squares about the weighted means; the variance denominator
    # (sum(w) - 1) is common to every term and cancels in the ratio.
    sw = w.sum()
    items_ss = (w[:, None] * (data - (w @ data) / sw) ** 2).sum(axis=0)
    total = data.sum(axis=1)
    total_ss = float(w @ (total - (w @ total) / sw) ** 2)
    return _alpha(k, n, float(items_ss.sum()), total_ss, float(w @ total**2), float(sw**2 / (w @ w)), confidence)


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

    # F quantiles by the inverse of the F distribution function in scipy.special (Cephes
    # fdtri), the routine scipy.stats.f.ppf evaluates, without importing scipy.stats (0.5–1 s).
    from scipy.special import fdtri  # local: keeps `import csi.stats` fast

    df1 = n_eff - 1.0
    df2 = df1 * (k - 1)
    q = (1.0 - confidence) / 2.0
    low = 1.0 - (1.0 - alpha) * float(fdtri(df1, df2, 1.0 - q))
    high = 1.0 - (1.0 - alpha) * float(fdtri(df1, df2, q))
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
    data = np.asarray(x, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"x must be a 2-D array (respondents × items), got shape {data.shape}")
    rows, p = data.shape
    w = _check_weights(weights, rows)
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
    for start in range(0, rows, _ALPHA_CHUNK_ROWS):
        chunk = data[start:start + _ALPHA_CHUNK_ROWS, used]
        missing = np.isnan(chunk)
        if centre is None:
            seen = (~missing).sum(axis=0)
            centre = np.where(seen > 0, np.where(missing, 0.0, chunk).sum(axis=0) / np.maximum(seen, 1), 0.0)
        y = np.where(missing, 0.0, chunk - centre)
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

    Validated against the textbook values in ``METHODS.md``: ±5 %, 95 %, p = 0.5 →
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
