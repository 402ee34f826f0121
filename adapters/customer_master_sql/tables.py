"""The SQL schema: SQLAlchemy Core tables, no ORM (docs/decisions/0002).

Every table has a ``tenant`` column, first in its primary key and in every index and
unique key, so each query path is scoped to one tenant (R-12.1) and tenants never share
an index range. Two look-ups are global by nature and say so: the outbox's relay order
(the relay serves every tenant) and API keys by id (found before the tenant is known).
A customer is one ``cm_customers`` row holding the whole customer as a JSON document,
plus rows keyed for what it is searched or kept unique by (docs/decisions/0039).

Alembic's ``versions/`` scripts create exactly this schema; a test compares them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from customer_master_sql.types import Amount, AutoId, ExactDecimal, Key, UtcDateTime

NAMING = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# MariaDB/MySQL: InnoDB, full Unicode, and binary comparison for every text column so
# that 'ACME' and 'acme' are different tenants, codes and keys there as everywhere else.
MYSQL_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}

ID = 64  # ids, tenants
CODE = 32  # customer codes, entity codes, currency-like codes
SHORT = 64
TEXT = 255
# The folded name kept for sorting and prefix search; folding may lengthen a name
# ("ﬃ" → "ffi"), so a longer one is cut here (listing and fuzzy search know it).
NAME_FOLDED_LENGTH = 512


def _tenant() -> Column[str]:
    return Column("tenant", String(ID), nullable=False)


# SQLite: the search tables are stored in their primary key's order (``WITHOUT ROWID``):
# one B-tree a row, walked by the key every search reads, instead of a table, its key
# and an index (docs/decisions/0039).
CLUSTERED: dict[str, Any] = {"sqlite_with_rowid": False}


def _position() -> Column[int]:
    return Column("position", Integer, nullable=False, autoincrement=False)


def _customer_key(name: str, *columns: Column[Any], key: tuple[str, ...]) -> Table:
    """A table of what a customer is searched or kept unique by (tax ids, references,
    tags, entities, name words…), keyed for that search. The customer's document holds
    the record itself; these rows are written and removed with it, by their keys."""
    return Table(
        name,
        metadata,
        _tenant(),
        *columns,
        Column("customer_id", String(ID), nullable=False),
        PrimaryKeyConstraint("tenant", *key),
        **MYSQL_OPTIONS,
        **CLUSTERED,
    )


def _where(condition: str) -> dict[str, Any]:
    """A partial index's condition, on the databases that have partial indexes."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


# ---------------------------------------------------------------------------
# Customers and what they are searched by
# ---------------------------------------------------------------------------

