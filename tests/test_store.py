"""The run store, on SQLite and on a real PostgreSQL: what is saved comes back whole; the schema
migrates; concurrent first use and a killed writer lose nothing."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.errors import UserError
from accord.store import migrate
from accord.store.runs import RunStore, StoreError, default_url, scenario_hash
from accord.store.schema import HEAD, metadata

from .store_urls import BACKENDS, fresh_url


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path):
    yield from fresh_url(request.param, tmp_path)


def _save(url: str, n: int, tag: str) -> None:
    store = RunStore(url)
    for i in range(n):
        store.save(
            kind="run",
            scenario_id=tag,
            scenario_name=tag,
            scenario_text=f"{tag}{i}",
            seed=i,
            settings={"paths": i, "exact": False},
            results={"value": i},
        )


def _open_and_save_at(url: str, barrier, tag: str) -> None:
    barrier.wait(30)
    _save(url, 1, tag)


def test_round_trip(url: str) -> None:
    store = RunStore(url)
    rid = store.save(
        kind="run",
        scenario_id="s",
        scenario_name="f.yaml",
        scenario_text="meta: {}",
        seed=7,
        settings={"paths": 100, "exact": True},
        results={"p": [0.1, 0.2], "se": float("nan")},
    )
    rec = store.get(rid)
    assert rec.results == {"p": [0.1, 0.2], "se": None}  # JSON has no NaN
    assert rec.seed == 7 and rec.settings == {"paths": 100, "exact": True}
    assert rec.scenario_hash == scenario_hash("meta: {}")
    assert rec.versions["numpy"] != "unknown"
    assert [r["id"] for r in store.list()] == [rid]
    assert store.list()[0]["method"] == "exact"
    with pytest.raises(UserError):
        store.get(rid + 1)


def test_filters_run_in_the_database(url: str) -> None:
    store = RunStore(url)
    for kind, settings in [("run", {"exact": False}), ("sensitivity", {"method": "tornado"}),
                           ("sensitivity", {"method": "sobol"}), ("run", {"exact": True})]:
        store.save(kind=kind, scenario_id="s", scenario_name="s.yaml", scenario_text=kind,
                   seed=1, settings=settings, results={})
    assert [r["method"] for r in store.list(kind="sensitivity")] == ["sobol", "tornado"]
    assert [r["kind"] for r in store.list(method="tornado")] == ["sensitivity"]
    assert len(store.list(scenario_hash=scenario_hash("run"))) == 2
    assert store.list(scenario_id="other") == []


def test_schema_is_at_head_and_matches_the_tables(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    store = RunStore(url)
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == HEAD
        script = ScriptDirectory.from_config(migrate.alembic_config(conn))
        assert script.get_current_head() == HEAD
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = [d for d in compare_metadata(ctx, metadata) if d[0] != "remove_table"
                or d[1].name != "alembic_version"]
    assert diff == []


FIRST_RELEASE_DDL = """
CREATE TABLE runs (
  id INTEGER NOT NULL PRIMARY KEY, created_at VARCHAR(32) NOT NULL, kind VARCHAR(32) NOT NULL,
  scenario_id VARCHAR(80) NOT NULL, scenario_name TEXT NOT NULL, scenario_hash VARCHAR(64)
  NOT NULL, scenario_text TEXT NOT NULL, seed BIGINT, settings TEXT NOT NULL,
  versions TEXT NOT NULL, results TEXT NOT NULL)
"""


def test_a_store_written_by_the_first_release_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute(FIRST_RELEASE_DDL)
    con.execute("CREATE INDEX ix_runs_scenario_id ON runs (scenario_id)")
    con.execute(
        "INSERT INTO runs VALUES (1, '2026-11-26T10:00:00+00:00', 'sensitivity', 's', 's.yaml', "
        "'h', 'text', 3, '{\"method\": \"tornado\", \"paths\": 2000}', '{}', '{\"a\": [1, 2]}')"
    )
    con.commit()
    con.close()
    store = RunStore(f"sqlite:///{path}")
    rec = store.get(1)
    assert rec.results == {"a": [1, 2]} and rec.settings["paths"] == 2000
    assert store.list(method="tornado")[0]["id"] == 1
    new = store.save(kind="run", scenario_id="s", scenario_name="s.yaml", scenario_text="t",
                     seed=1, settings={}, results={})
    assert new == 2
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == HEAD


def test_migrations_go_down_and_up_again(url: str) -> None:
    store = RunStore(url)
    _save(url, 2, "x")
    with store.engine.connect() as conn:
        from alembic import command

        cfg = migrate.alembic_config(conn)
        command.downgrade(cfg, "0001")
        conn.commit()
        assert migrate.current_revision(conn) == "0001"
        assert "method" not in {c["name"] for c in sa.inspect(conn).get_columns("runs")}
    store.engine.dispose()
    again = RunStore(url)
    assert again.count() == 2 and {r["method"] for r in again.list()} == {"monte-carlo"}


def test_many_processes_opening_a_fresh_store_at_once_all_land(url: str) -> None:
    n = 8
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(n)
    procs = [ctx.Process(target=_open_and_save_at, args=(url, barrier, f"p{k}"))
             for k in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * n
    store = RunStore(url)
    assert store.count() == n
    assert {r["scenario_id"] for r in store.list(limit=100)} == {f"p{k}" for k in range(n)}


def test_concurrent_writers(url: str) -> None:
    RunStore(url)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_save, args=(url, 25, f"w{k}")) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = RunStore(url)
    assert store.count() == 50
    assert {r["scenario_id"] for r in store.list(limit=100)} == {"w0", "w1"}


WRITER = """
import sys
from accord.store.runs import RunStore
store = RunStore(sys.argv[1])
i = 0
while True:
    store.save(kind="run", scenario_id="k", scenario_name="k", scenario_text="x" * 20000,
               seed=i, settings={"i": i}, results={"big": list(range(2000))})
    print(i, flush=True)
    i += 1
"""


def test_a_writer_killed_mid_run_leaves_every_earlier_run_intact(url: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    done = -1
    deadline = time.monotonic() + 60
    while done < 20 and time.monotonic() < deadline:
        done = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert done >= 20
    store = RunStore(url)
    n = store.count()
    assert n >= done + 1  # every run it reported stored is there
    for r in store.list(limit=n):
        rec = store.get(r["id"])
        assert rec.results["big"] == list(range(2000)) and rec.settings["i"] == rec.seed
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    RunStore(f"sqlite:///{path}")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_location_follows_accord_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "h"))
    assert default_url() == f"sqlite:///{tmp_path / 'h' / 'runs.sqlite'}"


@pytest.mark.parametrize("bad", ["not a url at all", "nosuchdb://x/y"])
def test_bad_url_is_a_store_error(bad: str) -> None:
    with pytest.raises(StoreError):
        RunStore(bad)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the run store"):
        RunStore(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not sqlite" * 100
