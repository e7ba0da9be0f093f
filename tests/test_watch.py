"""`accord watch`: conditionals against closed forms, against `forecast --observed`, and
Monte Carlo against exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.analysis.watch import WatchSettings, bearing_events, watch
from accord.scenario.loader import load_scenario, parse_scenario

A, B, T, W = 0.15, 0.2, 12, 4

CHAIN = f"""meta: {{id: w, title: W, as_of: 2025-01-01, horizon: 18}}
actors: [{{id: a, name: A, capability: 1}}]
events:
  - {{id: first, name: The first step, hazard: {{value: {A}, assumption: t}}}}
  - {{id: second, name: The second step, when: first, hazard: {{value: {B}, assumption: t}}}}
  - {{id: aside, name: Unrelated, hazard: {{value: 0.3, assumption: t}}}}
questions: [{{id: q, text: Second by year end?, event: second, by: 2025-12-31}}]
"""


def joint(t0: int, t1: int) -> float:
    """P(first occurs in a month t0 < t ≤ t1, and second by month T): second may fire from
    the month after first."""
    return sum(A * (1 - A) ** (t - 1) * (1 - (1 - B) ** (T - t)) for t in range(t0 + 1, t1 + 1))


def closed() -> dict[str, float]:
    p_first = 1 - (1 - A) ** W
    return {"p": joint(0, T), "p_event": p_first, "if_yes": joint(0, W) / p_first,
            "if_no": joint(W, T) / (1 - p_first)}


def test_bearing_events_follow_conditions_modifiers_and_effects() -> None:
    s = parse_scenario(CHAIN, "w.yaml").scenario
    assert bearing_events(s, "second") == ["first"]
    s = load_scenario().scenario
    near = bearing_events(s, "treaty_signed")
    assert {"constitution_amended", "referendum_held", "new_demand", "demand_met",
            "baku_commits", "russia_sabotage", "us_russia_deal"} <= set(near)
    assert "treaty_signed" not in near and "border_opened" not in near


def test_exact_watch_matches_the_closed_form() -> None:
    s = parse_scenario(CHAIN, "w.yaml").scenario
    (qw,) = watch(s, RunSettings(exact=True), WatchSettings(within=W))
    want = closed()
    assert qw.probability == pytest.approx(want["p"], abs=1e-12)
    (item,) = qw.watch  # `aside` bears on nothing
    assert (item.event, item.by) == ("first", "2025-05-01")
    for key in ("p_event", "if_yes", "if_no"):
        assert getattr(item, key) == pytest.approx(want[key], abs=1e-12), key
    p, pe, yes, no = want["p"], want["p_event"], want["if_yes"], want["if_no"]
    assert item.expected_change == pytest.approx(pe * abs(yes - p) + (1 - pe) * abs(no - p))
    assert item.brier_reduction == pytest.approx(pe * (yes - p) ** 2 + (1 - pe) * (no - p) ** 2)


def test_monte_carlo_watch_agrees_with_exact_and_is_the_runs() -> None:
    s = parse_scenario(CHAIN, "w.yaml").scenario
    settings = RunSettings(paths=40_000, seed=3)
    (qw,) = watch(s, settings, WatchSettings(within=W))
    run = run_scenario(s, settings, with_issues=False).forecast
    assert qw.probability == run.questions[0].probability  # the run's own paths, bit for bit
    (item,) = qw.watch
    want, n = closed(), 40_000
    for key, share in (("p_event", 1.0), ("if_yes", want["p_event"]),
                       ("if_no", 1 - want["p_event"])):
        x = want[key]
        assert abs(getattr(item, key) - x) < 5 * (x * (1 - x) / (n * share)) ** 0.5, key


def test_each_conditional_is_forecast_observed(cli, tmp_path: Path) -> None:
    """if_no is exactly what `forecast --observed` gives for `not_by` the watch date; if_yes and
    if_no average back to P(Q)."""
    f = tmp_path / "s.yaml"
    f.write_text(load_text_with_observations())
    r = cli("watch", str(f), "--exact", "--within", "6", "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    q = next(x for x in doc["questions"] if x["question"] == "q")
    assert set(q) >= {"question", "probability", "watch"}
    for item in q["watch"]:
        assert set(item) >= {"event", "by", "p_event", "if_yes", "if_no", "expected_change",
                             "brier_reduction"}
        mixed = item["p_event"] * item["if_yes"] + (1 - item["p_event"]) * item["if_no"]
        assert mixed == pytest.approx(q["probability"], abs=1e-12)
        obs = tmp_path / f"obs-{item['event']}.yaml"
        obs.write_text("observed:\n  - {event: early, on: 2025-02-10}\n"
                       f"  - {{event: {item['event']}, not_by: {item['by']}}}\n")
        r = cli("forecast", str(f), "--event", "second", "--by", "2025-12-31", "--exact",
                "--json", "--observed", str(obs))
        assert r.code == 0, r.err
        assert json.loads(r.out)["probability"] == pytest.approx(item["if_no"], abs=1e-12)
    assert "early" not in {i["event"] for i in q["watch"]}  # observed: nothing left to watch


def load_text_with_observations() -> str:
    """CHAIN with an `early` event that is observed (occurred in February) and speeds `first`."""
    return CHAIN.replace(
        "  - {id: first, name: The first step, hazard:",
        "  - {id: early, name: Early, hazard: {value: 0.1, assumption: t}}\n"
        "  - {id: first, name: The first step, modifiers: [{if: early, multiply: 2}], hazard:",
    ) + "observed:\n  - {event: early, on: 2025-02-10}\n"


def test_watch_on_top_of_observations_monte_carlo_near_exact(tmp_path: Path) -> None:
    s = parse_scenario(load_text_with_observations(), "o.yaml")
    om = s.observations.months(s.scenario)
    ex = watch(s.scenario, RunSettings(exact=True), WatchSettings(within=6), observed=om)
    mc = watch(s.scenario, RunSettings(paths=40_000, seed=5), WatchSettings(within=6),
               observed=om)
    assert abs(ex[0].probability - mc[0].probability) < 0.015
    for a, b in zip(ex[0].watch, mc[0].watch, strict=True):
        assert a.event == b.event and a.by == b.by
        assert abs(a.if_no - b.if_no) < 0.02 and abs(a.if_yes - b.if_yes) < 0.02


def test_built_in_watch_json_and_console(cli) -> None:
    r = cli("watch", "--question", "treaty_2026", "--paths", "4000", "--json")
    assert r.code == 0, r.err
    (q,) = json.loads(r.out)["questions"]
    changes = [x["expected_change"] for x in q["watch"]]
    assert changes == sorted(changes, reverse=True) and changes[0] > 0
    run = json.loads(cli("run", "--paths", "4000", "--json", "--no-report").out)
    p = next(x["probability"] for x in run["forecast"]["questions"] if x["id"] == "treaty_2026")
    assert q["probability"] == p
    r = cli("watch", "--question", "treaty_2026", "--paths", "4000")
    assert r.code == 0 and "what to watch until" in r.out and "if not, to" in r.out


@pytest.mark.parametrize(("args", "field"), [
    (["--question", "nope"], "--question"),
    (["--within", "0"], "--within"),
    (["--within", "99"], "--within"),
    (["--paths", "0"], "paths"),
])
def test_bad_options_exit_2(cli, args: list[str], field: str) -> None:
    r = cli("watch", *args)
    assert r.code == 2 and field in r.err and "Traceback" not in r.err
