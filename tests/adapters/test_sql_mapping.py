"""The explicit row mapping covers every field of the domain values it stores, so a field
added to the core cannot be silently dropped by the SQL adapter."""

from __future__ import annotations

import attrs

from customer_master.domain.apikeys import ApiKey
from customer_master.domain.audit import AuditRecord
from customer_master.domain.customer import Customer
from customer_master.domain.pricing import PriceListLine
from customer_master.domain.timeline import Note
from customer_master_sql import mapping


def names(cls: type) -> set[str]:
    return {field.name for field in attrs.fields(cls)}


def test_every_customer_field_is_stored_or_declared_never_stored() -> None:
    assert names(Customer) == mapping.MAPPED_FIELDS | mapping.NOT_STORED
    assert not mapping.MAPPED_FIELDS & mapping.NOT_STORED


def test_every_field_of_the_other_stored_values_is_mapped() -> None:
    assert names(AuditRecord) == mapping.AUDIT_FIELDS
    assert names(Note) == set(mapping.NOTE_COLUMNS)
    assert names(ApiKey) == {*mapping.API_KEY_COLUMNS, "roles"}
    assert names(PriceListLine) == set(mapping.LINE_COLUMNS)
