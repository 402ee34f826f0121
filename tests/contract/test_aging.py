"""Applications, reversals, the aging page and invoiced rates by date and currency behave
the same on every storage (R-7.2, R-13.1, R-13.2) — the aging's one SQL statement runs
here on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from contract_values import add_committed, plain_customer

from customer_master.domain.aging import AgingBuckets, AgingQuery
from customer_master.domain.customer import EntityOverride
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import Application, OpenItem
from customer_master.errors import BusinessRuleViolation
from customer_master.ports import Storage

AS_OF = date(2026, 3, 31)


def item(
    number: str, customer: str, due: date | None, amount: str, kind: str = "invoice", **values: Any
) -> OpenItem:
    defaults: dict[str, Any] = {
        "entity": "MY01",
        "document_date": date(2025, 11, 1) if due is None else min(due, date(2026, 3, 1)),
        "currency": "MYR",
        "balance": Decimal(amount),
    }
    return OpenItem(
        number=number,
        customer_id=customer,
        kind=kind,  # type: ignore[arg-type]
        due_date=due,
        amount=Decimal(amount),
        **{**defaults, **values},
    )


def money(value: str) -> Decimal:
    return Decimal(value)


def test_the_aging_puts_each_balance_in_its_bucket_per_customer_and_entity(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(1, currency="MYR", region="north"),
        plain_customer(2, currency="MYR", overrides=(EntityOverride(entity="SG01", currency="SGD"),)),
        plain_customer(3, currency="MYR"),  # nothing fed: not in the aging
    )
    ledger = storage.receivables
    ledger.add_items(
        "acme",
        [
            item("INV-1", "c1", date(2026, 4, 15), "100.00"),  # not due yet: current
            item("INV-2", "c1", date(2026, 3, 31), "50.00"),  # due today: current
            item("INV-3", "c1", date(2026, 3, 1), "200.00"),  # 30 days: 1-30
            item("INV-4", "c1", date(2026, 1, 30), "300.00"),  # 60 days: 31-60
            item("INV-5", "c1", date(2026, 1, 1), "400.00"),  # 89 days: 61-90
            item("INV-6", "c1", date(2025, 12, 1), "500.00"),  # over 90
            # An unapplied payment, aged from its own date (11 days): 1-30, negative.
            item("PAY-1", "c1", None, "80.00", kind="payment", document_date=date(2026, 3, 20)),
            item("INV-7", "c1", date(2026, 5, 1), "999.00", document_date=date(2026, 4, 2)),  # later: out
            item("INV-8", "c2", date(2026, 3, 1), "10.00", entity="SG01", currency="SGD"),
            item("INV-9", "c2", date(2026, 3, 30), "20.00"),
        ],
    )

    page = ledger.aging("acme", AgingQuery(as_of=AS_OF))

    found = {(r.code, r.entity, r.currency, r.customer_currency): r.buckets for r in page.rows}
    assert found == {
        ("CUS-0001", "MY01", "MYR", "MYR"): AgingBuckets(
            current=money("150"),
            days_1_30=money("120"),
            days_31_60=money("300"),
            days_61_90=money("400"),
            over_90=money("500"),
        ),
        ("CUS-0002", "MY01", "MYR", "MYR"): AgingBuckets(days_1_30=money("20")),
        ("CUS-0002", "SG01", "SGD", "SGD"): AgingBuckets(days_1_30=money("10")),
    }
    assert page.next_after is None
    assert [r.code for r in ledger.aging("acme", AgingQuery(as_of=AS_OF, region="north")).rows] == [
        "CUS-0001"
    ]
    assert ledger.aging("other", AgingQuery(as_of=AS_OF)).rows == ()


def test_the_aging_pages_customers_in_code_order(storage: Storage) -> None:
    add_committed(storage, *(plain_customer(n, currency="MYR") for n in range(1, 6)))
    storage.receivables.add_items(
        "acme", [item(f"INV-{n}", f"c{n}", date(2026, 3, 1), f"{n}0.00") for n in range(1, 6)]
    )

    first = storage.receivables.aging("acme", AgingQuery(as_of=AS_OF, limit=2))
    second = storage.receivables.aging("acme", AgingQuery(as_of=AS_OF, limit=2, after=first.next_after))
    third = storage.receivables.aging("acme", AgingQuery(as_of=AS_OF, limit=2, after=second.next_after))

    assert [r.code for r in first.rows] == ["CUS-0001", "CUS-0002"]
    assert [r.code for r in second.rows] == ["CUS-0003", "CUS-0004"]
    assert ([r.code for r in third.rows], third.next_after) == (["CUS-0005"], None)


def test_an_application_lowers_both_balances_and_an_earlier_aging_adds_it_back(storage: Storage) -> None:
    add_committed(storage, plain_customer(1, currency="MYR"))
    ledger = storage.receivables
    ledger.add_items(
        "acme",
        [
            item("INV-1", "c1", date(2026, 2, 1), "100.00"),
            item("PAY-1", "c1", None, "60.00", kind="payment", document_date=date(2026, 3, 10)),
        ],
    )
    applied = Application(
        customer_id="c1", entity="MY01", credit_kind="payment", credit_number="PAY-1",
        invoice_number="INV-1", amount=Decimal("60.00"), currency="MYR", applied_on=date(2026, 3, 10),
    )  # fmt: skip

    ledger.apply("acme", applied)

    assert ledger.item("acme", "MY01", "invoice", "INV-1").balance == Decimal("40.00")  # type: ignore[union-attr]
    assert ledger.item("acme", "MY01", "payment", "PAY-1").balance == Decimal("0.00")  # type: ignore[union-attr]
    now = ledger.aging("acme", AgingQuery(as_of=date(2026, 3, 31))).rows
    before = ledger.aging("acme", AgingQuery(as_of=date(2026, 3, 5))).rows
    assert [r.buckets.total for r in now] == [Decimal("40.00")]
    assert [r.buckets.days_31_60 for r in now] == [Decimal("40.00")]
    assert [r.buckets.days_31_60 for r in before] == [Decimal("100.00")]  # the payment came later
    assert ledger.applied_after("acme", "c1", date(2026, 3, 5)) == {
        ("MY01", "invoice", "INV-1"): Decimal("60.00"),
        ("MY01", "payment", "PAY-1"): Decimal("60.00"),
    }
    with pytest.raises(BusinessRuleViolation):
        ledger.apply("acme", applied)  # the payment has nothing left
    assert ledger.item("acme", "MY01", "invoice", "INV-1").balance == Decimal("40.00")  # type: ignore[union-attr]


def test_a_reversed_document_leaves_the_aging_from_its_reversal_date(storage: Storage) -> None:
    add_committed(storage, plain_customer(1, currency="MYR"))
    ledger = storage.receivables
    ledger.add_items("acme", [item("INV-1", "c1", date(2026, 3, 1), "100.00")])

    reversed_item = ledger.reverse("acme", "MY01", "invoice", "INV-1", date(2026, 3, 20))

    assert (reversed_item.balance, reversed_item.reversed_on) == (Decimal("0"), date(2026, 3, 20))
    assert ledger.aging("acme", AgingQuery(as_of=date(2026, 3, 31))).rows == ()
    earlier = ledger.aging("acme", AgingQuery(as_of=date(2026, 3, 19))).rows
    assert [r.buckets.total for r in earlier] == [Decimal("100.00")]


def test_invoiced_rates_are_found_by_date_and_currency(storage: Storage) -> None:
    prices = storage.last_prices
    for day, currency, price in (
        (1, "USD", "9.00"),
        (10, "USD", "9.50"),
        (20, "EUR", "8.00"),
        (25, "USD", "9.90"),
    ):
        prices.record("acme", "c1", "BOLT", LastPrice(unit_price=Decimal(price), currency=currency,
                                                     invoiced_on=date(2026, 3, day)))  # fmt: skip

    on_22 = prices.last_prices("acme", "c1", "BOLT", on=date(2026, 3, 22), currency="USD")
    on_5 = prices.last_prices("acme", "c1", "BOLT", on=date(2026, 3, 5), currency="USD")
    in_gbp = prices.last_prices("acme", "c1", "BOLT", on=date(2026, 3, 31), currency="GBP")

    assert [(p.invoiced_on.day, p.currency, p.unit_price) for p in on_22] == [
        (20, "EUR", Decimal("8.00")),
        (10, "USD", Decimal("9.50")),
    ]
    assert [p.unit_price for p in on_5] == [Decimal("9.00")]
    assert [p.currency for p in in_gbp] == ["USD", "EUR", "USD", "USD"]
    assert prices.last_prices("acme", "c1", "BOLT", on=date(2026, 2, 28), currency="USD") == []
