"""The scenario page: view, edit, run, analyse, history (one ScenarioView per browser tab)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from accord.analysis.recipe import DEFAULT_PATHS, DEFAULT_SEED, RunSettings
from accord.analysis.variants import uncertain_parameters
from accord.errors import UserError
from accord.report.plots import iso_date
from accord.results import Result, SensitivityResult
from accord.scenario.checks import UNVERIFIED
from accord.store.runs import scenario_hash
from accord.web.context import MAX_SAMPLES, MAX_TORNADO_PATHS, TORNADO_PATHS
from accord.web.jobs import Job
from accord.web.pages.common import compare_form, frame, runs_table
from accord.web.pages.editing import Editing
from accord.web.pages.observed import observed_input, with_observations
from accord.web.pages.overview import Overview
from accord.web.pages.results import (
    analysis_view,
    latest_analysis,
    param_labels,
    previous_run,
    results_view,
)
from accord.web.pages.structure import Structure

METHODS = {"tornado": "Tornado", "sobol": "Sobol", "morris": "Morris"}


def warning_fix(warning: str, builtin: bool) -> str:
    """What to do about a validation warning, said beside it."""
    if UNVERIFIED in warning:
        if builtin:
            return ("none needed to run it: the built-in scenario ships its quotes, not the "
                    "article. To check them, put the article in a folder DIR and run "
                    "accord validate SCENARIO --sources DIR")
        return ("put the source's text file in the workspace, beside the scenario, and its "
                "quotes are checked")
    if "no evidence and no assumption" in warning:
        return 'give this number evidence: [{source: ID, quote: "..."}] or assumption: "why"'
    return "accord validate on the file lists the same warning"


class ScenarioView(Editing, Overview, Structure):
    """One browser tab's view of a scenario: its saved text, the draft being edited, its runs."""

    # --- running ---------------------------------------------------------------------------------
    async def start_run(self) -> None:
        await self.flush()
        if self.loaded is None or self.cell_errors:
            ui.notify("Cannot run: fix the problems first.", type="negative")
            return
        def submit() -> Job:
            settings = RunSettings(
                paths=int(self.paths_input.value or DEFAULT_PATHS),
                seed=int(self.seed_input.value or 0),
            )
            if settings.paths > self.ctx.max_paths:
                raise UserError.at(f"at most {self.ctx.max_paths:,} from the dashboard",
                                   field="paths")
            loaded = with_observations(self.loaded, self.observed_box.value)
            return self.ctx.jobs.submit(loaded, settings, self.ref)

        self.runs.start(submit, self.run_panel, self.show_run)

    def run_hash(self, run_id: int | None) -> str:
        """The stored text's hash of a run (the draft's, for a run not stored)."""
        if run_id is None:
            return scenario_hash(self.text)
        return self.ctx.store.get(run_id).scenario_hash

    def show_run(self, job: Job) -> None:
        self.results_area.clear()
        with self.results_area:
            sid = self.shown.meta.id if self.shown else ""
            results_view(Result.of(job.results or {}, self.shown), job.run_id,
                         previous_run(self.ctx, sid, job.run_id, self.run_hash(job.run_id)))
        if "History" in self.built:
            self.history.refresh()

    # --- sensitivity: a tornado (or Sobol, or Morris) per question ------------------------------
    def sensitivity(self) -> None:
        s = self.shown
        if s is None or not s.questions:
            ui.label("Fix the problems above to analyse the scenario." if s is None
                     else "The scenario has no questions to analyse.")
            return
        n = len(uncertain_parameters(s))
        ui.label(
            f"Tornado: each of the {n} uncertain parameters that bear on the questions at its "
            "low and its high (uniform and triangular: the bounds; others: the 5% and 95% "
            "quantiles), all others as the run draws them, on the run's random numbers: its "
            "base is the run at these paths and seed. Sobol (first-order and total indices) and "
            "Morris (μ* against σ) sample every parameter across its distribution, N samples "
            "or trajectories."
        ).classes("accord-dim text-sm")
        with ui.row().classes("items-center gap-3"):
            self.t_question = ui.select(
                {q.id: f"{q.id} · {q.text}" for q in s.questions}, value=s.questions[0].id,
                label="question", on_change=lambda: self.show_stored_analysis(),
            ).classes("w-96 accord-tornado-question")
            self.t_method = ui.select(
                METHODS, value="tornado", label="method",
                on_change=lambda: self.show_stored_analysis(),
            ).classes("w-32 accord-sensitivity-method")
            self.t_samples = ui.number("N (Sobol, Morris)", value=8, min=2, max=MAX_SAMPLES,
                                       precision=0).classes("w-40 accord-sensitivity-samples")
            self.t_paths = ui.number(
                "paths per variant", value=TORNADO_PATHS, min=1, max=MAX_TORNADO_PATHS,
                precision=0,
            ).classes("w-40 accord-tornado-paths")
            self.t_seed = ui.number("seed", value=DEFAULT_SEED, min=0, precision=0).classes(
                "w-32 accord-tornado-seed"
            )
            self.analyses.row("Analyse", "bar_chart", self.start_analysis,
                              ("accord-tornado-run", "accord-tornado-status"))
        self.analyses.below("accord-tornado-progress")
        self.t_area = ui.column().classes("w-full accord-tornado-area")
        self.show_stored_analysis()

    def show_stored_analysis(self) -> None:
        """The newest stored analysis of the question by the chosen method, not rerun."""
        if self.shown is None or self.t_question.value is None:
            return
        qid, method = str(self.t_question.value), str(self.t_method.value)
        run = latest_analysis(self.ctx, self.shown.meta.id, qid, method)
        self.t_area.clear()
        with self.t_area:
            if run is None:
                ui.label(f"No stored {METHODS[method]} analysis of {qid} yet: press Analyse."
                         ).classes("accord-dim accord-tornado-none")
                return
            rec = run.record
            if rec.scenario_hash != scenario_hash(self.text):
                ui.label("Stored for another version of the scenario text.").classes(
                    "accord-dim text-xs accord-tornado-stale"
                )
            result = run.result
            assert isinstance(result, SensitivityResult), "a stored sensitivity analysis"
            analysis_view(result, rec.id, qid, iso_date(rec.created_at),
                          param_labels(result.raw, self.shown))

    async def start_analysis(self) -> None:
        await self.flush()
        if self.loaded is None or self.cell_errors:
            ui.notify("Cannot analyse: fix the problems first.", type="negative")
            return

        def submit() -> Job:
            paths = int(self.t_paths.value or TORNADO_PATHS)
            if not 1 <= paths <= MAX_TORNADO_PATHS:
                raise UserError.at(f"between 1 and {MAX_TORNADO_PATHS:,} from the dashboard",
                                   field="paths")
            samples = int(self.t_samples.value or 8)
            if not 2 <= samples <= MAX_SAMPLES:
                raise UserError.at(f"between 2 and {MAX_SAMPLES} from the dashboard",
                                   field="samples")
            return self.ctx.jobs.submit_sensitivity(
                self.loaded, str(self.t_question.value), paths, int(self.t_seed.value or 0),
                self.ref, str(self.t_method.value), samples,
            )

        # "busy" until the first chunk of variants reports
        self.analyses.start(submit, self.t_area, self.show_analysis, waiting=True)

    def show_analysis(self, job: Job) -> None:
        qid, method = str(job.settings.get("question")), str(job.settings.get("method"))
        if self.t_question.value != qid:
            self.t_question.value = qid
        if self.t_method.value != method:
            self.t_method.value = method
        self.t_area.clear()
        with self.t_area:
            result = SensitivityResult.of(job.results or {})
            analysis_view(result, job.run_id, qid,
                          labels=param_labels(result.raw, self.shown))
        if "History" in self.built:
            self.history.refresh()

    # --- building the page ---------------------------------------------------------------------
    def build(self) -> None:
        """The page: its head (title, what it is, Save), its status, then its tabs."""
        self.first_check()
        self.page_head()
        self.status()
        self.page_tabs()

    def page_head(self) -> None:
        s = self.shown
        title = s.meta.title if s else self.draft_title()
        frame(title)
        ui.label(title).classes("text-2xl font-bold accord-title")
        where = ("built-in scenario" if self.builtin else f"new file {self.ref}, not saved yet"
                 if self.new_file else f"workspace file {self.ref}")
        if s:
            ui.label(
                f"{where} · id {s.meta.id} · as of {s.meta.as_of} · horizon {s.meta.horizon} "
                f"months · {len(s.actors)} actors, {len(s.issues)} issues, {len(s.events)} events"
            ).classes("accord-dim")
            if s.meta.description:
                ui.label(s.meta.description).classes("text-sm")
        with ui.row().classes("items-center gap-2"):
            save = ui.button("Save", icon="save", on_click=self.save).classes("accord-save")
            save_as = ui.button("Save as…", icon="file_copy", on_click=self.ask_save_as).classes(
                "accord-saveas")
            if self.builtin:  # read-only: Save would only refuse; a copy is the way to edit
                save.disable()
                save.tooltip("Built-in scenarios are read-only")
                save_as.props("outline")
                ui.label("built-in: read-only · Save as… makes an editable copy").classes(
                    "accord-dim text-sm accord-readonly")

    def page_tabs(self) -> None:
        """The tabs; Numbers, YAML, Sensitivity and History are built when first opened."""
        with ui.tabs().classes("w-full") as tabs:
            t_over = ui.tab("Overview").classes("accord-tab-overview")
            t_struct = ui.tab("Structure").classes("accord-tab-structure")
            t_num = ui.tab("Numbers & evidence").classes("accord-tab-numbers")
            t_yaml = ui.tab("YAML").classes("accord-tab-yaml")
            t_run = ui.tab("Run").classes("accord-tab-run")
            t_sens = ui.tab("Sensitivity").classes("accord-tab-sensitivity")
            t_hist = ui.tab("History").classes("accord-tab-history")
        tabs.on_value_change(self.on_tab)
        start = t_struct if self.start_tab == "Structure" and not self.builtin else t_over
        # a tab not shown is not in the page: a chart drawn into it would be updated in the
        # browser before it exists (a TypeError that stopped the preview's charts too), so the
        # Overview waits until it is opened
        self.overview_stale = start is not t_over
        with ui.tab_panels(tabs, value=start).classes("w-full"):
            with ui.tab_panel(t_over):
                self.overview()
            with ui.tab_panel(t_struct):
                if self.builtin:
                    ui.label("Built-in scenarios are read-only: Save as… makes a copy whose "
                             "structure you can edit.").classes("accord-dim")
                else:
                    self.structure()
            for tab in (t_num, t_yaml):  # built when first opened: the page loads faster
                with ui.tab_panel(tab) as panel:
                    self.panels[tab._props["name"]] = panel
            with ui.tab_panel(t_run) as self.run_panel:
                self.run_tab()
            with ui.tab_panel(t_sens) as panel:
                self.panels["Sensitivity"] = panel
            with ui.tab_panel(t_hist) as panel:
                self.panels["History"] = panel

    def run_tab(self) -> None:
        with ui.row().classes("items-center gap-3"):
            self.paths_input = ui.number(
                "paths", value=DEFAULT_PATHS, min=1, max=self.ctx.max_paths, precision=0
            ).classes("w-32 accord-paths")
            self.seed_input = ui.number(
                "seed", value=DEFAULT_SEED, min=0, precision=0
            ).classes("w-32 accord-seed")
            self.runs.row("Run", "play_arrow", self.start_run,
                          ("accord-run", "accord-run-status"))
        self.observed_box = observed_input()
        self.runs.below("accord-progress")
        self.results_area = ui.column().classes("w-full accord-results")

    def draft_title(self) -> str:
        """The title a scenario that does not validate yet gives itself (a new blank one)."""
        tree = self.tree_now()
        meta = tree.get("meta") if isinstance(tree, dict) else None
        return str(meta.get("title") or self.ref) if isinstance(meta, dict) else self.ref

    def yaml_editor(self) -> None:
        ui.label(
            "The scenario's YAML; validated as you type. Save keeps comments and layout."
        ).classes("accord-dim text-sm")
        self.yaml_area = (
            ui.textarea(value=self.text, on_change=lambda e: self.on_yaml(e.value))
            .props("outlined autogrow spellcheck=false")
            .classes("w-full accord-yaml")
        )

    def on_tab(self, e: Any) -> None:
        if e.value == "Overview" and self.overview_stale:
            self.overview_stale = False
            self.overview.refresh()
        if e.value in self.panels and e.value not in self.built:
            self.built.add(e.value)
            builder = {
                "Numbers & evidence": self.numbers,
                "YAML": self.yaml_editor,
                "Sensitivity": self.sensitivity,
                "History": self.history,
            }[e.value]
            with self.panels[e.value]:
                builder()
            if e.value == "Numbers & evidence":
                self.mark_fields()

    def starting(self) -> bool:
        """A scenario with nothing in it yet: its one problem is that it is empty, which is
        where every new scenario starts, not a mistake to show in red."""
        tree = self.tree_now()
        return (tree is not None and not self.cell_errors and not tree.get("actors")
                and not tree.get("events") and not tree.get("questions"))

    @ui.refreshable_method
    def status(self) -> None:
        with ui.column().classes("w-full gap-1 accord-status"):
            if self.starting():
                ui.label("A new scenario. Add an actor first (Add actor), then the events that "
                         "can happen (Add event), then a question to forecast (Add question): "
                         "it can run once it has an actor.").classes(
                    "text-blue-800 accord-start-hint")
            elif self.problems or self.cell_errors:
                n = len(self.problems) + len(self.cell_errors)
                blocking = not self.valid
                ui.label(
                    f"{n} problem(s)"
                    + (": cannot save or run" if blocking else
                       " (accord validate reports them; --lenient makes them warnings)")
                ).classes(
                    "text-red-700 font-bold accord-invalid" if blocking else "text-orange-700"
                )
                ui.label("\n".join([*self.cell_errors.values(), *self.problems])).classes(
                    "accord-problems"
                )
                if blocking and not self.builtin:
                    ui.button("Save as invalid", icon="report", on_click=self.ask_save_invalid
                              ).props("outline color=negative dense").classes(
                        "accord-save-invalid")
            else:
                ui.label(
                    "valid" + (" · unsaved changes" if self.dirty else "")
                ).classes("text-green-700 accord-valid")
            if self.warnings:
                n = len(self.warnings)
                ui.label(f"{n} warning{'s' if n > 1 else ''}").classes(
                    "text-orange-700 text-sm accord-warnings-head")
                with ui.column().classes("gap-0 accord-warnings"):
                    for w in self.warnings:
                        ui.label(w).classes("text-xs accord-warning")
                        fix = warning_fix(w, self.builtin).replace("SCENARIO", self.ref)
                        ui.label("fix: " + fix).classes(
                            "accord-dim text-xs accord-warning-fix")

    @ui.refreshable_method
    def history(self) -> None:
        sid = self.shown.meta.id if self.shown else None
        if sid is None:
            return
        runs_table(self.ctx, sid)
        compare_form(self.ctx, sid)
