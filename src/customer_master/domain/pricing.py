"""Price resolution: which unit price does this customer pay for this item?

The price comes from the first source that has one, in this order (SPEC R-7.2):

1. the customer's own **pricing tier** for the item, when the quantity lies between its
   minimum and maximum (no maximum = open-ended) and the date within its validity;
2. the customer's **last sales-invoice rate** for the item, if ``use_last_price`` is on
   (for the tenant, or as the customer or its entity override sets it): the latest
   invoice dated on or before the date in the document's currency; newer invoices in
   other currencies are passed over and named;
3. the customer's **default price list**: its line for the item with the greatest
   minimum quantity not above the quantity, valid on the date;
4. the same from the tenant's **standard price list**;
5. otherwise **no price** — an explicit answer, never a price of zero.

The answer names the price source that won (``tier``, ``last_price``,
``price_list:CODE``, ``standard:CODE``) and says why each source before it did not
apply. Validity dates are inclusive at both ends; a missing date is open.

When two tiers (or two lines of a list) both fit, the one with the greatest minimum
quantity wins (the most specific quantity break), then the one valid from the latest
date (the newer price), then the lower price, then — for tiers — the lower id.

>>> standard = PriceList(code="STD", name="Standard", currency="USD", lines=[
...     PriceListLine(item_code="BOLT", unit_price=Decimal("1.00")),
...     PriceListLine(item_code="BOLT", unit_price=Decimal("0.90"), min_quantity=Decimal("100")),
... ])
>>> resolution = resolve_price(
...     item_code="BOLT", quantity=Decimal("250"), on=date(2026, 1, 15), tiers=(),
...     use_last_price=False, last_price=None, default_list=None, standard_list=standard,
... )
>>> resolution.source, resolution.unit_price, resolution.currency
('standard:STD', Decimal('0.90'), 'USD')
>>> for skipped in resolution.skipped:
...     print(skipped.message)
No pricing tier for item BOLT at quantity 250 on 2026-01-15.
Last-price pricing (use_last_price) is off.
The customer has no default price list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Literal, NamedTuple, Protocol

from attrs import field, frozen

from customer_master.domain.money import is_currency
from customer_master.errors import FieldError

PriceSourceKind = Literal["tier", "last_price", "price_list", "standard"]
SkipCode = Literal[
    "no_matching_tier",
    "last_price_off",
    "no_last_price",
    "last_price_other_currency",
    "no_default_list",
    "no_standard_list",
    "no_matching_line",
]


def _is_valid_on(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    """Is ``on`` within ``valid_from`` … ``valid_to``, both inclusive, ``None`` open?"""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


class _PricedRecord(Protocol):
    """What a price-list line and a pricing tier have in common."""

    @property
    def item_code(self) -> str: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def min_quantity(self) -> Decimal: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...


def _precedence(record: _PricedRecord) -> tuple[Decimal, int, Decimal]:
    """Sort key for records that all fit: the greatest minimum quantity first (the most
    specific quantity break), then the latest valid-from (the newer price; an open start
    counts as oldest), then the lower price."""
    return (-record.min_quantity, -(record.valid_from or date.min).toordinal(), record.unit_price)


@frozen(kw_only=True)
class PriceListLine:
    """One price of a price list: applies from ``min_quantity`` up (0 = any quantity)."""

    item_code: str
    unit_price: Decimal
    min_quantity: Decimal = Decimal(0)
    valid_from: date | None = None
    valid_to: date | None = None


def _line_tuple(lines: Iterable[PriceListLine]) -> tuple[PriceListLine, ...]:
    return tuple(lines)


@frozen(kw_only=True)
class PriceList:
    """A price list (R-7.1): a frozen value, so its look-up index is built once."""

    code: str
    name: str
    currency: str
    lines: tuple[PriceListLine, ...] = field(default=(), converter=_line_tuple)

    @cached_property
    def _lines_by_item(self) -> Mapping[str, tuple[PriceListLine, ...]]:
        """Each item's lines in order of precedence, so the first that fits wins."""
        by_item: dict[str, list[PriceListLine]] = {}
        for line in sorted(self.lines, key=_precedence):
            by_item.setdefault(line.item_code, []).append(line)
        return {item: tuple(lines) for item, lines in by_item.items()}

    def best_line(self, item_code: str, quantity: Decimal, on: date) -> PriceListLine | None:
        """The line for ``item_code`` with the greatest minimum quantity ≤ ``quantity``,
        valid on ``on``; ``None`` when no line fits. Looks only at the item's lines."""
        for line in self._lines_by_item.get(item_code, ()):
            if line.min_quantity <= quantity and _is_valid_on(line.valid_from, line.valid_to, on):
                return line
        return None


