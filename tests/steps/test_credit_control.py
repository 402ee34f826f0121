"""Steps for features/credit_control.feature: credit checks in a credit controller's words.

The customer of every scenario is "the customer", created in the background for Acme Inc
(US01) in USD. Open invoices, credit notes and orders are fed to the receivables the
plugin keeps; checks go through the façade, as a host's sales module would call it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, BusinessRuleViolation, CustomerMaster, Forbidden
from customer_master.clock import FixedClock
from customer_master.domain.credit import CreditDecision
from customer_master.domain.receivables import OpenItem, OpenOrder

scenarios("credit_control.feature")

HOME_ENTITY = "US01"

# The SPEC's reason codes, as a credit controller says them.
REASONS = {
    "over the limit": "over_limit",
    "overdue": "overdue",
    "on credit hold": "credit_hold",
    "inactive": "inactive",
    "not enabled for the legal entity": "not_enabled_for_entity",
}

DOCUMENT_TYPES = {
    "sales order": "order",
    "invoice": "invoice",
    "quotation": "quotation",
    "delivery": "delivery",
}


def money(text: str) -> Decimal:
    """``"20,000.00"`` → ``Decimal("20000.00")``."""
    return Decimal(text.replace(",", ""))


def amount_in(text: str) -> tuple[Decimal, str]:
    """``"20,000.00 USD"`` → ``(Decimal("20000.00"), "USD")``."""
    value, currency = text.rsplit(" ", 1)
    return money(value), currency


def entity_code(text: str) -> str:
    """``"Acme Singapore (SG01)"`` → ``"SG01"``."""
    found = re.search(r"\((\w+)\)", text)
    assert found, f"name the legal entity with its code in brackets: {text!r}"
    return found.group(1)


def day(text: str) -> date:
    return date.fromisoformat(text)


class FixedRates:
    """An exchange-rate port that knows the rates a scenario gave it."""

    def __init__(self) -> None:
        self.rates: dict[tuple[str, str], Decimal] = {}

    def rate(self, from_currency: str, to_currency: str, on: date) -> Decimal | None:
        return self.rates.get((from_currency, to_currency))


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    """What the scenario has done so far. Asking for ``cm`` here puts the façade (and its
    parametrised storage) in every scenario's static fixture closure."""
    return {"users": {}, "decision": None, "error": None}


def customer_id(world: dict[str, Any]) -> str:
    return str(world["customer_id"])


def update_customer(cm: CustomerMaster, admin: Actor, world: dict[str, Any], changes: dict[str, Any]) -> None:
    current = cm.customers.get(admin, customer_id(world))
    cm.customers.update(admin, current.id, changes, version=current.version)


def add_invoice(
    cm: CustomerMaster,
    world: dict[str, Any],
    number: str,
    amount: Decimal,
    currency: str,
    dated: date,
    due: date,
    entity: str = HOME_ENTITY,
    balance: Decimal | None = None,
) -> None:
    item = OpenItem(
        number=number,
        customer_id=customer_id(world),
        entity=entity,
        kind="invoice",
        document_date=dated,
        due_date=due,
        amount=amount,
        balance=amount if balance is None else balance,
        currency=currency,
    )
    cm.storage.receivables.add_item(world["tenant"], item)


def decision(world: dict[str, Any]) -> CreditDecision:
    assert world["error"] is None, f"the check was refused: {world['error']}"
    result = world["decision"]
    assert isinstance(result, CreditDecision)
    return result


# ---------------------------------------------------------------------------
# Background
# ---------------------------------------------------------------------------


@given(parsers.parse("today is {today}"))
def today_is(clock: FixedClock, today: str) -> None:
    clock.set(datetime.combine(day(today), datetime.min.time(), tzinfo=UTC).replace(hour=9))


@given(parsers.parse('"{name}" is a customer of {entity} buying in {currency}'))
def a_customer(
    tenant: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str, currency: str
) -> None:
    created = tenant.customers.create(
        admin,
        {
            "name": name,
            "kind": "company",
            "email": "accounts@globe.example",
            "legal_entity": entity_code(entity),
            "currency": currency,
        },
    ).value
    world.update(customer_id=created.id, tenant=admin.tenant, currency=currency)


# ---------------------------------------------------------------------------
# The customer's account
# ---------------------------------------------------------------------------


@given(parsers.parse("the customer has a credit limit of {limit}"))
def credit_limit(cm: CustomerMaster, admin: Actor, world: dict[str, Any], limit: str) -> None:
    value = None if limit == "no limit" else str(amount_in(limit)[0])
    update_customer(cm, admin, world, {"credit_limit": value})


