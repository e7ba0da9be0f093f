"""The run store: what is saved comes back whole; concurrent writers both land."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import pytest

from accord.errors import UserError
from accord.store.runs import RunStore, default_url, scenario_hash


def _save(url: str, n: int, tag: str) -> None:
    store = RunStore(url)
    for i in range(n):
        store.save(
            kind="run",
            scenario_id=tag,
            scenario_name=tag,
            scenario_text=f"{tag}{i}",
            seed=i,
            settings={"paths": i},
            results={"value": i},
        )


def test_round_trip(tmp_path: Path) -> None:
    store = RunStore(f"sqlite:///{tmp_path / 'r.sqlite'}")
    rid = store.save(
        kind="run",
        scenario_id="s",
        scenario_name="f.yaml",
        scenario_text="meta: {}",
        seed=7,
        settings={"paths": 100},
        results={"p": [0.1, 0.2]},
    )
    rec = store.get(rid)
    assert rec.results == {"p": [0.1, 0.2]} and rec.seed == 7 and rec.settings == {"paths": 100}
    assert rec.scenario_hash == scenario_hash("meta: {}")
    assert rec.versions["numpy"] != "unknown"
    assert [r["id"] for r in store.list()] == [rid]
    with pytest.raises(UserError):
        store.get(rid + 1)


def test_wal_mode_and_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    url = f"sqlite:///{path}"
    RunStore(url)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_save, args=(url, 25, f"w{k}")) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = RunStore(url)
    assert store.count() == 50
    assert {r["scenario_id"] for r in store.list(limit=100)} == {"w0", "w1"}
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_default_location_follows_accord_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "h"))
    assert default_url() == f"sqlite:///{tmp_path / 'h' / 'runs.sqlite'}"


def test_bad_url_is_a_user_error() -> None:
    with pytest.raises(UserError):
        RunStore("not a url at all")
