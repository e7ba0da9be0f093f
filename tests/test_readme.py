"""The README's example scenario is a valid scenario and forecasts."""

from __future__ import annotations

import re

import numpy as np

from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import parse_scenario

from .shared_paths import REPO


def test_readme_example_scenario_runs() -> None:
    text = (REPO / "README.md").read_text()
    block = re.search(r"```yaml\n(meta:.*?)```", text, re.S)  # the format's example
    assert block
    loaded = parse_scenario(block.group(1), "README.md", strict=True)
    result = run_scenario(loaded.scenario, RunSettings(paths=2000, draws=20, seed=1))
    deal = np.array(result.forecast.events["deal"].probability)
    talks = np.array(result.forecast.events["talks"].probability)
    assert 0 < deal[-1] < talks[-1] < 1
