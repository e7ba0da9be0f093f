"""Exchange model (Stokman & Van Oosten 1994, "The exchange of voting positions", in Bueno de
Mesquita & Stokman (eds), *European Community Decision Making*, 105–127), as the maintained
implementation decide-exchange-model (2022.1.28) computes it, and its random-rate variant
(Dijkstra, Van Assen, Stokman & Draaijer 2018).

Across the issues of one group (a proposal), actors trade voting positions: i gives way on an
issue it cares less about in exchange for j's movement on the issue i cares more about.
Positions x_ak on 0–100 (each issue's scale rescaled), saliences s_ak on [0, 1], power c_ak.

Per round:

- outcome of issue k (the Nash bargaining solution of the literature, i.e. the compromise):
  O_k = Σ_a c_ak s_ak x_ak / Σ_a c_ak s_ak.
- for each pair of issues (p, q), p before q in input order, actors are grouped by side of the
  outcomes: A right of both (x > O), D left of both (x ≤ O), B left on p only, C left on q only.
  Only A×D and B×C pairs can both gain (each wants the other to move its way on both issues).
- roles: the actor with the larger s_p / s_q "demands" p and "supplies" q (called I; the other, J,
  demands q and supplies p). Moving actor a on issue k by Δ shifts O_k by c_ak s_ak Δ / Σ c s.
- equal gain: I gains s_Ip δ_p − s_Iq δ_q, J gains s_Jq δ_q − s_Jp δ_p for outcome shifts
  δ_p (J's move on p) and δ_q (I's move on q). Equal gains give the exchange rate
  δ_q / δ_p = r = (s_Ip + s_Jp) / (s_Iq + s_Jq). First J moves all the way to I's position on p,
  δ_p = |x_Ip − x_Jp| c_Jp s_Jp / Σ_p c s, and I moves δ_q Σ_q c s / (c_Iq s_Iq) on q; if that
  passes J's position on q, I moves all the way there instead and J's move follows from r.
- an outcome may not be pushed past the demanding actor's own position: if a move would carry
  O_k across it, the move is cut so that O_k lands on it, and the partner's move follows from r.
- gain G = s_Ip δ_p − s_Iq δ_q (= J's). Exchanges are realised best gain first. After each,
  every exchange sharing an actor's supply issue restarts from the moved voting position, and
  every exchange sharing an actor's demand issue takes the partner's move into its outcome
  calculations; exchanges that stop being valid are dropped. A move is valid if it is larger than
  1e-10, stays on 0–100, and keeps the direction of that actor's earlier moves in the exchange.
- after the round the outcomes of the voting positions are the forecast; each actor that moved
  starts the next round from x' = (0.1 + 0.4 (1 − s)) y + (0.9 − 0.4 (1 − s)) x (decide's
  SALIENCE_WEIGHT 0.4, FIXED_WEIGHT 0.1): a salient issue's start position moves little.

Externalities (as decide reports them): each realised exchange shifts O_p and O_q; for an actor
outside it, the externality is s_ap (|O_p − x_ap| − |O_p' − x_ap|) + s_aq (|O_q − x_aq| − |O_q' −
x_aq|), with O, O' the outcomes before and after that exchange's moves.

Choices where descriptions differ, and decide's quirks kept so that the model matches it:
- ties between exchanges of equal gain: decide picks at random between the first two; here the
  list order decides (issues, then actor pairs in input order, stably re-sorted), which is decide
  with its ``ALLOW_RANDOM = False``; gains equal to 11 decimals sort as equal, gains within 1e-9
  are counted as ties in each round's result (``ties``, ``first_tie``).
- decide computes in Decimal; here in floats, so an outcome within 1e-9 of the demanding actor's
  position counts as on it in the overshoot test.
- kept from decide so as to match it: when a cut is needed and the actor's own earlier move on
  that issue (from a realised exchange) is among the recorded moves, the cut is measured from
  that earlier position; a later exchange's partner move is recorded only when the realised
  exchange shares an actor and that actor's demand issue (of an earlier record u and the new
  position y it keeps min(u, y) if the mover's start ≤ u, else max(u, y)); outcome shifts by
  exchanges that share no actor are not seen within a round.
- decide divides by s_q and by c s; an actor with c s = 0 on an issue cannot move its outcome
  and takes part in no exchange supplying it; roles compare s_Ip s_Jq with s_Jp s_Iq.
- an actor missing on an issue (no position) is left out of that issue's outcome and of every
  exchange involving it.
- random rate (``random_rate=True``): instead of the equal-gain r, each exchange draws its rate
  uniformly between the two rates at which one side gains nothing, r ~ U(s_Jp / s_Jq, s_Ip / s_Iq),
  once when the exchange is formed; exchanges are ranked by the mean of the two gains. (decide's
  ``randomized_value`` instead perturbs the equal gain by a drawn share of the maximal gain.)
- the forecast is the outcome of the voting positions after the last round; ``rounds`` = 1 is
  the 1994 model, decide runs 10 by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np

from accord.bargaining.compromise import compromise_unit
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable

SALIENCE_WEIGHT = 0.4
FIXED_WEIGHT = 0.1
MIN_MOVE = 1e-10
MIN_GAIN = 1e-10
SNAP = 1e-9  # differences this small are rounding noise (decide computes in Decimal)
TIE = 1e-9  # gains closer than this are a tie
SORT_DIGITS = 11  # gains equal to 11 decimals tie (decide's Decimal ties are exact)
DEFAULT_ROUNDS = 1
DEFAULT_DRAWS = 50


@dataclass
class Trade:
    """One realised exchange: ``actor_i`` moves on ``supply_i`` from ``from_i`` to ``to_i``
    (0–100) in exchange for ``actor_j`` moving on ``supply_j``; each side's gain."""

    round: int
    actor_i: str
    supply_i: str
    from_i: float
    to_i: float
    gain_i: float
    actor_j: str
    supply_j: str
    from_j: float
    to_j: float
    gain_j: float


