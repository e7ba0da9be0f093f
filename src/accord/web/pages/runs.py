"""The run history and one stored run."""

from __future__ import annotations

from nicegui import ui

from accord.report.plots import iso_date
from accord.results import Result, StoredRun
from accord.web.context import Context
from accord.web.pages.common import compare_form, frame, guarded, runs_table
from accord.web.pages.results import previous_run, results_view, sensitivity_view


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
        run_view(ctx, StoredRun.load(ctx.store, run_id))


def run_view(ctx: Context, run: StoredRun) -> None:
    """One stored run's page: its head, its results (the run's answers, or the analysis), its
    scenario text, and the compare form. The run is read from the store once, its text
    parsed once (`StoredRun`)."""
    rec = run.record
    frame(f"Run #{rec.id}")
    ui.label(f"Run #{rec.id} · {rec.scenario_id}").classes("text-2xl font-bold")
    ui.label(
        f"{iso_date(rec.created_at)} · {rec.kind} · {rec.scenario_name} · scenario hash "
        f"{rec.scenario_hash[:12]}"
    ).classes("accord-dim")
    if isinstance(run.result, Result):
        results_view(run.result, rec.id,
                     previous_run(ctx, rec.scenario_id, rec.id, rec.scenario_hash), why=True)
    else:
        sensitivity_view(run)
    with ui.expansion("Scenario text of this run").classes("w-full"):
        ui.code(rec.scenario_text, language="yaml").classes("w-full text-xs")
    compare_form(ctx, rec.scenario_id)

