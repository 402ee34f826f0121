"""The rule services at their boundary (SPEC R-5, R-7, R-8, R-4.2, R-12): invalid input is
refused before any rule runs, and no tenant reaches another tenant's customers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from customer_master import (
    Actor,
    BusinessRuleViolation,
    CustomerMaster,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from customer_master.domain.approvals import OPERATIONS


def new_customer(cm: CustomerMaster, actor: Actor, **fields: Any) -> str:
    payload = {
        "name": "Globe Trading",
        "kind": "company",
        "email": "ap@globe.example",
        "legal_entity": "US01",
        "currency": "USD",
        **fields,
    }
    return cm.customers.create(actor, payload).value.id


@pytest.fixture
def customer_id(tenant: CustomerMaster, admin: Actor) -> str:
    return new_customer(tenant, admin, credit_limit="1000")


@pytest.fixture
def other_tenant(cm: CustomerMaster, outsider: Actor) -> CustomerMaster:
    """The outsider's tenant has the same entity codes, so only the customer id differs."""
    cm.configuration.add_legal_entity(outsider, {"code": "US01", "name": "Globex Inc", "currency": "USD"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(outsider, operation, "green")
    return cm


# --- credit checks: the input ------------------------------------------------------


def test_credit_check_refuses_a_float_amount(cm: CustomerMaster, admin: Actor, customer_id: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        cm.credit.check(admin, customer_id, entity="US01", amount=10.5)  # type: ignore[arg-type]
    assert [(e.path, e.code) for e in refused.value.errors] == [("amount", "not_a_decimal")]


def test_credit_check_for_an_unknown_legal_entity_is_not_found(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound) as missing:
        cm.credit.check(admin, customer_id, entity="XX99", amount=Decimal("1"))
    assert (missing.value.kind, missing.value.key) == ("legal entity", "XX99")


def test_credit_check_of_an_unknown_customer_is_not_found(tenant: CustomerMaster, admin: Actor) -> None:
    with pytest.raises(NotFound) as missing:
        tenant.credit.check(admin, "no-such-id", entity="US01", amount=Decimal("1"))
    assert missing.value.kind == "customer"


def test_credit_hold_needs_a_reason(cm: CustomerMaster, admin: Actor, customer_id: str) -> None:
    with pytest.raises(ValidationFailed):
        cm.credit.set_hold(admin, customer_id, reason="   ")
    assert cm.customers.get(admin, customer_id).credit_hold is None


def test_credit_hold_on_an_unknown_legal_entity_is_not_found(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound):
        cm.credit.set_hold(admin, customer_id, reason="Dispute", entity="XX99")


def test_credit_hold_needs_the_credit_hold_permission(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(Forbidden):
        cm.credit.set_hold(Actor(admin.tenant, "sam", {"sales_admin"}), customer_id, reason="Dispute")


def test_document_release_needs_a_reason(cm: CustomerMaster, admin: Actor, customer_id: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        cm.credit.release_document(admin, customer_id, document_ref="SO-1", reason=" ")
    assert [e.path for e in refused.value.errors] == ["reason"]


def test_a_release_for_one_entity_does_not_pass_another_entitys_document(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    cm.customers.enable_for_entity(admin, customer_id, "SG01")
    cm.credit.release_document(admin, customer_id, document_ref="SO-1", reason="Paid", entity="SG01")
    decision = cm.credit.check(admin, customer_id, entity="US01", amount=Decimal("5000"), document_ref="SO-1")
    assert decision.outcome == "blocked"
    assert not decision.released
    decision = cm.credit.check(
        admin, customer_id, entity="SG01", amount=Decimal("5000"), currency="USD", document_ref="SO-1"
    )
    assert decision.outcome == "warning"
    assert decision.released


# --- price resolution: the input ----------------------------------------------------


def test_price_resolution_refuses_a_float_quantity(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(ValidationFailed):
        cm.pricing.resolve(admin, customer_id, entity="US01", item_code="BOLT", quantity=2.0)  # type: ignore[arg-type]


def test_price_resolution_refuses_a_negative_quantity(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(ValidationFailed):
        cm.pricing.resolve(admin, customer_id, entity="US01", item_code="BOLT", quantity=Decimal("-1"))


def test_price_resolution_for_an_unknown_legal_entity_is_not_found(
    cm: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound) as missing:
        cm.pricing.resolve(admin, customer_id, entity="XX99", item_code="BOLT", quantity=Decimal("1"))
    assert (missing.value.kind, missing.value.key) == ("legal entity", "XX99")


def test_invoiced_rate_refuses_a_float_price(cm: CustomerMaster, admin: Actor, customer_id: str) -> None:
    with pytest.raises(ValidationFailed):
        cm.pricing.record_invoiced_rate(
            admin,
            customer_id,
            item_code="BOLT",
            unit_price=0.7,  # type: ignore[arg-type]
            currency="USD",
            invoiced_on=date(2026, 2, 1),
        )


# --- merge and hard delete: permissions --------------------------------------------


def test_merge_needs_the_merge_permission(tenant: CustomerMaster, admin: Actor) -> None:
    source, target = new_customer(tenant, admin, name="Globe A"), new_customer(tenant, admin, name="Globe B")
    with pytest.raises(Forbidden):
        tenant.lifecycle.merge(Actor(admin.tenant, "sam", {"sales_admin"}), source, target)
    assert tenant.customers.get(admin, source).merged_into is None


def test_merging_an_unknown_customer_is_not_found(
    tenant: CustomerMaster, admin: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound):
        tenant.lifecycle.merge(admin, "no-such-id", customer_id)


def test_hard_delete_of_an_unknown_customer_is_not_found(tenant: CustomerMaster, admin: Actor) -> None:
    with pytest.raises(NotFound):
        tenant.lifecycle.hard_delete(admin, "no-such-id")


def test_a_merged_away_customer_is_not_merged_again(tenant: CustomerMaster, admin: Actor) -> None:
    source, target = new_customer(tenant, admin, name="Globe A"), new_customer(tenant, admin, name="Globe B")
    tenant.lifecycle.merge(admin, source, target)
    with pytest.raises(BusinessRuleViolation) as refused:
        tenant.lifecycle.merge(admin, source, target)
    assert refused.value.code == "already_merged"


# --- tenant isolation (R-12) --------------------------------------------------------


def test_another_tenant_cannot_check_credit(
    other_tenant: CustomerMaster, outsider: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound) as missing:
        other_tenant.credit.check(outsider, customer_id, entity="US01", amount=Decimal("1"))
    assert missing.value.kind == "customer"


def test_another_tenant_cannot_put_a_customer_on_hold_or_release_a_document(
    other_tenant: CustomerMaster, admin: Actor, outsider: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound):
        other_tenant.credit.set_hold(outsider, customer_id, reason="Not ours")
    with pytest.raises(NotFound):
        other_tenant.credit.release_document(outsider, customer_id, document_ref="SO-1", reason="Not ours")
    found = other_tenant.customers.get(admin, customer_id)
    assert found.credit_hold is None
    assert found.credit_releases == ()


def test_another_tenant_cannot_resolve_a_price(
    other_tenant: CustomerMaster, outsider: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound) as missing:
        other_tenant.pricing.resolve(
            outsider, customer_id, entity="US01", item_code="BOLT", quantity=Decimal("1")
        )
    assert missing.value.kind == "customer"


def test_another_tenant_cannot_record_an_invoiced_rate(
    other_tenant: CustomerMaster, outsider: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound):
        other_tenant.pricing.record_invoiced_rate(
            outsider,
            customer_id,
            item_code="BOLT",
            unit_price=Decimal("0.01"),
            currency="USD",
            invoiced_on=date(2026, 2, 1),
        )


def test_another_tenant_cannot_merge_our_customers(
    tenant: CustomerMaster, other_tenant: CustomerMaster, admin: Actor, outsider: Actor
) -> None:
    ours = new_customer(other_tenant, admin, name="Globe A")
    theirs = new_customer(other_tenant, outsider, name="Globex Duplicate")
    for source, target in ((ours, theirs), (theirs, ours)):
        with pytest.raises(NotFound):
            other_tenant.lifecycle.merge(outsider, source, target)
        with pytest.raises(NotFound):
            other_tenant.lifecycle.merge(admin, source, target)
    assert other_tenant.customers.get(admin, ours).merged_into is None
    assert other_tenant.customers.get(outsider, theirs).merged_into is None


def test_another_tenant_cannot_delete_our_customer(
    other_tenant: CustomerMaster, admin: Actor, outsider: Actor, customer_id: str
) -> None:
    with pytest.raises(NotFound):
        other_tenant.lifecycle.hard_delete(outsider, customer_id)
    assert other_tenant.customers.get(admin, customer_id).id == customer_id


# --- credit checks: open items in another currency ------------------------------------


class SgdToUsd:
    def rate(self, from_currency: str, to_currency: str, on: date) -> Decimal | None:
        return Decimal("0.75") if (from_currency, to_currency) == ("SGD", "USD") else None


def test_open_items_in_another_currency_are_converted_with_the_facades_rates(
    storage_url: str, clock: Any, admin: Actor
) -> None:
    from customer_master.domain.receivables import OpenItem

    cm = CustomerMaster.from_url(storage_url, clock=clock, exchange_rates=SgdToUsd(), load_entry_points=False)
    cm.configuration.add_legal_entity(admin, {"code": "US01", "name": "Acme Inc", "currency": "USD"})
    cm.configuration.set_approval_lane(admin, "create", "green")
    customer = new_customer(cm, admin, credit_limit="1000")
    cm.storage.receivables.add_item(
        admin.tenant,
        OpenItem(
            number="INV-9",
            customer_id=customer,
            entity="US01",
            kind="invoice",
            document_date=date(2026, 3, 1),
            due_date=date(2026, 3, 31),
            amount=Decimal("400"),
            balance=Decimal("400"),
            currency="SGD",
        ),
    )

    decision = cm.credit.check(admin, customer, entity="US01", amount=Decimal("701"))

    assert decision.exposure.receivables == Decimal("300.00")
    assert (decision.outcome, decision.reason_codes) == ("blocked", ("over_limit",))
