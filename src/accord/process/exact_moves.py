"""The exact solver's moves (accord.process.exact): a month's moves from a block of states, and
each regime's transitions, built into one Step (accord.process.exact_step) per regime.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.process.exact_model import MAX_UNCERTAIN, Model, Obs, StateSpaceTooLarge
from accord.process.exact_outcomes import Month, Moves, Rates, outcomes
from accord.process.exact_step import Step, step_of
from accord.process.exact_table import StateTable


@dataclass
class Terms:
    """What a month's probabilities read of each state besides the rates: the events enabled
    and each modifier's condition (modifiers in event order). Alike in every month of one
    regime, whose months agree on every date test."""

    on: np.ndarray  # bool (states, events)
    hits: np.ndarray  # bool (states, modifiers)

    def of(self, rows: np.ndarray) -> Terms:
        return Terms(self.on[rows], self.hits[rows])


def terms_of(m: Model, s: np.ndarray, t: int, month: int) -> Terms:
    """The states' (rows of s) terms in month t: the conditions evaluated, block by block."""
    k = len(s)
    s = s.astype(np.int64)  # conditions compare with any number; the table's ints are small
    s4 = s.reshape(k, m.n_ev, 4)
    occ, canc, res = (s4[:, :, j] for j in range(3))
    on = ~((canc > 0) | ((occ > 0) & ~m.rep) | ((res > 0) & m.chance))
    on &= ~(m.scheduled & (month < m.sched))
    hits = []
    for i in range(m.n_ev):
        on[:, i] &= m.when[i](s, t)
        hits += [np.broadcast_to(cond(s, t), (k,)) for cond, _ in m.mods[i]]  # (or a constant)
    return Terms(on, np.stack(hits, axis=1) if hits else np.zeros((k, 0), dtype=bool))


def month_of_states(m: Model, s: np.ndarray, t: int, month: int, obs: Obs,
                    dtype: Any) -> Month:
    """Which events are enabled in each state (rows of s), their monthly probabilities
    (`rates_of`) and the slots the outcomes start from (`with_slots`)."""
    return with_slots(m, s, rates_of(m, s, t, month, obs), dtype)


def with_slots(m: Model, s: np.ndarray, r: Rates, dtype: Any) -> Month:
    """The month of the states (rows of s) whose chances are `r`: the slots every outcome
    starts from and those a firing event takes."""
    s4 = s.astype(np.int64).reshape(len(s), m.n_ev, 4)
    occ, age = s4[:, :, 0], s4[:, :, 3]
    base = s4.astype(dtype)
    base[:, :, 3] = np.where(age > 0, np.minimum(age + 1, m.acap), age)
    base[:, :, 2] = r.resolving
    return Month(**vars(r), base=base, count=np.where(m.rep, np.minimum(occ + 1, m.ccap), 1),
                 age=np.where(m.acap > 0, 1, base[:, :, 3]))


def rates_of(m: Model, s: np.ndarray, t: int, month: int, obs: Obs,
             terms: Terms | None = None) -> Rates:
    """The states' (rows of s) chances this month: the same float operations in the same
    order for every state, so a state's transition probabilities do not depend on the block
    it is evaluated in."""
    k = len(s)
    terms = terms_of(m, s, t, month) if terms is None else terms
    on = terms.on
    p = np.repeat(m.rate_at(t)[None, :], k, axis=0)
    j = 0
    for i in range(m.n_ev):
        for _, mult in m.mods[i]:
            p[:, i] = np.where(terms.hits[:, j], p[:, i] * mult, p[:, i])
            j += 1
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
    resolving = (chancy & m.chance) | (s.reshape(k, m.n_ev, 4)[:, :, 2] > 0)
    return Rates(sure=sure, unsure=unsure, p=p, ok=ok, factor=factor, resolving=resolving)


# transitions held at once, all regimes: ~30 bytes and a few hundred ns each, so the limit
# bounds a solve to a few seconds and a few hundred MB (the built-in scenario needs 2.6 M)
MAX_TRANSITIONS = 8_000_000
_CHUNK = 1 << 15  # outcomes expanded at once: bounds the memory 2^u outcomes of a state take


def block_moves(m: Model, table: StateTable, s: np.ndarray, t: int, month: int,
                obs: Obs, room: int | None = None) -> Moves:
    """Every way one month can go from each state of a block (`expand`)."""
    return expand(m, table, month_of_states(m, s, t, month, obs, s.dtype), t, obs, room)


