"""Issue outcomes of a scenario: its issues as bargaining tables, solved by every model.

Conditions such as `issue.constitution >= 80` read the outcome of the scenario's `issue_model`
under each parameter draw, so uncertainty in positions and saliences flows into the events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from accord.bargaining.registry import MODELS, get_model
from accord.bargaining.table import IssueTable
from accord.scenario import conditions as C
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import Scenario

FAST_MODELS = ("compromise", "weighted_median", "nash")  # cheap enough to solve per draw
BAND = (0.05, 0.95)
BAND_DRAWS = 100  # issue bands use the first 100 draws: enough for 5–95%, and quick


def issue_table(scenario: Scenario, index: int, draws: Draws, j: int) -> IssueTable:
    """Issue `index` under parameter draw j."""
    iss = scenario.issues[index]
    cap = {a.id: draws[f"actors[{k}].capability"][j] for k, a in enumerate(scenario.actors)}
    actors = list(iss.positions)
    pre = f"issues[{index}].positions"
    sq_path = f"issues[{index}].status_quo"
    return IssueTable.one_dim(
        iss.id,
        actors,
        [draws[f"{pre}.{a}.position"][j] for a in actors],
        [draws[f"{pre}.{a}.salience"][j] for a in actors],
        [cap[a] for a in actors],
        scale_min=iss.scale.min,
        scale_max=iss.scale.max,
        status_quo=float(draws[sq_path][j]) if sq_path in draws else None,
    )


def referenced_issues(scenario: Scenario) -> set[str]:
    out: set[str] = set()
    for ev in scenario.events:
        out |= C.issues_referenced(ev.condition)
        for m in ev.modifiers:
            out |= C.issues_referenced(C.parse(m.if_))
    return out


def outcomes_per_draw(scenario: Scenario, draws: Draws) -> dict[str, np.ndarray]:
    """issue id → the issue model's outcome under each draw, for the issues conditions read."""
    model = get_model(scenario.meta.issue_model)
    m = n_draws(draws)
    wanted = referenced_issues(scenario)
    return {
        iss.id: np.array([model(issue_table(scenario, i, draws, j)).value for j in range(m)])
        for i, iss in enumerate(scenario.issues)
        if iss.id in wanted
    }


@dataclass
class ModelOutcome:
    outcome: float  # at the parameters' central values
    low: float | None = None  # 5%–95% over parameter draws (fast models only)
    high: float | None = None
    notes: list[str] = field(default_factory=list)
    turns: int = 0


@dataclass
class IssueResult:
    id: str
    name: str
    scale_min: float
    scale_max: float
    min_means: str | None
    max_means: str | None
    status_quo: float | None
    actors: list[str]
    positions: list[float]  # central values
    saliences: list[float]
    capabilities: list[float]
    models: dict[str, ModelOutcome]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def solve_issues(
    scenario: Scenario, central: Draws, draws: Draws | None, models: list[str] | None = None
) -> list[IssueResult]:
    """Every issue under every model at central values, with bands over draws for fast models."""
    names = models or list(MODELS)
    out = []
    for i, iss in enumerate(scenario.issues):
        table = issue_table(scenario, i, central, 0)
        results: dict[str, ModelOutcome] = {}
        for name in names:
            pred = MODELS[name](table)
            res = ModelOutcome(float(pred.value), notes=list(pred.notes), turns=pred.turns)
            if draws is not None and name in FAST_MODELS and n_draws(draws) > 1:
                vals = [
                    MODELS[name](issue_table(scenario, i, draws, j)).value
                    for j in range(min(BAND_DRAWS, n_draws(draws)))
                ]
                res.low, res.high = (float(v) for v in np.quantile(vals, BAND))
            results[name] = res
        out.append(
            IssueResult(
                id=iss.id,
                name=iss.name,
                scale_min=iss.scale.min,
                scale_max=iss.scale.max,
                min_means=iss.scale.min_means,
                max_means=iss.scale.max_means,
                status_quo=None if table.status_quo is None else float(table.status_quo[0]),
                actors=list(table.actors),
                positions=table.position[:, 0].tolist(),
                saliences=table.salience[:, 0].tolist(),
                capabilities=table.capability.tolist(),
                models=results,
            )
        )
    return out
