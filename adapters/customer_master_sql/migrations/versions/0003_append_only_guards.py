"""Refuse UPDATE and DELETE on the audit trail and notes with triggers (R-11.2, R-11.3).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from customer_master_sql.guards import create_guards, drop_guards

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_guards(op.get_bind())


def downgrade() -> None:
    drop_guards(op.get_bind())
