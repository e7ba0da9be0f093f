"""The one chunk driver: any recipe (a PathSpec among them), any chunking, the same paths; and
the clamp of observations implements the month step's protocol in full."""

from __future__ import annotations

import inspect

import numpy as np

from accord.analysis.recipe import PathSpec, RunSettings
from accord.process.condition import Clamp
from accord.process.driver import Blocking, block_chunks
from accord.process.montecarlo import simulate
from accord.process.step import ClampHook
from accord.scenario.loader import parse_scenario

SC = """meta: {id: d, title: D, as_of: 2025-01-01, horizon: 12}
actors: [{id: a, name: A, capability: 1}]
events:
  - {id: first, name: First, hazard: {dist: beta, a: 2, b: 20}}
  - {id: second, name: Second, when: first, hazard: {value: 0.3, assumption: t},
     modifiers: [{if: first, multiply: {value: 1.5, assumption: t}}]}
"""


def test_a_path_spec_drives_the_same_paths_whatever_the_chunking() -> None:
    sc = parse_scenario(SC, "d.yaml").scenario
    spec = PathSpec.of(sc, RunSettings(paths=3000, draws=3, seed=11))
    whole = simulate(sc, spec.draws, spec.paths_per_draw, spec.seed,
                     issue_outcomes=spec.issue_outcomes)
    for blocking in (Blocking(8192, 15), Blocking(8192, 1)):
        run = block_chunks(spec, blocking)
        chunks = list(run.chunks)
        first = np.concatenate([c.parts[0] for c in chunks])
        np.testing.assert_array_equal(first, whole.first_step)
        np.testing.assert_array_equal(np.concatenate([c.draw for c in chunks]), whole.draw)
        assert all(c.clamp is None for c in chunks)
    assert (whole.first_step > 0).any(axis=0).all()  # both events happen somewhere
    smaller = np.concatenate([c.parts[0] for c in block_chunks(spec, Blocking(512, 2)).chunks])
    assert not np.array_equal(smaller, whole.first_step)  # the block size picks the uniforms


def test_the_clamp_implements_every_method_of_the_protocol() -> None:
    wanted = {n for n, v in vars(ClampHook).items()
              if not n.startswith("_") and (callable(v) or isinstance(v, property))}
    assert wanted == {"w", "month", "stochastic", "scheduled", "take", "end_month"}
    for name in wanted - {"w"}:
        got = inspect.signature(getattr(Clamp, name)).parameters
        want = inspect.signature(getattr(ClampHook, name)).parameters
        assert list(got) == list(want), name
