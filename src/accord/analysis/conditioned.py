"""A run conditioned on observations: the forecast from the new as_of under the posterior.

Monte Carlo: likelihood weighting with the observed events clamped (accord.process.condition),
adding paths (more parameter draws, or more paths of the one draw) until the effective sample
size reaches the paths asked for, and until every question's s.e. is below `--precision` when
one is given. `--exact` solves the conditioned chain at the parameters' central values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.analysis.issues import outcomes_per_draw, solve_issues
from accord.analysis.run import (
    MAX_PATHS,
    RunResult,
    RunSettings,
    draws_and_paths,
    run_draws,
    simulate_ranges,
)
from accord.errors import UserError
from accord.process.condition import (
    WeightedSummary,
    conditioned_forecast,
    parameter_posteriors,
)
from accord.process.montecarlo import Progress, n_blocks
from accord.scenario.draws import central_draws
from accord.scenario.model import Scenario
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


def _impossible() -> UserError:
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


def run_conditioned(scenario: Scenario, settings: RunSettings, om: ObservedMonths,
                    progress: Progress | None = None, with_issues: bool = True,
                    workers: int = 1, cluster: str | None = None,
                    size: tuple[int, int] | None = None) -> RunResult:
    """Monte Carlo rounds of M × K conditioned paths, grown until the ESS reaches the paths
    asked for; each round's blocks split over `workers` processes or a Dask cluster as
    `run_scenario` splits them, and merged. `size` (M, K): one round of exactly that many,
    so that two runs share their draws and dice (a paired comparison)."""
    h = scenario.meta.horizon
    if om.months >= h:
        raise UserError.at(f"the observations cover all {h} months of the scenario: nothing is "
                           "left to forecast", field="observed")
    central = central_draws(scenario)
    base = {"as_of": om.as_of.isoformat(), "start": om.start.isoformat(),
            "months": om.months, "hash": om.hash, "events": sorted(om.observed_events),
            "marks": marks(scenario, om), "canonical": om.canonical}
    if settings.exact:
        from accord.process.exact import StateSpaceTooLarge, exact_forecast

        try:
            fc = exact_forecast(scenario, central, issue_outcomes=outcomes_per_draw(
                scenario, central), observed=om)
        except StateSpaceTooLarge as exc:
            raise UserError.at(f"{exc}; use Monte Carlo instead", field="exact") from None
        except ZeroDivisionError:
            raise _impossible() from None
        issues = solve_issues(scenario, central, None) if with_issues else []
        return RunResult(shifted(scenario, om), settings, fc, issues,
                         notes=["exact solution at the parameters' central values, "
                                f"conditioned on the observations to {om.start}"],
                         observed={**base, "effective_paths": None, "parameters": []})
    m, k = size or draws_and_paths(scenario, settings)
    target = settings.paths
    notes: list[str] = []
    summ: WeightedSummary | None = None
    for _ in range(MAX_ROUNDS):
        draws = run_draws(scenario, settings, m)
        outcomes = outcomes_per_draw(scenario, draws)
        summ = simulate_ranges(scenario, draws, k, settings.seed, outcomes,
                                [(0, n_blocks(m * k))], progress, workers, cluster, om)[0]
        if not summ.wsum.sum() > 0:
            raise _impossible()
        fc, _ = conditioned_forecast(scenario, summ, om)
        ess = summ.ess
        worst = max((q.stderr for q in fc.questions), default=0.0)
        grow = 1.0
        if ess < 0.95 * target:
            grow = target / max(ess, 1.0)
        if settings.precision is not None and worst > settings.precision:
            grow = max(grow, (worst / settings.precision) ** 2)
        if grow <= 1.0 or size is not None:
            break
        if m * k >= MAX_PATHS:
            notes.append(f"stopped at {MAX_PATHS:,} paths, effective {ess:,.0f}")
            break
        grow = min(grow * 1.1, 50.0)
        if m > 1:
            m = max(m + 1, min(int(np.ceil(m * grow)), MAX_PATHS // k))
        else:
            k = max(k + 1, min(int(np.ceil(k * grow)), MAX_PATHS))
    assert summ is not None
    notes.append(f"conditioned on the observations to {om.start}: {m * k:,} paths "
                 f"({m} draws × {k}), worth {summ.ess:,.0f} unweighted paths (effective sample "
                 f"size); parameter draws' ESS {summ.draw_ess:,.0f} of {m}")
    if summ.ess < 0.01 * m * k:
        notes.append(_few_paths(om, summ.ess, m * k))
    posts = parameter_posteriors(scenario, draws, summ, om)
    issues = solve_issues(scenario, central, draws) if with_issues else []
    observed: dict[str, Any] = {
        **base, "effective_paths": summ.ess, "paths": m * k,
        "draw_effective": summ.draw_ess, "draws": m,
        "parameters": [p.to_dict() for p in posts],
    }
    res = RunResult(shifted(scenario, om), settings, fc, issues, notes, None, summ, observed)
    res.posteriors = posts  # type: ignore[attr-defined]
    return res
