"""The scenario page's "Why" panel: `accord explain` for one question, on demand."""

from __future__ import annotations

from nicegui import ui

from accord.analysis.explain import Explanation, explain_question, flatten
from accord.analysis.recipe import RunSettings
from accord.defaults import DEFAULT_PATHS
from accord.scenario.model import Scenario
from accord.web.pages.ondemand import Panel, question_panel
from accord.web.widgets import data_table, pct

WHY_PATHS = DEFAULT_PATHS  # a run's default: the same paths, so the same P as a default run


def render(e: Explanation) -> None:
    ui.label(f"P(yes by {e.by}) = {pct(e.probability)}; the {pct(1 - e.probability)} of paths "
             "that end “no”, each at one blocker:").classes("text-sm accord-why-summary")
    with ui.column().classes("gap-0 w-full accord-why-blockers"):
        for depth, b in flatten(e.blockers):
            if b.share < 0.0005:
                continue
            with ui.row().classes("items-baseline gap-2 no-wrap accord-blocker").style(
                    f"padding-left: {1.25 * depth}rem"):
                ui.label(pct(b.share)).classes("font-mono text-sm w-14 text-right")
                ui.label(b.what).classes("text-sm")
    if e.route:
        ui.label("How the “yes” paths go").classes("font-bold text-sm")
        data_table(["step", "event", "on % of yes paths", "median month"],
                   [[r.name, r.event, pct(r.share), r.median_date] for r in e.route],
                   name=f"route-{e.question}", classes="accord-why-route")


def _explain(scenario: Scenario, question: str) -> Explanation:
    return explain_question(scenario, RunSettings(paths=WHY_PATHS), question)


WHY = Panel(
    "Why", "Each path that ends “no” is attributed to the first unmet link in the chain of "
    "preconditions at the deadline, so the shares add up to 1 − P "
    f"({WHY_PATHS:,} paths, the run's default).", "Explain", "why", _explain, render)


def why_panel(scenario: Scenario) -> None:
    """A question picker and an Explain button; the explanation runs in a worker thread."""
    question_panel(scenario, WHY, "explain")
