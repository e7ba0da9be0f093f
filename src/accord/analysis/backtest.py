"""Back-testing: how good were the forecasts, once the questions resolved?

Brier score (mean squared error of the probability, 0 best), log score (mean log probability
given to what happened, 0 best; probabilities clipped to [1e-6, 1 − 1e-6]), a calibration
table in ten bins (all through accord.analysis.scoring), and two baselines scored alike: always
50%, and the base rate (the share of yes among the very questions scored: known only in
hindsight, so a demanding yardstick, and labelled so in the output).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from accord.analysis.scoring import brier, calibration, log_score


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


def score(items: list[Scored]) -> Scores:
    p = np.array([i.probability for i in items], dtype=float)
    y = np.array([i.outcome for i in items], dtype=float)
    rate = float(y.mean())
    half = np.full_like(p, 0.5)
    base = np.full_like(p, rate)
    return Scores(len(items), brier(p, y), log_score(p, y), brier(half, y), log_score(half, y),
                  brier(base, y), log_score(base, y), rate, calibration(p, y), items)
