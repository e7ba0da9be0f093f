"""Back-testing bargaining models against known outcomes.

Per model: mean absolute error, median absolute error, share of issues within 10 points, n.
Errors are in points of a 0–100 scale: an issue on another scale is rescaled,
|forecast − outcome| × 100 / (scale_max − scale_min), so issues weigh equally whatever their
scale. For a multi-dimensional issue each dimension with an outcome counts as one case (long
CSVs are one-dimensional). Issues without an outcome are skipped.

Baselines always reported: the unweighted mean of positions, the salience-weighted mean, and the
capability × salience weighted mean (which is the compromise model).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.bargaining.compromise import weighted_mean
from accord.bargaining.registry import predict_tables
from accord.bargaining.table import FloatArray, IssueTable

WITHIN = 10.0

Forecaster = Callable[[IssueTable], FloatArray]  # outcome per dimension, scale units


def _mean(t: IssueTable) -> FloatArray:
    return t.position.mean(axis=0)


def _sal_mean(t: IssueTable) -> FloatArray:
    return weighted_mean(t.position, t.salience)[0]


def _cap_sal_mean(t: IssueTable) -> FloatArray:
    return weighted_mean(t.position, t.weights())[0]


BASELINES: dict[str, Forecaster] = {
    "baseline:mean": _mean,
    "baseline:salience_mean": _sal_mean,
    "baseline:capability_salience_mean": _cap_sal_mean,
}


@dataclass
class Score:
    name: str
    mae: float
    median_ae: float
    within_10: float
    n: int
    fallbacks: int = 0

    def as_dict(self) -> dict[str, float | int | str]:
        return {"model": self.name, "mae": self.mae, "median_ae": self.median_ae,
                "within_10": self.within_10, "n": self.n, "fallbacks": self.fallbacks}


def errors(
    tables: Sequence[IssueTable], outcomes: dict[str, float], forecast: Forecaster
) -> FloatArray:
    """Absolute errors on a 0–100 scale, one per issue with an outcome."""
    errs = []
    for t in tables:
        if t.issue not in outcomes:
            continue
        pred = forecast(t)
        errs.append(abs(float(pred[0]) - outcomes[t.issue]) * 100.0 / float(t.span[0]))
    return np.array(errs)


def score(name: str, errs: FloatArray, fallbacks: int = 0) -> Score:
    if errs.size == 0:
        return Score(name, float("nan"), float("nan"), float("nan"), 0, fallbacks)
    return Score(name, float(errs.mean()), float(np.median(errs)),
                 float(np.mean(errs <= WITHIN)), int(errs.size), fallbacks)


def evaluate(
    tables: Sequence[IssueTable], outcomes: dict[str, float], models: Sequence[str],
    groups: dict[str, str] | None = None,
) -> list[Score]:
    """Scores for the baselines, then for each named model (group models by ``groups``)."""
    out = [score(b, errors(tables, outcomes, f)) for b, f in BASELINES.items()]
    for name in models:
        preds = {p.issue: p for p in predict_tables(name, tables, groups)}
        fell = sum(int(p.fell_back) for p in preds.values())
        errs = errors(tables, outcomes, lambda t, preds=preds: preds[t.issue].outcome)
        out.append(score(name, errs, fell))
    return out
