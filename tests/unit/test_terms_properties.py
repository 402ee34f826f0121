"""Properties of payment-term schedules that hold for any terms, amount and date (R-6)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain import terms_steps as steps
from customer_master.domain.money import Rounding, round_to_digits
from customer_master.domain.terms import (
    Discount,
    Installment,
    InstallmentLine,
    PaymentTerms,
    Portion,
    PortionKind,
    ScheduleError,
    ScheduleSettings,
    due_date,
    schedule,
    terms_from_dict,
    terms_to_dict,
    validate_terms,
)

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
digits = st.integers(min_value=0, max_value=3)
amounts = st.builds(
    lambda units, places: Decimal(units).scaleb(-places),
    st.integers(min_value=-(10**11), max_value=10**11),
    st.integers(min_value=0, max_value=4),
)
roundings: st.SearchStrategy[Rounding] = st.sampled_from(["half_even", "half_up"])
settings = st.builds(
    ScheduleSettings,
    rounding=roundings,
    zero_installments=st.sampled_from(["keep", "omit"]),
    overallocation=st.sampled_from(["reject", "allow"]),
)
percents = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(100), places=6)
fixed_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2)

forward_steps = st.one_of(
    st.builds(steps.add_days, st.integers(0, 400)),
    st.builds(steps.add_weeks, st.integers(0, 60)),
    st.builds(steps.add_months, st.integers(0, 36)),
    st.builds(steps.add_years, st.integers(0, 3)),
    st.just(steps.end_of_month()),
    st.builds(steps.next_day_of_month, st.integers(1, 31)),
    st.builds(steps.next_weekday, st.integers(0, 6)),
)
any_steps = st.one_of(
    forward_steps,
    st.builds(steps.add_days, st.integers(-400, 0)),
    st.builds(steps.add_months, st.integers(-36, 0)),
    st.builds(steps.set_month, st.integers(1, 12)),
    st.builds(steps.day_of_month, st.integers(1, 31)),
)


StepStrategy = st.SearchStrategy[steps.DueStep]
earlier_kinds: st.SearchStrategy[PortionKind] = st.sampled_from(["percent", "percent_of_remaining", "fixed"])


@st.composite
def payment_terms(draw: st.DrawFn, due_steps: StepStrategy = any_steps) -> PaymentTerms:
    """Sound terms: the last line is the rest, or percents of the total make 100."""
    earlier = [
        Portion(kind, draw(fixed_amounts if kind == "fixed" else percents))
        for kind in draw(st.lists(earlier_kinds, max_size=4))
    ]
    of_total = sum((p.value for p in earlier if p.kind == "percent" and p.value), Decimal(0))
    if 0 <= of_total < 100 and draw(st.booleans()):
        last = Portion("percent", 100 - of_total)
    else:
        last = Portion("remainder")
    discounts = st.none() | st.builds(Discount, percent=percents, days=st.integers(0, 60))
    lines = tuple(
        InstallmentLine(
            portion=portion,
            due=tuple(draw(st.lists(due_steps, max_size=4))),
            discount=draw(discounts),
        )
        for portion in [*earlier, last]
    )
    terms = PaymentTerms(code="T", name="generated", lines=lines)
    assert validate_terms(terms) == []
    return terms


def schedule_or_refusal(
    terms: PaymentTerms, invoice_date: date, amount: Decimal, places: int, tenant: ScheduleSettings
) -> tuple[Installment, ...] | int:
    """The schedule, or the index of the line refused for asking more than is left."""
    try:
        return schedule(terms, invoice_date, amount, digits=places, settings=tenant)
    except ScheduleError as error:
        return error.line_index


@given(payment_terms(), dates, amounts, digits, settings)
def test_installments_add_up_to_the_rounded_total(
    terms: PaymentTerms, invoice_date: date, amount: Decimal, places: int, tenant: ScheduleSettings
) -> None:
    result = schedule_or_refusal(terms, invoice_date, amount, places, tenant)
    if isinstance(result, int):
        assert tenant.overallocation == "reject"
        return
    total = round_to_digits(amount, places, tenant.rounding)
    assert sum(installment.amount for installment in result) == total


@given(payment_terms(), dates, amounts, digits, settings)
def test_every_amount_is_in_whole_minor_units(
    terms: PaymentTerms, invoice_date: date, amount: Decimal, places: int, tenant: ScheduleSettings
) -> None:
    result = schedule_or_refusal(terms, invoice_date, amount, places, tenant)
    if isinstance(result, int):
        return
    for installment in result:
        for money in (installment.amount, installment.discount_amount):
            assert money.as_tuple().exponent == -places
        assert abs(installment.discount_amount) <= abs(installment.amount)


@given(payment_terms(), dates, amounts, digits, settings)
def test_a_credit_note_mirrors_the_invoice(
    terms: PaymentTerms, invoice_date: date, amount: Decimal, places: int, tenant: ScheduleSettings
) -> None:
    invoice = schedule_or_refusal(terms, invoice_date, abs(amount), places, tenant)
    credit_note = schedule_or_refusal(terms, invoice_date, -abs(amount), places, tenant)
    if isinstance(invoice, int):
        assert credit_note == invoice
        return
    assert isinstance(credit_note, tuple)
    mirrored = [(i.due_date, -i.amount, i.discount_date, -i.discount_amount) for i in invoice]
    assert [(c.due_date, c.amount, c.discount_date, c.discount_amount) for c in credit_note] == mirrored


@given(payment_terms(due_steps=forward_steps), dates, amounts, digits, settings)
def test_no_installment_falls_due_before_the_invoice_date(
    terms: PaymentTerms, invoice_date: date, amount: Decimal, places: int, tenant: ScheduleSettings
) -> None:
    result = schedule_or_refusal(terms, invoice_date, amount, places, tenant)
    if isinstance(result, int):
        return
    for installment in result:
        assert installment.due_date >= invoice_date
        assert installment.discount_date is None or installment.discount_date >= invoice_date
    assert due_date(terms, invoice_date) >= invoice_date


@given(payment_terms(), dates)
def test_due_date_is_the_latest_installment(terms: PaymentTerms, invoice_date: date) -> None:
    tenant = ScheduleSettings(overallocation="allow")
    installments = schedule(terms, invoice_date, Decimal("1000000.00"), digits=2, settings=tenant)
    assert due_date(terms, invoice_date) == max(i.due_date for i in installments)


def parts_by_hand(terms: PaymentTerms, total: Decimal, places: int, rounding: Rounding) -> list[Decimal]:
    """R-6.2 read literally: each line rounded on its own, the last one what is left."""
    parts, left = [], total
    for line in terms.lines[:-1]:
        value = line.portion.value or Decimal(0)
        base = {"percent": total * value / 100, "percent_of_remaining": left * value / 100}
        part = round_to_digits(base.get(line.portion.kind, value), places, rounding)
        parts.append(part)
        left -= part
    return [*parts, left]


@given(payment_terms(), amounts, digits, roundings)
def test_each_installment_is_its_share_rounded_on_its_own(
    terms: PaymentTerms, amount: Decimal, places: int, rounding: Rounding
) -> None:
    tenant = ScheduleSettings(rounding=rounding, overallocation="allow")
    installments = schedule(terms, date(2024, 1, 1), abs(amount), digits=places, settings=tenant)
    total = round_to_digits(abs(amount), places, rounding)
    expected = parts_by_hand(terms, total, places, rounding) if total else [total] * len(terms.lines)
    assert [installment.amount for installment in installments] == expected


@given(payment_terms())
def test_the_neutral_form_reads_back_the_same_terms(terms: PaymentTerms) -> None:
    assert terms_from_dict(terms_to_dict(terms)) == terms


# ---------------------------------------------------------------------------
# Due steps
# ---------------------------------------------------------------------------


def dateutil_relativedelta(
    d: date,
    *,
    month: int | None,
    day: int | None,
    weekday: int | None,
    years: int,
    months: int,
    weeks: int,
    days: int,
) -> date:
    """python-dateutil's relativedelta addition, as its documentation states it."""
    year, target_month = d.year + years, month or d.month
    if months:
        year_carry, month0 = divmod(target_month - 1 + months, 12)
        year, target_month = year + year_carry, month0 + 1
    last_day = calendar.monthrange(year, target_month)[1]
    moved = date(year, target_month, min(last_day, day or d.day))
    moved += timedelta(weeks=weeks, days=days)
    if weekday is not None:
        moved += timedelta(days=(weekday - moved.weekday()) % 7)
    return moved


