"""The Monte Carlo month step: one chunk of paths through the horizon, a month at a time.

The semantics are those of the accord.process.montecarlo docstring. A chunk is reps × width
paths, path w of every rep seeing uniform column w (the variants of a run share their dice);
parameters reach it through `Param`, which gives a parameter's value on the chunk: a scalar, or
an array broadcasting to the (reps, width) grid of its paths. Observations reach it through the
optional `ClampHook` (accord.process.condition.Clamp).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from accord.process.compile import Compiler, Evaluator, Layout, State, since_events
from accord.process.rates import draw_values, event_rate
from accord.process.settlements import PathTables
from accord.process.streams import Streams
from accord.process.thresholds import (
    ALWAYS,
    NEVER,
    DrawTable,
    Threshold,
    combos,
    draw_table,
    modified,
    pick_draws,
    pick_into,
    threshold,
)
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import Scenario

TABLE_MODIFIERS = 3  # up to this many modifiers, thresholds are tabulated per subset per chunk

Param = Callable[[np.ndarray], float | np.ndarray]  # values per draw → their value on a chunk
MonthHook = Callable[[int, State], None]
Clamped = dict[int, bool] | None  # a month's clamped events: row → must fire
Truth = Any  # what an evaluator gives: True, False or a bool array over the paths
Parts = tuple[np.ndarray, np.ndarray, np.ndarray]  # first, occurred, count (paths, ...)


class ClampHook(Protocol):
    """What the month step asks of observations (accord.process.condition.Clamp): which
    events are clamped in a month, their forced outcomes, and the paths' weights `w`."""

    @property
    def w(self) -> np.ndarray: ...

    def month(self, t: int) -> dict[int, bool] | None:
        """The month's clamped events (event row → must fire), None where none."""

    def stochastic(self, e: int, kind: str, cond: Truth, row: np.ndarray, s: State,
                   threshold: Callable[[], Threshold], shape: tuple[int, int]) -> None:
        """Clamp a stochastic event: `row` takes where it could fire, weights the outcome."""

    def scheduled(self, e: int, due: bool, cond: Truth, s: State) -> None:
        """Clamp a scheduled event (`due`: its month has come)."""

    def take(self) -> dict[int, np.ndarray]:
        """The clamped events' firings of the month."""

    def end_month(self, t: int, s: State) -> None:
        """The month's counts and cancellations, once its effects are applied."""


def eligible_into(row: np.ndarray, kind: str, e: int, s: State, cond: Truth) -> None:
    """Where a stochastic event of `kind` may fire this month (cond not False), into `row`:
    not cancelled, and but for a repeatable not occurred (nor resolved, for a chance)."""
    if kind == "repeatable":
        np.logical_not(s.canc[e], out=row)
    else:
        np.logical_or(s.occ[e], s.canc[e], out=row)
        if kind == "chance":
            np.logical_or(row, s.res[e], out=row)
        np.logical_not(row, out=row)
    if cond is not True:
        np.logical_and(row, cond, out=row)


def scheduled_ok(e: int, s: State, cond: Truth) -> np.ndarray:
    """Where a scheduled event whose month has come fires (cond not False)."""
    ok = np.logical_not(np.logical_or(s.occ[e], s.canc[e]))
    if cond is not True:
        np.logical_and(ok, cond, out=ok)
    return ok


class Plan:
    """The scenario compiled once: evaluators, parameter paths, effect tables."""

    def __init__(self, scenario: Scenario, draws: Draws) -> None:
        events = scenario.events
        layout = Layout.of(scenario)
        comp = Compiler(layout)
        self.ids = [e.id for e in events]
        self.kinds = [e.kind for e in events]
        self.horizon = scenario.meta.horizon
        self.n_draws = n_draws(draws) if draws else 1
        self.month_of_step = scenario.month_index
        self.when: list[Evaluator] = [comp.compile(e.condition) for e in events]
        self.stoch = [i for i, e in enumerate(events) if e.kind != "scheduled"]
        self.sched = [i for i, e in enumerate(events) if e.kind == "scheduled"]
        self.sched_month = {
            i: events[i].scheduled_month for i in self.sched
        }
        self.rep_rows = [i for i, e in enumerate(events) if e.kind == "repeatable"]
        self.since_rows = {layout.rows[e] for e in since_events(scenario) if e in layout.rows}
        self.base: dict[int, np.ndarray] = {}  # per draw; (horizon, draws): changes monthly
        self.mods: dict[int, list[tuple[Evaluator, np.ndarray]]] = {}
        for i in self.stoch:
            ev = events[i]
            self.base[i] = event_rate(scenario, draws, i)
            self.mods[i] = [
                (
                    comp.compile(m.condition),
                    draw_values(draws, f"events[{i}].modifiers[{j}].multiply"),
                )
                for j, m in enumerate(ev.modifiers)
            ]
        self.resets: dict[int, list[int]] = {}
        self.cancels: dict[int, list[int]] = {}
        for i, ev in enumerate(events):
            for table, targets in (
                (self.resets, ev.effects.resets),
                (self.cancels, ev.effects.cancels),
            ):
                for target in targets:
                    if target not in layout.rows:
                        raise ValueError(f"events[{i}].effects refers to unknown event {target!r}")
                    table.setdefault(layout.rows[target], []).append(i)


