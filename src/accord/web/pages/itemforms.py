"""The Structure tab's forms for actors, issues and questions: the same dialog adds an item or
edits one (its numbers keep their evidence unless the user gives a new provenance)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nicegui import ui

from accord.errors import UserError
from accord.scenario.model import Actor, Issue, Question
from accord.scenario.params import Param
from accord.web import builder, items
from accord.web.items import Number
from accord.web.pages.provenance import (
    number,
    numbers_of,
    why_fields,
    why_from,
    why_of_param,
)
from accord.web.pages.structurebase import Change, StructureBase

SCALE = ("Lowest", "Highest", "Lowest means", "Highest means")


def text_of(box: Any) -> str:
    return str(box.value if box.value is not None else "").strip()


def aliases_of(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


def scale_of(f: dict[str, Any]) -> dict[str, Any]:
    """The scale's fields as the file writes them; a bound that is no number is refused."""
    out: dict[str, Any] = {}
    for label, key in zip(SCALE, ("min", "max", "min_means", "max_means"), strict=True):
        value = text_of(f[label])
        if key in ("min", "max"):
            try:
                out[key] = float(value) if "." in value else int(value)
            except ValueError:
                raise UserError.at(f"{label}: write a number", field="issues[].scale") from None
        elif value:
            out[key] = value
    return out


def shown_number(issue: Issue | None) -> Param | None:
    """The number whose provenance an issue's form shows: its status quo, else the first
    actor's position (each other number keeps its own unless the user changes it)."""
    if issue is None:
        return None
    return issue.status_quo or next((st.position for st in issue.positions.values()), None)


