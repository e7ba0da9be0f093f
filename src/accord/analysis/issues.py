"""Issue outcomes of a scenario: its issues as bargaining tables, solved by every model.

Conditions such as `issue.constitution >= 80` read the outcome of the scenario's `issue_model`
under each parameter draw, so uncertainty in positions and saliences flows into the events.

A scenario's issues are one group (``GROUP``): the exchange models trade across all of them at
once (``predict_tables(name, tables, {issue: GROUP})``); the other models solve each issue on
its own. An actor without a position on an issue takes no part in its exchanges.

Bands (5–95% of a model's outcome over the first ``BAND_DRAWS`` parameter draws) are given for
the models in ``FAST_MODELS``, those cheap enough to solve once per draw. Measured on the
built-in scenario (8 issues, 2–6 actors each), every issue solved under 200 draws
(``benchmarks`` machine, 2 cores): compromise 0.03 s, weighted_median 0.02 s, nearest_option
0.08 s, options 0.10 s, nash 0.18 s, exchange 0.37 s (across all 8 issues at once) — all kept.
Left out: eum 1.6 s and smp 4.9 s (a band would cost more than everything else in a default
`accord run`, about 0.5 s once imported), and exchange_random 15 s (50 seeded rate draws per
parameter draw); their outcomes are given at the central values only (``low``/``high`` None).
With ``BAND_DRAWS`` = 100, the issues of a default run take about 0.5 s in all (0.2 s with the
three banded models before).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from accord.bargaining.prediction import Prediction
from accord.bargaining.registry import MODELS, predict_tables
from accord.bargaining.table import IssueTable
from accord.process.settlements import GROUP, Settlements, TableSource, expressions
from accord.scenario import conditions as C
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import Scenario

# cheap enough to solve per draw (timings in the module docstring)
FAST_MODELS = ("compromise", "weighted_median", "nash", "options", "nearest_option", "exchange")
BAND = (0.05, 0.95)
BAND_DRAWS = 100  # issue bands use the first 100 draws: enough for 5–95%, and quick


def issue_tables(scenario: Scenario, draws: Draws, j: int) -> list[IssueTable]:
    """Every issue under parameter draw j, in scenario order."""
    return TableSource(scenario, draws).tables(j)


def solve(scenario: Scenario, name: str, tables: list[IssueTable]) -> list[Prediction]:
    """Model ``name`` on the scenario's issue tables (one draw): the exchange models across all
    of them at once, the others issue by issue."""
    return predict_tables(name, tables, {iss.id: GROUP for iss in scenario.issues})


def referenced_issues(scenario: Scenario) -> set[str]:
    """The issues whose settlement some condition reads."""
    return set().union(*(C.issues_referenced(x) for x in expressions(scenario)))


def outcomes_per_draw(scenario: Scenario, draws: Draws) -> dict[str, np.ndarray]:
    """issue id → the issue model's outcome under each draw, for the issues conditions read
    (the tables at as_of; accord.process.settlements solves them, many at once where the model
    can)."""
    settle = Settlements(scenario, draws)
    m = n_draws(draws)
    cols = settle.issue_columns(np.arange(m), np.zeros(m, np.int64), list(settle.index))
    return {x: cols[x] for x in settle.index}


@dataclass
class ModelOutcome:
    """One bargaining model's prediction for an issue."""

    outcome: float  # at the parameters' central values
    low: float | None = None  # 5%–95% over parameter draws (FAST_MODELS only)
    high: float | None = None
    notes: list[str] = field(default_factory=list)
    turns: int = 0


@dataclass
class IssueResult:
    """An issue's table and every model's prediction of its outcome."""

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


def outside_band(res: ModelOutcome) -> list[str]:
    """A note when the outcome at the central values lies outside the band over draws: the
    model jumps there (typically where positions tie at their central values, and the draws
    untie them), so the band, not the central outcome, says what the model expects."""
    if res.low is None or res.high is None:
        return []
    tol = 1e-9 * max(1.0, abs(res.high - res.low))
    if res.low - tol <= res.outcome <= res.high + tol:
        return []
    return [f"{res.outcome:.1f} at the parameters' central values lies outside the 5–95% band "
            f"over draws ({res.low:.1f}–{res.high:.1f}): the model jumps at the central values "
            "(e.g. positions tied there); read the band"]


def solve_issues(
    scenario: Scenario, central: Draws, draws: Draws | None, models: list[str] | None = None
) -> list[IssueResult]:
    """Every issue under every model at central values, with bands over draws for the models in
    FAST_MODELS (the exchange models across all the scenario's issues at once)."""
    names = models or list(MODELS)
    tables = issue_tables(scenario, central, 0)
    band_tables = []  # the first BAND_DRAWS draws' tables, built once for every model
    if draws is not None and n_draws(draws) > 1 and any(n in FAST_MODELS for n in names):
        source = TableSource(scenario, draws)
        band_tables = [source.tables(j) for j in range(min(BAND_DRAWS, n_draws(draws)))]
    results: list[dict[str, ModelOutcome]] = [{} for _ in scenario.issues]
    for name in names:
        preds = solve(scenario, name, tables)
        bands = None
        if band_tables and name in FAST_MODELS:
            vals = np.array([[p.value for p in solve(scenario, name, t)] for t in band_tables])
            bands = np.quantile(vals, BAND, axis=0)  # (2, issues)
        for i, pred in enumerate(preds):
            res = ModelOutcome(float(pred.value), notes=list(pred.notes), turns=pred.turns)
            if bands is not None:
                res.low, res.high = float(bands[0, i]), float(bands[1, i])
                res.notes += outside_band(res)
            results[i][name] = res
    out = []
    for iss, table, res_i in zip(scenario.issues, tables, results, strict=True):
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
                models=res_i,
            )
        )
    return out
