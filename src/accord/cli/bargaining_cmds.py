"""`accord predict`, `accord evaluate`, `accord smp`: the bargaining models on issue tables."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import typer

from accord.cli import options as o
from accord.cli.app import app
from accord.errors import UserError

# NumPy, rich and the models are imported in the commands' bodies: registering costs nothing.
if TYPE_CHECKING:
    from accord.bargaining.table import IssueTable


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError.at(f"cannot write: {exc.strerror}", file=str(out)) from None


def _issue_label(t: IssueTable, k: int) -> str:
    return t.issue if t.n_dims == 1 else f"{t.issue}:{t.dimensions[k]}"


@app.command("predict")
def predict_cmd(
    positions: Path = typer.Argument(..., help="POSITIONS.csv (long), a KTAB CSV, or "
                                     "Actor,Capability,Position,Salience"),
    issues: Path | None = typer.Option(None, "--issues", help="ISSUES.csv (scales, status quo)"),
    model: o.ModelName = o.Model,
    out_named: Path | None = o.out_file_option("the CSV (default: stdout)"),
    out_alias: Path | None = o.OutFileAlias,
    group: str | None = typer.Option(None, "--group", help="issues-file column grouping issues "
                                     "for the exchange model (default: proposal, if present)"),
    json_: bool = o.Json,
) -> None:
    """Forecast each issue's outcome: CSV issue,model,prediction (scale units).

    A multi-dimensional (KTAB) issue gives one row per dimension, labelled ISSUE:DIMENSION.
    Also reads decide's #A/#P/#M/#D files (all their issues form one group). With --json the
    rows and the models' notes are one JSON document (the CSV still goes to --out-file).
    """
    from accord.bargaining.groups import load_grouped
    from accord.bargaining.registry import predict_tables, resolve
    from accord.cli.common import print_json

    out = o.out_file(out_named, out_alias)
    names = resolve(model.value)
    tables, _, groups = load_grouped(positions, issues, group or "proposal",
                                     strict=group is not None)
    rows: list[dict[str, Any]] = []
    notes: dict[str, tuple[set[str], list[str]]] = {}  # kind of note → its texts, its issues
    for name in names:
        for t, p in zip(tables, predict_tables(name, tables, groups), strict=True):
            for k in range(t.n_dims):
                rows.append({"issue": _issue_label(t, k), "model": name,
                             "prediction": float(p.outcome[k])})
            for note in p.notes:  # the same note with other counts is the same kind
                texts, where = notes.setdefault(re.sub(r"\b\d+\b", "N", note), (set(), []))
                texts.add(note)
                where.append(t.issue)
    if out is not None or not json_:
        _write_text(_predictions_csv(rows), out)
    lines = _note_lines(notes, len(tables))
    for line in lines:
        sys.stderr.write(line + "\n")
    if json_:
        print_json({"predictions": rows, "notes": lines})


def _predictions_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["issue", "model", "prediction"])
    for r in rows:
        w.writerow([r["issue"], r["model"], f"{r['prediction']:.6g}"])
    return buf.getvalue()


def _note_lines(notes: dict[str, tuple[set[str], list[str]]], n_tables: int) -> list[str]:
    """One line per kind of note, not per issue."""
    lines = []
    for kind, (texts, where) in notes.items():
        note = next(iter(texts)) if len(texts) == 1 else kind
        shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
        lines.append(f"{note}: {len(where)} of {n_tables} issues ({shown})")
    return lines


@app.command("evaluate")
def evaluate_cmd(
    positions: Path = typer.Argument(..., help="POSITIONS.csv (long)"),
    issues: Path = typer.Option(..., "--issues", help="ISSUES.csv with an outcome column"),
    model: o.ModelName = o.Model,
    as_json: bool = o.Json,
    cv: int | None = typer.Option(None, "--cv", min=2, help="grouped K-fold cross-validation"),
    repeats: int = typer.Option(1, "--repeats", min=1, help="CV repeats (fresh folds each)"),
    group: str | None = typer.Option(None, "--group", help="issues-file column that groups "
                                     "issues (default: proposal, if present)"),
    seed: int = o.Seed,
) -> None:
    """Mean / median absolute error (0–100 points) and share within 10, against outcomes,
    with the baselines (mean, salience mean, capability × salience mean) always shown.

    With --cv K: grouped K-fold CV (folds are whole groups); models with free parameters are
    fitted on the training folds only; MAE with a group-clustered SE, the paired difference to
    compromise, CRPS and the coverage of the 50% and 90% intervals."""
    from accord.bargaining.evaluate import evaluate as evaluate_models
    from accord.bargaining.groups import load_grouped
    from accord.bargaining.registry import resolve
    from accord.cli.common import out
    from accord.report.listings import cv_picks, cv_table, scores_table

    names = resolve(model.value)
    tables, outcomes, groups = load_grouped(positions, issues, group or "proposal",
                                            strict=group is not None)
    if not outcomes:
        raise UserError.at("no issue has an outcome to evaluate against", file=str(issues),
                           field="outcome")
    if cv is not None:
        from accord.bargaining.cv import cross_validate

        def note(msg: str) -> None:
            if not as_json:
                sys.stderr.write(f"cv: {msg}\n")

        rows = cross_validate(tables, outcomes, groups, names, k=cv, repeats=repeats, seed=seed,
                              progress=note, select=model.value == "all")
        if as_json:
            sys.stdout.write(json.dumps({"cv": [r.as_dict() for r in rows], "folds": cv,
                                         "repeats": repeats, "issues": rows[0].n,
                                         "groups": rows[0].groups}, indent=2) + "\n")
            return
        out.print(cv_table(out, rows, cv, repeats))
        for line in cv_picks(rows, cv * repeats):
            out.print(line, highlight=False)
        return
    scores = evaluate_models(tables, outcomes, names, groups)
    if as_json:
        sys.stdout.write(json.dumps({"scores": [s.as_dict() for s in scores],
                                     "issues": len(outcomes)}, indent=2) + "\n")
        return
    out.print(scores_table(out, scores, len(outcomes)))


@app.command("smp")
def smp_cmd(
    ktab: Path = typer.Argument(..., help="a KTAB SMP CSV"),
    history: Path | None = typer.Option(None, "--history",
                                        help="write actor,dimension,turn,position (0–100)"),
    json_: bool = o.Json,
) -> None:
    """Run KTAB's Spatial Model of Politics; print the final positions."""
    import numpy as np

    from accord.bargaining.io import load_tables
    from accord.bargaining.smp import run as smp_run

    tables, _ = load_tables(ktab)
    if len(tables) != 1:
        raise UserError.at(f"{len(tables)} issues; smp needs one (multi-dimensional) issue",
                           file=str(ktab))
    t = tables[0]
    states, probs = smp_run(t.unit_positions(), t.salience, t.capability)
    hist = np.stack([s.x for s in states]) * 100.0  # (T+1, n, d) on 0–100
    if history is not None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["actor", "dimension", "turn", "position"])
        for a, actor in enumerate(t.actors):
            for k, dim in enumerate(t.dimensions):
                for turn in range(hist.shape[0]):
                    w.writerow([actor, dim, turn, f"{hist[turn, a, k]:.1f}"])
        _write_text(buf.getvalue(), history)
    if json_:
        from accord.cli.common import print_json

        def at(turn: int, a: int) -> dict[str, float]:
            return {dim: round(float(hist[turn, a, k]), 6) for k, dim in enumerate(t.dimensions)}

        print_json({"issue": t.issue, "turns": len(states) - 1, "dimensions": t.dimensions,
                    "actors": [{"actor": actor, "start": at(0, a), "end": at(-1, a),
                                "probability": float(probs[-1, a])}
                               for a, actor in enumerate(t.actors)]})
        return
    _print_smp(t, hist, probs, len(states) - 1)


