"""Exact solver of the event process for point parameters: the oracle Monte Carlo is tested against.

The same semantics as accord.process.montecarlo (read its docstring), computed as a Markov chain
over the reachable states instead of by sampling. A state holds per event: occurred — for a
repeatable its count, capped just above the largest number any condition compares count() with —
cancelled, chance-resolved, and for events whose since() some condition reads, the value since()
will have next month, capped just above the largest threshold it is compared with. (Compared with
anything but a number, counts and ages are kept exactly.) The distribution over states is
propagated month by month; in each state the events that can fire are independent within the
month, so the 2^k subsets of the k uncertain ones are enumerated.

How: the reachable states are enumerated once, month by month, and each state's transitions are
enumerated once per regime — months alike in every date test (`date OP constant`, scheduled
months); without dates the whole horizon is one regime. Each regime's transitions become one
sparse matrix (`scipy.sparse`, CSR) over the stacked vector of state probabilities and masses,
and the distribution moves by one sparse mat-vec per month.

Alongside each state's probability the solver carries linear "masses" that need no extra state:
per reset-able event the probability of having ever occurred (resets clear occurred, not the
first occurrence), and per repeatable its uncapped expected count. The curves are
P(event occurred at least once by step s), s = 0..H, exactly as Monte Carlo estimates them.

Written independently of the vectorised compiler (a small scalar evaluator of its own), so an
error in one does not hide in the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.process.compile import State
from accord.process.forecast import EventForecast, Forecast, questions_of, step_dates
from accord.scenario import conditions as c
from accord.scenario.draws import Draws, central_draws
from accord.scenario.model import Scenario

MAX_STATES = 200_000
MAX_UNCERTAIN = 16  # events that may or may not fire in one state: 2^16 subsets



class StateSpaceTooLarge(Exception):
    """The scenario is too big to solve exactly: a limit of the method, not a bug (use MC)."""


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
    n_states: int = 0  # states enumerated over the whole horizon
    regimes: int = 0  # distinct transition matrices (months alike in every date test)
    nnz: int = 0  # non-zeros of the transition matrices, all regimes
    states: list[St] = field(default_factory=list)  # every state enumerated, by index
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)  # step → P(state) vector
    likelihood: float = 1.0  # with observations: P(observations), the vector's final total

    def snapshot_state(self, step: int, issues: Mapping[str, float] | None = None,
                       ) -> tuple[State, np.ndarray]:
        """The states reachable at `step` as the Monte Carlo engine's State (one column per
        state) and their probabilities: what path-based analyses read, computed exactly.

        `first` (first occurrence ever) is not part of a state: it is set to 1 where the event
        has occurred, which is right for events no effect resets."""
        p = self.snapshots[step]
        keep = np.flatnonzero(p > 0)
        sts = np.array([self.states[i] for i in keep], dtype=np.int64).reshape(len(keep), -1)
        n_ev = len(self.event_ids)
        cols = sts.T.reshape(n_ev, 4, -1)
        occurred = cols[:, 0] > 0
        age = cols[:, 3]
        state = State(
            occ=occurred, canc=cols[:, 1] > 0, res=cols[:, 2] > 0,
            count=np.where(np.array(self.kinds)[:, None] == "repeatable", cols[:, 0], 0
                           ).astype(np.int32),
            last=np.where(occurred & (age > 0), step + 1 - age, 0).astype(np.int16),
            first=occurred.astype(np.int16),
            issues={k: np.full(len(keep), float(v)) for k, v in (issues or {}).items()},
        )
        return state, p[keep]


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
    snapshots: tuple[int, ...] = (),
    observed: Any = None,
) -> ExactResult:
    """Exact curves for point parameters (one draw; default: the central values); with
    `snapshots`, the distribution over states at those steps too.

    observed (`accord.scenario.observations.ObservedMonths`): in months 1..S the observed
    events are clamped as Monte Carlo clamps them (accord.process.condition): a move keeps only
    the observed outcome, its probability multiplied by that outcome's, states failing a
    `count:` are dropped, `cancelled:` events are cancelled at the end of month S. The
    vector then holds P(state, observations): `ExactResult.likelihood` is its total.

    Raises ValueError if the parameters are not points, or the state space exceeds max_states.
    """
    draws = central_draws(scenario) if draws is None else draws
    issues = {k: _point({k: np.asarray(v)}, k) for k, v in (issue_outcomes or {}).items()}
    ev = _Eval(scenario, issues)
    events = scenario.events
    n_ev, h = len(events), scenario.meta.horizon
    kinds = [e.kind for e in events]
    count_cap, age_cap = _caps(scenario)
    if observed is not None:
        for checks in observed.counts.values():
            for r, n in checks:
                eid = events[r].id
                count_cap[eid] = max(count_cap.get(eid, 1), n + 1)
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
    tracked = {*em_pos, *cm_pos}  # events whose firing some mass records

    # Transitions depend on the state alone unless a condition reads the date or an event is
    # scheduled: then on (state, month). Months alike in every date test share one regime.
    regime_of = _regimes(scenario, events, sched)
    init: St = (0,) * (4 * n_ev)
    index: dict[St, int] = {init: 0}
    states: list[St] = [init]
    built: dict[object, _Regime] = {}
    sequence: list[_Regime] = []
    live = [0]  # states reachable at the current step
    biggest = 1
    for t in range(1, h + 1):
        month = scenario.month_index(t)
        key = regime_of(month)
        obs_t: tuple[dict[int, bool], list[tuple[int, int]], set[int]] = ({}, [], set())
        if observed is not None and t <= observed.months:
            obs_t = (observed.clamps(t), list(observed.counts.get(t, ())),
                     set(observed.cancel) if t == observed.months else set())
            key = (key, tuple(sorted(obs_t[0].items())), tuple(sorted(obs_t[1])),
                   tuple(sorted(obs_t[2])))
        reg = built.get(key)
        if reg is None:
            reg = built[key] = _Regime()
        nxt: set[int] = set()
        for si in live:
            targets = reg.targets.get(si)
            if targets is None:
                moves = _moves(
                    states[si], t, month, n_ev, kinds, sched, when, rate, mods, ccap, acap,
                    resets, cancels, tracked, obs_t,
                )
                targets = reg.add(si, moves, index, states)
            nxt.update(targets)
        if len(nxt) > max_states:
            raise StateSpaceTooLarge(
                f"exact solver: {len(nxt)} states by step {t} exceed the limit of {max_states}"
            )
        live = sorted(nxt)
        biggest = max(biggest, len(live))
        sequence.append(reg)

    # One sparse matrix per regime over the stacked vector [P; mass_1; ...; mass_{w-1}] (each
    # block one entry per state), then one mat-vec per month.
    n = len(states)
    mats = {id(r): r.matrix(n, width, em_pos, cm_pos) for r in built.values()}
    occ = np.array([[st[4 * i] > 0 for st in states] for i in range(n_ev)], dtype=float)
    x = np.zeros(n * width)
    x[0] = 1.0
    prob = np.zeros((n_ev, h + 1))
    kept: dict[int, np.ndarray] = {}
    mean_count = {events[r].id: np.zeros(h + 1) for r in reps}
    for t, reg in enumerate(sequence, start=1):
        x = mats[id(reg)] @ x
        p = x[:n]
        for i in range(n_ev):
            prob[i, t] = x[em_pos[i] * n : (em_pos[i] + 1) * n].sum() if i in em_pos else occ[i] @ p
        for r in reps:
            mean_count[events[r].id][t] = x[cm_pos[r] * n : (cm_pos[r] + 1) * n].sum()
        if t in snapshots:
            kept[t] = p.copy()
    return ExactResult(
        event_ids=[e.id for e in events],
        kinds=kinds,
        horizon=h,
        probability=prob,
        mean_count=mean_count,
        max_states=biggest,
        n_states=n,
        regimes=len(mats),
        nnz=sum(m.nnz for m in mats.values()),
        states=states if snapshots else [],
        snapshots=kept,
        likelihood=float(x[:n].sum()),
    )


def _regimes(
    scenario: Scenario, events: list, sched: list[int | None]
) -> Callable[[int], object]:
    """month → a key equal for months in which every date test has the same outcome.

    Date tests are `date OP constant` comparisons (their truth per month) and scheduled events
    (month ≥ their month); any other use of `date` makes every month its own regime.
    """
    tests: list[Callable[[int], bool]] = [
        (lambda month, m=m: month >= m) for m in sched if m is not None
    ]
    exprs = [e.condition for e in events] + [c.parse(m.if_) for e in events for m in e.modifiers]
    exact_month = False
    for x in exprs:
        for node in c.walk(x):
            if not isinstance(node, c.Compare):
                continue
            sides = (node.left, node.right)
            if not any(isinstance(sd, c.Now) for sd in sides):
                continue
            consts = all(isinstance(sd, c.Now | c.Number | c.DateLit) for sd in sides)
            if not consts:
                exact_month = True
                continue
            fn = _Eval(scenario, {}).expr(node)
            tests.append(lambda month, fn=fn: _at_month(fn, scenario, month))
    if exact_month:
        return lambda month: month
    if not tests:
        return lambda month: 0
    return lambda month: tuple(f(month) for f in tests)


def _at_month(fn: Pred, scenario: Scenario, month: int) -> bool:
    """A date-only predicate's truth in a calendar month (it reads no state)."""
    step = month - scenario.month_index(0)
    return bool(fn((), step))


