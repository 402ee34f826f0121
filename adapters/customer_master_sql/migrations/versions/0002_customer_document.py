"""The whole customer as one JSON document on its row (docs/decisions/0011).

Adds ``cm_customers.document`` and fills it for the customers already stored, read
from their row and related-record rows as revision 0001 keeps them. The column is
added ``NOT NULL`` with a default of ``'{}'`` so that it can be added to a table with
rows everywhere; the default is dropped afterwards where that needs no table rebuild
(PostgreSQL, MariaDB). On SQLite it stays, unused: every insert writes the document.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 500


def upgrade() -> None:
    op.add_column("cm_customers", sa.Column("document", sa.JSON(), nullable=False, server_default="{}"))
    _backfill()
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("cm_customers", "document", server_default=None, existing_type=sa.JSON(),
                        existing_nullable=False)  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("cm_customers") as batch:
        batch.drop_column("document")


def _backfill() -> None:
    """Documents for the stored customers, in batches, through the adapter's frozen
    reader of revision 0001's rows (``legacy.relational_customers``)."""
    # Imported here: the adapter's mapping is only needed when there are rows to fill.
    from customer_master_sql.legacy import relational_customers, stored_customers
    from customer_master_sql.mapping import customer_document

    connection = op.get_bind()
    customers = stored_customers(connection)
    c = customers.c
    columns = [column for column in customers.c if column.name != "document"]
    after: tuple[str, str] = ("", "")
    while True:
        rows = connection.execute(
            sa.select(*columns)
            .where(sa.or_(c.tenant > after[0], sa.and_(c.tenant == after[0], c.id > after[1])))
            .order_by(c.tenant, c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for tenant in dict.fromkeys(row.tenant for row in rows):
            for customer in relational_customers(connection, [row for row in rows if row.tenant == tenant]):
                connection.execute(
                    sa.update(customers)
                    .where(c.tenant == customer.tenant, c.id == customer.id)
                    .values(document=customer_document(customer))
                )
        after = (rows[-1].tenant, rows[-1].id)
