"""The bargaining table inside the event process: what conditions read of the negotiation.

A path's table is the scenario's issues under its parameter draw, changed by the `effects` of
the events that have occurred on it and not been reset, applied in file order: a value sets,
`{shift: x}` adds; positions and status quos are kept on the issue's scale, saliences on
[0, 1], capabilities at or above 0. Effects act from the month after their event, because
conditions read the state at the start of a month. The table state of a path is the set of
those events, a bit mask over the events with table effects (bit j: the j-th in file order).

The columns conditions read, per path:
- `issue.X`: the settlement x̂ of X under the scenario's issue model on the path's table;
- `gap(A, X)` = |x̂ − x_A|, A's position on the same table;
- `accepts(A, X)`: gap(A, X) ≤ τ_A, A's tolerance on X (declared beside its position, else
  DEFAULT_TOLERANCE of the scale's width);
- `threshold(N)`: the named parameter N.

The settlement of X depends only on the draw and the bits of the events whose effects touch X
(every bit, for a model that trades across issues), so each distinct (draw, bits) pair is solved
once and cached: a table changes only at events, and most paths share a few tables. The cache
answers as a fresh solve does (tested); it is bounded by MAX_ENTRIES, past which the run stops
with a message instead of growing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from accord.bargaining.table import IssueTable
from accord.errors import UserError
from accord.process.compile import State
from accord.scenario import conditions as C
from accord.scenario.conditions import gap_key, threshold_key, tolerance_key
from accord.scenario.draws import Draws, n_draws
from accord.scenario.model import DEFAULT_TOLERANCE, Scenario, Shift

MAX_EFFECT_EVENTS = 24  # events with table effects on one issue: 2^24 tables per draw at most
MAX_ENTRIES = 400_000  # cached (draw, table) solves in one run: about 100 MB at most
GROUP = "scenario"  # a scenario's issues are one group for the models that trade across them
Known = Mapping[str, "float | np.ndarray"]
Solved = tuple[float, dict[str, float]]  # a settlement, and each actor's position
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, "np.ndarray | None"]


def expressions(scenario: Scenario) -> list[C.Expr]:
    """Every condition of the scenario: `when`s and modifiers' `if`s."""
    return [x for ev in scenario.events for x in ev.conditions]


@dataclass(frozen=True)
class Change:
    """One effect on the table: `field` of `actor` (None for the status quo) on issue `index`,
    set or shifted by the draws at `path`."""

    bit: int
    field: str
    actor: str | None
    index: int
    path: str
    shift: bool


