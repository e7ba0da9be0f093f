"""Options shared by several commands, declared once (imports nothing heavy)."""

from __future__ import annotations

from pathlib import Path

import typer

DEFAULT_PATHS = 20_000  # = accord.analysis.run.DEFAULT_PATHS (tests/test_import_hygiene.py)

Scenario = typer.Argument(None, help="scenario file or built-in id (default: south-caucasus-2025)")
Paths = typer.Option(DEFAULT_PATHS, "--paths", help="Monte Carlo paths in all")
Seed = typer.Option(20250403, "--seed", help="random seed: same seed, same answer")
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
OptPath = Path | None
With = typer.Option(
    None, "--with", help="what-if overlay file or built-in overlay name (repeatable)"
)
Workers = typer.Option(0, "--workers", help="local worker processes (0: one per core)")
Cluster = typer.Option(
    None, "--cluster", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786"
)
Observed = typer.Option(
    None, "--observed",
    help="observations file: what happened after as_of (forecast conditioned on it)",
)