@given(
    dates,
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 31),
    st.none() | st.integers(0, 6),
    st.integers(-3, 3),
    st.integers(-30, 30),
    st.integers(-10, 10),
    st.integers(-400, 400),
)
def test_a_tryton_relative_delta_is_expressible(
    d: date,
    month: int | None,
    day: int | None,
    weekday: int | None,
    years: int,
    months: int,
    weeks: int,
    days: int,
) -> None:
    rule = steps.relative_delta(
        month=month, day=day, weekday=weekday, years=years, months=months, weeks=weeks, days=days
    )
    expected = dateutil_relativedelta(
        d, month=month, day=day, weekday=weekday, years=years, months=months, weeks=weeks, days=days
    )
    assert steps.due_on(d, rule) == expected


@given(dates, st.lists(any_steps, max_size=6))
def test_a_prepared_due_rule_finds_the_same_date(d: date, rule: list[steps.DueStep]) -> None:
    assert steps.due_finder(tuple(rule))(d) == steps.due_on(d, tuple(rule))


@given(dates, st.integers(1, 31))
def test_next_day_of_month_is_the_first_such_day_on_or_after(d: date, day: int) -> None:
    found = steps.due_on(d, (steps.next_day_of_month(day),))
    assert found >= d
    assert found.day == min(day, calendar.monthrange(found.year, found.month)[1])
    between = (d + timedelta(days=n) for n in range((found - d).days))
    assert all(x.day != min(day, calendar.monthrange(x.year, x.month)[1]) for x in between)


@pytest.mark.parametrize(
    ("start", "rule", "expected"),
    [
        (date(2024, 1, 31), (steps.add_months(1),), date(2024, 2, 29)),
        (date(2023, 1, 30), (steps.set_month(2), steps.add_days(1)), date(2023, 3, 1)),
        (date(2024, 2, 29), (steps.add_years(1),), date(2025, 2, 28)),
        (date(2024, 3, 31), (steps.add_months(-1), steps.add_months(1)), date(2024, 3, 29)),
    ],
)
def test_a_step_past_the_month_end_lands_on_its_last_day_at_once(
    start: date, rule: steps.DueRule, expected: date
) -> None:
    assert steps.due_on(start, rule) == expected
