"""SMP speed and memory vs KTAB's published times. Run: python benchmarks/smp.py"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from accord.bargaining import smp
from accord.bargaining.io import read_ktab

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.shared_paths import SHARED  # noqa: E402

DATA = SHARED / "data" / "ktab"
KTAB_SECONDS = {"dummyData_3Dim": 0.15, "SOE-Pol-Comp": 1.2, "27x6": 5.6, "40x1": 14.9,
                "80x1": 600.0}


def random_ktab(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KTAB-like random actors (as SMPActor::randomize): cap U(10, 200), total salience
    U(0.75, 0.99) split over dimensions, positions U(0, 1) rounded to 0.01."""
    rng = np.random.default_rng(seed)
    cap = rng.uniform(10, 200, n)
    raw = rng.uniform(0.1, 1.0, (n, d))
    sal = raw / raw.sum(axis=1, keepdims=True) * rng.uniform(0.75, 0.99, (n, 1))
    pos = np.round(rng.uniform(0, 1, (n, d)), 2)
    return pos, sal, cap


def timed(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> tuple[float, int, float]:
    """Best wall time of a full run over up to 5 repeats (a shared machine's noise only ever
    adds time); peak NumPy memory (tracemalloc) over a 2-turn run, since tracemalloc slows
    allocation and memory per turn does not grow."""
    times = []
    for _ in range(5 if len(pos) <= 40 else 3 if len(pos) <= 80 else 1):
        t0 = time.perf_counter()
        states, _ = smp.run(pos, sal, cap)
        times.append(time.perf_counter() - t0)
    dt = min(times)
    tracemalloc.start()
    smp.run(pos, sal, cap, max_turns=2)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return dt, len(states) - 1, peak / 2**20


def main() -> None:
    print(f"{'case':<16}{'turns':>6}{'seconds':>10}{'KTAB s':>9}{'speed-up':>10}{'peak MiB':>10}")
    cases: list[tuple[str, tuple[np.ndarray, np.ndarray, np.ndarray]]] = []
    for name in ("dummyData_3Dim", "SOE-Pol-Comp"):
        t = read_ktab(DATA / f"{name}.csv")
        cases.append((name, (t.unit_positions(), t.salience, t.capability)))
    cases += [("27x6", random_ktab(27, 6, 1)), ("40x1", random_ktab(40, 1, 2)),
              ("80x1", random_ktab(80, 1, 3)), ("160x1", random_ktab(160, 1, 4)),
              ("160x3", random_ktab(160, 3, 5))]
    for name, args in cases:
        dt, turns, peak = timed(*args)
        ref = KTAB_SECONDS.get(name)
        ratio = f"{ref / dt:9.0f}x" if ref else f"{'':>10}"
        print(f"{name:<16}{turns:>6}{dt:>10.3f}{(ref or float('nan')):>9.2f}{ratio}{peak:>10.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB (tracemalloc peaks above are NumPy allocations)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
