"""Payment terms: how much of an invoice is due when (SPEC R-6).

Payment terms split an invoice total into installments. Each line of the terms takes a
portion (a percent of the total, a percent of what earlier lines left, a fixed amount, or
the rest) due on a date its due rule finds from the invoice date, and may offer an
early-payment discount. Amounts are rounded to the currency's minor unit and the last
installment is the total less the earlier ones, so the schedule always adds up to the
invoice. A credit note gets the same schedule with the signs turned round.

>>> from customer_master.domain.terms_steps import net_days
>>> terms = PaymentTerms(code="30NOW", name="30% now, the rest in 30 days", lines=(
...     InstallmentLine(portion=percent("30"), discount=Discount(percent=Decimal(2), days=10)),
...     InstallmentLine(portion=remainder(), due=net_days(30)),
... ))
>>> for part in schedule(terms, date(2024, 1, 15), Decimal("999.99"), currency="USD"):
...     print(part.due_date, part.amount, part.discount_date, part.discount_amount)
2024-01-15 300.00 2024-01-25 6.00
2024-02-14 699.99 None 0.00
>>> due_date(terms, date(2024, 1, 15)), due_date(None, date(2024, 1, 15))
(datetime.date(2024, 2, 14), datetime.date(2024, 1, 15))
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from typing import Literal, get_args

from attrs import field, frozen
from attrs.validators import in_

from customer_master.domain.money import Rounding, minor_unit, round_to_digits
from customer_master.domain.reading import Reader
from customer_master.domain.terms_steps import (
    DueFinder,
    DueRule,
    DueStep,
    due_finder,
    step_from_dict,
    step_problem,
    step_to_dict,
)
from customer_master.errors import BusinessRuleViolation, FieldError, ValidationFailed

PortionKind = Literal["percent", "percent_of_remaining", "fixed", "remainder"]
PORTION_KINDS: tuple[PortionKind, ...] = get_args(PortionKind)
_KINDS: dict[str, PortionKind] = {kind: kind for kind in PORTION_KINDS}
PERCENT_PLACES = 6
_HUNDRED = Decimal(100)


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


@frozen
class Portion:
    """The share of the invoice one line takes; ``value`` is 25 for 25%, the amount for
    ``fixed`` and ``None`` for ``remainder``."""

    kind: PortionKind
    value: Decimal | None = None


def percent(value: str | Decimal) -> Portion:
    """That percent of the invoice total."""
    return Portion("percent", Decimal(value))


def percent_of_remaining(value: str | Decimal) -> Portion:
    """That percent of what the earlier lines left."""
    return Portion("percent_of_remaining", Decimal(value))


def fixed(amount: str | Decimal) -> Portion:
    """A fixed amount in the invoice currency (negative on a credit note)."""
    return Portion("fixed", Decimal(amount))


def remainder() -> Portion:
    """Whatever the earlier lines left."""
    return Portion("remainder")


@frozen(kw_only=True)
class Discount:
    """``percent`` of the installment off if paid within ``days`` of the invoice date."""

    percent: Decimal
    days: int


@frozen(kw_only=True)
class InstallmentLine:
    """One line of payment terms: a portion, its due rule, and an optional discount."""

    portion: Portion
    due: DueRule = ()
    discount: Discount | None = None


@frozen(kw_only=True, cache_hash=True)
class PaymentTerms:
    """Payment terms as a tenant configures them: ``NET30``, ``COD``, ``EOM30``, …"""

    code: str
    name: str = ""
    lines: tuple[InstallmentLine, ...]


@frozen(kw_only=True)
class ScheduleSettings:
    """The tenant's choices where the peers differ (SPEC R-6.2)."""

    rounding: Rounding = field(default="half_even", validator=in_(get_args(Rounding)))
    zero_installments: Literal["keep", "omit"] = field(default="keep", validator=in_(("keep", "omit")))
    overallocation: Literal["reject", "allow"] = field(default="reject", validator=in_(("reject", "allow")))


DEFAULT_SETTINGS = ScheduleSettings()


@frozen(kw_only=True)
class Installment:
    """One part of an invoice: its amount due on a date, and the discount (zero when
    none) for paying it by ``discount_date``."""

    due_date: date
    amount: Decimal
    discount_date: date | None = None
    discount_amount: Decimal


class ScheduleError(BusinessRuleViolation, ValueError):
    """A line asks for more than the earlier lines left (``overallocation=reject``)."""

    def __init__(self, line_index: int, message: str) -> None:
        self.line_index = line_index
        super().__init__("overallocated", f"lines[{line_index}]: {message}")


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def validate_terms(terms: PaymentTerms) -> list[FieldError]:
    """Every problem that makes ``terms`` unusable; an empty list when they are sound."""
    problems: list[FieldError] = []
    if not terms.code.strip():
        problems.append(FieldError("code", "required", "payment terms need a code"))
    if not terms.lines:
        problems.append(FieldError("lines", "required", "payment terms need a line"))
    for index, line in enumerate(terms.lines):
        is_last = index == len(terms.lines) - 1
        problems += _line_problems(line, f"lines[{index}]", is_last)
    if terms.lines and not problems:
        problems += _coverage_problems(terms)
    return problems


