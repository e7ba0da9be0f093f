"""The earliest month each event could occur, whatever the numbers: a lower bound from the
structure alone, so a question that cannot come true by its date is said, not answered 0.0%.

An event can first fire in the first month its `when` can hold (a scheduled event, also not
before its month). Conditions read the state at the start of a month, so `E` holds at the
earliest the month after E's earliest; `since(E) >= n` n months after it; `count(E) >= n` once
E has had n months to fire; `not E`, issue outcomes and anything else may hold from month 1;
`and` needs all its parts (the latest of their earliest months), `or` any (the earliest); a date
test holds from the first month it is true. The bound is computed to a fixed point, so chains
and loops through `not` are followed. It never says an event is impossible when it is not.
"""

from __future__ import annotations

from accord.scenario import conditions as c
from accord.scenario.model import Event, Scenario

NEVER = None  # beyond the horizon, or never


def earliest_steps(s: Scenario) -> dict[str, int | None]:
    """Event id → the earliest step (1..horizon) it could occur in, or None."""
    best: dict[str, int | None] = {e.id: NEVER for e in s.events}
    for _ in range(s.meta.horizon + 2):  # each pass can only bring a bound earlier
        new = {e.id: _event(s, e, best) for e in s.events}
        if new == best:
            break
        best = new
    return best


def _event(s: Scenario, e: Event, best: dict[str, int | None]) -> int | None:
    if e.probability is not None and e.probability.support()[1] == 0:
        return NEVER
    t = _holds(s, e.condition, best)
    if t is not None and e.scheduled_month is not None:
        t = max(t, e.scheduled_month - s.month_index(1) + 1)
    return t if t is not None and t <= s.meta.horizon else NEVER


def _plus(t: int | None, n: int) -> int | None:
    return None if t is None else t + n


def _holds(s: Scenario, x: c.Expr, best: dict[str, int | None]) -> int | None:
    """The earliest step at whose start `x` could hold."""
    match x:
        case c.Const(v):
            return 1 if v else NEVER
        case c.Occurred(ev):
            return _plus(best.get(ev), 1)
        case c.And(items):
            steps = [_holds(s, i, best) for i in items]
            return NEVER if any(t is None for t in steps) else max(steps)  # type: ignore[type-var]
        case c.Or(items):
            steps = [t for i in items if (t := _holds(s, i, best)) is not None]
            return min(steps) if steps else NEVER
        case c.Compare(op, c.Since(ev) | c.Count(ev) as term, c.Number(v)) if op in (">=", ">"):
            n = int(v) + (1 if op == ">" else 0)
            if isinstance(term, c.Since):
                return _plus(best.get(ev), max(n, 1))
            return 1 if n <= 0 else _plus(best.get(ev), n)
        case c.Compare(_, c.Since(ev), _):
            return _plus(best.get(ev), 1)
        case c.Compare() if _dated(x):
            return _first_date_step(s, x)
    return 1  # not E, issue outcomes, other comparisons: may hold from the start


def _dated(x: c.Compare) -> bool:
    sides = (x.left, x.right)
    return any(isinstance(t, c.Now) for t in sides) and all(
        isinstance(t, c.Now | c.Number | c.DateLit) for t in sides)


def _first_date_step(s: Scenario, x: c.Compare) -> int | None:
    def value(t: c.Term, step: int) -> float:
        if isinstance(t, c.Now):
            return s.month_index(step)
        return t.index if isinstance(t, c.DateLit) else t.value  # type: ignore[attr-defined]

    for step in range(1, s.meta.horizon + 1):
        if c.OPS[x.op](value(x.left, step), value(x.right, step)):
            return step
    return NEVER


def unreachable_questions(s: Scenario) -> list[tuple[int, str]]:
    """(question index, why) for every question whose event cannot occur by its date."""
    from accord.scenario.calendar import add_months

    first = earliest_steps(s)
    out = []
    for i, q in enumerate(s.questions):
        if q.event not in first or q.by < s.meta.as_of:
            continue
        t, by_step = first[q.event], s.months_until(q.by) + 1  # by's month is step s + 1
        if t is None:
            out.append((i, f"it cannot come true: '{q.event}' cannot occur within the "
                           f"horizon, whatever the numbers"))
        elif t > by_step:
            start = add_months(s.meta.as_of, t - 1)
            out.append((i, f"it cannot come true by {q.by}: '{q.event}' can occur at the "
                           f"earliest in the month from {start} (its conditions hold no "
                           "sooner), so it answers 0%"))
    return out
