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
and the distribution moves by one sparse mat-vec per month. The states of a step a regime has
not met yet are taken as one block, a 2-D int array (one row a state, laid out as `St`): the
conditions and rates are evaluated for the whole block at once, and states with equally many
uncertain events have their 2^k outcomes built together by broadcasting (a Python loop over
states and outcomes takes seconds on the built-in scenario). States are numbered, and
transitions kept, state by state and outcome by outcome, so the matrices do not depend on how
the blocks are cut.

Alongside each state's probability the solver carries linear "masses" that need no extra state:
per reset-able event the probability of having ever occurred (resets clear occurred, not the
first occurrence), and per repeatable its uncapped expected count. The curves are
P(event occurred at least once by step s), s = 0..H, exactly as Monte Carlo estimates them.

Written independently of the Monte Carlo compiler (accord.process.compile; a small evaluator of
its own, over its own state layout), so an error in one does not hide in the other.
"""

from __future__ import annotations

import math
import operator
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
Pred = Callable[[np.ndarray, int], Any]  # a block of states (rows), step → truths
_Obs = tuple[dict[int, bool], list[tuple[int, int]], set[int]]  # a month's clamps, counts, cancels


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


class _Eval:
    """Conditions as closures over a block of states (a 2-D int array, one row a state, laid out
    as `St`), each giving one truth per row (or one for all, where no state is read). Kept
    apart from the Monte Carlo compiler (accord.process.compile), whose layout differs, so
    that an error in one does not hide in the other."""

    def __init__(self, scenario: Scenario, issues: Mapping[str, float]) -> None:
        self.rows = {e.id: i for i, e in enumerate(scenario.events)}
        self.month = scenario.month_index
        self.issues = issues

    def row(self, event: str) -> int:
        if event not in self.rows:
            raise ValueError(f"condition refers to unknown event {event!r}")
        return self.rows[event]

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
                if issue not in self.issues:
                    raise ValueError(f"a condition reads issue.{issue}: pass its outcome")
                v = float(self.issues[issue])
                return lambda s, step: (v, None)
        raise TypeError(t)

    def expr(self, x: c.Expr) -> Pred:
        match x:
            case c.Const(v):
                return lambda s, step: v
            case c.Occurred(e):
                i = 4 * self.row(e)
                return lambda s, step: s[:, i] > 0
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
    m = _model(scenario, draws, issues, observed)
    # Transitions depend on the state alone unless a condition reads the date or an event is
    # scheduled: then on (state, month). Months alike in every date test share one regime.
    regime_of = _regimes(scenario, scenario.events, m.sched[m.scheduled].tolist())
    table = _States(m.maxima())
    built: dict[object, _Regime] = {}
    sequence: list[_Regime] = []
    live = np.zeros(1, dtype=np.int64)  # states reachable at the current step
    biggest = 1
    for t in range(1, scenario.meta.horizon + 1):
        month = scenario.month_index(t)
        key = regime_of(month)
        obs_t: _Obs = ({}, [], set())
        if observed is not None and t <= observed.months:
            obs_t = (observed.clamps(t), list(observed.counts.get(t, ())),
                     set(observed.cancel) if t == observed.months else set())
            key = (key, tuple(sorted(obs_t[0].items())), tuple(sorted(obs_t[1])),
                   tuple(sorted(obs_t[2])))
        reg = built.get(key)
        if reg is None:
            reg = built[key] = _Regime(m.tracked, m.reps)
        todo = reg.todo(live)
        if todo.size:
            src, keys, q, fired, cleared = _block_moves(m, table, table.rows[todo], t, month,
                                                         obs_t)
            reg.add(todo, todo[src], table.index(keys), q, fired, cleared)
        live = reg.targets(live, table.n)
        if len(live) > max_states:
            raise StateSpaceTooLarge(
                f"exact solver: {len(live)} states by step {t} exceed the limit of {max_states}"
            )
        biggest = max(biggest, len(live))
        sequence.append(reg)
    weights = _sign_weights(scenario, m, observed, draws)
    return _propagate(scenario, m, table, built, sequence, biggest, snapshots, weights)


def _sign_weights(scenario: Scenario, m: _Model, observed: Any, draws: Draws,
                  ) -> dict[int, list[tuple[int, float, float]]]:
    """Soft evidence (accord.process.virtual) as weights on states: step → (event row, weight
    where it has occurred, weight where not). A state records whether an event has occurred,
    not whether a chance will come up yes later, nor (for an event something resets) whether
    it ever occurred: such signs need Monte Carlo."""
    from accord.errors import UserError
    from accord.process.virtual import factors

    out: dict[int, list[tuple[int, float, float]]] = {}
    for sign in (observed.signs if observed is not None else ()):
        if sign.latent or sign.row in m.reset_targets:
            raise UserError.at(f"{sign.label}: the exact solver cannot read a sign on "
                               f"'{scenario.events[sign.row].id}' (a chance, or an event that "
                               "is reset); use Monte Carlo", field="exact")
        p_seen = None if sign.seen else _point(draws, sign.p_seen)  # type: ignore[arg-type]
        ratio = sign.ratio if isinstance(sign.ratio, float) else _point(draws, sign.ratio)
        yes, no = factors(ratio, p_seen, sign.seen)
        out.setdefault(sign.step, []).append((sign.row, float(yes), float(no)))
    return out


@dataclass
class _Model:
    """The events as arrays over event rows (rows in scenario file order), so that a whole
    block of states is evaluated at once; `when` and `mods` take the block (one row a state)."""

    kinds: list[str]
    rep: np.ndarray  # bool: repeatable
    chance: np.ndarray  # bool
    scheduled: np.ndarray  # bool
    sched: np.ndarray  # the month of a scheduled event (0 for others)
    when: list[Pred]
    rate: np.ndarray  # the monthly probability before modifiers (nan for scheduled events)
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

    def maxima(self) -> np.ndarray:
        """The largest value each slot of a state can take (it sizes the packed keys): the
        cancelled slot is only ever set for events something cancels, resolved only for chance
        events, and the age only where since() is read."""
        top = np.stack([self.ccap, self.cancellable, self.chance, self.acap], axis=1)
        return top.astype(np.int64).reshape(-1)


def _model(scenario: Scenario, draws: Draws, issues: Mapping[str, float],
           observed: Any) -> _Model:
    """The scenario's events for point parameters, checked in the order errors were always
    reported: conditions and rates event by event, then modifiers, then effects."""
    ev = _Eval(scenario, issues)
    events = scenario.events
    n_ev = len(events)
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
            (ev.expr(m.condition), _point(draws, f"events[{i}].modifiers[{j}].multiply"))
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
    return _Model(
        kinds=kinds, rep=kind == "repeatable", chance=kind == "chance",
        scheduled=kind == "scheduled",
        sched=np.array([0 if s is None else s for s in sched], dtype=np.int64),
        when=when, rate=np.array([np.nan if r is None else r for r in rate], dtype=float),
        mods=mods, ccap=np.array(ccap, dtype=np.int64), acap=np.array(acap, dtype=np.int64),
        resets=resets, cancels=cancels,
        effective=np.flatnonzero(resets.any(axis=1) | cancels.any(axis=1)).tolist(),
        cancellable=cancels.any(axis=0) | np.isin(np.arange(n_ev), list(cancelled)),
        reset_targets=reset_targets, reps=reps,
        tracked=sorted({*reset_targets, *reps}),
    )


class _States:
    """Every state enumerated, by index, as the rows of one small-int array, and a sorted
    array of their keys to find a state's index without a Python loop over states: a key
    packs a row's slots into as few int64 words as their ranges allow."""

    def __init__(self, maxima: np.ndarray) -> None:
        self.bits = np.array([int(v).bit_length() for v in maxima], dtype=np.int64)
        self.word = np.zeros(len(maxima), dtype=np.int64)
        self.shift = np.zeros(len(maxima), dtype=np.int64)
        w = used = 0
        for j, b in enumerate(self.bits.tolist()):
            if used + b > 63:
                w, used = w + 1, 0
            self.word[j], self.shift[j] = w, used
            used += b
        self.words = w + 1
        self.weights = np.zeros((len(maxima), self.words), dtype=np.int64)  # slot → its bits
        self.weights[np.arange(len(maxima)), self.word] = 1 << self.shift
        top = int(maxima.max(initial=0))
        dtype = np.int8 if top < 2**7 else np.int16 if top < 2**15 else np.int64
        self.rows = np.zeros((1024, len(maxima)), dtype=dtype)
        self.n = 1  # the initial state: all zeros
        self.known = self.pack(self.rows[:1])  # sorted keys
        self.known_index = np.zeros(1, dtype=np.int64)

    def pack(self, rows: np.ndarray) -> np.ndarray:
        """One key per row: an int64 for one word, else the words' bytes (numpy void). (An
        integer product: exact, and no BLAS threads to wait for on a busy machine.)"""
        words = rows.astype(np.int64) @ self.weights
        if self.words == 1:
            return words[:, 0]
        return np.ascontiguousarray(words).view(np.dtype((np.void, 8 * self.words))).reshape(-1)

    def unpack(self, keys: np.ndarray) -> np.ndarray:
        words = keys.view(np.int64).reshape(len(keys), self.words)
        mask = (1 << self.bits) - 1
        return (words[:, self.word] >> self.shift & mask).astype(self.rows.dtype)

    def index(self, keys: np.ndarray) -> np.ndarray:
        """Each key's state index; states not met before are added in order of first
        appearance (the order a loop over the keys would number them in)."""
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        pos = np.searchsorted(self.known, uniq)
        at = np.minimum(pos, len(self.known) - 1)
        found = (pos < len(self.known)) & (self.known[at] == uniq)
        ids = np.empty(len(uniq), dtype=np.int64)
        ids[found] = self.known_index[at[found]]
        new = np.flatnonzero(~found)
        new = new[np.argsort(first[new], kind="stable")]
        ids[new] = np.arange(self.n, self.n + len(new))
        self._append(self.unpack(uniq[new]))
        keys = np.concatenate([self.known, uniq[new]])
        order = np.argsort(keys, kind="stable")
        self.known = keys[order]
        self.known_index = np.concatenate([self.known_index, ids[new]])[order]
        return ids[inverse.reshape(-1)]

    def _append(self, rows: np.ndarray) -> None:
        need = self.n + len(rows)
        if need > len(self.rows):
            grown = np.zeros((max(need, 2 * len(self.rows)), self.rows.shape[1]),
                             dtype=self.rows.dtype)
            grown[: self.n] = self.rows[: self.n]
            self.rows = grown
        self.rows[self.n : need] = rows
        self.n = need


