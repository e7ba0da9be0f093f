"""EUM 100 actors × 20 rounds; `evaluate --model all` on DEU; the exchange model on the largest
DEU proposal and on COP21 (1 and 10 rounds, equal gain and one random-rate draw)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from accord.bargaining import eum, exchange
from accord.bargaining.evaluate import evaluate
from accord.bargaining.groups import by_group, load_grouped, read_decide
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
    tables, outcomes, groups = load_grouped(DEU / "dev-positions.csv", DEU / "dev-issues.csv")
    scores = evaluate(tables, outcomes, list(MODELS), groups)
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
        print(f"  {name:<16} {time.perf_counter() - t0:6.2f} s over DEU (issue by issue)")

    largest = max(by_group(tables, groups), key=lambda g: len(g) * max(t.n_actors for t in g))
    cop21 = read_decide(SHARED / "data" / "decide" / "cop21.csv")
    for label, group in ((f"DEU {groups[largest[0].issue]}", largest), ("COP21", cop21)):
        actors, x, s, c, present = exchange._matrices(group)
        shape = f"{len(actors)} actors × {len(group)} issues"
        for rounds in (1, 10):
            for rng in (None, np.random.default_rng(0)):
                t0 = time.perf_counter()
                res = exchange.run(x, s, c, present, rounds=rounds, rng=rng)
                dt = time.perf_counter() - t0
                trades = sum(len(r.trades) for r in res.rounds)
                kind = "random rate" if rng is not None else "equal gain"
                print(f"exchange {label} ({shape}), {rounds:>2} rounds, {kind:<11}: {dt:7.3f} s "
                      f"({trades} exchanges)")


if __name__ == "__main__":
    main()
