"""A question that cannot come true by its date is said (validate, explain), not answered 0.0%
in silence; the earliest months are a lower bound that the exact solver never contradicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import load_scenario, parse_scenario
from accord.scenario.reach import earliest_steps

UNREACHABLE = """meta: {id: u, title: U, as_of: 2026-03-01, horizon: 12}
actors: [{id: a, name: A, capability: {value: 1, assumption: x}}]
events:
  - {id: meeting, name: Ministers meet, scheduled: 2026-03-18}
  - {id: deal, name: Deal at the meeting, when: meeting, chance: {value: 0.6, assumption: x}}
  - {id: later, name: Later, when: "date >= 2026-09", hazard: {value: 0.1, assumption: x}}
  - {id: chain, name: Chain, when: "deal and since(deal) >= 2", hazard: {value: 0.5, assumption: x}}
questions:
  - {id: q_deal, text: Deal by 31 March?, event: deal, by: 2026-03-31}
  - {id: q_deal_may, text: Deal by May?, event: deal, by: 2026-05-31}
  - {id: q_later, text: Later by June?, event: later, by: 2026-06-30}
  - {id: q_chain, text: Chain by April?, event: chain, by: 2026-04-30}
"""


def test_validate_warns_at_each_question_that_cannot_come_true(cli, tmp_path: Path) -> None:
    f = tmp_path / "u.yaml"
    f.write_text(UNREACHABLE)
    r = cli("validate", str(f))
    assert r.code == 0
    lines = [x for x in " ".join(r.err.split()).split("warning:") if "cannot come true" in x]
    assert len(lines) == 3
    assert f"{f}:9: questions[0].by" in r.err and "2026-04-01" in r.err
    assert "questions[2].by" in r.err and "2026-09-01" in r.err
    assert "questions[3].by" in r.err and "questions[1].by" not in r.err


def test_explain_says_why_a_question_answers_zero(cli, tmp_path: Path) -> None:
    f = tmp_path / "u.yaml"
    f.write_text(UNREACHABLE)
    text = " ".join(cli("explain", str(f), "--question", "q_deal", "--paths", "2000",
                        "--tornado-paths", "0").out.split())
    assert "P(yes by 2026-03-31) = 0.0%" in text and "why 0%: it cannot come true" in text


@pytest.mark.parametrize("text", [UNREACHABLE, None])
def test_no_event_occurs_before_its_earliest_month(text: str | None) -> None:
    """Sound: the exact solver's curve is 0 before each event's earliest step (and, here, not
    after it: the bound is tight on these scenarios)."""
    s = (parse_scenario(text, "u.yaml").scenario if text else
         load_scenario("south-caucasus-2025").scenario)
    first = earliest_steps(s)
    fc = run_scenario(s, RunSettings(exact=True)).forecast  # issue outcomes solved too
    for eid, ev in fc.events.items():
        curve = np.asarray(ev.probability)
        t = first[eid]
        if t is None:
            assert np.all(curve == 0), eid
            continue
        assert np.all(curve[:t] == 0), eid
        assert curve[t] > 0, eid
