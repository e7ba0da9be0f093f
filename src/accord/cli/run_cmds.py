"""`accord run` and `accord forecast`: forecast a scenario, save the run, write the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import options as o
from accord.cli.app import app

# Imports of the engines, the store and the report live in the commands' bodies: registering a
# command must cost nothing (tests/test_import_hygiene.py).
if TYPE_CHECKING:
    from accord.analysis.run import Execution, RunResult, RunSettings
    from accord.scenario.loader import Loaded
    from accord.scenario.model import Scenario
    from accord.store.quick import QuickRunStore
    from accord.store.runs import RunStore


def observed_months(loaded: Loaded, path: Path | None):  # noqa: ANN201
    """The observations to condition on: `--observed FILE`, else the scenario's own
    `observed:` section, checked against the scenario (None: an unconditioned run)."""
    obs = loaded.observations
    if path is not None:
        from accord.scenario.observations import load_observations

        obs = load_observations(path)
    return None if obs is None else obs.months(loaded.scenario)


def run_with_progress(loaded: Loaded, settings: RunSettings, execution: Execution | None = None,
                      *, with_issues: bool = True, observed: Any = None) -> RunResult:
    """`run_scenario` under a progress bar over the months simulated (none for --exact)."""
    from accord.analysis.run import run_scenario
    from accord.cli.common import progress_bar
    from accord.cli.settings import reporting

    s = loaded.scenario
    bar = progress_bar(f"simulating {s.meta.id}", s.meta.horizon, enabled=not settings.exact)
    with bar as tick:
        return run_scenario(s, settings, observed=observed, with_issues=with_issues,
                            execution=reporting(execution, tick))


def _save(store: RunStore | QuickRunStore, loaded: Loaded, kind: str, result: RunResult,
          extra: dict) -> int:
    return store.save(
        kind=kind,
        scenario_id=loaded.scenario.meta.id,
        scenario_name=loaded.name,
        scenario_text=loaded.text,
        seed=result.settings.seed,
        settings={**vars(result.settings), **extra},
        results=result.to_dict(),
    )


def _record(store: RunStore, loaded: Loaded, result: RunResult, run_id: int) -> int:
    """One ledger entry per question of the run; returns how many."""
    from accord.scenario.observations import describe
    from accord.store.ledger import Ledger
    from accord.store.runs import scenario_hash

    ledger = Ledger(store)
    s = loaded.scenario
    criteria = {q.id: q.criteria for q in s.questions}
    doc = result.to_dict()
    obs = doc.get("observed") or {}
    for q in doc["forecast"]["questions"]:
        ledger.record_forecast(
            scenario_id=s.meta.id, scenario_hash=scenario_hash(loaded.text), question=q,
            forecast_date=obs.get("as_of", doc["as_of"]), run_id=run_id,
            criteria=criteria.get(q["id"]), observations_hash=obs.get("hash"),
            observations=describe(obs.get("canonical") or {}),
        )
    return len(doc["forecast"]["questions"])


WHY_MAX_PATHS = 200_000  # the report's "why" section: the run's paths, up to this many


def _why(scenario: Scenario, settings: RunSettings, om: Any) -> list:
    """The report's explanations of every question (accord explain), from the run's own paths
    (at most WHY_MAX_PATHS of them), or exactly for an exact run."""
    from accord.analysis.explain import explain_questions
    from accord.cli.common import progress_bar

    ids = [q.id for q in scenario.questions]
    if not ids:
        return []
    small = replace(settings, paths=min(settings.paths, WHY_MAX_PATHS), precision=None,
                    exact=settings.exact and om is None)
    with progress_bar("explaining the questions", 1, enabled=not settings.exact) as tick:
        found = explain_questions(scenario, small, ids, observed=om)
        tick(1)
    return found


def _watched(scenario: Scenario, settings: RunSettings, om: Any) -> list:
    """The report's "What to watch": accord watch over the default window, on the run's
    paths (at most WHY_MAX_PATHS of them), or exactly for an exact run."""
    from dataclasses import replace

    from accord.analysis.watch import WatchSettings, watch
    from accord.cli.common import progress_bar
    from accord.cli.settings import reporting

    if not scenario.questions:
        return []
    small = replace(settings, paths=min(settings.paths, WHY_MAX_PATHS), precision=None)
    with progress_bar("what to watch", 1, enabled=not settings.exact) as tick:
        found = watch(scenario, small, WatchSettings(), observed=om,
                      execution=reporting(None, tick))
    return found


def _report(result: RunResult, s: Scenario, settings: RunSettings, folder: Path, om: object,
            figures: bool) -> Path:
    """The run's report: index.html with its "why" and "what to watch" sections (and the
    static figures with --figures)."""
    from accord.report.html import write_report

    return write_report(result, folder, _why(s, settings, om), _watched(s, settings, om),
                        figures=figures)


# `accord run`'s own options (the shared ones are in accord.cli.options)
NoReport = typer.Option(False, "--no-report", help="skip the report")
Figures = typer.Option(
    False, "--figures", help="also draw the report's static figures (PNG and SVG; slower)")
Precision = typer.Option(
    None, "--precision", help="add paths until every question's s.e. is below this")
Record = typer.Option(
    False, "--record", help="append each question's forecast to the forecast ledger")
Criteria = typer.Option(
    False, "--criteria", help="print each question's resolution criteria (the report has them)")
Models = typer.Option(
    False, "--models", help="print every bargaining model's issue outcome, not the forecast alone")


@app.command()
def run(
    scenario: str | None = o.Scenario,
    paths: int = o.Paths,
    seed: int = o.Seed,
    draws: int | None = o.Draws,
    out_dir: Path | None = o.Out,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
    exact: bool = o.Exact,
    no_report: bool = NoReport,
    figures: bool = Figures,
    overlays: list[str] | None = o.With,
    precision: float | None = Precision,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    record: bool = Record,
    observed: Path | None = o.Observed,
    criteria: bool = Criteria,
    models: bool = Models,
) -> None:
    """Forecast a scenario: events over time, questions, paths, issue outcomes; save and report.

    The console ends with the answers: one line per question.
    """
    from accord.cli.common import closed_at_exit, print_json, warn
    from accord.cli.settings import run_settings
    from accord.scenario.overlay import load_with_overlays
    from accord.store.quick import open_run_store

    settings, execution = run_settings(paths=paths, draws=draws, seed=seed, exact=exact,
                                       precision=precision, workers=workers, cluster=cluster)
    loaded = load_with_overlays(scenario, overlays or [], sources=sources)
    om = observed_months(loaded, observed)
    warn(loaded.warnings)
    # open before the work: a bad --db fails fast (the ledger needs the full store)
    store = closed_at_exit(open_run_store(db, quick=not record))
    folder = out_dir or Path("reports") / loaded.scenario.meta.id
    if not no_report:
        folder.mkdir(parents=True, exist_ok=True)  # an unwritable --out fails before the work
    result = run_with_progress(loaded, settings, execution, observed=om)
    report = None if no_report else _report(result, loaded.scenario, settings, folder, om,
                                            figures)
    run_id = _save(store, loaded, "run", result, {"report": str(report) if report else None})
    recorded = _record(store, loaded, result, run_id) if record else 0
    if json_:
        print_json(
            {"run_id": run_id, "report": str(report) if report else None, **result.to_dict()}
        )
        return
    print_run(result, saved=f"run [bold]{run_id}[/] saved to {store.safe_url}", report=report,
              recorded=recorded if record else None, criteria=criteria, models=models)


def print_run(result: RunResult, *, saved: str, report: Path | None, recorded: int | None,
              criteria: bool, models: bool) -> None:
    """The console summary of a run, ending with the answers (one line per question)."""
    from accord.cli.common import out
    from accord.report.console import answers_block, render

    render(result, out, criteria=criteria, models=models)
    if result.observed is not None:
        print_observed(result, out)
    out.print(saved, highlight=False, soft_wrap=True)
    if recorded is not None:
        out.print(f"{recorded} forecasts recorded in the ledger (accord ledger list)",
                  highlight=False)
    if report:
        out.print(f"report: {report}", highlight=False, soft_wrap=True)
    if result.forecast.questions:
        out.print(answers_block(result))


def print_observed(result: RunResult, out: object) -> None:
    """What the observations did: the new start, the effective sample size, and each bearing
    parameter's prior → posterior mean and 5–95% range."""
    ob = result.observed or {}
    lines = [f"Conditioned on {len(ob.get('events', []))} observed events to {ob['as_of']} "
             f"(months 1–{ob['months']} observed; the forecast starts {ob['start']})"]
    if ob.get("effective_paths") is not None:
        lines.append(f"effective sample size {ob['effective_paths']:,.0f} of {ob['paths']:,} "
                     f"paths; parameter draws {ob['draw_effective']:,.0f} of {ob['draws']}")
    every = ob.get("parameters") or []
    params = [p for p in every if p.get("moved", True)]
    if every:
        lines.append(f"{len(every)} uncertain parameters bear on the observations; those that "
                     "moved (prior → posterior, mean [5–95%]):" if params else
                     f"{len(every)} uncertain parameters bear on the observations; none moved "
                     "by a tenth of its prior s.d.")

        def f(v: float) -> str:
            return f"{v:.3g}"

        for p in params:
            lines.append(f"  {p['name']} {f(p['prior_mean'])} [{f(p['prior_band'][0])}–"
                         f"{f(p['prior_band'][1])}] → {f(p['posterior_mean'])} "
                         f"[{f(p['posterior_band'][0])}–{f(p['posterior_band'][1])}]")
    for line in lines:
        out.print(line, highlight=False)  # type: ignore[attr-defined]


