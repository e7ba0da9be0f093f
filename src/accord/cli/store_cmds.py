"""`accord history`: the runs in the store."""

from __future__ import annotations

import typer

from accord.cli import options as o
from accord.cli.app import app


@app.command()
def history(
    limit: int = typer.Option(20, "--limit", min=1, help="how many runs, newest first"),
    scenario: str | None = typer.Option(None, "--scenario", help="only runs of this scenario id"),
    json_: bool = o.Json,
    db: str | None = o.Db,
) -> None:
    """List stored runs, newest first."""

    from accord.cli.common import closed_at_exit, out, print_json
    from accord.store.runs import RunStore  # imported here: registering costs nothing

    store = closed_at_exit(RunStore(db))
    rows = store.list(limit=limit, scenario_id=scenario)
    if json_:
        print_json(rows)
        return
    from accord.report.listings import runs_table

    out.print(runs_table(out, rows, store.safe_url))
