"""The exact solver's view of a scenario (accord.process.exact): events as arrays over rows, and
conditions as closures over a block of states.

Written independently of the Monte Carlo compiler (accord.process.compile): a small evaluator
of its own, over its own state layout, so an error in one does not hide in the other.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.process.rates import draw_values, event_rate
from accord.process.settlements import Settlements
from accord.scenario import conditions as c
from accord.scenario.draws import Draws
from accord.scenario.model import Scenario

MAX_UNCERTAIN = 16  # events that may or may not fire in one state: 2^16 subsets


class StateSpaceTooLarge(Exception):
    """The scenario is too big to solve exactly: a limit of the method, not a bug (use MC)."""


St = tuple[int, ...]  # per event i: st[4i] occurred/count, +1 cancelled, +2 resolved, +3 age
Pred = Callable[[np.ndarray, int], Any]  # a block of states (rows), step → truths
Obs = tuple[dict[int, bool], list[tuple[int, int]], set[int]]  # a month's clamps, counts, cancels


def point(draws: Draws, path: str) -> float:
    v = draw_values(draws, path)
    if v.size == 0 or not np.all(v == v[0]):
        raise ValueError(f"the exact solver needs point parameters; {path!r} has {v.size} draws")
    return float(v[0])


def caps(scenario: Scenario) -> tuple[dict[str, int], dict[str, int]]:
    """Count caps (repeatables) and age caps (since-tracked events)."""
    h = scenario.meta.horizon
    count_cap: dict[str, int] = {}
    age_cap: dict[str, int] = {}
    exprs = [e.condition for e in scenario.events]
    exprs += [m.condition for e in scenario.events for m in e.modifiers]
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


class Eval:
    """Conditions as closures over a block of states (a 2-D int array, one row a state, laid out
    as `St`), each giving one truth per row (or one for all, where no state is read). Kept
    apart from the Monte Carlo compiler (accord.process.compile), whose layout differs, so
    that an error in one does not hide in the other. What conditions read of the bargaining
    table comes from `settle` (accord.process.settlements), by each state's table mask."""

    def __init__(self, scenario: Scenario, settle: Settlements | None = None,
                 draws: Draws | None = None) -> None:
        self.rows = {e.id: i for i, e in enumerate(scenario.events)}
        self.month = scenario.month_index
        self.settle, self.draws = settle, draws
        self._memo: tuple[np.ndarray | None, dict[str, np.ndarray]] = (None, {})

    def row(self, event: str) -> int:
        if event not in self.rows:
            raise ValueError(f"condition refers to unknown event {event!r}")
        return self.rows[event]

    def columns(self, s: np.ndarray) -> dict[str, np.ndarray]:
        """The table's columns for each state of the block (one solve per distinct table)."""
        if self._memo[0] is not s:
            assert self.settle is not None
            occ = s[:, 0::4].T > 0 if self.settle.dynamic else None
            masks = None if occ is None else self.settle.masks(occ)
            self._memo = (s, self.settle.columns(np.zeros(len(s), np.int64), masks))
        return self._memo[1]

    def column(self, key: str) -> Callable[[np.ndarray, int], tuple[Any, Any]]:
        if self.settle is None:
            raise ValueError(f"a condition reads {key}: pass the issues' settlements")
        if not self.settle.dynamic:  # one table for every state: a number
            v = float(self.settle.columns(np.zeros(1, np.int64))[key][0])
            return lambda s, step: (v, None)
        return lambda s, step: (self.columns(s)[key], None)

    def term(self, t: c.Term) -> Callable[[np.ndarray, int], tuple[Any, Any]]:
        """A term as (value, defined): `defined` is None where always defined; since() is
        undefined while its event has not occurred, and any comparison with it is false."""
        match t:
            case c.Number(v):
                return lambda s, step: (v, None)
            case c.DateLit():
                idx = t.index
                return lambda s, step: (idx, None)
            case c.Now():
                return lambda s, step: (self.month(step), None)
            case c.Count(e):
                i = 4 * self.row(e)
                return lambda s, step: (s[:, i], None)
            case c.Since(e):
                i = 4 * self.row(e) + 3
                return lambda s, step: (s[:, i], s[:, i] > 0)
            case c.IssueOutcome(issue):
                return self.column(issue)
            case c.Gap(actor, issue):
                return self.column(c.gap_key(actor, issue))
            case c.ThresholdRef(name):
                if self.draws is None:
                    raise ValueError(f"a condition reads threshold({name}): pass the draws")
                v = point(self.draws, f"thresholds.{name}")
                return lambda s, step: (v, None)
        raise TypeError(t)

    def expr(self, x: c.Expr) -> Pred:
        match x:
            case c.Const(v):
                return lambda s, step: v
            case c.Occurred(e):
                i = 4 * self.row(e)
                return lambda s, step: s[:, i] > 0
            case c.Accepts(actor, issue):
                gap = self.column(c.gap_key(actor, issue))
                tol = self.column(c.tolerance_key(actor, issue))
                return lambda s, step: np.asarray(gap(s, step)[0] <= tol(s, step)[0])
            case c.Not(item):
                f = self.expr(item)
                return lambda s, step: np.logical_not(f(s, step))
            case c.And(items):
                fs = [self.expr(i) for i in items]
                return lambda s, step: _fold(np.logical_and, True, fs, s, step)
            case c.Or(items):
                fs = [self.expr(i) for i in items]
                return lambda s, step: _fold(np.logical_or, False, fs, s, step)
            case c.Compare(op, left, right):
                lf, rf = self.term(left), self.term(right)
                cmp = _OPS[op]

                def compare(s: np.ndarray, step: int) -> Any:
                    (a, a_ok), (b, b_ok) = lf(s, step), rf(s, step)
                    out = cmp(a, b)
                    for ok in (a_ok, b_ok):
                        if ok is not None:
                            out = out & ok
                    return out

                return compare
        raise TypeError(x)


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


