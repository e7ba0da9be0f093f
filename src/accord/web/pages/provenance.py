"""A form's provenance fields: every number the builder writes says where it comes from, an
assumption or a quote picked from the scenario's source text (when that text is in the
workspace), as the file format asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from accord.scenario.params import Param
from accord.web.items import Number, Why

SHOWN = 140  # characters of a sentence shown in the picker


def why_of_param(p: Param | None) -> Why | None:
    if p is None:
        return None
    ev = p.evidence[0] if p.evidence else None
    return Why(p.assumption, ev.source if ev else None, ev.quote if ev else None)


def quote_key(source: str, quote: str) -> str:
    return f"{source}|{quote}"


def prefilled(current: Why | None, default: str = "my estimate") -> Why:
    """The provenance a form's fields show first: the number's own, else the default."""
    return current or Why(default)


def why_fields(quotes: list[tuple[str, str]], current: Why | None = None,
               default: str = "my estimate") -> dict[str, Any]:
    """The Assumption box and, when there are source texts, the Quote picker (type to search
    its sentences). `current`: the number's provenance now (an edit form)."""
    now = prefilled(current, default)
    ui.label("Where the numbers come from: an assumption, a quote, or both.").classes(
        "accord-dim text-xs")
    fields: dict[str, Any] = {
        "Assumption": ui.input("Assumption", value=now.assumption or "").classes(
            "w-full accord-why-assumption")}
    options = {quote_key(s, q): f"{s}: {q if len(q) <= SHOWN else q[:SHOWN] + '…'}"
               for s, q in quotes}
    picked = quote_key(now.source, now.quote) if now.source and now.quote else None
    if picked and picked not in options:
        options[picked] = f"{now.source}: {now.quote}"
    if options:
        fields["Quote"] = ui.select(
            options, value=picked, label="Quote", with_input=True, clearable=True,
        ).classes("w-full accord-why-quote").props(
            "use-input input-debounce=0 options-dense popup-content-class=accord-quote-menu")
    return fields


def why_from(fields: dict[str, Any]) -> Why:
    picked = fields["Quote"].value if "Quote" in fields else None
    source, _, quote = (picked or "").partition("|")
    return Why((fields["Assumption"].value or "").strip() or None, source or None,
               quote or None)


def number(fields: dict[str, Any], text: str, old: Param | None = None) -> Number | None:
    """A number of the form; None when it is an edited number unchanged in value and
    provenance. An edited number keeps its evidence (all its quotes) unless the user changed
    the provenance."""
    why = why_from(fields)
    if old is not None and why == why_of_param(old):
        return None if str(text).strip() == old.describe() else Number(text)
    return Number(text, why)


def row_number(fields: dict[str, Any], text: str, old: Param | None, shown: Why) -> Number:
    """A number of a form's row (a modifier's multiplier) whose provenance fields show another
    number's (`shown`): a new row takes the fields' provenance; a row kept keeps its own unless
    its value changed and the user gave the fields a new provenance."""
    why = why_from(fields)
    if old is None:
        return Number(text, why)
    if str(text).strip() == old.describe() or why == shown:
        return Number(text)
    return Number(text, why)


def numbers_of(fields: dict[str, Any], shown: Param | None
               ) -> Callable[[str, Param | None], Number | None]:
    """How a form with many numbers (an issue's status quo, positions and saliences) reads
    each: the provenance fields show one number's (`shown`) and act on it like an edit form's
    (`number`); every other number is a row (`row_number`), kept with its own provenance
    unless the user changed it. None: a number left as it was."""
    why = prefilled(why_of_param(shown))

    def read(text: str, old: Param | None) -> Number | None:
        if old is not None and old is shown:
            return number(fields, text, old)
        if old is not None and str(text).strip() == old.describe():
            return None
        return row_number(fields, text, old, why)

    return read
