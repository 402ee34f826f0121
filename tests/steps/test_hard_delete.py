"""Steps for features/hard_delete.feature: removing a customer for good, or being told to
deactivate it. Host modules are plugins that answer ``has_transaction_history`` and hear
``customer_deleted``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

import customer_master
from customer_master import Actor, BusinessRuleViolation, CustomerMaster, Forbidden, HistoryAnswer, NotFound
from customer_master.domain.receivables import OpenItem
from customer_master.domain.search import CustomerQuery

scenarios("hard_delete.feature")


class HostModules:
    """The host's modules: each holds documents for some customers; all hear deletions."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[str, int]] = {}
        self.deleted: list[tuple[str, str]] = []

    @customer_master.hookimpl
    def has_transaction_history(self, tenant: str, customer_id: str) -> HistoryAnswer | None:
        held = self.documents.get(customer_id)
        return HistoryAnswer(module=held[0], count=held[1]) if held else None

    @customer_master.hookimpl
    def customer_deleted(self, tenant: str, customer_id: str, code: str) -> None:
        self.deleted.append((customer_id, code))


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    """Customers by name and the last outcome; asking for ``cm`` keeps the storage
    parametrisation in every scenario's closure."""
    return {"ids": {}, "codes": {}, "users": {}, "error": None}


def actor(world: dict[str, Any], admin: Actor, user: str) -> Actor:
    return admin if user == admin.user else world["users"][user]


def deletion_records(cm: CustomerMaster, tenant: str) -> list[Any]:
    with cm.storage.unit_of_work() as uow:
        return [record for record in uow.audit.for_tenant(tenant) if record.operation == "hard_delete"]


@given(parsers.parse('"{name}" is a customer of {entity} with a billing address and a contact'))
def a_customer(tenant: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str) -> None:
    code = entity.split("(")[1].rstrip(")")
    created = tenant.customers.create(
        admin,
        {
            "name": name,
            "kind": "individual",
            "legal_entity": code,
            "currency": "MYR",
            "addresses": [
                {
                    "purposes": ["billing"],
                    "default_for": ["billing"],
                    "line1": "12 Jalan Pasar",
                    "city": "Kuala Lumpur",
                    "country": "MY",
                }
            ],
            "contacts": [{"name": "Ali bin Abu", "email": "ali@kedai.example", "is_primary": True}],
        },
    ).value
    world["ids"][name], world["codes"][name] = created.id, created.code


@given("the host modules report the documents they hold and hear of deletions")
def host_modules(cm: CustomerMaster, world: dict[str, Any]) -> None:
    world["host"] = HostModules()
    cm.hooks.register(world["host"])


@given(parsers.parse('the {module} module holds {count:d} documents for "{name}"'))
def holds_documents(world: dict[str, Any], module: str, count: int, name: str) -> None:
    world["host"].documents[world["ids"][name]] = (module, count)


@given(parsers.parse('"{name}" owes invoice "{number}" of {amount} {currency}'))
def owes(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    name: str,
    number: str,
    amount: str,
    currency: str,
) -> None:
    value = Decimal(amount)
    item = OpenItem(
        number=number,
        customer_id=world["ids"][name],
        entity="MY01",
        kind="invoice",
        document_date=date(2026, 2, 1),
        due_date=date(2026, 3, 3),
        amount=value,
        balance=value,
        currency=currency,
    )
    cm.storage.receivables.add_item(admin.tenant, item)


@given(parsers.parse('"{user}" is a sales administrator'))
def sales_admin(world: dict[str, Any], admin: Actor, user: str) -> None:
    world["users"][user] = Actor(admin.tenant, user, {"sales_admin"})


