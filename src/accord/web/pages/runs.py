"""The run history and one stored run."""

from __future__ import annotations

from nicegui import ui

from accord.report.plots import iso_date
from accord.web.context import Context
from accord.web.pages.common import compare_form, frame, guarded, question_texts, runs_table
from accord.web.pages.results import (
    previous_run,
    results_view,
    sensitivity_view,
    stored_scenario,
)


def register(ctx: Context) -> None:
    @ui.page("/runs")
    @guarded
    def runs_page() -> None:
        frame("Runs")
        ui.label("Runs").classes("text-2xl font-bold")
        compare_form(ctx)
        runs_table(ctx, None, limit=500)

    @ui.page("/run/{run_id}")
    @guarded
    def run_page(run_id: int) -> None:
        rec = ctx.store.get(run_id)
        frame(f"Run #{rec.id}")
        ui.label(f"Run #{rec.id} · {rec.scenario_id}").classes("text-2xl font-bold")
        ui.label(
            f"{iso_date(rec.created_at)} · {rec.kind} · {rec.scenario_name} · scenario hash "
            f"{rec.scenario_hash[:12]}"
        ).classes("accord-dim")
        if rec.kind == "sensitivity":
            sensitivity_view(rec)
        else:
            results_view(rec.results, rec.id, question_texts(ctx, rec.scenario_text),
                         previous_run(ctx, rec.scenario_id, rec.id, rec.scenario_hash),
                         stored_scenario(rec))
        with ui.expansion("Scenario text of this run").classes("w-full"):
            ui.code(rec.scenario_text, language="yaml").classes("w-full text-xs")
        compare_form(ctx, rec.scenario_id)

