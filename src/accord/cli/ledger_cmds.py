"""`accord ledger list|resolve|score|verify`: the tamper-evident record of forecasts."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from accord.cli import options as o
from accord.cli.app import app

ledger_app = typer.Typer(help="The forecast ledger: what accord forecast, and how it turned out.",
                         no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


def _ledger(db: str | None):  # -> accord.store.ledger.Ledger, imported lazily
    from accord.cli.common import closed_at_exit
    from accord.store.ledger import Ledger
    from accord.store.runs import RunStore

    return Ledger(closed_at_exit(RunStore(db)))


@ledger_app.command("list")
def list_(
    scenario: str | None = typer.Option(None, "--scenario", help="only this scenario id"),
    question: str | None = o.Question,
    json_: bool = o.Json,
    db: str | None = o.Db,
) -> None:
    """Every entry, oldest first: forecasts and resolutions."""
    from accord.cli.common import out, print_json
    from accord.report.listings import ledger_table

    entries = _ledger(db).entries(scenario, question)
    if json_:
        print_json([e.to_dict() for e in entries])
        return
    out.print(ledger_table(out, entries))


@ledger_app.command()
def resolve(
    scenario_id: str = typer.Argument(..., help="the scenario's meta.id"),
    question_id: str = typer.Argument(..., help="the question's id"),
    outcome: o.Outcome = typer.Argument(..., help="how it resolved", case_sensitive=False),
    on: str = typer.Option(..., "--on", help="the date it resolved, YYYY-MM-DD"),
    source: str | None = typer.Option(None, "--source", help="where the resolution comes from"),
    db: str | None = o.Db,
) -> None:
    """Record how a question resolved (itself a chained entry)."""
    from accord.cli.common import out
    from accord.errors import UserError

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise UserError.at(f"not a date (YYYY-MM-DD): {on!r}", field="on") from None
    e = _ledger(db).resolve(scenario_id, question_id, outcome.value, day, source)
    out.print(f"entry {e.seq}: {scenario_id} · {question_id} resolved "
              f"{outcome.value.upper()} on {on}", highlight=False)


@ledger_app.command()
def score(
    scenario: str | None = typer.Option(None, "--scenario", help="only this scenario id"),
    json_: bool = o.Json,
    out_dir: Path | None = typer.Option(None, "--out", help="folder for the reliability diagram"),
    db: str | None = o.Db,
) -> None:
    """Brier, log and time-averaged Brier scores, Murphy decomposition, reliability diagram."""
    from accord.analysis.scoring import score_standings
    from accord.cli.common import out, print_json
    from accord.errors import UserError
    from accord.report.console import table

    standings = standings_of(_ledger(db).entries(scenario))
    if not standings:
        raise UserError.at("no resolved question in the ledger: resolve one with "
                           "accord ledger resolve SCENARIO QUESTION yes|no --on DATE")
    s = score_standings(standings)
    if s.n == 0:
        raise UserError.at(
            "no resolved question has a forecast recorded on or before the day it resolved "
            f"({', '.join(s.unscored)}): a forecast made after the outcome is not scored")
    if out_dir is not None:
        from accord.report.ledger import write_ledger_report

        write_ledger_report(s, out_dir)
    if json_:
        print_json(s.to_dict())
        return
    out.print(table(out, ("forecaster", "Brier", "log score", "time-averaged Brier"), [
        ["accord", f"{s.brier:.4f}", f"{s.log:.4f}", f"{s.time_averaged_brier:.4f}"],
        ["always 50%", f"{s.brier_50:.4f}", f"{s.log_50:.4f}",
         f"{s.time_averaged_brier_50:.4f}"]],
        title=f"{s.n} resolved questions (0 is best for every score)"))
    m = s.murphy
    out.print(f"Murphy: reliability {m.reliability:.4f} − resolution {m.resolution:.4f} + "
              f"uncertainty {m.uncertainty:.4f} (+ {m.remainder:.4f} within bins)",
              highlight=False)
    if s.unscored:
        out.print(f"resolved with no forecast before: {', '.join(s.unscored)}", highlight=False)
    if out_dir is not None:
        out.print(f"reliability diagram in {out_dir}", highlight=False, soft_wrap=True)


def standings_of(entries: list) -> list:
    """Per resolved (scenario, question): its forecasts and its latest resolution; annulled and
    open questions are left out."""
    from accord.analysis.scoring import Standing

    forecasts: dict[tuple[str, str], list[tuple[dt.datetime, float]]] = {}
    resolved: dict[tuple[str, str], dict] = {}
    for e in entries:
        key = (e.scenario_id, e.question_id)
        if e.kind == "forecast" and e.content.get("probability") is not None:
            when = dt.datetime.fromisoformat(e.content["recorded_at"])
            forecasts.setdefault(key, []).append((when, float(e.content["probability"])))
        elif e.kind == "resolution":
            resolved[key] = e.content
    return [Standing(f"{k[0]} · {k[1]}", forecasts.get(k, []), int(r["outcome"] == "yes"),
                     dt.date.fromisoformat(r["resolved_on"]))
            for k, r in resolved.items() if r["outcome"] != "annulled"]


@ledger_app.command()
def verify(json_: bool = o.Json, db: str | None = o.Db) -> None:
    """Exit 0 when the hash chain is intact; 3, naming the first bad entry, when it is not."""
    from accord.cli.common import out, print_json

    broken, n, head = _ledger(db).verify()
    if json_:
        print_json({"ok": broken is None, "entries": n, "head": head,
                    "first_bad": None if broken is None else vars(broken)})
    elif broken is None:
        out.print(f"ledger intact: {n} entries, head {head}", highlight=False)
    else:
        sys.stderr.write(f"ledger broken at entry {broken.seq}: {broken.why}\n")
    if broken is not None:
        raise typer.Exit(3)
