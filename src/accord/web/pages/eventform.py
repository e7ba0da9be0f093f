"""The Structure tab's event form: name, how it happens, its probability (with provenance), what
it requires (the condition builder), its modifiers and its effects. The same dialog adds an
event or edits one."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from accord.scenario.model import Event
from accord.web import builder, items
from accord.web.builder import ModifierRow
from accord.web.items import Number, Why
from accord.web.pages.itemforms import Change, ItemForms, text_of
from accord.web.pages.provenance import (
    number,
    why_fields,
    why_from,
    why_of_param,
)
from accord.web.pages.structurebase import Labelled

HOW_OF = {v: k for k, v in items.HOW.items()}  # the file's key → the form's words


def history_options() -> dict[str, str]:
    """The reference classes the form offers, each with its rate (accord baserate)."""
    from accord.baserate.tables import choice_label, index

    return {"": "none: type the rate below", **{c["id"]: choice_label(c["id"]) for c in index()}}


def _class_how() -> dict[str, str]:
    from accord.baserate.tables import index

    return {c["id"]: "monthly chance" if c["kind"] == "curve" else "one-time chance"
            for c in index()}


CLASS_HOW = _class_how()  # a class → how an event at its rate happens


def history_select(old: Event | None) -> ui.select:
    """'Rate from history': start the event's rate from a reference class (the outside view);
    its modifiers then adjust it."""
    value = old.reference.class_ if old is not None and old.reference else ""
    return ui.select(history_options(), value=value, label="Rate from history").classes(
        "w-full")


def requires_input(events: dict[str, str], value: str = "") -> ui.input:
    """The condition builder (all of / any of / none of) over the grammar's own text box; the
    pickers show the events' names (`events`: id → name) and write their ids."""
    ui.label("Requires (what must have happened first):").classes("text-sm mt-2")
    with ui.row().classes("w-full gap-2"):
        picks = {k: ui.select(events, multiple=True, label=k, value=[]).classes(
            "w-40").props("use-chips") for k in ("All of", "Any of", "None of")}
    box = ui.input("Requires", value=value, placeholder="e.g. talks and not walkout "
                   "(accord's condition grammar)").classes("w-full")

    def write_condition() -> None:
        box.value = items.condition(picks["All of"].value or [], picks["Any of"].value or [],
                                      picks["None of"].value or [])

    for p in picks.values():
        p.on_value_change(write_condition)
    return box


def modifier_rows(f: dict[str, Any], old: Event | None) -> None:
    """Rows of (If, Multiply, Why): while the condition holds, the monthly chance is multiplied;
    each row has its own provenance (Why), never the event's. 'Add modifier' adds a row; a row
    removed or left empty is dropped."""
    ui.label("Modifiers (monthly and repeatable chances only): while If holds, the chance is "
             "multiplied by Multiply.").classes("text-sm mt-2")
    box = ui.column().classes("w-full gap-1 accord-modifiers")

    def row(cond: str = "", times: str = "", why: str = "my estimate") -> None:
        k = sum(1 for label in f if label.startswith("If ")) + 1
        with box, ui.row().classes("w-full gap-2 no-wrap items-center") as line:
            f[f"If {k}"] = ui.input(f"If {k}", value=cond, placeholder="a condition").classes(
                "accord-grow")
            f[f"Multiply {k}"] = ui.input(f"Multiply {k}", value=times,
                                          placeholder="2, U(1.5, 3)").classes("w-32")
            f[f"Why {k}"] = ui.input(f"Why {k}", value=why,
                                     placeholder="why this multiplier").classes("w-48")
            ui.button(icon="delete", on_click=lambda: remove(k, line)).props(
                f'flat dense round aria-label="Remove modifier {k}"')

    def remove(k: int, line: ui.row) -> None:
        """An emptied row is dropped when applied; the others keep their numbers (and
        labels), each with its own provenance."""
        f[f"If {k}"].value = f[f"Multiply {k}"].value = ""
        line.visible = False

    for m in old.modifiers if old else []:
        row(m.if_, m.multiply.describe(), m.multiply.assumption or "")
    ui.button("Add modifier", icon="add", on_click=lambda: row()).props("flat dense")


