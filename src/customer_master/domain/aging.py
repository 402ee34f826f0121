"""Aging: how long has what the customer owes been overdue? (SPEC R-13.2)

As of a date, each open item's balance falls in one bucket by the days since the date it
is aged from — an invoice's due date (its own date when it has none), an unapplied
credit note's or payment's own date: **current** (not yet due, or due that day), **1–30**,
**31–60**, **61–90** and **over 90** days past due. Credits enter their bucket as
negative amounts, so each bucket and the total are what the customer owes net.

"As of" a past date means as the books stood that day: documents dated later are left
out, a document reversed later still counts, and what was applied to a document later
is added back to its balance (``balance_as_of``).

>>> bounds = AgingBounds.as_of(date(2026, 3, 31))
>>> [bounds.bucket(date(2026, m, d)) for m, d in ((4, 1), (3, 31), (3, 1), (2, 28), (12, 1))]
['current', 'current', 'days_1_30', 'days_31_60', 'current']
>>> bounds.bucket(date(2025, 12, 31)), bounds.bucket(date(2025, 12, 30))
('days_61_90', 'over_90')
>>> AgingBuckets.of([("days_1_30", Decimal("100")), ("current", Decimal("-40"))]).total
Decimal('60')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from attrs import evolve, frozen

from customer_master.domain.receivables import OpenItem

Bucket = Literal["current", "days_1_30", "days_31_60", "days_61_90", "over_90"]
BUCKETS: tuple[Bucket, ...] = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90")
BUCKET_TITLES: Mapping[Bucket, str] = {
    "current": "Current",
    "days_1_30": "1–30 days",
    "days_31_60": "31–60 days",
    "days_61_90": "61–90 days",
    "over_90": "Over 90 days",
}
_ZERO = Decimal(0)


@frozen
class AgingBounds:
    """The earliest date of each bucket as of a date: an item aged from ``current`` or
    later is current, from ``days_1_30`` up to the day before ``current`` is 1–30 days past
    due, and so on; anything before ``days_61_90`` is over 90."""

    current: date
    days_1_30: date
    days_31_60: date
    days_61_90: date

    @classmethod
    def as_of(cls, day: date) -> AgingBounds:
        return cls(day, day - timedelta(days=30), day - timedelta(days=60), day - timedelta(days=90))

    def bucket(self, aged_from: date) -> Bucket:
        """The bucket of an item aged from ``aged_from``."""
        if aged_from >= self.current:
            return "current"
        if aged_from >= self.days_1_30:
            return "days_1_30"
        if aged_from >= self.days_31_60:
            return "days_31_60"
        if aged_from >= self.days_61_90:
            return "days_61_90"
        return "over_90"


@frozen(kw_only=True)
class AgingBuckets:
    """Amounts owed per bucket (credits negative) in one currency."""

    current: Decimal = _ZERO
    days_1_30: Decimal = _ZERO
    days_31_60: Decimal = _ZERO
    days_61_90: Decimal = _ZERO
    over_90: Decimal = _ZERO

    @classmethod
    def of(cls, amounts: Iterable[tuple[Bucket, Decimal]]) -> AgingBuckets:
        sums = dict.fromkeys(BUCKETS, _ZERO)
        for bucket, amount in amounts:
            sums[bucket] += amount
        return cls(**sums)

    @property
    def total(self) -> Decimal:
        return self.current + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.over_90

    @property
    def overdue(self) -> Decimal:
        """What is past due (every bucket but current)."""
        return self.total - self.current

    def amounts(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        return (self.current, self.days_1_30, self.days_31_60, self.days_61_90, self.over_90)

    def plus(self, other: AgingBuckets) -> AgingBuckets:
        return AgingBuckets(**{b: getattr(self, b) + getattr(other, b) for b in BUCKETS})


@frozen(kw_only=True)
class AgingLine:
    """One customer's aging with one legal entity, in the customer's currency for that
    entity (or in a document currency that could not be converted, on a line of its own).
    ``buckets`` is ``None`` for a reader who may not see credit figures (R-12.2)."""

    customer_id: str
    code: str
    name: str
    entity: str
    currency: str
    buckets: AgingBuckets | None

    @property
    def total(self) -> Decimal | None:
        return None if self.buckets is None else self.buckets.total


@frozen(kw_only=True)
class AgingReport:
    """Aging lines of one page of customers as of a date, with totals per currency;
    ``next_after`` is the code to ask the next page after (``None``: the last page)."""

    as_of: date
    lines: tuple[AgingLine, ...]
    totals: Mapping[str, AgingBuckets | None]
    next_after: str | None = None
    masked: bool = False


@frozen(kw_only=True)
class AgingQuery:
    """Which customers' aging to read: as of a date, optionally one entity, one customer
    or customers of a group, region or salesperson; one page of ``limit`` customers with
    open items, in code order after the code ``after``."""

    as_of: date
    entity: str | None = None
    customer_id: str | None = None
    customer_group: str | None = None
    region: str | None = None
    salesperson: str | None = None
    after: str | None = None
    limit: int = 100


@frozen(kw_only=True)
class AgingRow:
    """What a storage reads for one customer, entity and document currency: the buckets,
    and the customer's own currency for the entity (``None`` when it has none)."""

    customer_id: str
    code: str
    name: str
    entity: str
    currency: str
    customer_currency: str | None
    buckets: AgingBuckets


