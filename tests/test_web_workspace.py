"""The dashboard's workspace: broken files are listed with their error, a run belongs to one
file's text, and a save never silently overwrites a change made on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nicegui")

from accord.scenario.loader import DEFAULT_SCENARIO, builtin_text  # noqa: E402
from accord.store.runs import RunStore  # noqa: E402
from accord.web.context import Context, last_run  # noqa: E402
from accord.web.jobs import JobManager  # noqa: E402
from accord.web.workspace import Refused, Workspace, text_hash  # noqa: E402


def _ws(tmp_path: Path) -> Workspace:
    good = builtin_text(DEFAULT_SCENARIO)
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "indent.yaml").write_text("meta:\n  id: x\n title: bad indent\n", "utf-8")
    (tmp_path / "latin1.yaml").write_bytes("meta: {title: 'Caf\xe9'}\n".encode("latin-1"))
    (tmp_path / "ci.yaml").write_text("jobs: {build: {}}\n", encoding="utf-8")
    return Workspace(tmp_path)


def test_unreadable_or_invalid_files_are_listed_with_their_error(tmp_path: Path) -> None:
    entries = {e.ref: e for e in _ws(tmp_path).entries()}
    assert entries["a.yaml"].error is None and entries["a.yaml"].hash
    assert "indent.yaml" in entries and entries["indent.yaml"].error
    assert "latin1.yaml" in entries and "UTF-8" in entries["latin1.yaml"].error
    assert "ci.yaml" not in entries  # YAML that is no scenario at all is not listed


def test_last_run_is_keyed_by_file_and_content(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    store = RunStore(f"sqlite:///{tmp_path / 'r.sqlite'}")
    ctx = Context(workspace=ws, store=store, jobs=JobManager(store))
    loaded = ws.load("a.yaml")
    rid = store.save(kind="run", scenario_id=loaded.scenario.meta.id, scenario_name=loaded.name,
                     scenario_text=loaded.text, seed=1, settings={}, results={})
    entries = {e.ref: e for e in ws.entries()}
    assert entries["a.yaml"].meta_id == entries["copy.yaml"].meta_id
    assert [r["id"] for r in last_run(ctx, entries["a.yaml"])] == [rid]
    assert last_run(ctx, entries["copy.yaml"]) == []  # same meta.id, another file
    (tmp_path / "a.yaml").write_text(loaded.text + "\n# edited\n", encoding="utf-8")
    edited = {e.ref: e for e in ws.entries()}["a.yaml"]
    assert last_run(ctx, edited) == []  # the text changed: that run was of another text
    ctx.jobs.shutdown()


def test_a_save_refuses_to_overwrite_a_file_changed_on_disk(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    opened = ws.text("a.yaml")
    (tmp_path / "a.yaml").write_text(opened + "# someone else's edit\n", encoding="utf-8")
    with pytest.raises(Refused, match="changed on disk"):
        ws.write("a.yaml", opened + "# mine\n", expected=text_hash(opened))
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8").endswith("someone else's edit\n")
    now = ws.text("a.yaml")
    ws.write("a.yaml", now + "# mine\n", expected=text_hash(now))
    assert ws.text("a.yaml").endswith("# mine\n")
