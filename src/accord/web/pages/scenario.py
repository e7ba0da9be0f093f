"""The dashboard's pages (NiceGUI): scenario list, scenario (view, edit, run), runs, comparison."""

from __future__ import annotations

import asyncio
import difflib
import functools
import html
import logging
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from accord.analysis.compare import Target, compare_targets
from accord.analysis.run import DEFAULT_PATHS, RunSettings
from accord.analysis.variants import uncertain_parameters
from accord.errors import UserError
from accord.report.html import param_label
from accord.scenario.loader import DEFAULT_SCENARIO, Loaded
from accord.scenario.model import Scenario
from accord.store.runs import RunRecord, scenario_hash
from accord.web import charts
from accord.web.context import MAX_TORNADO_PATHS, TORNADO_PATHS, Context, last_run
from accord.web.jobs import Busy, Job
from accord.web.widgets import (
    CSS,
    UTILITIES,
    Cell,
    chart,
    chart_later,
    data_table,
    link,
    param_button,
    pct,
    slug,
)
from accord.web.workspace import text_hash
from accord.web.yamledit import dump_tree, edit_tree, load_tree

log = logging.getLogger("accord.web")
DEBOUNCE = 0.35  # seconds of quiet typing before an edit is validated
NOT_FORECASTS = ("sensitivity", "sweep")  # stored kinds without curves: not compared


# Plotly 3 appends a stylesheet link to unpkg.com (for map traces, which accord never draws) as
# it loads; the dashboard must make no request beyond its own server, so links to other origins
# are dropped before they reach the document.
NO_FOREIGN_LINKS = """<script>
(function () {
  const append = Element.prototype.appendChild;
  Element.prototype.appendChild = function (node) {
    if (node && node.tagName === "LINK" && node.href &&
        new URL(node.href, location.href).origin !== location.origin) { return node; }
    return append.call(this, node);
  };
})();
</script>"""


def frame(title: str) -> None:
    ui.page_title(f"{title} · accord")
    ui.add_head_html(NO_FOREIGN_LINKS)
    ui.add_css(CSS + UTILITIES)
    with ui.header().classes("items-center gap-6 bg-slate-800 py-2"):
        ui.link("accord", "/").classes("text-white text-lg font-bold no-underline")
        ui.link("Scenarios", "/").classes("text-white no-underline")
        ui.link("Runs", "/runs").classes("text-white no-underline")
        ui.link("API", "/openapi.json").classes("text-white no-underline")


