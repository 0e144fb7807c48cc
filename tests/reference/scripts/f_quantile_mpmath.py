"""F-distribution quantiles to 30 digits with mpmath, outside the project.

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install mpmath
    /tmp/refvenv/bin/python tests/reference/scripts/f_quantile_mpmath.py

The F distribution function at f is the regularised incomplete beta function I_x(d1/2, d2/2)
at x = d1 f / (d1 f + d2) (Abramowitz & Stegun 26.6); F_p is the root of ln(I_x / p) (of
ln((1 - p)/(1 - I_x)) above the median), found by mpmath.findroot to 1e-30 in 40-digit
arithmetic. I_x comes from mpmath.betainc (a hypergeometric series) when both degrees of
freedom are at most 10 000, and otherwise, where that series is too slow, from numerical
quadrature of the beta density (mpmath.quad on panels a few local length scales wide, which
resolves the narrow peak of a distribution with millions of degrees of freedom). Where both
apply and the tail is not extreme (p in [0.001, 0.999]) they must agree to 1e-25; far in a tail
the quadrature loses digits (8e-11 at I = 3e-117, checked against exact rational arithmetic),
so there the series alone is used.

The cases are those where csi.stats._f_quantile and scipy.special.fdtri differ most on the
grid of tests/test_stats.py (large d1 or d2), the example survey's degrees of freedom
(409 respondents, 4 items), and one far-tail probability where fdtri is visibly off.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 40

CASES = [
    (10, 5_000_000, "0.975"),
    (5_000_000, 10, "0.025"),
    (10, 5_000_000, "0.999"),
    (1_000_000, 5_000_000, "0.05"),
    (1_000_000, 5_000_000, "0.975"),
    (5_000_000, 1_000_000, "0.95"),
    (1, 5_000_000, "0.95"),
    (408, 1224, "0.025"),
    (408, 1224, "0.975"),
    (1000, 70, "1e-277"),
]


def tail_by_quadrature(a: mp.mpf, b: mp.mpf, x: mp.mpf) -> mp.mpf:
    """I_x(a, b) by quadrature of the beta density over the tail on x's side of the mean.

    The panels are a few multiples of the density's local length scale at x (the inverse of
    the slope of its log, capped by the standard deviation), so that both the peak of a
    distribution with millions of degrees of freedom and a far tail are resolved.
    """
    log_beta = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)

    def density(t: mp.mpf) -> mp.mpf:
        return mp.exp((a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t) - log_beta)

    sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    slope = abs((a - 1) / x - (b - 1) / (1 - x))
    h = min(sd, 1 / slope) if slope > 0 else sd
    steps = (1, 2, 5, 10, 20, 40, 80)
    if x < a / (a + b):
        start = max(mp.mpf(0), x - 120 * h) if a > 1 else mp.mpf(0)
        knots = sorted({start, *(x - k * h for k in steps if x - k * h > start), x})
        return mp.quad(density, knots)
    end = min(mp.mpf(1), x + 120 * h) if b > 1 else mp.mpf(1)
    knots = sorted({x, *(x + k * h for k in steps if x + k * h < end), end})
    return 1 - mp.quad(density, knots)


def f_quantile(d1: int, d2: int, p: mp.mpf) -> mp.mpf:
    a, b = mp.mpf(d1) / 2, mp.mpf(d2) / 2

    def excess(f: mp.mpf) -> mp.mpf:
        """ln(I/p), or ln((1 - p)/(1 - I)) above the median: increasing in f, zero at the root,
        and relative (an absolute I - p would pass any f for a p far in a tail)."""
        x = d1 * f / (d1 * f + d2)
        if max(d1, d2) <= 10_000:
            i = mp.betainc(a, b, 0, x, regularized=True)
        else:
            i = tail_by_quadrature(a, b, x)
        return mp.log(i / p) if p <= mp.mpf("0.5") else mp.log((1 - p) / (1 - i))

    # Bracket the root around Fisher's normal approximation of z = ln(F)/2 (mean
    # (1/d2 - 1/d1)/2, variance (1/d1 + 1/d2)/2), widening until the sign changes, then solve.
    sd = mp.sqrt((mp.mpf(1) / d1 + mp.mpf(1) / d2) / 2)
    z = mp.findroot(lambda t: mp.log(mp.ncdf(t)) - mp.log(p), 0)  # in logs: p may be far in the tail
    guess = mp.exp(mp.mpf(1) / d2 - mp.mpf(1) / d1 + 2 * sd * z)
    width = sd / 100
    while excess(guess * mp.exp(-width)) > 0 or excess(guess * mp.exp(width)) < 0:
        width *= 4
    root = mp.findroot(excess, (guess * mp.exp(-width), guess * mp.exp(width)), solver="illinois",
                       tol=mp.mpf(10) ** -30)
    if max(d1, d2) <= 10_000 and mp.mpf("0.001") <= p <= mp.mpf("0.999"):
        x = d1 * root / (d1 * root + d2)
        assert abs(tail_by_quadrature(a, b, x) - p) < mp.mpf(10) ** -25 * p
    return root


def main() -> None:
    print(f"mpmath {mp.__version__}, {mp.mp.dps} digits")
    for d1, d2, p in CASES:
        root = f_quantile(d1, d2, mp.mpf(p))
        print(f"F_{p}({d1}, {d2}) = {mp.nstr(root, 25)}  (float {float(root)!r})", flush=True)


if __name__ == "__main__":
    main()
