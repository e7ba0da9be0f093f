"""Issues in groups: the exchange model trades across the issues of one group (a DEU proposal,
the issues of one decide file), so readers here also say which group each issue belongs to.

Formats:
- decide's ``#A/#P/#M/#D`` file (decide-exchange-model's input; tab-separated, fields quoted with
  '): ``#A key name comment`` an actor; ``#P key name comment`` an issue; ``#M issue position
  meaning`` a point of the issue's scale (the scale runs from the least to the greatest; 0–100
  without ``#M`` rows); ``#D actor issue position salience power`` with salience and power on
  [0, 1]. All its issues form one group (the file).
- long CSVs (see :mod:`accord.bargaining.io`): an issues file with a ``proposal`` column groups
  issues by it; without one, every issue is a group of its own.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.bargaining.io import (
    IssueInfo,
    issues_need_long,
    load_tables,
    number,
    read_issues,
    read_lines,
)
from accord.bargaining.table import IssueTable
from accord.errors import UserError

DECIDE_KINDS = ("#A", "#P", "#M", "#D")


def _err(msg: str, path: Path | str, line: int | None = None, col: str | None = None) -> UserError:
    return UserError.at(msg, file=str(path), line=line, field=col)


def _decide_records(path: Path | str) -> list[tuple[int, list[str]]]:
    read_lines(path)  # the same checks of existence, size, encoding as every reader
    text = Path(path).read_bytes().decode("utf-8-sig")
    out = []
    for k, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = next(csv.reader(_io.StringIO(line), delimiter="\t", quotechar="'"))
        cells = [c.strip() for c in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append((k, cells))
    return out


def is_decide(path: Path | str) -> bool:
    """True if the file's first record is a decide ``#A/#P/#M/#D`` row."""
    try:
        recs = _decide_records(path)
    except (UserError, UnicodeDecodeError):
        return False
    return bool(recs) and recs[0][1][0] in DECIDE_KINDS


_NEED = {"#A": 2, "#P": 2, "#M": 3, "#D": 6}
_NAMES = {"#D": ("kind", "actor", "issue", "position", "salience", "power"),
          "#M": ("kind", "issue", "position")}


@dataclass
class _Decide:
    """A decide file's rows as read: actors and issues (with their lines), scale marks and
    each issue's (line, actor, position, salience, power) rows."""

    path: Path | str
    actors: dict[str, int] = field(default_factory=dict)
    issues: dict[str, int] = field(default_factory=dict)
    marks: dict[str, list[float]] = field(default_factory=dict)
    data: dict[str, list[tuple[int, str, float, float, float]]] = field(default_factory=dict)

    def add(self, line: int, cells: list[str]) -> None:
        path, kind = self.path, cells[0]
        if kind not in DECIDE_KINDS:
            raise _err(f"unknown row type '{kind}' (expected #A, #P, #M or #D)", path, line,
                       "kind")
        if len(cells) < _NEED[kind]:
            raise _err(f"{kind} row has {len(cells)} fields; {_NEED[kind]} needed", path, line,
                       _NAMES.get(kind, ("kind", "key"))[min(len(cells), _NEED[kind] - 1)]
                       if kind in _NAMES else "key")
        if kind == "#A":
            if cells[1] in self.actors:
                raise _err(f"actor '{cells[1]}' defined twice (first on line "
                           f"{self.actors[cells[1]]})", path, line, "key")
            self.actors[cells[1]] = line
        elif kind == "#P":
            if cells[1] in self.issues:
                raise _err(f"issue '{cells[1]}' defined twice (first on line "
                           f"{self.issues[cells[1]]})", path, line, "key")
            self.issues[cells[1]] = line
            self.data.setdefault(cells[1], [])
        elif kind == "#M":
            if cells[1] not in self.issues:
                raise _err(f"unknown issue '{cells[1]}' (no #P row before it)", path, line,
                           "issue")
            v = number(cells[2], path, line, "position")
            assert v is not None
            self.marks.setdefault(cells[1], []).append(v)
        else:
            self.add_position(line, cells)

    def add_position(self, line: int, cells: list[str]) -> None:
        path, a, i = self.path, cells[1], cells[2]
        if a not in self.actors:
            raise _err(f"unknown actor '{a}' (no #A row before it)", path, line, "actor")
        if i not in self.issues:
            raise _err(f"unknown issue '{i}' (no #P row before it)", path, line, "issue")
        pos, sal, pw = (number(cells[k], path, line, _NAMES["#D"][k]) for k in (3, 4, 5))
        assert pos is not None and sal is not None and pw is not None
        if not 0 <= sal <= 1:
            raise _err(f"salience {sal:g} is outside 0–1", path, line, "salience")
        if pw < 0:
            raise _err(f"negative power {pw:g}", path, line, "power")
        if any(r[1] == a for r in self.data[i]):
            raise _err(f"actor '{a}' has two #D rows on issue '{i}'", path, line, "actor")
        self.data[i].append((line, a, pos, sal, pw))


def read_decide(path: Path | str) -> list[IssueTable]:
    """A decide input file → one one-dimensional IssueTable per ``#P`` issue, in file order."""
    d = _Decide(path)
    for line, cells in _decide_records(path):
        d.add(line, cells)
    if not d.issues:
        raise _err("no #P (issue) rows", path)
    tables = []
    for i, rows in d.data.items():
        marks = d.marks.get(i, [])
        lo, hi = (min(marks), max(marks)) if len(marks) >= 2 else (0.0, 100.0)
        if hi <= lo:
            raise _err(f"issue '{i}': its #M points do not span a scale", path, d.issues[i],
                       "#M")
        for line, _, pos, _, _ in rows:
            if not lo <= pos <= hi:
                raise _err(f"position {pos:g} is outside the scale {lo:g}–{hi:g} of issue "
                           f"'{i}'", path, line, "position")
        if len(rows) < 2:
            raise _err(f"issue '{i}' has {len(rows)} #D row; at least two are needed", path,
                       d.issues[i], "issue")
        tables.append(IssueTable.one_dim(i, [r[1] for r in rows], [r[2] for r in rows],
                                         [r[3] for r in rows], [r[4] for r in rows],
                                         scale_min=lo, scale_max=hi))
    return tables


def load_grouped(
    path: Path | str, issues: Path | str | None = None, group: str = "proposal",
    strict: bool = False,
) -> tuple[list[IssueTable], dict[str, float], dict[str, str]]:
    """Tables, outcomes, and each issue's group (the ``group`` column of the issues file; the
    file for decide input; the issue itself otherwise). ``strict``: the column must exist."""
    if is_decide(path):
        if issues is not None:
            raise issues_need_long(path, issues, "DECIDE")
        tables = read_decide(path)
        return tables, {}, {t.issue: Path(path).stem for t in tables}
    tables, outcomes = load_tables(path, issues)
    infos: dict[str, IssueInfo] = read_issues(issues) if issues is not None else {}
    if strict and not any(group in info.extra for info in infos.values()):
        where = str(issues) if issues is not None else str(path)
        raise _err(f"no '{group}' column to group issues by", where, 1, group)
    groups = {}
    for t in tables:
        g = infos[t.issue].extra.get(group, "") if t.issue in infos else ""
        groups[t.issue] = g or t.issue
    return tables, outcomes, groups


def by_group(tables: Sequence[IssueTable], groups: dict[str, str]) -> list[list[IssueTable]]:
    """Tables split into their groups, groups in order of first appearance."""
    out: dict[str, list[IssueTable]] = {}
    for t in tables:
        out.setdefault(groups.get(t.issue, t.issue), []).append(t)
    return list(out.values())
