"""One forecast run: draws → issue outcomes → event process → summary, for any scenario."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.analysis.conditioned import run_conditioned
from accord.analysis.issues import outcomes_per_draw, solve_issues
from accord.analysis.recipe import (
    DEFAULT_DRAWS,
    DEFAULT_PATHS,
    MAX_PATHS,
    PathSpec,
    RunResult,
    RunSettings,
    draws_and_paths,
    run_draws,
    simulate_ranges,
)
from accord.errors import UserError
from accord.process.forecast import summarise
from accord.process.montecarlo import BLOCK, Progress, n_blocks
from accord.process.summary import Summary
from accord.scenario.draws import central_draws
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
    """Forecast a scenario: M parameter draws × K paths each (M × K ≈ settings.paths).

    workers > 1 (a local process pool) or cluster (a Dask scheduler address) split the paths'
    blocks into tasks whose summaries are merged: the same forecast as in this process.
    observed: condition on what happened (`accord.analysis.conditioned.run_conditioned`)."""
    settings.check()
    if observed is not None:
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
        spec = PathSpec(scenario, draws, k, settings.seed, outcomes_per_draw(scenario, draws))
        n = m * k
        full, total = n // BLOCK, n_blocks(n)
        if done is not None:  # draws j < m and paths per draw are as they were (m or k grew)
            done = replace(done.with_draws(m), paths_per_draw=k)
        if settings.precision is None:  # one pass: no need to keep the last block apart
            done, tail = simulate_ranges(spec, [(0, total)], progress, workers, cluster)[0], None
        else:
            new_full, tail = simulate_ranges(spec, [(done_blocks, full), (full, total)],
                                             progress, workers, cluster)
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
    return RunResult(scenario, settings, forecast, issues, notes, spec, summary)
