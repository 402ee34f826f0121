"""Steps for features/merge.feature: folding a duplicate customer into the one that stays.

Customers are named in the scenarios ("Globe Trading"); the steps keep their ids. The
sales module is a host plugin that answers ``has_transaction_history`` and listens to
``customer_merged``, registered on the façade as a host would register it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

import customer_master
from customer_master import Actor, BusinessRuleViolation, CustomerMaster, HistoryAnswer, NotFound
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.services.customers import Lookup
from customer_master.services.lifecycle import MergeResult

scenarios("merge.feature")


class SalesModule:
    """A host module: it holds documents for some customers and hears of merges."""

    def __init__(self, cm: CustomerMaster, actor: Actor) -> None:
        self.cm, self.actor = cm, actor
        self.documents: dict[str, int] = {}
        self.merges: list[tuple[str, str, Customer]] = []

    @customer_master.hookimpl
    def has_transaction_history(self, tenant: str, customer_id: str) -> HistoryAnswer | None:
        count = self.documents.get(customer_id, 0)
        return HistoryAnswer(module="sales", count=count) if count else None

    @customer_master.hookimpl
    def customer_merged(self, event: Event, source: Customer, target: Customer) -> None:
        # What storage says at the moment the hook runs: the merge must be saved by now.
        self.merges.append((source.id, target.id, self.cm.customers.get(self.actor, source.id)))


def entity_code(text: str) -> str:
    found = re.search(r"\((\w+)\)", text)
    assert found, f"name the legal entity with its code in brackets: {text!r}"
    return found.group(1)


def listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    """Customers by name, the customers as first seen, and the last merge's outcome.
    Asking for ``cm`` keeps the storage parametrisation in every scenario's closure."""
    return {"ids": {}, "before": {}, "result": None, "error": None}


def cid(world: dict[str, Any], name: str) -> str:
    return str(world["ids"][name])


