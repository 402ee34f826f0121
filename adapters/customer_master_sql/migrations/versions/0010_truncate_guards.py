"""Refuse TRUNCATE of the audit trail and notes (R-11.2, docs/decisions/0023).

PostgreSQL: a statement-level ``BEFORE TRUNCATE`` trigger on each guarded table (row
triggers do not fire for TRUNCATE). MariaDB/MySQL: ``cm_append_only_anchors``, a table
never written, refers to each guarded table by a foreign key, so InnoDB refuses to
truncate or drop them. SQLite has no TRUNCATE; the table is created there too (unused)
so every database has the same schema.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from customer_master_sql.guards import create_truncate_guards, drop_truncate_guards

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL_OPTIONS = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


def upgrade() -> None:
    op.create_table(
        "cm_append_only_anchors",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=True),
        sa.Column("audit_sequence", sa.Integer(), nullable=True),
        sa.Column("entry_customer_id", sa.String(length=64), nullable=True),
        sa.Column("entry_sequence", sa.Integer(), nullable=True),
        sa.Column("note_row_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "audit_sequence"],
            ["cm_audit_log.tenant", "cm_audit_log.sequence"],
            name="fk_cm_append_only_anchors_audit_log",
        ),
        sa.ForeignKeyConstraint(
            ["tenant", "entry_customer_id", "entry_sequence"],
            ["cm_audit_customers.tenant", "cm_audit_customers.customer_id", "cm_audit_customers.sequence"],
            name="fk_cm_append_only_anchors_audit_customers",
        ),
        sa.ForeignKeyConstraint(["note_row_id"], ["cm_notes.row_id"], name="fk_cm_append_only_anchors_notes"),
        sa.PrimaryKeyConstraint("id", name="pk_cm_append_only_anchors"),
        **MYSQL_OPTIONS,
    )
    create_truncate_guards(op.get_bind())


def downgrade() -> None:
    drop_truncate_guards(op.get_bind())
    op.drop_table("cm_append_only_anchors")
