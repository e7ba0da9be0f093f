"""The cache of validated scenarios (accord.scenario.cache) answers what validation would
answer now: a change to the text, to a source text the quotes were checked against (or its
appearing), to the flags or to accord's own files is a miss; a damaged entry is a miss; and
the installed versions saved with a run are importlib.metadata's."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from accord.errors import UserError
from accord.scenario import cache
from accord.scenario.loader import builtin_text, load_scenario, parse_scenario

SOURCE = "The parties met in Geneva and agreed to talk again."
SCENARIO = """\
meta:
  id: cached
  title: A scenario to cache
  as_of: 2025-01-01
  horizon: 12
  sources: [{id: note, title: A note, file: note.txt}]
actors:
  - {id: a, name: A, capability: 1}
  - {id: b, name: B, capability: 1}
events:
  - id: talks
    name: Talks held
    hazard: {value: 0.1, evidence: [{source: note, quote: "agreed to talk again"}]}
"""


def _entries(home: Path) -> list[Path]:
    return sorted((home / "cache" / "scenarios").glob("*.pickle"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names parse_scenario is called with (a validation, not a cache hit)."""
    calls: list[str] = []
    real = parse_scenario

    def spy(text: str, name: str, **kw: object):  # noqa: ANN202
        calls.append(name)
        return real(text, name, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("accord.scenario.loader.parse_scenario", spy)
    return calls


def test_the_builtin_scenario_is_validated_once(home: Path, monkeypatch) -> None:
    calls = _spy(monkeypatch)
    first = load_scenario()
    second = load_scenario()
    assert calls == ["builtin:south-caucasus-2025"] and len(_entries(home)) == 1
    assert second is not first
    assert second.scenario == first.scenario
    assert second.scenario.model_dump() == parse_scenario(
        builtin_text("south-caucasus-2025"), "builtin:south-caucasus-2025").scenario.model_dump()
    for field in ("text", "name", "warnings", "source_dirs", "require_texts", "unsourced",
                  "consulted"):
        assert getattr(second, field) == getattr(first, field), field
    assert second.tree is not None  # the round trip, parsed when asked for


def test_a_changed_text_or_source_text_is_validated_again(home: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    calls = _spy(monkeypatch)
    f = tmp_path / "s.yaml"
    f.write_text(SCENARIO, encoding="utf-8")
    assert [str(w) for w in load_scenario(f).warnings if "not found" in str(w)]  # no text yet
    (tmp_path / "note.txt").write_text(SOURCE, encoding="utf-8")  # the text appears beside it
    found = load_scenario(f)
    assert not [w for w in found.warnings if "not found" in str(w)]
    assert load_scenario(f).warnings == found.warnings  # a hit
    assert len(calls) == 2
    (tmp_path / "note.txt").write_text("Nothing was agreed.", encoding="utf-8")
    with pytest.raises(UserError, match="quote not found"):
        load_scenario(f)
    assert len(calls) == 3
    (tmp_path / "note.txt").write_text(SOURCE, encoding="utf-8")
    f.write_text(SCENARIO.replace("value: 0.1", "value: 0.2"), encoding="utf-8")
    assert load_scenario(f).scenario.events[0].probability.value == 0.2
    with pytest.raises(UserError, match="no evidence"):  # strict: not the lenient answer
        load_scenario(f, strict=True)
    assert len(calls) == 5  # the new text, then the flag


def test_a_change_to_accords_files_is_a_miss(home: Path, monkeypatch) -> None:
    calls = _spy(monkeypatch)
    load_scenario()
    monkeypatch.setattr(cache, "_STAMP", ["another version of the code"])
    load_scenario()
    assert len(calls) == 2 and len(_entries(home)) == 2


@pytest.mark.parametrize("junk", [b"", b"not a pickle", pickle.dumps({"a": 1}),
                                  pickle.dumps(({}, "not a Loaded"))])
def test_a_damaged_entry_is_a_miss(home: Path, monkeypatch, junk: bytes) -> None:
    load_scenario()
    (entry,) = _entries(home)
    entry.write_bytes(junk)
    calls = _spy(monkeypatch)
    assert load_scenario().scenario.meta.id == "south-caucasus-2025"
    assert calls == ["builtin:south-caucasus-2025"]
    assert load_scenario().scenario.meta.id == "south-caucasus-2025"  # written again: a hit
    assert len(calls) == 1


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ACCORD_HOME", str(blocker))  # cache/ cannot be made under a file
    assert load_scenario().scenario.meta.id == "south-caucasus-2025"


def test_old_entries_are_pruned(home: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    for k in range(4):
        monkeypatch.setattr(cache, "_STAMP", [f"code {k}"])
        load_scenario()
    assert len(_entries(home)) == 2


def test_the_saved_versions_are_importlib_metadatas(home: Path, monkeypatch) -> None:
    from importlib.metadata import version

    from accord.store import rows

    first = rows.library_versions()
    assert first == rows.library_versions()
    assert first["numpy"] == version("numpy") and first["accord"] == version("accord")
    (kept,) = (home / "cache").glob("versions-*.json")
    monkeypatch.setattr(rows, "_read_versions", lambda: {p: "new" for p in rows.LIBRARIES})
    assert rows.library_versions() == first  # nothing changed on the path
    folder = home / "site"
    folder.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(folder)])  # another folder on the path
    assert rows.library_versions() == {p: "new" for p in rows.LIBRARIES}
    monkeypatch.setattr(rows, "_read_versions", lambda: {p: "newer" for p in rows.LIBRARIES})
    assert rows.library_versions() == {p: "new" for p in rows.LIBRARIES}
    (folder / "pkg-2.0.dist-info").mkdir()  # a package installed there: the folder's time
    os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 10**9))
    assert rows.library_versions() == {p: "newer" for p in rows.LIBRARIES}
    assert kept.exists()
    here = home / "notebooks"  # the script's or the current folder: files come and go there
    here.mkdir()
    monkeypatch.setattr(sys, "path", [str(here), *sys.path[1:]])
    newer = rows.library_versions()
    monkeypatch.setattr(rows, "_read_versions", lambda: {p: "newest" for p in rows.LIBRARIES})
    (here / "report.html").write_text("x")
    os.utime(here, ns=(0, os.stat(here).st_mtime_ns + 10**9))
    assert rows.library_versions() == newer
