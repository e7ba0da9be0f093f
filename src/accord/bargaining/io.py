"""Readers for issue tables. Every mistake in a file is a UserError naming file, line and column.

Formats (``load_tables`` sniffs which one a file is):
- long CSV ``POSITIONS.csv``: ``issue,actor,position,salience,capability`` (any column order,
  extra columns ignored); salience on 0–100 (divided by 100). Optional ``ISSUES.csv``:
  ``issue[,scale_min,scale_max,status_quo,...,outcome]``; blank cells mean unknown. Without an
  issues file every scale is 0–100.
- KTAB CSV: line 1 ``scenario name, description, nActors, nDims``; line 2
  ``Actor,Description,Power|Influence,<dim> Position,<dim> Salience,...``; one row per actor;
  positions and saliences on 0–100 (divided by 100; an actor's saliences sum to ≤ 100); scale
  0–100; trailing commas and padded spaces accepted. → one multi-dimensional IssueTable.
- classic one-issue CSV ``Actor,Capability,Position,Salience`` (e.g. the EUM emissions example):
  salience on 0–1 (KTAB-style 0–100 if any value exceeds 1). Choice: the scale is the range of the
  positions (min to max) unless ``scale_min``/``scale_max`` are given — the EUM literature
  normalises by that range, and the file says nothing about its scale.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from accord.bargaining.table import IssueTable
from accord.errors import Problem, UserError

LONG_COLUMNS = ("issue", "actor", "position", "salience", "capability")
CLASSIC_COLUMNS = ("actor", "capability", "position", "salience")


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class IssueInfo:
    scale_min: float = 0.0
    scale_max: float = 100.0
    status_quo: float | None = None
    outcome: float | None = None
    line: int = 0
    extra: dict[str, str] = field(default_factory=dict)


class DataWarning(UserWarning):
    """Something in a data file worth telling the user, not worth stopping for."""


MAX_CSV_BYTES = 50_000_000  # DEU's whole table is 1 MB; a bigger file is a mistake or an attack


def _err(msg: str, path: Path | str, line: int | None = None, col: str | None = None) -> UserError:
    return UserError.at(msg, file=str(path), line=line, field=col)


def read_lines(path: Path | str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) for every non-blank CSV record of a UTF-8 text file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_CSV_BYTES and p.is_file():
            raise _err(f"is {size / 1e6:.1f} MB; the limit is {MAX_CSV_BYTES / 1e6:.0f} MB", p)
        raw = p.read_bytes()
    except FileNotFoundError:
        raise _err("file not found", p) from None
    except IsADirectoryError:
        raise _err("is a directory, not a CSV file", p) from None
    except OSError as exc:
        raise _err(f"cannot read: {exc.strerror}", p) from None
    if not raw.strip():
        raise _err("empty file", p)
    if b"\x00" in raw:
        raise _err("binary file, not CSV text", p, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _err("not UTF-8 text (save the file as UTF-8 CSV)", p, line) from None
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text))
    start = 1
    try:
        for rec in reader:
            line = start
            start = reader.line_num + 1
            if any("\n" in c or "\r" in c for c in rec):
                end = ("is never closed: the rest of the file became one cell"
                       if reader.line_num >= len(text.splitlines()) else
                       f"is not closed on it: the cell runs to line {reader.line_num}")
                raise _err(f'a quote (") opened on this line {end}', p, line)
            cells = [c.strip() for c in rec]
            while cells and cells[-1] == "":
                cells.pop()  # trailing commas
            if cells:
                out.append((line, cells))
    except csv.Error as exc:
        raise _err(f"malformed CSV: {exc}", p, reader.line_num) from None
    if not out:
        raise _err("empty file", p)
    return out


def table_rows(
    path: Path | str, required: tuple[str, ...]
) -> tuple[list[Row], list[str]]:
    """The header's columns (lower case) and a Row per data line: a row longer than the header
    is an error (a ',' inside an unquoted name shifts every cell after it)."""
    lines = read_lines(path)
    hline, header = lines[0]
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise _err(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(header has: {', '.join(header)}; needs {', '.join(required)})"
            + separator_hint(header), path, hline, missing[0],
        )
    rows = []
    for line, cells in lines[1:]:
        if len(cells) > len(names):
            raise _err(f"{len(cells)} cells but the header (line {hline}) has {len(names)} "
                       "columns: put a name holding a ',' in double quotes", path, line,
                       names[-1])
        rows.append(Row(line, {n: (cells[k] if k < len(cells) else "") for k, n in
                               enumerate(names)}))
    return rows, names


def separator_hint(header: Sequence[str]) -> str:
    """'; the cells are separated by ';' ...' when a one-cell header holds another separator."""
    if len(header) == 1:
        for sep, name in ((";", "';'"), ("\t", "tabs"), ("|", "'|'")):
            if sep in header[0]:
                return (f"; its cells are separated by {name}: save the file as comma-separated "
                        "CSV")
    return ""


def number(
    cell: str, path: Path | str, line: int, col: str, *, blank_ok: bool = False
) -> float | None:
    """A finite number from a cell, or a UserError at file:line, column."""
    if cell == "":
        if blank_ok:
            return None
        raise _err("missing value", path, line, col)
    try:
        v = float(cell)
    except ValueError:
        raise _err(f"not a number: '{cell}'", path, line, col) from None
    if not math.isfinite(v):
        raise _err(f"not a finite number: '{cell}'", path, line, col)
    return v


def _req(cell: str, path: Path | str, line: int, col: str) -> float:
    v = number(cell, path, line, col)
    assert v is not None
    return v


def _count(cell: str, path: Path | str, line: int, col: str) -> int:
    """A whole number of things (actors, dimensions) from a cell."""
    v = _req(cell, path, line, col)
    if v != int(v):
        raise _err(f"not a whole number: '{cell}'", path, line, col)
    return int(v)


MAX_PROBLEMS = 50  # a file's problems reported at once; past these, fix and rerun
T = TypeVar("T")
R = TypeVar("R")


def _each_row(rows: Sequence[R], parse: Callable[[R], T]) -> list[tuple[R, T]]:
    """(row, parse(row)) for every row, and every row's problems at once, not only the first:
    a user fixing a long file sees them all (up to MAX_PROBLEMS)."""
    out: list[tuple[R, T]] = []
    found: list[Problem] = []
    for r in rows:
        try:
            out.append((r, parse(r)))
        except UserError as exc:
            found += exc.problems
            if len(found) >= MAX_PROBLEMS:
                break
    if found:
        raise UserError(found[:MAX_PROBLEMS])
    return out


def read_issues(path: Path | str) -> dict[str, IssueInfo]:
    """ISSUES.csv → issue id → scale, status quo, outcome (scale units)."""
    rows, _ = table_rows(path, ("issue",))
    first: dict[str, int] = {}  # issue → its first line, readable or not

    def parse(r: Row) -> IssueInfo:
        iid = r.cells["issue"]
        if iid and iid in first:
            raise _err(f"issue '{iid}' listed twice (first on line {first[iid]})",
                       path, r.line, "issue")
        first.setdefault(iid, r.line)
        return _issue_row(r, path)

    return {r.cells["issue"]: info for r, info in _each_row(rows, parse)}


def _issue_row(r: Row, path: Path | str) -> IssueInfo:
    if not r.cells["issue"]:
        raise _err("missing issue id", path, r.line, "issue")
    vals: dict[str, float | None] = {}
    for col in ("scale_min", "scale_max", "status_quo", "outcome"):
        vals[col] = number(r.cells.get(col, ""), path, r.line, col, blank_ok=True)
    lo = 0.0 if vals["scale_min"] is None else vals["scale_min"]
    hi = 100.0 if vals["scale_max"] is None else vals["scale_max"]
    if hi <= lo:
        raise _err(f"scale_max {hi:g} is not above scale_min {lo:g}", path, r.line,
                   "scale_max")
    for col in ("status_quo", "outcome"):
        v = vals[col]
        if v is not None and not lo <= v <= hi:
            raise _err(f"{v:g} is outside the scale {lo:g}–{hi:g}", path, r.line, col)
    extra = {k: v for k, v in r.cells.items() if k not in ("issue", "scale_min", "scale_max",
                                                             "status_quo", "outcome")}
    return IssueInfo(lo, hi, vals["status_quo"], vals["outcome"], r.line, extra)


def read_positions(
    path: Path | str, issues_path: Path | str | None = None
) -> tuple[list[IssueTable], dict[str, float]]:
    """Long POSITIONS.csv (+ optional ISSUES.csv) → tables in file order, and outcomes.

    An issue on which fewer than two actors took a position has nothing to bargain over: it is
    left out with a warning (a long file holds many issues), unless no issue is left."""
    rows, _ = table_rows(path, LONG_COLUMNS)
    infos = read_issues(issues_path) if issues_path is not None else {}
    grouped: dict[str, list[tuple[Row, float, float, float]]] = {}

    def parse(r: Row) -> None:
        got = _position_row(r, path, issues_path, infos, grouped)
        if got is not None:
            grouped.setdefault(r.cells["issue"], []).append(got)

    _each_row(rows, parse)
    if not grouped:
        raise _err("no data rows", path, 2)
    tables = []
    for iid, group in grouped.items():
        if len(group) < 2:
            warnings.warn(f"{path}:{group[0][0].line}: issue: issue '{iid}' has one actor with a "
                          "position; at least two are needed, so it is left out", DataWarning,
                          stacklevel=2)
            continue
        info = infos.get(iid, IssueInfo())
        tables.append(IssueTable.one_dim(
            iid, [g[0].cells["actor"] for g in group], [g[1] for g in group],
            [g[2] for g in group], [g[3] for g in group], scale_min=info.scale_min,
            scale_max=info.scale_max, status_quo=info.status_quo,
        ))
    if not tables:
        raise _err("no issue has two or more actors with a position", path,
                   min(g[0][0].line for g in grouped.values()), "issue")
    kept = {t.issue for t in tables}
    outcomes = {i: info.outcome for i, info in infos.items()
                if info.outcome is not None and i in kept}
    return tables, outcomes


def _position_row(
    r: Row, path: Path | str, issues_path: Path | str | None, infos: dict[str, IssueInfo],
    grouped: dict[str, list[tuple[Row, float, float, float]]],
) -> tuple[Row, float, float, float] | None:
    """One row of a long file: (row, position, salience on [0, 1], capability), or None for an
    actor who took no position."""
    iid, actor = r.cells["issue"], r.cells["actor"]
    if not iid:
        raise _err("missing issue id", path, r.line, "issue")
    if not actor:
        raise _err("missing actor id", path, r.line, "actor")
    if not r.cells["position"].strip():  # an actor who took no position on this issue
        warnings.warn(f"{path}:{r.line}: position: '{actor}' has no position on issue "
                      f"'{iid}'; left out of it", DataWarning, stacklevel=5)
        return None
    pos = _req(r.cells["position"], path, r.line, "position")
    sal = _req(r.cells["salience"], path, r.line, "salience")
    cap = _req(r.cells["capability"], path, r.line, "capability")
    if sal < 0:
        raise _err(f"negative salience {sal:g}", path, r.line, "salience")
    if sal > 100:
        raise _err(f"salience {sal:g} above 100 (saliences are on 0–100)", path, r.line,
                   "salience")
    if cap < 0:
        raise _err(f"negative capability {cap:g}", path, r.line, "capability")
    if issues_path is not None and iid not in infos:
        raise _err(f"issue '{iid}' is not in {issues_path}", path, r.line, "issue")
    info = infos.get(iid, IssueInfo())
    if not info.scale_min <= pos <= info.scale_max:
        raise _err(f"position {pos:g} is outside the scale {info.scale_min:g}–"
                   f"{info.scale_max:g} of issue '{iid}'", path, r.line, "position")
    for prev, *_ in grouped.get(iid, []):
        if prev.cells["actor"] == actor:
            raise _err(f"actor '{actor}' listed twice on issue '{iid}' (first on line "
                       f"{prev.line})", path, r.line, "actor")
    return r, pos, sal / 100.0, cap


@dataclass
class _KtabActors:
    """Parses a KTAB file's actor rows, remembering the names seen (each once)."""

    path: Path | str
    hdr: list[str]
    n_dim: int
    seen: dict[str, int] = field(default_factory=dict)

    def parse(self, row: tuple[int, list[str]]) -> tuple[str, float, list[float], list[float]]:
        """(name, capability, positions, saliences in percent) of one actor row."""
        (line, cells), hdr, n_dim, path = row, self.hdr, self.n_dim, self.path
        if len(cells) < 3 + 2 * n_dim:
            col = hdr[len(cells)] if len(cells) < len(hdr) else None
            raise _err(f"{len(cells)} columns; {3 + 2 * n_dim} needed", path, line, col)
        name = cells[0]
        if not name:
            raise _err("missing actor name", path, line, hdr[0])
        if name in self.seen:
            raise _err(f"actor '{name}' listed twice (first on line {self.seen[name]})", path,
                       line, hdr[0])
        self.seen[name] = line
        cap = _req(cells[2], path, line, hdr[2])
        if cap < 0:
            raise _err(f"negative capability {cap:g}", path, line, hdr[2])
        pos, sal = np.empty(n_dim), np.empty(n_dim)
        for k in range(n_dim):
            pcol, scol = hdr[3 + 2 * k], hdr[4 + 2 * k]
            pos[k] = _req(cells[3 + 2 * k], path, line, pcol)
            sal[k] = _req(cells[4 + 2 * k], path, line, scol)
            if not 0 <= pos[k] <= 100:
                raise _err(f"position {pos[k]:g} is outside the scale 0–100", path, line, pcol)
            if sal[k] < 0:
                raise _err(f"negative salience {sal[k]:g}", path, line, scol)
        if sal.sum() > 100 + 1e-9:
            raise _err(f"saliences sum to {sal.sum():g}, above 100", path, line,
                       hdr[4 + 2 * (n_dim - 1)])
        return name, cap, list(pos), list(sal)


