"""Monte Carlo of the event process: all paths at once, NumPy-vectorised, reproducible by seed.

Time runs in steps t = 1..H (H = meta.horizon); step 1 is the month starting at as_of. Within a
month every condition reads the state at the START of the month, so the order of events in the
file never matters and an event enabled by another fires at the earliest the month after.

Per event and path the state holds: occurred, step of the latest occurrence (0 = never), count
(repeatables), step of the first occurrence (never reset: the forecast counts it), cancelled, and
chance-resolved. In month t:

- hazard h: if `when` holds and it has neither occurred nor been cancelled, it fires with
  probability min(1, h × Π multiply of the modifiers whose `if` holds).
- chance p: the first month `when` holds (not cancelled, occurred or resolved) it resolves: fires
  with probability p, otherwise is resolved "no" and never fires (until reset).
- scheduled D: occurs in the first step whose calendar month is ≥ D's month and where `when`
  holds (not cancelled or occurred). Steps before as_of's month do not exist.
- repeatable r: like a hazard (with modifiers) but fires every month with probability r while
  `when` holds and it is not cancelled; count += 1; occurred = count ≥ 1.
- effects, applied after all firings of the month (so order independent): first `resets` set
  their targets back to not-occurred (occurred, count, latest step, resolved and cancelled all
  cleared), even if the target fired this month; then `cancels` stop their targets from firing
  from next month on (a target that fired the same month stays occurred). A target both reset
  and cancelled in the same month ends not-occurred and cancelled.

Parameters come only from a draws dict (path → M values, see accord.scenario.draws): path p uses
draw p // K for N = M × K paths. Reproducibility: paths are split in blocks of BLOCK paths; block b
draws its uniforms from its own generator, `SeedSequence(seed, spawn_key=(b,))` — the b-th child
of `SeedSequence(seed).spawn(...)`. The uniforms' layout in that stream is fixed: each month,
block b (s paths) takes S stochastic events (all but the scheduled ones, in file order) ×
⌈s/2⌉ 64-bit words of raw output, event j's row being the 32-bit halves of its ⌈s/2⌉ words
(little-endian), and a path fires where its 32-bit integer u < p·2^32. Rows of events enabled
nowhere in the chunk are skipped with `PCG64.advance` instead of drawn, which changes nothing
but the cost. So the uniform of (path, event, month) depends on the seed, the block and the
block's size alone: same seed, same answer whatever the chunking, block ranges, number of
workers — or parameter values. Large N is processed in chunks of CHUNK_BLOCKS blocks to bound
memory. `simulate_summary` reduces each chunk, as it is simulated, to an additive
`accord.process.summary.Summary` (per-draw histograms, counts, order counts) and merges them:
what forecasts use, in memory that does not grow with N; block ranges may run anywhere (a pool,
Dask) and their summaries merge to the same result. `simulate` keeps every path (tests, and
`chunks_of` for a paired comparison a chunk at a time); `Simulation.concat` joins the results
of block ranges. Each takes the run's recipe as one value (`Recipe`: accord.analysis's
`PathSpec`, or `Paths` built from its parts); `simulate` and `simulate_summary` build it from
loose arguments.

Common random numbers over variants (`simulate_variants`): V variants (one draw each) × K paths,
where variant v's paths see exactly the uniforms that `simulate(scenario, {draw v only}, K,
seed)` sees, so the result equals that loop bit for bit, however the variants are split. The
K-path uniforms are drawn once per chunk-month and broadcast over the chunk's variants.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from accord.process.compile import State
from accord.process.driver import (
    Blocking,
    BlockRun,
    IssueOutcomes,
    Paths,
    Progress,
    Recipe,
    block_chunks,
)
from accord.process.driver import run_variant_chunks as drive_run_variants
from accord.process.driver import variant_chunks as drive_variants
from accord.process.step import MonthHook, Plan
from accord.process.summary import RunShape, Summary
from accord.scenario.draws import Draws
from accord.scenario.model import Scenario

BLOCK = 8192  # paths per random stream: fixed, it defines which uniforms each path sees
CHUNK_BLOCKS = 15  # blocks processed together (memory bound); results never depend on it
# (15 × 8192 paths: a chunk's bool rows stay under 128 KiB, glibc's mmap threshold, so they come
# from the heap even where MALLOC_TRIM_THRESHOLD_ pins it, as in Dask workers)

Range = tuple[int, int]
__all__ = ["BLOCK", "CHUNK_BLOCKS", "IssueOutcomes", "MonthHook", "Paths", "Progress", "Recipe",
           "Simulation", "blocking", "chunks_of", "n_blocks", "paths_of", "run_variant_chunks",
           "simulate", "simulate_summary", "simulate_variants", "snapshot_keeper",
           "snapshots_of", "summary_of", "variant_chunks"]


def blocking() -> Blocking:
    """The block and chunk sizes in force (read at each call: tests shrink them)."""
    return Blocking(BLOCK, CHUNK_BLOCKS)


@dataclass
class Simulation(RunShape):
    """Raw per-path results of a block range; concatenate ranges with `Simulation.concat`."""

    path_start: int
    first_step: np.ndarray  # (paths, events) int16: step of the first occurrence, 0 = never
    occurred: np.ndarray  # (paths, events) bool: occurred at the horizon (after any reset)
    count: np.ndarray  # (paths, repeatables) int32: count at the horizon
    crn: bool = False  # from simulate_variants: every draw's paths share the same uniforms

    @property
    def n_paths(self) -> int:
        return int(self.first_step.shape[0])

    @property
    def draw(self) -> np.ndarray:
        """The parameter draw of each path."""
        return (self.path_start + np.arange(self.n_paths)) // self.paths_per_draw

    @classmethod
    def concat(cls, parts: list[Simulation]) -> Simulation:
        """Join simulations of consecutive block ranges (in any order) into one."""
        if not parts:
            raise ValueError("nothing to concatenate")
        parts = sorted(parts, key=lambda s: s.path_start)
        head = parts[0]
        pos = head.path_start
        for p in parts:
            same = (p.event_ids, p.horizon, p.n_draws, p.paths_per_draw, p.seed, p.crn) == (
                head.event_ids,
                head.horizon,
                head.n_draws,
                head.paths_per_draw,
                head.seed,
                head.crn,
            )
            if not same or p.path_start != pos:
                raise ValueError("simulations are not consecutive ranges of the same run")
            pos += p.n_paths
        return cls(
            event_ids=head.event_ids,
            kinds=head.kinds,
            repeatable_ids=head.repeatable_ids,
            horizon=head.horizon,
            n_draws=head.n_draws,
            paths_per_draw=head.paths_per_draw,
            seed=head.seed,
            path_start=head.path_start,
            first_step=np.concatenate([p.first_step for p in parts]),
            occurred=np.concatenate([p.occurred for p in parts]),
            count=np.concatenate([p.count for p in parts]),
            crn=head.crn,
        )



def n_blocks(n_paths: int) -> int:
    return blocking().n_blocks(n_paths)


def _result(run: BlockRun, k: int, seed: int, crn: bool) -> Simulation:
    """Every path of a driven run, concatenated."""
    plan: Plan = run.plan
    parts = [c.parts for c in run.chunks]
    n_ev = len(plan.ids)
    if parts:
        first, occ, cnt = (np.concatenate([p[i] for p in parts]) for i in range(3))
    else:
        first, occ = np.zeros((0, n_ev), np.int16), np.zeros((0, n_ev), bool)
        cnt = np.zeros((0, len(plan.rep_rows)), np.int32)
    return Simulation(
        event_ids=plan.ids, kinds=plan.kinds, repeatable_ids=[plan.ids[i] for i in plan.rep_rows],
        horizon=plan.horizon, n_draws=run.n_draws, paths_per_draw=k, seed=seed,
        path_start=run.path_start, first_step=first, occurred=occ, count=cnt, crn=crn,
    )


def paths_of(recipe: Recipe, block_range: Range | None = None,
             progress: Progress | None = None) -> Simulation:
    """Every path of the recipe's M × K (or of its blocks `block_range` = (first, stop)).

    progress(done_months, total_months) is called after each simulated month of each chunk.
    Forecasts need only `summary_of`, whose memory does not grow with the paths."""
    run = block_chunks(recipe, blocking(), block_range, progress=progress)
    return _result(run, recipe.paths_per_draw, recipe.seed, crn=False)


def summary_of(recipe: Recipe, block_range: Range | None = None,
               progress: Progress | None = None) -> Summary:
    """`paths_of`, each chunk reduced to its additive `Summary` as it is simulated and merged:
    memory O(draws × events × months), and the same forecast as the paths give."""
    run = block_chunks(recipe, blocking(), block_range, progress=progress)
    plan = run.plan
    out = Summary.empty(plan.ids, plan.kinds, [plan.ids[i] for i in plan.rep_rows],
                        plan.horizon, run.n_draws, recipe.paths_per_draw, recipe.seed)
    for c in run.chunks:
        out.add_paths(c.parts[0], c.parts[2], c.draw)
    return out


def chunks_of(recipe: Recipe, progress: Progress | None = None,
              block_range: Range | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`paths_of` a chunk at a time: (draw of each path, first_step (paths, events)), for
    reductions that need paths but not all of them at once (paired comparison, watch)."""
    for c in block_chunks(recipe, blocking(), block_range, progress=progress).chunks:
        yield c.draw, c.parts[0]


