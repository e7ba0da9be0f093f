"""`accord explain`: every "no" path has exactly one blocker (shares add up to 1 − P), the
shares match hand calculations and the exact solver, and the CLI shows them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis.explain import Blocker, explain_question, flatten
from accord.analysis.run import RunSettings, run_scenario
from accord.report.console import pct
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario


def make(events: list[dict], questions: list[dict], horizon: int = 12) -> Scenario:
    return Scenario.model_validate({
        "meta": {"id": "t", "title": "test", "as_of": "2025-01-01", "horizon": horizon},
        "actors": [{"id": "a", "name": "A", "capability": 1}],
        "events": [{"name": e["id"], **e} for e in events],
        "questions": questions,
    })


def shares(bs: list[Blocker]) -> dict[str, float]:
    """Each blocker's share by the path of labels leading to it."""
    out: dict[str, float] = {}

    def walk(nodes: list[Blocker], prefix: str) -> None:
        for b in nodes:
            key = f"{prefix}/{b.what}"
            out[key] = b.share
            walk(b.children, key)
            if b.children:
                assert sum(x.share for x in b.children) == pytest.approx(b.share, abs=1e-12)

    walk(bs, "")
    return out


# A (hazard a) → B (chance p, resolves the month after A) → C (hazard c, once B holds)
CHAIN = [
    {"id": "A", "hazard": 0.2},
    {"id": "B", "when": "A", "chance": 0.6},
    {"id": "C", "when": "B and not X", "hazard": 0.3},
    {"id": "X", "hazard": 0.05},
]
S = 6


def test_blockers_of_a_chain_match_hand_calculations() -> None:
    # by the end of 2025-06-30 is the end of month 6 exactly (as_of 2025-01-01)
    sc = make(CHAIN, [{"id": "q", "text": "C?", "event": "C", "by": "2025-06-30"}])
    e = explain_question(sc, RunSettings(exact=True), "q")
    assert e.step == S
    got = shares(e.blockers)
    a, p, x = 0.2, 0.6, 0.05
    b_root = "/B (B) has not happened"
    a_never = (1 - a) ** S  # A has not happened by the deadline
    assert got[f"{b_root}/A (A) has not happened"] == pytest.approx(a_never, abs=1e-12)
    # B's chance resolved no: A happened by month S − 1, and the coin said no
    assert got[f"{b_root}/its chance came up no"] == pytest.approx(
        (1 - p) * (1 - (1 - a) ** (S - 1)), abs=1e-12)
    # B not yet resolved: A happened in the deadline month itself
    assert got[f"{b_root}/not yet resolved"] == pytest.approx(a * (1 - a) ** (S - 1), abs=1e-12)
    assert sum(b.share for b in e.blockers) == pytest.approx(1 - e.probability, abs=1e-12)
    # X (which rules C out) blocks exactly the paths on which it happened before C could
    assert got["/X (X) has happened"] > 0 and x > 0


def test_monte_carlo_attribution_agrees_with_the_exact_one() -> None:
    events = [
        {"id": "A", "hazard": 0.15},
        {"id": "R", "repeatable": 0.1, "effects": {"resets": ["M"]}},
        {"id": "M", "when": "R and not M", "hazard": 0.3},
        {"id": "B", "when": "A", "chance": 0.5},
        {"id": "B2", "when": "A and since(A) >= 3 and not B", "hazard": 0.2},
        {"id": "C", "when": "(B or B2) and (not R or M)", "hazard": 0.25},
    ]
    sc = make(events, [{"id": "q", "text": "C?", "event": "C", "by": "2025-10-01"}])
    ex = explain_question(sc, RunSettings(exact=True), "q")
    mc = explain_question(sc, RunSettings(paths=200_000, seed=5), "q")
    want, got = shares(ex.blockers), shares(mc.blockers)
    assert set(got) == set(want)
    n = 200_000
    for k, w in want.items():
        se = max(np.sqrt(w * (1 - w) / n), 1e-4)
        assert abs(got[k] - w) < 5 * se, (k, got[k], w)
    assert mc.probability == pytest.approx(ex.probability, abs=5 * np.sqrt(0.25 / n))


@pytest.fixture(scope="module")
def builtin() -> Scenario:
    return load_scenario().scenario


def test_built_in_blockers_add_up_to_one_minus_p_and_p_is_the_runs(builtin: Scenario) -> None:
    e = explain_question(builtin, RunSettings(paths=4000, seed=3), "treaty_2026")
    assert sum(b.share for b in e.blockers) == pytest.approx(1 - e.probability, abs=1e-12)
    run = run_scenario(builtin, RunSettings(paths=4000, seed=3), with_issues=False)
    p = next(q.probability for q in run.forecast.questions if q.id == "treaty_2026")
    assert e.probability == pytest.approx(p, abs=1e-12)  # the run's own paths
    whats = [b.what for _, b in flatten(e.blockers)]
    assert any("referendum_held" in w for w in whats)  # the vote never held
    assert any("came up no" in w for w in whats)  # held and failed
    route = {r.event: r for r in e.route}
    # two end-of-month states weighted by the date rule: equal up to rounding
    assert route["treaty_signed"].share == pytest.approx(1.0, abs=1e-12)
    assert route["referendum_held"].share == pytest.approx(1.0, abs=1e-12)
    steps = {r.event: r.median_step for r in e.route}
    assert steps["referendum_held"] <= steps["constitution_amended"] <= steps["treaty_signed"]


