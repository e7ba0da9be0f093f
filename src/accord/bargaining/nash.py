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
    start = min(max(float(np.sum(c * x) / np.sum(c)), a), b)  # the compromise, near the root
    return _decreasing_root(_slopes(x.tolist(), c.tolist(), r.tolist()), a, b, start)


def _slopes(x: list[float], c: list[float], r: list[float]
            ) -> Callable[[float], tuple[float, float]]:
    """z -> (N'(z), N''(z)), N'' = Σ −2 c_i (r_i² + d_i²) / (r_i² − d_i²)² < 0 inside; plain
    floats: a table has a handful of actors, where NumPy's per-call cost would dominate."""
    terms = list(zip(x, c, [ri * ri for ri in r], strict=True))

    def both(z: float) -> tuple[float, float]:
        f = df = 0.0
        for xi, ci, r2 in terms:
            d = z - xi
            gap = r2 - d * d
            f -= 2.0 * ci * d / gap
            df -= 2.0 * ci * (r2 + d * d) / (gap * gap)
        return f, df

    return both


def _decreasing_root(f: Callable[[float], tuple[float, float]], a: float, b: float,
                     z: float) -> float:
    """The root of f (giving its value and slope), decreasing on [a, b] with f(a) > 0 > f(b),
    from z: Newton's steps where they at least halve the step before (else bisection; as
    Numerical Recipes' rtsafe), to within 1e-15 (brentq's was 1e-14), a tiny step accepted
    only where f changes sign within it (near a pole a tiny step is no root)."""
    step_old = step = b - a
    fz, slope = f(z)
    for _ in range(400):
        if fz == 0:
            return z
        if fz > 0:
            a = z
        else:
            b = z
        newton = slope < 0 and a < z - fz / slope < b and abs(2 * fz) <= abs(step_old * slope)
        step_old, step = step, (fz / slope if newton else z - (a + b) / 2)
        new = z - step
        tol = 1e-15 + 4e-16 * abs(new)
        if abs(step) <= tol or b - a <= tol:
            probe = new + tol if fz > 0 else new - tol
            if b - a <= tol or not a < probe < b or (f(probe)[0] > 0) != (fz > 0):
                return new
            new = (a + b) / 2  # a steep wall, not the root: bisect
        z = new
        fz, slope = f(z)
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
