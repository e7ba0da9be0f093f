"""The scenario page's editing state: validation as you type (debounced, in a worker thread),
saving and saving as a what-if copy."""

from __future__ import annotations

import asyncio
import functools
import re
from typing import Any

from nicegui import run, ui

from accord.errors import UserError
from accord.scenario.loader import Loaded
from accord.scenario.model import Scenario
from accord.web.context import Context
from accord.web.overlays import rename_in_overlays
from accord.web.pages.jobcontrols import JobControls
from accord.web.widgets import slug
from accord.web.workspace import text_hash
from accord.web.yamledit import dump_tree, edit_tree, load_tree

DEBOUNCE = 0.35  # seconds of quiet typing before an edit is validated
# "file:line: field: message" (a problem as `accord validate` prints it) → field, message
FIELD_PROBLEM = re.compile(r":\d+: ([A-Za-z_][\w.\[\]]*): (.*)$")


def messages_by_field(problems: list[str], fields: list[str]) -> dict[str, str]:
    """Each field's first problem, a problem inside a number (its evidence, its value) given
    to that number's field: what the dashboard shows at the field being edited."""
    out: dict[str, str] = {}
    for p in problems:
        m = FIELD_PROBLEM.search(p)
        if m is None:
            continue
        for f in fields:
            if m[1] == f or m[1].startswith((f + ".", f + "[")):
                out.setdefault(f, m[2])
    return out

