"""Each question's outside view: what its reference class says at the question's date.

The class's conditional curve F(s) = 1 − C(d, d + s) at the scenario's month ends s = 0..H
(d: months from the class's origin `since` to as_of), with its band, is read at the question's
deadline by the one date rule (accord.process.deadline), exactly as the scenario's own curve
is, so an event whose rate is the class and has no modifier answers the same number.
"""

from __future__ import annotations

from accord.baserate.hazard import months_since, windows
from accord.baserate.tables import lookup
from accord.process.deadline import deadline
from accord.scenario.model import Question, Reference, Scenario

ODDS_GAP = 2.0  # the inside view is called far from history beyond this factor in odds


def reference_of(scenario: Scenario, question: Question) -> Reference | None:
    """The question's own reference, else its event's."""
    if question.reference is not None:
        return question.reference
    try:
        return scenario.event(question.event).reference
    except KeyError:
        return None


def outside_view(scenario: Scenario, question: Question) -> dict | None:
    """{"class", "where", "probability", "low", "high", "n"} at the question's date, or None."""
    ref = reference_of(scenario, question)
    if ref is None:
        return None
    est = lookup(ref.class_, ref.where)
    d = 0.0 if ref.since is None else months_since(ref.since, scenario.meta.as_of)
    if est.kind == "share":
        p, lo, hi = est.probability(0)
    else:
        dl = deadline(scenario.meta.as_of, scenario.meta.horizon, question.by)
        c, c_low, c_high = windows(est, d, scenario.meta.horizon)
        p, lo, hi = (float(dl.read(1.0 - x)) for x in (c, c_high, c_low))
    return {"class": ref.class_, "where": dict(ref.where), "probability": p, "low": lo,
            "high": hi, "n": est.n}


def odds_ratio(inside: float, outside: float) -> float | None:
    """The scenario's odds over history's (None where either is 0 or 1)."""
    if not (0 < inside < 1 and 0 < outside < 1):
        return None
    return (inside / (1 - inside)) / (outside / (1 - outside))


def gap_words(inside: float, outside: float) -> str | None:
    """In words, how far the inside view moved from history, where beyond a factor of 2."""
    r = odds_ratio(inside, outside)
    if r is None or 1 / ODDS_GAP <= r <= ODDS_GAP:
        return None
    way = "above" if r > 1 else "below"
    factor = r if r > 1 else 1 / r
    return (f"the scenario's odds are {factor:.1f}× {way} history's: its specifics have taken "
            "the forecast far from the reference class")
