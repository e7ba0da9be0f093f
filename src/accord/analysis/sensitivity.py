"""Sensitivity of question probabilities to the uncertain parameters.

- tornado: one at a time, each parameter at its low and high (uniform/triangular: the bounds;
  other distributions: the 5% and 95% quantiles) while every other parameter keeps the run's
  draws. A bar is E[P | θ_i = low] and E[P | θ_i = high]: what the forecast would be if we
  learnt θ_i, with the rest as uncertain as before. Its base is the run itself, so it equals
  `accord run`'s probability at the same seed and paths, bit for bit; fixing the others at
  their central values instead would answer for a scenario nobody forecasts (P at the central
  values is not the forecast when P is nonlinear in the parameters).
- Sobol (SALib, Saltelli/Sobol' sampling, first-order and total indices with confidence
  intervals) and Morris (SALib elementary effects): parameters are sampled in quantile space,
  u ∈ [0, 1], and mapped through each distribution's quantile function, so every distribution
  shape is respected. Their base is the same run as the tornado's; the design's own mean (its
  points, `paths` each) is kept beside it as `design_mean`.
All variants share one seed: common random numbers throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from accord.analysis.executors import chunked, run_chunks
from accord.analysis.issues import outcomes_per_draw
from accord.analysis.recipe import Execution, RunSettings, draws_and_paths, run_draws
from accord.analysis.variants import (
    Target,
    evaluate,
    run_probabilities,
    run_variants_probabilities,
    uncertain_parameters,
)
from accord.errors import UserError
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths
from accord.scenario.params import Param

Model = Callable[[np.ndarray], np.ndarray]  # X (samples × params) → Y (samples × targets)
CHUNK = 64  # variants per task


METHODS = ("tornado", "sobol", "morris")


@dataclass(frozen=True)
class TornadoSettings:
    """What a tornado answers: its targets (`variants.targets`) and the parameters it varies
    (those matching `patterns`, all uncertain ones when empty)."""

    goals: Sequence[Target]
    patterns: Sequence[str] = ()


@dataclass(frozen=True)
class SensitivitySettings:
    """What a sensitivity analysis answers, and how: `method` tornado, sobol or morris; `n`
    Sobol's base samples N or Morris's trajectories (unused by tornado)."""

    goals: Sequence[Target]
    method: str = "tornado"
    n: int = 64
    patterns: Sequence[str] = ()

    def tornado(self) -> TornadoSettings:
        return TornadoSettings(self.goals, self.patterns)


def low_high(p: Param) -> tuple[float, float]:
    if p.dist in ("uniform", "triangular"):
        return float(p.low), float(p.high)  # type: ignore[arg-type]
    lo, hi = p.ppf(np.array([0.05, 0.95]))
    return float(lo), float(hi)


@dataclass
class SensitivityRow:
    parameter: str
    values: dict[str, float] = field(default_factory=dict)  # index name → value


@dataclass
class SensitivityResult:
    method: str
    targets: list[str]
    base: dict[str, float]  # target → the run's probability (same seed and paths)
    rows: dict[str, list[SensitivityRow]]  # target → rows, most influential first
    samples: int
    paths: int
    seed: int
    draws: int | None = None  # M of the base run (M draws × paths // M paths each)
    design_mean: dict[str, float] | None = None  # Sobol/Morris: the mean over the design

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SensitivityResult:
        """A stored result (`to_dict`, as JSON); those stored before `draws` existed have
        their base at the central values (tornado) or the design mean."""
        return cls(d["method"], d["targets"], d["base"],
                   {t: [SensitivityRow(**r) for r in rows] for t, rows in d["rows"].items()},
                   d["samples"], d["paths"], d["seed"], d.get("draws"), d.get("design_mean"))


def evaluate_chunk(
    scenario: Scenario, paths: list[str], X: np.ndarray, n_paths: int, seed: int,
    goals: Sequence[Target], observed: ObservedMonths | None = None,
) -> np.ndarray:
    return evaluate(scenario, {p: X[:, k] for k, p in enumerate(paths)}, n_paths, seed, goals,
                    observed=observed)


def scenario_model(
    scenario: Scenario, settings: RunSettings, field_paths: list[str], goals: Sequence[Target],
    *, observed: ObservedMonths | None = None, execution: Execution = Execution(),
) -> Model:
    """X (values, samples × params) → Y (probabilities, samples × targets), each row a run of
    settings.paths paths on settings.seed; with `observed`, conditioned on the observations."""
    paths, seed = settings.paths, settings.seed

    def model(X: np.ndarray) -> np.ndarray:
        args = [(scenario, field_paths, X[a:b], paths, seed, goals, observed)
                for a, b in chunked(len(X), CHUNK)]
        parts = run_chunks(evaluate_chunk, args, workers=execution.workers,
                           cluster=execution.cluster, progress=execution.progress)
        return np.vstack(parts) if parts else np.empty((0, len(goals)))

    return model


def _params(
    scenario: Scenario, patterns: Sequence[str] = ()
) -> tuple[list[str], list[str], list[Param]]:
    unc = uncertain_parameters(scenario, patterns)
    if not unc:
        raise UserError.at("no uncertain parameter (with a distribution) bears on the questions"
                           + (f" among {', '.join(patterns)}" if patterns else ""),
                           field="parameters" if patterns else None)
    names = list(unc)
    return names, [unc[n][0] for n in names], [unc[n][1] for n in names]


def base_run(scenario: Scenario, settings: RunSettings
             ) -> tuple[dict[str, np.ndarray], int, int]:
    """The run an analysis is based on (`accord run` with the same paths, seed and draws):
    its parameter draws, their number M and the paths per draw K."""
    m, k = draws_and_paths(scenario, settings)
    return run_draws(scenario, settings, m), m, k


TORNADO_CHUNK = 16  # variants per task: they share the run's uniforms


def _tornado_chunk(
    scenario: Scenario, variants: list[tuple[dict[str, np.ndarray], str | None]], k: int,
    seed: int, goals: Sequence[Target], observed: ObservedMonths | None,
    base_issues: dict[str, np.ndarray],
) -> np.ndarray:
    """P(goals) of some of a tornado's runs (variants × goals); issue outcomes are solved
    again only where the varied parameter is an actor's or an issue's."""
    outs = [base_issues if fp is None or fp.startswith("events") else
            outcomes_per_draw(scenario, d) for d, fp in variants]
    if observed is not None:  # conditioned: each run weighted on its own
        return np.vstack([run_probabilities(scenario, d, k, seed, goals, observed, o)
                          for (d, _), o in zip(variants, outs, strict=True)])
    return run_variants_probabilities(scenario, [d for d, _ in variants], k, seed, goals, outs)


def tornado(
    scenario: Scenario, settings: RunSettings, what: TornadoSettings, *,
    observed: ObservedMonths | None = None, execution: Execution = Execution(),
) -> SensitivityResult:
    """Each parameter at its low and high, the others at the run's draws (2D + 1 runs of
    settings.paths paths on one seed: common random numbers)."""
    settings.check()
    goals, paths, seed = list(what.goals), settings.paths, settings.seed
    names, fpaths, params = _params(scenario, what.patterns)
    base, m, k = base_run(scenario, settings)
    variants = [(base, None)] + [({**base, fp: np.full(m, v)}, fp)
                                 for fp, p in zip(fpaths, params, strict=True)
                                 for v in low_high(p)]
    issues = outcomes_per_draw(scenario, base)  # what an events' parameter leaves unchanged
    args = [(scenario, variants[a:b], k, seed, goals, observed, issues)
            for a, b in chunked(len(variants), TORNADO_CHUNK)]
    Y = np.vstack(run_chunks(_tornado_chunk, args, workers=execution.workers,
                             cluster=execution.cluster, progress=execution.progress))
    rows: dict[str, list[SensitivityRow]] = {}
    for j, g in enumerate(goals):
        rs = []
        for i, (name, p) in enumerate(zip(names, params, strict=True)):
            lo_v, hi_v = low_high(p)
            y_lo, y_hi = Y[1 + 2 * i, j], Y[2 + 2 * i, j]
            rs.append(SensitivityRow(name, {
                "low_value": lo_v, "high_value": hi_v, "p_at_low": float(y_lo),
                "p_at_high": float(y_hi), "swing": float(abs(y_hi - y_lo)),
            }))
        rows[g.id] = sorted(rs, key=lambda r: -r.values["swing"])
    return SensitivityResult("tornado", [g.id for g in goals],
                             {g.id: float(Y[0, j]) for j, g in enumerate(goals)}, rows,
                             len(variants), paths, seed, draws=m)


Indices = tuple[dict[str, list[SensitivityRow]], dict[str, float], int]


def _in_quantile_space(
    names: list[str], ppfs: list[Callable[[np.ndarray], np.ndarray]], model: Model,
    sample: Callable[[dict[str, object]], np.ndarray],
    analyze: Callable[[dict[str, object], np.ndarray, np.ndarray], dict[str, np.ndarray]],
    keys: tuple[str, ...], target_names: list[str],
) -> Indices:
    """Sample u ∈ [0, 1]^D with SALib, map through the quantile functions, run, analyse.

    Rows come sorted by the first of `keys`; base is the mean of each target over the design.
    """
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    U = sample(problem)
    Y = model(np.column_stack([ppf(U[:, k]) for k, ppf in enumerate(ppfs)]))
    rows: dict[str, list[SensitivityRow]] = {}
    for j, t in enumerate(target_names):
        S = analyze(problem, U, Y[:, j])
        rs = [SensitivityRow(nm, {key: float(S[key][k]) for key in keys})
              for k, nm in enumerate(names)]
        rows[t] = sorted(rs, key=lambda r: -r.values[keys[0]])
    return rows, {t: float(Y[:, j].mean()) for j, t in enumerate(target_names)}, len(U)


def sobol_indices(
    names: list[str], ppfs: list[Callable[[np.ndarray], np.ndarray]], model: Model, n: int,
    seed: int, target_names: list[str],
) -> Indices:
    """First-order and total Sobol indices with SALib's confidence intervals (N·(D+2) runs)."""
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    return _in_quantile_space(
        names, ppfs, model,
        lambda pr: sobol_sample.sample(pr, n, calc_second_order=False, seed=seed),
        lambda pr, _u, y: sobol.analyze(pr, y, calc_second_order=False, seed=seed),
        ("ST", "ST_conf", "S1", "S1_conf"), target_names,
    )


