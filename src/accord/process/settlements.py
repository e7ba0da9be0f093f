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


def expressions(scenario: Scenario) -> list[C.Expr]:
    """Every condition of the scenario: `when`s and modifiers' `if`s."""
    out: list[C.Expr] = []
    for ev in scenario.events:
        out += [ev.condition, *(m.condition for m in ev.modifiers)]
    return out


def issue_table(scenario: Scenario, index: int, draws: Draws, j: int) -> IssueTable:
    """Issue `index` under parameter draw j, as at as_of (no effects)."""
    return TableSource(scenario, draws).table(index, j, 0)


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

    def value(self, path: str, j: int) -> float:
        v = self.draws[path]
        return float(v[j] if v.size > 1 else v[0])

    def table(self, index: int, j: int, mask: int) -> IssueTable:
        """Issue `index` under draw j with the effects of the events in `mask` applied."""
        iss, s = self.scenario.issues[index], self.scenario
        actors = list(iss.positions)
        pre = f"issues[{index}].positions"
        pos = {a: self.value(f"{pre}.{a}.position", j) for a in actors}
        sal = {a: self.value(f"{pre}.{a}.salience", j) for a in actors}
        cap = {a: self.value(f"actors[{k}].capability", j)
               for k, a in enumerate(x.id for x in s.actors) if a in pos}
        sq_path = f"issues[{index}].status_quo"
        sq = self.value(sq_path, j) if sq_path in self.draws else None
        lo, hi = iss.scale.min, iss.scale.max
        for ch in self.changes:
            if ch.index != index or not mask >> ch.bit & 1:
                continue
            v = self.value(ch.path, j)
            if ch.field == "status_quo":
                sq = min(hi, max(lo, v + (sq or 0.0) if ch.shift else v))
                continue
            col, bound = {"positions": (pos, (lo, hi)), "saliences": (sal, (0.0, 1.0)),
                          "capabilities": (cap, (0.0, np.inf))}[ch.field]
            a = str(ch.actor)
            col[a] = min(bound[1], max(bound[0], col[a] + v if ch.shift else v))
        return IssueTable.one_dim(
            iss.id, actors, [pos[a] for a in actors], [sal[a] for a in actors],
            [cap[a] for a in actors], scale_min=lo, scale_max=hi, status_quo=sq)


