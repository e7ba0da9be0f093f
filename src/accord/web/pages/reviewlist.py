"""A drafted scenario's review list (what `accord draft` says to check, atop the file), kept
within reach on the scenario page's Overview and Structure tabs."""

from __future__ import annotations

from nicegui import ui

from accord.web.draftreview import review_items


def draft_review_panel(text: str, where: str) -> None:
    """The list, folded, when the scenario's text has one; nothing otherwise."""
    items = review_items(text)
    if not items:
        return
    with ui.expansion(f"What to check: the draft's review list ({len(items)})",
                      icon="fact_check").classes(f"w-full accord-draft-review-{where}"):
        with ui.column().classes("gap-0"):
            for item in items:
                ui.label(f"• {item}").classes("text-sm accord-draft-review-item")
