"""Benchmark of conditioning on observations: the conditioned run against an unconditioned one
at the same number of surviving (effective) paths, as a ratio.

The built-in scenario with the invented observations of examples/observed-hypothetical.yaml.
A conditioned run of M × K paths is worth ESS = (Σw)² / Σw² unweighted paths; its cost per
effective path is compared with an unconditioned run's cost per path (same scenario, seed,
draws per path), both timed in this process, best of --repeat:

    ratio = (t_conditioned / ESS) / (t_unconditioned / N)

    python benchmarks/conditioning.py [--paths N] [--draws M] [--repeat R]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from accord.analysis.issues import outcomes_per_draw
from accord.process.condition import conditioned_summary
from accord.process.montecarlo import simulate_summary
from accord.scenario.draws import sample_draws
from accord.scenario.loader import load_scenario
from accord.scenario.observations import load_observations

OBS = Path(__file__).resolve().parents[1] / "examples" / "observed-hypothetical.yaml"


def best(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    out, t = None, float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - t0)
    return t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario().scenario
    om = load_observations(OBS).months(sc)
    m, k = args.draws, args.paths // args.draws
    draws = sample_draws(sc, m, 1)
    issues = outcomes_per_draw(sc, draws)
    t_u, _ = best(lambda: simulate_summary(sc, draws, k, 1, issue_outcomes=issues), args.repeat)
    t_c, summ = best(lambda: conditioned_summary(sc, draws, k, 1, om, issue_outcomes=issues),
                     args.repeat)
    n = m * k
    ess = summ.ess  # type: ignore[attr-defined]
    ratio = (t_c / ess) / (t_u / n)
    print(f"{n:,} paths ({m} draws × {k}), {om.months} months observed")
    print(f"unconditioned: {t_u:.3f} s")
    print(f"conditioned:   {t_c:.3f} s  (same paths, {t_c / t_u:.2f}× the time)")
    print(f"effective sample size {ess:,.0f} of {n:,} ({100 * ess / n:.0f}%); parameter draws "
          f"{summ.draw_ess:,.0f} of {m}")  # type: ignore[attr-defined]
    print(f"ratio at equal surviving paths: {ratio:.2f}×")


if __name__ == "__main__":
    main()
