"""`accord sensitivity`, `sweep`, `compare`, `backtest`: the analyst's next questions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import options as o
from accord.cli.app import app

# Imports of the engines, the store and rich live in the commands' bodies: registering a command
# must cost nothing (tests/test_import_hygiene.py).
if TYPE_CHECKING:
    from accord.analysis.compare import Target
    from accord.analysis.recipe import Execution, RunSettings
    from accord.analysis.sensitivity import SensitivityResult
    from accord.scenario.loader import Loaded
    from accord.scenario.model import Scenario
    from accord.store.runs import RunStore

SENS_PATHS = 2000


def _save(store: RunStore, loaded: Loaded, kind: str, seed: int, settings: dict[str, Any],
          results: dict[str, Any]) -> int:
    return store.save(kind=kind, scenario_id=loaded.scenario.meta.id, scenario_name=loaded.name,
                      scenario_text=loaded.text, seed=seed, settings=settings, results=results)


def _stored_sensitivity(store: Any, run_id: int) -> Any:
    """A stored sensitivity analysis (--from-run), read back once (`accord.results.StoredRun`),
    refused if the run is of another kind."""
    from accord.errors import UserError
    from accord.results import StoredRun

    stored = StoredRun.load(store, run_id)
    if stored.kind != "sensitivity":
        raise UserError.at(f"run {run_id} is a {stored.kind}, not a sensitivity analysis",
                           field="--from-run")
    return stored


def _param_names(scenario: Any, result: Any) -> dict[str, str]:
    """Readable names of an analysis's parameters, from the scenario it ran on (the machine
    names stand in where there is none)."""
    from accord.report.labels import param_name

    if scenario is None:
        return {}
    return {r.parameter: param_name(scenario, r.parameter)
            for rows in result.rows.values() for r in rows}


def _sensitivity_report(result: Any, loaded: Loaded, run_id: int, out_dir: Path | None) -> Path:
    """The analysis's report, in --out or reports/SCENARIO_ID/sensitivity/run-N."""
    from accord.report.sensitivity import write_sensitivity_report

    folder = out_dir or (Path("reports") / loaded.scenario.meta.id / "sensitivity"
                         / f"run-{run_id}")
    labels = _param_names(loaded.scenario, result)
    return write_sensitivity_report(result, loaded.scenario.meta.title, folder, labels)


SensSamples = typer.Option(64, "--samples", help="Sobol base samples N / Morris trajectories")
Parameters = typer.Option(
    None, "--parameters", help="only parameters matching these patterns, e.g. 'events.*'")


@app.command()
def sensitivity(
    scenario: str | None = o.Scenario,
    question: str | None = o.Question,
    method: o.Method = typer.Option(o.Method.tornado, "--method", help="the method"),
    samples: int = SensSamples,
    paths: int = o.paths_option(SENS_PATHS, "variant"),
    seed: int = o.Seed,
    parameters: list[str] | None = Parameters,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    overlays: list[str] | None = o.With,
    out_dir: Path | None = o.Out,
    from_run: int | None = typer.Option(None, "--from-run", help="show a stored analysis"),
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
    observed: Path | None = o.Observed,
) -> None:
    """Which uncertain parameters drive the questions (tornado, Sobol or Morris)."""
    method_name = method.value
    from accord.analysis.sensitivity import SensitivitySettings
    from accord.analysis.sensitivity import sensitivity as run
    from accord.analysis.variants import targets
    from accord.cli.common import closed_at_exit, err, progress_bar, warn
    from accord.cli.settings import run_settings
    from accord.errors import UserError
    from accord.scenario.overlay import load_with_overlays
    from accord.store.runs import RunStore

    store = closed_at_exit(RunStore(db))
    if from_run is not None:
        stored = _stored_sensitivity(store, from_run)
        result, run_id, ran_on = stored.result.raw, from_run, stored.scenario
    else:
        settings, execution = run_settings(paths=paths, seed=seed, workers=workers,
                                           cluster=cluster)
        if not 2 <= samples <= 100_000:
            raise UserError.at("must be between 2 and 100,000", field="--samples")
        loaded = load_with_overlays(scenario, overlays or [], sources=sources)
        from accord.cli.run_cmds import observed_months

        om = observed_months(loaded, observed)
        warn(loaded.warnings)
        goals = targets(loaded.scenario, question)
        with progress_bar(f"{method_name} on {loaded.scenario.meta.id}", 1) as tick:
            what = SensitivitySettings(goals, method_name, samples, parameters or [])
            result = run(loaded.scenario, settings, what, observed=om,
                         execution=execution.with_progress(tick))
        run_id = _save(store, loaded, "sensitivity", seed,
                       {"method": method_name, "samples": samples, "paths": paths,
                        "parameters": parameters or [],
                        "observations_hash": om.hash if om else None}, result.to_dict())
        ran_on = loaded.scenario
        report = _sensitivity_report(result, loaded, run_id, out_dir)
        err.print(f"report: {report}", highlight=False, soft_wrap=True)
    _print_sensitivity(result, run_id, ran_on, json_)


