"""Pairs of adjacent name words, and the folded name in the keyset indexes (R-14.1,
docs/decisions/0017).

- ``cm_customer_name_pairs`` holds each distinct pair of adjacent words of a customer's
  folded name, with its code; it is filled here for the customers already stored, from
  their name.
- ``ix_cm_customers_list`` and ``ix_cm_customers_created`` gain ``status``, ``id`` and
  ``name_folded`` (where they lacked them), so a search for a common word walks the
  customers in sort order from the index alone.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from customer_master.domain.search import fold

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}
_BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "cm_customer_name_pairs",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("pair", _key(201), nullable=False),
        sa.Column("code", _key(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_name_pairs_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "pair", name="pk_cm_customer_name_pairs"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_name_pairs_pair", "cm_customer_name_pairs", ["tenant", "pair", "code", "customer_id"]
    )
    _replace_index("ix_cm_customers_list", ["tenant", "status", "code", "id", "name_folded"])
    created = ["tenant", "created_key", "code", "status", "id", "name_folded"]
    _replace_index("ix_cm_customers_created", created)
    _backfill()


def downgrade() -> None:
    _replace_index("ix_cm_customers_created", ["tenant", "created_key", "code"])
    _replace_index("ix_cm_customers_list", ["tenant", "status", "code", "id"])
    op.drop_index("ix_cm_customer_name_pairs_pair", table_name="cm_customer_name_pairs")
    op.drop_table("cm_customer_name_pairs")


def _key(length: int) -> sa.types.TypeEngine[str]:
    """Text sorted and prefix-searched by code point (collation C on PostgreSQL)."""
    return sa.String(length=length).with_variant(sa.String(length=length, collation="C"), "postgresql")


def _replace_index(name: str, columns: list[str]) -> None:
    op.drop_index(name, table_name="cm_customers")
    op.create_index(name, "cm_customers", columns)


def _backfill() -> None:
    """The pairs of the stored customers, from the name in their document, in batches
    walked by primary key. Written out here, as revision 0004 defines them: each word
    of the folded name cut to 100 characters, distinct pairs of neighbours. Tenant by
    tenant, so that each batch is one range of the primary key."""
    connection = op.get_bind()
    stored = sa.table(
        "cm_customers",
        sa.column("tenant", sa.String()),
        sa.column("id", sa.String()),
        sa.column("code", sa.String()),
        sa.column("document", sa.JSON()),
    )
    pairs = sa.table(
        "cm_customer_name_pairs",
        sa.column("tenant", sa.String()),
        sa.column("customer_id", sa.String()),
        sa.column("pair", sa.String()),
        sa.column("code", sa.String()),
    )
    c = stored.c
    for (tenant,) in connection.execute(sa.select(c.tenant).distinct()).all():
        after = ""
        while True:
            batch = sa.select(c.id, c.code, c.document).where(c.tenant == tenant, c.id > after)
            rows = connection.execute(batch.order_by(c.id).limit(_BATCH)).all()
            if not rows:
                break
            found = [
                {"tenant": tenant, "customer_id": row.id, "pair": pair, "code": row.code}
                for row in rows
                for pair in _pairs(str(row.document.get("name") or ""))
            ]
            if found:
                connection.execute(sa.insert(pairs), found)
            after = rows[-1].id


def _pairs(name: str) -> set[str]:
    words = [word[:100] for word in fold(name).split()]
    return {f"{first} {second}" for first, second in itertools.pairwise(words)}
