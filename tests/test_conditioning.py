"""Conditioning on observations: closed forms, Monte Carlo against the exact solver, the CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from scipy.special import betaln

from accord.analysis.run import Execution, RunSettings, run_scenario
from accord.process.condition import conditioned_forecast, conditioned_summary
from accord.process.exact import exact_forecast
from accord.process.forecast import summarise
from accord.process.montecarlo import simulate_summary
from accord.scenario.draws import central_draws, sample_draws
from accord.scenario.loader import parse_scenario
from accord.scenario.observations import observations_from_text

ROOT = Path(__file__).resolve().parents[1]


def scenario(events: str, horizon: int = 24):
    text = ("meta: {id: t, title: T, as_of: 2025-01-01, horizon: " + str(horizon) + "}\n"
            "actors: [{id: a, name: A, capability: 1}]\nevents:\n")
    return parse_scenario(text + textwrap.dedent(events), "t.yaml").scenario


def observe(sc, text: str):
    return observations_from_text(textwrap.dedent(text), "o.yaml").months(sc)


def mc(sc, om, m: int, k: int, seed: int = 3):
    d = sample_draws(sc, m, seed) if m > 1 else central_draws(sc)
    summ = conditioned_summary(sc, d, k, seed, om)
    fc, full = conditioned_forecast(sc, summ, om)
    return fc, summ, d


def close(got: float, want: float, se: float, k: float = 4.5) -> bool:
    return abs(got - want) <= k * se + 1e-12


def test_beta_hazard_not_firing_for_n_months():
    """h ~ Beta(a, b), not fired for n months: posterior Beta(a, b + n), and
    P(fires within m more months) = 1 − B(a, b + n + m) / B(a, b + n)."""
    a, b, n = 2, 10, 10
    sc = scenario(f"  - {{id: x, name: X, hazard: {{dist: beta, a: {a}, b: {b}}}}}\n")
    om = observe(sc, "observed:\n  - {event: x, not_by: 2025-11-01}\n")
    assert om.months == n
    fc, summ, d = mc(sc, om, 3000, 40)
    h = d["events[0].hazard"]
    lk = summ.likelihood
    np.testing.assert_allclose(lk, (1 - h) ** n, rtol=1e-6)  # each path's weight is exact
    post_mean = float((h * lk).sum() / lk.sum())
    se_h = float(np.sqrt((lk**2 * (h - post_mean) ** 2).sum()) / lk.sum())
    assert close(post_mean, a / (a + b + n), se_h)
    for m in (1, 3, 6, 14):
        want = 1 - np.exp(betaln(a, b + n + m) - betaln(a, b + n))
        got, se = fc.events["x"].probability[m], fc.events["x"].stderr[m]
        assert close(got, want, se), (m, got, want, se)
    assert fc.horizon == 14 and fc.dates[0] == "2025-11-01"
    assert fc.events["x"].probability[0] == 0.0  # not fired by the forecast's start


def test_observed_occurrence_of_a_precondition():
    """A ~ Beta(a, b) observed in month s; B (when A, hazard q) unobserved: B is enabled from
    month s + 1, so P(B by month T | obs) = 1 − (1 − q)^(T − s); A's posterior Beta(a+1, b+s−1)."""
    a, b, q = 2, 6, 0.25
    sc = scenario(f"""\
      - {{id: x, name: X, hazard: {{dist: beta, a: {a}, b: {b}}}}}
      - {{id: y, name: Y, when: x, hazard: {q}}}
    """)
    om = observe(sc, "as_of: 2025-07-01\nobserved:\n  - {event: x, on: 2025-04-10}\n")
    s_on, big_s = 4, 6  # 2025-04-10 lies in month 4; as_of completes 6 months
    assert om.fire == {s_on: {0}} and om.months == big_s
    fc, summ, d = mc(sc, om, 2000, 40)
    h = d["events[0].hazard"]
    lk = summ.likelihood
    np.testing.assert_allclose(lk, (1 - h) ** (s_on - 1) * h, rtol=1e-6)
    post = float((h * lk).sum() / lk.sum())
    se_h = float(np.sqrt((lk**2 * (h - post) ** 2).sum()) / lk.sum())
    assert close(post, (a + 1) / (a + b + s_on), se_h)
    for j in (0, 1, 5, 12):
        want = 1 - (1 - q) ** (big_s + j - s_on)
        got, se = fc.events["y"].probability[j], fc.events["y"].stderr[j]
        assert close(got, want, se), (j, got, want, se)
    np.testing.assert_allclose(fc.events["x"].probability, 1.0)


