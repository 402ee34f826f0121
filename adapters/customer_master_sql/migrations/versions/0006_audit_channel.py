"""The channel an audited operation came through (R-16.4, docs/decisions/0026).

``cm_audit_log.channel`` names the door of each operation (``http``, ``cli``, ``mcp``,
``python``). Records written before this revision keep ``NULL``: their hashes were
sealed without a channel and still verify.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cm_audit_log", sa.Column("channel", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN everywhere (SQLite 3.35+): a batch rebuild of the table
    # on SQLite would lose its append-only triggers.
    op.drop_column("cm_audit_log", "channel")
