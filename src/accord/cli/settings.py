"""The one place commands turn their options into the analysis contract's two values: what
decides the numbers (`RunSettings`) and how the work is carried out (`Execution`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.analysis.recipe import Execution, RunSettings
    from accord.process.montecarlo import Progress


def run_settings(
    *, paths: int, seed: int, draws: int | None = None, exact: bool = False,
    precision: float | None = None, workers: int = 1, cluster: str | None = None,
) -> tuple[RunSettings, Execution]:
    """Checked settings and execution from a command's options (`--workers 0`: one per core);
    a bad value is a user error naming its option, before any work starts."""
    from accord.analysis.recipe import Execution, RunSettings
    from accord.cli.common import worker_count

    settings = RunSettings(paths=paths, draws=draws, seed=seed, exact=exact, precision=precision)
    settings.check()
    return settings, Execution(worker_count(workers), cluster)


def reporting(execution: Execution | None, progress: Progress) -> Execution:
    """The execution (one process when None) reporting to a progress bar opened for the work."""
    from accord.analysis.recipe import Execution

    return (execution or Execution()).with_progress(progress)
