"""Weighted median (Black's median voter with weights; e.g. Thomson et al. 2006, ch. 2):
sort actors by position; the forecast is the position at which the cumulative weight
w_i = c_i s_i first reaches half the total,

    x̂ = x_(k),  k = min{k : Σ_{i ≤ k} w_(i) ≥ ½ Σ_i w_i}     (per dimension).

Choices: "reaches" means ≥ (with a 1e-12 relative tolerance, so exact halves count) — this is
the convention that reproduces the DEU anchor 31.89; actors at equal positions are pooled by the
stable sort, so ties do not matter. No interpolation between the two middle actors.
"""

from __future__ import annotations

import numpy as np

from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable

REL_TOL = 1e-12


def weighted_median_1d(x: FloatArray, w: FloatArray) -> float:
    """The position where the cumulative weight (sorted by position) first reaches half."""
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    total = ws.sum()
    if total <= 0:
        return float(np.median(x))
    cum = np.cumsum(ws)
    k = int(np.argmax(cum >= 0.5 * total * (1 - REL_TOL)))
    return float(xs[k])


def predict(table: IssueTable) -> Prediction:
    x = table.unit_positions()
    w = table.weights()
    xhat = np.array([weighted_median_1d(x[:, k], w[:, k]) for k in range(table.n_dims)])
    return Prediction(
        model="weighted_median", issue=table.issue, outcome=table.from_unit(xhat),
        dimensions=table.dimensions,
    )