def _line_problems(line: InstallmentLine, path: str, is_last: bool) -> list[FieldError]:
    problems = _portion_problems(line.portion, f"{path}.portion", is_last)
    for number, step in enumerate(line.due):
        if message := step_problem(step):
            problems.append(FieldError(f"{path}.due[{number}]", "out_of_range", message))
    if line.discount is not None:
        problems += _percent_problems(line.discount.percent, f"{path}.discount.percent")
        if line.discount.days < 0:
            message = "the discount period cannot be negative"
            problems.append(FieldError(f"{path}.discount.days", "out_of_range", message))
    return problems


def _portion_problems(portion: Portion, path: str, is_last: bool) -> list[FieldError]:
    if portion.kind == "remainder":
        if not is_last:
            message = "only the last line can take the rest"
            return [FieldError(f"{path}.kind", "remainder_not_last", message)]
        if portion.value is not None:
            return [FieldError(f"{path}.value", "not_allowed", "the rest takes no value")]
        return []
    if portion.value is None:
        return [FieldError(f"{path}.value", "required", f"a {portion.kind} needs a value")]
    if portion.kind == "fixed":
        if portion.value.is_finite() and portion.value > 0:
            return []
        return [FieldError(f"{path}.value", "out_of_range", "a fixed amount must be positive")]
    return _percent_problems(portion.value, f"{path}.value")


def _percent_problems(value: Decimal, path: str) -> list[FieldError]:
    if not value.is_finite() or not 0 < value <= _HUNDRED:
        return [FieldError(path, "out_of_range", f"a percent is above 0 and at most 100, not {value}")]
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PERCENT_PLACES:
        message = f"a percent has at most {PERCENT_PLACES} decimal places, not {value}"
        return [FieldError(path, "too_precise", message)]
    return []


def _coverage_problems(terms: PaymentTerms) -> list[FieldError]:
    if terms.lines[-1].portion.kind == "remainder":
        return []
    percents = [line.portion.value for line in terms.lines if line.portion.kind == "percent"]
    of_total = sum((value for value in percents if value is not None), Decimal(0))
    if of_total == _HUNDRED:
        return []
    message = f"the percents of the total add up to {of_total}, not 100, and no last line takes the rest"
    return [FieldError("lines", "not_covering", message)]


# ---------------------------------------------------------------------------
# The schedule and the due date
# ---------------------------------------------------------------------------


def schedule(
    terms: PaymentTerms,
    invoice_date: date,
    amount: Decimal,
    *,
    currency: str | None = None,
    digits: int | None = None,
    settings: ScheduleSettings = DEFAULT_SETTINGS,
) -> tuple[Installment, ...]:
    """The installments of an invoice of ``amount`` dated ``invoice_date`` under ``terms``.

    Give the invoice ``currency`` (amounts are rounded to its minor unit) or the number of
    ``digits`` directly. Raises ``ValidationFailed`` for unusable terms and ``ScheduleError``
    when a line asks for more than is left and ``settings.overallocation`` is ``reject``.
    """
    plan = _plan(terms)
    places = _places(currency, digits)
    rounding = settings.rounding
    total = round_to_digits(abs(amount), places, rounding)
    parts = _split(plan, total, places, settings)
    is_credit_note = amount < 0
    keep_zeros = settings.zero_installments == "keep"
    installments = []
    for line, part in zip(plan.lines, parts, strict=True):
        if part or keep_zeros:
            signed = -part if is_credit_note else part
            installments.append(_installment(line, invoice_date, signed, places, rounding))
    if not installments:
        zero = _zero(places)
        return (Installment(due_date=invoice_date, amount=zero, discount_amount=zero),)
    return tuple(installments)


def due_date(terms: PaymentTerms | None, invoice_date: date) -> date:
    """When an invoice is due: its latest installment's date, or its own date when there
    are no payment terms (R-6.4). A zero invoice under ``zero_installments=omit`` has the
    single installment (invoice date, 0); take the date from its schedule instead."""
    if terms is None:
        return invoice_date
    return max(line.find_due(invoice_date) for line in _plan(terms).lines)


@frozen
class _PlannedLine:
    """A line made ready for scheduling: a percent as a fraction (25% as 0.25), a fixed
    amount as is, and the due rule as a function of the invoice date."""

    kind: PortionKind
    share: Decimal
    find_due: DueFinder
    discount_share: Decimal | None
    discount_period: timedelta


@frozen
class _Plan:
    lines: tuple[_PlannedLine, ...]
    earlier: tuple[_PlannedLine, ...]


@lru_cache(maxsize=1024)
def _plan(terms: PaymentTerms) -> _Plan:
    """Validate ``terms`` once and turn them into what ``schedule`` runs on."""
    problems = validate_terms(terms)
    if problems:
        raise ValidationFailed(problems)
    lines = tuple(_plan_line(line) for line in terms.lines)
    return _Plan(lines=lines, earlier=lines[:-1])