def _print_smp(t: IssueTable, hist: Any, probs: Any, turns: int) -> None:
    from accord.cli.common import out
    from accord.report.console import table

    out.print(table(out, ["actor", *t.dimensions, "probability"],
                    [[actor, *(f"{hist[0, a, k]:.1f} → {hist[-1, a, k]:.1f}"
                               for k in range(t.n_dims)), f"{probs[-1, a]:.4f}"]
                     for a, actor in enumerate(t.actors)],
                    title=f"{t.issue}: SMP after {turns} turns (0–100)"))


@app.command("exchange")
def exchange_cmd(
    positions: Path = typer.Argument(..., help="POSITIONS.csv (long), a decide #A/#P/#M/#D "
                                     "file, or a KTAB CSV (its dimensions are the issues)"),
    issues: Path | None = typer.Option(None, "--issues", help="ISSUES.csv (scales, groups)"),
    group: str | None = typer.Option(None, "--group", help="issues-file column grouping issues "
                                     "(default: proposal, if present)"),
    only: str | None = typer.Option(None, "--only", help="just this group"),
    rounds: int = typer.Option(1, "--rounds", min=1, max=100, help="rounds of exchange"),
    random_rate: bool = typer.Option(False, "--random", help="random-rate variant (one draw)"),
    seed: int = o.Seed,
    trades_out: Path | None = typer.Option(None, "--trades", help="write every exchange as CSV"),
    as_json: bool = o.Json,
) -> None:
    """The exchange model's breakdown per group: outcomes after each round, who gave what to
    whom, each actor's gains and externalities (positions on 0–100)."""
    import numpy as np

    from accord.bargaining.groups import load_grouped

    tables, _, groups = load_grouped(positions, issues, group or "proposal",
                                     strict=group is not None)
    rng = np.random.default_rng(seed) if random_rate else None
    runs = _exchange_runs(tables, groups, only, rounds, rng)
    if not runs:
        what = f"group '{only}'" if only is not None else "group of two or more issues"
        raise UserError.at(f"no {what} to exchange across", file=str(issues or positions),
                           field="--only" if only is not None else group or "proposal")
    if trades_out is not None:
        _write_trades(runs, trades_out)
    if as_json:
        sys.stdout.write(json.dumps({"groups": [_exchange_doc(r) for r in runs]}, indent=2)
                         + "\n")
        return
    for run in runs:
        _print_exchange(run)


