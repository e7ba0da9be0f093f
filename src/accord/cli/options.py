"""Options shared by several commands, declared once (imports nothing heavy).

Each option means one thing in every command: `--seed` is the random seed (default
DEFAULT_SEED everywhere), `--workers` the local worker processes (default 1; 0: one per core),
`--paths` the Monte Carlo paths of one run, all parameter draws together (a sensitivity or
sweep variant is a run; a comparison runs each side once), `--json` one JSON document on stdout.
`--out` is always a folder; a single file a command writes is `--out-file` (predict, draft and
sweep keep `--out` as a hidden alias of it: DESIGN.md and scripts name it). `--question` is one
question id, every question by default. `--workers` and `--cluster` are on every command that
simulates, meaning the same in each.
The defaults come from accord.defaults, which the engines read too; the model names mirror
the registry's (tests/test_import_hygiene.py checks they agree), so that `accord --help`
needs none of the engines.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from accord.defaults import DEFAULT_PATHS, DEFAULT_SEED

MODEL_NAMES = ("compromise", "weighted_median", "nash", "eum", "smp", "exchange",
               "exchange_random", "options", "nearest_option")  # = bargaining.registry.MODELS


class Method(StrEnum):
    """Sensitivity methods (accord.analysis.sensitivity)."""

    tornado = "tornado"
    sobol = "sobol"
    morris = "morris"


class Outcome(StrEnum):
    """How a question resolved (accord.store ledger)."""

    yes = "yes"
    no = "no"
    annulled = "annulled"


ModelName = StrEnum("ModelName", [(n, n) for n in (*MODEL_NAMES, "all")])  # type: ignore[misc]


def paths_option(default: int = DEFAULT_PATHS, each: str = "run") -> typer.models.OptionInfo:
    """`--paths`: always the paths of one run, all draws together; `each` names the run."""
    return typer.Option(default, "--paths",
                        help=f"Monte Carlo paths of each {each}, all parameter draws together")


Scenario = typer.Argument(None, help="scenario file or built-in id (default: south-caucasus-2025)")
Paths = paths_option()
Seed = typer.Option(DEFAULT_SEED, "--seed", help="random seed: same seed, same answer")
Draws = typer.Option(
    None,
    "--draws",
    help="parameter draws M (paths = M × K); default 200 if any parameter is uncertain",
)
Json = typer.Option(False, "--json", help="print one JSON document on stdout and nothing else")
Sources = typer.Option(
    None, "--sources", help="folder holding the sources' texts (to verify quotes)"
)
Db = typer.Option(None, "--db", help="run store URL (default: SQLite under $ACCORD_HOME)")
Exact = typer.Option(
    False, "--exact", help="solve exactly at central parameter values (small scenarios)"
)
Out = typer.Option(None, "--out", help="report folder (default: reports/SCENARIO_ID)")
Question = typer.Option(None, "--question", help="one question id (default: all)")


def out_file_option(what: str) -> typer.models.OptionInfo:
    """`--out-file FILE`: the one file a command writes; `what` says what it holds."""
    return typer.Option(None, "--out-file", help=f"write {what} to this file")


# `--out FILE`, the old spelling of --out-file where a command writes one file: hidden, still
# read (DESIGN.md names `predict --out FILE` and `draft --out FILE`); see out_file().
OutFileAlias = typer.Option(None, "--out", hidden=True, help="the same as --out-file")


def out_file(named: Path | None, alias: Path | None) -> Path | None:
    """The file of `--out-file` or of its hidden alias `--out` (not both)."""
    if named is not None and alias is not None:
        from accord.errors import UserError

        raise UserError.at("give --out-file FILE or its old spelling --out FILE, not both",
                           field="--out-file")
    return named if named is not None else alias
With = typer.Option(
    None, "--with", help="what-if overlay file or built-in overlay name (repeatable)"
)
Workers = typer.Option(1, "--workers",
                       help="local worker processes (1: this one alone; 0: one per core)")
Cluster = typer.Option(
    None, "--cluster", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786"
)
Observed = typer.Option(
    None, "--observed",
    help="observations file: what happened after as_of (forecast conditioned on it)",
)
Model = typer.Option(ModelName.all, "--model", help="a model name, or all")
