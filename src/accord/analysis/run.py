"""One forecast run: draws → issue outcomes → event process → summary, for any scenario."""

from __future__ import annotations

from accord.analysis.engines import RunJob, engine_for
from accord.analysis.recipe import (
    DEFAULT_DRAWS,
    DEFAULT_PATHS,
    MAX_PATHS,
    PathSpec,
    RunResult,
    RunSettings,
    draws_and_paths,
    run_draws,
)
from accord.process.montecarlo import Progress
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths

# the recipe's names, where callers have always found them
__all__ = ["DEFAULT_DRAWS", "DEFAULT_PATHS", "MAX_PATHS", "PathSpec", "RunResult", "RunSettings",
           "draws_and_paths", "run_draws", "run_scenario"]


def run_scenario(
    scenario: Scenario,
    settings: RunSettings,
    progress: Progress | None = None,
    with_issues: bool = True,
    workers: int = 1,
    cluster: str | None = None,
    observed: ObservedMonths | None = None,
) -> RunResult:
    """Forecast a scenario: M parameter draws × K paths each (M × K ≈ settings.paths), or
    exactly at the parameters' central values (settings.exact): `accord.analysis.engines`.

    workers > 1 (a local process pool) or cluster (a Dask scheduler address) split the paths'
    blocks into tasks whose summaries are merged: the same forecast as in this process.
    observed: condition on what happened (`accord.analysis.conditioned.run_conditioned`)."""
    settings.check()
    job = RunJob(scenario, settings, observed, progress, with_issues, workers, cluster)
    return engine_for(settings).run(job)
