"""Erasure and attachments (R-4.4, R-16.6; docs/decisions/0036, 0037).

- ``cm_attachments``: the metadata of documents kept with customers (the bytes are in
  the document store, under their SHA-256 digest).
- ``cm_erasure_permits``: an erasure in progress names its customer here, inside its own
  transaction; the UPDATE guards of ``cm_audit_log`` and ``cm_notes`` are replaced by
  ones that let exactly such an erasure blank personal values (guards.allow_erasure).

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

from customer_master_sql.guards import allow_erasure, forbid_erasure

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


def _instant() -> sa.types.TypeEngine[Any]:
    """A UTC instant: timestamptz on PostgreSQL, DATETIME(6) on MariaDB."""
    return (
        sa.DateTime()
        .with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
        .with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
    )


def upgrade() -> None:
    op.create_table(
        "cm_attachments",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "id", name="pk_cm_attachments"),
        **MYSQL,
    )
    op.create_index("ix_cm_attachments_customer", "cm_attachments", ["tenant", "customer_id"])
    op.create_index("ix_cm_attachments_digest", "cm_attachments", ["tenant", "digest"])
    op.create_table(
        "cm_erasure_permits",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "customer_id", name="pk_cm_erasure_permits"),
        **MYSQL,
    )
    allow_erasure(op.get_bind())


def downgrade() -> None:
    forbid_erasure(op.get_bind())
    op.drop_table("cm_erasure_permits")
    op.drop_index("ix_cm_attachments_digest", table_name="cm_attachments")
    op.drop_index("ix_cm_attachments_customer", table_name="cm_attachments")
    op.drop_table("cm_attachments")
