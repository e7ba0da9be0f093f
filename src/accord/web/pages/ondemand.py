"""A panel that computes one question's analysis on demand, off the event loop: a question
picker, a button, a spinner meanwhile, then the result (the Why and What to watch panels)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui

from accord.scenario.model import Scenario


@dataclass(frozen=True)
class Panel:
    title: str
    caption: str
    button: str
    css: str  # class prefix: accord-CSS, -question, -go, -busy, -result; data-hook CSS
    compute: Callable[[Scenario, str], Any]  # (scenario, question id) → result, in a thread
    render: Callable[[Any], None]


def question_panel(scenario: Scenario, panel: Panel, hook: str) -> None:
    if not scenario.questions:
        return
    css = panel.css
    with ui.card().classes(f"w-full accord-{css}").props(f'data-hook="{hook}"'):
        ui.label(panel.title).classes("text-xl font-bold")
        ui.label(panel.caption).classes("accord-dim text-sm")
        with ui.row().classes("items-center gap-2"):
            pick = ui.select({q.id: q.text for q in scenario.questions},
                             value=scenario.questions[0].id).classes(f"w-96 accord-{css}-question")
            button = ui.button(panel.button).classes(f"accord-{css}-go")
        out = ui.column().classes(f"w-full accord-{css}-result")

        async def go() -> None:
            button.disable()
            out.clear()
            with out:
                ui.spinner().classes(f"accord-{css}-busy")
            try:
                result = await run.io_bound(panel.compute, scenario, pick.value)
            finally:
                button.enable()
            out.clear()
            with out:
                panel.render(result)

        button.on_click(go)
