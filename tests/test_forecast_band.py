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


def test_no_parameter_spread_gives_a_narrow_band() -> None:
    rng = np.random.default_rng(1)
    per_draw = rng.binomial(50, 0.3, size=2000) / 50
    band = parameter_band(per_draw[:, None], 50)[:, 0]
    assert band[1] - band[0] < 0.05 < np.ptp(np.quantile(per_draw, BAND))


def test_band_is_a_probability_interval() -> None:
    per_draw = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    band = parameter_band(per_draw, 10)
    assert np.all((band >= 0) & (band <= 1))
