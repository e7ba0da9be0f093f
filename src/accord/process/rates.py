"""An event's rate per parameter draw, as both engines read it: its hazard, chance or
repeatable rate, or, for an event with a reference class, the class's monthly hazards (a
matrix over months) or its share (accord.baserate.hazard)."""

from __future__ import annotations

import numpy as np

from accord.scenario.draws import Draws
from accord.scenario.model import Scenario


def draw_values(draws: Draws, path: str) -> np.ndarray:
    try:
        return np.asarray(draws[path], dtype=float).reshape(-1)
    except KeyError:
        raise ValueError(f"draws lack parameter {path!r}") from None


def event_rate(scenario: Scenario, draws: Draws, i: int) -> np.ndarray:
    """Event i's rate per draw, shape (draws,); where it changes month by month (a curve
    reference's hazards, a decay) the rates (horizon, draws)."""
    ev = scenario.events[i]
    rate = own_rate(scenario, draws, i)
    if ev.decay is None:
        return rate
    d = draw_values(draws, f"events[{i}].decay")
    months = np.arange(scenario.meta.horizon, dtype=float)[:, None]  # t − 1 for t = 1..H
    return (rate if rate.ndim == 2 else rate[None, :]) * d[None, :] ** months


def own_rate(scenario: Scenario, draws: Draws, i: int) -> np.ndarray:
    """Event i's rate before any decay: its parameter, or its reference class's."""
    ev = scenario.events[i]
    if ev.reference is None:
        return draw_values(draws, f"events[{i}].{ev.kind}")
    from accord.baserate import hazard
    from accord.baserate.tables import lookup

    ref = ev.reference
    est = lookup(ref.class_, ref.where)
    b = draw_values(draws, f"events[{i}].reference.band")
    if est.kind == "share":
        return hazard.share(est, b)
    offset = 0.0 if ref.since is None else hazard.months_since(ref.since, scenario.meta.as_of)
    return hazard.hazards(est, offset, scenario.meta.horizon, b)
