"""Closed forms and properties of the static models: compromise, weighted median, Nash."""

from __future__ import annotations

import numpy as np
import pytest

from accord.bargaining import compromise, eum, nash, weighted_median
from accord.bargaining.registry import MODELS, get_model
from accord.bargaining.table import IssueTable
from accord.errors import UserError


def table(pos, sal, cap, sq=None, lo=0.0, hi=100.0) -> IssueTable:
    return IssueTable.one_dim("t", [f"a{i}" for i in range(len(pos))], pos, sal, cap,
                              scale_min=lo, scale_max=hi, status_quo=sq)


def test_compromise_is_the_capability_salience_weighted_mean() -> None:
    t = table([10, 40, 90], [0.5, 1.0, 0.2], [2, 1, 10])
    w = np.array([2 * 0.5, 1 * 1.0, 10 * 0.2])
    expected = (10 * w[0] + 40 * w[1] + 90 * w[2]) / w.sum()
    assert compromise.predict(t).value == pytest.approx(expected)


def test_weighted_median_first_reaches_half() -> None:
    # weights 1, 1, 3, 1 sorted by position: cumulative 1, 2, 5 → half of 6 reached at 70
    t = table([90, 10, 70, 20], [1, 1, 1, 1], [1, 1, 3, 1])
    assert weighted_median.predict(t).value == 70
    # an exact half is "reached": weights 1,1 | 1,1 → second actor's position
    t2 = table([10, 20, 30, 40], [1, 1, 1, 1], [1, 1, 1, 1])
    assert weighted_median.predict(t2).value == 20


def test_nash_closed_form_with_status_quo_at_zero() -> None:
    # SQ = 0, x_i > 0: u_i(x) − u_i(SQ) = s_i x (2 x_i − x); N'(x) = Σ c_i (1/x − 1/(2x_i − x)).
    # Two actors, c = (1, 1), x = (0.2, 0.8): 2x² − 3x + 0.64 = 0 → x = (3 − √3.88)/4.
    t = table([20, 80], [0.7, 0.3], [1, 1], sq=0.0)
    expected = 100 * (3 - np.sqrt(9 - 5.12)) / 4
    p = nash.predict(t)
    assert p.notes == []
    assert p.value == pytest.approx(expected, abs=1e-9)


def test_nash_weighted_closed_form() -> None:
    # c = (3, 1): 3/x − 3/(0.4 − x) + 1/x − 1/(1.6 − x) = 0, solved as a cubic numerically.
    t = table([20, 80], [1, 1], [3, 1], sq=0.0)
    roots = np.roots(np.polyadd(
        np.polymul([4.0], np.polymul([-1, 0.4], [-1, 1.6])),
        np.polyadd(np.polymul([-3.0, 0], [-1, 1.6]), np.polymul([-1.0, 0], [-1, 0.4])),
    ))
    feasible = [r.real for r in roots if abs(r.imag) < 1e-12 and 0 < r.real < 0.4]
    assert len(feasible) == 1
    assert nash.predict(t).value == pytest.approx(100 * feasible[0], abs=1e-8)


def test_nash_equal_weights_far_status_quo_approaches_mean() -> None:
    pos = [1.0, 3.0, 4.0, 9.0]
    errs = []
    for far in (1e2, 1e4, 1e6):
        t = table(pos, [1, 1, 1, 1], [1, 1, 1, 1], sq=far, lo=0.0, hi=far)
        errs.append(abs(nash.predict(t).value - np.mean(pos)))
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-3


def test_lone_dominant_actor_wins() -> None:
    # status quo 100: the feasible Nash set (40, 100) contains the dominant actor's 60
    pos, sal = [30, 45, 60, 70], [1, 1, 1, 1]
    cap = [1, 1, 1e6, 1]
    t = table(pos, sal, cap, sq=100.0)
    assert weighted_median.predict(t).value == 60
    assert compromise.predict(t).value == pytest.approx(60, abs=1e-3)
    assert nash.predict(t).value == pytest.approx(60, abs=1e-2)
    assert eum.predict(t).value == 60


@pytest.mark.parametrize("name", ["compromise", "weighted_median", "nash", "eum", "smp"])
def test_invariant_to_rescaling_the_scale(name: str) -> None:
    pos = np.array([5.0, 20.0, 45.0, 60.0, 90.0])
    sal = [0.9, 0.4, 0.6, 0.8, 0.5]
    cap = [3, 1, 2, 2, 1]
    base = get_model(name)(table(pos, sal, cap, sq=0.0)).value
    # scale 0–100 → −50..150 by x' = 2x − 50
    moved = get_model(name)(table(2 * pos - 50, sal, cap, sq=-50.0, lo=-50, hi=150)).value
    assert moved == pytest.approx(2 * base - 50, abs=1e-6)


def test_nash_fallback_is_visible() -> None:
    t = table([20, 80, 50], [1, 1, 1], [1, 2, 1])
    p = nash.predict(t)
    assert p.fell_back and "no status quo" in p.notes[0]
    assert p.value == pytest.approx(compromise.predict(t).value)
    # an actor at the status quo: no outcome is better for everyone
    t2 = table([0, 80, 50], [1, 1, 1], [1, 2, 1], sq=0.0)
    p2 = nash.predict(t2)
    assert p2.fell_back and "fell back to compromise" in p2.notes[0]
    assert p2.value == pytest.approx(compromise.predict(t2).value)


def test_multi_dimensional_table_runs_per_dimension() -> None:
    t = IssueTable("m", ("a", "b", "c"), np.array([[0, 100], [50, 50], [100, 0.0]]),
                   np.array([[1, 0.5], [1, 0.5], [0.5, 1]]), np.array([1.0, 1, 1]),
                   np.zeros(2), np.full(2, 100.0))
    out = compromise.predict(t).outcome
    assert out[0] == pytest.approx(compromise.predict(t.dimension(0)).value)
    assert out[1] == pytest.approx(compromise.predict(t.dimension(1)).value)


def test_registry_knows_all_models_and_rejects_others() -> None:
    assert set(MODELS) == {"compromise", "weighted_median", "nash", "eum", "smp", "exchange",
                           "exchange_random", "options", "nearest_option"}
    with pytest.raises(UserError) as exc:
        get_model("nashh")
    assert "compromise" in str(exc.value) and "smp" in str(exc.value)
