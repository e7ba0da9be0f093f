"""The discrete-options model: its probabilities by hand, its fit, its shipped constants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.bargaining import options
from accord.bargaining.groups import load_grouped
from accord.bargaining.table import IssueTable


def test_options_and_probabilities_by_hand() -> None:
    # positions 0, 40, 100 with weights 1, 2, 1: compromise 0.45; status quo 0.4 (an option
    # already); options 0, 0.4, 0.5, 1 at distances 0.45, 0.05, 0.05, 0.55
    t = IssueTable.one_dim("t", ["a", "b", "c"], [0, 40, 100], [1, 1, 1], [1, 2, 1],
                           status_quo=40.0)
    o = options.options(t)
    np.testing.assert_allclose(o.points, [0, 0.4, 0.5, 1.0])
    b = np.array([0.5])
    p = options.probabilities(o, b)
    u = np.exp(-0.5 * np.array([0.45, 0.05, 0.05, 0.55]) / 0.1)
    np.testing.assert_allclose(p, u / u.sum())
    pred = options.predict_with(t, b)
    # cumulative P (sorted) reaches ½ at 0.4: u = .105, .779, .779, .064 → .06, .50+
    assert pred.value == pytest.approx(40.0)
    assert pred.weights is not None and pred.samples is not None
    np.testing.assert_allclose(pred.samples[:, 0], [0, 40, 50, 100])
    # the nearest option: 0.4 and 0.5 tie at 0.05; the lower wins
    assert options.predict_nearest(t).value == pytest.approx(40.0)


def test_nearest_option_is_the_cold_limit() -> None:
    rng = np.random.default_rng(2)
    for _ in range(20):
        t = IssueTable.one_dim("t", list("abcd"), rng.uniform(0, 100, 4),
                               rng.uniform(0.1, 1, 4), rng.uniform(1, 5, 4))
        assert options.predict_with(t, np.array([500.0])).value == pytest.approx(
            options.predict_nearest(t).value)


def test_fit_recovers_the_generating_temperature() -> None:
    rng = np.random.default_rng(11)
    b_true, h_true = 0.6, 0.03
    tables, y = [], []
    for k in range(400):
        t = IssueTable.one_dim(f"t{k}", list("abcde"), rng.uniform(0, 100, 5),
                               rng.uniform(0.1, 1, 5), rng.uniform(1, 5, 5))
        o = options.options(t)
        c = rng.choice(o.points, p=options.probabilities(o, np.array([b_true])))
        tables.append(t)
        y.append(float(np.clip(c + rng.laplace(0, h_true), 0, 1)))
    beta, h = options.fit(tables, np.array(y))
    assert beta[0] == pytest.approx(b_true, rel=0.2)
    assert h == pytest.approx(h_true, rel=0.25)


def test_shipped_constants_are_the_deu_dev_fit(shared_data: Path) -> None:
    d = shared_data / "deu"
    tables, outcomes, _ = load_grouped(d / "dev-positions.csv", d / "dev-issues.csv")
    ts = [t for t in tables if t.issue in outcomes]
    y = np.array([(outcomes[t.issue] - t.scale_min[0]) / t.span[0] for t in ts])
    beta, h = options.fit(ts, y)
    assert beta[0] == pytest.approx(options.BETA[0], abs=5e-4)
    assert h == pytest.approx(options.H, abs=5e-4)
