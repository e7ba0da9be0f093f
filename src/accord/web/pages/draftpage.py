"""The review of a draft (the scenarios page's New scenario → from a text): the text with each
proposed actor, event, link and number marked on its sentence; a list where the analyst keeps,
renames or drops each; and Create, which writes the reviewed scenario, with the text beside it
(so its quotes are checked), and opens it in the builder."""

from __future__ import annotations

import datetime as dt
import functools

from nicegui import run, ui

from accord.errors import UserError
from accord.web.buildapi import BuildRoutes
from accord.web.context import Context
from accord.web.drafting import Pending, write_source
from accord.web.draftmarks import CSS, marked_html, tags
from accord.web.draftreview import (
    KINDS,
    Decision,
    Element,
    elements,
    reviewed,
    sentence_of,
    with_notes,
)
from accord.web.pages.common import frame, guarded
from accord.web.pages.structurebase import attr
from accord.web.widgets import slug
from accord.web.yamledit import load_tree

HEADS = {"actor": "Actors", "event": "Events", "link": "Links",
         "number": "Numbers from the text"}
QUOTE_CHARS = 180  # of a quote shown under its element
FILE_WORDS = 5  # of the title, in the file name offered


def file_name(title: str) -> str:
    """A short file name made from the title's first words."""
    return slug(" ".join(title.lower().split()[:FILE_WORDS]).replace(":", "")) + ".yaml"


def register(ctx: Context) -> None:
    @ui.page("/draft")
    @guarded
    def draft_page(key: str = "") -> None:
        pending = ctx.drafts.get(key)
        if pending is None or not pending.yaml:
            raise UserError.at("this draft is no longer kept (the server restarted, or its "
                               "scenario was created): start again from New scenario → from a "
                               "text")
        DraftReview(ctx, key, pending).build()


