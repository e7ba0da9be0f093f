"""Nash bargaining solution (Nash 1950; as applied to EU decisions by Achen 2006 and
Schneider et al. 2010) with the status quo as disagreement point.

    u_i(x) = −s_i (x − x_i)²,   maximise  N(x) = Σ_i c_i log(u_i(x) − u_i(SQ))

over the x where every term is positive. u_i(x) − u_i(SQ) = s_i[(SQ − x_i)² − (x − x_i)²] > 0
iff |x − x_i| < |SQ − x_i|, so the feasible set is the interval intersection
(max_i(x_i − r_i), min_i(x_i + r_i)), r_i = |SQ − x_i|. N is strictly concave there and
N'(x) = Σ_i −2 c_i (x − x_i) / (r_i² − (x − x_i)²) falls from +∞ to −∞ across it, so the
stationarity equation N'(x) = 0 has one root, found by Newton's method kept inside a shrinking
bracket (N'' < 0 is known in closed form; no scipy.optimize, whose import alone costs a default
`accord run` more than all its Nash solutions).

Choices:
- s_i only shifts log terms by a constant, so the solution depends on c_i alone; actors with
  c_i s_i = 0 are left out (their term is log 0 or carries no weight).
- no status quo, a feasible set that is empty (e.g. an actor sitting at the status quo: no x
  makes it better off) → fall back to the compromise model with a note saying why.
- works per dimension on the unit scale (so rescaling the issue scale changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable

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
    return _decreasing_root(dn, lambda z: _ddn(z, x, c, r), a, b)


def _ddn(z: float, x: FloatArray, c: FloatArray, r: FloatArray) -> float:
    """N''(z) = Σ −2 c_i (r_i² + d_i²) / (r_i² − d_i²)², d_i = z − x_i: negative inside."""
    d2 = (z - x) ** 2
    return float(np.sum(-2.0 * c * (r**2 + d2) / (r**2 - d2) ** 2))


def _decreasing_root(f: Callable[[float], float], df: Callable[[float], float], a: float,
                     b: float) -> float:
    """The root of f, decreasing on [a, b] with f(a) > 0 > f(b): Newton's steps, halving the
    bracket instead wherever a step would leave it; to within 1e-15 (brentq's was 1e-14)."""
    z = (a + b) / 2
    for _ in range(200):
        fz = f(z)
        if fz == 0:
            return z
        a, b = (z, b) if fz > 0 else (a, z)
        slope = df(z)
        new = z - fz / slope if slope < 0 else (a + b) / 2
        if not a < new < b:
            new = (a + b) / 2
        if abs(new - z) <= 1e-15 + 4e-16 * abs(z) or b - a <= 1e-15:
            return new
        z = new
    return z


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
