"""`accord run`, `forecast`, `history`, `scenarios`, `schema` end to end, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.issues import outcomes_per_draw
from accord.process.montecarlo import simulate
from accord.scenario.draws import sample_draws
from accord.scenario.loader import load_scenario

from .conftest import CORPUS


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """One small run of the default scenario, shared by the tests that only read it."""
    from accord.cli import main

    out = tmp_path_factory.mktemp("report")
    home = tmp_path_factory.mktemp("home")
    import contextlib
    import io
    import os

    os.environ["ACCORD_HOME"] = str(home)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit) as exc:
        main(["run", "--paths", "4000", "--draws", "40", "--json", "--figures", "--out",
              str(out)])
    assert exc.value.code == 0
    return json.loads(buf.getvalue()), out


def test_run_json_is_one_document(default_run: tuple[dict, Path]) -> None:
    doc, _ = default_run
    assert doc["scenario"] == "south-caucasus-2025" and doc["run_id"] >= 1
    fc = doc["forecast"]
    assert fc["paths"] == 4000 and fc["draws"] == 40 and fc["horizon"] == 36
    for ev in fc["events"].values():
        p = np.array(ev["probability"])
        assert p[0] == 0 and np.all(np.diff(p) >= 0) and p[-1] <= 1  # a CDF
        if ev["band_low"][-1] is not None:  # None: spread not separable from noise
            assert ev["band_low"][-1] <= p[-1] <= ev["band_high"][-1]
    assert {q["id"] for q in fc["questions"]} >= {"treaty_2026", "border_2027"}
    assert fc["orders"] and abs(sum(o["share"] for o in fc["orders"])) <= 1
    models = doc["issues"][0]["models"]
    from accord.bargaining.registry import MODELS

    assert set(models) == set(MODELS) >= {"compromise", "weighted_median", "nash", "eum", "smp",
                                          "exchange", "options"}


def test_report_is_offline_and_complete(default_run: tuple[dict, Path]) -> None:
    _, out = default_run
    page = (out / "index.html").read_text()
    assert "<script src=" not in page
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # the inlined library aside
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", markup)  # nothing fetched
    assert "Plotly.newPlot" in page or "Plotly" in page
    assert "Ankara will not risk angering Baku" in page  # the evidence table
    assert "Evidence and assumptions" in page and "Event graph" in page
    for png in ("curves.png", "event-graph.png", "issues.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_border_only_after_treaty_on_every_path() -> None:
    s = load_scenario().scenario
    draws = sample_draws(s, 20, 1)
    sim = simulate(s, draws, 500, seed=3, issue_outcomes=outcomes_per_draw(s, draws))
    ids = sim.event_ids
    first = sim.first_step
    border, treaty = first[:, ids.index("border_opened")], first[:, ids.index("treaty_signed")]
    opened = border > 0
    assert opened.any()
    assert np.all((treaty[opened] > 0) & (treaty[opened] < border[opened]))
    amended = first[:, ids.index("constitution_amended")]
    retry = first[:, ids.index("amended_on_retry")]
    signed = treaty > 0
    by_vote = np.where(amended > 0, amended, retry)  # the first vote, else the second
    assert np.all((by_vote[signed] > 0) & (by_vote[signed] < treaty[signed]))
    assert np.all(retry[retry > 0] > first[retry > 0, ids.index("referendum_failed")])


def test_forecast_json_matches_the_run_curve(cli) -> None:
    r = cli(
        "forecast",
        "--event",
        "treaty_signed",
        "--by",
        "2026-12-31",
        "--paths",
        "3000",
        "--seed",
        "11",
        "--json",
    )
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert set(doc) >= {"event", "by", "probability", "stderr", "band"}
    r2 = cli("run", "--paths", "3000", "--seed", "11", "--json", "--no-report")
    curve = json.loads(r2.out)["forecast"]["events"]["treaty_signed"]["probability"]
    # the end of 2026-12-31 is 29 of the 31 days from 2026-12-03 (as_of + 20 months) to + 21
    assert doc["probability"] == pytest.approx(curve[20] + (curve[21] - curve[20]) * 29 / 31,
                                               abs=1e-15)
    q = next(q for q in json.loads(r2.out)["forecast"]["questions"] if q["by"] == "2026-12-31"
             and q["event"] == "treaty_signed")
    # one date rule: the question's own numbers (between month ends the s.e. and band are the
    # per-draw readings' spread, not the month ends' read linearly)
    assert (doc["probability"], doc["stderr"], doc["band"]) == (q["probability"], q["stderr"],
                                                                q["band"])
    assert 0 < doc["stderr"] < 0.05 and doc["band"][0] <= doc["band"][1]


def test_same_seed_same_answer(cli) -> None:
    args = (
        "forecast",
        "--event",
        "border_opened",
        "--by",
        "2027-12-31",
        "--paths",
        "2000",
        "--json",
        "--seed",
    )
    pa, pb, pc = (json.loads(cli(*args, seed).out) for seed in ("5", "5", "6"))
    assert pa["probability"] == pb["probability"] and pa["run_id"] != pb["run_id"]
    assert pc["probability"] != pa["probability"]  # the seed matters


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["forecast", "--event", "nope", "--by", "2026-01-01"], "--event"),
        (["forecast", "--event", "treaty_signed", "--by", "2026-31-01"], "--by"),
        (["forecast", "--event", "treaty_signed", "--by", "2031-01-01"], "--by"),
        (["run", "--paths", "0"], "--paths"),
        (["run", "--paths", "1000000000000"], "--paths"),
        (["run", "no-such-scenario"], "no scenario file"),
        (["run", "--db", "nonsense://x"], "--db"),
        (["forecast", "--event", "treaty_signed"], "--by"),  # click's own usage errors
        (["history", "--limit", "0"], "--limit"),
        (["no-such-command"], "No such command"),
    ],
)
def test_user_mistakes_exit_2_with_nothing_on_stdout(args: list[str], field: str, cli) -> None:
    r = cli(*args, "--json")
    assert r.code == 2, r.err
    assert r.out == ""
    assert field in r.err and "Traceback" not in r.err


def test_history_lists_runs(cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    for seed in ("1", "2"):
        assert (
            cli(
                "run",
                str(CORPUS / "base.yaml"),
                "--paths",
                "100",
                "--seed",
                seed,
                "--db",
                db,
                "--no-report",
                "--json",
            ).code
            == 0
        )
    r = cli("history", "--db", db, "--json")
    rows = json.loads(r.out)
    assert [row["seed"] for row in rows] == [2, 1]
    assert all(row["scenario_id"] == "corpus-base" for row in rows)


def test_scenarios_and_schema(cli) -> None:
    r = cli("scenarios", "--json")
    assert [x["id"] for x in json.loads(r.out)] == ["south-caucasus-2025"]
    schema = json.loads(cli("schema").out)
    assert {"meta", "actors", "issues", "events", "questions"} <= set(schema["properties"])


def test_validate_default_against_the_article(cli, seed_dir: Path) -> None:
    r = cli("validate", "south-caucasus-2025", "--sources", str(seed_dir))
    assert r.code == 0 and "valid" in r.out


def test_exact_and_monte_carlo_agree_through_the_cli(cli) -> None:
    ask = ("forecast", str(CORPUS / "base.yaml"), "--event", "deal", "--by", "2025-12-31",
           "--json", "--sources", str(CORPUS))
    ex = json.loads(cli(*ask, "--exact").out)
    # closed form at central values: talks hazard 0.15, deal hazard 0.1 the month after talks
    h, g = 0.15, 0.1
    p_talks_by = [1 - (1 - h) ** t for t in range(13)]

    def by_step(steps: int) -> float:
        return sum((p_talks_by[t] - p_talks_by[t - 1]) * (1 - (1 - g) ** (steps - t))
                   for t in range(1, steps + 1))

    # as_of 2025-01-15: the end of 2025-12-31 is 17 of the 31 days past step 11 (2025-12-15)
    closed = by_step(11) + (by_step(12) - by_step(11)) * 17 / 31
    assert ex["probability"] == pytest.approx(closed, abs=1e-12) and ex["stderr"] == 0
    # one draw = every parameter at its central value, as the exact solver assumes
    mc = json.loads(cli(*ask, "--draws", "1", "--paths", "40000").out)
    assert abs(mc["probability"] - closed) <= 4 * mc["stderr"]


def test_default_scenario_exact_equals_monte_carlo_at_central_values() -> None:
    """The whole built-in scenario, solved exactly and simulated: the engines agree."""
    from accord.analysis.run import RunSettings, run_scenario

    s = load_scenario().scenario
    exact = run_scenario(s, RunSettings(exact=True), with_issues=False).forecast
    mc = run_scenario(s, RunSettings(paths=100_000, draws=1, seed=8), with_issues=False).forecast
    for eid, ev in exact.events.items():
        p, q, se = np.array(ev.probability), np.array(mc.events[eid].probability), np.array(
            mc.events[eid].stderr
        )
        assert np.all(np.abs(p - q) <= 4 * se + 1e-12), eid


def test_unwritable_outputs_are_user_errors(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    r = cli("run", "--paths", "100", "--out", str(blocker / "report"), "--db", db)
    assert r.code == 2 and str(blocker) in r.err and "Traceback" not in r.err
    r = cli("run", "--paths", "100", "--no-report", "--db", f"sqlite:///{blocker}/x.sqlite")
    assert r.code == 2 and "internal error" not in r.err
    r = cli("sweep", str(CORPUS / "base.yaml"), "--samples", "2", "--paths", "100",
            "--out", str(blocker / "t.csv"), "--sources", str(CORPUS))
    assert r.code == 2 and "--out" in r.err
    from accord.store.runs import RunStore

    assert RunStore(db).count() == 0  # nothing stored for the failed run


def test_an_ad_hoc_question_is_asked_beside_the_scenarios_own() -> None:
    """`accord forecast` asks its (event, date) as a question: the scenario's own one when it
    has it, else a new one whose id clashes with none."""
    import datetime as dt

    s = load_scenario(None).scenario  # the built-in scenario
    q0 = s.questions[0]
    same, qid = s.asking(q0.event, q0.by)
    assert same is s and qid == q0.id
    when = dt.date(2026, 6, 15)
    asked, qid = s.asking(q0.event, when)
    assert [q.id for q in asked.questions[:-1]] == [q.id for q in s.questions]
    assert (asked.questions[-1].event, asked.questions[-1].by, qid) == (
        q0.event, when, asked.questions[-1].id)
    clash = s.model_copy(update={"questions": [*s.questions, q0.model_copy(update={
        "id": qid, "by": dt.date(2026, 7, 1)})]})
    again, qid2 = clash.asking(q0.event, when)
    assert qid2 != qid and len({q.id for q in again.questions}) == len(again.questions)
    long_event = s.events[0].model_copy(update={"id": "e" * 64})  # the longest id allowed
    with_long = s.model_copy(update={"events": [*s.events, long_event]})
    _, qid3 = with_long.asking("e" * 64, when)
    assert len(qid3) <= 64 and qid3.startswith("e" * 44)


def test_an_exact_forecast_says_so_and_gives_no_sampling_error(cli) -> None:
    args = ("forecast", "--event", "treaty_signed", "--by", "2026-12-31", "--exact")
    doc = json.loads(cli(*args, "--json").out)
    assert (doc["method"], doc["stderr"]) == ("exact", 0.0)
    text = " ".join(cli(*args).out.split())  # as read, whatever the wrapping
    assert "exact, at the parameters' central values" in text and "Monte Carlo" not in text
    assert json.loads(cli(*args[:-1], "--paths", "300", "--json").out)["method"] == "montecarlo"


def test_a_run_writes_the_interactive_report_and_figures_only_when_asked(cli, tmp_path: Path,
                                                                        monkeypatch) -> None:
    """The HTML report is always written; the static PNG/SVG figures only with --figures."""
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    out = tmp_path / "report"
    r = cli("run", str(CORPUS / "base.yaml"), "--paths", "200", "--out", str(out))
    assert r.code == 0, r.err
    assert "report:" in r.out
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    r = cli("run", str(CORPUS / "base.yaml"), "--paths", "200", "--out", str(out), "--figures")
    assert r.code == 0, r.err
    assert {"index.html", "curves.png", "curves.svg", "event-graph.png"} <= {
        p.name for p in out.iterdir()}


def _plotly_args(div: str) -> list[object]:
    """The data, layout and config a report's div hands Plotly.newPlot."""
    dec = json.JSONDecoder()
    i = div.index(",", div.index("Plotly.newPlot(")) + 1
    out = []
    for _ in range(3):
        while div[i] in " \n\t,":
            i += 1
        value, i = dec.raw_decode(div, i)
        out.append(value)
    return out


def test_the_reports_figures_are_what_plotly_figures_write() -> None:
    """The report writes its figures' dicts unvalidated, with Plotly's default template put
    in (start-up time): the same data, layout and config as go.Figure validating them."""
    import plotly.graph_objects as go

    from accord.analysis.run import RunSettings, run_scenario
    from accord.report import plots
    from accord.report.html import _figure_divs

    s = load_scenario().scenario
    result = run_scenario(s, RunSettings(paths=1000))
    doc = result.to_dict()
    figs = [plots.question_fans(doc, {q.id: q.text for q in s.questions}), plots.curves(doc),
            plots.graph(s), plots.issue_outcomes(doc)]
    validated = [go.Figure({"data": f["data"], "layout": f["layout"]}).to_html(
        full_html=False, include_plotlyjs=False, config=plots.CONFIG) for f in figs]
    ours = _figure_divs(result)
    assert len(ours) == 4
    for a, b in zip(ours, validated, strict=True):
        assert _plotly_args(a) == _plotly_args(b)
