"""Signs in an observations file: soft evidence, read against a scenario's indicators.

    observed:
      - {indicator: customs_office_staffed, seen: 2025-09}       # a declared indicator, seen
      - {indicator: customs_office_staffed, not_seen: 2025-10}   # looked for, not seen
      - {event: treaty_signed, likelihood_ratio: 3, month: 2025-09, note: "a leak"}   # inline

A month (YYYY-MM) is the scenario month holding the last day of that calendar month; a full
date, the month holding that date (as `on:`). A sign in month t weighs each path by the
indicator's likelihood ratio L if its event has occurred by the end of month t (for a chance
event: if it occurs at all within the horizon — the sign bears on whether it will come up yes),
else by 1. Not seeing it weighs by 1 − q against 1 − q/L, where q is the indicator's
`seen_if_occurred`, the chance of seeing the sign in a month when the event has occurred.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.errors import Problem

SIGN_KEYS = ("indicator", "seen", "not_seen", "event", "likelihood_ratio", "month", "note")


@dataclass(frozen=True)
class SignEntry:
    """One sign as written: a declared indicator seen / not seen, or an inline one."""

    event: str | None
    indicator: str | None
    seen: bool
    date: dt.date
    ratio: float | None = None  # inline only
    note: str | None = None
    index: int = 0
    line: int | None = None
    month_only: bool = False  # written YYYY-MM: `date` is that month's last day

    def canonical(self) -> dict[str, Any]:
        return {"event": self.event, "indicator": self.indicator, "seen": self.seen,
                "date": self.date.isoformat(), "likelihood_ratio": self.ratio}


@dataclass(frozen=True)
class Sign:
    """A sign as the engines read it: a weight on paths by their event's first occurrence."""

    row: int  # the event's row
    step: int  # seen (or not) during month `step`
    seen: bool
    ratio: float | str  # a value, or the parameter path of the indicator's ratio in the draws
    p_seen: float | str | None  # seen_if_occurred likewise (needed when not seen)
    latent: bool  # a chance event: the sign bears on its coming up yes within the horizon
    label: str  # for messages: 'observed[3] (indicator customs_office_staffed)'


def month_end(value: Any) -> dt.date | None:
    """YYYY-MM → that month's last day; a date (or YYYY-MM-DD) → itself; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:])
            return dt.date(y, m, calendar.monthrange(y, m)[1]) if text[4] == "-" else None
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_sign(plain: dict[str, Any], index: int, line: int | None,
               fail: Callable[[str, tuple[str | int, ...]], None]) -> SignEntry | None:
    """One observations entry that names an indicator or a likelihood ratio (None if bad;
    each problem reported through `fail(message, path within the entry)`)."""
    bad = [k for k in plain if k not in SIGN_KEYS]
    for k in bad:
        fail(f"unknown field '{k}' (a sign has indicator with seen or not_seen, or event with "
             "likelihood_ratio and month)", (k,))
    if bad:
        return None
    if "indicator" in plain:
        ind = plain["indicator"]
        if not isinstance(ind, str) or not ind:
            fail("required: the id of an indicator the scenario declares", ("indicator",))
            return None
        kinds = [k for k in ("seen", "not_seen") if k in plain]
        if len(kinds) != 1 or "likelihood_ratio" in plain or "month" in plain:
            fail("a declared indicator needs exactly one of seen or not_seen (its ratio is "
                 "the scenario's)", ())
            return None
        d = month_end(plain[kinds[0]])
        if d is None:
            fail("write the month as YYYY-MM (or a date YYYY-MM-DD)", (kinds[0],))
            return None
        return SignEntry(None, ind, kinds[0] == "seen", d, note=plain.get("note"), index=index,
                         line=line, month_only=_month_only(plain[kinds[0]]))
    return _inline(plain, index, line, fail)


def _inline(plain: dict[str, Any], index: int, line: int | None,
            fail: Callable[[str, tuple[str | int, ...]], None]) -> SignEntry | None:
    ev = plain.get("event")
    if not isinstance(ev, str) or not ev:
        fail("required: the id of the event the sign bears on", ("event",))
        return None
    ratio = plain.get("likelihood_ratio")
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not ratio > 0 \
            or ratio == float("inf"):
        fail("a likelihood ratio is a number greater than 0 (1: the sign says nothing)",
             ("likelihood_ratio",))
        return None
    d = month_end(plain.get("month"))
    if d is None:
        fail("required: the month the sign was seen, YYYY-MM (or a date YYYY-MM-DD)", ("month",))
        return None
    return SignEntry(ev, None, True, d, float(ratio), plain.get("note"), index, line,
                     _month_only(plain.get("month")))


def _month_only(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 7


def map_signs(entries: list[SignEntry], scenario: Any, problem: Callable[..., Problem],
              step_of: Callable[[dt.date], int], as_of: dt.date | None = None,
              ) -> tuple[list[Sign], list[Problem]]:
    """The signs as months and weights of `scenario`, or the problems naming each entry (a
    sign seen after the observations' `as_of` among them: see `_late`)."""
    rows = {e.id: i for i, e in enumerate(scenario.events)}
    declared = {x.id: (i, x) for i, x in enumerate(scenario.indicators)}
    a0, h = scenario.meta.as_of, scenario.meta.horizon
    signs, probs = [], []
    for s in entries:
        key = "month" if s.indicator is None else ("seen" if s.seen else "not_seen")
        if s.date < a0 or step_of(s.date) + 1 > h:
            probs.append(problem(f"{s.date:%Y-%m} lies outside the scenario's months "
                                 f"({a0} + {h} months)", s.index, key))
            continue
        late = _late(s, as_of, step_of)
        if late:
            probs.append(problem(late, s.index, key))
            continue
        if s.indicator is not None:
            if s.indicator not in declared:
                probs.append(problem(f"undeclared indicator '{s.indicator}' (declared: "
                                     f"{', '.join(declared) or 'none'})", s.index, "indicator"))
                continue
            i, ind = declared[s.indicator]
            if not s.seen and ind.seen_if_occurred is None:
                probs.append(problem(f"indicator '{s.indicator}' has no seen_if_occurred, so a "
                                     "month without the sign cannot be read", s.index, key))
                continue
            event, ratio = ind.event, f"indicators[{i}].likelihood_ratio"
            p_seen = None if s.seen else f"indicators[{i}].seen_if_occurred"
        else:
            if s.event not in rows:
                probs.append(problem(f"unknown event '{s.event}'", s.index, "event"))
                continue
            event, ratio, p_seen = s.event, s.ratio, None
        label = f"observed[{s.index}] ({s.indicator or event})"
        signs.append(Sign(rows[event], step_of(s.date) + 1, s.seen, ratio, p_seen,  # type: ignore[arg-type]
                          scenario.events[rows[event]].kind == "chance", label))
    return signs, probs


def _late(s: SignEntry, as_of: dt.date | None, step_of: Callable[[dt.date], int]) -> str:
    """Why a sign cannot have been seen by `as_of` ("" if it can): a date after it, or a month
    (YYYY-MM, read as the scenario month holding its last day) that begins after it. A sign in
    the month holding as_of is read as seen by the end of that month, which then counts as
    observed (accord.scenario.observations)."""
    if as_of is None:
        return ""
    if s.month_only and step_of(s.date) > step_of(as_of):
        return (f"{s.date:%Y-%m}: the scenario month holding that month's end begins after "
                f"as_of {as_of}; write the day the sign was seen (YYYY-MM-DD, on or before "
                "as_of)")
    if not s.month_only and s.date > as_of:
        return f"{s.date}: after as_of {as_of}; a sign is seen on or before as_of"
    return ""