def guarded(page: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake shows its message; a bug is logged and shown as one sentence."""

    @functools.wraps(page)
    async def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            out = page(*args, **kwargs)
            if asyncio.iscoroutine(out):
                await out
        except UserError as exc:
            ui.label(str(exc)).classes("accord-problems accord-page-error")
        except Exception:
            log.exception("page %s failed", page.__name__)
            ui.label(
                "Something went wrong building this page; the details are in the server's log."
            )

    return wrapper


def run_summary(results: dict[str, Any], run_id: int | None) -> str:
    f = results["forecast"]
    how = (
        "exact solution"
        if f["method"] == "exact"
        else f"{f['paths']:,} paths ({f['draws']} draws × {f['paths_per_draw']}), seed {f['seed']}"
    )
    head = f"run #{run_id}: " if run_id is not None else ""
    return f"{head}{results.get('title', '')} · as of {results.get('as_of', '')} · {how}"


def results_view(
    results: dict[str, Any], run_id: int | None, questions: dict[str, str] | None = None
) -> None:
    """Curves with bands, questions, issue outcomes per model, orders of events."""
    f = results["forecast"]
    tag = f"run-{run_id}" if run_id is not None else "run"
    ui.label(run_summary(results, run_id)).classes("accord-run-summary text-sm accord-dim")
    ui.label("Questions").classes("text-lg font-bold")
    q_rows: list[list[Cell]] = [
        [
            q["id"],
            (questions or {}).get(q["id"], ""),
            q["event"],
            q["by"],
            pct(q["probability"]),
            pct(q["stderr"]),
            f"{pct(q['band'][0])}–{pct(q['band'][1])}" if q.get("band") else "—",
        ]
        for q in f["questions"]
    ]
    data_table(
        ["id", "question", "event", "by", "P", "s.e.", "5–95%"],
        q_rows,
        name=f"questions-{tag}",
        classes="accord-questions",
    )
    ui.label("Event probabilities over time").classes("text-lg font-bold")
    chart(charts.curves(results), name=f"curves-{tag}", classes="accord-curves")
    issues = results.get("issues") or []
    if issues:
        ui.label("Issue outcomes by model").classes("text-lg font-bold")
        models = list(issues[0]["models"])
        i_rows: list[list[Cell]] = []
        for i in issues:
            row: list[Cell] = [i["id"], f"{i['scale_min']:g}–{i['scale_max']:g}"]
            for m in models:
                o = i["models"][m]
                band = f" [{o['low']:.0f}–{o['high']:.0f}]" if o.get("low") is not None else ""
                row.append(f"{o['outcome']:.1f}{band}" + (" *" if o.get("notes") else ""))
            i_rows.append(row)
        data_table(["issue", "scale", *models], i_rows, name=f"issues-{tag}",
                   classes="accord-outcomes")
        notes = dict.fromkeys(
            f"{i['id']} · {m}: {n}" for i in issues for m, o in i["models"].items()
            for n in o.get("notes", [])
        )
        for n in notes:
            ui.label(f"* {n}").classes("accord-dim text-xs")
        chart(charts.outcomes(results), name=f"outcomes-{tag}", classes="accord-outcomes-chart")
    if f.get("orders"):
        ui.label("Most frequent orders of events").classes("text-lg font-bold")
        o_rows: list[list[Cell]] = [
            [pct(o["share"]), " → ".join(o["order"]) or "(nothing happens)"] for o in f["orders"]
        ]
        data_table(["share", "order"], o_rows, name=f"orders-{tag}", classes="accord-orders")
    for n in results.get("notes") or []:
        ui.label(n).classes("accord-dim text-xs")


def question_texts(ctx: Context, scenario_text: str) -> dict[str, str]:
    try:
        tree = load_tree(scenario_text, "run")
        return {str(q["id"]): str(q.get("text", "")) for q in tree.get("questions") or []}
    except Exception:  # noqa: BLE001 - question texts are a nicety
        return {}


def compare_form(ctx: Context, scenario_id: str | None = None) -> None:
    rows = [r for r in ctx.store.list(limit=200, scenario_id=scenario_id)
            if r["kind"] not in NOT_FORECASTS]
    if len(rows) < 2:
        ui.label("Two runs are needed to compare.").classes("accord-dim")
        return
    options = {
        r["id"]: f"#{r['id']} · {r['scenario_id']} · {r['created_at']} · seed {r['seed']}"
        for r in rows
    }
    ids = list(options)
    with ui.row().classes("items-center gap-2"):
        a = ui.select(options, value=ids[1], label="run A").classes("w-96 accord-compare-a")
        b = ui.select(options, value=ids[0], label="run B").classes("w-96 accord-compare-b")
        ui.button(
            "Compare", on_click=lambda: ui.navigate.to(f"/compare?a={a.value}&b={b.value}")
        ).classes("accord-compare-go")


def runs_table(ctx: Context, scenario_id: str | None = None, limit: int = 100) -> None:
    rows = ctx.store.list(limit=limit, scenario_id=scenario_id)
    if not rows:
        ui.label("No runs yet.").classes("accord-dim")
        return
    data_table(
        ["run", "when (UTC)", "kind", "scenario", "seed", "paths"],
        [
            [
                link(f"#{r['id']}", f"/run/{r['id']}", "accord-run-link"),
                r["created_at"],
                r["kind"],
                r["scenario_id"],
                str(r["seed"]),
                f"{r['settings'].get('paths', ''):,}" if r["settings"].get("paths") else "",
            ]
            for r in rows
        ],
        name=f"runs-{scenario_id or 'all'}",
        classes="accord-history",
    )


def tornado_summary(results: dict[str, Any], run_id: int | None, created: str = "") -> str:
    head = f"run #{run_id}" if run_id is not None else "tornado"
    when = f" · {created}" if created else ""
    return (f"{head}{when} · tornado over {len(next(iter(results['rows'].values()), []))} "
            f"uncertain parameters · {results['samples']} variants × {results['paths']:,} paths, "
            f"seed {results['seed']}")


def tornado_view(results: dict[str, Any], run_id: int | None, target: str,
                 created: str = "") -> None:
    """One question's tornado: the chart (PNG/SVG) and its table (CSV)."""
    tag = f"{target}-run-{run_id}" if run_id is not None else target
    ui.label(tornado_summary(results, run_id, created)).classes(
        "accord-tornado-summary text-sm accord-dim"
    )
    chart(charts.tornado(results, target), name=f"tornado-{tag}", classes="accord-tornado")
    data_table(
        ["parameter", "low", "high", "P at low", "P at high", "swing"],
        [
            [
                r["parameter"],
                f"{r['values']['low_value']:.4g}",
                f"{r['values']['high_value']:.4g}",
                pct(r["values"]["p_at_low"]),
                pct(r["values"]["p_at_high"]),
                f"{100 * r['values']['swing']:.1f} pt",
            ]
            for r in results["rows"][target]
        ],
        name=f"tornado-{tag}",
        classes="accord-tornado-table",
    )


def sensitivity_view(rec: RunRecord) -> None:
    """A stored sensitivity analysis: tornado charts, or Sobol/Morris tables."""
    res = rec.results
    for t in res.get("targets", []):
        ui.label(f"{t} (base {pct(res['base'].get(t))})").classes("text-lg font-bold")
        if res.get("method") == "tornado":
            tornado_view(res, rec.id, t, rec.created_at)
            continue
        rows = res["rows"].get(t, [])
        cols = list(rows[0]["values"]) if rows else []
        data_table(["parameter", *cols],
                   [[r["parameter"], *(f"{r['values'][c]:.4g}" for c in cols)] for r in rows],
                   name=f"{res.get('method', 'sensitivity')}-{t}-run-{rec.id}",
                   classes="accord-sensitivity-table")


def latest_tornado(ctx: Context, scenario_id: str, question: str) -> RunRecord | None:
    """The newest stored tornado of the scenario that covers the question."""
    for r in ctx.store.list(limit=50, scenario_id=scenario_id, kind="sensitivity",
                            method="tornado"):
        rec = ctx.store.get(r["id"])
        if question in (rec.results.get("targets") or []):
            return rec
    return None


# --- the scenario page -----------------------------------------------------------------------
class JobControls:
    """A long task's button, status, progress bar and error line, and the polling between
    them: one piece for every job a page starts (runs, tornados)."""

    def __init__(self, css: str, failure: str) -> None:
        self.css, self.failure = css, failure
        self.job: Job | None = None
        self.timer: ui.timer | None = None
        self.waiting = False  # progress shown as "busy" until the job reports steps
        self.on_done: Callable[[Job], None] = lambda job: None

    def row(self, label: str, icon: str, on_click: Callable[[], Any],
            classes: tuple[str, str]) -> None:
        """The button and the status label, in the caller's row."""
        self.button = ui.button(label, icon=icon, on_click=on_click).classes(classes[0])
        self.status = ui.label("").classes(classes[1])

    def below(self, progress_class: str) -> None:
        """The progress bar and the error line, under the row."""
        self.progress = ui.linear_progress(value=0, show_value=False).classes(progress_class)
        self.progress.visible = False
        self.error = ui.label("").classes(f"accord-problems accord-{self.css}-error")
        self.error.visible = False

    def start(self, submit: Callable[[], Job], area: Any, on_done: Callable[[Job], None],
              waiting: bool = False) -> None:
        """Submit the job (a refusal is shown, not raised) and poll it until it ends."""
        try:
            self.job = submit()
        except (Busy, UserError, ValueError) as exc:
            self.error.text = str(exc)
            self.error.visible = True
            ui.notify(str(exc), type="warning")
            return
        self.on_done, self.waiting = on_done, waiting
        self.error.visible = False
        self.button.disable()
        self.progress.value = 0.0
        if waiting:
            self.progress.props("indeterminate")
        self.progress.visible = True
        self.status.text = "running…"
        with area:
            self.timer = ui.timer(0.15, self.poll)

    def poll(self) -> None:
        job = self.job
        if job is None:
            return
        if job.status == "running":
            if self.waiting and job.total > 1:  # steps reported: show them from now on
                self.progress.props(remove="indeterminate")
                self.waiting = False
            if not self.waiting:
                self.progress.value = round(job.progress, 3)
            return
        if self.timer is not None:
            self.timer.cancel()
        self.button.enable()
        self.progress.visible = False
        if job.status == "failed":
            self.status.text = ""
            self.error.text = job.message or self.failure
            self.error.visible = True
            return
        self.status.text = f"done in {job.to_dict()['seconds']:.1f} s"
        self.on_done(job)


class ScenarioView:
    """One browser tab's view of a scenario: its saved text, the draft being edited, its runs."""

    def __init__(self, ctx: Context, ref: str) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.ref = ref
        self.builtin = self.ws.is_builtin(ref)
        self.name = self.ws.name(ref)
        self.saved_text = self.ws.text(ref)
        self.text = self.saved_text
        self.tree: Any = None
        self.loaded: Loaded | None = None  # the draft, when it validates (leniently)
        self.shown: Scenario | None = None  # what the overview shows
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.cell_errors: dict[str, str] = {}
        self.pending_cells: dict[str, str] = {}
        self.pending_yaml: str | None = None
        self.lock = asyncio.Lock()
        self.debounce_task: asyncio.Task[None] | None = None
        self.overview_stale = False
        self.runs = JobControls("run", "the run failed")
        self.yaml_area: ui.textarea | None = None
        self.built: set[str] = set()
        self.panels: dict[str, Any] = {}
        self.tornados = JobControls("tornado", "the analysis failed")

    # --- validation (in a worker thread: it takes a few tenths of a second) ------------------
    def check(self, text: str) -> tuple[Loaded | None, list[str], list[str]]:
        try:
            loaded = self.ws.parse(self.ref, text, strict=True)
            return loaded, [], [str(w) for w in loaded.warnings]
        except UserError as exc:
            problems = [str(p) for p in exc.problems]
        try:
            loaded = self.ws.parse(self.ref, text, strict=False)
            return loaded, problems, [str(w) for w in loaded.warnings]
        except UserError:
            return None, problems, []

    def first_check(self) -> None:
        self.loaded, self.problems, self.warnings = self.check(self.text)
        self.shown = self.loaded.scenario if self.loaded else None

    @property
    def valid(self) -> bool:
        return self.loaded is not None and not self.cell_errors

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    def _work(
        self, cells: dict[str, str], yaml_text: str | None
    ) -> tuple[dict[str, str | None], str, Any, Loaded | None, list[str], list[str]]:
        errors: dict[str, str | None] = {}
        tree = self.tree
        text = self.text
        if yaml_text is not None:
            text = yaml_text
            try:
                tree = load_tree(yaml_text, self.name)
            except UserError as exc:
                return {}, text, None, None, [str(p) for p in exc.problems], []
        if cells and tree is None:
            try:
                tree = load_tree(text, self.name)
            except UserError as exc:
                return {}, text, None, None, [str(p) for p in exc.problems], []
        if cells and tree is not None:
            for field, value in cells.items():
                try:
                    edit_tree(tree, self.name, field, value)
                    errors[field] = None
                except UserError as exc:
                    errors[field] = str(exc)
            text = dump_tree(tree, self.saved_text)
        loaded, problems, warnings = self.check(text)
        return errors, text, tree, loaded, problems, warnings

    async def flush(self) -> None:
        """Apply and validate every pending edit."""
        async with self.lock:
            cells, self.pending_cells = self.pending_cells, {}
            yaml_text, self.pending_yaml = self.pending_yaml, None
            if not cells and yaml_text is None:
                return
            errors, text, tree, loaded, problems, warnings = await run.io_bound(
                self._work, cells, yaml_text
            )
            structure_changed = yaml_text is not None
            for field, err in errors.items():
                if err is None:
                    self.cell_errors.pop(field, None)
                else:
                    self.cell_errors[field] = err
            if structure_changed:
                self.cell_errors.clear()
            self.text, self.tree, self.loaded = text, tree, loaded
            self.problems, self.warnings = problems, warnings
            if loaded is not None:
                self.shown = loaded.scenario
                self.overview_stale = True
            if self.yaml_area is not None and self.yaml_area.value != text:
                self.yaml_area.value = text
            if structure_changed and loaded is not None and "Numbers & evidence" in self.built:
                self.numbers.refresh()
            self.status.refresh()

    def schedule(self) -> None:
        if self.debounce_task is not None and not self.debounce_task.done():
            self.debounce_task.cancel()

        async def later() -> None:
            await asyncio.sleep(DEBOUNCE)
            await self.flush()

        self.debounce_task = asyncio.create_task(later())

    def on_cell(self, field: str, value: str) -> None:
        self.pending_cells[field] = value or ""
        self.schedule()

    def on_yaml(self, value: str) -> None:
        if value == self.text:
            return
        self.pending_yaml = value
        self.schedule()

    # --- saving --------------------------------------------------------------------------------
    async def save(self) -> None:
        await self.flush()
        if not self.valid:
            ui.notify("Not saved: fix the problems first.", type="negative")
            return
        if self.builtin:
            ui.notify("Built-in scenarios are read-only: use 'Save as' for a what-if copy.",
                      type="warning")
            return
        try:
            await run.io_bound(functools.partial(self.ws.write, self.ref, self.text,
                                                 expected=text_hash(self.saved_text)))
        except UserError as exc:
            ui.notify(str(exc), type="negative")
            return
        self.saved_text = self.text
        self.status.refresh()
        ui.notify(f"Saved {self.ref}", type="positive")

    async def save_as(self, name: str, dialog: ui.dialog) -> None:
        await self.flush()
        if not self.valid:
            ui.notify("Not saved: fix the problems first.", type="negative")
            return
        try:
            if self.tree is None:
                self.tree = await run.io_bound(load_tree, self.text, self.name)
            new_ref = self.ws.new_file_ref(name)
            meta = self.tree["meta"]
            old_id = meta["id"]
            meta["id"] = slug(new_ref.rsplit(".", 1)[0]).lstrip(".-") or "what-if"
            try:
                text = dump_tree(self.tree, self.saved_text)
            finally:
                meta["id"] = old_id
            loaded = await run.io_bound(self.ws.parse, new_ref, text)
            await run.io_bound(functools.partial(self.ws.write, new_ref, loaded.text, new=True))
        except UserError as exc:
            ui.notify(str(exc), type="negative")
            return
        dialog.close()
        ui.notify(f"Saved as {new_ref}", type="positive")
        ui.navigate.to(f"/scenario?ref={new_ref}")

    def ask_save_as(self) -> None:
        with ui.dialog() as dialog, ui.card():
            ui.label("Save a what-if copy in the workspace")
            stem = self.ref.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            name = ui.input("file name", value=f"{stem}-what-if.yaml").classes(
                "w-80 accord-saveas-name"
            )
            with ui.row():
                ui.button("Save", on_click=lambda: self.save_as(name.value, dialog)).classes(
                    "accord-saveas-ok"
                )
                ui.button("Cancel", on_click=dialog.close).props("flat")
        dialog.open()

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
            return self.ctx.jobs.submit(self.loaded, settings, self.ref)

        self.runs.start(submit, self.run_panel, self.show_run)

    def show_run(self, job: Job) -> None:
        self.results_area.clear()
        with self.results_area:
            results_view(job.results or {}, job.run_id, question_texts(self.ctx, self.text))
        if "History" in self.built:
            self.history.refresh()

    # --- sensitivity: a tornado per question ----------------------------------------------------
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
            "quantiles), all others at their central values; common random numbers."
        ).classes("accord-dim text-sm")
        with ui.row().classes("items-center gap-3"):
            self.t_question = ui.select(
                {q.id: f"{q.id} · {q.text}" for q in s.questions}, value=s.questions[0].id,
                label="question", on_change=lambda: self.show_stored_tornado(),
            ).classes("w-96 accord-tornado-question")
            self.t_paths = ui.number(
                "paths per variant", value=TORNADO_PATHS, min=1, max=MAX_TORNADO_PATHS,
                precision=0,
            ).classes("w-40 accord-tornado-paths")
            self.t_seed = ui.number("seed", value=20250403, min=0, precision=0).classes(
                "w-32 accord-tornado-seed"
            )
            self.tornados.row("Tornado", "bar_chart", self.start_tornado,
                              ("accord-tornado-run", "accord-tornado-status"))
        self.tornados.below("accord-tornado-progress")
        self.t_area = ui.column().classes("w-full accord-tornado-area")
        self.show_stored_tornado()

    def show_stored_tornado(self) -> None:
        """The newest stored tornado for the question, without rerunning it."""
        if self.shown is None or self.t_question.value is None:
            return
        qid = str(self.t_question.value)
        rec = latest_tornado(self.ctx, self.shown.meta.id, qid)
        self.t_area.clear()
        with self.t_area:
            if rec is None:
                ui.label(f"No stored tornado for {qid} yet: press Tornado.").classes(
                    "accord-dim accord-tornado-none"
                )
                return
            if rec.scenario_hash != scenario_hash(self.text):
                ui.label("Stored for another version of the scenario text.").classes(
                    "accord-dim text-xs accord-tornado-stale"
                )
            tornado_view(rec.results, rec.id, qid, rec.created_at)

    async def start_tornado(self) -> None:
        await self.flush()
        if self.loaded is None or self.cell_errors:
            ui.notify("Cannot analyse: fix the problems first.", type="negative")
            return

        def submit() -> Job:
            paths = int(self.t_paths.value or TORNADO_PATHS)
            if not 1 <= paths <= MAX_TORNADO_PATHS:
                raise UserError.at(f"between 1 and {MAX_TORNADO_PATHS:,} from the dashboard",
                                   field="paths")
            return self.ctx.jobs.submit_tornado(
                self.loaded, str(self.t_question.value), paths, int(self.t_seed.value or 0),
                self.ref,
            )

        # "busy" until the first chunk of variants reports
        self.tornados.start(submit, self.t_area, self.show_tornado, waiting=True)

    def show_tornado(self, job: Job) -> None:
        qid = str(job.settings.get("question"))
        if self.t_question.value != qid:
            self.t_question.value = qid
        self.t_area.clear()
        with self.t_area:
            tornado_view(job.results or {}, job.run_id, qid)
        if "History" in self.built:
            self.history.refresh()

    # --- building the page ---------------------------------------------------------------------
    def build(self) -> None:
        self.first_check()
        s = self.shown
        title = s.meta.title if s else self.ref
        frame(title)
        ui.label(title).classes("text-2xl font-bold accord-title")
        where = "built-in scenario" if self.builtin else f"workspace file {self.ref}"
        if s:
            ui.label(
                f"{where} · id {s.meta.id} · as of {s.meta.as_of} · horizon {s.meta.horizon} "
                f"months · {len(s.actors)} actors, {len(s.issues)} issues, {len(s.events)} events"
            ).classes("accord-dim")
            if s.meta.description:
                ui.label(s.meta.description).classes("text-sm")
        with ui.row().classes("items-center gap-2"):
            ui.button("Save", icon="save", on_click=self.save).classes("accord-save")
            ui.button("Save as…", icon="file_copy", on_click=self.ask_save_as).classes(
                "accord-saveas"
            )
        self.status()
        with ui.tabs().classes("w-full") as tabs:
            t_over = ui.tab("Overview").classes("accord-tab-overview")
            t_num = ui.tab("Numbers & evidence").classes("accord-tab-numbers")
            t_yaml = ui.tab("YAML").classes("accord-tab-yaml")
            t_run = ui.tab("Run").classes("accord-tab-run")
            t_sens = ui.tab("Sensitivity").classes("accord-tab-sensitivity")
            t_hist = ui.tab("History").classes("accord-tab-history")
        tabs.on_value_change(self.on_tab)
        with ui.tab_panels(tabs, value=t_over).classes("w-full"):
            with ui.tab_panel(t_over):
                self.overview()
            for tab in (t_num, t_yaml):  # built when first opened: the page loads faster
                with ui.tab_panel(tab) as panel:
                    self.panels[tab._props["name"]] = panel
            with ui.tab_panel(t_run) as self.run_panel:
                with ui.row().classes("items-center gap-3"):
                    self.paths_input = ui.number(
                        "paths", value=DEFAULT_PATHS, min=1, max=self.ctx.max_paths, precision=0
                    ).classes("w-32 accord-paths")
                    self.seed_input = ui.number("seed", value=20250403, min=0, precision=0).classes(
                        "w-32 accord-seed"
                    )
                    self.runs.row("Run", "play_arrow", self.start_run,
                                  ("accord-run", "accord-run-status"))
                self.runs.below("accord-progress")
                self.results_area = ui.column().classes("w-full accord-results")
            with ui.tab_panel(t_sens) as panel:
                self.panels["Sensitivity"] = panel
            with ui.tab_panel(t_hist) as panel:
                self.panels["History"] = panel

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

    @ui.refreshable_method
    def status(self) -> None:
        with ui.column().classes("w-full gap-1 accord-status"):
            if self.problems or self.cell_errors:
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
            else:
                ui.label(
                    "valid" + (" · unsaved changes" if self.dirty else "")
                ).classes("text-green-700 accord-valid")
            if self.warnings:
                with ui.expansion(f"{len(self.warnings)} warning(s)").classes("text-sm"):
                    ui.label("\n".join(self.warnings)).classes("accord-dim text-xs")

    @ui.refreshable_method
    def overview(self) -> None:
        s = self.shown
        if s is None:
            ui.label("Fix the problems above to see the scenario.")
            return
        ui.label("Actors").classes("text-lg font-bold")
        data_table(
            ["id", "name", "aliases", "capability", "group"],
            [
                [
                    a.id,
                    a.name,
                    ", ".join(a.aliases),
                    param_button(s, f"{a.id} · capability", f"actors[{i}].capability",
                                 a.capability),
                    a.group or "",
                ]
                for i, a in enumerate(s.actors)
            ],
            name="actors",
            classes="accord-actors",
        )
        if s.issues:
            ui.label("Issues").classes("text-lg font-bold")
            chart_later(lambda: charts.issues(s), name="issues", classes="accord-issues-chart",
                        height=140 + 45 * len(s.issues))
            rows: list[list[Cell]] = []
            for i, iss in enumerate(s.issues):
                for actor, st in iss.positions.items():
                    base = f"issues[{i}].positions.{actor}"
                    rows.append(
                        [
                            iss.id,
                            f"{iss.scale.min:g} {iss.scale.min_means or ''} … "
                            f"{iss.scale.max:g} {iss.scale.max_means or ''}",
                            actor,
                            param_button(s, f"{iss.id} · {actor} · position", f"{base}.position",
                                         st.position),
                            param_button(s, f"{iss.id} · {actor} · salience", f"{base}.salience",
                                         st.salience),
                        ]
                    )
            data_table(["issue", "scale", "actor", "position", "salience"], rows,
                       name="positions", classes="accord-positions")
        ui.label("Events").classes("text-lg font-bold")
        data_table(
            ["id", "name", "when", "how", "rate", "modifiers", "effects"],
            [
                [
                    ev.id,
                    ev.name,
                    ev.when or "always",
                    ev.kind,
                    param_button(s, f"{ev.id} · {ev.kind}", f"events[{i}].{ev.kind}",
                                 ev.probability)
                    if ev.probability is not None
                    else str(ev.scheduled),
                    "; ".join(f"if {m.if_}: × {m.multiply.describe()}" for m in ev.modifiers),
                    "; ".join(
                        [*(f"cancels {x}" for x in ev.effects.cancels),
                         *(f"resets {x}" for x in ev.effects.resets)]
                    ),
                ]
                for i, ev in enumerate(s.events)
            ],
            name="events",
            classes="accord-events",
        )
        if s.events:
            chart_later(lambda: charts.graph(s), name="event-graph", classes="accord-graph")
        if s.questions:
            ui.label("Questions").classes("text-lg font-bold")
            data_table(
                ["id", "question", "event", "by"],
                [[q.id, q.text, q.event, str(q.by)] for q in s.questions],
                name="scenario-questions",
            )
        if s.meta.sources:
            ui.label("Sources").classes("text-lg font-bold")
            for src in s.meta.sources:
                ui.label(
                    ", ".join(
                        x for x in (src.author, f"“{src.title}”", src.publisher,
                                    str(src.date or ""), src.url or "") if x
                    )
                ).classes("text-sm")

    @ui.refreshable_method
    def numbers(self) -> None:
        s = self.shown
        if s is None:
            ui.label("Fix the problems above to edit the numbers.")
            return
        ui.label(
            "Every number with its evidence or assumption. Edit a value (0.2, U(0.1, 0.3), "
            "Beta(2, 8), Tri(0, 0.1, 0.3), N(5, 1), LogN(2, 0.5)); it is validated as you type."
        ).classes("accord-dim text-sm")
        rows: list[list[Cell]] = []
        for path, p in s.parameters():
            label = param_label(s, path)

            def cell(path: str = path, value: str = p.describe()) -> None:
                ui.input(value=value, on_change=lambda ev, f=path: self.on_cell(f, ev.value)).props(
                    f'dense outlined data-field="{path}"'
                ).classes("w-48 accord-edit")

            quotes = " | ".join(f"“{e.quote}” ({e.source})" for e in p.evidence)

            def ev_cell(p: Any = p, label: str = label, path: str = path) -> None:
                if p.evidence:
                    for e in p.evidence:
                        ui.html(f'<span class="accord-quote">“{html.escape(e.quote)}”</span> '
                                f'<span class="accord-dim">({html.escape(e.source)})</span>')
                else:
                    ui.label("—")

            rows.append(
                [
                    label,
                    param_button(s, label, path, p),
                    (p.describe(), cell),
                    (quotes, ev_cell),
                    p.assumption or "—",
                ]
            )
        data_table(["parameter", "value", "edit", "evidence", "assumption"], rows,
                   name="parameters", classes="accord-numbers")

    @ui.refreshable_method
    def history(self) -> None:
        sid = self.shown.meta.id if self.shown else None
        if sid is None:
            return
        runs_table(self.ctx, sid)
        compare_form(self.ctx, sid)


