"""Steps for features/receivables_feed.feature: a host feeds invoices, credit notes,
payments and open orders per customer and legal entity, and the credit check reads them
(SPEC R-13.1).

The customer of every scenario is "the customer", made in the background. Documents go
to the receivables the plugin keeps, as a host module in the same process would send
them, or over the HTTP API as a host in another process would.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from attrs import define
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.credit import CreditDecision
from customer_master.domain.receivables import ItemKind, OpenItem, OpenOrder
from customer_master_http import create_app

pytestmark = pytest.mark.usefixtures("cm")

scenarios("receivables_feed.feature")

# The host's documents, as the receivables keep them.
KINDS: dict[str, ItemKind] = {"invoice": "invoice", "credit note": "credit_note", "payment": "payment"}
WORDS = {kind: words for words, kind in KINDS.items()}
PATHS = {
    "invoice": "invoices",
    "credit note": "credit-notes",
    "payment": "payments",
    "sales order": "open-orders",
}
# Dates of a document fed in one line: dated a month ago, due tomorrow (not overdue).
DATED, DUE = date(2026, 2, 1), date(2026, 3, 3)


@define
class Account:
    """The customer of the scenario and the last credit decision."""

    customer_id: str = ""
    tenant: str = ""
    decision: CreditDecision | None = None


@pytest.fixture
def account() -> Account:
    return Account()


def money(text: str) -> Decimal:
    """ "8,000.00 USD" or "8,000.00" → Decimal("8000.00")."""
    return Decimal(text.removesuffix(" USD").replace(",", ""))


def entity_code(text: str) -> str:
    """ "Acme Singapore (SG01)" → "SG01"."""
    found = re.search(r"\((\w+)\)", text)
    assert found, f"name the legal entity with its code in brackets: {text!r}"
    return found.group(1)


def feed(
    cm: CustomerMaster, account: Account, document: str, number: str, entity: str, **figures: Any
) -> None:
    """Send one document to the receivables the plugin keeps."""
    receivables = cm.storage.receivables
    if document == "sales order":
        order = OpenOrder(
            number=number,
            customer_id=account.customer_id,
            entity=entity,
            amount=figures["amount"],
            currency="USD",
        )
        receivables.add_order(account.tenant, order)
        return
    kind = KINDS[document]
    item = OpenItem(
        number=number,
        customer_id=account.customer_id,
        entity=entity,
        kind=kind,
        document_date=figures.get("dated", DATED),
        due_date=figures.get("due", DUE if kind == "invoice" else None),
        amount=figures["amount"],
        balance=figures.get("balance", figures["amount"]),
        currency="USD",
    )
    receivables.add_item(account.tenant, item)


# ---------------------------------------------------------------------------
# Background
# ---------------------------------------------------------------------------


@given(parsers.parse("today is {today}"))
def today_is(clock: FixedClock, today: str) -> None:
    clock.set(datetime.combine(date.fromisoformat(today), datetime.min.time(), tzinfo=UTC).replace(hour=9))


@given(parsers.parse('"{name}" buys in USD from {home} and {other}'))
def customer_of_two_entities(
    tenant: CustomerMaster, admin: Actor, account: Account, name: str, home: str, other: str
) -> None:
    payload = {
        "name": name, "kind": "company", "email": "accounts@globe.example",
        "legal_entity": entity_code(home), "currency": "USD",
    }  # fmt: skip
    created = tenant.customers.create(admin, payload).value
    assert created is not None
    tenant.customers.enable_for_entity(admin, created.id, entity_code(other))
    account.customer_id, account.tenant = created.id, admin.tenant


@given(parsers.parse("the customer has a credit limit of {limit}"))
def credit_limit(cm: CustomerMaster, admin: Actor, account: Account, limit: str) -> None:
    current = cm.customers.get(admin, account.customer_id)
    cm.customers.update(admin, current.id, {"credit_limit": str(money(limit))}, version=current.version)


# ---------------------------------------------------------------------------
# The host feeds documents
# ---------------------------------------------------------------------------


@when("the host feeds these documents for the customer:")
def feeds_table(cm: CustomerMaster, account: Account, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        feed(
            cm, account, cells["document"], cells["number"], cells["entity"],
            dated=date.fromisoformat(cells["date"]),
            due=date.fromisoformat(cells["due date"]) if cells["due date"] else None,
            amount=money(cells["amount"]), balance=money(cells["balance"]),
        )  # fmt: skip


@given(
    parsers.re(
        r'the host fed (?P<document>invoice|credit note|payment|sales order) "(?P<number>[^"]+)" '
        r"of (?P<amount>[\d,.]+) USD for (?P<entity>.+)$"
    )
)
def fed(cm: CustomerMaster, account: Account, document: str, number: str, amount: str, entity: str) -> None:
    feed(cm, account, document, number, entity_code(entity), amount=money(amount))


@when(
    parsers.re(
        r'the host sends (?P<document>invoice|credit note|payment|sales order) "(?P<number>[^"]+)" again '
        r"with an? (?P<figure>balance|amount) of (?P<value>[\d,.]+) USD$"
    )
)
def sent_again(
    cm: CustomerMaster, account: Account, document: str, number: str, figure: str, value: str
) -> None:
    """The same document (same entity, kind and number) with a new balance or amount."""
    figures = {"amount": Decimal("8000.00"), figure: money(value)}
    feed(cm, account, document, number, "US01", **figures)


@when(parsers.parse("the host posts these documents over the HTTP API for {entity}:"))
def posts_over_api(
    cm: CustomerMaster, admin: Actor, account: Account, entity: str, datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        figures = {"number": cells["number"], "entity": entity_code(entity), "amount": cells["amount"]}
        post(cm, admin, account, cells["document"], figures)


@when(
    parsers.parse('the host posts invoice "{number}" again over the HTTP API with a balance of {balance} USD')
)
def posts_again(cm: CustomerMaster, admin: Actor, account: Account, number: str, balance: str) -> None:
    post(
        cm,
        admin,
        account,
        "invoice",
        {"number": number, "entity": "US01", "amount": "9,000.00", "balance": balance},
    )


def post(cm: CustomerMaster, admin: Actor, account: Account, document: str, figures: dict[str, str]) -> None:
    body: dict[str, Any] = {
        "number": figures["number"], "entity": figures["entity"], "currency": "USD",
        "amount": str(money(figures["amount"])),
    }  # fmt: skip
    if document != "sales order":
        body["document_date"] = DATED.isoformat()
    if document == "invoice":
        body["due_date"] = DUE.isoformat()
    if "balance" in figures:
        body["balance"] = str(money(figures["balance"]))
    secret, _ = cm.access.create_api_key(admin.tenant, "sales-module", ("admin",))
    response = (
        create_app(cm)
        .test_client()
        .post(f"/customers/{account.customer_id}/{PATHS[document]}", json=body, headers={"X-API-Key": secret})
    )
    assert response.status_code == 201, response.get_data(as_text=True)


# ---------------------------------------------------------------------------
# Checks and what is kept
# ---------------------------------------------------------------------------


@when(parsers.parse("a sales order of {amount} USD is checked for {entity}"))
def checked(cm: CustomerMaster, admin: Actor, account: Account, amount: str, entity: str) -> None:
    account.decision = cm.credit.check(
        admin, account.customer_id, entity=entity_code(entity), amount=money(amount), currency="USD",
        document_type="order",
    )  # fmt: skip


@then(parsers.parse("the exposure is {owed} USD on open invoices and {ordered} USD on open orders"))
def exposure_is(account: Account, owed: str, ordered: str) -> None:
    assert account.decision is not None, "check a document first"
    exposure = account.decision.exposure
    assert (exposure.receivables, exposure.open_orders) == (money(owed), money(ordered)), exposure
    assert exposure.document == Decimal("1000.00")


def row_of(item: OpenItem) -> list[str]:
    due = item.due_date.isoformat() if item.due_date else ""
    figures = [f"{item.amount:,.2f}", f"{item.balance:,.2f}"]
    return [WORDS[item.kind], item.number, item.entity, item.document_date.isoformat(), due, *figures]


@then("the customer's open items are:")
def open_items_are(cm: CustomerMaster, account: Account, datatable: list[list[str]]) -> None:
    kept = cm.storage.receivables.items(account.tenant, account.customer_id)
    rows = [row_of(item) for item in sorted(kept, key=lambda i: (i.document_date, i.number))]
    assert rows == datatable[1:]
