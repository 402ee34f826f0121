"""Credit control (SPEC R-5.1 – R-5.7): the credit decision for one document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain.credit import (
    CreditFacts,
    CreditOutcome,
    CreditPolicy,
    CreditSettings,
    Exposure,
    credit_decision,
)

BLOCK = CreditSettings(policy="block")
WARN = CreditSettings(policy="warn")
OFF = CreditSettings(policy="off")
POLICIES: tuple[CreditPolicy, ...] = ("block", "warn", "off")
SEVERITY: dict[CreditOutcome, int] = {"approved": 0, "warning": 1, "blocked": 2}


def facts(
    *,
    limit: str | None = "50000",
    receivables: str = "0",
    open_orders: str = "0",
    document: str = "0",
    **changes: Any,
) -> CreditFacts:
    """A good customer in USD; keyword arguments change one fact at a time."""
    exposure = Exposure(
        receivables=Decimal(receivables),
        open_orders=Decimal(open_orders),
        document=Decimal(document),
    )
    base = CreditFacts(
        is_active=True,
        is_enabled_for_entity=True,
        on_credit_hold=False,
        limit=None if limit is None else Decimal(limit),
        currency="USD",
        exposure=exposure,
        days_past_due=0,
    )
    return attrs.evolve(base, **changes)


# --- exposure and limit (R-5.1, R-5.2) -----------------------------------------------


def test_exposure_is_receivables_plus_open_orders_plus_document() -> None:
    exposure = Exposure(receivables=Decimal("100.10"), open_orders=Decimal("20.02"), document=Decimal("3.00"))
    assert exposure.total == Decimal("123.12")


def test_order_exactly_at_limit_is_approved() -> None:
    decision = credit_decision(facts(limit="50000", document="50000"), BLOCK)
    assert decision.outcome == "approved"
    assert decision.reasons == ()
    assert decision.available == Decimal("0")


def test_one_cent_over_the_limit_is_blocked() -> None:
    decision = credit_decision(facts(limit="50000", document="50000.01"), BLOCK)
    assert decision.outcome == "blocked"
    assert decision.reason_codes == ("over_limit",)
    assert decision.available == Decimal("-0.01")


def test_worked_example_exposure_over_limit_is_blocked() -> None:
    decision = credit_decision(facts(limit="20000", receivables="15000", document="10000"), BLOCK)
    assert decision.outcome == "blocked"
    assert decision.reason_codes == ("over_limit",)
    assert decision.exposure.total == Decimal("25000")
    assert decision.limit == Decimal("20000")
    assert decision.available == Decimal("-5000")
    assert decision.currency == "USD"
    assert decision.policy == "block"
    assert decision.reasons[0].message == (
        "Exposure of 25,000.00 USD exceeds the credit limit of 20,000.00 USD by 5,000.00 USD."
    )


def test_open_orders_count_in_exposure() -> None:
    decision = credit_decision(facts(limit="1000", open_orders="900", document="200"), BLOCK)
    assert decision.reason_codes == ("over_limit",)


def test_unapplied_credits_leave_room_under_the_limit() -> None:
    # Receivables are net of unapplied credits, so they may be negative.
    decision = credit_decision(facts(limit="1000", receivables="-500", document="1400"), BLOCK)
    assert decision.outcome == "approved"
    assert decision.available == Decimal("100")


def test_no_limit_never_exceeds_and_has_no_available_credit() -> None:
    decision = credit_decision(facts(limit=None, receivables="9999999", document="1"), BLOCK)
    assert decision.outcome == "approved"
    assert decision.limit is None
    assert decision.available is None


def test_zero_limit_blocks_any_credit_sale() -> None:
    decision = credit_decision(facts(limit="0", document="0.01"), BLOCK)
    assert decision.outcome == "blocked"
    assert decision.reason_codes == ("over_limit",)
    assert decision.reasons[0].message == ("No credit is allowed (limit 0); exposure is 0.01 USD.")


def test_zero_limit_allows_a_document_that_adds_no_exposure() -> None:
    decision = credit_decision(facts(limit="0", document="0"), BLOCK)
    assert decision.outcome == "approved"


def test_amounts_in_messages_use_the_currency_minor_unit() -> None:
    yen = facts(limit="1000", document="1500", currency="JPY")
    assert credit_decision(yen, BLOCK).reasons[0].message == (
        "Exposure of 1,500 JPY exceeds the credit limit of 1,000 JPY by 500 JPY."
    )


# --- overdue block (R-5.4) ----------------------------------------------------------


def test_invoice_unpaid_one_day_past_due_is_blocked_without_grace() -> None:
    decision = credit_decision(facts(days_past_due=1), BLOCK)
    assert decision.outcome == "blocked"
    assert decision.reason_codes == ("overdue",)
    assert decision.reasons[0].message == (
        "An open invoice is 1 days past due, more than the 0 grace days allowed."
    )


def test_overdue_within_grace_days_is_approved() -> None:
    settings = CreditSettings(grace_days=5)
    assert credit_decision(facts(days_past_due=5), settings).outcome == "approved"
    assert credit_decision(facts(days_past_due=6), settings).reason_codes == ("overdue",)


def test_overdue_block_setting_off_ignores_overdue_invoices() -> None:
    settings = CreditSettings(overdue_block=False)
    assert credit_decision(facts(days_past_due=90), settings).outcome == "approved"


# --- credit policy (R-5.5) ----------------------------------------------------------


def test_warn_policy_lets_the_figures_through_with_warnings() -> None:
    decision = credit_decision(facts(limit="100", document="200", days_past_due=3), WARN)
    assert decision.outcome == "warning"
    assert decision.reason_codes == ("overdue", "over_limit")
    assert {reason.severity for reason in decision.reasons} == {"warning"}
    assert decision.available == Decimal("-100")


def test_off_policy_does_not_evaluate_the_figures() -> None:
    decision = credit_decision(facts(limit="100", document="200", days_past_due=3), OFF)
    assert decision.outcome == "approved"
    assert decision.reasons == ()
    assert decision.policy == "off"


def test_group_policy_overrides_the_tenant_policy() -> None:
    settings = CreditSettings(policy="block", group_policies={"retail": "warn"})
    over = facts(limit="100", document="200")
    assert credit_decision(attrs.evolve(over, customer_group="retail"), settings).outcome == ("warning")
    assert credit_decision(attrs.evolve(over, customer_group="trade"), settings).outcome == ("blocked")
    assert credit_decision(over, settings).policy == "block"


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"is_active": False}, "inactive"),
        ({"on_credit_hold": True}, "credit_hold"),
        ({"is_enabled_for_entity": False}, "not_enabled_for_entity"),
    ],
)
def test_customer_reasons_block_under_every_policy(
    policy: CreditPolicy, change: dict[str, Any], code: str
) -> None:
    decision = credit_decision(facts(**change), CreditSettings(policy=policy))
    assert decision.outcome == "blocked"
    assert decision.reason_codes == (code,)


def test_credit_hold_blocks_whatever_the_figures() -> None:
    decision = credit_decision(facts(limit=None, on_credit_hold=True), BLOCK)
    assert decision.outcome == "blocked"


def test_decision_is_the_most_severe_reason_and_lists_every_reason() -> None:
    decision = credit_decision(
        facts(limit="100", document="200", days_past_due=10, on_credit_hold=True), WARN
    )
    assert decision.outcome == "blocked"
    assert decision.reason_codes == ("credit_hold", "overdue", "over_limit")


def test_every_reason_is_reported_at_once() -> None:
    everything = facts(
        limit="0",
        document="1",
        days_past_due=1,
        is_active=False,
        on_credit_hold=True,
        is_enabled_for_entity=False,
    )
    assert set(credit_decision(everything, BLOCK).reason_codes) == {
        "inactive",
        "credit_hold",
        "not_enabled_for_entity",
        "overdue",
        "over_limit",
    }


# --- release by credit_override (R-5.7) ---------------------------------------------


def test_released_document_passes_and_keeps_the_figures_as_warnings() -> None:
    decision = credit_decision(facts(limit="100", document="200", released=True), BLOCK)
    assert decision.outcome == "warning"
    assert decision.released
    assert decision.reason_codes == ("over_limit",)
    assert decision.reasons[0].severity == "warning"


def test_release_does_not_lift_a_credit_hold() -> None:
    held = facts(limit="100", document="200", on_credit_hold=True, released=True)
    decision = credit_decision(held, BLOCK)
    assert decision.outcome == "blocked"
    assert [(r.code, r.severity) for r in decision.reasons] == [
        ("credit_hold", "blocked"),
        ("over_limit", "warning"),
    ]


def test_only_a_document_blocked_by_the_figures_is_releasable() -> None:
    assert credit_decision(facts(limit="100", document="200"), BLOCK).is_releasable
    assert not credit_decision(facts(on_credit_hold=True), BLOCK).is_releasable
    held_and_over = facts(limit="100", document="200", on_credit_hold=True)
    assert not credit_decision(held_and_over, BLOCK).is_releasable
    assert not credit_decision(facts(limit="100", document="200"), WARN).is_releasable
    assert not credit_decision(facts(), BLOCK).is_releasable


# --- settings ----------------------------------------------------------------------


def test_unknown_credit_policy_is_a_programmer_error() -> None:
    with pytest.raises(ValueError, match="unknown credit policy 'stop'"):
        CreditSettings(policy="stop")
    with pytest.raises(ValueError, match="unknown credit policy"):
        CreditSettings(group_policies={"retail": "maybe"})


def test_negative_grace_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="grace_days"):
        CreditSettings(grace_days=-1)


def test_settings_are_hashable_values_whatever_the_group_order() -> None:
    one = CreditSettings(group_policies={"a": "warn", "b": "off"})
    other = CreditSettings(group_policies=[("b", "off"), ("a", "warn")])
    assert one == other
    assert hash(one) == hash(other)


# --- properties ----------------------------------------------------------------------

money = st.decimals(
    min_value=Decimal("-1000000"),
    max_value=Decimal("1000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
non_negative = st.decimals(
    min_value=Decimal(0),
    max_value=Decimal("1000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)

# Most customers in good standing, so that the figures decide most examples.
mostly_true = st.sampled_from([True, True, True, True, False])


@st.composite
def customers(draw: st.DrawFn) -> CreditFacts:
    return CreditFacts(
        is_active=draw(mostly_true),
        is_enabled_for_entity=draw(mostly_true),
        on_credit_hold=not draw(mostly_true),
        limit=draw(st.none() | non_negative),
        currency="USD",
        exposure=Exposure(receivables=draw(money), open_orders=draw(non_negative)),
        days_past_due=draw(st.integers(min_value=0, max_value=120)),
        customer_group=draw(st.sampled_from([None, "retail"])),
        released=draw(st.booleans()),
    )


settings_values = st.builds(
    CreditSettings,
    policy=st.sampled_from(POLICIES),
    overdue_block=st.booleans(),
    grace_days=st.integers(min_value=0, max_value=60),
    group_policies=st.dictionaries(st.just("retail"), st.sampled_from(POLICIES)),
)


@given(customers(), settings_values, non_negative, non_negative)
def test_a_bigger_document_never_gets_a_less_severe_decision(
    customer: CreditFacts, settings: CreditSettings, smaller: Decimal, extra: Decimal
) -> None:
    def decide(document: Decimal) -> CreditOutcome:
        exposure = attrs.evolve(customer.exposure, document=document)
        return credit_decision(attrs.evolve(customer, exposure=exposure), settings).outcome

    assert SEVERITY[decide(smaller)] <= SEVERITY[decide(smaller + extra)]


@given(customers(), settings_values)
def test_exposure_equal_to_the_limit_never_exceeds(customer: CreditFacts, settings: CreditSettings) -> None:
    limit = customer.limit if customer.limit is not None else Decimal(0)
    document = limit - customer.exposure.receivables - customer.exposure.open_orders
    exposure = attrs.evolve(customer.exposure, document=document)
    decision = credit_decision(attrs.evolve(customer, limit=limit, exposure=exposure), settings)
    assert "over_limit" not in decision.reason_codes
    assert decision.available == Decimal(0)


def expected_outcome(customer: CreditFacts, settings: CreditSettings) -> CreditOutcome:
    """R-5.2 – R-5.7 written out once more, as plainly as possible."""
    if customer.on_credit_hold or not customer.is_active or not customer.is_enabled_for_entity:
        return "blocked"
    group_policies: dict[str | None, CreditPolicy] = dict(settings.group_policies)
    policy = group_policies.get(customer.customer_group, settings.policy)
    limit = customer.limit
    over_limit = limit is not None and customer.exposure.total > limit
    overdue = settings.overdue_block and customer.days_past_due > settings.grace_days
    if policy == "off" or not (over_limit or overdue):
        return "approved"
    return "blocked" if policy == "block" and not customer.released else "warning"


@given(customers(), settings_values)
def test_decision_follows_the_rules(customer: CreditFacts, settings: CreditSettings) -> None:
    decision = credit_decision(customer, settings)
    assert decision.outcome == expected_outcome(customer, settings)
    worst = max((SEVERITY[reason.severity] for reason in decision.reasons), default=0)
    assert SEVERITY[decision.outcome] == worst
