"""A reference class as an event's rate: the class's curve within its band, per parameter draw.

A draw's position b in [−1, 1] picks a curve inside the class's pointwise 95% band,

    S_b(t) = S(t) + b (S_high(t) − S(t))   for b ≥ 0,
    S_b(t) = S(t) − b (S_low(t) − S(t))    for b < 0,

a convex combination of non-increasing curves, so itself one; b = 0 is the estimate. From the
origin `since` (`d` months before as_of), scenario month t has the hazard

    h_t = 1 − S_b(d + t) / S_b(d + t − 1),

the chance of the event in that month given it has not happened yet, so an event with no
modifier forecasts F(h) = 1 − S_b(d + h)/S_b(d) at every whole month h. A share class gives a
chance event p_b, the share moved within its band the same way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from accord.baserate.tables import Estimate

DAYS_PER_MONTH = 365.25 / 12


def months_since(since: dt.date, as_of: dt.date) -> float:
    """Months (of 365.25/12 days, the tables' unit) from the origin to as_of."""
    return (as_of - since).days / DAYS_PER_MONTH


def within_band(mid: np.ndarray, low: np.ndarray, high: np.ndarray,
                b: np.ndarray) -> np.ndarray:
    """mid moved a share b of the way to `high` (b ≥ 0) or to `low` (b < 0); b broadcasts
    against the trailing axis."""
    b = np.asarray(b, float)
    return np.where(b >= 0, mid + b * (high - mid), mid - b * (low - mid))


def hazards(est: Estimate, offset: float, horizon: int, b: np.ndarray) -> np.ndarray:
    """h[t−1, j]: the monthly hazard of month t = 1..horizon under draw j's band position."""
    months = offset + np.arange(horizon + 1, dtype=float)
    curve = {k: np.array(est.survival(months, k))[:, None] for k in ("survival", "low", "high")}
    s = within_band(curve["survival"], curve["low"], curve["high"], np.atleast_1d(b)[None, :])
    before, after = s[:-1], s[1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(before > 0, 1.0 - after / before, 1.0)
    return np.clip(h, 0.0, 1.0)


def share(est: Estimate, b: np.ndarray) -> np.ndarray:
    """A share class's probability per draw."""
    d = est.data
    return within_band(np.float64(d["probability"]), np.float64(d["low"]),
                       np.float64(d["high"]), np.atleast_1d(b))
