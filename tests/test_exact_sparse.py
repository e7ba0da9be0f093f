"""The exact solver (sparse transition matrices) gives the curves it gave before, to 1e-12.

tests/data/exact_reference.json holds the built-in scenario's exact curves computed by the
dict-of-states solver it replaced (see tests/data/make_reference.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from accord.analysis.issues import outcomes_per_draw
from accord.process.exact import solve
from accord.scenario.draws import central_draws
from accord.scenario.loader import load_scenario

# the first release's built-in scenario: the references were computed on it
FROZEN = Path(__file__).parent / "data" / "south-caucasus-2025-first-release.yaml"

REF = json.loads((Path(__file__).parent / "data" / "exact_reference.json").read_text())


def test_builtin_scenario_same_curves_as_before() -> None:
    s = load_scenario(FROZEN).scenario
    c = central_draws(s)
    r = solve(s, c, outcomes_per_draw(s, c))
    assert r.event_ids == REF["event_ids"]
    np.testing.assert_allclose(r.probability, np.array(REF["probability"]), rtol=0, atol=1e-12)
    assert r.mean_count.keys() == REF["mean_count"].keys()
    for k, v in REF["mean_count"].items():
        np.testing.assert_allclose(r.mean_count[k], np.array(v), rtol=0, atol=1e-12)
    assert r.max_states == REF["max_states"]


def test_months_alike_in_every_date_test_share_one_matrix() -> None:
    from tests.test_process_exact_vs_mc import make, steps

    h = 0.2
    sc = make([
        {"id": "A", "hazard": h, "when": "date >= 2025-06"},
        {"id": "S", "scheduled": "2025-09", "when": "A"},
        {"id": "B", "hazard": 0.1, "when": "A and not S"},
    ], horizon=24)
    r = solve(sc)
    assert r.regimes == 3  # before June 2025, June–August, from September: not 24 matrices
    want = 1 - (1 - h) ** np.maximum(steps(24) - 5, 0)
    np.testing.assert_allclose(r.probability[0], want, atol=1e-12)
    no_dates = solve(make([{"id": "A", "hazard": h}], horizon=24))
    assert no_dates.regimes == 1