@dataclass
class Round:
    """One round: start positions (n, m) on 0–100, voting positions after the exchanges, their
    outcomes (m,), the trades made, each actor's gains and externalities (n,), ties met and the
    index in ``trades`` of the first trade chosen over another of equal gain (None: no tie)."""

    start: FloatArray
    voting: FloatArray
    outcome: FloatArray
    trades: list[Trade]
    gains: FloatArray
    externalities: FloatArray
    ties: int = 0
    first_tie: int | None = None


@dataclass
class ExchangeResult:
    """The exchange model's rounds, over its actors and issues."""

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    rounds: list[Round] = field(default_factory=list)

    @property
    def outcome(self) -> FloatArray:
        """Outcomes (m,) on 0–100 after the last round (the input compromise if no round)."""
        return self.rounds[-1].outcome


class _Side:
    __slots__ = ("a", "sup", "dem", "sup_pos", "dem_pos", "start", "moves", "move", "y",
                 "eu", "nbs0", "nbs1")

    def __init__(self, a: int, sup: int, dem: int, x: FloatArray) -> None:
        self.a, self.sup, self.dem = a, sup, dem
        self.sup_pos = float(x[a, sup])
        self.dem_pos = float(x[a, dem])
        self.start = self.sup_pos
        self.moves: list[float] = []
        self.move = 0.0
        self.y = self.sup_pos
        self.eu = 0.0
        self.nbs0 = 0.0
        self.nbs1 = 0.0

    def valid(self, move: float) -> bool:
        if abs(move) > 100 or abs(move) <= MIN_MOVE:
            return False
        if not 0.0 <= self.sup_pos + move <= 100.0:
            return False
        if sum(self.moves) > 100:
            return False
        lo, hi = min(self.moves), max(self.moves)
        return (lo < 0 and hi < 0) or (lo > 0 and hi > 0)


class _Round:
    """The state one round's exchanges read: round-start positions and outcome sums."""

    def __init__(self, x: FloatArray, s: FloatArray, c: FloatArray, present: np.ndarray) -> None:
        self.x, self.s = x, s
        self.cs = np.where(present, c * s, 0.0)
        self.denom = self.cs.sum(axis=0)
        self.num = (self.cs * np.where(present, x, 0.0)).sum(axis=0)

    def adjusted(self, k: int, updates: dict[int, float], a: int, pos: float) -> float:
        """Outcome of issue k with the updated positions and actor a at pos."""
        num = self.num[k]
        for b, u in updates.items():
            if b != a:
                num += self.cs[b, k] * (u - self.x[b, k])
        num += self.cs[a, k] * (pos - self.x[a, k])
        return float(num / self.denom[k])


