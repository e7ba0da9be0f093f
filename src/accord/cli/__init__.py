"""Command line: `accord ...`. A user's mistake exits 2 with one paragraph; a bug exits 1."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import threading

from accord.cli.app import app, one_line_summaries
from accord.errors import UserError

COMMAND_MODULES = (
    "scenario_cmds", "run_cmds", "store_cmds", "ledger_cmds", "explain_cmds", "bargaining_cmds",
    "analysis_cmds", "watch_cmds", "web_cmds", "draft_cmds", "baserate_cmds",
)

# The module each command lives in, so that `accord CMD ...` imports (and typer builds) CMD's
# module alone: start-up time. `--help`, no command, or a command missing here: every module.
# tests/test_cli_startup.py checks this against the commands the modules register.
COMMAND_OF: dict[str, str] = {
    "validate": "scenario_cmds", "scenarios": "scenario_cmds", "schema": "scenario_cmds",
    "new": "scenario_cmds",
    "run": "run_cmds", "forecast": "run_cmds", "history": "store_cmds",
    "explain": "explain_cmds", "predict": "bargaining_cmds", "evaluate": "bargaining_cmds",
    "smp": "bargaining_cmds", "exchange": "bargaining_cmds", "sensitivity": "analysis_cmds",
    "sweep": "analysis_cmds", "compare": "analysis_cmds", "backtest": "analysis_cmds",
    "serve": "web_cmds", "ledger": "ledger_cmds", "watch": "watch_cmds",
    "draft": "draft_cmds", "baserate": "baserate_cmds",
}


def _register(argv: list[str] | None = None) -> None:
    """Import the command modules: the one that has argv's command, else all of them."""
    command = argv[0] if argv else None
    if command in COMMAND_OF:
        _import((COMMAND_OF[command],))
        if len(app.registered_commands) + len(app.registered_groups) > 1:
            one_line_summaries(app)
            return
    # all of them (also when CMD's module has CMD alone: typer would run a lone command as the
    # application itself, without its name)
    _import(COMMAND_MODULES)
    # --help lists them in module order, whatever ran before
    rank = {f"accord.cli.{m}": k for k, m in enumerate(COMMAND_MODULES)}
    app.registered_commands.sort(key=lambda c: rank.get(c.callback.__module__, len(rank)))
    one_line_summaries(app)


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(f"accord.cli.{name}")
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name != f"accord.cli.{name}":
                raise


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _collect_later(after: float = 1.0) -> None:
    """Cyclic garbage collection off while a command imports its libraries, on again `after`
    seconds into it. A short command makes most of its objects importing (pydantic, NumPy,
    the engines), and the collector would scan them again and again: ~15 ms of a forecast's
    imports. A long command (the dashboard, a sweep) collects as usual from then on."""
    gc.disable()
    timer = threading.Timer(after, gc.enable)
    timer.daemon = True  # never keeps the process alive
    timer.start()
    os.register_at_fork(after_in_child=gc.enable)  # a worker forked early has no timer


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Usage mistakes (click's) and UserErrors exit 2; bugs exit 1, briefly."""
    # At exit every object is garbage the process drops with its memory: frozen out of the
    # collector's sight, the interpreter skips its final full collection over all that was
    # imported (a fifth of a short command's time). Atexit callbacks run first, files closed.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    _collect_later()
    _register(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, prog_name="accord")  # standalone: click reports usage errors, exit 2
    except UserError as exc:
        sys.stderr.write(f"error: {exc.as_options()}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `accord ... | head`: the reader has what it wanted
        _quiet_stdout()
        sys.exit(0)
    except SystemExit as exc:
        # click answers a closed pipe by wrapping stdout and exiting 1, the code of a bug
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _quiet_stdout()
            sys.exit(0)
        raise
    except OSError as exc:  # a path the user gave cannot be read or written: their call to fix
        where = exc.filename or ""
        sys.stderr.write(f"error: {where}: {exc.strerror or exc}\n" if where else
                         f"error: {exc}\n")
        sys.exit(2)
    except Exception as exc:  # a bug: say so briefly, exit 1
        if os.environ.get("ACCORD_DEBUG"):
            raise
        sys.stderr.write(
            f"internal error ({type(exc).__name__}: {exc}). This is a bug in accord; "
            "rerun with ACCORD_DEBUG=1 for the traceback.\n"
        )
        sys.exit(1)
