"""Light commands import only what they use: no scipy.optimize, SQLAlchemy, networkx,
matplotlib, plotly, pandas or NiceGUI behind `accord --help`, `validate`, `scenarios`, `schema`.

Each command runs in a fresh interpreter (a subprocess), which then reports `sys.modules`:
a behaviour check, not a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy.optimize", "sqlalchemy", "networkx", "matplotlib", "plotly", "pandas", "nicegui")

PROBE = """
import json, sys
from accord.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write("\\nMODULES " + json.dumps([code, sorted(sys.modules)]) + "\\n")
"""


def _modules(*args: str) -> tuple[object, set[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          timeout=120)
    line = [x for x in proc.stderr.splitlines() if x.startswith("MODULES ")]
    assert line, proc.stderr
    code, mods = json.loads(line[-1][len("MODULES "):])
    return code, set(mods)


def _heavy(mods: set[str]) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in HEAVY or m.startswith(HEAVY))


@pytest.mark.parametrize("args", [
    ("--help",),
    ("validate", "south-caucasus-2025"),
    ("scenarios",),
    ("schema",),
])
def test_light_commands_import_nothing_heavy(args: tuple[str, ...]) -> None:
    code, mods = _modules(*args)
    assert code in (0, None)
    assert not _heavy(mods), f"accord {' '.join(args)} imported {_heavy(mods)[:10]}"


def test_help_imports_no_numpy_nor_the_engines() -> None:
    """Registering the commands costs nothing: `--help` loads none of accord's engines."""
    _, mods = _modules("--help")
    assert "numpy" not in mods
    engines = sorted(m for m in mods if m.startswith(("accord.scenario", "accord.bargaining",
                                                      "accord.process", "accord.analysis",
                                                      "accord.store", "accord.report",
                                                      "accord.web")))
    assert not engines, engines


def test_cli_default_paths_is_the_engines() -> None:
    from accord.analysis.run import DEFAULT_PATHS
    from accord.cli.options import DEFAULT_PATHS as CLI_DEFAULT

    assert CLI_DEFAULT == DEFAULT_PATHS


def test_cli_default_seed_is_the_engines() -> None:
    from accord.analysis.recipe import DEFAULT_SEED
    from accord.cli.options import DEFAULT_SEED as CLI_SEED

    assert CLI_SEED == DEFAULT_SEED


def test_cli_model_names_are_the_registrys() -> None:
    from accord.bargaining.registry import MODELS
    from accord.cli.options import MODEL_NAMES

    assert list(MODEL_NAMES) == list(MODELS)


NOT_ON_THE_HOT_PATH = ("scipy.stats", "scipy.optimize", "scipy.special", "sqlalchemy",
                       "alembic", "matplotlib")
CACHED_AWAY = ("yaml", "ruamel", "accord.scenario.fastyaml", "accord.scenario.checks",
               "importlib.metadata", "pydantic", "pydantic_core", "concurrent.futures")


def _loaded(mods: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in mods if m in names or m.startswith(tuple(f"{n}." for n in names)))


def test_forecast_and_run_import_neither_scipy_stats_nor_sqlalchemy(tmp_path, monkeypatch):
    """`accord forecast` and `accord run` (with its report, without --figures), into a store
    already at the newest revision, save their runs without SQLAlchemy and draw parameters
    without scipy.stats (accord.store.quick, accord.scenario.quantiles): start-up time."""
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    ask = ("forecast", "--event", "treaty_signed", "--by", "2026-12-31", "--paths", "2000")
    code, mods = _modules(*ask)  # a new store: created and migrated by SQLAlchemy and Alembic
    assert code in (0, None) and "sqlalchemy" in mods
    code, mods = _modules(*ask)
    assert code in (0, None) and "accord.process.montecarlo" in mods  # it ran
    assert not _loaded(mods, NOT_ON_THE_HOT_PATH), _loaded(mods, NOT_ON_THE_HOT_PATH)[:10]
    # the scenario validated by the first run comes from the cache (accord.scenario.cache),
    # the installed versions too (accord.store.rows): neither YAML, nor the checks, nor
    # pydantic (the records are dataclasses it validates), nor importlib.metadata; one
    # worker: no process pool
    assert not _loaded(mods, CACHED_AWAY), _loaded(mods, CACHED_AWAY)[:10]
    code, mods = _modules("run", "--paths", "2000", "--out", str(tmp_path / "report"))
    assert code in (0, None) and (tmp_path / "report" / "index.html").exists()
    assert "accord.bargaining.nash" in mods  # the issues were solved
    assert not _loaded(mods, NOT_ON_THE_HOT_PATH), _loaded(mods, NOT_ON_THE_HOT_PATH)[:10]
    from accord.store.runs import RunStore

    assert [r["kind"] for r in RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}").list()] == \
        ["run", "forecast", "forecast"]  # all three stored
