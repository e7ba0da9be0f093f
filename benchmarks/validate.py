"""Benchmark of validation on a hostile scenario: N events that each require all the others.

Such a file has N! simple cycles; enumerating them took minutes at N = 12. The check now finds
strongly connected components and reports one cycle each. Prints the seconds for N = 12, 50 and
200, and each as a ratio to validating the built-in scenario in the same process. Target on a
2-core machine: N = 200 under 1 s.

    python benchmarks/validate.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from accord.errors import UserError
from accord.scenario.loader import builtin_text, parse_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_validation_bounds import dense_cycle_scenario  # noqa: E402


def seconds(text: str, name: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        try:
            parse_scenario(text, name)
        except UserError:
            pass
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    base = seconds(builtin_text("south-caucasus-2025"), "south-caucasus-2025.yaml")
    print(f"built-in scenario: {base:.3f} s (baseline)")
    for n in (12, 50, 200):
        t = seconds(dense_cycle_scenario(n), f"dense-{n}.yaml")
        print(f"{n:>4} mutually requiring events: {t:.3f} s  ({t / base:.1f}x the built-in)")


if __name__ == "__main__":
    main()
