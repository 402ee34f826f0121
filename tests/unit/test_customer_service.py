"""Edge cases of the customer service: codes, tenancy, partial updates, entity
enablement, reads and lists (SPEC R-1 to R-4.1, R-12.1, R-14.1)."""

from __future__ import annotations

from typing import Any

import pytest

from customer_master import Actor, Conflict, CustomerMaster, NotFound, ValidationFailed
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery


def walk_in(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "kind": "individual", "legal_entity": "MY01", **more}


def company(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "kind": "company", "legal_entity": "MY01", "email": "ap@acme.example", **more}


def errors_of(call: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return [(e.path, e.code) for e in refused.value.errors]


def audit_count(cm: CustomerMaster, actor: Actor) -> int:
    with cm.storage.unit_of_work() as uow:
        return len(uow.audit.for_tenant(actor.tenant))


def create(cm: CustomerMaster, actor: Actor, payload: dict[str, Any]) -> Customer:
    created = cm.customers.create(actor, payload).value
    assert created is not None, "the create waits for approval"
    return created


@pytest.fixture
def other_tenant(tenant: CustomerMaster, outsider: Actor) -> CustomerMaster:
    """A second tenant with one legal entity whose changes apply at once."""
    tenant.configuration.add_legal_entity(outsider, {"code": "MY01", "name": "Globex Malaysia"})
    for operation in OPERATIONS:
        tenant.configuration.set_approval_lane(outsider, operation, "green")
    return tenant


# ---------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------


def test_generated_codes_skip_a_code_already_typed_in_and_never_reuse_it(
    tenant: CustomerMaster, admin: Actor
) -> None:
    tenant.configuration.update_settings(admin, {"auto_generate_code": False})
    create(tenant, admin, walk_in("Kedai Ali", code="cus-0002"))
    tenant.configuration.update_settings(admin, {"auto_generate_code": True})

    codes = [create(tenant, admin, walk_in(f"Kedai {n}")).code for n in range(3)]

    assert codes == ["CUS-0001", "CUS-0003", "CUS-0004"]


def test_a_missing_code_is_required_when_the_tenant_does_not_generate_codes(
    tenant: CustomerMaster, admin: Actor
) -> None:
    tenant.configuration.update_settings(admin, {"auto_generate_code": False})
    assert errors_of(lambda: tenant.customers.create(admin, walk_in("Kedai Ali"))) == [("code", "required")]


def test_each_tenant_numbers_its_own_customers(
    other_tenant: CustomerMaster, admin: Actor, outsider: Actor
) -> None:
    tenant = other_tenant
    create(tenant, admin, walk_in("Kedai Ali"))
    create(tenant, admin, walk_in("Kedai Bala"))
    assert create(tenant, outsider, walk_in("Kedai Chong")).code == "CUS-0001"


# ---------------------------------------------------------------------------
# Tenancy
# ---------------------------------------------------------------------------


def test_another_tenant_cannot_read_change_or_find_a_customer(
    tenant: CustomerMaster, admin: Actor, outsider: Actor
) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))

    with pytest.raises(NotFound):
        tenant.customers.get(outsider, created.id)
    with pytest.raises(NotFound):
        tenant.customers.lookup(outsider, "CUS-0001")
    with pytest.raises(NotFound):
        tenant.customers.update(outsider, created.id, {"name": "Stolen"}, version=1)
    with pytest.raises(NotFound):
        tenant.customers.deactivate(outsider, created.id)
    assert tenant.customers.search(outsider, CustomerQuery(status="any")).items == ()
    assert tenant.customers.get(admin, created.id) == created


def test_tax_ids_and_external_references_are_unique_per_tenant_only(
    other_tenant: CustomerMaster, admin: Actor, outsider: Actor
) -> None:
    tenant = other_tenant
    keys = {
        "tax_ids": [{"scheme": "eu.vat", "number": "NL004495445B01"}],
        "external_refs": [{"system": "salesforce", "ref": "0015g00000XyZ"}],
    }
    create(tenant, admin, company("Acme Trading", **keys))
    assert create(tenant, outsider, company("Acme Trading", **keys)).code == "CUS-0001"


def test_a_customer_may_hold_one_reference_per_system_and_a_tax_id_once(
    tenant: CustomerMaster, admin: Actor
) -> None:
    payload = company(
        "Acme Trading",
        external_refs=[{"system": "salesforce", "ref": "A1"}, {"system": "SALESFORCE", "ref": "A2"}],
        tax_ids=[{"scheme": "my.brn", "number": "123-x"}, {"scheme": "my.brn", "number": "123-X"}],
    )
    assert errors_of(lambda: tenant.customers.create(admin, payload)) == [
        ("tax_ids", "duplicate"),
        ("external_refs", "duplicate"),
    ]


# ---------------------------------------------------------------------------
# Create: unknown fields, entities and overrides
# ---------------------------------------------------------------------------