@dataclass
class _Month:
    """One month from each state of a block: the events sure to fire, the uncertain ones and
    all probabilities, the observations' factor and whether they rule the state out, and the
    slots every outcome starts from (`base`: ages advanced, resolving chance events marked) or
    that a firing event takes (`count`, `age`)."""

    sure: np.ndarray  # bool (states, events)
    unsure: np.ndarray  # bool (states, events)
    p: np.ndarray  # float (states, events)
    ok: np.ndarray  # bool (states,): not ruled out by the observations
    factor: np.ndarray  # float (states,): the probability of the clamped outcomes
    base: np.ndarray  # int (states, events, 4)
    count: np.ndarray  # int (states, events): slot 0 of an event that fires
    age: np.ndarray  # int (states, events): slot 3 of an event that fires


def _month(m: _Model, s: np.ndarray, t: int, month: int, obs: _Obs, dtype: Any) -> _Month:
    """Which events are enabled in each state (rows of s) and their monthly probabilities: the
    same float operations in the same order for every state, so a state's transition
    probabilities do not depend on the block it is evaluated in."""
    k = len(s)
    s = s.astype(np.int64)  # conditions compare with any number; the table's ints are small
    s4 = s.reshape(k, m.n_ev, 4)
    occ, canc, res, age = (s4[:, :, j] for j in range(4))
    on = ~((canc > 0) | ((occ > 0) & ~m.rep) | ((res > 0) & m.chance))
    on &= ~(m.scheduled & (month < m.sched))
    p = np.repeat(m.rate[None, :], k, axis=0)
    for i in range(m.n_ev):
        on[:, i] &= m.when[i](s, t)
        for cond, mult in m.mods[i]:
            p[:, i] = np.where(cond(s, t), p[:, i] * mult, p[:, i])
    chancy = on & ~m.scheduled
    sure = (on & m.scheduled) | (chancy & (p >= 1))
    unsure = chancy & (p > 0) & ~(p >= 1)
    ok = np.ones(k, dtype=bool)
    factor = np.ones(k)
    for i, must in sorted(obs[0].items()):
        if must:
            ok &= on[:, i]
        elif m.scheduled[i]:
            ok &= ~on[:, i]
        if m.scheduled[i]:
            continue
        clipped = np.minimum(np.maximum(p[:, i], 0.0), 1.0)
        q_obs = clipped if must else 1.0 - clipped
        ok &= ~(chancy[:, i] & ~(q_obs > 0.0))
        factor = np.where(chancy[:, i], factor * q_obs, factor)
        sure[:, i] = chancy[:, i] & must
        unsure[:, i] = False
    base = s4.astype(dtype)
    base[:, :, 3] = np.where(age > 0, np.minimum(age + 1, m.acap), age)
    base[:, :, 2] = np.where(chancy & m.chance, 1, res)
    return _Month(
        sure=sure, unsure=unsure, p=p, ok=ok, factor=factor, base=base,
        count=np.where(m.rep, np.minimum(occ + 1, m.ccap), 1),
        age=np.where(m.acap > 0, 1, base[:, :, 3]),
    )


