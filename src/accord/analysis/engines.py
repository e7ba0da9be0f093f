"""The two engines behind every forecast, behind one interface: Monte Carlo and the exact solver.

Callers build a `RunJob` and ask `engine_for(settings)`; they never branch on `--exact`. Monte
Carlo simulates the run's paths (accord.process.montecarlo, conditioned by likelihood weighting
in accord.process.condition) and grows them to the precision asked for; the exact solver
(accord.process.exact) solves the chain at the parameters' central values. Each engine answers
the same three questions: a run's forecast (`run`), the states of the run at given steps with
their weights (`snapshots`, what explain reads), and the evidence a watch list is computed from
(`evidence`: weighted paths, or forecasts under extra observations).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

from accord.analysis.conditioned import (
    check_left,
    impossible,
    observed_record,
    run_conditioned,
    shifted,
)
from accord.analysis.issues import outcomes_per_draw, solve_issues
from accord.analysis.recipe import (
    Execution,
    PathSpec,
    RunResult,
    RunSettings,
    draws_and_paths,
    growing,
    simulate_ranges,
)
from accord.errors import UserError
from accord.process.compile import State
from accord.process.forecast import Forecast, summarise
from accord.process.montecarlo import BLOCK, n_blocks
from accord.process.summary import Summary
from accord.scenario.draws import central_draws
from accord.scenario.model import Scenario

if TYPE_CHECKING:  # a run without observations never imports them
    from accord.scenario.observations import ObservedMonths

R = TypeVar("R")
Snapshots = Iterable[tuple[dict[int, State], np.ndarray]]  # (step → state, weights) per chunk
SnapshotGroups = list[tuple[list[str], Snapshots, str]]  # (questions, their snapshots, method)
FromPaths = Callable[[Iterator[tuple[np.ndarray, np.ndarray | None]]], R]
FromForecasts = Callable[[Callable[["ObservedMonths | None"], Forecast]], R]


@dataclass(frozen=True)
class RunJob:
    """One run asked for: the scenario, its settings, and how to carry it out."""

    scenario: Scenario
    settings: RunSettings
    observed: ObservedMonths | None = None
    execution: Execution = Execution()
    with_issues: bool = True


class Engine(Protocol):
    """What a forecast is computed by (see the module docstring)."""

    method: str

    def run(self, job: RunJob) -> RunResult:
        """The run's forecast, issues and notes."""

    def snapshots(self, job: RunJob, questions: list[str],
                  steps_of: Callable[[list[str]], list[int]]) -> SnapshotGroups:
        """The run's states at the end of each question's steps, weighted."""

    def evidence(self, job: RunJob, from_paths: FromPaths[R],
                 from_forecasts: FromForecasts[R]) -> R:
        """A reduction over the run's weighted paths, or over forecasts under observations."""


def engine_for(settings: RunSettings) -> Engine:
    """The exact solver where the settings ask for it, else Monte Carlo."""
    return ExactEngine() if settings.exact else MonteCarloEngine()


class MonteCarloEngine:
    method = "montecarlo"

    def run(self, job: RunJob) -> RunResult:
        if job.observed is not None:
            return run_conditioned(job.scenario, job.settings, job.observed,
                                   execution=job.execution, with_issues=job.with_issues)
        return _grown_run(job)

    def snapshots(self, job: RunJob, questions: list[str],
                  steps_of: Callable[[list[str]], list[int]]) -> SnapshotGroups:
        from accord.process.condition import weighted_snapshots_of
        from accord.process.montecarlo import snapshots_of

        steps = steps_of(questions)
        job.settings.check()
        spec = PathSpec.of(job.scenario, job.settings, job.observed)
        if job.observed is not None:
            return [(questions, weighted_snapshots_of(spec, steps), "montecarlo, conditioned")]
        chunks = snapshots_of(spec, steps)
        return [(questions, ((snap, np.ones(len(d))) for d, snap in chunks), "montecarlo")]

    def evidence(self, job: RunJob, from_paths: FromPaths[R],
                 from_forecasts: FromForecasts[R]) -> R:
        spec = PathSpec.of(job.scenario, job.settings, job.observed)
        ex = job.execution
        return from_paths(spec.weighted_chunks(ex.progress, ex.workers, ex.cluster))


