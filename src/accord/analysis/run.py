"""One forecast run: draws → issue outcomes → event process → summary, for any scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.analysis.engines import RunJob, engine_for
from accord.analysis.recipe import (
    DEFAULT_DRAWS,
    DEFAULT_PATHS,
    MAX_PATHS,
    Execution,
    PathSpec,
    RunResult,
    RunSettings,
    draws_and_paths,
    run_draws,
)
from accord.scenario.model import Scenario

if TYPE_CHECKING:  # a run without observations never imports them
    from accord.scenario.observations import ObservedMonths

# the recipe's names, where callers have always found them
__all__ = ["DEFAULT_DRAWS", "DEFAULT_PATHS", "MAX_PATHS", "Execution", "PathSpec", "RunResult",
           "RunSettings", "draws_and_paths", "run_draws", "run_scenario"]


def run_scenario(
    scenario: Scenario,
    settings: RunSettings,
    *,
    observed: ObservedMonths | None = None,
    execution: Execution = Execution(),
    with_issues: bool = True,
) -> RunResult:
    """Forecast a scenario: M parameter draws × K paths each (M × K ≈ settings.paths), or
    exactly at the parameters' central values (settings.exact): `accord.analysis.engines`.

    execution.workers > 1 (a local process pool) or execution.cluster (a Dask scheduler) split
    the paths' blocks into tasks whose summaries are merged: the same forecast as in this
    process. observed: condition on what happened (`accord.analysis.conditioned`).
    with_issues=False skips solving the issues (a forecast of the events only)."""
    settings.check()
    execution.check()
    job = RunJob(scenario, settings, observed, execution, with_issues)
    return engine_for(settings).run(job)
