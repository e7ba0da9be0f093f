"""Every bargaining model through the same checks, as scikit-learn's check_estimator puts every
estimator through its own: what any model of where an issue settles must satisfy, whatever its
theory. Tables are random and tie-free (ties are broken by input order in some models, which
docs/models/bargaining.md documents), with a status quo so that Nash has its disagreement point."""

from __future__ import annotations

import numpy as np
import pytest

from accord.bargaining.registry import GROUP_MODELS, MODELS
from accord.bargaining.table import IssueTable
from accord.errors import UserError

SEEDS = range(4)


def table(seed: int, n: int = 5, lo: float = 0.0, hi: float = 100.0, issue: str = "i",
          ) -> IssueTable:
    rng = np.random.default_rng(seed)
    x = rng.permutation(np.linspace(0.05, 0.95, n) + rng.uniform(-0.02, 0.02, n))
    return IssueTable(issue, tuple(f"a{k}" for k in range(n)), lo + (hi - lo) * x,
                      rng.uniform(0.2, 1.0, n), rng.uniform(1, 10, n), lo, hi,
                      np.array([lo + (hi - lo) * 0.1]))


def affine(t: IssueTable, a: float, b: float) -> IssueTable:
    """The same issue on the scale y = a + b·x."""
    return IssueTable(t.issue, t.actors, a + b * t.position, t.salience, t.capability,
                      a + b * t.scale_min, a + b * t.scale_max,
                      None if t.status_quo is None else a + b * t.status_quo)


def permuted(t: IssueTable, order: np.ndarray) -> IssueTable:
    return IssueTable(t.issue, tuple(t.actors[k] for k in order), t.position[order],
                      t.salience[order], t.capability[order], t.scale_min, t.scale_max,
                      t.status_quo)


def outcome(name: str, t: IssueTable) -> float:
    return float(MODELS[name](t).outcome[0])


@pytest.mark.parametrize("name", list(MODELS))
def test_within_the_scale(name: str) -> None:
    for seed in SEEDS:
        t = table(seed)
        assert 0.0 <= outcome(name, t) <= 100.0


@pytest.mark.parametrize("name", list(MODELS))
def test_the_scale_does_not_matter(name: str) -> None:
    """Positions, scale and status quo on y = −5 + 0.2·x give the outcome on that scale."""
    for seed in SEEDS:
        t = table(seed)
        assert outcome(name, affine(t, -5.0, 0.2)) == pytest.approx(
            -5.0 + 0.2 * outcome(name, t), abs=1e-6), seed


@pytest.mark.parametrize("name", list(MODELS))
def test_only_capability_ratios_matter(name: str) -> None:
    for seed in SEEDS:
        t = table(seed)
        scaled = IssueTable(t.issue, t.actors, t.position, t.salience, 7.5 * t.capability,
                            t.scale_min, t.scale_max, t.status_quo)
        assert outcome(name, scaled) == pytest.approx(outcome(name, t), abs=1e-6), seed


@pytest.mark.parametrize("name", list(MODELS))
def test_the_order_of_actors_does_not_matter(name: str) -> None:
    """SMP, as KTAB, merges positions closer than POS_TOL (on the unit scale) into the first
    of them in input order, and its outcome weighs that representative: the order may move it
    by up to POS_TOL of the scale, never more."""
    from accord.bargaining.smp import POS_TOL

    tol = 100 * POS_TOL if name == "smp" else 1e-6
    for seed in SEEDS:
        t = table(seed)
        order = np.random.default_rng(100 + seed).permutation(len(t.actors))
        assert outcome(name, permuted(t, order)) == pytest.approx(outcome(name, t),
                                                                  abs=tol), seed


@pytest.mark.parametrize("name", list(MODELS))
def test_unanimity_settles_where_everyone_stands(name: str) -> None:
    t = table(0)
    same = IssueTable(t.issue, t.actors, np.full(len(t.actors), 62.0), t.salience, t.capability,
                      t.scale_min, t.scale_max, t.status_quo)
    assert outcome(name, same) == pytest.approx(62.0, abs=1e-6)


@pytest.mark.parametrize("name", list(MODELS))
def test_a_lone_actor_gets_its_position_or_a_clear_refusal(name: str) -> None:
    t = table(0, n=1)
    try:
        got = outcome(name, t)
    except UserError:
        return
    assert got == pytest.approx(float(t.position[0, 0]), abs=1e-6)


@pytest.mark.parametrize("name", list(GROUP_MODELS))
def test_group_models_keep_each_issue_on_its_own_scale(name: str) -> None:
    """Across a group, rescaling one issue rescales its outcome and leaves the other's."""
    for seed in SEEDS:
        a, b = table(seed, issue="a"), table(seed + 10, issue="b")
        b = IssueTable(b.issue, a.actors, b.position, b.salience, a.capability, b.scale_min,
                       b.scale_max, b.status_quo)
        base = GROUP_MODELS[name]([a, b])
        moved = GROUP_MODELS[name]([affine(a, 10.0, 3.0), b])
        assert float(moved[0].outcome[0]) == pytest.approx(10 + 3 * float(base[0].outcome[0]),
                                                            abs=1e-6)
        assert float(moved[1].outcome[0]) == pytest.approx(float(base[1].outcome[0]), abs=1e-6)