def test_unknown_fields_are_reported_instead_of_ignored(tenant: CustomerMaster, admin: Actor) -> None:
    address = {"purposes": ["billing"], "line1": "1 Jalan", "city": "KL", "country": "MY", "floor": 3}
    payload = walk_in("Kedai Ali", colour="red", addresses=[address])
    assert errors_of(lambda: tenant.customers.create(admin, payload)) == [
        ("colour", "unknown_field"),
        ("addresses[0].floor", "unknown_field"),
    ]


def test_enabled_entities_and_override_entities_must_exist_once(tenant: CustomerMaster, admin: Actor) -> None:
    payload = walk_in(
        "Kedai Ali",
        enabled_entities=["SG01", "DE01"],
        overrides=[{"entity": "SG01", "salesperson": "A"}, {"entity": "SG01", "salesperson": "B"}],
    )
    assert sorted(errors_of(lambda: tenant.customers.create(admin, payload))) == [
        ("enabled_entities[1]", "unknown_entity"),
        ("overrides[1]", "duplicate"),
    ]


def test_a_contact_may_name_one_of_the_customers_sites(tenant: CustomerMaster, admin: Actor) -> None:
    site = {"id": "site-klang", "purposes": ["site"], "line1": "Lot 5", "city": "Klang", "country": "MY"}
    created = create(
        tenant,
        admin,
        walk_in("Kedai Ali", addresses=[site], contacts=[{"name": "Ah Kow", "site_id": "site-klang"}]),
    )
    assert created.contacts[0].site_id == created.addresses[0].id == "site-klang"

    unknown_site = walk_in("Kedai Bala", contacts=[{"name": "Ah Kow", "site_id": "nowhere"}])
    assert errors_of(lambda: tenant.customers.create(admin, unknown_site)) == [
        ("contacts[0].site_id", "unknown_reference")
    ]


