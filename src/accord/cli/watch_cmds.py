"""`accord watch`: the developments that would move each question, ranked."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import options as o
from accord.cli.app import app


@app.command()
def watch(
    scenario: str | None = o.Scenario,
    question: str | None = o.Question,
    within: int = typer.Option(6, "--within", help="months from now (or the observations' end) "
                               "by which each development would be seen"),
    paths: int = o.Paths,
    seed: int = o.Seed,
    draws: int | None = o.Draws,
    exact: bool = o.Exact,
    top: int = typer.Option(5, "--top", min=1, help="developments shown per question "
                            "(--json lists them all)"),
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    json_: bool = o.Json,
    sources: Path | None = o.Sources,
    observed: Path | None = o.Observed,
) -> None:
    """What to watch: per question, the events that would move it most if seen (or not seen)
    by then, with both branches, ranked by the expected change."""
    from accord.analysis.watch import WatchSettings
    from accord.analysis.watch import watch as find
    from accord.cli.common import out, print_json, progress_bar, warn
    from accord.cli.run_cmds import observed_months
    from accord.cli.settings import run_settings
    from accord.scenario.overlay import load_with_overlays

    settings, execution = run_settings(paths=paths, draws=draws, seed=seed, exact=exact,
                                       workers=workers, cluster=cluster)
    loaded = load_with_overlays(scenario, [], sources=sources)
    warn(loaded.warnings)
    s = loaded.scenario
    om = observed_months(loaded, observed)
    what = WatchSettings(question, within)
    with progress_bar("simulating the run's paths", 1, enabled=not (json_ or exact)) as tick:
        found = find(s, settings, what, observed=om, execution=execution.with_progress(tick))
    if json_:
        print_json({"scenario": s.meta.id, "within": within,
                    "questions": [w.to_dict() for w in found]})
        return
    from accord.report.watch import print_watch

    print_watch(out, found, top)
