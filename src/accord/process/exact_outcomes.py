"""A month's outcomes from a block of states (accord.process.exact_moves), built on the states'
packed keys rather than on their rows.

A key is a linear function of a row's slots (each slot's value times its bit weight in its
word), so the key of an outcome is the key of the state's `base` row plus, per firing event,
the change its fired slots make, and then, per event an effect clears or cancels, the change
that makes. The work per outcome is then a few integer additions per uncertain event and per
effect target, instead of materialising every outcome's (events x 4) row and packing it: the
expansion took most of the exact solve's time. Keys are the same integers packing the rows
would give, so states are met, and numbered, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from accord.process.exact_model import Model, Obs
from accord.process.exact_table import StateTable

# (row of the block it leaves, next state's key, probability, tracked events fired,
#  repeatables reset, the subset of the row's uncertain events that fire, as a binary number)
Moves = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Rates:
    """One month's chances from each state of a block: the events sure to fire, the uncertain
    ones and all probabilities, the observations' factor and whether they rule the state out,
    and the events whose chance resolves this month."""

    sure: np.ndarray  # bool (states, events)
    unsure: np.ndarray  # bool (states, events)
    p: np.ndarray  # float (states, events)
    ok: np.ndarray  # bool (states,): not ruled out by the observations
    factor: np.ndarray  # float (states,): the probability of the clamped outcomes
    resolving: np.ndarray  # bool (states, events): resolved after this month

    def of(self, rows: np.ndarray) -> Rates:
        """The chances of the states `rows` alone."""
        return Rates(**{f.name: getattr(self, f.name)[rows] for f in fields(Rates)})


@dataclass
class Month(Rates):
    """A month's Rates and the slots every outcome starts from (`base`: ages advanced,
    resolving chance events marked) or that a firing event takes (`count`, `age`)."""

    base: np.ndarray  # int (states, events, 4)
    count: np.ndarray  # int (states, events): slot 0 of an event that fires
    age: np.ndarray  # int (states, events): slot 3 of an event that fires


class _Block:
    """The states `rows` of a month (u uncertain events each) and their 2^u subsets: per event
    the key contribution of its unfired slots and the change firing makes (one int64 per key
    word), and whether it fires in each (state, subset), computed on demand."""

    def __init__(self, table: StateTable, mo: Month, rows: np.ndarray, u: int) -> None:
        k = len(rows)
        self.base = mo.base[rows].astype(np.int64)  # (state, event, slot)
        self.count, self.age = mo.count[rows], mo.age[rows]
        self.sure = mo.sure[rows]
        self.which = np.nonzero(mo.unsure[rows])[1].reshape(k, u)  # uncertain events, by row
        self.bit = (np.arange(1 << u)[:, None] >> np.arange(u) & 1).astype(bool)  # (subset, b)
        n_ev = self.base.shape[1]
        self.w4 = table.weights.reshape(n_ev, 4, table.words)  # (event, slot, word)
        fire = self.base.copy()
        fire[:, :, 0], fire[:, :, 3] = self.count, self.age
        self.unfired = np.einsum("kes,esw->kew", self.base, self.w4)
        self.delta = np.einsum("kes,esw->kew", fire, self.w4) - self.unfired
        self._fired: dict[int, np.ndarray] = {}

    def fired(self, e: int) -> np.ndarray:
        """bool (state, subset): event e fires, being sure to or by the subset's bit."""
        if e not in self._fired:
            pick = (self.which == e).astype(np.int8)  # (state, b): at most one b per state
            by_bit = (pick @ self.bit.T.astype(np.int8)) > 0
            self._fired[e] = by_bit | self.sure[:, e, None]
        return self._fired[e]

    def keys(self) -> np.ndarray:
        """int64 (state, subset, word): the keys before effects."""
        start = self.unfired.sum(axis=1) + (self.sure[:, :, None] * self.delta).sum(axis=1)
        key = np.repeat(start[:, None, :], len(self.bit), axis=1)
        across = np.arange(len(self.which))
        for b in range(self.which.shape[1]):
            d = self.delta[across, self.which[:, b]]  # (state, word)
            key[:, self.bit[:, b]] += d[:, None, :]
        return key


def outcomes(m: Model, table: StateTable, mo: Month, rows: np.ndarray, u: int,
             obs: Obs) -> Moves:
    """The 2^u outcomes of each of `rows` (states with u uncertain events): events that do not
    fire age; each firing event takes its fired slots; then resets clear their targets (even
    ones that fired) and cancels mark theirs; outcomes failing a `count:` or of probability 0
    are dropped, and events cancelled at month S are marked."""
    k, w = len(rows), 1 << u
    blk = _Block(table, mo, rows, u)
    pu = mo.p[rows[:, None], blk.which]
    q = np.ones((k, w))
    for b in range(u):  # the order accord.process.exact_rerate repeats
        q = q * np.where(blk.bit[:, b], pu[:, b : b + 1], 1 - pu[:, b : b + 1])
    key = blk.keys()
    cleared = {g: _any(blk, m.resets[:, g], m.effective) for g in range(m.n_ev)}
    for g, gone in cleared.items():
        if gone is not None:  # every slot of g to 0: take away what it holds
            held = blk.unfired[:, None, g] + blk.fired(g)[..., None] * blk.delta[:, None, g]
            key -= gone[..., None] * held
    for g in range(m.n_ev):
        cancel = _any(blk, m.cancels[:, g], m.effective)
        if g in obs[2]:
            cancel = np.ones((k, w), dtype=bool)
        if cancel is not None:  # slot 1 of g to 1 (it is 0 where g was cleared)
            now = blk.base[:, None, g, 1] * _not(cleared[g], (k, w))
            key += (cancel * (1 - now))[..., None] * blk.w4[g, 1]
    keep = q != 0.0
    for r, n in obs[1]:
        slot0 = np.where(blk.fired(r), blk.count[:, r, None], blk.base[:, None, r, 0])
        keep &= np.where(_not(cleared[r], (k, w)), slot0, 0) == n
    none = np.zeros((k, w), dtype=bool)
    return (
        np.repeat(rows, w).reshape(k, w)[keep],
        table.as_keys(key[keep]),
        (q * mo.factor[rows][:, None])[keep],
        _columns([blk.fired(g) for g in m.tracked], keep),
        _columns([none if cleared[g] is None else cleared[g] for g in m.reps], keep),
        np.broadcast_to(np.arange(w), (k, w))[keep],
    )


def _any(blk: _Block, by: np.ndarray, effective: list[int]) -> np.ndarray | None:
    """bool (state, subset): some effective event marked in `by` fires; None if none can."""
    out = None
    for i in effective:
        if by[i]:
            out = blk.fired(i) if out is None else out | blk.fired(i)
    return out


def _not(mask: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    return np.ones(shape, dtype=bool) if mask is None else ~mask


def _columns(masks: list[np.ndarray], keep: np.ndarray) -> np.ndarray:
    """One column per mask, over the kept outcomes."""
    if not masks:
        return np.zeros((int(keep.sum()), 0), dtype=bool)
    return np.stack([x[keep] for x in masks], axis=1)
