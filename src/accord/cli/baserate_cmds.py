"""`accord baserate list|show|build|evaluate`: the outside view, from history.

`list` and `show` read the shipped tables alone (no pandas, no lifelines), so they answer at
once; `build` and `evaluate` read a user's own copies of the datasets.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import options as o
from accord.cli.app import app

baserate_app = typer.Typer(help="Reference classes: how such processes went in history.",
                           no_args_is_help=True)
app.add_typer(baserate_app, name="baserate")

Ucdp = typer.Option(None, "--ucdp", help="UCDP Peace Agreement Dataset CSV (v22.1 columns)")
Pax = typer.Option(None, "--pax", help="PA-X agreements CSV (v3 columns)")
Icb = typer.Option(None, "--icb", help="ICB crisis-level CSV (icb1, v14 columns)")


@baserate_app.command("list")
def list_(json_: bool = o.Json) -> None:
    """Every reference class: what it counts, from when, on how many cases."""
    from accord.baserate.tables import index
    from accord.cli import common

    keys = ("id", "name", "kind", "n", "events", "origin", "event", "source", "citation",
            "filters")
    classes = [{k: c[k] for k in keys} for c in index()]
    if json_:
        common.print_json({"classes": classes})
        return
    from accord.report.listings import baserate_table

    common.out.print(baserate_table(common.out, classes))


def _where(pairs: list[str]) -> dict[str, str]:
    from accord.errors import UserError

    where = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise UserError.at(f"write a filter as KEY=VALUE, not {pair!r}", field="where")
        where[key.strip()] = value.strip()
    return where


def _horizons(text: str) -> list[int]:
    from accord.errors import UserError

    try:
        months = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        months = []
    if not months or any(not 0 < m <= 600 for m in months):
        raise UserError.at(f"give months from 1 to 600, comma-separated (e.g. 12,24), not "
                           f"{text!r}", field="horizon")
    return months


@baserate_app.command()
def show(
    class_id: str = typer.Argument(..., metavar="ID", help="a class id (accord baserate list)"),
    horizon: str = typer.Option("6,12,24,60", "--horizon", help="months, comma-separated"),
    where: list[str] = typer.Option([], "--where", help="filter KEY=VALUE (at most two)"),
    plot: Path | None = typer.Option(None, "--plot", help="draw the curve to this PNG/SVG file"),
    json_: bool = o.Json,
) -> None:
    """A class's probability within each horizon, with its 95% band and n."""
    from accord.baserate.tables import entry, lookup
    from accord.cli import common

    est = lookup(class_id, _where(where))
    info = entry(class_id)
    rows = [] if est.kind == "share" else [
        dict(zip(("months", "probability", "low", "high"), (m, *est.probability(m)),
                 strict=True)) for m in _horizons(horizon)]
    doc = {"class": class_id, "name": info["name"], "kind": est.kind, "where": dict(est.where),
           "n": est.n, "events": est.events, "horizons": rows, "citation": info["citation"],
           "warning": est.warning}
    if est.kind == "share":
        doc.update({k: est.data[k] for k in ("probability", "low", "high")})
    if est.warning:
        from rich.markup import escape

        common.err.print(f"[yellow]warning:[/] {escape(est.warning)}", highlight=False)
    if plot is not None:
        from accord.report.baserate import plot_class

        plot_class(est, info["name"], plot)
    if json_:
        common.print_json(doc)
        return
    from accord.report.listings import baserate_show

    common.out.print(baserate_show(common.out, doc, info))


def _files(ucdp: Path | None, pax: Path | None, icb: Path | None) -> dict[str, Path]:
    from accord.errors import UserError

    files = {k: v for k, v in (("ucdp", ucdp), ("pax", pax), ("icb", icb)) if v is not None}
    if not files:
        raise UserError.at("give at least one dataset file: --ucdp, --pax or --icb",
                           field="ucdp")
    return files


@baserate_app.command()
def build(ucdp: Path | None = Ucdp, pax: Path | None = Pax, icb: Path | None = Icb,
          out_dir: Path | None = typer.Option(
              None, "--out", help="tables folder (default: the installed tables)")) -> None:
    """Rebuild the tables from your own downloads of the official files (needs lifelines)."""
    from accord.baserate.build import build as build_tables
    from accord.baserate.tables import TABLES
    from accord.cli.common import out

    for path in build_tables(_files(ucdp, pax, icb), out_dir or TABLES):
        out.print(path, soft_wrap=True, highlight=False)


@baserate_app.command()
def evaluate(
    class_id: str = typer.Argument(..., metavar="ID", help="a class id"),
    split: int = typer.Option(..., "--split", help="estimate on cases before this year, "
                              "forecast the cases from it on"),
    ucdp: Path | None = Ucdp, pax: Path | None = Pax, icb: Path | None = Icb,
    json_: bool = o.Json,
) -> None:
    """Score the class out of sample (Brier, log score) against climatology and a coin."""
    from accord.baserate.evaluate import evaluate as run_evaluation
    from accord.cli.common import out, print_json

    result = run_evaluation(class_id, split, _files(ucdp, pax, icb))
    if json_:
        print_json({"class": class_id, "split": split, "scores": [s.to_dict() for s in result]})
        return
    from accord.report.listings import baserate_scores

    out.print(baserate_scores(out, class_id, split, result))