class TableSource:
    """Issue tables of a scenario under each draw and table state (bit mask of effects)."""

    def __init__(self, scenario: Scenario, draws: Draws) -> None:
        self.scenario, self.draws = scenario, draws
        self.m = n_draws(draws) if draws else 1
        index = {iss.id: i for i, iss in enumerate(scenario.issues)}
        self.effect_events = [i for i, ev in enumerate(scenario.events) if ev.effects.table()]
        self.changes: list[Change] = []
        for bit, e in enumerate(self.effect_events):
            for fld, actor, issue, v in scenario.events[e].effects.table():
                at = f"events[{e}].effects.{fld}" + (f".{actor}" if actor else "") + f".{issue}"
                shift = isinstance(v, Shift)
                self.changes.append(Change(bit, fld, actor, index[issue],
                                           at + ".shift" if shift else at, shift))

    def touches(self, index: int) -> int:
        """The bits of the events whose effects change issue `index`."""
        bits = 0
        for ch in self.changes:
            if ch.index == index:
                bits |= 1 << ch.bit
        return bits

    def column(self, path: str) -> np.ndarray:
        """A parameter's value under each draw."""
        return _per_draw(self.draws[path], self.m)

    def arrays(self, index: int, js: np.ndarray, masks: np.ndarray) -> Arrays:
        """Issue `index` under draws `js` with the effects of tables `masks` applied, as arrays
        (keys × actors): positions, saliences, capabilities, and the status quo (keys,) or
        None. The effects act in file order: a value sets, a shift adds; then each is kept
        within its bounds (the scale; [0, 1]; ≥ 0)."""
        iss, s = self.scenario.issues[index], self.scenario
        actors = list(iss.positions)
        pre = f"issues[{index}].positions"
        ids = [a.id for a in s.actors]
        cols = {
            "positions": np.stack([self.column(f"{pre}.{a}.position")[js] for a in actors], 1),
            "saliences": np.stack([self.column(f"{pre}.{a}.salience")[js] for a in actors], 1),
            "capabilities": np.stack([self.column(f"actors[{ids.index(a)}].capability")[js]
                                      for a in actors], 1),
        }
        sq_path = f"issues[{index}].status_quo"
        sq = self.column(sq_path)[js] if sq_path in self.draws else None
        lo, hi = iss.scale.min, iss.scale.max
        bounds = {"positions": (lo, hi), "saliences": (0.0, 1.0), "capabilities": (0.0, np.inf)}
        for ch in self.changes:
            on = (masks >> ch.bit & 1).astype(bool)
            if ch.index != index or not on.any():
                continue
            v = self.column(ch.path)[js]
            if ch.field == "status_quo":
                base = np.zeros(len(js)) if sq is None else sq
                sq = np.where(on, np.clip(base + v if ch.shift else v, lo, hi), base)
                continue
            c, (b0, b1) = actors.index(str(ch.actor)), bounds[ch.field]
            col = cols[ch.field][:, c]
            cols[ch.field][:, c] = np.where(on, np.clip(col + v if ch.shift else v, b0, b1), col)
        return cols["positions"], cols["saliences"], cols["capabilities"], sq

    def table(self, index: int, j: int, mask: int) -> IssueTable:
        """Issue `index` under draw j with the effects of the events in `mask` applied."""
        iss = self.scenario.issues[index]
        pos, sal, cap, sq = self.arrays(index, np.array([j]), np.array([mask], np.int64))
        return IssueTable.one_dim(
            iss.id, list(iss.positions), pos[0], sal[0], cap[0], scale_min=iss.scale.min,
            scale_max=iss.scale.max, status_quo=None if sq is None else float(sq[0]))

    def tables(self, j: int) -> list[IssueTable]:
        """Every issue under draw j as at as_of (no effects), in scenario order."""
        return [self.table(i, j, 0) for i in range(len(self.scenario.issues))]


