"""Steps for features/payment_terms.feature: payment terms written in a finance user's words.

A due rule is written either as one of the peers' named term types ("15 days after the
end of the invoice month") or as plain steps joined by ", then " ("2 months after the
invoice date, then on day 15, then 30 days later").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master.domain import terms_steps as steps
from customer_master.domain.terms import (
    Discount,
    Installment,
    InstallmentLine,
    PaymentTerms,
    Portion,
    ScheduleError,
    ScheduleSettings,
    due_date,
    fixed,
    percent,
    percent_of_remaining,
    remainder,
    schedule,
    validate_terms,
)
from customer_master.errors import FieldError

scenarios("payment_terms.feature")

# ---------------------------------------------------------------------------
# Due rules in words
# ---------------------------------------------------------------------------

NAMED_TERM_TYPES: list[tuple[str, Callable[..., steps.DueRule]]] = [
    (r"on the invoice date", steps.cod),
    (r"(\d+) days? after the invoice date", lambda n: steps.net_days(int(n))),
    (
        r"(\d+) days? after the end of the invoice month",
        lambda n: steps.days_after_end_of_month(int(n)),
    ),
    (
        r"at the end of the month (\d+) months? after the invoice month",
        lambda n: steps.months_after_end_of_month(int(n)),
    ),
    (
        r"(\d+) days? after the end of the next month",
        lambda n: steps.days_after_end_of_next_month(int(n)),
    ),
    (
        r"on day (\d+) of the month after the one (\d+) days? after the invoice date",
        lambda day, n: steps.day_n_of_month_after_end_of_month(int(day), int(n)),
    ),
    (
        r"on the next day (\d+) of a month at least (\d+) days? after the invoice date",
        lambda day, n: steps.next_day_of_month_after(int(day), int(n)),
    ),
    (r'at the relative delta "(.+)"', lambda delta: steps.relative_delta(**tryton_delta(delta))),
]

ADDS = {
    "day": steps.add_days,
    "week": steps.add_weeks,
    "month": steps.add_months,
    "year": steps.add_years,
}
WEEKDAYS = {name: number for number, name in enumerate(steps.WEEKDAYS)}

ONE_STEP: list[tuple[str, Callable[..., steps.DueStep]]] = [
    (r"(\d+) (day|week|month|year)s? (?:after the invoice date|later)", lambda n, unit: ADDS[unit](int(n))),
    (r"(\d+) (day|week|month|year)s? earlier", lambda n, unit: ADDS[unit](-int(n))),
    (r"at the end of (?:the|that) month", steps.end_of_month),
    (r"on day (\d+)", lambda day: steps.day_of_month(int(day))),
    (r"on the next day (\d+) of a month", lambda day: steps.next_day_of_month(int(day))),
    (r"on the next (\w+day)", lambda name: steps.next_weekday(WEEKDAYS[name])),
]


def due_rule(words: str) -> steps.DueRule:
    """The due rule a finance user means by ``words``."""
    for pattern, build in NAMED_TERM_TYPES:
        if found := re.fullmatch(pattern, words):
            return build(*found.groups())
    return tuple(one_step(part) for part in words.split(", then "))


def one_step(words: str) -> steps.DueStep:
    for pattern, build in ONE_STEP:
        if found := re.fullmatch(pattern, words):
            return build(*found.groups())
    raise ValueError(f"no due step reads {words!r}")


def tryton_delta(words: str) -> dict[str, int]:
    """ "months 2, day 15, weekday Friday" as the fields of a Tryton delta."""
    fields = dict(part.split(" ") for part in words.split(", "))
    return {name: WEEKDAYS[value] if name == "weekday" else int(value) for name, value in fields.items()}


def share(words: str) -> Portion:
    if words == "the rest":
        return remainder()
    if found := re.fullmatch(r"([\d.]+)% of what's left", words):
        return percent_of_remaining(found[1])
    if found := re.fullmatch(r"([\d.]+)%", words):
        return percent(found[1])
    if found := re.fullmatch(r"([\d.,]+) fixed", words):
        return fixed(money(found[1]))
    raise ValueError(f"no share reads {words!r}")


def discount(words: str) -> Discount | None:
    if not words:
        return None
    found = re.fullmatch(r"([\d.]+)% within (\d+) days?", words)
    assert found, f"no early-payment discount reads {words!r}"
    return Discount(percent=Decimal(found[1]), days=int(found[2]))


def money(words: str) -> Decimal:
    return Decimal(words.replace(",", ""))


# ---------------------------------------------------------------------------
# Given
# ---------------------------------------------------------------------------


@pytest.fixture
def tenant_settings() -> dict[str, str]:
    return {}


@given(parsers.parse("the tenant rounds {mode}"))
def tenant_rounds(tenant_settings: dict[str, str], mode: str) -> None:
    tenant_settings["rounding"] = mode.replace(" ", "_")


@given("the tenant leaves out installments that round to nothing")
def tenant_omits_zero_installments(tenant_settings: dict[str, str]) -> None:
    tenant_settings["zero_installments"] = "omit"


@given("the tenant lets the last installment go negative")
def tenant_allows_overallocation(tenant_settings: dict[str, str]) -> None:
    tenant_settings["overallocation"] = "allow"


@given(
    parsers.re(r'payment terms "(?P<code>[^"]+)" paying everything (?P<due>.+)'),
    target_fixture="terms",
)
def terms_in_one_installment(code: str, due: str) -> PaymentTerms:
    line = InstallmentLine(portion=percent("100"), due=due_rule(due))
    return PaymentTerms(code=code, name=code, lines=(line,))


@given(parsers.parse('payment terms "{code}" with these installments:'), target_fixture="terms")
def terms_in_installments(code: str, datatable: list[list[str]]) -> PaymentTerms:
    header, *rows = datatable
    lines = []
    for row in rows:
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        lines.append(
            InstallmentLine(
                portion=share(cells["share"]),
                due=due_rule(cells["due"]),
                discount=discount(cells.get("early-payment discount", "")),
            )
        )
    return PaymentTerms(code=code, name=code, lines=tuple(lines))


@given("the customer has no payment terms", target_fixture="terms")
def no_terms() -> None:
    return None


# ---------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------


@when(
    parsers.re(
        r"an? (?P<document>invoice|credit note) dated (?P<day>[\d-]+) "
        r"for (?P<amount>[\d,.]+) (?P<currency>[A-Z]{3}) is scheduled"
    ),
    target_fixture="invoice",
)
def invoice_is_scheduled(
    terms: PaymentTerms | None,
    tenant_settings: dict[str, Any],
    document: str,
    day: str,
    amount: str,
    currency: str,
) -> dict[str, Any]:
    total = money(amount) if document == "invoice" else -money(amount)
    invoice: dict[str, Any] = {"date": date.fromisoformat(day), "schedule": None, "error": None}
    if terms is not None:
        settings = ScheduleSettings(**tenant_settings)
        try:
            invoice["schedule"] = schedule(
                terms, invoice["date"], total, currency=currency, settings=settings
            )
        except ScheduleError as error:
            invoice["error"] = error
    return invoice


@when("the payment terms are checked", target_fixture="problems")
def terms_are_checked(terms: PaymentTerms) -> list[FieldError]:
    return validate_terms(terms)


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


@then("the schedule is:")
def schedule_is(invoice: dict[str, Any], datatable: list[list[str]]) -> None:
    assert invoice["error"] is None, invoice["error"]
    header, *rows = datatable
    got = [as_row(installment, header) for installment in invoice["schedule"]]
    want = [[cell.strip() for cell in row] for row in rows]
    assert got == want


def as_row(installment: Installment, header: list[str]) -> list[str]:
    cells = {
        "due date": installment.due_date.isoformat(),
        "amount": str(installment.amount),
        "discount if paid by": (installment.discount_date.isoformat() if installment.discount_date else ""),
        "discount": str(installment.discount_amount),
    }
    return [cells[name] for name in header]


@then(parsers.parse("the invoice is due on {day}"))
def invoice_is_due_on(terms: PaymentTerms | None, invoice: dict[str, Any], day: str) -> None:
    due = date.fromisoformat(day)
    assert due_date(terms, invoice["date"]) == due
    if invoice["schedule"] is not None:
        assert max(installment.due_date for installment in invoice["schedule"]) == due


@then(parsers.parse("the schedule is refused because installment {number:d} asks for more than is left"))
def schedule_is_refused(invoice: dict[str, Any], number: int) -> None:
    assert isinstance(invoice["error"], ScheduleError), invoice["schedule"]
    assert invoice["error"].line_index == number - 1
    assert f"lines[{number - 1}]" in str(invoice["error"])


REASONS = {
    "the percentages do not cover the whole amount": ("lines", "not_covering"),
    "only the last installment can take the rest": ("lines[0].portion.kind", "remainder_not_last"),
    "a percentage has more than 6 decimal places": ("lines[0].portion.value", "too_precise"),
    "a percentage must be above 0 and at most 100": ("lines[0].portion.value", "out_of_range"),
    "a fixed amount must be more than nothing": ("lines[0].portion.value", "out_of_range"),
}


@then(parsers.parse("they are rejected because {reason}"))
def terms_are_rejected(problems: list[FieldError], reason: str) -> None:
    assert [(problem.path, problem.code) for problem in problems] == [REASONS[reason]]


@then("they are accepted")
def terms_are_accepted(problems: list[FieldError]) -> None:
    assert problems == []
