"""Receivables as a ledger: applications, reversals, invoiced rates by date and currency,
and the override currency the aging reads (R-7.2, R-13.1–R-13.3; docs/decisions/0030).

- ``cm_receivable_items.reversed_on``: the day a document was reversed (``NULL``: stands).
- ``cm_receivable_applications``: two rows per application of a payment or credit note to
  an invoice, one for each document, so the aging adds back in one join what was
  applied to a document after its as-of date.
- ``cm_invoiced_rates`` replaces ``cm_last_prices``: every invoiced rate by date and
  currency (R-7.2 as amended looks up the latest on or before a date in one currency);
  the kept last prices are copied over.
- ``cm_customer_overrides.currency``: an entity's own currency for the customer, filled
  from each customer's document, so the aging knows a customer's currency per entity.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


def _amount() -> sa.types.TypeEngine[Any]:
    return sa.Numeric(precision=28, scale=6).with_variant(sa.BigInteger(), "sqlite")


def _auto_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("cm_receivable_items", sa.Column("reversed_on", sa.Date(), nullable=True))
    op.create_table(
        "cm_receivable_applications",
        sa.Column("row_id", _auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("counter_kind", sa.String(length=16), nullable=False),
        sa.Column("counter_number", sa.String(length=64), nullable=False),
        sa.Column("amount", _amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_cm_receivable_applications"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_receivable_applications_customer",
        "cm_receivable_applications",
        ["tenant", "customer_id", "applied_on"],
        unique=False,
    )
    op.create_table(
        "cm_invoiced_rates",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("invoiced_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("unit_price", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant", "customer_id", "item_code", "invoiced_on", "currency", name="pk_cm_invoiced_rates"
        ),
        **MYSQL,
    )
    op.execute(
        "INSERT INTO cm_invoiced_rates (tenant, customer_id, item_code, invoiced_on, currency, unit_price) "
        "SELECT tenant, customer_id, item_code, invoiced_on, currency, unit_price FROM cm_last_prices"
    )
    op.drop_table("cm_last_prices")
    op.add_column("cm_customer_overrides", sa.Column("currency", sa.String(length=3), nullable=True))
    _fill_override_currencies()


def _fill_override_currencies() -> None:
    """Each override row gets the currency its customer's document gives the entity."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT o.tenant, o.customer_id, o.entity, c.document FROM cm_customer_overrides o "
            "JOIN cm_customers c ON c.tenant = o.tenant AND c.id = o.customer_id"
        )
    ).fetchall()
    update = sa.text(
        "UPDATE cm_customer_overrides SET currency = :currency "
        "WHERE tenant = :tenant AND customer_id = :customer_id AND entity = :entity"
    )
    for tenant, customer_id, entity, document in rows:
        data = json.loads(document) if isinstance(document, (str, bytes)) else document
        for override in (data or {}).get("overrides", []):
            if override.get("entity") == entity and override.get("currency"):
                keys = {"tenant": tenant, "customer_id": customer_id, "entity": entity}
                bind.execute(update, {**keys, "currency": override["currency"]})


def downgrade() -> None:
    op.drop_column("cm_customer_overrides", "currency")
    op.create_table(
        "cm_last_prices",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("unit_price", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("invoiced_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "item_code", name="pk_cm_last_prices"),
        **MYSQL,
    )
    # The newest rate of each item (of one currency when two share the newest day).
    op.execute(
        "INSERT INTO cm_last_prices (tenant, customer_id, item_code, unit_price, currency, invoiced_on) "
        "SELECT r.tenant, r.customer_id, r.item_code, MIN(r.unit_price), MIN(r.currency), r.invoiced_on "
        "FROM cm_invoiced_rates r WHERE r.invoiced_on = (SELECT MAX(n.invoiced_on) FROM cm_invoiced_rates n "
        "WHERE n.tenant = r.tenant AND n.customer_id = r.customer_id AND n.item_code = r.item_code) "
        "GROUP BY r.tenant, r.customer_id, r.item_code, r.invoiced_on"
    )
    op.drop_table("cm_invoiced_rates")
    op.drop_index("ix_cm_receivable_applications_customer", table_name="cm_receivable_applications")
    op.drop_table("cm_receivable_applications")
    op.drop_column("cm_receivable_items", "reversed_on")