def test_explain_cli_json_and_page(cli, tmp_path) -> None:
    r = cli("explain", "--question", "treaty_2026", "--paths", "4000", "--json",
            "--tornado-paths", "200", "--out", str(tmp_path))
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    q = doc["questions"][0]
    assert q["question"] == "treaty_2026"
    assert sum(b["share"] for b in q["blockers"]) == pytest.approx(1 - q["probability"],
                                                                  abs=1e-9)
    assert all({"what", "share", "children"} <= set(b) for b in q["blockers"])
    assert q["drivers"] and q["drivers"][0]["paths_per_variant"] == 200
    from accord.analysis.run import RunSettings, run_scenario
    from accord.scenario.loader import load_scenario

    run = run_scenario(load_scenario().scenario, RunSettings(paths=200, seed=20250403),
                       with_issues=False)  # the tornado's own base is this run
    p = next(x.probability for x in run.forecast.questions if x.id == "treaty_2026")
    assert all(d["tornado_base"] == p for d in q["drivers"])
    page = (tmp_path / "explain.html").read_text()
    assert "blocker" in page and "treaty_2026" in page
    from accord.report.labels import param_name

    label = param_name(run.scenario, q["drivers"][0]["parameter"])
    assert label != q["drivers"][0]["parameter"] and label in page
    bad = cli("explain", "--question", "no_such_question")
    assert bad.code == 2 and "no_such_question" in bad.err


def test_explain_console_keeps_ids_whole_at_80_columns(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("explain", "--question", "treaty_2026", "--paths", "2000", "--tornado-paths", "0")
    assert r.code == 0, r.err
    assert "(constitution_amended)" in r.out and "(referendum_held)" in r.out


def test_explain_conditions_on_observations(cli) -> None:
    from .shared_paths import REPO

    obs = REPO / "examples" / "observed-hypothetical.yaml"
    r = cli("explain", "--question", "treaty_2026", "--observed", str(obs), "--paths", "4000",
            "--json", "--tornado-paths", "0")
    assert r.code == 0, r.err
    q = json.loads(r.out)["questions"][0]
    assert q["method"] == "montecarlo, conditioned"
    assert sum(b["share"] for b in q["blockers"]) == pytest.approx(1 - q["probability"],
                                                                  abs=1e-9)
    plain = json.loads(cli("explain", "--question", "treaty_2026", "--paths", "4000", "--json",
                           "--tornado-paths", "0").out)["questions"][0]
    assert q["probability"] < plain["probability"]  # months without a referendum weigh


def test_the_run_report_has_a_why_section(tmp_path, cli) -> None:
    r = cli("run", "--paths", "2000", "--out", str(tmp_path))
    assert r.code == 0, r.err
    page = (tmp_path / "index.html").read_text()
    assert "<h2>Why</h2>" in page and "has not happened" in page
    assert page.index("<h2>Questions</h2>") < page.index("<h2>Why</h2>")


def test_the_tornado_is_centred_on_the_answer_or_says_why_not(cli, monkeypatch) -> None:
    """Its ends are the answer plus each parameter's change in the quick tornado (issue 29: it
    was centred on its own smaller run, a different number from the answer above it)."""
    from accord.analysis.explain import drivers

    monkeypatch.setenv("COLUMNS", "80")
    args = ("explain", "--question", "treaty_2026", "--paths", "4000", "--tornado-paths", "200")
    q = json.loads(cli(*args, "--json").out)["questions"][0]
    own = drivers(load_scenario().scenario, RunSettings(paths=200, seed=20250403),
                  ["treaty_2026"])["treaty_2026"]
    assert [d["parameter"] for d in q["drivers"]] == [d["parameter"] for d in own]
    for got, raw in zip(q["drivers"], own, strict=True):
        assert got["base"] == q["probability"] and got["tornado_base"] == raw["base"]
        for end in ("p_at_low", "p_at_high"):
            assert got[end] == pytest.approx(
                min(1, max(0, q["probability"] + raw[end] - raw["base"])), abs=1e-12)
    r = cli(*args)
    assert r.code == 0, r.err
    p = pct(q["probability"])
    assert f"a tornado around {p}" in r.out and f"Centred on the answer, {p}" in r.out
    exact = cli("explain", "--question", "treaty_2026", "--exact", "--tornado-paths", "200")
    assert exact.code == 0, exact.err
    text = " ".join(exact.out.split())
    assert "not the answer's" in text and "exact at the parameters' central values" in text


def test_the_tornado_of_a_conditioned_explanation_is_conditioned_too(cli) -> None:
    from accord.analysis.explain import drivers
    from accord.scenario.observations import load_observations

    from .shared_paths import REPO

    obs = REPO / "examples" / "observed-hypothetical.yaml"
    q = json.loads(cli("explain", "--question", "treaty_2026", "--observed", str(obs),
                       "--paths", "4000", "--json", "--tornado-paths", "200").out)["questions"][0]
    s = load_scenario().scenario
    om = load_observations(obs).months(s)
    own = drivers(s, RunSettings(paths=200, seed=20250403), ["treaty_2026"],
                  observed=om)["treaty_2026"]
    assert q["drivers"][0]["tornado_base"] == own[0]["base"]
    assert q["drivers"][0]["base"] == q["probability"]
