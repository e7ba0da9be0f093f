"""Monte Carlo as additive per-chunk summaries gives the numbers the per-path code gave.

tests/data/mc_reference.json holds forecasts computed by the code as it stood before the
summaries (see tests/data/make_reference.py): same seed, same numbers, bit for bit — curves,
standard errors, bands, questions, path orders, `--precision` runs and sweep variants. One
number is allowed to differ in its last bits: with a single parameter draw the s.e. of a
repeatable's mean count was np.std over the paths' counts and is now computed from exact
integer sums (order-free, so mergeable).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.run import RunSettings, run_scenario
from accord.analysis.variants import evaluate, targets
from accord.scenario.loader import load_scenario

REF = json.loads((Path(__file__).parent / "data" / "mc_reference.json").read_text())
LAST_BITS = {"mean_count_stderr"}  # see the module docstring


def _same(a: object, b: object, where: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            if k in LAST_BITS and isinstance(a[k], float) and isinstance(b[k], float):
                assert math.isclose(a[k], b[k], rel_tol=1e-12, abs_tol=1e-15), f"{where}.{k}"
            else:
                _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("south-caucasus-2025").scenario


@pytest.mark.parametrize("name", list(REF["runs"]))
def test_same_seed_same_numbers_as_before(scenario, name: str) -> None:
    ref = REF["runs"][name]
    r = run_scenario(scenario, RunSettings(**ref["settings"]), with_issues=False)
    got = json.loads(json.dumps(r.forecast.to_dict()))  # tuples → lists, as stored
    _same(got, ref["forecast"], name)
    assert r.notes == ref["notes"]


def test_sweep_variants_same_numbers_as_before(scenario) -> None:
    ref = REF["variants"]
    values = {k: np.asarray(v) for k, v in ref["values"].items()}
    goals = targets(scenario)
    assert [g.id for g in goals] == ref["targets"]
    y = evaluate(scenario, values, ref["paths"], ref["seed"], goals)
    assert y.tolist() == ref["result"]
