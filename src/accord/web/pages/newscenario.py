"""The scenarios page's "New scenario" dialog: a blank scenario or a copy of one, written to the
workspace and opened in the scenario page; or a text (pasted or uploaded) drafted with
`accord draft` and opened for review (`pages.draftpage`), its as-of the text's own date."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from nicegui import run, ui

from accord.errors import UserError
from accord.scenario.yamlio import decode
from accord.web.buildapi import BuildRoutes, CreateRequest
from accord.web.context import Context
from accord.web.drafting import Pending, keep_pending
from accord.web.pages.structurebase import attr
from accord.web.widgets import slug

log = logging.getLogger("accord.web")
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
        text = text_fields(start)
        file = ui.input("File name", placeholder="made from the title").classes(
            "w-full accord-new-file")
        copy_of.bind_visibility_from(start, "value", value="copy")
        for box in (as_of, file):  # a draft's: the text's own date; named on the review page
            box.bind_visibility_from(start, "value", backward=lambda v: v != "text")
        horizon.bind_visibility_from(start, "value", backward=lambda v: v != "copy")
        message = ui.label("").classes("text-red-700 text-sm accord-new-problem")

        async def review() -> None:
            pending = Pending(text=text.value or "", title=(title.value or "").strip() or None,
                              horizon=int(horizon.value or 24))
            await open_review(ctx, pending, text, dialog)

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
            ui.button("Create", on_click=create).classes("accord-new-create").bind_visibility_from(
                start, "value", backward=lambda v: v != "text")
            ui.button("Review the draft", icon="fact_check", on_click=review).classes(
                "accord-new-review").bind_visibility_from(start, "value", value="text")
            ui.button("Cancel", on_click=dialog.close).props("flat")
    return dialog


async def open_review(ctx: Context, pending: Pending, box: ui.textarea, dialog: ui.dialog
                      ) -> None:
    """Draft the text and open its review (pages.draftpage); a text with nothing to draft is
    refused at its box."""
    box.props(remove="error error-message")
    try:
        if not pending.text.strip():
            raise UserError.at("paste or upload the text to draft from", field="text")
        await run.io_bound(pending.drafted)
    except UserError as exc:
        said = "; ".join(p.message for p in exc.problems)
    except ValueError as exc:  # pydantic: a text over the size limit
        said = "; ".join(e["msg"] for e in getattr(exc, "errors", lambda: [])()) or str(exc)
    except RuntimeError:  # the draft failed its own check: a bug, logged
        log.exception("drafting failed")
        said = "the draft failed its own check (a bug): the server's log has the details"
    else:
        key = keep_pending(ctx.drafts, pending)
        dialog.close()
        ui.navigate.to(f"/draft?key={key}")
        return
    box.props(f'error error-message="{attr(said)}"')


def text_fields(start: ui.radio) -> ui.textarea:
    """The Text box, its upload and what becomes of As of: shown for "from a text"."""
    text = ui.textarea("Text", placeholder="paste an article: accord draft makes a first "
                       "scenario of it, with a list of what to review").props(
        "outlined rows=8").classes("w-full accord-new-text")
    upload = text_upload(text)
    when = ui.label("As of: the text's own date, on the next page, where you review what was "
                    "drafted before the scenario is made").classes(
        "accord-dim text-xs accord-new-asof-hint")
    for box in (text, upload, when):
        box.bind_visibility_from(start, "value", value="text")
    return text


def text_upload(box: ui.textarea) -> ui.upload:
    """An upload that reads a text file (plain text or HTML) into `box`."""

    async def uploaded(e: Any) -> None:
        data = e.content.read() if hasattr(e, "content") else await e.file.read()
        name = getattr(e, "name", None) or "the file"
        try:
            box.value = decode(data, name, "text")
        except UserError as exc:
            box.props(f'error error-message="{str(exc).replace(chr(34), chr(39))}"')
            return
        box.props(remove="error error-message")
        ui.notify(f"{name} read into the Text box", type="positive")

    return ui.upload(label="or upload a text file (.txt, .html)", auto_upload=True,
                     on_upload=uploaded, max_file_size=5_000_000).props(
        "accept=.txt,.text,.html,.htm,.md flat dense").classes(
        "accord-observed-upload accord-new-upload")