def _date(text: str) -> dt.date:
    from accord.errors import UserError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError.at(f"'{text}' is not a date written YYYY-MM-DD", field="--by") from None


def _check_window(s: Any, when: dt.date, om: Any = None) -> None:
    """`--by` must lie in the scenario's window (after the observations, if any: from the end
    of the observed months, which may be after their as_of)."""
    from accord.errors import UserError
    from accord.scenario.calendar import add_months

    if not s.meta.as_of <= when <= add_months(s.meta.as_of, s.meta.horizon):
        after = "" if om is None else (
            f" (the forecast starts where the observed months end, {om.start}: months 1–"
            f"{om.months} are observed, up to their as_of {om.as_of})")
        raise UserError.at(
            f"{when} lies outside the scenario's window {s.meta.as_of} + {s.meta.horizon} months"
            + after, field="--by",
        )


def _forecast_doc(result: Any, qid: str) -> dict[str, Any]:
    """`accord forecast`'s answer (its JSON): the question's probability, s.e. and band, as a
    run answers every question, and the observations it was conditioned on."""
    q = next(q for q in result.forecast.questions if q.id == qid)
    doc: dict[str, Any] = {
        "event": q.event,
        "by": q.by,
        "probability": q.probability,
        "stderr": q.stderr,
        "band": list(q.band) if q.band is not None else None,
        "method": "exact" if result.settings.exact else "montecarlo",
    }
    if result.observed is not None:
        doc["observed"] = {k: result.observed.get(k) for k in ("as_of", "start", "hash",
                                                               "effective_paths")}
    return doc


