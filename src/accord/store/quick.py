"""Saving a run to a SQLite store that is already current, without SQLAlchemy: start-up time.

`accord forecast` and `accord run` save every run. Importing SQLAlchemy costs about 0.2 s, a
third of a forecast's whole process, for one INSERT. When the store is a plain SQLite file that
exists and whose schema is at the newest revision (one query, as accord.store.migrate checks),
`QuickRunStore` writes the same row through the standard library's sqlite3: the columns and
JSON text of accord.store.rows, the connection settings of accord.store.runs (WAL, busy
timeout, an explicit transaction). Anything else (another database, a URL with options, a new
or older store that needs migrating, a store that cannot be read) goes to `RunStore`, which
creates or migrates it and reports problems as before.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING, Any

from accord.store.rows import HEAD, default_url, run_row, to_json

if TYPE_CHECKING:
    from accord.store.runs import RunStore

PREFIX = "sqlite:///"
COLUMNS = ("created_at", "kind", "scenario_id", "scenario_name", "scenario_hash",
           "scenario_text", "seed", "method", "settings", "versions", "results")
JSON_COLUMNS = ("settings", "versions", "results")


def _plain_sqlite_file(url: str) -> str | None:
    """The file of a plain `sqlite:///PATH` URL (no options, no escapes), else None."""
    if not url.startswith(PREFIX) or any(c in url for c in "?%#"):
        return None
    path = url[len(PREFIX):]
    if not path or path == ":memory:" or path.startswith("~"):
        return None
    return path


def _connect(path: str) -> sqlite3.Connection:
    """A connection as accord.store.runs makes one: autocommit off to BEGIN explicitly, WAL,
    a 30 s busy timeout; the file must exist (mode=rw creates nothing)."""
    from urllib.parse import quote

    conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=rw", uri=True,
                           timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class QuickRunStore:
    """Saves runs into a current SQLite store (the interface of RunStore.save)."""

    def __init__(self, url: str, conn: sqlite3.Connection) -> None:
        self.url = url
        self.safe_url = url  # a SQLite URL holds no password
        self._conn = conn

    @classmethod
    def open(cls, url: str) -> QuickRunStore | None:
        """The quick store of `url`, or None when the full store must handle it."""
        path = _plain_sqlite_file(url)
        if path is None or not os.path.isfile(path):
            return None
        try:
            conn = _connect(path)
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            return None
        if revision is None or revision[0] != HEAD:
            conn.close()
            return None
        return cls(url, conn)

    def close(self) -> None:
        """Close the connection: its write-ahead log is folded into the file (RunStore.close)."""
        self._conn.close()

    def __enter__(self) -> QuickRunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, **run: Any) -> int:
        """Insert one run (the keyword arguments of RunStore.save); returns its id."""
        row = run_row(**run)
        values = [to_json(row[c]) if c in JSON_COLUMNS else row[c] for c in COLUMNS]
        sql = (f"INSERT INTO runs ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(COLUMNS))})")
        conn = self._conn
        conn.execute("BEGIN")
        try:
            run_id = conn.execute(sql, values).lastrowid
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(run_id or 0)


def open_run_store(url: str | None, *, quick: bool = True) -> QuickRunStore | RunStore:
    """The store to save runs in: the quick writer where it can (see the module's note),
    else the full RunStore (always when `quick` is False: the ledger needs RunStore)."""
    full_url = url or default_url()
    if quick:
        found = QuickRunStore.open(full_url)
        if found is not None:
            return found
    from accord.store.runs import RunStore

    return RunStore(url)