class ItemForms(StructureBase):
    """Add and edit actors, issues and questions."""

    def item(self, section: str, iid: str) -> Any:
        s = self.shown  # type: ignore[attr-defined]
        items = getattr(s, section, []) if s is not None else []
        return next((i for i in items if i.id == iid), None)

    def not_valid(self) -> None:
        ui.notify("Fix the problems first: the scenario does not validate.", type="warning")

    # --- actors ------------------------------------------------------------------------------
    def actor_form(self, iid: str | None = None) -> None:
        old: Actor | None = self.item("actors", iid) if iid else None
        if iid and old is None:
            return self.not_valid()

        def fill() -> dict[str, Any]:
            f = {"Name": ui.input("Name", value=old.name if old else "").classes("w-full"),
                 "Open existing": self.open_existing_button(),
                 "Aliases": ui.input("Aliases", value=", ".join(old.aliases) if old else "",
                                     placeholder="other names, comma-separated").classes(
                     "w-full"),
                 "Capability": ui.input("Capability", value=old.capability.describe()
                                        if old else "50").classes("w-full")}
            return f | why_fields(self.quotes(), why_of_param(old.capability if old else None))

        def do(f: dict[str, Any]) -> Change:
            name, aliases = text_of(f["Name"]), aliases_of(text_of(f["Aliases"]))
            if old is None:
                self.refuse_twice(name, f["Open existing"])
                item = items.actor_item(name, text_of(f["Capability"]), why_from(f), aliases)
                return lambda t: builder.add_item(t, "actors", item)
            changes: dict[str, Any] = {}
            if name != old.name:
                changes["name"] = name
            if aliases != old.aliases:
                changes["aliases"] = items.flow_list(aliases) if aliases else None
            cap = number(f, text_of(f["Capability"]), old.capability)
            if cap is not None:
                changes["capability"] = cap
            return lambda t: builder.update_item(t, "actors", old.id, changes)

        self.form(f"Edit {iid}" if iid else "Add an actor", "Apply" if iid else "Add", fill, do,
                  ("actors", iid) if iid else None)

    def open_existing_button(self) -> ui.button:
        """Shown when an actor is added twice: opens the one already there."""
        button = ui.button("Open the existing actor").props("flat dense no-caps").classes(
            "accord-open-existing")
        button.visible = False
        return button

    def refuse_twice(self, name: str, button: ui.button) -> None:
        """An actor added again under a name (or alias, or id) the scenario already has is
        refused, with a button to open the existing one: never a silent `serbia_2`."""
        wanted = name.strip().casefold()
        tree = self.tree_now()
        actors = list(tree.get("actors") or []) if tree else []
        for a in actors:
            aid, known = str(a.get("id")), [a.get("id"), a.get("name"), *(a.get("aliases") or [])]
            if wanted and wanted in {str(x).casefold() for x in known if x}:
                button.text, button.visible = f"Open {aid}", True
                button.on_click(lambda aid=aid: self.actor_form(aid))
                raise UserError.at(f"{a.get('name')} is already an actor (id {aid}): open it "
                                   "to edit it, or give this one another name",
                                   field=f"actors[{len(actors)}].name")

    # --- issues ------------------------------------------------------------------------------
    def issue_form(self, iid: str | None = None) -> None:
        old: Issue | None = self.item("issues", iid) if iid else None
        if iid and old is None:
            return self.not_valid()
        actors = self.section_ids("actors")

        def fill() -> dict[str, Any]:
            sc = old.scale if old else None
            f = {"Name": ui.input("Name", value=old.name if old else "").classes("w-full")}
            with ui.row().classes("w-full gap-2"):
                for label, value in zip(SCALE, (sc.min if sc else 0, sc.max if sc else 100,
                                                sc.min_means if sc else "",
                                                sc.max_means if sc else ""), strict=True):
                    f[label] = ui.input(label, value=f"{value:g}" if isinstance(
                        value, int | float) else str(value or "")).classes("accord-grow")
            sq = old.status_quo.describe() if old and old.status_quo else ""
            f["Status quo"] = ui.input("Status quo", value=sq,
                                       placeholder="where things stand now (optional)").classes(
                "w-full")
            ui.label("Each actor's position on the scale and salience (how much it cares, "
                     "0-1); leave both empty for an actor not on this issue.").classes(
                "accord-dim text-xs")
            for a in actors:
                st = old.positions.get(a) if old else None
                with ui.row().classes("w-full gap-2 no-wrap items-center"):
                    for key in ("position", "salience"):
                        value = getattr(st, key).describe() if st else ""
                        f[f"{a} {key}"] = ui.input(f"{a} {key}", value=value).classes(
                            "accord-grow")
            if old is not None:
                ui.label("Assumption and Quote are the status quo's (else the first "
                         "position's); they also go to the numbers you change or add.").classes(
                    "accord-dim text-xs")
            return f | why_fields(self.quotes(), why_of_param(shown_number(old)))

        def do(f: dict[str, Any]) -> Change:
            return self.issue_change(f, old, actors)

        self.form(f"Edit {iid}" if iid else "Add an issue", "Apply" if iid else "Add", fill, do,
                  ("issues", iid) if iid else None)

    @staticmethod
    def issue_change(f: dict[str, Any], old: Issue | None, actors: list[str]) -> Change:
        name, scale, sq = text_of(f["Name"]), scale_of(f), text_of(f["Status quo"])
        if old is None:
            positions = {a: (text_of(f[f"{a} position"]), text_of(f[f"{a} salience"]))
                         for a in actors if text_of(f[f"{a} position"])
                         or text_of(f[f"{a} salience"])}
            default = scale == {"min": 0, "max": 100}
            item = items.issue_item(name, positions, sq or None, None if default else scale,
                                      why_from(f))
            return lambda t: builder.add_item(t, "issues", item)
        changes: dict[str, Any] = {}
        if name != old.name:
            changes["name"] = name
        if scale != old.scale.model_dump(exclude_none=True):
            changes["scale"] = items.flow_map(scale)
        read = numbers_of(f, shown_number(old))
        if not sq and old.status_quo is not None:
            changes["status_quo"] = None
        elif sq:
            n = read(sq, old.status_quo)
            if n is not None:
                changes["status_quo"] = n
        stances: dict[str, tuple[Number, Number] | None] = {}
        for a in actors:
            texts = (text_of(f[f"{a} position"]), text_of(f[f"{a} salience"]))
            st = old.positions.get(a)
            if not any(texts):
                if st is not None:
                    stances[a] = None
                continue
            p = read(texts[0], st.position if st else None)
            w = read(texts[1], st.salience if st else None)
            if p is not None or w is not None:
                stances[a] = (p or Number(texts[0]), w or Number(texts[1]))

        def change(t: Any) -> object:
            builder.update_item(t, "issues", old.id, changes)
            builder.set_positions(t, old.id, stances)
            return old.id

        return change

    # --- questions ---------------------------------------------------------------------------
    def question_form(self, iid: str | None = None) -> None:
        old: Question | None = self.item("questions", iid) if iid else None
        if iid and old is None:
            return self.not_valid()
        events = self.event_names()
        as_of = self.shown.meta.as_of if self.shown else dt.date.today()  # type: ignore[attr-defined]
        by = dt.date(as_of.year + 1, as_of.month, min(as_of.day, 28)).isoformat()

        def fill() -> dict[str, Any]:
            return {
                "Event": ui.select(events, label="Event", value=old.event if old else (
                    list(events)[-1] if events else None)).classes("w-full"),
                "By": ui.input("By", value=str(old.by) if old else by,
                               placeholder="YYYY-MM-DD").classes("w-full"),
                "Question": ui.input("Question", value=old.text if old else "").classes(
                    "w-full"),
                "Criteria": ui.input("Criteria", value=(old.criteria or "") if old else "",
                                     placeholder="exactly how it resolves (optional)").classes(
                    "w-full")}

        def do(f: dict[str, Any]) -> Change:
            event, when = str(f["Event"].value or ""), text_of(f["By"])
            text, criteria = text_of(f["Question"]), text_of(f["Criteria"]) or None
            if old is None:
                item = items.question_item(event, when, text, criteria)
                return lambda t: builder.add_item(t, "questions", item)
            changes = {k: v for k, v, was in (
                ("event", event, old.event), ("by", items.date_value(when), old.by),
                ("text", text, old.text), ("criteria", criteria, old.criteria)) if v != was}
            return lambda t: builder.update_item(t, "questions", old.id, changes)

        self.form(f"Edit {iid}" if iid else "Add a question", "Apply" if iid else "Add",
                  fill, do, ("questions", iid) if iid else None)
