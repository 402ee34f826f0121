"""Steps for features/rule_inputs.feature (SPEC R-7.2 as amended, R-7.3), on memory and
SQLite: invoiced rates are recorded through the pricing service as a host reports them,
or answered by a host's own last-price port plugged into the façade."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from attrs import define
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster
from customer_master.domain.pricing import LastPrice, PriceResolution
from customer_master.errors import BusinessRuleViolation, ValidationFailed

pytestmark = pytest.mark.usefixtures("cm")

scenarios("rule_inputs.feature")

SETTING = {"unset": None, "on": True, "off": False}


@define
class Asked:
    customer_id: str = ""
    resolution: PriceResolution | None = None
    refused: Exception | None = None


@pytest.fixture
def asked() -> Asked:
    return Asked()


class HostLastPrices:
    """A host's last-price port: one rate per item, from its own invoices."""

    def __init__(self, item: str, price: LastPrice) -> None:
        self.item, self.price = item, price

    def last_prices(
        self, tenant: str, customer_id: str, item_code: str, *, on: date, currency: str
    ) -> Sequence[LastPrice]:
        found = item_code == self.item and self.price.invoiced_on <= on
        return [self.price] if found else []


@given(
    parsers.parse('"{name}" buys in USD from Acme Inc (US01), and last-price pricing is on for the tenant')
)
def customer(tenant: CustomerMaster, admin: Actor, asked: Asked, name: str) -> None:
    payload = {"name": name, "kind": "company", "legal_entity": "US01", "currency": "USD",
               "email": "ap@globe.example"}  # fmt: skip
    asked.customer_id = tenant.customers.create(admin, payload).applied.id
    tenant.configuration.update_settings(admin, {"use_last_price": True})


@given(parsers.parse('the customer was invoiced item "{item}" at these rates:'))
def invoiced(cm: CustomerMaster, admin: Actor, asked: Asked, item: str, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        cm.pricing.record_invoiced_rate(
            admin, asked.customer_id, item_code=item, unit_price=cells["unit price"],
            currency=cells["currency"], invoiced_on=date.fromisoformat(cells["invoiced on"]),
        )  # fmt: skip


@given(
    parsers.parse("the customer's own last-price setting is {customer} and its US01 override's is {override}")
)
def settings(cm: CustomerMaster, admin: Actor, asked: Asked, customer: str, override: str) -> None:
    current = cm.customers.get(admin, asked.customer_id)
    changes: dict[str, Any] = {"use_last_price": SETTING[customer]}
    if SETTING[override] is not None:
        changes["overrides"] = [{"action": "add", "entity": "US01", "use_last_price": SETTING[override]}]
    cm.customers.update(admin, current.id, changes, version=current.version)
    stored = cm.customers.get(admin, asked.customer_id)
    assert stored.use_last_price is SETTING[customer]
    assert (stored.override_for("US01").use_last_price if stored.override_for("US01") else None) is SETTING[
        override
    ]


@given(parsers.parse('the host answers last prices itself: "{item}" last invoiced at {price} USD on {on}'))
def host_port(cm: CustomerMaster, item: str, price: str, on: str) -> None:
    rate = LastPrice(unit_price=Decimal(price), currency="USD", invoiced_on=date.fromisoformat(on))
    cm.context.last_prices = HostLastPrices(item, rate)


def price(
    cm: CustomerMaster, admin: Actor, asked: Asked, quantity: object, on: str, currency: str = "USD"
) -> None:
    try:
        asked.resolution = cm.pricing.resolve(
            admin, asked.customer_id, entity="US01", item_code="BOLT", quantity=quantity,
            on=date.fromisoformat(on), currency=currency,
        )  # fmt: skip
    except (ValidationFailed, BusinessRuleViolation) as refused:
        asked.refused = refused


@when(parsers.parse('item "BOLT" is priced for a {currency} document dated {on}'))
def priced(cm: CustomerMaster, admin: Actor, asked: Asked, currency: str, on: str) -> None:
    price(cm, admin, asked, Decimal("10"), on, currency)


QUANTITY = (
    r'item "BOLT" is priced for the (?P<kind>integer|decimal string|Decimal|float) "?(?P<value>[\d.]+)"? '
)


@when(parsers.re(QUANTITY + r"on (?P<on>[\d-]+)"))
def priced_quantity(cm: CustomerMaster, admin: Actor, asked: Asked, kind: str, value: str, on: str) -> None:
    quantity = {"integer": int, "decimal string": str, "Decimal": Decimal, "float": float}[kind](value)
    price(cm, admin, asked, quantity, on)


@when(parsers.parse("{question} is asked for Acme Singapore (SG01)"))
def asked_for_other_entity(cm: CustomerMaster, admin: Actor, asked: Asked, question: str) -> None:
    try:
        if question.startswith("the price"):
            cm.pricing.resolve(admin, asked.customer_id, entity="SG01", item_code="BOLT", quantity=1)
        else:
            cm.terms.invoice_schedule(
                admin, asked.customer_id, entity="SG01", invoice_date=date(2026, 3, 31), amount="100.00"
            )
    except BusinessRuleViolation as refused:
        asked.refused = refused


@then(parsers.parse("the price is {amount} USD from the last sales invoice"))
def price_is(asked: Asked, amount: str) -> None:
    assert asked.refused is None
    assert asked.resolution is not None
    assert (asked.resolution.source, asked.resolution.unit_price, asked.resolution.currency) == (
        "last_price", Decimal(amount), "USD",
    )  # fmt: skip


@then(parsers.parse('the explanation says "{message}"'))
def explanation(asked: Asked, message: str) -> None:
    assert asked.resolution is not None
    assert [s.message for s in asked.resolution.skipped if s.source == "last_price"] == [message]


@then("no price is found")
def no_price(asked: Asked) -> None:
    assert asked.resolution is not None
    assert not asked.resolution.is_found


@then("the explanation names the invoices in USD and EUR as passed over")
def passed_over(asked: Asked) -> None:
    assert asked.resolution is not None
    named = [s.message for s in asked.resolution.skipped if s.code == "last_price_other_currency"]
    assert [m.split(" is in ")[1][:3] for m in named] == ["USD", "EUR", "USD", "USD"]  # newest first


@then(parsers.parse("the price comes from {source}"))
def comes_from(asked: Asked, source: str) -> None:
    assert asked.resolution is not None
    assert asked.resolution.source == {"the last sales invoice": "last_price", "nowhere": None}[source]


@then(parsers.parse('it is refused with "{code}"'))
def refused_with(asked: Asked, code: str) -> None:
    assert isinstance(asked.refused, BusinessRuleViolation)
    assert asked.refused.code == code


@then(parsers.parse('the quantity is refused: "{message}"'))
def quantity_refused(asked: Asked, message: str) -> None:
    assert isinstance(asked.refused, ValidationFailed)
    assert [(e.path, e.message) for e in asked.refused.errors] == [("quantity", message)]
