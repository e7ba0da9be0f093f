"""Why a question's probability is what it is: who blocks the "no" paths, how the "yes" paths go.

Blockers. Every path that ends "no" at the question's deadline is attributed to exactly one
blocker, so the shares add up to 1 − P. The rule, applied to the state at the end of the
deadline month (what the next month's conditions would read); a deadline within a month reads
the states at the ends of the months either side, weighted as the date rule weighs them
(accord.process.deadline), so the shares still add up to 1 − P:

- the event was cancelled → "cancelled";
- a chance event that has resolved → "its chance came up no";
- its `when` does not hold → the first unmet link of `when`, followed recursively:
  - `a and b and …`: the first conjunct, in the order written, that is false;
  - a bare event `X`: X itself has not happened → X's own blocker, by this same rule;
  - `not X`: "X has happened" (an event that rules this one out);
  - `a or b or …`: the furthest alternative — the last one written that is an event whose own
    `when` holds on that path — else the first alternative;
  - anything else (`since(…)`, `count(…)`, `date`, `issue.…`): "the condition … does not hold";
- its `when` holds → "all its conditions hold; its rate had not fired yet" (hazards,
  repeatables), "not yet resolved" (chance), "not yet its date" (scheduled).

A repeatable event counts as happened from its first occurrence; `count(…)` thresholds are
conditions. The root "yes" is the question's own event having occurred by the deadline.

Route. Over the "yes" paths: for each event on a route to the question's event (the events its
condition needs, not under `not`, recursively, and those its own modifiers read), the share of
"yes" paths on which it happened first, and its median month (Monte Carlo only: an exact state
does not record when things happened).

Reads only simulation results: Monte Carlo states (`montecarlo.snapshots_of`) or the exact
solver's distribution over states (`ExactResult.snapshot_state`), weighted alike.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from accord.analysis.recipe import Execution, RunSettings
from accord.baserate.outside import outside_view
from accord.process.compile import Compiler, Evaluator, Layout, State
from accord.process.deadline import Deadline
from accord.process.forecast import question_deadline
from accord.scenario import conditions as c
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths
from accord.scenario.reach import unreachable_questions

Key = tuple[str, ...]  # a blocker's path from the root, one label per level


@dataclass
class Blocker:
    what: str
    share: float  # of all paths
    event: str | None = None
    kind: str = "event"  # event, cancelled, chance_no, condition, rate, unresolved, circular
    children: list[Blocker] = field(default_factory=list)


@dataclass
class RouteStep:
    event: str
    name: str
    share: float  # of the "yes" paths on which it happened, by the question's event
    median_step: int
    median_date: str


@dataclass
class Explanation:
    question: str
    text: str
    event: str
    by: str
    step: int
    probability: float
    blockers: list[Blocker]
    route: list[RouteStep]
    drivers: list[dict[str, Any]] = field(default_factory=list)  # from a quick tornado
    method: str = "montecarlo"
    outside_view: dict[str, Any] | None = None  # the reference class's answer at the date
    cannot: str | None = None  # why the question cannot come true, where it cannot

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Tally:
    """Weights of blockers (by key path) and of route steps, added chunk by chunk."""

    def __init__(self, scenario: Scenario, event: str, at: Deadline) -> None:
        self.event, self.at = event, at
        self.route_events = route_events(scenario, event)  # the same for every snapshot
        self.horizon = scenario.meta.horizon
        self.total = 0.0
        self.yes = 0.0
        self.blockers: dict[Key, float] = defaultdict(float)
        self.meta: dict[Key, tuple[str | None, str]] = {}
        self.route: dict[str, np.ndarray] = {}

    def add(self, key: Key, w: float, event: str | None, kind: str) -> None:
        self.blockers[key] += w
        self.meta[key] = (event, kind)


class _Attribution:
    """The rule of the module docstring, vectorised over the paths (or states) of one snapshot."""

    def __init__(self, scenario: Scenario, state: State, weights: np.ndarray, t_next: int,
                 tally: _Tally, evaluator: Callable[[c.Expr], Evaluator],
                 rows: dict[str, int]) -> None:
        self.s, self.st, self.w, self.t, self.tally = scenario, state, weights, t_next, tally
        self.evaluator, self.rows = evaluator, rows
        self.n = weights.shape[0]

    def holds(self, expr: c.Expr) -> np.ndarray:
        f = self.evaluator(expr)
        return np.broadcast_to(np.asarray(f(self.st, self.t), bool), (self.n,))

    def weight(self, mask: np.ndarray) -> float:
        return float(self.w[mask].sum())

    def leaf(self, key: Key, mask: np.ndarray, event: str | None, kind: str) -> None:
        if mask.any():
            self.tally.add(key, self.weight(mask), event, kind)

    def event(self, key: Key, e: str, mask: np.ndarray, stack: tuple[str, ...]) -> None:
        """Paths in `mask` on which event e has not happened."""
        if not mask.any():
            return
        ev, row = self.s.event(e), self.rows[e]
        here = (*key, f"{ev.name} ({e}) has not happened")
        self.tally.add(here, self.weight(mask), e, "event")
        cancelled = mask & self.st.canc[row]
        self.leaf((*here, "it was cancelled"), cancelled, e, "cancelled")
        rest = mask & ~cancelled
        if ev.kind == "chance":
            no = rest & self.st.res[row]
            self.leaf((*here, "its chance came up no"), no, e, "chance_no")
            rest = rest & ~no
        ok = self.holds(ev.condition)
        self.condition(here, ev.condition, rest & ~ok, (*stack, e))
        waiting = {"chance": "not yet resolved", "scheduled": "not yet its date"}.get(
            ev.kind, "all its conditions hold; its rate had not fired yet")
        self.leaf((*here, waiting), rest & ok, e, "rate" if ev.kind in ("hazard", "repeatable")
                  else "unresolved")

    def condition(self, key: Key, expr: c.Expr, mask: np.ndarray,
                  stack: tuple[str, ...]) -> None:
        """Paths in `mask` on which `expr` is false, each to its first unmet link."""
        if not mask.any():
            return
        match expr:
            case c.And(items):
                remaining = mask
                for item in items:
                    v = self.holds(item)
                    self.condition(key, item, remaining & ~v, stack)
                    remaining = remaining & v
            case c.Or(items):
                remaining = mask
                for alt in reversed(items[1:]):
                    if isinstance(alt, c.Occurred) and alt.event not in stack:
                        target = self.s.event(alt.event)
                        reach = (self.holds(target.condition)
                                 & ~self.st.canc[self.rows[alt.event]])
                        self.condition(key, alt, remaining & reach, stack)
                        remaining = remaining & ~reach
                self.condition(key, items[0], remaining, stack)
            case c.Occurred(e) if e in stack:
                self.leaf((*key, f"{e} depends on itself here"), mask, e, "circular")
            case c.Occurred(e):
                self.event(key, e, mask, stack)
            case c.Not(c.Occurred(e)):
                name = self.s.event(e).name
                self.leaf((*key, f"{name} ({e}) has happened"), mask, e, "condition")
            case _:
                self.leaf((*key, f"the condition '{c.to_text(expr)}' does not hold"), mask, None,
                          "condition")


def positive_events(expr: c.Expr) -> set[str]:
    """Events a condition needs to have happened on some route (bare events not under `not`)."""
    match expr:
        case c.Occurred(e):
            return {e}
        case c.And(items) | c.Or(items):
            return set().union(*(positive_events(i) for i in items))
        case _:
            return set()


def ancestry(scenario: Scenario, event: str) -> list[str]:
    """The events on the routes to `event`: those its condition needs, recursively."""
    seen: list[str] = []
    todo = list(positive_events(scenario.event(event).condition))
    while todo:
        e = todo.pop()
        if e in seen or e == event:
            continue
        seen.append(e)
        todo.extend(positive_events(scenario.event(e).condition))
    return sorted(seen, key=scenario.event_ids.index)


def route_events(scenario: Scenario, event: str) -> list[str]:
    """The events whose timing the route reports: its ancestry, and the events its own
    modifiers read (what sped it up or slowed it down on the way)."""
    ev = scenario.event(event)
    mods = set().union(*(positive_events(m.condition) for m in ev.modifiers))
    out = ancestry(scenario, event)
    return out + sorted(mods - set(out) - {event}, key=scenario.event_ids.index)


def tally_snapshot(scenario: Scenario, tally: _Tally, state: State, weights: np.ndarray,
                   step: int, evaluator: Callable[[c.Expr], Evaluator], rows: dict[str, int],
                   ) -> None:
    """Add one snapshot (a chunk of paths, or exact states, at the end of `step`) to the tally
    of a question."""
    event = tally.event
    first = state.first[rows[event]]
    yes = (first > 0) & (first <= step)
    tally.total += float(weights.sum())
    tally.yes += float(weights[yes].sum())
    _Attribution(scenario, state, weights, step + 1, tally, evaluator, rows).event(
        (), event, ~yes, ())
    for a in tally.route_events:
        fa = state.first[rows[a]]
        hit = yes & (fa > 0) & (fa <= first)
        hist = np.bincount(fa[hit].astype(np.int64), weights=weights[hit],
                           minlength=tally.horizon + 1)
        tally.route[a] = tally.route.get(a, 0) + hist
    own = np.bincount(first[yes].astype(np.int64), weights=weights[yes],
                      minlength=tally.horizon + 1)
    tally.route[event] = tally.route.get(event, 0) + own


def _tree(tally: _Tally, root_name: str) -> list[Blocker]:
    nodes: dict[Key, Blocker] = {}
    for key in sorted(tally.blockers, key=len):
        event, kind = tally.meta[key]
        b = Blocker(key[-1], tally.blockers[key] / tally.total, event, kind)
        nodes[key] = b
        if len(key) > 1:
            nodes[key[:-1]].children.append(b)
    roots = [b for k, b in nodes.items() if len(k) == 1]
    top = roots[0].children if roots else []  # the question's own event: its children
    for b in top:
        if not b.children and b.kind in ("rate", "unresolved", "cancelled", "chance_no"):
            b.what = f"{root_name}: {b.what}"

    def order(bs: list[Blocker]) -> list[Blocker]:
        bs.sort(key=lambda b: -b.share)
        for b in bs:
            order(b.children)
        return bs

    return order(top)


def _route(scenario: Scenario, event: str, tally: _Tally) -> list[RouteStep]:
    out = []
    for e, hist in tally.route.items():
        total = float(hist[1:].sum())
        if total <= 0 or tally.yes <= 0:
            continue
        cum = np.cumsum(hist[1:])
        median = int(np.searchsorted(cum, total / 2) + 1)
        out.append(RouteStep(e, scenario.event(e).name, total / tally.yes, median,
                             _date(scenario, median)))
    out.sort(key=lambda r: (r.median_step, r.event != event))
    return out


def _date(scenario: Scenario, step: int) -> str:
    y, m = divmod(scenario.month_index(step), 12)
    return f"{y:04d}-{m + 1:02d}"


def _deadline(scenario: Scenario, question: str) -> Deadline:
    q = next(x for x in scenario.questions if x.id == question)
    return question_deadline(scenario, q.by)


def snapshot_steps(scenario: Scenario, questions: Iterable[str]) -> list[int]:
    """The steps whose end states the questions read (step 0, the start, is derived from
    step 1's paths: nothing has happened yet)."""
    steps = {s for q in questions for s, _ in _deadline(scenario, q).reads}
    return sorted({max(s, 1) for s in steps})


def _start_like(state: State) -> State:
    """The state before the first month, for the same paths (their issue outcomes kept)."""
    z = np.zeros_like
    return State(occ=z(state.occ), canc=z(state.canc), res=z(state.res), count=z(state.count),
                 last=z(state.last), first=z(state.first), issues=state.issues)


def explain_snapshots(
    scenario: Scenario,
    questions: list[str],
    snapshots: Iterable[tuple[dict[int, State], np.ndarray]],
    method: str = "montecarlo",
) -> list[Explanation]:
    """The explanations of the questions from one pass over snapshots: (step → state at the
    end of that step, path weights), the steps including every question's deadline."""
    qs = [next(x for x in scenario.questions if x.id == qid) for qid in questions]
    tallies = [_Tally(scenario, q.event, _deadline(scenario, q.id)) for q in qs]
    rows = {e.id: i for i, e in enumerate(scenario.events)}
    # evaluators are compiled once and reused on every snapshot, as the engine does per chunk
    evaluator = functools.lru_cache(maxsize=None)(Compiler(Layout.of(scenario)).compile)
    for snap, weights in snapshots:
        for tally in tallies:
            for step, w in tally.at.reads:
                if max(step, 1) in snap:
                    state = snap[step] if step > 0 else _start_like(snap[1])
                    tally_snapshot(scenario, tally, state, weights * w, step, evaluator, rows)
    cannot = {scenario.questions[i].id: why for i, why in unreachable_questions(scenario)}
    out = []
    for q, tally in zip(qs, tallies, strict=True):
        p = tally.yes / tally.total if tally.total else float("nan")
        route = _route(scenario, q.event, tally) if method.startswith("montecarlo") else []
        out.append(Explanation(q.id, q.text, q.event, q.by.isoformat(), tally.at.step, p,
                               _tree(tally, scenario.event(q.event).name), route, method=method,
                               outside_view=outside_view(scenario, q), cannot=cannot.get(q.id)))
    return out


def flatten(blockers: list[Blocker], depth: int = 0) -> Iterable[tuple[int, Blocker]]:
    """(depth, blocker) in display order."""
    for b in blockers:
        yield depth, b
        yield from flatten(b.children, depth + 1)


def explain_questions(scenario: Scenario, settings: RunSettings, questions: Sequence[str], *,
                      observed: ObservedMonths | None = None,
                      execution: Execution = Execution()) -> list[Explanation]:
    """Explain the questions from a run's own paths (same draws and seed as `accord run`), in one
    pass, or exactly at the parameters' central values (settings.exact). With observations,
    from the conditioned paths, each weighted by the likelihood of what was observed
    (accord.process.condition). The paths are read in this process: `execution` only reports
    progress (a precision target is not used: the run's first round is explained)."""
    from accord.analysis.engines import RunJob, engine_for

    job = RunJob(scenario, settings, observed, execution)
    groups = engine_for(settings).snapshots(job, list(questions),
                                            lambda qs: snapshot_steps(scenario, qs))
    return [x for qs, snaps, method in groups
            for x in explain_snapshots(scenario, qs, snaps, method)]


def explain_question(scenario: Scenario, settings: RunSettings, question: str, *,
                     observed: ObservedMonths | None = None,
                     execution: Execution = Execution()) -> Explanation:
    """`explain_questions` for one question."""
    return explain_questions(scenario, settings, [question], observed=observed,
                             execution=execution)[0]


def drivers(scenario: Scenario, settings: RunSettings, questions: Sequence[str], *,
            top: int = 5, observed: ObservedMonths | None = None,
            centre: Mapping[str, float] | None = None,
            execution: Execution = Execution()) -> dict[str, list[dict[str, Any]]]:
    """What moves each question most: one quick tornado for them all (each uncertain parameter
    at its low and high, the others as the run draws them; its base is the run at these
    settings, on the same observations), widest swing first. With `centre` (question → the
    answer of a larger run of the same recipe), each question's tornado is moved onto it
    (`centred`)."""
    from accord.analysis.sensitivity import TornadoSettings, tornado
    from accord.analysis.variants import targets
    from accord.errors import UserError

    goals = [g for q in questions for g in targets(scenario, q)]
    paths = settings.paths
    try:
        res = tornado(scenario, settings, TornadoSettings(goals), observed=observed,
                      execution=execution)
    except UserError:  # no uncertain parameter bears on them
        return {q: [] for q in questions}
    out = {q: [{"parameter": r.parameter, "p_at_low": r.values["p_at_low"],
                "p_at_high": r.values["p_at_high"], "base": res.base[q],
                "paths_per_variant": paths} for r in res.rows[q][:top]] for q in questions}
    for q, p in (centre or {}).items():
        out[q] = centred(out[q], p)
    return out


def centred(rows: list[dict[str, Any]], p: float) -> list[dict[str, Any]]:
    """A quick tornado moved onto the answer p of a larger run: each end is p plus the change
    the parameter made to the tornado's own base. The variants share their base's random
    numbers, so that change is far more precise than either end (a control variate); the
    tornado's own base is kept as `tornado_base`."""
    return [{**d, "p_at_low": min(1.0, max(0.0, p + d["p_at_low"] - d["base"])),
             "p_at_high": min(1.0, max(0.0, p + d["p_at_high"] - d["base"])),
             "base": p, "tornado_base": d["base"], "centred": True} for d in rows]
