"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="accord",
    help="Model multi-party negotiations and forecast them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
