"""CLI start-up shortcuts change nothing: the quick conversion of command-line values gives
what typer's own conversion gives, and `accord CMD` finds CMD in the one module it imports.

`accord.cli.app` lets plain values (a str, a plain decimal int or float in range, a plain Path,
a list of str) through without typer's pydantic-based conversion, which costs start-up time;
everything else goes to typer. Here every option of every command is fed a battery of values:
wherever the quick path answers, typer's answer is the same value of the same type, and
wherever typer rejects a value the quick path hands it over (so the error is typer's).
"""

from __future__ import annotations

import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._coercion import build_runtime_param

from accord.cli import COMMAND_MODULES, COMMAND_OF, _register, app

from .test_import_hygiene import _modules

APP = sys.modules["accord.cli.app"]

RAW: dict[str, list[Any]] = {
    "str": ["abc", "", " x ", "5", "-", "é"],
    "int": ["5", "0", "-3", "-0", "007", "+5", "1_000", " 5", "5.0", "1e3", "abc", "", "1",
            "2", "64", "65", "100", "101", "65535", "65536", "99999999999999999999", 1, 0,
            20000, 5.0, True],
    "float": ["0.5", "-0.25", "1", "0", "1e-3", ".5", "5.", "nan", "inf", "abc", "", 0.01, 1],
    "Path": ["x.csv", "", "-", "a b/c.txt", "~/x"],
    "list[str]": [("a", "b"), ("a",), (), ["x"], "a"],
    "choice": ["tornado", "sobol", "TORNADO", "bogus", "", "yes", "YES", "Annulled", "all",
               "nash", "exchange_random", " all"],
}


def _params() -> list[tuple[str, Any]]:
    _register()
    group = typer.main.get_command(app)
    out = []

    def walk(prefix: str, cmd: Any) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(f"{prefix} {name}", sub)
        for p in getattr(cmd, "params", []):
            out.append((f"{prefix} {p.name}", p))

    walk("accord", group)
    return out


PARAMS = _params()


def _kind(ann: Any) -> str:
    if isinstance(ann, type) and issubclass(ann, Enum):
        return "choice"
    return getattr(ann, "__name__", None) if isinstance(ann, type) else str(ann)


def test_the_quick_path_is_installed() -> None:
    assert APP.QUICK_COERCION  # this typer has the internals the quick path relies on
    kinds = {_kind(p.type_descriptor.annotation) for _, p in PARAMS}
    assert kinds <= {"str", "int", "float", "Path", "list[str]", "bool", "choice"}, kinds


@pytest.mark.parametrize(("where", "param"), PARAMS, ids=[w for w, _ in PARAMS])
def test_quick_values_are_typers(where: str, param: Any, tmp_path: Path) -> None:
    desc = param.type_descriptor
    kind = _kind(desc.annotation)
    if kind == "bool":
        return  # typer itself skips converting a flag's bool
    raws = list(RAW[kind]) + ([str(tmp_path), str(tmp_path / "missing.csv")]
                              if kind == "Path" else []) + [None]
    f = tmp_path / "f.csv"
    f.write_text("x\n")
    if kind == "Path":
        raws.append(str(f))
    multi = bool(param.multiple or param.nargs == -1)
    slow = build_runtime_param(desc)
    for raw in raws:
        quick = APP.quick_value(desc, raw, multi)
        try:
            expected = slow.coerce(raw, param=param, ctx=None)
        except Exception:  # typer rejects it: the quick path must leave it to typer
            assert quick is APP.SLOW, (where, raw, quick)
            continue
        if quick is APP.SLOW:
            continue
        assert type(quick) is type(expected) and quick == expected, (where, raw, quick, expected)


def test_each_command_is_in_the_module_command_of_names() -> None:
    _register()
    found = {c.name or c.callback.__name__: c.callback.__module__ for c in app.registered_commands}
    for g in app.registered_groups:
        found[g.name] = g.typer_instance.registered_commands[0].callback.__module__
    assert {k: f"accord.cli.{v}" for k, v in COMMAND_OF.items()} == found
    assert set(COMMAND_OF.values()) <= set(COMMAND_MODULES)


def test_the_command_lists_give_each_command_one_paragraph_on_one_line() -> None:
    """A docstring's first paragraph, its line breaks gone (typer's rich markup keeps them, and
    they broke the list's description column mid-sentence)."""
    _register()
    groups = app.registered_groups
    docs = [(c, c.callback.__doc__) for c in app.registered_commands] + \
        [(g, g.typer_instance.info.help) for g in groups] + \
        [(c, c.callback.__doc__) for g in groups for c in g.typer_instance.registered_commands]
    for info, doc in docs:
        first = doc.strip().split("\n\n")[0]
        assert info.short_help == " ".join(first.split()), info.name
    listing = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()",
                              "--help"], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "COLUMNS": "200"}).stdout
    forecast = next(line for line in listing.splitlines() if "│ forecast" in line)
    assert "Only the months up to that date are simulated" in forecast  # not cut after "the"


