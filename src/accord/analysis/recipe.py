"""The recipe of a run: its settings, its paths as a value (`PathSpec`), and its result.

A `PathSpec` — scenario, parameter draws, paths per draw, seed, issue outcomes, observations
or none — is everything that decides a run's paths: the same spec simulates the same paths,
bit for bit, in this process, on a pool or on Dask, chunk by chunk or all at once. Every
analysis that re-reads a run's paths (paired comparison, explain, watch, sensitivity) builds
one, rather than passing its parts through each function.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from accord.analysis.issues import IssueResult, outcomes_per_draw
from accord.defaults import DEFAULT_PATHS, DEFAULT_SEED
from accord.errors import UserError
from accord.process.forecast import Forecast
from accord.process.montecarlo import (
    CHUNK_BLOCKS,
    IssueOutcomes,
    Progress,
    Simulation,
    chunks_of,
    paths_of,
    simulate_summary,
)
from accord.process.summary import Summary, merge_all
from accord.scenario.draws import Draws, central_draws, sample_draws
from accord.scenario.model import Scenario

if TYPE_CHECKING:
    from accord.process.condition import WeightedSummary
    from accord.scenario.observations import ObservedMonths

MAX_PATHS = 10_000_000
DEFAULT_DRAWS = 200
T = TypeVar("T")


@dataclass
class RunSettings:
    """What decides a run's numbers: the same settings give the same forecast, bit for bit."""

    paths: int = DEFAULT_PATHS
    draws: int | None = None  # None: DEFAULT_DRAWS when any parameter is uncertain, else 1
    seed: int = DEFAULT_SEED
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


@dataclass(frozen=True)
class Execution:
    """How a run is carried out, never what it computes: a local process pool (`workers` > 1)
    or a Dask scheduler (`cluster`, its address) give the same numbers as one process, and
    `progress(done, total)` is called as the work advances."""

    workers: int = 1
    cluster: str | None = None
    progress: Progress | None = None

    def check(self) -> None:
        if self.workers < 1:
            raise UserError.at("must be 1 or more", field="workers")

    def with_progress(self, progress: Progress | None) -> Execution:
        """The same execution reporting to `progress` (a bar opened after the settings)."""
        return replace(self, progress=progress)



def uncertain(scenario: Scenario) -> bool:
    return any(not p.is_point for _, p in scenario.parameters())


