"""The scenarios page's "New scenario" dialog: a blank scenario, a copy of one, or a draft from
a text (`accord draft`), written to the workspace and opened in the scenario page."""

from __future__ import annotations

import datetime as dt

from nicegui import run, ui

from accord.errors import UserError
from accord.web.buildapi import BuildRoutes, CreateRequest
from accord.web.context import Context
from accord.web.widgets import slug

STARTS = {"blank": "blank", "copy": "a copy of a scenario", "text": "from a text"}


def new_scenario_dialog(ctx: Context) -> ui.dialog:
    """The dialog (role dialog) with its fields: Start, Title, As of, Horizon, File name, ..."""
    entries = [e for e in ctx.workspace.entries() if e.error is None]
    with ui.dialog() as dialog, ui.card().classes("w-[36rem] max-w-full accord-new-dialog"):
        ui.label("New scenario").classes("text-lg font-bold")
        start = ui.radio(STARTS, value="blank").props("inline").classes("accord-new-start")
        title = ui.input("Title").classes("w-full accord-new-title")
        as_of = ui.input("As of", value=dt.date.today().isoformat(),
                         placeholder="YYYY-MM-DD").classes("w-full accord-new-asof")
        horizon = ui.number("Horizon (months)", value=24, min=1, max=600, precision=0).classes(
            "w-40 accord-new-horizon")
        copy_of = ui.select({e.ref: f"{e.title} ({e.ref})" for e in entries}, label="Copy of",
                            value=entries[0].ref if entries else None).classes(
            "w-full accord-new-copyof")
        text = ui.textarea("Text", placeholder="paste an article: accord draft makes a first "
                           "scenario of it, with a list of what to review").props(
            "outlined").classes("w-full accord-new-text")
        file = ui.input("File name", placeholder="made from the title").classes(
            "w-full accord-new-file")
        copy_of.bind_visibility_from(start, "value", value="copy")
        text.bind_visibility_from(start, "value", value="text")
        horizon.bind_visibility_from(start, "value", backward=lambda v: v != "copy")
        message = ui.label("").classes("text-red-700 text-sm accord-new-problem")

        async def create() -> None:
            name = (file.value or "").strip() or slug((title.value or "scenario").lower())
            try:
                req = CreateRequest(
                    file=name, start=start.value, title=title.value or None,
                    as_of=as_of.value or None, horizon=int(horizon.value or 24),
                    copy_of=copy_of.value, text=text.value or None)
                out = await run.io_bound(BuildRoutes(ctx).create, req, False)
            except UserError as exc:
                message.text = str(exc)
                return
            except ValueError as exc:  # pydantic: a date that is not a date, ...
                message.text = "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}".replace("as_of", "As of")
                    for e in getattr(exc, "errors", lambda: [])()) or str(exc)
                return
            dialog.close()
            ui.navigate.to(f"/scenario?ref={out['id']}&tab=Structure")

        with ui.row():
            ui.button("Create", on_click=create).classes("accord-new-create")
            ui.button("Cancel", on_click=dialog.close).props("flat")
    return dialog
