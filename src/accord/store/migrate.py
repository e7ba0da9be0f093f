"""Bring a store's schema to the newest revision, safely when many processes open it at once.

Alembic runs the migrations. Only one process migrates at a time: on SQLite an exclusive lock
on a file beside the database (held too while a process opens its first connection, which
turns the file to WAL, and checks the revision), on PostgreSQL a transaction-scoped advisory
lock. Every other process waits, then finds the schema current. A store already at the newest
revision is checked with one query and no Alembic import, so opening the store stays cheap.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from accord.store.schema import HEAD

MIGRATIONS = Path(__file__).parent / "migrations"
PG_LOCK_KEY = 0x616363_6F7264  # "accord": one advisory lock for every accord store


def current_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection):  # -> alembic.config.Config, imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    lock = Path(database).expanduser().with_name(Path(database).name + ".lock")
    with open(lock, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision` (default the newest) unless the store is already there."""
    if engine.dialect.name == "sqlite":
        # SQLite's first connections also turn the file to WAL: they, the check and any
        # migration are taken one process at a time (the lock is held for a query when the
        # store is current), so no connection meets another's change of the file half done
        with _sqlite_file_lock(engine), engine.connect() as conn:
            if revision == "head" and current_revision(conn) == HEAD:
                return  # the common case: no Alembic import at all
            from alembic import command

            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        return
    if revision == "head":
        with engine.connect() as conn:
            if current_revision(conn) == HEAD:
                return
    from alembic import command

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)
