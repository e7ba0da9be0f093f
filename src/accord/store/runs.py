"""Run history: every run saved with what is needed to reproduce and compare it.

SQLAlchemy Core, so a PostgreSQL URL works as well as the default SQLite file (WAL mode, so a
reader never blocks a writer and two runs finishing at once both land). The schema is versioned:
opening a store migrates it (accord.store.migrate). SQLite transactions are made real (pysqlite
otherwise runs DDL outside any transaction), so a migration or a save killed half-way leaves
nothing half-done.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from accord.errors import UserError
from accord.store import migrate
from accord.store.rows import default_url, library_versions, run_row, scenario_hash, to_json
from accord.store.schema import runs

__all__ = ["MAX_INT", "RunRecord", "RunStore", "StoreError", "default_url", "library_versions",
           "scenario_hash"]


MAX_INT = 2**63 - 1  # the largest integer a database takes (a bigger id or limit: an error)


@dataclass(frozen=True)
class RunRecord:
    id: int
    created_at: str
    kind: str
    scenario_id: str
    scenario_name: str
    scenario_hash: str
    scenario_text: str
    seed: int | None
    settings: dict[str, Any]
    versions: dict[str, str]
    results: dict[str, Any]


class StoreError(UserError):
    """The run store cannot be opened or written: a setup problem, reported in one line."""


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # accord emits BEGIN itself (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


class RunStore:
    """The run history behind one database URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            parsed = sa.engine.make_url(self.url)
        except ArgumentError:
            raise StoreError.at(f"not a database URL: {self.url!r}", field="db") from None
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite and parsed.database not in (None, "", ":memory:"):
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError.at(f"cannot create {folder}: {exc.strerror}", field="db") from None
        try:
            self.engine: Engine = sa.create_engine(
                parsed,
                connect_args={"timeout": 30} if sqlite else {},
                json_serializer=to_json,
            )
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise StoreError.at(
                f"unsupported database URL {self.url!r} ({exc}); for PostgreSQL install "
                "accord[postgres]", field="db",
            ) from None
        if sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        try:
            migrate.upgrade(self.engine)
        except (OperationalError, DatabaseError) as exc:
            raise StoreError.at(
                f"cannot open the run store {self.safe_url}: {str(exc.orig).strip()}", field="db"
            ) from None

    @property
    def safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Close the pool's connections. A SQLite store's last connection to close folds its
        write-ahead log into the file and removes it; a process that ends without closing
        leaves the log to the next one to read back, and it grows run after run."""
        self.engine.dispose()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(
        self,
        *,
        kind: str,
        scenario_id: str,
        scenario_name: str,
        scenario_text: str,
        seed: int | None,
        settings: dict[str, Any],
        results: dict[str, Any],
    ) -> int:
        row = run_row(kind=kind, scenario_id=scenario_id, scenario_name=scenario_name,
                      scenario_text=scenario_text, seed=seed, settings=settings, results=results)
        with self.engine.begin() as conn:
            return int(conn.execute(runs.insert().values(**row)).inserted_primary_key[0])

    def list(
        self,
        limit: int = 50,
        scenario_id: str | None = None,
        *,
        kind: str | None = None,
        method: str | None = None,
        scenario_hash: str | None = None,
        scenario_name: str | None = None,
    ) -> list[dict[str, Any]]:
        """The newest runs' headers (never their texts or results), filtered in the database."""
        cols = [
            runs.c.id,
            runs.c.created_at,
            runs.c.kind,
            runs.c.method,
            runs.c.scenario_id,
            runs.c.scenario_name,
            runs.c.seed,
            runs.c.settings,
            runs.c.scenario_hash,
        ]
        q = sa.select(*cols).order_by(runs.c.id.desc()).limit(min(limit, MAX_INT))  # or: all
        for col, value in (
            (runs.c.scenario_id, scenario_id),
            (runs.c.kind, kind),
            (runs.c.method, method),
            (runs.c.scenario_hash, scenario_hash),
            (runs.c.scenario_name, scenario_name),
        ):
            if value:
                q = q.where(col == value)
        with self.engine.connect() as conn:
            return [r._asdict() for r in conn.execute(q)]

    def get(self, run_id: int) -> RunRecord:
        r = None
        if 0 < run_id <= MAX_INT:  # any other id names no run
            with self.engine.connect() as conn:
                r = conn.execute(sa.select(runs).where(runs.c.id == run_id)).first()
        if r is None:
            raise UserError.at(f"no run with id {run_id} in {self.safe_url}")
        d = r._asdict()
        d.pop("method")
        return RunRecord(**d)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one())