@given("the customer has no credit limit")
def no_credit_limit(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    update_customer(cm, admin, world, {"credit_limit": None})


@given(parsers.parse("the customer is also enabled for {entity}"))
def enabled_for(cm: CustomerMaster, admin: Actor, world: dict[str, Any], entity: str) -> None:
    cm.customers.enable_for_entity(admin, customer_id(world), entity_code(entity))


@given(parsers.parse("{entity} gives the customer a credit limit of {limit}"))
def entity_credit_limit(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], entity: str, limit: str
) -> None:
    override = {"action": "add", "entity": entity_code(entity), "credit_limit": str(amount_in(limit)[0])}
    update_customer(cm, admin, world, {"overrides": [override]})


@given(parsers.parse('the customer belongs to customer group "{group}"'))
def customer_group(cm: CustomerMaster, admin: Actor, world: dict[str, Any], group: str) -> None:
    update_customer(cm, admin, world, {"customer_group": group})


@given("the customer has been deactivated")
def deactivated(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    cm.customers.deactivate(admin, customer_id(world))


@given("the customer owes nothing")
def owes_nothing(cm: CustomerMaster, world: dict[str, Any]) -> None:
    position = cm.storage.receivables.position(world["tenant"], customer_id(world), HOME_ENTITY, "USD")
    assert position.receivables == 0
    assert position.open_orders == 0


@given(parsers.parse("the customer owes {amount} USD on open invoices not yet due"))
def owes_not_due(cm: CustomerMaster, world: dict[str, Any], clock: FixedClock, amount: str) -> None:
    today = clock.today()
    add_invoice(cm, world, "INV-OPEN", money(amount), "USD", today, today + timedelta(days=30))


@given(parsers.parse('the customer owes invoice "{number}" of {amount} due {due} to {entity}'))
def owes_invoice_to(
    cm: CustomerMaster, world: dict[str, Any], number: str, amount: str, due: str, entity: str
) -> None:
    value, currency = amount_in(amount)
    add_invoice(
        cm, world, number, value, currency, day(due) - timedelta(days=30), day(due), entity_code(entity)
    )


@given(
    parsers.re(
        r'the customer owes invoice "(?P<number>[^"]+)" of (?P<amount>[\d,.]+ [A-Z]{3}) due (?P<due>[\d-]+)$'
    )
)
def owes_invoice(cm: CustomerMaster, world: dict[str, Any], number: str, amount: str, due: str) -> None:
    value, currency = amount_in(amount)
    add_invoice(cm, world, number, value, currency, day(due) - timedelta(days=30), day(due))


@given(parsers.parse('the customer owes invoice "{number}" of {amount} dated {dated} on Net {days:d} terms'))
def owes_invoice_on_terms(
    cm: CustomerMaster, world: dict[str, Any], number: str, amount: str, dated: str, days: int
) -> None:
    value, currency = amount_in(amount)
    add_invoice(cm, world, number, value, currency, day(dated), day(dated) + timedelta(days=days))


@given(
    parsers.parse(
        'the customer has paid invoice "{number}" of {amount} dated {dated} on Net {days:d} terms in full'
    )
)
def paid_invoice(
    cm: CustomerMaster, world: dict[str, Any], number: str, amount: str, dated: str, days: int
) -> None:
    value, currency = amount_in(amount)
    add_invoice(
        cm, world, number, value, currency, day(dated), day(dated) + timedelta(days=days), balance=Decimal(0)
    )


@given(parsers.parse('the customer has an unapplied credit note "{number}" of {amount}'))
def unapplied_credit(
    cm: CustomerMaster, world: dict[str, Any], clock: FixedClock, number: str, amount: str
) -> None:
    value, currency = amount_in(amount)
    item = OpenItem(
        number=number,
        customer_id=customer_id(world),
        entity=HOME_ENTITY,
        kind="credit_note",
        document_date=clock.today(),
        due_date=None,
        amount=value,
        balance=value,
        currency=currency,
    )
    cm.storage.receivables.add_item(world["tenant"], item)


@given(parsers.parse('the customer has sales order "{number}" of {amount} not yet invoiced'))
def open_order(cm: CustomerMaster, world: dict[str, Any], number: str, amount: str) -> None:
    value, currency = amount_in(amount)
    order = OpenOrder(
        number=number, customer_id=customer_id(world), entity=HOME_ENTITY, amount=value, currency=currency
    )
    cm.storage.receivables.add_order(world["tenant"], order)


@given(parsers.parse("one {source} buys {rate} {target}"))
def exchange_rate(cm: CustomerMaster, source: str, rate: str, target: str) -> None:
    rates = FixedRates()
    rates.rates[(source, target)] = Decimal(rate)
    cm.context.exchange_rates = rates


# ---------------------------------------------------------------------------
# Tenant settings
# ---------------------------------------------------------------------------


@given(parsers.parse('the tenant\'s credit policy is "{policy}"'))
def credit_policy(cm: CustomerMaster, admin: Actor, policy: str) -> None:
    cm.configuration.update_settings(admin, {"credit_policy": policy})


@given(parsers.parse('customers in group "{group}" follow credit policy "{policy}"'))
def group_policy(cm: CustomerMaster, admin: Actor, group: str, policy: str) -> None:
    cm.configuration.update_settings(admin, {"credit_group_policies": {group: policy}})


@given(parsers.parse("the tenant allows {grace:d} grace days for overdue invoices"))
def grace_days(cm: CustomerMaster, admin: Actor, grace: int) -> None:
    cm.configuration.update_settings(admin, {"grace_days": grace})


@given("the tenant does not block customers for overdue invoices")
def no_overdue_block(cm: CustomerMaster, admin: Actor) -> None:
    cm.configuration.update_settings(admin, {"overdue_block": False})


# ---------------------------------------------------------------------------
# People, holds and releases
# ---------------------------------------------------------------------------


@given(parsers.parse('"{user}" is a credit controller allowed to override credit decisions'))
def credit_controller(world: dict[str, Any], admin: Actor, user: str) -> None:
    world["users"][user] = Actor(admin.tenant, user, {"controller"})


@given(parsers.parse('"{user}" is a sales administrator without credit override'))
def sales_admin(world: dict[str, Any], admin: Actor, user: str) -> None:
    world["users"][user] = Actor(admin.tenant, user, {"sales_admin"})


def actor_named(world: dict[str, Any], admin: Actor, user: str) -> Actor:
    return world["users"].get(user) or (
        admin if user == admin.user else Actor(admin.tenant, user, {"ar_manager"})
    )


@given(parsers.re(r'"(?P<user>[^"]+)" puts the customer on credit hold because "(?P<reason>[^"]+)"'))
def put_on_hold(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, reason: str) -> None:
    cm.credit.set_hold(actor_named(world, admin, user), customer_id(world), reason=reason)


@given(parsers.parse('"{user}" puts the customer\'s account with {entity} on credit hold because "{reason}"'))
def put_entity_on_hold(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, entity: str, reason: str
) -> None:
    cm.credit.set_hold(
        actor_named(world, admin, user), customer_id(world), reason=reason, entity=entity_code(entity)
    )


@when(parsers.parse('"{user}" lifts the credit hold'))
def lift_hold(cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str) -> None:
    cm.credit.release_hold(actor_named(world, admin, user), customer_id(world))


@when(parsers.parse('"{user}" releases sales order "{ref}" because "{reason}"'))
def release(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, ref: str, reason: str
) -> None:
    cm.credit.release_document(
        actor_named(world, admin, user), customer_id(world), document_ref=ref, reason=reason
    )


@when(parsers.parse('"{user}" tries to release sales order "{ref}" because "{reason}"'))
def try_release(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, ref: str, reason: str
) -> None:
    try:
        release(cm, admin, world, user, ref, reason)
    except Forbidden as error:
        world["error"] = error


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def run_check(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    document: str,
    amount: str,
    entity: str = HOME_ENTITY,
    ref: str | None = None,
) -> None:
    value, currency = amount_in(amount)
    world["decision"], world["error"] = None, None
    try:
        world["decision"] = cm.credit.check(
            admin,
            customer_id(world),
            entity=entity,
            amount=value,
            currency=currency,
            document_type=DOCUMENT_TYPES[document],
            document_ref=ref,
        )
    except BusinessRuleViolation as error:
        world["error"] = error


@when(
    parsers.re(
        r"an? (?P<document>sales order|invoice|quotation|delivery) of "
        r"(?P<amount>[\d,.]+ [A-Z]{3}) is checked$"
    )
)
def check(cm: CustomerMaster, admin: Actor, world: dict[str, Any], document: str, amount: str) -> None:
    run_check(cm, admin, world, document, amount)


@when(
    parsers.re(
        r"an? (?P<document>sales order|invoice) of (?P<amount>[\d,.]+ [A-Z]{3}) "
        r"is checked for (?P<entity>.+)$"
    )
)
def check_for(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], document: str, amount: str, entity: str
) -> None:
    run_check(cm, admin, world, document, amount, entity_code(entity))