def _plan_line(line: InstallmentLine) -> _PlannedLine:
    value = line.portion.value or Decimal(0)
    discount = line.discount
    return _PlannedLine(
        kind=line.portion.kind,
        share=value if line.portion.kind == "fixed" else value.scaleb(-2),
        find_due=due_finder(line.due),
        discount_share=None if discount is None else discount.percent.scaleb(-2),
        discount_period=timedelta(days=0 if discount is None else discount.days),
    )


def _places(currency: str | None, digits: int | None) -> int:
    if digits is None and currency is not None:
        return minor_unit(currency)
    if currency is None and digits is not None:
        return digits
    raise TypeError("schedule() takes either a currency or its digits")


def _split(plan: _Plan, total: Decimal, places: int, settings: ScheduleSettings) -> list[Decimal]:
    """Each line's part of the unsigned ``total``: the last line takes what the others left,
    which goes below zero only when ``overallocation`` is ``allow``. A zero total owes
    nothing, so every part is zero and no line is refused."""
    if not total:
        return [total] * len(plan.lines)
    amounts: list[Decimal] = []
    left = total
    for index, line in enumerate(plan.earlier):
        share = total if line.kind == "percent" else left
        part = line.share if line.kind == "fixed" else share * line.share
        part = round_to_digits(part, places, settings.rounding)
        if part > left and settings.overallocation == "reject":
            message = f"installment {index + 1} is {part} but only {left} of {total} is left"
            raise ScheduleError(index, message)
        amounts.append(part)
        left -= part
    amounts.append(left)
    return amounts


def _installment(
    line: _PlannedLine, invoice_date: date, amount: Decimal, places: int, rounding: Rounding
) -> Installment:
    due = line.find_due(invoice_date)
    if line.discount_share is None:
        return Installment(due_date=due, amount=amount, discount_amount=_zero(places))
    return Installment(
        due_date=due,
        amount=amount,
        discount_date=invoice_date + line.discount_period,
        discount_amount=round_to_digits(amount * line.discount_share, places, rounding),
    )


@cache
def _zero(places: int) -> Decimal:
    return round_to_digits(Decimal(0), places)


# ---------------------------------------------------------------------------
# The neutral form: how terms are stored and sent (JSON-ready)
# ---------------------------------------------------------------------------


def terms_to_dict(terms: PaymentTerms) -> dict[str, object]:
    """``terms`` in their neutral form; ``terms_from_dict`` reads it back unchanged."""
    return {
        "code": terms.code,
        "name": terms.name,
        "lines": [_line_to_dict(line) for line in terms.lines],
    }


def _line_to_dict(line: InstallmentLine) -> dict[str, object]:
    value = line.portion.value
    discount = line.discount
    return {
        "portion": {"kind": line.portion.kind, "value": None if value is None else f"{value:f}"},
        "due": [step_to_dict(step) for step in line.due],
        "discount": None if discount is None else {"percent": f"{discount.percent:f}", "days": discount.days},
    }


def terms_from_dict(data: object) -> PaymentTerms:
    """Read terms from their neutral form. Raises ``ValidationFailed`` listing every
    malformed part with its path; whether the terms make sense is ``validate_terms``'s job.
    """
    errors: list[FieldError] = []
    top = Reader(data, "", errors)
    top.only(("code", "name", "lines"))
    if not top.has("lines"):
        top.error("lines", "required", "is required")
    code, name = top.text("code") or "", top.text("name") or ""
    lines = [_read_line(Reader(item, path, errors)) for path, item in top.items("lines")]
    if errors:
        raise ValidationFailed(errors)
    return PaymentTerms(code=code, name=name, lines=tuple(line for line in lines if line))


def _read_line(r: Reader) -> InstallmentLine | None:
    r.only(("portion", "due", "discount"))
    portion = Reader(r.raw("portion"), r.at("portion"), r.errors)
    portion.only(("kind", "value"))
    kind = portion.choice("kind", PORTION_KINDS, required=True)
    value = portion.decimal("value")
    due = [_read_step(item, path, r.errors) for path, item in r.items("due")]
    discount = r.raw("discount")
    if discount is not None:
        discount = _read_discount(Reader(discount, r.at("discount"), r.errors))
    if kind is None or None in due or not isinstance(discount, Discount | None):
        return None
    steps = tuple(step for step in due if step)
    return InstallmentLine(portion=Portion(_KINDS[kind], value), due=steps, discount=discount)


def _read_step(data: object, path: str, errors: list[FieldError]) -> DueStep | None:
    try:
        return step_from_dict(data)
    except ValueError as problem:
        errors.append(FieldError(path, "not_a_step", str(problem)))
        return None


def _read_discount(r: Reader) -> Discount | None:
    r.only(("percent", "days"))
    percent, days = r.decimal("percent", required=True), r.integer("days")
    if r.raw("days") is None:
        r.error("days", "required", "is required")
    return None if percent is None or days is None else Discount(percent=percent, days=days)