def test_latent_event_whose_window_closed():
    """L (when not X) is never observed; X is observed in month s, so L could fire in months
    1..s only: P(L occurred | obs) = 1 − E[(1 − p)^s] = 1 − B(a, b + s) / B(a, b), flat after."""
    a, b, s_on = 2, 8, 5
    sc = scenario(f"""\
      - {{id: x, name: X, hazard: 0.1}}
      - {{id: latent, name: L, when: not x, hazard: {{dist: beta, a: {a}, b: {b}}}}}
    """)
    om = observe(sc, "as_of: 2025-09-01\nobserved:\n  - {event: x, on: 2025-05-15}\n")
    fc, summ, _ = mc(sc, om, 1000, 80)
    want = 1 - np.exp(betaln(a, b + s_on) - betaln(a, b))
    p = fc.events["latent"].probability
    assert close(p[0], want, fc.events["latent"].stderr[0])
    assert p == [p[0]] * len(p)  # the window is closed: nothing more can happen
    assert 0.2 < p[0] < 0.7  # neither occurred nor ruled out: its past stays uncertain


SMALL = """\
  - {id: x, name: X, hazard: 0.2}
  - {id: y, name: Y, when: x, hazard: 0.3, effects: {cancels: [w]}}
  - {id: z, name: Z, when: not x, hazard: 0.1}
  - {id: r, name: R, repeatable: 0.25, when: y}
  - {id: w, name: W, chance: 0.4, when: "since(x) >= 2"}
  - {id: v, name: V, when: "count(r) >= 2 or z", hazard: 0.15,
     modifiers: [{if: "date >= 2025-09", multiply: 2}]}
"""


@pytest.mark.parametrize("obs", [
    "as_of: 2025-06-01\nobserved:\n  - {event: x, on: 2025-03-10}\n"
    "  - {event: y, not_by: 2025-05-01}\n",
    "as_of: 2025-08-01\nobserved:\n  - {event: x, on: 2025-02-10}\n"
    "  - {event: r, count: 1, by: 2025-08-01}\n  - {event: w, cancelled: true}\n",
    "observed:\n  - {event: z, on: 2025-02-10}\n  - {event: x, not_by: 2025-05-01}\n",
])
def test_exact_and_monte_carlo_conditioning_agree_at_every_month(obs):
    sc = scenario(SMALL, horizon=14)
    om = observe(sc, obs)
    ex = exact_forecast(sc, central_draws(sc), observed=om)
    fc, summ, _ = mc(sc, om, 1, 150_000, seed=11)
    assert summ.ess > 10_000
    for eid in sc.event_ids:
        e, m = np.array(ex.events[eid].probability), np.array(fc.events[eid].probability)
        se = np.array(fc.events[eid].stderr)
        assert e.shape == m.shape
        assert np.all(np.abs(e - m) <= 4.5 * se + 2e-3), (eid, e, m, se)
    for qe, qm in zip(ex.questions, fc.questions, strict=True):
        assert qe.id == qm.id


def test_no_observations_means_the_unconditioned_forecast():
    """An empty observation list clamps nothing: the same paths, weight 1, the same forecast."""
    sc = scenario(SMALL, horizon=14)
    om = observe(sc, "observed: []\n")
    assert om.months == 0
    d = central_draws(sc)
    fc, _ = conditioned_forecast(sc, conditioned_summary(sc, d, 5000, 4, om), om)
    plain = summarise(sc, simulate_summary(sc, d, 5000, 4))
    for eid in sc.event_ids:
        np.testing.assert_allclose(fc.events[eid].probability, plain.events[eid].probability)