class _GroupRun(NamedTuple):
    """One group's exchange: its issues, actors, starting outcome and rounds."""

    gid: str
    names: list[str]
    actors: list[str]
    first: Any
    res: Any


def _exchange_runs(tables: list[Any], groups: dict[str, str], only: str | None, rounds: int,
                   rng: Any) -> list[_GroupRun]:
    """The exchange model run on each group of two or more issues (a lone multi-dimensional
    issue's dimensions are its issues), or on `only` that group."""

    from accord.bargaining import exchange
    from accord.bargaining.groups import by_group

    runs = []
    for members in by_group(tables, groups):
        gid = groups.get(members[0].issue, members[0].issue)
        if only is not None and gid != only:
            continue
        if len(members) == 1 and members[0].n_dims > 1:
            t = members[0]
            members = [t.dimension(k) for k in range(t.n_dims)]
            members = [replace(m, issue=m.dimensions[0]) for m in members]  # name = dimension
        if len(members) < 2:
            continue
        actors, x, s, c, present = exchange.matrices(members)
        names = [m.issue for m in members]
        first = exchange.start_outcome(x, s, c, present)
        res = exchange.run(x, s, c, present, rounds=rounds, actors=actors, issues=names,
                           rng=rng)
        runs.append(_GroupRun(gid, names, actors, first, res))
    return runs


def _write_trades(runs: list[_GroupRun], path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["group", "round", "actor_i", "supply_i", "from_i", "to_i", "gain_i",
                "actor_j", "supply_j", "from_j", "to_j", "gain_j"])
    for run in runs:
        for r in run.res.rounds:
            for tr in r.trades:
                w.writerow([run.gid, tr.round, tr.actor_i, tr.supply_i, f"{tr.from_i:.6g}",
                            f"{tr.to_i:.6g}", f"{tr.gain_i:.6g}", tr.actor_j, tr.supply_j,
                            f"{tr.from_j:.6g}", f"{tr.to_j:.6g}", f"{tr.gain_j:.6g}"])
    _write_text(buf.getvalue(), path)


def _exchange_doc(run: _GroupRun) -> dict[str, Any]:
    names, actors = run.names, run.actors
    return {"group": run.gid, "issues": names, "actors": list(actors),
            "start": dict(zip(names, map(float, run.first), strict=True)),
            "rounds": [{"outcome": dict(zip(names, map(float, r.outcome), strict=True)),
                        "trades": [tr.__dict__ | {k: float(v) for k, v in tr.__dict__.items()
                                                  if isinstance(v, float)}
                                   for tr in r.trades],
                        "gains": dict(zip(actors, map(float, r.gains), strict=True)),
                        "externalities": dict(zip(actors, map(float, r.externalities),
                                                  strict=True)),
                        "ties": r.ties} for r in run.res.rounds]}


def _print_exchange(run: _GroupRun) -> None:
    from accord.cli.common import out
    from accord.report.console import table

    gid, names, actors, first, res = run
    out.print(table(out, ["issue", "start", *(f"round {k + 1}" for k in
                                              range(len(res.rounds)))],
                    [[name, f"{first[i]:.1f}", *(f"{r.outcome[i]:.1f}" for r in res.rounds)]
                     for i, name in enumerate(names)],
                    title=f"{gid}: outcome (0–100) by round"))
    gains = sum(r.gains for r in res.rounds)
    ext = sum(r.externalities for r in res.rounds)
    count = {a: 0 for a in actors}
    for r in res.rounds:
        for tr in r.trades:
            count[tr.actor_i] += 1
            count[tr.actor_j] += 1
    out.print(table(out, ("actor", "exchanges", "gain", "externality"),
                    [[actor, str(count[actor]), f"{gains[a]:.4f}", f"{ext[a]:+.4f}"]
                     for a, actor in enumerate(actors)],
                    title=f"{gid}: exchanges, gains and externalities (all rounds)"))
    ties = sum(r.ties for r in res.rounds)
    if ties:
        sys.stderr.write(f"{gid}: {ties} ties between exchanges of equal gain, broken by "
                         "input order (decide breaks them at random)\n")
