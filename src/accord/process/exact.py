"""Exact solver of the event process for point parameters: the oracle Monte Carlo is tested against.

The same semantics as accord.process.montecarlo (read its docstring), computed as a Markov chain
over the reachable states instead of by sampling. A state holds per event: occurred — for a
repeatable its count, capped just above the largest number any condition compares count() with —
cancelled, chance-resolved, and for events whose since() some condition reads, the value since()
will have next month, capped just above the largest threshold it is compared with. (Compared with
anything but a number, counts and ages are kept exactly.) The distribution over states is
propagated month by month; in each state the events that can fire are independent within the
month, so the 2^k subsets of the k uncertain ones are enumerated.

Alongside each state's probability the solver carries linear "masses" that need no extra state:
per reset-able event the probability of having ever occurred (resets clear occurred, not the
first occurrence), and per repeatable its uncapped expected count. The curves are
P(event occurred at least once by step s), s = 0..H, exactly as Monte Carlo estimates them.

Written independently of the vectorised compiler (a small scalar evaluator of its own), so an
error in one does not hide in the other.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from accord.process.forecast import EventForecast, Forecast, questions_of, step_dates
from accord.scenario import conditions as c
from accord.scenario.draws import Draws, central_draws
from accord.scenario.model import Scenario

MAX_STATES = 200_000
MAX_UNCERTAIN = 16  # events that may or may not fire in one state: 2^16 subsets

St = tuple[int, ...]  # per event i: st[4i] occurred/count, +1 cancelled, +2 resolved, +3 age
Pred = Callable[[St, int], bool]


@dataclass
class ExactResult:
    event_ids: list[str]
    kinds: list[str]
    horizon: int
    probability: np.ndarray  # (events, H+1): P(occurred at least once by step s)
    mean_count: dict[str, np.ndarray]  # repeatables: expected count at each step 0..H
    max_states: int  # the largest number of states at any step


def _point(draws: Draws, path: str) -> float:
    try:
        v = np.asarray(draws[path], dtype=float).reshape(-1)
    except KeyError:
        raise ValueError(f"draws lack parameter {path!r}") from None
    if v.size == 0 or not np.all(v == v[0]):
        raise ValueError(f"the exact solver needs point parameters; {path!r} has {v.size} draws")
    return float(v[0])


def _caps(scenario: Scenario) -> tuple[dict[str, int], dict[str, int]]:
    """Count caps (repeatables) and age caps (since-tracked events)."""
    h = scenario.meta.horizon
    count_cap: dict[str, int] = {}
    age_cap: dict[str, int] = {}
    exprs = [e.condition for e in scenario.events]
    exprs += [c.parse(m.if_) for e in scenario.events for m in e.modifiers]
    for x in exprs:
        for node in c.walk(x):
            if not isinstance(node, c.Compare):
                continue
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(side, c.Count | c.Since):
                    table = count_cap if isinstance(side, c.Count) else age_cap
                    if isinstance(other, c.Number):
                        cap = max(math.floor(other.value) + 1, 1)
                    else:
                        cap = h + 1
                    table[side.event] = max(table.get(side.event, 1), min(cap, h + 1))
    return count_cap, age_cap


class _Eval:
    """Conditions as scalar closures over a state tuple."""

    def __init__(self, scenario: Scenario, issues: Mapping[str, float]) -> None:
        self.rows = {e.id: i for i, e in enumerate(scenario.events)}
        self.month = scenario.month_index
        self.issues = issues

    def row(self, event: str) -> int:
        if event not in self.rows:
            raise ValueError(f"condition refers to unknown event {event!r}")
        return self.rows[event]

    def term(self, t: c.Term) -> Callable[[St, int], float | None]:
        match t:
            case c.Number(v):
                return lambda s, step: v
            case c.DateLit():
                idx = t.index
                return lambda s, step: idx
            case c.Now():
                return lambda s, step: self.month(step)
            case c.Count(e):
                i = 4 * self.row(e)
                return lambda s, step: s[i]
            case c.Since(e):
                i = 4 * self.row(e) + 3
                return lambda s, step: s[i] if s[i] > 0 else None
            case c.IssueOutcome(issue):
                if issue not in self.issues:
                    raise ValueError(f"a condition reads issue.{issue}: pass its outcome")
                v = float(self.issues[issue])
                return lambda s, step: v
        raise TypeError(t)

    def expr(self, x: c.Expr) -> Pred:
        match x:
            case c.Const(v):
                return lambda s, step: v
            case c.Occurred(e):
                i = 4 * self.row(e)
                return lambda s, step: s[i] > 0
            case c.Not(item):
                f = self.expr(item)
                return lambda s, step: not f(s, step)
            case c.And(items):
                fs = [self.expr(i) for i in items]
                return lambda s, step: all(f(s, step) for f in fs)
            case c.Or(items):
                fs = [self.expr(i) for i in items]
                return lambda s, step: any(f(s, step) for f in fs)
            case c.Compare(op, left, right):
                lf, rf = self.term(left), self.term(right)
                cmp = {
                    "<": lambda a, b: a < b,
                    "<=": lambda a, b: a <= b,
                    ">": lambda a, b: a > b,
                    ">=": lambda a, b: a >= b,
                    "==": lambda a, b: a == b,
                    "!=": lambda a, b: a != b,
                }[op]

                def compare(s: St, step: int) -> bool:
                    a, b = lf(s, step), rf(s, step)
                    return a is not None and b is not None and cmp(a, b)

                return compare
        raise TypeError(x)


def solve(
    scenario: Scenario,
    draws: Draws | None = None,
    issue_outcomes: Mapping[str, float | np.ndarray] | None = None,
    max_states: int = MAX_STATES,
) -> ExactResult:
    """Exact curves for point parameters (one draw; default: the central values).

    Raises ValueError if the parameters are not points, or the state space exceeds max_states.
    """
    draws = central_draws(scenario) if draws is None else draws
    issues = {k: _point({k: np.asarray(v)}, k) for k, v in (issue_outcomes or {}).items()}
    ev = _Eval(scenario, issues)
    events = scenario.events
    n_ev, h = len(events), scenario.meta.horizon
    kinds = [e.kind for e in events]
    count_cap, age_cap = _caps(scenario)
    ccap = [count_cap.get(e.id, 1) if e.kind == "repeatable" else 1 for e in events]
    acap = [age_cap.get(e.id, 0) for e in events]
    when = [ev.expr(e.condition) for e in events]
    rate = [
        None if e.kind == "scheduled" else _point(draws, f"events[{i}].{e.kind}")
        for i, e in enumerate(events)
    ]
    mods = [
        [
            (ev.expr(c.parse(m.if_)), _point(draws, f"events[{i}].modifiers[{j}].multiply"))
            for j, m in enumerate(e.modifiers)
        ]
        for i, e in enumerate(events)
    ]
    sched = [
        None if e.scheduled is None else e.scheduled.year * 12 + e.scheduled.month - 1
        for e in events
    ]
    resets = [[ev.row(t) for t in e.effects.resets] for e in events]
    cancels = [[ev.row(t) for t in e.effects.cancels] for e in events]
    reset_targets = sorted({t for r in resets for t in r})
    reps = [i for i in range(n_ev) if kinds[i] == "repeatable"]
    em_pos = {g: 1 + j for j, g in enumerate(reset_targets)}
    cm_pos = {r: 1 + len(reset_targets) + j for j, r in enumerate(reps)}
    width = 1 + len(reset_targets) + len(reps)

    dist: dict[St, list[float]] = {(0,) * (4 * n_ev): [1.0] + [0.0] * (width - 1)}
    prob = np.zeros((n_ev, h + 1))
    mean_count = {events[r].id: np.zeros(h + 1) for r in reps}
    biggest = 1
    # Transitions depend on the state alone unless a condition reads the date or an event is
    # scheduled: then on (state, month). They are enumerated once per key and reused every
    # month the key recurs — most of the probability mass sits in a few recurring states.
    dated = any(k == "scheduled" for k in kinds) or any(
        isinstance(n, c.Now)
        for e in events
        for x in (e.condition, *(c.parse(m.if_) for m in e.modifiers))
        for n in c.walk(x)
    )
    cache: dict[tuple[St, int], list[Move]] = {}
    for t in range(1, h + 1):
        month = scenario.month_index(t)
        new: dict[St, list[float]] = {}
        for st, vec in dist.items():
            key = (st, month if dated else 0)
            moves = cache.get(key)
            if moves is None:
                moves = cache[key] = _moves(
                    st, t, month, n_ev, kinds, sched, when, rate, mods, ccap, acap, resets,
                    cancels, em_pos, cm_pos,
                )
            p0 = vec[0]
            for nst, q, em_fired, cm_fired, cm_reset in moves:
                nvec = [q * x for x in vec]
                for j in em_fired:
                    nvec[j] = q * p0
                for j in cm_fired:
                    nvec[j] += q * p0
                for j in cm_reset:
                    nvec[j] = 0.0
                acc = new.get(nst)
                if acc is None:
                    new[nst] = nvec
                else:
                    for j in range(width):
                        acc[j] += nvec[j]
        if len(new) > max_states:
            raise ValueError(
                f"exact solver: {len(new)} states by step {t} exceed the limit of {max_states}; "
                "use Monte Carlo"
            )
        dist = new
        biggest = max(biggest, len(dist))
        for st, vec in dist.items():
            for i in range(n_ev):
                prob[i, t] += vec[em_pos[i]] if i in em_pos else (vec[0] if st[4 * i] else 0.0)
            for r in reps:
                mean_count[events[r].id][t] += vec[cm_pos[r]]
    return ExactResult(
        event_ids=[e.id for e in events],
        kinds=kinds,
        horizon=h,
        probability=prob,
        mean_count=mean_count,
        max_states=biggest,
    )


Move = tuple[St, float, list[int], list[int], list[int]]  # next state, prob, mass ops


def _moves(
    st: St,
    t: int,
    month: int,
    n_ev: int,
    kinds: list[str],
    sched: list[int | None],
    when: list[Pred],
    rate: list[float | None],
    mods: list[list[tuple[Pred, float]]],
    ccap: list[int],
    acap: list[int],
    resets: list[list[int]],
    cancels: list[list[int]],
    em_pos: dict[int, int],
    cm_pos: dict[int, int],
) -> list[Move]:
    """Every way one month can go from `st`: the next state, its probability, and which masses
    the firings set (ever-occurred), add to (expected counts) or clear (reset counts)."""
    sure: list[int] = []
    unsure: list[tuple[int, float]] = []
    resolving: list[int] = []
    for i in range(n_ev):
        o, k, r = st[4 * i], st[4 * i + 1], st[4 * i + 2]
        if k or (o and kinds[i] != "repeatable") or (r and kinds[i] == "chance"):
            continue
        if kinds[i] == "scheduled" and month < sched[i]:  # type: ignore[operator]
            continue
        if not when[i](st, t):
            continue
        if kinds[i] == "scheduled":
            sure.append(i)
            continue
        p = rate[i]
        for cond, mult in mods[i]:
            if cond(st, t):
                p *= mult  # type: ignore[operator]
        if kinds[i] == "chance":
            resolving.append(i)
        if p >= 1:  # type: ignore[operator]
            sure.append(i)
        elif p > 0:  # type: ignore[operator]
            unsure.append((i, p))  # type: ignore[arg-type]
    if len(unsure) > MAX_UNCERTAIN:
        raise ValueError(
            f"exact solver: {len(unsure)} events may fire in one month (limit "
            f"{MAX_UNCERTAIN}); use Monte Carlo"
        )
    merged: dict[tuple[St, tuple[int, ...], tuple[int, ...], tuple[int, ...]], float] = {}
    for bits in itertools.product((False, True), repeat=len(unsure)):
        q = 1.0
        fired = list(sure)
        for (i, p), b in zip(unsure, bits, strict=True):
            if b:
                q *= p
                fired.append(i)
            else:
                q *= 1 - p
        if q == 0.0:
            continue
        nst, reset_now = _next(st, fired, resolving, kinds, ccap, acap, resets, cancels)
        fired_set = set(fired)
        key = (
            nst,
            tuple(j for g, j in em_pos.items() if g in fired_set),
            tuple(j for r, j in cm_pos.items() if r in fired_set),
            tuple(cm_pos[g] for g in sorted(reset_now) if g in cm_pos),
        )
        merged[key] = merged.get(key, 0.0) + q  # outcomes alike in state and masses add up
    return [(nst, q, list(em), list(cm), list(rs)) for (nst, em, cm, rs), q in merged.items()]


def _next(
    st: St,
    fired: list[int],
    resolving: list[int],
    kinds: list[str],
    ccap: list[int],
    acap: list[int],
    resets: list[list[int]],
    cancels: list[list[int]],
) -> tuple[St, set[int]]:
    """The state after one month in which exactly `fired` fired, and the events it reset."""
    s = list(st)
    fired_set = set(fired)
    for i in range(len(kinds)):
        a = 4 * i + 3
        if i in fired_set:
            s[4 * i] = min(s[4 * i] + 1, ccap[i]) if kinds[i] == "repeatable" else 1
            if acap[i]:
                s[a] = 1
        elif s[a]:
            s[a] = min(s[a] + 1, acap[i])
    for i in resolving:
        s[4 * i + 2] = 1
    reset_now = {g for i in fired for g in resets[i]}
    for g in reset_now:
        s[4 * g : 4 * g + 4] = [0, 0, 0, 0]
    for i in fired:
        for g in cancels[i]:
            s[4 * g + 1] = 1
    return tuple(s), reset_now


def exact_forecast(
    scenario: Scenario,
    draws: Draws | None = None,
    issue_outcomes: Mapping[str, float | np.ndarray] | None = None,
    max_states: int = MAX_STATES,
) -> Forecast:
    """The exact solution as a Forecast (no standard error, band or path orders)."""
    r = solve(scenario, draws, issue_outcomes, max_states)
    events = {
        eid: EventForecast(
            id=eid,
            kind=r.kinds[i],
            probability=r.probability[i].tolist(),
            stderr=[0.0] * (r.horizon + 1),
            mean_count=float(r.mean_count[eid][-1]) if eid in r.mean_count else None,
            mean_count_stderr=0.0 if eid in r.mean_count else None,
        )
        for i, eid in enumerate(r.event_ids)
    }
    return Forecast(
        scenario_id=scenario.meta.id,
        method="exact",
        horizon=r.horizon,
        dates=step_dates(scenario),
        paths=0,
        draws=1,
        paths_per_draw=0,
        seed=None,
        events=events,
        questions=questions_of(scenario, {k: r.probability[i] for i, k in enumerate(r.event_ids)}),
    )


solve_exact = exact_forecast  # the name accord.analysis.run uses
