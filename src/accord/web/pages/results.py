"""A run's results (question fan charts first, then the details) and a stored sensitivity
analysis, as the run page, the scenario page's Run tab and its Sensitivity tab show them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nicegui import ui

from accord.report.console import outside_text, scale_digits, scale_ends
from accord.report.plots import FANS_CAPTION, iso_date
from accord.results import Result, SensitivityResult, StoredRun
from accord.web import charts
from accord.web.context import Context
from accord.web.pages.common import NOT_FORECASTS, run_summary
from accord.web.pages.observed import observed_view
from accord.web.widgets import Cell, chart, chart_by_width, data_table, pct

if TYPE_CHECKING:
    from accord.analysis.sensitivity import SensitivityResult as RawSensitivity
    from accord.scenario.model import Scenario


def question_cards(result: Result, before: Result | None = None) -> None:
    """The answer first: per question its probability, band, criteria and the change since the
    previous run (`before`, a stored run's result)."""
    questions = result.question_texts
    prev = {q["id"]: q for q in (before.to_dict()["forecast"].get("questions") or []
                                 if before is not None else [])}
    with ui.row().classes("w-full gap-3 accord-question-cards"):
        for q in result.to_dict()["forecast"].get("questions") or []:
            meta = questions.get(q["id"], {})
            with ui.card().classes("accord-question-card").props(f'data-question="{q["id"]}"'):
                ui.label(meta.get("text") or q["id"]).classes("font-bold text-sm")
                ui.label(pct(q["probability"])).classes("text-2xl font-bold accord-card-p")
                band = q.get("band")
                ui.label(f"5–95% over parameters: {pct(band[0])}–{pct(band[1])}" if band else
                         "band: — (spread not told from Monte Carlo noise)"
                         ).classes("text-xs accord-dim")
                ui.label(f"by {q['by']} · s.e. {100 * q['stderr']:.1f} pt · {q['id']}").classes(
                    "text-xs accord-dim")
                if q.get("outside_view"):
                    ui.label(outside_text(q["probability"], q["outside_view"])).classes(
                        "text-xs accord-card-history")
                p0 = prev.get(q["id"])
                d = 100 * (q["probability"] - p0["probability"]) if p0 is not None else 0.0
                if round(d, 1) != 0:  # "+0.0 pt" says nothing
                    ui.label(f"{d:+.1f} pt since the previous run").classes(
                        "text-xs accord-card-change")
                if meta.get("criteria"):
                    with ui.expansion("how it resolves").props("dense").classes(
                            "text-xs w-full accord-card-criteria"):
                        ui.label(meta["criteria"]).classes("text-xs")


def question_fans(result: Result, tag: str) -> None:
    """Each question's fan chart, one or two to a row as the page's width allows."""
    results = result.to_dict()
    texts = {k: v.get("text", "") for k, v in result.question_texts.items()}
    n = len(results["forecast"].get("questions") or [])
    if not n:
        return
    ui.label(FANS_CAPTION).classes("accord-dim text-sm")
    chart_by_width(lambda w: charts.question_fans(results, texts, 1 if w < 700 else 2),
                   name=f"questions-{tag}", classes="accord-fans",
                   height=110 + 260 * ((n + 1) // 2))


def why_placeholder() -> None:
    """Where the explain panel (why each answer is what it is) will go."""
    ui.element("div").classes("accord-why").props('data-hook="explain"')


def results_view(result: Result, run_id: int | None, before: Result | None = None,
                 why: bool = False) -> None:
    """The answer first (question cards and fan charts), then why (the Why panel, when `why`
    and the result's scenario is known), then the details: every event's curve behind a
    toggle, issue forecasts (every model's on request), orders of events."""
    results = result.to_dict()
    f = results["forecast"]
    questions = result.question_texts
    tag = f"run-{run_id}" if run_id is not None else "run"
    ui.label(run_summary(result, run_id)).classes("accord-run-summary text-sm accord-dim")
    observed_view(result)
    if f.get("questions"):
        question_cards(result, before)
        question_fans(result, tag)
    if why and result.scenario is not None:
        from accord.web.pages.why import why_panel

        why_panel(result.scenario)
    else:
        why_placeholder()
    q_rows: list[list[Cell]] = [
        [
            q["id"],
            questions.get(q["id"], {}).get("text", ""),
            q["event"],
            q["by"],
            pct(q["probability"]),
            f"{100 * q['stderr']:.1f} pt",
            f"{pct(q['band'][0])}–{pct(q['band'][1])}" if q.get("band") else "—",
        ]
        for q in f["questions"]
    ]
    with ui.expansion("Questions as a table").classes("w-full"):
        data_table(["id", "question", "event", "by", "P", "s.e.", "5–95%"], q_rows,
                   name=f"questions-{tag}", classes="accord-questions")
    with ui.expansion("All events over time").classes("w-full accord-all-events"):
        chart(charts.curves(results), name=f"curves-{tag}", classes="accord-curves")
    if results.get("issues"):
        issues_view(result, tag)
    if f.get("orders"):
        ui.label("Most frequent orders of events").classes("text-lg font-bold")
        o_rows: list[list[Cell]] = [
            [pct(o["share"]), " → ".join(o["order"]) or "(nothing happens)"] for o in f["orders"]
        ]
        data_table(["share", "order"], o_rows, name=f"orders-{tag}", classes="accord-orders")
    for n in results.get("notes") or []:
        ui.label(n).classes("accord-dim text-xs")


def _outcome_cell(o: dict[str, Any], d: int) -> str:
    band = f" [{o['low']:.{d}f}–{o['high']:.{d}f}]" if o.get("low") is not None else ""
    return f"{o['outcome']:.1f}{band}" + (" *" if o.get("notes") else "")


def issues_view(result: Result, tag: str) -> None:
    """One forecast per issue (FORECAST_MODEL, chosen by cross-validation), then every model's
    outcome, its notes and chart behind a toggle."""
    from accord.bargaining.registry import FORECAST_MODEL

    results = result.to_dict()
    issues = results["issues"]
    models = list(issues[0]["models"])
    name = FORECAST_MODEL if FORECAST_MODEL in models else models[0]
    ui.label("Issue forecasts").classes("text-lg font-bold")
    ui.label(f"by {name}, the model nested cross-validation chose on past EU negotiations "
             "(DEU); 5–95% band over parameters").classes("accord-dim text-sm")
    rows: list[list[Cell]] = []
    every: list[list[Cell]] = []
    for i in issues:
        ends = scale_ends(i["scale_min"], i["scale_max"], i.get("min_means"), i.get("max_means"))
        d = scale_digits(i["scale_min"], i["scale_max"])
        rows.append([i["id"], ends, _outcome_cell(i["models"][name], d)])
        every.append([i["id"], ends, *(_outcome_cell(i["models"][m], d) for m in models)])
    data_table(["issue", "scale", "forecast"], rows, name=f"forecasts-{tag}",
               classes="accord-forecasts")
    with ui.expansion(f"Every model's outcome ({len(models)} models)").classes(
            "w-full accord-every-model"):
        data_table(["issue", "scale", *models], every, name=f"issues-{tag}",
                   classes="accord-outcomes")
        notes = dict.fromkeys(
            f"{i['id']} · {m}: {n.removeprefix(f'{m}: ')}" for i in issues
            for m, o in i["models"].items() for n in o.get("notes", []))
        for n in notes:
            ui.label(f"* {n}").classes("accord-dim text-xs")
        chart(charts.outcomes(results), name=f"outcomes-{tag}", classes="accord-outcomes-chart")


def previous_run(ctx: Context, scenario_id: str, run_id: int | None,
                 text_hash: str) -> Result | None:
    """The result of the run of the same scenario file content (`text_hash`, the store's
    scenario hash) stored before `run_id` (None: none). A run of another version of the text
    answers another question: comparing with it would call an edit a change of forecast."""
    for r in ctx.store.list(limit=20, scenario_id=scenario_id, scenario_hash=text_hash):
        if r["kind"] in NOT_FORECASTS or (run_id is not None and r["id"] >= run_id):
            continue
        return Result.of(ctx.store.get(r["id"]).results)
    return None


def analysis_summary(result: RawSensitivity, run_id: int | None, created: str = "") -> str:
    head = f"run #{run_id}" if run_id is not None else result.method
    when = f" · {created}" if created else ""
    return (f"{head}{when} · {result.method} over {len(next(iter(result.rows.values()), []))} "
            f"uncertain parameters · {result.samples} variants × {result.paths:,} paths, "
            f"seed {result.seed}")


def param_labels(result: RawSensitivity, scenario: Scenario | None) -> dict[str, str]:
    """Readable names of an analysis's parameters (machine names where none can be made)."""
    from accord.report.labels import param_name

    if scenario is None:
        return {}
    return {r.parameter: param_name(scenario, r.parameter)
            for rows in result.rows.values() for r in rows}


def analysis_view(result: SensitivityResult, run_id: int | None, target: str,
                  created: str = "", labels: dict[str, str] | None = None) -> None:
    """One question's sensitivity analysis: the chart (PNG/SVG; the report's figure) and its
    table (CSV), parameters by their readable names (`labels`: the machine name beside it, on
    hover)."""
    from accord.report.sensitivity import fmt, heading

    raw, labels = result.raw, labels or {}
    tag = f"{raw.method}-{target}" + (f"-run-{run_id}" if run_id is not None else "")
    ui.label(analysis_summary(raw, run_id, created)).classes(
        "accord-tornado-summary text-sm accord-dim")
    tornado = raw.method == "tornado"  # its page classes are older than Sobol's and Morris's
    chart(charts.sensitivity(raw, target, labels), name=tag,
          classes="accord-tornado" if tornado else "accord-sensitivity-chart")
    rows = raw.rows[target]
    if tornado:
        head = ["parameter", "low", "high", "P at low", "P at high", "swing", "name"]
        cells = [[labels.get(r.parameter, r.parameter), f"{r.values['low_value']:.4g}",
                  f"{r.values['high_value']:.4g}", pct(r.values["p_at_low"]),
                  pct(r.values["p_at_high"]), f"{100 * r.values['swing']:.1f} pt",
                  r.parameter] for r in rows]
    else:
        cols = list(rows[0].values) if rows else []
        head = ["parameter", *map(heading, cols), "name"]
        cells = [[labels.get(r.parameter, r.parameter),
                  *(fmt(c, r.values[c]) for c in cols), r.parameter] for r in rows]
    data_table(head, cells, name=tag,
               classes="accord-tornado-table" if tornado else "accord-sensitivity-table")


def sensitivity_view(run: StoredRun) -> None:
    """A stored sensitivity analysis: per question its base (the run, and how it was made),
    then its chart and table."""
    from accord.report.sensitivity import base_text

    result = run.result
    assert isinstance(result, SensitivityResult), "a sensitivity run's result"
    labels = param_labels(result.raw, run.scenario)
    created = iso_date(run.record.created_at)
    for t in result.raw.targets:
        ui.label(f"{t}: base {pct(result.raw.base.get(t))}").classes("text-lg font-bold")
        ui.label(base_text(result.raw, t)).classes("accord-dim text-xs accord-base-note")
        analysis_view(result, run.id, t, created, labels)


def latest_analysis(ctx: Context, scenario_id: str, question: str,
                    method: str = "tornado") -> StoredRun | None:
    """The newest stored analysis by `method` of the scenario that covers the question."""
    for r in ctx.store.list(limit=50, scenario_id=scenario_id, kind="sensitivity",
                            method=method):
        run = StoredRun.load(ctx.store, r["id"])
        if question in (run.document.get("targets") or []):
            return run
    return None