@when(parsers.parse('sales order "{ref}" of {amount} is checked'))
def check_document(cm: CustomerMaster, admin: Actor, world: dict[str, Any], ref: str, amount: str) -> None:
    run_check(cm, admin, world, "sales order", amount, ref=ref)


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------


@then(parsers.re(r'the credit decision is "(?P<outcome>\w+)"$'))
def outcome_is(world: dict[str, Any], outcome: str) -> None:
    assert decision(world).outcome == outcome, decision(world)


@then(parsers.parse('the credit decision is "{outcome}" because the customer is {reason}'))
def outcome_because(world: dict[str, Any], outcome: str, reason: str) -> None:
    assert decision(world).outcome == outcome, decision(world)
    assert decision(world).reason_codes == (REASONS[reason],)


@then(parsers.parse("the reasons are: {reasons}"))
def reasons_are(world: dict[str, Any], reasons: str) -> None:
    expected = () if reasons == "none" else tuple(REASONS[r.strip()] for r in reasons.split(","))
    assert decision(world).reason_codes == expected, decision(world)


@then("the customer being over the limit is only a warning")
def over_limit_is_warning(world: dict[str, Any]) -> None:
    severities = {reason.code: reason.severity for reason in decision(world).reasons}
    assert severities["over_limit"] == "warning"


