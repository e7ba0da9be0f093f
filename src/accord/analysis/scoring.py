"""Scores of probability forecasts once questions resolve, through scikit-learn.

For forecasts p_i of binary outcomes y_i:

    Brier  B = (1/N) Σ (p_i − y_i)²             (0 best; 0.25 for always 50%)
    log    L = (1/N) Σ log(y_i p_i + (1 − y_i)(1 − p_i))   (0 best; −ln 2 for 50%)

The Brier score here is the one-outcome form; Good Judgment Open's sums both outcomes, twice this.
The Murphy decomposition over K forecast bins (n_k forecasts, mean forecast f_k, observed
frequency o_k, overall frequency o):

    B ≈ REL − RES + UNC,   REL = Σ n_k (f_k − o_k)² / N,   RES = Σ n_k (o_k − o)² / N,
    UNC = o (1 − o)

(exact when the forecasts within each bin are equal; the remainder is reported).
The time-averaged Brier scores each day from the first forecast to the resolution with the
forecast standing that day (the latest one, carried forward), and averages the days, as Good
Judgment Open does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

EPS = 1e-6
BINS = 10


def brier(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import brier_score_loss

    return float(brier_score_loss(y, p, pos_label=1)) if len(y) else float("nan")


def log_score(p: np.ndarray, y: np.ndarray) -> float:
    """Mean log probability given to what happened (probabilities clipped to [1e-6, 1 − 1e-6])."""
    from sklearn.metrics import log_loss

    if not len(y):
        return float("nan")
    return -float(log_loss(y, np.clip(p, EPS, 1 - EPS), labels=[0, 1]))


def calibration(p: np.ndarray, y: np.ndarray, bins: int = BINS) -> list[dict[str, float]]:
    """Per non-empty bin of width 1/bins: the mean forecast, the observed frequency, the count."""
    from sklearn.calibration import calibration_curve

    if not len(y):
        return []
    observed, mean_forecast = calibration_curve(y, p, n_bins=bins, strategy="uniform")
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, bins - 1)
    counts = np.bincount(idx, minlength=bins)
    used = [b for b in range(bins) if counts[b]]
    return [{"bin_low": float(edges[b]), "bin_high": float(edges[b + 1]), "n": int(counts[b]),
             "mean_forecast": float(f), "observed": float(o)}
            for b, f, o in zip(used, mean_forecast, observed, strict=True)]


@dataclass
class Murphy:
    reliability: float
    resolution: float
    uncertainty: float
    remainder: float  # Brier − (REL − RES + UNC): within-bin spread of forecasts


def murphy(p: np.ndarray, y: np.ndarray, bins: int = BINS) -> Murphy:
    n = len(y)
    o = float(np.mean(y)) if n else float("nan")
    rel = res = 0.0
    for b in calibration(p, y, bins):
        rel += b["n"] * (b["mean_forecast"] - b["observed"]) ** 2 / n
        res += b["n"] * (b["observed"] - o) ** 2 / n
    unc = o * (1 - o)
    return Murphy(rel, res, unc, brier(p, y) - (rel - res + unc))


@dataclass
class Standing:
    """One question's forecasts in time and how it resolved."""

    question: str
    forecasts: list[tuple[dt.datetime, float]]  # (recorded at, probability), any order
    outcome: int  # 1 yes, 0 no
    resolved_on: dt.date


def latest_before(s: Standing) -> float | None:
    """The last forecast recorded on or before the day of resolution."""
    made = sorted((t, p) for t, p in s.forecasts if t.date() <= s.resolved_on)
    return made[-1][1] if made else None


def time_averaged_brier(s: Standing) -> float | None:
    made = sorted((t.date(), p) for t, p in s.forecasts if t.date() <= s.resolved_on)
    if not made:
        return None
    days = (s.resolved_on - made[0][0]).days + 1
    total, k, current = 0.0, 0, made[0][1]
    for d in range(days):
        day = made[0][0] + dt.timedelta(days=d)
        while k < len(made) and made[k][0] <= day:
            current = made[k][1]
            k += 1
        total += (current - s.outcome) ** 2
    return total / days


@dataclass
class LedgerScores:
    n: int
    brier: float
    log: float
    time_averaged_brier: float
    murphy: Murphy
    calibration: list[dict[str, float]]
    brier_50: float
    log_50: float
    time_averaged_brier_50: float
    questions: list[dict[str, object]]
    unscored: list[str]  # resolved, but no forecast before the resolution

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def score_standings(standings: list[Standing]) -> LedgerScores:
    scored, unscored = [], []
    for s in standings:
        p = latest_before(s)
        if p is None:
            unscored.append(s.question)
        else:
            scored.append((s, p, time_averaged_brier(s)))
    p = np.array([x[1] for x in scored], dtype=float)
    y = np.array([x[0].outcome for x in scored], dtype=float)
    half = np.full_like(p, 0.5)
    tab = [x[2] for x in scored]
    return LedgerScores(
        n=len(scored), brier=brier(p, y), log=log_score(p, y),
        time_averaged_brier=float(np.mean(tab)) if tab else float("nan"),
        murphy=murphy(p, y), calibration=calibration(p, y),
        brier_50=brier(half, y), log_50=log_score(half, y),
        time_averaged_brier_50=0.25 if tab else float("nan"),
        questions=[{"question": s.question, "probability": pp, "outcome": s.outcome,
                    "resolved_on": s.resolved_on.isoformat(), "time_averaged_brier": t}
                   for s, pp, t in scored],
        unscored=unscored,
    )
