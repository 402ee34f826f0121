"""The initial schema: customers and their related records, tenant configuration and
price lists, audit trail, outbox, counters, receivables and last prices.

Written out in full (not generated at run time) so that it never changes once shipped;
the column types are spelled here rather than imported, for the same reason.
``tests/adapters/test_sql_migrations.py`` proves it creates exactly ``tables.metadata``.

Revision ID: 0001
Revises:
Create Date: 2026-03-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


def key(length: int) -> sa.types.TypeEngine[str]:
    """Text sorted and prefix-searched by code point (collation C on PostgreSQL)."""
    return sa.String(length=length).with_variant(sa.String(length=length, collation="C"), "postgresql")


def exact() -> sa.types.TypeEngine[str]:
    """A decimal kept as its exact text."""
    return sa.String(length=64)


def amount() -> sa.types.TypeEngine[Any]:
    """A decimal SQL sums: NUMERIC(28, 6), or millionths in an integer on SQLite."""
    return sa.Numeric(precision=28, scale=6).with_variant(sa.BigInteger(), "sqlite")


def instant() -> sa.types.TypeEngine[Any]:
    """A UTC instant: timestamptz on PostgreSQL, DATETIME(6) on MariaDB."""
    return (
        sa.DateTime()
        .with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
        .with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
    )


def auto_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "cm_api_keys",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=128), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("created_at", instant(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cm_api_keys"),
        **MYSQL,
    )
    op.create_index("ix_cm_api_keys_tenant", "cm_api_keys", ["tenant", "id"], unique=False)
    op.create_table(
        "cm_audit_customers",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "sequence", name="pk_cm_audit_customers"),
        **MYSQL,
    )
    op.create_table(
        "cm_audit_log",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("customer_ids", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", instant(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("approvals", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("personal", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "sequence", name="pk_cm_audit_log"),
        sa.UniqueConstraint("tenant", "id", name="uq_cm_audit_log_tenant_id"),
        **MYSQL,
    )
    op.create_table(
        "cm_change_request_customers",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "request_id", name="pk_cm_change_request_customers"),
        **MYSQL,
    )
    op.create_table(
        "cm_change_requests",
        sa.Column("row_id", auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", instant(), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_cm_change_requests"),
        sa.UniqueConstraint("tenant", "id", name="uq_cm_change_requests_tenant_id"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_change_requests_state", "cm_change_requests", ["tenant", "state", "submitted_at"], unique=False
    )
    op.create_table(
        "cm_code_sequences",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "name", name="pk_cm_code_sequences"),
        **MYSQL,
    )
    op.create_table(
        "cm_customers",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("code", key(32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_folded", key(512), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("legal_entity", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("alternate_name", sa.String(length=255), nullable=True),
        sa.Column("legal_name", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("email_lower", sa.String(length=255), nullable=True),
        sa.Column("billing_email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("website", sa.String(length=2048), nullable=True),
        sa.Column("customer_type", sa.String(length=64), nullable=True),
        sa.Column("customer_group", sa.String(length=64), nullable=True),
        sa.Column("segment", sa.String(length=64), nullable=True),
        sa.Column("sub_segment", sa.String(length=64), nullable=True),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("industry", sa.String(length=64), nullable=True),
        sa.Column("tier", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("payment_terms", sa.String(length=32), nullable=True),
        sa.Column("credit_limit", exact(), nullable=True),
        sa.Column("price_list", sa.String(length=32), nullable=True),
        sa.Column("tax_code", sa.String(length=32), nullable=True),
        sa.Column("revenue_account", sa.String(length=64), nullable=True),
        sa.Column("receivable_account", sa.String(length=64), nullable=True),
        sa.Column("salesperson", sa.String(length=64), nullable=True),
        sa.Column("prospect_ref", sa.String(length=64), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("credit_hold_reason", sa.Text(), nullable=True),
        sa.Column("credit_hold_by", sa.String(length=64), nullable=True),
        sa.Column("credit_hold_at", instant(), nullable=True),
        sa.Column("merged_into", sa.String(length=64), nullable=True),
        sa.Column("created_at", instant(), nullable=True),
        sa.Column("updated_at", instant(), nullable=True),
        sa.Column("created_key", key(40), nullable=False),
        sa.Column("related", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "id", name="pk_cm_customers"),
        sa.UniqueConstraint("tenant", "code", name="uq_cm_customers_tenant_code"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customers_created", "cm_customers", ["tenant", "created_key", "code"], unique=False
    )
    op.create_index("ix_cm_customers_email", "cm_customers", ["tenant", "email_lower"], unique=False)
    op.create_index("ix_cm_customers_list", "cm_customers", ["tenant", "status", "code", "id"], unique=False)
    op.create_index(
        "ix_cm_customers_name",
        "cm_customers",
        ["tenant", "name_folded", "code", "status", "id"],
        unique=False,
    )
    op.create_index("ix_cm_customers_price_list", "cm_customers", ["tenant", "price_list"], unique=False)
    op.create_index("ix_cm_customers_terms", "cm_customers", ["tenant", "payment_terms"], unique=False)
    op.create_table(
        "cm_last_prices",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("unit_price", exact(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("invoiced_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "item_code", name="pk_cm_last_prices"),
        **MYSQL,
    )
    op.create_table(
        "cm_notes",
        sa.Column("row_id", auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("at", instant(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_cm_notes"),
        sa.UniqueConstraint("tenant", "id", name="uq_cm_notes_tenant_id"),
        **MYSQL,
    )
    op.create_index("ix_cm_notes_customer", "cm_notes", ["tenant", "customer_id", "row_id"], unique=False)
    op.create_table(
        "cm_open_orders",
        sa.Column("row_id", auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("amount", amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_cm_open_orders"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_open_orders_customer",
        "cm_open_orders",
        ["tenant", "customer_id", "entity", "currency", "amount"],
        unique=False,
    )
    op.create_index(
        "ix_cm_open_orders_document", "cm_open_orders", ["tenant", "entity", "number"], unique=False
    )
    op.create_table(
        "cm_outbox",
        sa.Column("position", auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", instant(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("relayed_at", instant(), nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_cm_outbox"),
        sa.UniqueConstraint("tenant", "id", name="uq_cm_outbox_tenant_id"),
        **MYSQL,
    )
    op.create_index("ix_cm_outbox_id", "cm_outbox", ["id"], unique=False)
    op.create_index("ix_cm_outbox_pending", "cm_outbox", ["relayed_at", "position"], unique=False)
    op.create_table(
        "cm_price_lists",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "code", name="pk_cm_price_lists"),
        **MYSQL,
    )
    op.create_table(
        "cm_receivable_items",
        sa.Column("row_id", auto_id(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("amount", amount(), nullable=False),
        sa.Column("balance", amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("row_id", name="pk_cm_receivable_items"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_receivable_items_customer",
        "cm_receivable_items",
        ["tenant", "customer_id", "entity", "currency", "kind", "balance", "due_date"],
        unique=False,
    )
    op.create_index(
        "ix_cm_receivable_items_document",
        "cm_receivable_items",
        ["tenant", "entity", "kind", "number"],
        unique=False,
    )
    op.create_table(
        "cm_tenant_configs",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", name="pk_cm_tenant_configs"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_addresses",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("default_for", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("line1", sa.String(length=255), nullable=False),
        sa.Column("line2", sa.String(length=255), nullable=True),
        sa.Column("line3", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.Column("postal_code", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_addresses_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_addresses"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_bank_accounts",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("bank_name", sa.String(length=255), nullable=True),
        sa.Column("account_number", sa.String(length=64), nullable=True),
        sa.Column("iban", sa.String(length=64), nullable=True),
        sa.Column("bic", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_bank_accounts_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_bank_accounts"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_contacts",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("site_id", sa.String(length=64), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_contacts_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_contacts"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_credit_releases",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document_ref", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("released_by", sa.String(length=64), nullable=False),
        sa.Column("released_at", instant(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_credit_releases_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_credit_releases"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_dimensions",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_dimensions_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_dimensions"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_entities",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_entities_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "entity", name="pk_cm_customer_entities"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_entities_entity", "cm_customer_entities", ["tenant", "entity"], unique=False
    )
    op.create_table(
        "cm_customer_external_refs",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("system", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_external_refs_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_external_refs"),
        sa.UniqueConstraint("tenant", "system", "ref", name="uq_cm_customer_external_refs_tenant_system_ref"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_name_words",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("word", key(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_name_words_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "word", name="pk_cm_customer_name_words"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_name_words_word",
        "cm_customer_name_words",
        ["tenant", "word", "customer_id"],
        unique=False,
    )
    op.create_table(
        "cm_customer_overrides",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("credit_limit", exact(), nullable=True),
        sa.Column("payment_terms", sa.String(length=32), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("price_list", sa.String(length=32), nullable=True),
        sa.Column("salesperson", sa.String(length=64), nullable=True),
        sa.Column("receivable_account", sa.String(length=64), nullable=True),
        sa.Column("credit_hold_reason", sa.Text(), nullable=True),
        sa.Column("credit_hold_by", sa.String(length=64), nullable=True),
        sa.Column("credit_hold_at", instant(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_overrides_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_overrides"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_overrides_price_list", "cm_customer_overrides", ["tenant", "price_list"], unique=False
    )
    op.create_index(
        "ix_cm_customer_overrides_terms", "cm_customer_overrides", ["tenant", "payment_terms"], unique=False
    )
    op.create_table(
        "cm_customer_pricing_tiers",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("unit_price", exact(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_quantity", exact(), nullable=False),
        sa.Column("max_quantity", exact(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_pricing_tiers_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_pricing_tiers"),
        **MYSQL,
    )
    op.create_table(
        "cm_customer_tags",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_tags_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_tags"),
        **MYSQL,
    )
    op.create_index("ix_cm_customer_tags_tag", "cm_customer_tags", ["tenant", "tag"], unique=False)
    op.create_table(
        "cm_customer_tax_ids",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_tax_ids_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_tax_ids"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_tax_ids_number", "cm_customer_tax_ids", ["tenant", "number"], unique=False
    )
    op.create_table(
        "cm_customer_tax_profiles",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("exempt_tax_code", sa.String(length=32), nullable=False),
        sa.Column("certificate_number", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant", "customer_id"],
            ["cm_customers.tenant", "cm_customers.id"],
            name="fk_cm_customer_tax_profiles_cm_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "customer_id", "position", name="pk_cm_customer_tax_profiles"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_customer_tax_profiles_valid_to",
        "cm_customer_tax_profiles",
        ["tenant", "valid_to"],
        unique=False,
    )
    op.create_table(
        "cm_price_list_lines",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("price_list", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("unit_price", exact(), nullable=False),
        sa.Column("min_quantity", exact(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("min_quantity_key", amount(), nullable=False),
        sa.Column("unit_price_key", amount(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant", "price_list"],
            ["cm_price_lists.tenant", "cm_price_lists.code"],
            name="fk_cm_price_list_lines_cm_price_lists",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant", "price_list", "position", name="pk_cm_price_list_lines"),
        **MYSQL,
    )
    op.create_index(
        "ix_cm_price_list_lines_item",
        "cm_price_list_lines",
        ["tenant", "price_list", "item_code", "min_quantity_key"],
        unique=False,
    )

    if op.get_bind().dialect.name == "postgresql":
        # Fuzzy look-alike names: trigram index on the folded name.
        op.create_index(
            "ix_cm_customers_name_trgm",
            "cm_customers",
            ["name_folded"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"name_folded": "gin_trgm_ops"},
        )


def downgrade() -> None:
    op.drop_table("cm_price_list_lines")
    op.drop_table("cm_customer_tax_profiles")
    op.drop_table("cm_customer_tax_ids")
    op.drop_table("cm_customer_tags")
    op.drop_table("cm_customer_pricing_tiers")
    op.drop_table("cm_customer_overrides")
    op.drop_table("cm_customer_name_words")
    op.drop_table("cm_customer_external_refs")
    op.drop_table("cm_customer_entities")
    op.drop_table("cm_customer_dimensions")
    op.drop_table("cm_customer_credit_releases")
    op.drop_table("cm_customer_contacts")
    op.drop_table("cm_customer_bank_accounts")
    op.drop_table("cm_customer_addresses")
    op.drop_table("cm_tenant_configs")
    op.drop_table("cm_receivable_items")
    op.drop_table("cm_price_lists")
    op.drop_table("cm_outbox")
    op.drop_table("cm_open_orders")
    op.drop_table("cm_notes")
    op.drop_table("cm_last_prices")
    op.drop_table("cm_customers")
    op.drop_table("cm_code_sequences")
    op.drop_table("cm_change_requests")
    op.drop_table("cm_change_request_customers")
    op.drop_table("cm_audit_log")
    op.drop_table("cm_audit_customers")
    op.drop_table("cm_api_keys")
