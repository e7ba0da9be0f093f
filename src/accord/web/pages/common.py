"""What every page shares: the frame (header, offline guard), error handling, run summaries,
the runs table and the compare form."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

from nicegui import ui

from accord.errors import UserError
from accord.report.plots import iso_date
from accord.results import Result
from accord.web.context import Context
from accord.web.widgets import CSS, UTILITIES, data_table, link

log = logging.getLogger("accord.web")
NOT_FORECASTS = ("sensitivity", "sweep")  # stored kinds without curves: not compared


# Plotly 3 appends a stylesheet link to unpkg.com (for map traces, which accord never draws) as
# it loads; the dashboard must make no request beyond its own server, so links to other origins
# are dropped before they reach the document.
NO_FOREIGN_LINKS = """<script>
(function () {
  const append = Element.prototype.appendChild;
  Element.prototype.appendChild = function (node) {
    if (node && node.tagName === "LINK" && node.href &&
        new URL(node.href, location.href).origin !== location.origin) { return node; }
    return append.call(this, node);
  };
})();
</script>"""


def frame(title: str) -> None:
    ui.page_title(f"{title} · accord")
    ui.add_head_html(NO_FOREIGN_LINKS)
    ui.add_css(CSS + UTILITIES)
    with ui.header().classes("items-center gap-6 bg-slate-800 py-2"):
        ui.link("accord", "/").classes("text-white text-lg font-bold no-underline")
        ui.link("Scenarios", "/").classes("text-white no-underline")
        ui.link("Runs", "/runs").classes("text-white no-underline")
        ui.link("API", "/openapi.json").classes("text-white no-underline")


def guarded(page: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake shows its message; a bug is logged and shown as one sentence."""

    @functools.wraps(page)
    async def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            out = page(*args, **kwargs)
            if asyncio.iscoroutine(out):
                await out
        except UserError as exc:
            ui.label(str(exc)).classes("accord-problems accord-page-error")
        except Exception:
            log.exception("page %s failed", page.__name__)
            ui.label(
                "Something went wrong building this page; the details are in the server's log."
            )

    return wrapper


def run_summary(result: Result, run_id: int | None) -> str:
    results = result.to_dict()
    f = results["forecast"]
    how = (
        "exact solution"
        if f["method"] == "exact"
        else f"{f['paths']:,} paths ({f['draws']} draws × {f['paths_per_draw']}), seed {f['seed']}"
    )
    head = f"run #{run_id}: " if run_id is not None else ""
    return f"{head}{results.get('title', '')} · as of {results.get('as_of', '')} · {how}"


def compare_form(ctx: Context, scenario_id: str | None = None) -> None:
    rows = [r for r in ctx.store.list(limit=200, scenario_id=scenario_id)
            if r["kind"] not in NOT_FORECASTS]
    if len(rows) < 2:
        ui.label("Two runs are needed to compare.").classes("accord-dim")
        return
    options = {
        r["id"]: f"#{r['id']} · {r['scenario_id']} · {iso_date(r['created_at'])} · seed {r['seed']}"
        for r in rows
    }
    ids = list(options)
    with ui.row().classes("items-center gap-2"):
        a = ui.select(options, value=ids[1], label="run A").classes("w-96 accord-compare-a")
        b = ui.select(options, value=ids[0], label="run B").classes("w-96 accord-compare-b")
        ui.button(
            "Compare", on_click=lambda: ui.navigate.to(f"/compare?a={a.value}&b={b.value}")
        ).classes("accord-compare-go")


def runs_table(ctx: Context, scenario_id: str | None = None, limit: int = 100) -> None:
    rows = ctx.store.list(limit=limit, scenario_id=scenario_id)
    if not rows:
        ui.label("No runs yet.").classes("accord-dim")
        return
    data_table(
        ["run", "when (UTC)", "kind", "scenario", "seed", "paths"],
        [
            [
                link(f"#{r['id']}", f"/run/{r['id']}", "accord-run-link"),
                iso_date(r["created_at"]),
                r["kind"],
                r["scenario_id"],
                str(r["seed"]),
                f"{r['settings'].get('paths', ''):,}" if r["settings"].get("paths") else "",
            ]
            for r in rows
        ],
        name=f"runs-{scenario_id or 'all'}",
        classes="accord-history",
    )


