"""What to watch: the developments that would move each question, from one run's paths.

For a question Q (its event read at its deadline, accord.process.deadline) and an event e that
bears on Q's event, the watch window ending at month W (the observations' end, or as_of, plus
`within` months, never past Q's deadline):

    p_event         = P(e has occurred by W)
    if_yes, if_no   = P(Q | e by W),  P(Q | e not by W)
    expected_change = p_event·|if_yes − P(Q)| + (1 − p_event)·|if_no − P(Q)|
    brier_reduction = p_event·(if_yes − P(Q))² + (1 − p_event)·(if_no − P(Q))²

The last is the expected fall of Q's Brier score once e is known: the variance of the forecast
that knowing e would give (E[p(1 − p)] before minus after). Ranked by expected change.

Monte Carlo: sums over the run's own paths (same seed and draws as `accord run`, so P(Q) is the
run's, to the last digit), each path weighted by the likelihood of the observations when there
are some (accord.process.condition): P(Q | e) is the weighted share of Q among the paths on
which e happened by W. Exact: P(Q | e not by W) is the exact solver conditioned on `not_by`
(what `accord forecast --observed --exact` gives for that observation), and P(Q | e by W)
follows by total probability, (P(Q) − (1 − p_event)·if_no) / p_event.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from accord.analysis.engines import RunJob, engine_for
from accord.analysis.explain import ancestry
from accord.analysis.recipe import Execution, RunSettings
from accord.analysis.variants import chosen_questions
from accord.errors import UserError
from accord.process.condition import bearing_events as influence_closure
from accord.process.deadline import Deadline
from accord.process.forecast import question_deadline
from accord.process.virtual import factors
from accord.scenario.calendar import add_months
from accord.scenario.model import Indicator, Question, Scenario
from accord.scenario.observations import ObservedMonths

DEFAULT_WITHIN = 6  # months: what to watch over the next half year


@dataclass
class WatchItem:
    event: str
    name: str
    by: str  # ISO date: the end of the watch window
    p_event: float
    if_yes: float
    if_no: float
    expected_change: float
    brier_reduction: float
    kind: str = "event"  # or "indicator": a sign of `event`, seen or not in the window's end
    indicator: str | None = None

    def sentence(self, question: str, p: float) -> str:
        """'if X by D, Q goes from 10% to 31%; if not, to 6%'."""
        if self.kind == "indicator":
            head = f"if the sign '{self.name}' is seen in the month to {self.by}"
        else:
            head = f"if {_clause(self.name)} by {self.by} ({_pct(self.p_event)} likely)"
        tail = "" if self.if_no != self.if_no else f"; if not, to {_pct(self.if_no)}"
        return f"{head}, {question} goes from {_pct(p)} to {_pct(self.if_yes)}{tail}"


@dataclass
class QuestionWatch:
    question: str
    text: str
    event: str
    by: str
    probability: float
    watch: list[WatchItem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clause(name: str) -> str:
    """An event's name inside a sentence: 'The referendum fails' → 'the referendum fails'."""
    name = name.rstrip(".")
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An") and rest else name


def _pct(p: float) -> str:
    """Whole percent, but one decimal near 0 and 1 (0.3%, not 0%)."""
    if p != p:
        return "—"
    return f"{100 * p:.1f}%" if 0 < p < 0.01 or 0.99 < p < 1 else f"{100 * p:.0f}%"


def bearing_events(scenario: Scenario, event: str) -> list[str]:
    """The events with a route of influence to `event` (its condition, its modifiers, effects
    that cancel or reset it; recursively), in file order, less `event` itself and the events
    that need it to have happened (seeing one of those is seeing `event`)."""
    seen = influence_closure(scenario, {event}) - {event}
    return [e for e in scenario.event_ids if e in seen and event not in ancestry(scenario, e)]


@dataclass(frozen=True)
class _Goal:
    """One question: its event's row, its deadline, its window W, the event rows watched and
    the declared indicators watched (their events' rows follow the events' in `cols`)."""

    q: Question
    row: int
    at: Deadline
    window: int
    rows: np.ndarray
    signs: tuple[Indicator, ...] = ()
    cols: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    limits: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _goals(scenario: Scenario, questions: list[Question], start: int, within: int,
           skip: set[str]) -> list[_Goal]:
    """One goal per question; none watched where the window closes before it opens."""
    ids = scenario.event_ids
    out = []
    for q in questions:
        at = question_deadline(scenario, q.by)
        window = min(start + within, at.step)
        near = bearing_events(scenario, q.event)
        rows = [ids.index(e) for e in near if e not in skip] if window > start else []
        signs = tuple(x for x in scenario.indicators if x.event in (*near, q.event)
                      and x.event not in skip) if window > start else ()
        sign_rows = [ids.index(x.event) for x in signs]
        latent = [scenario.event(x.event).kind == "chance" for x in signs]
        h = scenario.meta.horizon
        out.append(_Goal(q, ids.index(q.event), at, window, np.array(rows, dtype=np.int64),
                         signs, np.array(rows + sign_rows, dtype=np.int64),
                         np.array([window] * len(rows) + [h if x else window for x in latent],
                                  dtype=np.int64)))
    return out


