"""Variants of one scenario: every parameter at its central value except a chosen few.

All variants run the same paths on the same seed (common random numbers), so differences
between variants are differences of the parameters, not of the dice. This is what sensitivity
analysis, tornado plots and sweeps evaluate, serially, on a process pool or on Dask.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.issues import outcomes_per_draw, referenced_issues
from accord.errors import UserError
from accord.process.deadline import Deadline
from accord.process.forecast import question_deadline
from accord.process.montecarlo import variant_chunks
from accord.scenario.draws import central_draws
from accord.scenario.model import Question, Scenario
from accord.scenario.params import Param


@dataclass(frozen=True)
class Target:
    """What a variant is scored on: P(event occurred by the deadline)."""

    id: str
    event: str
    at: Deadline


def chosen_questions(scenario: Scenario, question: str | None = None,
                     field: str = "question") -> list[Question]:
    """The scenario's questions, or the one named (a UserError at `field` naming the known
    ones otherwise); a UserError if there is none to analyse."""
    qs = scenario.questions
    if question is not None:
        qs = [q for q in qs if q.id == question]
        if not qs:
            known = ", ".join(q.id for q in scenario.questions) or "none"
            raise UserError.at(f"unknown question '{question}' (questions: {known})",
                               field=field)
    if not qs:
        raise UserError.at("the scenario has no questions to analyse", field="questions")
    return qs


def targets(scenario: Scenario, question: str | None = None) -> list[Target]:
    """The scenario's questions (or one of them) as targets."""
    return [Target(q.id, q.event, question_deadline(scenario, q.by))
            for q in chosen_questions(scenario, question)]


def uncertain_parameters(
    scenario: Scenario, patterns: Sequence[str] = (), relevant_only: bool = True
) -> dict[str, tuple[str, Param]]:
    """id-based name → (field path, parameter) for every parameter with a distribution.

    relevant_only: positions, saliences and capabilities matter to the events only through
    `issue.X` conditions; when no condition reads an issue they are left out (their indices
    would be exactly zero, at full cost), as are indicators' ratios (they weigh signs only).
    patterns: shell-style filters on the names.
    """
    names = scenario.parameter_names()
    read = referenced_issues(scenario)
    out = {}
    for path, p in scenario.parameters():
        name = names[path]
        if p.is_point:
            continue
        if relevant_only and name.startswith("issues.") and name.split(".")[1] not in read:
            continue
        if relevant_only and name.startswith("actors.") and not read:
            continue
        if relevant_only and name.startswith("indicators."):  # they weigh observed signs only
            continue
        if patterns and not any(fnmatch.fnmatchcase(name, pat) for pat in patterns):
            continue
        out[name] = (path, p)
    return out


def resolve_names(scenario: Scenario, wanted: Sequence[str], where: str) -> dict[str, str]:
    """User-written parameter names (id-based names or field paths) → field paths."""
    names = scenario.parameter_names()
    by_name = {v: k for k, v in names.items()}
    out = {}
    for w in wanted:
        if w in by_name:
            out[w] = by_name[w]
        elif w in names:
            out[w] = w
        else:
            close = [n for n in by_name if w.split(".")[-1] in n][:5]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError.at(f"unknown parameter '{w}'{hint}", field=where)
    return out


def goal_columns(scenario: Scenario, goals: Sequence[Target]) -> list[int]:
    """Each goal's event as a column of the simulation's (paths, events) arrays."""
    ids = scenario.event_ids
    return [ids.index(g.event) for g in goals]


def goal_hits(chunks: Iterable[tuple[int, int, np.ndarray]], n_variants: int,
              cols: list[int], goals: Sequence[Target]) -> np.ndarray:
    """Per variant, goal and step its deadline reads (at most two), the paths on which the
    goal's event occurred by that step, from (first variant, stop, first_step variant-major)
    chunks: only the counts are kept. `goal_probabilities` reads them at the deadlines."""
    hits = np.zeros((n_variants, len(goals), 2), np.int64)
    for a, b, first in chunks:
        f = first[:, cols].reshape(b - a, -1, len(goals))
        for j, g in enumerate(goals):
            for r, (s, _) in enumerate(g.at.reads):
                hits[a:b, j, r] += np.count_nonzero((f[:, :, j] > 0) & (f[:, :, j] <= s), axis=1)
    return hits


def goal_probabilities(hits: np.ndarray, paths: int, goals: Sequence[Target]) -> np.ndarray:
    """P(goal by its deadline) per variant (variants × goals) from `goal_hits`: each step's
    probability first, then the date rule, as the run's forecast reads its curve."""
    p = hits / paths
    return np.stack([g.at.combine([p[:, j, r] for r in range(len(g.at.reads))])
                     for j, g in enumerate(goals)], axis=1)


