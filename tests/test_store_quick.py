"""The quick SQLite writer (accord.store.quick) saves exactly the row RunStore saves, and hands
every store it cannot write as it is (another database, a new or older schema, a URL with
options, a file that is no database) to RunStore."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from accord.store.quick import QuickRunStore, open_run_store
from accord.store.runs import RunStore

RUN = {"kind": "forecast", "scenario_id": "s", "scenario_name": "f.yaml",
       "scenario_text": "meta: {}", "seed": 7,
       "settings": {"paths": 100, "exact": False, "event": "e"},
       "results": {"p": [0.1, 0.2], "se": float("nan"), "nested": {"x": None}}}


def test_the_quick_row_is_the_full_stores_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    full = RunStore(url)  # creates the file and migrates it to the newest revision
    quick = open_run_store(url)
    assert isinstance(quick, QuickRunStore) and quick.safe_url == full.safe_url
    a, b = full.save(**RUN), quick.save(**RUN)
    assert b == a + 1
    ra, rb = full.get(a), full.get(b)
    skip = {"id", "created_at"}
    assert {k: v for k, v in dataclasses.asdict(ra).items() if k not in skip} == \
        {k: v for k, v in dataclasses.asdict(rb).items() if k not in skip}
    assert full.list(method="monte-carlo")[0]["id"] == b  # the method column, as RunStore's
    raw = sqlite3.connect(tmp_path / "runs.sqlite").execute(
        "SELECT settings, versions, results FROM runs ORDER BY id").fetchall()
    assert raw[0] == raw[1]  # the JSON columns' text, byte for byte


@pytest.mark.parametrize("url", [
    "sqlite://",  # in memory
    "sqlite:///:memory:",
    "postgresql://u:p@localhost:1/x",
])
def test_stores_it_cannot_write_go_to_the_full_store(url: str, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr("accord.store.runs.RunStore.__init__",
                        lambda self, u=None: opened.append(u))
    store = open_run_store(url)
    assert isinstance(store, RunStore) and opened == [url]


def test_a_new_an_older_or_a_broken_store_goes_to_the_full_store(tmp_path: Path) -> None:
    new = tmp_path / "new.sqlite"
    store = open_run_store(f"sqlite:///{new}")  # not there yet: RunStore creates it
    assert isinstance(store, RunStore) and new.exists()
    assert isinstance(open_run_store(f"sqlite:///{new}"), QuickRunStore)
    sqlite3.connect(new).execute("UPDATE alembic_version SET version_num = '0002'").connection \
        .commit()
    assert QuickRunStore.open(f"sqlite:///{new}") is None  # an older revision: migrate first
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    assert QuickRunStore.open(f"sqlite:///{junk}") is None
    assert QuickRunStore.open(f"sqlite:///{new}?timeout=5") is None  # options: SQLAlchemy's
    assert isinstance(open_run_store(f"sqlite:///{tmp_path / 'x.sqlite'}", quick=False),
                      RunStore)


def test_forecast_saves_its_run_through_the_quick_store(cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    ask = ("forecast", "--event", "treaty_signed", "--by", "2026-12-31", "--paths", "500",
           "--db", db, "--json")
    first, second = cli(*ask), cli(*ask)  # the first creates the store, the second is quick
    assert first.code == second.code == 0, second.err
    import json

    ids = [json.loads(r.out)["run_id"] for r in (first, second)]
    rows = RunStore(db).list()
    assert [r["id"] for r in rows] == ids[::-1] and {r["kind"] for r in rows} == {"forecast"}
    a, b = (RunStore(db).get(i) for i in ids)
    assert a.results == b.results and a.settings == b.settings


def test_a_command_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    """The CLI skips the interpreter's last garbage collection, which is what closed the store:
    a command that saves a run must close it itself, so that SQLite folds the log into the
    file. Left open, the log grew run by run, and each command read it back on opening."""
    import os
    import subprocess
    import sys

    db = tmp_path / "runs.sqlite"
    env = {**os.environ, "ACCORD_HOME": str(tmp_path / "home")}
    for _ in range(2):  # the first creates the store (RunStore), the second is the quick one
        subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", "forecast",
                        "--event", "treaty_signed", "--by", "2026-06-30", "--paths", "200",
                        "--db", f"sqlite:///{db}"], check=True, capture_output=True, env=env)
        assert db.exists() and not Path(f"{db}-wal").exists()
    assert [r[0] for r in sqlite3.connect(db).execute("SELECT kind FROM runs")] == \
        ["forecast", "forecast"]
