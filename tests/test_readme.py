"""The documentation's scenarios are valid and forecast; the README is one page whose links land.

The format reference's example scenario (docs/reference/format.md, the ```yaml block starting
with `meta:`) loads strictly and runs; the tutorial's scenario validates with every quote found
in the text it quotes (tests/data/draft/river_treaty.txt).
"""

from __future__ import annotations

import re

import numpy as np

from accord.analysis.run import RunSettings, run_scenario
from accord.scenario.loader import parse_scenario

from .shared_paths import REPO

DOCS = REPO / "docs"


def _yaml_block(path: str, starting: str) -> str:
    text = (DOCS / path).read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(" + re.escape(starting) + r".*?)```", text, re.S)
    assert block, f"{path}: a ```yaml block starting with {starting!r}"
    return block.group(1)


def test_the_format_references_example_scenario_runs() -> None:
    loaded = parse_scenario(_yaml_block("reference/format.md", "meta:"), "format.md", strict=True)
    result = run_scenario(loaded.scenario, RunSettings(paths=2000, draws=20, seed=1))
    deal = np.array(result.forecast.events["deal"].probability)
    talks = np.array(result.forecast.events["talks"].probability)
    assert 0 < deal[-1] < talks[-1] < 1


def test_the_tutorials_scenario_validates_with_its_quotes_found() -> None:
    text = _yaml_block("tutorial.md", "meta:\n  id: river-talks")
    loaded = parse_scenario(text, "river.yaml", source_dirs=[REPO / "tests" / "data" / "draft"],
                            require_texts=True, strict=True)  # a quote not in the text raises
    assert loaded.warnings == [], loaded.warnings
    result = run_scenario(loaded.scenario, RunSettings(paths=2000, draws=20, seed=1))
    assert {q.id for q in result.forecast.questions} == {"treaty_2026", "ratified_2027",
                                                         "skirmish_2027"}
    assert all(0 < q.probability < 1 for q in result.forecast.questions)


def test_the_readme_is_one_page_and_its_links_land() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    links = re.findall(r"\]\(((?:docs/|CHANGELOG)[^)#]*)", text)
    assert len(links) >= 15, links
    missing = [link for link in links if not (REPO / link).is_file()]
    assert not missing, missing
