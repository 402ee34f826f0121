"""Properties that hold for all input (hypothesis):

- an effective view never changes the master, and each of its fields comes from the
  entity's override when there is one and from the master otherwise (SPEC R-2.2, R-2.3);
- a rejected partial update changes nothing: the stored customer, the audit trail and
  the outbox are as they were (R-3.2, R-3.3, R-1.9);
- generated codes stay gapless whatever mix of accepted and refused creates (R-1.1).

Each example works in a tenant of its own on the shared façade, so the properties hold
on every storage the ``cm`` fixture is parametrised with.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_master import Actor, Conflict, CustomerMaster, FieldError, ValidationFailed, hookimpl
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import OVERRIDE_FIELDS, Address, Customer, EntityOverride
from customer_master.domain.effective import effective_view
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import to_data

ENTITIES = ("MY01", "SG01", "US01")
SHARED_FIXTURES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_tenants = itertools.count(1)


def fresh_tenant(cm: CustomerMaster) -> Actor:
    """A new tenant with three entities, payment terms NET30/NET60 and green lanes."""
    actor = Actor(f"prop-{next(_tenants)}", "ana", {"admin"})
    for code in ENTITIES:
        cm.configuration.add_legal_entity(actor, {"code": code, "name": f"Entity {code}"})
    for code in ("NET30", "NET60"):
        cm.configuration.save_payment_terms(actor, {
            "code": code, "name": code,
            "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}],
                       "discount": None}],
        })  # fmt: skip
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(actor, operation, "green")
    return actor


def what_is_stored(cm: CustomerMaster, actor: Actor) -> tuple[tuple[Customer, ...], int, int]:
    customers = cm.customers.search(actor, CustomerQuery(status="any", limit=1000)).items
    with cm.storage.unit_of_work() as uow:
        audit = len(uow.audit.for_tenant(actor.tenant))
        events = len([e for e in uow.outbox.pending(limit=100_000) if e.tenant == actor.tenant])
    return customers, audit, events


# ---------------------------------------------------------------------------
# The effective view never changes the master
# ---------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
names = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abc", min_size=1, max_size=12).map(str.strip).filter(bool)
)


@st.composite
def overrides(draw: st.DrawFn, entity: str) -> EntityOverride:
    return EntityOverride(
        entity=entity,
        credit_limit=draw(st.none() | amounts),
        payment_terms=draw(st.none() | st.sampled_from(["NET30", "NET60"])),
        currency=draw(st.none() | st.sampled_from(["MYR", "SGD", "USD"])),
        price_list=draw(st.none() | st.sampled_from(["STD", "VIP"])),
        salesperson=draw(st.none() | names),
        receivable_account=draw(st.none() | st.sampled_from(["1200", "1210"])),
    )


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    with_override = draw(st.lists(st.sampled_from(ENTITIES), unique=True))
    address_entities = draw(st.lists(st.sampled_from((None, *ENTITIES)), max_size=4))
    addresses = tuple(
        Address(id=f"a{i}", purposes=("billing",), line1="1 Jalan", city="KL", country="MY", entity=entity)
        for i, entity in enumerate(address_entities)
    )
    return Customer(
        id="c1", tenant="t", code="CUS-0001", name=draw(names), kind="company", legal_entity="MY01",
        credit_limit=draw(st.none() | amounts), payment_terms=draw(st.none() | st.just("NET30")),
        currency=draw(st.none() | st.just("MYR")), salesperson=draw(st.none() | names),
        addresses=addresses, overrides=tuple(draw(overrides(e)) for e in with_override),
        enabled_entities=frozenset(draw(st.lists(st.sampled_from(ENTITIES), unique=True))),
    )  # fmt: skip


@given(customers(), st.sampled_from(ENTITIES))
def test_an_effective_view_is_the_master_with_only_the_overrides_laid_over_it(
    customer: Customer, entity: str
) -> None:
    before = to_data(customer)
    view = effective_view(customer, entity)

    assert to_data(customer) == before
    override = customer.override_for(entity)
    for name in OVERRIDE_FIELDS:
        own = getattr(override, name) if override else None
        assert getattr(view.customer, name) == (own if own is not None else getattr(customer, name))
        assert (name in view.overridden) == (own is not None)
    untouched = set(before) - set(OVERRIDE_FIELDS) - {"addresses"}
    seen = to_data(view.customer)
    assert {k: seen[k] for k in untouched} == {k: before[k] for k in untouched}
    assert [a.id for a in view.customer.addresses] == [
        a.id for a in customer.addresses if a.entity in (None, entity)
    ]
    assert view.is_enabled == (entity == "MY01" or entity in customer.enabled_entities)


@SHARED_FIXTURES
@given(
    st.lists(st.sampled_from(ENTITIES[1:]), unique=True),
    st.none() | amounts.map(str),
    st.lists(st.sampled_from(ENTITIES), min_size=1, max_size=5),
)
def test_taking_effective_views_never_changes_what_is_stored(
    cm: CustomerMaster, overridden: list[str], limit: str | None, viewed: list[str]
) -> None:
    actor = fresh_tenant(cm)
    payload = {
        "name": "Acme Trading", "kind": "company", "legal_entity": "MY01", "email": "ap@acme.example",
        "credit_limit": limit, "payment_terms": "NET30",
        "overrides": [{"entity": e, "payment_terms": "NET60"} for e in overridden],
    }  # fmt: skip
    created = cm.customers.create(actor, payload).value
    assert created is not None
    before = what_is_stored(cm, actor)

    for entity in viewed:
        view = cm.customers.effective_view(actor, created.id, entity)
        assert view.customer.payment_terms == ("NET60" if entity in overridden else "NET30")
        assert view.customer.credit_limit == (Decimal(limit) if limit is not None else None)

    assert what_is_stored(cm, actor) == before
    assert [o.entity for o in cm.customers.get(actor, created.id).overrides] == overridden


# ---------------------------------------------------------------------------
# A rejected partial update changes nothing
# ---------------------------------------------------------------------------

BASE = {
    "name": "Acme Trading", "kind": "company", "legal_entity": "MY01", "email": "ap@acme.example",
    "salesperson": "Aminah",
    "addresses": [{"id": "hq", "purposes": ["billing"], "default_for": ["billing"], "line1": "1 Jalan Ampang",
                   "city": "Kuala Lumpur", "country": "MY"}],
    "contacts": [{"id": "siti", "name": "Siti Rahman", "is_primary": True}],
    "overrides": [{"entity": "SG01", "credit_limit": "20000"}],
}  # fmt: skip

VALID_CHANGES: list[dict[str, Any]] = [
    {"salesperson": "Badrul"},
    {"region": "APAC"},
    {"credit_limit": "75000.00"},
    {"phone": "+60 12-345 6789"},
    {"payment_terms": "NET60"},
    {
        "addresses": [
            {"action": "add", "purposes": ["shipping"], "line1": "Lot 5", "city": "Klang", "country": "MY"}
        ]
    },
    {"contacts": [{"action": "update", "id": "siti", "email": "siti@acme.example"}]},
    {"overrides": [{"action": "add", "entity": "US01", "salesperson": "Joe"}]},
    {"overrides": [{"action": "update", "entity": "SG01", "credit_limit": "25000"}]},
]

INVALID_CHANGES: list[dict[str, Any]] = [
    {"email": "not-an-address"},
    {"email": None},
    {"credit_limit": 1.5},
    {"currency": "RMB"},
    {"payment_terms": "NET99"},
    {"colour": "red"},
    {"code": "ACME"},
    {"addresses": [{"action": "update", "id": "nowhere", "city": "Ipoh"}]},
    {
        "addresses": [
            {
                "action": "add",
                "purposes": ["billing"],
                "default_for": ["billing"],
                "line1": "2 Jalan",
                "city": "Penang",
                "country": "MY",
            }
        ]
    },
    {"contacts": [{"action": "add", "name": "Wei Chen", "is_primary": True}]},
    {"contacts": [{"action": "delete", "id": "nobody"}]},
    {"overrides": [{"action": "add", "entity": "DE01"}]},
    {"overrides": [{"action": "add", "entity": "SG01"}]},
    {"tax_ids": [{"action": "add", "scheme": "eu.vat", "number": "NL123456789B01"}]},
]


def merged(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One change set from several parts; record actions of one kind are concatenated, a
    later value of a field replaces an earlier one."""
    changes: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, list) and isinstance(changes.get(key), list):
                changes[key] = changes[key] + value
            else:
                changes[key] = value
    return changes