# --- registration ------------------------------------------------------------------------------
def register(ctx: Context) -> None:
    @ui.page("/")
    @guarded
    def index_page() -> None:
        frame("Scenarios")
        ui.label("Scenarios").classes("text-2xl font-bold")
        ui.label(f"Built-in scenarios and the YAML files of {ctx.workspace.root}").classes(
            "accord-dim"
        )
        rows: list[list[Cell]] = []
        for e in ctx.workspace.entries():
            last = last_run(ctx, e)
            rows.append(
                [
                    link(e.title, f"/scenario?ref={e.ref}", "accord-scenario-link"),
                    e.ref,
                    "built-in" if e.kind == "builtin" else "file",
                    e.as_of or "",
                    link(f"#{last[0]['id']} · {last[0]['created_at']}", f"/run/{last[0]['id']}")
                    if last
                    else "never",
                    e.error or "valid",
                ]
            )
        data_table(["title", "scenario", "kind", "as of", "last run", "status"], rows,
                   name="scenarios", classes="accord-scenarios")

    @ui.page("/scenario")
    @guarded
    def scenario_page(ref: str = DEFAULT_SCENARIO) -> None:
        ScenarioView(ctx, ref).build()

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
            f"{rec.created_at} · {rec.kind} · {rec.scenario_name} · scenario hash "
            f"{rec.scenario_hash[:12]}"
        ).classes("accord-dim")
        if rec.kind == "sensitivity":
            sensitivity_view(rec)
        else:
            results_view(rec.results, rec.id, question_texts(ctx, rec.scenario_text))
        with ui.expansion("Scenario text of this run").classes("w-full"):
            ui.code(rec.scenario_text, language="yaml").classes("w-full text-xs")
        compare_form(ctx, rec.scenario_id)

    @ui.page("/compare")
    @guarded
    def compare_page(a: int, b: int) -> None:
        ra, rb = ctx.store.get(a), ctx.store.get(b)
        frame(f"Compare #{a} and #{b}")
        ui.label(f"Run #{a} against run #{b}").classes("text-2xl font-bold")
        texts = {**question_texts(ctx, ra.scenario_text), **question_texts(ctx, rb.scenario_text)}
        ui.label("Questions").classes("text-lg font-bold")
        try:
            cmp = compare_targets(*(Target(f"#{r.id}", r.results, scenario_text=r.scenario_text,
                                           scenario_name=r.scenario_name) for r in (ra, rb)))
        except UserError as exc:
            ui.label(str(exc)).classes("accord-error accord-compare-questions")
        else:
            rows: list[list[Cell]] = [
                [q.id, texts.get(q.id, ""), pct(q.a), pct(q.b), f"{100 * q.diff:+.1f} pt",
                 f"{100 * q.stderr:.1f} pt" + (" paired" if q.paired else " independent")]
                for q in cmp.questions
            ]
            rows += [[qid, texts.get(qid, ""), "—", "—", "—", f"only run {side} asks it"]
                     for side, only in ((f"#{a}", cmp.only_a), (f"#{b}", cmp.only_b))
                     for qid in only]
            data_table(["id", "question", f"#{a}", f"#{b}", "B − A", "s.e."], rows,
                       name=f"compare-{a}-{b}", classes="accord-compare-questions")
        chart(charts.compare_curves(ra.results, rb.results, a, b), name=f"compare-{a}-{b}",
              classes="accord-compare-curves")
        with ui.row().classes("w-full no-wrap gap-4"):
            for rec in (ra, rb):
                with ui.column().classes("w-1/2 accord-compare-side"):
                    ui.label(run_summary(rec.results, rec.id)).classes("font-bold")
                    ui.label(
                        f"{rec.created_at} · {rec.scenario_name} · hash {rec.scenario_hash[:12]}"
                    ).classes("accord-dim text-sm")
                    chart(charts.curves(rec.results), name=f"curves-run-{rec.id}",
                          classes=f"accord-curves-{rec.id}")
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
