"""Nash bargaining solution (Nash 1950; as applied to EU decisions by Achen 2006 and
Schneider et al. 2010) with the status quo as disagreement point.

    u_i(x) = −s_i (x − x_i)²,   maximise  N(x) = Σ_i c_i log(u_i(x) − u_i(SQ))

over the x where every term is positive. u_i(x) − u_i(SQ) = s_i[(SQ − x_i)² − (x − x_i)²] > 0
iff |x − x_i| < |SQ − x_i|, so the feasible set is the interval intersection
(max_i(x_i − r_i), min_i(x_i + r_i)), r_i = |SQ − x_i|. N is strictly concave there and
N'(x) = Σ_i −2 c_i (x − x_i) / (r_i² − (x − x_i)²) falls from +∞ to −∞ across it, so the
stationarity equation N'(x) = 0 has one root, found by Brent's method.

Choices:
- s_i only shifts log terms by a constant, so the solution depends on c_i alone; actors with
  c_i s_i = 0 are left out (their term is log 0 or carries no weight).
- no status quo, a feasible set that is empty (e.g. an actor sitting at the status quo: no x
  makes it better off) → fall back to the compromise model with a note saying why.
- works per dimension on the unit scale (so rescaling the issue scale changes nothing).
"""

from __future__ import annotations

import numpy as np

from accord.bargaining import compromise
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable

EPS = 1e-12


def nash_1d(x: FloatArray, c: FloatArray, s: FloatArray, sq: float) -> float | None:
    """The Nash bargaining point on one dimension, or None if the feasible set is empty."""
    keep = c * s > 0
    x, c = x[keep], c[keep]
    if x.size == 0:
        return None
    r = np.abs(sq - x)
    lo, hi = float(np.max(x - r)), float(np.min(x + r))
    if not hi - lo > EPS:
        return None

    def dn(z: float) -> float:
        d = z - x
        return float(np.sum(-2.0 * c * d / (r**2 - d**2)))

    width = hi - lo
    a, b = lo + width * 1e-12, hi - width * 1e-12
    fa, fb = dn(a), dn(b)
    if fa <= 0:
        return a
    if fb >= 0:
        return b
    from scipy.optimize import brentq  # imported here: `accord validate` needs no scipy.optimize

    return float(brentq(dn, a, b, xtol=1e-14, rtol=1e-14, maxiter=200))


def predict(table: IssueTable) -> Prediction:
    sq = table.unit_status_quo()
    fallback = compromise.predict(table)
    if sq is None or np.all(np.isnan(sq)):
        return Prediction(
            model="nash", issue=table.issue, outcome=fallback.outcome,
            dimensions=table.dimensions,
            notes=["nash: no status quo, fell back to compromise"],
        )
    x = table.unit_positions()
    out = np.empty(table.n_dims)
    notes: list[str] = []
    for k in range(table.n_dims):
        dim = table.dimensions[k]
        if np.isnan(sq[k]):
            notes.append(f"nash: no status quo on {dim}, fell back to compromise")
            out[k] = table.to_unit(fallback.outcome)[k]
            continue
        xk = nash_1d(x[:, k], table.capability, table.salience[:, k], float(sq[k]))
        if xk is None:
            notes.append(
                f"nash: no outcome better than the status quo for every actor on {dim}, "
                "fell back to compromise"
            )
            out[k] = table.to_unit(fallback.outcome)[k]
        else:
            out[k] = xk
    return Prediction(
        model="nash", issue=table.issue, outcome=table.from_unit(out),
        dimensions=table.dimensions, notes=notes,
    )
