"""Indicators (soft evidence): closed forms, exact against Monte Carlo, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.analysis.watch import WatchSettings, watch
from accord.scenario.loader import parse_scenario
from accord.scenario.observations import observations_from_text

H, L, Q = 0.1, 4.0, 0.5
BASE = f"""meta: {{id: ind, title: Ind, as_of: 2025-01-01, horizon: 12}}
actors: [{{id: a, name: A, capability: {{value: 1, assumption: t}}}}]
events:
  - {{id: x, name: X, hazard: {{value: {H}, assumption: t}}}}
  - {{id: y, name: Y, when: x, hazard: {{value: 0.3, assumption: t}}}}
  - {{id: c, name: C, chance: {{value: 0.3, assumption: t}}}}
indicators:
  - id: leak
    name: A leak
    event: x
    likelihood_ratio: {{value: {L}, assumption: t}}
    seen_if_occurred: {{value: {Q}, assumption: t}}
questions:
  - {{id: qx, text: X?, event: x, by: 2025-12-31}}
  - {{id: qy, text: Y?, event: y, by: 2025-12-31}}
  - {{id: qc, text: C?, event: c, by: 2025-12-31}}
"""


def scenario():  # noqa: ANN201
    return parse_scenario(BASE, "ind.yaml").scenario


def conditioned(obs: str, **settings):  # noqa: ANN003, ANN201
    s = scenario()
    om = observations_from_text(obs, "obs.yaml").months(s)
    return run_scenario(s, RunSettings(**settings), with_issues=False, observed=om).forecast


def q(fc, qid: str):  # noqa: ANN001, ANN201
    return next(x for x in fc.questions if x.id == qid)


def test_a_single_chance_with_ratio_l_is_bayes() -> None:
    """P(c | sign) = L·p / (L·p + 1 − p): the sign bears on whether c will come up yes."""
    fc = conditioned("observed:\n  - {event: c, likelihood_ratio: 3, month: 2025-02}\n",
                     paths=200_000, seed=2)
    p = 0.3
    want = 3 * p / (3 * p + 1 - p)
    got = q(fc, "qc")
    assert abs(got.probability - want) < 4 * got.stderr


def test_a_hazard_sign_exact_matches_the_closed_form_and_monte_carlo() -> None:
    """Seen in March (month 3), looked for and not seen in April (month 4)."""
    obs = ("observed:\n  - {indicator: leak, seen: 2025-03}\n"
           "  - {indicator: leak, not_seen: 2025-04}\n")
    a3, a4 = 1 - (1 - H) ** 3, 1 - (1 - H) ** 4
    w = [a3 * L * (1 - Q), (a4 - a3) * (1 - Q), (1 - a4) * (1 - Q / L)]
    want = (w[0] + w[1] + w[2] * (1 - (1 - H) ** 8)) / sum(w)
    ex = q(conditioned(obs, exact=True), "qx")
    assert ex.probability == pytest.approx(want, abs=1e-12)
    mc = conditioned(obs, paths=100_000, seed=4)
    for qid in ("qx", "qy"):
        assert abs(q(mc, qid).probability - q(conditioned(obs, exact=True), qid).probability) \
            < 4 * q(mc, qid).stderr


def test_a_ratio_of_one_changes_nothing_bit_for_bit() -> None:
    hard = "observed:\n  - {event: x, not_by: 2025-04-01}\n"
    one = hard + "  - {event: y, likelihood_ratio: 1, month: 2025-03}\n"
    a, b = conditioned(hard, paths=4000, seed=1), conditioned(one, paths=4000, seed=1)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())


def test_a_distribution_ratio_moves_its_posterior_draws() -> None:
    """With the ratio uncertain, each draw's weight uses its own ratio: a strong sign raises
    P(x) more under draws with a larger ratio, so the forecast lies between the two ends."""
    text = BASE.replace(f"likelihood_ratio: {{value: {L}, assumption: t}}",
                        "likelihood_ratio: {low: 2, high: 8, assumption: t}")
    s = parse_scenario(text, "d.yaml").scenario
    om = observations_from_text("observed:\n  - {indicator: leak, seen: 2025-03}\n",
                                "o.yaml").months(s)
    fc = run_scenario(s, RunSettings(paths=40_000, seed=3), with_issues=False, observed=om)
    a3 = 1 - (1 - H) ** 3
    lo, hi = (2 * a3 / (2 * a3 + 1 - a3)), (8 * a3 / (8 * a3 + 1 - a3))
    p3 = fc.forecast.events["x"].probability[0]  # the forecast starts at the end of month 3
    assert lo < p3 < hi


@pytest.mark.parametrize(("obs", "field", "words"), [
    ("  - {indicator: nope, seen: 2025-03}", "observed[0].indicator", "undeclared indicator"),
    ("  - {event: nope, likelihood_ratio: 2, month: 2025-03}", "observed[0].event",
     "unknown event"),
    ("  - {event: x, likelihood_ratio: 0, month: 2025-03}", "observed[0].likelihood_ratio",
     "greater than 0"),
    ("  - {event: x, likelihood_ratio: many, month: 2025-03}", "observed[0].likelihood_ratio",
     "greater than 0"),
    ("  - {event: x, likelihood_ratio: 2, month: 2024-12}", "observed[0].month", "outside"),
    ("  - {event: x, likelihood_ratio: 2, month: 2027-01}", "observed[0].month", "outside"),
    ("  - {indicator: leak, seen: March}", "observed[0].seen", "YYYY-MM"),
])
def test_bad_signs_exit_2_naming_file_line_field(cli, tmp_path: Path, obs: str, field: str,
                                                 words: str) -> None:
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE)
    o.write_text("observed:\n" + obs + "\n")
    r = cli("run", str(f), "--observed", str(o), "--paths", "1000", "--no-report")
    assert r.code == 2, r.err
    assert f"{o}:2: {field}" in r.err and words in r.err


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("event: x\n", "event: nope\n", "indicators[0].event", "unknown event 'nope'"),
    (f"likelihood_ratio: {{value: {L}, assumption: t}}", "likelihood_ratio: {value: -1, "
     "assumption: t}", "indicators[0].likelihood_ratio", "greater than 0"),
])
def test_bad_indicator_declarations_exit_2(cli, tmp_path: Path, old: str, new: str,
                                           field: str, words: str) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(BASE.replace(old, new))
    r = cli("validate", str(f))
    assert r.code == 2 and field in r.err and words in r.err


def test_not_seen_needs_a_rate_of_being_seen(cli, tmp_path: Path) -> None:
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE.replace(f"    seen_if_occurred: {{value: {Q}, assumption: t}}\n", ""))
    o.write_text("observed:\n  - {indicator: leak, not_seen: 2025-03}\n")
    r = cli("run", str(f), "--observed", str(o), "--paths", "1000", "--no-report")
    assert r.code == 2 and "seen_if_occurred" in r.err and "observed[0].not_seen" in r.err


def test_few_effective_paths_are_a_warning_naming_the_sign(cli, tmp_path: Path) -> None:
    """A near-certain sign of an event 0.2% likely that month: about 0.2% of the paths carry
    the weight, however many are run."""
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE.replace(f"hazard: {{value: {H},", "hazard: {value: 0.002,"))
    o.write_text("observed:\n  - {event: x, likelihood_ratio: 1.0e+9, month: 2025-01}\n")
    r = cli("run", str(f), "--observed", str(o), "--paths", "2000", "--json", "--no-report")
    assert r.code == 0, r.err
    notes = " ".join(json.loads(r.out)["notes"])
    assert "under 1%" in notes and "observed[0] (x)" in notes


def test_watch_ranks_a_declared_indicator_by_bayes() -> None:
    s = scenario()
    (qy,) = watch(s, RunSettings(exact=True), WatchSettings(question="qy", within=4))
    ev = next(x for x in qy.watch if x.kind == "event" and x.event == "x")
    sign = next(x for x in qy.watch if x.kind == "indicator")
    assert sign.indicator == "leak" and sign.event == "x"
    pe, yes, no = ev.p_event, ev.if_yes, ev.if_no
    assert sign.if_yes == pytest.approx((L * pe * yes + (1 - pe) * no) / (L * pe + 1 - pe))
    assert sign.p_event == pytest.approx(Q * pe + Q / L * (1 - pe))
    # seeing the sign is what conditioning on it gives (the exact solver, month 4)
    om = observations_from_text("observed:\n  - {indicator: leak, seen: 2025-04}\n",
                                "o.yaml").months(s)
    fc = run_scenario(s, RunSettings(exact=True), with_issues=False, observed=om).forecast
    assert sign.if_yes == pytest.approx(q(fc, "qy").probability, abs=1e-12)


def test_the_ledger_keeps_what_each_forecast_was_conditioned_on(cli, tmp_path: Path,
                                                                 monkeypatch) -> None:
    from accord.store.ledger import Ledger
    from accord.store.runs import RunStore
    from accord.web.pages.observed import history_figure

    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE)
    assert cli("run", str(f), "--exact", "--record", "--no-report").code == 0
    o.write_text("observed:\n  - {event: y, not_by: 2025-03-01}\n"
                 "  - {indicator: leak, seen: 2025-03}\n")
    r = cli("run", str(f), "--exact", "--record", "--no-report", "--observed", str(o))
    assert r.code == 0, r.err
    entries = Ledger(RunStore(None)).entries("ind", "qx")
    assert [e.content["observations"] for e in entries] == [
        [], ["y not by 2025-03-01", "sign leak seen 2025-03-31"]]
    fig = history_figure(Ledger(RunStore(None)).entries("ind"), {})
    marks = next(t for t in fig["data"] if t.get("meta", {}).get("role") == "observations")
    assert len(marks["x"]) == 3 and "sign leak seen" in marks["text"][0]  # one per question


def test_the_built_in_indicators_move_their_questions_the_way_they_say() -> None:
    """Exactly, at the central values: a sign with a ratio above 1 raises its event's
    question, one below 1 lowers it; not seeing it moves it the other way."""
    from accord.scenario.loader import load_scenario

    s = load_scenario().scenario
    assert {x.id for x in s.indicators} >= {"margara_customs_staffed",
                                           "turkey_restates_baku_condition"}
    base = {q.id: q.probability for q in run_scenario(
        s, RunSettings(exact=True), with_issues=False).forecast.questions}

    def after(entry: str) -> dict[str, float]:
        om = observations_from_text(f"observed:\n  - {entry}\n", "o.yaml").months(s)
        fc = run_scenario(s, RunSettings(exact=True), with_issues=False, observed=om).forecast
        return {x.id: x.probability for x in fc.questions}

    # by the end of 2026, a restated condition in mid-2026 says the treaty is not yet signed
    assert after("{indicator: turkey_restates_baku_condition, seen: 2026-06}")["treaty_2026"] \
        < base["treaty_2026"]
    assert after("{indicator: turkey_restates_baku_condition, not_seen: 2026-06}")[
        "treaty_2026"] > base["treaty_2026"]
    assert after("{indicator: margara_customs_staffed, seen: 2026-10}")["border_2027"] \
        > base["border_2027"]


def test_a_sign_after_the_observations_as_of_is_refused(cli, tmp_path: Path) -> None:
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE)
    o.write_text("as_of: 2025-02-15\nobserved:\n  - {indicator: leak, seen: 2025-03}\n")
    r = cli("run", str(f), "--observed", str(o), "--paths", "1000", "--no-report")
    assert r.code == 2 and f"{o}:3: observed[0].seen" in r.err and "after as_of" in r.err
