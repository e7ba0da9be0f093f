"""The event process: Monte Carlo against the exact solver and closed forms, determinism, bands."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from accord.process import montecarlo
from accord.process.exact import StateSpaceTooLarge, exact_forecast, solve
from accord.process.forecast import Forecast, summarise
from accord.process.montecarlo import BLOCK, Simulation, simulate
from accord.process.orders import top_orders
from accord.scenario.draws import central_draws, sample_draws
from accord.scenario.model import Scenario

N = 40_000


def make(events: list[dict], horizon: int = 12, as_of: str = "2025-01-01", **extra) -> Scenario:
    return Scenario.model_validate(
        {
            "meta": {"id": "t", "title": "test", "as_of": as_of, "horizon": horizon},
            "actors": [
                {"id": "a", "name": "A", "capability": 1},
                {"id": "b", "name": "B", "capability": 1},
            ],
            "events": [{"name": e["id"], **e} for e in events],
            **extra,
        }
    )


def mc(sc: Scenario, paths: int = N, seed: int = 7, **kw) -> Forecast:
    return summarise(sc, simulate(sc, central_draws(sc), paths, seed, **kw))


def check_mc(fc: Forecast, expected: dict[str, np.ndarray]) -> None:
    """Monte Carlo within 4 standard errors of the truth at every step."""
    n = fc.paths
    for eid, want in expected.items():
        got = np.array(fc.curve(eid))
        se = np.maximum(np.array(fc.events[eid].stderr), np.sqrt(want * (1 - want) / n))
        bad = np.abs(got - want) > 4 * se + 1e-12
        assert not bad.any(), f"{eid}: steps {np.flatnonzero(bad)} got {got[bad]} want {want[bad]}"


def check_exact(sc: Scenario, expected: dict[str, np.ndarray], **kw) -> None:
    r = solve(sc, **kw)
    for eid, want in expected.items():
        got = r.probability[r.event_ids.index(eid)]
        np.testing.assert_allclose(got, want, atol=1e-12, rtol=0, err_msg=eid)


def steps(h: int) -> np.ndarray:
    return np.arange(h + 1, dtype=float)


# ---- closed forms ----
def test_lone_hazard() -> None:
    h = 0.13
    sc = make([{"id": "A", "hazard": h}])
    want = {"A": 1 - (1 - h) ** steps(12)}
    check_exact(sc, want)
    check_mc(mc(sc), want)


def chain(t: int, ha: float, hb: float) -> float:
    return sum(ha * (1 - ha) ** (s - 1) * (1 - (1 - hb) ** (t - s)) for s in range(1, t))


def test_chain_is_a_convolution() -> None:
    ha, hb = 0.2, 0.3
    sc = make([{"id": "A", "hazard": ha}, {"id": "B", "when": "A", "hazard": hb}])
    want = {
        "A": 1 - (1 - ha) ** steps(12),
        "B": np.array([chain(t, ha, hb) for t in range(13)]),
    }
    check_exact(sc, want)
    check_mc(mc(sc), want)


def test_file_order_does_not_matter() -> None:
    a = make([{"id": "A", "hazard": 0.2}, {"id": "B", "when": "A", "hazard": 0.3}])
    b = make([{"id": "B", "when": "A", "hazard": 0.3}, {"id": "A", "hazard": 0.2}])
    pa, pb = solve(a), solve(b)
    np.testing.assert_allclose(pa.probability[1], pb.probability[0], atol=1e-15)
    # and Monte Carlo: B never fires in the month A first occurs
    sim = simulate(b, central_draws(b), 5000, 3)
    f = sim.first_step
    both = (f[:, 0] > 0) & (f[:, 1] > 0)
    assert both.any() and (f[both, 0] > f[both, 1]).all()


def test_chance_after_a_hazard() -> None:
    ha, p = 0.25, 0.6
    sc = make([{"id": "A", "hazard": ha}, {"id": "C", "when": "A", "chance": p}])
    t = steps(12)
    want = {"C": p * (1 - (1 - ha) ** np.maximum(t - 1, 0))}
    check_exact(sc, want)
    check_mc(mc(sc), want)


@pytest.mark.parametrize("mult", [3.0, 20.0])
def test_modifier_switched_on_by_another_event(mult: float) -> None:
    ha, hb = 0.15, 0.1
    sc = make(
        [
            {"id": "A", "hazard": ha},
            {"id": "B", "hazard": hb, "modifiers": [{"if": "A", "multiply": mult}]},
        ]
    )
    hm = min(1.0, hb * mult)

    def p_b(t: int) -> float:
        none = sum(
            ha * (1 - ha) ** (s - 1) * (1 - hb) ** s * (1 - hm) ** (t - s) for s in range(1, t + 1)
        )
        return 1 - none - (1 - ha) ** t * (1 - hb) ** t

    want = {"B": np.array([p_b(t) for t in range(13)])}
    check_exact(sc, want)
    check_mc(mc(sc), want)


def test_scheduled_events() -> None:
    ha = 0.3
    sc = make(
        [
            {"id": "A", "hazard": ha},
            {"id": "S", "scheduled": "2025-04-20"},
            {"id": "Past", "scheduled": "2024-06"},
            {"id": "W", "scheduled": "2025-03", "when": "A"},
        ],
        as_of="2025-01-15",
    )
    t = steps(12)
    want = {
        "S": (t >= 4).astype(float),
        "Past": (t >= 1).astype(float),
        "W": np.where(t >= 3, 1 - (1 - ha) ** np.maximum(t - 1, 0), 0.0),
    }
    check_exact(sc, want)
    fc = mc(sc, paths=10_000)
    np.testing.assert_array_equal(fc.curve("S"), want["S"])
    np.testing.assert_array_equal(fc.curve("Past"), want["Past"])
    check_mc(fc, want)


def test_repeatable_with_a_count_condition() -> None:
    r = 0.2
    sc = make([{"id": "A", "repeatable": r}, {"id": "B", "when": "count(A) >= 2", "hazard": 1.0}])

    def second_success_by(n: int) -> float:  # negative binomial
        return sum((k - 1) * r**2 * (1 - r) ** (k - 2) for k in range(2, n + 1))

    want = {
        "A": 1 - (1 - r) ** steps(12),
        "B": np.array([second_success_by(t - 1) for t in range(13)]),
    }
    check_exact(sc, want)
    res = solve(sc)
    np.testing.assert_allclose(res.mean_count["A"], r * steps(12), atol=1e-12)
    fc = mc(sc)
    check_mc(fc, want)
    ev = fc.events["A"]
    assert abs(ev.mean_count - r * 12) < 4 * ev.mean_count_stderr


def test_cancels() -> None:
    ha, hb = 0.2, 0.1
    sc = make([{"id": "A", "hazard": ha, "effects": {"cancels": ["B"]}}, {"id": "B", "hazard": hb}])
    q = (1 - ha) * (1 - hb)
    want = {"B": hb * (1 - q ** steps(12)) / (1 - q)}
    check_exact(sc, want)
    check_mc(mc(sc), want)


def test_resets_reopen_a_chance() -> None:
    p = 0.4
    sc = make(
        [
            {"id": "A", "chance": p},
            {"id": "R", "scheduled": "2025-03", "effects": {"resets": ["A"]}},
            {"id": "B", "when": "A", "hazard": 1.0},
        ]
    )
    t = steps(12)
    want = {"A": np.where(t >= 4, 1 - (1 - p) ** 2, np.where(t >= 1, p, 0.0))}
    check_exact(sc, want)
    check_mc(mc(sc), want)
    # after the reset, A is occurred at the horizon only if its second chance came up yes
    sim = simulate(sc, central_draws(sc), 5000, 11)
    occ, ever = sim.occurred[:, 0], sim.first_step[:, 0] > 0
    assert not (occ & ~ever).any()
    assert abs(occ.mean() - p) < 4 * math.sqrt(p * (1 - p) / 5000)


def test_since_ages() -> None:
    ha = 0.2
    sc = make([{"id": "A", "hazard": ha}, {"id": "B", "when": "since(A) >= 3", "hazard": 1.0}])
    want = {"B": 1 - (1 - ha) ** np.maximum(steps(12) - 3, 0)}
    check_exact(sc, want)
    check_mc(mc(sc), want)


def test_date_condition() -> None:
    h = 0.2
    sc = make([{"id": "A", "hazard": h, "when": "date >= 2025-06"}])
    want = {"A": 1 - (1 - h) ** np.maximum(steps(12) - 5, 0)}
    check_exact(sc, want)
    fc = mc(sc)
    assert fc.curve("A")[5] == 0.0 and fc.curve("A")[6] > 0
    check_mc(fc, want)


ISSUES = [
    {
        "id": "x",
        "name": "X",
        "positions": {"a": {"position": 20, "salience": 1}, "b": {"position": 80, "salience": 1}},
    }
]


def test_issue_condition_with_supplied_outcomes() -> None:
    h = 0.2
    sc = make([{"id": "A", "hazard": h, "when": "issue.x >= 50"}], issues=ISSUES)
    point = 1 - (1 - h) ** steps(12)
    check_exact(sc, {"A": point}, issue_outcomes={"x": 60.0})
    check_exact(sc, {"A": 0 * point}, issue_outcomes={"x": 40.0})
    draws = {k: np.repeat(v, 2) for k, v in central_draws(sc).items()}
    sim = simulate(sc, draws, N // 2, 5, issue_outcomes={"x": np.array([40.0, 60.0])})
    fc = summarise(sc, sim)
    got = np.array(fc.curve("A"))
    assert np.all(np.abs(got - point / 2) <= 4 * np.sqrt(point * (1 - point) / N) / 2 + 1e-12)
    # each draw reads its own outcome: never under x = 40, the point curve under x = 60 (two
    # draws are too few for a parameter band, which is then left out, as "—")
    first = sim.first_step[:, 0]
    assert (first[sim.draw == 0] == 0).all()
    hits = (first[sim.draw == 1] > 0).mean()
    assert abs(hits - point[12]) < 4 * np.sqrt(point[12] * (1 - point[12]) / (N // 2))
    # without outcomes, the engines solve the issue themselves: the compromise of 20 and 80
    # at equal weights is 50, which meets `>= 50`
    check_exact(sc, {"A": point})
    own = summarise(sc, simulate(sc, central_draws(sc), N, 5))
    assert np.all(np.abs(np.array(own.curve("A")) - point)
                  <= 4 * np.sqrt(point * (1 - point) / N) + 1e-12)


# ---- a process like a peace process, against the exact solver ----
PEACE = [
    {
        "id": "deal",
        "hazard": 0.08,
        "when": "not new_demand or since(new_demand) >= 3",
        "modifiers": [{"if": "refocus", "multiply": 2.0}],
    },
    {"id": "refocus", "chance": 0.4, "when": "date >= 2025-04"},
    {"id": "new_demand", "repeatable": 0.06, "when": "not treaty", "effects": {"resets": ["deal"]}},
    {
        "id": "treaty",
        "hazard": 0.3,
        "when": "since(deal) >= 2 and count(new_demand) < 2",
        "effects": {"cancels": ["new_demand"]},
    },
    {
        "id": "sabotage",
        "hazard": 0.03,
        "modifiers": [{"if": "refocus", "multiply": 3.0}],
        "effects": {"cancels": ["treaty"]},
    },
    {"id": "referendum", "scheduled": "2025-09", "when": "treaty"},
]


def test_peace_process_mc_matches_exact() -> None:
    sc = make(
        PEACE,
        horizon=18,
        questions=[{"id": "q", "text": "?", "event": "treaty", "by": "2025-07-01"}],
    )
    ex = solve(sc)
    want = {eid: ex.probability[i] for i, eid in enumerate(ex.event_ids)}
    fc = mc(sc)
    check_mc(fc, want)
    ev = fc.events["new_demand"]
    assert abs(ev.mean_count - ex.mean_count["new_demand"][-1]) < 4 * ev.mean_count_stderr
    q = fc.questions[0]
    # by the end of 2025-07-01 from as_of 2025-01-01: 6 months and 1 day of July's 31
    assert q.step == 6 and q.at == pytest.approx(6 + 1 / 31)
    c = fc.curve("treaty")
    assert q.probability == pytest.approx(c[6] + (c[7] - c[6]) / 31, abs=1e-15)
    xf = exact_forecast(sc)
    w = want["treaty"]
    assert xf.questions[0].probability == pytest.approx(w[6] + (w[7] - w[6]) / 31, abs=1e-15)
    json.dumps(fc.to_dict())
    json.dumps(xf.to_dict())


def test_exact_refuses() -> None:
    sc = make(PEACE, horizon=18)
    with pytest.raises(StateSpaceTooLarge, match="states"):
        solve(sc, max_states=5)
    with pytest.raises(ValueError, match="point"):
        solve(sc, draws={k: np.array([0.1, 0.2]) for k in central_draws(sc)})


# ---- orders ----
def plain_orders(first_step: np.ndarray, ids: list[str]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for row in first_step.tolist():
        groups: dict[int, list[str]] = {}
        for eid, s in zip(ids, row, strict=True):
            if s:
                groups.setdefault(s, []).append(eid)
        key = tuple("+".join(groups[s]) for s in sorted(groups))
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("wide", [False, True])
def test_orders_match_a_plain_count(wide: bool) -> None:
    if wide:  # 20 events: too many to pack a path's ranks into one integer
        first = np.random.default_rng(0).integers(0, 3, size=(2000, 20)).astype(np.int16)
        first[:, 5:] = 0
        first[::3, 7] = 2
        ids = [f"e{i}" for i in range(20)]
    else:
        sc = make(PEACE, horizon=18)
        sim = simulate(sc, central_draws(sc), 3000, 2)
        first, ids = sim.first_step, sim.event_ids
    tops = top_orders(first, ids, top=10)
    counts = plain_orders(first, ids)
    for o in tops:
        assert counts[o.order] == o.paths and o.share == o.paths / len(first)
    assert [o.paths for o in tops] == sorted(counts.values(), reverse=True)[: len(tops)]


# ---- determinism ----
def test_same_seed_same_result_whatever_the_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = make(PEACE, horizon=18)
    draws = sample_draws(sc, 3, seed=1)
    k = 3 * BLOCK // 2  # 4.5 blocks of paths
    full = simulate(sc, draws, k, 42)
    again = simulate(sc, draws, k, 42)
    np.testing.assert_array_equal(full.first_step, again.first_step)
    nb = montecarlo.n_blocks(3 * k)
    parts = [simulate(sc, draws, k, 42, block_range=r) for r in [(2, nb), (0, 1), (1, 2)]]
    joined = Simulation.concat(parts)
    for attr in ("first_step", "occurred", "count"):
        np.testing.assert_array_equal(getattr(joined, attr), getattr(full, attr))
    monkeypatch.setattr(montecarlo, "CHUNK_BLOCKS", 2)
    ticks: list[tuple[int, int]] = []
    chunked = simulate(sc, draws, k, 42, progress=lambda d, t: ticks.append((d, t)))
    np.testing.assert_array_equal(chunked.first_step, full.first_step)
    assert ticks[-1][0] == ticks[-1][1] == math.ceil(nb / 2) * 18
    other = simulate(sc, draws, k, 43)
    assert not np.array_equal(other.first_step, full.first_step)
    a, b = summarise(sc, joined).to_dict(), summarise(sc, full).to_dict()
    assert json.dumps(a) == json.dumps(b)  # NaN (a band left out) equals itself here


# ---- parameter uncertainty ----
def test_parameter_draws_give_a_band_around_the_point_value() -> None:
    sc = make([{"id": "A", "hazard": {"low": 0.05, "high": 0.15}}])
    fc = summarise(sc, simulate(sc, sample_draws(sc, 50, seed=3), 400, 9))
    ev = fc.events["A"]
    point = 1 - (1 - 0.1) ** steps(12)
    assert fc.draws == 50 and fc.paths == 20_000
    for t in range(1, 13):
        assert ev.band_low[t] < point[t] < ev.band_high[t]
        assert ev.band_high[t] - ev.band_low[t] > 4 * ev.stderr[t]
    # the band reflects the parameter spread: wider than Monte Carlo noise of one draw
    lo, hi = 1 - 0.95**12, 1 - 0.85**12
    assert ev.band_high[12] - ev.band_low[12] > 0.5 * (hi - lo)
    assert mc(sc).events["A"].band_low is None


def test_per_draw_parameters_match_exact_draw_by_draw() -> None:
    """Uncertain parameters: each draw's paths follow the exact solution for that draw's values
    (per-path thresholds, modifiers tabulated per subset, probabilities clipped at 1 or zeroed)."""
    sc = make(
        [
            {"id": "A", "hazard": {"low": 0.05, "high": 0.2}},
            {
                "id": "B",
                "hazard": {"low": 0.3, "high": 0.6},
                "modifiers": [
                    {"if": "A", "multiply": {"low": 1.5, "high": 3}},
                    {"if": "since(C) <= 2", "multiply": 0},
                ],
            },
            {
                "id": "C",
                "repeatable": {"low": 0.05, "high": 0.15},
                "modifiers": [{"if": "A", "multiply": {"low": 0.5, "high": 2}}],
            },
            {"id": "D", "chance": {"dist": "beta", "a": 2, "b": 3}, "when": "count(C) >= 1 and B"},
        ]
    )
    m, k = 4, 10_000
    draws = sample_draws(sc, m, seed=5)
    assert any(draws["events[1].hazard"] * draws["events[1].modifiers[0].multiply"] >= 1)
    sim = simulate(sc, draws, k, 21)
    for d in range(m):
        ex = solve(sc, draws={key: v[d : d + 1] for key, v in draws.items()})
        first = sim.first_step[sim.draw == d]
        for e, eid in enumerate(sim.event_ids):
            f = first[:, e]
            got = np.array([((f > 0) & (f <= s)).mean() for s in range(13)])
            want = ex.probability[e]
            se = np.sqrt(want * (1 - want) / k)
            assert np.all(np.abs(got - want) <= 4 * se + 1e-12), (d, eid, got, want)


def test_counts_past_a_byte_are_exact() -> None:
    """A repeatable event counted to 150 (past an int8's range) gates another: y is enabled in
    month t once Bin(t − 1, p) ≥ 150, and fires then (hazard 1)."""
    from scipy.stats import binom

    p = 0.9
    sc = make([{"id": "x", "repeatable": p},
               {"id": "y", "hazard": 1.0, "when": "count(x) >= 150"}], horizon=200)
    want = binom.sf(149, np.maximum(steps(200) - 1, 0), p)
    check_exact(sc, {"y": want})


def test_a_state_wider_than_a_machine_word_is_exact() -> None:
    """A chain of 24 events, each enabled once the one before has fired (read through
    since(), so that every event's age is part of the state too): 72 bits of state, more than
    one packed 64-bit key holds. One event of the chain tries each month, so the number fired
    by month t is Bin(t, p) and P(e_k by t) = P(Bin(t, p) ≥ k + 1)."""
    from scipy.stats import binom

    p, n, h = 0.5, 24, 30
    sc = make([{"id": f"e{k}", "hazard": p,
                **({"when": f"e{k - 1} and since(e{k - 1}) >= 1"} if k else {})}
               for k in range(n)], horizon=h)
    want = {f"e{k}": binom.sf(k, steps(h), p) for k in (0, 5, 23)}
    check_exact(sc, want)
    check_mc(mc(sc), want)
