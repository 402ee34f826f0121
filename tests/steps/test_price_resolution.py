"""Steps for features/price_resolution.feature: which unit price a customer pays, and why.

Price lists are tenant configuration; pricing tiers and default price lists belong to
the customer (or to its override for one legal entity). Resolution goes through the
façade as a host's sales module would call it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.pricing import PriceResolution

scenarios("price_resolution.feature")

HOME_ENTITY = "US01"

# The price sources as the UI names them, in order of precedence.
SOURCES = {
    "pricing tier": "tier",
    "last sales invoice": "last_price",
    "default price list": "price_list",
    "standard price list": "standard",
}


def quantity(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def entity_code(text: str) -> str:
    found = re.search(r"\((\w+)\)", text)
    assert found, f"name the legal entity with its code in brackets: {text!r}"
    return found.group(1)


def source_of(text: str) -> str:
    """``the customer's pricing tier`` → ``tier``; ``price list "WHOLESALE"`` →
    ``price_list:WHOLESALE``; ``the standard price list "STD"`` → ``standard:STD``."""
    named = {"the customer's pricing tier": "tier", "the last sales invoice": "last_price"}
    if text in named:
        return named[text]
    found = re.fullmatch(r'(the standard )?price list "(\w+)"', text)
    assert found, f"unknown price source {text!r}"
    return f"{'standard' if found.group(1) else 'price_list'}:{found.group(2)}"


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    """What the scenario has done so far; asking for ``cm`` keeps the façade's storage
    parametrisation in every scenario's fixture closure."""
    return {"resolution": None}


def customer_id(world: dict[str, Any]) -> str:
    return str(world["customer_id"])


def update_customer(cm: CustomerMaster, admin: Actor, world: dict[str, Any], changes: dict[str, Any]) -> None:
    current = cm.customers.get(admin, customer_id(world))
    cm.customers.update(admin, current.id, changes, version=current.version)


def resolution(world: dict[str, Any]) -> PriceResolution:
    result = world["resolution"]
    assert isinstance(result, PriceResolution)
    return result


# ---------------------------------------------------------------------------
# Tenant configuration
# ---------------------------------------------------------------------------


@given(parsers.parse("today is {today}"))
def today_is(clock: FixedClock, today: str) -> None:
    clock.set(datetime.combine(date.fromisoformat(today), datetime.min.time(), tzinfo=UTC).replace(hour=9))


@given(parsers.parse('the {kind} "{code}" in {currency} reads:'))
def price_list(
    cm: CustomerMaster, admin: Actor, kind: str, code: str, currency: str, datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    columns = {name: index for index, name in enumerate(header)}
    lines = []
    for row in rows:
        line = {
            "item_code": row[columns["item"]],
            "unit_price": row[columns["unit price"]],
            "min_quantity": row[columns["from quantity"]],
        }
        for name, key in (("valid from", "valid_from"), ("valid to", "valid_to")):
            if row[columns[name]].strip():
                line[key] = row[columns[name]].strip()
        lines.append(line)
    cm.configuration.save_price_list(
        admin, {"code": code, "name": code.title(), "currency": currency, "lines": lines}
    )


@given(parsers.parse('the tenant\'s standard price list is "{code}"'))
def standard_list(cm: CustomerMaster, admin: Actor, code: str) -> None:
    cm.configuration.update_settings(admin, {"standard_price_list": code})


@given("the tenant has no standard price list")
def no_standard_list(cm: CustomerMaster, admin: Actor) -> None:
    cm.configuration.update_settings(admin, {"standard_price_list": None})


@given(parsers.re(r"the tenant (?P<setting>prices|does price|does not price) from the last sales invoice"))
def last_price_setting(cm: CustomerMaster, admin: Actor, setting: str) -> None:
    cm.configuration.update_settings(admin, {"use_last_price": setting != "does not price"})


# ---------------------------------------------------------------------------
# The customer
# ---------------------------------------------------------------------------


@given(parsers.parse('"{name}" is a customer of {entity}'))
def a_customer(tenant: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str) -> None:
    created = tenant.customers.create(
        admin,
        {
            "name": name,
            "kind": "company",
            "email": "buyer@globe.example",
            "legal_entity": entity_code(entity),
            "currency": "USD",
        },
    ).value
    world["customer_id"] = created.id


@given(parsers.parse("the customer is also enabled for {entity}"))
def enabled_for(cm: CustomerMaster, admin: Actor, world: dict[str, Any], entity: str) -> None:
    cm.customers.enable_for_entity(admin, customer_id(world), entity_code(entity))


@given(parsers.parse('the customer\'s default price list is "{code}"'))
def default_list(cm: CustomerMaster, admin: Actor, world: dict[str, Any], code: str) -> None:
    update_customer(cm, admin, world, {"price_list": code})


@given(parsers.parse('{entity} gives the customer the default price list "{code}"'))
def entity_default_list(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], entity: str, code: str
) -> None:
    override = {"action": "add", "entity": entity_code(entity), "price_list": code}
    update_customer(cm, admin, world, {"overrides": [override]})


