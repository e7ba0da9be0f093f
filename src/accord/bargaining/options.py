"""Discrete-options model: legislative bargaining settles on one of the options on the table.

DEU outcomes often coincide with an actor's stated position, the status quo or the scale's
midpoint (splitting the difference) rather than with a weighted mean. The model takes those
points as the options an issue can settle on; the compromise x̂ = Σ c_i s_i x_i / Σ c_i s_i
says where the bargain lies, and the options nearer to it are likelier to win (a conditional
logit over the candidate set C: distinct actor positions, the status quo where known, ½; all on
the unit scale):

    P(c) = exp(−b |c − x̂| / 0.1) / Σ_{c'∈C} exp(−b |c' − x̂| / 0.1).

The outcome y has the density p(y) = Σ_c P(c) · Laplace(y; c, h) (h absorbs outcomes between
options). b and h are the free parameters, fitted by maximum likelihood on training issues
only. Forecast: the median of P, which minimises the expected absolute error; the distribution
is P itself (``Prediction.samples`` and ``weights``).

Shipped constants, fitted on the 154 issues of the DEU dev half: b = ``BETA`` = 0.229,
h = ``H`` = 0.0456 (4.6 points). Explored on the same half by grouped CV and not kept (they
scored worse out of sample): adding the actors' weight on an option, a status-quo indicator or a
midpoint indicator as further logit features, and an L2 penalty chosen by nested CV.

``nearest_option`` is the b → ∞ limit: the option nearest the compromise, x̂* = argmin_{c∈C}
|c − x̂| (no free parameter; the structure was found by exploring the dev half, so its CV figure
is optimistic). Grouped 5-fold CV × 20 on the DEU dev half (MAE in points, ± proposal-clustered
SE; paired difference to compromise): nearest_option 22.30 ± 1.79 (−1.42 ± 0.78), options
22.52 ± 1.73 (−1.20 ± 1.00), compromise 23.72 ± 1.67; nested CV picks nearest_option in 67 of
100 training sets. Choices: options closer than 1e-9 are one; equally near options resolve to
the lower one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.bargaining.compromise import compromise_unit
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable

FEATURES: tuple[str, ...] = ("distance",)
DIST_SCALE = 0.1
# fitted on the DEU dev half (see the module docstring and docs/models/bargaining.md)
BETA = np.array([0.229])
H = 0.0456


@dataclass(frozen=True)
class Options:
    """Candidates (K,) on the unit scale and their features (K, P) for one issue."""

    points: FloatArray
    features: FloatArray


def options(t: IssueTable) -> Options:
    x = t.unit_positions()[:, 0]
    w = t.weights()[:, 0]
    tot = w.sum()
    xhat = float(compromise_unit(t)[0])
    sq = t.unit_status_quo()
    sqv = None if sq is None or np.isnan(sq[0]) else float(sq[0])
    # where every actor stands at one point nothing is contested: no one tables the status quo
    # or splits a difference, so that point is the only option (the DEU data has no such issue)
    extra = [] if np.ptp(x) < 1e-9 else [0.5, *([] if sqv is None else [sqv])]
    pts = np.unique(np.round(np.concatenate([x, extra]), 9))
    support = np.array([w[np.abs(x - c) < 1e-9].sum() for c in pts]) / (tot if tot > 0 else 1)
    cols = {"distance": -np.abs(pts - xhat) / DIST_SCALE, "support": support,
            "status_quo": np.zeros_like(pts) if sqv is None else (np.abs(pts - sqv) < 1e-9) * 1.0,
            "midpoint": (np.abs(pts - 0.5) < 1e-9) * 1.0}
    f = np.stack([cols[k] for k in FEATURES], axis=1)
    return Options(pts, f)


def probabilities(o: Options, beta: FloatArray) -> FloatArray:
    u = o.features @ beta
    u = u - u.max()
    e = np.exp(u)
    return e / e.sum()


def _median(points: FloatArray, p: FloatArray) -> float:
    order = np.argsort(points)
    cum = np.cumsum(p[order])
    return float(points[order][int(np.argmax(cum >= 0.5 - 1e-12))])


def predict_with(t: IssueTable, beta: FloatArray = BETA) -> Prediction:
    """The forecast for one-dimensional issue t (multi-dimensional: per dimension)."""
    if t.n_dims > 1:
        parts = [predict_with(t.dimension(k), beta) for k in range(t.n_dims)]
        return Prediction(model="options", issue=t.issue,
                          outcome=np.concatenate([p.outcome for p in parts]),
                          dimensions=t.dimensions)
    o = options(t)
    p = probabilities(o, beta)
    return Prediction(model="options", issue=t.issue,
                      outcome=t.from_unit(np.array([_median(o.points, p)])),
                      dimensions=t.dimensions, samples=t.from_unit(o.points[:, None]),
                      weights=p)


def predict(t: IssueTable) -> Prediction:
    return predict_with(t, BETA)


# -- fitting ----------------------------------------------------------------------------------
def _padded(opts: Sequence[Options]) -> tuple[FloatArray, FloatArray, np.ndarray]:
    k = max(len(o.points) for o in opts)
    n, d = len(opts), opts[0].features.shape[1]
    pts = np.zeros((n, k))
    feats = np.zeros((n, k, d))
    mask = np.zeros((n, k), bool)
    for i, o in enumerate(opts):
        m = len(o.points)
        pts[i, :m], feats[i, :m], mask[i, :m] = o.points, o.features, True
    return pts, feats, mask


def _nll(theta: FloatArray, pts: FloatArray, feats: FloatArray, mask: np.ndarray,
         y: FloatArray, lam: float) -> float:
    beta, h = theta[:-1], np.exp(theta[-1])
    u = np.where(mask, feats @ beta, -np.inf)
    logp = u - np.logaddexp.reduce(u, axis=1, keepdims=True)
    logk = -np.abs(y[:, None] - pts) / h - np.log(2 * h)
    ll = np.logaddexp.reduce(np.where(mask, logp + logk, -np.inf), axis=1)
    return float(-ll.sum() + lam * np.sum(beta**2))


def fit_beta(tables: Sequence[IssueTable], y: FloatArray, lam: float) -> tuple[FloatArray, float]:
    """β and h by maximum likelihood (with an L2 penalty lam |β|²); y on the unit scale."""
    from scipy.optimize import minimize

    pts, feats, mask = _padded([options(t) for t in tables])
    theta0 = np.concatenate([np.zeros(feats.shape[2]), [np.log(0.05)]])
    res = minimize(_nll, theta0, args=(pts, feats, mask, np.asarray(y), lam),
                   method="L-BFGS-B")
    return res.x[:-1], float(np.exp(res.x[-1]))


def fit(tables: Sequence[IssueTable], y: FloatArray) -> tuple[FloatArray, float]:
    """(b, h) by maximum likelihood on these issues; y the outcomes on the unit scale."""
    return fit_beta(tables, y, 0.0)


def fitted(tables: Sequence[IssueTable], y: FloatArray, groups: Sequence[str], seed: int = 0):
    """A ``predict(table)`` with b fitted on these training issues (groups, seed unused: the
    model has no tuning of its own)."""
    beta, _ = fit(tables, y)
    return lambda t: predict_with(t, beta)


def predict_nearest(t: IssueTable) -> Prediction:
    """The option nearest the compromise (the b → ∞ limit)."""
    if t.n_dims > 1:
        parts = [predict_nearest(t.dimension(k)) for k in range(t.n_dims)]
        return Prediction(model="nearest_option", issue=t.issue,
                          outcome=np.concatenate([p.outcome for p in parts]),
                          dimensions=t.dimensions)
    o = options(t)
    best = o.points[int(np.argmax(o.features[:, FEATURES.index("distance")]))]
    return Prediction(model="nearest_option", issue=t.issue,
                      outcome=t.from_unit(np.array([best])), dimensions=t.dimensions)
