"""Clone (SPEC R-3.5): a create drafted from an existing customer, routed like any create."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customer_master import Actor, CustomerMaster, ValidationFailed
from customer_master.domain.customer import Customer

ADMIN = Actor("acme", "ana", frozenset({"admin"}))


@pytest.fixture
def cm() -> CustomerMaster:
    master = CustomerMaster.from_url("memory://", load_entry_points=False)
    for code in ("MY01", "SG01"):
        master.configuration.add_legal_entity(ADMIN, {"code": code, "name": code})
    master.configuration.set_classification(ADMIN, "region", ["Central", "North"])
    master.configuration.set_approval_lane(ADMIN, "create", "green")
    return master


def _source(cm: CustomerMaster) -> Customer:
    payload = {
        "name": "Kedai Ali Sdn Bhd",
        "kind": "company",
        "legal_entity": "MY01",
        "email": "ap@kedai-ali.my",
        "region": "Central",
        "tags": ["pos", "key"],
        "currency": "MYR",
        "tax_ids": [{"scheme": "my.brn", "number": "201901000005"}],
        "external_refs": [{"system": "crm", "ref": "001"}],
        "bank_accounts": [{"bank_name": "Maybank", "account_number": "5140123456"}],
        "notes": "pays late in December",
        "addresses": [{"purposes": ["billing"], "line1": "1 Jalan Ampang", "city": "KL", "country": "MY"}],
        "contacts": [{"name": "Siti", "email": "siti@kedai-ali.my", "is_primary": True}],
        "overrides": [{"entity": "SG01", "credit_limit": "5000", "currency": "SGD"}],
        "enabled_entities": ["SG01"],
    }
    return cm.customers.create(ADMIN, payload).applied


def test_clone_copies_what_is_shared_and_never_what_identifies_the_source(cm: CustomerMaster) -> None:
    source = _source(cm)
    clone = cm.customers.clone(ADMIN, source.id, {"name": "Kedai Ali Two", "email": "ap@two.my"}).applied
    assert clone.code != source.code
    assert clone.id != source.id
    assert (clone.region, clone.tags, clone.currency) == ("Central", ("pos", "key"), "MYR")
    assert clone.enabled_entities == frozenset({"SG01"})
    assert clone.overrides[0].credit_limit == Decimal("5000")
    assert clone.tax_ids == ()
    assert clone.external_refs == ()
    assert clone.bank_accounts == ()
    assert clone.notes is None
    assert clone.addresses == ()
    assert clone.contacts == ()


def test_clone_takes_addresses_and_contacts_when_asked_as_new_records(cm: CustomerMaster) -> None:
    source = _source(cm)
    changes = {"name": "Kedai Ali Two", "email": "ap@two.my"}
    clone = cm.customers.clone(ADMIN, source.id, changes, with_addresses=True, with_contacts=True).applied
    assert [a.line1 for a in clone.addresses] == ["1 Jalan Ampang"]
    assert clone.addresses[0].id != source.addresses[0].id
    assert [c.name for c in clone.contacts] == ["Siti"]


def test_a_clone_is_validated_like_any_create(cm: CustomerMaster) -> None:
    source = _source(cm)
    with pytest.raises(ValidationFailed) as refused:
        cm.customers.clone(ADMIN, source.id, {"name": " ", "region": "Nowhere"})
    paths = {e.path for e in refused.value.errors}
    assert {"name", "region"} <= paths


def test_a_clone_waits_for_approval_and_its_audit_names_the_source(cm: CustomerMaster) -> None:
    source = _source(cm)
    cm.configuration.set_approval_lane(ADMIN, "create", "yellow")
    outcome = cm.customers.clone(ADMIN, source.id, {"name": "Kedai Ali Three", "email": "c@three.my"})
    assert outcome.is_pending
    assert outcome.change_request is not None
    request_id = outcome.change_request.id
    cm.approvals.approve(Actor("acme", "bob", frozenset({"ar_manager"})), request_id)
    cm.approvals.approve(Actor("acme", "cy", frozenset({"controller"})), request_id)
    clone = cm.customers.lookup(ADMIN, "CUS-0002").customer
    assert clone.name == "Kedai Ali Three"
    (created,) = [r for r in cm.audit.trail(ADMIN, clone.id) if r.operation == "create"]
    assert created.changes["cloned_from"]["after"] == {"id": source.id, "code": source.code}
    summaries = [e.summary for e in cm.audit.timeline(ADMIN, clone.id)]
    assert "created the customer as a clone of CUS-0001" in summaries
    assert cm.audit.verify(ADMIN).is_intact
