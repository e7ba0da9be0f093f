"""The scenario page's Structure tab: actors, events and questions added, renamed and deleted in
forms (accord.web.builder does the change and its validation), with undo and redo.

A change is made to the tab's draft (as the Numbers and YAML tabs' edits are), refused with its
messages at the fields when it brings a problem, and written to disk by Save.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from accord.errors import UserError
from accord.web import builder
from accord.web.pages.editing import FIELD_PROBLEM

# a problem's field path → the dialog field it belongs to
FIELD_OF = [
    (r"\.id$", "Name"), (r"\.(hazard|chance|repeatable)", "Probability"),
    (r"\.scheduled", "Date"), (r"\.when", "Requires"), (r"\.capability", "Capability"),
    (r"questions\[\d+\]\.event", "Event"), (r"\.by$", "By"), (r"\.text$", "Question"),
    (r"^probability$", "Probability"), (r"^capability$", "Capability"), (r"^how$",
                                                                          "How it happens"),
]


def field_of(path: str | None) -> str | None:
    for pattern, name in FIELD_OF:
        if path and re.search(pattern, path):
            return name
    return None


class Structure:
    """The Structure tab of a ScenarioView (which provides text, flush, status, ...)."""

    undo_stack: list[str]
    redo_stack: list[str]

    # --- applying a change -------------------------------------------------------------------
    async def change(self, do: Callable[[Any], object], fields: dict[str, Any],
                     general: ui.label) -> bool:
        """Apply a change to the draft; its problems shown at `fields` (by label) if refused."""
        await self.flush()  # type: ignore[attr-defined]
        for box in fields.values():
            box.props(remove="error error-message")
        general.text = ""
        parse = functools.partial(self.ws.parse, self.ref)  # type: ignore[attr-defined]
        try:
            result = await run.io_bound(builder.apply, self.text, self.name,  # type: ignore[attr-defined]
                                        do, parse)
            refused = [] if result.text is not None else result.refused
            found = [(FIELD_PROBLEM.search(p), p) for p in refused]
            problems = [(field_of(m[1]), m[2]) if m else (None, p) for m, p in found]
        except UserError as exc:
            result, problems = None, [(field_of(p.field), p.message if field_of(p.field)
                                       else str(p)) for p in exc.problems]
        if problems:
            for name, msg in problems:
                box = fields.get(name or "")
                if box is not None:
                    box.props(f'error error-message="{_attr(msg)}"')
                else:
                    general.text = (general.text + "\n" + msg).strip()
            return False
        assert result is not None and result.text is not None
        self.undo_stack.append(self.text)  # type: ignore[attr-defined]
        self.redo_stack.clear()
        await self.set_text(result.text)
        return True

    async def set_text(self, text: str) -> None:
        self.pending_yaml = text  # type: ignore[attr-defined]
        await self.flush()  # type: ignore[attr-defined]
        self.structure_list.refresh()

    async def undo(self) -> None:
        if self.undo_stack:
            self.redo_stack.append(self.text)  # type: ignore[attr-defined]
            await self.set_text(self.undo_stack.pop())

    async def redo(self) -> None:
        if self.redo_stack:
            self.undo_stack.append(self.text)  # type: ignore[attr-defined]
            await self.set_text(self.redo_stack.pop())

    def tree_now(self) -> Any:
        from accord.web.yamledit import load_tree

        try:
            return load_tree(self.text, self.name)  # type: ignore[attr-defined]
        except UserError:
            return None

    # --- the tab -----------------------------------------------------------------------------
    def structure(self) -> None:
        self.undo_stack, self.redo_stack = [], []
        ui.label("Add, rename and delete actors, events and questions. Each change is checked "
                 "as accord validate checks it; Save writes the file.").classes(
            "accord-dim text-sm")
        with ui.row().classes("items-center gap-2"):
            ui.button("Add actor", icon="person_add", on_click=self.add_actor).classes(
                "accord-add-actor")
            ui.button("Add event", icon="event", on_click=self.add_event).classes(
                "accord-add-event")
            ui.button("Add question", icon="help", on_click=self.add_question).classes(
                "accord-add-question")
            ui.button("Undo", icon="undo", on_click=self.undo).props("flat").classes(
                "accord-undo")
            ui.button("Redo", icon="redo", on_click=self.redo).props("flat").classes(
                "accord-redo")
        self.structure_list()

    @ui.refreshable_method
    def structure_list(self) -> None:
        tree = self.tree_now()
        if tree is None:
            ui.label("The YAML does not parse: fix it in the YAML tab.").classes("accord-dim")
            return
        for section, what in (("actors", "name"), ("events", "name"), ("questions", "text")):
            ui.label(section.capitalize()).classes("text-lg font-bold mt-2")
            items = tree.get(section) or []
            if not items:
                ui.label("none yet").classes("accord-dim text-sm")
            with ui.column().classes(f"gap-0 w-full accord-structure-{section}"):
                for item in items:
                    iid = str(item.get("id"))
                    with ui.row().classes("items-center gap-2 accord-structure-item"):
                        ui.label(iid).classes("font-mono text-sm")
                        ui.label(str(item.get(what, ""))).classes("text-sm")
                        if section == "events":
                            when = f" · requires {item['when']}" if item.get("when") else ""
                            ui.label(_how(item) + when).classes("accord-dim text-xs")
                        if section == "events":
                            ui.button("Edit", on_click=functools.partial(
                                self.edit_event, iid)).props(
                                f'flat dense aria-label="Edit {iid}"')
                        ui.button("Rename", on_click=functools.partial(
                            self.ask_rename, section, iid)).props(
                            f'flat dense aria-label="Rename {iid}"')
                        ui.button("Delete", on_click=functools.partial(
                            self.ask_delete, section, iid)).props(
                            f'flat dense color=negative aria-label="Delete {iid}"')

    # --- dialogs -----------------------------------------------------------------------------
    def dialog(self, title: str) -> tuple[ui.dialog, ui.label]:
        with ui.dialog() as dialog, ui.card().classes("w-[34rem] max-w-full"):
            ui.label(title).classes("text-lg font-bold")
        with dialog.default_slot.children[0]:  # the card
            general = ui.label("").classes("text-red-700 text-sm whitespace-pre-line "
                                           "accord-dialog-problem")
        return dialog, general

    def buttons(self, dialog: ui.dialog, label: str, act: Callable[[], Any]) -> None:
        with dialog.default_slot.children[0], ui.row():
            ui.button(label, on_click=act).classes(f"accord-dialog-{label.lower()}")
            ui.button("Cancel", on_click=dialog.close).props("flat")

    def add_actor(self) -> None:
        dialog, general = self.dialog("Add an actor")
        with dialog.default_slot.children[0]:
            f = {"Name": ui.input("Name").classes("w-full"),
                 "Capability": ui.input("Capability", value="50").classes("w-full"),
                 "Assumption": ui.input("Assumption", value="my estimate").classes("w-full")}

        async def act() -> None:
            def do(t: Any) -> object:
                item = builder.actor_item(f["Name"].value, f["Capability"].value,
                                          f["Assumption"].value)
                return builder.add_item(t, "actors", item)
            if await self.change(do, f, general):
                dialog.close()

        self.buttons(dialog, "Add", act)
        dialog.open()

    def event_ids(self) -> list[str]:
        tree = self.tree_now()
        return [str(e.get("id")) for e in (tree.get("events") or [])] if tree else []

    def add_event(self) -> None:
        dialog, general = self.dialog("Add an event")
        events = self.event_ids()
        with dialog.default_slot.children[0]:
            f: dict[str, Any] = {
                "Name": ui.input("Name").classes("w-full"),
                "How it happens": ui.select(list(builder.HOW), value="monthly chance",
                                            label="How it happens").classes("w-full"),
                "Probability": ui.input("Probability", placeholder="0.05, U(0.02, 0.08), "
                                        "Beta(2, 30)").classes("w-full"),
                "Date": ui.input("Date", placeholder="YYYY-MM-DD").classes("w-full"),
                "Assumption": ui.input("Assumption", value="my estimate").classes("w-full"),
            }
            f["Date"].bind_visibility_from(f["How it happens"], "value", value="on a date")
            f["Probability"].bind_visibility_from(f["How it happens"], "value",
                                                  backward=lambda v: v != "on a date")
            f["Requires"] = requires_input(events)

        async def act() -> None:
            def do(t: Any) -> object:
                item = builder.event_item(
                    f["Name"].value, f["How it happens"].value, f["Probability"].value or "",
                    f["Requires"].value or "", f["Date"].value or "", f["Assumption"].value)
                return builder.add_item(t, "events", item)
            if await self.change(do, f, general):
                dialog.close()

        self.buttons(dialog, "Add", act)
        dialog.open()

    def add_question(self) -> None:
        dialog, general = self.dialog("Add a question")
        events = self.event_ids()
        as_of = self.shown.meta.as_of if self.shown else dt.date.today()  # type: ignore[attr-defined]
        by = dt.date(as_of.year + 1, as_of.month, min(as_of.day, 28)).isoformat()
        with dialog.default_slot.children[0]:
            f = {"Event": ui.select(events, label="Event",
                                    value=events[-1] if events else None).classes("w-full"),
                 "By": ui.input("By", value=by, placeholder="YYYY-MM-DD").classes("w-full"),
                 "Question": ui.input("Question").classes("w-full")}

        async def act() -> None:
            def do(t: Any) -> object:
                item = builder.question_item(str(f["Event"].value or ""), f["By"].value,
                                             f["Question"].value)
                return builder.add_item(t, "questions", item)
            if await self.change(do, f, general):
                dialog.close()

        self.buttons(dialog, "Add", act)
        dialog.open()

    def edit_event(self, iid: str) -> None:
        """Change an event's name, probability and what it requires (evidence kept)."""
        ev = next((e for e in self.shown.events if e.id == iid), None) if self.shown else None  # type: ignore[attr-defined]
        if ev is None:
            ui.notify("Fix the problems first: the event does not validate.", type="warning")
            return
        dialog, general = self.dialog(f"Edit {iid}")
        old_p = ev.probability.describe() if ev.probability is not None else ""
        with dialog.default_slot.children[0]:
            f: dict[str, Any] = {"Name": ui.input("Name", value=ev.name).classes("w-full")}
            if ev.probability is not None:
                f["Probability"] = ui.input("Probability", value=old_p).classes("w-full")
            f["Requires"] = requires_input([e for e in self.event_ids() if e != iid], ev.when)

        async def act() -> None:
            when = (f["Requires"].value or "").strip()
            changes: dict[str, Any] = {}
            if f["Name"].value != ev.name:
                changes["name"] = f["Name"].value
            if when != ev.when.strip():
                changes["when"] = when or None
            if "Probability" in f and f["Probability"].value != old_p:
                changes[ev.kind] = f["Probability"].value
            if await self.change(lambda t: builder.update_item(t, "events", iid, changes),
                                 f, general):
                dialog.close()

        self.buttons(dialog, "Apply", act)
        dialog.open()

    def ask_rename(self, section: str, iid: str) -> None:
        dialog, general = self.dialog(f"Rename {iid}")
        with dialog.default_slot.children[0]:
            ui.label("Every reference to it is renamed too.").classes("accord-dim text-sm")
            f = {"Name": ui.input("New id", value=iid).classes("w-full")}

        async def act() -> None:
            if await self.change(lambda t: builder.rename(t, section, iid, f["Name"].value),
                                 f, general):
                dialog.close()

        self.buttons(dialog, "Rename", act)
        dialog.open()

    def ask_delete(self, section: str, iid: str) -> None:
        tree = self.tree_now()
        refs = builder.references(tree, section, iid) if tree is not None else []
        dialog, general = self.dialog(f"Delete {iid}?")
        with dialog.default_slot.children[0]:
            if refs:
                ui.label(f"{iid} is named in:").classes("text-sm")
                with ui.column().classes("gap-0 accord-references"):
                    for r in refs:
                        ui.label(r).classes("font-mono text-sm accord-reference")
                ui.label("Deleting it breaks those: change them first.").classes("text-sm")

        async def act() -> None:
            if await self.change(lambda t: builder.delete_item(t, section, iid, force=True),
                                 {}, general):
                dialog.close()

        self.buttons(dialog, "Delete", act)
        dialog.open()


def requires_input(events: list[str], value: str = "") -> ui.input:
    """The condition builder (all of / any of / none of) over the grammar's own text box."""
    ui.label("Requires (what must have happened first):").classes("text-sm mt-2")
    with ui.row().classes("w-full gap-2"):
        picks = {k: ui.select(events, multiple=True, label=k, value=[]).classes(
            "w-40").props("use-chips") for k in ("All of", "Any of", "None of")}
    box = ui.input("Requires", value=value, placeholder="e.g. talks and not walkout "
                   "(accord's condition grammar)").classes("w-full")

    def write_condition() -> None:
        box.value = builder.condition(picks["All of"].value or [], picks["Any of"].value or [],
                                      picks["None of"].value or [])

    for p in picks.values():
        p.on_value_change(write_condition)
    return box


def _how(item: Any) -> str:
    for label, key in builder.HOW.items():
        if key in item:
            return label
    return ""


def _attr(text: str) -> str:
    return text.replace('"', "'")
