"""Exact solver on the built-in scenario: states, time, and the ratio to a plain-Python loop.

Run: python benchmarks/exact.py [--repeat R]

Prints the solver's best wall time over R runs (target < 1 s, set on the first release's
scenario, 7,632 states; the revised built-in scenario has about four times as many, and
`--first-release` times the frozen copy in tests/data), the state count, the regimes and
the non-zeros of the sparse transition matrices, and, as a baseline measured here, the time the
same 36 months take when the distribution is propagated by a Python loop over the transitions
(the inner loop of the solver this one replaced), with the ratio between the two propagations.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from accord.analysis.issues import outcomes_per_draw
from accord.process import exact, exact_moves
from accord.scenario.draws import central_draws
from accord.scenario.loader import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--first-release", action="store_true",
                    help="the first release's scenario (tests/data), the target's reference")
    args = ap.parse_args()
    frozen = Path(__file__).resolve().parents[1] / "tests" / "data" / (
        "south-caucasus-2025-first-release.yaml")
    s = load_scenario(frozen if args.first_release else "south-caucasus-2025").scenario
    c = central_draws(s)
    issues = outcomes_per_draw(s, c)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        r = exact.solve(s, c, issues)
        times.append(time.perf_counter() - t0)
    best = min(times)
    which = "first release's scenario" if args.first_release else "built-in scenario"
    print(f"{which}, horizon {r.horizon} months, {len(r.event_ids)} events")
    print(f"states: {r.n_states:,} enumerated, at most {r.max_states:,} at one step; "
          f"{r.regimes} regime(s), {r.nnz:,} non-zeros")
    print(f"exact solve: {best:.3f} s (best of {args.repeat}; target < 1 s)")
    propagation(s, c, issues, r.horizon)


def propagation(s, c, issues, horizon: int) -> None:  # noqa: ANN001
    """The propagation alone over one regime's Step: NumPy, scipy's CSR mat-vec and a Python
    loop over the same non-zeros."""
    mats: list = []
    orig = exact_moves.Regime.matrix

    def keep(self, *a):  # noqa: ANN001, ANN202
        m = orig(self, *a)
        mats.append(m)
        return m

    exact_moves.Regime.matrix = keep  # type: ignore[method-assign]
    try:
        exact.solve(s, c, issues)
    finally:
        exact_moves.Regime.matrix = orig  # type: ignore[method-assign]
    step = mats[0]
    rows_a, cols_a, vals_a = step.triplets()
    x0 = np.zeros(len(step.outdeg) * step.width)
    x0[0] = 1.0
    t0 = time.perf_counter()
    x = x0
    for _ in range(horizon):
        x = step.advance(x)[0]
    numpy_t = time.perf_counter() - t0
    scipy_setup, scipy_t, z = scipy_propagation(rows_a, cols_a, vals_a, x0, horizon)
    rows, cols, vals = rows_a.tolist(), cols_a.tolist(), vals_a.tolist()
    t0 = time.perf_counter()
    y = x0.tolist()
    for _ in range(horizon):
        nxt = [0.0] * len(y)
        for i, j, v in zip(rows, cols, vals, strict=True):
            nxt[i] += v * y[j]
        y = nxt
    loop_t = time.perf_counter() - t0
    assert np.allclose(x, y, atol=1e-12) and np.allclose(x, z, atol=1e-12)
    print(f"propagation of {horizon} months: NumPy passes (repeat + bincount) "
          f"{numpy_t * 1e3:.1f} ms, Python loop {loop_t * 1e3:.0f} ms "
          f"({loop_t / numpy_t:.0f}x); scipy CSR mat-vec {scipy_t * 1e3:.1f} ms, "
          f"its import and CSR build {scipy_setup * 1e3:.0f} ms")


def scipy_propagation(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, x0: np.ndarray,
                      months: int) -> tuple[float, float, np.ndarray]:
    """The same months by scipy's CSR mat-vec over the same non-zeros (the solver's propagation
    before it went NumPy-only): the time of its import and CSR build, of the months, and x."""
    t0 = time.perf_counter()
    from scipy import sparse

    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(x0), len(x0)))
    scipy_setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    x = x0
    for _ in range(months):
        x = m @ x
    return scipy_setup, time.perf_counter() - t0, x


if __name__ == "__main__":
    main()
