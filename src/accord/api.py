"""accord's Python API, for notebooks and scripts: load a scenario, forecast it, ask why, what to
watch, what if, and what drives it.

Every function takes the scenario first (a `Scenario` from `load`, a file path or a built-in
id) and its settings as keywords, and runs the same analysis, on the same contract, as the
command of the same name: the same scenario, paths and seed give the CLI's `--json` numbers to
the last bit. Results carry pandas DataFrames (`accord.results`).

Mistakes raise `accord.UserError` (a bad setting, an unknown question) or its subclass
`accord.ScenarioError` (a file that cannot be used: its `file`, `line` and `field`), with the
messages the CLI prints; an argument of the wrong type raises a TypeError naming it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.defaults import DEFAULT_PATHS, DEFAULT_SEED
from accord.errors import ScenarioError, UserError

if TYPE_CHECKING:
    from accord.analysis.recipe import Execution, RunSettings
    from accord.results import (
        CompareResult,
        ExplainResult,
        Result,
        SensitivityResult,
        StoredRun,
        WatchResult,
    )
    from accord.scenario.model import Scenario
    from accord.scenario.observations import Observations, ObservedMonths

    # what `observed=` takes: an observations file's path, or observations already read
    ObservedLike = str | os.PathLike[str] | Observations | None

SENSITIVITY_PATHS = 2000  # paths per variant, as `accord sensitivity`
WITHIN = 6  # months, as `accord watch`


def load(path_or_id: str | os.PathLike[str], *, overlays: Sequence[str] = ()) -> Scenario:
    """A scenario from a YAML file or a built-in id (e.g. "south-caucasus-2025"), with what-if
    overlays applied in order (files, or built-in names such as "russia-refocuses-early").

    Raises ScenarioError with the file, line and field of what is wrong, as `accord validate`
    reports it."""
    return _loaded(path_or_id, overlays, "path_or_id").scenario


def run(scenario: Scenario | str | os.PathLike[str], *, paths: int = DEFAULT_PATHS,
        seed: int = DEFAULT_SEED, draws: int | None = None, observed: ObservedLike = None,
        exact: bool = False, precision: float | None = None, workers: int = 1,
        progress: Callable[[int, int], None] | None = None) -> Result:
    """Forecast a scenario, as `accord run`: M parameter draws × K paths (M × K ≈ paths), or
    exactly at the parameters' central values (`exact`).

    observed: an observations file (path) or `Observations` to condition on; a scenario given
    by path or id is conditioned on its own `observed:` section when this is None.
    workers > 1 splits the paths over a process pool: the same numbers, sooner."""
    from accord.analysis.run import run_scenario
    from accord.results import Result

    s, om = _scenario(scenario, observed)
    settings, execution = _contract(paths=paths, seed=seed, draws=draws, exact=exact,
                                    precision=precision, workers=workers, progress=progress)
    return Result(run_scenario(s, settings, observed=om, execution=execution))


def explain(scenario: Scenario | str | os.PathLike[str], *, question: str | None = None,
            paths: int = DEFAULT_PATHS, seed: int = DEFAULT_SEED, draws: int | None = None,
            observed: ObservedLike = None, exact: bool = False) -> ExplainResult:
    """Why each question (or the one named) is as likely as it is, as `accord explain`: the
    blockers of the "no" paths and the route of the "yes" paths, read from the run's own
    paths (the quick tornado of the CLI is `accord.sensitivity`)."""
    from accord.analysis.explain import explain_questions
    from accord.analysis.variants import chosen_questions
    from accord.results import ExplainResult

    s, om = _scenario(scenario, observed)
    settings, _ = _contract(paths=paths, seed=seed, draws=draws, exact=exact)
    ids = [q.id for q in chosen_questions(s, _optional(question, str, "question"))]
    return ExplainResult(explain_questions(s, settings, ids, observed=om))


def watch(scenario: Scenario | str | os.PathLike[str], *, question: str | None = None,
          within: int = WITHIN, paths: int = DEFAULT_PATHS, seed: int = DEFAULT_SEED,
          draws: int | None = None, observed: ObservedLike = None,
          exact: bool = False) -> WatchResult:
    """What to watch, as `accord watch`: per question, the developments that would move it
    most if seen (or not) within `within` months, ranked by the expected change."""
    from accord.analysis.watch import WatchSettings
    from accord.analysis.watch import watch as find
    from accord.results import WatchResult

    s, om = _scenario(scenario, observed)
    settings, _ = _contract(paths=paths, seed=seed, draws=draws, exact=exact)
    what = WatchSettings(_optional(question, str, "question"), _integer(within, "within"))
    return WatchResult(find(s, settings, what, observed=om), what.within)


def stored_run(run_id: int, *, db: str | None = None) -> StoredRun:
    """A run saved by `accord run` (or `sensitivity`, `sweep` ...), read back from the run store
    (`db`: its URL, as `--db`; default SQLite under $ACCORD_HOME): `.record` is its row,
    `.scenario` its text parsed, `.result` a `Result` (a `SensitivityResult` for a sensitivity
    analysis), the same type `run` returns, so its tables are the run's own numbers.

    Raises UserError naming the store when it holds no such run."""
    from accord.results import StoredRun
    from accord.store.runs import RunStore

    with RunStore(_optional(db, str, "db")) as store:
        return StoredRun.load(store, _integer(run_id, "run_id"))


def compare(scenario: Scenario | str | os.PathLike[str],
            other: Scenario | str | os.PathLike[str], *, paths: int = DEFAULT_PATHS,
            seed: int = DEFAULT_SEED, draws: int | None = None, observed: ObservedLike = None,
            exact: bool = False, workers: int = 1) -> CompareResult:
    """What changes from `scenario` (A) to `other` (B, e.g. `load(id, overlays=[...])`), as
    `accord compare A B`: per question B − A with its paired standard error (both runs on
    the same seed), per issue the moves. `observed` conditions both."""
    from accord.analysis.compare import CompareSettings, compare_scenarios
    from accord.results import CompareResult

    a, om_a = _scenario(scenario, observed)
    b, om_b = _scenario(other, observed, "other")
    settings, execution = _contract(paths=paths, seed=seed, draws=draws, exact=exact,
                                    workers=workers)
    return CompareResult(compare_scenarios(a, settings, CompareSettings(b, om_b), observed=om_a,
                                           execution=execution))


def sensitivity(scenario: Scenario | str | os.PathLike[str], *, method: str = "tornado",
                question: str | None = None, n: int = 64, parameters: Sequence[str] = (),
                paths: int = SENSITIVITY_PATHS, seed: int = DEFAULT_SEED,
                observed: ObservedLike = None, workers: int = 1) -> SensitivityResult:
    """Which uncertain parameters drive the questions, as `accord sensitivity`: tornado (each
    at its low and high), sobol (N base samples) or morris (N trajectories); `parameters`
    keeps those matching these patterns (e.g. "events.*")."""
    from accord.analysis.sensitivity import METHODS, SensitivitySettings
    from accord.analysis.sensitivity import sensitivity as analyse
    from accord.analysis.variants import targets
    from accord.results import SensitivityResult

    s, om = _scenario(scenario, observed)
    settings, execution = _contract(paths=paths, seed=seed, workers=workers)
    if method not in METHODS:
        raise UserError.at(f"unknown method '{method}' ({', '.join(METHODS)})", field="method")
    if method != "tornado" and not 2 <= _integer(n, "n") <= 100_000:
        raise UserError.at("must be between 2 and 100,000", field="n")
    patterns = _strings(parameters, "parameters")
    goals = targets(s, _optional(question, str, "question"))
    what = SensitivitySettings(goals, method, _integer(n, "n"), patterns)
    return SensitivityResult(analyse(s, settings, what, observed=om, execution=execution))


# --- the arguments, checked: a notebook's wrong type is named, never a KeyError later ---------

def _contract(*, paths: Any, seed: Any, draws: Any = None, exact: Any = False,
              precision: Any = None, workers: Any = 1,
              progress: Callable[[int, int], None] | None = None,
              ) -> tuple[RunSettings, Execution]:
    """The analysis contract's two values from the API's keywords, checked as the CLI checks
    its options (the messages name the parameters)."""
    from accord.analysis.recipe import Execution, RunSettings

    if not isinstance(exact, bool):
        raise TypeError(f"exact must be True or False, not {type(exact).__name__}")
    if precision is not None and not isinstance(precision, int | float):
        raise TypeError(f"precision must be a number, not {type(precision).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError("progress must be a function progress(done, total)")
    settings = RunSettings(paths=_integer(paths, "paths"), seed=_integer(seed, "seed"),
                           draws=_optional(draws, int, "draws"), exact=exact,
                           precision=None if precision is None else float(precision))
    settings.check()
    execution = Execution(workers=_integer(workers, "workers"), progress=progress)
    execution.check()
    return settings, execution


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__} ({value!r})")
    return value


def _optional(value: Any, kind: type, name: str) -> Any:
    if value is None:
        return None
    if kind is int:
        return _integer(value, name)
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__} or None, not {type(value).__name__}")
    return value


def _strings(values: Any, name: str) -> list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a list of strings (patterns), not {values!r}")
    return list(values)


def _loaded(ref: Any, overlays: Sequence[str], name: str) -> Any:
    """The loaded file (`accord.scenario.loader.Loaded`), its errors as ScenarioError."""
    from accord.scenario.overlay import load_with_overlays

    if not isinstance(ref, str | os.PathLike):
        kinds = "a file path or a built-in scenario id" if name == "path_or_id" else \
            "a Scenario, a file path or a built-in scenario id"
        raise TypeError(f"{name} must be {kinds}, not {type(ref).__name__}")
    try:
        return load_with_overlays(os.fspath(ref), list(_strings(overlays, "overlays")))
    except ScenarioError:
        raise
    except UserError as exc:
        raise ScenarioError.of(exc, name) from None


def _scenario(value: Any, observed: Any, name: str = "scenario",
              ) -> tuple[Scenario, ObservedMonths | None]:
    """The scenario an analysis runs on and the observations it is conditioned on: `observed`
    (a path or `Observations`), else a file's own `observed:` section."""
    from accord.scenario.model import Scenario

    own = None
    if isinstance(value, Scenario):
        scenario = value
    else:
        loaded = _loaded(value, (), name)
        scenario, own = loaded.scenario, loaded.observations
    obs = own if observed is None else _observations(observed)
    if obs is None:
        return scenario, None
    try:
        return scenario, obs.months(scenario)
    except UserError as exc:
        raise ScenarioError.of(exc, "observed") from None


def _observations(value: Any) -> Observations:
    from accord.scenario.observations import Observations, load_observations

    if isinstance(value, Observations):
        return value
    if not isinstance(value, str | Path | os.PathLike):
        raise TypeError(f"observed must be an observations file's path or Observations, "
                        f"not {type(value).__name__}")
    try:
        return load_observations(value)
    except UserError as exc:
        raise ScenarioError.of(exc, "observed") from None
