"""What the Structure tab's forms share: applying a change to the draft (refused with its
messages at the fields), undo and redo, the renames to carry into the overlays, and dialogs."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui

from accord.errors import UserError
from accord.web import builder
from accord.web.pages.editing import FIELD_PROBLEM
from accord.web.sources import source_sentences

Label = str | Callable[[re.Match[str]], str]
Change = Callable[[Any], object]  # a change of the scenario's tree


def _row(kind: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f"{kind} {int(m[1]) + 1}"


# a problem's field path → the dialog field (by its label) it belongs to; the first match wins
FIELD_OF: list[tuple[str, Label]] = [
    (r"\.modifiers\[(\d+)\]\.if", _row("If")),
    (r"\.modifiers\[(\d+)\]\.multiply", _row("Multiply")),
    (r"\.modifiers", "If 1"),
    (r"\.effects\.cancels", "Cancels"), (r"\.effects\.resets", "Resets"),
    (r"positions\.([\w-]+)\.(position|salience)", lambda m: f"{m[1]} {m[2]}"),
    (r"^([\w-]+)\.(position|salience)$", lambda m: f"{m[1]} {m[2]}"),
    (r"status_quo", "Status quo"), (r"\.scale", "Lowest"),
    (r"\.id$", "Id"), (r"\.name$", "Name"), (r"\.aliases", "Aliases"),
    (r"\.(hazard|chance|repeatable)", "Probability"),
    (r"\.scheduled", "Date"), (r"\.when", "Requires"), (r"\.capability", "Capability"),
    (r"questions\[\d+\]\.event", "Event"), (r"\.by$", "By"), (r"\.text$", "Question"),
    (r"\.criteria$", "Criteria"),
    (r"^probability$", "Probability"), (r"^capability$", "Capability"),
    (r"^how$", "How it happens"),
]


# the file format's words in a message → the form's (what the user sees and chose)
FORM_WORDS: list[tuple[str, str]] = [
    ("modifiers apply to a hazard or repeatable event only",
     "modifiers apply to a monthly chance or a repeatable event only: choose one of them "
     "under How it happens, or remove the modifiers"),
    ("so it cannot be the rate of a chance event; remove `chance`",
     "so it cannot be the rate of a one-time chance; choose monthly chance"),
    ("so it cannot be the rate of a hazard event; remove `hazard`",
     "so it cannot be the rate of a monthly chance; choose one-time chance"),
]


def in_form_words(message: str) -> str:
    for file_words, form_words in FORM_WORDS:
        message = message.replace(file_words, form_words)
    return message


@dataclass
class Labelled:
    """A change whose problems, at the fields `field_of` names, belong to other fields of its
    form (`labels`: the name's field → the form's): the file's second modifier is the form's
    second row still filled in, row 3 once row 2 was removed."""

    change: Change
    labels: dict[str, str]

    def __call__(self, tree: Any) -> object:
        return self.change(tree)


def relabelled(fields: dict[str, Any], change: Any) -> dict[str, Any]:
    """A form's fields by the names its change's problems use (every field still in it)."""
    if not isinstance(change, Labelled):
        return fields
    out = {f"({k})": v for k, v in fields.items()} | fields
    return out | {name: fields[label] for name, label in change.labels.items()}


def field_of(path: str | None) -> str | None:
    for pattern, name in FIELD_OF:
        m = re.search(pattern, path or "")
        if path and m:
            return name if isinstance(name, str) else name(m)
    return None


def attr(text: str) -> str:
    return text.replace('"', "'")


class StructureBase:
    """The Structure tab's state on a ScenarioView (which provides text, flush, status, ...)."""

    undo_stack: list[tuple[str, tuple[tuple[str, str, str], ...]]]
    redo_stack: list[tuple[str, tuple[tuple[str, str, str], ...]]]
    renames: list[tuple[str, str, str]]  # (section, old, new) since the last save

    # --- applying a change -------------------------------------------------------------------
    async def change(self, do: Callable[[Any], object], fields: dict[str, Any],
                     general: ui.label, rename: tuple[str, str, str] | None = None) -> bool:
        """Apply a change to the draft; its problems shown at `fields` (by label) if refused.
        `rename` (section, old, new) is kept to carry into the overlays when saved."""
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
            self.show_problems(problems, fields, general)
            return False
        assert result is not None and result.text is not None
        self.undo_stack.append((self.text, tuple(self.renames)))  # type: ignore[attr-defined]
        self.redo_stack.clear()
        if rename is not None:
            self.renames.append(rename)
        await self.set_text(result.text)
        return True

    @staticmethod
    def show_problems(problems: list[tuple[str | None, str]], fields: dict[str, Any],
                      general: ui.label) -> None:
        for name, said in problems:
            msg = in_form_words(said)
            box = fields.get(name or "")
            if box is None and name == "Id":  # an add form: the id is made from the name
                box = fields.get("Name")
            if box is not None:
                box.props(f'error error-message="{attr(msg)}"')
            else:
                general.text = (general.text + "\n" + msg).strip()

    async def set_text(self, text: str) -> None:
        self.pending_yaml = text  # type: ignore[attr-defined]
        await self.flush()  # type: ignore[attr-defined]
        self.structure_list.refresh()  # type: ignore[attr-defined]
        self.start_preview()  # type: ignore[attr-defined]

    async def undo(self) -> None:
        await self.step(self.undo_stack, self.redo_stack)

    async def redo(self) -> None:
        await self.step(self.redo_stack, self.undo_stack)

    async def step(self, back: list[Any], forth: list[Any]) -> None:
        """Back to the state on top of `back`, the present kept on `forth`."""
        if back:
            forth.append((self.text, tuple(self.renames)))  # type: ignore[attr-defined]
            text, renames = back.pop()
            self.renames = list(renames)
            await self.set_text(text)

    def tree_now(self) -> Any:
        from accord.web.yamledit import load_tree

        try:
            return load_tree(self.text, self.name)  # type: ignore[attr-defined]
        except UserError:
            return None

    def section_ids(self, section: str) -> list[str]:
        tree = self.tree_now()
        return [str(e.get("id")) for e in (tree.get(section) or [])] if tree else []

    def event_ids(self) -> list[str]:
        return self.section_ids("events")

    def event_names(self, leave_out: str | None = None) -> dict[str, str]:
        """Event id → the name a picker shows (the id beside it where two names are alike)."""
        tree = self.tree_now()
        items = [(str(e.get("id")), str(e.get("name") or e.get("id")))
                 for e in (tree.get("events") or [])] if tree else []
        names = [n for _, n in items]
        return {i: n if names.count(n) == 1 else f"{n} ({i})" for i, n in items
                if i != leave_out}

    def quotes(self) -> list[tuple[str, str]]:
        """(source id, sentence) of the scenario's source texts beside it in the workspace."""
        s = self.shown  # type: ignore[attr-defined]
        if s is None or self.builtin:  # type: ignore[attr-defined]
            return []
        return source_sentences(s, self.ws.source_dirs(self.ref))  # type: ignore[attr-defined]

    # --- dialogs -----------------------------------------------------------------------------
    def dialog(self, title: str) -> tuple[ui.dialog, ui.label]:
        with ui.dialog() as dialog, ui.card().classes("accord-builder-dialog"):
            ui.label(title).classes("text-lg font-bold")
        with dialog.default_slot.children[0]:  # the card
            general = ui.label("").classes("text-red-700 text-sm whitespace-pre-line "
                                           "accord-dialog-problem")
        return dialog, general

    def buttons(self, dialog: ui.dialog, label: str, act: Callable[[], Any]) -> None:
        with dialog.default_slot.children[0], ui.row():
            ui.button(label, on_click=act).classes(f"accord-dialog-{label.lower()}")
            ui.button("Cancel", on_click=dialog.close).props("flat")

    @staticmethod
    def renaming(section: str, iid: str, new: str, then: Change | None = None
                 ) -> tuple[Change, tuple[str, str, str]]:
        """A rename of an id and every reference to it (after `then`, an edit form's other
        changes, made under the old id), and the rename to carry into the overlays when saved:
        the one way the Rename dialog and the edit forms rename."""
        def change(t: Any) -> object:
            if then is not None:
                then(t)
            builder.rename(t, section, iid, new)
            return new

        return change, (section, iid, new)

    def form(self, title: str, label: str, fill: Callable[[], dict[str, Any]],
             do: Callable[[dict[str, Any]], Change], item: tuple[str, str] | None = None
             ) -> None:
        """A dialog of fields (`fill` makes them, by label) whose button applies the change
        `do(fields)` makes. An edit form (`item`: its section and id) has an Id field too: a
        new id there renames the item as the Rename dialog does."""
        dialog, general = self.dialog(title)
        with dialog.default_slot.children[0]:
            box = ui.input("Id", value=item[1]).classes("w-full font-mono") if item else None
            fields = fill()  # the form's own dict: rows added later (modifiers) land in it
            if box is not None:
                fields["Id"] = box

        async def act() -> None:
            try:
                change = do(fields)
            except UserError as exc:
                self.show_problems([(field_of(p.field), p.message) for p in exc.problems],
                                   fields, general)
                return
            shown = relabelled(fields, change)
            new = str(fields["Id"].value or "").strip() if item else ""
            rename = None
            if item and new != item[1]:
                change, rename = self.renaming(*item, new, then=change)
            if await self.change(change, shown, general, rename):
                dialog.close()

        self.buttons(dialog, label, act)
        dialog.open()