_CHUNK = 1 << 15  # outcomes expanded at once: bounds the memory 2^u outcomes of a state take
_Moves = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _block_moves(m: _Model, table: _States, s: np.ndarray, t: int, month: int,
                 obs: _Obs) -> _Moves:
    """Every way one month can go from each state of a block: (row of s it leaves, next state's key,
    probability, tracked events fired, repeatables reset), ordered by the row and then by the
    subset of uncertain events as a binary number (bit b: the b-th uncertain event by row
    fires), so the states are numbered and the matrices summed in one fixed order. States
    with equally many uncertain events are expanded together, by broadcasting; outcomes alike
    in state and masses are not merged here."""
    mo = _month(m, s, t, month, obs, s.dtype)
    n_unsure = mo.unsure.sum(axis=1)
    too_many = np.flatnonzero(mo.ok & (n_unsure > MAX_UNCERTAIN))
    if too_many.size:
        raise StateSpaceTooLarge(
            f"exact solver: {int(n_unsure[too_many[0]])} events may fire in one month "
            f"(limit {MAX_UNCERTAIN})"
        )
    parts = []
    for u in np.unique(n_unsure[mo.ok]).tolist():
        rows = np.flatnonzero(mo.ok & (n_unsure == u))
        step = max(1, _CHUNK >> u)
        for lo in range(0, len(rows), step):
            parts.append(_outcomes(m, table, mo, rows[lo : lo + step], u, obs))
    if not parts:
        return (np.zeros(0, dtype=np.int64), table.pack(s[:0]),
                np.zeros(0), np.zeros((0, len(m.tracked)), dtype=bool),
                np.zeros((0, len(m.reps)), dtype=bool))
    cat = [np.concatenate(x) for x in zip(*parts, strict=True)]
    order = np.argsort(cat[0], kind="stable")
    return tuple(x[order] for x in cat)  # type: ignore[return-value]


