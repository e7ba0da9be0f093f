"""One forecast run: draws → issue outcomes → event process → summary, for any scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.issues import IssueResult, outcomes_per_draw, solve_issues
from accord.errors import UserError
from accord.process.forecast import Forecast, summarise
from accord.process.montecarlo import Progress, Simulation, simulate
from accord.scenario.draws import central_draws, sample_draws
from accord.scenario.model import Scenario

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
    sim: Simulation | None = field(default=None, repr=False)  # the paths, for paired comparison

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.meta.id,
            "title": self.scenario.meta.title,
            "as_of": self.scenario.meta.as_of.isoformat(),
            "settings": vars(self.settings),
            "forecast": self.forecast.to_dict(),
            "issues": [i.to_dict() for i in self.issues],
            "notes": self.notes,
        }


def uncertain(scenario: Scenario) -> bool:
    return any(not p.is_point for _, p in scenario.parameters())


def run_scenario(
    scenario: Scenario,
    settings: RunSettings,
    progress: Progress | None = None,
    with_issues: bool = True,
) -> RunResult:
    """Forecast a scenario: M parameter draws × K paths each (M × K ≈ settings.paths)."""
    settings.check()
    central = central_draws(scenario)
    if settings.exact:
        from accord.process.exact import exact_forecast

        try:
            forecast = exact_forecast(
                scenario, central, issue_outcomes=outcomes_per_draw(scenario, central)
            )
        except ValueError as exc:  # too many states: say so, suggest Monte Carlo
            raise UserError.at(f"{exc}; use Monte Carlo instead", field="exact") from None
        issues = solve_issues(scenario, central, None) if with_issues else []
        return RunResult(
            scenario,
            settings,
            forecast,
            issues,
            notes=["exact solution at the parameters' central values"],
        )
    m = settings.draws or (min(DEFAULT_DRAWS, settings.paths) if uncertain(scenario) else 1)
    k = max(1, settings.paths // m)
    notes: list[str] = []
    while True:
        draws = sample_draws(scenario, m, settings.seed) if m > 1 else central
        sim = simulate(
            scenario, draws, k, settings.seed, issue_outcomes=outcomes_per_draw(scenario, draws),
            progress=progress,
        )
        forecast = summarise(scenario, sim)
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
    return RunResult(scenario, settings, forecast, issues, notes, sim)