class _Exchange:
    __slots__ = ("I", "J", "st", "updates", "gain", "key", "ok", "rate", "random")

    def __init__(self, st: _Round, i: int, j: int, p: int, q: int,
                 rng: np.random.Generator | None) -> None:
        s = st.s
        if s[i, p] * s[j, q] < s[j, p] * s[i, q]:
            i, j = j, i
        self.st = st
        self.I = _Side(i, q, p, st.x)  # demands p, supplies q
        self.J = _Side(j, p, q, st.x)  # demands q, supplies p
        self.updates: dict[int, dict[int, float]] = {}
        self.gain = 0.0
        self.key = 0.0
        self.ok = s[i, q] > 0 and s[j, q] > 0
        self.random = rng is not None
        self.rate = 1.0
        if not self.ok:  # an actor indifferent to q has nothing to gain there
            return
        if rng is None:
            self.rate = float((s[i, p] + s[j, p]) / (s[i, q] + s[j, q]))
        else:  # between the rates at which J, then I, gains nothing
            self.rate = float(rng.uniform(s[j, p] / s[j, q], s[i, p] / s[i, q]))

    # -- helpers ------------------------------------------------------------------------
    def _other(self, side: _Side) -> _Side:
        return self.J if side is self.I else self.I

    def _shift_other(self, side: _Side, shift: float) -> float:
        """Outcome shift on the partner's supply issue for a shift on side's supply issue."""
        return shift * self.rate if side is self.J else shift / self.rate

    def _nbs(self, side: _Side, pos: float) -> float:
        return self.st.adjusted(side.sup, self.updates.get(side.sup, {}), side.a, pos)

    def _gains(self, dp: float, dq: float) -> tuple[float, float]:
        s, i, j = self.st.s, self.I.a, self.J.a
        p, q = self.J.sup, self.I.sup
        return abs(s[i, p] * dp - s[i, q] * dq), abs(s[j, q] * dq - s[j, p] * dp)

    def _set_gain(self, gi: float, gj: float) -> None:
        gi, gj = float(gi), float(gj)
        self.I.eu, self.J.eu = gi, gj
        self.gain = 0.5 * (gi + gj) if self.random else gi
        self.key = round(self.gain, SORT_DIGITS)  # the sort key: equal to 11 digits is a tie

    # -- decide's calculate / check_nbs / recalculate ------------------------------------
    def calculate(self) -> None:
        st, di, dj = self.st, self.I, self.J
        p, q = dj.sup, di.sup
        cs_i, cs_j = st.cs[di.a, q], st.cs[dj.a, p]
        if cs_i <= 0 or cs_j <= 0 or self.rate <= 0:
            self.ok = False
            return
        dp = abs(di.dem_pos - dj.sup_pos) * cs_j / st.denom[p]
        dq = dp * self.rate
        di.move = dq * st.denom[q] / cs_i
        dj.move = abs(di.dem_pos - dj.sup_pos)
        if abs(di.move) > abs(dj.dem_pos - di.sup_pos):
            dq = abs(dj.dem_pos - di.sup_pos) * cs_i / st.denom[q]
            dp = dq / self.rate
            di.move = abs(dj.dem_pos - di.sup_pos)
            dj.move = dp * st.denom[p] / cs_j
        if di.sup_pos > dj.dem_pos:
            di.move = -di.move
        if dj.sup_pos > di.dem_pos:
            dj.move = -dj.move
        di.moves.append(di.move)
        dj.moves.append(dj.move)
        di.y = di.sup_pos + di.move
        dj.y = dj.sup_pos + dj.move
        self._set_gain(*self._gains(dp, dq))
        self.ok = di.valid(di.move) and dj.valid(dj.move) and min(di.eu, dj.eu) >= MIN_GAIN
        if not self.ok:
            return
        self._check(di)
        self._check(dj)
        self.ok = di.valid(di.move) and dj.valid(dj.move)

    def _check(self, side: _Side) -> None:
        """Cut side's move if it would carry its supply issue's outcome past the partner's
        own position there."""
        st, o = self.st, self._other(side)
        side.nbs0 = self._nbs(side, side.sup_pos)
        side.nbs1 = self._nbs(side, side.y)
        x = o.dem_pos
        d0, d1 = _snap(x - side.nbs0), _snap(x - side.nbs1)
        if (d0 >= 0 and d1 >= 0) or (d0 <= 0 and d1 <= 0):
            return
        k, ko = side.sup, o.sup
        upd = self.updates.get(k, {})
        base = st.adjusted(k, upd, side.a, upd.get(side.a, side.sup_pos))  # decide's order
        delta = abs((x - base) * st.denom[k] / st.cs[side.a, k])
        shift = delta * st.cs[side.a, k] / st.denom[k]
        shift_o = self._shift_other(side, shift)
        o.move = abs(shift_o * st.denom[ko] / st.cs[o.a, ko])
        side.move = delta
        if o.sup_pos > side.dem_pos:
            o.move = -o.move
        if side.sup_pos > o.dem_pos:
            side.move = -side.move
        o.moves[-1] = o.move
        side.moves[-1] = side.move
        o.y = o.sup_pos + o.move
        side.y = side.sup_pos + side.move
        dp, dq = (shift, shift_o) if side is self.J else (shift_o, shift)
        self._set_gain(*self._gains(dp, dq))
        side.nbs1 = self._nbs(side, side.y)

    def recalculate(self, r: _Exchange) -> None:
        """Update this exchange after r was realised (decide's ``recalculate``)."""
        di, dj = self.I, self.J
        hit_i = hit_j = False
        for own in (di, dj):
            for other in (r.I, r.J):
                if own.a == other.a and own.sup == other.sup:
                    own.sup_pos = other.y
                    own.moves.append(other.moves[-1])
                    if own is di:
                        hit_i = True
                    else:
                        hit_j = True
                    break
        redo = hit_i or hit_j
        if redo:
            di.moves.pop()
            dj.moves.pop()
        for rd, rs in ((r.J, r.I), (r.I, r.J)):  # rd's partner rs moved on rd's demand issue
            if any(rd.a == own.a and rd.dem == own.dem for own in (dj, di)):
                upd = self.updates.setdefault(rd.dem, {})
                if rs.a in upd:
                    u = upd[rs.a]
                    upd[rs.a] = min(u, rs.y) if rs.start <= u else max(u, rs.y)
                else:
                    upd[rs.a] = rs.y
                if not redo:
                    di.moves.pop()
                    dj.moves.pop()
                    redo = True
        if redo:
            self.calculate()


