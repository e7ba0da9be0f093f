"""Every option of every command, given a hostile value (hypothesis picks which): the answer
is exit 0 or a user error (exit 2), never an internal error or a traceback, and never hours of
work. The whole cross product (two minutes) found a run id SQLite cannot bind and an unbounded
--tornado-paths; this samples it on every run of the suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .shared_paths import SHARED

DATA = SHARED / "data"
HOSTILE = ["-1", "0", "abc", "", "nan", "1e999", "99999999999999999999", "dir", "nowhere/x.csv",
           "2025-13-45", "all", "\x01"]
SMALL = {  # each command's other arguments, kept small so that a value accepted runs quickly
    "run": ["--paths", "300", "--no-report"],
    "forecast": ["--paths", "300", "--event", "treaty_signed", "--by", "2026-12-31"],
    "explain": ["--paths", "300", "--tornado-paths", "0"],
    "predict": [str(DATA / "eum" / "eu-emissions.csv")],
    "evaluate": [str(DATA / "deu" / "dev-positions.csv"), "--issues",
                 str(DATA / "deu" / "dev-issues.csv"), "--model", "compromise"],
    "smp": [str(DATA / "ktab" / "dummyData_3Dim.csv")],
    "exchange": [str(DATA / "decide" / "cop21.csv")],
    "sensitivity": ["--paths", "100", "--question", "treaty_2026"],
    "sweep": ["--paths", "100", "--variants", "2"],
    "compare": ["1", "2"],  # no runs stored: only its refusals are fuzzed
}
SLOW = {"serve"}  # a server: tested in test_web_*


def _options() -> list[tuple[tuple[str, ...], str | None]]:
    """(command words, option or None for a positional) for every parameter of every command."""
    import typer

    from accord.cli import _register
    from accord.cli.app import app

    _register(None)
    root = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if name in SLOW:
            continue
        subs = cmd.commands.items() if hasattr(cmd, "commands") else [(None, cmd)]
        for sub, c in subs:
            words = (name,) if sub is None else (name, sub)
            for p in c.params:
                if p.name == "help" or getattr(p, "is_flag", False):
                    continue
                opt = next((o for o in p.opts if o.startswith("-")), None)
                out.append((words, opt))
    return out


OPTIONS = _options()


def _argv(words: tuple[str, ...], opt: str | None, value: str) -> list[str]:
    base = list(SMALL.get(words[0], []))
    if opt in base:  # the fuzzed option replaces the small default
        k = base.index(opt)
        del base[k:k + 2]
    if opt is None and words[0] == "compare":  # the fuzzed value takes the first run id
        base = base[1:]
    return [*words, *base, *([opt, value] if opt else [value])]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(option=st.sampled_from(OPTIONS), value=st.sampled_from(HOSTILE))
def test_a_hostile_option_value_is_a_user_error_or_fine(option, value, cli, tmp_path: Path,
                                                         monkeypatch) -> None:
    import signal

    words, opt = option
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    (tmp_path / "dir").mkdir(exist_ok=True)
    argv = _argv(words, opt, value)

    def too_long(*_: object) -> None:
        raise TimeoutError(f"accord {' '.join(argv)!r} ran past 120 s")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(120)
    try:
        r = cli(*argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert r.code in (0, 2), (argv, r.code, r.err[-500:])
    assert "internal error" not in r.err and "Traceback" not in r.err, (argv, r.err[-500:])


@pytest.mark.parametrize("command", sorted(set(SMALL) - {"compare"}))
def test_the_small_arguments_alone_run(command: str, cli, tmp_path: Path, monkeypatch) -> None:
    """Each command's small arguments run as they are (exit 0): a fuzzed value is then the one
    thing that can make it fail, and the fuzz test can find what it is for."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    r = cli(command, *SMALL[command])
    assert r.code == 0, (command, r.err[-500:])


def test_the_sample_covers_every_command() -> None:
    commands = {words[0] for words, _ in OPTIONS}
    assert {"run", "forecast", "explain", "predict", "smp", "ledger", "sweep"} <= commands
    assert len(OPTIONS) > 80

