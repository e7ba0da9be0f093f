"""The quantile functions that spare `accord forecast` importing scipy.stats agree with
scipy.stats' own, to a few units in the last place, over both tails and odd shapes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from accord.scenario.quantiles import beta_ppf, betainc, norm_ppf, triang_ppf

Q = np.concatenate([np.random.default_rng(1).random(500),
                    [0.0, 1.0, 1e-12, 1 - 1e-12, 0.5, 1e-6, 0.05, 0.95]])


@pytest.mark.parametrize(("a", "b"), [(2, 8), (0.5, 0.5), (1, 1), (30, 70), (0.2, 5), (5, 0.3),
                                      (200, 300), (1.5, 1), (0.9, 40), (1e-3, 1e-3)])
def test_beta_ppf_is_scipys(a: float, b: float) -> None:
    ours, theirs = beta_ppf(Q, a, b), stats.beta.ppf(Q, a, b)
    assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert np.array_equal(ours[Q == 0], [0.0]) and np.array_equal(ours[Q == 1], [1.0])


def test_beta_ppf_broadcasts_over_shapes_and_refuses_bad_ones() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.uniform(1e-6, 50, 300), rng.uniform(1e-6, 50, 300)
    for q in (0.05, 0.95):
        assert np.allclose(beta_ppf(q, a, b), stats.beta.ppf(q, a, b), rtol=1e-11, atol=1e-14)
    assert np.isnan(beta_ppf([0.5, 1.5, np.nan], [1.0, 1.0, 1.0], [-1.0, 1.0, 1.0])).all()


def test_betainc_and_the_other_quantiles_are_scipys() -> None:
    from scipy.special import betainc as sc_betainc

    x = np.linspace(0, 1, 101)
    for a, b in ((2, 8), (0.5, 3), (40, 40)):
        assert np.allclose(betainc(a, b, x), sc_betainc(a, b, x), rtol=1e-13, atol=1e-15)
    inner = Q[(Q > 0) & (Q < 1)]
    assert np.allclose(norm_ppf(inner), stats.norm.ppf(inner), rtol=1e-14, atol=1e-15)
    assert np.array_equal(norm_ppf([0.0, 1.0]), [-np.inf, np.inf])
    assert np.allclose(triang_ppf(Q, 0.3, 1.0, 2.0), stats.triang.ppf(Q, 0.3, loc=1, scale=2),
                       rtol=0, atol=1e-15)
