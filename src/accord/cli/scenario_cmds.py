"""`accord validate`, `accord scenarios`, `accord schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli import options as o
from accord.cli.app import app

# Imports live in the commands' bodies: registering a command must cost nothing.


@app.command()
def validate(
    files: list[str] = typer.Argument(..., help="scenario files (or built-in ids)"),
    sources: Path | None = o.Sources,
    lenient: bool = typer.Option(
        False, help="report numbers without evidence or assumption as warnings, not errors"
    ),
    json_: bool = o.Json,
) -> None:
    """Check scenarios: structure, ids, conditions, cycles, evidence quotes, provenance.

    Exit 0 when every file is valid, 2 otherwise (with --json too, after the document).
    """
    from accord.cli.common import print_json

    checked = [_checked(f, sources, lenient) for f in files]
    if json_:
        print_json(checked)
    else:
        for c in checked:
            _print_checked(c)
    if not all(c["valid"] for c in checked):
        raise typer.Exit(2)


def _print_checked(c: dict[str, Any]) -> None:
    """A file's verdict for a reader: problems and warnings on stderr, a valid file's counts."""
    from accord.cli.common import err, out

    if not c["valid"]:
        err.print(f"[red]✗ {c['file']}[/]: {len(c['problems'])} problem(s)", highlight=False)
        for p in c["problems"]:
            err.print(f"  {p}", highlight=False, markup=False, soft_wrap=True)
        return
    for w in c["warnings"]:
        err.print(f"  [yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
    n = c["counts"]
    out.print(
        f"[green]✓ {c['file']}[/]: valid ({n['actors']} actors, {n['issues']} issues, "
        f"{n['events']} events, {n['questions']} questions, "
        f"{len(c['warnings'])} warning(s))",
        highlight=False,
    )
    _rates(c["rates"])
    if c["unsourced"]:
        out.print(f"  numbers in conditions without provenance ({len(c['unsourced'])}):",
                  highlight=False)
        for u in c["unsourced"]:
            out.print(f"    {u}", highlight=False, markup=False)


def _checked(f: str, sources: Path | None, lenient: bool) -> dict[str, Any]:
    """One file's verdict: valid or not, its problems and warnings (as text), its counts."""
    from accord.errors import UserError
    from accord.scenario.loader import load_scenario

    try:
        loaded = load_scenario(f, sources=sources, strict=not lenient)
    except UserError as exc:
        return {"file": f, "valid": False, "problems": [str(p) for p in exc.problems],
                "warnings": [], "counts": None, "rates": [], "unsourced": []}
    from dataclasses import asdict

    from accord.scenario.rates import rate_sources

    s = loaded.scenario
    return {"file": f, "valid": True, "problems": [],
            "warnings": [str(w) for w in loaded.warnings],
            "counts": {"actors": len(s.actors), "issues": len(s.issues),
                       "events": len(s.events), "questions": len(s.questions)},
            "rates": [asdict(r) for r in rate_sources(s)],
            "unsourced": [str(p) for p in loaded.unsourced]}


def _rates(found: list[dict[str, str]]) -> None:
    """Where each event's rate comes from (accord.scenario.rates), counted, each reference
    class named, and the rates a draft left to review."""
    from collections import Counter

    from accord.cli.common import out

    if not found:
        return
    counts = Counter(r["source"] for r in found)
    words = {"reference": "from a reference class", "quoted": "quoted",
             "assumed": "assumed", "drafted": "drafted defaults to review"}
    out.print("  rates: " + ", ".join(f"{counts[k]} {w}" for k, w in words.items()
                                      if counts[k]), highlight=False)
    for r in [r for r in found if r["source"] == "reference"]:
        out.print(f"    {r['event']} ({r['kind']}): {r['detail']}", highlight=False,
                  markup=False)
    drafted = [r["event"] for r in found if r["source"] == "drafted"]
    if drafted:
        more = f" and {len(drafted) - 5} more" if len(drafted) > 5 else ""
        out.print(f"    drafted, to review: {', '.join(drafted[:5])}{more}", highlight=False,
                  markup=False)


@app.command()
def scenarios(json_: bool = o.Json) -> None:
    """List the built-in scenarios."""

    from accord.cli.common import out, print_json
    from accord.scenario.loader import builtin_names, builtin_path, load_scenario

    rows = []
    for name in builtin_names():
        s = load_scenario(name).scenario
        rows.append(
            {
                "id": s.meta.id,
                "title": s.meta.title,
                "as_of": str(s.meta.as_of),
                "horizon": s.meta.horizon,
                "events": len(s.events),
                "issues": len(s.issues),
                "file": builtin_path(name),
            }
        )
    if json_:
        print_json(rows)
        return
    from accord.report.listings import scenarios_table

    out.print(scenarios_table(out, rows))
    for r in rows:  # whole, never wrapped: a path to copy
        out.print(f"{r['id']}: {r['file']}", highlight=False, markup=False, soft_wrap=True)
    out.print("copy one to edit: accord new my.yaml --from ID", highlight=False, markup=False)


@app.command()
def new(
    file: Path = typer.Argument(..., help="the scenario file to write"),
    from_: str | None = typer.Option(
        None, "--from", help="copy this built-in scenario instead of the commented template"
    ),
    force: bool = typer.Option(False, help="overwrite FILE if it exists"),
) -> None:
    """Start a scenario: a commented template, valid and runnable as written.

    Every section and unit is explained in its comments. `--from ID` copies a built-in
    scenario's file verbatim. An existing FILE is kept unless --force.
    """
    import datetime as dt

    from accord.cli.common import out
    from accord.errors import UserError
    from accord.scenario.loader import builtin_names, builtin_text, template_text

    if from_ is not None and from_ not in builtin_names():
        from accord.scenario.messages import unknown

        raise UserError.at(unknown("built-in scenario", from_, builtin_names()), field="--from")
    if file.exists() and not force:
        raise UserError.at("exists already; choose another name or add --force", file=str(file))
    text = builtin_text(from_) if from_ is not None else template_text(dt.date.today())
    file.write_text(text, encoding="utf-8")
    out.print(f"wrote {file}; next: accord validate {file} && accord run {file}",
              highlight=False, markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    import json

    from accord.cli.common import out
    from accord.scenario.model import Scenario

    out.file.write(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2) + "\n")
