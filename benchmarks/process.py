"""Benchmark of the event-process Monte Carlo: 100,000 paths × 36 months.

Prints the throughput (path-months per second), the seconds, and two ratios to the bare cost of
drawing one float64 uniform per event per path-month in this same process
(`rng.random((36, n_events, 100_000))`):
- the whole simulation's time over that bare cost;
- the marginal cost: what 100,000 paths more cost (a run of 2N paths less a run of N, so the
  fixed costs of a run, its plan and its thresholds, cancel), over that bare cost.
Targets on a 2-core machine: under 1 s, a marginal cost at most 3× the bare one. Uses the built-in
scenario when it can be loaded, else a 12-event stand-in.

    python benchmarks/process.py [--paths N] [--draws M] [--repeat R]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from accord.analysis.issues import outcomes_per_draw
from accord.process.forecast import summarise
from accord.process.montecarlo import simulate, simulate_summary
from accord.scenario.draws import sample_draws
from accord.scenario.model import Scenario

BUILTIN = "south-caucasus-2025"

STAND_IN = {
    "meta": {"id": "bench", "title": "benchmark", "as_of": "2025-09-01", "horizon": 36},
    "actors": [{"id": "arm", "name": "Armenia", "capability": 1}],
    "events": [
        {"id": "us_russia_deal", "name": "-", "hazard": {"low": 0.01, "high": 0.05}},
        {"id": "russia_refocus", "name": "-", "when": "us_russia_deal", "hazard": 0.2},
        {
            "id": "corridor_open",
            "name": "-",
            "when": "not treaty_signed or since(treaty_signed) <= 12",
            "hazard": {"low": 0.02, "high": 0.06},
        },
        {
            "id": "new_demand",
            "name": "-",
            "repeatable": {"low": 0.02, "high": 0.08},
            "when": "not treaty_signed",
            "modifiers": [{"if": "russia_refocus", "multiply": 2}],
            "effects": {"resets": ["demand_met"]},
        },
        {
            "id": "demand_met",
            "name": "-",
            "when": "new_demand and not treaty_signed",
            "hazard": 0.1,
        },
        {"id": "referendum_called", "name": "-", "when": "date >= 2026-07", "hazard": 0.08},
        {
            "id": "referendum_held",
            "name": "-",
            "when": "since(referendum_called) >= 3",
            "hazard": 0.5,
        },
        {"id": "constitution_amended", "name": "-", "when": "referendum_held", "chance": 0.6},
        {
            "id": "treaty_signed",
            "name": "-",
            "when": "constitution_amended and (not new_demand or demand_met)",
            "hazard": 0.25,
            "modifiers": [{"if": "russia_refocus", "multiply": 0.5}],
            "effects": {"cancels": ["sabotage"]},
        },
        {"id": "ratified", "name": "-", "when": "treaty_signed", "hazard": 0.3},
        {
            "id": "sabotage",
            "name": "-",
            "hazard": 0.01,
            "modifiers": [{"if": "russia_refocus", "multiply": 3}],
        },
        {
            "id": "border_incident",
            "name": "-",
            "repeatable": 0.1,
            "when": "not ratified and count(new_demand) < 3",
        },
    ],
}


def load() -> tuple[Scenario, str]:
    try:
        from accord.scenario.builtin import load_builtin  # type: ignore[import-not-found]

        return load_builtin(BUILTIN), BUILTIN
    except Exception:  # noqa: BLE001 - fall through to the loader, then the stand-in
        pass
    try:
        from accord.scenario.loader import load_scenario

        return load_scenario(BUILTIN).scenario, BUILTIN
    except Exception:  # noqa: BLE001
        return Scenario.model_validate(STAND_IN), "stand-in"


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--draws", type=int, default=100, help="parameter draws M (K = paths / M)")
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs")
    args = ap.parse_args()

    sc, name = load()
    h = 36
    sc = sc.model_copy(update={"meta": sc.meta.model_copy(update={"horizon": h})})
    m = args.draws
    k = args.paths // m
    n = m * k
    draws = sample_draws(sc, m, seed=1)
    issues = outcomes_per_draw(sc, draws)  # what `issue.X` conditions read, solved once
    e = len(sc.events)
    rng = np.random.default_rng(0)
    rng.random((h, e, n))  # warm the allocator as the simulation's first run does
    bare = best(lambda: rng.random((h, e, n)), args.repeat)
    simulate(sc, draws, k, 0, issue_outcomes=issues)  # warm-up: imports, caches
    sim_t = best(lambda: simulate(sc, draws, k, 0, issue_outcomes=issues), args.repeat)
    sim2_t = best(lambda: simulate(sc, draws, 2 * k, 0, issue_outcomes=issues), args.repeat)
    t0 = time.perf_counter()
    fc = summarise(sc, simulate(sc, draws, k, 0, issue_outcomes=issues))
    summ_t = time.perf_counter() - t0 - sim_t
    chunked_t = best(lambda: summarise(sc, simulate_summary(sc, draws, k, 0,
                                                            issue_outcomes=issues)),
                     args.repeat)

    print(f"scenario      {name}: {len(sc.events)} events, {h} months")
    print(f"paths         {n:,} ({m} draws × {k})")
    print(f"simulate      {sim_t:.3f} s  ({n * h / sim_t / 1e6:.1f} M path-months/s)")
    print(f"summarise     {max(summ_t, 0):.3f} s  (curves, bands, orders)")
    print(f"per-chunk     {chunked_t:.3f} s  (simulate_summary + summarise, as runs do: "
          f"{chunked_t / (sim_t + max(summ_t, 0)):.2f}× simulate + summarise)")
    print(f"bare uniforms {bare:.3f} s  ({e} float64 per path-month: one per event)")
    print(f"ratio         {sim_t / bare:.2f}× bare   (the whole run; target < 1 s)")
    print(f"marginal      {sim2_t - sim_t:.3f} s  ({n:,} paths more: {2 * n:,} less {n:,})")
    print(f"ratio         {(sim2_t - sim_t) / bare:.2f}× bare   (marginal; target ≤ 3×)")
    top = fc.orders[0] if fc.orders else None
    if top is not None:
        print(f"top order     {' → '.join(top.order) or '(nothing)'}: {top.share:.1%}")


if __name__ == "__main__":
    main()
