"""Parameter draws: M joint draws of every parameter, keyed by field path.

Engines take draws as input rather than sampling themselves, so analysis can hand them fixed
values (a tornado's low/high, a Sobol design) and compare runs on common random numbers.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.model import Scenario

Draws = dict[str, np.ndarray]


def sample_draws(scenario: Scenario, m: int, seed: int) -> Draws:
    """M draws of every parameter; draw j is the same for the same seed whatever M's chunking.

    Each parameter has its own stream (spawned from the seed by its position in file order),
    so adding a parameter does not change the draws of the others that precede it.
    """
    params = scenario.parameters()
    streams = np.random.SeedSequence([seed, 0xD4A5]).spawn(len(params))
    return {
        path: p.sample(np.random.default_rng(s), m)
        for (path, p), s in zip(params, streams, strict=True)
    }


def central_draws(scenario: Scenario) -> Draws:
    """One draw with every parameter at its central value (the point analysis)."""
    return {path: np.array([p.central()]) for path, p in scenario.parameters()}


def n_draws(draws: Draws) -> int:
    sizes = {len(v) for v in draws.values()}
    if len(sizes) > 1:
        raise ValueError(f"draws of unequal length: {sorted(sizes)}")
    return sizes.pop() if sizes else 1
