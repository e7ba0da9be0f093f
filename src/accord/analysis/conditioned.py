"""A run conditioned on observations: the forecast from the new as_of under the posterior.

Monte Carlo: likelihood weighting with the observed events clamped (accord.process.condition),
adding paths (more parameter draws, or more paths of the one draw) until the effective sample
size reaches the paths asked for, and until every question's s.e. is below `--precision` when
one is given. (`--exact` solves the conditioned chain instead: accord.analysis.engines.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.analysis.issues import solve_issues
from accord.analysis.recipe import (
    Execution,
    PathSpec,
    RunResult,
    draws_and_paths,
    growing,
    simulate_ranges,
)
from accord.errors import UserError
from accord.process.forecast import Forecast
from accord.process.montecarlo import n_blocks
from accord.scenario.draws import Draws, central_draws
from accord.scenario.model import Scenario

if TYPE_CHECKING:  # the weighting of paths is imported by a conditioned run alone
    from accord.analysis.recipe import RunSettings
    from accord.process.condition import WeightedSummary
    from accord.scenario.observations import ObservedMonths

MAX_ROUNDS = 8


def shifted(scenario: Scenario, om: ObservedMonths) -> Scenario:
    """The scenario as seen from the end of the observed months (what reports show)."""
    meta = scenario.meta.model_copy(update={"as_of": om.start,
                                            "horizon": scenario.meta.horizon - om.months})
    return scenario.model_copy(update={"meta": meta})


def marks(scenario: Scenario, om: ObservedMonths) -> list[dict[str, str]]:
    """What charts mark: each observed occurrence with its month, and each event observed not
    to have happened by the observations' as_of."""
    ids = scenario.event_ids
    out = []
    for t in sorted(om.fire):
        y, m = divmod(scenario.month_index(t), 12)
        out += [{"event": ids[r], "kind": "occurred", "date": f"{y:04d}-{m + 1:02d}"}
                for r in sorted(om.fire[t])]
    quiet = sorted({r for rows in om.quiet.values() for r in rows} - {
        r for rows in om.fire.values() for r in rows})
    out += [{"event": ids[r], "kind": "not_by", "date": om.as_of.isoformat()} for r in quiet]
    return out


def impossible() -> UserError:
    """The error for observations no path (or state) is consistent with."""
    return UserError.at(
        "no simulated path is consistent with the observations: they are impossible under "
        "the scenario (an `on:` whose `when` cannot hold then, a count that cannot be "
        "reached), or too unlikely for the paths run (try more --paths)", field="observed")


def _few_paths(om: ObservedMonths, ess: float, n: int) -> str:
    """The warning for weights that leave under 1% of the paths, naming the observations."""
    named = [x.label for x in om.signs] or sorted(om.observed_events)
    return (f"warning: the observations leave {ess:,.0f} effective paths of {n:,} (under 1%): "
            f"the forecast rests on few paths; check {', '.join(named)} (a likelihood ratio "
            "far from 1 on an unlikely event, or observations the scenario finds improbable)")


def observed_record(scenario: Scenario, om: ObservedMonths) -> dict[str, Any]:
    """What a conditioned run records of its observations, whichever engine ran it."""
    return {"as_of": om.as_of.isoformat(), "start": om.start.isoformat(),
            "months": om.months, "hash": om.hash, "events": sorted(om.observed_events),
            "marks": marks(scenario, om), "canonical": om.canonical}


def check_left(scenario: Scenario, om: ObservedMonths) -> None:
    """Observations must leave months to forecast."""
    h = scenario.meta.horizon
    if om.months >= h:
        raise UserError.at(f"the observations cover all {h} months of the scenario: nothing is "
                           "left to forecast", field="observed")


@dataclass
class _Round:
    """A conditioned round's outcome: its size, draws, weighted sums and forecast."""

    m: int
    k: int
    draws: Draws
    summ: WeightedSummary
    forecast: Forecast


def _growth(r: _Round, target: int, precision: float | None) -> float:
    """How many times the paths the next round needs (≤ 1: none): the ESS must reach the
    paths asked for, and every question's s.e. the precision."""
    grow = 1.0
    if r.summ.ess < 0.95 * target:
        grow = target / max(r.summ.ess, 1.0)
    worst = max((q.stderr for q in r.forecast.questions), default=0.0)
    if precision is not None and worst > precision:
        grow = max(grow, (worst / precision) ** 2)
    return grow


def _rounds(scenario: Scenario, settings: RunSettings, om: ObservedMonths, size: tuple[int, int],
            fixed: bool, execution: Execution) -> tuple[_Round, list[str]]:
    """Rounds of M × K conditioned paths, grown until the ESS and the precision are reached
    (one round when the size is `fixed`): (the last round, notes)."""
    from accord.process.condition import conditioned_forecast

    def attempt(m: int, k: int) -> tuple[_Round, float, str]:
        spec = PathSpec.sized(scenario, settings, (m, k), om)
        summ = simulate_ranges(spec, [(0, n_blocks(m * k))], execution)[0]
        if not summ.wsum.sum() > 0:
            raise impossible()
        r = _Round(m, k, spec.draws, summ, conditioned_forecast(scenario, summ, om)[0])
        grow = _growth(r, settings.paths, settings.precision)
        factor = 0.0 if grow <= 1.0 or fixed else min(grow * 1.1, 50.0)
        return r, factor, f", effective {summ.ess:,.0f}"

    r, _, notes = growing(size, attempt, MAX_ROUNDS)
    return r, notes


def run_conditioned(scenario: Scenario, settings: RunSettings, om: ObservedMonths, *,
                    execution: Execution = Execution(), with_issues: bool = True,
                    size: tuple[int, int] | None = None) -> RunResult:
    """Monte Carlo rounds of M × K conditioned paths, grown until the ESS reaches the paths
    asked for; each round's blocks split over `workers` processes or a Dask cluster as
    `run_scenario` splits them, and merged. `size` (M, K): one round of exactly that many,
    so that two runs share their draws and dice (a paired comparison)."""
    check_left(scenario, om)
    r, notes = _rounds(scenario, settings, om, size or draws_and_paths(scenario, settings),
                       size is not None, execution)
    m, k, summ = r.m, r.k, r.summ
    notes.append(f"conditioned on the observations to {om.start}: {m * k:,} paths "
                 f"({m} draws × {k}), worth {summ.ess:,.0f} unweighted paths (effective sample "
                 f"size); parameter draws' ESS {summ.draw_ess:,.0f} of {m}")
    if summ.ess < 0.01 * m * k:
        notes.append(_few_paths(om, summ.ess, m * k))
    from accord.process.condition import parameter_posteriors

    posts = parameter_posteriors(scenario, r.draws, summ, om)
    issues = solve_issues(scenario, central_draws(scenario), r.draws) if with_issues else []
    observed: dict[str, Any] = {
        **observed_record(scenario, om), "effective_paths": summ.ess, "paths": m * k,
        "draw_effective": summ.draw_ess, "draws": m,
        "parameters": [p.to_dict() for p in posts],
    }
    return RunResult(shifted(scenario, om), settings, r.forecast, issues, notes, None, summ,
                     observed, posteriors=posts)
