"""The scenario page's Structure tab: actors, issues, events and questions added, edited, renamed
and deleted in forms (accord.web.builder does the change and its validation), with undo and
redo, and a quick preview run after each change.

A change is made to the tab's draft (as the Numbers and YAML tabs' edits are), refused with its
messages at the fields when it brings a problem, and written to disk by Save (renames then
carried into the workspace's overlays of the scenario).
"""

from __future__ import annotations

import functools
from typing import Any

from nicegui import ui

from accord.web import builder, items
from accord.web.pages.eventform import HOW_OF, EventForm
from accord.web.pages.preview import Preview
from accord.web.pages.reviewlist import draft_review_panel
from accord.web.pages.structurebase import attr

SHOWN = {"actors": "name", "issues": "name", "events": "name", "questions": "text"}


def summary(section: str, item: Any) -> str:
    """One line under an item's name: what the form would ask about it."""
    if section == "events":
        how = next((HOW_OF[k] for k in items.KINDS if k in item), "")
        return how + (f" · requires {item['when']}" if item.get("when") else "")
    if section == "issues":
        return "positions: " + ", ".join(str(a) for a in item.get("positions") or {})
    if section == "questions":
        return f"{item.get('event')} by {item.get('by')}"
    aliases = item.get("aliases") or []
    return ("also " + ", ".join(map(str, aliases))) if aliases else ""


class Structure(EventForm, Preview):
    """The Structure tab of a ScenarioView."""

    def structure(self) -> None:
        self.undo_stack, self.redo_stack, self.renames = [], [], []
        draft_review_panel(self.text, "structure")  # type: ignore[attr-defined]
        ui.label("Add, edit, rename and delete actors, issues, events and questions. Each "
                 "change is checked as accord validate checks it; Save writes the file.").classes(
            "accord-dim text-sm")
        with ui.row().classes("items-center gap-2"):
            for label, icon, act in (("Add actor", "person_add", self.actor_form),
                                     ("Add issue", "tune", self.issue_form),
                                     ("Add event", "event", self.event_form),
                                     ("Add question", "help", self.question_form)):
                ui.button(label, icon=icon, on_click=lambda a=act: a()).classes(
                    "accord-" + label.lower().replace(" ", "-"))
            ui.button("Undo", icon="undo", on_click=self.undo).props("flat").classes(
                "accord-undo")
            ui.button("Redo", icon="redo", on_click=self.redo).props("flat").classes(
                "accord-redo")
        self.structure_list()
        self.preview_panel()

    @ui.refreshable_method
    def structure_list(self) -> None:
        tree = self.tree_now()
        if tree is None:
            ui.label("The YAML does not parse: fix it in the YAML tab.").classes("accord-dim")
            return
        edit = {"actors": self.actor_form, "issues": self.issue_form,
                "events": self.event_form, "questions": self.question_form}
        for section, what in SHOWN.items():
            ui.label(section.capitalize()).classes("text-lg font-bold mt-2")
            items = tree.get(section) or []
            if not items:
                ui.label("none yet").classes("accord-dim text-sm")
            with ui.column().classes(f"gap-0 w-full accord-structure-{section}"):
                for item in items:
                    self.list_item(section, str(item.get("id")), str(item.get(what, "")),
                                   summary(section, item), edit[section])

    def list_item(self, section: str, iid: str, name: str, line: str, edit: Any) -> None:
        with ui.row().classes("items-center gap-2 accord-structure-item"):
            with ui.column().classes("gap-0 accord-item-text"):
                with ui.row().classes("items-center gap-2"):
                    ui.label(iid).classes("font-mono text-sm")
                    ui.label(name).classes("text-sm")
                if line:
                    ui.label(line).classes("accord-dim text-xs")
            with ui.row().classes("gap-0 no-wrap"):
                ui.button("Edit", on_click=functools.partial(edit, iid)).props(
                    f'flat dense aria-label="Edit {attr(iid)}"')
                ui.button("Rename", on_click=functools.partial(
                    self.ask_rename, section, iid)).props(
                    f'flat dense aria-label="Rename {attr(iid)}"')
                ui.button("Delete", on_click=functools.partial(
                    self.ask_delete, section, iid)).props(
                    f'flat dense color=negative aria-label="Delete {attr(iid)}"')

    # --- rename and delete ------------------------------------------------------------------
    def ask_rename(self, section: str, iid: str) -> None:
        dialog, general = self.dialog(f"Rename {iid}")
        with dialog.default_slot.children[0]:
            ui.label("Every reference to it is renamed too, in this scenario and, when saved, "
                     "in the workspace's overlays of it.").classes("accord-dim text-sm")
            f = {"Id": ui.input("New id", value=iid).classes("w-full")}

        async def act() -> None:
            change, rename = self.renaming(section, iid, str(f["Id"].value or "").strip())
            if await self.change(change, f, general, rename):
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