def _print_sensitivity(result: SensitivityResult, run_id: int, ran_on: Scenario,
                       json_: bool) -> None:
    """A sensitivity analysis's tables (or its JSON), and how to show it again."""
    from accord.cli.common import out, print_json
    from accord.report.sensitivity import sensitivity_tables

    if json_:
        print_json({"run_id": run_id, **result.to_dict()})
        return
    for table in sensitivity_tables(out, result, _param_names(ran_on, result)):
        out.print(table)
    out.print(f"saved as run {run_id}; reload with --from-run {run_id}", highlight=False)


@app.command()
def sweep(
    scenario: str | None = o.Scenario,
    grid: Path | None = typer.Option(None, "--grid", help="YAML: parameter name → list of values"),
    variants: int | None = typer.Option(
        None, "--variants", help="how many variants to draw from the distributions"
    ),
    samples: int | None = typer.Option(
        None, "--samples", hidden=True, help="the old name of --variants"
    ),
    question: str | None = o.Question,
    paths: int = o.paths_option(SENS_PATHS, "variant"),
    seed: int = o.Seed,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    overlays: list[str] | None = o.With,
    out_named: Path | None = o.out_file_option("the table (.csv or .parquet)"),
    out_alias: Path | None = o.OutFileAlias,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
) -> None:
    """Run many variants of a scenario: a grid of values or variants drawn from the
    distributions (--variants N; `--samples` is its old name: in `sensitivity` it is Sobol's N)."""

    from accord.analysis.sweep import (
        SweepSettings,
        grid_design,
        run_sweep,
        sample_design,
        write_table,
    )
    from accord.analysis.variants import targets
    from accord.cli.common import closed_at_exit, progress_bar, warn
    from accord.cli.settings import run_settings
    from accord.scenario.overlay import load_with_overlays
    from accord.store.runs import RunStore

    variants, table_out = _sweep_design_args(grid, variants, samples,
                                             o.out_file(out_named, out_alias))
    settings, execution = run_settings(paths=paths, seed=seed, workers=workers, cluster=cluster)
    store = closed_at_exit(RunStore(db))
    loaded = load_with_overlays(scenario, overlays or [], sources=sources)
    warn(loaded.warnings)
    s = loaded.scenario
    goals = targets(s, question)
    design = grid_design(s, grid) if grid is not None else sample_design(s, variants or 0, seed)
    with progress_bar(f"sweep of {len(design.X):,} variants", 1) as tick:
        rows = run_sweep(s, settings, SweepSettings(design, goals),
                         execution=execution.with_progress(tick))
    run_id = _save(store, loaded, "sweep", seed,
                   {"grid": str(grid) if grid else None, "samples": variants, "paths": paths},
                   {"rows": rows, "parameters": design.names, "targets": [g.id for g in goals]})
    if table_out is not None:
        write_table(rows, table_out)
    _print_sweep(rows, design.names, [g.id for g in goals], run_id, table_out, json_)