def read_ktab(path: Path | str) -> IssueTable:
    """A KTAB SMP CSV → one multi-dimensional IssueTable (scale 0–100, salience / 100)."""
    lines = read_lines(path)
    line1, head = lines[0]
    if len(head) < 4:
        raise _err("line 1 must be 'scenario name, description, nActors, nDims'", path, line1)
    n_act = _count(head[2], path, line1, "nActors")
    n_dim = _count(head[3], path, line1, "nDims")
    if n_dim < 1:
        raise _err(f"nDims must be at least 1, not {n_dim}", path, line1, "nDims")
    if len(lines) < 2:
        raise _err("missing header line 2 (Actor,Description,Power,...)", path, line1 + 1)
    hline, hdr = lines[1]
    if len(hdr) < 3 + 2 * n_dim:
        raise _err(f"header has {len(hdr)} columns; {3 + 2 * n_dim} needed for {n_dim} "
                   "dimensions", path, hline, hdr[-1] if hdr else None)
    dims = tuple(hdr[3 + 2 * k] for k in range(n_dim))
    body = lines[2:]
    if len(body) != n_act:
        raise _err(f"line 1 declares {n_act} actors but the file has {len(body)} actor rows",
                   path, line1, "nActors")
    if n_act < 2:
        raise _err(f"{n_act} actor; at least two are needed", path, line1, "nActors")
    rows = _each_row(body, _KtabActors(path, hdr, n_dim).parse)
    names = [name for _, (name, _, _, _) in rows]
    cap = np.array([c for _, (_, c, _, _) in rows])
    pos = np.array([x for _, (_, _, x, _) in rows])
    sal = np.array([w for _, (_, _, _, w) in rows])
    return IssueTable(
        issue=head[0] or Path(path).stem, actors=tuple(names), position=pos,
        salience=sal / 100.0, capability=cap, scale_min=np.zeros(n_dim),
        scale_max=np.full(n_dim, 100.0), status_quo=None, dimensions=dims,
    )


