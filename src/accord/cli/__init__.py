"""Command line: `accord ...`. A user's mistake exits 2 with one paragraph; a bug exits 1."""

from __future__ import annotations

import importlib
import os
import sys

from accord.cli.app import app
from accord.errors import UserError

COMMAND_MODULES = (
    "scenario_cmds", "run_cmds", "store_cmds", "ledger_cmds", "explain_cmds", "bargaining_cmds",
    "analysis_cmds", "web_cmds",
)


def _register() -> None:
    for name in COMMAND_MODULES:
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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Usage mistakes (click's) and UserErrors exit 2; bugs exit 1, briefly."""
    _register()
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
