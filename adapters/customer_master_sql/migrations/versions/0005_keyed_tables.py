"""The customer document is the record; only what is searched or unique keeps rows
(docs/decisions/0039).

- The tables of related records nobody searches (addresses, contacts, bank accounts,
  pricing tiers, tax profiles, dimensions, credit releases) go: the customer's JSON
  document holds them, and reads have read them from there since revision 0002.
- The tables that are searched or unique (tax ids, external references, tags, entities,
  overrides, name words, name pairs) are keyed for their search instead of by customer:
  ``(tenant, word, customer_id)``, ``(tenant, system, ref)``… On SQLite they are
  ``WITHOUT ROWID`` tables, stored in that order: one B-tree a row instead of three. They
  no longer hang off ``cm_customers`` by a cascading foreign key: the adapter removes a
  customer's rows by their keys.
- ``cm_customers.related`` (which related tables held rows) goes; the indexes on payment
  terms and price list become partial where the database allows (only customers with a
  value are entered).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}
_BATCH = 1000


def _key(length: int) -> sa.types.TypeEngine[str]:
    """Text sorted and prefix-searched by code point (collation C on PostgreSQL)."""
    return sa.String(length=length).with_variant(sa.String(length=length, collation="C"), "postgresql")


# name: (its columns between tenant and customer_id, its primary key after tenant)
KEYED: dict[str, tuple[list[tuple[str, sa.types.TypeEngine[Any]]], list[str]]] = {
    "cm_customer_tax_ids": ([("number", sa.String(64))], ["number", "customer_id"]),
    "cm_customer_external_refs": ([("system", sa.String(32)), ("ref", sa.String(128))], ["system", "ref"]),
    "cm_customer_tags": ([("tag", sa.String(64))], ["tag", "customer_id"]),
    "cm_customer_entities": ([("entity", sa.String(32))], ["entity", "customer_id"]),
    "cm_customer_name_words": ([("word", _key(100))], ["word", "customer_id"]),
    "cm_customer_name_pairs": ([("pair", _key(201)), ("code", _key(32))], ["pair", "code", "customer_id"]),
}
DROPPED = (
    "cm_customer_addresses",
    "cm_customer_contacts",
    "cm_customer_bank_accounts",
    "cm_customer_pricing_tiers",
    "cm_customer_tax_profiles",
    "cm_customer_dimensions",
    "cm_customer_credit_releases",
)
_PARTIAL = {
    "ix_cm_customers_terms": (["tenant", "payment_terms"], "payment_terms IS NOT NULL"),
    "ix_cm_customers_price_list": (["tenant", "price_list"], "price_list IS NOT NULL"),
}


def upgrade() -> None:
    for name, (columns, key) in KEYED.items():
        names = ["tenant", *(column for column, _ in columns), "customer_id"]
        _rebuild(
            name,
            [_tenant(), *(sa.Column(column, kind, nullable=False) for column, kind in columns), _owner()],
            key,
            f"SELECT DISTINCT {', '.join(names)} FROM {name}",
            names,
        )
    overrides = ["tenant", "customer_id", "entity", "payment_terms", "price_list"]
    _rebuild(
        "cm_customer_overrides",
        [
            _tenant(),
            _owner(),
            sa.Column("entity", sa.String(32), nullable=False),
            sa.Column("payment_terms", sa.String(32)),
            sa.Column("price_list", sa.String(32)),
        ],
        ["customer_id", "entity"],
        f"SELECT {', '.join(overrides)} FROM cm_customer_overrides",
        overrides,
    )
    for column in ("payment_terms", "price_list"):
        index = "terms" if column == "payment_terms" else column
        _index(f"ix_cm_customer_overrides_{index}", "cm_customer_overrides", ["tenant", column],
               f"{column} IS NOT NULL")  # fmt: skip
    for name in DROPPED:
        op.drop_table(name)
    op.execute("ALTER TABLE cm_customers DROP COLUMN related")
    for index, (columns, condition) in _PARTIAL.items():
        op.drop_index(index, table_name="cm_customers")
        _index(index, "cm_customers", columns, condition)


def downgrade() -> None:
    """Back to revision 0004's layout, every old row written again from the documents."""
    from customer_master_sql import legacy

    for index, (columns, _) in _PARTIAL.items():
        op.drop_index(index, table_name="cm_customers")
        op.create_index(index, "cm_customers", columns)
    op.add_column("cm_customers", sa.Column("related", sa.Integer(), nullable=False, server_default="0"))
    for name in (*KEYED, "cm_customer_overrides"):
        op.drop_table(name)
    connection = op.get_bind()
    legacy.metadata.create_all(connection, tables=[kind.table for kind in legacy.RELATED])
    legacy.metadata.create_all(connection, tables=[legacy.name_words, legacy.name_pairs])
    _write_old_rows(connection)


def _write_old_rows(connection: sa.Connection) -> None:
    from customer_master_sql import legacy
    from customer_master_sql.mapping import customer_from_document

    stored = sa.table(
        "cm_customers",
        sa.column("tenant", sa.String()),
        sa.column("id", sa.String()),
        sa.column("related", sa.Integer()),
        sa.column("document", sa.JSON()),
    )
    c = stored.c
    after: tuple[str, str] = ("", "")
    while True:
        rows = connection.execute(
            sa.select(c.tenant, c.id, c.document)
            .where(sa.or_(c.tenant > after[0], sa.and_(c.tenant == after[0], c.id > after[1])))
            .order_by(c.tenant, c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            customer = customer_from_document(row.document)
            for table, old_rows in legacy.related_rows(customer).items():
                connection.execute(sa.insert(table), old_rows)
            bits = legacy.related_bits(customer)
            connection.execute(
                sa.update(stored).where(c.tenant == row.tenant, c.id == row.id).values(related=bits)
            )
        after = (rows[-1].tenant, rows[-1].id)


def _tenant() -> sa.Column[str]:
    return sa.Column("tenant", sa.String(64), nullable=False)


def _owner() -> sa.Column[str]:
    return sa.Column("customer_id", sa.String(64), nullable=False)


def _rebuild(name: str, columns: list[sa.Column[Any]], key: list[str], source: str, names: list[str]) -> None:
    """Replace table ``name`` by one with ``columns`` keyed by ``(tenant, *key)`` (stored in
    that order on SQLite), filled from ``source`` (a query of the old table)."""
    fresh = f"{name}_v5"
    op.create_table(
        fresh,
        *columns,
        sa.PrimaryKeyConstraint("tenant", *key, name=f"pk_{fresh}"),
        sqlite_with_rowid=False,
        **MYSQL,
    )
    op.execute(f"INSERT INTO {fresh} ({', '.join(names)}) {source}")
    op.drop_table(name)
    op.rename_table(fresh, name)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {name} RENAME CONSTRAINT pk_{fresh} TO pk_{name}")


def _index(name: str, table: str, columns: list[str], condition: str) -> None:
    where = sa.text(condition)
    op.create_index(name, table, columns, sqlite_where=where, postgresql_where=where)
