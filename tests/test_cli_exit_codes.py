"""Exit codes at the edges: a closed pipe, an unopenable store. Each is a documented code and
at most one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from accord.cli import main; main()"]


def test_a_reader_that_stops_early_is_not_a_bug() -> None:
    proc = subprocess.Popen([*CLI, "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before accord has written anything: every write meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0, err
    assert "Traceback" not in err and "internal error" not in err


def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 500)
    r = subprocess.run([*CLI, "history", "--db", f"sqlite:///{junk}"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--db" in lines[0] and "cannot open the run store" in lines[0]
    assert junk.read_bytes() == b"not a database" * 500


def test_exact_solver_limits_are_user_errors_and_its_bugs_are_bugs(cli, monkeypatch) -> None:
    from accord.process import exact

    real = exact.exact_forecast

    def small(*args, **kwargs):
        return real(*args, **kwargs, max_states=5)

    def broken(*args, **kwargs):
        raise ValueError("an internal inconsistency")

    monkeypatch.setattr(exact, "exact_forecast", small)
    r = cli("run", "--exact", "--no-report")
    assert r.code == 2 and "Monte Carlo" in r.err and "--exact" in r.err
    monkeypatch.setattr(exact, "exact_forecast", broken)
    r = cli("run", "--exact", "--no-report")
    assert r.code == 1 and "internal error" in r.err and "Monte Carlo" not in r.err


HUGE = "99999999999999999999"  # past a 64-bit integer: SQLite cannot even bind it


@pytest.mark.parametrize("args, code, says", [
    (["history", "--limit", HUGE], 0, ""),  # "all of them"
    (["backtest", HUGE], 2, "no run with id"),
    (["compare", HUGE, "1"], 2, "no run with id"),
    (["compare", "0", "1"], 2, "no run with id"),
    (["explain", "--tornado-paths", HUGE], 2, "--tornado-paths: must be between"),  # not hours
])
def test_numbers_past_a_database_integer_or_any_budget(args, code, says, cli,
                                                        tmp_path: Path) -> None:
    r = cli(*args, *([] if args[0] == "explain" else ["--db", f"sqlite:///{tmp_path / 'r.db'}"]))
    assert r.code == code, r.err
    assert "internal error" not in r.err and "Traceback" not in r.err
    assert says in r.err


@pytest.mark.parametrize("command", [["run", "--exact", "--no-report"], ["explain", "--exact"],
                                     ["watch", "--exact"]])
def test_every_exact_command_says_its_limits_and_suggests_monte_carlo(cli, monkeypatch,
                                                                      command) -> None:
    """`explain --exact` solved without the engine's guard: its limit was an internal error."""
    from accord.process import exact

    real = exact.solve

    def small(*args, **kwargs):
        return real(*args, **{**kwargs, "max_states": 5})

    monkeypatch.setattr(exact, "solve", small)
    monkeypatch.setattr(exact, "exact_forecast",
                        lambda *a, **kw: (_ for _ in ()).throw(exact.StateSpaceTooLarge("big")))
    r = cli(*command)
    assert r.code == 2 and "Monte Carlo" in r.err and "internal error" not in r.err, r.err


def test_a_scenario_given_to_predict_is_pointed_to_run(cli, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("meta:\n  id: s\n")
    r = cli("predict", str(scenario))
    assert r.code == 2 and "accord run SCENARIO" in r.err and "s.yaml:1" in r.err