def _snap(d: float) -> float:
    return 0.0 if abs(d) < SNAP else d


def _pairs_of(x: FloatArray, present: np.ndarray, nbs: FloatArray) -> list[tuple[int, int, int,
                                                                                 int]]:
    n, m = x.shape
    left = x <= nbs[None, :]
    out = []
    for p in range(m):
        for q in range(p + 1, m):
            both = present[:, p] & present[:, q]
            code = left[:, p].astype(int) | (left[:, q].astype(int) * 2)
            groups = [[a for a in range(n) if both[a] and code[a] == g] for g in range(4)]
            out += [(i, j, p, q) for i in groups[0] for j in groups[3]]
            out += [(i, j, p, q) for i in groups[1] for j in groups[2]]
    return out


def _externality(st: _Round, e: _Exchange, present: np.ndarray) -> FloatArray:
    ext = np.zeros(st.x.shape[0])
    for side in (e.I, e.J):
        k = side.sup
        xa = st.x[:, k]
        ext += np.where(present[:, k],
                        st.s[:, k] * (np.abs(side.nbs0 - xa) - np.abs(side.nbs1 - xa)), 0.0)
    return ext


def run(
    x: FloatArray, s: FloatArray, c: FloatArray, present: np.ndarray | None = None, *,
    rounds: int = DEFAULT_ROUNDS, actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None, rng: np.random.Generator | None = None,
) -> ExchangeResult:
    """Run the exchange model: x, s, c of shape (n actors, m issues), x on 0–100, s on [0, 1];
    ``present`` marks actors with a position on an issue; ``rng`` gives the random-rate variant.
    """
    x = np.array(x, dtype=float)
    n, m = x.shape
    s = np.broadcast_to(np.asarray(s, dtype=float), (n, m))
    c = np.broadcast_to(np.asarray(c, dtype=float).reshape(n, -1), (n, m))
    present = np.ones((n, m), bool) if present is None else np.asarray(present, bool)
    x = np.where(present, x, 0.0)
    res = ExchangeResult(tuple(actors or (f"a{k}" for k in range(n))),
                         tuple(issues or (f"i{k}" for k in range(m))))
    for rnd in range(1, rounds + 1):
        st = _Round(x, s, c, present)
        ok_issue = st.denom > 0
        # as in compromise, an issue whose weights are all zero takes the unweighted mean
        plain = np.where(present, x, 0.0).sum(axis=0) / np.maximum(present.sum(axis=0), 1)
        nbs = np.where(ok_issue, st.num / np.where(ok_issue, st.denom, 1.0), plain)
        exchanges: list[_Exchange] = []
        for i, j, p, q in _pairs_of(x, present, nbs):
            if not (ok_issue[p] and ok_issue[q]):
                continue
            e = _Exchange(st, i, j, p, q, rng)
            e.calculate()
            exchanges.append(e)
        realized, ties, first_tie = _realize(st, [e for e in exchanges if e.ok], present)
        voting, gains, externalities, trades = _apply(res, rnd, x, realized)
        vst = _Round(voting, s, c, present)
        out = np.where(ok_issue, vst.num / np.where(ok_issue, vst.denom, 1.0), nbs)
        nxt = voting.copy()
        for e, _ in realized:
            for side in (e.I, e.J):
                w = (1 - s[side.a, side.sup]) * SALIENCE_WEIGHT + FIXED_WEIGHT
                nxt[side.a, side.sup] = w * side.y + (1 - w) * side.start
        res.rounds.append(Round(x, voting, out, trades, gains, externalities, ties, first_tie))
        x = nxt
    return res