class EventForm(ItemForms):
    """Add and edit events."""

    def event_form(self, iid: str | None = None) -> None:
        old: Event | None = self.item("events", iid) if iid else None
        if iid and old is None:
            return self.not_valid()
        others = self.event_names(leave_out=iid)

        def fill() -> dict[str, Any]:
            how = HOW_OF[old.kind] if old else "monthly chance"
            f: dict[str, Any] = {
                "Name": ui.input("Name", value=old.name if old else "").classes("w-full"),
                "How it happens": ui.select(list(items.HOW), value=how,
                                            label="How it happens").classes("w-full"),
                "Probability": ui.input("Probability", value=old.probability.describe()
                                        if old and old.probability else "",
                                        placeholder="0.05, U(0.02, 0.08), Beta(2, 30)").classes(
                    "w-full"),
                "Date": ui.input("Date", value=str(old.scheduled or "") if old else "",
                                 placeholder="YYYY-MM-DD").classes("w-full"),
            }
            f["Rate from history"] = history_select(old)
            f["Date"].bind_visibility_from(f["How it happens"], "value", value="on a date")
            f["Rate from history"].bind_visibility_from(f["How it happens"], "value", backward=(
                lambda v: v in ("monthly chance", "one-time chance")))

            def typed(*_: object) -> None:
                """Probability is typed unless a class gives it (or the event is dated)."""
                f["Probability"].visible = (f["How it happens"].value != "on a date"
                                            and not f["Rate from history"].value)

            def picked(e: Any) -> None:
                if e.value:  # the class's kind decides how the event happens
                    f["How it happens"].value = CLASS_HOW[e.value]
                typed()

            f["Rate from history"].on_value_change(picked)
            f["How it happens"].on_value_change(typed)
            typed()
            f |= why_fields(self.quotes(), why_of_param(old.probability if old else None))
            for why in ("Assumption", "Quote"):  # a date has no provenance in the file: a
                if why in f:                       # dated event's would be dropped, so hidden
                    f[why].bind_visibility_from(f["How it happens"], "value",
                                                backward=lambda v: v != "on a date")
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
        kind = items.HOW[how]
        ref = (f["Rate from history"].value or None) if kind in ("hazard", "chance") else None
        rows = self.modifiers_of(f, old)
        cancels, resets = list(f["Cancels"].value or []), list(f["Resets"].value or [])
        changes: dict[str, Any] = {}
        if old is not None:
            if text_of(f["Name"]) != old.name:
                changes["name"] = text_of(f["Name"])
            if requires != old.when.strip():
                changes["when"] = requires or None
            old_ref = old.reference.class_ if old.reference else None
            if kind == "scheduled" and (old.kind != kind or date != str(old.scheduled)):
                changes["scheduled"] = items.date_value(date)
            elif ref is not None:
                if ref != old_ref:
                    changes["reference"] = ref
            elif kind != "scheduled":
                n = number(f, prob, old.probability if old.kind == kind else None)
                if n is not None:
                    changes[kind] = n

        def change(t: Any) -> object:
            if old is None:
                iid = builder.add_item(t, "events", items.event_item(
                    text_of(f["Name"]), how, prob, requires, date, why_from(f),
                    reference=ref))
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
        had one). A row's number keeps its own evidence and assumption unless its value or
        its Why changed; a new row takes its own Why."""
        rows = []
        for k in filled_rows(f):
            was = k - 1 if old and k <= len(old.modifiers) else None
            param = old.modifiers[was].multiply if old and was is not None else None
            times, why = text_of(f[f"Multiply {k}"]), text_of(f[f"Why {k}"])
            if param is None:
                number = Number(times, Why(why or None))
            elif why == (param.assumption or "") and times == param.describe():
                number = Number(times)
            else:  # a new value or Why: the assumption typed, the quote kept
                own = why_of_param(param)
                number = Number(times, Why(why or None, own.source if own else None,
                                           own.quote if own else None))
            rows.append(ModifierRow(text_of(f[f"If {k}"]), number, was))
        return rows


def filled_rows(f: dict[str, Any]) -> list[int]:
    """The numbers of the form's modifier rows filled in (a removed row is emptied)."""
    rows, k = [], 1
    while f"If {k}" in f:
        if text_of(f[f"If {k}"]) or text_of(f[f"Multiply {k}"]):
            rows.append(k)
        k += 1
    return rows
