"""Store URLs for tests: a fresh SQLite file, or a fresh database on the throwaway PostgreSQL
cluster that `.ci/run` starts (ACCORD_TEST_POSTGRES). Without it the PostgreSQL cases skip
locally, and fail under CI, where the cluster must be there."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "ACCORD_TEST_POSTGRES"
BACKENDS = ["sqlite", "postgresql"]


def postgres_base() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: .ci/run should have started PostgreSQL")
        pytest.skip(f"no PostgreSQL: set {PG_ENV} (see scripts/postgres-cluster.sh)")
    return url


def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'store-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    import sqlalchemy as sa

    base = sa.engine.make_url(postgres_base())
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
