"""Parameter draws: M joint draws of every parameter, keyed by field path.

Engines take draws as input rather than sampling themselves, so analysis can hand them fixed
values (a tornado's low/high, a Sobol design) and compare runs on common random numbers.
"""

from __future__ import annotations

import zlib

import numpy as np

from accord.scenario.model import Scenario

Draws = dict[str, np.ndarray]


def sample_draws(scenario: Scenario, m: int, seed: int) -> Draws:
    """M draws of every parameter; draw j is the same for the same seed whatever M is.

    Each parameter has its own stream, keyed by its id-based name, so a what-if that changes
    one parameter, or adds an event, leaves every other parameter's draws as they were: the
    comparison of two scenarios runs on common random numbers.
    """
    names = scenario.parameter_names()
    return {
        path: p.sample(np.random.default_rng([seed, 0xD4A5, zlib.crc32(names[path].encode())]), m)
        for path, p in scenario.parameters()
    }


def central_draws(scenario: Scenario) -> Draws:
    """One draw with every parameter at its central value (the point analysis)."""
    return {path: np.array([p.central()]) for path, p in scenario.parameters()}


def n_draws(draws: Draws) -> int:
    sizes = {len(v) for v in draws.values()}
    if len(sizes) > 1:
        raise ValueError(f"draws of unequal length: {sorted(sizes)}")
    return sizes.pop() if sizes else 1