def _fold(op: Callable[[Any, Any], Any], start: bool, fs: list[Pred], s: np.ndarray,
          step: int) -> Any:
    out: Any = start
    for f in fs:
        out = op(out, f(s, step))
    return out


@dataclass
class Model:
    """The events as arrays over event rows (rows in scenario file order), so that a whole
    block of states is evaluated at once; `when` and `mods` take the block (one row a state)."""

    kinds: list[str]
    rep: np.ndarray  # bool: repeatable
    chance: np.ndarray  # bool
    scheduled: np.ndarray  # bool
    sched: np.ndarray  # the month of a scheduled event (0 for others)
    when: list[Pred]
    rate: np.ndarray  # the monthly probability before modifiers (nan for scheduled events)
    by_step: np.ndarray | None  # (horizon, events): the rates where some change monthly
    mods: list[list[tuple[Pred, float]]]
    ccap: np.ndarray  # count caps (1 for events not repeatable)
    acap: np.ndarray  # age caps (0: since() of the event is not read)
    resets: np.ndarray  # bool (events, events): [i, g] where i's effects reset g
    cancels: np.ndarray  # bool (events, events): [i, g] where i's effects cancel g
    effective: list[int]  # events with effects
    cancellable: np.ndarray  # bool: some effect or the observations may cancel the event
    reset_targets: list[int]
    reps: list[int]  # repeatables
    tracked: list[int]  # events whose firing some mass records

    @property
    def n_ev(self) -> int:
        return len(self.kinds)

    def rate_at(self, t: int) -> np.ndarray:
        """The events' rates in month t (a reference class's hazard changes monthly)."""
        return self.rate if self.by_step is None else self.by_step[t - 1]

    def maxima(self) -> np.ndarray:
        """The largest value each slot of a state can take (it sizes the packed keys): the
        cancelled slot is only ever set for events something cancels, resolved only for chance
        events, and the age only where since() is read."""
        top = np.stack([self.ccap, self.cancellable, self.chance, self.acap], axis=1)
        return top.astype(np.int64).reshape(-1)


def point_rate(scenario: Scenario, draws: Draws, i: int) -> float | np.ndarray:
    """Event i's rate at point parameters: a number, or a reference class's monthly hazards."""
    v = event_rate(scenario, draws, i)
    if v.shape[-1] != 1 and not np.all(v == v[..., :1]):
        raise ValueError("the exact solver needs point parameters; "
                         f"events[{i}] has {v.shape[-1]} draws")
    return float(v[0]) if v.ndim == 1 else v[:, 0]


def by_step(rates: list, horizon: int) -> np.ndarray | None:
    """(horizon, events) rates where some event's rate changes month by month, else None."""
    if not any(isinstance(r, np.ndarray) for r in rates):
        return None
    return np.stack([np.full(horizon, np.nan if r is None else r) if not
                     isinstance(r, np.ndarray) else r for r in rates], axis=1)