def test_run_adds_paths_until_the_effective_sample_is_adequate():
    sc = scenario("  - {id: x, name: X, hazard: {dist: beta, a: 1, b: 3}}\n")
    om = observe(sc, "observed:\n  - {event: x, not_by: 2026-01-01}\n")
    res = run_scenario(sc, RunSettings(paths=2000, draws=100, seed=5), with_issues=False,
                       observed=om)
    ob = res.observed
    assert ob["effective_paths"] >= 0.95 * 2000 and ob["paths"] > 2000
    (p,) = ob["parameters"]
    assert p["name"] == "x.hazard" and p["posterior_mean"] < p["prior_mean"]
    assert res.scenario.meta.as_of.isoformat() == "2026-01-01"


def test_impossible_observations_are_a_user_error():
    from accord.errors import UserError

    sc = scenario("  - {id: x, name: X, hazard: 0.1}\n"
                  "  - {id: y, name: Y, when: 'since(x) >= 3', hazard: 0.5}\n")
    om = observe(sc, "observed:\n  - {event: x, on: 2025-02-10}\n  - {event: y, on: 2025-03-10}\n")
    with pytest.raises(UserError, match="no simulated path is consistent"):
        run_scenario(sc, RunSettings(paths=500, seed=1), with_issues=False, observed=om)


def cli(args, capsys):
    from accord.cli import main

    with pytest.raises(SystemExit) as exc:
        main(args)
    got = capsys.readouterr()
    return exc.value.code, got.out, got.err


