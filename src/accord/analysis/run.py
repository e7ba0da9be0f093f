"""One forecast run: draws → issue outcomes → event process → summary, for any scenario."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.issues import IssueResult, outcomes_per_draw, solve_issues
from accord.errors import UserError
from accord.process.forecast import Forecast, summarise
from accord.process.montecarlo import (
    BLOCK,
    CHUNK_BLOCKS,
    IssueOutcomes,
    Progress,
    Simulation,
    n_blocks,
    path_chunks,
    simulate,
    simulate_summary,
)
from accord.process.summary import Summary, merge_all
from accord.scenario.draws import Draws, central_draws, sample_draws
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths

if TYPE_CHECKING:
    from accord.process.condition import WeightedSummary

MAX_PATHS = 10_000_000
DEFAULT_PATHS = 20_000
DEFAULT_DRAWS = 200


@dataclass
class RunSettings:
    paths: int = DEFAULT_PATHS
    draws: int | None = None  # None: DEFAULT_DRAWS when any parameter is uncertain, else 1
    seed: int = 20250403
    exact: bool = False
    precision: float | None = None  # add paths until every question's s.e. is below this

    def check(self) -> None:
        if not 1 <= self.paths <= MAX_PATHS:
            raise UserError.at(f"must be between 1 and {MAX_PATHS:,}", field="paths")
        if self.draws is not None and not 1 <= self.draws <= self.paths:
            raise UserError.at("must be between 1 and paths", field="draws")
        if not 0 <= self.seed < 2**63:
            raise UserError.at("must be a non-negative integer", field="seed")
        if self.precision is not None and not 0.0005 <= self.precision <= 0.5:
            raise UserError.at("must be between 0.0005 and 0.5", field="precision")


@dataclass
class RunResult:
    scenario: Scenario
    settings: RunSettings
    forecast: Forecast
    issues: list[IssueResult]
    notes: list[str] = field(default_factory=list)
    sim: RunPaths | None = field(default=None, repr=False)  # the paths, for paired comparison
    # what the forecast came from (a conditioned run's: weighted sums)
    summary: Summary | WeightedSummary | None = field(default=None, repr=False)
    observed: dict[str, Any] | None = None  # a conditioned run: observations, ESS, posteriors

    def to_dict(self) -> dict[str, Any]:
        out = {
            "scenario": self.scenario.meta.id,
            "title": self.scenario.meta.title,
            "as_of": self.scenario.meta.as_of.isoformat(),
            "settings": vars(self.settings),
            "forecast": self.forecast.to_dict(),
            "issues": [i.to_dict() for i in self.issues],
            "notes": self.notes,
        }
        if self.observed is not None:
            out["observed"] = self.observed
        return out


@dataclass
class RunPaths:
    """A run's paths, kept as the recipe that simulates them (same seed, same paths), not as
    arrays: only a paired comparison reads them, and they are simulated when it does."""

    scenario: Scenario
    draws: dict[str, np.ndarray]
    paths_per_draw: int
    seed: int
    issue_outcomes: IssueOutcomes
    event_ids: list[str]
    _sim: Simulation | None = field(default=None, repr=False)

    @property
    def n_draws(self) -> int:
        return len(next(iter(self.draws.values()))) if self.draws else 1

    @property
    def n_paths(self) -> int:
        return self.n_draws * self.paths_per_draw

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The paths a chunk at a time: (draw of each path, first_step (paths, events))."""
        if self._sim is not None:
            yield self._sim.draw, self._sim.first_step
            return
        yield from path_chunks(self.scenario, self.draws, self.paths_per_draw, self.seed,
                               issue_outcomes=self.issue_outcomes)

    def simulation(self) -> Simulation:
        """Every path at once (memory grows with the paths: prefer `chunks`)."""
        if self._sim is None:
            self._sim = simulate(self.scenario, self.draws, self.paths_per_draw, self.seed,
                                 issue_outcomes=self.issue_outcomes)
        return self._sim

    @property
    def first_step(self) -> np.ndarray:
        return self.simulation().first_step

    @property
    def occurred(self) -> np.ndarray:
        return self.simulation().occurred

    @property
    def count(self) -> np.ndarray:
        return self.simulation().count

    @property
    def draw(self) -> np.ndarray:
        return self.simulation().draw


