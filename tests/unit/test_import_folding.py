"""Rows of one file that are one customer are folded, in file order, into one change,
so that importing the same file again writes nothing (SPEC R-9.5, R-9.6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from customer_master import Actor, CustomerMaster, hookimpl
from customer_master.domain.importing import ImportOptions

UPDATE = ImportOptions(on_duplicate="update", batch_size=2)


def row(name: str, email: str, ref: str = "", city: str = "Kuala Lumpur") -> dict[str, str]:
    return {
        "name": name,
        "kind": "company",
        "legal_entity": "MY01",
        "email": email,
        "external_ref_crm": ref,
        "address_line1": "1 Jalan Ampang",
        "address_city": city,
        "address_country": "MY",
    }


# Rows 2 and 4 share an e-mail, rows 4 and 6 a CRM reference: rows 2, 4 and 6 are one
# customer; row 3 and row 5 are others. The rows of one customer are in different batches.
FILE = [
    row("Kedai Ali", "ali@kedai.my", "A-1"),
    row("Syarikat Bunga", "bunga@syarikat.my", "B-1"),
    row("Kedai Ali Sdn Bhd", "ali@kedai.my", "A-2"),
    row("Toko Cahaya", "cahaya@toko.id", "C-1"),
    row("Kedai Ali Sdn Bhd", "ap@kedai.my", "A-2", city="Klang"),
]


class Heard:
    def __init__(self) -> None:
        self.events: list[str] = []

    @hookimpl
    def customer_created(self, customer: Any) -> None:
        self.events.append(f"created {customer.code}")

    @hookimpl
    def customer_updated(self, customer: Any, changes: Any) -> None:
        self.events.append(f"updated {customer.code}")


@pytest.fixture
def heard(tenant: CustomerMaster) -> Heard:
    listener = Heard()
    tenant.hooks.register(listener)
    return listener


def customers(cm: CustomerMaster, admin: Actor) -> dict[str, dict[str, Any]]:
    page = cm.customers.search(admin)
    return {c.code: {"name": c.name, "email": c.email, "city": c.addresses[0].city} for c in page.items}


def test_the_rows_of_one_customer_make_one_change_in_file_order(
    tenant: CustomerMaster, admin: Actor, heard: Heard
) -> None:
    result = tenant.imports.run(admin, FILE, UPDATE)

    assert result.counts == {"created": 3, "updated": 2, "skipped": 0, "failed": 0}
    stored = customers(tenant, admin)
    assert len(stored) == 3
    ali = next(c for c in stored.values() if c["email"] == "ap@kedai.my")
    assert ali == {"name": "Kedai Ali Sdn Bhd", "email": "ap@kedai.my", "city": "Klang"}
    assert sorted(heard.events) == ["created CUS-0001", "created CUS-0002", "created CUS-0003"]
    folded = [o for o in result.outcomes if o.row in (2, 4, 6)]
    assert [o.outcome for o in folded] == ["created", "updated", "updated"]
    assert len({o.customer for o in folded}) == 1
    assert all("rows 2, 4, 6" in (o.message or "") for o in folded)


def test_importing_the_same_file_again_writes_nothing(
    tenant: CustomerMaster, admin: Actor, heard: Heard
) -> None:
    tenant.imports.run(admin, FILE, UPDATE)
    trail, heard.events[:] = len(tenant.audit.trail(admin)), []

    again = tenant.imports.run(admin, FILE, UPDATE)

    assert again.counts == {"created": 0, "updated": 0, "skipped": 5, "failed": 0}
    assert heard.events == []
    # Only the import's own completion is recorded: no customer changed.
    assert [r.operation for r in tenant.audit.trail(admin)[trail:]] == []


def test_a_row_that_fails_leaves_the_others_of_its_customer_folded(
    tenant: CustomerMaster, admin: Actor
) -> None:
    broken = [*FILE[:2], {**FILE[2], "email": "not an e-mail"}, *FILE[3:]]
    result = tenant.imports.run(admin, broken, UPDATE)

    by_row = {o.row: o for o in result.outcomes}
    assert by_row[4].outcome == "failed"
    assert by_row[2].outcome == "created"
    # Row 6 shares a key with the failed row 4 only: it makes a customer of its own.
    assert by_row[6].outcome == "created"
    assert by_row[6].customer != by_row[2].customer


def test_a_dry_run_folds_the_same_way_and_stores_nothing(tenant: CustomerMaster, admin: Actor) -> None:
    result = tenant.imports.run(admin, FILE, ImportOptions(on_duplicate="update", validate_only=True))

    assert result.counts == {"created": 3, "updated": 2, "skipped": 0, "failed": 0}
    assert customers(tenant, admin) == {}


def test_rows_read_only_once_are_imported_row_by_row(tenant: CustomerMaster, admin: Actor) -> None:
    def once() -> Iterator[dict[str, str]]:
        yield from FILE

    result = tenant.imports.run(admin, once(), UPDATE)

    assert result.counts == {"created": 3, "updated": 2, "skipped": 0, "failed": 0}
    assert len(customers(tenant, admin)) == 3
