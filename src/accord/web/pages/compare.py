"""Two runs side by side: per question the difference with its paired error, as a
dot-and-whisker chart and a table; the curves; what changed in the scenario text."""

from __future__ import annotations

import difflib

from nicegui import run, ui

from accord.analysis.compare import Comparison, Target, compare_targets
from accord.errors import UserError
from accord.report.plots import iso_date
from accord.results import Result, StoredRun
from accord.web import charts
from accord.web.context import Context
from accord.web.pages.common import frame, guarded, run_summary
from accord.web.widgets import Cell, chart, data_table, pct


def register(ctx: Context) -> None:
    @ui.page("/compare")
    @guarded
    def compare_page(a: int, b: int) -> None:
        runs = StoredRun.load(ctx.store, a), StoredRun.load(ctx.store, b)
        ra, rb = (r.record for r in runs)
        frame(f"Compare #{a} and #{b}")
        ui.label(f"Run #{a} against run #{b}").classes("text-2xl font-bold")
        texts = {k: v["text"] for r in runs for k, v in r.question_texts.items()}
        ui.label("Questions").classes("text-lg font-bold")
        box = ui.column().classes("w-full gap-1")
        with box:
            ui.spinner().classes("accord-compare-busy")
        # the scenarios as parsed once (a text that cannot be read is parsed again, and said)
        targets = [Target(f"#{r.id}", r.document, scenario_text=r.record.scenario_text,
                          scenario_name=r.record.scenario_name, scenario=r.scenario)
                   for r in runs]

        async def fill() -> None:
            # pairing simulates both runs again: off the event loop, so other pages stay live
            try:
                cmp = await run.io_bound(compare_targets, *targets)
            except UserError as exc:  # a bug goes to the server's log, as on every page
                box.clear()
                with box:
                    ui.label(str(exc)).classes("accord-error accord-compare-questions")
                return
            box.clear()
            with box:
                questions_view(cmp, a, b, texts)

        ui.timer(0, fill, once=True)
        with ui.row().classes("w-full gap-4 accord-compare-sides"):
            for r in runs:
                rec = r.record
                with ui.column().classes("accord-compare-side"):
                    ui.label(run_summary(Result.of(r.document), rec.id)).classes("font-bold")
                    ui.label(
                        f"{iso_date(rec.created_at)} · {rec.scenario_name} · "
                        f"hash {rec.scenario_hash[:12]}"
                    ).classes("accord-dim text-sm")
        with ui.expansion("All events: run A solid, run B dashed").classes("w-full"):
            chart(charts.compare_curves(ra.results, rb.results, a, b), name=f"compare-{a}-{b}",
                  classes="accord-compare-curves")
        ui.label("What changed in the scenario").classes("text-lg font-bold")
        diff_lines = list(
            difflib.unified_diff(
                ra.scenario_text.splitlines(), rb.scenario_text.splitlines(),
                f"run #{a}", f"run #{b}", lineterm="", n=2,
            )
        )
        ui.code("\n".join(diff_lines) or "(the same scenario text)", language="diff").classes(
            "w-full text-xs accord-diff"
        )


def questions_view(cmp: Comparison, a: int, b: int, texts: dict[str, str]) -> None:
    """Per question B − A with its error: the dot-and-whisker chart, then the table."""
    rows: list[list[Cell]] = [
        [q.id, texts.get(q.id, ""), pct(q.a), pct(q.b), f"{100 * q.diff:+.1f} pt",
         f"{100 * q.stderr:.1f} pt" + (" paired" if q.paired else " independent")]
        for q in cmp.questions
    ]
    rows += [[qid, texts.get(qid, ""), "—", "—", "—", f"only run {side} asks it"]
             for side, only in ((f"#{a}", cmp.only_a), (f"#{b}", cmp.only_b))
             for qid in only]
    if cmp.questions:
        chart(charts.compare_dots(cmp.questions, f"#{a}", f"#{b}", texts),
              name=f"compare-dots-{a}-{b}", classes="accord-compare-dots")
    data_table(["id", "question", f"#{a}", f"#{b}", "B − A", "s.e."], rows,
               name=f"compare-{a}-{b}", classes="accord-compare-questions")