def simulate_ranges(
    scenario: Scenario, draws: dict[str, np.ndarray], k: int, seed: int,
    outcomes: IssueOutcomes, ranges: list[tuple[int, int]], progress: Progress | None,
    workers: int = 1, cluster: str | None = None, observed: ObservedMonths | None = None,
) -> list[Any]:
    """The summary of each block range (None where empty), one progress bar over them all;
    with `observed`, the conditioned runs' `WeightedSummary`.

    With workers > 1 or a Dask cluster, each range is split into tasks of block ranges whose
    summaries are merged: the same summary as one serial pass, bit for bit (weighted sums:
    the same up to the order floating-point additions are done in).
    """
    h = scenario.meta.horizon
    months = [-(-(b - a) // CHUNK_BLOCKS) * h for a, b in ranges]  # as simulate counts them
    out: list[Summary | None] = []
    for i, (a, b) in enumerate(ranges):
        if a == b:
            out.append(None)
            continue
        if workers > 1 or cluster is not None:
            from accord.analysis.executors import run_split

            job = SummaryJob(scenario, draws, k, seed, outcomes, observed)  # shipped once
            parts = run_split(
                summary_task, b - a, lambda x, y, a=a, job=job: (job, a + x, a + y),
                max_size=CHUNK_BLOCKS, workers=workers, cluster=cluster, progress=progress)
            out.append(merge_all(parts))  # type: ignore[arg-type]
            continue
        done, total = sum(months[:i]), sum(months)

        def tick(d: int, t: int, done: int = done, total: int = total) -> None:
            if progress is not None:
                progress(done + d, total)

        out.append(summary_task(SummaryJob(scenario, draws, k, seed, outcomes, observed), a, b,
                                tick))
    return out


@dataclass(frozen=True)
class SummaryJob:
    """What every task of a pool or Dask run shares."""

    scenario: Scenario
    draws: dict[str, np.ndarray]
    paths_per_draw: int
    seed: int
    issue_outcomes: IssueOutcomes
    observed: ObservedMonths | None = None


def summary_task(job: SummaryJob, b0: int, b1: int, progress: Progress | None = None) -> Any:
    """The summary of blocks [b0, b1) (small to ship back from a pool or Dask task): a
    `Summary`, or with observations the conditioned paths' `WeightedSummary`."""
    if job.observed is not None:
        from accord.process.condition import conditioned_summary

        return conditioned_summary(job.scenario, job.draws, job.paths_per_draw, job.seed,
                                   job.observed, job.issue_outcomes, (b0, b1), progress)
    return simulate_summary(job.scenario, job.draws, job.paths_per_draw, job.seed,
                            issue_outcomes=job.issue_outcomes, block_range=(b0, b1),
                            progress=progress)


def uncertain(scenario: Scenario) -> bool:
    return any(not p.is_point for _, p in scenario.parameters())


def draws_and_paths(scenario: Scenario, settings: RunSettings) -> tuple[int, int]:
    """(parameter draws M, paths per draw K) of a run: M × K ≈ settings.paths."""
    m = settings.draws or (min(DEFAULT_DRAWS, settings.paths) if uncertain(scenario) else 1)
    return m, max(1, settings.paths // m)


def run_draws(scenario: Scenario, settings: RunSettings, m: int) -> Draws:
    """The parameter draws a run uses: sampled from the seed, or the central values."""
    return sample_draws(scenario, m, settings.seed) if m > 1 else central_draws(scenario)


def run_scenario(
    scenario: Scenario,
    settings: RunSettings,
    progress: Progress | None = None,
    with_issues: bool = True,
    workers: int = 1,
    cluster: str | None = None,
    observed: ObservedMonths | None = None,
) -> RunResult:
    """Forecast a scenario: M parameter draws × K paths each (M × K ≈ settings.paths).

    workers > 1 (a local process pool) or cluster (a Dask scheduler address) split the paths'
    blocks into tasks whose summaries are merged: the same forecast as in this process.
    observed: condition on what happened (`accord.analysis.conditioned.run_conditioned`)."""
    settings.check()
    if observed is not None:
        from accord.analysis.conditioned import run_conditioned

        return run_conditioned(scenario, settings, observed, progress, with_issues, workers,
                               cluster)
    central = central_draws(scenario)
    if settings.exact:
        from accord.process.exact import StateSpaceTooLarge, exact_forecast

        try:
            forecast = exact_forecast(
                scenario, central, issue_outcomes=outcomes_per_draw(scenario, central)
            )
        except StateSpaceTooLarge as exc:  # a limit of the method: say so, suggest Monte Carlo
            raise UserError.at(f"{exc}; use Monte Carlo instead", field="exact") from None
        issues = solve_issues(scenario, central, None) if with_issues else []
        return RunResult(
            scenario,
            settings,
            forecast,
            issues,
            notes=["exact solution at the parameters' central values"],
        )
    m, k = draws_and_paths(scenario, settings)
    notes: list[str] = []
    # Paths in whole blocks are summarised once: growing the run (more draws, or more paths of
    # one draw) leaves them as they are, so `--precision` adds blocks instead of restarting.
    # Only the last, partial block is simulated again, at its new size (a block's uniforms
    # depend on its size). The result equals a fresh run of the final size, bit for bit.
    done: Summary | None = None  # blocks [0, done_blocks), all full
    done_blocks = 0
    while True:
        draws = run_draws(scenario, settings, m)
        outcomes = outcomes_per_draw(scenario, draws)
        n = m * k
        full, total = n // BLOCK, n_blocks(n)
        if done is not None:  # draws j < m and paths per draw are as they were (m or k grew)
            done = replace(done.with_draws(m), paths_per_draw=k)
        if settings.precision is None:  # one pass: no need to keep the last block apart
            done, tail = simulate_ranges(scenario, draws, k, settings.seed, outcomes,
                                          [(0, total)], progress, workers, cluster)[0], None
        else:
            new_full, tail = simulate_ranges(
                scenario, draws, k, settings.seed, outcomes,
                [(done_blocks, full), (full, total)], progress, workers, cluster)
            if new_full is not None:
                done = new_full if done is None else done.merge(new_full)
            done_blocks = full
        have = [x for x in (done, tail) if x is not None]
        summary = have[0] if len(have) == 1 else have[0].merge(have[1])
        forecast = summarise(scenario, summary)
        worst = max((q.stderr for q in forecast.questions), default=0.0)
        if settings.precision is None or worst <= settings.precision:
            break
        if m * k >= MAX_PATHS:
            notes.append(f"stopped at {MAX_PATHS:,} paths with s.e. {worst:.4f}")
            break
        grow = (worst / settings.precision) ** 2 * 1.1  # s.e. falls as 1/sqrt(paths)
        if m > 1:
            m = max(m + 1, min(int(np.ceil(m * grow)), MAX_PATHS // k))
        else:
            k = max(k + 1, min(int(np.ceil(k * grow)), MAX_PATHS))
    if m * k != settings.paths:
        notes.append(
            f"{m * k:,} paths ({m} draws × {k}), the nearest to {settings.paths:,}"
            + (f" giving s.e. ≤ {settings.precision}" if settings.precision else "")
        )
    issues = solve_issues(scenario, central, draws) if with_issues else []
    paths = RunPaths(scenario, draws, k, settings.seed, outcomes, [e.id for e in scenario.events])
    return RunResult(scenario, settings, forecast, issues, notes, paths, summary)
