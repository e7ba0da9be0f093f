"""Run history: every run saved with what is needed to reproduce and compare it.

SQLAlchemy Core, so a PostgreSQL URL works as well as the default SQLite file (WAL mode, so a
reader never blocks a writer and two runs finishing at once both land).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from accord.errors import UserError

metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("scenario_id", sa.String(80), nullable=False, index=True),
    sa.Column("scenario_name", sa.Text, nullable=False),
    sa.Column("scenario_hash", sa.String(64), nullable=False),
    sa.Column("scenario_text", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("versions", sa.Text, nullable=False),
    sa.Column("results", sa.Text, nullable=False),
)


def default_url() -> str:
    home = os.environ.get("ACCORD_HOME")
    if home:
        folder = Path(home)
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("accord", appauthor=False))
    return f"sqlite:///{folder / 'runs.sqlite'}"


def scenario_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("accord", "numpy", "scipy", "pydantic", "SQLAlchemy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "unknown"
    return out


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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class RunStore:
    """The run history behind one database URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            parsed = sa.engine.make_url(self.url)
        except ArgumentError:
            raise UserError.at(f"--db: not a database URL: {self.url!r}") from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = sa.create_engine(
                parsed,
                connect_args={"timeout": 30} if parsed.get_backend_name() == "sqlite" else {},
            )
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise UserError.at(f"--db: unsupported database URL {self.url!r} ({exc})") from None
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
        except OperationalError as exc:
            raise UserError.at(f"cannot open the run store {self.url}: {exc.orig}") from None

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
        row = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "kind": kind,
            "scenario_id": scenario_id,
            "scenario_name": scenario_name,
            "scenario_hash": scenario_hash(scenario_text),
            "scenario_text": scenario_text,
            "seed": seed,
            "settings": json.dumps(settings, sort_keys=True),
            "versions": json.dumps(library_versions(), sort_keys=True),
            "results": json.dumps(results),
        }
        with self.engine.begin() as conn:
            return int(conn.execute(runs.insert().values(**row)).inserted_primary_key[0])

    def list(self, limit: int = 50, scenario_id: str | None = None) -> list[dict[str, Any]]:
        cols = [
            runs.c.id,
            runs.c.created_at,
            runs.c.kind,
            runs.c.scenario_id,
            runs.c.seed,
            runs.c.settings,
            runs.c.scenario_hash,
        ]
        q = sa.select(*cols).order_by(runs.c.id.desc()).limit(limit)
        if scenario_id:
            q = q.where(runs.c.scenario_id == scenario_id)
        with self.engine.connect() as conn:
            return [{**r._asdict(), "settings": json.loads(r.settings)} for r in conn.execute(q)]

    def get(self, run_id: int) -> RunRecord:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(runs).where(runs.c.id == run_id)).first()
        if r is None:
            raise UserError.at(f"no run with id {run_id} in {self.url}")
        d = r._asdict()
        for k in ("settings", "versions", "results"):
            d[k] = json.loads(d[k])
        return RunRecord(**d)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one())