@frozen(kw_only=True)
class AgingRows:
    """A storage's answer to an ``AgingQuery``: rows of at most ``limit`` customers and the
    code of the last customer of the page when more may follow."""

    rows: tuple[AgingRow, ...]
    next_after: str | None


def balance_as_of(item: OpenItem, as_of: date, applied_after: Decimal = _ZERO) -> Decimal:
    """What was still open of ``item`` on ``as_of``, signed (credits negative): 0 when it
    is dated later or was reversed by then; its balance plus what was applied to it after
    ``as_of`` otherwise (a document reversed later counts in full, as it stood)."""
    if item.document_date > as_of or (item.reversed_on is not None and item.reversed_on <= as_of):
        return _ZERO
    open_then = item.amount if item.reversed_on is not None else item.balance + applied_after
    return item.sign * open_then


def age_items(
    items: Iterable[OpenItem], as_of: date, applied_after: Mapping[tuple[str, str, str], Decimal] = {}
) -> dict[tuple[str, str], AgingBuckets]:
    """The buckets of each ``(entity, currency)`` of one customer's items as of ``as_of``.
    ``applied_after`` holds what was applied to each ``(entity, kind, number)`` after it."""
    bounds = AgingBounds.as_of(as_of)
    found: dict[tuple[str, str], list[tuple[Bucket, Decimal]]] = {}
    for item in items:
        amount = balance_as_of(item, as_of, applied_after.get((item.entity, item.kind, item.number), _ZERO))
        if amount != 0:
            found.setdefault((item.entity, item.currency), []).append((bounds.bucket(item.aged_from), amount))
    return {key: AgingBuckets.of(amounts) for key, amounts in found.items()}


def totals_by_currency(lines: Sequence[AgingLine]) -> dict[str, AgingBuckets]:
    """The buckets of every line added up per currency."""
    sums: dict[str, list[Decimal]] = {}
    for line in lines:
        if line.buckets is not None:
            held = sums.setdefault(line.currency, [_ZERO] * len(BUCKETS))
            held[:] = [a + b for a, b in zip(held, line.buckets.amounts(), strict=True)]
    return {
        currency: AgingBuckets(**dict(zip(BUCKETS, held, strict=True))) for currency, held in sums.items()
    }


def masked_report(report: AgingReport) -> AgingReport:
    """The report for a reader without ``view_sensitive`` (R-12.2): who appears in it, but
    no figures."""
    return evolve(
        report,
        lines=tuple(evolve(line, buckets=None) for line in report.lines),
        totals=dict.fromkeys(report.totals),
        masked=True,
    )
