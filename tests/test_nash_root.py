"""The Nash point's root finder (plain floats, Newton kept in a bracket) agrees with scipy's
brentq, which it replaced so that `accord run` need not import scipy.optimize."""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from accord.bargaining.nash import nash_1d


def test_nash_1d_is_brentqs_root_on_random_tables() -> None:
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(1500):
        n = int(rng.integers(2, 8))
        x, c, s, sq = rng.random(n), rng.random(n) + 0.01, rng.random(n) + 0.01, rng.random()
        got = nash_1d(x, c, s, sq)
        r = np.abs(sq - x)
        lo, hi = float(np.max(x - r)), float(np.min(x + r))
        if got is None:
            assert not hi - lo > 1e-12
            continue
        a, b = lo + (hi - lo) * 1e-12, hi - (hi - lo) * 1e-12

        def dn(z: float, x=x, c=c, r=r) -> float:
            return float(np.sum(-2.0 * c * (z - x) / (r**2 - (z - x) ** 2)))

        if dn(a) <= 0 or dn(b) >= 0:  # the optimum at an end of the feasible set
            assert got in (a, b)
            continue
        assert abs(got - brentq(dn, a, b, xtol=1e-14, rtol=1e-14, maxiter=200)) < 1e-13
        checked += 1
    assert checked > 300
