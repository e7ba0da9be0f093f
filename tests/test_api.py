"""The Python API's contract: its names, its numbers (the CLI's JSON on the same seed, to the
last bit), its tables' columns, and its errors (typed, naming file, line, field or parameter)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import accord

from .conftest import CORPUS

BUILTIN = "south-caucasus-2025"
WHAT_IF = "russia-refocuses-early"
PATHS, SEED = 2000, 5
EXPORTED = {
    "CompareResult", "ExplainResult", "Result", "ScenarioError", "SensitivityResult", "StoredRun",
    "UserError", "WatchResult", "compare", "explain", "load", "run", "sensitivity", "stored_run",
    "watch",
}


def same(a: Any, b: Any) -> bool:
    """Equal to the last bit; NaN (the API) is the JSON's null, as `--json` writes it."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b


@pytest.fixture(scope="module")
def scenario() -> Any:
    return accord.load(BUILTIN)


@pytest.fixture(scope="module")
def result(scenario: Any) -> accord.Result:
    return accord.run(scenario, paths=PATHS, seed=SEED)


def cli_json(cli: Any, *args: str) -> dict[str, Any]:
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_the_exported_names_are_the_contract() -> None:
    assert set(accord.__all__) == EXPORTED
    for name in EXPORTED:
        assert getattr(accord, name) is not None
    assert issubclass(accord.ScenarioError, accord.UserError)
    with pytest.raises(AttributeError):
        accord.no_such_name  # noqa: B018


