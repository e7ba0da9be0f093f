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
    from rich.table import Table

    from accord.cli.common import out, print_json
    from accord.store.runs import RunStore  # imported here: registering costs nothing

    store = RunStore(db)
    rows = store.list(limit=limit, scenario_id=scenario)
    if json_:
        print_json(rows)
        return
    from accord.report.console import fit

    head = ["id", "when (UTC)", "kind", "scenario", "seed", "paths", "scenario hash"]
    t = Table(title=f"runs in {store.safe_url}")
    for h in head:
        t.add_column(h, no_wrap=True)
    cells = [
        [
            str(r["id"]),
            str(r["created_at"]).replace("T", " ")[:19],
            r["kind"],
            r["scenario_id"],
            str(r["seed"]),
            f"{r['settings'].get('paths', ''):,}" if r["settings"].get("paths") else "",
            r["scenario_hash"][:12],
        ]
        for r in rows
    ]
    for c in cells:
        t.add_row(*c)
    t = fit(out, t, head, cells)
    out.print(t)
