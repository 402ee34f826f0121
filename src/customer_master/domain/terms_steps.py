"""Due rules: how an installment's due date is found from the invoice date.

A due rule is a short list of steps applied to the invoice date in order (SPEC R-6.1):
add days, weeks, months or years; set the month; move to the end of the month; move to
day D of the month; move forward to the next day D of a month; move forward to a
weekday. Every step lands on a real date: a step that would land on a day its month
lacks (31 January plus one month) lands on that month's last day, and the next step
starts from there.

The peers' term types (R-6.3) are named helpers that build such a list:

>>> from datetime import date
>>> due_on(date(2024, 1, 31), net_days(30))
datetime.date(2024, 3, 1)
>>> due_on(date(2024, 1, 31), (add_months(1), day_of_month(31)))
datetime.date(2024, 2, 29)
>>> due_on(date(2024, 1, 15), days_after_end_of_month(15))
datetime.date(2024, 2, 15)
>>> due_on(date(2019, 1, 31), next_day_of_month_after(15, after_days=31))
datetime.date(2019, 3, 15)
>>> relative_delta(months=2, day=15, days=30)
(add_months(2), day_of_month(15), add_days(30))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Literal, get_args

from attrs import frozen

StepAction = Literal[
    "add_days",
    "add_weeks",
    "add_months",
    "add_years",
    "set_month",
    "end_of_month",
    "day_of_month",
    "next_day_of_month",
    "next_weekday",
]
STEP_ACTIONS: tuple[StepAction, ...] = get_args(StepAction)

# The range each step's number must lie in; adds reach at most a century either way.
STEP_LIMITS: Mapping[str, tuple[int, int]] = {
    "add_days": (-36_600, 36_600),
    "add_weeks": (-5_200, 5_200),
    "add_months": (-1_200, 1_200),
    "add_years": (-100, 100),
    "set_month": (1, 12),
    "end_of_month": (0, 0),
    "day_of_month": (1, 31),
    "next_day_of_month": (1, 31),
    "next_weekday": (0, 6),
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@frozen
class DueStep:
    """One step of a due rule; ``value`` is the N, M, D or W of the step (unused for
    ``end_of_month``)."""

    action: StepAction
    value: int = 0

    def __repr__(self) -> str:
        return "end_of_month()" if self.action == "end_of_month" else f"{self.action}({self.value})"


DueRule = tuple[DueStep, ...]


def step_problem(step: DueStep) -> str | None:
    """What is wrong with ``step`` (a month 13, a weekday 7), or ``None``."""
    low, high = STEP_LIMITS[step.action]
    if low <= step.value <= high:
        return None
    return f"{step.action} takes {low} to {high}, not {step.value}"


# ---------------------------------------------------------------------------
# The steps, one builder each
# ---------------------------------------------------------------------------


def add_days(n: int) -> DueStep:
    """Move ``n`` days (back when negative)."""
    return DueStep("add_days", n)


def add_weeks(n: int) -> DueStep:
    """Move ``n`` weeks (back when negative)."""
    return DueStep("add_weeks", n)


def add_months(n: int) -> DueStep:
    """Move ``n`` months, keeping the day where the month has it."""
    return DueStep("add_months", n)


def add_years(n: int) -> DueStep:
    """Move ``n`` years (29 February becomes the 28th in other years)."""
    return DueStep("add_years", n)


def set_month(month: int) -> DueStep:
    """Move to ``month`` (1-12) of the same year."""
    return DueStep("set_month", month)


def end_of_month() -> DueStep:
    """Move to the last day of the month."""
    return DueStep("end_of_month")


def day_of_month(day: int) -> DueStep:
    """Move to ``day`` of the same month (its last day if the month is shorter)."""
    return DueStep("day_of_month", day)


def next_day_of_month(day: int) -> DueStep:
    """Move forward to the next ``day`` of a month, staying put if already on it."""
    return DueStep("next_day_of_month", day)


def next_weekday(weekday: int) -> DueStep:
    """Move forward to ``weekday`` (0 = Monday), staying put if already on it."""
    return DueStep("next_weekday", weekday)


# ---------------------------------------------------------------------------
# The peers' term types (SPEC R-6.3)
# ---------------------------------------------------------------------------


def cod() -> DueRule:
    """Cash on delivery: due on the invoice date itself."""
    return ()


def net_days(days: int) -> DueRule:
    """ERPNext "days after invoice date", Odoo "days after": Net 30 is ``net_days(30)``."""
    return (add_days(days),)


def days_after_end_of_month(days: int) -> DueRule:
    """ERPNext "days after the end of the invoice month", Odoo "days after end of month"."""
    return (end_of_month(), add_days(days))


def months_after_end_of_month(months: int) -> DueRule:
    """ERPNext "months after the end of the invoice month": the end of the month ``months``
    after the invoice month."""
    return (add_months(months), end_of_month())


def days_after_end_of_next_month(days: int) -> DueRule:
    """Odoo "days after end of next month"."""
    return (add_months(1), end_of_month(), add_days(days))


def day_n_of_month_after_end_of_month(day: int, after_days: int = 0) -> DueRule:
    """Odoo "N days, end of month on the D": day ``day`` of the month after the one
    reached ``after_days`` after the invoice date; ``day=0`` means that month's end."""
    if day == 0:
        return (add_days(after_days), end_of_month())
    return (add_days(after_days), add_months(1), day_of_month(day))


