"""`accord serve`: the dashboard and its JSON API in the browser."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import options as o
from accord.cli.app import app


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (loopback)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="port to listen on"),
    workspace: Path = typer.Option(
        Path("."), "--workspace", help="folder of scenario files to list, edit and save"
    ),
    token: str | None = typer.Option(
        None, "--token", envvar="ACCORD_TOKEN",
        help="secret every request must carry (required when --host is not loopback)",
    ),
    max_runs: int = typer.Option(2, "--max-runs", min=1, max=64, help="runs at once; more: busy"),
    db: str | None = o.Db,
) -> None:
    """Open the dashboard: scenarios, evidence, editing, runs, comparisons, and a JSON API."""
    from accord.cli.common import err  # imported here: registering costs nothing
    from accord.errors import UserError
    from accord.web.security import check_host, is_loopback

    check_host(host, token)
    try:
        from accord.web.app import make_context
        from accord.web.app import serve as run_server
    except ModuleNotFoundError as exc:
        raise UserError.at(
            f"the dashboard needs the 'web' extra ({exc.name} is missing): "
            "pip install 'accord[web]'"
        ) from None
    ctx = make_context(workspace, db=db, token=token, max_runs=max_runs)
    shown = "127.0.0.1" if not is_loopback(host) or host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    err.print(f"accord dashboard: workspace {ctx.workspace.root}, runs in {ctx.store.url}",
              highlight=False)
    print(f"accord dashboard on {url}", flush=True)
    run_server(ctx, host, port)
