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
`path_chunks` for a paired comparison a chunk at a time); `Simulation.concat` joins the results
of block ranges.

Common random numbers over variants (`simulate_variants`): V variants (one draw each) × K paths,
where variant v's paths see exactly the uniforms that `simulate(scenario, {draw v only}, K,
seed)` sees, so the result equals that loop bit for bit, however the variants are split. The
K-path uniforms are drawn once per chunk-month and broadcast over the chunk's variants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.process.compile import Compiler, Evaluator, Layout, State, since_events
from accord.process.summary import RunShape, Summary
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import Scenario

BLOCK = 8192  # paths per random stream: fixed, it defines which uniforms each path sees
CHUNK_BLOCKS = 15  # blocks processed together (memory bound); results never depend on it
# (15 × 8192 paths: a chunk's bool rows stay under 128 KiB, glibc's mmap threshold, so they come
# from the heap even where MALLOC_TRIM_THRESHOLD_ pins it, as in Dask workers)
TABLE_MODIFIERS = 3  # up to this many modifiers, thresholds are tabulated per subset per chunk

Progress = Callable[[int, int], None]
MonthHook = Callable[[int, State], None]
IssueOutcomes = Mapping[str, float | np.ndarray]


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
    return -(-n_paths // BLOCK)


def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The block's stream: identical to `SeedSequence(seed).spawn(block + 1)[block]`."""
    return np.random.SeedSequence(seed, spawn_key=(block,))


class _Plan:
    """The scenario compiled once: evaluators, parameter paths, effect tables."""

    def __init__(self, scenario: Scenario, draws: Draws) -> None:
        events = scenario.events
        layout = Layout.of(scenario)
        comp = Compiler(layout)
        self.ids = [e.id for e in events]
        self.kinds = [e.kind for e in events]
        self.horizon = scenario.meta.horizon
        self.month_of_step = scenario.month_index
        self.when: list[Evaluator] = [comp.compile(e.condition) for e in events]
        self.stoch = [i for i, e in enumerate(events) if e.kind != "scheduled"]
        self.sched = [i for i, e in enumerate(events) if e.kind == "scheduled"]
        self.sched_month = {
            i: events[i].scheduled_month for i in self.sched
        }
        self.rep_rows = [i for i, e in enumerate(events) if e.kind == "repeatable"]
        self.since_rows = {layout.rows[e] for e in since_events(scenario) if e in layout.rows}
        self.base: dict[int, np.ndarray] = {}
        self.mods: dict[int, list[tuple[Evaluator, np.ndarray]]] = {}
        for i in self.stoch:
            ev = events[i]
            self.base[i] = _values(draws, f"events[{i}].{ev.kind}")
            self.mods[i] = [
                (
                    comp.compile(m.condition),
                    _values(draws, f"events[{i}].modifiers[{j}].multiply"),
                )
                for j, m in enumerate(ev.modifiers)
            ]
        self.resets: dict[int, list[int]] = {}
        self.cancels: dict[int, list[int]] = {}
        for i, ev in enumerate(events):
            for table, targets in (
                (self.resets, ev.effects.resets),
                (self.cancels, ev.effects.cancels),
            ):
                for target in targets:
                    if target not in layout.rows:
                        raise ValueError(f"events[{i}].effects refers to unknown event {target!r}")
                    table.setdefault(layout.rows[target], []).append(i)


def _values(draws: Draws, path: str) -> np.ndarray:
    try:
        return np.asarray(draws[path], dtype=float).reshape(-1)
    except KeyError:
        raise ValueError(f"draws lack parameter {path!r}") from None


def _per_path(values: np.ndarray, draw_idx: np.ndarray) -> float | np.ndarray:
    """A scalar when every draw of the chunk agrees (the fast path), else one value per path."""
    if values.size == 1:
        return float(values[0])
    seg = values[int(draw_idx[0]) : int(draw_idx[-1]) + 1]  # draw_idx is non-decreasing
    if bool(np.all(seg == seg[0])):
        return float(seg[0])
    return values[draw_idx]


def _per_variant(values: np.ndarray, v0: int, v1: int) -> float | np.ndarray:
    """A scalar when variants v0..v1 agree, else a (variants, 1) column (rows of the grid)."""
    if values.size == 1:
        return float(values[0])
    seg = values[v0:v1]
    if bool(np.all(seg == seg[0])):
        return float(seg[0])
    return seg.reshape(-1, 1)


# A probability as a test on 32-bit uniform integers u: fires iff u < limit, or where `sure`.
# Exact at both ends (p <= 0 never fires, p >= 1 always does), within 2^-32 in between.
NEVER = ("never", None)
ALWAYS = ("always", None)
Threshold = tuple[object, np.ndarray | None]
TWO32 = 2.0**32


def _threshold(p: float | np.ndarray) -> Threshold:
    if np.ndim(p) == 0:
        p = float(p)  # type: ignore[arg-type]
        if p <= 0:
            return NEVER
        if p >= 1:
            return ALWAYS
        return np.uint32(p * TWO32), None
    limit = np.clip(p * TWO32, 0, TWO32 - 1).astype(np.uint32)
    return limit, (p >= 1 if p.max() >= 1 else None)  # type: ignore[union-attr]


def _modified(
    base: float | np.ndarray,
    fns: list[Evaluator],
    mults: list[float | np.ndarray],
    s: State,
    t: int,
    grid: Callable[[object], object],
) -> float | np.ndarray:
    """The probability with its modifiers applied (events with many modifiers)."""
    p = base
    for f, mult in zip(fns, mults, strict=True):
        mc = grid(f(s, t))
        if mc is True:
            p = p * mult
        elif mc is not False:
            p = np.where(mc, p * mult, p)
    return p


def _combos(base: float | np.ndarray, mults: list[float | np.ndarray]) -> list[Threshold]:
    out = []
    for idx in range(1 << len(mults)):
        p = base
        for i, mult in enumerate(mults):
            if idx >> i & 1:
                p = p * mult
        out.append(_threshold(p))
    return out


def _norm(th: Threshold) -> tuple[object, object]:
    if th is NEVER:
        return np.uint32(0), False
    if th is ALWAYS:
        return np.uint32(0), True
    return th[0], False if th[1] is None else th[1]


def _pick(combos: list[Threshold], conds: list[object], i: int = 0, idx: int = 0) -> Threshold:
    """The threshold given which modifiers hold: a table lookup, np.where where paths differ."""
    if i == len(conds):
        return combos[idx]
    mc = conds[i]
    if mc is True or mc is False:
        return _pick(combos, conds, i + 1, idx | (1 << i) if mc else idx)
    a = _pick(combos, conds, i + 1, idx | (1 << i))
    b = _pick(combos, conds, i + 1, idx)
    if a is b:
        return a
    (la, sa), (lb, sb) = _norm(a), _norm(b)
    sure = None if sa is False and sb is False else np.where(mc, sa, sb)
    return _select(mc, la, lb), sure


def _pick_into(
    combos: list[Threshold], conds: list[object], out: np.ndarray, tmp: np.ndarray,
    mask: np.ndarray,
) -> Threshold:
    """`_pick` without temporaries: the limit written into `out` (grid-shaped, uint32).

    With the array conditions c_i (the others fix their bits), the table T over their subsets
    is written in multilinear form, limit = Σ_S (Π_{i∈S} c_i) · D_S with D the Möbius
    transform of T modulo 2^32: exact, since each path's sum is T at its own subset. Tables
    with a certain (p ≥ 1) entry fall back to `_pick`.
    """
    fixed, arrays = 0, []
    for i, mc in enumerate(conds):
        if mc is True:
            fixed |= 1 << i
        elif mc is not False:
            arrays.append(i)
    if not arrays:
        return combos[fixed]
    table = []
    for sub in range(1 << len(arrays)):
        idx = fixed
        for b, i in enumerate(arrays):
            if sub >> b & 1:
                idx |= 1 << i
        table.append(combos[idx])
    if all(th is table[0] for th in table):
        return table[0]
    if any(th is ALWAYS or (th is not NEVER and th[1] is not None) for th in table):
        return _pick(combos, conds)
    mob = [np.uint32(0) if th is NEVER else th[0] for th in table]
    for b in range(len(arrays)):  # Möbius transform, in place, modulo 2^32
        for sub in range(len(mob)):
            if sub >> b & 1:
                mob[sub] = np.subtract(mob[sub], mob[sub ^ (1 << b)], dtype=np.uint32)
    np.copyto(out, mob[0])
    for sub in range(1, len(mob)):
        d = mob[sub]
        if np.ndim(d) == 0 and int(d) == 0:  # type: ignore[call-overload]
            continue
        bits = [conds[arrays[b]] for b in range(len(arrays)) if sub >> b & 1]
        m = bits[0]
        if len(bits) > 1:
            np.logical_and(bits[0], bits[1], out=mask)
            for extra in bits[2:]:
                np.logical_and(mask, extra, out=mask)
            m = mask
        np.multiply(m, d, out=tmp, dtype=np.uint32)
        np.add(out, tmp, out=out, dtype=np.uint32)
    return out, None


def _select(mc: np.ndarray, a: object, b: object) -> np.ndarray:
    """np.where(mc, a, b) for uint32, as b + mc·(a − b) modulo 2^32: branch-free, ~5× faster."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        diff = np.uint32((int(a) - int(b)) % 2**32)  # type: ignore[call-overload]
    else:
        diff = np.subtract(a, b, dtype=np.uint32)  # arrays wrap silently
    out = np.multiply(mc, diff, dtype=np.uint32)
    return np.add(out, b, out=out, dtype=np.uint32)


class _Streams:
    """The uniforms of a run's blocks [b0, b1) (columns lo:hi of a width-W row), month by month.

    Each block's generator consumes S × ⌈s/2⌉ words a month in a fixed layout (see the module
    docstring); rows not wanted are skipped lazily with `advance`, before the next draw.
    """

    def __init__(self, seed: int, blocks: range, n_paths: int, offset: int) -> None:
        self.blocks = []
        for b in blocks:
            lo, hi = b * BLOCK - offset, min((b + 1) * BLOCK, n_paths) - offset
            self.blocks.append((np.random.PCG64(block_seed(seed, b)), lo, hi, (hi - lo + 1) // 2))
        self.pending = [0] * len(self.blocks)

    def fill(self, u: np.ndarray, live: np.ndarray) -> None:
        """u[j] for every row j with live[j]; other rows keep stale values (never read)."""
        runs: list[tuple[int, int, bool]] = []
        j, k = 0, live.size
        while j < k:
            e = j + 1
            while e < k and live[e] == live[j]:
                e += 1
            runs.append((j, e, bool(live[j])))
            j = e
        for bi, (bg, lo, hi, stride) in enumerate(self.blocks):
            pending = self.pending[bi]
            for a, e, on in runs:
                if not on:
                    pending += (e - a) * stride
                    continue
                if pending:
                    bg.advance(pending)
                    pending = 0
                raw = bg.random_raw((e - a) * stride).view(np.uint32)
                u[a:e, lo:hi] = raw.reshape(e - a, 2 * stride)[:, : hi - lo]
            self.pending[bi] = pending


def _issue_arrays(
    issue_outcomes: IssueOutcomes | None, m: int, draw_idx: np.ndarray
) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for issue, v in (issue_outcomes or {}).items():
        arr = np.asarray(v, dtype=float).reshape(-1)
        if arr.size == 1:
            arr = np.full(m, arr[0])
        if arr.size != m:
            raise ValueError(f"issue_outcomes[{issue!r}] has {arr.size} values for {m} draws")
        out[issue] = arr[draw_idx]
    return out


def _result(
    plan: _Plan,
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    m: int,
    k: int,
    seed: int,
    path_start: int,
    crn: bool,
) -> Simulation:
    n_ev = len(plan.ids)
    first = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, n_ev), np.int16)
    occ = np.concatenate([p[1] for p in parts]) if parts else np.zeros((0, n_ev), bool)
    cnt = (
        np.concatenate([p[2] for p in parts])
        if parts
        else np.zeros((0, len(plan.rep_rows)), np.int32)
    )
    return Simulation(
        event_ids=plan.ids,
        kinds=plan.kinds,
        repeatable_ids=[plan.ids[i] for i in plan.rep_rows],
        horizon=plan.horizon,
        n_draws=m,
        paths_per_draw=k,
        seed=seed,
        path_start=path_start,
        first_step=first,
        occurred=occ,
        count=cnt,
        crn=crn,
    )


def _ticker(progress: Progress | None, ci: int, horizon: int, months: int) -> Callable[[int], None]:
    def tick(t: int) -> None:
        if progress is not None:
            progress(ci * horizon + t, months)

    return tick


def _block_chunks(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None,
    block_range: tuple[int, int] | None,
    progress: Progress | None,
    on_month: MonthHook | None = None,
) -> tuple[_Plan, int, int, Iterator[tuple[np.ndarray, tuple[np.ndarray, ...]]]]:
    """(plan, draws M, first path, the chunks: (draw of each path, (first, occurred, count)))."""
    if paths_per_draw < 1:
        raise ValueError("paths_per_draw must be at least 1")
    m = n_draws(draws) if draws else 1
    n = m * paths_per_draw
    total_blocks = n_blocks(n)
    b0, b1 = block_range if block_range is not None else (0, total_blocks)
    if not 0 <= b0 <= b1 <= total_blocks:
        raise ValueError(f"block_range {block_range} outside 0..{total_blocks}")
    plan = _Plan(scenario, draws)
    chunks = [(c, min(c + CHUNK_BLOCKS, b1)) for c in range(b0, b1, CHUNK_BLOCKS)]
    months = len(chunks) * plan.horizon

    def run() -> Iterator[tuple[np.ndarray, tuple[np.ndarray, ...]]]:
        for ci, (cb, ce) in enumerate(chunks):
            p0, p1 = cb * BLOCK, min(ce * BLOCK, n)
            draw_idx = np.arange(p0, p1) // paths_per_draw
            streams = _Streams(seed, range(cb, ce), n, p0)
            issues = _issue_arrays(issue_outcomes, m, draw_idx)
            tick = _ticker(progress, ci, plan.horizon, months)

            def param(v: np.ndarray, idx: np.ndarray = draw_idx) -> float | np.ndarray:
                x = _per_path(v, idx)
                return x.reshape(1, -1) if isinstance(x, np.ndarray) else x

            yield draw_idx, _run_chunk(plan, param, issues, streams, p1 - p0, 1, tick, on_month)

    return plan, m, min(b0 * BLOCK, n), run()


def simulate(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
    block_range: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """Simulate M × K paths (or the blocks `block_range` = (first, stop) of them): every path.

    issue_outcomes: issue id → one number per draw (or one for all) that `issue.X` reads.
    progress(done_months, total_months) is called after each simulated month of each chunk.
    Forecasts need only `simulate_summary`, whose memory does not grow with the paths.
    """
    plan, m, start, chunks = _block_chunks(scenario, draws, paths_per_draw, seed,
                                           issue_outcomes, block_range, progress)
    parts = [part for _, part in chunks]
    return _result(plan, parts, m, paths_per_draw, seed, start, crn=False)  # type: ignore[arg-type]


def simulate_summary(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
    block_range: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> Summary:
    """`simulate`, each chunk reduced to its additive `Summary` as it is simulated and merged:
    memory O(draws × events × months), and the same forecast as `simulate`'s paths give."""
    plan, m, _, chunks = _block_chunks(scenario, draws, paths_per_draw, seed, issue_outcomes,
                                       block_range, progress)
    out = Summary.empty(plan.ids, plan.kinds, [plan.ids[i] for i in plan.rep_rows],
                        plan.horizon, m, paths_per_draw, seed)
    for draw_idx, (first, _, count) in chunks:
        out.add_paths(first, count, draw_idx)
    return out


def path_chunks(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`simulate` a chunk at a time: (draw of each path, first_step (paths, events)), for
    reductions that need paths but not all of them at once (paired comparison, watch)."""
    _, _, _, chunks = _block_chunks(scenario, draws, paths_per_draw, seed, issue_outcomes,
                                    None, progress)
    for draw_idx, (first, _, _) in chunks:
        yield draw_idx, first


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


def state_snapshots(
    scenario: Scenario,
    draws: Draws,
    paths_per_draw: int,
    seed: int,
    steps: Iterable[int],
    issue_outcomes: IssueOutcomes | None = None,
) -> Iterator[tuple[np.ndarray, dict[int, State]]]:
    """The paths of `simulate`, a chunk at a time: (draw of each path, step → a copy of the
    whole state at the end of that step), for analyses that read more than first occurrences
    (accord.analysis.explain). Same seed, same paths as `simulate`."""
    keep, kept = snapshot_keeper(steps)
    _, _, _, chunks = _block_chunks(scenario, draws, paths_per_draw, seed, issue_outcomes,
                                    None, None, keep)
    for draw_idx, _ in chunks:
        yield draw_idx, dict(kept)
        kept.clear()


def simulate_variants(
    scenario: Scenario,
    draws: Draws,
    paths_per_variant: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
    variant_range: tuple[int, int] | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """V variants (the V draws of `draws`) × K paths each, on common random numbers.

    Variant v's K paths (rows v·K .. v·K + K − 1 of the result, `Simulation.draw` = v) equal,
    bit for bit, those of `simulate(scenario, {each parameter's v-th value}, K, seed)`, with
    issue_outcomes' v-th values. `variant_range` = (first, stop) simulates only those variants
    (rows start at first·K), with the same result for them as a full run. The work goes in
    chunks of about CHUNK_BLOCKS × BLOCK paths: whole variants, or block ranges of one
    (`variant_chunks` yields them one at a time).
    """
    plan, m, v0, chunks = _variant_chunks(scenario, draws, paths_per_variant, seed,
                                          issue_outcomes, variant_range, progress)
    parts = [part for _, _, part in chunks]
    return _result(plan, parts, m, paths_per_variant, seed, v0 * paths_per_variant,  # type: ignore[arg-type]
                   crn=True)


def variant_chunks(
    scenario: Scenario,
    draws: Draws,
    paths_per_variant: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
    variant_range: tuple[int, int] | None = None,
) -> Iterator[tuple[int, int, np.ndarray]]:
    """`simulate_variants` a chunk at a time: (first variant, stop, first_step of the chunk's
    paths, variant-major), for callers that reduce the paths as they come."""
    _, _, _, chunks = _variant_chunks(scenario, draws, paths_per_variant, seed, issue_outcomes,
                                      variant_range, None)
    for ca, ce, (first, _, _) in chunks:
        yield ca, ce, first


def run_variant_chunks(
    scenario: Scenario,
    draws: Draws,
    n_variants: int,
    paths_per_draw: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None = None,
) -> Iterator[tuple[int, int, np.ndarray]]:
    """V variants of one run, each on the run's own dice: a chunk at a time, (first variant,
    stop, first_step of the chunk's paths, variant-major: (variants × width, events)).

    `draws` holds V × M values per parameter, variant-major (variant r's draws are
    r·M .. r·M + M − 1; a single value is shared), and so does each issue outcome. Variant r's
    M × K paths see exactly the uniforms of `simulate(scenario, {its M draws}, K, seed)`, so its
    result equals that run's bit for bit: a tornado whose base is the run itself. The run's
    uniforms are drawn once per chunk-month and broadcast over the variants sharing the chunk.
    """
    if paths_per_draw < 1 or n_variants < 1:
        raise ValueError("paths_per_draw and n_variants must be at least 1")
    size = n_draws(draws) if draws else 1
    if size % n_variants:
        raise ValueError(f"{size} draws do not split into {n_variants} variants")
    m = max(1, size // n_variants)
    n = m * paths_per_draw
    plan = _Plan(scenario, draws)
    per_chunk = CHUNK_BLOCKS * BLOCK

    def per_variant_draw(v: object) -> np.ndarray:  # (variants, M)
        a = np.asarray(v, dtype=float).reshape(-1)
        return np.full((n_variants, m), a[0]) if a.size == 1 else a.reshape(n_variants, m)

    outcomes = {i: per_variant_draw(v) for i, v in (issue_outcomes or {}).items()}
    for cb in range(0, n_blocks(n), CHUNK_BLOCKS):
        ce = min(cb + CHUNK_BLOCKS, n_blocks(n))
        p0, p1 = cb * BLOCK, min(ce * BLOCK, n)
        width = p1 - p0
        draw_idx = np.arange(p0, p1) // paths_per_draw
        step = max(1, per_chunk // width)
        for ra in range(0, n_variants, step):
            rb = min(ra + step, n_variants)
            streams = _Streams(seed, range(cb, ce), n, p0)
            issues = {i: o[ra:rb][:, draw_idx].ravel() for i, o in outcomes.items()}

            def param(v: np.ndarray, a: int = ra, b: int = rb,
                      idx: np.ndarray = draw_idx) -> float | np.ndarray:
                """A scalar where the chunk's variants and draws agree, a (1, width) row where
                only the draws differ, else the (variants, width) grid."""
                if v.size == 1:
                    return float(v[0])
                rows = v.reshape(n_variants, m)[a:b]
                seg = rows[:, int(idx[0]):int(idx[-1]) + 1]  # idx is non-decreasing
                if bool(np.all(seg == seg.flat[0])):
                    return float(seg.flat[0])
                cols = rows[:, idx]
                return cols[:1] if bool(np.all(cols == cols[:1])) else cols

            first, _, _ = _run_chunk(plan, param, issues, streams, width, rb - ra,
                                     lambda _t: None)
            yield ra, rb, first


def _variant_chunks(
    scenario: Scenario,
    draws: Draws,
    paths_per_variant: int,
    seed: int,
    issue_outcomes: IssueOutcomes | None,
    variant_range: tuple[int, int] | None,
    progress: Progress | None,
) -> tuple[_Plan, int, int, Iterator[tuple[int, int, tuple[np.ndarray, ...]]]]:
    if paths_per_variant < 1:
        raise ValueError("paths_per_variant must be at least 1")
    k = paths_per_variant
    m = n_draws(draws) if draws else 1
    v0, v1 = variant_range if variant_range is not None else (0, m)
    if not 0 <= v0 <= v1 <= m:
        raise ValueError(f"variant_range {variant_range} outside 0..{m}")
    plan = _Plan(scenario, draws)
    kb = n_blocks(k)
    per_chunk = CHUNK_BLOCKS * BLOCK
    chunks: list[tuple[int, int, int, int]] = []  # (first variant, stop, first block, stop)
    if k <= per_chunk:
        step = max(1, per_chunk // k)
        chunks = [(v, min(v + step, v1), 0, kb) for v in range(v0, v1, step)]
    else:
        chunks = [
            (v, v + 1, b, min(b + CHUNK_BLOCKS, kb))
            for v in range(v0, v1)
            for b in range(0, kb, CHUNK_BLOCKS)
        ]
    months = len(chunks) * plan.horizon

    def run() -> Iterator[tuple[int, int, tuple[np.ndarray, ...]]]:
        for ci, (ca, ce, cb, cf) in enumerate(chunks):
            p0, p1 = cb * BLOCK, min(cf * BLOCK, k)
            width, reps = p1 - p0, ce - ca
            draw_idx = np.repeat(np.arange(ca, ce), width)
            streams = _Streams(seed, range(cb, cf), k, p0)
            issues = _issue_arrays(issue_outcomes, m, draw_idx)
            tick = _ticker(progress, ci, plan.horizon, months)

            def param(v: np.ndarray, a: int = ca, e: int = ce) -> float | np.ndarray:
                return _per_variant(v, a, e)

            yield ca, ce, _run_chunk(plan, param, issues, streams, width, reps, tick)

    return plan, m, v0, run()


def _run_chunk(
    plan: _Plan,
    param: Callable[[np.ndarray], float | np.ndarray],
    issues: dict[str, np.ndarray],
    streams: _Streams,
    width: int,
    reps: int,
    tick: Callable[[int], None],
    on_month: MonthHook | None = None,
    clamp: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """reps × width paths (column r·width + w), path w of every rep seeing uniform column w.

    clamp (an `accord.process.condition.Clamp`), when given, forces the observed events to fire
    or not in the observed months and keeps each path's likelihood weight (see that module);
    clamped rows take no uniforms (skipped as for disabled rows), so the others see the same.

    on_month(t, state), when given, sees the state at the end of each month t (after effects);
    it must copy what it keeps, since the arrays change in place.

    param(values per draw) gives a parameter's value on the chunk: a scalar, or an array that
    broadcasts to the (reps, width) grid of its paths.
    """
    run = _Chunk(plan, param, issues, width, reps, clamp)
    for t in range(1, plan.horizon + 1):
        now = clamp.month(t) if clamp is not None else None
        live, thr, sure_rows = run.enabled(t, now)
        scheduled = run.scheduled(t, now)
        fired = run.fire(streams, live, thr, sure_rows, scheduled)
        if now:
            fired.update(clamp.take())
        run.update(t, fired, [*np.flatnonzero(live), *sure_rows])
        run.effects(fired)
        if clamp is not None:
            clamp.end_month(t, run.s)
        tick(t)
        if on_month is not None:
            on_month(t, run.s)
    s = run.s
    return (
        np.ascontiguousarray(s.first.T),
        np.ascontiguousarray(s.occ.T),
        np.ascontiguousarray(s.count[plan.rep_rows].T),
    )


class _Chunk:
    """One chunk's paths, a month at a time, in the month's four stages: (1) what is enabled,
    and each stochastic event's threshold, from the start-of-month state; (2) uniforms where
    live, and what fires; (3) the state's updates; (4) effects, resets then cancels.

    Stochastic rows j index `plan.stoch`; the arrays are allocated once and reused in place
    every month."""

    def __init__(self, plan: _Plan, param: Callable[[np.ndarray], float | np.ndarray],
                 issues: dict[str, np.ndarray], width: int, reps: int, clamp: Any) -> None:
        n_p = width * reps
        self.plan, self.clamp = plan, clamp
        self.s = State.empty(len(plan.ids), n_p, issues)
        self.shape = (reps, width)
        stoch = plan.stoch
        k = len(stoch)
        self.base = [param(plan.base[e]) for e in stoch]
        self.base_thr = [_threshold(p) for p in self.base]
        self.mod_fns = [[f for f, _ in plan.mods[e]] for e in stoch]
        self.mults = [[param(v) for _, v in plan.mods[e]] for e in stoch]
        self.combos = [  # the threshold under each subset of modifiers (bit i: modifier i)
            _combos(b, ms) if len(ms) <= TABLE_MODIFIERS else None
            for b, ms in zip(self.base, self.mults, strict=True)
        ]
        self.kinds = [plan.kinds[e] for e in stoch]
        self.en = np.zeros((k, n_p), bool)
        self.u = np.zeros((k, width), np.uint32)
        self.fired_rows = np.zeros((k, n_p), bool)
        self.hit = np.zeros(n_p, bool)
        self.rep_set = set(plan.rep_rows)
        self.bufs = [np.empty(self.shape, np.uint32) if self.combos[j] and len(self.mod_fns[j])
                     else None for j in range(k)]  # per event: its thresholds, where paths differ
        self.tmp = np.empty(self.shape, np.uint32)  # scratch
        self.both = np.empty(self.shape, bool)

    def grid(self, a: object) -> object:
        return a.reshape(self.shape) if isinstance(a, np.ndarray) and a.ndim == 1 else a

    def threshold(self, j: int, t: int) -> Threshold:
        """Row j's threshold in month t: its base, or under the modifiers that apply."""
        if not self.mod_fns[j]:
            return self.base_thr[j]
        if self.combos[j] is not None:
            conds = [self.grid(f(self.s, t)) for f in self.mod_fns[j]]
            return _pick_into(self.combos[j], conds, self.bufs[j], self.tmp,  # type: ignore[arg-type]
                              self.both)
        return _threshold(_modified(self.base[j], self.mod_fns[j], self.mults[j], self.s, t,
                                    self.grid))

    def enabled(self, t: int, now: Any) -> tuple[np.ndarray, list[Threshold], list[int]]:
        """Stage 1 for the stochastic events: which rows are live (enabled somewhere and
        needing uniforms) with their thresholds, and which are sure wherever enabled."""
        s, plan, k = self.s, self.plan, len(self.plan.stoch)
        live = np.zeros(k, bool)
        thr: list[Threshold] = [NEVER] * k
        sure_rows: list[int] = []
        for j, e in enumerate(plan.stoch):
            row = self.en[j]
            cond = plan.when[e](s, t)
            if now and e in now:
                self.clamp.stochastic(e, self.kinds[j], cond, row, s,
                                      lambda j=j, t=t: self.threshold(j, t), self.shape)
                continue
            if cond is False or (not self.mod_fns[j] and self.base_thr[j] is NEVER):
                continue
            if self.kinds[j] == "repeatable":
                np.logical_not(s.canc[e], out=row)
            else:
                np.logical_or(s.occ[e], s.canc[e], out=row)
                if self.kinds[j] == "chance":
                    np.logical_or(row, s.res[e], out=row)
                np.logical_not(row, out=row)
            if cond is not True:
                np.logical_and(row, cond, out=row)
            if not row.any():
                continue
            tj = self.threshold(j, t)
            if tj is ALWAYS:
                sure_rows.append(j)
            elif tj is not NEVER:
                live[j] = True
                thr[j] = tj
        return live, thr, sure_rows

    def scheduled(self, t: int, now: Any) -> dict[int, np.ndarray]:
        """Stage 1 for the scheduled events: where each fires this month."""
        s, plan = self.s, self.plan
        out: dict[int, np.ndarray] = {}
        month = plan.month_of_step(t)
        for e in plan.sched:
            if now and e in now:
                self.clamp.scheduled(e, month >= plan.sched_month[e], plan.when[e](s, t), s)
                continue
            if month < plan.sched_month[e]:
                continue
            cond = plan.when[e](s, t)
            if cond is False:
                continue
            ok = np.logical_not(np.logical_or(s.occ[e], s.canc[e]))
            if cond is not True:
                np.logical_and(ok, cond, out=ok)
            out[e] = ok
        return out

    def fire(self, streams: _Streams, live: np.ndarray, thr: list[Threshold],
             sure_rows: list[int], scheduled: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """Stage 2: this month's uniforms of every block (drawn where live, else skipped),
        and each event's paths that fire."""
        stoch, shape = self.plan.stoch, self.shape
        fired: dict[int, np.ndarray] = {}
        streams.fill(self.u, live)
        for j in np.flatnonzero(live):
            limit, sure = thr[j]  # type: ignore[misc]
            fj = self.fired_rows[j]
            fj2 = fj.reshape(shape)
            np.less(self.u[j], limit, out=fj2)
            if sure is not None:
                np.logical_or(fj2, sure, out=fj2)
            np.logical_and(fj, self.en[j], out=fj)
            if fj.any():
                fired[stoch[j]] = fj
        for j in sure_rows:
            fired[stoch[j]] = self.en[j]
        for e, f in scheduled.items():
            if f.any():
                fired[e] = f
        return fired

    def update(self, t: int, fired: dict[int, np.ndarray], tried: list[int]) -> None:
        """Stage 3: first month, occurred, count and last month of what fired; the chance
        events tried this month are resolved, whatever came up."""
        s, hit = self.s, self.hit
        for e, f in fired.items():
            np.logical_and(f, s.first[e] == 0, out=hit)
            s.first[e][hit] = t
            np.logical_or(s.occ[e], f, out=s.occ[e])
            if e in self.rep_set:
                s.count[e] += f
            if e in self.plan.since_rows:
                s.last[e][f] = t
        for j in tried:
            if self.kinds[j] == "chance":
                e = self.plan.stoch[j]
                np.logical_or(s.res[e], self.en[j], out=s.res[e])

    def effects(self, fired: dict[int, np.ndarray]) -> None:
        """Stage 4: resets (which clear even what fired this month), then cancels."""
        if not fired:
            return
        s = self.s
        for target, sources in self.plan.resets.items():
            mask = _union(fired, sources)
            if mask is not None:
                keep = ~mask
                for arr in (s.occ, s.res, s.canc):
                    np.logical_and(arr[target], keep, out=arr[target])
                s.count[target][mask] = 0
                s.last[target][mask] = 0
        for target, sources in self.plan.cancels.items():
            mask = _union(fired, sources)
            if mask is not None:
                np.logical_or(s.canc[target], mask, out=s.canc[target])


def _union(fired: dict[int, np.ndarray], sources: list[int]) -> np.ndarray | None:
    masks = [fired[i] for i in sources if i in fired]
    if not masks:
        return None
    out = masks[0].copy()
    for mk in masks[1:]:
        np.logical_or(out, mk, out=out)
    return out
