"""The Structure tab's event form: name, how it happens, its probability (with provenance), what
it requires (the condition builder), its modifiers and its effects. The same dialog adds an
event or edits one."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from accord.scenario.model import Event
from accord.web import builder
from accord.web.builder import ModifierRow
from accord.web.pages.itemforms import Change, ItemForms, text_of
from accord.web.pages.provenance import (
    number,
    prefilled,
    row_number,
    why_fields,
    why_from,
    why_of_param,
)
from accord.web.pages.structurebase import Labelled

HOW_OF = {v: k for k, v in builder.HOW.items()}  # the file's key → the form's words


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


def modifier_rows(f: dict[str, Any], old: Event | None) -> None:
    """Rows of (If, Multiply): while the condition holds, the monthly chance is multiplied.
    'Add modifier' adds a row; a row removed or left empty is dropped."""
    ui.label("Modifiers (monthly and repeatable chances only): while If holds, the chance is "
             "multiplied by Multiply.").classes("text-sm mt-2")
    box = ui.column().classes("w-full gap-1 accord-modifiers")

    def row(cond: str = "", times: str = "") -> None:
        k = sum(1 for label in f if label.startswith("If ")) + 1
        with box, ui.row().classes("w-full gap-2 no-wrap items-center") as line:
            f[f"If {k}"] = ui.input(f"If {k}", value=cond, placeholder="a condition").classes(
                "accord-grow")
            f[f"Multiply {k}"] = ui.input(f"Multiply {k}", value=times,
                                          placeholder="2, U(1.5, 3)").classes("w-32")
            ui.button(icon="delete", on_click=lambda: remove(k, line)).props(
                f'flat dense round aria-label="Remove modifier {k}"')

    def remove(k: int, line: ui.row) -> None:
        """An emptied row is dropped when applied; the others keep their numbers (and
        labels), each with its own provenance."""
        f[f"If {k}"].value = f[f"Multiply {k}"].value = ""
        line.visible = False

    for m in old.modifiers if old else []:
        row(m.if_, m.multiply.describe())
    ui.button("Add modifier", icon="add", on_click=lambda: row()).props("flat dense")


class EventForm(ItemForms):
    """Add and edit events."""

    def event_form(self, iid: str | None = None) -> None:
        old: Event | None = self.item("events", iid) if iid else None
        if iid and old is None:
            return self.not_valid()
        others = [e for e in self.event_ids() if e != iid]

        def fill() -> dict[str, Any]:
            how = HOW_OF[old.kind] if old else "monthly chance"
            f: dict[str, Any] = {
                "Name": ui.input("Name", value=old.name if old else "").classes("w-full"),
                "How it happens": ui.select(list(builder.HOW), value=how,
                                            label="How it happens").classes("w-full"),
                "Probability": ui.input("Probability", value=old.probability.describe()
                                        if old and old.probability else "",
                                        placeholder="0.05, U(0.02, 0.08), Beta(2, 30)").classes(
                    "w-full"),
                "Date": ui.input("Date", value=str(old.scheduled or "") if old else "",
                                 placeholder="YYYY-MM-DD").classes("w-full"),
            }
            f["Date"].bind_visibility_from(f["How it happens"], "value", value="on a date")
            f["Probability"].bind_visibility_from(f["How it happens"], "value",
                                                  backward=lambda v: v != "on a date")
            f |= why_fields(self.quotes(), why_of_param(old.probability if old else None))
            f["Requires"] = requires_input(others, old.when if old else "")
            modifier_rows(f, old)
            with ui.row().classes("w-full gap-2"):
                for label, key in (("Cancels", "cancels"), ("Resets", "resets")):
                    f[label] = ui.select(others, multiple=True, label=label, value=list(
                        getattr(old.effects, key)) if old else []).classes(
                        "accord-grow").props("use-chips")
            return f

        self.form(f"Edit {iid}" if iid else "Add an event", "Apply" if iid else "Add", fill,
                  lambda f: self.event_change(f, old), ("events", iid) if iid else None)

    def event_change(self, f: dict[str, Any], old: Event | None) -> Change:
        how, prob = str(f["How it happens"].value), text_of(f["Probability"])
        requires, date = text_of(f["Requires"]), text_of(f["Date"])
        kind = builder.HOW[how]
        rows = self.modifiers_of(f, old)
        cancels, resets = list(f["Cancels"].value or []), list(f["Resets"].value or [])
        changes: dict[str, Any] = {}
        if old is not None:
            if text_of(f["Name"]) != old.name:
                changes["name"] = text_of(f["Name"])
            if requires != old.when.strip():
                changes["when"] = requires or None
            if kind == "scheduled" and (old.kind != kind or date != str(old.scheduled)):
                changes["scheduled"] = builder.date_value(date)
            elif kind != "scheduled":
                n = number(f, prob, old.probability if old.kind == kind else None)
                if n is not None:
                    changes[kind] = n

        def change(t: Any) -> object:
            if old is None:
                iid = builder.add_item(t, "events", builder.event_item(
                    text_of(f["Name"]), how, prob, requires, date, why_from(f)))
            else:
                iid = builder.update_item(t, "events", old.id, changes)
            builder.set_modifiers(t, iid, rows)
            builder.set_effects(t, iid, cancels, resets)
            return iid

        labels = {f"{w} {j}": f"{w} {k}" for j, k in enumerate(filled_rows(f), 1) if j != k
                  for w in ("If", "Multiply")}
        return Labelled(change, labels) if labels else change

    @staticmethod
    def modifiers_of(f: dict[str, Any], old: Event | None) -> list[ModifierRow]:
        """The modifier rows filled in, in order; row k shows the event's modifier k (when it
        had one), so each keeps its own provenance whatever rows were emptied or removed."""
        shown = prefilled(why_of_param(old.probability if old else None))
        rows = []
        for k in filled_rows(f):
            was = k - 1 if old and k <= len(old.modifiers) else None
            param = old.modifiers[was].multiply if old and was is not None else None
            times = text_of(f[f"Multiply {k}"])
            rows.append(ModifierRow(text_of(f[f"If {k}"]), row_number(f, times, param, shown),
                                    was))
        return rows


def filled_rows(f: dict[str, Any]) -> list[int]:
    """The numbers of the form's modifier rows filled in (a removed row is emptied)."""
    rows, k = [], 1
    while f"If {k}" in f:
        if text_of(f[f"If {k}"]) or text_of(f[f"Multiply {k}"]):
            rows.append(k)
        k += 1
    return rows
