"""Benchmark of a Dask sweep: 200 sampled variants of the built-in scenario, 1 worker vs 2.

`run_sweep(scenario, RunSettings(paths, seed), SweepSettings(sample_design(scenario, 200, seed),
targets(scenario)), execution=Execution(cluster=...))` on a Dask LocalCluster (processes, one
thread per worker) with 1 worker, then with 2. Each cluster is started before the clock
starts; each is timed cold (the first sweep,
which pays the workers' imports) and warm (best of the next R sweeps). Prints the times and the
speed-up (target on a 2-core machine: at least 1.7× warm), and checks that both tables are
identical. CPU seconds of other processes on the machine show in `load`.

    python benchmarks/sweep.py [--variants 200] [--paths 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time

from accord.analysis.recipe import Execution, RunSettings
from accord.analysis.sweep import SweepSettings, run_sweep, sample_design
from accord.analysis.variants import targets
from accord.scenario.loader import load_scenario


def timed_sweeps(sc, design, goals, paths: int, workers: int, repeat: int):  # noqa: ANN001, ANN201
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        addr = cluster.scheduler_address
        t0 = time.perf_counter()
        rows = run_sweep(sc, RunSettings(paths=paths, seed=1), SweepSettings(design, goals),
                         execution=Execution(cluster=addr))
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            again = run_sweep(sc, RunSettings(paths=paths, seed=1), SweepSettings(design, goals),
                         execution=Execution(cluster=addr))
            warm.append(time.perf_counter() - t0)
            assert again == rows
    return rows, cold, min(warm)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=200)
    ap.add_argument("--paths", type=int, default=20000)  # a default `accord run` per variant
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    sc = load_scenario().scenario
    design = sample_design(sc, args.variants, 1)
    goals = targets(sc)
    t0 = time.perf_counter()
    serial = run_sweep(sc, RunSettings(paths=args.paths, seed=1), SweepSettings(design, goals))
    serial_t = time.perf_counter() - t0
    rows1, cold1, warm1 = timed_sweeps(sc, design, goals, args.paths, 1, args.repeat)
    rows2, cold2, warm2 = timed_sweeps(sc, design, goals, args.paths, 2, args.repeat)
    assert rows1 == rows2 == serial, "the tables differ"
    print(f"sweep         {args.variants} variants × {args.paths:,} paths, "
          f"{len(design.names)} parameters, {len(goals)} questions")
    print(f"in-process    {serial_t:.2f} s (no Dask)")
    print(f"1 worker      {warm1:.2f} s warm, {cold1:.2f} s cold")
    print(f"2 workers     {warm2:.2f} s warm, {cold2:.2f} s cold")
    print(f"speed-up      {warm1 / warm2:.2f}× warm, {cold1 / cold2:.2f}× cold  (target ≥ 1.7×)")
    print(f"load          {os.getloadavg()[0]:.1f} (1-min load average on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