def per_path(values: np.ndarray, draw_idx: np.ndarray) -> float | np.ndarray:
    """A scalar when every draw of the chunk agrees (the fast path), else one value per path."""
    if values.size == 1:
        return float(values[0])
    seg = values[int(draw_idx[0]) : int(draw_idx[-1]) + 1]  # draw_idx is non-decreasing
    if bool(np.all(seg == seg[0])):
        return float(seg[0])
    return values[draw_idx]


def per_variant(values: np.ndarray, v0: int, v1: int) -> float | np.ndarray:
    """A scalar when variants v0..v1 agree, else a (variants, 1) column (rows of the grid)."""
    if values.size == 1:
        return float(values[0])
    seg = values[v0:v1]
    if bool(np.all(seg == seg[0])):
        return float(seg[0])
    return seg.reshape(-1, 1)


def run_chunk(
    plan: Plan,
    param: Param,
    table: PathTables,
    streams: Streams,
    width: int,
    reps: int,
    *,
    tick: Callable[[int], None],
    on_month: MonthHook | None = None,
    clamp: ClampHook | None = None,
) -> Parts:
    """reps × width paths (column r·width + w), path w of every rep seeing uniform column w.

    clamp (an `accord.process.condition.Clamp`), when given, forces the observed events to fire
    or not in the observed months and keeps each path's likelihood weight (see that module);
    clamped rows take no uniforms (skipped as for disabled rows), so the others see the same.

    on_month(t, state), when given, sees the state at the end of each month t (after effects);
    it must copy what it keeps, since the arrays change in place.

    param(values per draw) gives a parameter's value on the chunk: a scalar, or an array that
    broadcasts to the (reps, width) grid of its paths. table gives what conditions read of the
    bargaining table per path, and follows the paths' tables as events change them.
    """
    run = Chunk(plan, param, table, width, reps, clamp)
    for t in range(1, plan.horizon + 1):
        now = clamp.month(t) if clamp is not None else None
        live, thr, sure_rows = run.enabled(t, now)
        scheduled = run.scheduled(t, now)
        fired = run.fire(streams, live, thr, sure_rows, scheduled)
        if now and clamp is not None:
            fired.update(clamp.take())
        run.update(t, fired, [*np.flatnonzero(live), *sure_rows])
        run.effects(fired)
        if clamp is not None:
            clamp.end_month(t, run.s)
        tick(t)
        if on_month is not None:
            on_month(t, run.s)
    s = run.s
    return (
        np.ascontiguousarray(s.first.T),
        np.ascontiguousarray(s.occ.T),
        np.ascontiguousarray(s.count[plan.rep_rows].T),
    )


