"""The store's tables as the newest migration leaves them: what queries are written against.

The migrations in `migrations/versions/` are what create and change them; a test checks that the
two agree on every dialect.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from accord.store.rows import HEAD, method_of

__all__ = ["HEAD", "ledger", "metadata", "method_of", "runs"]

Json = sa.JSON().with_variant(JSONB(), "postgresql")

metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False, index=True),
    sa.Column("method", sa.String(32), nullable=True, index=True),
    sa.Column("scenario_id", sa.String(80), nullable=False, index=True),
    sa.Column("scenario_name", sa.Text, nullable=False),
    sa.Column("scenario_hash", sa.String(64), nullable=False, index=True),
    sa.Column("scenario_text", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("settings", Json, nullable=False),
    sa.Column("versions", Json, nullable=False),
    sa.Column("results", Json, nullable=False),
)

ledger = sa.Table(
    "ledger",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "forecast" or "resolution"
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("scenario_id", sa.String(80), nullable=False, index=True),
    sa.Column("question_id", sa.String(80), nullable=False, index=True),
    sa.Column("content", sa.Text, nullable=False),  # canonical JSON: what the hash covers
    sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
)
