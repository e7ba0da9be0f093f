"""Typer's help formatter without the two rich modules accord never uses: start-up time.

``typer.rich_utils`` (the ``--help`` and usage-error formatter) imports ``rich.markdown``
(markdown-it, ~45 ms) and ``rich.traceback`` (~20 ms) at its top: the first for markup mode
``"markdown"``, the second for typer's pretty exceptions. accord uses markup mode ``"rich"``
and turns pretty exceptions off, so neither is needed to print help, yet together they are
most of ``accord --help``'s time beyond importing NumPy.

``install()`` puts a placeholder module for each in ``sys.modules`` when the real one has not
been imported. A placeholder's class builds the real object on first use (and the real module
then replaces the placeholder), so whatever does need them still gets rich's own.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

LAZY = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def _real(module: str) -> Any:
    """The real module, imported now in place of its placeholder."""
    if getattr(sys.modules.get(module), "__accord_placeholder__", False):
        del sys.modules[module]
    return importlib.import_module(module)


def _module_attribute(module: str, attr: str) -> Any:
    if attr.startswith("__"):
        raise AttributeError(attr)
    return getattr(_real(module), attr)


def _placeholder(module: str, name: str) -> types.ModuleType:
    def construct(cls: type, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    def attribute(cls: type, attr: str) -> Any:  # e.g. Traceback.from_exception
        if attr.startswith("__"):  # typing's and inspect's probes are not a use
            raise AttributeError(attr)
        return getattr(getattr(_real(module), name), attr)

    meta = type(f"{name}Meta", (type,), {"__getattr__": attribute})
    stand_in = meta(name, (), {"__new__": construct, "__module__": module})
    mod = types.ModuleType(module)
    setattr(mod, name, stand_in)
    mod.__accord_placeholder__ = True  # type: ignore[attr-defined]
    mod.__getattr__ = lambda attr: _module_attribute(module, attr)  # type: ignore[method-assign]
    return mod


def install() -> None:
    """Placeholders for the modules of ``LAZY`` not imported yet (typer's helper not loaded)."""
    if "typer.rich_utils" in sys.modules:
        return
    for module, name in LAZY.items():
        if module not in sys.modules:
            sys.modules[module] = _placeholder(module, name)
