"""Relays share the outbox: who has claimed an event, and until when (R-15.4,
docs/decisions/0034).

``cm_outbox.claimed_by`` names the relay that is sending the event and
``claimed_until`` when its lease ends; both ``NULL`` when no relay holds it. A relay
claims events in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL and
MariaDB), sends them, then marks them relayed; a relay that died leaves a lease that
ends on its own.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def instant() -> sa.types.TypeEngine[Any]:
    """A UTC instant: timestamptz on PostgreSQL, DATETIME(6) on MariaDB."""
    return (
        sa.DateTime()
        .with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
        .with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
    )


def upgrade() -> None:
    op.add_column("cm_outbox", sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.add_column("cm_outbox", sa.Column("claimed_until", instant(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN everywhere (SQLite 3.35+), as 0006 does.
    op.drop_column("cm_outbox", "claimed_until")
    op.drop_column("cm_outbox", "claimed_by")