@frozen(kw_only=True)
class PricingTier:
    """A customer's own price for an item between two quantities (R-1.7, R-7.2)."""

    id: str
    item_code: str
    unit_price: Decimal
    currency: str
    min_quantity: Decimal = Decimal(0)
    max_quantity: Decimal | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_to(self, item_code: str, quantity: Decimal, on: date) -> bool:
        """Does this tier price ``quantity`` of ``item_code`` on ``on``?"""
        return (
            self.item_code == item_code
            and self.min_quantity <= quantity
            and (self.max_quantity is None or quantity <= self.max_quantity)
            and _is_valid_on(self.valid_from, self.valid_to, on)
        )


@frozen(kw_only=True)
class LastPrice:
    """The customer's rate for the item on its last sales invoice."""

    unit_price: Decimal
    currency: str
    invoiced_on: date


@frozen
class SkippedSource:
    """Why a price source before the winning one did not apply."""

    source: PriceSourceKind
    code: SkipCode
    message: str


@frozen(kw_only=True)
class PriceResolution:
    """The resolved price: the source that won, its unit price and currency.

    ``source`` is ``None`` and so are ``unit_price`` and ``currency`` when no source has
    a price; ``skipped`` says why each source before the winner did not apply.
    """

    source: str | None
    unit_price: Decimal | None
    currency: str | None
    skipped: tuple[SkippedSource, ...] = ()

    @property
    def is_found(self) -> bool:
        """Did some source have a price?"""
        return self.unit_price is not None


class _Price(NamedTuple):
    source: str
    unit_price: Decimal
    currency: str


def resolve_price(
    *,
    item_code: str,
    quantity: Decimal,
    on: date,
    tiers: Iterable[PricingTier],
    use_last_price: bool,
    last_price: LastPrice | None = None,
    default_list: PriceList | None,
    standard_list: PriceList | None,
    last_prices: Sequence[LastPrice] = (),
    currency: str | None = None,
) -> PriceResolution:
    """Resolve the unit price of ``quantity`` of ``item_code`` on ``on`` (R-7.2).

    ``tiers`` are the customer's pricing tiers, ``last_prices`` its invoiced rates for
    the item dated on or before ``on``, newest first, as the last-price port reports
    them (``last_price``: a single one), ``currency`` the document's currency (an
    invoice in another currency does not count; ``None``: any), ``default_list`` its effective
    default price list and ``standard_list`` the tenant's. Sources are tried in order
    and a later one is not looked at once an earlier one has a price.
    """
    skipped: list[SkippedSource] = []
    rates = tuple(last_prices) or ((last_price,) if last_price is not None else ())
    candidates = _candidates(
        item_code, quantity, on, tiers, use_last_price, (rates, currency), default_list, standard_list
    )
    for candidate in candidates:
        if isinstance(candidate, SkippedSource):
            skipped.append(candidate)
        else:
            return PriceResolution(
                source=candidate.source,
                unit_price=candidate.unit_price,
                currency=candidate.currency,
                skipped=tuple(skipped),
            )
    return PriceResolution(source=None, unit_price=None, currency=None, skipped=tuple(skipped))


def _candidates(
    item_code: str,
    quantity: Decimal,
    on: date,
    tiers: Iterable[PricingTier],
    use_last_price: bool,
    last_prices: tuple[Sequence[LastPrice], str | None],
    default_list: PriceList | None,
    standard_list: PriceList | None,
) -> Iterator[_Price | SkippedSource]:
    """Each source in order of precedence: its price, or why it has none. Lazy."""
    yield _tier_price(tiers, item_code, quantity, on)
    yield from _last_price(use_last_price, *last_prices, item_code, on)
    yield _list_price("price_list", default_list, item_code, quantity, on)
    yield _list_price("standard", standard_list, item_code, quantity, on)


def best_tier(
    tiers: Iterable[PricingTier], item_code: str, quantity: Decimal, on: date
) -> PricingTier | None:
    """The tier that prices ``quantity`` of ``item_code`` on ``on``, or ``None``.

    Of several, the greatest minimum quantity wins, then the latest valid-from, then
    the lower price, then the lower id.
    """
    # The item first: most of a customer's tiers are for other items.
    matching = [
        tier for tier in tiers if tier.item_code == item_code and tier.applies_to(item_code, quantity, on)
    ]
    return min(matching, key=lambda tier: (*_precedence(tier), tier.id), default=None)


def _tier_price(
    tiers: Iterable[PricingTier], item_code: str, quantity: Decimal, on: date
) -> _Price | SkippedSource:
    tier = best_tier(tiers, item_code, quantity, on)
    if tier is not None:
        return _Price("tier", tier.unit_price, tier.currency)
    message = f"No pricing tier for item {item_code} at quantity {quantity} on {on}."
    return SkippedSource("tier", "no_matching_tier", message)


