"""The per-draw threshold table of an event with many modifiers (accord.process.thresholds:
`draw_table`, `pick_draws`) gives, path by path, the very limits of `threshold(modified(...))`,
the computation it replaces in the month step: bit for bit, with sure (p >= 1) paths, point
parameters, rates that change monthly and conditions that hold everywhere or nowhere."""

from __future__ import annotations

import numpy as np
import pytest

from accord.process.thresholds import (
    TABLE_LIMIT,
    draw_table,
    modified,
    pick_draws,
    threshold,
)

SHAPE = (1, 600)


def _case(seed: int, n_mods: int, draws: int, months: int | None):
    rng = np.random.default_rng(seed)
    base = rng.uniform(0, 0.6, (months, draws) if months else draws)
    mults = [rng.uniform(0, 3, draws) if rng.random() < 0.6 else np.array([rng.uniform(0.2, 4)])
             for _ in range(n_mods)]
    at = np.sort(rng.integers(0, draws, SHAPE[1])).reshape(SHAPE)  # each path's draw
    kinds = rng.integers(0, 3, n_mods)  # 0: False, 1: True, 2: an array over the paths
    conds = [rng.random(SHAPE) < rng.uniform(0.1, 0.9) if k == 2 else bool(k) for k in kinds]
    return base, mults, at, conds


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n_mods, months", [(4, None), (5, 36), (7, None), (4, 3)])
def test_the_table_gives_the_limits_of_the_modified_probability(seed: int, n_mods: int,
                                                                months: int | None) -> None:
    draws = 50
    base, mults, at, conds = _case(seed * 31 + n_mods, n_mods, draws, months)
    if not any(isinstance(c, np.ndarray) for c in conds):
        conds[0] = np.arange(SHAPE[1]).reshape(SHAPE) % 3 == 0
    table = draw_table(base, mults)
    assert table is not None
    for month in range(months or 1):
        row = base[month] if months else base
        per_path = [m[at] if m.size > 1 else float(m[0]) for m in mults]
        want = threshold(modified(row[at], conds, per_path))
        got = pick_draws(table, month, conds, at * table.subsets, SHAPE)
        assert np.array_equal(np.broadcast_to(got[0], SHAPE), np.broadcast_to(want[0], SHAPE))
        assert got[0].dtype == np.uint32
        sure_w = np.zeros(SHAPE, bool) if want[1] is None else np.broadcast_to(want[1], SHAPE)
        sure_g = np.zeros(SHAPE, bool) if got[1] is None else got[1]
        assert np.array_equal(sure_g, sure_w)


def test_sure_paths_and_point_parameters() -> None:
    """Multipliers that take p past 1 make those paths sure; point values give a width-1
    table that every path reads alike."""
    base = np.array([0.5])
    mults = [np.array([3.0]), np.array([0.5]), np.array([1.0]), np.array([0.0])]
    table = draw_table(base, mults)
    assert table is not None and table.width == 1 and table.sure is not None
    c = np.arange(SHAPE[1]).reshape(SHAPE) % 2 == 0
    conds = [c, False, True, ~c]
    want = threshold(modified(0.5, conds, [3.0, 0.5, 1.0, 0.0]))
    got = pick_draws(table, 0, conds, 0, SHAPE)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_a_table_too_large_is_not_made() -> None:
    draws = TABLE_LIMIT // 8
    assert draw_table(np.full(draws, 0.1), [np.full(draws, 2.0)] * 4) is None
    assert draw_table(np.full(draws, 0.1), [np.full(draws, 2.0)] * 3) is not None

