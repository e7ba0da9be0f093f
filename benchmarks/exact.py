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
    import scipy.sparse  # noqa: F401 - imported once, outside the timings

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

    # the propagation alone, sparse vs a Python loop over the same non-zeros
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
    m = stacked(step)
    x0 = np.zeros(m.shape[0])
    x0[0] = 1.0
    t0 = time.perf_counter()
    x = x0
    for _ in range(r.horizon):
        x = step @ x
    sparse_t = time.perf_counter() - t0
    rows, cols, vals = m.row.tolist(), m.col.tolist(), m.data.tolist()
    t0 = time.perf_counter()
    y = x0.tolist()
    for _ in range(r.horizon):
        nxt = [0.0] * len(y)
        for i, j, v in zip(rows, cols, vals, strict=True):
            nxt[i] += v * y[j]
        y = nxt
    loop_t = time.perf_counter() - t0
    assert np.allclose(x, y, atol=1e-12)
    print(f"propagation of {r.horizon} months: sparse mat-vecs (T per block, C) "
          f"{sparse_t * 1e3:.1f} ms, "
          f"Python loop {loop_t * 1e3:.0f} ms ({loop_t / sparse_t:.0f}x)")


def stacked(step):  # noqa: ANN001, ANN201
    """The Step's non-zeros as one COO matrix over the stacked vector: T in every block, C."""
    from scipy import sparse

    t, c, w, n = step.t.tocoo(), step.c.tocoo(), step.width, step.t.shape[0]
    rows = [j * n + t.row for j in range(w)] + [c.row]
    cols = [j * n + t.col for j in range(w)] + [c.col]
    vals = [t.data] * w + [c.data]
    return sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=c.shape)


if __name__ == "__main__":
    main()
