"""The exact solver's months where rates change month by month (accord.process.exact): a
decaying event, or a reference class's hazard, makes every month a regime of its own.

Such a month's transitions differ from those of an earlier month of the same date class (the
regime's key) only in their probabilities, as long as every state has the same events enabled,
sure to fire and uncertain, and the observations rule out the same states: the outcomes, the
states they lead to and the events they fire are then the same, in the same order. A
`Template` keeps them from the months they were enumerated in, and each later month only
recomputes q, the product over a state's uncertain events, in order, of p or 1 − p as the
outcome's subset says, times the observations' factor: the floating-point operations of the
enumeration (accord.process.exact_outcomes), in the same order, so the numbers are those a
fresh enumeration gives, bit for bit. A state whose enabled, sure or uncertain events differ
from its template's sends the whole month back to enumeration, which starts a new template.
"""

from __future__ import annotations

import numpy as np

from accord.process.exact_model import Model, Obs
from accord.process.exact_moves import Regime, Terms, expand, rates_of, terms_of, with_slots
from accord.process.exact_outcomes import Rates
from accord.process.exact_table import StateTable


class Template:
    """One date class's transitions as enumerated, state by state (sources as state numbers),
    and per state met the masks its transitions were enumerated under."""

    def __init__(self, n_events: int, tracked: int, reps: int) -> None:
        self.done = np.zeros(0, dtype=bool)
        self.masks = np.zeros((0, 3, n_events), dtype=bool)  # resolving, sure, uncertain
        self.ok = np.zeros(0, dtype=bool)
        self.parts: list[tuple[np.ndarray, ...]] = [(
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
            np.zeros((0, tracked), dtype=bool), np.zeros((0, reps), dtype=bool))]
        self.size = 0  # transitions held
        self._last: tuple[np.ndarray, tuple[np.ndarray, ...]] | None = None

    def grow(self, n: int) -> None:
        if n > len(self.done):
            extra = n - len(self.done)
            self.done = np.concatenate([self.done, np.zeros(extra, dtype=bool)])
            self.ok = np.concatenate([self.ok, np.zeros(extra, dtype=bool)])
            self.masks = np.concatenate(
                [self.masks, np.zeros((extra, *self.masks.shape[1:]), dtype=bool)])

    def fits(self, live: np.ndarray, mo: Rates) -> bool:
        """Whether the states of `live` (rows of `mo`) met before have this month's masks."""
        self.grow(int(live[-1]) + 1 if live.size else 0)
        known = self.done[live]
        return bool(np.array_equal(self.masks[live[known]], _masks(mo)[known])
                    and np.array_equal(self.ok[live[known]], mo.ok[known]))

    def add(self, states: np.ndarray, mo: Rates, moves: tuple[np.ndarray, ...]) -> None:
        """The transitions of `states` (the rows of `mo`), enumerated (src as state numbers)."""
        self.done[states] = True
        self.ok[states] = mo.ok
        self.masks[states] = _masks(mo)
        self.parts.append(moves)
        self.size += len(moves[0])
        self._last = None

    def of(self, live: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
        """(src, row of src in `live`, dst, subset, fired, cleared) of the transitions leaving
        `live`. Once every state is met the live set repeats month after month: the last
        answer is kept for it."""
        if self._last is not None and np.array_equal(self._last[0], live):
            return self._last[1]
        if len(self.parts) > 1:  # in order of source, as a Step takes them (stable: per
            # source, the order enumerated)
            cat = [np.concatenate(x) for x in zip(*self.parts, strict=True)]
            order = np.argsort(cat[0], kind="stable")
            self.parts = [tuple(x[order] for x in cat)]
        src, dst, subset, fired, cleared = self.parts[0]
        row = np.full(n, -1)  # state -> its row in `live`
        row[live] = np.arange(len(live))
        at = row[src]
        pick = at >= 0
        out = (src[pick], at[pick], dst[pick], subset[pick], fired[pick], cleared[pick])
        self._last = (live, out)
        return out


def rerated_q(mo: Rates, rows: np.ndarray, subset: np.ndarray) -> np.ndarray:
    """q of each transition: its source (a row of `mo`) and its subset of the source's
    uncertain events. Per state, the probability of every subset is built with the
    enumeration's multiplications in its order (event by event, p or 1 − p, from 1), doubling
    the subsets at each event; then each transition takes its own."""
    u_of = mo.unsure.sum(axis=1)
    # each state's uncertain events' p, by event number (the enumeration's order), state after
    # state: a state's run starts at `first`
    pv = mo.p[np.nonzero(mo.unsure)]
    first = np.cumsum(u_of) - u_of
    start = np.concatenate([[0], np.cumsum(np.left_shift(1, u_of))])  # each state's subsets
    table = np.empty(int(start[-1]))
    for u in np.unique(u_of).tolist():
        at = np.flatnonzero(u_of == u)
        pu = pv[first[at][:, None] + np.arange(u)]
        q = np.ones((len(at), 1))
        for b in range(u):  # subsets of events 0..b: those without b, then those with it
            q = np.concatenate([q * (1 - pu[:, b : b + 1]), q * pu[:, b : b + 1]], axis=1)
        table[start[at][:, None] + np.arange(1 << u)] = q
    return table[start[rows] + subset] * mo.factor[rows]


class TermCache:
    """One date class's terms (accord.process.exact_moves.Terms) of every state met: the
    conditions read the state and the date class alone, so each is evaluated once."""

    def __init__(self) -> None:
        self.known = np.zeros(0, dtype=bool)
        self.terms: Terms | None = None

    def of(self, m: Model, table: StateTable, live: np.ndarray, t: int, month: int) -> Terms:
        n = table.n
        if n > len(self.known):
            self.known = np.concatenate([self.known, np.zeros(n - len(self.known), bool)])
        new = live[~self.known[live]]
        if new.size:
            got = terms_of(m, table.rows[new], t, month)
            if self.terms is None or len(self.terms.on) < n:
                self.terms = _grown(self.terms, got, n)
            self.terms.on[new], self.terms.hits[new] = got.on, got.hits
            self.known[new] = True
        assert self.terms is not None
        return self.terms.of(live)


def _grown(old: Terms | None, like: Terms, n: int) -> Terms:
    """Room for the terms of n states (the first ones `old`'s)."""
    out = Terms(np.zeros((n, like.on.shape[1]), dtype=bool),
                np.zeros((n, like.hits.shape[1]), dtype=bool))
    if old is not None:
        out.on[: len(old.on)], out.hits[: len(old.hits)] = old.on, old.hits
    return out


class Rerater:
    """The months of a solve whose rates change monthly, each built from its date class's
    template where the masks allow (`month`)."""

    def __init__(self, m: Model, table: StateTable) -> None:
        self.m, self.table = m, table
        self.templates: dict[object, Template] = {}
        self.terms: dict[object, TermCache] = {}

    @property
    def held(self) -> int:
        return sum(tp.size for tp in self.templates.values())

    def month(self, key: object, live: np.ndarray, t: int, month: int, obs: Obs,
              room: int) -> Regime:
        """Month t's regime over the states `live` (sorted)."""
        m, table = self.m, self.table
        s = table.rows[live]
        terms = self.terms.setdefault(key, TermCache()).of(m, table, live, t, month)
        mo = rates_of(m, s, t, month, obs, terms)
        tp = self.templates.get(key)
        if tp is None or not tp.fits(live, mo):
            tp = self.templates[key] = Template(m.n_ev, len(m.tracked), len(m.reps))
            tp.grow(table.n)
        new = np.flatnonzero(~tp.done[live])
        if new.size:
            sub = with_slots(m, s[new], mo.of(new), s.dtype)
            src, keys, _, fired, cleared, subset = expand(m, table, sub, t, obs,
                                                          room - self.held)
            states = live[new]
            dst = table.index(keys)  # numbers the states met
            tp.add(states, sub, (states[src], dst, subset, fired, cleared))
        src, rows, dst, subset, fired, cleared = tp.of(live, table.n)
        reg = Regime(m.tracked, m.reps)
        reg.todo(live)  # (sizes its record of the states done)
        reg.add(live, src, dst, rerated_q(mo, rows, subset), fired, cleared)
        return reg


def _masks(mo: Rates) -> np.ndarray:
    """bool (states, 3, events): what a state's outcomes depend on beyond the rates: the events
    whose chance has resolved after this month (the one slot of an outcome's start that does
    not follow from the state alone), the events sure to fire, the uncertain ones."""
    return np.stack([mo.resolving, mo.sure, mo.unsure], axis=1)
