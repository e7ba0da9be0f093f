"""Pieces every command shares: consoles, progress bars, JSON output, warnings.

Nothing heavy is imported here: the consoles `out` and `err` are created (and rich imported) on
first use, so `accord --help` and other light commands pay only for what they touch.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    out: Console
    err: Console

_consoles: dict[str, Any] = {}


class _Closable(Protocol):
    def close(self) -> None: ...


S = TypeVar("S", bound=_Closable)


def closed_at_exit(store: S) -> S:
    """The run store, closed when the command ends. accord.cli.main skips the interpreter's
    last garbage collection, which is what would close its connections; a SQLite store left
    open keeps its write-ahead log for the next command to read back, growing run by run."""
    import atexit

    atexit.register(store.close)
    return store


def __getattr__(name: str) -> Any:
    """`out` (stdout) and `err` (stderr): rich consoles, made on first use."""
    if name in ("out", "err"):
        if name not in _consoles:
            from rich.console import Console

            # soft_wrap off: rich wraps every line at word boundaries to the terminal's width
            # (the terminal would cut words); a path to copy is printed with soft_wrap=True.
            # emoji off: a name like `:x:` is printed as written; highlight off: accord styles
            # what it prints itself (rich's guesses at numbers and names compile a dozen regexes)
            _consoles[name] = Console(stderr=name == "err", soft_wrap=False, emoji=False,
                                      highlight=False)
        return _consoles[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def print_json(doc: Any) -> None:
    """`--json`: one JSON document on stdout and nothing else there."""
    from accord.jsonable import finite

    sys.stdout.write(json.dumps(finite(doc), indent=2, default=str) + "\n")


@contextmanager
def progress_bar(description: str, total: float, enabled: bool = True) -> Iterator[Any]:
    """A rich progress bar on stderr; yields a callback(done, total). Where stderr is no
    terminal, a transient bar shows nothing: rich.progress is then not even imported."""
    console = __getattr__("err")
    if not enabled or not (console.is_terminal or console.is_jupyter):
        yield lambda done, total=None: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as prog:
        task = prog.add_task(description, total=total)

        def update(done: float, new_total: float | None = None) -> None:
            prog.update(task, completed=done, total=new_total or total)

        yield update


def _show_data_warning(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
    io = sys.modules.get("accord.bargaining.io")  # not loaded: no DataWarning can exist yet
    if io is not None and issubclass(category, io.DataWarning):
        __getattr__("err").print(f"[yellow]warning:[/] {message}", highlight=False)
    else:
        _default_showwarning(message, category, *args, **kwargs)


_default_showwarning = warnings.showwarning
warnings.showwarning = _show_data_warning  # data warnings read like our other warnings


def worker_count(workers: int) -> int:
    """`--workers` as the engines take it: 0 is one per core."""
    from accord.errors import UserError

    if workers < 0:
        raise UserError.at("must be 0 (one per core) or more", field="--workers")
    if workers:
        return workers
    from accord.analysis.executors import default_workers  # a process pool's module

    return default_workers()


_said: set[str] = set()  # quiet lines already printed by this process (compare loads twice)


def warn(problems: list[Any]) -> None:
    """A scenario's warnings on stderr. Source texts not found are one quiet line saying how to
    check the quotes: nothing a user running a forecast must act on (`validate` lists them)."""
    from rich.markup import escape

    from accord.scenario.evidence import UNVERIFIED

    loud = [p for p in problems if UNVERIFIED not in str(p)]
    for p in loud:
        __getattr__("err").print(f"[yellow]warning:[/] {escape(str(p))}", highlight=False)
    if len(loud) < len(problems):
        files = [p.file for p in problems if UNVERIFIED in str(p) and p.file]
        name = (files[0] or "").removeprefix("builtin:") if files else "SCENARIO"
        line = (f"quotes not checked against their source texts "
                f"(accord validate {name} --sources DIR checks them)")
        if line not in _said:
            _said.add(line)
            __getattr__("err").print(line, style="dim", highlight=False, markup=False)
