"""Analysis: Sobol against Ishigami's known indices, tornado against direct runs, compare on
common random numbers, overlays, back-testing scores, sweeps serial = pool = Dask."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.backtest import Scored, score
from accord.analysis.compare import compare_dicts
from accord.analysis.run import Execution, RunSettings, run_scenario
from accord.analysis.sensitivity import (
    SensitivitySettings,
    TornadoSettings,
    low_high,
    sobol_indices,
    tornado,
)
from accord.analysis.sweep import SweepSettings, grid_design, run_sweep
from accord.analysis.variants import targets, uncertain_parameters
from accord.scenario.loader import load_scenario
from accord.scenario.overlay import load_with_overlays

from .conftest import CORPUS

BASE = CORPUS / "base.yaml"
ANALYSIS = CORPUS / "analysis"


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return (np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2
            + b * X[:, 2] ** 4 * np.sin(X[:, 0]))[:, None]


def test_sobol_recovers_ishigami_indices() -> None:
    a, b = 7.0, 0.1
    var = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    s1 = {"x1": v1 / var, "x2": v2 / var, "x3": 0.0}
    st = {"x1": (v1 + v13) / var, "x2": v2 / var, "x3": v13 / var}
    ppf = [lambda u: -np.pi + 2 * np.pi * u] * 3
    rows, _, n = sobol_indices(["x1", "x2", "x3"], ppf, ishigami, 2048, 3, ["y"])
    assert n == 2048 * 5
    for r in rows["y"]:
        v = r.values
        # within SALib's confidence interval (with a small floor for the exact zero of S1[x3])
        assert abs(v["S1"] - s1[r.parameter]) <= max(v["S1_conf"], 0.02), r
        assert abs(v["ST"] - st[r.parameter]) <= max(v["ST_conf"], 0.02), r


def test_tornado_equals_direct_runs_at_low_and_high(tmp_path: Path) -> None:
    s = load_scenario(BASE, sources=CORPUS).scenario
    goals = targets(s)
    res = tornado(s, RunSettings(paths=3000, seed=9), TornadoSettings(goals))
    unc = uncertain_parameters(s)
    assert set(unc) == {"events.talks.hazard"}  # the issue's numbers do not bear on events
    (row,) = res.rows["q_deal"]
    lo, hi = low_high(unc["events.talks.hazard"][1])
    assert (row.values["low_value"], row.values["high_value"]) == (lo, hi) == (0.1, 0.2)
    for value, key in ((lo, "p_at_low"), (hi, "p_at_high")):
        text = BASE.read_text().replace(
            "hazard: {low: 0.1, high: 0.2,", f"hazard: {{value: {value},"
        )
        f = tmp_path / f"direct-{value}.yaml"
        f.write_text(text)
        (tmp_path / "source.txt").write_text((CORPUS / "source.txt").read_text())
        direct = run_scenario(load_scenario(f).scenario, RunSettings(paths=3000, seed=9),
                              with_issues=False)
        assert direct.forecast.draws == 1
        assert row.values[key] == direct.forecast.questions[0].probability
    assert row.values["p_at_low"] < res.base["q_deal"] < row.values["p_at_high"]


def test_every_sensitivity_base_is_the_run_at_the_same_seed_and_paths() -> None:
    """The run, the tornado and Sobol report one base for one seed and paths, and a tornado bar
    is `accord run` of the scenario with that parameter fixed (the others drawn as before)."""
    from accord.analysis.sensitivity import sensitivity
    from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text, parse_scenario

    text = builtin_text(DEFAULT_SCENARIO)
    s = parse_scenario(text, "sc.yaml").scenario
    goals = targets(s, "treaty_2026")

    def p_run(scenario_text: str) -> float:
        sc = parse_scenario(scenario_text, "sc.yaml").scenario
        run = run_scenario(sc, RunSettings(paths=2000, seed=5), with_issues=False)
        return next(q.probability for q in run.forecast.questions if q.id == "treaty_2026")

    tor = sensitivity(s, RunSettings(paths=2000, seed=5),
                      SensitivitySettings(goals, "tornado", patterns=["events.referendum_held.*"]))
    sob = sensitivity(s, RunSettings(paths=2000, seed=5),
                      SensitivitySettings(goals, "sobol", 4, ["events.referendum_held.*"]))
    assert tor.base["treaty_2026"] == p_run(text) == sob.base["treaty_2026"]
    assert tor.draws == sob.draws == 200
    assert sob.design_mean is not None and 0 < sob.design_mean["treaty_2026"] < 1
    row = next(r for r in tor.rows["treaty_2026"] if r.parameter == "events.referendum_held.hazard")
    lo, hi = s.event("referendum_held").hazard.support()  # the scenario's own range
    assert (row.values["low_value"], row.values["high_value"]) == (lo, hi)
    for value, key in ((lo, "p_at_low"), (hi, "p_at_high")):
        fixed = text.replace(f"hazard:\n      low: {lo:g}\n      high: {hi:g}",
                             f"hazard:\n      value: {value}")
        assert fixed != text
        assert row.values[key] == p_run(fixed)
    assert row.values["p_at_low"] < tor.base["treaty_2026"] < row.values["p_at_high"]


def test_compare_with_itself_is_exactly_zero() -> None:
    s = load_scenario().scenario
    a = run_scenario(s, RunSettings(paths=2000, seed=4))
    b = run_scenario(s, RunSettings(paths=2000, seed=4))
    cmp = compare_dicts("a", a.to_dict(), "b", b.to_dict(), (a.sim, b.sim))
    assert cmp.questions and all(q.diff == 0 and q.stderr == 0 and q.paired for q in cmp.questions)
    assert all(d.diff == 0 for d in cmp.issues)


def test_paired_comparison_is_tighter_than_independent() -> None:
    base = load_scenario().scenario
    what_if = load_with_overlays(None, ["russia-refocuses-early"]).scenario
    a = run_scenario(base, RunSettings(paths=4000, seed=2), with_issues=False)
    b = run_scenario(what_if, RunSettings(paths=4000, seed=2), with_issues=False)
    cmp = compare_dicts("a", a.to_dict(), "b", b.to_dict(), (a.sim, b.sim))
    q = {x.id: x for x in cmp.questions}
    indep = np.hypot(*(next(y["stderr"] for y in r.to_dict()["forecast"]["questions"]
                            if y["id"] == "sabotage_2027") for r in (a, b)))
    assert q["sabotage_2027"].diff > 5 * q["sabotage_2027"].stderr  # an earlier refocus → sabotage
    assert q["sabotage_2027"].stderr < indep
    assert all(x.paired and x.stderr >= 0 for x in cmp.questions)


def test_built_in_overlays_apply_and_validate(seed_dir: Path) -> None:
    for name in ("russia-refocuses-early", "baku-commits-after-referendum"):
        loaded = load_with_overlays(None, [name], sources=seed_dir)
        assert loaded.warnings == []  # the overlays' quotes are in the article too
        assert loaded.scenario.meta.id.endswith(name)
    s = load_with_overlays(None, ["baku-commits-after-referendum"]).scenario
    assert s.event("baku_commits").chance.value == 1
    assert s.event("border_opened").hazard.low == 0.05  # untouched


def test_backtest_scores_by_hand() -> None:
    items = [Scored("a", 0.9, 1, "s"), Scored("b", 0.2, 0, "s"), Scored("c", 0.6, 0, "s")]
    sc = score(items)
    assert sc.brier == pytest.approx((0.1**2 + 0.2**2 + 0.6**2) / 3)
    assert sc.log == pytest.approx((np.log(0.9) + np.log(0.8) + np.log(0.4)) / 3)
    assert sc.brier_50 == 0.25 and sc.base_rate == pytest.approx(1 / 3)
    assert sc.brier_base_rate == pytest.approx(((2 / 3) ** 2 + 2 * (1 / 3) ** 2) / 3)
    assert sum(b["n"] for b in sc.calibration) == 3


def test_backtest_cli_with_resolutions(cli, tmp_path: Path) -> None:
    res = tmp_path / "res.csv"
    res.write_text("question,resolution\nq_deal,yes\n")
    r = cli("backtest", str(BASE), "--resolutions", str(res), "--paths", "1000", "--json",
            "--sources", str(CORPUS))
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    p = doc["items"][0]["probability"]
    assert doc["brier"] == pytest.approx((1 - p) ** 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("question,resolution\nq_deal,maybe\n")
    r = cli("backtest", str(BASE), "--resolutions", str(bad), "--paths", "100")
    assert r.code == 2 and f"{bad}:2" in r.err
    typo = tmp_path / "typo.csv"
    typo.write_text("question,resolution\nq_deal,yes\nq_dael,no\n")
    r = cli("backtest", str(BASE), "--resolutions", str(typo), "--paths", "100",
            "--sources", str(CORPUS))
    assert r.code == 2 and f"{typo}:3" in r.err and "q_dael" in r.err
    r = cli("backtest", str(BASE), "--resolutions", str(res), "--paths", "100",
            "--sources", str(CORPUS))
    assert "in hindsight" in r.out


def test_precision_adds_paths_until_reached() -> None:
    s = load_scenario(BASE, sources=CORPUS).scenario
    r = run_scenario(s, RunSettings(paths=500, seed=1, precision=0.01), with_issues=False)
    assert r.forecast.paths > 500
    assert max(q.stderr for q in r.forecast.questions) <= 0.01


def test_sweep_is_the_same_serially_on_a_pool_and_on_dask() -> None:
    from dask.distributed import LocalCluster

    s = load_scenario(BASE, sources=CORPUS).scenario
    design = grid_design(s, ANALYSIS / "grid.yaml")
    assert design.X.shape == (6, 2)
    goals = targets(s)
    serial = run_sweep(s, RunSettings(paths=1000, seed=5), SweepSettings(design, goals))
    pool = run_sweep(s, RunSettings(paths=1000, seed=5), SweepSettings(design, goals),
                     execution=Execution(workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dask = run_sweep(s, RunSettings(paths=1000, seed=5), SweepSettings(design, goals),
                         execution=Execution(cluster=cluster.scheduler_address))
    assert serial == pool == dask
    p = {(r["events.talks.hazard"], r["events.deal.hazard"]): r["q_deal"] for r in serial}
    assert p[(0.05, 0.1)] < p[(0.2, 0.1)] and p[(0.05, 0.1)] < p[(0.05, 0.5)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", str(BASE), "--with", str(ANALYSIS / "bad-overlay.yaml")], "unknown id 'talkz'"),
        (["sweep", str(BASE), "--grid", str(ANALYSIS / "empty-grid.yaml")], "non-empty list"),
        (["sweep", str(BASE), "--cluster", "tcp://127.0.0.1:9", "--samples", "2"], "--cluster"),
        (["sensitivity", str(BASE), "--question", "nope"], "unknown question 'nope'"),
        (["sweep", str(BASE)], "--grid"),
        (["compare", "999", "998"], "no run with id"),
    ],
)
def test_analysis_mistakes_exit_2(args: list[str], message: str, cli) -> None:
    r = cli(*args, "--sources", str(CORPUS)) if args[0] != "compare" else cli(*args)
    assert r.code == 2, r.err
    assert message in r.err and "Traceback" not in r.err
    if "bad-overlay" in " ".join(args):
        assert "bad-overlay.yaml:3" in r.err


def test_sensitivity_is_stored_and_reloadable(cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    r = cli("sensitivity", str(BASE), "--paths", "500", "--json", "--db", db, "--workers", "1",
            "--out", str(tmp_path / "sens"), "--sources", str(CORPUS))
    assert r.code == 0, r.err
    first = json.loads(r.out)
    again = json.loads(cli("sensitivity", "--from-run", str(first["run_id"]), "--json",
                           "--db", db).out)
    assert again == first
    assert (tmp_path / "sens" / "tornado-q_deal.png").exists()
    page = (tmp_path / "sens" / "index.html").read_text()
    assert "events.talks.hazard" in page and "<script src=" not in page


def test_morris_elementary_effects_of_a_linear_model_are_its_slopes() -> None:
    from accord.analysis.sensitivity import morris_effects

    def linear(X: np.ndarray) -> np.ndarray:
        return (3 * X[:, 0] - 0.5 * X[:, 1])[:, None]

    ppf = [lambda u: u, lambda u: 10 * u]  # x2 on [0, 10]: slope 0.5 per unit → 5 per quantile
    rows, _, _ = morris_effects(["x1", "x2"], ppf, linear, 10, 1, ["y"])
    got = {r.parameter: r.values for r in rows["y"]}
    assert got["x1"]["mu_star"] == pytest.approx(3) and got["x2"]["mu_star"] == pytest.approx(5)
    assert got["x1"]["sigma"] == pytest.approx(0, abs=1e-9)
    assert [r.parameter for r in rows["y"]] == ["x2", "x1"]