def read_classic(
    path: Path | str, scale_min: float | None = None, scale_max: float | None = None
) -> IssueTable:
    """Classic one-issue CSV ``Actor,Capability,Position,Salience`` → IssueTable."""
    rows, _ = table_rows(path, CLASSIC_COLUMNS)
    if len(rows) < 2:
        raise _err(f"{len(rows)} actor; at least two are needed", path,
                   rows[0].line if rows else 2, "actor")
    seen: dict[str, int] = {}

    def actor(r: Row) -> tuple[str, float, float, float]:
        name = r.cells["actor"]
        if not name:
            raise _err("missing actor name", path, r.line, "actor")
        if name in seen:
            raise _err(f"actor '{name}' listed twice (first on line {seen[name]})", path,
                       r.line, "actor")
        seen[name] = r.line
        c = _req(r.cells["capability"], path, r.line, "capability")
        x = _req(r.cells["position"], path, r.line, "position")
        s = _req(r.cells["salience"], path, r.line, "salience")
        if c < 0:
            raise _err(f"negative capability {c:g}", path, r.line, "capability")
        if s < 0:
            raise _err(f"negative salience {s:g}", path, r.line, "salience")
        if s > 100:
            raise _err(f"salience {s:g} above 100", path, r.line, "salience")
        return name, c, x, s

    parsed = [v for _, v in _each_row(rows, actor)]
    names = [v[0] for v in parsed]
    cap, pos, sal = [v[1] for v in parsed], [v[2] for v in parsed], [v[3] for v in parsed]
    lo = min(pos) if scale_min is None else scale_min
    hi = max(pos) if scale_max is None else scale_max
    if hi <= lo:
        hi = lo + 1.0  # every actor at one position: any non-empty scale will do
    def inside(r: Row) -> None:
        x = float(r.cells["position"])
        if not lo <= x <= hi:
            raise _err(f"position {x:g} is outside the scale {lo:g}–{hi:g}", path, r.line,
                       "position")

    _each_row(rows, inside)
    s_arr = np.array(sal)
    if s_arr.max() > 1:
        s_arr = s_arr / 100.0
    return IssueTable.one_dim(Path(path).stem, names, pos, s_arr, cap, scale_min=lo,
                              scale_max=hi)


