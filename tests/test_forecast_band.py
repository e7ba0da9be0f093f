"""The parameter band measures parameter uncertainty, not the Monte Carlo noise of K paths."""

from __future__ import annotations

import numpy as np

from accord.process.forecast import BAND, parameter_band


def test_band_recovers_the_parameter_quantiles_from_noisy_draws() -> None:
    rng = np.random.default_rng(0)
    m, k = 4000, 20
    p_true = rng.beta(4, 12, size=m)  # the parameter spread of P
    per_draw = rng.binomial(k, p_true) / k  # what K paths per draw estimate
    truth = np.quantile(p_true, BAND)
    raw = np.quantile(per_draw, BAND)
    band = parameter_band(per_draw[:, None], k)[:, 0]
    assert np.all(np.abs(band - truth) < 0.02)
    assert np.all(np.abs(raw - truth) > 0.03)  # the raw quantiles are visibly too wide


def test_no_parameter_spread_gives_no_band_not_the_noise() -> None:
    rng = np.random.default_rng(1)
    per_draw = rng.binomial(50, 0.3, size=2000) / 50
    band = parameter_band(per_draw[:, None], 50)[:, 0]
    assert 0.05 < np.ptp(np.quantile(per_draw, BAND))  # the raw quantiles show only noise
    assert np.all(np.isnan(band))  # no spread to report: "—"


def test_band_is_a_probability_interval() -> None:
    per_draw = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    band = parameter_band(per_draw, 10)
    assert np.all(np.isnan(band) | ((band >= 0) & (band <= 1)))


def test_at_ten_paths_per_draw_the_band_follows_the_truth_or_says_it_cannot() -> None:
    rng = np.random.default_rng(3)
    m, k = 1000, 10
    p_true = rng.beta(4, 12, size=m)
    per_draw = rng.binomial(k, p_true) / k
    band = parameter_band(per_draw[:, None], k)[:, 0]
    truth = np.quantile(p_true, BAND)
    assert np.all(np.abs(band - truth) < 0.05), (band, truth)
    assert band[1] - band[0] > 0.2  # never collapsed to a point


def test_spread_hidden_in_noise_is_no_band_not_a_point() -> None:
    rng = np.random.default_rng(4)
    m, k = 200, 10
    p_true = rng.uniform(0.02, 0.06, size=m)  # a real spread, far below what 10 paths resolve
    per_draw = rng.binomial(k, p_true) / k
    band = parameter_band(per_draw[:, None], k)[:, 0]
    assert np.all(np.isnan(band))  # "—", never [x, x]


def test_the_inner_band_recovers_the_quartiles_and_sits_inside() -> None:
    from accord.process.forecast import BAND50

    rng = np.random.default_rng(5)
    p_true = rng.beta(4, 12, size=4000)
    per_draw = rng.binomial(20, p_true) / 20
    outer = parameter_band(per_draw[:, None], 20)[:, 0]
    inner = parameter_band(per_draw[:, None], 20, BAND50)[:, 0]
    assert np.all(np.abs(inner - np.quantile(p_true, BAND50)) < 0.02)
    assert outer[0] < inner[0] < inner[1] < outer[1]


def test_one_pass_gives_each_band_as_alone_and_numpys_quantiles_to_the_bit() -> None:
    """`parameter_bands` (both bands of a run from one sort) equals `parameter_band` called
    band by band, and its quantiles are np.quantile's (default method) bit for bit: ties,
    constant columns, NaN, the quantiles 0 and 1."""
    from accord.process.forecast import BAND50, linear_quantiles, parameter_bands

    rng = np.random.default_rng(7)
    per_draw = rng.binomial(40, rng.beta(3, 9, size=(300, 4, 6))) / 40
    k = np.full(300, 40.0)
    both = parameter_bands(per_draw, k, (BAND, BAND50))
    for got, q in zip(both, (BAND, BAND50), strict=True):
        assert np.array_equal(got, parameter_band(per_draw, k, q), equal_nan=True)
    for x in (per_draw, np.round(rng.random((57, 3)), 1), np.ones((9, 2)),
              np.where(rng.random((40, 5)) < 0.1, np.nan, rng.random((40, 5))),
              rng.random(2)):
        qs = [0.05, 0.95, 0.25, 0.75, 0.0, 1.0, 0.5, 0.3333]
        assert np.array_equal(linear_quantiles(x, qs), np.quantile(x, qs, axis=0),
                              equal_nan=True)