def _realize(st: _Round, exchanges: list[_Exchange], present: np.ndarray,
             ) -> tuple[list[tuple[_Exchange, FloatArray]], int, int | None]:
    """The round's exchanges realized best first, each recalculating those that share an
    actor with it: (exchange and its externality, ties met, index of the first tie)."""
    realized: list[tuple[_Exchange, FloatArray]] = []
    ties = 0
    first_tie: int | None = None
    while exchanges:
        exchanges.sort(key=attrgetter("key"), reverse=True)  # stable, as decide's
        best = exchanges.pop(0)
        if exchanges and abs(exchanges[0].gain - best.gain) < TIE:
            ties += 1
            if first_tie is None:
                first_tie = len(realized)
        ext = _externality(st, best, present)
        keep = []
        ai, aj = best.I.a, best.J.a
        for e in exchanges:
            if e.I.a in (ai, aj) or e.J.a in (ai, aj):  # only a shared actor can matter
                e.recalculate(best)
                if not e.ok:
                    continue
            keep.append(e)
        exchanges = keep
        realized.append((best, ext))
    return realized, ties, first_tie


def _apply(res: ExchangeResult, rnd: int, x: FloatArray,
           realized: list[tuple[_Exchange, FloatArray]],
           ) -> tuple[FloatArray, FloatArray, FloatArray, list[Trade]]:
    """The realized exchanges' voting positions, gains, externalities and trades."""
    n = x.shape[0]
    voting = x.copy()
    gains = np.zeros(n)
    externalities = np.zeros(n)
    trades = []
    for e, ext in realized:
        voting[e.I.a, e.I.sup] = e.I.y
        voting[e.J.a, e.J.sup] = e.J.y
        gains[e.I.a] += e.I.eu
        gains[e.J.a] += e.J.eu
        ext[[e.I.a, e.J.a]] = 0.0
        externalities += ext
        trades.append(Trade(rnd, res.actors[e.I.a], res.issues[e.I.sup], e.I.start, e.I.y,
                            e.I.eu, res.actors[e.J.a], res.issues[e.J.sup], e.J.start,
                            e.J.y, e.J.eu))
    return voting, gains, externalities, trades



# -- the model interface ----------------------------------------------------------------------
def matrices(tables: Sequence[IssueTable]) -> tuple[list[str], FloatArray, FloatArray,
                                                     FloatArray, np.ndarray]:
    """Stack one-dimensional tables (one issue each) into (n actors, m issues) matrices, x on
    0–100; actors in order of first appearance."""
    actors: list[str] = []
    index: dict[str, int] = {}
    for t in tables:
        for a in t.actors:
            if a not in index:
                index[a] = len(actors)
                actors.append(a)
    n, m = len(actors), len(tables)
    x, s, c = np.zeros((n, m)), np.zeros((n, m)), np.zeros((n, m))
    present = np.zeros((n, m), bool)
    for k, t in enumerate(tables):
        rows = [index[a] for a in t.actors]
        x[rows, k] = 100.0 * t.unit_positions()[:, 0]
        s[rows, k] = t.salience[:, 0]
        c[rows, k] = t.capability
        present[rows, k] = True
    return actors, x, s, c, present


