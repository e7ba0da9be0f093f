"""The scenario page's "What to watch" panel: `accord watch` for one question, on demand."""

from __future__ import annotations

from nicegui import ui

from accord.analysis.recipe import RunSettings
from accord.analysis.watch import QuestionWatch, WatchSettings, watch
from accord.scenario.model import Scenario
from accord.web.pages.ondemand import Panel, question_panel
from accord.web.pages.why import WHY_PATHS
from accord.web.widgets import data_table, pct


def render(w: QuestionWatch, top: int = 3) -> None:
    if not w.watch:
        ui.label("Nothing in the next six months bears on it.").classes("accord-dim text-sm")
        return
    with ui.column().classes("gap-1 accord-watch-sentences"):
        for x in w.watch[:top]:
            ui.label(x.sentence(w.question, w.probability)).classes("text-sm")
    data_table(["watch for", "P(by then)", "if yes", "if no", "expected change (pt)"],
               [[x.event if x.kind == "event" else f"sign: {x.indicator}",
                 "—" if x.p_event != x.p_event else pct(x.p_event), pct(x.if_yes),
                 "—" if x.if_no != x.if_no else pct(x.if_no), f"{100 * x.expected_change:.1f}"]
                for x in w.watch], name=f"watch-{w.question}", classes="accord-watch-table")


def _one(scenario: Scenario, question: str) -> QuestionWatch:
    return watch(scenario, RunSettings(paths=WHY_PATHS), WatchSettings(question))[0]


WATCH = Panel(
    "What to watch", "The developments that would move the question most if seen (or not) "
    "within six months, with both branches, ranked by the expected change "
    f"({WHY_PATHS:,} paths, the run's default).", "What to watch", "watch", _one, render)


def watch_panel(scenario: Scenario) -> None:
    """A question picker and a button; the watch list is computed in a worker thread."""
    question_panel(scenario, WATCH, "watch")
