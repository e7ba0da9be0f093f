"""Observations: format, mapping of dates to months, and validation with file, line and field."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import UserError
from accord.scenario.loader import parse_scenario
from accord.scenario.observations import observations_from_text

SCENARIO = textwrap.dedent("""\
    meta: {id: obs-test, title: Obs, as_of: 2025-04-03, horizon: 36}
    actors: [{id: a, name: A, capability: 1}]
    events:
      - {id: deal, name: Deal, hazard: 0.1}
      - {id: vote, name: Vote, when: deal, hazard: 0.2}
      - {id: demand, name: Demand, repeatable: 0.1}
      - {id: clash, name: Clash, hazard: 0.05, effects: {cancels: [vote]}}
      - {id: poll, name: Poll, scheduled: 2025-09}
""")


def sc():
    return parse_scenario(SCENARIO, "s.yaml").scenario


def months(text: str):
    return observations_from_text(textwrap.dedent(text), "obs.yaml").months(sc())


def error(text: str) -> str:
    with pytest.raises(UserError) as exc:
        months(text)
    return str(exc.value)


def test_dates_map_to_months_as_by_does():
    om = months("""\
        as_of: 2026-12-01
        observed:
          - {event: deal, on: 2026-03-15}
          - {event: vote, not_by: 2026-12-01}
          - {event: demand, count: 2, by: 2026-06-30}
          - {event: clash, cancelled: true}
        """)
    # from 2025-04-03: 2026-12-01 completes 19 months (to 2026-11-03)
    assert om.months == 19 and om.start.isoformat() == "2026-11-03"
    # 2026-03-15 lies in month 12 (2026-03-03 .. 2026-04-03): fires then, quiet before
    assert om.fire == {12: {0}}
    assert all(0 in om.quiet[t] for t in range(1, 12)) and 0 not in om.quiet.get(13, set())
    assert all(1 in om.quiet[t] for t in range(1, 20))
    assert om.counts == {14: [(2, 2)]}  # 2026-06-30 completes 14 months
    assert om.cancel == {3}


def test_default_as_of_is_the_fewest_months_holding_every_entry():
    om = months("observed:\n  - {event: deal, on: 2025-06-10}\n")
    assert om.months == 3  # the month holding 2025-06-10 is month 3, ending 2025-07-03


def test_bare_list_and_scenario_section():
    text = SCENARIO + ("observed:\n  as_of: 2025-10-03\n  observed:\n"
                       "    - {event: deal, not_by: 2025-10-03}\n")
    loaded = parse_scenario(text, "s.yaml")
    assert loaded.observations.months(loaded.scenario).months == 6
    bad = SCENARIO + "observed:\n  - {event: nope, not_by: 2025-10-03}\n"
    with pytest.raises(UserError) as exc:
        parse_scenario(bad, "s.yaml")
    assert str(exc.value) == ("s.yaml:10: observed[0].event: unknown event 'nope' "
                              "(events: deal, vote, demand, clash, poll)")


@pytest.mark.parametrize(("text", "expected"), [
    ("observed:\n  - {event: nope, on: 2025-06-01}\n",
     "obs.yaml:2: observed[0].event: unknown event 'nope'"),
    ("observed:\n  - {event: deal, on: 2025-01-01}\n",
     "obs.yaml:2: observed[0].on: 2025-01-01 is before the scenario's as_of 2025-04-03"),
    ("observed:\n  - {event: deal, not_by: 2029-01-01}\n",
     "obs.yaml:2: observed[0].not_by: 2029-01-01 is past the scenario's horizon"),
    ("observed:\n  - {event: deal, count: 1, by: 2025-09-01}\n",
     "obs.yaml:2: observed[0].count: 'deal' is not repeatable"),
    ("observed:\n  - {event: deal, not_by: 2025-12-01}\n  - {event: deal, on: 2025-09-10}\n",
     "obs.yaml:3: observed[1].on: contradicts entry 0"),
    ("observed:\n  - {event: deal, on: 2025-06-10}\n  - {event: deal, on: 2025-09-10}\n",
     "obs.yaml:3: observed[1].on: 'deal' occurs only once"),
    ("observed:\n  - {event: demand, count: 3, by: 2025-12-01}\n"
     "  - {event: demand, count: 1, by: 2026-01-01}\n",
     "obs.yaml:3: observed[1].count: a count cannot fall"),
    ("observed:\n  - {event: vote, on: 2025-09-10}\n  - {event: deal, not_by: 2025-12-01}\n",
     "obs.yaml:2: observed[0].on: 'vote' needs 'deal' to have occurred first"),
    ("observed:\n  - {event: poll, on: 2025-05-10}\n",
     "obs.yaml:2: observed[0].on: 'poll' is scheduled for 2025-09"),
    ("as_of: 2025-06-01\nobserved:\n  - {event: deal, on: 2025-06-02}\n",
     "obs.yaml:3: observed[0].on: 2025-06-02: it is after as_of"),
    ("as_of: 2024-06-01\nobserved: []\n",
     "obs.yaml:1: as_of: 2024-06-01 is before the scenario's as_of"),
    ("observed:\n  - {event: deal, on: 2025-06-01, not_by: 2025-07-01}\n",
     "obs.yaml:2: observed[0]: needs exactly one of on, not_by, count, cancelled"),
    ("observed:\n  - {event: deal, on: soon}\n",
     "obs.yaml:2: observed[0].on: expected a date"),
    ("observed:\n  - {event: deal, cancelled: yes please}\n",
     "obs.yaml:2: observed[0].cancelled: must be `true`"),
    ("observed:\n  - {event: deal, when: 2025-06-01}\n",
     "obs.yaml:2: observed[0].when: unknown field 'when'"),
    ("observed:\n  - {event: demand, count: 2}\n",
     "obs.yaml:2: observed[0].by: `count` needs `by"),
    ("observed: 3\n", "obs.yaml:1: observed: must be a list"),
    ("colour: red\nobserved: []\n", "obs.yaml:1: colour: unknown field 'colour'"),
])
def test_errors_name_file_line_and_field(text, expected):
    assert expected in error(text)


def test_cli_exit_2_for_a_bad_file(tmp_path, capsys, monkeypatch):
    from accord.cli import main

    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    bad = tmp_path / "obs.yaml"
    bad.write_text("observed:\n  - {event: no_such_event, on: 2025-06-01}\n")
    with pytest.raises(SystemExit) as exc:
        main(["forecast", "--event", "treaty_signed", "--by", "2026-12-31", "--paths", "200",
              "--observed", str(bad)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: observed[0].event: unknown event 'no_such_event'" in err.replace("\n", "")


EVENTS = ["deal", "vote", "demand", "clash", "poll", "nope", ""]
KEYS = ["event", "on", "not_by", "count", "by", "cancelled", "as_of", "x"]
VALUES = st.one_of(
    st.sampled_from(EVENTS), st.integers(-3, 40), st.booleans(), st.none(),
    st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2025-02-30", "soon", "[1, 2]"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4), max_size=5),
       st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())), st.booleans())
def test_random_documents_load_or_are_a_user_error(entries, as_of, bare):
    def item(d):
        return "{" + ", ".join(f"{k}: {v if v is not None else 'null'}" for k, v in d.items()) + "}"
    body = "".join(f"  - {item(d)}\n" for d in entries)
    text = ("observed:\n" + body) if not bare else (body.replace("  - ", "- ") or "[]\n")
    if as_of and not bare:
        text = f"as_of: {as_of}\n" + text
    try:
        observations_from_text(text, "r.yaml").months(sc())
    except UserError as exc:
        assert exc.problems and all(p.file == "r.yaml" for p in exc.problems)


def test_an_overlay_may_carry_observations(tmp_path):
    from accord.scenario.overlay import load_with_overlays

    base = tmp_path / "s.yaml"
    base.write_text(SCENARIO)
    ov = tmp_path / "seen.yaml"
    ov.write_text("overlay: {id: seen, title: Seen}\n"
                  "observed:\n  as_of: 2025-10-03\n  observed:\n"
                  "    - {event: deal, on: 2025-06-10}\n")
    loaded = load_with_overlays(str(base), [str(ov)])
    om = loaded.observations.months(loaded.scenario)
    assert om.months == 6 and om.fire == {3: {0}}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("observed:as_of-{}[], \n0123456789evntbyc_!&*'\"#")),
               max_size=120))
def test_random_text_loads_or_is_a_user_error(text):
    try:
        observations_from_text(text, "r.yaml").months(sc())
    except UserError as exc:
        assert exc.problems and all(p.file == "r.yaml" for p in exc.problems)
