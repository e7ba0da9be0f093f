"""The exchange model: closed forms worked by hand, decide's reference runs, DEU proposals."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from accord.bargaining import exchange
from accord.bargaining.evaluate import evaluate
from accord.bargaining.groups import by_group, load_grouped, read_decide
from accord.bargaining.registry import MODELS, predict_tables
from accord.bargaining.table import IssueTable

DATA = Path(__file__).parent / "data" / "decide"


def two_by_two(rounds: int = 1) -> exchange.ExchangeResult:
    # A at 0 on both issues, B at 100; c = 1; s_A = (0.8, 0.2), s_B = (0.4, 0.6)
    x = np.array([[0.0, 0.0], [100.0, 100.0]])
    s = np.array([[0.8, 0.2], [0.4, 0.6]])
    return exchange.run(x, s, np.ones((2, 2)), rounds=rounds, actors=("A", "B"),
                        issues=("p", "q"))


def test_two_actors_two_issues_by_hand() -> None:
    # O_p = 0.4·100/1.2 = 33.33, O_q = 0.6·100/0.8 = 75: A is left of both, B right of both.
    # A's s_p/s_q = 4 > B's 2/3: A demands p and supplies q. r = δq/δp = 1.2/0.8 = 1.5.
    # B all the way to 0 on p would give δp = 100·0.4/1.2 and A would need 200 points on q,
    # more than its 100 to B: so A moves all the way on q, δq = 100·0.2/0.8 = 25,
    # δp = 25/1.5 = 16.67 and B moves 16.67·1.2/0.4 = 50 on p.
    res = two_by_two()
    r = res.rounds[0]
    assert len(r.trades) == 1
    t = r.trades[0]
    assert (t.actor_i, t.supply_i, t.actor_j, t.supply_j) == ("A", "q", "B", "p")
    assert t.to_i == pytest.approx(100.0) and t.to_j == pytest.approx(50.0)
    # gains: A 0.8·16.67 − 0.2·25 = 8.33 = B's 0.6·25 − 0.4·16.67
    assert t.gain_i == pytest.approx(25 / 3) and t.gain_j == pytest.approx(25 / 3)
    assert r.outcome == pytest.approx([50 / 3, 100.0])
    np.testing.assert_allclose(r.gains, [25 / 3, 25 / 3])
    np.testing.assert_allclose(r.externalities, [0.0, 0.0])
    # next start: A on q, w = 0.1 + 0.4·0.8 = 0.42 → 42; B on p, w = 0.1 + 0.4·0.6 = 0.34 → 83
    res2 = two_by_two(rounds=2)
    np.testing.assert_allclose(res2.rounds[1].start, [[0.0, 42.0], [83.0, 100.0]])


def test_third_party_externality_by_hand() -> None:
    # C at (40, 60), s = 0.5, is right of O_p and left of O_q: group C, and group B is empty,
    # so it trades with nobody; its externality is s (|O − x| before − |O − x| after) summed
    # over both issues.
    x = np.array([[0.0, 0.0], [100.0, 100.0], [40.0, 60.0]])
    s = np.array([[0.8, 0.2], [0.4, 0.6], [0.5, 0.5]])
    c = np.array([1.0, 1.0, 1e-9])  # C's weight is negligible: the trade is the 2×2 one
    res = exchange.run(x, s, c, actors=("A", "B", "C"), issues=("p", "q"))
    r = res.rounds[0]
    assert len(r.trades) == 1
    before = np.array([100 * 0.4 / 1.2, 75.0])
    after = np.array([50 / 3, 100.0])
    expected = np.sum(0.5 * (np.abs(before - [40, 60]) - np.abs(after - [40, 60])))
    assert r.externalities[2] == pytest.approx(expected, rel=1e-6)
    assert r.externalities[2] == pytest.approx(0.5 * ((40 - 100 / 3) - (40 - 50 / 3))
                                               + 0.5 * (15 - 40), rel=1e-6)


def test_equal_salience_ratios_trade_nothing() -> None:
    x = np.array([[0.0, 0.0], [100.0, 100.0]])
    s = np.array([[0.5, 0.5], [0.5, 0.5]])
    res = exchange.run(x, s, np.ones((2, 2)))
    assert res.rounds[0].trades == []
    np.testing.assert_allclose(res.outcome, [50.0, 50.0])


def test_random_rate_between_the_bounds_and_seeded() -> None:
    gains = []
    outs = []
    for seed in range(40):
        r = exchange.run(*_two(), rng=np.random.default_rng(seed)).rounds[0]
        t = r.trades[0]
        gains.append((t.gain_i, t.gain_j))
        outs.append(r.outcome.copy())
    g = np.array(gains)
    assert np.all(g >= -1e-12)
    assert np.ptp(g[:, 0]) > 0.5  # the split of the gain varies
    again = exchange.run(*_two(), rng=np.random.default_rng(3)).rounds[0].outcome
    np.testing.assert_array_equal(again, outs[3])
    # the equal-gain split lies inside the random range
    assert g[:, 0].min() < 25 / 3 < g[:, 0].max()


def _two() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([[0.0, 0.0], [100.0, 100.0]]), np.array([[0.8, 0.2], [0.4, 0.6]]),
            np.ones((2, 2)))


# -- decide's reference ------------------------------------------------------------------------
def _matrices(path: Path):
    tables = read_decide(path)
    return exchange.matrices(tables), [t.issue for t in tables]


def _reference_positions(path: Path) -> dict[int, dict[tuple[str, str], float]]:
    out: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    with path.open() as f:
        for r in csv.DictReader(f):
            out[int(r["round"])][(r["actor"], r["issue"])] = float(r["position"])
    return out


def _reference_trades(path: Path) -> dict[int, list[dict[str, str]]]:
    out: dict[int, list[dict[str, str]]] = defaultdict(list)
    with path.open() as f:
        for r in csv.DictReader(f):
            out[int(r["round"])].append(r)
    return out


def _same_trades(mine: list[exchange.Trade], ref: list[dict[str, str]]) -> None:
    assert [(t.actor_i, t.supply_i, t.actor_j, t.supply_j) for t in mine] == [
        (r["actor_i"], r["supply_i"], r["actor_j"], r["supply_j"]) for r in ref]
    np.testing.assert_allclose([t.to_i for t in mine], [float(r["y_i"]) for r in ref],
                               atol=1e-9)
    np.testing.assert_allclose([t.to_j for t in mine], [float(r["y_j"]) for r in ref],
                               atol=1e-9)
    np.testing.assert_allclose([t.gain_i for t in mine], [float(r["gain"]) for r in ref],
                               rtol=1e-9)


@pytest.mark.parametrize(("name", "rounds"), [("syn0", 5), ("syn1", 5), ("syn2", 5),
                                              ("syn3", 3)])
def test_matches_decide_round_by_round(name: str, rounds: int) -> None:
    """Random inputs without ties: every trade and every next start position as decide's."""
    (actors, x, s, c, present), issues = _matrices(DATA / f"{name}.tsv")
    res = exchange.run(x, s, c, present, rounds=rounds, actors=actors, issues=issues)
    ref_pos = _reference_positions(DATA / f"{name}-positions.csv")
    ref_trades = _reference_trades(DATA / f"{name}-trades.csv")
    for k, rnd in enumerate(res.rounds, start=1):
        assert rnd.ties == 0
        _same_trades(rnd.trades, ref_trades[k])
        if k < rounds:
            nxt = res.rounds[k].start
            for (a, i), v in ref_pos[k].items():
                assert nxt[actors.index(a), issues.index(i)] == pytest.approx(v, abs=1e-9)


