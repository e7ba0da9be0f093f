"""Broken inputs nobody showed us: each row is a file a user could write, the command it is
given to, and what the answer must say. Every answer is exit 2, names the file (and its line and
field where there is one), and is neither a traceback nor an "internal error". Each row was a
violation once: an internal error, a silent wrong answer, or a message missing its place.
Hypothesis tests below feed junk to the parsers these rows reach (resolutions, overlays, grids,
CSV rows, YAML dates) and accept only a load or a UserError naming the file."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.backtest import read_resolutions
from accord.analysis.sweep import grid_design
from accord.bargaining.io import load_tables
from accord.errors import UserError
from accord.scenario.loader import parse_scenario
from accord.scenario.overlay import apply_overlay
from accord.store.runs import RunStore

from .conftest import CORPUS

BASE = (CORPUS / "base.yaml").read_text(encoding="utf-8")
EU = "Actor,Capability,Position,Salience\nNorth,0.3,10,0.8\nSouth,0.5,70,0.6\nEast,0.2,40,0.5\n"
OVERLAY = ("overlay: {id: what-if}\nevents:\n  - id: talks\n"
           "    hazard: {value: 0.3, assumption: x}\n")
QUICK = ["--paths", "200", "--no-report"]

# name: (command words before the file, file suffix, file text, options after it, line, field,
#        fragments the message must hold)
ROWS: dict[str, tuple[list[str], str, str | bytes, list[str], int | None, str | None,
                      list[str]]] = {
    # overlays (--with): each of these was an internal error (TypeError, AttributeError)
    "overlay_header_text": (["run", "BASE", "--with"], ".yaml", "overlay: what-if\n", QUICK, 1,
                            "overlay", ["write fields here (id, title, description)"]),
    "overlay_header_list": (["run", "BASE", "--with"], ".yaml", "overlay: [a]\n", QUICK, 1,
                            "overlay", ["write fields here"]),
    "overlay_meta_number": (["run", "BASE", "--with"], ".yaml", "overlay: {id: x}\nmeta: 5\n",
                            QUICK, 2, "meta", ["write fields here"]),
    "overlay_meta_null": (["run", "BASE", "--with"], ".yaml", "overlay: {id: x}\nmeta: ~\n",
                          QUICK, 2, "meta", ["write fields here"]),
    "overlay_id_list": (["run", "BASE", "--with"], ".yaml",
                        "overlay: {id: x}\nevents:\n  - {id: [talks], hazard: 0.1}\n", QUICK, 3,
                        "events[0].id", ["an id is text"]),
    # ... and these were silently accepted
    "overlay_events_null": (["run", "BASE", "--with"], ".yaml", "overlay: {id: x}\nevents: ~\n",
                            QUICK, 2, "events", ["write a list here"]),
    "overlay_add_not_bool": (["run", "BASE", "--with"], ".yaml",
                             "overlay: {id: x}\nevents:\n  - {id: talks, add: yes please}\n",
                             QUICK, 3, "events[0].add", ["add: true"]),
    "overlay_same_id_twice": (["run", "BASE", "--with"], ".yaml",
                              "overlay: {id: x}\nactors:\n  - {id: a, name: P}\n"
                              "  - {id: a, name: Q}\n", QUICK, 4, "actors[1].id",
                              ["'a' is already changed by item 0"]),
    "overlay_title_list": (["run", "BASE", "--with"], ".yaml", "overlay: {id: x, title: [a]}\n",
                           QUICK, 1, "overlay.title", ["write text here"]),
    # sweep grids: a non-text key was an internal error (KeyError); values were never checked
    "grid_number_key": (["sweep", "BASE", "--grid"], ".yaml", "5: [0.1]\n", ["--paths", "100"],
                        1, "5", ["unknown parameter '5'"]),
    "grid_null_key": (["sweep", "BASE", "--grid"], ".yaml", "~: [0.1]\n", ["--paths", "100"],
                      1, None, ["unknown parameter"]),
    "grid_not_a_list": (["sweep", "BASE", "--grid"], ".yaml", "x: 1\nevents.talks.hazard: [.1]\n",
                 ["--paths", "100"], 1, "x", ["needs a non-empty list"]),
    "grid_nan_value": (["sweep", "BASE", "--grid"], ".yaml", "events.talks.hazard: [0.1, .nan]\n",
                       ["--paths", "100"], 1, "events.talks.hazard", ["finite numbers"]),
    "grid_hazard_percent": (["sweep", "BASE", "--grid"], ".yaml",
                            "events.talks.hazard: [0.1, 5]\n", ["--paths", "100"], 1,
                            "events.talks.hazard", ["between 0 and 1", "0.05 is 5% a month"]),
    "grid_negative_capability": (["sweep", "BASE", "--grid"], ".yaml",
                                 "events.talks.hazard: [0.1]\nactors.a.capability: [-5, 5]\n",
                                 ["--paths", "100"], 2, "actors.a.capability",
                                 ["capability must not be negative"]),
    # backtest --resolutions: wrong lines after blank ones, a second answer silently won,
    # resolved_on never read, a header alone blamed on the scenario
    "resolutions_after_blank_lines": (["backtest", "BASE", "--resolutions"], ".csv",
                                      "question,resolution\n\n\nq_deal,maybe\n",
                                      ["--paths", "200"], 4, "resolution", ["yes or no"]),
    "resolutions_twice": (["backtest", "BASE", "--resolutions"], ".csv",
                          "question,resolution\nq_deal,yes\nq_deal,no\n", ["--paths", "200"], 3,
                          "question", ["resolved twice (first on line 2)"]),
    "resolutions_bad_date": (["backtest", "BASE", "--resolutions"], ".csv",
                             "question,resolution,resolved_on\nq_deal,yes,2025-13-40\n",
                             ["--paths", "200"], 2, "resolved_on", ["'2025-13-40'"]),
    "resolutions_header_only": (["backtest", "BASE", "--resolutions"], ".csv",
                                "question,resolution\n", ["--paths", "200"], 2, None,
                                ["no resolutions"]),
    "resolutions_semicolons": (["backtest", "BASE", "--resolutions"], ".csv",
                               "question;resolution\nq_deal;yes\n", ["--paths", "200"], 1,
                               "question", ["separated by ';'"]),
    # bargaining tables: a stray quote swallowed the file ("1 actor"), extra cells were dropped
    "csv_unclosed_quote": (["predict"], ".csv", EU.replace("South", '"South'), [], 3, None,
                           ['a quote (") opened on this line is never closed']),
    "csv_row_longer_than_header": (["predict"], ".csv", EU.replace("0.3,10,0.8", "0.3,10,0.8,9"),
                                   [], 2, "salience",
                                   ["5 cells but the header (line 1) has 4 columns"]),
    "csv_semicolons": (["predict"], ".csv", EU.replace(",", ";"), [], 1, None,
                       ["separated by ';'", "comma-separated"]),
    "csv_tabs": (["smp"], ".csv", EU.replace(",", "\t"), [], 1, None, ["separated by tabs"]),
    "exchange_one_issue": (["exchange"], ".csv", EU, [], None, "proposal",
                           ["no group of two or more issues"]),
    # scenarios: an infinite scale ran (nan forecasts, stored); dates lacked their field path
    "scale_infinite": (["validate"], ".yaml",
                       BASE.replace("scale: {min: 0, max: 100}", "scale: {min: 0, max: .inf}"),
                       [], 15, "issues[0].scale", ["must be finite"]),
    "date_in_flow_mapping": (["validate"], ".yaml",
                             BASE.replace("by: 2025-12-31", "by: 2025-13-40"),
                             [], 28, "questions[0].by", ["invalid date", "not '2025-13-40'"]),
    "date_scheduled": (["validate"], ".yaml",
                       BASE.replace("    when: talks\n",
                                    "    when: talks\n    scheduled: 2025-02-30\n"),
                       [], 26, "events[1].scheduled", ["day is out of range"]),
    "control_character": (["validate"], ".yaml", BASE.replace("Corpus base", "Corpus\x07base"), [],
                          4, None, ["control character (U+0007)"]),
    "binary_tag": (["validate"], ".yaml", BASE.replace("Corpus base", "!!binary aGVsbG8="), [], 4,
                   None, ["!!binary is not supported"]),
    "set_tag": (["validate"], ".yaml", BASE.replace("title: Corpus base", "title: !!set {a, b}"),
                [], 4, None, ["!!set is not supported"]),
    "set_tag_on_a_scalar": (["validate"], ".yaml",
                            BASE.replace("title: Corpus base", "title: !!set abc"), [], 4, None,
                            ["a tag (`!!...`) on a value of the wrong kind"]),
    "observed_bad_date": (["run", "BASE", "--observed"], ".yaml",
                          "observed:\n  - {event: talks, on: 2025-13-40}\n", QUICK, 2,
                          "observed[0].on", ["invalid date"]),
}


def _argv(row: tuple, path: Path) -> list[str]:
    before, _, _, after, *_ = row
    words = [str(CORPUS / "base.yaml") if w == "BASE" else w for w in before]
    return [*words, str(path), *after]


@pytest.mark.parametrize("name", sorted(ROWS))
def test_a_broken_input_is_a_located_user_error(name: str, cli, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    row = ROWS[name]
    _, suffix, text, _, line, field, fragments = row
    path = tmp_path / f"{name}{suffix}"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli(*_argv(row, path))
    assert r.code == 2, (r.code, r.err)
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in r.err, r.err
    if field:
        assert f"{where}{field}: " in r.err, r.err
    for fragment in fragments:
        assert fragment in r.err, r.err


def test_a_broken_overlay_stores_no_run(cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    bad = tmp_path / "bad.yaml"
    bad.write_text("overlay: {id: x}\nmeta: abc\n", encoding="utf-8")
    r = cli("run", str(CORPUS / "base.yaml"), *QUICK, "--db", db, "--with", str(bad))
    assert r.code == 2 and "internal error" not in r.err
    assert RunStore(db).count() == 0


def test_a_good_grid_and_good_resolutions_still_read(tmp_path: Path) -> None:
    """The checks refuse what is wrong, not what is right: an independent reading of both."""
    scenario = parse_scenario(BASE, "base.yaml", source_dirs=[CORPUS]).scenario
    grid = tmp_path / "g.yaml"
    grid.write_text("events.talks.hazard: [0, 0.5, 1]\nactors.a.capability: [0, 7]\n")
    design = grid_design(scenario, grid)
    assert design.names == ["events.talks.hazard", "actors.a.capability"]
    assert design.X.tolist() == [[0, 0], [0, 7], [0.5, 0], [0.5, 7], [1, 0], [1, 7]]
    res = tmp_path / "r.csv"
    res.write_text("\ufeffQuestion,Resolution,resolved_on\r\nq_deal,YES,2025-06-01\r\n"
                   'q2,no,\r\n"q,3",no\r\n')
    assert read_resolutions(res) == {"q_deal": (1, 2), "q2": (0, 3), "q,3": (0, 4)}


# --- properties: junk into the parsers above is loaded or a UserError naming the file ---------

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
JUNK = st.one_of(
    st.sampled_from([",", ";", '"', "\t", "\n", "\r\n", "~", "[", "]", "{", "}", ": ", "- ",
                     "nan", ".inf", "-1", "1e400", "2025-13-40", "!!set", "&a", "*a", "\x07",
                     "\ufeff", "é", "id", "add: true", "yes", "#"]),
    st.text(max_size=5),
)


def _splice(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.sampled_from([0, 1, 2]))
        text = text[:at] + data.draw(JUNK) + text[at + cut:]
    return text


def _loads_or_names_the_file(load: Callable[[Path], Any], path: Path, text: str) -> Any:
    """load(path) of the junk text, or None after checking its UserError names the file."""
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load(path)
        except UserError as exc:
            assert exc.problems, "a UserError with no problem"
            assert all(p.file and str(path) in p.file for p in exc.problems), str(exc)
    return None


@FUZZ
@given(data=st.data())
def test_resolutions_with_junk_read_or_are_a_user_error(data, tmp_path: Path) -> None:
    text = _splice("question,resolution,resolved_on\nq_deal,yes,2025-06-01\nq2,no,\n", data)
    out = _loads_or_names_the_file(read_resolutions, tmp_path / "res.csv", text)
    assert out is None or all(v in (0, 1) and line >= 2 for v, line in out.values())


SCENARIO = parse_scenario(BASE, "base.yaml", source_dirs=[CORPUS])


@FUZZ
@given(data=st.data())
def test_an_overlay_with_junk_applies_or_is_a_user_error(data, tmp_path: Path) -> None:
    path = tmp_path / "what-if.yaml"
    path.write_text(_splice(OVERLAY + "actors:\n  - {id: b, name: Bee}\n", data),
                    encoding="utf-8", errors="surrogatepass")
    try:
        apply_overlay(SCENARIO, str(path))
    except UserError as exc:  # the overlay's own problem, or the merged scenario's at a file
        assert exc.problems and all(p.file for p in exc.problems), str(exc)


@FUZZ
@given(data=st.data())
def test_a_grid_with_junk_reads_or_is_a_user_error(data, tmp_path: Path) -> None:
    text = _splice("events.talks.hazard: [0.05, 0.2]\nactors.a.capability: [5, 9]\n", data)
    design = _loads_or_names_the_file(lambda p: grid_design(SCENARIO.scenario, p),
                                      tmp_path / "grid.yaml", text)
    assert design is None or (design.X.size and (design.X == design.X).all())  # no nan


@FUZZ
@given(data=st.data())
def test_a_classic_table_with_junk_loads_or_is_a_user_error(data, tmp_path: Path) -> None:
    _loads_or_names_the_file(load_tables, tmp_path / "t.csv", _splice(EU, data))


@FUZZ
@given(data=st.data())
def test_scenario_dates_with_junk_are_located(data) -> None:
    text = _splice(BASE.replace("by: 2025-12-31", "by: 2025-12-31 "), data)
    try:
        parse_scenario(text, "my.yaml", source_dirs=[CORPUS])
    except UserError as exc:
        assert exc.problems and all(p.file == "my.yaml" for p in exc.problems), str(exc)
        for p in exc.problems:
            if "invalid date" in p.message:
                assert p.line is not None, str(exc)
