"""No repository method reaches another tenant's rows, by id, code, key, search or
write (R-12.1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve
from contract_values import add_committed, full_customer

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import AuditRecord, seal
from customer_master.domain.config import LegalEntity, TenantConfiguration
from customer_master.domain.events import Event
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.domain.search import CustomerQuery
from customer_master.domain.timeline import Note
from customer_master.errors import Conflict
from customer_master.ports import Storage

AT = datetime(2026, 3, 2, tzinfo=UTC)
OWNER, STRANGER = "acme", "globex"


@pytest.fixture
def owned(storage: Storage) -> Storage:
    """Everything of tenant ``acme`` the stranger will look for."""
    customer = full_customer(tenant=OWNER)
    add_committed(storage, customer)
    request = ChangeRequest(
        id="cr1", tenant=OWNER, operation="update", payload={}, customer_ids=("c1",),
        customer_versions={"c1": 3}, submitter="sam", submitted_at=AT, lane="yellow", steps=("x",),
    )  # fmt: skip
    with storage.unit_of_work() as uow:
        uow.configuration.save(
            TenantConfiguration(tenant=OWNER, version=1, entities=(LegalEntity(code="MY01", name="x"),)),
            expected_version=0,
        )
        audit = AuditRecord(
            id="a1", tenant=OWNER, operation="create", customer_ids=("c1",), actor="ana", occurred_at=AT
        )
        uow.audit.append(seal(audit, previous=None, salt=lambda: "s"))
        uow.notes.add(Note(id="n1", tenant=OWNER, customer_id="c1", author="ana", at=AT, text="secret"))
        uow.change_requests.add(request)
        uow.codes.next_value(OWNER)
        uow.outbox.add(Event(id="e1", name="customer_created", tenant=OWNER, occurred_at=AT))
        uow.commit()
    receivables: Any = storage.receivables
    receivables.add_item(
        OWNER,
        OpenItem(number="INV-1", customer_id="c1", entity="MY01", kind="invoice", document_date=AT.date(),
                 due_date=date(2026, 1, 1), amount=Decimal(10), balance=Decimal(10), currency="MYR"),
    )  # fmt: skip
    receivables.add_order(
        OWNER, OpenOrder(number="SO-1", customer_id="c1", entity="MY01", amount=Decimal(5), currency="MYR")
    )
    storage.last_prices.record(
        OWNER, "c1", "BOLT", LastPrice(unit_price=Decimal(1), currency="USD", invoiced_on=AT.date())
    )
    return storage


def test_reads_as_another_tenant_find_nothing(owned: Storage) -> None:
    with owned.unit_of_work() as uow:
        customers = uow.customers
        assert customers.get(STRANGER, "c1") is None
        assert customers.get_by_code(STRANGER, "CUS-0001") is None
        assert customers.find_by_tax_id(STRANGER, "FR40303265045") == []
        assert customers.find_by_external_ref(STRANGER, "salesforce", "0015g00000XyZ") is None
        assert customers.find_by_email(STRANGER, "ap@socgen.example") == []
        assert list(customers.similar_name_candidates(STRANGER, "Société Générale")) == []
        assert customers.list(STRANGER, CustomerQuery(status="any")).items == ()
        assert customers.list(STRANGER, CustomerQuery(name="soc", tax_id="FR40303265045")).items == ()
        assert customers.count_using(STRANGER, payment_terms="NET30", price_list="STD") == 0
        assert uow.configuration.get(STRANGER) == TenantConfiguration(tenant=STRANGER)
        assert uow.audit.for_tenant(STRANGER) == []
        assert uow.audit.for_customer(STRANGER, "c1") == []
        assert uow.audit.last(STRANGER) is None
        assert uow.notes.for_customer(STRANGER, "c1") == []
        assert uow.change_requests.get(STRANGER, "cr1") is None
        assert uow.change_requests.list(STRANGER, customer_id="c1") == []
        assert uow.api_keys.for_tenant(STRANGER) == []
        assert not uow.open_items.has_open_items(STRANGER, "c1")
        assert uow.codes.next_value(STRANGER) == 1
    position = owned.receivables.position(STRANGER, "c1", "MY01", "MYR")
    assert (position.open_balance, position.open_orders, position.oldest_due_date) == (0, 0, None)
    assert owned.last_prices.last_price(STRANGER, "c1", "BOLT") is None


def test_writes_as_another_tenant_change_nothing_of_the_owner(owned: Storage) -> None:
    customer = full_customer(tenant=OWNER)
    with owned.unit_of_work() as uow:
        with pytest.raises(Conflict):
            uow.customers.update(evolve(customer, tenant=STRANGER, name="Hijacked"), expected_version=3)
        uow.customers.remove(STRANGER, "c1")
        uow.open_items.move(STRANGER, "c1", "thief")
        uow.commit()
    request = ChangeRequest(
        id="cr1", tenant=STRANGER, operation="update", payload={}, customer_ids=("c1",),
        customer_versions={"c1": 3}, submitter="x", submitted_at=AT, lane="yellow", steps=("x",),
        state="approved",
    )  # fmt: skip
    with owned.unit_of_work() as uow, pytest.raises(Conflict):
        uow.change_requests.save(request, expected_approvals=0)

    with owned.unit_of_work() as uow:
        assert uow.customers.get(OWNER, "c1") == customer
        assert uow.change_requests.get(OWNER, "cr1") is not None
        assert uow.change_requests.get(OWNER, "cr1").state == "pending"  # type: ignore[union-attr]
        assert uow.open_items.has_open_items(OWNER, "c1")
    assert owned.receivables.position(OWNER, "c1", "MY01", "MYR").open_balance == Decimal(10)


def test_the_same_code_and_keys_may_be_used_by_another_tenant(owned: Storage) -> None:
    add_committed(owned, full_customer(tenant=STRANGER))

    with owned.unit_of_work() as uow:
        mine = uow.customers.get_by_code(STRANGER, "CUS-0001")
        assert mine is not None
        assert mine.tenant == STRANGER
        assert [c.tenant for c in uow.customers.find_by_tax_id(OWNER, "FR40303265045")] == [OWNER]
