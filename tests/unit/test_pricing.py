"""Price resolution (SPEC R-7.1, R-7.2): which source prices an item, and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain.pricing import (
    LastPrice,
    PriceList,
    PriceListLine,
    PriceResolution,
    PricingTier,
    resolve_price,
    validate_price_list,
    validate_pricing_tier,
)

ON = date(2026, 1, 15)


def line(price: str, min_quantity: str = "0", **dates: date | None) -> PriceListLine:
    return PriceListLine(
        item_code="BOLT", unit_price=Decimal(price), min_quantity=Decimal(min_quantity), **dates
    )


def tier(price: str, min_quantity: str = "0", max_quantity: str | None = None, **more: Any) -> PricingTier:
    """A tier of item BOLT in USD; keyword arguments change the other fields."""
    return PricingTier(
        **{"id": "T1", "item_code": "BOLT", "currency": "USD", **more},
        unit_price=Decimal(price),
        min_quantity=Decimal(min_quantity),
        max_quantity=None if max_quantity is None else Decimal(max_quantity),
    )


RETAIL = PriceList(
    code="RETAIL",
    name="Retail",
    currency="EUR",
    lines=[line("1.00"), line("0.90", "10"), line("0.80", "100")],
)
STANDARD = PriceList(code="STD", name="Standard", currency="USD", lines=[line("1.20")])


def resolve(
    quantity: str = "1",
    *,
    on: date = ON,
    tiers: Sequence[PricingTier] = (),
    use_last_price: bool = False,
    last_price: LastPrice | None = None,
    default_list: PriceList | None = RETAIL,
    standard_list: PriceList | None = STANDARD,
    item_code: str = "BOLT",
) -> PriceResolution:
    return resolve_price(
        item_code=item_code,
        quantity=Decimal(quantity),
        on=on,
        tiers=tiers,
        use_last_price=use_last_price,
        last_price=last_price,
        default_list=default_list,
        standard_list=standard_list,
    )


LAST = LastPrice(unit_price=Decimal("0.95"), currency="USD", invoiced_on=date(2025, 12, 1))


# --- precedence (R-7.2) ----------------------------------------------------------------


def test_pricing_tier_wins_over_every_other_source() -> None:
    resolution = resolve(tiers=[tier("0.70")], use_last_price=True, last_price=LAST)
    assert (resolution.source, resolution.unit_price, resolution.currency) == (
        "tier",
        Decimal("0.70"),
        "USD",
    )
    assert resolution.skipped == ()


def test_last_price_wins_when_on_and_no_tier_fits() -> None:
    resolution = resolve(tiers=[tier("0.70", "500")], use_last_price=True, last_price=LAST)
    assert (resolution.source, resolution.unit_price) == ("last_price", Decimal("0.95"))
    assert [s.code for s in resolution.skipped] == ["no_matching_tier"]


def test_last_price_is_ignored_when_use_last_price_is_off() -> None:
    resolution = resolve(use_last_price=False, last_price=LAST)
    assert resolution.source == "price_list:RETAIL"
    assert resolution.skipped[1].code == "last_price_off"
    assert resolution.skipped[1].message == "Last-price pricing (use_last_price) is off."


def test_use_last_price_without_an_earlier_invoice_falls_through() -> None:
    resolution = resolve(use_last_price=True, last_price=None)
    assert resolution.source == "price_list:RETAIL"
    assert resolution.skipped[1].message == "No earlier sales invoice for item BOLT."


def test_default_list_price_comes_in_the_lists_currency() -> None:
    resolution = resolve("1")
    assert (resolution.source, resolution.unit_price, resolution.currency) == (
        "price_list:RETAIL",
        Decimal("1.00"),
        "EUR",
    )


def test_standard_list_is_used_when_the_customer_has_no_default_list() -> None:
    resolution = resolve(default_list=None)
    assert (resolution.source, resolution.unit_price, resolution.currency) == (
        "standard:STD",
        Decimal("1.20"),
        "USD",
    )
    assert resolution.skipped[2].message == "The customer has no default price list."


def test_standard_list_is_used_when_the_default_list_has_no_line_for_the_item() -> None:
    nuts_only = PriceList(code="NUTS", name="Nuts", currency="USD", lines=[])
    resolution = resolve("5", default_list=nuts_only)
    assert resolution.source == "standard:STD"
    assert resolution.skipped[2].code == "no_matching_line"
    assert resolution.skipped[2].message == (
        "Price list NUTS has no line for item BOLT at quantity 5 valid on 2026-01-15."
    )


def test_no_price_is_an_explicit_answer_never_zero() -> None:
    resolution = resolve(item_code="NUT", standard_list=None)
    assert not resolution.is_found
    assert (resolution.source, resolution.unit_price, resolution.currency) == (None, None, None)
    assert [(s.source, s.code) for s in resolution.skipped] == [
        ("tier", "no_matching_tier"),
        ("last_price", "last_price_off"),
        ("price_list", "no_matching_line"),
        ("standard", "no_standard_list"),
    ]
    assert resolution.skipped[0].message == ("No pricing tier for item NUT at quantity 1 on 2026-01-15.")
    assert resolution.skipped[3].message == "The tenant has no standard price list."


def test_a_zero_price_from_a_source_is_a_price() -> None:
    free = PriceList(code="FREE", name="Free", currency="USD", lines=[line("0")])
    resolution = resolve(default_list=free)
    assert resolution.is_found
    assert resolution.unit_price == Decimal("0")


# --- pricing tiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "is_tier"), [("9", False), ("10", True), ("50", True), ("50.01", False)]
)
def test_tier_quantity_bounds_are_inclusive(quantity: str, is_tier: bool) -> None:
    resolution = resolve(quantity, tiers=[tier("0.70", "10", "50")])
    assert (resolution.source == "tier") is is_tier


def test_tier_without_a_maximum_is_open_ended() -> None:
    assert resolve("1000000", tiers=[tier("0.70", "10")]).source == "tier"


@pytest.mark.parametrize(
    ("on", "is_tier"),
    [
        (date(2026, 1, 9), False),
        (date(2026, 1, 10), True),
        (date(2026, 1, 20), True),
        (date(2026, 1, 21), False),
    ],
)
def test_tier_validity_dates_are_inclusive(on: date, is_tier: bool) -> None:
    january = tier("0.70", valid_from=date(2026, 1, 10), valid_to=date(2026, 1, 20))
    assert (resolve(on=on, tiers=[january]).source == "tier") is is_tier


def test_tier_for_another_item_does_not_apply() -> None:
    assert resolve(tiers=[tier("0.70", item_code="NUT")]).source == "price_list:RETAIL"
    assert not tier("0.70", item_code="NUT").applies_to("BOLT", Decimal(1), ON)
    assert tier("0.70", item_code="NUT").applies_to("NUT", Decimal(1), ON)


def test_of_two_fitting_tiers_the_greatest_minimum_quantity_wins() -> None:
    tiers = [tier("0.70", "0", id="A"), tier("0.75", "10", id="B")]
    assert resolve("20", tiers=tiers).unit_price == Decimal("0.75")


def test_of_two_tiers_with_the_same_minimum_the_newer_wins() -> None:
    tiers = [
        tier("0.60", valid_from=date(2025, 1, 1), id="A"),
        tier("0.65", valid_from=date(2026, 1, 1), id="B"),
        tier("0.55", id="C"),
    ]
    assert resolve(tiers=tiers).unit_price == Decimal("0.65")


def test_of_two_otherwise_equal_tiers_the_lower_price_wins() -> None:
    tiers = [tier("0.70", id="A"), tier("0.65", id="B")]
    assert resolve(tiers=tiers).unit_price == Decimal("0.65")


def test_of_two_identical_tiers_the_lower_id_wins_whatever_the_order() -> None:
    first = tier("0.70", id="A", currency="USD")
    second = tier("0.70", id="B", currency="EUR")
    assert resolve(tiers=[second, first]).currency == "USD"
    assert resolve(tiers=[first, second]).currency == "USD"


# --- price list lines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price"),
    [("0.5", "1.00"), ("9", "1.00"), ("10", "0.90"), ("99.99", "0.90"), ("100", "0.80")],
)
def test_list_line_with_the_greatest_minimum_not_above_the_quantity_wins(quantity: str, price: str) -> None:
    assert resolve(quantity).unit_price == Decimal(price)


def test_quantity_below_every_break_has_no_line_in_that_list() -> None:
    bulk_only = PriceList(code="BULK", name="Bulk", currency="USD", lines=[line("0.5", "100")])
    assert bulk_only.best_line("BOLT", Decimal("99"), ON) is None
    assert resolve("99", default_list=bulk_only).source == "standard:STD"


def test_expired_quantity_break_falls_back_to_the_next_valid_one() -> None:
    price_list = PriceList(
        code="P",
        name="P",
        currency="USD",
        lines=[line("1.00"), line("0.80", "100", valid_to=ON - timedelta(days=1))],
    )
    assert resolve("150", default_list=price_list).unit_price == Decimal("1.00")


def test_list_line_validity_dates_are_inclusive() -> None:
    price_list = PriceList(
        code="P", name="P", currency="USD", lines=[line("2.00", valid_from=ON, valid_to=ON)]
    )
    assert price_list.best_line("BOLT", Decimal(1), ON) is not None
    assert price_list.best_line("BOLT", Decimal(1), ON + timedelta(days=1)) is None
    assert price_list.best_line("BOLT", Decimal(1), ON - timedelta(days=1)) is None


def test_newer_line_with_the_same_break_supersedes_an_open_ended_one() -> None:
    price_list = PriceList(
        code="P",
        name="P",
        currency="USD",
        lines=[line("1.00"), line("1.10", valid_from=date(2026, 1, 1))],
    )
    assert resolve(default_list=price_list).unit_price == Decimal("1.10")
    assert resolve(on=date(2025, 12, 31), default_list=price_list).unit_price == Decimal("1.00")


def test_price_lists_are_values() -> None:
    same = PriceList(code="STD", name="Standard", currency="USD", lines=(line("1.20"),))
    assert same == STANDARD
    assert hash(same) == hash(STANDARD)


# --- validation ------------------------------------------------------------------------


def test_a_valid_price_list_has_no_problems() -> None:
    assert validate_price_list(RETAIL) == []


def test_price_list_problems_are_reported_at_once_with_field_paths() -> None:
    bad = PriceList(
        code="BAD",
        name="Bad",
        currency="XXY",
        lines=[
            line("1.00"),
            PriceListLine(
                item_code=" ",
                unit_price=Decimal("-0.01"),
                min_quantity=Decimal("-1"),
                valid_from=date(2026, 2, 1),
                valid_to=date(2026, 1, 31),
            ),
        ],
    )
    assert [(e.path, e.code) for e in validate_price_list(bad)] == [
        ("currency", "invalid"),
        ("lines[1].item_code", "required"),
        ("lines[1].unit_price", "too_small"),
        ("lines[1].min_quantity", "too_small"),
        ("lines[1].valid_to", "before_start"),
    ]


def test_price_list_without_currency_is_rejected() -> None:
    problems = validate_price_list(PriceList(code="X", name="X", currency=""))
    assert [(e.path, e.code, e.message) for e in problems] == [("currency", "required", "is required")]


def test_one_day_validity_is_valid() -> None:
    assert (
        validate_price_list(
            PriceList(code="X", name="X", currency="USD", lines=[line("1", valid_from=ON, valid_to=ON)])
        )
        == []
    )


def test_a_valid_pricing_tier_has_no_problems() -> None:
    assert validate_pricing_tier(tier("0.70", "10", "10"), "pricing_tiers[0]") == []


def test_pricing_tier_problems_carry_the_prefix() -> None:
    bad = tier(
        "-1",
        "10",
        "9",
        currency="",
        valid_from=date(2026, 1, 2),
        valid_to=date(2026, 1, 1),
    )
    assert [(e.path, e.code) for e in validate_pricing_tier(bad, "pricing_tiers[2]")] == [
        ("pricing_tiers[2].unit_price", "too_small"),
        ("pricing_tiers[2].valid_to", "before_start"),
        ("pricing_tiers[2].currency", "required"),
        ("pricing_tiers[2].max_quantity", "too_small"),
    ]


def test_pricing_tier_paths_without_a_prefix_are_bare_field_names() -> None:
    assert [e.path for e in validate_pricing_tier(tier("0.70", "-1"))] == ["min_quantity"]


# --- properties ------------------------------------------------------------------------

DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(6)]
quantities = st.decimals(min_value=0, max_value=20, places=1, allow_nan=False)
prices = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2, allow_nan=False)
items = st.sampled_from(["BOLT", "NUT"])
days = st.none() | st.sampled_from(DAYS)

tiers_strategy = st.lists(
    st.builds(
        PricingTier,
        id=st.sampled_from(["A", "B", "C"]),
        item_code=items,
        unit_price=prices,
        currency=st.just("USD"),
        min_quantity=quantities,
        max_quantity=st.none() | quantities,
        valid_from=days,
        valid_to=days,
    ),
    max_size=4,
)
lines_strategy = st.lists(
    st.builds(
        PriceListLine,
        item_code=items,
        unit_price=prices,
        min_quantity=quantities,
        valid_from=days,
        valid_to=days,
    ),
    max_size=6,
)
price_lists = st.none() | st.builds(
    PriceList, code=st.just("L"), name=st.just("L"), currency=st.just("USD"), lines=lines_strategy
)
last_prices = st.none() | st.builds(
    LastPrice, unit_price=prices, currency=st.just("USD"), invoiced_on=st.sampled_from(DAYS)
)


def within(on: date, valid_from: date | None, valid_to: date | None) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def best_list_price(price_list: PriceList | None, item: str, quantity: Decimal, on: date) -> Decimal | None:
    """Brute force over every line: the greatest fitting minimum quantity, then newest,
    then cheapest."""
    if price_list is None:
        return None
    fitting = [
        candidate
        for candidate in price_list.lines
        if candidate.item_code == item
        and candidate.min_quantity <= quantity
        and within(on, candidate.valid_from, candidate.valid_to)
    ]
    if not fitting:
        return None
    greatest = max(candidate.min_quantity for candidate in fitting)
    same_break = [c for c in fitting if c.min_quantity == greatest]
    newest = max((c.valid_from or date.min) for c in same_break)
    return min(c.unit_price for c in same_break if (c.valid_from or date.min) == newest)


@given(
    tiers=tiers_strategy,
    use_last_price=st.booleans(),
    last_price=last_prices,
    default_list=price_lists,
    standard_list=price_lists,
    item=items,
    quantity=quantities,
    on=st.sampled_from(DAYS),
)
def test_the_highest_source_that_has_a_price_always_wins(
    tiers: list[PricingTier],
    use_last_price: bool,
    last_price: LastPrice | None,
    default_list: PriceList | None,
    standard_list: PriceList | None,
    item: str,
    quantity: Decimal,
    on: date,
) -> None:
    tier_fits = any(
        t.item_code == item
        and t.min_quantity <= quantity
        and (t.max_quantity is None or quantity <= t.max_quantity)
        and within(on, t.valid_from, t.valid_to)
        for t in tiers
    )
    list_price = best_list_price(default_list, item, quantity, on)
    standard_price = best_list_price(standard_list, item, quantity, on)
    available = [
        ("tier", tier_fits),
        # as amended: only an invoice dated on or before the date counts.
        ("last_price", use_last_price and last_price is not None and last_price.invoiced_on <= on),
        ("price_list:L", list_price is not None),
        ("standard:L", standard_price is not None),
    ]
    expected = next((source for source, applies in available if applies), None)

    resolution = resolve_price(
        item_code=item,
        quantity=quantity,
        on=on,
        tiers=tiers,
        use_last_price=use_last_price,
        last_price=last_price,
        default_list=default_list,
        standard_list=standard_list,
    )

    assert resolution.source == expected
    rank = [source for source, _ in available].index(expected) if expected else 4
    assert len(resolution.skipped) == rank
    if expected == "price_list:L":
        assert resolution.unit_price == list_price
    if expected == "standard:L":
        assert resolution.unit_price == standard_price
    if expected is None:
        assert not resolution.is_found
        assert resolution.unit_price is None
        assert resolution.currency is None
    else:
        assert resolution.is_found
        assert resolution.unit_price is not None
        assert resolution.unit_price > 0