def next_day_of_month_after(day: int, after_days: int = 0) -> DueRule:
    """Older Odoo "day of the month": the first day ``day`` of a month on or after
    ``after_days`` after the invoice date."""
    return (add_days(after_days), next_day_of_month(day))


def relative_delta(
    *,
    month: int | None = None,
    day: int | None = None,
    weekday: int | None = None,
    years: int = 0,
    months: int = 0,
    weeks: int = 0,
    days: int = 0,
) -> DueRule:
    """A Tryton payment-term delta, read as python-dateutil's ``relativedelta`` reads it:
    month and months first with the day clamped once, then day, weeks, days, weekday."""
    steps: list[DueStep] = []
    if month is None:
        if years or months:
            steps.append(add_months(12 * years + months))
    else:
        # One target month, so the day is clamped only once, as relativedelta does.
        carry, target = divmod(month - 1 + months, 12)
        shift = [add_years(years + carry)] if years + carry else []
        target_month = [set_month(target + 1)]
        # February is the only month whose length depends on the year.
        steps += shift + target_month if target == 1 else target_month + shift
    if day is not None:
        steps.append(day_of_month(day))
    if weeks:
        steps.append(add_weeks(weeks))
    if days:
        steps.append(add_days(days))
    if weekday is not None:
        steps.append(next_weekday(weekday))
    return tuple(steps)


# ---------------------------------------------------------------------------
# Applying a due rule
# ---------------------------------------------------------------------------

_MONTH_LENGTHS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` in ``year``."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_LENGTHS[month]


def _on_day(year: int, month: int, day: int) -> date:
    """The date ``day`` of the month, or the month's last day if it is shorter."""
    return date(year, month, min(day, days_in_month(year, month)))


def _add_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _add_weeks(d: date, n: int) -> date:
    return d + timedelta(weeks=n)


def _add_months(d: date, n: int) -> date:
    years, month0 = divmod(d.month - 1 + n, 12)
    return _on_day(d.year + years, month0 + 1, d.day)


def _add_years(d: date, n: int) -> date:
    return _on_day(d.year + n, d.month, d.day)


def _set_month(d: date, month: int) -> date:
    return _on_day(d.year, month, d.day)


def _end_of_month(d: date, _: int) -> date:
    return d.replace(day=days_in_month(d.year, d.month))


def _day_of_month(d: date, day: int) -> date:
    return _on_day(d.year, d.month, day)


def _next_day_of_month(d: date, day: int) -> date:
    this_month = _day_of_month(d, day)
    return this_month if this_month >= d else _on_day(*_month_after(d), day)


def _month_after(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _next_weekday(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


StepMove = Callable[[date, int], date]

STEP_MOVES: Mapping[StepAction, StepMove] = {
    "add_days": _add_days,
    "add_weeks": _add_weeks,
    "add_months": _add_months,
    "add_years": _add_years,
    "set_month": _set_month,
    "end_of_month": _end_of_month,
    "day_of_month": _day_of_month,
    "next_day_of_month": _next_day_of_month,
    "next_weekday": _next_weekday,
}


def due_on(invoice_date: date, rule: DueRule) -> date:
    """The date ``rule`` reaches from ``invoice_date``, one step after the other."""
    d = invoice_date
    for step in rule:
        d = STEP_MOVES[step.action](d, step.value)
    return d


DueFinder = Callable[[date], date]


_DAYS_PER = {"add_days": timedelta(days=1), "add_weeks": timedelta(weeks=1)}


def due_finder(rule: DueRule) -> DueFinder:
    """``due_on`` made ready for one rule, for scheduling many invoices under it."""
    if all(step.action in _DAYS_PER for step in rule):
        # Days and weeks add up, so a rule made only of them is one shift (Net 30).
        offset = sum((_DAYS_PER[step.action] * step.value for step in rule), timedelta())
        return lambda invoice_date: invoice_date + offset
    return lambda invoice_date: due_on(invoice_date, rule)


def step_to_dict(step: DueStep) -> dict[str, int | bool]:
    """The neutral form of a step: ``{"add_days": 30}``, ``{"end_of_month": true}``."""
    return {step.action: True} if step.action == "end_of_month" else {step.action: step.value}


def step_from_dict(data: object) -> DueStep:
    """Read a step from its neutral form; ``ValueError`` says what is wrong with it."""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ValueError('a step is an object with exactly one key, e.g. {"add_days": 30}')
    ((name, value),) = data.items()
    action = _ACTIONS.get(name) if isinstance(name, str) else None
    if action is None:
        raise ValueError(f"unknown step {name!r}; expected one of {', '.join(STEP_ACTIONS)}")
    if action == "end_of_month":
        if value is not True:
            raise ValueError("end_of_month takes the value true")
        return end_of_month()
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{action} takes a whole number, not {value!r}")
    return DueStep(action, value)


_ACTIONS: Mapping[str, StepAction] = {action: action for action in STEP_ACTIONS}
