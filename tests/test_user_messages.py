"""The mistakes a new user makes, each answered in the user's words at the right line.

Each row: a replacement made in the corpus base scenario, the line it lands on, and what the
message must say. The expectations are written by hand from the issue's wording.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from accord.errors import UserError
from accord.scenario.loader import parse_scenario
from accord.scenario.messages import did_you_mean, out_of_unit_range

from .conftest import CORPUS

BASE = (CORPUS / "base.yaml").read_text(encoding="utf-8")
DEAL_HAZARD = 'hazard: {value: 0.1, evidence: [{source: src, quote: "the pace of the withdrawal"}]}'


def _line(fragment: str) -> int:
    """The base file's line holding `fragment` (so rows need no hand-counted line numbers)."""
    return next(i for i, text in enumerate(BASE.splitlines(), 1) if fragment in text)


# (name, old, new, line of the mistake, field or "", message fragment)
MISTAKES = [
    ("date_dd_mm_yyyy", "by: 2025-12-31", "by: 31/12/2025", _line("by: 2025-12-31"),
     "questions[0].by", "write dates as YYYY-MM-DD, e.g. 2024-12-31"),
    ("date_dots", "as_of: 2025-01-15", "as_of: 15.01.2025", _line("as_of:"),
     "meta.as_of", "write dates as YYYY-MM-DD, e.g. 2024-12-31"),
    ("date_impossible", "as_of: 2025-01-15", "as_of: 2025-13-15", _line("as_of:"),
     "meta.as_of", "write dates as YYYY-MM-DD, e.g. 2024-12-31, not '2025-13-15'"),
    ("scheduled_slash", "  - id: talks\n", "  - id: talks\n    scheduled: 12/2025\n",
     _line("- id: talks") + 1, "events[0].scheduled", "write dates as YYYY-MM-DD"),
    ("unquoted_colon", "title: Corpus base", "title: Corpus: base", _line("title: Corpus"),
     "", "put text that contains ': ' in quotes"),
    ("indented_too_far", "  horizon: 12", "     horizon: 12", _line("horizon:"),
     "", "indent this line like the one above"),
    ("indented_too_little", "  horizon: 12", " horizon: 12", _line("horizon:"),
     "", "indent this line like the one above"),
    ("tab", "  horizon: 12", "\thorizon: 12", _line("horizon:"), "", "spaces, not tabs"),
    ("unknown_event_in_when", "when: talks", "when: talk", _line("when: talks"),
     "events[1].when", "unknown event 'talk' (did you mean 'talks'?)"),
    ("unknown_event_in_question", "event: deal", "event: dael", _line("event: deal"),
     "questions[0].event", "unknown event 'dael' (did you mean 'deal'?)"),
    ("unknown_issue_in_condition", "when: talks", "when: talks and issue.bordr > 10",
     _line("when: talks"), "events[1].when", "unknown issue 'bordr' (did you mean 'border'?)"),
    ("unknown_event_in_modifier", DEAL_HAZARD,
     "hazard: {value: 0.1, assumption: x}\n    modifiers: [{if: tlks, multiply: 2}]",
     _line(DEAL_HAZARD) + 1, "events[1].modifiers[0].if",
     "unknown event 'tlks' (did you mean 'talks'?)"),
    ("unknown_event_in_effects", "    when: talks\n",
     "    when: talks\n    effects: {cancels: [tallks]}\n",
     _line("when: talks") + 1, "events[1].effects.cancels[0]",
     "unknown event 'tallks' (did you mean 'talks'?)"),
    ("unknown_actor_in_positions", "b: {position", "bb: {position", _line("b: {position"),
     "issues[0].positions.bb", "unknown actor 'bb' (did you mean 'b'?)"),
    ("unknown_source", "[{source: src, quote: \"the pace", "[{source: scr, quote: \"the pace",
     _line("the pace"), "events[1].hazard.evidence[0].source",
     "unknown source 'scr' (did you mean 'src'?)"),
    ("unknown_model", "  horizon: 12", "  horizon: 12\n  issue_model: compromse",
     _line("horizon:") + 1, "meta.issue_model", "did you mean 'compromise'?"),
    ("unknown_field_event", "hazard: {value: 0.1,", "hazzard: {value: 0.1,", _line(DEAL_HAZARD),
     "events[1].hazzard", "unknown field 'hazzard' (did you mean 'hazard'?)"),
    ("unknown_field_param", "capability: {value: 10, assumption: equal}}\n  - {id: b",
     "capability: {valeu: 10, assumption: equal}}\n  - {id: b", _line("{id: a,"),
     "actors[0].capability.valeu", "unknown field 'valeu' (did you mean 'value'?)"),
    ("unknown_field_meta", "  horizon: 12", "  horizon: 12\n  descripton: x", _line("horizon:") + 1,
     "meta.descripton", "unknown field 'descripton' (did you mean 'description'?)"),
    ("hazard_as_percentage", "hazard: {value: 0.1,", "hazard: {value: 10,", _line(DEAL_HAZARD),
     "events[1].hazard", "hazards are monthly probabilities between 0 and 1: 10 looks like a "
     "percentage; 0.10 is 10% a month"),
    ("hazard_percent_sign", "hazard: {value: 0.1,", "hazard: {value: 10%,", _line(DEAL_HAZARD),
     "events[1].hazard.value",
     "hazards are monthly probabilities between 0 and 1: write 10% as 0.1"),
    ("hazard_shorthand_percent_sign", DEAL_HAZARD, "hazard: 60%", _line(DEAL_HAZARD),
     "events[1].hazard", "write 60% as 0.6"),
    ("chance_as_percentage", "hazard: {value: 0.1,", "chance: {value: 60,", _line(DEAL_HAZARD),
     "events[1].chance", "a chance is a probability between 0 and 1: 60 looks like a percentage; "
     "0.60 is 60%"),
    ("repeatable_as_percentage", "hazard: {value: 0.1,", "repeatable: {value: 5,",
     _line(DEAL_HAZARD), "events[1].repeatable", "0.05 is 5% a month"),
    ("salience_as_percentage", "salience: {value: 0.5, assumption: x}}\n      b",
     "salience: {value: 50, assumption: x}}\n      b", _line("a: {position"),
     "issues[0].positions.a.salience", "0.50 is 50%"),
    ("capability_percent_sign", "capability: {value: 10, assumption: equal}}\n  - {id: b",
     "capability: {value: 10%, assumption: equal}}\n  - {id: b", _line("{id: a,"),
     "actors[0].capability.value", "without '%'"),
    ("map_as_a_key", "assumption: equal}}\n  - {id: b", "assumption: equal}}: x\n  - {id: b",
     _line("{id: a,"), "", "a {...} or [...] cannot be a field name"),
    ("horizon_in_words", "horizon: 12", "horizon: twelve", _line("horizon:"), "meta.horizon",
     "write a whole number here, not 'twelve'"),
]


