"""`issue.X` conditions read the outcome of the model the scenario names, per parameter draw."""

from __future__ import annotations

import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import parse_scenario

SCENARIO = """
meta: {{id: t, title: t, as_of: 2025-01-01, horizon: 3, issue_model: {model}}}
actors:
  - {{id: a, name: A, capability: {{value: 10, assumption: x}}}}
  - {{id: b, name: B, capability: {{value: 20, assumption: x}}}}
issues:
  - id: border
    name: Border
    positions:
      a: {{position: {{value: 20, assumption: x}}, salience: {{value: 0.5, assumption: x}}}}
      b: {{position: {{value: {b_pos}, assumption: x}}, salience: {{value: 0.5, assumption: x}}}}
events:
  - {{id: settles, name: S, when: "issue.border >= 70", hazard: {{value: 1, assumption: x}}}}
"""


@pytest.mark.parametrize(
    ("model", "b_pos", "expected"),
    [
        ("compromise", 80, 0.0),  # (5·20 + 10·80) / 15 = 60 < 70
        ("weighted_median", 80, 1.0),  # b holds 10 of 15: the median is 80
        ("compromise", 95, 1.0),  # (5·20 + 10·95) / 15 = 70
    ],
)
def test_issue_condition_follows_the_named_model(model: str, b_pos: int, expected: float) -> None:
    s = parse_scenario(SCENARIO.format(model=model, b_pos=b_pos), "t.yaml", strict=True).scenario
    r = run_scenario(s, RunSettings(paths=200, seed=1), with_issues=False)
    assert r.forecast.events["settles"].probability[1] == expected