def _outcomes(m: _Model, table: _States, mo: _Month, rows: np.ndarray, u: int,
              obs: _Obs) -> _Moves:
    """The 2^u outcomes of each of `rows` (states with u uncertain events): events that do not
    fire age; each firing event takes its fired slots; then resets clear their targets (even
    ones that fired) and cancels mark theirs; outcomes failing a `count:` or of probability 0
    are dropped, and events cancelled at month S are marked."""
    k, w = len(rows), 1 << u
    which = np.nonzero(mo.unsure[rows])[1].reshape(k, u)  # the uncertain events, by row
    pu = mo.p[rows[:, None], which]
    bit = (np.arange(w)[:, None] >> np.arange(u) & 1).astype(bool)  # (subset, b)
    q = np.ones((k, w))
    for b in range(u):
        q = q * np.where(bit[:, b], pu[:, b : b + 1], 1 - pu[:, b : b + 1])
    fired = np.repeat(mo.sure[rows][:, None, :], w, axis=1)  # (state, subset, event)
    across = np.arange(k)
    for b in range(u):
        fired[across, :, which[:, b]] = bit[:, b]
    nxt = np.repeat(mo.base[rows][:, None], w, axis=1)  # (state, subset, event, slot)
    nxt[..., 0] = np.where(fired, mo.count[rows][:, None], nxt[..., 0])
    nxt[..., 3] = np.where(fired, mo.age[rows][:, None], nxt[..., 3])
    cleared = np.zeros(fired.shape, dtype=bool)
    cancelled = np.zeros(fired.shape, dtype=bool)
    for i in m.effective:
        cleared |= fired[..., i : i + 1] & m.resets[i]
        cancelled |= fired[..., i : i + 1] & m.cancels[i]
    nxt[cleared] = 0
    nxt[..., 1] = np.where(cancelled, 1, nxt[..., 1])
    keep = q != 0.0
    for r, n in obs[1]:
        keep &= nxt[:, :, r, 0] == n
    for g in obs[2]:
        nxt[:, :, g, 1] = 1
    return (
        np.repeat(rows, w).reshape(k, w)[keep],
        table.pack(nxt[keep].reshape(-1, 4 * m.n_ev)),
        (q * mo.factor[rows][:, None])[keep],
        fired[keep][:, m.tracked],
        cleared[keep][:, m.reps],
    )