class _Sums:
    """Per goal: Σw, Σw·[Q by step] per step read, Σw·[e by W] and Σw·[e by W]·[Q by step]
    for each column (an event watched, or an indicator's event). Integer counts when the paths
    are unweighted, so P(Q) is the run's to the last digit."""

    def __init__(self, goals: list[_Goal], weighted: bool) -> None:
        kind = float if weighted else np.int64
        self.total = kind(0)
        self.q = [np.zeros(len(g.at.reads), kind) for g in goals]
        self.e = [np.zeros(len(g.cols), kind) for g in goals]
        self.joint = [np.zeros((len(g.cols), len(g.at.reads)), kind) for g in goals]

    def add(self, goals: list[_Goal], first: np.ndarray, w: np.ndarray | None) -> None:
        ww = np.ones(first.shape[0], np.int64) if w is None else w
        self.total += ww.sum()
        for j, g in enumerate(goals):
            fe = first[:, g.cols]
            seen = ((fe > 0) & (fe <= g.limits)).astype(ww.dtype)  # (paths, columns)
            self.e[j] += ww @ seen
            fq = first[:, g.row]
            for r, (s, _) in enumerate(g.at.reads):
                hit = ww * ((fq > 0) & (fq <= s))
                self.q[j][r] += hit.sum()
                self.joint[j][:, r] += hit @ seen


def _item(scenario: Scenario, row: int, by: str, p: float, pe: float, yes: float,
          no: float) -> WatchItem:
    ev = scenario.events[row]
    return _item_values(ev.id, ev.name, by, p, pe, yes, no)


def _item_values(event: str, name: str, by: str, p: float, pe: float, yes: float,
                 no: float) -> WatchItem:
    return WatchItem(event, name, by, pe, yes, no,
                     expected_change=pe * abs(yes - p) + (1 - pe) * abs(no - p),
                     brier_reduction=pe * (yes - p) ** 2 + (1 - pe) * (no - p) ** 2)


def _ranked(items: Iterable[WatchItem]) -> list[WatchItem]:
    """By expected change; signs with no rate of being seen (their change if seen is no
    expectation) after the rest."""
    return sorted(items, key=lambda x: (x.p_event != x.p_event, -x.expected_change, x.event))


def _window_date(scenario: Scenario, window: int) -> str:
    return add_months(scenario.meta.as_of, window).isoformat()


def _from_sums(scenario: Scenario, goals: list[_Goal], sums: _Sums) -> list[QuestionWatch]:
    out = []
    total = float(sums.total)
    for j, g in enumerate(goals):
        p = float(g.at.combine([x / sums.total for x in sums.q[j]]))
        by = _window_date(scenario, g.window)
        items = []
        for i, col in enumerate(g.cols.tolist()):
            ne = float(sums.e[j][i])
            if not 0 < ne < total:
                continue
            yes = float(g.at.combine([x / ne for x in sums.joint[j][i]]))
            no = float(g.at.combine([(q - x) / (total - ne) for q, x in
                                     zip(sums.q[j], sums.joint[j][i], strict=True)]))
            if i < len(g.rows):
                items.append(_item(scenario, col, by, p, ne / total, yes, no))
            else:
                items.append(_sign_item(g.signs[i - len(g.rows)], by, p, ne / total, yes, no))
        out.append(QuestionWatch(g.q.id, g.q.text, g.q.event, g.q.by.isoformat(), p,
                                 _ranked(items)))
    return out


def _sign_item(ind: Indicator, by: str, p: float, pe: float, yes: float, no: float,
               ) -> WatchItem:
    """An indicator seen (or not) in the window's last month, from P(Q | its event) and
    P(Q | not): Bayes with its ratio L (and q = seen_if_occurred), at their central values."""
    ratio = ind.likelihood_ratio.central()

    def posterior(f_yes: float, f_no: float) -> float:  # P(Q | the sign, read as weights)
        return (f_yes * pe * yes + f_no * (1 - pe) * no) / (f_yes * pe + f_no * (1 - pe))

    seen_yes = posterior(*map(float, factors(ratio, None, True)))
    if ind.seen_if_occurred is None:  # no absolute rate: the change if seen alone
        return WatchItem(ind.event, ind.name, by, float("nan"), seen_yes, float("nan"),
                         abs(seen_yes - p), float("nan"), kind="indicator", indicator=ind.id)
    q = ind.seen_if_occurred.central()
    f_yes, f_no = map(float, factors(ratio, q, False))
    p_seen = (1 - f_yes) * pe + (1 - f_no) * (1 - pe)  # q·P(e) + min(q/L, 1)·P(not e)
    no_seen = posterior(f_yes, f_no)
    item = _item_values(ind.event, ind.name, by, p, p_seen, seen_yes, no_seen)
    item.kind, item.indicator = "indicator", ind.id
    return item