def snapshot_keeper(steps: Iterable[int]) -> tuple[MonthHook, dict[int, State]]:
    """An on_month hook keeping a copy of the state at the end of each of `steps`, and the dict
    it keeps them in (to read, then clear, after each chunk)."""
    wanted = set(steps)
    kept: dict[int, State] = {}

    def keep(t: int, st: State) -> None:
        if t in wanted:
            kept[t] = State(occ=st.occ.copy(), canc=st.canc.copy(), res=st.res.copy(),
                            count=st.count.copy(), last=st.last.copy(), first=st.first.copy(),
                            issues=st.issues)

    return keep, kept


def snapshots_of(recipe: Recipe, steps: Iterable[int],
                 ) -> Iterator[tuple[np.ndarray, dict[int, State]]]:
    """The recipe's paths a chunk at a time: (draw of each path, step → a copy of the whole
    state at the end of that step), for analyses that read more than first occurrences
    (accord.analysis.explain). Same seed, same paths as `paths_of`."""
    keep, kept = snapshot_keeper(steps)
    for c in block_chunks(recipe, blocking(), on_month=keep).chunks:
        yield c.draw, dict(kept)
        kept.clear()


def simulate(scenario: Scenario, draws: Draws, paths_per_draw: int, seed: int,
             issue_outcomes: IssueOutcomes | None = None, block_range: Range | None = None,
             progress: Progress | None = None) -> Simulation:
    """`paths_of` the recipe of these parts: M × K paths (issue_outcomes: issue id → one
    number per draw, or one for all, that `issue.X` reads)."""
    return paths_of(Paths(scenario, draws, paths_per_draw, seed, issue_outcomes), block_range,
                    progress)


