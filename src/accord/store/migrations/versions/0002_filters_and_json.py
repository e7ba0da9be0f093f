"""Indexed columns for what pages filter on, and JSON where the dialect has it.

`method` (monte-carlo, exact, tornado, sobol, ...) was buried in the settings text, so finding the
latest tornado meant loading hundreds of whole records. It is backfilled from the settings.
On PostgreSQL the three JSON documents become JSONB; SQLite keeps text, which SQLAlchemy's JSON
type reads and writes the same way.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from accord.store.schema import method_of

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_COLUMNS = ("settings", "versions", "results")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("method", sa.String(32), nullable=True))
        batch.create_index("ix_runs_kind", ["kind"])
        batch.create_index("ix_runs_method", ["method"])
        batch.create_index("ix_runs_scenario_hash", ["scenario_hash"])
    runs = sa.table("runs", sa.column("id", sa.Integer), sa.column("settings", sa.Text),
                    sa.column("method", sa.String))
    rows = bind.execute(sa.select(runs.c.id, runs.c.settings)).all()
    for rid, text in rows:
        try:
            method = method_of(json.loads(text))
        except (TypeError, ValueError):
            method = None
        if method:
            bind.execute(runs.update().where(runs.c.id == rid).values(method=method))
    if bind.dialect.name == "postgresql":
        for col in JSON_COLUMNS:
            op.execute(f"ALTER TABLE runs ALTER COLUMN {col} TYPE JSONB USING {col}::jsonb")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for col in JSON_COLUMNS:
            op.execute(f"ALTER TABLE runs ALTER COLUMN {col} TYPE TEXT USING {col}::text")
    with op.batch_alter_table("runs") as batch:
        batch.drop_index("ix_runs_scenario_hash")
        batch.drop_index("ix_runs_method")
        batch.drop_index("ix_runs_kind")
        batch.drop_column("method")
