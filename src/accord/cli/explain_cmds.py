"""`accord explain`: why each question's probability is what it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli import options as o
from accord.cli.app import app


@app.command()
def explain(
    scenario: str | None = o.Scenario,
    question: str | None = o.Question,
    paths: int = o.Paths,
    seed: int = o.Seed,
    draws: int | None = o.Draws,
    exact: bool = o.Exact,
    quick_paths: int = typer.Option(
        1000, "--tornado-paths", min=0, help="paths per variant of the quick tornado (0: none)"
    ),
    workers: int = o.Workers,
    cluster: str | None = o.Cluster,
    json_: bool = o.Json,
    out_dir: Path | None = typer.Option(None, "--out", help="folder for explain.html"),
    sources: Path | None = o.Sources,
    observed: Path | None = o.Observed,
) -> None:
    """Blockers of the 'no' paths (shares add up to 1 − P), the route of the 'yes' paths, and
    what moves each question most.

    The quick tornado's variants run on --workers / --cluster; the blockers' pass runs here."""
    from accord.analysis.explain import explain_questions
    from accord.analysis.recipe import MAX_PATHS
    from accord.analysis.variants import targets
    from accord.cli.common import out, print_json, warn
    from accord.cli.run_cmds import observed_months
    from accord.cli.settings import run_settings
    from accord.errors import UserError
    from accord.scenario.overlay import load_with_overlays

    settings, execution = run_settings(paths=paths, draws=draws, seed=seed, exact=exact,
                                       workers=workers, cluster=cluster)
    if quick_paths > MAX_PATHS:  # per variant, of some 90 variants
        raise UserError.at(f"must be between 0 and {MAX_PATHS:,}", field="--tornado-paths")
    loaded = load_with_overlays(scenario, [], sources=sources)
    warn(loaded.warnings)
    s = loaded.scenario
    om = observed_months(loaded, observed)
    ids = [t.id for t in targets(s, question)]
    found = explain_questions(s, settings, ids, observed=om)
    if quick_paths:
        _add_drivers(s, found, run_settings(paths=quick_paths, seed=seed)[0], execution,
                     show=not json_, observed=om)
    from accord.report.labels import param_name

    labels = {d["parameter"]: param_name(s, d["parameter"]) for e in found for d in e.drivers}
    if out_dir is not None:
        from accord.report.explain import write_explain_page

        write_explain_page(found, s.meta.title, out_dir, labels)
    if json_:
        print_json({"scenario": s.meta.id, "questions": [e.to_dict() for e in found]})
        return
    from accord.report.explain import print_answers, print_explanation

    for e in found:
        print_explanation(e, out, labels)
    if out_dir is not None:
        out.print(f"explanations in {out_dir / 'explain.html'}", highlight=False, soft_wrap=True)
    print_answers(found, out)


def _add_drivers(s: Any, found: list[Any], quick: Any, execution: Any, show: bool,
                 observed: Any) -> None:
    """Each explanation's drivers: what moves its question most (one quick tornado of
    `quick` settings on the same observations, its variants on `execution`'s workers or
    cluster), centred on the explanation's own probability where that is a Monte Carlo answer
    of the same recipe (an exact answer, at the parameters' central values, is not)."""
    from accord.analysis.explain import drivers
    from accord.cli.common import progress_bar

    centre = {e.question: e.probability for e in found if not e.method.startswith("exact")}
    with progress_bar("quick tornado", 1, enabled=show) as tick:
        moves = drivers(s, quick, [e.question for e in found], observed=observed,
                        centre=centre, execution=execution.with_progress(tick))
    for e in found:
        e.drivers = moves[e.question]
