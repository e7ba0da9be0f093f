"""The console output at 80 and 200 columns: nothing a user must read or copy is cut."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from accord.analysis.run import RunSettings, run_scenario
from accord.report.console import render
from accord.scenario.loader import DEFAULT_SCENARIO, load_scenario


@pytest.fixture(scope="module")
def result():
    s = load_scenario(DEFAULT_SCENARIO).scenario
    return run_scenario(s, RunSettings(paths=2000, draws=40, seed=7))


def printed(result, width: int, **options: bool) -> str:
    c = Console(width=width, file=io.StringIO(), color_system=None, soft_wrap=True)
    render(result, c, **options)
    return c.file.getvalue()


@pytest.mark.parametrize("width", [80, 200])
def test_nothing_is_cut(result, width: int) -> None:
    text = printed(result, width, models=True)
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
    text = printed(result, 200, models=True)
    notes = [line for line in text.splitlines() if line.startswith("* ")]
    assert notes, "the built-in scenario's models leave notes (fallbacks, exchanges)"
    for line in notes:
        issue_model, _, note = line[2:].partition(": ")
        model = issue_model.split(" · ")[1]
        assert not note.startswith(f"{model}:"), line


# --- answer first and last, every line within the width (issue 19) ----------------------------
def test_the_forecast_is_one_model_and_the_rest_wait_for_models(result) -> None:
    from accord.bargaining.registry import FORECAST_MODEL

    text = printed(result, 120)
    others = [m for m in result.issues[0].models if m != FORECAST_MODEL]
    assert f"by {FORECAST_MODEL}" in text and "--models" in text
    assert not any(re.search(rf"\b{m}\b", text) for m in others), text
    every = printed(result, 120, models=True)
    assert all(re.search(rf"\b{m}\b", every) for m in others)
    for iss in result.issues:  # each issue's forecast is the headline model's outcome
        shown = f"{iss.models[FORECAST_MODEL].outcome:.1f}"
        row = next(ln for ln in text.splitlines() if f" {iss.id} · " in ln)
        assert shown in row, row


def test_criteria_only_on_request(result) -> None:
    criteria = [q.criteria for q in result.scenario.questions if q.criteria]
    assert criteria
    assert "resolves:" not in printed(result, 120)
    flat = " ".join(printed(result, 200, criteria=True).split())
    assert "resolves:" in flat and " ".join(criteria[0].split()[:4]) in flat


def _short_home() -> str:
    """A short ACCORD_HOME: the run store's URL is printed whole (to copy), so a long pytest
    folder would make that one line wider than the terminal."""
    import tempfile

    return tempfile.mkdtemp(prefix="acw")


@functools.cache
def _both(args: tuple[str, ...], width: int) -> tuple[str, str]:
    """stdout and stderr of `accord ARGS` in a terminal WIDTH columns wide (once per process)."""
    import os
    import subprocess
    import sys

    home = _short_home()
    env = {**os.environ, "COLUMNS": str(width), "ACCORD_HOME": home}
    r = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                       capture_output=True, text=True, env=env, timeout=300, cwd=home)
    assert r.returncode == 0, r.stderr
    return r.stdout, r.stderr


COMMANDS = {
    "run": ["run", "--paths", "2000", "--no-report"],
    "explain": ["explain", "--paths", "2000", "--tornado-paths", "0", "--question",
                "treaty_2026"],
    "compare": ["compare", DEFAULT_SCENARIO, f"{DEFAULT_SCENARIO}+baku-commits-after-referendum",
                "--paths", "2000"],
    "sensitivity": ["sensitivity", "--method", "tornado", "--paths", "400", "--question",
                    "treaty_2026", "--out", "s"],
    "watch": ["watch", "--paths", "2000", "--top", "8"],
}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_line_is_wider_than_the_terminal(command: str, width: int) -> None:
    out, err = _both(tuple(COMMANDS[command]), width)
    assert out.strip()
    for line in (out + err).splitlines():
        assert len(line) <= width, line
    assert "…" not in out  # nothing cut either
    if command in ("run", "compare"):  # the built-in's missing article: one quiet line
        assert "warning" not in err and err.count("--sources DIR") == 1, err


def test_a_run_ends_with_the_answers(cli) -> None:
    import json

    text, _ = _both(tuple(COMMANDS["run"]), 80)
    doc = json.loads(cli(*COMMANDS["run"], "--json").out)
    qs = doc["forecast"]["questions"]
    lines = text.rstrip("\n").splitlines()
    tail = lines[-len(qs):]
    assert lines[-len(qs) - 1].startswith("Answers")
    for q, line in zip(qs, tail, strict=True):
        cells = line.split()
        assert cells[0] == q["id"] and cells[1] == f"{100 * q['probability']:.1f}%"
        history = q.get("outside_view")  # the outside view's column, where it has one
        assert cells[cells.index("by") + 1] == q["by"]
        assert cells[-1] == (f"{100 * history['probability']:.1f}%" if history else q["by"])


def test_a_name_written_like_an_emoji_code_is_printed_as_written(cli, tmp_path: Path) -> None:
    """Rich would turn `:smile:` into 😄; an actor's name is shown as the user wrote it."""
    csv = tmp_path / "k.csv"
    csv.write_text("Test,two actors,2,1,\nActor,Description,Influence,Dim0,Dim0 Salience,\n"
                   ":smile:,a,100,10,80,\nB,b,50,90,60,\n", encoding="utf-8")
    res = cli("smp", str(csv))
    assert res.code == 0, res.err
    assert ":smile:" in res.out and "😄" not in res.out


def test_validate_lists_unsourced_numbers_within_80_columns(tmp_path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "harbour-talks.yaml"
    f = tmp_path / "h.yaml"
    f.write_text(example.read_text().replace("> threshold(strike_gap)", "> 5"))
    text = cli(["validate", str(f)], tmp_path)
    assert "numbers in conditions without provenance (1)" in text
    assert "write threshold(NAME)" in text.replace("\n", " ")
    assert max(len(line) for line in text.splitlines()) <= 80
