"""SMP against KTAB's reference runs: every actor, dimension and turn; turn count; probabilities."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from accord.bargaining import smp
from accord.bargaining.io import read_ktab

CASES = {"dummyData_3Dim": 10, "SOE-Pol-Comp": 27}  # steps KTAB took (docs/models/bargaining.md)


def _reference(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module", params=sorted(CASES))
def run(request: pytest.FixtureRequest, shared_data: Path):
    name = request.param
    ktab = shared_data / "ktab"
    table = read_ktab(ktab / f"{name}.csv")
    states, probs = smp.run(table.unit_positions(), table.salience, table.capability)
    return name, ktab, table, states, probs


def test_turn_count(run) -> None:
    name, ktab, _, states, _ = run
    turns_in_ref = {int(r["turn"]) for r in _reference(ktab / f"{name}.positions.csv")}
    assert len(states) - 1 == max(turns_in_ref) == CASES[name]


def test_every_position_every_turn(run) -> None:
    name, ktab, table, states, _ = run
    rows = _reference(ktab / f"{name}.positions.csv")
    assert len(rows) == table.n_actors * table.n_dims * (CASES[name] + 1)
    for r in rows:
        a, k, t = table.actors.index(r["actor"]), table.dimensions.index(r["dimension"]), int(
            r["turn"])
        mine = 100.0 * states[t].x[a, k]
        printed = float(f"{mine:.1f}")  # KTAB prints %5.1f of 100·x
        assert abs(printed - float(r["position"])) <= 0.05 + 1e-9, (r, mine)
        assert abs(mine - float(r["position"])) <= 0.05 + 1e-9, (r, mine)


def test_final_probabilities(run) -> None:
    name, ktab, table, states, probs = run
    last = len(states) - 1
    rows = [r for r in _reference(ktab / f"{name}.probabilities.csv") if int(r["turn"]) == last]
    assert len(rows) == table.n_actors
    for r in rows:
        mine = probs[last, table.actors.index(r["actor"])]
        assert mine == pytest.approx(float(r["probability"]), abs=5e-4), r


def test_all_turn_probabilities(run) -> None:
    name, ktab, table, _, probs = run
    for r in _reference(ktab / f"{name}.probabilities.csv"):
        mine = probs[int(r["turn"]), table.actors.index(r["actor"])]
        assert mine == pytest.approx(float(r["probability"]), abs=5e-4), r


def test_prediction_exposes_history(run) -> None:
    _, _, table, states, probs = run
    p = smp.predict(table)
    assert p.turns == len(states) - 1
    assert p.history is not None and p.history.shape == (len(states), table.n_actors,
                                                        table.n_dims)
    assert np.allclose(p.history[-1], 100 * states[-1].x)
    assert p.probabilities is not None and np.allclose(p.probabilities, probs)


def test_cli_history_matches_reference(cli, run, tmp_path: Path) -> None:
    name, ktab, _, _, _ = run
    out = tmp_path / "h.csv"
    res = cli("smp", str(ktab / f"{name}.csv"), "--history", str(out))
    assert res.code == 0, res.err
    mine = {tuple(r.values()) for r in _reference(out)}
    ref = {tuple(r.values()) for r in _reference(ktab / f"{name}.positions.csv")}
    assert mine == ref
