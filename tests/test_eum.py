"""Expected utility model on the classic EU emissions example (Scholz et al. 2011)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.bargaining import eum
from accord.bargaining.io import read_classic
from accord.bargaining.weighted_median import weighted_median_1d


@pytest.fixture(scope="module")
def emissions(shared_data: Path):
    return read_classic(shared_data / "eum" / "eu-emissions.csv")


def _wmean(x, t) -> float:
    w = t.weights()[:, 0]
    return float((x * w).sum() / w.sum())


def test_start_weighted_median_and_mean(emissions) -> None:
    w = emissions.weights()[:, 0]
    assert weighted_median_1d(emissions.position[:, 0], w) == 7.0
    assert _wmean(emissions.position[:, 0], emissions) == pytest.approx(7.39, abs=0.005)
    assert eum.predict(emissions, max_rounds=0).value == 7.0


def test_positions_drift_toward_the_low_end(emissions) -> None:
    p = eum.predict(emissions)
    assert p.history is not None and p.turns == eum.MAX_ROUNDS
    means = [_wmean(h[:, 0], emissions) for h in p.history]
    assert means[-1] < means[0] - 0.1  # toward Netherlands–Germany–Denmark (4)
    assert abs(means[-1] - 7.2) < 0.25  # a public replication reports ≈ 7.2 at round 10
    assert p.value <= 7.0
    # the low-end actors' weighted mean distance to 4 is what the others close in on
    high = [emissions.actors.index(a) for a in ("France", "Italy", "UK")]
    assert p.history[-1, high, 0].mean() < 10.0


def test_mirrored_actors_give_mirrored_forecast(emissions) -> None:
    lo, hi = float(emissions.scale_min[0]), float(emissions.scale_max[0])
    mirrored = emissions.with_positions(lo + hi - emissions.position)
    p, q = eum.predict(emissions), eum.predict(mirrored)
    assert q.value == pytest.approx(lo + hi - p.value, abs=1e-9)
    assert np.allclose(q.history, lo + hi - p.history, atol=1e-9)


def test_risk_exponents_in_range() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 30)
    c, s = rng.uniform(0.1, 1, 30), rng.uniform(0.1, 1, 30)
    p = eum.win_probability(x, c * s)
    eu0 = eum.expected_utility(x, s, p, weighted_median_1d(x, c * s), np.ones(30))
    r = eum.risk_exponents(eu0)
    assert r.min() == pytest.approx(0.5) and r.max() == pytest.approx(2.0)
    assert np.allclose(p + p.T, 1.0)
