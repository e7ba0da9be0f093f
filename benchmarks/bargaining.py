"""EUM 100 actors × 20 rounds; `evaluate --model all` on DEU."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from accord.bargaining import eum
from accord.bargaining.evaluate import evaluate
from accord.bargaining.io import load_tables
from accord.bargaining.registry import MODELS
from accord.bargaining.table import IssueTable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.shared_paths import SHARED  # noqa: E402

DEU = SHARED / "data" / "deu"


def main() -> None:
    rng = np.random.default_rng(7)
    n = 100
    t = IssueTable.one_dim("bench", [f"a{i}" for i in range(n)], rng.uniform(0, 100, n),
                           rng.uniform(0.1, 1, n), rng.uniform(1, 10, n))
    t0 = time.perf_counter()
    p = eum.predict(t, max_rounds=20)
    print(f"EUM {n} actors × {p.turns} rounds (limit 20): {time.perf_counter() - t0:.3f} s "
          "(target < 1 s)")

    t0 = time.perf_counter()
    tables, outcomes = load_tables(DEU / "dev-positions.csv", DEU / "dev-issues.csv")
    scores = evaluate(tables, outcomes, list(MODELS))
    dt = time.perf_counter() - t0
    print(f"evaluate --model all on DEU dev ({len(outcomes)} issues): {dt:.2f} s (target < 30 s)")
    print(f"{'model':<36}{'MAE':>7}{'MedAE':>7}{'≤10':>7}{'n':>5}{'fallbacks':>10}")
    for s in scores:
        print(f"{s.name:<36}{s.mae:>7.2f}{s.median_ae:>7.2f}{100 * s.within_10:>6.1f}%"
              f"{s.n:>5}{s.fallbacks:>10}")
    for name in MODELS:
        t0 = time.perf_counter()
        for tab in tables:
            MODELS[name](tab)
        print(f"  {name:<16} {time.perf_counter() - t0:6.2f} s over DEU")


if __name__ == "__main__":
    main()