def draws_and_paths(scenario: Scenario, settings: RunSettings) -> tuple[int, int]:
    """(parameter draws M, paths per draw K) of a run: M × K ≈ settings.paths."""
    m = settings.draws or (min(DEFAULT_DRAWS, settings.paths) if uncertain(scenario) else 1)
    return m, max(1, settings.paths // m)


def run_draws(scenario: Scenario, settings: RunSettings, m: int) -> Draws:
    """The parameter draws a run uses: sampled from the seed, or the central values."""
    return sample_draws(scenario, m, settings.seed) if m > 1 else central_draws(scenario)


def growing(size: tuple[int, int], attempt: Callable[[int, int], tuple[T, float, str]],
            rounds: int | None = None) -> tuple[T, tuple[int, int], list[str]]:
    """Rounds of a run that grows: `attempt(M, K)` runs M × K paths and says how many times
    more it needs (≤ 1: enough) and, for the note when MAX_PATHS stops it, where it stands.
    Returns the last round's result, its (M, K) and the notes."""
    m, k = size
    notes: list[str] = []
    for _ in itertools.repeat(None) if rounds is None else range(rounds):
        result, factor, stands = attempt(m, k)
        if factor <= 1.0:
            break
        if m * k >= MAX_PATHS:
            notes.append(f"stopped at {MAX_PATHS:,} paths{stands}")
            break
        m, k = grown(m, k, factor)
    return result, (m, k), notes


def grown(m: int, k: int, factor: float) -> tuple[int, int]:
    """(M, K) with about `factor` times the paths: more draws where the run has several, else
    more paths of its one draw; at least one more, at most MAX_PATHS."""
    if m > 1:
        return max(m + 1, min(int(np.ceil(m * factor)), MAX_PATHS // k)), k
    return m, max(k + 1, min(int(np.ceil(k * factor)), MAX_PATHS))


@dataclass(frozen=True)
class PathSpec:
    """A run's paths as the recipe that simulates them (same spec, same paths), not as arrays:
    the analyses that re-read them simulate them again, a chunk at a time."""

    scenario: Scenario
    draws: dict[str, np.ndarray]
    paths_per_draw: int
    seed: int
    issue_outcomes: IssueOutcomes
    observed: ObservedMonths | None = None
    _cache: dict[str, Simulation] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, scenario: Scenario, settings: RunSettings,
           observed: ObservedMonths | None = None) -> PathSpec:
        """The paths `accord run` would simulate with these settings (one round of them)."""
        return cls.sized(scenario, settings, draws_and_paths(scenario, settings), observed)

    @classmethod
    def sized(cls, scenario: Scenario, settings: RunSettings, size: tuple[int, int],
              observed: ObservedMonths | None = None) -> PathSpec:
        """M × K paths of the run with these settings: its first M draws, K paths each (a
        growing run's round)."""
        m, k = size
        d = run_draws(scenario, settings, m)
        return cls(scenario, d, k, settings.seed, outcomes_per_draw(scenario, d), observed)

    @property
    def event_ids(self) -> list[str]:
        return self.scenario.event_ids

    @property
    def n_draws(self) -> int:
        return len(next(iter(self.draws.values()))) if self.draws else 1

    @property
    def n_paths(self) -> int:
        return self.n_draws * self.paths_per_draw

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The unconditioned paths a chunk at a time: (draw of each path, first_step)."""
        if "sim" in self._cache:
            yield self._cache["sim"].draw, self._cache["sim"].first_step
            return
        yield from chunks_of(self.unobserved())

    def unobserved(self) -> PathSpec:
        """The same paths without the observations (what they are weighted by)."""
        return self if self.observed is None else replace(self, observed=None, _cache={})

    def weighted_chunks(self, progress: Progress | None = None, workers: int = 1,
                        cluster: str | None = None, block_range: tuple[int, int] | None = None,
                        ) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
        """(first_step, weight) a chunk at a time: the weight is None for unconditioned
        paths, else the likelihood of the observations along each path. With workers > 1 or
        a Dask cluster, tasks of blocks simulate them and send them back, in order."""
        if workers > 1 or cluster is not None:
            from accord.analysis.executors import run_split
            from accord.process.montecarlo import n_blocks

            parts = run_split(first_steps_task, n_blocks(self.n_paths),  # type: ignore[arg-type]
                              lambda a, b: (self, a, b), max_size=CHUNK_BLOCKS,
                              workers=workers, cluster=cluster, progress=progress)
            for part in parts:
                yield from part  # type: ignore[misc]
            return
        if self.observed is None:
            for _, first in chunks_of(self, progress, block_range):
                yield first, None
            return
        from accord.process.condition import weighted_chunks_of

        for _, first, w in weighted_chunks_of(self, progress, block_range):
            yield first, w

    @property
    def simulated(self) -> bool:
        """Whether every path is held in memory (only after `simulation()`)."""
        return "sim" in self._cache

    def simulation(self) -> Simulation:
        """Every path at once, unweighted (memory grows with the paths: prefer `chunks`)."""
        if "sim" not in self._cache:
            self._cache["sim"] = paths_of(self.unobserved())
        return self._cache["sim"]

    @property
    def first_step(self) -> np.ndarray:
        return self.simulation().first_step

    @property
    def draw(self) -> np.ndarray:
        return self.simulation().draw

    def summary(self, b0: int, b1: int, progress: Progress | None = None) -> Any:
        """The summary of blocks [b0, b1) (small to ship back from a pool or Dask task): a
        `Summary`, or with observations the conditioned paths' `WeightedSummary`."""
        if self.observed is not None:
            from accord.process.condition import weighted_summary_of

            return weighted_summary_of(self, (b0, b1), progress)
        return simulate_summary(self.scenario, self.draws, self.paths_per_draw, self.seed,
                                issue_outcomes=self.issue_outcomes, block_range=(b0, b1),
                                progress=progress)


def first_steps_task(spec: PathSpec, b0: int, b1: int
                     ) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Blocks [b0, b1) of the spec's paths as (first_step, weight) chunks (a pool's or Dask's
    task: what `PathSpec.weighted_chunks` yields for them)."""
    return list(spec.weighted_chunks(block_range=(b0, b1)))


def summary_task(spec: PathSpec, b0: int, b1: int, progress: Progress | None = None) -> Any:
    """`PathSpec.summary` as a plain function (what a pool or Dask task runs)."""
    return spec.summary(b0, b1, progress)


def simulate_ranges(spec: PathSpec, ranges: list[tuple[int, int]],
                    execution: Execution = Execution()) -> list[Any]:
    """The summary of each block range (None where empty), one progress bar over them all;
    with observations, the conditioned runs' `WeightedSummary`.

    With workers > 1 or a Dask cluster, each range is split into tasks of block ranges whose
    summaries are merged: the same summary as one serial pass, bit for bit (weighted sums:
    the same up to the order floating-point additions are done in).
    """
    progress, workers, cluster = execution.progress, execution.workers, execution.cluster
    h = spec.scenario.meta.horizon
    months = [-(-(b - a) // CHUNK_BLOCKS) * h for a, b in ranges]  # as simulate counts them
    out: list[Summary | None] = []
    for i, (a, b) in enumerate(ranges):
        if a == b:
            out.append(None)
            continue
        if workers > 1 or cluster is not None:
            from accord.analysis.executors import run_split

            parts = run_split(
                summary_task, b - a, lambda x, y, a=a: (spec, a + x, a + y),
                max_size=CHUNK_BLOCKS, workers=workers, cluster=cluster, progress=progress)
            out.append(merge_all(parts))  # type: ignore[arg-type]
            continue
        done, total = sum(months[:i]), sum(months)

        def tick(d: int, t: int, done: int = done, total: int = total) -> None:
            if progress is not None:
                progress(done + d, total)

        out.append(spec.summary(a, b, tick))
    return out


@dataclass
class RunResult:
    """One run: its scenario, settings, forecast, issues and notes."""

    scenario: Scenario
    settings: RunSettings
    forecast: Forecast
    issues: list[IssueResult]
    notes: list[str] = field(default_factory=list)
    sim: PathSpec | None = field(default=None, repr=False)  # the paths, for paired comparison
    # what the forecast came from (a conditioned run's: weighted sums)
    summary: Summary | WeightedSummary | None = field(default=None, repr=False)
    observed: dict[str, Any] | None = None  # a conditioned run: observations, ESS, posteriors
    posteriors: list[Any] = field(default_factory=list)  # a conditioned run's, per parameter

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
