"""The optional bulk methods imports use (``ports.BulkCustomers``, ``BulkAuditLog``,
``BulkOutbox``) answer as their one-at-a-time counterparts do, on every storage that
offers them (R-9.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from contract_values import add_committed, full_customer, plain_customer

from customer_master.domain.audit import AuditRecord, seal
from customer_master.domain.customer import ExternalRef, TaxId
from customer_master.domain.events import Event
from customer_master.domain.search import SIMILAR_CANDIDATES, rarest_starts, word_starts
from customer_master.errors import Conflict
from customer_master.ports import BulkAuditLog, BulkCustomers, BulkOutbox, Storage

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def bulk_customers(uow: object) -> BulkCustomers:
    customers = getattr(uow, "customers")  # noqa: B009 - the port's attribute
    if not isinstance(customers, BulkCustomers):
        pytest.skip("this storage offers no bulk customer methods")
    return customers


def test_holders_of_keys_find_what_the_single_look_ups_find(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(
            1, email="AP@One.example", tax_ids=(TaxId(id="t1", scheme="my.brn", number="201901"),)
        ),
        plain_customer(
            2, external_refs=(ExternalRef("legacy", "L:2"),), status="inactive", email="ap@one.example"
        ),
        plain_customer(3, tax_ids=(TaxId(id="t3", scheme="my.brn", number="201901"),)),
        plain_customer(4, tenant="other", email="ap@one.example"),
    )
    keys = [
        ("code", "CUS-0001"),
        ("code", "CUS-0002"),
        ("code", "CUS-0009"),
        ("email", "ap@one.example"),
        ("tax_id", "201901"),
        ("external_ref", "legacy:L:2"),
        ("external_ref", "legacy:L"),
    ]
    with storage.unit_of_work() as uow:
        uow.customers.add(plain_customer(5, email="ap@one.example"))  # its own write counts
        found = bulk_customers(uow).holders_of_keys("acme", keys)

    held = {key: sorted(ids) for key, ids in found.items() if ids}
    assert held == {
        ("code", "CUS-0001"): ["c1"],
        ("code", "CUS-0002"): ["c2"],  # any status
        ("email", "ap@one.example"): ["c1", "c5"],  # active only, this tenant only
        ("tax_id", "201901"): ["c1", "c3"],
        ("external_ref", "legacy:L:2"): ["c2"],  # any status; a colon in the reference
    }


def test_add_many_stores_customers_as_add_does(storage: Storage) -> None:
    many = [full_customer(id="c1", code="CUS-0001"), plain_customer(2), plain_customer(3, name="   ")]
    with storage.unit_of_work() as uow:
        bulk_customers(uow).add_many(many)
        uow.commit()

    with storage.unit_of_work() as uow:
        assert [uow.customers.get("acme", c.id) for c in many] == many
        assert uow.customers.find_by_tax_id("acme", many[0].tax_ids[0].number) == [many[0]]


def test_add_many_refuses_a_taken_code_and_stores_nothing(storage: Storage) -> None:
    add_committed(storage, plain_customer(1))
    with storage.unit_of_work() as uow, pytest.raises(Conflict):
        bulk_customers(uow).add_many([plain_customer(2), evolve(plain_customer(3), code="CUS-0001")])

    with storage.unit_of_work() as uow:
        assert uow.customers.get("acme", "c2") is None


def test_look_alikes_are_the_active_holders_of_a_word_start(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(1, name="Golden Harvest Trading"),
        plain_customer(2, name="Pacific Motors"),
        plain_customer(3, name="Goldstar Foods", status="inactive"),
    )
    with storage.unit_of_work() as uow:
        counts = bulk_customers(uow).look_alike_counts("acme", ["gol", "pac", "zen"])
        holders = bulk_customers(uow).look_alike_holders("acme", ["gol", "pac", "zen"])

    assert counts["pac"] == 1
    assert counts["gol"] in (1, 2)  # an estimate: the inactive holder may count
    assert counts.get("zen", 0) == 0
    assert sorted(holders["gol"]) == [("CUS-0001", "Golden Harvest Trading")]
    assert sorted(holders["pac"]) == [("CUS-0002", "Pacific Motors")]
    assert list(holders.get("zen", [])) == []


def test_a_look_alike_sharing_a_distinctive_word_is_a_candidate_among_many_common_ones(
    storage: Storage,
) -> None:
    # 600 names share "Sdn" and "Bhd" (more than the 500 candidates scored at most); the
    # one that shares "Makmur" is found through the rarest start, and the common starts'
    # holders are not read at all.
    common = [plain_customer(n, name=f"Syarikat {n:04d} Sdn Bhd") for n in range(1, 601)]
    add_committed(storage, *common, plain_customer(601, name="Kedai Makmur Sdn Bhd"))
    starts = word_starts("Kedai Makmor Sdn Bhd")
    with storage.unit_of_work() as uow:
        counts = bulk_customers(uow).look_alike_counts("acme", starts)
        chosen = rarest_starts(starts, counts)
        holders = bulk_customers(uow).look_alike_holders("acme", chosen)

    assert counts["sdn"] > SIMILAR_CANDIDATES
    assert "sdn" not in chosen
    assert "bhd" not in chosen
    candidates = dict(pair for start in chosen for pair in holders[start])
    assert candidates["CUS-0601"] == "Kedai Makmur Sdn Bhd"
    assert len(candidates) < 10


def test_audit_append_many_and_outbox_add_many_keep_their_order(storage: Storage) -> None:
    records, previous = [], None
    for number in (1, 2, 3):
        previous = seal(
            AuditRecord(
                id=f"r{number}",
                tenant="acme",
                operation="create",
                customer_ids=(f"c{number}", "c9"),
                actor="ana",
                occurred_at=AT + timedelta(seconds=number),
                changes={"n": number},
            ),
            previous=previous,
            salt=lambda: "salt",
        )
        records.append(previous)
    events = [
        Event(id=f"e{n}", name="customer.created", tenant="acme", occurred_at=AT, payload={"n": n})
        for n in range(5)
    ]
    with storage.unit_of_work() as uow:
        if not isinstance(uow.audit, BulkAuditLog) or not isinstance(uow.outbox, BulkOutbox):
            pytest.skip("this storage offers no bulk audit or outbox methods")
        uow.audit.append_many(records)
        uow.outbox.add_many(events)
        uow.commit()

    with storage.unit_of_work() as uow:
        assert uow.audit.for_tenant("acme") == records
        assert [r.id for r in uow.audit.for_customer("acme", "c9")] == ["r1", "r2", "r3"]
        assert [e.id for e in uow.outbox.pending()] == [e.id for e in events]
