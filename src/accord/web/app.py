"""The dashboard application: NiceGUI pages and the JSON API on one FastAPI app.

NiceGUI keeps one application per process, so `build` configures it once; tests start the server
as a subprocess (`accord serve --port N --workspace DIR --db URL`) on a free port.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from accord.errors import UserError
from accord.store.runs import RunStore
from accord.web.context import MAX_WEB_PATHS, Context
from accord.web.jobs import JobManager
from accord.web.security import MAX_BODY, GuardMiddleware, allowed_hosts, check_host
from accord.web.workspace import Workspace

log = logging.getLogger("accord.web")
_built: Context | None = None
WARM_FILES = 10  # workspace files validated at start, besides the built-in scenarios


def warm(ctx: Context) -> None:
    """What a first page load would otherwise pay for, done in the background at start: the
    scenarios validated (kept by text hash, see Workspace.parse), Plotly's figure classes
    imported, the event-graph layout's libraries loaded. Every failure here is harmless: the
    page then does the work itself."""
    t = time.perf_counter()
    try:
        import plotly.graph_objects as go  # noqa: F401 - NiceGUI's ui.plotly reads go.Figure

        from accord.web import charts

        ws = ctx.workspace
        refs = [e.ref for e in ws.builtin_entries()]
        refs += [ws.ref_of(p) for p in ws.files()[:WARM_FILES]]
        for k, ref in enumerate(refs):
            try:
                loaded = ws.parse(ref, ws.text(ref), strict=True)
            except UserError:
                continue
            if k == 0 and loaded.scenario.events:
                charts.graph(loaded.scenario)
        log.info("warmed %d scenario(s) in %.2f s", len(refs), time.perf_counter() - t)
    except Exception:  # noqa: BLE001 - a warm-up is an optimisation, never an outage
        log.exception("warm-up failed (harmless: pages do the work themselves)")


def make_context(
    workspace: Path,
    *,
    db: str | None = None,
    token: str | None = None,
    max_runs: int = 2,
    max_paths: int = MAX_WEB_PATHS,
    host: str | None = None,
) -> Context:
    store = RunStore(db)
    return Context(
        workspace=Workspace(workspace),
        store=store,
        jobs=JobManager(store, max_runs=max_runs),
        token=token,
        max_paths=max_paths,
        host=host,
    )


def build(ctx: Context, max_body: int = MAX_BODY) -> Any:
    """Register the API, the pages and the guards on NiceGUI's app (once per process)."""
    global _built
    from nicegui import app

    from accord.web import api, pages

    if _built is not None:
        raise RuntimeError("the dashboard is already built in this process")
    _built = ctx
    app.include_router(api.build_router(ctx))
    pages.register(ctx)
    app.add_middleware(GuardMiddleware, token=ctx.token, max_body=max_body,
                       hosts=allowed_hosts(ctx.host))
    app.title = "accord"
    app.description = "accord's dashboard API: scenarios, runs, results."
    app.version = "0.1.0"
    if not app.openapi_url:
        app.openapi_url = "/openapi.json"  # the schema only: /docs would load from a CDN
        app.setup()
    app.on_shutdown(ctx.jobs.shutdown)
    app.on_startup(
        lambda: threading.Thread(target=warm, args=(ctx,), name="accord-warm", daemon=True).start()
    )
    return app


def serve(
    ctx: Context, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "warning"
) -> None:
    """Run the dashboard until interrupted."""
    from nicegui import ui

    check_host(host, ctx.token)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    build(ctx)
    ui.run(
        host=host,
        port=port,
        title="accord",
        reload=False,
        show=False,
        show_welcome_message=False,
        uvicorn_logging_level=log_level,
        favicon="🕊",
        reconnect_timeout=10.0,
        tailwind=False,  # a CSS compiler run in the browser on every load; see widgets.UTILITIES
    )