def expand(m: Model, table: StateTable, mo: Month, t: int, obs: Obs,
           room: int | None = None) -> Moves:
    """Every way one month can go from each state of a block, given the block's month `mo`:
    (row it leaves, next state's key, probability, tracked events fired, repeatables reset,
    the subset), ordered by the row and then by the subset of uncertain events as a binary
    number (bit b: the b-th uncertain event by row fires), so the states are numbered and the
    matrices summed in one fixed order. States with equally many uncertain events are expanded
    together, by broadcasting; outcomes alike in state and masses are not merged here.
    `room`: how many more transitions the solve may hold; a block that would need more is
    refused before it is expanded."""
    n_unsure = mo.unsure.sum(axis=1)
    too_many = np.flatnonzero(mo.ok & (n_unsure > MAX_UNCERTAIN))
    if too_many.size:
        raise StateSpaceTooLarge(
            f"exact solver: {int(n_unsure[too_many[0]])} events may fire in one month "
            f"(limit {MAX_UNCERTAIN})"
        )
    need = int(np.sum(np.left_shift(1, n_unsure[mo.ok], dtype=np.int64)))
    if room is not None and need > room:
        raise StateSpaceTooLarge(
            f"exact solver: the transitions by step {t} exceed the limit of {MAX_TRANSITIONS:,} "
            "(many events may fire in the same month)")
    parts = []
    for u in np.unique(n_unsure[mo.ok]).tolist():
        rows = np.flatnonzero(mo.ok & (n_unsure == u))
        step = max(1, _CHUNK >> u)
        for lo in range(0, len(rows), step):
            parts.append(outcomes(m, table, mo, rows[lo : lo + step], u, obs))
    if not parts:
        nothing = np.zeros(0, dtype=np.int64)
        return (nothing, table.pack(mo.base[:0].reshape(0, 4 * mo.base.shape[1])), np.zeros(0),
                np.zeros((0, len(m.tracked)), dtype=bool),
                np.zeros((0, len(m.reps)), dtype=bool), nothing)
    cat = [np.concatenate(x) for x in zip(*parts, strict=True)]
    order = np.argsort(cat[0], kind="stable")
    return tuple(x[order] for x in cat)  # type: ignore[return-value]


class Regime:
    """The transitions of the states met in months alike in every date test, as COO triplets
    of the matrix T (P' = T P) with, per transition, the events it fires and the repeatables it
    resets, from which the masses' moves follow (accord.process.exact_step).

    A state's transitions are enumerated once per regime (`todo`, `add`); the triplets are kept
    as arrays in the order enumerated, `fired` a column per tracked event, `cleared` a column
    per repeatable."""

    def __init__(self, tracked: list[int], reps: list[int]) -> None:
        self.fired_col = {g: j for j, g in enumerate(tracked)}
        self.cleared_col = {g: j for j, g in enumerate(reps)}
        self.done = np.zeros(0, dtype=bool)  # state → its transitions are in
        self.parts: list[tuple[np.ndarray, ...]] = []
        self._cat: list[np.ndarray] | None = None
        self._reach: tuple[np.ndarray, np.ndarray] | None = None  # live → targets, last asked
        self.version = 0  # transitions added so far, in batches: a Step built earlier is stale

    def todo(self, live: np.ndarray) -> np.ndarray:
        """The states of `live` (sorted) whose transitions this regime lacks."""
        top = int(live[-1]) + 1 if live.size else 0
        if top > len(self.done):
            self.done = np.concatenate([self.done, np.zeros(top - len(self.done), dtype=bool)])
        return live[~self.done[live]]

    def add(self, todo: np.ndarray, src: np.ndarray, dst: np.ndarray, q: np.ndarray,
            fired: np.ndarray, cleared: np.ndarray) -> None:
        self.done[todo] = True
        self.version += 1
        self.parts.append((src, dst, q, fired, cleared))
        self._cat = self._reach = None

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
        """The states reachable in one month from `live`, sorted. Once every state is met the
        live set repeats month after month: the last answer is kept for it."""
        if self._reach is not None and np.array_equal(self._reach[0], live):
            return self._reach[1]
        src, dst = self.triplets()[:2]
        on = np.zeros(n, dtype=bool)
        on[live] = True
        reached = np.zeros(n, dtype=bool)
        reached[dst[on[src]]] = True
        self._reach = (live, np.flatnonzero(reached))
        return self._reach[1]

    def matrix(self, n: int, width: int, em_pos: dict[int, int], cm_pos: dict[int, int],
               tallied: list[int]) -> Step:
        """The regime's month as a Step over the stacked vector [P; mass_1; ...] (blocks:
        em_pos for ever-occurred masses, cm_pos for expected counts; `tallied`: counts kept
        as totals)."""
        cols: dict[int, tuple[int | None, int | None]] = {
            j: (self.fired_col[g], None) for g, j in em_pos.items()}
        cols |= {j: (self.fired_col[r], self.cleared_col[r]) for r, j in cm_pos.items()}
        return step_of(self.triplets(), n, [cols[j] for j in range(1, width)],
                       [self.fired_col[r] for r in tallied])


class SharedRegimes:
    """The regimes months alike in every date test share (by key): each state's transitions
    are enumerated once per regime, the first month it is live in one of them (`month`)."""

    def __init__(self, m: Model, table: StateTable) -> None:
        self.m, self.table = m, table
        self.built: dict[object, Regime] = {}
        self.held = 0  # transitions held, all regimes

    def month(self, key: object, live: np.ndarray, t: int, month: int, obs: Obs,
              room: int) -> Regime:
        """Month t's regime over the states `live` (sorted); `room`: the transitions the
        solve may still hold besides these regimes'."""
        m, table = self.m, self.table
        reg = self.built.setdefault(key, Regime(m.tracked, m.reps))
        todo = reg.todo(live)
        if todo.size:
            src, keys, q, fired, cleared, _ = block_moves(m, table, table.rows[todo], t, month,
                                                         obs, room=room - self.held)
            reg.add(todo, todo[src], table.index(keys), q, fired, cleared)
            self.held += len(src)
        return reg
