"""The scenario's records (accord.scenario.strict): dataclasses pydantic validates, without
pydantic on the path of a scenario that needs no validating."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from accord.scenario.loader import parse_scenario
from accord.scenario.model import Event, Modifier, Question, Scenario
from accord.scenario.params import Param
from accord.scenario.strict import fields_of


def _scenario(**extra: object) -> dict[str, object]:
    """Every place a parameter, a reference or a threshold is written as its shorthand."""
    return {
        "meta": {"id": "s", "title": "S", "as_of": "2025-01-01", "horizon": 24},
        "actors": [{"id": "a", "name": "A", "capability": 2},
                   {"id": "b", "name": "B", "capability": {"low": 1, "high": 3}}],
        "issues": [{"id": "x", "name": "X", "status_quo": 40,
                    "positions": {"a": {"position": 10, "salience": 0.5},
                                  "b": {"position": 90, "salience": 0.7, "tolerance": 5}}}],
        "events": [
            {"id": "talks", "name": "Talks", "hazard": 0.1,
             "modifiers": [{"if": "date >= threshold(cut)", "multiply": 2}],
             "effects": {"positions": {"a": {"x": {"shift": 5}}}, "status_quo": {"x": 50}}},
            {"id": "war", "name": "War", "chance": {"dist": "beta", "a": 2, "b": 8}},
        ],
        "questions": [{"id": "q", "text": "Talks?", "event": "talks", "by": "2026-01-01"}],
        "thresholds": {"cut": "2025-06"},
        **extra,
    }


def test_shorthands_expand_wherever_their_class_is_a_field() -> None:
    s = Scenario.model_validate(_scenario())
    point = Param(value=2.0)
    assert s.actors[0].capability == point
    assert s.actors[1].capability == Param(dist="uniform", low=1.0, high=3.0)
    stance = s.issues[0].positions["b"]
    assert (stance.position, stance.tolerance) == (Param(value=90.0), Param(value=5.0))
    ev = s.events[0]
    assert ev.hazard == Param(value=0.1) and ev.modifiers[0].multiply == Param(value=2.0)
    shift = ev.effects.positions["a"]["x"]
    assert type(shift).__name__ == "Shift" and shift.shift == Param(value=5.0)
    assert ev.effects.status_quo["x"] == Param(value=50.0)
    cut = s.thresholds["cut"]
    assert cut.date and cut.value == 2025 * 12 + 5  # month numbers: year × 12 + month − 1


def test_a_reference_written_as_its_class_id_in_both_of_its_places() -> None:
    from accord.baserate.tables import index

    curve = next(e["id"] for e in index() if e["kind"] == "curve")
    data = _scenario()
    data["events"][1] = {"id": "war", "name": "War", "reference": curve}  # type: ignore[index]
    data["questions"][0]["reference"] = curve  # type: ignore[index]
    s = Scenario.model_validate(data)
    assert s.events[1].reference.class_ == curve == s.questions[0].reference.class_
    assert s.events[1].kind == "hazard"


def test_checks_across_fields_hold_however_a_record_is_built() -> None:
    s = Scenario.model_validate(_scenario())
    with pytest.raises(ValueError, match="exactly one of hazard, chance"):
        s.events[0].model_copy(update={"chance": Param(value=0.5)})
    with pytest.raises(ValueError, match="low .* is greater than high"):
        Param(dist="uniform", low=3.0, high=1.0)
    with pytest.raises(ValidationError, match="modifiers apply to a hazard or repeatable"):
        Event.model_validate({"id": "e", "name": "E", "chance": 0.5,
                              "modifiers": [{"if": "true", "multiply": 2}]})


def test_copies_are_copies_and_pickles_round_trip() -> None:
    s = Scenario.model_validate(_scenario())
    deep = s.model_copy(deep=True)
    deep.events[0].hazard.value = 0.9  # type: ignore[union-attr]
    assert s.events[0].hazard.value == 0.1  # type: ignore[union-attr]
    shallow = s.model_copy(update={"questions": []})
    assert shallow.events is s.events and s.questions and not shallow.questions
    assert pickle.loads(pickle.dumps(s)) == s == copy.deepcopy(s)


def test_dumps_and_schema_use_the_names_as_written() -> None:
    s = Scenario.model_validate(_scenario())
    dumped = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dumped["events"][0]["modifiers"][0]["if"] == "date >= threshold(cut)"
    assert Scenario.model_validate(dumped) == s  # the dump reads back as the same scenario
    schema = Scenario.model_json_schema(by_alias=True)
    modifier = schema["$defs"]["Modifier"]
    assert set(modifier["properties"]) == {"if", "multiply"}
    assert modifier["additionalProperties"] is False
    assert "class" in schema["$defs"]["Reference"]["properties"]
    assert schema["$defs"]["Meta"]["properties"]["horizon"]["description"] == "months from as_of"
    written = {name: as_written for name, (as_written, _) in fields_of(Modifier).items()}
    assert written == {"if_": "if", "multiply": "multiply"}


def test_a_bad_value_is_located_at_its_field() -> None:
    from accord.errors import UserError

    text = "\n".join([
        "meta: {id: s, title: S, as_of: 2025-01-01, horizon: 24}",
        "actors:",
        "  - {id: a, name: A, capability: 1}",
        "events:",
        "  - id: e",
        "    name: E",
        "    hazard: 0.1",
        "    modifiers:",
        "      - {if: 'date >=', multiply: 2}",
        "      - {iff: 'true', multiply: 2}",
    ])
    with pytest.raises(UserError) as err:
        parse_scenario(text, "s.yaml")
    problems = {(p.line, p.field): p.message for p in err.value.problems}
    assert (9, "events[0].modifiers[0].if") in problems
    assert problems[(10, "events[0].modifiers[1].iff")] == \
        "unknown field 'iff' (did you mean 'if'?)"


def test_the_records_import_no_pydantic() -> None:
    code = ("import sys, accord.scenario.model, accord.scenario.loader; "
            "print(any(m.split('.')[0] in ('pydantic', 'pydantic_core') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_question_built_in_code_reads_back_from_its_dump() -> None:
    q = Question(id="q", text="T?", event="e", by=dt.date(2026, 1, 1))
    assert Question.model_validate(q.model_dump()) == q


EFFECTS = """\
meta: {id: s, title: S, as_of: 2025-01-01, horizon: 24}
actors:
  - {id: a, name: A, capability: 1}
  - {id: b, name: B, capability: 1}
