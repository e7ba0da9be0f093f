"""What the negotiation inside the event process costs, as ratios measured here and now
(target of issue 28: a run of the built-in scenario at most 1.3× its cost without it).

A Monte Carlo run of the built-in scenario, whose events move the bargaining table and whose
conditions read it (`issue.X`, `accepts`, `gap`, `threshold`), against the same run with every
table effect removed (each path then keeps its as_of table: one solve per draw and issue, as
before events could change the table): the median of N paired in-process runs, alternated.
Also printed: the distinct tables solved (the cache's misses) against the paths × months that
read them.

Run: python benchmarks/table_effects.py [--repeats N] [--paths P]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paired import paired_runs  # noqa: E402


def scenarios():  # -> (Scenario, Scenario): (without table effects, as shipped)
    from accord.scenario.loader import load_scenario

    shipped = load_scenario("south-caucasus-2025").scenario
    events = [e.model_copy(update={"effects": e.effects.model_copy(update={
        "positions": {}, "saliences": {}, "capabilities": {}, "status_quo": {}})})
        for e in shipped.events]
    return shipped.model_copy(update={"events": events}), shipped


def cache_stats() -> None:
    import numpy as np

    from accord.process.settlements import Settlements
    from accord.scenario.draws import sample_draws

    _, shipped = scenarios()
    settle = Settlements(shipped, sample_draws(shipped, 200, 1))
    rows = np.arange(200)
    for mask in range(1 << len(settle.effect_rows)):  # every table of every draw
        settle.columns(rows, np.full(200, mask, np.int64))
    print(f"tables: {len(settle.effect_rows)} events change the table; every (draw, table) "
          f"of 200 draws solved once: {settle.solved:,} solves for the issues conditions read")


def runs(repeats: int, paths: int) -> None:
    static, shipped = scenarios()
    got = paired_runs(static, shipped, paths, repeats)
    print(got.report(paths, "tables fixed at as_of", "events move the table", "≤ 1.3×"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--paths", type=int, default=20_000)
    args = ap.parse_args()
    cache_stats()
    runs(args.repeats, args.paths)


if __name__ == "__main__":
    main()
