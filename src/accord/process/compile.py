"""Conditions compiled once into vectorised evaluators over the Monte Carlo state arrays.

An evaluator is a closure `f(state, t) -> bool | ndarray[bool]` (one value per path of the
chunk). Nothing is interpreted per path and nothing goes through `eval`. What does not change is
computed once: constant sub-expressions fold at compile time, date-only ones become a table over
the steps (so `date >= 2026-06` costs a list lookup per month), and issue-only ones (issue
outcomes are per-draw constants) are evaluated once per chunk and cached in the state.

Semantics (see accord.scenario.conditions): a bare event means "has occurred" (a repeatable: at
least once); `count(E)` is the count of a repeatable, 0/1 for other events; `since(E)` is
t − (step of E's latest occurrence), 1 in the month after it occurred, and any comparison with it
is false while E has not occurred (or since it was reset); `date` is the calendar month of step t.
The arrays an evaluator returns may be views of the state: callers must never modify them in place.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np

from accord.scenario import conditions as c
from accord.scenario.conditions import OPS, gap_key, threshold_key, tolerance_key
from accord.scenario.model import Scenario

Mask = bool | np.ndarray
Evaluator = Callable[["State", int], Mask]

@dataclass
class State:
    """The state of a chunk of paths, shape (events, paths), rows in scenario file order.

    `last` is the step of the latest occurrence (0 = never or reset), `first` the step of the
    first occurrence ever (0 = never; never reset: it is what the forecast counts).
    """

    occ: np.ndarray  # bool
    canc: np.ndarray  # bool
    res: np.ndarray  # bool: a chance event resolved (yes or no)
    count: np.ndarray  # int32, repeatables only (zeros elsewhere)
    last: np.ndarray  # int16
    first: np.ndarray  # int16
    # per path, what conditions read of the bargaining table (accord.process.settlements):
    # replaced, never changed in place, when the path's table changes
    issues: dict[str, np.ndarray] = field(default_factory=dict)
    cache: dict[int, Mask] = field(default_factory=dict)  # table-only sub-expressions

    @classmethod
    def empty(cls, n_events: int, n_paths: int, issues: dict[str, np.ndarray]) -> State:
        shape = (n_events, n_paths)
        return cls(
            occ=np.zeros(shape, bool),
            canc=np.zeros(shape, bool),
            res=np.zeros(shape, bool),
            count=np.zeros(shape, np.int32),
            last=np.zeros(shape, np.int16),
            first=np.zeros(shape, np.int16),
            issues=issues,
        )


class Dep(IntEnum):
    """What a sub-expression depends on; a node depends on the most of its children."""

    CONST = 0
    TIME = 1
    STATIC = 2  # issue outcomes: per path, fixed for the whole run
    STATE = 3


@dataclass
class Layout:
    """What the compiler needs to know about the scenario."""

    rows: dict[str, int]
    repeatable: set[str]
    issues: set[str]
    horizon: int
    month_of_step: Callable[[int], int]

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        return cls(
            rows={e.id: i for i, e in enumerate(scenario.events)},
            repeatable={e.id for e in scenario.events if e.kind == "repeatable"},
            issues={i.id for i in scenario.issues},
            horizon=scenario.meta.horizon,
            month_of_step=scenario.month_index,
        )


_KEYS = itertools.count()  # cache slots of issue-only sub-expressions, unique per process

# A compiled term yields (value, defined): defined is None when the value always exists.
TermFn = Callable[["State", int], tuple[Any, Mask | None]]


def _join(a: Mask, b: Mask, zero: bool, op: Callable[[Any, Any], Any]) -> Mask:
    """a op b for masks, `zero` the constant that decides the result alone (False for and,
    True for or): no array is built where a constant settles it."""
    if a is zero or b is zero:
        return zero
    if a is (not zero):
        return b
    if b is (not zero):
        return a
    return op(a, b)


def _and(a: Mask, b: Mask) -> Mask:
    return _join(a, b, False, np.logical_and)


def _or(a: Mask, b: Mask) -> Mask:
    return _join(a, b, True, np.logical_or)


def _integer_test(op: str, v: float) -> tuple[str, int] | bool:
    """An integer x op v as x op' n, op' one of >= <= == != (or a constant when v rules it out).

    n is clipped to ±1000 (beyond any horizon) so it compares in the arrays' small int dtypes.
    """
    lo, hi = math.floor(v), math.ceil(v)
    match op:
        case ">=":
            test = (">=", hi)
        case ">":
            test = (">=", lo + 1)
        case "<=":
            test = ("<=", lo)
        case "<":
            test = ("<=", hi - 1)
        case "==":
            if lo != hi:
                return False
            test = ("==", lo)
        case _:
            if lo != hi:
                return True
            test = ("!=", lo)
    return test[0], max(-1000, min(1000, test[1]))


def _scalar(v: Any) -> Mask:
    return bool(v) if isinstance(v, bool | np.bool_) else v


def _depends(deps: Iterable[Dep]) -> Dep:
    """What a node of these children depends on: the most of them, except that time and the
    per-chunk columns together change both month by month and path by path (STATE)."""
    ds = set(deps)
    if Dep.TIME in ds and Dep.STATIC in ds:
        return Dep.STATE
    return max(ds)


def _column(key: str) -> tuple[TermFn, Dep]:
    """A column of the state's table values (accord.process.settlements): per path, changed
    only at events, so cached per chunk until the table changes."""

    def column(s: State, step: int) -> tuple[Any, Mask | None]:
        try:
            return s.issues[key], None
        except KeyError:
            raise ValueError(f"a condition reads {key}, which this run was not given") from None

    return column, Dep.STATIC


class Compiler:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def _row(self, event: str) -> int:
        try:
            return self.layout.rows[event]
        except KeyError:
            raise ValueError(f"condition refers to unknown event {event!r}") from None

    # ---- terms ------------------------------------------------------------------------------
    def term(self, t: c.Term) -> tuple[TermFn, Dep]:
        match t:
            case c.Number(v):
                return (lambda s, step: (v, None)), Dep.CONST
            case c.DateLit():
                idx = t.index
                return (lambda s, step: (idx, None)), Dep.CONST
            case c.Now():
                month = self.layout.month_of_step
                return (lambda s, step: (month(step), None)), Dep.TIME
            case c.Count(e):
                row = self._row(e)
                if e in self.layout.repeatable:
                    return (lambda s, step: (s.count[row], None)), Dep.STATE
                return (lambda s, step: (s.occ[row], None)), Dep.STATE

            case c.Since(e):
                row = self._row(e)

                def since(s: State, step: int) -> tuple[Any, Mask | None]:
                    last = s.last[row]
                    return step - last.astype(np.int32), last > 0

                return since, Dep.STATE
            case c.IssueOutcome(issue) | c.Gap(_, issue):
                if issue not in self.layout.issues:
                    raise ValueError(f"condition refers to unknown issue {issue!r}")
                return _column(issue if isinstance(t, c.IssueOutcome) else gap_key(t.actor, issue))
            case c.ThresholdRef(name):
                return _column(threshold_key(name))
        raise TypeError(t)

    # ---- expressions ------------------------------------------------------------------------
    def expr(self, e: c.Expr) -> tuple[Evaluator, Dep]:
        match e:
            case c.Const(v):
                return (lambda s, step: v), Dep.CONST
            case c.Occurred(ev):
                row = self._row(ev)
                return (lambda s, step: s.occ[row]), Dep.STATE
            case c.Accepts(actor, issue):
                gap, _ = self.term(c.Gap(actor, issue))
                tol, _ = _column(tolerance_key(actor, issue))
                return (lambda s, step: gap(s, step)[0] <= tol(s, step)[0]), Dep.STATIC
            case c.Not(item):
                f, d = self.expr(item)
                f = self._fold(f, d)

                def not_(s: State, step: int) -> Mask:
                    v = f(s, step)
                    return (not v) if isinstance(v, bool) else np.logical_not(v)

                return not_, d
            case c.And(items) | c.Or(items):
                parts = [self.expr(i) for i in items]
                fns = [self._fold(*p) for p in parts]
                join = _and if isinstance(e, c.And) else _or
                stop = isinstance(e, c.Or)  # the value that decides without the rest

                def combine(s: State, step: int) -> Mask:
                    acc: Mask = not stop
                    for f in fns:
                        acc = join(acc, f(s, step))
                        if acc is stop:
                            return acc
                    return acc

                return combine, _depends(p[1] for p in parts)
            case c.Compare(op, c.Since() | c.Count() as left, c.Number(v)):
                return self._counted(op, left, v)
            case c.Compare(op, left, right):
                (lf, ld), (rf, rd) = self.term(left), self.term(right)
                fn = OPS[op]

                def compare(s: State, step: int) -> Mask:
                    lv, ldef = lf(s, step)
                    rv, rdef = rf(s, step)
                    out = _scalar(fn(lv, rv))
                    if ldef is not None:
                        out = _and(out, ldef)
                    if rdef is not None:
                        out = _and(out, rdef)
                    return out

                return compare, _depends((ld, rd))
        raise TypeError(e)

    # ---- integer terms against a number: one or two comparisons in the state's own dtype ----
    def _counted(self, op: str, left: c.Since | c.Count, v: float) -> tuple[Evaluator, Dep]:
        """since(E) or count(E) op a number."""
        ev = left.event
        test = _integer_test(op, v)
        if isinstance(test, bool):
            if isinstance(left, c.Since):  # false while never occurred, whatever test
                row = self._row(ev)
                return (lambda s, step: s.last[row] > 0) if test else (
                    lambda s, step: False
                ), Dep.STATE
            return (lambda s, step: test), Dep.CONST
        if isinstance(left, c.Since):
            return self._since_test(self._row(ev), *test), Dep.STATE
        return self._count_test(ev, *test)

    def _since_test(self, row: int, op: str, n: int) -> Evaluator:
        """since(E) op n, as a test of last(E) against t − n (since = t − last, last 0 = never)."""

        def since_test(s: State, step: int) -> Mask:
            last, bound = s.last[row], step - n
            if op == ">=":
                return np.logical_and(last > 0, last <= bound) if bound >= 1 else False
            if op == "<=":
                return last >= bound if bound >= 1 else last > 0
            if op == "==":
                return last == bound if bound >= 1 else False
            return np.logical_and(last > 0, last != bound)  # "!="

        return since_test

    def _count_test(self, event: str, op: str, n: int) -> tuple[Evaluator, Dep]:
        row = self._row(event)
        fn = OPS[op]
        if event in self.layout.repeatable:
            return (lambda s, step: fn(s.count[row], n)), Dep.STATE
        truth = (bool(fn(0, n)), bool(fn(1, n)))  # count is 0 or 1: occurred or not
        if truth[0] == truth[1]:
            return (lambda s, step: truth[0]), Dep.CONST
        if truth[1]:
            return (lambda s, step: s.occ[row]), Dep.STATE
        return (lambda s, step: np.logical_not(s.occ[row])), Dep.STATE

    def compile(self, e: c.Expr) -> Evaluator:
        """A fast evaluator: constants folded, time-only tabulated, issue-only cached per chunk."""
        return self._fold(*self.expr(e))

    def _fold(self, f: Evaluator, dep: Dep) -> Evaluator:
        if dep == Dep.CONST:
            value = bool(f(None, 1))  # type: ignore[arg-type]
            return lambda s, step: value
        if dep == Dep.TIME:
            table = [bool(f(None, step)) for step in range(self.layout.horizon + 2)]  # type: ignore[arg-type]
            return lambda s, step: table[step]
        if dep == Dep.STATIC:
            key = next(_KEYS)

            def cached(s: State, step: int) -> Mask:
                if key not in s.cache:
                    v = f(s, step)
                    s.cache[key] = bool(v) if np.ndim(v) == 0 else v
                return s.cache[key]

            return cached
        return f


def compile_condition(expr: c.Expr, layout: Layout, compiler: Compiler | None = None) -> Evaluator:
    return (compiler or Compiler(layout)).compile(expr)


def since_events(scenario: Scenario) -> set[str]:
    """Events whose latest-occurrence step some condition reads (only these track `last`)."""
    out: set[str] = set()
    for ev in scenario.events:
        for x in ev.conditions:
            out |= {n.event for n in c.walk(x) if isinstance(n, c.Since)}
    return out