@SHARED_FIXTURES
@given(
    st.lists(st.sampled_from(VALID_CHANGES), max_size=4),
    st.lists(st.sampled_from(INVALID_CHANGES), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_a_rejected_partial_update_changes_nothing(
    cm: CustomerMaster,
    valid: list[dict[str, Any]],
    invalid: list[dict[str, Any]],
    random: Any,
    after_a_change: bool,
) -> None:
    actor = fresh_tenant(cm)
    created = cm.customers.create(actor, BASE).value
    assert created is not None
    if after_a_change:
        cm.customers.update(actor, created.id, {"notes": "first call done"}, version=1)
    stored = cm.customers.get(actor, created.id)
    before = what_is_stored(cm, actor)
    random.shuffle(valid)
    random.shuffle(invalid)
    parts = valid + invalid  # an invalid value wins over a valid one for the same field

    with pytest.raises(ValidationFailed) as refused:
        cm.customers.update(actor, created.id, merged(parts), version=stored.version)

    assert refused.value.errors
    assert what_is_stored(cm, actor) == before
    assert cm.customers.get(actor, created.id) == stored


@SHARED_FIXTURES
@given(st.lists(st.sampled_from(VALID_CHANGES), min_size=1, max_size=4))
def test_an_update_from_an_old_version_changes_nothing(
    cm: CustomerMaster, valid: list[dict[str, Any]]
) -> None:
    actor = fresh_tenant(cm)
    created = cm.customers.create(actor, BASE).value
    assert created is not None
    cm.customers.update(actor, created.id, {"notes": "someone else was faster"}, version=1)
    before = what_is_stored(cm, actor)

    with pytest.raises(Conflict):
        cm.customers.update(actor, created.id, merged(valid), version=1)

    assert what_is_stored(cm, actor) == before


# ---------------------------------------------------------------------------
# Codes stay gapless
# ---------------------------------------------------------------------------


class RefusesByName:
    """A host check that refuses customers whose name starts with "Refused"."""

    @hookimpl
    def validate_customer(self, tenant: str, customer: Customer, operation: str) -> list[FieldError] | None:
        if customer.name.startswith("Refused"):
            return [FieldError("name", "refused_by_host", "the host refuses this customer")]
        return None


VALID_CREATES: list[dict[str, Any]] = [
    {"kind": "individual"},
    {"kind": "company", "email": "ap@acme.example"},
    {"kind": "company", "email": "ap@acme.example", "addresses": [
        {"purposes": ["billing"], "line1": "1 Jalan", "city": "KL", "country": "MY"}]},
]  # fmt: skip

INVALID_CREATES: list[dict[str, Any]] = [
    {"kind": "company"},
    {"kind": "individual", "credit_limit": 100.0},
    {"kind": "individual", "legal_entity": "DE01"},
    {"kind": "individual", "tax_ids": [{"scheme": "us.ein", "number": "12"}]},
    {"kind": "individual", "tax_ids": [{"scheme": "my.brn", "number": "TAKEN-1"}]},
    {"kind": "individual", "name": "Refused Trading"},
    {"kind": "individual", "code": "MINE-1"},
]


@SHARED_FIXTURES
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=3), st.booleans()), min_size=1, max_size=12))
def test_a_code_number_is_used_up_only_when_its_unit_of_work_commits(
    cm: CustomerMaster, plan: list[tuple[int, bool]]
) -> None:
    """The code sequence behind generated codes (the ``CodeSequence`` port): numbers drawn
    in a unit of work that rolls back are drawn again; committed ones never are."""
    tenant = f"seq-{next(_tenants)}"
    used: list[int] = []
    for draws, commits in plan:
        with cm.storage.unit_of_work() as uow:
            drawn = [uow.codes.next_value(tenant) for _ in range(draws)]
            if commits:
                uow.commit()
                used += drawn
        assert drawn[0] == len(used) - (draws if commits else 0) + 1
    assert used == list(range(1, len(used) + 1))


