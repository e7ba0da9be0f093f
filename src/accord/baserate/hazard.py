"""A reference class as an event's rate: the class's curve within its band, per parameter draw.

From the origin `since` (`d` months before as_of), the class's survival given no event by d is
C(t) = C(d, d + t) (accord.baserate.tables), with its 95% band [C_low(t), C_high(t)]. A draw's
position b in [−1, 1] picks a curve inside that band,

    C_b(t) = C(t) + b (C_high(t) − C(t))   for b ≥ 0,
    C_b(t) = C(t) − b (C_low(t) − C(t))    for b < 0,

(b = 0 is the estimate), and scenario month t has the hazard

    h_t = 1 − C_b(t) / C_b(t − 1),

the chance of the event in that month given it has not happened yet, so an event with no
modifier forecasts F(h) = 1 − C_b(h) at every whole month h. A share class gives a
chance event p_b, the share moved within its band the same way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from accord.baserate.tables import Z95, Estimate
from accord.scenario.calendar import DAYS_PER_MONTH


def months_since(since: dt.date, as_of: dt.date) -> float:
    """Months (of 365.25/12 days, the tables' unit) from the origin to as_of."""
    return (as_of - since).days / DAYS_PER_MONTH


def within_band(mid: np.ndarray, low: np.ndarray, high: np.ndarray,
                b: np.ndarray) -> np.ndarray:
    """mid moved a share b of the way to `high` (b ≥ 0) or to `low` (b < 0); b broadcasts
    against the trailing axis."""
    b = np.asarray(b, float)
    return np.where(b >= 0, mid + b * (high - mid), mid - b * (low - mid))


def windows(est: Estimate, offset: float, horizon: int) -> tuple[np.ndarray, ...]:
    """C(d, d + t) for t = 0..horizon with its band's edges (accord.baserate.tables), as arrays."""
    times = np.asarray(est.data["times"], float)
    n = np.asarray(est.data["at_risk_n"], float)
    d = np.asarray(est.data["deaths"], float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cum_log = np.r_[0.0, np.cumsum(np.log1p(-d / n))]
        cum_var = np.r_[0.0, np.cumsum(d / (n * (n - d)))]
        k = np.searchsorted(times, offset + np.arange(horizon + 1, dtype=float), side="right")
        k0 = np.searchsorted(times, offset, side="right")
        log_c = np.nan_to_num(cum_log[k] - cum_log[k0], nan=-np.inf)
        c = np.exp(log_c)
        spread = np.where(log_c < 0, Z95 * np.sqrt(cum_var[k] - cum_var[k0]) / np.abs(log_c), 0.0)
        low, high = c ** np.exp(spread), c ** np.exp(-spread)
    return c, np.nan_to_num(low), np.nan_to_num(high, nan=1.0)


def hazards(est: Estimate, offset: float, horizon: int, b: np.ndarray) -> np.ndarray:
    """h[t−1, j]: the monthly hazard of month t = 1..horizon under draw j's band position."""
    c, low, high = (x[:, None] for x in windows(est, offset, horizon))
    s = within_band(c, low, high, np.atleast_1d(b)[None, :])
    s = np.minimum.accumulate(s, axis=0)  # a band's edges need not fall monotonely everywhere
    before, after = s[:-1], s[1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(before > 0, 1.0 - after / before, 1.0)
    return np.clip(h, 0.0, 1.0)


def share(est: Estimate, b: np.ndarray) -> np.ndarray:
    """A share class's probability per draw."""
    d = est.data
    return within_band(np.float64(d["probability"]), np.float64(d["low"]),
                       np.float64(d["high"]), np.atleast_1d(b))