class Editing:
    """One browser tab's draft of a scenario: its saved text, the draft being edited, its
    validation; saving."""

    def __init__(self, ctx: Context, ref: str) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.ref = ref
        self.builtin = self.ws.is_builtin(ref)
        self.name = self.ws.name(ref)
        # a new scenario not saved yet (it did not validate when made): its text, no file yet
        self.new_file = ref in ctx.unsaved and not self.builtin and not self.ws.path_of(
            ref, must_exist=False).exists()
        self.saved_text = "" if self.new_file else self.ws.text(ref)
        self.text = ctx.unsaved[ref] if self.new_file else self.saved_text
        self.tree: Any = None
        self.loaded: Loaded | None = None  # the draft, when it validates (leniently)
        self.shown: Scenario | None = None  # what the overview shows
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.cell_errors: dict[str, str] = {}
        self.cell_inputs: dict[str, ui.input] = {}  # the Numbers tab's boxes, by field path
        self.pending_cells: dict[str, str] = {}
        self.pending_yaml: str | None = None
        self.lock = asyncio.Lock()
        self.debounce_task: asyncio.Task[None] | None = None
        self.overview_stale = False
        self.runs = JobControls("run", "the run failed")
        self.yaml_area: ui.textarea | None = None
        self.built: set[str] = set()
        self.panels: dict[str, Any] = {}
        self.analyses = JobControls("tornado", "the analysis failed")
        self.start_tab = ""  # the tab the page opens on (?tab=Structure after New scenario)
        self.renames: list[tuple[str, str, str]] = []  # (section, old, new) since the save

    # --- validation (in a worker thread: it takes a few tenths of a second) ------------------
    def check(self, text: str) -> tuple[Loaded | None, list[str], list[str]]:
        try:
            loaded = self.ws.parse(self.ref, text, strict=True)
            return loaded, [], [str(w) for w in loaded.warnings]
        except UserError as exc:
            problems = [str(p) for p in exc.problems]
        try:
            loaded = self.ws.parse(self.ref, text, strict=False)
            return loaded, problems, [str(w) for w in loaded.warnings]
        except UserError:
            return None, problems, []

    def first_check(self) -> None:
        self.loaded, self.problems, self.warnings = self.check(self.text)
        self.shown = self.loaded.scenario if self.loaded else None

    @property
    def valid(self) -> bool:
        return self.loaded is not None and not self.cell_errors

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    def _work(
        self, cells: dict[str, str], yaml_text: str | None
    ) -> tuple[dict[str, str | None], str, Any, Loaded | None, list[str], list[str]]:
        errors: dict[str, str | None] = {}
        tree = self.tree
        text = self.text
        if yaml_text is not None:
            text = yaml_text
            try:
                tree = load_tree(yaml_text, self.name)
            except UserError as exc:
                return {}, text, None, None, [str(p) for p in exc.problems], []
        if cells and tree is None:
            try:
                tree = load_tree(text, self.name)
            except UserError as exc:
                return {}, text, None, None, [str(p) for p in exc.problems], []
        if cells and tree is not None:
            for field, value in cells.items():
                try:
                    edit_tree(tree, self.name, field, value)
                    errors[field] = None
                except UserError as exc:
                    errors[field] = str(exc)
            text = dump_tree(tree, self.saved_text)
        loaded, problems, warnings = self.check(text)
        return errors, text, tree, loaded, problems, warnings

    async def flush(self) -> None:
        """Apply and validate every pending edit."""
        async with self.lock:
            cells, self.pending_cells = self.pending_cells, {}
            yaml_text, self.pending_yaml = self.pending_yaml, None
            if not cells and yaml_text is None:
                return
            errors, text, tree, loaded, problems, warnings = await run.io_bound(
                self._work, cells, yaml_text
            )
            structure_changed = yaml_text is not None
            for field, err in errors.items():
                if err is None:
                    self.cell_errors.pop(field, None)
                else:
                    self.cell_errors[field] = err
            if structure_changed:
                self.cell_errors.clear()
            self.text, self.tree, self.loaded = text, tree, loaded
            self.problems, self.warnings = problems, warnings
            if loaded is not None:
                self.shown = loaded.scenario
                self.overview_stale = True
            if self.yaml_area is not None and self.yaml_area.value != text:
                self.yaml_area.value = text
            if structure_changed and loaded is not None and "Numbers & evidence" in self.built:
                self.numbers.refresh()
            self.status.refresh()
            self.mark_fields()

    def mark_fields(self) -> None:
        """Each number's box shows its own problem under it (the status block lists them all)."""
        fields = list(self.cell_inputs)
        shown = messages_by_field(self.problems, fields)
        shown.update({f: e for f, e in self.cell_errors.items() if f in self.cell_inputs})
        for f, box in self.cell_inputs.items():
            if shown.get(f):
                box._props["error"] = True
                box._props["error-message"] = shown[f]
            else:
                box._props.pop("error", None)
                box._props.pop("error-message", None)
            box.update()

    def schedule(self) -> None:
        if self.debounce_task is not None and not self.debounce_task.done():
            self.debounce_task.cancel()

        async def later() -> None:
            await asyncio.sleep(DEBOUNCE)
            await self.flush()

        self.debounce_task = asyncio.create_task(later())

    def on_cell(self, field: str, value: str) -> None:
        self.pending_cells[field] = value or ""
        self.schedule()

    def on_yaml(self, value: str) -> None:
        if value == self.text:
            return
        self.pending_yaml = value
        self.schedule()

    # --- saving --------------------------------------------------------------------------------
    async def save(self) -> None:
        await self.write_draft(invalid=False)

    async def write_draft(self, invalid: bool) -> None:
        """Write the draft; a draft with problems only when saved explicitly as invalid (the
        scenarios list then shows the file as broken)."""
        await self.flush()
        if not self.valid and not invalid:
            ui.notify("Not saved: fix the problems first.",
                      type="negative")
            return
        if self.builtin:
            ui.notify("Built-in scenarios are read-only: use 'Save as' for a what-if copy.",
                      type="warning")
            return
        try:
            await run.io_bound(functools.partial(
                self.ws.write, self.ref, self.text, new=self.new_file,
                expected=None if self.new_file else text_hash(self.saved_text)))
            overlays = await run.io_bound(rename_in_overlays, self.ws, self.saved_text,
                                          self.renames)
        except UserError as exc:
            ui.notify(str(exc), type="negative")
            return
        if self.new_file:
            self.ctx.unsaved.pop(self.ref, None)
            self.new_file = False
        self.saved_text, self.renames = self.text, []
        self.status.refresh()
        also = f" (renamed in {', '.join(overlays)})" if overlays else ""
        ui.notify(f"Saved {self.ref}{' as invalid' if invalid else ''}{also}",
                  type="warning" if invalid else "positive")

    def ask_save_invalid(self) -> None:
        """Saving a draft with problems, after a confirmation that says what it means."""
        with ui.dialog() as dialog, ui.card().classes("accord-builder-dialog"):
            ui.label("Save with problems?").classes("text-lg font-bold")
            ui.label(f"{self.ref} will not validate: it cannot be run, and the scenarios list "
                     "shows it as broken until its problems are fixed.").classes("text-sm")

            async def confirmed() -> None:
                dialog.close()
                await self.write_draft(invalid=True)

            with ui.row():
                ui.button("Save anyway", color="negative", on_click=confirmed).classes(
                    "accord-save-invalid-ok")
                ui.button("Cancel", on_click=dialog.close).props("flat")
        dialog.open()

    async def save_as(self, name: str, dialog: ui.dialog) -> None:
        await self.flush()
        if not self.valid:
            ui.notify("Not saved: fix the problems first.", type="negative")
            return
        try:
            if self.tree is None:
                self.tree = await run.io_bound(load_tree, self.text, self.name)
            new_ref = self.ws.new_file_ref(name)
            meta = self.tree["meta"]
            old_id = meta["id"]
            meta["id"] = slug(new_ref.rsplit(".", 1)[0]).lstrip(".-") or "what-if"
            try:
                text = dump_tree(self.tree, self.saved_text)
            finally:
                meta["id"] = old_id
            loaded = await run.io_bound(self.ws.parse, new_ref, text)
            await run.io_bound(functools.partial(self.ws.write, new_ref, loaded.text, new=True))
        except UserError as exc:
            ui.notify(str(exc), type="negative")
            return
        dialog.close()
        ui.notify(f"Saved as {new_ref}", type="positive")
        ui.navigate.to(f"/scenario?ref={new_ref}")

    def ask_save_as(self) -> None:
        with ui.dialog() as dialog, ui.card():
            ui.label("Save a what-if copy in the workspace")
            stem = self.ref.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            name = ui.input("file name", value=f"{stem}-what-if.yaml").classes(
                "w-80 accord-saveas-name"
            )
            with ui.row():
                ui.button("Save", on_click=lambda: self.save_as(name.value, dialog)).classes(
                    "accord-saveas-ok"
                )
                ui.button("Cancel", on_click=dialog.close).props("flat")
        dialog.open()
