"""The date rule: "by date D" reads the curve at the end of day D, every reader alike.

Against closed forms: with a constant monthly hazard h, occurrence spread evenly over each
month's days, P(by D) = 1 − (1 − h)^s · (1 − f·h), s the whole months completed by the end of D
and f the share of month s + 1's days elapsed by then.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.explain import explain_question
from accord.analysis.run import RunSettings, run_scenario
from accord.process.deadline import Deadline, add_months, deadline, stored_deadline
from accord.scenario.loader import load_scenario, parse_scenario

H = 0.1


def closed(h: float, s: int, f: float) -> float:
    return 1 - (1 - h) ** s * (1 - f * h)


def scenario_text(as_of: str, by: str, horizon: int = 24, h: float = H) -> str:
    return (f"meta: {{id: d, title: D, as_of: {as_of}, horizon: {horizon}}}\n"
            "actors: [{id: a, name: A, capability: 1}]\n"
            f"events:\n  - {{id: x, name: X, hazard: {{value: {h}, assumption: t}}}}\n"
            f"questions: [{{id: q, text: Q, event: x, by: {by}}}]\n")


def test_deadline_of_the_issue_example() -> None:
    d = deadline(dt.date(2025, 4, 3), 36, dt.date(2026, 12, 31))
    # the end of 2026-12-31 is 2027-01-01: 29 days past 2026-12-03 in a 31-day month
    assert d == Deadline(20, 29 / 31)
    assert d.reads == ((20, 1 - 29 / 31), (21, 29 / 31))


@pytest.mark.parametrize(("as_of", "by", "step", "frac"), [
    ("2025-01-01", "2025-12-31", 12, 0.0),  # the end of the year is a whole number of months
    ("2025-01-31", "2025-02-27", 1, 0.0),  # Feb: as_of + 1 month is clipped to Feb 28
    ("2025-01-31", "2025-02-28", 1, 1 / 31),  # ... and + 2 months is Mar 31
    ("2024-01-31", "2024-02-27", 0, 28 / 29),  # leap year
    ("2023-03-01", "2023-03-31", 1, 0.0),  # by inside the first month: its whole month
    ("2023-03-01", "2023-03-15", 0, 15 / 31),
    ("2025-04-03", "2025-04-03", 0, 1 / 30),  # by as_of itself: its one day
    ("2025-04-03", "2028-04-03", 36, 0.0),  # past the horizon: clipped to it
])
def test_deadline_table(as_of: str, by: str, step: int, frac: float) -> None:
    d = deadline(dt.date.fromisoformat(as_of), 36, dt.date.fromisoformat(by))
    assert (d.step, d.frac) == (step, pytest.approx(frac, abs=1e-15))


@settings(max_examples=200, deadline=None)
@given(as_of=st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)),
       days=st.integers(0, 3 * 366), horizon=st.integers(1, 60))
def test_deadline_is_the_elapsed_time_in_months(as_of: dt.date, days: int, horizon: int) -> None:
    """On a straight-line curve c[s] = s the reading is the months elapsed, monotone in the
    date, within [0, H], and the reads' weights add up to 1."""
    by = as_of + dt.timedelta(days=days)
    d = deadline(as_of, horizon, by)
    nxt = deadline(as_of, horizon, by + dt.timedelta(days=1))
    assert 0 <= d.step <= horizon and 0 <= d.frac < 1
    assert sum(w for _, w in d.reads) == pytest.approx(1.0)
    assert float(d.read(list(range(horizon + 1)))) == pytest.approx(d.at)
    assert nxt.at >= d.at
    assert add_months(as_of, d.step) <= by + dt.timedelta(days=1) or d.step == 0
    assert stored_deadline({"step": d.step, "at": d.at}) == Deadline(d.step, round(d.frac, 12))


def test_constant_hazard_exact_and_monte_carlo_against_the_closed_form() -> None:
    s = parse_scenario(scenario_text("2025-04-03", "2026-12-31"), "d.yaml").scenario
    want = closed(H, 20, 29 / 31)
    ex = run_scenario(s, RunSettings(exact=True), with_issues=False).forecast.questions[0]
    assert ex.probability == pytest.approx(want, abs=1e-14)
    assert ex.at == pytest.approx(20 + 29 / 31)
    mc = run_scenario(s, RunSettings(paths=40_000, seed=1), with_issues=False).forecast
    (q,) = mc.questions
    assert abs(q.probability - want) < 4 * q.stderr
    c = mc.curve("x")
    assert q.probability == (1 - 29 / 31) * c[20] + (29 / 31) * c[21]


