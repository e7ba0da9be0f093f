"""Observations in the month that holds the observations' as_of (issue 29): that month counts as
observed up to as_of, and the forecast starts at its end. Checked against closed forms, with
the exact solver and Monte Carlo."""

from __future__ import annotations

import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.errors import UserError
from accord.scenario.loader import parse_scenario
from accord.scenario.observations import observations_from_text

H, Y, L = 0.1, 0.3, 4.0
BASE = f"""meta: {{id: now, title: Now, as_of: 2025-01-01, horizon: 12}}
actors: [{{id: a, name: A, capability: {{value: 1, assumption: t}}}}]
events:
  - {{id: x, name: X, hazard: {{value: {H}, assumption: t}}}}
  - {{id: y, name: Y, when: x, hazard: {{value: {Y}, assumption: t}}}}
questions:
  - {{id: qx, text: X?, event: x, by: 2026-01-01}}
  - {{id: qy, text: Y?, event: y, by: 2026-01-01}}
"""


def months(obs: str):  # noqa: ANN201
    return observations_from_text(obs, "obs.yaml").months(parse_scenario(BASE, "s.yaml").scenario)


def answer(obs: str, qid: str, **settings) -> tuple[float, float]:  # noqa: ANN003
    s = parse_scenario(BASE, "s.yaml").scenario
    fc = run_scenario(s, RunSettings(**settings), with_issues=False, observed=months(obs)).forecast
    got = next(x for x in fc.questions if x.id == qid)
    return got.probability, got.stderr


# a sign seen on 3 March, forecast on 15 March: month 3 (1 March to 1 April) holds both
SEEN_NOW = "as_of: 2025-03-15\nobserved:\n  - {event: x, on: 2025-03-03}\n"


def test_an_occurrence_in_the_month_holding_as_of_is_accepted_and_observes_that_month() -> None:
    om = months(SEEN_NOW)
    assert om.months == 3 and om.start.isoformat() == "2025-04-01"
    assert om.fire == {3: {0}} and all(0 in om.quiet[t] for t in (1, 2))
    # as if as_of were the month's end: the same plan
    end = months(SEEN_NOW.replace("2025-03-15", "2025-04-01"))
    assert (end.months, end.fire, end.quiet) == (om.months, om.fire, om.quiet)


def test_the_forecast_after_it_is_the_closed_form() -> None:
    """x occurred in month 3, so y (which needs x) can fire from month 4: 9 months at 0.3."""
    want = 1 - (1 - Y) ** 9
    exact, _ = answer(SEEN_NOW, "qy", exact=True)
    assert exact == pytest.approx(want, abs=1e-12)
    assert answer(SEEN_NOW, "qx", exact=True)[0] == pytest.approx(1.0, abs=1e-12)
    mc, se = answer(SEEN_NOW, "qy", paths=40_000, seed=3)
    assert abs(mc - want) < 4 * se


def test_a_sign_in_the_month_holding_as_of_is_bayes() -> None:
    """A sign with ratio L seen on 10 March, forecast on 15 March: it weighs x by L if x has
    occurred by the end of month 3, F3 = 1 − (1 − h)³."""
    obs = "as_of: 2025-03-15\nobserved:\n  - {event: x, likelihood_ratio: 4, month: 2025-03-10}\n"
    assert months(obs).months == 3
    f3, f12 = 1 - (1 - H) ** 3, 1 - (1 - H) ** 12
    want = (L * f3 + (f12 - f3)) / (L * f3 + 1 - f3)
    assert answer(obs, "qx", exact=True)[0] == pytest.approx(want, abs=1e-12)
    mc, se = answer(obs, "qx", paths=40_000, seed=5)
    assert abs(mc - want) < 4 * se


def test_without_an_entry_in_it_the_month_holding_as_of_stays_unobserved() -> None:
    assert months("as_of: 2025-03-15\nobserved:\n  - {event: x, not_by: 2025-03-15}\n"
                  ).months == 2


@pytest.mark.parametrize(("obs", "says"), [
    ("as_of: 2025-03-15\nobserved:\n  - {event: x, on: 2025-03-20}\n",
     "obs.yaml:3: observed[0].on: 2025-03-20: it is after as_of: an occurrence is observed on "
     "or before as_of, so write as_of: 2025-03-20 or later"),
    ("as_of: 2025-03-15\nobserved:\n  - {event: x, likelihood_ratio: 2, month: 2025-03-20}\n",
     "obs.yaml:3: observed[0].month: 2025-03-20: after as_of 2025-03-15"),
    ("as_of: 2025-03-15\nobserved:\n  - {event: x, likelihood_ratio: 2, month: 2025-04}\n",
     "obs.yaml:3: observed[0].month: 2025-04: the scenario month holding that month's end "
     "begins after as_of 2025-03-15; write the day the sign was seen (YYYY-MM-DD, on or "
     "before as_of)"),
])
def test_what_lies_after_as_of_is_refused_saying_what_to_write(obs: str, says: str) -> None:
    with pytest.raises(UserError) as exc:
        months(obs)
    assert says in str(exc.value)


def test_a_date_in_the_rest_of_that_month_is_before_the_forecast_and_says_so(cli, tmp_path
                                                                              ) -> None:
    f, o = tmp_path / "s.yaml", tmp_path / "obs.yaml"
    f.write_text(BASE)
    o.write_text(SEEN_NOW)
    r = cli("forecast", str(f), "--event", "y", "--by", "2025-03-25", "--observed", str(o),
            "--paths", "500")
    assert r.code == 2
    assert "the forecast starts where the observed months end, 2025-04-01: months 1–3 are " \
           "observed, up to their as_of 2025-03-15" in " ".join(r.err.split())
    ok = cli("forecast", str(f), "--event", "y", "--by", "2025-06-01", "--observed", str(o),
             "--paths", "500", "--json")
    assert ok.code == 0, ok.err
