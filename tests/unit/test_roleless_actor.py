"""Every façade method checks the actor's permission (R-12.2): an actor of the tenant
with no role at all is refused with ``Forbidden`` by every public service method that
reads or writes tenant data — found by walking the services, so a method added later
without a check (or without a line here) fails this test.

The data exists (customer, documents, a change request), so a refusal is never a
``NotFound`` in disguise."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from customer_master import Actor, CustomerMaster
from customer_master.domain.aging import AgingQuery
from customer_master.errors import Forbidden
from customer_master.services.statements import BatchFilter

NOBODY = Actor("acme", "nobody")
ADMIN = Actor("acme", "ana", {"admin"})

# Methods that take no actor: what they are instead of a tenant read or write.
NOT_AN_ACTOR_CALL = {
    "customers.apply_request": "applies an approved request inside the approval's checked transaction",
    "customers.check_change": "a step of update/import, inside their checked transaction",
    "customers.check_new": "a step of create/import, inside their checked transaction",
    "customers.store_change": "a step of update/import, inside their checked transaction",
    "customers.store_new": "a step of create/import, inside their checked transaction",
    "credit.apply_request": "applies an approved request inside the approval's checked transaction",
    "lifecycle.apply_request": "applies an approved request inside the approval's checked transaction",
    "imports.apply_request": "applies an approved request inside the approval's checked transaction",
    "approvals.register": "wiring of the façade: which service applies which operation",
    "access.authenticate": "turns a secret into an actor; there is no actor before it",
    "access.create_api_key": "host bootstrap (CLI `keys create`): the first key has no actor to check",
    "access.revoke_api_key": "host bootstrap (CLI `keys revoke`), as create_api_key",
    "configuration.permissions": "the actor's own permissions (an empty set for no role), no tenant data",
    "erasure.apply_request": "applies an approved request inside the approval's checked transaction",
}


@pytest.fixture(scope="module")
def world() -> tuple[CustomerMaster, dict[str, str]]:
    cm = CustomerMaster.from_url("memory://", load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    cm.configuration.set_approval_lane(ADMIN, "create", "green")
    customer = cm.customers.create(ADMIN, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"})
    other = cm.customers.create(ADMIN, {"name": "Kedai Abu", "kind": "individual", "legal_entity": "MY01"})
    cid, oid = customer.applied.id, other.applied.id
    day = date(2026, 3, 1)
    cm.receivables.add_invoice(
        ADMIN,
        cid,
        number="INV-1",
        entity="MY01",
        document_date=day,
        due_date=day,
        amount="100",
        currency="MYR",
    )
    cm.receivables.add_payment(
        ADMIN, cid, number="PAY-1", entity="MY01", document_date=day, amount="40", currency="MYR"
    )
    attachment = cm.attachments.attach(ADMIN, cid, "letter.pdf", b"%PDF-1.4\n%%EOF\n")
    request = cm.customers.update(ADMIN, cid, {"notes": "yellow lane"}, version=1).change_request
    assert request is not None
    return cm, {"customer": cid, "other": oid, "request": request.id, "attachment": attachment.id}


def calls(ids: dict[str, str]) -> dict[str, Callable[[Any], object]]:
    """One call per public method, as a role-less actor."""
    c, o, r, d = ids["customer"], ids["other"], ids["request"], date(2026, 3, 1)
    a = ids.get("attachment", "")
    batch = BatchFilter(entity="MY01")
    return {
        "customers.create": lambda s: s.create(
            NOBODY, {"name": "X", "kind": "individual", "legal_entity": "MY01"}
        ),
        "customers.check_create": lambda s: s.check_create(
            NOBODY, {"name": "X", "kind": "individual", "legal_entity": "MY01"}
        ),
        "customers.check_update": lambda s: s.check_update(NOBODY, c, {"notes": "x"}, version=1),
        "customers.clone": lambda s: s.clone(NOBODY, c),
        "customers.deactivate": lambda s: s.deactivate(NOBODY, c),
        "customers.disable_for_entity": lambda s: s.disable_for_entity(NOBODY, c, "MY01"),
        "customers.effective_view": lambda s: s.effective_view(NOBODY, c, "MY01"),
        "customers.enable_for_entity": lambda s: s.enable_for_entity(NOBODY, c, "MY01"),
        "customers.get": lambda s: s.get(NOBODY, c),
        "customers.lookup": lambda s: s.lookup(NOBODY, c),
        "customers.reactivate": lambda s: s.reactivate(NOBODY, c),
        "customers.search": lambda s: s.search(NOBODY),
        "customers.update": lambda s: s.update(NOBODY, c, {"notes": "x"}, version=1),
        "configuration.add_legal_entity": lambda s: s.add_legal_entity(NOBODY, {"code": "X1", "name": "X"}),
        "configuration.delete_payment_terms": lambda s: s.delete_payment_terms(NOBODY, "NET30"),
        "configuration.delete_price_list": lambda s: s.delete_price_list(NOBODY, "STD"),
        "configuration.get": lambda s: s.get(NOBODY),
        "configuration.save_payment_terms": lambda s: s.save_payment_terms(
            NOBODY, {"code": "N", "name": "N"}
        ),
        "configuration.save_price_list": lambda s: s.save_price_list(
            NOBODY, {"code": "STD", "name": "S", "currency": "MYR", "lines": []}
        ),
        "configuration.set_approval_lane": lambda s: s.set_approval_lane(NOBODY, "create", "green"),
        "configuration.set_approval_steps": lambda s: s.set_approval_steps(NOBODY, "yellow", ["controller"]),
        "configuration.set_classification": lambda s: s.set_classification(NOBODY, "region", ["north"]),
        "configuration.set_custom_field": lambda s: s.set_custom_field(NOBODY, {"name": "x", "type": "text"}),
        "configuration.set_dimension_type": lambda s: s.set_dimension_type(NOBODY, "project", ["p1"]),
        "configuration.set_role_permissions": lambda s: s.set_role_permissions(
            NOBODY, "viewer", ["customer.read"]
        ),
        "configuration.update_settings": lambda s: s.update_settings(NOBODY, {"use_last_price": True}),
        "credit.check": lambda s: s.check(NOBODY, c, entity="MY01", amount="10"),
        "credit.release_document": lambda s: s.release_document(NOBODY, c, document_ref="SO-1", reason="ok"),
        "credit.release_hold": lambda s: s.release_hold(NOBODY, c),
        "credit.set_hold": lambda s: s.set_hold(NOBODY, c, reason="late"),
        "terms.invoice_schedule": lambda s: s.invoice_schedule(
            NOBODY, c, entity="MY01", invoice_date=d, amount="10"
        ),
        "terms.schedule": lambda s: s.schedule(NOBODY, "NET30", invoice_date=d, amount="10", currency="MYR"),
        "pricing.record_invoiced_rate": lambda s: s.record_invoiced_rate(
            NOBODY, c, item_code="BOLT", unit_price="1.00", currency="MYR", invoiced_on=d
        ),
        "pricing.resolve": lambda s: s.resolve(NOBODY, c, entity="MY01", item_code="BOLT", quantity=1),
        "lifecycle.hard_delete": lambda s: s.hard_delete(NOBODY, c),
        "lifecycle.merge": lambda s: s.merge(NOBODY, o, c),
        "lifecycle.preview_hard_delete": lambda s: s.preview_hard_delete(NOBODY, c),
        "lifecycle.preview_merge": lambda s: s.preview_merge(NOBODY, o, c),
        "audit.add_note": lambda s: s.add_note(NOBODY, c, "hello"),
        "audit.notes": lambda s: s.notes(NOBODY, c),
        "audit.timeline": lambda s: s.timeline(NOBODY, c),
        "audit.trail": lambda s: s.trail(NOBODY),
        "audit.verify": lambda s: s.verify(NOBODY),
        "approvals.approve": lambda s: s.approve(NOBODY, r),
        "approvals.get": lambda s: s.get(NOBODY, r),
        "approvals.list": lambda s: s.list(NOBODY),
        "approvals.reject": lambda s: s.reject(NOBODY, r),
        "imports.run": lambda s: s.run(NOBODY, [{"name": "X", "kind": "individual", "legal_entity": "MY01"}]),
        "imports.submit": lambda s: s.submit(NOBODY, [{"name": "X"}], None, "sum"),
        "exports.export": lambda s: s.export(NOBODY),
        "receivables.add_credit_note": lambda s: s.add_credit_note(
            NOBODY, c, number="CN-9", entity="MY01", document_date=d, amount="1", currency="MYR"
        ),
        "receivables.add_invoice": lambda s: s.add_invoice(
            NOBODY, c, number="INV-9", entity="MY01", document_date=d, due_date=d, amount="1", currency="MYR"
        ),
        "receivables.add_open_order": lambda s: s.add_open_order(
            NOBODY, c, number="SO-9", entity="MY01", amount="1", currency="MYR"
        ),
        "receivables.add_payment": lambda s: s.add_payment(
            NOBODY, c, number="PAY-9", entity="MY01", document_date=d, amount="1", currency="MYR"
        ),
        "receivables.aging": lambda s: s.aging(NOBODY, AgingQuery(as_of=d)),
        "receivables.apply": lambda s: s.apply(
            NOBODY,
            entity="MY01",
            credit_kind="payment",
            credit_number="PAY-1",
            invoice_number="INV-1",
            amount="1",
        ),
        "receivables.customer_aging": lambda s: s.customer_aging(NOBODY, c),
        "receivables.open_items": lambda s: s.open_items(NOBODY, c),
        "receivables.reverse": lambda s: s.reverse(NOBODY, entity="MY01", kind="invoice", number="INV-1"),
        "statements.batch_customers": lambda s: s.batch_customers(NOBODY, batch, end=d),
        "statements.send": lambda s: s.send(NOBODY, c, entity="MY01", start=d, end=d),
        "statements.send_batch": lambda s: s.send_batch(NOBODY, batch, start=d, end=d),
        "statements.statement": lambda s: s.statement(NOBODY, c, entity="MY01", start=d, end=d),
        "erasure.erase": lambda s: s.erase(NOBODY, c),
        "attachments.attach": lambda s: s.attach(NOBODY, c, "other.pdf", b"%PDF-1.4\n%%EOF\n"),
        "attachments.list": lambda s: s.list(NOBODY, c),
        "attachments.download": lambda s: s.download(NOBODY, c, a),
        "attachments.remove": lambda s: s.remove(NOBODY, c, a),
    }


def public_methods(cm: CustomerMaster) -> dict[str, object]:
    services = {n: s for n, s in vars(cm).items() if n not in ("storage", "hooks", "context")}
    return {
        f"{name}.{method}": service
        for name, service in services.items()
        for method, _ in inspect.getmembers(service, inspect.ismethod)
        if not method.startswith("_")
    }


def test_an_actor_without_roles_may_do_nothing(world: tuple[CustomerMaster, dict[str, str]]) -> None:
    assert world[0].configuration.permissions(NOBODY) == frozenset()


def test_every_public_service_method_is_called_here_or_says_why_not(
    world: tuple[CustomerMaster, dict[str, str]],
) -> None:
    cm, ids = world
    found = set(public_methods(cm))
    listed = set(calls(ids)) | set(NOT_AN_ACTOR_CALL)
    assert found - listed == set(), "a new service method: add its role-less call to this test"
    assert listed - found == set(), "a method listed here is gone"


@pytest.mark.parametrize("method", sorted(calls({"customer": "", "other": "", "request": ""})))
def test_an_actor_without_roles_is_refused(world: tuple[CustomerMaster, dict[str, str]], method: str) -> None:
    cm, ids = world
    service = public_methods(cm)[method]
    before = cm.receivables.open_items(ADMIN, ids["customer"])

    with pytest.raises(Forbidden):
        calls(ids)[method](service)

    assert cm.receivables.open_items(ADMIN, ids["customer"]) == before  # nothing written
