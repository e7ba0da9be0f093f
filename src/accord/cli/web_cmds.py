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
        help="secret every request must carry (default: a random one, printed in the URL)",
    ),
    no_token: bool = typer.Option(
        False, "--no-token", help="no token at all (loopback only: anyone on this machine)"
    ),
    max_runs: int = typer.Option(2, "--max-runs", min=1, max=64, help="runs at once; more: busy"),
    db: str | None = o.Db,
) -> None:
    """Open the dashboard: scenarios, evidence, editing, runs, comparisons, and a JSON API."""
    import secrets

    from accord.cli.common import err  # imported here: registering costs nothing
    from accord.errors import UserError
    from accord.web.security import check_host, is_loopback, port_free

    if no_token and token:
        raise UserError.at("--no-token and --token exclude each other", field="no_token")
    if not no_token and not token:
        token = secrets.token_urlsafe(24)
    check_host(host, None if no_token else token)
    if not port_free(host, port):
        raise UserError.at(f"port {port} on {host} is in use; pick another with --port",
                           field="port")
    try:
        from accord.web.app import make_context
        from accord.web.app import serve as run_server
    except ModuleNotFoundError as exc:
        raise UserError.at(
            f"the dashboard needs the 'web' extra ({exc.name} is missing): "
            "pip install 'accord[web]'"
        ) from None
    ctx = make_context(workspace, db=db, token=None if no_token else token, max_runs=max_runs,
                       host=host)
    shown = "127.0.0.1" if not is_loopback(host) or host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/" + (f"?token={ctx.token}" if ctx.token else "")
    err.print(f"accord dashboard: workspace {ctx.workspace.root}, runs in {ctx.store.safe_url}",
              soft_wrap=True,
              highlight=False)
    print(f"accord dashboard on {url}", flush=True)
    run_server(ctx, host, port)
