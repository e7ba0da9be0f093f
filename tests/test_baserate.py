"""The outside view: reference classes against independent estimates, the shipped tables against
a rebuild, and reference events against their class's own curve (exact and Monte Carlo)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.baserate.hazard import months_since
from accord.baserate.outside import gap_words, odds_ratio
from accord.baserate.tables import TABLES, lookup
from accord.process.exact import solve
from accord.process.forecast import summarise
from accord.process.montecarlo import simulate
from accord.scenario.draws import central_draws
from accord.scenario.loader import parse_scenario
from accord.scenario.model import Scenario

from .shared_paths import SHARED

DATA = SHARED / "data" / "outside-view"
FILES = {"ucdp": DATA / "ucdp-peace-agreements-22.1.csv", "pax": DATA / "pax-3-agreements.csv",
         "icb": DATA / "icb1v14.csv"}
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared outside-view data not found")


def scenario(events: list[dict], as_of: str = "2025-01-01", horizon: int = 60,
             questions: list[dict] | None = None) -> Scenario:
    return Scenario.model_validate({
        "meta": {"id": "t", "title": "t", "as_of": as_of, "horizon": horizon},
        "actors": [{"id": "a", "name": "A", "capability": 1}],
        "events": [{"name": e["id"], **e} for e in events],
        "questions": questions or [],
    })


@needs_data
def test_show_agrees_with_an_independent_kaplan_meier(cli) -> None:
    """The test's own reading of the UCDP file, and lifelines' estimate on it."""
    from lifelines import KaplanMeierFitter

    raw = pd.read_csv(FILES["ucdp"])
    signed = pd.to_datetime(raw["pa_date"])
    end = pd.to_datetime(raw["duration"], errors="coerce")
    ended = raw["ended"] == 1
    keep = ~(ended & end.isna())  # terminated on an unknown date: cannot be placed
    stop = end.where(ended, pd.Timestamp("2021-12-31"))
    months = ((stop - signed).dt.days / (365.25 / 12))[keep]
    kmf = KaplanMeierFitter().fit(months, ended[keep])
    r = cli("baserate", "show", "ucdp.agreement_ends", "--horizon", "12,24,60", "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["n"] == int(keep.sum()) and doc["events"] == int(ended[keep].sum())
    band = kmf.confidence_interval_survival_function_
    for row in doc["horizons"]:
        expected = 1 - float(kmf.survival_function_at_times(row["months"]).iloc[0])
        assert row["probability"] == pytest.approx(expected, abs=2e-6)
        edge = band[band.index <= row["months"]].iloc[-1]  # lifelines' Greenwood log(-log) band
        assert row["low"] == pytest.approx(1 - edge.iloc[1], abs=2e-6)
        assert row["high"] == pytest.approx(1 - edge.iloc[0], abs=2e-6)
    assert "Högbladh" in doc["citation"]


@needs_data
def test_a_share_agrees_with_the_icb_file(cli) -> None:
    raw = pd.read_csv(FILES["icb"], encoding="utf-8-sig")
    known = raw["forout"].notna() & raw["yrtrig"].notna()
    share = raw.loc[known, "forout"].isin([1, 2]).mean()
    doc = json.loads(cli("baserate", "show", "icb.crisis_agreement", "--json").out)
    assert doc["probability"] == pytest.approx(share, abs=1e-6)
    assert doc["low"] < doc["probability"] < doc["high"]
    assert doc["horizons"] == []


@needs_data
def test_the_rebuild_reproduces_the_shipped_tables(cli, tmp_path: Path) -> None:
    args = [x for k, f in FILES.items() for x in (f"--{k}", str(f))]
    r = cli("baserate", "build", *args, "--out", str(tmp_path))
    assert r.code == 0, r.err
    shipped = sorted(p.name for p in TABLES.glob("*.json"))
    assert sorted(p.name for p in tmp_path.glob("*.json")) == shipped
    for name in shipped:
        assert (tmp_path / name).read_text() == (TABLES / name).read_text(), name


def test_list_names_at_least_eight_classes_with_their_citations(cli) -> None:
    doc = json.loads(cli("baserate", "list", "--json").out)
    ids = [c["id"] for c in doc["classes"]]
    assert {"ucdp.agreement_ends", "pax.comprehensive_after_first",
            "icb.crisis_agreement"} <= set(ids)
    assert len(ids) >= 8
    for c in doc["classes"]:
        assert {"id", "name", "n", "events", "origin", "source", "citation"} <= set(c)
        assert 0 <= c["events"] <= c["n"] and c["citation"]


def test_reading_the_tables_imports_no_pandas_lifelines_nor_numpy() -> None:
    code = ("import sys; from accord.cli import main\n"
            "try: main(['baserate', 'show', 'ucdp.agreement_ends', '--json'])\n"
            "except SystemExit: pass\n"
            "sys.stderr.write(repr([m for m in ('pandas', 'lifelines', 'scipy.stats', 'numpy') "
            "if m in sys.modules]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stderr.strip().endswith("[]"), r.stderr


@pytest.mark.parametrize("where, since", [({}, None), ({"incompatibility": "territory"},
                                                         "2023-06-15")])
def test_a_reference_event_forecasts_its_class_curve(where: dict, since: str | None) -> None:
    """Exact to 1e-9 and Monte Carlo within 3 s.e., at every month of five years."""
    ref = {"class": "ucdp.agreement_ends", "where": where, **({"since": since} if since else {})}
    sc = scenario([{"id": "ends", "reference": ref}])
    est = lookup("ucdp.agreement_ends", where)
    d = 0.0 if since is None else months_since(dt.date.fromisoformat(since), sc.meta.as_of)
    expected = np.array([est.probability(h, d)[0] for h in range(61)])
    ex = solve(sc)
    assert np.max(np.abs(np.asarray(ex.probability[0]) - expected)) < 1e-9
    fc = summarise(sc, simulate(sc, central_draws(sc), 40_000, 3))
    p, se = np.array(fc.events["ends"].probability), np.array(fc.events["ends"].stderr)
    assert np.all(np.abs(p - expected)[1:] <= 3 * se[1:] + 1e-12)


def test_a_share_class_gives_a_chance_its_probability_and_modifiers_multiply_a_curve() -> None:
    sc = scenario([
        {"id": "deal", "reference": "icb.crisis_agreement"},
        {"id": "ends", "reference": "ucdp.agreement_ends",
         "modifiers": [{"if": "deal", "multiply": 0.5}]},
    ], horizon=24)
    ex = solve(sc)
    share = lookup("icb.crisis_agreement").data["probability"]
    assert ex.probability[0][1] == pytest.approx(share, abs=1e-12)
    # the deal resolves in month 1; from month 2 on, paths with it have half the class's hazard
    est, h = lookup("ucdp.agreement_ends"), np.arange(25)
    s = np.array(est.survival(h.astype(float)))
    haz = 1 - s[1:] / s[:-1]
    surv_yes = np.cumprod(np.r_[1 - haz[0], 1 - 0.5 * haz[1:]])
    surv_no = np.cumprod(1 - haz)
    expected = 1 - (share * surv_yes + (1 - share) * surv_no)
    assert np.allclose(ex.probability[1][1:], expected, atol=1e-12)
    fc = summarise(sc, simulate(sc, central_draws(sc), 40_000, 5))
    p, se = np.array(fc.events["ends"].probability), np.array(fc.events["ends"].stderr)
    assert np.all(np.abs(p[1:] - expected) <= 3 * se[1:] + 1e-12)


def test_the_band_is_a_parameter_whose_draws_spread_the_forecast() -> None:
    from accord.analysis.run import RunSettings, run_scenario

    sc = scenario([{"id": "ends", "reference": "ucdp.agreement_ends"}],
                  questions=[{"id": "q", "text": "?", "event": "ends", "by": "2026-12-31"}])
    assert "events[0].reference.band" in dict(sc.parameters())
    res = run_scenario(sc, RunSettings(paths=20_000, draws=100, seed=1))
    q = res.forecast.questions[0]
    view = q.outside_view
    assert view["class"] == "ucdp.agreement_ends" and view["n"] == lookup(
        "ucdp.agreement_ends").n
    assert view["low"] < view["probability"] < view["high"]
    assert q.band[0] < view["probability"] < q.band[1]
    assert abs(q.probability - view["probability"]) < 4 * q.stderr + 0.01


def test_run_json_carries_the_outside_view_or_null(cli, tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("""meta: {id: s, title: S, as_of: 2025-01-01, horizon: 24}
actors: [{id: a, name: A, capability: {value: 1, assumption: one actor}}]
events:
  - {id: ends, name: Ends, reference: ucdp.agreement_ends}
  - {id: other, name: Other, hazard: {value: 0.02, assumption: a guess}}