class DraftReview:
    """One browser tab's review of a kept draft: the analyst's decisions, by element key (kept
    when the text is drafted again for another as-of or horizon)."""

    def __init__(self, ctx: Context, key: str, pending: Pending) -> None:
        self.ctx, self.key, self.pending = ctx, key, pending
        self.decisions: dict[str, Decision] = {}
        self.read_draft()

    def read_draft(self) -> None:
        tree = load_tree(self.pending.yaml, "draft")
        self.meta = {k: tree["meta"].get(k) for k in ("title", "as_of", "horizon")}
        self.texts = [s.text for s in self.pending.sentences]
        self.found = elements(tree, self.texts)
        self.tag = tags(self.found)

    def decision(self, key: str) -> Decision:
        return self.decisions.setdefault(key, Decision())

    def gone(self, e: Element) -> bool:
        """Dropped, or taken with an event dropped (its links and numbers, links naming it)."""
        dropped = {x.item for x in self.found
                   if x.kind == "event" and self.decision(x.key).drop}
        return (self.decision(e.key).drop
                or (e.kind in ("link", "number") and e.section == "events"
                    and e.item in dropped)
                or bool(e.refs & dropped))

    # --- the page -----------------------------------------------------------------------------
    def build(self) -> None:
        frame("Review a draft")
        ui.add_css(CSS)
        ui.label("Review the draft").classes("text-2xl font-bold accord-title")
        ui.label("Each actor (A), event (E), link (L) and number (N) the drafter proposes is "
                 "marked on the sentence it comes from. Keep, rename or drop each one, then "
                 "create the scenario: it opens in the builder, with the list of what to "
                 "check.").classes("accord-dim text-sm")
        self.fields()
        with ui.row().classes("items-center gap-2"):
            ui.button("Create scenario", icon="check", on_click=self.create).classes(
                "accord-review-create")
            ui.button("Cancel", on_click=lambda: ui.navigate.to("/")).props("flat")
            self.message = ui.label("").classes("text-red-700 text-sm accord-review-problem")
        with ui.row().classes("w-full gap-4 items-start"):
            with ui.column().classes("accord-review-text gap-1"):
                ui.label("The text").classes("text-lg font-bold")
                self.text_view()
            with ui.column().classes("accord-review-side gap-1"):
                self.element_list()
                ui.label("What to check").classes("text-lg font-bold")
                self.check_list()

    def fields(self) -> None:
        title = str(self.meta["title"] or "")
        with ui.row().classes("items-start gap-3 w-full"):
            self.title = ui.input("Title", value=title).classes("accord-review-title")
            self.as_of = ui.input("As of", value=str(self.meta["as_of"]),
                                  placeholder="YYYY-MM-DD").classes("w-40 accord-review-asof")
            self.horizon = ui.number("Horizon (months)", value=self.meta["horizon"], min=1,
                                     max=600, precision=0).classes("w-40 accord-review-horizon")
            self.file = ui.input("File name", value=file_name(title)).classes(
                "w-80 accord-review-file")
        for box in (self.as_of, self.horizon):
            box.on("blur", self.redraft)
            box.on("keydown.enter", self.redraft)
        self.as_of_note()

    @ui.refreshable_method
    def as_of_note(self) -> None:
        said = next((r for r in self.pending.review if r.startswith("as_of")), "")
        if said:
            ui.label(said).classes("accord-dim text-xs accord-review-asof-note")

    @ui.refreshable_method
    def text_view(self) -> None:
        shown = {k: Decision(drop=self.gone(e)) for e in self.found for k in [e.key]}
        ui.html(marked_html(self.pending.sentences, self.found, shown)).classes(
            "w-full accord-draft-text")

    @ui.refreshable_method
    def check_list(self) -> None:
        with ui.column().classes("gap-0 accord-review-list"):
            for r in self.pending.review:
                ui.label(f"• {r}").classes("text-sm")

    @ui.refreshable_method
    def element_list(self) -> None:
        for kind in KINDS:
            mine = [e for e in self.found if e.kind == kind]
            ui.label(f"{HEADS[kind]} ({len(mine)})").classes("text-lg font-bold mt-2")
            if not mine:
                ui.label("none proposed").classes("accord-dim text-sm")
            with ui.column().classes(f"gap-0 w-full accord-review-{kind}s"):
                for e in mine:
                    self.element_row(e)

    def element_row(self, e: Element) -> None:
        """Its tag (a link to its sentence in the text), its name (a box to rename it), how
        the draft has it, its quote (an actor's marks are its names in the text), Drop/Keep."""
        gone, d = self.gone(e), self.decision(e.key)
        at = next((i for q in e.quotes for i in [sentence_of(q, self.texts)] if i is not None),
                  None)
        href = f' href="#accord-s-{at}" title="show it in the text"' if at is not None else ""
        with ui.row().classes("items-start gap-2 accord-element" + (
                " accord-element-dropped" if gone else "")):
            ui.html(f'<a class="accord-tag accord-tag-{e.kind}'
                    f'{" accord-dropped" if gone else ""}"{href}>{self.tag[e.key]}</a>')
            with ui.column().classes("gap-0 accord-item-text"):
                if e.renamable and not gone:
                    ui.input(value=d.name or e.label,
                             on_change=lambda ev, k=e.key: self.rename(k, ev.value)).props(
                        f'dense borderless aria-label="Name of {attr(e.label)}"').classes(
                        "w-full accord-element-name")
                else:
                    ui.label(e.label).classes("text-sm" + (" accord-dropped" if gone else ""))
                ui.label(e.detail).classes("accord-dim text-xs")
                if e.quotes and e.kind != "actor":
                    q = e.quotes[0]
                    ui.label(f"“{q[:QUOTE_CHARS]}{'…' if len(q) > QUOTE_CHARS else ''}”"
                             ).classes("accord-quote accord-dim text-xs")
            label = "Keep" if d.drop else "Drop"
            ui.button(label, on_click=functools.partial(self.toggle, e.key)).props(
                f'flat dense no-caps aria-label="{label} {attr(self.tag[e.key])}"'
                + ("" if d.drop else " color=negative")).classes("accord-element-toggle")

    def rename(self, key: str, name: str) -> None:
        self.decision(key).name = name

    def toggle(self, key: str) -> None:
        d = self.decision(key)
        d.drop = not d.drop
        self.text_view.refresh()
        self.element_list.refresh()

    # --- drafting again, creating ---------------------------------------------------------------
    def settings(self) -> tuple[dt.date, int] | None:
        """The As of and Horizon fields' values, or None with the problem at the field."""
        for box in (self.as_of, self.horizon):
            box.props(remove="error error-message")
        try:
            as_of = dt.date.fromisoformat(str(self.as_of.value or "").strip())
        except ValueError:
            self.as_of.props('error error-message="write the date as YYYY-MM-DD"')
            return None
        horizon = self.horizon.value
        if horizon is None or not 1 <= int(horizon) <= 600:
            self.horizon.props('error error-message="a number of months from 1 to 600"')
            return None
        return as_of, int(horizon)

    async def redraft(self) -> bool:
        """Draft the text again when As of or Horizon changed (dates in it are read from as
        of); the decisions stay with the elements that are still there. False if refused."""
        got = self.settings()
        if got is None:
            return False
        if got == (self.meta["as_of"], self.meta["horizon"]):
            return True
        self.pending.as_of, self.pending.horizon = got
        try:
            await run.io_bound(self.pending.drafted)
        except UserError as exc:
            self.as_of.props(f'error error-message="{attr(str(exc))}"')
            return False
        self.read_draft()
        for view in (self.text_view, self.element_list, self.check_list, self.as_of_note):
            view.refresh()
        return True

    def notes(self) -> list[str]:
        """What the review did, for the review list atop the file."""
        dropped = [self.tag[e.key] + " " + e.label for e in self.found
                   if self.decision(e.key).drop]
        renamed = [f"{e.label} → {d.name.strip()}" for e in self.found
                   for d in [self.decision(e.key)]
                   if not d.drop and d.name and d.name.strip() != e.label]
        out = ["reviewed in the dashboard: " + (f"dropped {'; '.join(dropped)}" if dropped
                                                else "nothing dropped")]
        return out + ([f"renamed: {'; '.join(renamed)}"] if renamed else [])

    async def create(self) -> None:
        self.message.text = ""
        self.file.props(remove="error error-message")
        if not await self.redraft():
            return
        if not any(e.kind == "actor" and not self.gone(e) for e in self.found):
            self.message.text = "Keep at least one actor: a scenario needs one to run."
            return
        ws = self.ctx.workspace
        title = str(self.title.value or "").strip() or str(self.meta["title"])
        try:
            ref = ws.new_file_ref(str(self.file.value or "").strip() or file_name(title))
            if ws.path_of(ref, must_exist=False).exists() or ref in self.ctx.unsaved:
                raise UserError.at(f"{ref} already exists in the workspace; choose another "
                                   "name", field="file")
            source = write_source(ws, ref, self.pending.text)
            gone = [e.item for e in self.found if e.kind in ("actor", "event") and self.gone(e)]
            text = with_notes(reviewed(self.pending.yaml, self.found, self.decisions,
                                       title=title, source_file=source), self.notes(), gone)
            await run.io_bound(BuildRoutes(self.ctx).write_new, ref, text, False)
        except UserError as exc:
            for p in exc.problems:
                if p.field in ("file", "save as"):
                    self.file.props(f'error error-message="{attr(p.message)}"')
                else:
                    self.message.text = (self.message.text + "\n" + str(p)).strip()
            return
        self.ctx.drafts.pop(self.key, None)
        ui.navigate.to(f"/scenario?ref={ref}&tab=Structure")
