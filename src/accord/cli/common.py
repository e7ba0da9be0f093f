"""Pieces every command shares: consoles, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from accord.bargaining.io import DataWarning

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def print_json(doc: Any) -> None:
    """`--json`: one JSON document on stdout and nothing else there."""
    sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")


@contextmanager
def progress_bar(description: str, total: float, enabled: bool = True) -> Iterator[Any]:
    """A rich progress bar on stderr; yields a callback(done, total)."""
    if not enabled:
        yield lambda done, total=None: None
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as prog:
        task = prog.add_task(description, total=total)

        def update(done: float, new_total: float | None = None) -> None:
            prog.update(task, completed=done, total=new_total or total)

        yield update


def _show_data_warning(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
    if issubclass(category, DataWarning):
        err.print(f"[yellow]warning:[/] {message}", highlight=False)
    else:
        _default_showwarning(message, category, *args, **kwargs)


_default_showwarning = warnings.showwarning
warnings.showwarning = _show_data_warning  # data warnings read like our other warnings


def warn(problems: list[Any]) -> None:
    for p in problems:
        err.print(f"[yellow]warning:[/] {p}", highlight=False, markup=True)
