"""Steps for features/erasure.feature: the right to be forgotten (R-4.4), through the red
lane (R-10.1), on memory and SQLite. "Found nowhere in storage" reads every table (or
everything the memory storage holds) as text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import create_engine, inspect, text

import customer_master
from customer_master import Actor, CustomerMaster, NotFound, ValidationFailed
from customer_master.domain.approvals import OPERATIONS

scenarios("erasure.feature")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPROVERS = (("rudi", "ar_manager"), ("siti", "controller"), ("tan", "cfo"))


class HostModules:
    """Host modules that hear of erasures."""

    def __init__(self) -> None:
        self.erased: list[tuple[str, list[str]]] = []

    @customer_master.hookimpl
    def customer_erased(self, customer_id: str, fields: list[str]) -> None:
        self.erased.append((customer_id, fields))


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    return {"ids": {}, "error": None, "request": None}


WALK_IN = (
    '"{name}" is a walk-in customer of {entity} with e-mail "{email}", phone "{phone}" and street "{street}"'
)


@given(parsers.parse(WALK_IN))
def jane(
    tenant: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    name: str,
    entity: str,
    email: str,
    phone: str,
    street: str,
) -> None:
    payload = {
        "name": name,
        "kind": "individual",
        "legal_entity": entity.split("(")[1].rstrip(")"),
        "email": email,
        "phone": phone,
        "addresses": [{"purposes": ["billing"], "line1": street, "city": "Kuala Lumpur", "country": "MY"}],
    }
    world["ids"][name] = tenant.customers.create(admin, payload).applied.id


@given(parsers.parse('"{name}" holds tax id "{number}" and a credit limit of {amount} {currency}'))
def tax_id_and_limit(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, number: str,
                     amount: str, currency: str) -> None:  # fmt: skip
    customer = cm.customers.get(admin, world["ids"][name])
    changes = {
        "tax_ids": [{"action": "add", "scheme": "eu.vat", "number": number}],
        "credit_limit": amount.replace(",", ""),
        "currency": currency,
    }
    assert cm.customers.update(admin, customer.id, changes, version=customer.version).value is not None


@given(parsers.parse('a note on "{name}" says "{note}"'))
def a_note(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, note: str) -> None:
    cm.audit.add_note(admin, world["ids"][name], note)


@given(parsers.parse('the certificate "{document}" is attached to "{name}"'))
def a_document(cm: CustomerMaster, admin: Actor, world: dict[str, Any], document: str, name: str) -> None:
    world["document"] = cm.attachments.attach(admin, world["ids"][name], document, PDF)


@given("the host modules hear of erasures")
def host_modules(cm: CustomerMaster, world: dict[str, Any]) -> None:
    world["host"] = HostModules()
    cm.hooks.register(world["host"])


@when(parsers.parse('"{user}" asks to erase "{name}"'))
def ask_to_erase(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, name: str) -> None:
    world["request"] = cm.erasure.erase(admin, world["ids"][name]).change_request


@when("the AR manager, the controller and the CFO approve the erasure")
def approve(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    for user, role in APPROVERS:
        cm.approvals.approve(Actor(admin.tenant, user, {role}), world["request"].id)


@when(parsers.parse('an administrator of another tenant asks to erase "{name}"'))
def outsider_erases(cm: CustomerMaster, outsider: Actor, world: dict[str, Any], name: str) -> None:
    try:
        cm.erasure.erase(outsider, world["ids"][name])
    except NotFound as error:
        world["error"] = error


@when(parsers.parse('"{user}" routes {operation} to the {lane} lane'))
def route(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, operation: str, lane: str
) -> None:
    try:
        cm.configuration.set_approval_lane(admin, operation, lane)
    except ValidationFailed as error:
        world["error"] = error


@then(parsers.parse("the erasure waits for approval in the red lane, by AR manager, controller and CFO"))
def waits(world: dict[str, Any]) -> None:
    request = world["request"]
    assert (request.lane, request.steps) == ("red", ("ar_manager", "controller", "cfo"))


@then(parsers.parse('"{name}" still has e-mail "{email}"'))
def still_has(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, email: str) -> None:
    assert cm.customers.get(admin, world["ids"][name]).email == email


@then(parsers.parse('"{first}", "{second}" and "{third}" are found nowhere in storage'))
def nowhere(cm: CustomerMaster, storage_url: str, first: str, second: str, third: str) -> None:
    everything = _everything(cm, storage_url)
    assert [value for value in (first, second, third) if value in everything] == []


@then(parsers.parse('the customer keeps its code, tax id "{number}" and credit limit of {amount} {currency}'))
def kept(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], number: str, amount: str, currency: str
) -> None:
    (customer_id,) = world["ids"].values()
    customer = cm.customers.get(admin, customer_id)
    assert customer.code == "CUS-0001"
    assert [t.number for t in customer.tax_ids] == [number]
    assert (customer.credit_limit, customer.currency) == (Decimal(amount.replace(",", "")), currency)


@then(parsers.parse('the customer\'s name and street read "{placeholder}" and its city still reads "{city}"'))
def blanked(cm: CustomerMaster, admin: Actor, world: dict[str, Any], placeholder: str, city: str) -> None:
    (customer_id,) = world["ids"].values()
    customer = cm.customers.get(admin, customer_id)
    assert (customer.name, customer.addresses[0].line1, customer.addresses[0].city) == (
        placeholder,
        placeholder,
        city,
    )
    assert (customer.email, customer.phone) == (None, None)


@then(parsers.parse('the note on the customer reads "{text}"'))
def note_reads(cm: CustomerMaster, admin: Actor, world: dict[str, Any], text: str) -> None:
    (customer_id,) = world["ids"].values()
    assert [n.text for n in cm.audit.notes(admin, customer_id)] == [text]


@then("the customer has no documents")
def no_documents(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    (customer_id,) = world["ids"].values()
    assert cm.attachments.list(admin, customer_id) == []
    with pytest.raises(NotFound):
        cm.attachments.download(admin, customer_id, world["document"].id)


@then("the audit trail still verifies")
def verifies(cm: CustomerMaster, admin: Actor) -> None:
    report = cm.audit.verify(admin)
    assert report.is_intact, report


@then(
    parsers.parse(
        'the audit trail records the erasure by "{user}", naming the erased fields but no erased value'
    )
)
def erasure_recorded(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str) -> None:
    (customer_id,) = world["ids"].values()
    record = cm.audit.trail(admin, customer_id)[-1]
    assert (record.operation, record.actor) == ("erase", user)
    erasure = record.changes["erasure"]
    assert erasure["fields"] == ["addresses", "email", "name", "phone"]
    assert (erasure["notes"], erasure["attachments"]) == (1, 1)
    assert "jane" not in str(record.changes).lower()
    assert "ampang" not in str(record.changes).lower()


@then(parsers.parse('the host modules heard that "{name}" was erased'))
def heard(world: dict[str, Any], name: str) -> None:
    assert [customer_id for customer_id, _ in world["host"].erased] == [world["ids"][name]]


@then("the customer is not found")
def not_found(world: dict[str, Any]) -> None:
    assert isinstance(world["error"], NotFound)


@then(parsers.parse("the change of lane is refused, saying {operation} cannot be undone"))
def lane_refused(world: dict[str, Any], operation: str) -> None:
    error = world["error"]
    assert isinstance(error, ValidationFailed)
    assert [(e.path, e.code) for e in error.errors] == [("lane", "irreversible")]
    assert f"{operation} cannot be undone" in error.errors[0].message


@then(parsers.parse("{operation} still waits in the red lane"))
def still_red(cm: CustomerMaster, admin: Actor, operation: str) -> None:
    assert operation not in OPERATIONS
    assert cm.configuration.get(admin).settings.approvals.lane_for(operation) == "red"


def _everything(cm: CustomerMaster, url: str) -> str:
    if url.startswith("memory"):
        return repr(vars(cm.storage._state))  # type: ignore[attr-defined]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return "\n".join(
                repr(tuple(row))
                for table in tables
                for row in connection.execute(text(f"SELECT * FROM {table}"))
            )
    finally:
        engine.dispose()
