"""The exact solver where a state's key takes two int64 words (accord.process.exact_outcomes
builds outcomes' keys word by word), with resets of repeatables and cancels: against Monte Carlo,
written independently."""

from __future__ import annotations

import numpy as np

from accord.process.exact import solve
from accord.process.exact_model import build_model
from accord.process.exact_table import StateTable
from accord.scenario.draws import central_draws
from tests.test_process_exact_vs_mc import PEACE, check_mc, make, mc

# fourteen counters sure to tick until the treaty (count caps of 31: 5 bits each), some resetting
# the next one and cancelling `deal`; with PEACE's events the keys need two words
COUNTERS = [
    {"id": f"x{i}", "repeatable": 1.0, "when": f"count(x{i}) < 30 and not treaty",
     **({"effects": {"resets": [f"x{i + 1}"], "cancels": ["deal"]}} if i % 3 == 0 else {})}
    for i in range(14)
]
EXTRA = [{"id": "rst", "hazard": 0.1,
          "effects": {"resets": ["new_demand", "rst"], "cancels": ["sabotage"]}}]


def test_two_word_keys_match_monte_carlo() -> None:
    sc = make(PEACE + EXTRA + COUNTERS, horizon=30)
    draws = central_draws(sc)
    assert StateTable(build_model(sc, draws, {}, None).maxima()).words == 2
    ex = solve(sc)
    fc = mc(sc, paths=20_000)
    check_mc(fc, {eid: ex.probability[i] for i, eid in enumerate(ex.event_ids)})
    for eid in ("new_demand", "x1", "x4"):
        ev = fc.events[eid]
        want = ex.mean_count[eid][-1]
        assert abs(ev.mean_count - want) <= 4 * ev.mean_count_stderr + 1e-9, eid
    assert np.all(np.diff(ex.probability, axis=1) >= -1e-15)  # "by step s" never decreases
