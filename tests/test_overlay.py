"""Overlays: matched by id, parameters replaced whole, null removes, add: true adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import UserError
from accord.scenario.overlay import load_with_overlays

from .conftest import CORPUS

BASE = str(CORPUS / "base.yaml")


def _overlay(tmp_path: Path, text: str) -> str:
    f = tmp_path / "what-if.yaml"
    f.write_text(text)
    return str(f)


def test_replace_remove_and_add(tmp_path: Path) -> None:
    ov = _overlay(tmp_path, """
overlay: {id: w, title: What if}
events:
  - id: deal
    hazard: null
    chance: {value: 0.5, assumption: "what-if: one shot"}
  - id: walkout
    add: true
    name: Walkout
    when: talks
    hazard: {value: 0.05, assumption: "what-if"}
""")
    s = load_with_overlays(BASE, [ov], sources=CORPUS).scenario
    assert s.meta.id == "corpus-base--w" and s.meta.title.endswith("What if")
    assert s.event("deal").kind == "chance" and s.event("deal").chance.value == 0.5
    assert s.event("walkout").when == "talks"
    assert s.event("talks").hazard.low == 0.1  # untouched


def test_overlay_mistakes_name_the_overlay_line(tmp_path: Path) -> None:
    ov = _overlay(tmp_path, "events:\n  - id: talks\n    add: true\n    name: dup\n")
    with pytest.raises(UserError) as exc:
        load_with_overlays(BASE, [ov], sources=CORPUS)
    (p,) = exc.value.problems
    assert p.file == ov and p.line == 2 and "already exists" in p.message
    ov = _overlay(tmp_path, "evnts: []\n")
    with pytest.raises(UserError) as exc:
        load_with_overlays(BASE, [ov], sources=CORPUS)
    assert "unknown section 'evnts'" in str(exc.value)
    with pytest.raises(UserError, match="no overlay file or built-in overlay"):
        load_with_overlays(BASE, ["no-such-overlay"])


def test_the_merged_scenario_s_mistakes_name_the_file_they_come_from(tmp_path: Path) -> None:
    """A value the overlay wrote is reported at the overlay's line and under its path there
    (not at a line of the merged text, which is in neither file); a field of the base that
    the overlay broke is reported at the base's line."""
    ov = _overlay(tmp_path, """overlay: {id: w, title: What if}
events:
  - id: walkout
    add: true
    name: Walkout
    hazard: {value: 2, assumption: "what-if"}
  - id: deal
    when: "talks and nowhere"
""")
    with pytest.raises(UserError) as exc:
        load_with_overlays(BASE, [ov], sources=CORPUS)
    got = {(p.file, p.line, p.field) for p in exc.value.problems}
    assert got == {(ov, 6, "events[0].hazard"), (ov, 8, "events[1].when")}, exc.value
    ov = _overlay(tmp_path, "events:\n  - id: talks\n    hazard: null\n")  # talks: no way left
    with pytest.raises(UserError) as exc:
        load_with_overlays(BASE, [ov], sources=CORPUS)
    (p,) = exc.value.problems
    assert (p.file, p.line, p.field) == (BASE, 20, "events[0]"), exc.value
