"""Open items, the receivables position a credit check reads, and last prices behave the
same on every storage (R-5.1, R-5.4, R-7.2, R-8.2, R-13.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.errors import BusinessRuleViolation
from customer_master.ports import ReceivablesPosition, Storage


def item(number: str, kind: str = "invoice", **values: Any) -> OpenItem:
    defaults: dict[str, Any] = {
        "customer_id": "c1",
        "entity": "MY01",
        "document_date": date(2026, 1, 1),
        "due_date": date(2026, 1, 31) if kind == "invoice" else None,
        "amount": Decimal("100.00"),
        "balance": Decimal("100.00"),
        "currency": "MYR",
    }
    return OpenItem(number=number, kind=kind, **{**defaults, **values})  # type: ignore[arg-type]


def order(number: str, amount: str, **values: Any) -> OpenOrder:
    defaults: dict[str, Any] = {"customer_id": "c1", "entity": "MY01", "currency": "MYR"}
    return OpenOrder(number=number, amount=Decimal(amount), **{**defaults, **values})


class Rates:
    def rate(self, from_currency: str, to_currency: str, on: date) -> Decimal | None:
        return Decimal("3.5") if (from_currency, to_currency) == ("SGD", "MYR") else None


def test_the_position_adds_up_balances_credits_and_orders_of_one_entity(storage: Storage) -> None:
    receivables: Any = storage.receivables
    for each in (
        item("INV-1", balance=Decimal("150.25"), due_date=date(2026, 2, 10)),
        item("INV-2", balance=Decimal("49.75"), due_date=date(2026, 1, 15)),
        item("INV-3", balance=Decimal("0"), due_date=date(2025, 1, 1)),  # paid: not open
        item("INV-4", balance=Decimal("-5.00"), due_date=date(2025, 6, 1)),  # overpaid: no overdue
        item("CN-1", "credit_note", balance=Decimal("30.10")),
        item("PAY-1", "payment", balance=Decimal("19.90")),
        item("INV-5", entity="SG01", balance=Decimal("999"), due_date=date(2020, 1, 1)),
        item("INV-6", customer_id="c2", balance=Decimal("999"), due_date=date(2020, 1, 1)),
    ):
        receivables.add_item("acme", each)
    for each in (order("SO-1", "70.5"), order("SO-2", "29.5"), order("SO-3", "5", entity="SG01")):
        receivables.add_order("acme", each)

    position = storage.receivables.position("acme", "c1", "MY01", "MYR")

    assert position == ReceivablesPosition(
        open_balance=Decimal("195.00"),
        unapplied_credits=Decimal("50.00"),
        open_orders=Decimal("100.0"),
        oldest_due_date=date(2026, 1, 15),
    )
    assert position.receivables == Decimal("145")


def test_a_customer_without_items_owes_nothing(storage: Storage) -> None:
    position = storage.receivables.position("acme", "c1", "MY01", "MYR")

    assert position == ReceivablesPosition(
        open_balance=Decimal(0), unapplied_credits=Decimal(0), open_orders=Decimal(0), oldest_due_date=None
    )


def test_items_in_another_currency_are_converted_or_refused(storage: Storage) -> None:
    receivables: Any = storage.receivables
    receivables.add_item("acme", item("INV-1", balance=Decimal("10.00")))
    receivables.add_item("acme", item("INV-2", balance=Decimal("10.00"), currency="SGD"))
    receivables.add_order("acme", order("SO-1", "2", currency="SGD"))

    with pytest.raises(BusinessRuleViolation) as refused:
        storage.receivables.position("acme", "c1", "MY01", "MYR")
    receivables.rates = Rates()
    position = storage.receivables.position("acme", "c1", "MY01", "MYR")

    assert refused.value.code == "currency_not_convertible"
    assert (position.open_balance, position.open_orders) == (Decimal("45"), Decimal("7"))


def test_open_items_move_to_the_customer_that_stays_with_the_unit_of_work(storage: Storage) -> None:
    receivables: Any = storage.receivables
    receivables.add_item("acme", item("INV-1", customer_id="source"))
    receivables.add_order("acme", order("SO-1", "5", customer_id="source"))
    receivables.add_item("acme", item("INV-2", customer_id="target"))

    with storage.unit_of_work() as uow:
        assert uow.open_items.has_open_items("acme", "source")
        uow.open_items.move("acme", "source", "target")
    assert receivables.has_open_items("acme", "source")  # not committed: nothing moved

    with storage.unit_of_work() as uow:
        uow.open_items.move("acme", "source", "target")
        uow.commit()

    with storage.unit_of_work() as uow:
        assert not uow.open_items.has_open_items("acme", "source")
        assert uow.open_items.has_open_items("acme", "target")
    assert sorted(i.number for i in receivables.items("acme", "target")) == ["INV-1", "INV-2"]
    assert storage.receivables.position("acme", "target", "MY01", "MYR").open_orders == Decimal(5)


def test_paid_items_are_not_open_but_open_orders_are(storage: Storage) -> None:
    receivables: Any = storage.receivables
    receivables.add_item("acme", item("INV-1", customer_id="paid", balance=Decimal(0)))
    receivables.add_order("acme", order("SO-1", "0", customer_id="ordered"))

    assert not receivables.has_open_items("acme", "paid")
    assert receivables.has_open_items("acme", "ordered")
    assert not receivables.has_open_items("acme", "nobody")


def test_items_come_back_as_fed(storage: Storage) -> None:
    receivables: Any = storage.receivables
    fed = [item("INV-1", amount=Decimal("120.50"), balance=Decimal("20.5")), item("CN-1", "credit_note")]
    for each in fed:
        receivables.add_item("acme", each)

    assert receivables.items("acme", "c1") == fed
    assert receivables.items("other", "c1") == []


def test_a_newer_invoiced_rate_replaces_an_older_one_never_the_reverse(storage: Storage) -> None:
    prices = storage.last_prices
    march = LastPrice(unit_price=Decimal("9.50"), currency="USD", invoiced_on=date(2026, 3, 1))
    february = LastPrice(unit_price=Decimal("9.00"), currency="USD", invoiced_on=date(2026, 2, 1))
    same_day = LastPrice(unit_price=Decimal("9.75"), currency="USD", invoiced_on=date(2026, 3, 1))

    assert prices.last_price("acme", "c1", "BOLT") is None
    prices.record("acme", "c1", "BOLT", march)
    prices.record("acme", "c1", "BOLT", february)
    assert prices.last_price("acme", "c1", "BOLT") == march
    prices.record("acme", "c1", "BOLT", same_day)
    prices.record("acme", "c1", "BOLT", same_day)

    assert prices.last_price("acme", "c1", "BOLT") == same_day
    assert prices.last_price("acme", "c1", "NUT") is None
    assert prices.last_price("other", "c1", "BOLT") is None


def test_a_document_sent_again_replaces_the_one_stored(storage: Storage) -> None:
    receivables: Any = storage.receivables
    receivables.add_item("acme", item("INV-1", balance=Decimal("100.00")))
    receivables.add_order("acme", order("SO-1", "40"))
    receivables.add_item("acme", item("INV-1", balance=Decimal("30.00")))  # part-paid since
    receivables.add_order("acme", order("SO-1", "25"))  # reduced

    position = storage.receivables.position("acme", "c1", "MY01", "MYR")

    assert (position.open_balance, position.open_orders) == (Decimal("30.00"), Decimal("25"))


def test_the_caller_may_bring_the_exchange_rates(storage: Storage) -> None:
    receivables: Any = storage.receivables
    receivables.add_item("acme", item("INV-1", balance=Decimal("10.00"), currency="SGD"))

    position = storage.receivables.position("acme", "c1", "MY01", "MYR", rates=Rates(), on=date(2026, 3, 2))

    assert position.open_balance == Decimal("35.0000")