def start_outcome(x: FloatArray, s: FloatArray, c: FloatArray, present: np.ndarray) -> FloatArray:
    """The outcome before any exchange: each issue's capability × salience weighted mean of the
    positions of the actors on it (0 where nobody weighs on it)."""
    st = _Round(x, s, c, present)
    return st.num / np.where(st.denom > 0, st.denom, 1.0)


def _fallback(t: IssueTable, model: str) -> Prediction:
    out = t.from_unit(compromise_unit(t))
    samples = np.repeat(out[None, :], 2, axis=0) if model == "exchange_random" else None
    return Prediction(model=model, issue=t.issue, outcome=out, dimensions=t.dimensions,
                      notes=[f"{model}: a single issue, nothing to exchange; fell back to "
                             "compromise"], samples=samples)  # no exchange, no spread


def predict_group(
    tables: Sequence[IssueTable], *, rounds: int = DEFAULT_ROUNDS, random_rate: bool = False,
    draws: int = DEFAULT_DRAWS, seed: int = 0,
) -> list[Prediction]:
    """The exchange model across the one-dimensional issues of one group (e.g. a proposal).

    The random-rate variant runs ``draws`` times (seeded, so repeatable) and forecasts the mean,
    with the draws as the outcome's distribution."""
    model = "exchange_random" if random_rate else "exchange"
    if any(t.n_dims != 1 for t in tables):
        raise ValueError("predict_group takes one-dimensional issue tables")
    if len(tables) < 2:
        return [_fallback(t, model) for t in tables]
    actors, x, s, c, present = matrices(tables)
    names = [t.issue for t in tables]
    if random_rate:
        rng = np.random.default_rng(seed)
        outs = np.stack([run(x, s, c, present, rounds=rounds, actors=actors, issues=names,
                             rng=rng).outcome for _ in range(draws)])
        res = None
        outcome = outs.mean(axis=0)
    else:
        res = run(x, s, c, present, rounds=rounds, actors=actors, issues=names)
        outs, outcome = None, res.outcome
    preds = []
    for k, t in enumerate(tables):
        rows = [actors.index(a) for a in t.actors]
        hist = None
        notes = []
        if res is not None:
            hist = np.stack([r.start[rows, k] for r in res.rounds]
                            + [res.rounds[-1].voting[rows, k]])[:, :, None]
            hist = t.from_unit(hist / 100.0)
            n_trades = sum(1 for r in res.rounds for tr in r.trades
                           if names[k] in (tr.supply_i, tr.supply_j))
            ties = sum(r.ties for r in res.rounds)
            notes.append(f"exchange: {n_trades} exchange{'' if n_trades == 1 else 's'} moved "
                         "positions on this issue"
                         + (f" ({ties} ties in the group, broken by input order)" if ties
                            else ""))
        samples = None if outs is None else t.from_unit(outs[:, k : k + 1] / 100.0)
        preds.append(Prediction(model=model, issue=t.issue,
                                outcome=t.from_unit(np.array([outcome[k] / 100.0])),
                                dimensions=t.dimensions, history=hist, notes=notes,
                                turns=rounds, samples=samples))
    return preds


def predict(table: IssueTable, *, rounds: int = DEFAULT_ROUNDS,
            random_rate: bool = False) -> Prediction:
    """One table: its dimensions are the issues exchanged (a one-dimensional table has nothing
    to exchange and falls back to compromise, saying so)."""
    model = "exchange_random" if random_rate else "exchange"
    if table.n_dims == 1:
        return _fallback(table, model)
    tables = [table.dimension(k) for k in range(table.n_dims)]
    preds = predict_group(tables, rounds=rounds, random_rate=random_rate)
    samples = None
    if random_rate:
        samples = np.concatenate([p.samples for p in preds if p.samples is not None], axis=1)
    return Prediction(model=model, issue=table.issue,
                      outcome=np.concatenate([p.outcome for p in preds]),
                      dimensions=table.dimensions, notes=preds[0].notes, turns=rounds,
                      samples=samples)


def predict_random(table: IssueTable) -> Prediction:
    return predict(table, random_rate=True)


def predict_group_random(tables: Sequence[IssueTable]) -> list[Prediction]:
    return predict_group(tables, random_rate=True)