def test_cli_run_and_forecast_observed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    obs = str(ROOT / "examples" / "observed-hypothetical.yaml")
    code, out, err = cli(["run", "--observed", obs, "--paths", "1500", "--draws", "50",
                          "--json", "--no-report", "--record"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["observed"]["as_of"] == "2026-06-03" and doc["as_of"] == "2026-06-03"
    assert doc["forecast"]["dates"][0] == "2026-06-03"
    code, out, err = cli(["ledger", "list", "--json"], capsys)
    entries = json.loads(out)
    rows = entries if isinstance(entries, list) else entries.get("entries", [])
    assert rows and all(r.get("observations_hash") == doc["observed"]["hash"] for r in rows
                        if r.get("kind") == "forecast")
    code, out, err = cli(["forecast", "--event", "treaty_signed", "--by", "2026-12-31",
                          "--paths", "1500", "--draws", "50", "--observed", obs, "--json"],
                         capsys)
    assert code == 0, err
    assert 0 <= json.loads(out)["probability"] <= 1
    code, out, err = cli(["forecast", "--event", "treaty_signed", "--by", "2025-12-31",
                          "--paths", "500", "--observed", obs], capsys)
    assert code == 2 and "--by" in err


def test_docs_walk_through_commands_run(tmp_path, capsys, monkeypatch):
    """docs/how-to/keep-current.md's walk-through, command by command (the run with fewer
    paths, for speed)."""
    import re
    import shlex
    import shutil

    text = (ROOT / "docs" / "how-to" / "keep-current.md").read_text(encoding="utf-8")
    section = text.split("## Walk-through: a forecast brought up to date", 1)[1].split("\n## ")[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the walk-through's commands"
    commands = [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]
    assert [c[:2] for c in commands] == [["accord", "run"], ["accord", "ledger"],
                                         ["accord", "ledger"], ["accord", "ledger"],
                                         ["accord", "ledger"]]
    assert "HYPOTHETICAL" in (ROOT / "examples" / "observed-hypothetical.yaml").read_text()
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "observed-hypothetical.yaml", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    for cmd in commands:
        args = cmd[1:] + (["--paths", "1500", "--draws", "50"] if cmd[1] == "run" else [])
        code, out, err = cli(args, capsys)
        assert code == 0, (cmd, out, err)
        if cmd[1] == "run":
            assert "Conditioned on 4 observed events to 2026-06-03" in out
            assert "effective sample size" in out
    assert "ledger intact" in out


def test_compare_and_sensitivity_take_observed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    sc = tmp_path / "s.yaml"
    sc.write_text("meta: {id: s, title: S, as_of: 2025-01-01, horizon: 12}\n"
                  "actors: [{id: a, name: A, capability: 1}]\nevents:\n"
                  "  - {id: x, name: X, hazard: {dist: beta, a: 2, b: 8, assumption: t}}\n"
                  "questions: [{id: q, text: Q, event: x, by: 2025-12-31}]\n")
    obs = tmp_path / "o.yaml"
    obs.write_text("observed:\n  - {event: x, not_by: 2025-07-01}\n")
    code, out, err = cli(["compare", str(sc), str(sc), "--paths", "2000", "--observed", str(obs),
                          "--json"], capsys)
    assert code == 0, err
    (q,) = json.loads(out)["questions"]
    assert q["diff"] == 0.0
    code, plain, err = cli(["run", str(sc), "--paths", "2000", "--json", "--no-report"], capsys)
    p_plain = json.loads(plain)["forecast"]["questions"][0]["probability"]
    assert q["a"] < p_plain  # six quiet months: less likely by the end of the year
    code, out, err = cli(["sensitivity", str(sc), "--paths", "300", "--observed", str(obs),
                          "--json", "--out", str(tmp_path / "rep")], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert 0 < doc["base"]["q"] < p_plain
    code, out, err = cli(["compare", "1", "2", "--observed", str(obs)], capsys)
    assert code == 2 and "--observed" in err


def test_cli_exact_observed_agrees_with_monte_carlo(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    sc = tmp_path / "s.yaml"
    sc.write_text("meta: {id: s, title: S, as_of: 2025-01-01, horizon: 12}\n"
                  "actors: [{id: a, name: A, capability: 1}]\nevents:\n"
                  "  - {id: x, name: X, hazard: {value: 0.2, assumption: t}}\n"
                  "  - {id: y, name: Y, when: x, hazard: {value: 0.3, assumption: t}}\n"
                  "questions: [{id: q, text: Q, event: y, by: 2025-12-31}]\n"
                  "observed:\n  - {event: x, on: 2025-03-10}\n  - {event: y, not_by: 2025-06-01}\n")
    code, out, err = cli(["run", str(sc), "--exact", "--json", "--no-report"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    (q,) = doc["forecast"]["questions"]
    assert doc["observed"]["months"] == 5
    # by the end of 2025-12-31 is step 12: y free from month 6 to 12
    assert q["probability"] == pytest.approx(1 - 0.7 ** (12 - 5))
    code, out, err = cli(["run", str(sc), "--paths", "20000", "--json", "--no-report"], capsys)
    (m,) = json.loads(out)["forecast"]["questions"]
    assert abs(m["probability"] - q["probability"]) <= 4.5 * m["stderr"]


def test_conditioned_run_on_a_pool_and_on_dask_equals_the_serial_run():
    """Conditioned rounds split over processes or Dask and merged: the same forecast, the same
    ESS and paths (weighted sums agree up to the order of floating-point additions)."""
    from dask.distributed import LocalCluster

    sc = scenario("""\
      - {id: x, name: X, hazard: {dist: beta, a: 1, b: 3}}
      - {id: y, name: Y, hazard: {low: 0.05, high: 0.2}, when: x}
    """)
    om = observe(sc, "observed:\n  - {event: x, not_by: 2025-09-01}\n")
    settings = RunSettings(paths=30_000, draws=50, seed=8)
    serial = run_scenario(sc, settings, with_issues=False, observed=om)
    pool = run_scenario(sc, settings, with_issues=False, observed=om,
                        execution=Execution(workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dask = run_scenario(sc, settings, with_issues=False, observed=om,
                            execution=Execution(cluster=cluster.scheduler_address))
    for other in (pool, dask):
        assert other.observed["paths"] == serial.observed["paths"] > 30_000
        assert other.observed["effective_paths"] == pytest.approx(
            serial.observed["effective_paths"], rel=1e-9)
        for eid in sc.event_ids:
            np.testing.assert_allclose(other.forecast.events[eid].probability,
                                       serial.forecast.events[eid].probability, rtol=1e-9)


PAIR = ("meta: {{id: s, title: S, as_of: 2025-01-01, horizon: 12}}\n"
        "actors: [{{id: a, name: A, capability: 1}}]\nevents:\n"
        "  - {{id: x, name: X, hazard: {{dist: beta, a: {a}, b: 8, assumption: t}}}}\n"
        "  - {{id: y, name: Y, hazard: {{dist: beta, a: 2, b: 10, assumption: t}},"
        " when: 'not x'}}\n"
        "questions: [{{id: q, text: Q, event: y, by: 2025-12-31}}]\n")


def _conditioned_target(a: float, seed: int):
    from accord.analysis.compare import Target

    sc = parse_scenario(PAIR.format(a=a), "s.yaml").scenario
    om = observe(sc, "observed:\n  - {event: x, not_by: 2025-05-01}\n")
    r = run_scenario(sc, RunSettings(paths=1500, seed=seed, draws=50), observed=om,
                     with_issues=False)
    return Target(f"a={a}", r.to_dict(), scenario=sc, observed=om, summary=r.summary)


def test_conditioned_runs_compare_paired_and_the_error_matches_the_spread_over_seeds():
    """Two conditioned scenarios (B's x more likely, so B's observations less so and its run
    grows more paths) on the same draws and dice: the delta-method paired s.e. agrees with the
    spread of B − A over independent seeds, and is well below the independent s.e."""
    from accord.analysis.compare import compare_targets

    diffs, ses, independent = [], [], []
    for seed in range(12):
        a, b = _conditioned_target(2, seed), _conditioned_target(5, seed)
        assert a.summary.n_paths != b.summary.n_paths  # grown to their own ESS
        (q,) = compare_targets(a, b).questions
        assert q.paired
        diffs.append(q.diff)
        ses.append(q.stderr)
        qa, qb = (t.results["forecast"]["questions"][0] for t in (a, b))
        independent.append(np.hypot(qa["stderr"], qb["stderr"]))
    spread = float(np.std(diffs, ddof=1))
    assert 0.5 < float(np.sqrt(np.mean(np.square(ses)))) / spread < 2.0
    assert np.mean(ses) < 0.6 * np.mean(independent)
    assert -np.mean(diffs) > 3 * spread / np.sqrt(len(diffs))  # B's x blocks y more often


def test_stored_conditioned_runs_compare_paired_as_fresh_ones_do(tmp_path, capsys, monkeypatch):
    """A stored conditioned run keeps its observations (canonical form): two of them are
    simulated again at their stored sizes and paired, with the very numbers of a fresh paired
    compare; a run stored without them (an older store) compares independently."""
    from accord.store.runs import RunStore

    monkeypatch.setenv("ACCORD_HOME", str(tmp_path))
    obs = tmp_path / "o.yaml"
    obs.write_text("observed:\n  - {event: x, not_by: 2025-05-01}\n")
    files = []
    for a in (2, 5):
        sc = tmp_path / f"s{a}.yaml"
        sc.write_text(PAIR.format(a=a))
        files.append(str(sc))
        code, _, err = cli(["run", str(sc), "--paths", "1500", "--draws", "50", "--observed",
                            str(obs), "--record", "--no-report", "--json"], capsys)
        assert code == 0, err
    code, out, err = cli(["compare", "1", "2", "--json"], capsys)
    assert code == 0, err
    (stored,) = json.loads(out)["questions"]
    code, out, err = cli(["compare", *files, "--paths", "1500", "--draws", "50", "--observed",
                          str(obs), "--json"], capsys)
    assert code == 0, err
    (fresh,) = json.loads(out)["questions"]
    assert stored["paired"] and fresh["paired"]
    assert (stored["diff"], stored["stderr"]) == (fresh["diff"], fresh["stderr"])
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    rec = store.get(2)
    del rec.results["observed"]["canonical"]  # as a run stored before they were kept
    from accord.analysis.compare import Target, compare_targets

    old = Target("run 2", rec.results, scenario_text=rec.scenario_text)
    new = store.get(1)
    (q,) = compare_targets(Target("run 1", new.results, scenario_text=new.scenario_text),
                           old).questions
    assert not q.paired and q.stderr > 0