def _propagate(scenario: Scenario, m: _Model, table: _States, built: dict[object, _Regime],
               sequence: list[_Regime], biggest: int, snapshots: tuple[int, ...],
               signs: dict[int, list[tuple[int, float, float]]] | None = None) -> ExactResult:
    """One sparse matrix per regime over the stacked vector [P; mass_1; ...; mass_{w-1}] (each
    block one entry per state), then one mat-vec per month.

    P(occurred) of events no effect resets is the sum of P over the states where they have
    occurred, taken by numpy's pairwise sum rather than a BLAS dot product: a threaded dot
    product's rounding depends on the thread count, and on a busy machine each of its calls
    can wait for a thread (seconds over a horizon)."""
    events, n_ev, h, reps = scenario.events, m.n_ev, scenario.meta.horizon, m.reps
    em_pos = {g: 1 + j for j, g in enumerate(m.reset_targets)}
    cm_pos = {r: 1 + len(m.reset_targets) + j for j, r in enumerate(reps)}
    width = 1 + len(m.reset_targets) + len(reps)
    n = table.n
    mats = {id(r): r.matrix(n, width, em_pos, cm_pos) for r in built.values()}
    plain = [i for i in range(n_ev) if i not in em_pos]  # P(occurred) read off the states
    occ = np.ascontiguousarray(table.rows[:n, 4 * np.array(plain, dtype=int)].T > 0, dtype=float)
    x = np.zeros(n * width)
    x[0] = 1.0
    prob = np.zeros((n_ev, h + 1))
    kept: dict[int, np.ndarray] = {}
    mean_count = {events[r].id: np.zeros(h + 1) for r in reps}
    for t, reg in enumerate(sequence, start=1):
        x = mats[id(reg)] @ x
        for row, yes, no in (signs or {}).get(t, ()):  # soft evidence: every block alike
            x = x * np.tile(np.where(table.rows[:n, 4 * row] > 0, yes, no), width)
        p = x[:n]
        prob[plain, t] = (occ * p).sum(axis=1)  # pairwise sums, not BLAS: see the docstring
        for i, j in em_pos.items():
            prob[i, t] = x[j * n : (j + 1) * n].sum()
        for r in reps:
            mean_count[events[r].id][t] = x[cm_pos[r] * n : (cm_pos[r] + 1) * n].sum()
        if t in snapshots:
            kept[t] = p.copy()
    return ExactResult(
        event_ids=[e.id for e in events],
        kinds=m.kinds,
        horizon=h,
        probability=prob,
        mean_count=mean_count,
        max_states=biggest,
        n_states=n,
        regimes=len(mats),
        nnz=sum(mx.nnz for mx in mats.values()),
        states=[tuple(st) for st in table.rows[:n].tolist()] if snapshots else [],
        snapshots=kept,
        likelihood=float(x[:n].sum()),
    )