def _last_price(
    use_last_price: bool, rates: Sequence[LastPrice], currency: str | None, item_code: str, on: date
) -> Iterator[_Price | SkippedSource]:
    """The latest invoiced rate dated on or before ``on`` in ``currency``; each newer one
    in another currency is passed over and named (R-7.2)."""
    if not use_last_price:
        message = "Last-price pricing (use_last_price) is off."
        yield SkippedSource("last_price", "last_price_off", message)
        return
    for rate in sorted((r for r in rates if r.invoiced_on <= on), key=lambda r: r.invoiced_on, reverse=True):
        if currency is None or rate.currency == currency:
            yield _Price("last_price", rate.unit_price, rate.currency)
            return
        message = (
            f"The sales invoice of {rate.invoiced_on} for item {item_code} is in {rate.currency}, "
            f"not in the document's {currency}."
        )
        yield SkippedSource("last_price", "last_price_other_currency", message)
    message = f"No earlier sales invoice for item {item_code}."
    yield SkippedSource("last_price", "no_last_price", message)


def _list_price(
    kind: Literal["price_list", "standard"],
    price_list: PriceList | None,
    item_code: str,
    quantity: Decimal,
    on: date,
) -> _Price | SkippedSource:
    if price_list is None:
        if kind == "standard":
            return SkippedSource(kind, "no_standard_list", "The tenant has no standard price list.")
        return SkippedSource(kind, "no_default_list", "The customer has no default price list.")
    line = price_list.best_line(item_code, quantity, on)
    if line is None:
        message = (
            f"Price list {price_list.code} has no line for item {item_code} "
            f"at quantity {quantity} valid on {on}."
        )
        return SkippedSource(kind, "no_matching_line", message)
    return _Price(f"{kind}:{price_list.code}", line.unit_price, price_list.currency)


# ---------------------------------------------------------------------------
# Validation: every problem at once, each with its field path
# ---------------------------------------------------------------------------


def validate_price_list(price_list: PriceList) -> list[FieldError]:
    """Every problem with ``price_list``; an empty list when it is valid.

    >>> bad = PriceList(code="X", name="X", currency="", lines=[
    ...     PriceListLine(item_code="BOLT", unit_price=Decimal("-1"))])
    >>> [(error.path, error.code) for error in validate_price_list(bad)]
    [('currency', 'required'), ('lines[0].unit_price', 'too_small')]
    """
    errors = _currency_errors(price_list.currency, "currency")
    for index, line in enumerate(price_list.lines):
        errors += _priced_record_errors(line, f"lines[{index}]")
    return errors


def validate_pricing_tier(tier: PricingTier, path_prefix: str = "") -> list[FieldError]:
    """Every problem with ``tier``, paths under ``path_prefix`` (``pricing_tiers[2]``).

    >>> tier = PricingTier(id="T1", item_code="BOLT", unit_price=Decimal("0.80"),
    ...     currency="USD", min_quantity=Decimal("100"), max_quantity=Decimal("50"))
    >>> [(error.path, error.code) for error in validate_pricing_tier(tier, "tiers[0]")]
    [('tiers[0].max_quantity', 'too_small')]
    """
    errors = _priced_record_errors(tier, path_prefix)
    errors += _currency_errors(tier.currency, _path(path_prefix, "currency"))
    if tier.max_quantity is not None and tier.max_quantity < tier.min_quantity:
        message = f"must not be below min_quantity ({tier.min_quantity})"
        errors.append(FieldError(_path(path_prefix, "max_quantity"), "too_small", message))
    return errors


def _priced_record_errors(record: _PricedRecord, prefix: str) -> list[FieldError]:
    errors = []
    if not record.item_code.strip():
        errors.append(FieldError(_path(prefix, "item_code"), "required", "is required"))
    if record.unit_price < 0:
        errors.append(FieldError(_path(prefix, "unit_price"), "too_small", "must be at least 0"))
    if record.min_quantity < 0:
        errors.append(FieldError(_path(prefix, "min_quantity"), "too_small", "must be at least 0"))
    if record.valid_from and record.valid_to and record.valid_to < record.valid_from:
        message = f"must not be before valid_from ({record.valid_from})"
        errors.append(FieldError(_path(prefix, "valid_to"), "before_start", message))
    return errors


def _currency_errors(currency: str, path: str) -> list[FieldError]:
    if not currency.strip():
        return [FieldError(path, "required", "is required")]
    if not is_currency(currency):
        return [FieldError(path, "invalid", "must be an ISO 4217 currency code")]
    return []


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
