"""Properties of the rule services that must hold for every input, checked through the
façade on in-memory storage (SPEC R-5.2, R-5.5, R-7.2).

Each example builds its own façade: Hypothesis runs a test many times and must not share
state between examples.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.receivables import OpenItem, OpenOrder

TODAY = date(2026, 3, 2)
ADMIN = Actor("acme", "ana", {"admin"})
SEVERITY = {"approved": 0, "warning": 1, "blocked": 2}
PRECEDENCE = ("tier", "last_price", "price_list", "standard")

money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)


def facade() -> CustomerMaster:
    cm = CustomerMaster.from_url(
        "memory://", clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)), load_entry_points=False
    )
    cm.configuration.add_legal_entity(ADMIN, {"code": "US01", "name": "Acme Inc", "currency": "USD"})
    for operation in OPERATIONS:  # changes apply at once: approvals are not under test here
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    return cm


def new_customer(cm: CustomerMaster, **fields: Any) -> str:
    payload = {
        "name": "Globe Trading",
        "kind": "company",
        "email": "ap@globe.example",
        "legal_entity": "US01",
        "currency": "USD",
        **fields,
    }
    return cm.customers.create(ADMIN, payload).value.id


# ---------------------------------------------------------------------------
# Credit: a bigger document never gets a milder decision
# ---------------------------------------------------------------------------


@settings(max_examples=75, deadline=None)
@given(
    limit=st.none() | money,
    receivables=money,
    open_orders=money,
    policy=st.sampled_from(["block", "warn", "off"]),
    days_overdue=st.integers(min_value=0, max_value=60),
    on_hold=st.booleans(),
    amounts=st.tuples(money, money).map(sorted),
)
def test_credit_decision_never_gets_milder_as_the_document_grows(
    limit: Decimal | None,
    receivables: Decimal,
    open_orders: Decimal,
    policy: str,
    days_overdue: int,
    on_hold: bool,
    amounts: list[Decimal],
) -> None:
    cm = facade()
    cm.configuration.update_settings(ADMIN, {"credit_policy": policy})
    customer_id = new_customer(cm, credit_limit=None if limit is None else str(limit))
    if on_hold:
        cm.credit.set_hold(ADMIN, customer_id, reason="Collections review")
    due = date.fromordinal(TODAY.toordinal() - days_overdue)
    cm.storage.receivables.add_item(
        "acme",
        OpenItem(
            number="INV-1",
            customer_id=customer_id,
            entity="US01",
            kind="invoice",
            document_date=due,
            due_date=due,
            amount=receivables,
            balance=receivables,
            currency="USD",
        ),
    )
    cm.storage.receivables.add_order(
        "acme",
        OpenOrder(number="SO-1", customer_id=customer_id, entity="US01", amount=open_orders, currency="USD"),
    )

    smaller, larger = (cm.credit.check(ADMIN, customer_id, entity="US01", amount=a) for a in amounts)

    assert SEVERITY[smaller.outcome] <= SEVERITY[larger.outcome]
    assert set(smaller.reason_codes) <= set(larger.reason_codes)
    assert larger.exposure.total - smaller.exposure.total == amounts[1] - amounts[0]
    if limit is not None:
        assert smaller.available is not None
        assert larger.available is not None
        assert larger.available <= smaller.available
        assert ("over_limit" in larger.reason_codes) == (policy != "off" and larger.exposure.total > limit)


# ---------------------------------------------------------------------------
# Price resolution: the highest-precedence source that has a price wins
# ---------------------------------------------------------------------------

list_state = st.sampled_from(["absent", "no line", "line"])


@settings(max_examples=75, deadline=None)
@given(
    tier=st.sampled_from(["absent", "other quantities", "applies"]),
    use_last_price=st.booleans(),
    last_invoiced=st.booleans(),
    default_list=list_state,
    standard_list=list_state,
    quantity=st.integers(min_value=1, max_value=1000).map(Decimal),
)
def test_price_comes_from_the_highest_precedence_source_that_has_one(
    tier: str,
    use_last_price: bool,
    last_invoiced: bool,
    default_list: str,
    standard_list: str,
    quantity: Decimal,
) -> None:
    cm = facade()
    prices = {
        "tier": Decimal("0.50"),
        "last_price": Decimal("0.70"),
        "price_list": Decimal("0.85"),
        "standard": Decimal("1.00"),
    }
    for code, state, price in (
        ("WHOLESALE", default_list, prices["price_list"]),
        ("STD", standard_list, prices["standard"]),
    ):
        if state != "absent":
            item = "BOLT" if state == "line" else "NUT"
            cm.configuration.save_price_list(
                ADMIN,
                {
                    "code": code,
                    "name": code,
                    "currency": "USD",
                    "lines": [{"item_code": item, "unit_price": str(price)}],
                },
            )
    cm.configuration.update_settings(
        ADMIN,
        {
            "use_last_price": use_last_price,
            "standard_price_list": "STD" if standard_list != "absent" else None,
        },
    )
    fields: dict[str, Any] = {"price_list": "WHOLESALE"} if default_list != "absent" else {}
    if tier != "absent":
        low = quantity if tier == "applies" else quantity + 1
        fields["pricing_tiers"] = [
            {"item_code": "BOLT", "unit_price": "0.50", "currency": "USD", "min_quantity": str(low)}
        ]
    customer_id = new_customer(cm, **fields)
    if last_invoiced:
        cm.pricing.record_invoiced_rate(
            ADMIN,
            customer_id,
            item_code="BOLT",
            unit_price=prices["last_price"],
            currency="USD",
            invoiced_on=date(2026, 2, 1),
        )

    found = cm.pricing.resolve(ADMIN, customer_id, entity="US01", item_code="BOLT", quantity=quantity)

    has_price = {
        "tier": tier == "applies",
        "last_price": use_last_price and last_invoiced,
        "price_list": default_list == "line",
        "standard": standard_list == "line",
    }
    winner = next((source for source in PRECEDENCE if has_price[source]), None)
    passed_over = PRECEDENCE[: PRECEDENCE.index(winner)] if winner else PRECEDENCE
    assert (found.source or "").split(":")[0] == (winner or "")
    assert found.unit_price == (prices[winner] if winner else None)
    assert tuple(skipped.source for skipped in found.skipped) == passed_over
