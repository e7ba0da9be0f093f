"""The console output at 80 and 200 columns: nothing a user must read or copy is cut."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from accord.analysis.run import RunSettings, run_scenario
from accord.report.console import render
from accord.scenario.loader import DEFAULT_SCENARIO, load_scenario


@pytest.fixture(scope="module")
def result():
    s = load_scenario(DEFAULT_SCENARIO).scenario
    return run_scenario(s, RunSettings(paths=2000, draws=40, seed=7))


def printed(result, width: int) -> str:
    c = Console(width=width, file=io.StringIO(), color_system=None, soft_wrap=True)
    render(result, c)
    return c.file.getvalue()


@pytest.mark.parametrize("width", [80, 200])
def test_nothing_is_cut(result, width: int) -> None:
    text = printed(result, width)
    assert "…" not in text  # rich marks a cut cell with an ellipsis
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    for eid in result.forecast.events:
        assert eid in words, eid
    for q in result.forecast.questions:
        assert q.id in words and q.by in text
    for iss in result.issues:
        assert iss.id in words
        for m in iss.models:
            assert m in words
    assert f"seed {result.forecast.seed}" in text
    assert f"× {result.forecast.paths_per_draw}" in text


@pytest.mark.parametrize("width", [80, 200])
def test_lines_fit_and_units_are_named(result, width: int) -> None:
    text = printed(result, width)
    table_lines = [ln for ln in text.splitlines() if ln[:1] in "┏┃┡│└"]
    assert table_lines and all(len(ln) <= width for ln in table_lines)
    assert "percentage points" in text and " pt" in text
    assert not re.search(r"\[\d+–\d+\]", text)  # bands carry their unit: 7–29%, not [7–29]
    for iss in result.scenario.issues:  # what the ends of each scale mean
        if iss.scale.min_means:
            assert iss.scale.min_means.split()[0] in text


def test_small_scale_keeps_a_decimal() -> None:
    from accord.report.console import scale_digits

    assert scale_digits(0, 15) == 1 and scale_digits(0, 100) == 0


def cli(args: list[str], home, width: int = 80) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": str(width), "ACCORD_HOME": str(home)}
    r = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_commands_at_80_columns(tmp_path) -> None:
    text = cli(["forecast", "--event", "treaty_signed", "--by", "2026-12-31", "--paths", "2000"],
               tmp_path)
    assert "nan" not in text and " pt" in text
    listing = cli(["scenarios"], tmp_path)
    assert DEFAULT_SCENARIO in listing.split() and "…" not in listing
    history = cli(["history"], tmp_path)
    assert "…" not in history and DEFAULT_SCENARIO in history.split()
    assert all(len(line) <= 80 for line in history.splitlines() if line[:1] in "┏┃│└")


def test_model_and_score_tables_at_80_columns(tmp_path) -> None:
    """evaluate, smp and backtest name every model and actor in full at 80 columns (wide tables
    fold into one block per row), and fit in one table at 200."""
    from .shared_paths import SHARED

    deu = SHARED / "data" / "deu"
    args = ["evaluate", str(deu / "dev-positions.csv"), "--issues", str(deu / "dev-issues.csv"),
            "--model", "all"]
    narrow, wide = cli(args, tmp_path), cli(args, tmp_path, width=200)
    for text in (narrow, wide):
        assert "…" not in text
        assert "baseline:capability_salience_mean" in text and "nearest_option" in text
    assert all(len(line) <= 80 for line in narrow.splitlines())
    assert "model: nearest_option" in narrow and "│ nearest_option" in wide
    smp = cli(["smp", str(SHARED / "data" / "ktab" / "SOE-Pol-Comp.csv")], tmp_path)
    assert "…" not in smp and all(len(line) <= 80 for line in smp.splitlines())


def test_model_notes_name_their_model_once(result) -> None:
    text = printed(result, 200)
    notes = [line for line in text.splitlines() if line.startswith("* ")]
    assert notes, "the built-in scenario's models leave notes (fallbacks, exchanges)"
    for line in notes:
        issue_model, _, note = line[2:].partition(": ")
        model = issue_model.split(" · ")[1]
        assert not note.startswith(f"{model}:"), line