def build_model(scenario: Scenario, draws: Draws, settle: Settlements,
                observed: Any) -> Model:
    """The scenario's events for point parameters, checked in the order errors were always
    reported: conditions and rates event by event, then modifiers, then effects."""
    ev = Eval(scenario, settle, draws)
    events = scenario.events
    n_ev = len(events)
    kinds = [e.kind for e in events]
    count_cap, age_cap = caps(scenario)
    if observed is not None:
        for checks in observed.counts.values():
            for r, n in checks:
                eid = events[r].id
                count_cap[eid] = max(count_cap.get(eid, 1), n + 1)
    ccap = [count_cap.get(e.id, 1) if e.kind == "repeatable" else 1 for e in events]
    acap = [age_cap.get(e.id, 0) for e in events]
    when = [ev.expr(e.condition) for e in events]
    rate = [None if e.kind == "scheduled" else point_rate(scenario, draws, i)
            for i, e in enumerate(events)]
    mods = [
        [
            (ev.expr(m.condition), point(draws, f"events[{i}].modifiers[{j}].multiply"))
            for j, m in enumerate(e.modifiers)
        ]
        for i, e in enumerate(events)
    ]
    sched = [
        e.scheduled_month for e in events
    ]
    resets = np.zeros((n_ev, n_ev), dtype=bool)
    cancels = np.zeros((n_ev, n_ev), dtype=bool)
    for i, e in enumerate(events):
        for tgt in e.effects.resets:
            resets[i, ev.row(tgt)] = True
        for tgt in e.effects.cancels:
            cancels[i, ev.row(tgt)] = True
    kind = np.array(kinds, dtype=object)
    cancelled = observed.cancel if observed is not None else ()
    reset_targets = sorted(set(np.flatnonzero(resets.any(axis=0)).tolist()))
    reps = [i for i in range(n_ev) if kinds[i] == "repeatable"]
    return Model(
        kinds=kinds, rep=kind == "repeatable", chance=kind == "chance",
        scheduled=kind == "scheduled",
        sched=np.array([0 if s is None else s for s in sched], dtype=np.int64),
        when=when, rate=np.array([np.nan if r is None else np.mean(r) for r in rate]),
        by_step=by_step(rate, scenario.meta.horizon),
        mods=mods, ccap=np.array(ccap, dtype=np.int64), acap=np.array(acap, dtype=np.int64),
        resets=resets, cancels=cancels,
        effective=np.flatnonzero(resets.any(axis=1) | cancels.any(axis=1)).tolist(),
        cancellable=cancels.any(axis=0) | np.isin(np.arange(n_ev), list(cancelled)),
        reset_targets=reset_targets, reps=reps,
        tracked=sorted({*reset_targets, *reps}),
    )



def regimes(
    scenario: Scenario, events: list, sched: list[int], draws: Draws | None = None,
) -> Callable[[int], object]:
    """month → a key equal for months in which every date test has the same outcome.

    Date tests are `date OP constant` comparisons (a constant may be a named threshold, at its
    point value in `draws`; their truth per month) and scheduled events
    (month ≥ their month, `sched`: the scheduled events' months); any other use of `date`
    makes every month its own regime.
    """
    tests: list[Callable[[int], bool]] = [(lambda month, m=m: month >= m) for m in sched]
    exprs = [e.condition for e in events] + [m.condition for e in events for m in e.modifiers]
    exact_month = False
    for x in exprs:
        for node in c.walk(x):
            if not isinstance(node, c.Compare):
                continue
            sides = (node.left, node.right)
            if not any(isinstance(sd, c.Now) for sd in sides):
                continue
            consts = all(isinstance(sd, c.Now | c.Number | c.DateLit | c.ThresholdRef)
                         for sd in sides)
            if not consts:
                exact_month = True
                continue
            fn = Eval(scenario, draws=draws).expr(node)
            tests.append(lambda month, fn=fn: _at_month(fn, scenario, month))
    if exact_month:
        return lambda month: month
    if not tests:
        return lambda month: 0
    return lambda month: tuple(f(month) for f in tests)


def _at_month(fn: Pred, scenario: Scenario, month: int) -> bool:
    """A date-only predicate's truth in a calendar month (it reads no state)."""
    step = month - scenario.month_index(0)
    return bool(fn(np.zeros((1, 0), dtype=np.int64), step))

