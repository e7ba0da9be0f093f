"""Benchmark of Sobol sensitivity on the built-in scenario: N = 512, 2,000 paths per variant.

Runs `sensitivity(scenario, RunSettings(paths=2000, seed=1), SensitivitySettings(targets(scenario,
"treaty_2026"), "sobol", n=512), execution=Execution(workers=2))`: SALib's Saltelli design
without second order, N·(D + 2) variants for the
scenario's D uncertain event parameters (18 in the built-in scenario), each simulated on common
random numbers by `simulate_variants`. Prints the wall time, the variants and variants/s, and
the ratio to the per-variant loop it replaced (one `simulate` call per variant, as
`evaluate` did before), timed in this same process on a small subset. Target on a 2-core
machine: under 2 minutes.

    python benchmarks/sensitivity.py [--n 512] [--paths 2000] [--workers 2] [--baseline 40]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from accord.analysis.issues import outcomes_per_draw
from accord.analysis.recipe import Execution, RunSettings
from accord.analysis.sensitivity import SensitivitySettings, sensitivity
from accord.analysis.variants import evaluate, targets, uncertain_parameters
from accord.process.montecarlo import simulate
from accord.scenario.draws import central_draws
from accord.scenario.loader import load_scenario


def loop_evaluate(scenario, values, paths, seed, goals) -> np.ndarray:  # noqa: ANN001
    """The per-variant loop: one `simulate` call per variant."""
    n_var = len(next(iter(values.values())))
    base = central_draws(scenario)
    rows = [ev.id for ev in scenario.events]
    out = np.empty((n_var, len(goals)))
    for v in range(n_var):
        draws = {**base, **{p: np.array([float(x[v])]) for p, x in values.items()}}
        sim = simulate(scenario, draws, paths, seed,
                       issue_outcomes=outcomes_per_draw(scenario, draws))
        for j, g in enumerate(goals):
            first = sim.first_step[:, rows.index(g.event)]
            out[v, j] = np.count_nonzero((first > 0) & (first <= g.step)) / paths
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline", type=int, default=40, help="variants timed in the loop")
    args = ap.parse_args()

    sc = load_scenario().scenario
    goals = targets(sc, "treaty_2026")
    unc = uncertain_parameters(sc)
    d = len(unc)

    # the loop baseline and the batch, serially, on the same small subset of variants
    rng = np.random.default_rng(0)
    values = {path: p.ppf(rng.random(args.baseline)) for path, p in unc.values()}
    loop_evaluate(sc, {k: v[:2] for k, v in values.items()}, args.paths, 1, goals)  # warm-up
    t0 = time.perf_counter()
    y_loop = loop_evaluate(sc, values, args.paths, 1, goals)
    loop_t = (time.perf_counter() - t0) / args.baseline
    t0 = time.perf_counter()
    y_batch = evaluate(sc, values, args.paths, 1, goals)
    batch_t = (time.perf_counter() - t0) / args.baseline
    assert np.array_equal(y_loop, y_batch), "batch and loop disagree"

    t0 = time.perf_counter()
    res = sensitivity(sc, RunSettings(paths=args.paths, seed=1),
                      SensitivitySettings(goals, "sobol", args.n),
                      execution=Execution(workers=args.workers))
    wall = time.perf_counter() - t0
    v = res.samples
    top = res.rows[goals[0].id][0]
    print(f"scenario      built-in: {len(sc.events)} events, {sc.meta.horizon} months, "
          f"D = {d} uncertain parameters")
    print(f"variants      {v:,} (N = {args.n} × (D + 2)), {args.paths:,} paths each, "
          f"{args.workers} workers")
    print(f"sobol         {wall:.1f} s wall  ({v / wall:.0f} variants/s; target < 120 s)")
    print(f"loop          {loop_t * 1e3:.1f} ms/variant serially ({args.baseline} variants) "
          f"→ {v * loop_t:.0f} s for all on one core")
    print(f"batch         {batch_t * 1e3:.1f} ms/variant serially, same subset: "
          f"{loop_t / batch_t:.1f}× the loop; bit-identical results")
    print(f"vs loop       {v * loop_t / wall:.1f}× faster than the serial loop")
    print(f"top ST        {top.parameter}: ST = {top.values['ST']:.3f} ± "
          f"{top.values['ST_conf']:.3f}, mean P = {res.base[goals[0].id]:.3f}")


if __name__ == "__main__":
    main()
