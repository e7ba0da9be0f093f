"""Back-testing: how good were the forecasts, once the questions resolved?

Brier score (mean squared error of the probability, 0 best), log score (mean log probability
given to what happened, 0 best; probabilities clipped to [1e-6, 1 − 1e-6]), a calibration
table in ten bins, and two baselines scored alike: always 50%, and the base rate (the share of
yes among the scored questions — known only in hindsight, so a demanding yardstick).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

EPS = 1e-6


@dataclass
class Scored:
    question: str
    probability: float
    outcome: int  # 1 yes, 0 no
    source: str  # scenario or run the forecast came from


@dataclass
class Scores:
    n: int
    brier: float
    log: float
    brier_50: float
    log_50: float
    brier_base_rate: float
    log_base_rate: float
    base_rate: float
    calibration: list[dict[str, float]]
    items: list[Scored]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def log_score(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, EPS, 1 - EPS)
    return float(np.mean(np.where(y == 1, np.log(q), np.log(1 - q))))


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        if m.any():
            out.append({"bin_low": float(edges[b]), "bin_high": float(edges[b + 1]),
                        "n": int(m.sum()), "mean_forecast": float(p[m].mean()),
                        "observed": float(y[m].mean())})
    return out


def score(items: list[Scored]) -> Scores:
    p = np.array([i.probability for i in items], dtype=float)
    y = np.array([i.outcome for i in items], dtype=float)
    rate = float(y.mean())
    half = np.full_like(p, 0.5)
    base = np.full_like(p, rate)
    return Scores(len(items), brier(p, y), log_score(p, y), brier(half, y), log_score(half, y),
                  brier(base, y), log_score(base, y), rate, calibration(p, y), items)
