"""The one chunk driver of the Monte Carlo engine: which paths go together, in what order.

A run's paths are cut into chunks of whole blocks (`Blocking`); each chunk goes through the
month step (accord.process.step) on its own streams (accord.process.streams). `block_chunks`
drives a run's M × K paths, with observations clamped when a clamp is given (what
accord.process.condition weights paths with); `variant_chunks` and `run_variant_chunks` drive
variants on common random numbers. Every reduction (summaries, weighted summaries, every path,
state snapshots) reads the chunks these yield, so chunking never changes a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from accord.process.settlements import PathTables, Settlements
from accord.process.step import (
    ClampHook,
    MonthHook,
    Param,
    Parts,
    Plan,
    per_path,
    per_variant,
    run_chunk,
)
from accord.process.streams import Streams
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import Scenario

if TYPE_CHECKING:  # a run without observations never imports them
    from accord.scenario.observations import ObservedMonths

Progress = Callable[[int, int], None]
IssueOutcomes = Mapping[str, float | np.ndarray]
ClampFor = Callable[[int], ClampHook]  # chunk width → that chunk's clamp


@dataclass(frozen=True)
class Blocking:
    """Paths per random stream (it decides which uniforms each path sees) and blocks per chunk
    (a memory bound: results never depend on it)."""

    block: int
    chunk_blocks: int

    def n_blocks(self, n_paths: int) -> int:
        return -(-n_paths // self.block)

    @property
    def per_chunk(self) -> int:
        return self.chunk_blocks * self.block


class Recipe(Protocol):
    """What decides a run's paths (accord.analysis.recipe.PathSpec is one)."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def draws(self) -> Draws: ...
    @property
    def paths_per_draw(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def issue_outcomes(self) -> IssueOutcomes | None: ...
    @property
    def observed(self) -> ObservedMonths | None: ...


@dataclass(frozen=True)
class Paths:
    """A `Recipe` from its parts (what the loose-argument functions build)."""

    scenario: Scenario
    draws: Draws
    paths_per_draw: int
    seed: int
    issue_outcomes: IssueOutcomes | None = None
    observed: ObservedMonths | None = None


@dataclass
class Chunked:
    """One chunk's paths: the draw of each, their (first, occurred, count), and the clamp that
    weighted them (None without observations)."""

    draw: np.ndarray
    parts: Parts
    clamp: ClampHook | None


@dataclass
class BlockRun:
    """The chunks of one run of blocks, with the plan they follow."""

    plan: Plan
    n_draws: int
    path_start: int
    chunks: Iterator[Chunked]


def path_tables(settle: Settlements, rows: np.ndarray, plan: Plan) -> PathTables:
    """The table columns of a chunk's paths, `rows` their draws."""
    return PathTables(settle, rows, plan.resets)


def ticker(progress: Progress | None, ci: int, horizon: int, months: int) -> Callable[[int], None]:
    def tick(t: int) -> None:
        if progress is not None:
            progress(ci * horizon + t, months)

    return tick


def path_param(draw_idx: np.ndarray) -> Param:
    """Parameters per path of a one-rep chunk: a scalar, or a (1, width) row."""

    def param(v: np.ndarray) -> float | np.ndarray:
        x = per_path(v, draw_idx)
        return x.reshape(1, -1) if isinstance(x, np.ndarray) else x

    return param


def block_chunks(recipe: Recipe, blocking: Blocking, block_range: tuple[int, int] | None = None,
                 *, progress: Progress | None = None, on_month: MonthHook | None = None,
                 clamp_for: ClampFor | None = None) -> BlockRun:
    """The M × K paths of `recipe` (or the blocks [first, stop) of them), a chunk at a time."""
    k, seed = recipe.paths_per_draw, recipe.seed
    if k < 1:
        raise ValueError("paths_per_draw must be at least 1")
    m = n_draws(recipe.draws) if recipe.draws else 1
    n = m * k
    total = blocking.n_blocks(n)
    b0, b1 = block_range if block_range is not None else (0, total)
    if not 0 <= b0 <= b1 <= total:
        raise ValueError(f"block_range {block_range} outside 0..{total}")
    plan = Plan(recipe.scenario, recipe.draws)
    settle = Settlements(recipe.scenario, recipe.draws, recipe.issue_outcomes)
    step = blocking.chunk_blocks
    spans = [(c, min(c + step, b1)) for c in range(b0, b1, step)]
    months = len(spans) * plan.horizon

    def run() -> Iterator[Chunked]:
        for ci, (cb, ce) in enumerate(spans):
            p0, p1 = cb * blocking.block, min(ce * blocking.block, n)
            draw_idx = np.arange(p0, p1) // k
            streams = Streams(seed, range(cb, ce), n, p0, blocking.block)
            clamp = clamp_for(p1 - p0) if clamp_for is not None else None
            parts = run_chunk(plan, path_param(draw_idx), path_tables(settle, draw_idx, plan),
                              streams, p1 - p0, 1,
                              tick=ticker(progress, ci, plan.horizon, months),
                              on_month=on_month, clamp=clamp)
            yield Chunked(draw_idx, parts, clamp)

    return BlockRun(plan, m, min(b0 * blocking.block, n), run())


def variant_chunks(recipe: Recipe, blocking: Blocking,
                   variant_range: tuple[int, int] | None = None, *,
                   progress: Progress | None = None) -> BlockRun:
    """V variants (the draws of `recipe`) × K paths each on common random numbers: chunks of
    whole variants, or block ranges of one. `Chunked.draw` is each path's variant."""
    k, seed = recipe.paths_per_draw, recipe.seed
    if k < 1:
        raise ValueError("paths_per_variant must be at least 1")
    m = n_draws(recipe.draws) if recipe.draws else 1
    v0, v1 = variant_range if variant_range is not None else (0, m)
    if not 0 <= v0 <= v1 <= m:
        raise ValueError(f"variant_range {variant_range} outside 0..{m}")
    plan = Plan(recipe.scenario, recipe.draws)
    settle = Settlements(recipe.scenario, recipe.draws, recipe.issue_outcomes)
    chunks = _variant_spans(k, blocking, v0, v1)
    months = len(chunks) * plan.horizon

    def run() -> Iterator[Chunked]:
        for ci, (ca, ce, cb, cf) in enumerate(chunks):
            p0, p1 = cb * blocking.block, min(cf * blocking.block, k)
            width, reps = p1 - p0, ce - ca
            draw_idx = np.repeat(np.arange(ca, ce), width)
            streams = Streams(seed, range(cb, cf), k, p0, blocking.block)
            table = path_tables(settle, draw_idx, plan)

            def param(v: np.ndarray, a: int = ca, e: int = ce) -> float | np.ndarray:
                return per_variant(v, a, e)

            parts = run_chunk(plan, param, table, streams, width, reps,
                              tick=ticker(progress, ci, plan.horizon, months))
            yield Chunked(draw_idx, parts, None)

    return BlockRun(plan, m, v0 * k, run())


def _variant_spans(k: int, blocking: Blocking, v0: int, v1: int,
                   ) -> list[tuple[int, int, int, int]]:
    """(first variant, stop, first block, stop) of each chunk of about `per_chunk` paths."""
    kb = blocking.n_blocks(k)
    if k <= blocking.per_chunk:
        step = max(1, blocking.per_chunk // k)
        return [(v, min(v + step, v1), 0, kb) for v in range(v0, v1, step)]
    return [
        (v, v + 1, b, min(b + blocking.chunk_blocks, kb))
        for v in range(v0, v1)
        for b in range(0, kb, blocking.chunk_blocks)
    ]


def grid_param(rows_of: Callable[[np.ndarray], np.ndarray], a: int, b: int,
               idx: np.ndarray) -> Param:
    """Parameters of variants a..b of a run on the draws `idx` of a chunk: a scalar where they
    agree, a (1, width) row where only the draws differ, else the (variants, width) grid."""

    def param(v: np.ndarray) -> float | np.ndarray:
        if v.size == 1:
            return float(v[0])
        rows = rows_of(v)[a:b]
        seg = rows[:, int(idx[0]):int(idx[-1]) + 1]  # idx is non-decreasing
        if bool(np.all(seg == seg.flat[0])):
            return float(seg.flat[0])
        cols = rows[:, idx]
        return cols[:1] if bool(np.all(cols == cols[:1])) else cols

    return param


def run_variant_chunks(recipe: Recipe, n_variants: int, blocking: Blocking,
                       ) -> Iterator[tuple[int, int, np.ndarray]]:
    """V variants of one run, each on the run's own dice (see
    accord.process.montecarlo.run_variant_chunks): (first variant, stop, first_step)."""
    k, draws = recipe.paths_per_draw, recipe.draws
    if k < 1 or n_variants < 1:
        raise ValueError("paths_per_draw and n_variants must be at least 1")
    size = n_draws(draws) if draws else 1
    if size % n_variants:
        raise ValueError(f"{size} draws do not split into {n_variants} variants")
    m = max(1, size // n_variants)
    n = m * k
    plan = Plan(recipe.scenario, draws)

    def per_variant_draw(v: object) -> np.ndarray:  # (variants, M)
        a = np.asarray(v, dtype=float).reshape(-1)
        return np.full((n_variants, m), a[0]) if a.size == 1 else a.reshape(n_variants, m)

    settle = Settlements(recipe.scenario, draws, recipe.issue_outcomes)
    total = blocking.n_blocks(n)
    for cb in range(0, total, blocking.chunk_blocks):
        ce = min(cb + blocking.chunk_blocks, total)
        p0, p1 = cb * blocking.block, min(ce * blocking.block, n)
        width = p1 - p0
        draw_idx = np.arange(p0, p1) // k
        step = max(1, blocking.per_chunk // width)
        for ra in range(0, n_variants, step):
            rb = min(ra + step, n_variants)
            streams = Streams(recipe.seed, range(cb, ce), n, p0, blocking.block)
            rows = (np.arange(ra, rb)[:, None] * m + draw_idx[None, :]).ravel()
            param = grid_param(per_variant_draw, ra, rb, draw_idx)
            first, _, _ = run_chunk(plan, param, path_tables(settle, rows, plan), streams,
                                    width, rb - ra,
                                    tick=lambda _t: None)
            yield ra, rb, first
