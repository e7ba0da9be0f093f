"""Quantile functions of the scenario's distributions, on NumPy and the standard library alone.

Why not `scipy.stats`: importing it (with the scipy.optimize, scipy.spatial and scipy.sparse it
pulls in) takes about 0.6 s, more than the rest of an `accord forecast` together, and sampling
parameter draws needs only three quantile functions. `scipy.special` is no lighter (0.2 s: its
array-API layer imports numpy.f2py and numpy.testing). These agree with scipy.stats' `ppf` to
about 1e-13 (tests/test_quantiles.py compares them on a grid).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

_STANDARD = NormalDist()
BLOCK = 16  # iterations of the continued fraction whose coefficients are computed together
_lgamma = np.vectorize(lambda v: math.lgamma(v) if v > 0 else math.nan, otypes=[float])


def norm_ppf(q: np.ndarray | float) -> np.ndarray:
    """The standard normal quantile (Wichura's AS241, as `statistics` computes it)."""
    q = np.asarray(q, dtype=float)
    inner = (q > 0) & (q < 1)
    out = np.where(q == 0, -np.inf, np.where(q == 1, np.inf, np.nan))
    if inner.any():
        out[inner] = [_STANDARD.inv_cdf(float(p)) for p in q[inner]]
    return out


def triang_ppf(q: np.ndarray, c: float, low: float, width: float) -> np.ndarray:
    """Triangular quantile with the mode at fraction `c` of [low, low + width]."""
    q = np.asarray(q, dtype=float)
    return low + width * np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q)))


def _betacf(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The continued fraction of the incomplete beta function (modified Lentz), each element
    stopped at its own convergence, as the scalar algorithm stops.

    An element's steps can wobble by an ulp about the tolerance once it has converged: waiting
    for all of them to be within it at once took ten times the iterations on a few hundred
    elements, and gave each element a value that depended on the others in its call. The two
    coefficients of each iteration m depend on m, a, b and x alone: they are computed for BLOCK
    iterations at a time, which leaves the loop its recurrence only."""
    tiny = 1e-300

    def nz(v: np.ndarray) -> np.ndarray:
        return np.where(np.abs(v) < tiny, tiny, v)

    qab, qap, qam = a + b, a + 1, a - 1
    c = np.ones_like(x)
    d = 1 / nz(1 - qab * x / qap)
    h = d.copy()
    out = h.copy()
    live = np.ones(x.shape, dtype=bool)
    for first in range(1, 400, BLOCK):
        m = np.arange(first, min(first + BLOCK, 400), dtype=float).reshape(-1, *[1] * x.ndim)
        m2 = 2 * m
        odd = m * (b - m) * x / ((qam + m2) * (a + m2))
        even = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        for aa, ab in zip(odd, even, strict=True):
            d = 1 / nz(1 + aa * d)
            c = nz(1 + aa / c)
            h = h * d * c
            d = 1 / nz(1 + ab * d)
            c = nz(1 + ab / c)
            step = d * c
            h = h * step
            np.copyto(out, h, where=live)
            live &= np.abs(step - 1) > 3e-16
            if not live.any():
                return out
    return out


def _lbeta(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _lgamma(a) + _lgamma(b) - _lgamma(a + b)


def betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The regularised incomplete beta function I_x(a, b), for 0 <= x <= 1."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, x)))
    return _betainc(a, b, x, _lbeta(a, b))


def _betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """I_x(a, b) given lb = log B(a, b), which a root search on x computes once."""
    swap = x > (a + 1) / (a + b + 2)  # the continued fraction converges fast below this
    xs, as_, bs = np.where(swap, 1 - x, x), np.where(swap, b, a), np.where(swap, a, b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        front = np.exp(as_ * np.log(xs) + bs * np.log1p(-xs) - lb) / as_
        v = front * _betacf(as_, bs, xs)
    v = np.where(xs <= 0, 0.0, v)
    return np.where(swap, 1 - v, v)


def _beta_guess(q: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A first guess of the beta quantile (Numerical Recipes' invbetai)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        pp = np.where(q < 0.5, q, 1 - q)
        t = np.sqrt(-2 * np.log(pp))
        z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
        z = np.where(q < 0.5, -z, z)
        al = (z * z - 3) / 6
        h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        skew = (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h))
        w = z * np.sqrt(al + h) / h - skew
        big = a / (a + b * np.exp(2 * w))
        lna, lnb = np.log(a / (a + b)), np.log(b / (a + b))
        ta, tb = np.exp(a * lna) / a, np.exp(b * lnb) / b
        tw = ta + tb
        small = np.where(q < ta / tw, (a * tw * q) ** (1 / a), 1 - (b * tw * (1 - q)) ** (1 / b))
    guess = np.where((a >= 1) & (b >= 1), big, small)
    return np.where(np.isfinite(guess) & (guess > 0) & (guess < 1), guess, 0.5)


def beta_ppf(q: np.ndarray | float, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """The beta(a, b) quantile. An upper quantile is found as the lower one of beta(b, a) at
    1 - q (exact in floating point), so both tails keep their relative precision."""
    q, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (q, a, b)))
    bad = ~((q >= 0) & (q <= 1) & (a > 0) & (b > 0))
    upper = q > 0.5
    with np.errstate(invalid="ignore"):
        x = _lower_beta_ppf(np.where(upper, 1 - q, q), np.where(upper, b, a),
                            np.where(upper, a, b))
    return np.where(bad, np.nan, np.where(upper, 1 - x, x))


def _lower_beta_ppf(q: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Halley's method on I_x(a, b) = q for q <= 1/2, kept inside a bracket that halves
    whenever a step would leave it."""
    x = _beta_guess(q, a, b)
    lo, hi = np.zeros_like(x), np.ones_like(x)
    lb = _lbeta(a, b)
    active = (q > 0) & (q <= 0.5) & (a > 0) & (b > 0)
    for _ in range(100):
        if not active.any():
            break
        f = _betainc(a[active], b[active], x[active], lb[active]) - q[active]
        xa, la, ha = x[active], lo[active], hi[active]
        la, ha = np.where(f < 0, xa, la), np.where(f > 0, xa, ha)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            pdf = np.exp((a[active] - 1) * np.log(xa) + (b[active] - 1) * np.log1p(-xa)
                         - lb[active])
            step = f / pdf  # Newton's step, then Halley's correction (Numerical Recipes)
            bend = step * ((a[active] - 1) / xa - (b[active] - 1) / (1 - xa))
            step = np.where(np.isfinite(bend), step / (1 - 0.5 * np.minimum(1.0, bend)), step)
        new = xa - step
        done = (np.abs(step) <= 1e-14 * xa) | (f == 0) | (ha - la <= 4e-16 * ha)
        new = np.where(done | (np.isfinite(new) & (new > la) & (new < ha)), new, (la + ha) / 2)
        x[active], lo[active], hi[active] = new, la, ha
        active[active] = ~done
    return np.where(q == 0, 0.0, x)