TIER = (
    r"the customer pays (?P<price>[\d.]+) (?P<currency>[A-Z]{3}) for (?P<item>\w+) from (?P<low>[\d,]+)"
    r"(?: to (?P<high>[\d,]+))? pieces(?: up)?(?: between (?P<start>[\d-]+) and (?P<end>[\d-]+))?$"
)


@given(parsers.re(TIER))
def pricing_tier(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    price: str,
    currency: str,
    item: str,
    low: str,
    high: str | None,
    start: str | None,
    end: str | None,
) -> None:
    tier: dict[str, Any] = {
        "action": "add",
        "item_code": item,
        "unit_price": price,
        "currency": currency,
        "min_quantity": str(quantity(low)),
    }
    if high:
        tier["max_quantity"] = str(quantity(high))
    if start and end:
        tier.update(valid_from=start, valid_to=end)
    update_customer(cm, admin, world, {"pricing_tiers": [tier]})


@given(parsers.parse("the customer was last invoiced {item} at {price} {currency} on {invoiced_on}"))
def last_invoiced(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    item: str,
    price: str,
    currency: str,
    invoiced_on: str,
) -> None:
    cm.pricing.record_invoiced_rate(
        admin,
        customer_id(world),
        item_code=item,
        unit_price=Decimal(price),
        currency=currency,
        invoiced_on=date.fromisoformat(invoiced_on),
    )


# ---------------------------------------------------------------------------
# Resolving
# ---------------------------------------------------------------------------


def resolve(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    qty: str,
    item: str,
    on: date | None = None,
    entity: str = HOME_ENTITY,
) -> None:
    world["resolution"] = cm.pricing.resolve(
        admin, customer_id(world), entity=entity, item_code=item, quantity=quantity(qty), on=on
    )


@when(parsers.re(r"the price of (?P<qty>[\d,]+) (?P<item>\w+) is resolved$"))
def resolve_today(cm: CustomerMaster, admin: Actor, world: dict[str, Any], qty: str, item: str) -> None:
    resolve(cm, admin, world, qty, item)


@when(parsers.re(r"the price of (?P<qty>[\d,]+) (?P<item>\w+) on (?P<on>[\d-]+) is resolved$"))
def resolve_on(cm: CustomerMaster, admin: Actor, world: dict[str, Any], qty: str, item: str, on: str) -> None:
    resolve(cm, admin, world, qty, item, on=date.fromisoformat(on))


@when(parsers.re(r"the price of (?P<qty>[\d,]+) (?P<item>\w+) for (?P<entity>.+) is resolved$"))
def resolve_for(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], qty: str, item: str, entity: str
) -> None:
    resolve(cm, admin, world, qty, item, entity=entity_code(entity))


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------


@then(parsers.re(r"the price is (?P<price>[\d.]+) (?P<currency>[A-Z]{3}) from (?P<source>.+)$"))
def price_is(world: dict[str, Any], price: str, currency: str, source: str) -> None:
    found = resolution(world)
    assert (found.source, found.unit_price, found.currency) == (
        source_of(source),
        Decimal(price),
        currency,
    ), found


@then(parsers.parse("the price comes from {source}"))
def price_from(world: dict[str, Any], source: str) -> None:
    assert resolution(world).source == source_of(source), resolution(world)


@then("there is no price")
def no_price(world: dict[str, Any]) -> None:
    found = resolution(world)
    assert not found.is_found
    assert (found.source, found.unit_price, found.currency) == (None, None, None)


@then("no source was passed over")
def nothing_skipped(world: dict[str, Any]) -> None:
    assert resolution(world).skipped == ()


@then(parsers.parse("the sources passed over were: {sources}"))
def skipped_sources(world: dict[str, Any], sources: str) -> None:
    expected = tuple(SOURCES[name.strip()] for name in sources.split(","))
    assert tuple(s.source for s in resolution(world).skipped) == expected


@then(parsers.parse('the {source} was passed over: "{message}"'))
def skipped_because(world: dict[str, Any], source: str, message: str) -> None:
    reasons = {s.source: s.message for s in resolution(world).skipped}
    assert reasons.get(SOURCES[source]) == message, resolution(world).skipped