def _print_sweep(rows: list[dict[str, Any]], names: list[str], goals: list[str], run_id: int,
                 table_out: Path | None, json_: bool) -> None:
    """A sweep's first rows (or its JSON), and where the rest are."""
    from accord.cli.common import out, print_json
    from accord.report.listings import sweep_table

    if json_:
        print_json({"run_id": run_id, "rows": rows})
        return
    out.print(sweep_table(out, rows, names, goals))
    if len(rows) > 30:
        out.print(f"… {len(rows) - 30} more rows" + (f" in {table_out}" if table_out else ""))
    out.print(f"saved as run {run_id}", highlight=False)


def _sweep_design_args(grid: Path | None, variants: int | None, samples: int | None,
                       table_out: Path | None) -> tuple[int | None, Path | None]:
    """--variants (or its old name --samples) against --grid, and the table's file, checked."""
    from accord.errors import UserError

    if variants is not None and samples is not None:
        raise UserError.at("give --variants N or its old name --samples N, not both",
                           field="--variants")
    variants = variants if variants is not None else samples
    if (grid is None) == (variants is None):
        raise UserError.at("give either --grid FILE or --variants N", field="--grid")
    if table_out is not None and table_out.suffix not in (".csv", ".parquet"):
        raise UserError.at("the table's file name must end in .csv or .parquet",
                           field="--out-file")
    if table_out is not None and not table_out.parent.is_dir():
        raise UserError.at("its folder does not exist", file=str(table_out), field="--out-file")
    return variants, table_out


def _resolve_target(ref: str, store: RunStore, settings: RunSettings,
                    sources: Path | None, observed: Path | None = None,
                    execution: Execution | None = None) -> Target:
    """A stored run (an integer) or a scenario ('ref' or 'ref+overlay+overlay')."""
    from accord.analysis.compare import Target
    from accord.cli.common import warn
    from accord.errors import UserError
    from accord.scenario.overlay import load_with_overlays

    if ref.isdigit():
        if observed is not None:
            raise UserError.at("applies to scenarios run afresh, not to stored run "
                               f"{ref} (it keeps the observations it was run with)",
                               field="--observed")
        rec = store.get(int(ref))
        if "forecast" not in rec.results:
            raise UserError.at(f"run {ref} is a {rec.kind}, which has no forecast to compare")
        return Target(f"run {ref}", rec.results, scenario_text=rec.scenario_text,
                      scenario_name=rec.scenario_name)
    base, *overlays = ref.split("+") if not Path(ref).exists() else [ref]
    loaded = load_with_overlays(base, overlays, sources=sources)
    warn(loaded.warnings)
    from accord.cli.run_cmds import observed_months, run_with_progress

    om = observed_months(loaded, observed)
    result = run_with_progress(loaded, settings, execution, observed=om)  # with its bar
    return Target.of_run(result, loaded.scenario, om)


@app.command()
def compare(
    a: str = typer.Argument(..., help="a stored run id, or a scenario (e.g. NAME+OVERLAY)"),
    b: str = typer.Argument(..., help="a stored run id, or a scenario (e.g. NAME+OVERLAY)"),
    paths: int = o.paths_option(o.DEFAULT_PATHS, "scenario run afresh"),
    seed: int = o.Seed,
    draws: int | None = o.Draws,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
    observed: Path | None = o.Observed,
) -> None:
    """Per question the difference B − A with its paired standard error; per issue the moves.

    A scenario run afresh runs on --workers / --cluster; the pairing re-simulates here."""

    from accord.analysis.compare import compare_targets
    from accord.cli.common import closed_at_exit, out, print_json, progress_bar
    from accord.cli.settings import run_settings
    from accord.store.runs import RunStore

    settings, execution = run_settings(paths=paths, seed=seed, draws=draws, workers=workers,
                                       cluster=cluster)
    store = closed_at_exit(RunStore(db))
    sides = [_resolve_target(r, store, settings, sources, observed, execution) for r in (a, b)]
    with progress_bar("pairing the runs (their paths simulated again)", 1,
                      enabled=not json_) as tick:
        cmp = compare_targets(*sides)
        tick(1)
    if json_:
        print_json(cmp.to_dict())
        return
    from accord.report.console import table
    from accord.report.listings import comparison_table

    out.print(comparison_table(out, cmp))
    for side, only in (("A", cmp.only_a), ("B", cmp.only_b)):
        if only:
            out.print(f"only {side} asks: {', '.join(only)}", highlight=False)
    for note in cmp.notes:
        out.print(f"note: {note}", highlight=False)
    moved = [d for d in cmp.issues if abs(d.diff) > 1e-9]
    if moved:
        out.print(table(out, ("issue", "model", "A", "B", "B − A"),
                        [[d.issue, d.model, f"{d.a:.1f}", f"{d.b:.1f}", f"{d.diff:+.1f}"]
                         for d in moved], title="issue outcomes that moved", left=(0, 1)))
    else:
        out.print("no issue outcome moved")


