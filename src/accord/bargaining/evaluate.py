"""Back-testing bargaining models against known outcomes.

Per model: mean absolute error, median absolute error, share of issues within 10 points, n.
Errors are in points of a 0–100 scale: an issue on another scale is rescaled,
|forecast − outcome| × 100 / (scale_max − scale_min), so issues weigh equally whatever their
scale. For a multi-dimensional issue each dimension with an outcome counts as one case (long
CSVs are one-dimensional). Issues without an outcome are skipped.

Baselines always reported: the unweighted mean of positions, the salience-weighted mean, and the
capability × salience weighted mean (which is the compromise model).

Models that give the outcome's distribution (``Prediction.samples``: the random-rate exchange
model's draws, the options model's probabilities) are also scored by CRPS (scoringrules, 0–100
points) and the share of outcomes inside their central 50% and 90% intervals; NaN for the others
(``evaluate --cv`` gives every model intervals from its cross-validated residuals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.bargaining.compromise import weighted_mean
from accord.bargaining.prediction import Prediction
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
    crps: float = float("nan")
    cover50: float = float("nan")
    cover90: float = float("nan")

    def as_dict(self) -> dict[str, float | int | str | None]:
        def num(v: float) -> float | None:
            return None if np.isnan(v) else v

        return {"model": self.name, "mae": self.mae, "median_ae": self.median_ae,
                "within_10": self.within_10, "n": self.n, "fallbacks": self.fallbacks,
                "crps": num(self.crps), "cover50": num(self.cover50),
                "cover90": num(self.cover90)}


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
        s = score(name, errs, fell)
        dist = [_dist(preds[t.issue], t, outcomes[t.issue]) for t in tables
                if t.issue in outcomes and t.n_dims == 1]
        if dist and all(d is not None for d in dist):
            arr = np.array(dist, dtype=float)
            s.crps, s.cover50, s.cover90 = (float(v) for v in arr.mean(axis=0))
        out.append(s)
    return out


def _dist(p: Prediction, t: IssueTable, y: float) -> tuple[float, bool, bool] | None:
    """CRPS and interval hits on 0–100 for a prediction with a distribution, else None."""
    if p.samples is None or p.samples.shape[0] < 2:
        return None
    from accord.bargaining.cv import dist_scores

    lo, span = float(t.scale_min[0]), float(t.span[0])
    return dist_scores((p.samples[:, 0] - lo) * 100.0 / span, p.weights,
                        (y - lo) * 100.0 / span)