@dataclass(frozen=True)
class WatchSettings:
    """What to watch for: which question (all when None), over how many months from now."""

    question: str | None = None
    within: int = DEFAULT_WITHIN

    def questions(self, scenario: Scenario) -> list[Question]:
        qs = chosen_questions(scenario, self.question, field="--question")
        if not 1 <= self.within <= scenario.meta.horizon:
            raise UserError.at(f"must be between 1 and the horizon ({scenario.meta.horizon})",
                               field="--within")
        return qs


def watch(scenario: Scenario, settings: RunSettings, what: WatchSettings = WatchSettings(), *,
          observed: ObservedMonths | None = None,
          execution: Execution = Execution()) -> list[QuestionWatch]:
    """Every question's watch list (see the module docstring), by Monte Carlo on the run's
    paths (simulated on `execution`'s workers or its Dask cluster when given) or, with
    settings.exact, exactly at the parameters' central values."""
    settings.check()
    start = observed.months if observed is not None else 0
    skip = set(observed.observed_events) if observed is not None else set()
    goals = _goals(scenario, what.questions(scenario), start, what.within, skip)
    job = RunJob(scenario, settings, observed, execution)
    return engine_for(settings).evidence(
        job, lambda chunks: _from_paths(scenario, goals, chunks, observed is not None),
        lambda forecast: _from_forecasts(scenario, goals, observed, forecast))


def _from_paths(scenario: Scenario, goals: list[_Goal],
                chunks: Iterable[tuple[np.ndarray, np.ndarray | None]], weighted: bool,
                ) -> list[QuestionWatch]:
    """The watch lists from the run's paths (weighted where the run is conditioned)."""
    sums = _Sums(goals, weighted)
    for first, w in chunks:
        sums.add(goals, first, w)
    if not float(sums.total) > 0:
        raise UserError.at("no path is consistent with the observations", field="observed")
    return _from_sums(scenario, goals, sums)


def _not_by(observed: ObservedMonths | None, scenario: Scenario, row: int,
            window: int) -> ObservedMonths:
    """The observations plus "event `row` had not occurred by the end of month `window`"."""
    base = observed or ObservedMonths(0, scenario.meta.as_of, scenario.meta.as_of)
    quiet = {t: set(base.quiet.get(t, ())) for t in range(1, max(base.months, window) + 1)}
    for t in range(1, window + 1):
        quiet[t].add(row)
    months = max(base.months, window)
    start = add_months(scenario.meta.as_of, months)
    return dataclasses.replace(base, months=months, start=start, as_of=max(base.as_of, start),
                               quiet=quiet, canonical={})


def _from_forecasts(scenario: Scenario, goals: list[_Goal], observed: ObservedMonths | None,
                    forecast: Callable[[ObservedMonths | None], Any]) -> list[QuestionWatch]:
    """The watch lists from forecasts: the run's, and one under each "not by W" added to the
    observations (the exact solver's way)."""
    start = observed.months if observed is not None else 0
    out = []
    fc = forecast(observed)
    for g in goals:
        p = next(q.probability for q in fc.questions if q.id == g.q.id)
        by = _window_date(scenario, g.window)
        items = []
        for i, (row, limit) in enumerate(zip(g.cols.tolist(), g.limits.tolist(),
                                             strict=True)):
            pe = fc.events[scenario.event_ids[row]].probability[limit - start]
            if limit != g.window or not 1e-12 < pe < 1 - 1e-12:
                continue  # a sign on a chance's eventual yes needs Monte Carlo
            cond = forecast(_not_by(observed, scenario, row, g.window))
            no = next(q.probability for q in cond.questions if q.id == g.q.id)
            yes = (p - (1 - pe) * no) / pe
            items.append(_item(scenario, row, by, p, pe, yes, no) if i < len(g.rows)
                         else _sign_item(g.signs[i - len(g.rows)], by, p, pe, yes, no))
        out.append(QuestionWatch(g.q.id, g.q.text, g.q.event, g.q.by.isoformat(), p,
                                 _ranked(items)))
    return out
