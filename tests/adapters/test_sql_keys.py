"""The key tables hold exactly what each stored customer is searched and kept unique by,
on every SQL database: written with the customer, changed by their keys when it
changes, and gone with it (docs/decisions/0039) — nothing left behind, nothing missing."""

from __future__ import annotations

import sys
from pathlib import Path

from attrs import evolve
from sqlalchemy import select

from customer_master.domain.customer import TaxId
from customer_master_sql import SqlStorage, mapping, open_storage

sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
from contract_values import full_customer, plain_customer


def stored_keys(storage: SqlStorage) -> set[tuple[str, tuple[tuple[str, object], ...]]]:
    with storage.engine.connect() as connection:
        return {
            (table.name, tuple(sorted(row._asdict().items())))
            for table, _ in mapping.KEYED
            for row in connection.execute(select(table))
        }


def keys_of(*customers: object) -> set[tuple[str, tuple[tuple[str, object], ...]]]:
    return {
        (table.name, tuple(sorted(row.items())))
        for customer in customers
        for table, rows in mapping.key_rows(customer).items()  # type: ignore[arg-type]
        for row in rows
    }


def test_key_rows_follow_the_customer_through_add_update_and_remove(sql_url: str) -> None:
    storage = open_storage(sql_url)
    assert isinstance(storage, SqlStorage)
    first, other = full_customer(), plain_customer(2)
    try:
        with storage.unit_of_work() as uow:
            uow.customers.add(first)
            uow.customers.add(other)
            uow.commit()
        assert stored_keys(storage) == keys_of(first, other)

        changed = evolve(
            first,
            name="Société Générale de Banque",
            tags=("vip",),
            tax_ids=(*first.tax_ids, TaxId(id="t9", scheme="us.ein", number="123456789")),
            enabled_entities=frozenset({"MY01"}),
        )
        with storage.unit_of_work() as uow:
            stored = uow.customers.update(changed, expected_version=first.version)
            uow.commit()
        assert stored_keys(storage) == keys_of(stored, other)

        with storage.unit_of_work() as uow:
            uow.customers.remove(first.tenant, first.id)
            uow.commit()
        assert stored_keys(storage) == keys_of(other)
    finally:
        storage.close()