@pytest.fixture
def refusing_cm(cm: CustomerMaster) -> CustomerMaster:
    cm.hooks.register(RefusesByName())
    return cm


@SHARED_FIXTURES
@given(st.lists(st.tuples(st.booleans(), st.integers(min_value=0, max_value=20)), min_size=1, max_size=15))
def test_codes_stay_gapless_across_accepted_and_refused_creates(
    refusing_cm: CustomerMaster, plan: list[tuple[bool, int]]
) -> None:
    cm = refusing_cm
    actor = fresh_tenant(cm)
    holder = {"name": "Tax Holder", "kind": "individual", "legal_entity": "MY01",
              "tax_ids": [{"scheme": "my.brn", "number": "TAKEN-1"}]}  # fmt: skip
    codes = [cm.customers.create(actor, holder).value.code]  # type: ignore[union-attr]

    for accepted, pick in plan:
        choices = VALID_CREATES if accepted else INVALID_CREATES
        payload = {"name": f"Shop {len(codes)}", "legal_entity": "MY01", **choices[pick % len(choices)]}
        if accepted:
            created = cm.customers.create(actor, payload).value
            assert created is not None
            codes.append(created.code)
        else:
            with pytest.raises(ValidationFailed):
                cm.customers.create(actor, payload)

    assert codes == [f"CUS-{n:04d}" for n in range(1, len(codes) + 1)]
    stored = cm.customers.search(actor, CustomerQuery(status="any", limit=1000)).items
    assert [c.code for c in stored] == codes