@when(parsers.parse('"{user}" deletes "{name}" for good'))
def hard_delete(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, name: str) -> None:
    """The delete is submitted and, in its red lane (never lower, R-10.1), approved by an
    AR manager, a controller and the CFO; a refusal comes at submission."""
    try:
        result = cm.lifecycle.hard_delete(actor(world, admin, user), world["ids"][name])
        if result.change_request is not None:
            for approver, role in (("rudi", "ar_manager"), ("siti", "controller"), ("tan", "cfo")):
                cm.approvals.approve(Actor(admin.tenant, approver, {role}), result.change_request.id)
    except (BusinessRuleViolation, Forbidden) as error:
        world["error"] = error


@when(parsers.parse('"{user}" deactivates "{name}" instead'))
def deactivate(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, name: str) -> None:
    cm.customers.deactivate(actor(world, admin, user), world["ids"][name])


@then(parsers.parse('"{name}" can no longer be found by its id or its code'))
def gone(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    assert world["error"] is None, world["error"]
    for key in (world["ids"][name], world["codes"][name]):
        with pytest.raises(NotFound):
            cm.customers.lookup(admin, key)


@then("its address and contact are gone with it")
def related_gone(cm: CustomerMaster, admin: Actor) -> None:
    """Nothing of the customer is listed any more; the deletion record says what went."""
    assert cm.customers.search(admin, CustomerQuery(status="any")).items == ()
    (record,) = deletion_records(cm, admin.tenant)
    removed = record.changes
    assert [a["line1"] for a in removed["addresses"]["before"]] == ["12 Jalan Pasar"]
    assert [c["name"] for c in removed["contacts"]["before"]] == ["Ali bin Abu"]
    assert removed["addresses"]["after"] is None
    assert removed["contacts"]["after"] is None


@then(parsers.parse('the host modules heard that "{name}" was deleted'))
def heard(world: dict[str, Any], name: str) -> None:
    assert world["host"].deleted == [(world["ids"][name], world["codes"][name])]


@then("the host modules heard of no deletion")
def heard_nothing(world: dict[str, Any]) -> None:
    assert world["host"].deleted == []


@then(parsers.parse('the audit trail keeps a deletion record for "{name}" made by "{user}"'))
def deletion_audited(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, user: str) -> None:
    (record,) = deletion_records(cm, admin.tenant)
    assert record.customer_ids == (world["ids"][name],)
    assert record.actor == user
    assert record.changes["code"]["before"] == world["codes"][name]


@then("the audit trail has no deletion record")
def not_audited(cm: CustomerMaster, admin: Actor) -> None:
    assert deletion_records(cm, admin.tenant) == []


@then(parsers.parse("the delete is refused, naming the {module} module and its {count:d} documents"))
def refused_naming(world: dict[str, Any], module: str, count: int) -> None:
    error = world["error"]
    assert isinstance(error, BusinessRuleViolation)
    assert error.code == "has_transaction_history"
    assert f"module {module} ({count} document(s))" in str(error)


@then("the delete is refused because of open receivable items")
def refused_open_items(world: dict[str, Any]) -> None:
    error = world["error"]
    assert isinstance(error, BusinessRuleViolation)
    assert error.code == "has_transaction_history"
    assert "receivables (open items)" in str(error)


@then("the message says to deactivate the customer instead")
def says_deactivate(world: dict[str, Any]) -> None:
    assert "deactivate it instead" in str(world["error"])


@then("the delete is refused for want of the permission to delete customers")
def refused_permission(world: dict[str, Any]) -> None:
    assert isinstance(world["error"], Forbidden)
    assert "customer.delete" in str(world["error"])


@then(parsers.parse('"{name}" is still there with its address and contact'))
def still_there(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    found = cm.customers.get(admin, world["ids"][name])
    assert found.status == "active"
    assert [a.line1 for a in found.addresses] == ["12 Jalan Pasar"]
    assert [c.name for c in found.contacts] == ["Ali bin Abu"]


@then(parsers.parse('"{name}" is inactive and keeps its address and contact'))
def inactive_kept(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    found = cm.customers.get(admin, world["ids"][name])
    assert found.status == "inactive"
    assert [a.line1 for a in found.addresses] == ["12 Jalan Pasar"]
    assert [c.name for c in found.contacts] == ["Ali bin Abu"]
