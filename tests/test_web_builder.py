"""Building a scenario item by item (accord.web.builder): checked against hand-written YAML,
accord's own loader and engine, and the text diff of the file it edits."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import UserError
from accord.scenario import conditions
from accord.scenario.ids import readable_id
from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, parse_scenario
from accord.web import builder as b
from accord.web import items

NAME = "built.yaml"

HAND_WRITTEN = """\
meta: {id: two-sides, title: Two sides, as_of: 2026-01-01, horizon: 24}
actors:
  - {id: north, name: North, capability: {value: 60, assumption: bigger}}
  - {id: south, name: South, capability: {low: 30, high: 50, assumption: smaller}}
events:
  - {id: talks_resume, name: Talks resume, hazard: {value: 0.1, assumption: guess}}
  - {id: election, name: Election, scheduled: 2026-06-01}
  - id: deal_signed
    name: Deal signed
    when: talks_resume and not election
    chance: {value: 0.5, assumption: guess}
questions:
  - id: deal_q
    text: Will a deal be signed within a year?
    event: deal_signed
    by: 2027-01-01
"""


def parse(text: str):
    return parse_scenario(text, NAME)


def step(text: str, change) -> str:
    r = b.apply(text, NAME, change, parse)
    assert r.refused == [], r.refused
    assert r.text is not None
    return r.text


def build() -> str:
    text = items.blank_text("Two sides", "2026-01-01", 24)
    requires = items.condition(["talks_resume"], none_of=["election"])
    for change in [
        lambda t: b.add_item(t, "actors", items.actor_item("North", "60", "bigger")),
        lambda t: b.add_item(t, "actors", items.actor_item("South", "U(30, 50)", "smaller")),
        lambda t: b.add_item(t, "events", items.event_item("Talks resume", "monthly chance", "0.1",
                                                       assumption="guess")),
        lambda t: b.add_item(t, "events", items.event_item("Election", "on a date",
                                                       date="2026-06-01")),
        lambda t: b.add_item(t, "events", items.event_item("Deal signed", "one-time chance", "0.5",
                                                       requires=requires, assumption="guess")),
        lambda t: b.add_item(t, "questions", items.question_item(
            "deal_signed", "2027-01-01", "Will a deal be signed within a year?", id="deal_q")),
    ]:
        text = step(text, change)
    return text


def forecast(path: Path, tmp: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from accord.cli import main; main(sys.argv[1:])",
         "forecast", str(path), "--event", "deal_signed",
         "--by", "2027-01-01", "--paths", "4000", "--json", "--db", f"sqlite:///{tmp / 'r.db'}"],
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_scenario_built_from_nothing_is_the_hand_written_one(tmp_path: Path) -> None:
    text = build()
    assert parse(text).scenario == parse(HAND_WRITTEN).scenario
    (tmp_path / "built.yaml").write_text(text)
    (tmp_path / "hand.yaml").write_text(HAND_WRITTEN)
    a, h = forecast(tmp_path / "built.yaml", tmp_path), forecast(tmp_path / "hand.yaml", tmp_path)
    assert a["probability"] == h["probability"] and 0 < a["probability"] < 1


def test_the_blank_start_needs_an_actor_and_nothing_else() -> None:
    problems, _ = b.check(items.blank_text("A", "2026-03-04"), parse)
    assert [p.field for p in problems] == ["actors"]


def test_renaming_an_event_renames_every_reference() -> None:
    text = step(build(), lambda t: b.update_item(t, "events", "talks_resume", {"id": "talks"}))
    s = parse(text).scenario
    assert s.event("deal_signed").when == "talks and not election"
    assert "talks_resume" not in text
    assert s.questions[0].event == "deal_signed"
    text = step(text, lambda t: b.rename(t, "events", "deal_signed", "deal"))
    assert parse(text).scenario.questions[0].event == "deal"


def test_renaming_an_actor_keeps_its_positions_in_place() -> None:
    text = builtin_text(DEFAULT_SCENARIO)
    before = parse(text).scenario
    old = before.actors[0].id
    text = step(text, lambda t: b.rename(t, "actors", old, "renamed_actor"))
    after = parse(text).scenario
    for i0, i1 in zip(before.issues, after.issues, strict=True):
        assert list(i1.positions) == ["renamed_actor" if k == old else k for k in i0.positions]


def test_deleting_a_referenced_event_lists_the_references() -> None:
    text = build()
    with pytest.raises(b.Referenced) as err:
        b.apply(text, NAME, lambda t: b.delete_item(t, "events", "talks_resume"), parse)
    assert sorted(p.field for p in err.value.problems) == ["events[2].when"]
    with pytest.raises(b.Referenced) as err:
        b.apply(text, NAME, lambda t: b.delete_item(t, "events", "deal_signed"), parse)
    assert [p.field for p in err.value.problems] == ["questions[0].event"]
    forced = b.apply(text, NAME, lambda t: b.delete_item(t, "events", "deal_signed", True), parse)
    assert forced.text is None and any("questions[0].event" in p for p in forced.refused)


@pytest.mark.parametrize(("item", "field"), [
    (lambda: items.event_item("Talks resume", "monthly chance", "0.2", assumption="x",
                          id="talks_resume"), "events[3].id"),
    (lambda: items.event_item("X", "monthly chance", "1.5", assumption="x"), "events[3].hazard"),
    (lambda: items.event_item("X", "on a date", date="2026-13-01"), "events[3].scheduled"),
    (lambda: items.event_item("X", "monthly chance", "0.1", "nothing_here", assumption="x"),
     "events[3].when"),
    (lambda: items.event_item("X", "monthly chance", "0.1", assumption=""), "events[3].hazard"),
])
def test_bad_input_is_refused_at_its_field(item, field) -> None:
    text = build()
    try:
        r = b.apply(text, NAME, lambda t: b.add_item(t, "events", item()), parse)
    except UserError as exc:
        assert [p.field for p in exc.problems] == [field]
        return
    assert r.text is None
    assert any(f": {field}" in p for p in r.refused), r.refused


def test_a_cycle_of_preconditions_is_refused() -> None:
    text = build()
    r = b.apply(text, NAME, lambda t: b.update_item(
        t, "events", "talks_resume", {"when": "deal_signed"}), parse)
    assert r.text is None and r.refused


def test_one_number_changed_is_a_one_line_diff() -> None:
    text = builtin_text(DEFAULT_SCENARIO)
    s = parse(text).scenario
    ev = s.event("us_russia_deal")
    assert (ev.hazard.low, ev.hazard.high) == (0.01, 0.05)
    new = step(text, lambda t: b.update_item(t, "events", ev.id, {"hazard": "U(0.01, 0.06)"}))
    diff = [d for d in difflib.unified_diff(text.splitlines(), new.splitlines(), lineterm="", n=0)
            if d[:1] in "+-" and not d.startswith(("+++", "---"))]
    assert len(diff) == 2 and diff[0].startswith("-") and diff[1].startswith("+"), diff
    after = parse(new).scenario.event(ev.id).hazard
    assert (after.high, after.evidence, after.assumption) == (0.06, ev.hazard.evidence,
                                                            ev.hazard.assumption)


EVENTS = st.lists(st.sampled_from(["a", "b", "c", "d_1"]), max_size=3, unique=True)


@given(EVENTS, EVENTS, EVENTS)
def test_the_condition_builder_writes_the_grammar(all_of, any_of, none_of) -> None:
    text = items.condition(all_of, any_of, none_of)
    expr = conditions.parse(text)
    for seen in ([], ["a"], ["a", "b"], ["a", "b", "c", "d_1"], ["c"]):
        want = (all(e in seen for e in all_of) and (not any_of or any(e in seen for e in any_of))
                and not any(e in seen for e in none_of))
        assert holds(expr, set(seen)) == want


def holds(expr, seen: set[str]) -> bool:
    match expr:
        case conditions.Const(v):
            return v
        case conditions.Occurred(e):
            return e in seen
        case conditions.Not(i):
            return not holds(i, seen)
        case conditions.And(items):
            return all(holds(i, seen) for i in items)
        case conditions.Or(items):
            return any(holds(i, seen) for i in items)
    raise AssertionError(expr)


@given(st.text(max_size=30))
def test_make_id_always_makes_a_valid_id(name: str) -> None:
    i = readable_id(name, {"item"})
    assert len(i) <= 40
    assert conditions.parse(i) == conditions.Occurred(i)
