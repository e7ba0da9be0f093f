"""Variants on common random numbers: `simulate_variants` equals a loop of single-draw
`simulate` calls bit for bit, however the variants are chunked."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.variants import evaluate, targets
from accord.process import montecarlo
from accord.process.montecarlo import BLOCK, Simulation, simulate, simulate_variants
from accord.scenario.draws import central_draws, sample_draws
from accord.scenario.model import Scenario

EVENTS = [
    {
        "id": "deal",
        "hazard": {"low": 0.03, "high": 0.15},
        "when": "not new_demand or since(new_demand) >= 3",
        "modifiers": [
            {"if": "refocus", "multiply": {"low": 1.5, "high": 3.0}},
            {"if": "count(new_demand) >= 1", "multiply": 0.7},
            {"if": "sabotage", "multiply": {"low": 1.0, "high": 2.0}},
        ],
    },
    {"id": "refocus", "chance": {"low": 0.2, "high": 0.6}, "when": "date >= 2025-04"},
    {
        "id": "new_demand",
        "repeatable": {"low": 0.02, "high": 0.12},
        "when": "not treaty",
        "effects": {"resets": ["deal"]},
    },
    {
        "id": "treaty",
        "hazard": {"low": 0.1, "high": 0.5},
        "when": "since(deal) >= 2 and count(new_demand) < 2",
        "modifiers": [
            {"if": "refocus", "multiply": {"low": 0.5, "high": 1.5}},
            {"if": "since(new_demand) <= 4", "multiply": 0.3},
        ],
        "effects": {"cancels": ["new_demand"]},
    },
    {
        "id": "sabotage",
        "hazard": {"low": 0.0, "high": 0.06},
        "modifiers": [
            {"if": "refocus", "multiply": 3.0},
            {"if": "since(new_demand) <= 2", "multiply": {"low": 0.0, "high": 2.0}},
            {"if": "deal", "multiply": 0.5},
            {"if": "count(new_demand) >= 2", "multiply": 40.0},  # > 3 modifiers, p clipped at 1
        ],
        "effects": {"cancels": ["treaty"]},
    },
    {"id": "referendum", "scheduled": "2025-09", "when": "treaty"},
    {"id": "vote", "chance": 0.5, "when": "referendum and issue.x >= 50"},
    {"id": "rare", "hazard": {"low": 0.0, "high": 0.001}, "when": "vote"},  # mostly never live
]
ISSUES = [
    {
        "id": "x",
        "name": "X",
        "positions": {"a": {"position": 20, "salience": 1}, "b": {"position": 80, "salience": 1}},
    }
]


def scenario(horizon: int = 18) -> Scenario:
    return Scenario.model_validate(
        {
            "meta": {"id": "t", "title": "test", "as_of": "2025-01-01", "horizon": horizon},
            "actors": [
                {"id": "a", "name": "A", "capability": 1},
                {"id": "b", "name": "B", "capability": 1},
            ],
            "issues": ISSUES,
            "events": [{"name": e["id"], **e} for e in EVENTS],
            "questions": [{"id": "q", "text": "?", "event": "treaty", "by": "2025-10-01"}],
        }
    )


def variants(sc: Scenario, v: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    draws = sample_draws(sc, v, seed=11)
    draws["events[0].hazard"][1] = 0.0  # a variant where an event never fires
    draws["events[3].hazard"][2] = 1.0  # and one where it is sure
    draws["events[0].hazard"][3] = 0.45  # and one where a modifier makes it sure (p × 3 ≥ 1)
    draws["events[0].modifiers[0].multiply"][3] = 3.0
    issue = np.where(np.arange(v) % 2 == 0, 40.0, 60.0)
    return draws, issue


def loop(sc: Scenario, draws: dict[str, np.ndarray], issue: np.ndarray, k: int, seed: int):
    v = len(issue)
    return [
        simulate(sc, {p: x[i : i + 1] for p, x in draws.items()}, k, seed,
                 issue_outcomes={"x": issue[i : i + 1]})
        for i in range(v)
    ]


@pytest.mark.parametrize(("k", "chunk_blocks"), [(700, 16), (700, 1), (BLOCK + 300, 1)])
def test_batch_equals_the_loop_bit_for_bit(
    k: int, chunk_blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = scenario()
    v = 7
    draws, issue = variants(sc, v)
    monkeypatch.setattr(montecarlo, "CHUNK_BLOCKS", chunk_blocks)
    singles = loop(sc, draws, issue, k, 3)
    batch = simulate_variants(sc, draws, k, 3, issue_outcomes={"x": issue})
    assert batch.n_paths == v * k and batch.crn and batch.n_draws == v
    np.testing.assert_array_equal(batch.draw, np.repeat(np.arange(v), k))
    for i, one in enumerate(singles):
        rows = slice(i * k, (i + 1) * k)
        for attr in ("first_step", "occurred", "count"):
            np.testing.assert_array_equal(getattr(batch, attr)[rows], getattr(one, attr),
                                          err_msg=f"variant {i} {attr}")
    # every kind of event happened somewhere, so the comparison means something
    assert (batch.first_step > 0).any(axis=0).all()
    assert batch.count.max() >= 2
    # variants differ (their parameters do), and the common paths make variant 1 (no deal) dull
    assert not np.array_equal(batch.first_step[:k], batch.first_step[k : 2 * k])
    assert (batch.first_step[k : 2 * k, 0] == 0).all()


@pytest.mark.parametrize("per_chunk", [1, 2, 3, 100])
def test_any_variant_chunking_gives_the_same_result(
    per_chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = scenario()
    draws, issue = variants(sc, 9)
    k = 500
    full = simulate_variants(sc, draws, k, 8, issue_outcomes={"x": issue})
    # smaller blocks keep the K-path layout (one block of 500) and allow small chunks
    monkeypatch.setattr(montecarlo, "BLOCK", 512)
    monkeypatch.setattr(montecarlo, "CHUNK_BLOCKS", -(-per_chunk * k // 512))
    ticks: list[tuple[int, int]] = []
    parts = [
        simulate_variants(sc, draws, k, 8, issue_outcomes={"x": issue}, variant_range=r,
                          progress=lambda d, t: ticks.append((d, t)))
        for r in [(4, 9), (0, 1), (1, 4)]
    ]
    joined = Simulation.concat(parts)
    for attr in ("first_step", "occurred", "count"):
        np.testing.assert_array_equal(getattr(joined, attr), getattr(full, attr))
    assert ticks[-1][0] == ticks[-1][1]
    chunks = sum(-(-n // per_chunk) for n in (5, 1, 3))
    assert len(ticks) == chunks * sc.meta.horizon
    with pytest.raises(ValueError, match="consecutive"):
        Simulation.concat([full, simulate(sc, {p: x[:1] for p, x in draws.items()}, k, 8,
                                          issue_outcomes={"x": issue[:1]})])


def test_central_variants_and_errors() -> None:
    sc = scenario()
    base = central_draws(sc)
    one = simulate(sc, base, 300, 5, issue_outcomes={"x": 60.0})
    many = simulate_variants(sc, {p: np.repeat(x, 3) for p, x in base.items()}, 300, 5,
                             issue_outcomes={"x": 60.0})
    for i in range(3):
        np.testing.assert_array_equal(many.first_step[i * 300 : (i + 1) * 300], one.first_step)
    with pytest.raises(ValueError, match="variant_range"):
        simulate_variants(sc, base, 10, 1, issue_outcomes={"x": 60.0}, variant_range=(0, 2))
    with pytest.raises(ValueError, match="at least 1"):
        simulate_variants(sc, base, 0, 1)
    empty = simulate_variants(sc, base, 10, 1, issue_outcomes={"x": 60.0}, variant_range=(1, 1))
    assert empty.n_paths == 0


def test_evaluate_equals_single_runs() -> None:
    sc = scenario()
    goals = targets(sc)
    draws, _ = variants(sc, 5)
    values = {"events[0].hazard": draws["events[0].hazard"],
              "events[3].hazard": draws["events[3].hazard"]}
    got = evaluate(sc, values, 400, 2, goals)
    base = central_draws(sc)
    from accord.analysis.issues import outcomes_per_draw

    for v in range(5):
        one = {**base, **{p: x[v : v + 1] for p, x in values.items()}}
        sim = simulate(sc, one, 400, 2, issue_outcomes=outcomes_per_draw(sc, one))
        f = sim.first_step[:, sim.event_ids.index("treaty")]
        at = goals[0].at  # the question's date: between two months' ends (the date rule)
        by_step = [np.count_nonzero((f > 0) & (f <= s)) / 400 for s, _ in at.reads]
        assert got[v, 0] == at.combine(by_step)


@pytest.mark.parametrize(("m", "k", "chunk_blocks"), [(30, 50, 16), (30, 50, 1), (3, BLOCK, 1)])
def test_variants_of_a_run_equal_the_runs_bit_for_bit(monkeypatch, m, k, chunk_blocks) -> None:
    """V variants of an M-draw run on the run's dice (`run_variant_chunks`) equal V separate
    `simulate` runs, whatever the chunking, where variants differ in one parameter, in several,
    in their issue outcomes, or not at all."""
    monkeypatch.setattr(montecarlo, "CHUNK_BLOCKS", chunk_blocks)
    sc = scenario()
    base = sample_draws(sc, m, seed=4)
    issue = np.where(np.arange(m) % 3 == 0, 40.0, 60.0)
    runs = [(base, issue), ({**base, "events[0].hazard": np.full(m, 0.4)}, issue),
            ({**base, "events[3].hazard": np.full(m, 1.0),
              "events[0].modifiers[0].multiply": np.full(m, 3.0)}, issue),
            (base, np.full(m, 55.0)), (base, issue)]
    stacked = {p: np.concatenate([d[p] for d, _ in runs]) for p in base}
    issues = {"x": np.concatenate([i for _, i in runs])}
    chunks = list(montecarlo.run_variant_chunks(sc, stacked, len(runs), k, 9, issues))
    for r, (d, i) in enumerate(runs):
        want = simulate(sc, d, k, 9, issue_outcomes={"x": i}).first_step
        got = [first.reshape(b - a, -1, first.shape[1])[r - a] for a, b, first in chunks
               if a <= r < b]
        np.testing.assert_array_equal(np.concatenate(got), want)
