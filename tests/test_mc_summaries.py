"""Monte Carlo as additive per-chunk summaries gives the numbers the per-path code gave.

tests/data/mc_reference.json holds forecasts computed by the code as it stood before the
summaries (see tests/data/make_reference.py): same seed, same numbers, bit for bit — curves,
standard errors, questions, path orders, `--precision` runs, sweep variants, and the per-draw
histograms everything is computed from (by their SHA-256). The parameter bands are left out of
the field-by-field comparison: their method has changed since (tests/test_forecast_band.py);
equal per-draw histograms give equal bands under any method. One number may differ in its
last bits: with a single parameter draw the s.e. of a repeatable's mean count was np.std over
the paths' counts and is now computed from exact integer sums (order-free, so mergeable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.run import Execution, RunSettings, run_scenario
from accord.analysis.variants import Target, evaluate
from accord.process.deadline import RULE, Deadline
from accord.process.forecast import question_deadline
from accord.scenario.loader import load_scenario

# the first release's built-in scenario: the references were computed on it
FROZEN = Path(__file__).parent / "data" / "south-caucasus-2025-first-release.yaml"

REF = json.loads((Path(__file__).parent / "data" / "mc_reference.json").read_text())
LAST_BITS = {"mean_count_stderr"}  # see the module docstring
BANDS = {"band_low", "band_high", "band50_low", "band50_high", "band"}  # method changed, or new


def _same(a: object, b: object, where: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() - BANDS == b.keys() - BANDS, where
        for k in a:
            if k in BANDS or k not in b:
                continue
            if k in LAST_BITS and isinstance(a[k], float) and isinstance(b[k], float):
                assert math.isclose(a[k], b[k], rel_tol=1e-12, abs_tol=1e-15), f"{where}.{k}"
            else:
                _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _doc(forecast) -> str:  # noqa: ANN001
    return json.dumps(forecast.to_dict())  # NaN (a band left out) equals itself here


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(FROZEN).scenario


def _same_questions(scenario, got: dict, ref: dict, where: str) -> None:  # noqa: ANN001
    """The references read each question at its last whole month (the date rule before
    accord.process.deadline); now a question reads the same curve at the end of its day."""
    for q, rq in zip(got["questions"], ref["questions"], strict=True):
        curve = ref["events"][q["event"]]["probability"]
        assert rq["probability"] == curve[rq["step"]], where  # the old rule, as recorded
        at = question_deadline(scenario, dt.date.fromisoformat(q["by"]))
        assert (q["id"], q["step"], q["at"]) == (rq["id"], at.step, at.at), where
        assert q["probability"] == float(at.read(curve)), f"{where}.{q['id']}"


@pytest.mark.parametrize("name", list(REF["runs"]))
def test_same_seed_same_numbers_as_before(scenario, name: str) -> None:
    ref = REF["runs"][name]
    r = run_scenario(scenario, RunSettings(**ref["settings"]), with_issues=False)
    got = json.loads(json.dumps(r.forecast.to_dict()))  # tuples → lists, as stored
    assert got.pop("date_rule") == RULE
    precision = ref["settings"].get("precision")
    if precision is not None and got["paths"] != ref["forecast"]["paths"]:
        # a question's s.e. now comes from its reading between two months, so `--precision`
        # may stop at another size: then it must meet its target, and equal a plain run of
        # the size it reached (the growth adds blocks; it never changes the paths)
        assert max(q["stderr"] for q in got["questions"]) <= precision
        plain = run_scenario(scenario, RunSettings(paths=got["paths"], draws=got["draws"],
                                                   seed=ref["settings"]["seed"]),
                             with_issues=False)
        assert _doc(plain.forecast) == _doc(r.forecast)
        return
    _same_questions(scenario, got, ref["forecast"], name)
    _same({**got, "questions": []}, {**ref["forecast"], "questions": []}, name)
    assert r.notes == ref["notes"]
    hist = r.summary.hist[r.summary.per_draw > 0].astype(np.int64)
    assert list(hist.shape) == ref["hist_shape"]
    assert hashlib.sha256(hist.tobytes()).hexdigest() == ref["hist_sha256"]


def test_sweep_variants_same_numbers_as_before(scenario) -> None:
    ref = REF["variants"]
    values = {k: np.asarray(v) for k, v in ref["values"].items()}
    # read at the last whole month, as the references were (the engine is what is compared)
    h = scenario.meta.horizon
    goals = [Target(q.id, q.event, Deadline(min(max(scenario.months_until(q.by), 0), h)))
             for q in scenario.questions]
    assert [g.id for g in goals] == ref["targets"]
    y = evaluate(scenario, values, ref["paths"], ref["seed"], goals)
    assert y.tolist() == ref["result"]


def test_summaries_of_block_ranges_merge_to_the_whole(scenario) -> None:
    from accord.process import montecarlo as mc
    from accord.process.forecast import summarise
    from accord.process.summary import merge_all
    from accord.scenario.draws import sample_draws

    draws = sample_draws(scenario, 7, 3)
    k = 3000  # 21,000 paths: 3 blocks, the last one partial
    whole = mc.simulate_summary(scenario, draws, k, 5)
    parts = [mc.simulate_summary(scenario, draws, k, 5, block_range=r)
             for r in [(2, 3), (0, 1), (1, 2)]]
    merged = merge_all(parts)
    np.testing.assert_array_equal(merged.hist, whole.hist)
    assert merged.orders == whole.orders and merged.n_paths == 21_000
    paths = summarise(scenario, mc.simulate(scenario, draws, k, 5)).to_dict()
    assert (_doc(summarise(scenario, merged)) == _doc(summarise(scenario, whole))
            == json.dumps(paths))
    with pytest.raises(ValueError):
        whole.merge(mc.simulate_summary(scenario, draws, k, 6))


def test_precision_adds_blocks_instead_of_restarting(scenario, monkeypatch) -> None:
    from accord.analysis import recipe as run_mod  # where a run simulates its blocks
    from accord.process.montecarlo import n_blocks

    seen: list[tuple[int, int]] = []
    real = run_mod.simulate_summary

    def spy(*args, block_range, **kw):  # noqa: ANN001, ANN202
        seen.append(block_range)
        return real(*args, block_range=block_range, **kw)

    monkeypatch.setattr(run_mod, "simulate_summary", spy)
    r = run_scenario(scenario, RunSettings(**REF["runs"]["precision_blocks"]["settings"]),
                     with_issues=False)
    precision = REF["runs"]["precision_blocks"]["settings"]["precision"]
    assert max(q.stderr for q in r.forecast.questions) <= precision  # the size it needed
    blocks = [b for a, e in seen for b in range(a, e)]
    tails = sum(e - a == 1 for a, e in seen)  # each round ends with its partial last block
    assert len(seen) > 2  # it did grow
    assert sorted(set(blocks)) == list(range(n_blocks(r.forecast.paths)))
    # every block simulated once, but for the partial last block, redone at each new size
    assert len(blocks) - len(set(blocks)) <= tails - 1


def test_run_paths_are_simulated_only_when_read(scenario) -> None:
    from accord.process.montecarlo import simulate

    r = run_scenario(scenario, RunSettings(paths=2000, draws=10, seed=3), with_issues=False)
    assert r.sim is not None and not r.sim.simulated and r.sim.n_paths == 2000
    again = simulate(scenario, r.sim.draws, 200, 3, issue_outcomes=r.sim.issue_outcomes)
    np.testing.assert_array_equal(r.sim.first_step, again.first_step)


def test_pool_and_dask_merge_summaries_to_the_serial_forecast(scenario) -> None:
    from dask.distributed import LocalCluster

    settings = dict(paths=40_000, draws=20, seed=2)
    serial = run_scenario(scenario, RunSettings(**settings), with_issues=False)
    pool = run_scenario(scenario, RunSettings(**settings), with_issues=False,
                        execution=Execution(workers=2))
    assert _doc(pool.forecast) == _doc(serial.forecast)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dask = run_scenario(scenario, RunSettings(**settings, precision=0.02), with_issues=False,
                            execution=Execution(cluster=cluster.scheduler_address))
    alone = run_scenario(scenario, RunSettings(**settings, precision=0.02), with_issues=False)
    assert _doc(dask.forecast) == _doc(alone.forecast)


@pytest.mark.parametrize("draws", [None, 1])
def test_paired_comparison_reads_the_paths_a_chunk_at_a_time(scenario, draws) -> None:
    from accord.analysis.compare import compare_dicts
    from accord.process import montecarlo
    from accord.scenario.overlay import load_with_overlays

    what_if = load_with_overlays(None, ["russia-refocuses-early"]).scenario
    settings = RunSettings(paths=20_000, draws=draws, seed=2)  # 3 blocks of paths
    a = run_scenario(scenario, settings, with_issues=False)
    b = run_scenario(what_if, settings, with_issues=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(montecarlo, "CHUNK_BLOCKS", 1)  # several chunks, taken in step
        chunked = compare_dicts("a", a.to_dict(), "b", b.to_dict(), (a.sim, b.sim))
    assert not a.sim.simulated and not b.sim.simulated  # never all the paths at once
    whole = compare_dicts("a", a.to_dict(), "b", b.to_dict(),
                          (a.sim.simulation(), b.sim.simulation()))
    for x, y in zip(chunked.questions, whole.questions, strict=True):
        assert x.paired and y.paired
        if draws is None:
            assert x.stderr == y.stderr  # per-draw sums of integers: exact
        else:
            assert x.stderr == pytest.approx(y.stderr, rel=1e-12, abs=1e-15)


def test_a_forecasts_dict_is_asdicts() -> None:
    """Forecast.to_dict copies without `asdict`'s deep copy of every float: the same dict."""
    from dataclasses import asdict

    from accord.process.forecast import EventForecast, Forecast, QuestionForecast

    ev = EventForecast("e", "hazard", [0.0, 0.1], [0.0, 0.01], [0.0, 0.05], [0.0, 0.2],
                       mean_count=None)
    q = QuestionForecast("q", "e", "2026-01-01", 1, 0.1, 0.01, (0.05, 0.2), 1.0,
                         {"class": "c", "p": [0.1]})
    f = Forecast("s", "montecarlo", 1, ["2025-01-01", "2025-02-01"], 100, 10, 10, 3,
                 {"e": ev}, [q])
    want = asdict(f)
    want["orders"] = []
    want["events"] = {"e": asdict(ev)}
    want["questions"] = [{**asdict(q), "band": [0.05, 0.2]}]
    got = f.to_dict()
    assert got == want and list(got) == list(want)
    assert got["events"]["e"]["probability"] is not ev.probability  # copies, as asdict's
    assert got["dates"] is not f.dates