@pytest.mark.parametrize("name", ["copenhagen", "cop21"])
def test_matches_decide_until_the_first_tie(shared_data: Path, name: str) -> None:
    """decide breaks ties at random: compare the first round up to its first tie (Copenhagen's
    ties all fall where decide's list order agrees with ours, so the whole round matches)."""
    (actors, x, s, c, present), issues = _matrices(shared_data / "decide" / f"{name}.csv")
    rnd = exchange.run(x, s, c, present, rounds=1, actors=actors, issues=issues).rounds[0]
    ref = _reference_trades(DATA / f"{name}-round1-trades.csv")[1]
    upto = len(ref) if name == "copenhagen" else rnd.first_tie
    assert upto is not None and upto >= 30
    _same_trades(rnd.trades[:upto], ref[:upto])


def test_exchange_runs_on_cop21_and_copenhagen_over_rounds(shared_data: Path) -> None:
    for name in ("cop21", "copenhagen"):
        tables = read_decide(shared_data / "decide" / f"{name}.csv")
        preds = predict_tables("exchange", tables, {t.issue: name for t in tables})
        comp = [MODELS["compromise"](t).value for t in tables]
        assert len(preds) == len(tables)
        assert all(t.scale_min[0] <= p.value <= t.scale_max[0]
                   for p, t in zip(preds, tables, strict=True))
        assert not np.allclose([p.value for p in preds], comp)  # exchanges moved outcomes


def test_multi_dimensional_table_is_one_group() -> None:
    t = IssueTable("m", ("A", "B"), np.array([[0.0, 0.0], [100.0, 100.0]]),
                   np.array([[0.8, 0.2], [0.4, 0.6]]), np.ones(2), np.zeros(2),
                   np.full(2, 100.0))
    p = MODELS["exchange"](t)
    assert p.outcome == pytest.approx([50 / 3, 100.0])
    single = MODELS["exchange"](t.dimension(0))
    assert single.fell_back and single.value == pytest.approx(MODELS["compromise"](
        t.dimension(0)).value)


def test_every_deu_dev_proposal(shared_data: Path) -> None:
    d = shared_data / "deu"
    tables, outcomes, groups = load_grouped(d / "dev-positions.csv", d / "dev-issues.csv")
    multi = [g for g in by_group(tables, groups) if len(g) > 1]
    assert len(multi) >= 30
    scores = {s.name: s for s in evaluate(tables, outcomes, ["exchange"], groups)}
    ex = scores["exchange"]
    assert ex.n == 154 and np.isfinite(ex.mae)
    # single-issue proposals fall back to compromise, and only those
    assert ex.fallbacks == sum(1 for g in by_group(tables, groups) if len(g) == 1)


def test_an_issue_without_weight_takes_the_plain_mean_and_trades_nothing() -> None:
    x = np.array([[0.0, 20.0], [100.0, 80.0]])
    s = np.array([[0.8, 0.0], [0.4, 0.0]])  # nobody cares about q
    res = exchange.run(x, s, np.ones((2, 2)))
    assert res.rounds[0].trades == []
    np.testing.assert_allclose(res.outcome, [100 * 0.4 / 1.2, 50.0])
