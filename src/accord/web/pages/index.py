"""The scenario list: built-in scenarios and the workspace's files, with their last run."""

from __future__ import annotations

from nicegui import ui

from accord.report.plots import iso_date
from accord.web.context import Context, last_run
from accord.web.pages.common import frame, guarded
from accord.web.pages.newscenario import new_scenario_dialog
from accord.web.widgets import Cell, data_table, link


def register(ctx: Context) -> None:
    @ui.page("/")
    @guarded
    def index_page() -> None:
        frame("Scenarios")
        with ui.row().classes("items-center gap-4"):
            ui.label("Scenarios").classes("text-2xl font-bold")
            dialog = new_scenario_dialog(ctx)
            ui.button("New scenario", icon="add", on_click=dialog.open).classes("accord-new")
        ui.label(f"Built-in scenarios and the YAML files of {ctx.workspace.root}").classes(
            "accord-dim"
        )
        rows: list[list[Cell]] = []
        for e in ctx.workspace.entries():
            last = last_run(ctx, e)
            rows.append(
                [
                    link(e.title, f"/scenario?ref={e.ref}", "accord-scenario-link"),
                    e.ref,
                    "built-in" if e.kind == "builtin" else "file",
                    e.as_of or "",
                    link(f"#{last[0]['id']} · {iso_date(last[0]['created_at'])}",
                         f"/run/{last[0]['id']}")
                    if last
                    else "never",
                    e.error or "valid",
                ]
            )
        data_table(["title", "scenario", "kind", "as of", "last run", "status"], rows,
                   name="scenarios", classes="accord-scenarios")