@app.command()
def forecast(
    scenario: str | None = o.Scenario,
    event: str = typer.Option(..., "--event", help="event id"),
    by: str = typer.Option(..., "--by", help="date YYYY-MM-DD"),
    paths: int = o.Paths,
    seed: int = o.Seed,
    draws: int | None = o.Draws,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
    exact: bool = o.Exact,
    overlays: list[str] | None = o.With,
    observed: Path | None = o.Observed,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
) -> None:
    """P(event has occurred by a date), with its standard error and parameter band. Only the
    months up to that date are simulated (the answer is the one the whole horizon gives)."""
    from accord.cli.common import closed_at_exit, err, out, print_json, warn
    from accord.cli.settings import run_settings
    from accord.errors import UserError
    from accord.scenario.overlay import load_with_overlays
    from accord.store.quick import open_run_store

    settings, execution = run_settings(paths=paths, draws=draws, seed=seed, exact=exact,
                                       workers=workers, cluster=cluster)
    when = _date(by)
    loaded = load_with_overlays(scenario, overlays or [], sources=sources)
    s = loaded.scenario
    if event not in s.event_ids:
        raise UserError.at(
            f"unknown event '{event}' (events: {', '.join(s.event_ids)})", field="--event"
        )
    om = observed_months(loaded, observed)
    if om is not None:
        from accord.analysis.conditioned import shifted

        s = shifted(s, om)
    _check_window(s, when, om)
    warn(loaded.warnings)
    store = closed_at_exit(open_run_store(db))
    from accord.process.forecast import read_until

    asked, qid = loaded.scenario.asking(event, when)
    result = run_with_progress(replace(loaded, scenario=read_until(asked, when)), settings,
                               execution, with_issues=False, observed=om)
    doc = _forecast_doc(result, qid)
    extra = {"event": event, "by": when.isoformat()}
    if result.observed is not None:
        extra["observations_hash"] = result.observed["hash"]
    run_id = _save(store, loaded, "forecast", result, extra)
    if json_:
        print_json({**doc, "run_id": run_id})
        return
    from accord.report.console import forecast_line

    out.print(forecast_line(doc), highlight=False)
    err.print(f"run {run_id} saved", style="dim")