class _Regime:
    """The transitions of the states met in months alike in every date test, as COO triplets
    of one matrix over the stacked vector [P; mass_1; ...]: P' = T P, and per mass block
    m' = T_keep m + T_take P — an ever-occurred mass takes P where its event fires, an
    expected count keeps its own and adds P where its event fires, and is cleared where reset."""

    def __init__(self) -> None:
        self.targets: dict[int, list[int]] = {}
        self.src: list[int] = []
        self.dst: list[int] = []
        self.q: list[float] = []
        self.mask: list[int] = []
        self.reset: list[int] = []

    def add(self, si: int, moves: list[Move], index: dict[St, int], states: list[St]) -> list[int]:
        out = []
        for nst, q, mask, reset in moves:
            di = index.get(nst)
            if di is None:
                di = index[nst] = len(states)
                states.append(nst)
            out.append(di)
            self.dst.append(di)
            self.q.append(q)
            self.mask.append(mask)
            self.reset.append(reset)
        self.src += [si] * len(moves)
        self.targets[si] = out
        return out

    def matrix(self, n: int, width: int, em_pos: dict[int, int], cm_pos: dict[int, int]):  # noqa: ANN201
        from scipy import sparse

        src = np.asarray(self.src, dtype=np.int64)
        dst = np.asarray(self.dst, dtype=np.int64)
        q = np.asarray(self.q, dtype=float)
        mask = np.asarray(self.mask, dtype=np.int64)
        reset = np.asarray(self.reset, dtype=np.int64)
        rows, cols, vals = [dst], [src], [q]
        for g, j in [*em_pos.items(), *cm_pos.items()]:
            fired = (mask >> g & 1).astype(bool)
            if g in em_pos and j == em_pos[g]:
                keep, take = ~fired, fired
            else:  # an expected count
                cleared = (reset >> g & 1).astype(bool)
                keep, take = ~cleared, fired & ~cleared
            rows += [j * n + dst[keep], j * n + dst[take]]
            cols += [j * n + src[keep], src[take]]
            vals += [q[keep], q[take]]
        size = n * width
        return sparse.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(size, size),
        )