def simulate_summary(scenario: Scenario, draws: Draws, paths_per_draw: int, seed: int,
                     issue_outcomes: IssueOutcomes | None = None,
                     block_range: Range | None = None,
                     progress: Progress | None = None) -> Summary:
    """`summary_of` the recipe of these parts."""
    return summary_of(Paths(scenario, draws, paths_per_draw, seed, issue_outcomes), block_range,
                      progress)


def simulate_variants(scenario: Scenario, draws: Draws, paths_per_variant: int, seed: int,
                      issue_outcomes: IssueOutcomes | None = None,
                      variant_range: Range | None = None,
                      progress: Progress | None = None) -> Simulation:
    """V variants (the V draws of `draws`) × K paths each, on common random numbers.

    Variant v's K paths (rows v·K .. v·K + K − 1 of the result, `Simulation.draw` = v) equal,
    bit for bit, those of `simulate(scenario, {each parameter's v-th value}, K, seed)`, with
    issue_outcomes' v-th values. `variant_range` = (first, stop) simulates only those variants
    (rows start at first·K), with the same result for them as a full run. The work goes in
    chunks of about CHUNK_BLOCKS × BLOCK paths: whole variants, or block ranges of one
    (`variant_chunks` yields them one at a time).
    """
    recipe = Paths(scenario, draws, paths_per_variant, seed, issue_outcomes)
    run = drive_variants(recipe, blocking(), variant_range, progress=progress)
    return _result(run, paths_per_variant, seed, crn=True)


def variant_chunks(scenario: Scenario, draws: Draws, paths_per_variant: int, seed: int,
                   issue_outcomes: IssueOutcomes | None = None,
                   variant_range: Range | None = None) -> Iterator[tuple[int, int, np.ndarray]]:
    """`simulate_variants` a chunk at a time: (first variant, stop, first_step of the chunk's
    paths, variant-major), for callers that reduce the paths as they come."""
    recipe = Paths(scenario, draws, paths_per_variant, seed, issue_outcomes)
    for c in drive_variants(recipe, blocking(), variant_range).chunks:
        yield int(c.draw[0]), int(c.draw[-1]) + 1, c.parts[0]


def run_variant_chunks(scenario: Scenario, draws: Draws, n_variants: int, paths_per_draw: int,
                       seed: int, issue_outcomes: IssueOutcomes | None = None,
                       ) -> Iterator[tuple[int, int, np.ndarray]]:
    """V variants of one run, each on the run's own dice: a chunk at a time, (first variant,
    stop, first_step of the chunk's paths, variant-major: (variants × width, events)).

    `draws` holds V × M values per parameter, variant-major (variant r's draws are
    r·M .. r·M + M − 1; a single value is shared), and so does each issue outcome. Variant r's
    M × K paths see exactly the uniforms of `simulate(scenario, {its M draws}, K, seed)`, so its
    result equals that run's bit for bit: a tornado whose base is the run itself. The run's
    uniforms are drawn once per chunk-month and broadcast over the variants sharing the chunk.
    """
    recipe = Paths(scenario, draws, paths_per_draw, seed, issue_outcomes)
    return drive_run_variants(recipe, n_variants, blocking())