LONG_KEYS = ("issue", "actor", "position")


def sniff(path: Path | str) -> str:
    """'long', 'ktab' or 'classic' from the first lines of a file."""
    lines = read_lines(path)
    names = [h.strip().lower() for h in lines[0][1]]
    if all(c in names for c in LONG_KEYS):
        return "long"
    if all(c in names for c in CLASSIC_COLUMNS):
        return "classic"
    if len(lines) > 1 and lines[1][1] and lines[1][1][0].lower() == "actor":
        return "ktab"
    raise _err(
        "unrecognised format: expected a long CSV (issue,actor,position,salience,capability), "
        "a KTAB CSV (line 2 'Actor,Description,Power,...') or Actor,Capability,Position,"
        "Salience" + separator_hint(lines[0][1]) + _scenario_hint(path), path, lines[0][0],
    )


def _scenario_hint(path: Path | str) -> str:
    """A scenario given where a table is wanted: its issues are forecast by `accord run`."""
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        return " (a scenario's issues are forecast by `accord run SCENARIO`)"
    return ""


def issues_need_long(path: Path | str, issues: Path | str, kind: str) -> UserError:
    """An issues file given with a table that is not a long CSV: the table's header is at
    fault (often a column name mistyped), so the error points there."""
    return _err(f"read as a {kind} file, but an issues file ({Path(issues).name}) goes with a "
                f"long CSV only, whose header has {', '.join(LONG_KEYS)} columns",
                path, read_lines(path)[0][0])


def load_tables(
    path: Path | str, issues: Path | str | None = None
) -> tuple[list[IssueTable], dict[str, float]]:
    """Any supported file → tables and (for long CSVs with an issues file) outcomes."""
    kind = sniff(path)
    if kind == "long":
        return read_positions(path, issues)
    if issues is not None:
        raise issues_need_long(path, issues, kind)
    if kind == "ktab":
        return [read_ktab(path)], {}
    return [read_classic(path)], {}