questions:
  - {id: q_ends, text: Ends?, event: ends, by: 2025-12-31}
  - {id: q_other, text: Other?, event: other, by: 2025-12-31}
  - {id: q_own, text: Other vs history?, event: other, by: 2025-12-31,
     reference: {class: ucdp.agreement_ends, where: {type: full}}}
""")
    r = cli("run", str(f), "--paths", "2000", "--json", "--out", str(tmp_path / "r"))
    assert r.code == 0, r.err
    qs = {q["id"]: q for q in json.loads(r.out)["forecast"]["questions"]}
    assert qs["q_other"]["outside_view"] is None
    assert qs["q_ends"]["outside_view"]["class"] == "ucdp.agreement_ends"
    assert qs["q_own"]["outside_view"]["where"] == {"type": "full"}
    full = lookup("ucdp.agreement_ends", {"type": "full"})
    assert qs["q_own"]["outside_view"]["n"] == full.n
    assert set(qs["q_ends"]["outside_view"]) >= {"class", "probability", "low", "high", "n"}


def test_the_gap_is_said_beyond_a_factor_of_two_in_odds() -> None:
    assert odds_ratio(0.5, 0.2) == pytest.approx(4.0)
    assert gap_words(0.5, 0.2) and "4.0× above" in gap_words(0.5, 0.2)
    assert gap_words(0.1, 0.4) and "below" in gap_words(0.1, 0.4)
    assert gap_words(0.3, 0.25) is None


BAD = [
    ("reference: ucdp.agreemnt_ends", "did you mean 'ucdp.agreement_ends'"),
    ("chance: {value: 0.3, assumption: x}\n    reference: ucdp.agreement_ends",
     "it gives a monthly hazard"),
    ("hazard: {value: 0.3, assumption: x}\n    reference: icb.crisis_agreement",
     "it gives a one-off chance"),
    ("scheduled: 2025-06\n    reference: ucdp.agreement_ends", "cannot be the rate of a"),
    ("reference: {class: ucdp.agreement_ends, where: {region: mars}}", "no case of"),
    ("reference: {class: ucdp.agreement_ends, where: {colour: red}}", "cannot be filtered"),
    ("reference: {class: ucdp.agreement_ends, since: 2026-01-01}", "after the scenario's as_of"),
    ("reference: {class: ucdp.agreement_ends, since: 1960-01-01}", "data begin (1975)"),
    ("reference: {class: ucdp.agreement_ends, where: {region: americas, era: cold_war}}",
     "fewer than 5 cases"),
]


@pytest.mark.parametrize("line, message", BAD)
def test_a_bad_reference_is_a_user_error_at_its_line(cli, tmp_path: Path, line: str,
                                                       message: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("meta: {id: s, title: S, as_of: 2025-01-01, horizon: 24}\n"
                 "actors: [{id: a, name: A, capability: {value: 1, assumption: x}}]\n"
                 "events:\n  - id: e\n    name: E\n    " + line + "\n")
    r = cli("validate", str(f))
    assert r.code == 2
    assert message in r.err and f"{f}:" in r.err and "events[0]" in r.err
    assert "Traceback" not in r.err


def test_thin_filters_warn_and_empty_ones_are_refused(cli) -> None:
    thin = cli("baserate", "show", "pax.comprehensive_after_first", "--where",
               "conflict=interstate", "--json")
    assert thin.code == 0 and "fewer than 20" in thin.err
    assert json.loads(thin.out)["warning"]
    for args in (["--where", "region=mars"], ["--where", "era=1990s", "--where", "type=full",
                                              "--where", "region=asia"], ["--where", "region"]):
        r = cli("baserate", "show", "ucdp.agreement_ends", *args)
        assert r.code == 2 and "Traceback" not in r.err
    r = cli("baserate", "show", "ucdp.agreement_end")
    assert r.code == 2 and "did you mean 'ucdp.agreement_ends'" in r.err


@needs_data
def test_a_rebuild_from_the_wrong_file_names_the_file_and_columns(cli, tmp_path: Path) -> None:
    r = cli("baserate", "build", "--ucdp", str(FILES["pax"]), "--out", str(tmp_path))
    assert r.code == 2 and str(FILES["pax"]) in r.err and "pa_date" in r.err
    cut = tmp_path / "cut.csv"
    pd.read_csv(FILES["icb"], encoding="utf-8-sig").drop(columns=["forout"]).to_csv(cut)
    r = cli("baserate", "build", "--icb", str(cut), "--out", str(tmp_path))
    assert r.code == 2 and str(cut) in r.err and "forout" in r.err
    assert not (tmp_path / "index.json").exists()


@needs_data
def test_evaluate_scores_the_later_cases_against_climatology_and_a_coin(cli) -> None:
    r = cli("baserate", "evaluate", "ucdp.agreement_ends", "--split", "2005",
            "--ucdp", str(FILES["ucdp"]), "--json")
    assert r.code == 0, r.err
    scores = json.loads(r.out)["scores"]
    assert [s["months"] for s in scores] == [12, 24, 60]
    raw = pd.read_csv(FILES["ucdp"])
    signed = pd.to_datetime(raw["pa_date"])
    end = pd.to_datetime(raw["duration"], errors="coerce")
    ended = (raw["ended"] == 1) & end.notna()
    undated = (raw["ended"] == 1) & end.isna()
    months = (end.where(ended, pd.Timestamp("2021-12-31")) - signed).dt.days / (365.25 / 12)
    test = (signed.dt.year >= 2005) & ~undated
    for s in scores:
        h = s["months"]
        hit = ended & (months <= h)
        resolved = test & (hit | (months >= h))
        y = hit[resolved].astype(float)
        assert s["n"] == int(resolved.sum())
        p = s["forecast"]["class"]
        assert s["brier"]["class"] == pytest.approx(float(np.mean((p - y) ** 2)))
        assert s["brier"]["coin"] == pytest.approx(0.25)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgiklmnoprstuy_=.09 ", max_size=14), max_size=3))
def test_any_where_is_an_answer_or_a_user_error(where: list[str]) -> None:
    from accord.cli import main

    args = ["baserate", "show", "ucdp.agreement_ends", "--json"]
    for w in where:
        args += ["--where", w]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, 2, None)


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.text(max_size=20), st.dictionaries(
    st.sampled_from(["class", "since", "where", "band", "x"]),
    st.one_of(st.text(max_size=12), st.integers(), st.dates().map(str)), max_size=3)))
def test_any_reference_field_parses_or_is_located(value: object) -> None:
    import yaml

    text = yaml.safe_dump({
        "meta": {"id": "s", "title": "S", "as_of": "2025-01-01", "horizon": 12},
        "actors": [{"id": "a", "name": "A", "capability": 1}],
        "events": [{"id": "e", "name": "E", "reference": value}]}, sort_keys=False)
    from accord.errors import UserError

    try:
        parse_scenario(text, "p.yaml")
    except UserError as exc:
        assert all(p.file == "p.yaml" and p.line for p in exc.problems), str(exc)


@pytest.mark.parametrize("name, kind", [
    ("Valdoria and Ostmark sign the border treaty", "agreement_signed"),
    ("The parties finalised an accord", "agreement_signed"),
    ("The truce collapses", "ceasefire_broken"),
    ("the ceasefire broke down", "ceasefire_broken"),
    ("The peace accord collapses", "agreement_breaks_down"),
    ("The crisis ends", "crisis_ends"),
    ("Talks resume in Geneva", "talks_held"),
    ("The dockers strike", "strike"),
    ("The air strikes resume", None),
])
def test_drafted_events_are_typed_by_their_words_lemmatised(name: str, kind: str | None) -> None:
    from accord.draft.typology import kind_of

    found = kind_of(name)
    assert (found.id if found else None) == kind


def test_a_draft_starts_an_untold_rate_from_its_reference_class(cli, tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text(
        "Valdoria and Ostmark, 4 March 2026.\n\n"
        "Negotiators from Valdoria and Ostmark say the two governments will sign a peace "
        "agreement in the coming months. Diplomats fear the peace accord could collapse if "
        "the militias in the north keep shelling the border towns.\n")
    out = tmp_path / "d.yaml"
    assert cli("draft", str(text), "--out", str(out)).code == 0
    r = cli("validate", str(out), "--sources", str(tmp_path))
    assert r.code == 0, r.err
    assert "pax.comprehensive_after_first" in r.out and "ucdp.agreement_ends" in r.out
    assert "from a reference class" in r.out