class Chunk:
    """One chunk's paths, a month at a time, in the month's four stages: (1) what is enabled,
    and each stochastic event's threshold, from the start-of-month state; (2) uniforms where
    live, and what fires; (3) the state's updates; (4) effects, resets then cancels.

    Stochastic rows j index `plan.stoch`; the arrays are allocated once and reused in place
    every month."""

    def __init__(self, plan: Plan, param: Param, table: PathTables, width: int,
                 reps: int, clamp: ClampHook | None) -> None:
        n_p = width * reps
        self.plan, self.clamp, self.table = plan, clamp, table
        self.s = State.empty(len(plan.ids), n_p, table.initial())
        self.shape = (reps, width)
        stoch = plan.stoch
        k = len(stoch)
        self.param = param
        # rows whose rate changes month by month (a reference class's hazards): their base,
        # thresholds and modifier table are made anew each month (`monthly`)
        self.varying = {j for j, e in enumerate(stoch) if plan.base[e].ndim == 2}
        self.base = [None if j in self.varying else param(plan.base[e])
                     for j, e in enumerate(stoch)]
        self.base_thr = [None if b is None else threshold(b) for b in self.base]
        self.mod_fns = [[f for f, _ in plan.mods[e]] for e in stoch]
        self.mults = [[param(v) for _, v in plan.mods[e]] for e in stoch]
        self.combos = [  # the threshold under each subset of modifiers (bit i: modifier i)
            combos(b, ms) if len(ms) <= TABLE_MODIFIERS and b is not None else None
            for b, ms in zip(self.base, self.mults, strict=True)
        ]
        self.month = 0  # the month whose rates `monthly` last set
        # events with more modifiers: their thresholds per draw and subset (`draw_table`;
        # every month's for a row in `varying`), made when first needed; `at`: where each
        # path's draw starts in a table of so many subsets
        self.tables: dict[int, DrawTable | None] = {}
        self.at: dict[int, np.ndarray | int] = {}
        self.kinds = [plan.kinds[e] for e in stoch]
        self.en = np.zeros((k, n_p), bool)
        self.u = np.zeros((k, width), np.uint32)
        self.fired_rows = np.zeros((k, n_p), bool)
        self.hit = np.zeros(n_p, bool)
        self.rep_set = set(plan.rep_rows)
        self.bufs = [np.empty(self.shape, np.uint32) if self.combos[j] and len(self.mod_fns[j])
                     else None for j in range(k)]  # per event: its thresholds, where paths differ
        self.tmp = np.empty(self.shape, np.uint32)  # scratch
        self.both = np.empty(self.shape, bool)

    def grid(self, a: object) -> object:
        return a.reshape(self.shape) if isinstance(a, np.ndarray) and a.ndim == 1 else a

    def monthly(self, t: int) -> None:
        """The month's rates of the rows that change monthly: base, threshold, modifier table."""
        if self.month == t:
            return
        self.month = t
        for j in self.varying:
            b = self.base[j] = self.param(self.plan.base[self.plan.stoch[j]][t - 1])
            self.base_thr[j] = threshold(b)
            if len(self.mults[j]) <= TABLE_MODIFIERS:
                self.combos[j] = combos(b, self.mults[j])
                if self.mod_fns[j] and self.bufs[j] is None:
                    self.bufs[j] = np.empty(self.shape, np.uint32)

    def threshold(self, j: int, t: int) -> Threshold:
        """Row j's threshold in month t: its base, or under the modifiers that apply."""
        self.monthly(t)
        if not self.mod_fns[j]:
            return self.base_thr[j]
        conds = [self.grid(f(self.s, t)) for f in self.mod_fns[j]]
        if self.combos[j] is not None:
            return pick_into(self.combos[j], conds, self.bufs[j], self.tmp,  # type: ignore[arg-type]
                              self.both)
        if any(isinstance(c, np.ndarray) and c.shape == self.shape for c in conds):
            table = self.draw_table(j)
            if table is not None:
                return pick_draws(table, t - 1 if j in self.varying else 0, conds,
                                  self.draw_at(table.subsets), self.shape)
        return threshold(modified(self.base[j], conds, self.mults[j]))

    def draw_table(self, j: int) -> DrawTable | None:
        """Row j's thresholds per draw and subset of its modifiers (every month's, if varying)."""
        if j not in self.tables:
            e = self.plan.stoch[j]
            self.tables[j] = draw_table(self.plan.base[e], [v for _, v in self.plan.mods[e]])
        return self.tables[j]

    def draw_at(self, subsets: int) -> np.ndarray | int:
        """Each path's parameter draw × `subsets`, broadcasting to the grid (an int where the
        chunk has one draw): where its entries start in a `DrawTable`."""
        if subsets not in self.at:
            at = np.asarray(self.param(np.arange(self.plan.n_draws)))
            self.at[subsets] = (int(at) * subsets if at.ndim == 0
                                else at.astype(np.intp) * subsets)
        return self.at[subsets]

    def enabled(self, t: int, now: Clamped) -> tuple[np.ndarray, list[Threshold], list[int]]:
        """Stage 1 for the stochastic events: which rows are live (enabled somewhere and
        needing uniforms) with their thresholds, and which are sure wherever enabled."""
        s, plan, k = self.s, self.plan, len(self.plan.stoch)
        self.monthly(t)
        live = np.zeros(k, bool)
        thr: list[Threshold] = [NEVER] * k
        sure_rows: list[int] = []
        for j, e in enumerate(plan.stoch):
            row = self.en[j]
            cond = plan.when[e](s, t)
            if now and e in now and self.clamp is not None:
                self.clamp.stochastic(e, self.kinds[j], cond, row, s,
                                      lambda j=j, t=t: self.threshold(j, t), self.shape)
                continue
            if cond is False or (not self.mod_fns[j] and self.base_thr[j] is NEVER):
                continue
            eligible_into(row, self.kinds[j], e, s, cond)
            if not row.any():
                continue
            tj = self.threshold(j, t)
            if tj is ALWAYS:
                sure_rows.append(j)
            elif tj is not NEVER:
                live[j] = True
                thr[j] = tj
        return live, thr, sure_rows

    def scheduled(self, t: int, now: Clamped) -> dict[int, np.ndarray]:
        """Stage 1 for the scheduled events: where each fires this month."""
        s, plan = self.s, self.plan
        out: dict[int, np.ndarray] = {}
        month = plan.month_of_step(t)
        for e in plan.sched:
            if now and e in now and self.clamp is not None:
                self.clamp.scheduled(e, month >= plan.sched_month[e], plan.when[e](s, t), s)
                continue
            if month < plan.sched_month[e]:
                continue
            cond = plan.when[e](s, t)
            if cond is not False:
                out[e] = scheduled_ok(e, s, cond)
        return out

    def fire(self, streams: Streams, live: np.ndarray, thr: list[Threshold],
             sure_rows: list[int], scheduled: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """Stage 2: this month's uniforms of every block (drawn where live, else skipped),
        and each event's paths that fire."""
        stoch, shape = self.plan.stoch, self.shape
        fired: dict[int, np.ndarray] = {}
        streams.fill(self.u, live)
        for j in np.flatnonzero(live):
            limit, sure = thr[j]  # type: ignore[misc]
            fj = self.fired_rows[j]
            fj2 = fj.reshape(shape)
            np.less(self.u[j], limit, out=fj2)
            if sure is not None:
                np.logical_or(fj2, sure, out=fj2)
            np.logical_and(fj, self.en[j], out=fj)
            if fj.any():
                fired[stoch[j]] = fj
        for j in sure_rows:
            fired[stoch[j]] = self.en[j]
        for e, f in scheduled.items():
            if f.any():
                fired[e] = f
        return fired

    def update(self, t: int, fired: dict[int, np.ndarray], tried: list[int]) -> None:
        """Stage 3: first month, occurred, count and last month of what fired; the chance
        events tried this month are resolved, whatever came up."""
        s, hit = self.s, self.hit
        for e, f in fired.items():
            np.logical_and(f, s.first[e] == 0, out=hit)
            s.first[e][hit] = t
            np.logical_or(s.occ[e], f, out=s.occ[e])
            if e in self.rep_set:
                s.count[e] += f
            if e in self.plan.since_rows:
                s.last[e][f] = t
        for j in tried:
            if self.kinds[j] == "chance":
                e = self.plan.stoch[j]
                np.logical_or(s.res[e], self.en[j], out=s.res[e])

    def effects(self, fired: dict[int, np.ndarray]) -> None:
        """Stage 4: resets (which clear even what fired this month), then cancels; then the
        bargaining table of the paths whose events changed it."""
        if not fired:
            return
        s = self.s
        for target, sources in self.plan.resets.items():
            mask = _union(fired, sources)
            if mask is not None:
                keep = ~mask
                for arr in (s.occ, s.res, s.canc):
                    np.logical_and(arr[target], keep, out=arr[target])
                s.count[target][mask] = 0
                s.last[target][mask] = 0
        for target, sources in self.plan.cancels.items():
            mask = _union(fired, sources)
            if mask is not None:
                np.logical_or(s.canc[target], mask, out=s.canc[target])
        self.table.refresh(s, fired)


def _union(fired: dict[int, np.ndarray], sources: list[int]) -> np.ndarray | None:
    masks = [fired[i] for i in sources if i in fired]
    if not masks:
        return None
    out = masks[0].copy()
    for mk in masks[1:]:
        np.logical_or(out, mk, out=out)
    return out
