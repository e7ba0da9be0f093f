"""accord: model multi-party political negotiations and forecast them.

The Python API (`accord.api`, results in `accord.results`)::

    import accord
    scenario = accord.load("south-caucasus-2025")
    result = accord.run(scenario, paths=20_000, seed=1)
    result.questions  # a pandas DataFrame

`import accord` stays cheap (the command line imports this package first): the API's names are
imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# the public contract: tests/test_api.py checks this list name by name
__all__ = [
    "CompareResult",
    "ExplainResult",
    "Result",
    "ScenarioError",
    "SensitivityResult",
    "StoredRun",
    "UserError",
    "WatchResult",
    "compare",
    "explain",
    "load",
    "run",
    "sensitivity",
    "stored_run",
    "watch",
]

_HOMES = {
    "compare": "accord.api", "explain": "accord.api", "load": "accord.api", "run": "accord.api",
    "sensitivity": "accord.api", "stored_run": "accord.api", "watch": "accord.api",
    "CompareResult": "accord.results", "ExplainResult": "accord.results",
    "Result": "accord.results", "SensitivityResult": "accord.results",
    "StoredRun": "accord.results",
    "WatchResult": "accord.results",
    "ScenarioError": "accord.errors", "UserError": "accord.errors",
}

if TYPE_CHECKING:
    from accord.api import compare, explain, load, run, sensitivity, stored_run, watch
    from accord.errors import ScenarioError, UserError
    from accord.results import (
        CompareResult,
        ExplainResult,
        Result,
        SensitivityResult,
        StoredRun,
        WatchResult,
    )


def __getattr__(name: str) -> Any:
    """The API's names, imported when first used (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
