"""The date rule: where "by date D" reads a curve kept in whole months.

The process steps in months: step s ends at as_of + s months (00:00 of that day), and the
curve P(occurred by step s) is known at s = 0..H. A question "by D" means by the end of day D,
the instant D + 1 day. That instant falls in month s + 1 (as_of + s months ≤ D + 1 day <
as_of + (s + 1) months), a fraction f of that month's days into it. Occurrence within a month
is spread evenly over its days, so

    P(by D) = (1 − f) · curve[s] + f · curve[s + 1],     f = days into month s + 1 / its days.

With a constant monthly hazard h this is 1 − (1 − h)^s · (1 − f·h): the closed form the tests
hold every reader to. The alternative, calendar months with a prorated first one, would move
every step boundary to the 1st of a month and change every stored curve; reading between the
steps keeps the engines' months and answers the date asked. The old rule read curve[s] alone,
missing everything between as_of + s months and D (up to a month less one day).

Every reader of a date goes through `deadline`: questions, `forecast --by`, backtest, the
ledger, explain, watch, compare, sensitivity targets and the figures' deadline markers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.scenario.calendar import add_months, month_number

RULE = "the end of the day, interpolated within its month"
OLD_RULE = "the last whole month before the date (runs stored before December 2026)"


@dataclass(frozen=True)
class Deadline:
    """Where a date reads a monthly curve: `frac` of the way from step `step` to `step + 1`."""

    step: int  # whole months completed by the end of the day, 0..H
    frac: float = 0.0  # of month step + 1, in [0, 1); 0 at the horizon

    @property
    def at(self) -> float:
        """The deadline in months from as_of (for charts' markers)."""
        return self.step + self.frac

    @property
    def reads(self) -> tuple[tuple[int, float], ...]:
        """(step, weight) pairs whose weighted sum is the reading; weights add up to 1."""
        if self.frac == 0.0:
            return ((self.step, 1.0),)
        return ((self.step, 1.0 - self.frac), (self.step + 1, self.frac))

    def read(self, curve: np.ndarray | list[float]) -> np.ndarray:
        """The curve (steps on its last axis) at the deadline."""
        c = np.asarray(curve, dtype=float)
        return self.combine([c[..., s] for s, _ in self.reads])

    def combine(self, values: Sequence[np.ndarray | float]) -> np.ndarray:
        """The reading from the curve's values at the steps of `reads`, in that order: the one
        formula every reader uses, so all give the same number to the last bit."""
        if len(values) == 1:
            return np.asarray(values[0], dtype=float)
        (_, w0), (_, w1) = self.reads
        return np.asarray(w0 * np.asarray(values[0]) + w1 * np.asarray(values[1]))

    def hit(self, first: np.ndarray) -> np.ndarray:
        """Per path, the share of "occurred by the deadline" from first-occurrence steps
        (0 = never): 1 by step, frac if in month step + 1, else 0."""
        out = np.zeros(np.shape(first))
        for s, w in self.reads:
            out += w * ((first > 0) & (first <= s))
        return out



def deadline(as_of: dt.date, horizon: int, by: dt.date) -> Deadline:
    """The reading of "by the end of day `by`" on a curve of steps 0..horizon from `as_of`,
    clipped to the curve's span (dates outside it are validation errors where users write
    them)."""
    end = by + dt.timedelta(days=1)
    s = month_number(end) - month_number(as_of)
    if add_months(as_of, s) > end:
        s -= 1
    if s < 0:
        return Deadline(0, 0.0)
    if s >= horizon:
        return Deadline(horizon, 0.0)
    start, stop = add_months(as_of, s), add_months(as_of, s + 1)
    return Deadline(s, (end - start).days / (stop - start).days)


def stored_deadline(question: dict[str, object]) -> Deadline:
    """The deadline a stored question was read at: runs stored before this rule carry no `at`
    and were read at their whole step (OLD_RULE)."""
    step = int(question["step"])  # type: ignore[call-overload]
    at = question.get("at")
    if at is None:
        return Deadline(step)
    return Deadline(step, round(float(at) - step, 12))  # type: ignore[arg-type]