class Settlements:
    """The columns conditions read, per (draw row, table mask), solved once each and cached.

    `known`: the settlements at as_of per draw where the caller has them already (an issue id →
    one value per draw, or one for all); they are what the issue model gives on the unchanged
    table, so they stand for mask 0."""

    def __init__(self, scenario: Scenario, draws: Draws, known: Known | None = None,
                 max_entries: int = MAX_ENTRIES) -> None:
        self.source = src = TableSource(scenario, draws)
        self.scenario, self.draws, self.known = scenario, draws, dict(known or {})
        self.m = src.m
        self.model = scenario.meta.issue_model
        exprs = expressions(scenario)
        self.stances = sorted(set().union(*(C.stances_referenced(x) for x in exprs)))
        wanted = set().union(*(C.issues_referenced(x) for x in exprs))
        self.group, self.batch = False, None
        if wanted:  # the models are imported only where an issue is read
            from accord.bargaining.registry import BATCH_MODELS, GROUP_MODELS

            self.group = self.model in GROUP_MODELS
            self.batch = BATCH_MODELS.get(self.model)
        self.index = {iss.id: i for i, iss in enumerate(scenario.issues) if iss.id in wanted}
        self.thresholds = sorted(set().union(*(C.thresholds_referenced(x) for x in exprs)))
        every = (1 << len(src.effect_events)) - 1
        self.touch = {x: every if self.group else src.touches(i) for x, i in self.index.items()}
        self.k = len(src.effect_events)
        self.max_entries = max_entries
        self.actors = {x: [a for a, y in self.stances if y == x] for x in self.index}
        # per issue, the solved (draw, table) keys, sorted, and their values: the settlement,
        # then the position of each actor whose gap is read
        self.keys = {x: np.zeros(0, np.int64) for x in self.index}
        self.vals = {x: np.zeros((0, 1 + len(self.actors[x]))) for x in self.index}
        self.solved = 0  # tables solved (the cache's misses)
        self._group: dict[tuple[int, int], dict[str, Solved]] = {}
        self._check_bits()

    def _check_bits(self) -> None:
        for x, bits in self.touch.items():
            n = bin(bits).count("1")
            if n > MAX_EFFECT_EVENTS:
                raise UserError.at(
                    f"{n} events change the table of issue {x!r}: its settlements could take "
                    f"2^{n} forms per draw; at most {MAX_EFFECT_EVENTS} events may change one "
                    "issue (merge events, or move some effects to another issue)",
                    field=f"issues.{x}")

    @property
    def effect_rows(self) -> list[int]:
        """The events whose occurrence changes the table (bit j: the j-th)."""
        return self.source.effect_events

    @property
    def dynamic(self) -> bool:
        """Whether some column read depends on the table state (else it is fixed per draw)."""
        return any(self.touch.values())

    # ---- solving ---------------------------------------------------------------------------
    def solve(self, j: int, mask: int, issues: list[str]) -> dict[str, Solved]:
        """(settlement, positions) of each of `issues` under draw j and table `mask`, fresh
        (a model that trades across issues solves them all together)."""
        from accord.bargaining.registry import get_model, predict_tables  # only when solving

        if self.group:
            tables = [self.source.table(i, j, mask) for i in range(len(self.scenario.issues))]
            preds = predict_tables(self.model, tables, {t.issue: GROUP for t in tables})
            return {x: (float(preds[i].value), _positions(tables[i]))
                    for x, i in self.index.items()}
        model = get_model(self.model)
        out = {}
        for x in issues:
            table = self.source.table(self.index[x], j, mask)
            out[x] = (float(model(table).value), _positions(table))
        return out

    def lookup(self, issue: str, j: int, mask: int) -> Solved:
        """(settlement, positions of the actors whose gap is read) under draw j, table `mask`,
        through the cache."""
        v = self.values(issue, np.array([j << self.k | mask & self.touch[issue]], np.int64))[0]
        return float(v[0]), dict(zip(self.actors[issue], v[1:].tolist(), strict=True))

    def values(self, issue: str, keys: np.ndarray) -> np.ndarray:
        """The cached values (settlement, positions) of `keys` (draw << k | table bits), each
        distinct key missing from the cache solved once and kept."""
        uniq, inv = np.unique(keys, return_inverse=True)
        have = self.keys[issue]
        pos = np.minimum(np.searchsorted(have, uniq), max(len(have) - 1, 0))
        missing = uniq if len(have) == 0 else uniq[have[pos] != uniq]
        if missing.size:
            self._add(issue, missing)
            have = self.keys[issue]
            pos = np.searchsorted(have, uniq)
        return self.vals[issue][pos][inv]

    def _add(self, issue: str, keys: np.ndarray) -> None:
        """Solve `keys` for `issue` (for every issue, where the model trades across issues and
        one solve serves them all) and merge them into the sorted cache."""
        held = sum(len(k) for k in self.keys.values())
        if held + len(keys) > self.max_entries:
            raise UserError.at(
                f"the bargaining table took more than {self.max_entries:,} forms in this run "
                "(distinct draws × event histories that change the issues conditions read); run "
                "fewer draws, or let fewer events change those issues", field="effects")
        # the keys carry `issue`'s bits, which are every bit where one solve serves all issues
        for x in self.index if self.group else [issue]:
            new = keys[~np.isin(keys, self.keys[x])]
            if new.size == 0:
                continue
            rows = self._solve_keys(x, new)
            order = np.argsort(np.concatenate([self.keys[x], new]), kind="stable")
            self.keys[x] = np.concatenate([self.keys[x], new])[order]
            self.vals[x] = np.concatenate([self.vals[x], rows])[order]
        self._group.clear()

    def _solve_keys(self, issue: str, keys: np.ndarray) -> np.ndarray:
        """Values of `keys` for one issue: at as_of from the caller's known settlements and the
        draws' positions where it can (no table is built), else solved."""
        j = keys >> self.k
        mask = keys & ((1 << self.k) - 1)
        out = np.empty((len(keys), 1 + len(self.actors[issue])))
        fresh = np.ones(len(keys), bool)
        if issue in self.known and not self.group:
            fresh = mask != 0
            i = self.index[issue]
            at = ~fresh
            out[at, 0] = _per_draw(self.known[issue], self.m)[j[at]]
            for c, a in enumerate(self.actors[issue], start=1):
                out[at, c] = _per_draw(self.draws[f"issues[{i}].positions.{a}.position"],
                                       self.m)[j[at]]
        if self.batch is not None and fresh.any():  # every table at once
            i, at = self.index[issue], np.flatnonzero(fresh)
            pos, sal, cap, _ = self.source.arrays(i, j[at], mask[at])
            out[at, 0] = self.batch(pos, sal, cap)
            actors = list(self.scenario.issues[i].positions)
            for c, a in enumerate(self.actors[issue], start=1):
                out[at, c] = pos[:, actors.index(a)]
            self.solved += len(at)
            return out
        for r in np.flatnonzero(fresh):
            at = (int(j[r]), int(mask[r]))
            found = self._group.get(at) or self.solve(*at, [issue])
            if self.group:  # one solve answers every issue: kept for the others of this _add
                self._group[at] = found
            value, pos = found[issue]
            out[r] = [value, *(pos[a] for a in self.actors[issue])]
            self.solved += 1
        return out

    # ---- columns ---------------------------------------------------------------------------
    def columns(self, rows: np.ndarray, masks: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Every column conditions read, for paths of draws `rows` on tables `masks` (default:
        all at as_of)."""
        out: dict[str, np.ndarray] = {}
        for name in self.thresholds:
            out[threshold_key(name)] = _per_draw(self.draws[f"thresholds.{name}"], self.m)[rows]
        for actor, issue in self.stances:
            out[tolerance_key(actor, issue)] = self.tolerance(actor, issue)[rows]
        masks = np.zeros(len(rows), np.int64) if masks is None else masks
        return out | self.issue_columns(rows, masks, list(self.index))

    def issue_columns(self, rows: np.ndarray, masks: np.ndarray, issues: list[str],
                      ) -> dict[str, np.ndarray]:
        """The settlement and the read gaps of `issues`, for paths of draws `rows` on tables
        `masks`."""
        out: dict[str, np.ndarray] = {}
        for x in issues:
            v = self.values(x, rows.astype(np.int64) << self.k | masks & self.touch[x])
            out[x] = v[:, 0]
            for c, a in enumerate(self.actors[x], start=1):
                out[gap_key(a, x)] = np.abs(v[:, 0] - v[:, c])
        return out

    def tolerance(self, actor: str, issue: str) -> np.ndarray:
        """τ per draw: the declared tolerance, else DEFAULT_TOLERANCE of the scale's width."""
        i = self.index[issue]
        path = f"issues[{i}].positions.{actor}.tolerance"
        if path in self.draws:
            return _per_draw(self.draws[path], self.m)
        sc = self.scenario.issues[i].scale
        return np.full(self.m, DEFAULT_TOLERANCE * (sc.max - sc.min))

    def masks(self, occ: np.ndarray) -> np.ndarray:
        """The table mask of each path from its occurred flags (events, paths)."""
        out = np.zeros(occ.shape[1], np.int64)
        for bit, e in enumerate(self.effect_rows):
            out |= occ[e].astype(np.int64) << bit
        return out


def _positions(table: IssueTable) -> dict[str, float]:
    return dict(zip(table.actors, table.position[:, 0].tolist(), strict=True))


def _per_draw(values: float | np.ndarray, m: int) -> np.ndarray:
    """One value per draw (a single value stands for all)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    return v if v.size == m else np.full(m, v[0])


class PathTables:
    """One chunk's paths' columns: at as_of to start, replaced where a path's table changes.

    `rows` is each path's draw (its row in the run's draws). The state's columns are replaced,
    not changed in place, so snapshots of earlier months keep theirs."""

    def __init__(self, settle: Settlements | None, rows: np.ndarray, resets: dict[int, list[int]],
                 ) -> None:
        self.settle, self.rows = settle, rows
        self.masks = np.zeros(len(rows), np.int64)
        effect_rows = set(settle.effect_rows) if settle is not None and settle.dynamic else set()
        # what can change a table: an effect's event firing, or an event resetting one
        self.triggers = effect_rows | {src for target, sources in resets.items()
                                       if target in effect_rows for src in sources}

    def initial(self) -> dict[str, np.ndarray]:
        return {} if self.settle is None else self.settle.columns(self.rows)

    def refresh(self, s: State, fired: Iterable[int]) -> None:
        """After a month's effects: new columns for the paths whose table changed."""
        if self.settle is None or not self.triggers.intersection(fired):
            return
        new = self.settle.masks(s.occ)
        flips = new ^ self.masks
        idx = np.flatnonzero(flips)
        if idx.size == 0:
            return
        bits = int(np.bitwise_or.reduce(flips[idx]))
        issues = [x for x, touch in self.settle.touch.items() if touch & bits]
        cols = self.settle.issue_columns(self.rows[idx], new[idx], issues)
        columns = dict(s.issues)
        for k, v in cols.items():
            columns[k] = columns[k].copy()
            columns[k][idx] = v
        s.issues = columns
        s.cache.clear()
        self.masks = new