customers = Table(
    "cm_customers",
    metadata,
    _tenant(),
    Column("id", String(ID), nullable=False),
    Column("code", Key(CODE), nullable=False),
    Column("name", String(TEXT), nullable=False),
    Column("name_folded", Key(NAME_FOLDED_LENGTH), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("legal_entity", String(CODE), nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("alternate_name", String(TEXT)),
    Column("legal_name", String(TEXT)),
    Column("email", String(TEXT)),
    Column("email_lower", String(TEXT)),
    Column("billing_email", String(TEXT)),
    Column("phone", String(SHORT)),
    Column("website", String(2048)),
    Column("customer_type", String(SHORT)),
    Column("customer_group", String(SHORT)),
    Column("segment", String(SHORT)),
    Column("sub_segment", String(SHORT)),
    Column("region", String(SHORT)),
    Column("industry", String(SHORT)),
    Column("tier", String(SHORT)),
    Column("currency", String(3)),
    Column("payment_terms", String(CODE)),
    Column("credit_limit", ExactDecimal()),
    Column("price_list", String(CODE)),
    Column("tax_code", String(CODE)),
    Column("revenue_account", String(SHORT)),
    Column("receivable_account", String(SHORT)),
    Column("salesperson", String(SHORT)),
    Column("prospect_ref", String(SHORT)),
    Column("metadata", JSON, nullable=False),
    Column("notes", Text),
    Column("credit_hold_reason", Text),
    Column("credit_hold_by", String(ID)),
    Column("credit_hold_at", UtcDateTime()),
    Column("merged_into", String(ID)),
    Column("created_at", UtcDateTime()),
    Column("updated_at", UtcDateTime()),
    # The keyset sort key for sort=created_at: the ISO text of created_at ('' if none).
    Column("created_key", Key(40), nullable=False),
    # The whole customer as one JSON document (mapping.customer_document): what reads
    # read, one row per customer; the columns above and the key tables below serve
    # searches and keys (docs/decisions/0011, 0039).
    Column("document", JSON, nullable=False),
    PrimaryKeyConstraint("tenant", "id"),
    UniqueConstraint("tenant", "code"),
    # Pages walk these in keyset order; status and id ride along so that filtering on
    # status and probing the name words read the index only (listing.py).
    # The folded name rides along too: a search for a common word walks a page's worth
    # of customers in sort order testing it, from the index alone (listing.py, fuzzy.py).
    Index("ix_cm_customers_list", "tenant", "status", "code", "id", "name_folded"),
    Index("ix_cm_customers_name", "tenant", "name_folded", "code", "status", "id"),
    Index("ix_cm_customers_created", "tenant", "created_key", "code", "status", "id", "name_folded"),
    Index("ix_cm_customers_email", "tenant", "email_lower"),
    # Partial where the database can: only customers that have the value are entered
    # (a look-up by value implies it is not null, so the index serves it).
    Index("ix_cm_customers_terms", "tenant", "payment_terms", **_where("payment_terms IS NOT NULL")),
    Index("ix_cm_customers_price_list", "tenant", "price_list", **_where("price_list IS NOT NULL")),
    **MYSQL_OPTIONS,
)

# Fuzzy name look-ups on PostgreSQL: trigram index over the folded name.
customers_name_trigram = Index(
    "ix_cm_customers_name_trgm",
    customers.c.name_folded,
    postgresql_using="gin",
    postgresql_ops={"name_folded": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")

# A customer's distinct compacted tax ids (find_by_tax_id, search by tax id).
tax_ids = _customer_key("cm_customer_tax_ids", Column("number", String(SHORT), nullable=False),
                        key=("number", "customer_id"))  # fmt: skip

# an external reference belongs to one customer of the tenant (the key says so).
external_refs = _customer_key(
    "cm_customer_external_refs",
    Column("system", String(CODE), nullable=False),
    Column("ref", String(128), nullable=False),
    key=("system", "ref"),
)

tags = _customer_key(
    "cm_customer_tags", Column("tag", String(SHORT), nullable=False), key=("tag", "customer_id")
)

# The entities a customer is enabled for, the owning one among them.
enabled_entities = _customer_key(
    "cm_customer_entities", Column("entity", String(CODE), nullable=False), key=("entity", "customer_id")
)

# What entity overrides refer to (count_using: terms and price lists in use).
overrides = Table(
    "cm_customer_overrides",
    metadata,
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("entity", String(CODE), nullable=False),
    Column("payment_terms", String(CODE)),
    Column("price_list", String(CODE)),
    Column("currency", String(3)),  # the aging's customer currency per entity
    PrimaryKeyConstraint("tenant", "customer_id", "entity"),
    Index("ix_cm_customer_overrides_terms", "tenant", "payment_terms", **_where("payment_terms IS NOT NULL")),
    Index("ix_cm_customer_overrides_price_list", "tenant", "price_list", **_where("price_list IS NOT NULL")),
    **MYSQL_OPTIONS,
    **CLUSTERED,
)

# Each distinct word of the folded name, for case- and accent-insensitive word-prefix
# search through a range of the key.
WORD_LENGTH = 100
name_words = _customer_key("cm_customer_name_words", Column("word", Key(WORD_LENGTH), nullable=False),
                           key=("word", "customer_id"))  # fmt: skip

# Each distinct pair of adjacent words of the folded name (``"acme trading"``), each word
# cut as in ``name_words``, with the customer's code (which never changes): a fuzzy search
# of two words or more reads the customers holding a likely run of words from here,
# however many hold each word alone, and in code order a page's worth of them (fuzzy.py).
PAIR_LENGTH = 201
name_pairs = _customer_key(
    "cm_customer_name_pairs",
    Column("pair", Key(PAIR_LENGTH), nullable=False),
    Column("code", Key(CODE), nullable=False),
    key=("pair", "code", "customer_id"),
)

# The tables above, each written and removed with the customer by its keys (mapping.KEYED).
CUSTOMER_KEYS = (tax_ids, external_refs, tags, enabled_entities, overrides, name_words, name_pairs)

# ---------------------------------------------------------------------------
# Tenant configuration
# ---------------------------------------------------------------------------

tenant_configs = Table(
    "cm_tenant_configs",
    metadata,
    _tenant(),
    Column("version", Integer, nullable=False),
    # Settings, entities, classification lists, dimension types, custom fields and
    # payment terms (in terms_to_dict's neutral form) as one JSON document.
    Column("document", JSON, nullable=False),
    PrimaryKeyConstraint("tenant"),
    **MYSQL_OPTIONS,
)

price_lists = Table(
    "cm_price_lists",
    metadata,
    _tenant(),
    Column("code", String(CODE), nullable=False),
    _position(),
    Column("name", String(TEXT), nullable=False),
    Column("currency", String(3), nullable=False),
    PrimaryKeyConstraint("tenant", "code"),
    **MYSQL_OPTIONS,
)

price_list_lines = Table(
    "cm_price_list_lines",
    metadata,
    _tenant(),
    Column("price_list", String(CODE), nullable=False),
    _position(),
    Column("item_code", String(SHORT), nullable=False),
    Column("unit_price", ExactDecimal(), nullable=False),
    Column("min_quantity", ExactDecimal(), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    # Numeric copies for the look-up's comparison and order (the exact text is above).
    Column("min_quantity_key", Amount(floor=True), nullable=False),
    Column("unit_price_key", Amount(floor=True), nullable=False),
    PrimaryKeyConstraint("tenant", "price_list", "position"),
    ForeignKeyConstraint(
        ["tenant", "price_list"], ["cm_price_lists.tenant", "cm_price_lists.code"], ondelete="CASCADE"
    ),
    Index("ix_cm_price_list_lines_item", "tenant", "price_list", "item_code", "min_quantity_key"),
    **MYSQL_OPTIONS,
)

# ---------------------------------------------------------------------------
# Audit trail, outbox, counters
# ---------------------------------------------------------------------------

audit_log = Table(
    "cm_audit_log",
    metadata,
    _tenant(),
    Column("sequence", Integer, nullable=False, autoincrement=False),
    Column("id", String(ID), nullable=False),
    Column("operation", String(SHORT), nullable=False),
    Column("customer_ids", JSON, nullable=False),
    Column("actor", String(ID), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("approvals", JSON, nullable=False),
    Column("correlation_id", String(ID)),
    # The door the operation came through (http, cli, mcp, python); NULL before 0005.
    Column("channel", String(SHORT)),
    # The seal: salted digests of personal values, and the hash chain.
    Column("personal", JSON, nullable=False),
    Column("previous_hash", String(ID), nullable=False),
    Column("hash", String(ID), nullable=False),
    # One record per sequence number: two writers cannot both chain onto one record.
    PrimaryKeyConstraint("tenant", "sequence"),
    UniqueConstraint("tenant", "id"),
    **MYSQL_OPTIONS,
)

audit_customers = Table(
    "cm_audit_customers",
    metadata,
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("sequence", Integer, nullable=False, autoincrement=False),
    PrimaryKeyConstraint("tenant", "customer_id", "sequence"),
    **MYSQL_OPTIONS,
)

outbox = Table(
    "cm_outbox",
    metadata,
    Column("position", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("id", String(ID), nullable=False),
    Column("name", String(SHORT), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("correlation_id", String(ID)),
    Column("relayed_at", UtcDateTime()),
    # The relay holding the event and when its lease ends; NULL when none does.
    Column("claimed_by", String(ID)),
    Column("claimed_until", UtcDateTime()),
    UniqueConstraint("tenant", "id"),
    # The relay's queue: every tenant's pending events in commit order.
    Index("ix_cm_outbox_pending", "relayed_at", "position"),
    Index("ix_cm_outbox_id", "id"),
    **MYSQL_OPTIONS,
)

# ---------------------------------------------------------------------------
# Change requests, notes, API keys
# ---------------------------------------------------------------------------

change_requests = Table(
    "cm_change_requests",
    metadata,
    Column("row_id", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("id", String(ID), nullable=False),
    Column("state", String(16), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=False),
    # The number of decisions so far: ``save`` is a compare-and-set on it.
    Column("decisions", Integer, nullable=False),
    # The whole request (payload, steps, approvals…) as JSON (mapping.document_of).
    Column("document", JSON, nullable=False),
    UniqueConstraint("tenant", "id"),
    Index("ix_cm_change_requests_state", "tenant", "state", "submitted_at"),
    **MYSQL_OPTIONS,
)

change_request_customers = Table(
    "cm_change_request_customers",
    metadata,
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("request_id", String(ID), nullable=False),
    PrimaryKeyConstraint("tenant", "customer_id", "request_id"),
    **MYSQL_OPTIONS,
)

notes = Table(
    "cm_notes",
    metadata,
    Column("row_id", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("id", String(ID), nullable=False),
    Column("customer_id", String(ID), nullable=False),
    Column("author", String(ID), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("text", Text, nullable=False),
    UniqueConstraint("tenant", "id"),
    Index("ix_cm_notes_customer", "tenant", "customer_id", "row_id"),
    **MYSQL_OPTIONS,
)

# Documents kept with customers: the metadata; the bytes are in the document
# store under ``digest``.
attachments = Table(
    "cm_attachments",
    metadata,
    _tenant(),
    Column("id", String(ID), nullable=False),
    Column("customer_id", String(ID), nullable=False),
    Column("name", String(TEXT), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("digest", String(ID), nullable=False),
    Column("uploaded_by", String(ID), nullable=False),
    Column("uploaded_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("tenant", "id"),
    Index("ix_cm_attachments_customer", "tenant", "customer_id"),
    Index("ix_cm_attachments_digest", "tenant", "digest"),
    **MYSQL_OPTIONS,
)

# An erasure in progress: while a row names a customer, and only inside the
# erasure's own transaction (it deletes the row before it commits), the append-only
# guards let its audit records' personal values and its notes' text be blanked
# (customer_master_sql.guards, docs/decisions/0036).
erasure_permits = Table(
    "cm_erasure_permits",
    metadata,
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    PrimaryKeyConstraint("tenant", "customer_id"),
    **MYSQL_OPTIONS,
)

# Keys are found by id before the tenant is known (authentication), so the id alone is
# the primary key; the secret's digest is stored, never the secret.
api_keys = Table(
    "cm_api_keys",
    metadata,
    Column("id", String(ID), primary_key=True),
    _tenant(),
    Column("user", String(ID), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("digest", String(128), nullable=False),
    Column("label", String(TEXT), nullable=False),
    Column("created_at", UtcDateTime()),
    Column("revoked", Boolean, nullable=False),
    Index("ix_cm_api_keys_tenant", "tenant", "id"),
    **MYSQL_OPTIONS,
)

code_sequences = Table(
    "cm_code_sequences",
    metadata,
    _tenant(),
    Column("name", String(SHORT), nullable=False),
    Column("value", Integer, nullable=False),
    PrimaryKeyConstraint("tenant", "name"),
    **MYSQL_OPTIONS,
)

# ---------------------------------------------------------------------------
# Receivables and last prices (facts the plugin keeps for hosts, R-5.1, R-7.2, R-13.1)
# ---------------------------------------------------------------------------

receivable_items = Table(
    "cm_receivable_items",
    metadata,
    Column("row_id", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("entity", String(CODE), nullable=False),
    Column("number", String(SHORT), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("document_date", Date, nullable=False),
    Column("due_date", Date),
    Column("amount", Amount(), nullable=False),
    Column("balance", Amount(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reversed_on", Date),
    # Covers the credit check's one aggregate (receivables.position) without a row visit.
    Index(
        "ix_cm_receivable_items_customer",
        "tenant",
        "customer_id",
        "entity",
        "currency",
        "kind",
        "balance",
        "due_date",
    ),
    # Finds a resent document so it replaces the one stored (add_items).
    Index("ix_cm_receivable_items_document", "tenant", "entity", "kind", "number"),
    **MYSQL_OPTIONS,
)

open_orders = Table(
    "cm_open_orders",
    metadata,
    Column("row_id", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("entity", String(CODE), nullable=False),
    Column("number", String(SHORT), nullable=False),
    Column("amount", Amount(), nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_cm_open_orders_customer", "tenant", "customer_id", "entity", "currency", "amount"),
    Index("ix_cm_open_orders_document", "tenant", "entity", "number"),
    **MYSQL_OPTIONS,
)

# Two rows per application of a payment or credit note to an invoice (one for each
# document): what the aging adds back to a document's balance as of an earlier date.
receivable_applications = Table(
    "cm_receivable_applications",
    metadata,
    Column("row_id", AutoId(), primary_key=True, autoincrement=True),
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("entity", String(CODE), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("number", String(SHORT), nullable=False),
    Column("counter_kind", String(16), nullable=False),
    Column("counter_number", String(SHORT), nullable=False),
    Column("amount", Amount(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("applied_on", Date, nullable=False),
    Index("ix_cm_receivable_applications_customer", "tenant", "customer_id", "applied_on"),
    **MYSQL_OPTIONS,
)

# Every invoiced rate by date and currency: the latest on or before a date in
# the document's currency is the last price.
invoiced_rates = Table(
    "cm_invoiced_rates",
    metadata,
    _tenant(),
    Column("customer_id", String(ID), nullable=False),
    Column("item_code", String(SHORT), nullable=False),
    Column("invoiced_on", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("unit_price", ExactDecimal(), nullable=False),
    PrimaryKeyConstraint("tenant", "customer_id", "item_code", "invoiced_on", "currency"),
    **MYSQL_OPTIONS,
)
