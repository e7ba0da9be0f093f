"""Sweeps: many variants of one scenario — a grid of values, or samples from the distributions.

A grid file is YAML mapping parameter names (id-based, as `accord sensitivity` prints them, or
field paths) to lists of values; the sweep runs their Cartesian product. With `samples`, each
variant draws every uncertain parameter from its distribution (scrambled Sobol' points mapped
through the quantile functions). Every variant runs the same paths on the same seed, so the
table is identical serially, on a process pool or on Dask.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.executors import run_split
from accord.analysis.recipe import Execution, RunSettings
from accord.analysis.sensitivity import evaluate_chunk
from accord.analysis.variants import Target, resolve_names, uncertain_parameters
from accord.errors import UserError
from accord.scenario.checks import check_values
from accord.scenario.model import Scenario
from accord.scenario.observations import ObservedMonths
from accord.scenario.yamlio import load_yaml, read_text, to_plain

MAX_VARIANTS = 100_000
# variants per task at most: each task costs ~25 ms of fixed work (a compiled plan, 36 months of
# Python-level steps), ~4 ms a variant at 2,000 paths; tasks are balanced over the workers
CHUNK = 32


@dataclass
class Design:
    names: list[str]  # as the user wrote them
    field_paths: list[str]
    X: np.ndarray  # variants × parameters


def grid_design(scenario: Scenario, grid_file: Path) -> Design:
    name = str(grid_file)
    tree = load_yaml(read_text(grid_file, "grid file"), name)
    if not isinstance(tree, dict) or not tree:
        raise UserError.at("a grid is a YAML mapping of parameter names to lists of values",
                           file=name, line=1)
    grid: dict[str, list[float]] = {}
    paths: dict[str, str] = {}
    for key, values in tree.items():
        where = {"file": name, "line": tree.lc.key(key)[0] + 1, "field": str(key)}
        grid[str(key)] = _grid_values(to_plain(values), where)
        try:
            paths.update(resolve_names(scenario, [str(key)], "grid"))
        except UserError as exc:
            raise UserError.at(exc.problems[0].message, **where) from None
        for msg in check_values(scenario, paths[str(key)], min(grid[str(key)]),
                                max(grid[str(key)])):
            raise UserError.at(msg, **where)
    count = int(np.prod([len(v) for v in grid.values()]))
    if count > MAX_VARIANTS:
        raise UserError.at(f"the grid has {count:,} variants; the limit is {MAX_VARIANTS:,}",
                           file=name)
    X = np.array(list(itertools.product(*grid.values())), dtype=float)
    return Design(list(grid), [paths[k] for k in grid], X)


def _grid_values(values: Any, where: dict[str, Any]) -> list[float]:
    """A grid entry's values: a non-empty list of finite numbers."""
    if not isinstance(values, list) or not values:
        raise UserError.at("needs a non-empty list of values", **where)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise UserError.at("values must be numbers", **where)
    if not all(math.isfinite(v) for v in values):
        raise UserError.at("values must be finite numbers (not .nan, .inf or beyond 1e308)",
                           **where)
    return [float(v) for v in values]


def sample_design(scenario: Scenario, samples: int, seed: int) -> Design:
    from scipy.stats import qmc

    if not 1 <= samples <= MAX_VARIANTS:
        raise UserError.at(f"must be between 1 and {MAX_VARIANTS:,}", field="samples")
    unc = uncertain_parameters(scenario)
    if not unc:
        raise UserError.at("no parameter has a distribution to sample", field="samples")
    names = list(unc)
    with warnings.catch_warnings():  # any N is fine here; powers of 2 are merely best balanced
        warnings.simplefilter("ignore", UserWarning)
        U = qmc.Sobol(len(names), scramble=True, seed=seed).random(samples)
    X = np.column_stack([unc[n][1].ppf(U[:, k]) for k, n in enumerate(names)])
    return Design(names, [unc[n][0] for n in names], X)


@dataclass(frozen=True)
class SweepSettings:
    """What a sweep runs: its variants (`grid_design` or `sample_design`) and the targets each
    is scored on (`variants.targets`)."""

    design: Design
    goals: Sequence[Target]


def run_sweep(
    scenario: Scenario, settings: RunSettings, what: SweepSettings, *,
    observed: ObservedMonths | None = None, execution: Execution = Execution(),
) -> list[dict[str, Any]]:
    """One row per variant: its parameter values and its question probabilities (each a run of
    settings.paths paths on settings.seed; conditioned on `observed` when given)."""
    settings.check()
    design, goals, paths, seed = what.design, list(what.goals), settings.paths, settings.seed
    parts = run_split(
        evaluate_chunk, len(design.X),
        lambda a, b: (scenario, design.field_paths, design.X[a:b], paths, seed, goals, observed),
        max_size=CHUNK, workers=execution.workers, cluster=execution.cluster,
        progress=execution.progress,
    )
    Y = np.vstack(parts) if parts else np.empty((0, len(goals)))
    rows = []
    for v in range(len(design.X)):
        row: dict[str, Any] = {"variant": v}
        row.update({n: float(design.X[v, k]) for k, n in enumerate(design.names)})
        row.update({g.id: float(Y[v, j]) for j, g in enumerate(goals)})
        rows.append(row)
    return rows


def write_table(rows: list[dict[str, Any]], path: Path) -> Path:
    import pandas as pd

    df = pd.DataFrame(rows)
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    elif path.suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        raise UserError.at("the table's file name must end in .csv or .parquet", field="out")
    return path
