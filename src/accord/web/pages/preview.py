"""See it as it is built: after each change in the Structure tab, a quick run (a few thousand
paths, not stored) redraws the event graph and the questions' fan charts while the page stays
live. The run is in another process (NiceGUI's process pool): a run in a thread of the server
would hold the interpreter's lock against the page's own events. It reports its progress in a
small file the page reads. A change made during a run starts one more run when it ends."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from nicegui import run, ui

from accord.analysis.recipe import DEFAULT_SEED, Execution, RunSettings
from accord.analysis.run import run_scenario
from accord.scenario.model import Scenario
from accord.web import charts
from accord.web.charts import Fig
from accord.web.widgets import chart, chart_by_width

log = logging.getLogger("accord.web")
PREVIEW_PATHS = 2000


def preview_run(scenario: Scenario, progress_file: str) -> tuple[dict[str, Any], Fig]:
    """The quick run and the event graph (in a worker process): its results and figure."""
    def tick(done: int, total: int) -> None:
        Path(progress_file).write_text(f"{done} {total}")

    settings = RunSettings(paths=PREVIEW_PATHS, seed=DEFAULT_SEED)
    result = run_scenario(scenario, settings, execution=Execution(progress=tick),
                          with_issues=False)
    return result.to_dict(), charts.graph(scenario)


def progress_of(progress_file: str) -> float:
    try:
        done, total = Path(progress_file).read_text().split()
        return int(done) / int(total) if int(total) else 0.0
    except (OSError, ValueError):  # not written yet, or half written
        return 0.0


class Preview:
    """The Structure tab's preview panel on a ScenarioView."""

    preview_running = False
    preview_again = False

    def preview_panel(self) -> None:
        with ui.expansion("Preview: the event graph and the questions' forecasts",
                          icon="insights", value=True).classes("w-full accord-preview-box"):
            with ui.row().classes("items-center gap-2"):
                ui.button("Preview", icon="refresh", on_click=self.start_preview).props(
                    "flat dense").classes("accord-preview-run")
                self.preview_status = ui.label(
                    f"A quick run of {PREVIEW_PATHS:,} paths after each change; the Run tab "
                    "runs it in full.").classes("accord-dim text-sm accord-preview-status")
            self.preview_bar = ui.linear_progress(value=0, show_value=False).classes(
                "accord-preview-progress")
            self.preview_bar.visible = False
            self.preview_area = ui.column().classes("w-full accord-preview")

    def start_preview(self) -> None:
        """Start a quick run of the draft (or one more after the current one)."""
        if not hasattr(self, "preview_area"):
            return
        if self.preview_running:
            self.preview_again = True
            return
        ui.timer(0, self.preview_loop, once=True)

    async def preview_loop(self) -> None:
        self.preview_running = True
        try:
            while True:
                self.preview_again = False
                await self.preview_once()
                if not self.preview_again:
                    break
        finally:
            self.preview_running = False

    async def preview_once(self) -> None:
        loaded = self.loaded  # type: ignore[attr-defined]
        if loaded is None or self.cell_errors or self.problems:  # type: ignore[attr-defined]
            self.preview_status.text = "No preview: the scenario has problems (listed above)."
            return
        s: Scenario = loaded.scenario
        fd, progress_file = tempfile.mkstemp(prefix="accord-preview-")
        os.close(fd)
        self.preview_bar.value, self.preview_bar.visible = 0, True
        self.preview_status.text = f"running {PREVIEW_PATHS:,} paths…"
        timer = ui.timer(0.2, lambda: self.preview_bar.set_value(
            round(progress_of(progress_file), 3)))
        try:
            out = await run.cpu_bound(preview_run, s, progress_file)
        except Exception:  # noqa: BLE001 - a preview is a nicety: the Run tab reports properly
            log.exception("preview of %s failed", self.ref)  # type: ignore[attr-defined]
            out = None
        finally:
            timer.cancel()
            self.preview_bar.visible = False
            Path(progress_file).unlink(missing_ok=True)
        if out is None:  # failed, or the server is stopping
            self.preview_status.text = "No preview; the Run tab runs it in full."
            return
        self.draw_preview(s, *out)

    def draw_preview(self, s: Scenario, results: dict[str, Any], graph: Fig) -> None:
        self.preview_status.text = (f"{PREVIEW_PATHS:,} paths, seed {DEFAULT_SEED}: a quick "
                                    "look; the Run tab runs it in full.")
        self.preview_area.clear()
        with self.preview_area:
            if s.events:  # fitted to its box on a phone; one too wide scrolls in the box
                chart_by_width(lambda w: charts.graph_to_fit(graph, w), name="preview-graph",
                               classes="accord-preview-graph", of_box=True,
                               height=int(graph["layout"]["height"]))
            if results["forecast"].get("questions"):
                texts = {q.id: q.text for q in s.questions}
                chart(charts.question_fans(results, texts, 1), name="preview-fans",
                      classes="accord-preview-fans")
