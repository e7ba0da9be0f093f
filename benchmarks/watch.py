"""Benchmark of `accord watch` against `accord run` at the same paths, as a ratio (target ≤ 1.5).

Both on the built-in scenario, same seed, paths and draws; best of --repeat. In this process:
the run's forecast (`run_scenario`, issues included, as `accord run` solves them) against
`watch` (the same paths simulated once, reduced to every question's watch list). As whole
processes: `accord run --no-report` against `accord watch`, start-up included.

    python benchmarks/watch.py [--paths N] [--repeat R]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from accord.analysis.run import RunSettings, run_scenario
from accord.analysis.watch import WatchSettings, watch
from accord.scenario.loader import load_scenario


def best(fn, repeat: int) -> float:  # noqa: ANN001
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario().scenario
    settings = RunSettings(paths=args.paths, seed=1)
    t_run = best(lambda: run_scenario(sc, settings), args.repeat)
    t_watch = best(lambda: watch(sc, settings, WatchSettings()), args.repeat)
    print(f"{args.paths:,} paths, built-in scenario ({len(sc.questions)} questions, "
          f"{len(sc.events)} events)")
    print(f"in process:    run {t_run:.3f} s, watch {t_watch:.3f} s, "
          f"ratio {t_watch / t_run:.2f} (target ≤ 1.5)")
    cli = [sys.executable, "-c", "from accord.cli import main; main()"]
    common = ["--paths", str(args.paths), "--seed", "1"]
    p_run = best(lambda: subprocess.run([*cli, "run", *common, "--no-report", "--json"],
                                        capture_output=True, check=True), args.repeat)
    p_watch = best(lambda: subprocess.run([*cli, "watch", *common, "--json"],
                                          capture_output=True, check=True), args.repeat)
    print(f"whole process: accord run {p_run:.3f} s, accord watch {p_watch:.3f} s, "
          f"ratio {p_watch / p_run:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
