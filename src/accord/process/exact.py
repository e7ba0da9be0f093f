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
months); without dates the whole horizon is one regime. Where rates change month by month (a
decaying event, a reference class's hazard) each month is its own regime, and its transitions
are those its date class enumerated before, re-rated (accord.process.exact_rerate). Each
regime's transitions become one Step (accord.process.exact_step) over the stacked vector of
state probabilities and masses, and the distribution moves by one Step per month (NumPy passes
over the transitions). The
states of a step a regime has not met yet are taken as one block, a 2-D int array (one row a
state, laid out as `St`): the conditions and rates are evaluated for the whole block at once,
and states with equally many uncertain events have their 2^k outcomes built together, as
packed keys (accord.process.exact_outcomes; a Python loop over states and outcomes takes
seconds on the built-in scenario). States are numbered, and
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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.process.compile import State
from accord.process.exact_model import (
    MAX_UNCERTAIN,
    Model,
    Obs,
    St,
    StateSpaceTooLarge,
    build_model,
    point,
    regimes,
)
from accord.process.exact_moves import MAX_TRANSITIONS, Regime, SharedRegimes
from accord.process.exact_rerate import Rerater
from accord.process.exact_step import Step
from accord.process.exact_table import StateTable
from accord.process.forecast import EventForecast, Forecast, questions_of, step_dates
from accord.process.settlements import Settlements
from accord.scenario.draws import Draws, central_draws
from accord.scenario.model import Scenario

MAX_STATES = 200_000
__all__ = ["MAX_STATES", "MAX_TRANSITIONS", "MAX_UNCERTAIN", "ExactResult",
           "StateSpaceTooLarge", "exact_forecast", "solve"]


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
    nnz: int = 0  # non-zeros of the Steps as stacked matrices (blocks propagated), all regimes
    states: list[St] = field(default_factory=list)  # every state enumerated, by index
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)  # step → P(state) vector
    likelihood: float = 1.0  # with observations: P(observations), the vector's final total
    settle: Settlements | None = None  # what conditions read of the bargaining table

    def snapshot_state(self, step: int, issues: Mapping[str, float] | None = None,
                       ) -> tuple[State, np.ndarray]:
        """The states reachable at `step` as the Monte Carlo engine's State (one column per
        state) and their probabilities: what path-based analyses read, computed exactly. The
        table's columns come from the solve's settlements (`issues`, where it had none).

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
            issues=({k: np.full(len(keep), float(v)) for k, v in (issues or {}).items()}
                    if self.settle is None else self.settle.columns(
                        np.zeros(len(keep), np.int64), self.settle.masks(occurred))),
        )
        return state, p[keep]

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
    known = {k: point({k: np.asarray(v)}, k) for k, v in (issue_outcomes or {}).items()}
    settle = Settlements(scenario, draws, known)
    m = build_model(scenario, draws, settle, observed)
    # Transitions depend on the state alone unless a condition reads the date or an event is
    # scheduled: then on (state, month). Months alike in every date test share one regime.
    regime_of = regimes(scenario, scenario.events, m.sched[m.scheduled].tolist(), draws)
    table = StateTable(m.maxima())
    shared = SharedRegimes(m, table)  # regimes that recur (keys without the step)
    weights = _sign_weights(scenario, m, observed, draws)
    prop = Propagation(scenario, m, table, weights, snapshots, conserving=observed is None)
    rerate = Rerater(m, table)  # months whose rates change monthly
    live = np.zeros(1, dtype=np.int64)  # states reachable at the current step
    biggest = 1  # the most states at one step
    for t in range(1, scenario.meta.horizon + 1):
        month = scenario.month_index(t)
        once = m.by_step is not None  # rates change monthly: each month's regime is its own
        key, obs_t = _month_key(regime_of(month), observed, t)
        if once:  # the transitions of the month's date class, re-rated
            reg = rerate.month(key, live, t, month, obs_t, MAX_TRANSITIONS - shared.held)
        else:
            reg = shared.month(key, live, t, month, obs_t, MAX_TRANSITIONS - rerate.held)
        live = reg.targets(live, table.n)
        if len(live) > max_states:
            raise StateSpaceTooLarge(
                f"exact solver: {len(live)} states by step {t} exceed the limit of {max_states}"
            )
        biggest = max(biggest, len(live))
        prop.advance(t, reg)
        if once:  # used once: its Step is let go (its date class's template is kept)
            prop.forget(reg)
    res = prop.result(biggest, len(shared.built) or scenario.meta.horizon)
    res.settle = settle
    return res


def _month_key(key: object, observed: Any, t: int) -> tuple[object, Obs]:
    """Month t's regime key (its date class's, and what the observations clamp in it) and
    its clamps."""
    if observed is None or t > observed.months:
        return key, ({}, [], set())
    obs_t: Obs = (observed.clamps(t), list(observed.counts.get(t, ())),
                  set(observed.cancel) if t == observed.months else set())
    return (key, tuple(sorted(obs_t[0].items())), tuple(sorted(obs_t[1])),
            tuple(sorted(obs_t[2]))), obs_t


class Propagation:
    """The distribution moved one Step (accord.process.exact_step) a month over the stacked
    vector [P; mass_1; ...; mass_{w-1}] (each block one entry per state numbered so far; the
    vector grows as states are met). `conserving` (no observations: every state's outcomes
    sum to 1): the expected counts of repeatables no effect resets are kept as totals, not as
    blocks.

    P(occurred) of events no effect resets is the sum of P over the states where they have
    occurred, taken by numpy's pairwise sum rather than a BLAS dot product: a threaded dot
    product's rounding depends on the thread count, and on a busy machine each of its calls
    can wait for a thread (seconds over a horizon)."""

    def __init__(self, scenario: Scenario, m: Model, table: StateTable,
                 signs: dict[int, list[tuple[int, float, float]]], snapshots: tuple[int, ...],
                 conserving: bool) -> None:
        self.events, self.table, self.m = scenario.events, table, m
        self.signs, self.snapshots = signs, snapshots
        h, reps = scenario.meta.horizon, m.reps
        self.em_pos = {g: 1 + j for j, g in enumerate(m.reset_targets)}
        self.tallied = [r for r in reps if conserving and r not in self.em_pos]
        self.blocks = [r for r in reps if r not in self.tallied]
        self.cm_pos = {r: 1 + len(self.em_pos) + j for j, r in enumerate(self.blocks)}
        self.width = 1 + len(self.em_pos) + len(self.blocks)
        self.plain = [i for i in range(m.n_ev) if i not in self.em_pos]
        self.n = 1
        self.x = np.zeros(self.width)
        self.x[0] = 1.0
        self.prob = np.zeros((m.n_ev, h + 1))
        self.kept: dict[int, np.ndarray] = {}
        self.mean_count = {self.events[r].id: np.zeros(h + 1) for r in reps}
        # regime (by identity) → the (n, version) its Step was built for, and the Step
        self.mats: dict[Regime, tuple[tuple[int, int], Step]] = {}
        self.nnz = 0

    def matrix(self, reg: Regime, n: int) -> Step:
        """The regime's Step over n states, built again only when it or n has changed."""
        have = self.mats.get(reg)
        if have is not None and have[0] == (n, reg.version):
            return have[1]
        step = reg.matrix(n, self.width, self.em_pos, self.cm_pos, self.tallied)
        self.nnz += step.nnz - (have[1].nnz if have is not None else 0)
        self.mats[reg] = ((n, reg.version), step)
        return step

    def forget(self, reg: Regime) -> None:
        """Let a regime used once go, with its Step."""
        self.mats.pop(reg, None)

    def advance(self, t: int, reg: Regime) -> None:
        n, w = self.table.n, self.width
        if n > self.n:  # states met this month: each block grows to n
            self.x = np.pad(self.x.reshape(w, self.n), ((0, 0), (0, n - self.n))).reshape(-1)
            self.n = n
        x, gains = self.matrix(reg, n).advance(self.x)
        rows = self.table.rows[:n]
        for row, yes, no in self.signs.get(t, ()):  # soft evidence: every block alike
            x = x * np.tile(np.where(rows[:, 4 * row] > 0, yes, no), w)
        p = x[:n]
        occ = np.ascontiguousarray(rows[:, 4 * np.array(self.plain, dtype=int)].T > 0,
                                   dtype=float)
        self.prob[self.plain, t] = (occ * p).sum(axis=1)  # pairwise sums, not BLAS
        for i, j in self.em_pos.items():
            self.prob[i, t] = x[j * n : (j + 1) * n].sum()
        for r in self.blocks:
            j = self.cm_pos[r]
            self.mean_count[self.events[r].id][t] = x[j * n : (j + 1) * n].sum()
        for r, gain in zip(self.tallied, gains, strict=True):
            mc = self.mean_count[self.events[r].id]
            mc[t] = mc[t - 1] + gain
        if t in self.snapshots:
            self.kept[t] = p.copy()
        self.x = x

    def result(self, biggest: int, regimes: int) -> ExactResult:
        n = self.table.n
        return ExactResult(
            event_ids=[e.id for e in self.events], kinds=self.m.kinds,
            horizon=self.prob.shape[1] - 1, probability=self.prob, mean_count=self.mean_count,
            max_states=biggest, n_states=n, regimes=regimes, nnz=self.nnz,
            states=[tuple(st) for st in self.table.rows[:n].tolist()] if self.snapshots else [],
            snapshots=self.kept, likelihood=float(self.x[:self.n].sum()),
        )


def _sign_weights(scenario: Scenario, m: Model, observed: Any, draws: Draws,
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
        p_seen = None if sign.seen else point(draws, sign.p_seen)  # type: ignore[arg-type]
        ratio = sign.ratio if isinstance(sign.ratio, float) else point(draws, sign.ratio)
        yes, no = factors(ratio, p_seen, sign.seen)
        out.setdefault(sign.step, []).append((sign.row, float(yes), float(no)))
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
    from accord.process.forecast import CurveStats, answers
    from accord.scenario.calendar import add_months

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