def morris_effects(
    names: list[str], ppfs: list[Callable[[np.ndarray], np.ndarray]], model: Model,
    trajectories: int, seed: int, target_names: list[str], levels: int = 4,
) -> Indices:
    """Morris elementary effects (μ*, σ) in quantile units, via SALib."""
    from SALib.analyze import morris
    from SALib.sample import morris as morris_sample

    return _in_quantile_space(
        names, ppfs, model,
        lambda pr: morris_sample.sample(pr, trajectories, num_levels=levels, seed=seed),
        lambda pr, u, y: morris.analyze(pr, u, y, num_levels=levels, seed=seed),
        ("mu_star", "mu_star_conf", "sigma"), target_names,
    )


def sensitivity(
    scenario: Scenario, settings: RunSettings, what: SensitivitySettings, *,
    observed: ObservedMonths | None = None, execution: Execution = Execution(),
) -> SensitivityResult:
    """Tornado, Sobol (N base samples) or Morris (N trajectories) for the scenario's targets,
    each with the run at the same seed, paths and draws as its base."""
    method, n, goals = what.method, what.n, list(what.goals)
    if method == "tornado":
        return tornado(scenario, settings, what.tornado(), observed=observed, execution=execution)
    if method not in METHODS:
        raise UserError.at(f"unknown method '{method}' (sobol, morris, tornado)", field="method")
    settings.check()
    paths, seed = settings.paths, settings.seed
    names, fpaths, params = _params(scenario, what.patterns)
    model = scenario_model(scenario, settings, fpaths, goals, observed=observed,
                           execution=execution)
    ppfs = [p.ppf for p in params]
    tn = [g.id for g in goals]
    if method == "sobol":
        rows, mean, count = sobol_indices(names, ppfs, model, n, seed, tn)
    else:
        rows, mean, count = morris_effects(names, ppfs, model, n, seed, tn)
    draws, m, k = base_run(scenario, settings)
    y = run_probabilities(scenario, draws, k, seed, goals, observed)
    return SensitivityResult(method, tn, {t: float(y[j]) for j, t in enumerate(tn)}, rows,
                             count, paths, seed, draws=m,
                             design_mean=mean)
