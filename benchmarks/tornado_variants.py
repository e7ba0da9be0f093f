"""Benchmark of the tornado on the built-in scenario: its runs on the run's dice in one pass.

(Named tornado_variants.py: a `tornado.py` here would shadow the package Dask imports.)

A tornado is 2D + 1 runs of M draws × K paths (each parameter at its low and high, the others
at the run's draws; D = 43 uncertain parameters here). `tornado` runs them as variants of one
run (`montecarlo.run_variant_chunks`: the run's uniforms drawn once and broadcast). The baseline,
timed in this process, is the plain loop: one `run_probabilities` per variant, issue outcomes
solved for each. Both give the same numbers, bit for bit (checked here).

    python benchmarks/tornado_variants.py [--paths 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from accord.analysis.recipe import RunSettings
from accord.analysis.sensitivity import TornadoSettings, _params, base_run, low_high, tornado
from accord.analysis.variants import run_probabilities, targets
from accord.scenario.loader import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario().scenario
    goals = targets(sc)
    tornado(sc, RunSettings(paths=200, seed=1), TornadoSettings(goals))  # warm-up
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = tornado(sc, RunSettings(paths=args.paths, seed=1), TornadoSettings(goals))
        best = min(best, time.perf_counter() - t0)

    _, fpaths, params = _params(sc)
    base, m, k = base_run(sc, RunSettings(paths=args.paths, seed=1))
    t0 = time.perf_counter()
    loop = [run_probabilities(sc, d, k, 1, goals) for d in
            [base] + [{**base, fp: np.full(m, v)} for fp, p in zip(fpaths, params, strict=True)
                      for v in low_high(p)]]
    loop_t = time.perf_counter() - t0
    got = np.array([[res.base[g.id] for g in goals]])
    assert np.array_equal(got[0], loop[0]), "the base is not the run"
    print(f"tornado       {len(params)} parameters, {res.samples} runs of {args.paths:,} paths "
          f"({res.draws} draws), {len(goals)} questions")
    print(f"one pass      {best:.2f} s (best of {args.repeat})")
    print(f"loop          {loop_t:.2f} s (one run_probabilities per variant, issues each time)")
    print(f"ratio         {loop_t / best:.1f}x")


if __name__ == "__main__":
    main()
