"""The exact solver's limits: a scenario whose transitions would take minutes and gigabytes is
refused at once, before the block that would overflow is expanded; one under the limits solves."""

from __future__ import annotations

import pytest

from accord.process.exact import MAX_TRANSITIONS, StateSpaceTooLarge, solve
from tests.test_process_exact_vs_mc import make


def _independent(n: int) -> list[dict]:
    """n chance events that may all fire in any month: 2^n outcomes from every state."""
    return [{"id": f"e{i}", "hazard": 0.05} for i in range(n)]


def test_too_many_transitions_are_refused_before_they_are_built() -> None:
    """15 events that may each fire: 32,768 states after a month, each with 32,768 outcomes
    (a billion transitions); the solver counts them before expanding the block and says so."""
    sc = make(_independent(15), horizon=24)
    with pytest.raises(StateSpaceTooLarge, match="transitions by step 2 exceed"):
        solve(sc)


def test_a_scenario_under_the_limit_solves_to_the_closed_form() -> None:
    """Ten independent events: 1024 outcomes a state, well under the limit; each P(by t) is
    1 - (1 - h)^t."""
    sc = make(_independent(10), horizon=6)
    r = solve(sc)
    assert r.nnz < MAX_TRANSITIONS
    for i in range(10):
        assert r.probability[i, 6] == pytest.approx(1 - 0.95 ** 6, abs=1e-12)