def test_a_national_phone_number_without_any_country_asks_for_the_country_code(
    tenant: CustomerMaster, admin: Actor
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tenant.customers.create(admin, walk_in("Kedai Ali", phone="012-345 6789"))
    (error,) = refused.value.errors
    assert (error.path, error.code) == ("phone", "invalid")
    assert "+country code" in error.message


def test_create_writes_one_audit_record_with_the_whole_customer(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali", salesperson="Aminah"))
    with tenant.storage.unit_of_work() as uow:
        (record,) = uow.audit.for_customer(admin.tenant, created.id)
    assert (record.operation, record.actor, record.customer_ids) == ("create", "ana", (created.id,))
    assert record.changes["salesperson"] == {"before": None, "after": "Aminah"}
    assert record.changes["code"] == {"before": None, "after": "CUS-0001"}


# ---------------------------------------------------------------------------
# Partial update
# ---------------------------------------------------------------------------


def test_an_update_that_changes_nothing_keeps_the_version_and_writes_no_audit(
    tenant: CustomerMaster, admin: Actor
) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali", salesperson="Aminah"))
    records = audit_count(tenant, admin)
    outcome = tenant.customers.update(admin, created.id, {"salesperson": " Aminah "}, version=1)
    assert outcome.value == created
    assert audit_count(tenant, admin) == records


def test_an_unknown_customer_cannot_be_updated(tenant: CustomerMaster, admin: Actor) -> None:
    with pytest.raises(NotFound):
        tenant.customers.update(admin, "no-such-id", {"name": "X"}, version=1)


def test_a_record_added_with_an_id_is_refused(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    action = {"action": "add", "id": "mine", "name": "Ah Kow"}
    errors = errors_of(lambda: tenant.customers.update(admin, created.id, {"contacts": [action]}, version=1))
    assert errors == [("contacts[0].id", "read_only")]


def test_every_record_action_needs_a_known_action_and_a_delete_takes_only_the_id(
    tenant: CustomerMaster, admin: Actor
) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali", contacts=[{"name": "Ah Kow"}]))
    contact_id = created.contacts[0].id
    actions = [
        {"name": "Ah Seng"},
        {"action": "replace", "id": contact_id},
        {"action": "delete", "id": contact_id, "name": "Ah Kow"},
    ]
    errors = errors_of(lambda: tenant.customers.update(admin, created.id, {"contacts": actions}, version=1))
    assert errors == [
        ("contacts[0].action", "required"),
        ("contacts[1].action", "not_allowed"),
        ("contacts[2].action", "invalid"),
    ]
    assert tenant.customers.get(admin, created.id) == created


def test_an_updated_record_keeps_its_id_and_is_checked_again(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali", contacts=[{"name": "Ah Kow"}]))
    contact_id = created.contacts[0].id
    bad = {"action": "update", "id": contact_id, "email": "ah-kow"}
    assert errors_of(lambda: tenant.customers.update(admin, created.id, {"contacts": [bad]}, version=1)) == [
        ("contacts[0].email", "invalid")
    ]
    good = {"action": "update", "id": contact_id, "email": "ah.kow@example.com"}
    changed = tenant.customers.update(admin, created.id, {"contacts": [good]}, version=1).value
    assert [(c.id, c.name, c.email) for c in changed.contacts] == [
        (contact_id, "Ah Kow", "ah.kow@example.com")
    ]


def test_an_override_is_added_once_per_entity(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali", overrides=[{"entity": "SG01", "salesperson": "A"}]))
    again = {"action": "add", "entity": "SG01", "salesperson": "B"}
    assert errors_of(
        lambda: tenant.customers.update(admin, created.id, {"overrides": [again]}, version=1)
    ) == [("overrides[0].entity", "duplicate")]


def test_the_stored_version_is_one_more_than_the_version_the_caller_read(
    tenant: CustomerMaster, admin: Actor
) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    first = tenant.customers.update(admin, created.id, {"salesperson": "A"}, version=1).value
    second = tenant.customers.update(admin, created.id, {"salesperson": "B"}, version=2).value
    assert (first.version, second.version) == (2, 3)
    with pytest.raises(Conflict, match="version 3, not 2"):
        tenant.customers.update(admin, created.id, {"salesperson": "C"}, version=2)


def test_an_updated_customer_keeps_its_creation_time_and_code(
    tenant: CustomerMaster, admin: Actor, clock: Any
) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    clock.advance(days=1)
    changed = tenant.customers.update(admin, created.id, {"name": "Kedai Ali Baru"}, version=1).value
    assert (changed.code, changed.created_at) == (created.code, created.created_at)
    assert changed.updated_at == clock.now()


# ---------------------------------------------------------------------------
# Status and entities
# ---------------------------------------------------------------------------


def test_reactivating_an_active_customer_changes_nothing(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    records = audit_count(tenant, admin)
    assert tenant.customers.reactivate(admin, created.id).value == created
    assert audit_count(tenant, admin) == records


def test_enabling_twice_for_the_same_entity_changes_nothing(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    once = tenant.customers.enable_for_entity(admin, created.id, "SG01")
    twice = tenant.customers.enable_for_entity(admin, created.id, "SG01")
    assert once == twice
    assert once.version == 2
    assert once.enabled_entities == frozenset({"SG01"})


def test_the_effective_view_of_an_unknown_entity_is_not_found(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    with pytest.raises(NotFound, match="DE01"):
        tenant.customers.effective_view(admin, created.id, "DE01")


# ---------------------------------------------------------------------------
# Reads and lists
# ---------------------------------------------------------------------------


def test_a_customer_is_found_by_id_or_by_code_in_any_case(tenant: CustomerMaster, admin: Actor) -> None:
    created = create(tenant, admin, walk_in("Kedai Ali"))
    assert tenant.customers.lookup(admin, created.id).customer == created
    assert tenant.customers.lookup(admin, "cus-0001").customer == created
    assert tenant.customers.lookup(admin, "cus-0001").redirected_from is None


def test_the_list_pages_by_code_without_repeating_or_skipping(tenant: CustomerMaster, admin: Actor) -> None:
    for n in range(5):
        create(tenant, admin, walk_in(f"Kedai {n}"))
    first = tenant.customers.search(admin, CustomerQuery(limit=2))
    second = tenant.customers.search(admin, CustomerQuery(limit=2, after=first.next_cursor))
    third = tenant.customers.search(admin, CustomerQuery(limit=2, after=second.next_cursor))
    pages = [[c.code for c in page.items] for page in (first, second, third)]
    assert pages == [["CUS-0001", "CUS-0002"], ["CUS-0003", "CUS-0004"], ["CUS-0005"]]
    assert third.next_cursor is None


def test_the_list_finds_names_ignoring_case_and_accents(tenant: CustomerMaster, admin: Actor) -> None:
    create(tenant, admin, company("Société Générale Malaysia"))
    create(tenant, admin, company("Generali Insurance"))
    found = tenant.customers.search(admin, CustomerQuery(name="GENER", sort="name"))
    assert [c.name for c in found.items] == ["Generali Insurance", "Société Générale Malaysia"]
    assert [c.name for c in tenant.customers.search(admin, CustomerQuery(name="societe")).items] == [
        "Société Générale Malaysia"
    ]


def test_the_list_filters_by_entity_the_customer_is_enabled_for(tenant: CustomerMaster, admin: Actor) -> None:
    mine = create(tenant, admin, walk_in("Kedai Ali"))
    create(tenant, admin, walk_in("Kedai Bala"))
    tenant.customers.enable_for_entity(admin, mine.id, "SG01")
    assert [c.name for c in tenant.customers.search(admin, CustomerQuery(entity="SG01")).items] == [
        "Kedai Ali"
    ]


def test_a_search_with_an_unknown_name_match_is_refused_naming_the_field(
    tenant: CustomerMaster, admin: Actor
) -> None:
    create(tenant, admin, walk_in("Acme Trading"))
    loose = CustomerQuery(name="acme", name_match="loose")  # type: ignore[arg-type]
    assert errors_of(lambda: tenant.customers.search(admin, loose)) == [("name_match", "not_allowed")]
    assert errors_of(lambda: tenant.exports.export(admin, loose)) == [("name_match", "not_allowed")]
    fuzzy = CustomerQuery(name="acme trdaing", name_match="fuzzy")
    assert [c.name for c in tenant.customers.search(admin, fuzzy).items] == ["Acme Trading"]
