"""The exact solver's states and transitions (accord.process.exact): the table of states met, a
month's moves from a block of states, and each regime's transitions as one sparse matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.process.exact_model import MAX_UNCERTAIN, Model, Obs, StateSpaceTooLarge


class StateTable:
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
class Month:
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


def month_of_states(m: Model, s: np.ndarray, t: int, month: int, obs: Obs, dtype: Any) -> Month:
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
    return Month(
        sure=sure, unsure=unsure, p=p, ok=ok, factor=factor, base=base,
        count=np.where(m.rep, np.minimum(occ + 1, m.ccap), 1),
        age=np.where(m.acap > 0, 1, base[:, :, 3]),
    )


_CHUNK = 1 << 15  # outcomes expanded at once: bounds the memory 2^u outcomes of a state take
Moves = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def block_moves(m: Model, table: StateTable, s: np.ndarray, t: int, month: int,
                 obs: Obs) -> Moves:
    """Every way one month can go from each state of a block: (row of s it leaves, next state's key,
    probability, tracked events fired, repeatables reset), ordered by the row and then by the
    subset of uncertain events as a binary number (bit b: the b-th uncertain event by row
    fires), so the states are numbered and the matrices summed in one fixed order. States
    with equally many uncertain events are expanded together, by broadcasting; outcomes alike
    in state and masses are not merged here."""
    mo = month_of_states(m, s, t, month, obs, s.dtype)
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


def _outcomes(m: Model, table: StateTable, mo: Month, rows: np.ndarray, u: int,
              obs: Obs) -> Moves:
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



class Regime:
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