@pytest.mark.parametrize("command", ["smp", "validate", "run", "history", "ledger"])
def test_a_command_alone_behaves_as_among_all(command: str) -> None:
    """`accord CMD --help` (CMD's module only, or all when it holds CMD alone) prints what it
    prints with every command registered."""
    alone = "from accord.cli import main; main()"
    among = "import sys; from accord.cli import _register, main; _register(); main()"
    outs = [subprocess.run([sys.executable, "-c", code, command, "--help"], capture_output=True,
                           text=True, timeout=120, env={**os.environ, "COLUMNS": "100"})
            for code in (alone, among)]
    assert outs[0].returncode == outs[1].returncode == 0
    assert outs[0].stdout == outs[1].stdout and f"accord {command}" in outs[0].stdout


def test_a_bad_value_gets_typers_message(tmp_path: Path) -> None:
    f = tmp_path / "k.csv"
    f.write_text("x\n")
    exe = [sys.executable, "-c", "from accord.cli import main; main()"]
    for args, msg in ((["--rounds", "0"], "greater than or equal to 1"),
                      (["--rounds", "two"], "valid integer")):
        r = subprocess.run([*exe, "exchange", str(f), *args], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 2
        assert msg in " ".join(r.stderr.split())


KTAB = """Toy,5 actors x 2 dimensions,5,2,
Actor,Description,Influence,Dim0,Dim0 Salience,Dim1,Dim1 Salience,
A0,a,10,20,50,80,40,
A1,b,20,60,40,30,30,
A2,c,15,90,30,50,50,
A3,d,5,10,60,10,20,
A4,e,30,50,40,70,50,
"""


def test_smp_imports_neither_pydantic_nor_numpy_ma(tmp_path: Path) -> None:
    src = tmp_path / "toy.csv"
    src.write_text(KTAB)
    code, mods = _modules("smp", str(src))
    assert code in (0, None)
    assert "accord.bargaining.smp" in mods  # it ran
    assert "pydantic" not in mods
    assert "numpy.ma" not in mods


def _help(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", **env_extra}
    return subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, check=False)


HELP_WITH_REAL_RICH = """
import sys
import rich.markdown, rich.traceback  # real modules first: lighthelp leaves them be
from accord.cli import main
main()
"""


@pytest.mark.parametrize("args", [("--help",), ("run", "--help"), ("run", "--bogus")])
def test_help_and_usage_errors_read_the_same_without_rich_markdown(args: tuple[str, ...]) -> None:
    """The placeholders change no byte of help or of a usage error, and spare the imports."""
    env = {"COLUMNS": "100"}
    quick = _help(env, *args)
    real = subprocess.run([sys.executable, "-c", HELP_WITH_REAL_RICH, *args],
                          capture_output=True, text=True, env={**os.environ, **env}, check=False)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        real.returncode, real.stdout, real.stderr)
    assert quick.stdout or quick.stderr
    code, mods = _modules(*args)
    assert "markdown_it" not in mods and "rich.pretty" not in mods


def test_the_placeholders_give_rich_s_own_objects_when_used() -> None:
    code = """
from accord.cli import lighthelp
lighthelp.install()
import typer.rich_utils as ru
m = ru.Markdown("# title")
import rich.markdown
assert type(m) is rich.markdown.Markdown, type(m)
assert not getattr(sys.modules["rich.markdown"], "__accord_placeholder__", False)
try:
    1 / 0
except ZeroDivisionError as exc:
    tb = ru.Traceback.from_exception(type(exc), exc, exc.__traceback__)
import rich.traceback
assert type(tb) is rich.traceback.Traceback
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True,
                         text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr


def test_collection_is_off_while_a_command_imports_and_on_again_soon_after() -> None:
    import gc
    import time

    from accord import cli

    try:
        cli._collect_later(0.05)
        assert not gc.isenabled()
        child = os.fork()  # a worker forked before the timer fired collects from the start
        if child == 0:
            os._exit(0 if gc.isenabled() else 1)
        assert os.waitpid(child, 0)[1] == 0
        waited = 0.0
        while not gc.isenabled() and waited < 10:
            time.sleep(0.01)
            waited += 0.01
        assert gc.isenabled()
    finally:
        gc.enable()
