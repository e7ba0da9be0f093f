"""The forecast ledger: an append-only, hash-chained record of forecasts and resolutions.

`prev_hash` is unique: two processes appending after the same entry cannot both succeed, so
the chain never forks (the loser retries on the new tail).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("scenario_id", sa.String(80), nullable=False, index=True),
        sa.Column("question_id", sa.String(80), nullable=False, index=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("ledger")