# A move: the next state, its probability, the events whose firing a mass records (bit i:
# event i fired) and the events reset (bit g: g cleared).
Move = tuple[St, float, int, int]


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
    tracked: set[int],
    obs: tuple[dict[int, bool], list[tuple[int, int]], set[int]] = ({}, [], set()),
) -> list[Move]:
    """Every way one month can go from `st`: the next state, its probability, which tracked
    events fired and which were reset (the masses' updates; see `_Regime.matrix`).

    Outcomes alike in state and masses are not merged here: the sparse matrix sums them."""
    sure: list[int] = []
    unsure: list[tuple[int, float]] = []
    resolving: list[int] = []
    clamp, count_checks, cancel_now = obs
    factor = 1.0
    for i in range(n_ev):
        j = 4 * i
        kind = kinds[i]
        must = clamp.get(i)
        enabled = not (st[j + 1] or (st[j] and kind != "repeatable")
                       or (st[j + 2] and kind == "chance"))
        enabled = enabled and not (kind == "scheduled" and month < sched[i])  # type: ignore[operator]
        enabled = enabled and bool(when[i](st, t))
        if not enabled:
            if must:
                return []  # observed to fire, and it could not: this state is ruled out
            continue
        if kind == "scheduled":
            if must is False:
                return []
            sure.append(i)
            continue
        p = rate[i]
        for cond, mult in mods[i]:
            if cond(st, t):
                p *= mult  # type: ignore[operator]
        if kind == "chance":
            resolving.append(i)
        if must is not None:
            q_obs = min(max(p, 0.0), 1.0) if must else 1.0 - min(max(p, 0.0), 1.0)  # type: ignore[type-var]
            if q_obs <= 0.0:
                return []
            factor *= q_obs
            if must:
                sure.append(i)
            continue
        if p >= 1:  # type: ignore[operator]
            sure.append(i)
        elif p > 0:  # type: ignore[operator]
            unsure.append((i, p))  # type: ignore[arg-type]
    if len(unsure) > MAX_UNCERTAIN:
        raise StateSpaceTooLarge(
            f"exact solver: {len(unsure)} events may fire in one month (limit {MAX_UNCERTAIN})"
        )
    # The month's outcome for a set of firings: events that do not fire age; the chance
    # events that resolve are marked; each firing event takes its fired slots; then resets
    # clear their targets (even ones that fired) and cancels mark theirs.
    base = list(st)
    for i in range(n_ev):
        a = 4 * i + 3
        if base[a]:
            base[a] = min(base[a] + 1, acap[i])
    for i in resolving:
        base[4 * i + 2] = 1

    def fired_slots(i: int) -> tuple[int, int, int]:
        o = min(st[4 * i] + 1, ccap[i]) if kinds[i] == "repeatable" else 1
        return 4 * i, o, 1 if acap[i] else base[4 * i + 3]

    for i in sure:
        j, o, a = fired_slots(i)
        base[j], base[j + 3] = o, a
    mask0 = sum(1 << i for i in sure if i in tracked)
    eff0 = [i for i in sure if resets[i] or cancels[i]]
    # per uncertain event: its slots when it fires, its mask bit, whether it has effects
    bits = [(*fired_slots(i), (1 << i) if i in tracked else 0, bool(resets[i] or cancels[i]), i)
            for i, _ in unsure]
    # the probability of every subset of the uncertain events (bit b: unsure[b] fires)
    subsets = [(1.0, 0)]
    for b, (_, p) in enumerate(unsure):
        subsets = [(q * (1 - p), m) for q, m in subsets] + [(q * p, m | 1 << b)
                                                             for q, m in subsets]
    out: list[Move] = []
    for q, m in subsets:
        if q == 0.0:
            continue
        s = base.copy()
        mask = mask0
        eff = eff0
        b = 0
        while m:
            if m & 1:
                j, o, a, bit, has_eff, i = bits[b]
                s[j] = o
                s[j + 3] = a
                mask |= bit
                if has_eff:
                    eff = [*eff, i]
            m >>= 1
            b += 1
        reset_mask = 0
        if eff:
            for i in eff:
                for g in resets[i]:
                    s[4 * g : 4 * g + 4] = (0, 0, 0, 0)
                    reset_mask |= 1 << g
            for i in eff:
                for g in cancels[i]:
                    s[4 * g + 1] = 1
        if count_checks and any(s[4 * r] != n for r, n in count_checks):
            continue
        for g in cancel_now:
            s[4 * g + 1] = 1
        out.append((tuple(s), q * factor, mask, reset_mask))
    return out


