"""A bulk import seals one audit record per committed batch, with one entry per
customer; each customer's trail and timeline show its entry as its own record, and the
chain verifies (SPEC R-11.1, R-11.2)."""

from __future__ import annotations

import pytest

from customer_master import Actor, CustomerMaster
from customer_master.domain.audit import BULK
from customer_master.domain.importing import ImportOptions

ROWS = [
    {"name": f"Kedai {n}", "kind": "company", "legal_entity": "MY01", "email": f"k{n}@kedai.my"}
    for n in range(5)
]


@pytest.fixture
def imported(tenant: CustomerMaster, admin: Actor) -> CustomerMaster:
    result = tenant.imports.run(admin, ROWS, ImportOptions(batch_size=2))
    assert result.counts["created"] == 5
    return tenant


def test_one_record_per_batch_names_every_customer_of_it(imported: CustomerMaster, admin: Actor) -> None:
    batches = [r for r in imported.audit.trail(admin) if r.operation == BULK]
    assert [len(r.customer_ids) for r in batches] == [2, 2, 1]
    assert all(set(r.changes) == set(r.customer_ids) for r in batches)
    assert imported.audit.verify(admin).is_intact


def test_a_customer_sees_its_entry_as_its_own_creation(imported: CustomerMaster, admin: Actor) -> None:
    customer = imported.customers.lookup(admin, "CUS-0003").customer
    (record,) = imported.audit.trail(admin, customer.id)
    assert record.operation == "create"
    assert record.customer_ids == (customer.id,)
    assert record.changes["name"] == {"before": None, "after": "Kedai 2"}
    assert all(path.split(".")[0] in record.changes for path in record.personal)
    assert [e.kind for e in imported.audit.timeline(admin, customer.id)] == ["create"]


def test_an_update_by_import_is_an_update_in_the_customers_trail(
    imported: CustomerMaster, admin: Actor
) -> None:
    changed = [{**ROWS[1], "name": "Kedai Satu"}]
    imported.imports.run(admin, changed, ImportOptions(on_duplicate="update"))
    customer = imported.customers.lookup(admin, "CUS-0002").customer
    assert [r.operation for r in imported.audit.trail(admin, customer.id)] == ["create", "update"]
    assert imported.audit.trail(admin, customer.id)[-1].changes["name"] == {
        "before": "Kedai 1",
        "after": "Kedai Satu",
    }
    assert imported.audit.verify(admin).is_intact