def _grown_run(job: RunJob) -> RunResult:
    """M draws × K paths (M × K ≈ settings.paths), grown until every question's s.e. is below
    settings.precision when one is given.

    Paths in whole blocks are summarised once: growing the run (more draws, or more paths of
    one draw) leaves them as they are, so `--precision` adds blocks instead of restarting. Only
    the last, partial block is simulated again, at its new size (a block's uniforms depend on
    its size). The result equals a fresh run of the final size, bit for bit."""
    scenario, settings = job.scenario, job.settings
    done: Summary | None = None  # blocks [0, done_blocks), all full
    done_blocks = 0

    def attempt(m: int, k: int) -> tuple[tuple[PathSpec, Summary, Forecast], float, str]:
        nonlocal done, done_blocks
        spec = PathSpec.sized(scenario, settings, (m, k))
        done, done_blocks, summary = _round(job, spec, m, done, done_blocks)
        forecast = summarise(scenario, summary)
        worst = max((q.stderr for q in forecast.questions), default=0.0)
        if settings.precision is None or worst <= settings.precision:
            return (spec, summary, forecast), 0.0, ""
        # s.e. ∝ 1/sqrt(paths)
        return (spec, summary, forecast), (worst / settings.precision) ** 2 * 1.1, \
            f" with s.e. {worst:.4f}"

    (spec, summary, forecast), (m, k), notes = growing(draws_and_paths(scenario, settings),
                                                       attempt)
    if m * k != settings.paths:
        notes.append(
            f"{m * k:,} paths ({m} draws × {k}), the nearest to {settings.paths:,}"
            + (f" giving s.e. ≤ {settings.precision}" if settings.precision else "")
        )
    issues = solve_issues(scenario, central_draws(scenario), spec.draws) if job.with_issues else []
    return RunResult(scenario, settings, forecast, issues, notes, spec, summary)


def _round(job: RunJob, spec: PathSpec, m: int, done: Summary | None, done_blocks: int,
           ) -> tuple[Summary | None, int, Summary]:
    """One round of a growing run of M draws: (whole blocks summarised, their count, the run's
    summary)."""
    n = m * spec.paths_per_draw
    full, total = n // BLOCK, n_blocks(n)
    if done is not None:  # draws j < m and paths per draw are as they were (m or k grew)
        done = replace(done.with_draws(m), paths_per_draw=spec.paths_per_draw)
    if job.settings.precision is None:  # one pass: no need to keep the last block apart
        whole = simulate_ranges(spec, [(0, total)], job.execution)[0]
        return whole, done_blocks, whole
    new_full, tail = simulate_ranges(spec, [(done_blocks, full), (full, total)],
                                     job.execution)
    if new_full is not None:
        done = new_full if done is None else done.merge(new_full)
    have = [x for x in (done, tail) if x is not None]
    return done, full, have[0] if len(have) == 1 else have[0].merge(have[1])


@contextlib.contextmanager
def _within_limits() -> Iterator[None]:
    """The exact method's limits are user errors that suggest Monte Carlo; observations it
    finds impossible are the user's too."""
    from accord.process import exact

    try:
        yield
    except exact.StateSpaceTooLarge as e:
        raise UserError.at(f"{e}; use Monte Carlo instead", field="exact") from None
    except ZeroDivisionError:
        raise impossible() from None


class ExactEngine:
    method = "exact"

    def forecast(self, scenario: Scenario, observed: ObservedMonths | None) -> Forecast:
        """The exact forecast at the parameters' central values, conditioned on `observed`;
        the method's limits are user errors that suggest Monte Carlo."""
        from accord.process import exact

        central = central_draws(scenario)
        with _within_limits():
            return exact.exact_forecast(scenario, central, observed=observed,
                                        issue_outcomes=outcomes_per_draw(scenario, central))

    def run(self, job: RunJob) -> RunResult:
        scenario, om = job.scenario, job.observed
        if om is not None:
            check_left(scenario, om)
        forecast = self.forecast(scenario, om)
        central = central_draws(scenario)
        issues = solve_issues(scenario, central, None) if job.with_issues else []
        note = "exact solution at the parameters' central values"
        if om is None:
            return RunResult(scenario, job.settings, forecast, issues, notes=[note])
        return RunResult(shifted(scenario, om), job.settings, forecast, issues,
                         notes=[f"{note}, conditioned on the observations to {om.start}"],
                         observed={**observed_record(scenario, om), "effective_paths": None,
                                   "parameters": []})

    def snapshots(self, job: RunJob, questions: list[str],
                  steps_of: Callable[[list[str]], list[int]]) -> SnapshotGroups:
        from accord.process.exact import solve

        steps = steps_of(questions)
        if job.observed is not None:
            raise UserError.at("explain with observations runs on Monte Carlo paths; drop "
                               "--exact", field="exact")
        central = central_draws(job.scenario)
        outcomes = outcomes_per_draw(job.scenario, central)
        with _within_limits():
            res = solve(job.scenario, central, outcomes, snapshots=tuple(steps))
        point = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in outcomes.items()}
        # each step has its own reachable states, so one question at a time
        return [([q], [({s: state}, p) for s in steps_of([q])
                       for state, p in [res.snapshot_state(s, point)]], "exact")
                for q in questions]

    def evidence(self, job: RunJob, from_paths: FromPaths[R],
                 from_forecasts: FromForecasts[R]) -> R:
        return from_forecasts(lambda om: self.forecast(job.scenario, om))