def test_import_accord_is_cheap() -> None:
    code = ("import sys, accord; heavy = [m for m in ('numpy', 'pandas', 'pydantic', "
            "'accord.api', 'accord.analysis') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_run_equals_the_cli_json(result: accord.Result, cli: Any) -> None:
    doc = cli_json(cli, "run", BUILTIN, "--paths", str(PATHS), "--seed", str(SEED),
                   "--no-report")
    q = result.questions
    assert {"question", "event", "by", "probability", "low", "high", "stderr", "history",
            "history_low", "history_high", "history_class"} <= set(q.columns)
    for row, want in zip(q.to_dict("records"), doc["forecast"]["questions"], strict=True):
        band = want["band"] or [None, None]
        assert (row["question"], row["event"], row["by"]) == (want["id"], want["event"],
                                                              want["by"])
        for got, exp in ((row["probability"], want["probability"]),
                         (row["stderr"], want["stderr"]), (row["low"], band[0]),
                         (row["high"], band[1])):
            assert same(got, exp), (row, want)
        ov = want.get("outside_view") or {}
        assert same(row["history"], ov.get("probability"))
        assert same(row["history_low"], ov.get("low"))
    events = result.events
    for eid, e in doc["forecast"]["events"].items():
        got = events[events["event"] == eid]
        assert list(got["probability"]) == e["probability"]
        assert list(got["step"]) == list(range(len(e["probability"])))
    issues = result.issues
    for i in doc["issues"]:
        for model, m in i["models"].items():
            row = issues[(issues["issue"] == i["id"]) & (issues["model"] == model)].iloc[0]
            assert same(row["outcome"], m["outcome"]) and same(row["low"], m["low"])
    assert result.raw.forecast.paths == doc["forecast"]["paths"]


def test_a_stored_run_reads_back_as_the_run_that_made_it(result: accord.Result, cli: Any,
                                                         tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    doc = cli_json(cli, "run", BUILTIN, "--paths", str(PATHS), "--seed", str(SEED),
                   "--no-report", "--db", db)
    stored = accord.stored_run(doc["run_id"], db=db)
    assert isinstance(stored, accord.StoredRun) and isinstance(stored.result, accord.Result)
    assert stored.scenario is not None and stored.scenario.meta.id == result.scenario.meta.id
    assert stored.result.questions.equals(result.questions)  # the text parsed gives the texts
    assert stored.result.events.equals(result.events)
    with pytest.raises(accord.UserError, match=str(doc["run_id"] + 1)):
        accord.stored_run(doc["run_id"] + 1, db=db)


def test_a_conditioned_run_equals_the_cli_json(cli: Any) -> None:
    observed = Path(__file__).resolve().parents[1] / "examples" / "observed-hypothetical.yaml"
    doc = cli_json(cli, "run", BUILTIN, "--paths", str(PATHS), "--seed", str(SEED),
                   "--observed", str(observed), "--no-report")
    got = accord.run(BUILTIN, observed=observed, paths=PATHS, seed=SEED)
    assert got.questions["probability"].tolist() == [
        q["probability"] for q in doc["forecast"]["questions"]]
    assert got.to_dict()["observed"]["effective_paths"] == doc["observed"]["effective_paths"]


def test_run_shows_its_answers_in_a_notebook(result: accord.Result) -> None:
    page = result._repr_html_()
    assert "<table" in page and all(q.id in page for q in result.scenario.questions)


def test_a_path_or_an_id_is_a_scenario_too(result: accord.Result) -> None:
    again = accord.run(BUILTIN, paths=PATHS, seed=SEED)
    assert list(again.questions["probability"]) == list(result.questions["probability"])


def test_explain_equals_the_cli_json(scenario: Any, cli: Any) -> None:
    doc = cli_json(cli, "explain", BUILTIN, "--paths", str(PATHS), "--seed", str(SEED),
                   "--question", "treaty_2026", "--tornado-paths", "0")
    got = accord.explain(scenario, question="treaty_2026", paths=PATHS, seed=SEED)
    (want,) = doc["questions"]
    assert got.questions["probability"].tolist() == [want["probability"]]
    top = got.blockers[got.blockers["depth"] == 0]
    assert top["share"].tolist() == [b["share"] for b in want["blockers"]]
    assert got.route["share"].tolist() == [r["share"] for r in want["route"]]


def test_watch_equals_the_cli_json(scenario: Any, cli: Any) -> None:
    doc = cli_json(cli, "watch", BUILTIN, "--paths", str(PATHS), "--seed", str(SEED),
                   "--question", "treaty_2026", "--within", "6")
    got = accord.watch(scenario, question="treaty_2026", within=6, paths=PATHS, seed=SEED)
    (want,) = doc["questions"]
    assert got.questions["probability"].tolist() == [want["probability"]]
    assert got.table["if_yes"].tolist() == [w["if_yes"] for w in want["watch"]]
    assert got.table["event"].tolist() == [w["event"] for w in want["watch"]]


def test_compare_equals_the_cli_json(scenario: Any, cli: Any) -> None:
    doc = cli_json(cli, "compare", BUILTIN, f"{BUILTIN}+{WHAT_IF}", "--paths", str(PATHS),
                   "--seed", str(SEED))
    got = accord.compare(scenario, accord.load(BUILTIN, overlays=[WHAT_IF]), paths=PATHS,
                         seed=SEED)
    for row, want in zip(got.questions.to_dict("records"), doc["questions"], strict=True):
        assert (row["question"], row["diff"], row["stderr"], row["paired"]) == (
            want["id"], want["diff"], want["stderr"], want["paired"])
    assert got.issues["diff"].tolist() == [d["diff"] for d in doc["issues"]]


def test_sensitivity_equals_the_cli_json(scenario: Any, cli: Any, tmp_path: Path) -> None:
    doc = cli_json(cli, "sensitivity", BUILTIN, "--question", "treaty_2026", "--paths", "200",
                   "--seed", str(SEED), "--out", str(tmp_path))
    got = accord.sensitivity(scenario, question="treaty_2026", paths=200, seed=SEED)
    assert got.base == doc["base"]
    table = got.table
    assert table["parameter"].tolist() == [r["parameter"] for r in doc["rows"]["treaty_2026"]]
    assert table["swing"].tolist() == [r["values"]["swing"] for r in doc["rows"]["treaty_2026"]]


BAD = sorted((CORPUS / "bad").glob("*.yaml"))[:12]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_a_bad_file_is_a_scenario_error_with_the_cli_message(path: Path, cli: Any) -> None:
    r = cli("run", str(path), "--paths", "10", "--no-report", "--json")
    if r.code == 0:  # only `validate`'s strict checks reject it
        accord.load(path)
        return
    with pytest.raises(accord.ScenarioError) as info:
        accord.load(path)
    exc = info.value
    assert f"error: {exc}" in r.err
    assert exc.file == str(path) and (exc.line is not None or exc.field is not None)


@pytest.mark.parametrize(("call", "name"), [
    (lambda s: accord.run("not a scenario object or path"), "scenario"),
    (lambda s: accord.run(s, paths="many"), "paths"),
    (lambda s: accord.run(s, seed=1.5), "seed"),
    (lambda s: accord.run(s, draws="2"), "draws"),
    (lambda s: accord.run(s, exact="yes"), "exact"),
    (lambda s: accord.run(s, observed=3), "observed"),
    (lambda s: accord.run(s, observed="no-such-file.yaml"), "no-such-file.yaml"),
    (lambda s: accord.run(42), "scenario"),
    (lambda s: accord.load(None), "path_or_id"),
    (lambda s: accord.load(BUILTIN, overlays="many"), "overlays"),
    (lambda s: accord.compare(s, 7), "other"),
    (lambda s: accord.watch(s, within="soon"), "within"),
    (lambda s: accord.explain(s, question=3), "question"),
    (lambda s: accord.sensitivity(s, parameters="events.*"), "parameters"),
    (lambda s: accord.stored_run("1"), "run_id"),
    (lambda s: accord.stored_run(1, db=3), "db"),
])
def test_a_wrong_argument_names_its_parameter(call: Any, name: str, scenario: Any) -> None:
    with pytest.raises((TypeError, accord.UserError)) as info:
        call(scenario)
    assert not isinstance(info.value, KeyError)
    assert name in str(info.value)


@pytest.mark.parametrize(("call", "field"), [
    (lambda s: accord.run(s, paths=0), "paths"),
    (lambda s: accord.explain(s, question="nope"), "question"),
    (lambda s: accord.sensitivity(s, method="guess"), "method"),
    (lambda s: accord.sensitivity(s, method="sobol", n=1), "n"),
    (lambda s: accord.load("no-such-scenario"), "path_or_id"),
])
def test_a_bad_value_is_a_user_error_at_its_field(call: Any, field: str, scenario: Any) -> None:
    with pytest.raises(accord.UserError) as info:
        call(scenario)
    assert info.value.problems[0].field == field
