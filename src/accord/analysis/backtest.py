"""Back-testing: how good were the forecasts, once the questions resolved?

Brier score (mean squared error of the probability, 0 best), log score (mean log probability
given to what happened, 0 best; probabilities clipped to [1e-6, 1 − 1e-6]), a calibration
table in ten bins (all through accord.analysis.scoring), and two baselines scored alike: always
50%, and the base rate (the share of yes among the very questions scored: known only in
hindsight, so a demanding yardstick, and labelled so in the output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.recipe import Execution, RunSettings
from accord.analysis.scoring import brier, calibration, log_score
from accord.errors import UserError

if TYPE_CHECKING:
    from accord.scenario.model import Scenario
    from accord.scenario.observations import ObservedMonths


def read_resolutions(path: Path) -> dict[str, tuple[int, int]]:
    """A CSV question,resolution[,resolved_on] → question id → (1 yes / 0 no, its line).

    Every mistake is a UserError at its file, line and column: a question resolved twice (the
    later row would silently win), a resolution other than yes/no, a date that is not one."""
    from accord.bargaining.io import table_rows

    rows, _ = table_rows(path, ("question", "resolution"))
    if not rows:
        raise UserError.at("no resolutions: write one line per question, e.g. q1,yes",
                           file=str(path), line=2)
    out: dict[str, tuple[int, int]] = {}
    for r in rows:
        where = {"file": str(path), "line": r.line}
        question, value = r.cells["question"], r.cells["resolution"].lower()
        if not question:
            raise UserError.at("missing question id", **where, field="question")
        if value not in ("yes", "no"):
            raise UserError.at(f"resolution must be yes or no, not {value!r}", **where,
                               field="resolution")
        if question in out:
            raise UserError.at(f"question '{question}' is resolved twice (first on line "
                               f"{out[question][1]})", **where, field="question")
        _resolved_on(r.cells.get("resolved_on", ""), where)
        out[question] = (int(value == "yes"), r.line)
    return out


def _resolved_on(text: str, where: dict[str, Any]) -> None:
    if text:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise UserError.at(f"write dates as YYYY-MM-DD, e.g. 2024-12-31, not {text!r}",
                               **where, field="resolved_on") from None


@dataclass
class Scored:
    question: str
    probability: float
    outcome: int  # 1 yes, 0 no
    source: str  # scenario or run the forecast came from


@dataclass
class Scores:
    n: int
    brier: float
    log: float
    brier_50: float
    log_50: float
    brier_base_rate: float
    log_base_rate: float
    base_rate: float
    calibration: list[dict[str, float]]
    items: list[Scored]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def score(items: list[Scored]) -> Scores:
    p = np.array([i.probability for i in items], dtype=float)
    y = np.array([i.outcome for i in items], dtype=float)
    rate = float(y.mean())
    half = np.full_like(p, 0.5)
    base = np.full_like(p, rate)
    return Scores(len(items), brier(p, y), log_score(p, y), brier(half, y), log_score(half, y),
                  brier(base, y), log_score(base, y), rate, calibration(p, y), items)


@dataclass(frozen=True)
class BacktestSettings:
    """The resolutions a backtest scores against, question id → 1 yes / 0 no, beside (and
    over) those the scenario's questions carry (`resolution: yes|no`)."""

    resolutions: Mapping[str, int] = field(default_factory=dict)


def scored(source: str, scenario: Scenario, results: Mapping[str, Any],
           resolutions: Mapping[str, int]) -> list[Scored]:
    """The resolved questions of one forecast (a run's `to_dict()`), with their outcomes: the
    scenario's own resolutions, overridden by those given."""
    known = {q.id: int(q.resolution == "yes") for q in scenario.questions if q.resolution}
    known.update(resolutions)
    return [Scored(q["id"], q["probability"], known[q["id"]], source)
            for q in results["forecast"]["questions"] if q["id"] in known]


def backtest(scenario: Scenario, settings: RunSettings,
             what: BacktestSettings = BacktestSettings(), *,
             observed: ObservedMonths | None = None,
             execution: Execution = Execution()) -> Scores:
    """Run the scenario and score its forecast against the resolved questions."""
    from accord.analysis.run import run_scenario

    result = run_scenario(scenario, settings, observed=observed, execution=execution)
    items = scored(scenario.meta.id, scenario, result.to_dict(), what.resolutions)
    if not items:
        raise UserError.at("no resolved question among the forecasts: add `resolution: yes|no` "
                           "to the scenario's questions or pass the resolutions")
    return score(items)
