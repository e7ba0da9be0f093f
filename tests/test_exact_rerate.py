"""Months whose rates change monthly (a decaying event, a reference class's hazard) are each a
regime of their own; the exact solver re-rates the transitions its date class enumerated
before (accord.process.exact_rerate) instead of enumerating them again. The answer must be the
enumeration's, bit for bit: the reference is the same solve with every month enumerated afresh
(a template that never fits)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.process import exact_rerate
from accord.process.exact import ExactResult, solve
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths, load_observations

ROOT = Path(__file__).resolve().parents[1]


def both(scenario: Scenario, observed: ObservedMonths | None = None
         ) -> tuple[ExactResult, ExactResult]:
    rerated = solve(scenario, observed=observed)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(exact_rerate.Template, "fits", lambda self, live, mo: False)
        fresh = solve(scenario, observed=observed)
    return rerated, fresh


def same(a: ExactResult, b: ExactResult) -> None:
    assert np.array_equal(a.probability, b.probability)
    assert a.mean_count.keys() == b.mean_count.keys()
    for k in a.mean_count:
        assert np.array_equal(a.mean_count[k], b.mean_count[k])
    assert a.likelihood == b.likelihood


@pytest.mark.parametrize("source", ["south-caucasus-2025", str(ROOT / "examples" /
                                                                "outside-view.yaml")])
def test_rerated_months_are_the_enumerated_ones_bit_for_bit(source: str) -> None:
    s = load_scenario(source).scenario
    rerated, fresh = both(s)
    assert rerated.probability[:, -1].max() > 0  # something happens
    same(rerated, fresh)


def test_rerated_months_under_observations_are_the_enumerated_ones() -> None:
    s = load_scenario("south-caucasus-2025").scenario
    om = load_observations(ROOT / "examples" / "observed-hypothetical.yaml").months(s)
    rerated, fresh = both(s, om)
    assert 0 < rerated.likelihood < 1
    same(rerated, fresh)


def test_a_template_is_reused_across_months() -> None:
    """The built-in scenario decays monthly: its months share one date class and all but the
    first few re-rate (a count of templates, not a timing)."""
    s = load_scenario("south-caucasus-2025").scenario
    made = []
    init = exact_rerate.Template.__init__

    def counting(self: exact_rerate.Template, *args: int) -> None:
        made.append(1)
        init(self, *args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(exact_rerate.Template, "__init__", counting)
        solve(s)
    assert 1 <= len(made) < s.meta.horizon // 4
