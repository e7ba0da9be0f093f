"""Compromise model (Achen 2006, "Institutional realism and bargaining models", in Thomson et al.,
*The European Union Decides*): the capability × salience weighted mean of positions,

    x̂ = Σ_i c_i s_i x_i / Σ_i c_i s_i          (per dimension, on the unit scale).

Choice: if every weight c_i s_i is zero the unweighted mean is returned, with a note.
"""

from __future__ import annotations

import numpy as np

from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable


def weighted_mean(x: FloatArray, w: FloatArray) -> tuple[FloatArray, bool]:
    """Column-wise Σ w x / Σ w for x, w of shape (n, d); falls back to the plain mean where
    Σ w = 0 (second value True if it did)."""
    tot = w.sum(axis=0)
    zero = tot <= 0
    safe = np.where(zero, 1.0, tot)
    out = np.where(zero, x.mean(axis=0), (w * x).sum(axis=0) / safe)
    return out, bool(zero.any())


def batch(position: FloatArray, salience: FloatArray, capability: FloatArray) -> FloatArray:
    """x̂ of many one-dimensional tables at once: rows are tables, columns actors (positions
    in the issue's own units; the weighted mean needs no rescaling)."""
    return weighted_mean(position.T, (capability * salience).T)[0]


def compromise_unit(table: IssueTable) -> FloatArray:
    """The compromise x̂ per dimension on the unit scale (what exchange and options start from)."""
    return weighted_mean(table.unit_positions(), table.weights())[0]


def predict(table: IssueTable) -> Prediction:
    x = table.unit_positions()
    xhat, zero = weighted_mean(x, table.weights())
    notes = ["compromise: all weights zero, used the unweighted mean"] if zero else []
    return Prediction(
        model="compromise", issue=table.issue, outcome=table.from_unit(xhat),
        dimensions=table.dimensions, notes=notes,
    )