@pytest.fixture
def first_month(tmp_path: Path) -> Path:
    """A question whose deadline falls inside the first month (the issue's crash)."""
    f = tmp_path / "first.yaml"
    f.write_text(scenario_text("2023-03-01", "2023-03-15", h=0.66))
    return f


def test_by_inside_the_first_month_through_run_explain_forecast(cli, first_month: Path) -> None:
    want = closed(0.66, 0, 15 / 31)
    r = cli("run", str(first_month), "--exact", "--json", "--no-report")
    assert r.code == 0, r.err
    (q,) = json.loads(r.out)["forecast"]["questions"]
    assert q["probability"] == pytest.approx(want, abs=1e-14)
    r = cli("forecast", str(first_month), "--event", "x", "--by", "2023-03-15", "--exact",
            "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["probability"] == pytest.approx(want, abs=1e-14)
    r = cli("run", str(first_month), "--paths", "4000", "--json", "--no-report")
    assert r.code == 0, r.err
    (q,) = json.loads(r.out)["forecast"]["questions"]
    assert abs(q["probability"] - want) < 4 * q["stderr"]
    r = cli("explain", str(first_month), "--json", "--paths", "2000", "--tornado-paths", "100")
    assert r.code == 0, r.err
    (e,) = json.loads(r.out)["questions"]
    assert sum(b["share"] for b in e["blockers"]) == pytest.approx(1 - e["probability"],
                                                                  abs=1e-9)


def test_explain_exact_within_a_month_matches_the_closed_form(first_month: Path) -> None:
    s = load_scenario(first_month).scenario
    e = explain_question(s, RunSettings(exact=True), "q")
    assert e.probability == pytest.approx(closed(0.66, 0, 15 / 31), abs=1e-12)
    assert sum(b.share for b in e.blockers) == pytest.approx(1 - e.probability, abs=1e-12)


@pytest.mark.parametrize(("field", "text"), [
    ("questions[0].by", scenario_text("2025-04-03", "2025-04-02")),
    ("events[0].scheduled", scenario_text("2025-04-03", "2025-12-31").replace(
        "hazard: {value: 0.1, assumption: t}", "scheduled: 2025-03")),
])
def test_dates_before_as_of_are_refused(cli, tmp_path: Path, field: str, text: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    r = cli("validate", str(f))
    assert r.code == 2
    assert field in r.err and "before the scenario's as_of" in r.err


def test_a_run_stored_under_the_old_rule_says_so_in_compare() -> None:
    from accord.analysis.compare import compare_dicts

    s = parse_scenario(scenario_text("2025-04-03", "2026-12-31"), "d.yaml").scenario
    new = run_scenario(s, RunSettings(exact=True), with_issues=False).to_dict()
    old = json.loads(json.dumps(new))
    del old["forecast"]["date_rule"]
    for q in old["forecast"]["questions"]:
        del q["at"]
        q["probability"] = old["forecast"]["events"]["x"]["probability"][q["step"]]
    cmp = compare_dicts("old", old, "new", new)
    assert any("last whole month" in n for n in cmp.notes) and cmp.notes[-1].startswith("part")
    (d,) = cmp.questions
    assert d.diff == pytest.approx(closed(H, 20, 29 / 31) - closed(H, 20, 0), abs=1e-14)
    assert compare_dicts("a", new, "b", new).notes == []


def test_ledger_entries_carry_the_date_rule(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    f = tmp_path / "s.yaml"
    f.write_text(scenario_text("2025-04-03", "2026-12-31"))
    r = cli("run", str(f), "--exact", "--record", "--no-report")
    assert r.code == 0, r.err
    (entry,) = json.loads(cli("ledger", "list", "--json").out)
    assert entry["date_rule"].startswith("the end of the day")
    assert entry["probability"] == pytest.approx(closed(H, 20, 29 / 31), abs=1e-14)


def test_watch_reads_a_first_month_date_by_the_rule(cli, first_month: Path) -> None:
    r = cli("watch", str(first_month), "--exact", "--json")
    assert r.code == 0, r.err
    (q,) = json.loads(r.out)["questions"]
    assert q["probability"] == pytest.approx(closed(0.66, 0, 15 / 31), abs=1e-14)
    assert q["watch"] == []  # the window closes with the question's own first month