def customer(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> Customer:
    return cm.customers.get(admin, cid(world, name))


def update(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, changes: dict[str, Any]
) -> None:
    current = customer(cm, admin, world, name)
    cm.customers.update(admin, current.id, changes, version=current.version)


def merge_records(cm: CustomerMaster, tenant: str) -> list[Any]:
    with cm.storage.unit_of_work() as uow:
        return [record for record in uow.audit.for_tenant(tenant) if record.operation == "merge"]


# ---------------------------------------------------------------------------
# Customers and their records
# ---------------------------------------------------------------------------


@given(parsers.parse('"{name}" is a customer of {entity} in {currency}'))
def a_customer(
    tenant: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str, currency: str
) -> None:
    created = tenant.customers.create(
        admin,
        {
            "name": name,
            "kind": "company",
            "legal_entity": entity_code(entity),
            "email": "accounts@globe.example",
            "currency": currency,
        },
    ).value
    world["ids"][name] = created.id


@given("the sales module reports its documents and listens for merges")
def sales_module(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    world["sales"] = SalesModule(cm, admin)
    cm.hooks.register(world["sales"])


@given(parsers.parse('"{name}" has these addresses:'))
def addresses(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    actions = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        actions.append(
            {
                "action": "add",
                "line1": cells["street"],
                "city": cells["city"],
                "country": cells["country"],
                "purposes": listed(cells["purposes"]),
                "default_for": listed(cells["default for"]),
            }
        )
    update(cm, admin, world, name, {"addresses": actions})


@given(parsers.parse('"{name}" has primary contact "{person}" at "{email}"'))
def primary_contact(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, person: str, email: str
) -> None:
    contact = {"action": "add", "name": person, "email": email, "is_primary": True}
    update(cm, admin, world, name, {"contacts": [contact]})


@given(parsers.parse('"{name}" is tagged "{tag}"'))
def tagged(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, tag: str) -> None:
    update(cm, admin, world, name, {"tags": [tag]})


@given(parsers.parse('"{name}" pays {price} {currency} for {item}'))
def pricing_tier(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, price: str, currency: str, item: str
) -> None:
    tier = {"action": "add", "item_code": item, "unit_price": price, "currency": currency}
    update(cm, admin, world, name, {"pricing_tiers": [tier]})


@given(parsers.parse('"{name}" banks with "{bank}" under account "{account}"'))
def bank_account(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, bank: str, account: str
) -> None:
    update(
        cm,
        admin,
        world,
        name,
        {"bank_accounts": [{"action": "add", "bank_name": bank, "account_number": account}]},
    )


@given(parsers.parse('"{name}" has been deactivated'))
def deactivated(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    cm.customers.deactivate(admin, cid(world, name))


@given(parsers.parse('"{name}" owes invoice "{number}" of {amount} {currency} to {entity}'))
def owes_invoice(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    name: str,
    number: str,
    amount: str,
    currency: str,
    entity: str,
) -> None:
    value = Decimal(amount.replace(",", ""))
    item = OpenItem(
        number=number,
        customer_id=cid(world, name),
        entity=entity_code(entity),
        kind="invoice",
        document_date=date(2026, 2, 1),
        due_date=date(2026, 3, 31),
        amount=value,
        balance=value,
        currency=currency,
    )
    cm.storage.receivables.add_item(admin.tenant, item)


@given(
    parsers.parse('"{name}" has sales order "{number}" of {amount} {currency} not yet invoiced with {entity}')
)
def open_order(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    name: str,
    number: str,
    amount: str,
    currency: str,
    entity: str,
) -> None:
    order = OpenOrder(
        number=number,
        customer_id=cid(world, name),
        entity=entity_code(entity),
        amount=Decimal(amount.replace(",", "")),
        currency=currency,
    )
    cm.storage.receivables.add_order(admin.tenant, order)


@given(parsers.parse('another organisation has a customer "{name}"'))
def other_tenant_customer(cm: CustomerMaster, outsider: Actor, world: dict[str, Any], name: str) -> None:
    cm.configuration.add_legal_entity(outsider, {"code": "US01", "name": "Initrode Inc", "currency": "USD"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(outsider, operation, "green")
    created = cm.customers.create(
        outsider, {"name": name, "kind": "company", "legal_entity": "US01", "email": "ap@initech.example"}
    ).value
    world["ids"][name] = created.id


@given(parsers.parse('the tenant\'s merge policy is "{policy}"'))
def merge_policy(cm: CustomerMaster, admin: Actor, policy: str) -> None:
    cm.configuration.update_settings(admin, {"merge_policy": policy.replace(" ", "_")})


@given(parsers.parse('the sales module holds {count} documents for "{name}"'))
def holds_documents(world: dict[str, Any], count: str, name: str) -> None:
    world["sales"].documents[cid(world, name)] = 0 if count == "no" else int(count)


@given(parsers.parse('"{source}" was merged into "{target}"'))
def already_merged(cm: CustomerMaster, admin: Actor, world: dict[str, Any], source: str, target: str) -> None:
    cm.lifecycle.merge(admin, cid(world, source), cid(world, target))


# ---------------------------------------------------------------------------
# Merging and looking up
# ---------------------------------------------------------------------------


def run_merge(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], source_id: str, target_id: str
) -> None:
    for name, key in world["ids"].items():
        if key in (source_id, target_id) and name != "Initech":
            world["before"][name] = cm.customers.get(admin, key)
    try:
        world["result"] = cm.lifecycle.merge(admin, source_id, target_id)
    except (BusinessRuleViolation, NotFound) as error:
        world["error"] = error


@when(parsers.re(r'"(?P<source>[^"]+)" is merged into "(?P<target>[^"]+)"$'))
def merge(cm: CustomerMaster, admin: Actor, world: dict[str, Any], source: str, target: str) -> None:
    run_merge(cm, admin, world, cid(world, source), cid(world, target))


@when(parsers.parse('"{source}" is merged into the other organisation\'s "{target}"'))
def merge_across(cm: CustomerMaster, admin: Actor, world: dict[str, Any], source: str, target: str) -> None:
    run_merge(cm, admin, world, cid(world, source), cid(world, target))


@when(parsers.parse('someone looks up "{name}" by its {key}'))
def look_up(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, key: str) -> None:
    found = customer(cm, admin, world, name)
    keys = {"id": found.id, "code": found.code, "code in lower case": found.code.lower()}
    world["lookup"] = cm.customers.lookup(admin, keys[key])


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------


def merged(world: dict[str, Any]) -> MergeResult:
    assert world["error"] is None, f"the merge was refused: {world['error']}"
    assert isinstance(world["result"], MergeResult)
    return world["result"]


@then(parsers.re(r'"(?P<name>[^"]+)" has the addresses (?P<streets>.+)$'))
def has_addresses(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, streets: str) -> None:
    merged(world)
    expected = re.findall(r'"([^"]+)"', streets)
    assert sorted(a.line1 for a in customer(cm, admin, world, name).addresses) == sorted(expected)


@then(parsers.parse('the default {purpose} address of "{name}" is still "{street}"'))
def default_address(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], purpose: str, name: str, street: str
) -> None:
    defaults = [a.line1 for a in customer(cm, admin, world, name).addresses if purpose in a.default_for]
    assert defaults == [street]


@then(
    parsers.re(
        r'the contacts of "(?P<name>[^"]+)" are (?P<people>.+), '
        r'with "(?P<primary>[^"]+)" still the primary contact$'
    )
)
def contacts(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, people: str, primary: str
) -> None:
    merged(world)
    found = customer(cm, admin, world, name).contacts
    assert sorted(c.name for c in found) == sorted(re.findall(r'"([^"]+)"', people))
    assert [c.name for c in found if c.is_primary] == [primary]


@then(parsers.parse('"{name}" is tagged "{tag}"'))
def is_tagged(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, tag: str) -> None:
    assert tag in customer(cm, admin, world, name).tags


@then(parsers.parse('"{name}" pays {price} {currency} for {item}'))
def pays(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, price: str, currency: str, item: str
) -> None:
    tiers = customer(cm, admin, world, name).pricing_tiers
    assert [(t.item_code, t.unit_price, t.currency) for t in tiers] == [(item, Decimal(price), currency)]


@then(parsers.parse('"{name}" banks with "{bank}" under account "{account}"'))
def banks_with(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, bank: str, account: str
) -> None:
    accounts = customer(cm, admin, world, name).bank_accounts
    assert [(b.bank_name, b.account_number) for b in accounts] == [(bank, account)]


@then(parsers.parse('"{name}" may now be used by {entity}'))
def usable_by(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str) -> None:
    assert customer(cm, admin, world, name).is_enabled_for(entity_code(entity))


@then(parsers.parse('"{source}" is inactive and merged into "{target}"'))
def retired(cm: CustomerMaster, admin: Actor, world: dict[str, Any], source: str, target: str) -> None:
    merged(world)
    found = customer(cm, admin, world, source)
    assert (found.status, found.merged_into) == ("inactive", cid(world, target))


@then(
    parsers.parse(
        "the merge reports {addresses:d} duplicate address and {contacts:d} duplicate contact folded"
    )
)
def folded(world: dict[str, Any], addresses: int, contacts: int) -> None:
    assert merged(world).folded == {"addresses": addresses, "contacts": contacts}


@then(parsers.parse('they are led to "{target}", marked as a redirect from "{source}"'))
def redirected(world: dict[str, Any], target: str, source: str) -> None:
    found = world["lookup"]
    assert isinstance(found, Lookup)
    assert found.customer.id == cid(world, target)
    assert found.redirected_from is not None
    assert found.redirected_from.id == cid(world, source)


@then(parsers.re(r'the merge is refused: "(?P<message>[^"]+)"$'))
def refused(world: dict[str, Any], message: str) -> None:
    error = world["error"]
    assert isinstance(error, BusinessRuleViolation), world["result"]
    assert message in str(error)


@then("the merge is refused because that customer is not found")
def refused_not_found(world: dict[str, Any]) -> None:
    assert isinstance(world["error"], NotFound), world["result"]


@then(parsers.parse('nothing about "{name}" changed'))
def unchanged(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    assert world["error"] is not None
    assert customer(cm, admin, world, name) == world["before"][name]
    assert merge_records(cm, admin.tenant) == []


@then(parsers.parse('invoice "{number}" is still owed by "{name}"'))
@then(parsers.parse('invoice "{number}" is now owed by "{name}"'))
def invoice_owed_by(cm: CustomerMaster, admin: Actor, world: dict[str, Any], number: str, name: str) -> None:
    owners = {cid(world, n): n for n in world["ids"]}
    holders = [
        owners[c]
        for c in owners
        if any(i.number == number for i in cm.storage.receivables.items(admin.tenant, c))
    ]
    assert holders == [name]


@then(parsers.parse('sales order "{number}" is now for "{name}"'))
def order_for(cm: CustomerMaster, admin: Actor, world: dict[str, Any], number: str, name: str) -> None:
    position = cm.storage.receivables.position(admin.tenant, cid(world, name), "US01", "USD")
    assert position.open_orders == Decimal("200.00")
    for other in world["ids"]:
        if other != name:
            assert (
                cm.storage.receivables.position(admin.tenant, cid(world, other), "US01", "USD").open_orders
                == 0
            )


@then(parsers.parse('the sales module heard once that "{source}" was merged into "{target}"'))
def heard(world: dict[str, Any], source: str, target: str) -> None:
    assert [(s, t) for s, t, _ in world["sales"].merges] == [(cid(world, source), cid(world, target))]


@then("when the sales module heard, the merge was already saved")
def heard_after_commit(world: dict[str, Any]) -> None:
    ((_, target_id, stored_source),) = world["sales"].merges
    assert stored_source.merged_into == target_id


@then("the sales module heard of no merge")
def heard_nothing(world: dict[str, Any]) -> None:
    assert world["sales"].merges == []


@then(parsers.re(r"the merge (?P<result>goes ahead|is refused: .+)$"))
def merge_result(world: dict[str, Any], result: str) -> None:
    if result == "goes ahead":
        assert merged(world).source.merged_into == merged(world).target.id
    else:
        refused(world, result.split('"')[1])


@then("the audit trail holds exactly one merge record")
def one_record(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    merged(world)
    (world["record"],) = merge_records(cm, admin.tenant)


@then(parsers.parse('it names "{source}" and "{target}", and was made by "{user}"'))
def record_names(world: dict[str, Any], source: str, target: str, user: str) -> None:
    record = world["record"]
    assert set(record.customer_ids) == {cid(world, source), cid(world, target)}
    assert len(record.customer_ids) == 2
    assert record.actor == user


@then(parsers.parse('it records that "{source}" now points at "{target}"'))
def record_changes(world: dict[str, Any], source: str, target: str) -> None:
    change = world["record"].changes["source"]["merged_into"]
    assert change == {"before": None, "after": cid(world, target)}