def exact_forecast(
    scenario: Scenario,
    draws: Draws | None = None,
    issue_outcomes: Mapping[str, float | np.ndarray] | None = None,
    max_states: int = MAX_STATES,
    observed: Any = None,
) -> Forecast:
    """The exact solution as a Forecast (no standard error, band or path orders); with
    `observed`, conditioned on the observations, from the end of the observed months."""
    r = solve(scenario, draws, issue_outcomes, max_states, observed=observed)
    if observed is not None:
        return _conditioned(scenario, r, observed)
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


def _conditioned(scenario: Scenario, r: ExactResult, observed: Any) -> Forecast:
    """P(event by month s | observations) for s = S..H: the joint masses over P(observations)."""
    big_s, h = observed.months, r.horizon
    lk = r.likelihood
    if not lk > 0:
        raise ZeroDivisionError("the observations have probability 0 under the scenario")
    prob = r.probability / lk
    sl = slice(big_s, h + 1)
    events = {
        eid: EventForecast(
            id=eid, kind=r.kinds[i], probability=prob[i, sl].tolist(),
            stderr=[0.0] * (h - big_s + 1),
            mean_count=float(r.mean_count[eid][-1] / lk) if eid in r.mean_count else None,
            mean_count_stderr=0.0 if eid in r.mean_count else None,
        )
        for i, eid in enumerate(r.event_ids)
    }
    from accord.process.forecast import QuestionForecast, add_months, question_step

    questions = []
    for q in scenario.questions:
        if q.event not in r.event_ids:
            continue
        s = max(question_step(scenario, q.by), big_s)  # before S: not computed exactly here
        questions.append(QuestionForecast(
            id=q.id, event=q.event, by=q.by.isoformat(), step=s - big_s,
            probability=float(prob[r.event_ids.index(q.event), s]), stderr=0.0))
    return Forecast(
        scenario_id=scenario.meta.id, method="exact", horizon=h - big_s,
        dates=[add_months(scenario.meta.as_of, big_s + j).isoformat()
               for j in range(h - big_s + 1)],
        paths=0, draws=1, paths_per_draw=0, seed=None, events=events, questions=questions,
    )
