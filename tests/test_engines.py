"""The engine interface: Monte Carlo and the exact solver answer the same job alike, and
`engine_for` picks by the settings alone."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.engines import ExactEngine, MonteCarloEngine, RunJob, engine_for
from accord.analysis.recipe import RunSettings
from accord.errors import UserError
from accord.scenario.loader import parse_scenario
from accord.scenario.observations import observations_from_text

A, B = 0.15, 0.2

CHAIN = f"""meta: {{id: e, title: E, as_of: 2025-01-01, horizon: 18}}
actors: [{{id: a, name: A, capability: 1}}]
events:
  - {{id: first, name: The first step, hazard: {{value: {A}, assumption: t}}}}
  - {{id: second, name: The second step, when: first, hazard: {{value: {B}, assumption: t}}}}
questions: [{{id: q, text: Second by year end?, event: second, by: 2025-12-31}}]
"""


def closed_form(t: int = 12) -> float:
    """P(second by month t): first in month s, second from month s + 1."""
    return sum(A * (1 - A) ** (s - 1) * (1 - (1 - B) ** (t - s)) for s in range(1, t + 1))


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(CHAIN, "e.yaml").scenario


def test_engine_for_picks_by_the_settings() -> None:
    assert isinstance(engine_for(RunSettings(exact=True)), ExactEngine)
    assert isinstance(engine_for(RunSettings()), MonteCarloEngine)


def test_both_engines_answer_a_run_alike_through_the_interface(scenario) -> None:
    n = 40_000
    answers = {}
    for exact in (False, True):
        settings = RunSettings(paths=n, seed=3, exact=exact)
        r = engine_for(settings).run(RunJob(scenario, settings, with_issues=False))
        answers[exact] = r.forecast.questions[0]
    truth = closed_form()
    assert answers[True].probability == pytest.approx(truth, abs=1e-12)
    assert answers[True].stderr == 0.0
    mc = answers[False]
    se = np.sqrt(truth * (1 - truth) / n)
    assert 0 < mc.stderr and abs(mc.probability - truth) < 4 * se


def test_both_engines_condition_alike(scenario) -> None:
    text = "observed:\n  - {event: first, not_by: 2025-04-01}\n"
    om = observations_from_text(text, "o.yaml").months(scenario)
    assert om.months == 3
    got = {}
    for exact in (False, True):
        settings = RunSettings(paths=40_000, seed=5, exact=exact)
        r = engine_for(settings).run(RunJob(scenario, settings, om, with_issues=False))
        got[exact] = r.forecast.questions[0]
        assert r.observed is not None and r.observed["months"] == 3
    # first had not happened by month 3: second by month 12 needs first in months 4..11
    truth = sum(A * (1 - A) ** (s - 4) * (1 - (1 - B) ** (12 - s)) for s in range(4, 13))
    assert got[True].probability == pytest.approx(truth, abs=1e-12)
    assert abs(got[False].probability - truth) < 4 * max(got[False].stderr, 1e-3)


def test_exact_limits_are_user_errors_through_the_interface(scenario, monkeypatch) -> None:
    from accord.process import exact

    real = exact.exact_forecast
    monkeypatch.setattr(exact, "exact_forecast",
                        lambda *a, **kw: real(*a, **kw, max_states=1))
    settings = RunSettings(exact=True)
    with pytest.raises(UserError, match="use Monte Carlo instead"):
        engine_for(settings).run(RunJob(scenario, settings, with_issues=False))