class Settlements:
    """The columns conditions read, per (draw row, table mask), solved once each and cached.

    `known`: the settlements at as_of per draw where the caller has them already (an issue id →
    one value per draw, or one for all); they are what the issue model gives on the unchanged
    table, so they stand for mask 0."""

    def __init__(self, scenario: Scenario, draws: Draws, known: Known | None = None,
                 max_entries: int = MAX_ENTRIES) -> None:
        self.source = src = TableSource(scenario, draws)
        self.scenario, self.draws, self.known = scenario, draws, dict(known or {})
        self.m = n_draws(draws) if draws else 1
        self.model = scenario.meta.issue_model
        exprs = expressions(scenario)
        self.stances = sorted(set().union(*(C.stances_referenced(x) for x in exprs)))
        wanted = set().union(*(C.issues_referenced(x) for x in exprs))
        self.group = False
        if wanted:  # the models are imported only where an issue is read
            from accord.bargaining.registry import GROUP_MODELS

            self.group = self.model in GROUP_MODELS
        self.index = {iss.id: i for i, iss in enumerate(scenario.issues) if iss.id in wanted}
        self.thresholds = sorted(set().union(*(C.thresholds_referenced(x) for x in exprs)))
        every = (1 << len(src.effect_events)) - 1
        self.touch = {x: every if self.group else src.touches(i) for x, i in self.index.items()}
        self.k = len(src.effect_events)
        self.max_entries = max_entries
        self.cache: dict[tuple[str, int], Solved] = {}
        self.solved = 0  # solves made (the cache's misses)
        self._zero: dict[str, np.ndarray] = {}
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
            known = self.known.get(x) if mask & self.touch[x] == 0 else None
            value = model(table).value if known is None else _at(known, j)
            out[x] = (float(value), _positions(table))
        return out

    def lookup(self, issue: str, j: int, mask: int) -> Solved:
        """`solve`, through the cache."""
        mask &= self.touch[issue]
        hit = self.cache.get((issue, j << self.k | mask))
        if hit is not None:
            return hit
        if len(self.cache) >= self.max_entries:
            raise UserError.at(
                f"the bargaining table took more than {self.max_entries:,} forms in this run "
                f"(distinct draws × event histories that change issue {issue!r}); run fewer "
                "draws, or let fewer events change the issues conditions read",
                field="effects")
        found = self.solve(j, mask, [issue])
        self.solved += 1
        for x, v in found.items():
            self.cache[(x, j << self.k | mask & self.touch[x])] = v
        return found[issue]

    # ---- columns ---------------------------------------------------------------------------
    def columns(self, rows: np.ndarray, masks: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Every column conditions read, for paths of draws `rows` on tables `masks` (default:
        all at as_of)."""
        out: dict[str, np.ndarray] = {}
        for name in self.thresholds:
            v = np.asarray(self.draws[f"thresholds.{name}"], dtype=float)
            out[threshold_key(name)] = v[rows] if v.size > 1 else np.full(len(rows), v[0])
        for issue in self.index:
            self._issue_columns(issue, rows, masks, out)
        for actor, issue in self.stances:
            out[tolerance_key(actor, issue)] = self.tolerance(actor, issue)[rows]
        return out

    def _issue_columns(self, issue: str, rows: np.ndarray, masks: np.ndarray | None,
                       out: dict[str, np.ndarray]) -> None:
        actors = [a for a, x in self.stances if x == issue]
        sub = None if masks is None else masks & self.touch[issue]
        if sub is None or not sub.any():
            zero = self.zero(issue)
            out[issue] = zero[issue][rows]
            for a in actors:
                out[gap_key(a, issue)] = zero[a][rows]
            return
        keys = rows.astype(np.int64) << self.k | sub
        uniq, inv = np.unique(keys, return_inverse=True)
        mask_all = (1 << self.k) - 1
        found = [self.lookup(issue, int(u) >> self.k, int(u) & mask_all) for u in uniq]
        value = np.array([f[0] for f in found])
        out[issue] = value[inv]
        for a in actors:
            out[gap_key(a, issue)] = np.abs(value - np.array([f[1][a] for f in found]))[inv]

    def zero(self, issue: str) -> dict[str, np.ndarray]:
        """Per draw at as_of: the settlement (key: the issue) and each read actor's gap."""
        if issue not in self._zero:
            found = [self.lookup(issue, j, 0) for j in range(self.m)]
            value = np.array([f[0] for f in found])
            self._zero[issue] = {issue: value} | {
                a: np.abs(value - np.array([f[1][a] for f in found]))
                for a, x in self.stances if x == issue}
        return self._zero[issue]

    def tolerance(self, actor: str, issue: str) -> np.ndarray:
        """τ per draw: the declared tolerance, else DEFAULT_TOLERANCE of the scale's width."""
        i = self.index[issue]
        path = f"issues[{i}].positions.{actor}.tolerance"
        if path in self.draws:
            v = np.asarray(self.draws[path], dtype=float)
            return v if v.size > 1 else np.full(self.m, v[0])
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


def _at(values: float | np.ndarray, j: int) -> float:
    v = np.asarray(values, dtype=float).reshape(-1)
    return float(v[j] if v.size > 1 else v[0])


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
        idx = np.flatnonzero(new != self.masks)
        if idx.size == 0:
            return
        cols = self.settle.columns(self.rows[idx], new[idx])
        columns = {k: v.copy() for k, v in s.issues.items()}
        for k, v in cols.items():
            columns[k][idx] = v
        s.issues = columns
        s.cache.clear()
        self.masks = new
