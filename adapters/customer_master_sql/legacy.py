"""The related-record tables of revisions 0001 to 0004, frozen (docs/decisions/0039).

Until revision 0005 every related record of a customer had rows of its own — addresses,
contacts, bank accounts, pricing tiers, tax profiles, dimensions, credit releases, and
the tables that are still searched — hung off ``cm_customers`` with ``ON DELETE
CASCADE``, in ``position`` order, and ``cm_customers.related`` said which of them held
rows. Revision 0005 keeps only what is searched or unique; the customer's JSON document
holds the rest. This module keeps the old layout for what still meets it: revision
0002 reads customers from it, 0005's downgrade writes it back, and tests write rows as
those revisions did. Nothing else may use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from sqlalchemy import (
    JSON,
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
    inspect,
    select,
)
from sqlalchemy.engine import Connection, Row

from customer_master.domain.customer import (
    Address,
    BankAccount,
    Contact,
    CreditHold,
    CreditRelease,
    Customer,
    Dimension,
    EntityOverride,
    ExternalRef,
    TaxId,
    TaxProfile,
)
from customer_master.domain.pricing import PricingTier
from customer_master_sql import mapping
from customer_master_sql.types import ExactDecimal, Key, UtcDateTime

metadata = MetaData(
    naming_convention={"pk": "pk_%(table_name)s", "fk": "fk_%(table_name)s_%(referred_table_name)s"}
)
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}

# The parent, only as far as the foreign keys need it.
Table(
    "cm_customers",
    metadata,
    Column("tenant", String(64), primary_key=True),
    Column("id", String(64), primary_key=True),
)


def _child(name: str, *columns: Column[Any], key: tuple[str, ...] = ("position",)) -> Table:
    return Table(
        name,
        metadata,
        Column("tenant", String(64), nullable=False),
        Column("customer_id", String(64), nullable=False),
        *columns,
        PrimaryKeyConstraint("tenant", "customer_id", *key),
        ForeignKeyConstraint(
            ["tenant", "customer_id"], ["cm_customers.tenant", "cm_customers.id"], ondelete="CASCADE"
        ),
        **_MYSQL,
    )


def _position() -> Column[int]:
    return Column("position", Integer, nullable=False, autoincrement=False)


def _id() -> Column[str]:
    return Column("id", String(64), nullable=False)


def _hold_columns() -> list[Column[Any]]:
    return [
        Column("credit_hold_reason", Text),
        Column("credit_hold_by", String(64)),
        Column("credit_hold_at", UtcDateTime()),
    ]


tax_ids = _child(
    "cm_customer_tax_ids", _position(), _id(), Column("scheme", String(32), nullable=False),
    Column("number", String(64), nullable=False), Column("is_primary", Boolean, nullable=False),
)  # fmt: skip
Index("ix_cm_customer_tax_ids_number", tax_ids.c.tenant, tax_ids.c.number)
addresses = _child(
    "cm_customer_addresses", _position(), _id(), Column("purposes", JSON, nullable=False),
    Column("default_for", JSON, nullable=False), Column("label", String(255)),
    Column("line1", String(255), nullable=False), Column("line2", String(255)), Column("line3", String(255)),
    Column("city", String(255), nullable=False), Column("state", String(255)),
    Column("postal_code", String(64)), Column("country", String(2), nullable=False),
    Column("entity", String(32)),
)  # fmt: skip
contacts = _child(
    "cm_customer_contacts", _position(), _id(), Column("name", String(255), nullable=False),
    Column("roles", JSON, nullable=False), Column("email", String(255)), Column("phone", String(64)),
    Column("site_id", String(64)), Column("is_primary", Boolean, nullable=False),
)  # fmt: skip
bank_accounts = _child(
    "cm_customer_bank_accounts", _position(), _id(), Column("bank_name", String(255)),
    Column("account_number", String(64)), Column("iban", String(64)), Column("bic", String(16)),
)  # fmt: skip
pricing_tiers = _child(
    "cm_customer_pricing_tiers", _position(), _id(), Column("item_code", String(64), nullable=False),
    Column("unit_price", ExactDecimal(), nullable=False), Column("currency", String(3), nullable=False),
    Column("min_quantity", ExactDecimal(), nullable=False), Column("max_quantity", ExactDecimal()),
    Column("valid_from", Date), Column("valid_to", Date),
)  # fmt: skip
tax_profiles = _child(
    "cm_customer_tax_profiles", _position(), _id(), Column("exempt_tax_code", String(32), nullable=False),
    Column("certificate_number", String(64)), Column("valid_from", Date), Column("valid_to", Date),
)  # fmt: skip
Index("ix_cm_customer_tax_profiles_valid_to", tax_profiles.c.tenant, tax_profiles.c.valid_to)
external_refs = _child(
    "cm_customer_external_refs", _position(), Column("system", String(32), nullable=False),
    Column("ref", String(128), nullable=False),
)  # fmt: skip
Index("uq_cm_customer_external_refs_tenant_system_ref", external_refs.c.tenant, external_refs.c.system,
      external_refs.c.ref, unique=True)  # fmt: skip
dimensions = _child(
    "cm_customer_dimensions", _position(), Column("type", String(32), nullable=False),
    Column("value", String(64), nullable=False),
)  # fmt: skip
overrides = _child(
    "cm_customer_overrides", _position(), Column("entity", String(32), nullable=False),
    Column("credit_limit", ExactDecimal()), Column("payment_terms", String(32)),
    Column("currency", String(3)), Column("price_list", String(32)), Column("salesperson", String(64)),
    Column("receivable_account", String(64)), *_hold_columns(),
)  # fmt: skip
Index("ix_cm_customer_overrides_terms", overrides.c.tenant, overrides.c.payment_terms)
Index("ix_cm_customer_overrides_price_list", overrides.c.tenant, overrides.c.price_list)
credit_releases = _child(
    "cm_customer_credit_releases", _position(), Column("document_ref", String(128), nullable=False),
    Column("reason", Text, nullable=False), Column("released_by", String(64), nullable=False),
    Column("released_at", UtcDateTime(), nullable=False), Column("entity", String(32)),
)  # fmt: skip
tags = _child("cm_customer_tags", _position(), Column("tag", String(64), nullable=False))
Index("ix_cm_customer_tags_tag", tags.c.tenant, tags.c.tag)
enabled_entities = _child(
    "cm_customer_entities", Column("entity", String(32), nullable=False), key=("entity",)
)
Index("ix_cm_customer_entities_entity", enabled_entities.c.tenant, enabled_entities.c.entity)
name_words = _child("cm_customer_name_words", Column("word", Key(100), nullable=False), key=("word",))
Index("ix_cm_customer_name_words_word", name_words.c.tenant, name_words.c.word, name_words.c.customer_id)
name_pairs = _child(
    "cm_customer_name_pairs", Column("pair", Key(201), nullable=False),
    Column("code", Key(32), nullable=False), key=("pair",),
)  # fmt: skip
Index("ix_cm_customer_name_pairs_pair", name_pairs.c.tenant, name_pairs.c.pair, name_pairs.c.code,
      name_pairs.c.customer_id)  # fmt: skip


# ---------------------------------------------------------------------------
# Rows ↔ related records, as revisions 0001–0004 wrote them
# ---------------------------------------------------------------------------

_COLUMNS: dict[type, tuple[str, ...]] = {
    Address: ("id", "label", "line1", "line2", "line3", "city", "state", "postal_code", "country", "entity"),
    BankAccount: ("id", "bank_name", "account_number", "iban", "bic"),
    PricingTier: ("id", "item_code", "unit_price", "currency", "min_quantity", "max_quantity", "valid_from",
                  "valid_to"),
    TaxProfile: ("id", "exempt_tax_code", "certificate_number", "valid_from", "valid_to"),
    TaxId: ("id", "scheme", "number", "is_primary"),
    ExternalRef: ("system", "ref"),
    Dimension: ("type", "value"),
    EntityOverride: ("entity", "credit_limit", "payment_terms", "currency", "price_list", "salesperson",
                     "receivable_account"),
}  # fmt: skip


def _plain_row(record: Any) -> dict[str, Any]:
    row = {name: getattr(record, name) for name in _COLUMNS[type(record)]}
    if isinstance(record, Address):
        row.update(purposes=list(record.purposes), default_for=list(record.default_for))
    if isinstance(record, EntityOverride):
        row.update(_hold_row(record.credit_hold))
    return row


def _plain_record(cls: type) -> Callable[[Mapping[str, Any]], Any]:
    def read(row: Mapping[str, Any]) -> Any:
        values = {name: row[name] for name in _COLUMNS[cls]}
        if cls is Address:
            values.update(purposes=tuple(row["purposes"]), default_for=tuple(row["default_for"]))
        if cls is EntityOverride:
            values["credit_hold"] = _hold(row)
        return cls(**values)

    return read


def _hold_row(hold: CreditHold | None) -> dict[str, Any]:
    return {
        "credit_hold_reason": hold.reason if hold else None,
        "credit_hold_by": hold.by if hold else None,
        "credit_hold_at": hold.at if hold else None,
    }


def _hold(row: Mapping[str, Any]) -> CreditHold | None:
    if row["credit_hold_reason"] is None:
        return None
    return CreditHold(reason=row["credit_hold_reason"], by=row["credit_hold_by"], at=row["credit_hold_at"])


def _contact_row(r: Contact) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "roles": list(r.roles), "email": r.email, "phone": r.phone,
            "site_id": r.site_id, "is_primary": r.is_primary}  # fmt: skip


def _contact(row: Mapping[str, Any]) -> Contact:
    return Contact(id=row["id"], name=row["name"], roles=tuple(row["roles"]), email=row["email"],
                   phone=row["phone"], site_id=row["site_id"], is_primary=row["is_primary"])  # fmt: skip


def _release_row(r: CreditRelease) -> dict[str, Any]:
    return {"document_ref": r.document_ref, "reason": r.reason, "released_by": r.by, "released_at": r.at,
            "entity": r.entity}  # fmt: skip


def _release(row: Mapping[str, Any]) -> CreditRelease:
    return CreditRelease(document_ref=row["document_ref"], reason=row["reason"], by=row["released_by"],
                         at=row["released_at"], entity=row["entity"])  # fmt: skip


@attrs.frozen
class Related:
    """One kind of related record as revisions 0001–0004 stored it."""

    field: str
    table: Table
    bit: int
    to_row: Callable[[Any], dict[str, Any]]
    from_row: Callable[[Mapping[str, Any]], Any]
    ordered: bool = True


RELATED: tuple[Related, ...] = (
    Related("tax_ids", tax_ids, 1, _plain_row, _plain_record(TaxId)),
    Related("addresses", addresses, 2, _plain_row, _plain_record(Address)),
    Related("contacts", contacts, 4, _contact_row, _contact),
    Related("bank_accounts", bank_accounts, 8, _plain_row, _plain_record(BankAccount)),
    Related("pricing_tiers", pricing_tiers, 16, _plain_row, _plain_record(PricingTier)),
    Related("tax_profiles", tax_profiles, 32, _plain_row, _plain_record(TaxProfile)),
    Related("external_refs", external_refs, 64, _plain_row, _plain_record(ExternalRef)),
    Related("dimensions", dimensions, 128, _plain_row, _plain_record(Dimension)),
    Related("overrides", overrides, 256, _plain_row, _plain_record(EntityOverride)),
    Related("credit_releases", credit_releases, 512, _release_row, _release),
    Related("tags", tags, 1024, lambda tag: {"tag": tag}, lambda row: row["tag"]),
    Related("enabled_entities", enabled_entities, 2048, lambda e: {"entity": e}, lambda row: row["entity"],
            ordered=False),
)  # fmt: skip


def related_bits(customer: Customer) -> int:
    """``cm_customers.related`` of revisions 0001–0004 for ``customer``."""
    return sum(kind.bit for kind in RELATED if getattr(customer, kind.field))


def related_rows(customer: Customer) -> dict[Table, list[dict[str, Any]]]:
    """Every old-layout row of ``customer``, by table: related records, name words and pairs."""
    key = {"tenant": customer.tenant, "customer_id": customer.id}
    found: dict[Table, list[dict[str, Any]]] = {}
    for kind in RELATED:
        records = getattr(customer, kind.field)
        if records:
            records = records if kind.ordered else sorted(records)
            found[kind.table] = [
                {**key, **({"position": index} if kind.ordered else {}), **kind.to_row(record)}
                for index, record in enumerate(records)
            ]
    words = mapping.name_words(customer.name)
    if words:
        found[name_words] = [{**key, "word": word} for word in words]
    pairs = mapping.name_pairs(customer.name)
    if pairs:
        found[name_pairs] = [{**key, "pair": pair, "code": customer.code} for pair in pairs]
    return found


def stored_customers(connection: Connection) -> Table:
    """``cm_customers`` as the database holds it now (reflected), with the adapter's types
    for the columns whose values it converts (instants, exact decimals, JSON)."""
    converted: dict[str, Any] = {
        "created_at": UtcDateTime(),
        "updated_at": UtcDateTime(),
        "credit_hold_at": UtcDateTime(),
        "credit_limit": ExactDecimal(),
        "metadata": JSON(),
        "document": JSON(),
    }
    held = {column["name"] for column in inspect(connection).get_columns("cm_customers")}
    typed = [Column(name, kind) for name, kind in converted.items() if name in held]
    return Table("cm_customers", MetaData(), *typed, autoload_with=connection)


def relational_customers(connection: Connection, rows: Sequence[Row[Any]]) -> list[Customer]:
    """Customers of one tenant read from their revision-0001 ``cm_customers`` rows (all
    columns, ``related`` among them) and related-record rows."""
    if not rows:
        return []
    tenant = rows[0].tenant
    related: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    plain = [row._asdict() for row in rows]
    for kind in RELATED:
        holders = [row["id"] for row in plain if row["related"] & kind.bit]
        for start in range(0, len(holders), 500):
            table = kind.table
            statement = select(table).where(
                table.c.tenant == tenant, table.c.customer_id.in_(holders[start : start + 500])
            )
            if kind.ordered:
                statement = statement.order_by(table.c.customer_id, table.c.position)
            for record in connection.execute(statement):
                related[record.customer_id][kind.field].append(record._mapping)
    customers = []
    for row in plain:
        values: dict[str, Any] = {name: row[name] for name in mapping.PLAIN_FIELDS}
        for kind in RELATED:
            records = [kind.from_row(r) for r in related[row["id"]][kind.field]]
            values[kind.field] = tuple(records) if kind.ordered else frozenset(records)
        customers.append(Customer(**values, metadata=row["metadata"], credit_hold=_hold(row)))
    return customers