@app.command()
def backtest(
    targets_: list[str] = typer.Argument(..., metavar="TARGET...",
                                         help="stored run ids or scenarios"),
    resolutions: Path | None = typer.Option(
        None, "--resolutions", help="CSV question,resolution[,resolved_on] (else the scenario's)"
    ),
    paths: int = o.Paths,
    seed: int = o.Seed,
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    db: str | None = o.Db,
) -> None:
    """Score forecasts against resolved questions: Brier, log score, calibration, baselines."""
    from accord.analysis.backtest import Scored, read_resolutions, score, scored
    from accord.cli.common import closed_at_exit, print_json
    from accord.cli.settings import run_settings
    from accord.errors import UserError
    from accord.store.runs import RunStore

    store = closed_at_exit(RunStore(db))
    given = read_resolutions(resolutions) if resolutions else {}
    settings, execution = run_settings(paths=paths, seed=seed, workers=workers,
                                       cluster=cluster)
    items: list[Scored] = []
    asked: set[str] = set()
    for ref in targets_:
        target = _resolve_target(ref, store, settings, sources, execution=execution)
        name, doc = target.name, target.results
        scenario = target.the_scenario()  # a stored run keeps its text, resolutions included
        asked.update(q["id"] for q in doc["forecast"]["questions"])
        items += scored(name, scenario, doc, {q: v for q, (v, _) in given.items()})
    for q, (_, line) in given.items():
        if q not in asked:
            raise UserError.at(f"unknown question '{q}': no forecast asks it "
                               f"(they ask {', '.join(sorted(asked))})", file=str(resolutions),
                               line=line, field="question")
    if not items:
        raise UserError.at("no resolved question among the forecasts: add `resolution: yes|no` "
                           "to the scenario's questions or pass --resolutions FILE")
    scores = score(items)
    if json_:
        print_json(scores.to_dict())
        return
    _print_scores(scores)


def _print_scores(scores: Any) -> None:
    """The backtest's scores against the baselines, and its calibration table."""
    from accord.cli.common import out
    from accord.report.console import table

    out.print(table(out, ("forecaster", "Brier (0 best)", "log score (0 best)"), [
        ["accord", f"{scores.brier:.4f}", f"{scores.log:.4f}"],
        ["always 50%", f"{scores.brier_50:.4f}", f"{scores.log_50:.4f}"],
        [f"base rate in hindsight ({100 * scores.base_rate:.0f}%)",
         f"{scores.brier_base_rate:.4f}", f"{scores.log_base_rate:.4f}"]],
        title=f"{scores.n} questions"))
    out.print(table(out, ("forecast bin", "n", "mean forecast", "observed"),
                    [[f"{100 * b['bin_low']:.0f}–{100 * b['bin_high']:.0f}%", str(b["n"]),
                      f"{100 * b['mean_forecast']:.1f}%", f"{100 * b['observed']:.0f}%"]
                     for b in scores.calibration], title="calibration"))
