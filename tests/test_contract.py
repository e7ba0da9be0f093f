"""One analysis contract: every entry point takes (scenario, settings: RunSettings, [its own
settings,] *, observed=None, execution=Execution()), and the CLI builds both values in one place."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.backtest import backtest
from accord.analysis.compare import compare_scenarios
from accord.analysis.explain import explain_questions
from accord.analysis.recipe import Execution
from accord.analysis.run import run_scenario
from accord.analysis.sensitivity import sensitivity, tornado
from accord.analysis.sweep import run_sweep
from accord.analysis.watch import watch

ENTRY_POINTS = [run_scenario, sensitivity, tornado, run_sweep, compare_scenarios,
                explain_questions, watch, backtest]
LOOSE = {"paths", "seed", "draws", "exact", "precision", "workers", "cluster", "progress"}
CLI = Path(__file__).resolve().parents[1] / "src" / "accord" / "cli"


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_every_entry_point_takes_the_contract(entry: Callable[..., Any]) -> None:
    params = inspect.signature(entry).parameters
    names = list(params)
    assert names[:2] == ["scenario", "settings"]
    assert params["settings"].annotation == "RunSettings"
    for name, default in (("observed", None), ("execution", Execution())):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default == default
    assert not LOOSE & set(names), f"{entry.__name__} takes the recipe loose"
    positional = [p for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert len(positional) <= 3  # scenario, settings and one value of its own settings


def test_the_cli_builds_settings_and_execution_in_one_place() -> None:
    building = re.compile(r"\b(RunSettings|Execution)\(|worker_count\(")
    found = {f.name for f in CLI.glob("*.py") if building.search(f.read_text(encoding="utf-8"))}
    assert found <= {"settings.py", "common.py"}, found