@pytest.mark.parametrize("old,new,line,field,fragment", [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_answered_in_the_users_words(
    old: str, new: str, line: int, field: str, fragment: str
) -> None:
    assert old in BASE
    with pytest.raises(UserError) as exc:
        parse_scenario(BASE.replace(old, new, 1), "my.yaml", source_dirs=[CORPUS])
    shown = [str(p) for p in exc.value.problems]
    where = f"my.yaml:{line}: " + (f"{field}: " if field else "")
    assert any(s.startswith(where) and fragment in s for s in shown), shown
    assert not any("Input should" in s or "mapping values" in s for s in shown), shown


def test_the_cli_prints_the_advice_and_exits_2(tmp_path: Path, cli) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(BASE.replace("title: Corpus base", "title: Corpus: base"), encoding="utf-8")
    r = cli("validate", str(path))
    assert r.code == 2
    assert f"{path}:{_line('title: Corpus')}: invalid YAML: put text that contains ': ' in quotes" \
        in r.err.replace("\n  ", " ")


def test_did_you_mean_only_when_close() -> None:
    assert did_you_mean("ohrid_anex", ["ohrid_annex", "treaty_signed"]) == \
        " (did you mean 'ohrid_annex'?)"
    assert did_you_mean("zzz", ["ohrid_annex", "treaty_signed"]) == ""
    assert did_you_mean("x", []) == ""


@pytest.mark.parametrize("percent", [2, 10, 25, 60, 99, 100])
def test_a_percentage_reading_names_the_fraction(percent: int) -> None:
    msg = out_of_unit_range("hazard", float(percent))
    shown = msg.split("; ")[1].split(" is ")[0]
    assert math.isclose(float(shown), percent / 100)
    assert msg.endswith(f"is {percent}% a month")


def test_beyond_a_percentage_says_where_it_reaches() -> None:
    assert out_of_unit_range("hazard", 150.0).endswith("(this one reaches 150)")
    assert out_of_unit_range("chance", -0.2).endswith("(this one reaches -0.2)")


def test_the_dashboard_gives_each_number_its_own_problem() -> None:
    pytest.importorskip("nicegui")
    from accord.web.pages.editing import messages_by_field

    problems = [
        "builtin:x:27: events[3].hazard: hazards are monthly probabilities between 0 and 1",
        "x.yaml:30: events[3].hazard.evidence[0].source: unknown source 'scr'",
        "x.yaml:31: events[13].hazard: a later problem of another number",
        "x.yaml:2: invalid YAML: indent this line like the one above",
    ]
    fields = ["events[3].hazard", "events[1].hazard", "events[13].hazard"]
    assert messages_by_field(problems, fields) == {
        "events[3].hazard": "hazards are monthly probabilities between 0 and 1",
        "events[13].hazard": "a later problem of another number",
    }
