"""A stored run is read back once into the API's result types (`accord.results.StoredRun`), and
the run page reads that value: its scenario text is parsed once per page load, and its results
are the same object, and the same JSON, the API returns."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest

import accord
from accord.results import Result, SensitivityResult, StoredRun
from accord.scenario import loader
from accord.scenario.loader import builtin_text
from accord.store.runs import RunStore

BUILTIN = "south-caucasus-2025"
SEED = 3


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunStore, int, int]:
    """A store holding a run and a tornado of the built-in scenario, saved as the CLI saves."""
    store = RunStore(f"sqlite:///{tmp_path_factory.mktemp('store') / 'runs.sqlite'}")
    text, name = builtin_text(BUILTIN), f"{BUILTIN}.yaml"
    run = accord.run(BUILTIN, paths=400, seed=SEED)
    sens = accord.sensitivity(BUILTIN, question=run.scenario.questions[0].id, paths=50,
                              seed=SEED, parameters=["events.*"])
    common = {"scenario_id": BUILTIN, "scenario_name": name, "scenario_text": text,
              "seed": SEED}
    run_id = store.save(kind="run", settings=run.to_dict()["settings"],
                        results=run.to_dict(), **common)
    sens_id = store.save(kind="sensitivity", settings={"method": "tornado"},
                         results=sens.to_dict(), **common)
    return store, run_id, sens_id


def test_a_stored_run_is_the_api_result(stored: tuple[RunStore, int, int]) -> None:
    store, run_id, sens_id = stored
    run = StoredRun.load(store, run_id)
    assert isinstance(run.result, Result) and run.result is run.result
    assert run.result.to_dict() == run.record.results
    assert run.result.scenario is run.scenario and run.scenario is not None
    assert list(run.result.questions["question"]) == [q.id for q in run.scenario.questions]
    assert set(run.question_texts) == {q.id for q in run.scenario.questions}
    assert run.result.question_texts == run.question_texts
    sens = StoredRun.load(store, sens_id)
    assert isinstance(sens.result, SensitivityResult)
    assert sens.result.to_dict() == sens.record.results


def test_an_unreadable_text_still_shows_its_results(stored: tuple[RunStore, int, int]) -> None:
    store, run_id, _ = stored
    rec = store.get(run_id)
    broken = StoredRun(type(rec)(**{**vars(rec), "scenario_text": "questions: [{id: q1, "
                                                                  "text: T}]\nactors: 3\n"}))
    assert broken.scenario is None
    assert broken.question_texts == {"q1": {"text": "T", "criteria": None}}
    assert broken.result.question_texts == broken.question_texts
    assert isinstance(broken.result, Result) and broken.result.scenario is None
    assert list(broken.result.questions["text"]) == [""] * len(broken.result.questions)


def _without_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every dashboard module's `ui` a stand-in that takes any call: the page's code runs as
    on a page load, nothing is drawn."""
    import accord.web.pages.runs  # noqa: F401 - the page and all it uses, loaded

    fake = mock.MagicMock()
    for name, module in list(sys.modules.items()):
        if name.startswith("accord.web") and hasattr(module, "ui"):
            monkeypatch.setattr(module, "ui", fake)


@pytest.mark.parametrize("which", [1, 2], ids=["run", "sensitivity"])
def test_the_run_page_parses_the_stored_text_once(
        stored: tuple[RunStore, int, int], monkeypatch: pytest.MonkeyPatch, which: int) -> None:
    from accord.web import yamledit
    from accord.web.pages.runs import run_view

    store = stored[0]
    calls: dict[str, int] = {"parse_scenario": 0, "load_tree": 0}

    def counting(name: str, f: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return f(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(loader, "parse_scenario",
                        counting("parse_scenario", loader.parse_scenario))
    monkeypatch.setattr(yamledit, "load_tree", counting("load_tree", yamledit.load_tree))
    _without_browser(monkeypatch)
    run_view(SimpleNamespace(store=store), StoredRun.load(store, stored[which]))
    assert calls == {"parse_scenario": 1, "load_tree": 0}