issues:
  - id: x
    name: X
    positions: {a: {position: 10, salience: 0.5}, b: {position: 90, salience: 0.5}}
events:
  - id: e
    name: E
    hazard: 0.1
    effects:
      positions:
        a:
          x: {dist: uniform, low: 20}
      saliences:
        b:
          x: {shift: {value: 0.1, hihg: 2}}
      capabilities:
        a:
          x: {shift: 1, value: 2}
        b:
          x: {shift: 1, shfit: 2}
      status_quo:
        x: {valeu: 30}
"""


def test_an_effect_s_mistake_is_told_once_against_what_was_meant() -> None:
    """A set or a shift: only the arm meant is validated, and the message's field is the path
    written, without pydantic's label for the arm."""
    from accord.errors import UserError

    with pytest.raises(UserError) as err:
        parse_scenario(EFFECTS, "s.yaml")
    got = sorted((p.line, p.field, p.message) for p in err.value.problems)
    assert got == [
        (16, "events[0].effects.positions.a.x", "a uniform parameter needs high"),
        (19, "events[0].effects.saliences.b.x.shift.hihg",
         "unknown field 'hihg' (did you mean 'high'?)"),
        (22, "events[0].effects.capabilities.a.x.value", "unknown field 'value'"),
        (24, "events[0].effects.capabilities.b.x.shfit",
         "unknown field 'shfit' (did you mean 'shift'?)"),  # the fields of the arm meant
        (26, "events[0].effects.status_quo.x.valeu",
         "unknown field 'valeu' (did you mean 'value'?)"),
    ]


KEYS = st.one_of(st.sampled_from(["events", "effects", "set", "shift", "x", "a", "value"]),
                 st.integers(min_value=-1, max_value=3))
NAMES = st.sampled_from(["events", "effects", "x", "a", "shift", "value"])
DATA = st.recursive(st.none() | st.integers(), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(NAMES, inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(data=DATA, loc=st.lists(KEYS, max_size=6).map(tuple), missing=st.booleans())
def test_a_written_location_keeps_what_the_data_holds(data, loc, missing) -> None:
    """The keys kept are the location's, in order, every index among them; each kept name
    but a missing field's (the last) is a key of the data where it stands; a name dropped
    is none."""
    from accord.scenario.messages import written_loc

    out = written_loc(data, loc, missing=missing)
    rest = iter(loc)
    assert all(any(k == x for x in rest) for k in out)  # a subsequence of loc
    assert [k for k in loc if isinstance(k, int)] == [k for k in out if isinstance(k, int)]
    node: object = data
    for n, key in enumerate(out):
        if isinstance(node, dict) and key in node or isinstance(node, list) and \
                isinstance(key, int) and 0 <= key < len(node):
            node = node[key]  # type: ignore[index]
        else:
            assert isinstance(key, int) or missing and n == len(out) - 1, (out, key)
            node = None
