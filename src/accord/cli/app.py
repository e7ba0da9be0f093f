"""The typer application every command module registers on.

Start-up: typer (0.2x) converts every command-line value through a pydantic ``TypeAdapter``,
and importing pydantic costs a light command such as ``accord smp`` about a third of its run.
``_quick_coercion`` lets the plain cases through without it: a ``str``; an ``int`` or ``float``
written as a plain decimal within the option's range; a ``Path`` option without existence,
permission or resolution flags; a list of ``str``; a choice (an ``Enum``) written as one of its
values. Anything else (a malformed number, an
out-of-range value, a flag typer checks) goes to typer's own conversion, so values and error
messages are typer's exactly (``tests/test_cli_startup.py`` compares both on every option).
Another typer without these internals keeps its own conversion unchanged.
"""

from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer

from accord.cli.lighthelp import install as light_help

light_help()
app = typer.Typer(
    name="accord",
    help="Model multi-party negotiations and forecast them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

SLOW = object()  # "let typer convert this one"
_PARAGRAPH = re.compile(r"\n\s*\n")


def _summary(*docs: object) -> str | None:
    """The first help text given (typer's unset values are placeholders, not text): its first
    paragraph on one line."""
    doc = next((d for d in docs if isinstance(d, str) and d.strip()), None)
    return " ".join(_PARAGRAPH.split(doc.strip())[0].split()) if doc else None


def one_line_summaries(typer_app: typer.Typer) -> None:
    """Each command's and group's line in a command list: the first paragraph of its help on
    one line. Typer's "rich" markup keeps a docstring's line breaks there, which broke the
    list's description column mid-sentence."""
    for info in typer_app.registered_commands:
        if not isinstance(info.short_help, str):
            info.short_help = _summary(info.help, getattr(info.callback, "__doc__", None))
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        if not isinstance(group.short_help, str):
            group.short_help = _summary(group.help, sub.info.help if sub else None)
        if sub is not None:
            one_line_summaries(sub)
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def quick_value(descriptor: Any, value: Any, multi: bool) -> Any:
    """The value typer's conversion would give for a plain case, else ``SLOW``."""
    ann, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return SLOW
    if value is None:
        return () if multi else None
    if ann is str:
        return value if type(value) is str and not multi else SLOW
    if ann is int or ann is float:
        if multi:
            return SLOW
        if type(value) is str and (_INT if ann is int else _FLOAT).fullmatch(value):
            v = ann(value)
        elif type(value) is ann:
            v = value
        else:
            return SLOW
        lo, hi = info.min, info.max
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return SLOW  # typer's message, or its clamping
        return v
    if ann is Path:
        plain = not (info.exists or info.resolve_path or info.allow_dash or info.writable
                     or info.path_type is not None) and info.file_okay and info.dir_okay
        if multi or not plain or type(value) is not str or not value or "\0" in value:
            return SLOW
        if info.readable and os.path.exists(value) and not os.access(value, os.R_OK):
            return SLOW  # typer says it is not readable
        return Path(value)
    if isinstance(ann, type) and issubclass(ann, Enum):  # a choice: one of its values, exactly
        if isinstance(value, ann) and not multi:
            return value
        hit = [m for m in ann if type(value) is str and m.value == value]
        return hit[0] if hit and not multi else SLOW
    if get_origin(ann) is list and get_args(ann) == (str,):
        if multi and isinstance(value, (list, tuple)) and all(type(x) is str for x in value):
            return list(value)
    return SLOW


class _QuickParam:
    """A parameter's conversion: plain cases here, the rest by typer's runtime parameter."""

    __slots__ = ("descriptor", "slow")

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.slow: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        out = quick_value(self.descriptor, value, bool(param.multiple or param.nargs == -1))
        if out is not SLOW:
            return out
        if self.slow is None:
            from typer._coercion import build_runtime_param

            self.slow = build_runtime_param(self.descriptor)
        return self.slow.coerce(value, param=param, ctx=ctx)


def _quick_coercion() -> bool:
    """Route typer's parameter conversion through ``_QuickParam``; False if this typer differs."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return False
    if not hasattr(_TyperParameter, "get_runtime_param"):
        return False

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            self._runtime_param = _QuickParam(self.type_descriptor)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    return True


QUICK_COERCION = _quick_coercion()
