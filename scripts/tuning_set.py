"""The tuning set's measure (tests/data/draft/*.txt against tests/data/draft/expected.yaml,
as tests/test_draft.py checks it): the reader's actors and links the draft finds, and how many
events and typed events it drafts. Used by scripts/draft_evaluation.py --tuning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from accord.draft.build import Options, build
from accord.draft.text import read_article
from accord.draft.writer import finished
from accord.scenario import conditions as C
from accord.scenario.evidence import normalise
from accord.scenario.loader import Loaded


def event_named(loaded: Loaded, words: str) -> list[str]:
    """The drafted events whose names hold these words (tests/test_draft.py reads them so)."""
    return [e.id for e in loaded.scenario.events if normalise(words) in normalise(e.name)]


def linked(loaded: Loaded, link: dict[str, str]) -> bool:
    """Whether the draft holds the reader's link (`if`, `then`, `kind`) between its events."""
    s = loaded.scenario
    for then in event_named(loaded, link["then"]):
        ev = s.event(then)
        for cause in event_named(loaded, link["if"]):
            if link["kind"] == "when" and cause in C.required_events(ev.condition):
                return True
            if link["kind"] == "unless" and f"not {cause}" in ev.when:
                return True
            if link["kind"] == "modifier" and any(m.if_ == cause for m in ev.modifiers):
                return True
    return False


def _row(data: Path, name: str, spec: dict[str, Any]) -> tuple[int, ...]:
    path = data / name
    article = read_article(str(path))
    draft = build(article, Options())
    _, loaded = finished(draft, article, f"{path.stem}.yaml", [data])
    found = {a.id for a in loaded.scenario.actors}
    links = sum(linked(loaded, link) for link in spec["links"])
    return (len(set(spec["actors"]) & found), len(spec["actors"]), links, len(spec["links"]),
            len(draft.typed), len(loaded.scenario.events))


def tuning_rows(data: Path) -> str:
    spec = YAML(typ="safe").load((data / "expected.yaml").read_text())
    lines = ["| text | actors | links | typed events / events |", "|---|---|---|---|"]
    sums = [0] * 6
    for name in sorted(spec):
        r = _row(data, name, spec[name])
        sums = [a + b for a, b in zip(sums, r, strict=True)]
        lines.append(f"| {name} | {r[0]}/{r[1]} | {r[2]}/{r[3]} | {r[4]}/{r[5]} |")
    lines.append(f"| **all {len(spec)}** | {sums[0]}/{sums[1]} | {sums[2]}/{sums[3]} "
                 f"| {sums[4]}/{sums[5]} |")
    return "\n".join(lines)