def _regimes(
    scenario: Scenario, events: list, sched: list[int]
) -> Callable[[int], object]:
    """month → a key equal for months in which every date test has the same outcome.

    Date tests are `date OP constant` comparisons (their truth per month) and scheduled events
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
    return bool(fn(np.zeros((1, 0), dtype=np.int64), step))


class _Regime:
    """The transitions of the states met in months alike in every date test, as COO triplets
    of one matrix over the stacked vector [P; mass_1; ...]: P' = T P, and per mass block
    m' = T_keep m + T_take P — an ever-occurred mass takes P where its event fires, an
    expected count keeps its own and adds P where its event fires, and is cleared where reset.

    A state's transitions are enumerated once per regime (`todo`, `add`); the triplets are kept
    as arrays in the order enumerated, `fired` a column per tracked event, `cleared` a column
    per repeatable."""

    def __init__(self, tracked: list[int], reps: list[int]) -> None:
        self.fired_col = {g: j for j, g in enumerate(tracked)}
        self.cleared_col = {g: j for j, g in enumerate(reps)}
        self.done = np.zeros(0, dtype=bool)  # state → its transitions are in
        self.parts: list[tuple[np.ndarray, ...]] = []
        self._cat: list[np.ndarray] | None = None

    def todo(self, live: np.ndarray) -> np.ndarray:
        """The states of `live` (sorted) whose transitions this regime lacks."""
        top = int(live[-1]) + 1 if live.size else 0
        if top > len(self.done):
            self.done = np.concatenate([self.done, np.zeros(top - len(self.done), dtype=bool)])
        return live[~self.done[live]]

    def add(self, todo: np.ndarray, src: np.ndarray, dst: np.ndarray, q: np.ndarray,
            fired: np.ndarray, cleared: np.ndarray) -> None:
        self.done[todo] = True
        self.parts.append((src, dst, q, fired, cleared))
        self._cat = None

    def triplets(self) -> list[np.ndarray]:
        """src, dst, q, fired, cleared over every transition added, in order."""
        if self._cat is None:
            if not self.parts:
                nothing = np.zeros(0, dtype=np.int64)
                self.parts = [(nothing, nothing, np.zeros(0),
                               np.zeros((0, len(self.fired_col)), dtype=bool),
                               np.zeros((0, len(self.cleared_col)), dtype=bool))]
            self._cat = [np.concatenate(x) for x in zip(*self.parts, strict=True)]
            self.parts = [tuple(self._cat)]
        return self._cat

    def targets(self, live: np.ndarray, n: int) -> np.ndarray:
        """The states reachable in one month from `live`, sorted."""
        src, dst = self.triplets()[:2]
        on = np.zeros(n, dtype=bool)
        on[live] = True
        reached = np.zeros(n, dtype=bool)
        reached[dst[on[src]]] = True
        return np.flatnonzero(reached)

    def matrix(self, n: int, width: int, em_pos: dict[int, int], cm_pos: dict[int, int]):  # noqa: ANN201
        from scipy import sparse

        src, dst, q, fired_all, cleared_all = self.triplets()
        rows, cols, vals = [dst], [src], [q]
        for g, j in [*em_pos.items(), *cm_pos.items()]:
            fired = fired_all[:, self.fired_col[g]]
            if g in em_pos and j == em_pos[g]:
                keep, take = ~fired, fired
            else:  # an expected count
                cleared = cleared_all[:, self.cleared_col[g]]
                keep, take = ~cleared, fired & ~cleared
            rows += [j * n + dst[keep], j * n + dst[take]]
            cols += [j * n + src[keep], src[take]]
            vals += [q[keep], q[take]]
        size = n * width
        return sparse.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(size, size),
        )


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
    from accord.process.deadline import add_months
    from accord.process.forecast import CurveStats, answers

    # a deadline before S reads the curve at S: the months before are not computed here
    curves = {eid: CurveStats(np.concatenate([np.full(big_s, prob[i, big_s]), prob[i, big_s:]]),
                              np.zeros(h + 1))
              for i, eid in enumerate(r.event_ids)}
    questions = answers(scenario, curves, offset=big_s)
    return Forecast(
        scenario_id=scenario.meta.id, method="exact", horizon=h - big_s,
        dates=[add_months(scenario.meta.as_of, big_s + j).isoformat()
               for j in range(h - big_s + 1)],
        paths=0, draws=1, paths_per_draw=0, seed=None, events=events, questions=questions,
    )