def run_probabilities(
    scenario: Scenario, draws: Mapping[str, np.ndarray], paths_per_draw: int, seed: int,
    goals: Sequence[Target], observed: Any = None, issue_outcomes: Any = None,
) -> np.ndarray:
    """P(goal by its step) of one run of M draws × K paths on `seed` (targets,): what
    `run_scenario` forecasts for those draws, bit for bit, because the paths and their dice are
    the run's. observed: conditioned on the observations at these paths (likelihood-weighted;
    the run itself adds paths until its effective size is reached, so it may differ by noise).
    issue_outcomes: the draws' issue outcomes when known (they do not depend on events'
    parameters), else solved here."""
    from accord.process.montecarlo import simulate_summary

    d = {p: np.asarray(v, dtype=float) for p, v in draws.items()}
    issues = outcomes_per_draw(scenario, d) if issue_outcomes is None else issue_outcomes
    cols = goal_columns(scenario, goals)
    if observed is not None:
        from accord.process.condition import conditioned_summary

        w = conditioned_summary(scenario, d, paths_per_draw, seed, observed, issue_outcomes=issues)
        return _read(w.whist, float(w.wsum.sum()), cols, goals)
    summ = simulate_summary(scenario, d, paths_per_draw, seed, issue_outcomes=issues)
    return _read(summ.hist, max(summ.n_paths, 1), cols, goals)


def _read(hist: np.ndarray, total: float, cols: list[int], goals: Sequence[Target]
          ) -> np.ndarray:
    """Each goal read at its deadline from per-draw first-occurrence histograms (draws, events,
    steps 0..H and "never"), summed as the run's forecast sums them (forecast.summarise)."""
    if not total > 0:
        return np.full(len(goals), np.nan)
    h = hist.shape[2] - 2
    return np.array([float(g.at.read(np.cumsum(hist[:, c, : h + 1], axis=1).sum(axis=0) / total))
                     for c, g in zip(cols, goals, strict=True)])


def run_variants_probabilities(
    scenario: Scenario, variants: Sequence[Mapping[str, np.ndarray]], paths_per_draw: int,
    seed: int, goals: Sequence[Target], issue_outcomes: Sequence[Any],
) -> np.ndarray:
    """`run_probabilities` of each variant of a run (variants × targets), every variant on the
    run's dice in one vectorised pass (`montecarlo.run_variant_chunks`): the same numbers, bit
    for bit, for a fraction of the cost. Every variant has the same M draws (or one)."""
    from accord.process.montecarlo import run_variant_chunks

    m = max((np.size(x) for v in variants for x in v.values()), default=1)

    def stack(per_variant: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
        """Each key's values of every variant, one after the other (a single value: M times)."""
        return {key: np.concatenate([np.broadcast_to(np.asarray(v[key], dtype=float)
                                                     .reshape(-1), (m,)) for v in per_variant])
                for key in (per_variant[0] or {})}

    chunks = run_variant_chunks(scenario, stack(variants), len(variants), paths_per_draw, seed,
                                stack(issue_outcomes))
    hits = goal_hits(chunks, len(variants), goal_columns(scenario, goals), goals)
    return goal_probabilities(hits, m * paths_per_draw, goals)


def evaluate(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    paths: int,
    seed: int,
    goals: Sequence[Target],
    observed: Any = None,
) -> np.ndarray:
    """Probabilities (variants × targets); `values` maps field paths to one value per variant.

    observed (`ObservedMonths`): each variant's probabilities conditioned on the observations
    (its K paths likelihood-weighted, `accord.process.condition`); variants then run as the
    draws of one conditioned run, not on common random numbers.

    All variants in one vectorised run on common random numbers (`simulate_variants`, a chunk
    at a time: memory does not grow with variants × paths): variant v's result equals
    `simulate` of its draw alone on `paths` paths and `seed`, bit for bit, so it does not
    depend on how a sweep splits the variants into tasks.
    """
    sizes = {len(v) for v in values.values()}
    if len(sizes) > 1:
        raise ValueError("every parameter needs one value per variant")
    n_var = sizes.pop() if sizes else 1
    draws = {p: np.repeat(np.asarray(x, dtype=float).reshape(-1)[:1], n_var)
             for p, x in central_draws(scenario).items()}
    for p, x in values.items():
        draws[p] = np.asarray(x, dtype=float).reshape(-1)
    issues = outcomes_per_draw(scenario, draws)
    cols = goal_columns(scenario, goals)
    if observed is not None:
        from accord.process.condition import conditioned_summary

        summ = conditioned_summary(scenario, draws, paths, seed, observed, issue_outcomes=issues)
        cum = np.cumsum(summ.whist[:, cols, :], axis=2)  # (variants, goals, steps)
        hit = np.stack([g.at.read(cum[:, j, :]) for j, g in enumerate(goals)], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(summ.wsum[:, None] > 0, hit / summ.wsum[:, None], np.nan)
    # chunk by chunk (whole variants, or block ranges of one): only hit counts are kept
    chunks = variant_chunks(scenario, draws, paths, seed, issue_outcomes=issues)
    return goal_probabilities(goal_hits(chunks, n_var, cols, goals), paths, goals)