@then("the order passes the credit check")
def passes(world: dict[str, Any]) -> None:
    assert decision(world).outcome != "blocked", decision(world)


@then("the decision says the document was released")
def was_released(world: dict[str, Any]) -> None:
    assert decision(world).released


@then(
    parsers.parse(
        "the exposure is {receivables} USD on open invoices, {orders} USD on open orders "
        "and {document} USD for this document"
    )
)
def exposure_is(world: dict[str, Any], receivables: str, orders: str, document: str) -> None:
    exposure = decision(world).exposure
    assert (exposure.receivables, exposure.open_orders, exposure.document) == (
        money(receivables),
        money(orders),
        money(document),
    )


@then(parsers.parse("the exposure for this document is {amount}"))
def document_exposure(world: dict[str, Any], amount: str) -> None:
    value, currency = amount_in(amount)
    assert decision(world).exposure.document == value
    assert decision(world).currency == currency


@then(parsers.parse("the total exposure is {amount}"))
def total_exposure(world: dict[str, Any], amount: str) -> None:
    assert decision(world).exposure.total == amount_in(amount)[0]


@then(parsers.parse("{amount} of credit is available"))
def available(world: dict[str, Any], amount: str) -> None:
    value, currency = amount_in(amount)
    assert (decision(world).available, decision(world).currency) == (value, currency)


@then(parsers.parse("the available credit is {amount}"))
def available_credit(world: dict[str, Any], amount: str) -> None:
    if amount == "unlimited":
        assert decision(world).available is None
        assert decision(world).limit is None
    else:
        available(world, amount)


@then(parsers.parse("the limit shown is {amount}"))
def limit_shown(world: dict[str, Any], amount: str) -> None:
    value, currency = amount_in(amount)
    assert (decision(world).limit, decision(world).currency) == (value, currency)


@then(parsers.parse("the figures are in {currency}"))
def figures_currency(world: dict[str, Any], currency: str) -> None:
    assert decision(world).currency == currency


@then(parsers.parse('the policy applied is "{policy}"'))
def policy_applied(world: dict[str, Any], policy: str) -> None:
    assert decision(world).policy == policy


@then(parsers.parse('the explanation says "{message}"'))
def explanation(world: dict[str, Any], message: str) -> None:
    assert message in [reason.message for reason in decision(world).reasons], decision(world).reasons


@then(parsers.parse("the check is refused because there is no exchange rate from {source} to {target}"))
def refused_no_rate(world: dict[str, Any], source: str, target: str) -> None:
    error = world["error"]
    assert isinstance(error, BusinessRuleViolation), world["decision"]
    assert error.code == "currency_not_convertible"
    assert source in str(error)
    assert target in str(error)


@then(parsers.parse('the hold records the reason "{reason}", set by "{user}" on {on}'))
def hold_recorded(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], reason: str, user: str, on: str
) -> None:
    hold = cm.customers.get(admin, customer_id(world)).credit_hold
    assert hold is not None
    assert (hold.reason, hold.by, hold.at.date()) == (reason, user, day(on))


@then("the release is refused for want of the credit override permission")
def release_refused(world: dict[str, Any]) -> None:
    assert isinstance(world["error"], Forbidden)
    assert "credit_override" in str(world["error"])


@then(parsers.parse('the audit trail records that "{user}" released "{ref}" because "{reason}"'))
def release_audited(cm: CustomerMaster, world: dict[str, Any], user: str, ref: str, reason: str) -> None:
    with cm.storage.unit_of_work() as uow:
        records = [
            r
            for r in uow.audit.for_customer(world["tenant"], customer_id(world))
            if r.operation == "credit_release"
        ]
    assert len(records) == 1
    release = records[0].changes["credit_release"]["after"]
    assert (records[0].actor, release["document_ref"], release["reason"]) == (user, ref, reason)
