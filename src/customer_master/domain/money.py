"""Money: amounts are ``Decimal`` in a currency, rounded to the currency's minor unit.

ISO 4217 codes and their minor units come from the CLDR data shipped with Babel, so
``JPY`` has no decimals and ``KWD`` has three.

>>> minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD")
(2, 0, 3)
>>> round_money(Decimal("2.675"), "USD")
Decimal('2.68')
>>> round_money(Decimal("2.665"), "USD", rounding="half_up")
Decimal('2.67')
>>> round_money(Decimal("2.665"), "USD")
Decimal('2.66')
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from customer_master.errors import BusinessRuleViolation

Rounding = Literal["half_even", "half_up"]

_ROUNDING_MODES: dict[str, str] = {"half_even": ROUND_HALF_EVEN, "half_up": ROUND_HALF_UP}


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 currency code known to CLDR (Babel loads on first use)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """Is ``code`` an ISO 4217 currency code (upper case, three letters)?"""
    return len(code) == 3 and code.isupper() and code in currency_codes()


@cache
def minor_unit(currency: str) -> int:
    """The number of decimal places of ``currency`` (2 for USD, 0 for JPY)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


@cache
def quantum(digits: int) -> Decimal:
    """The smallest step for ``digits`` decimal places: ``Decimal('0.01')`` for 2."""
    return Decimal(1).scaleb(-digits)


def round_to_digits(amount: Decimal, digits: int, rounding: Rounding = "half_even") -> Decimal:
    """Round ``amount`` to ``digits`` decimal places with the tenant's rounding mode."""
    return amount.quantize(quantum(digits), rounding=_ROUNDING_MODES[rounding])


def converted(amount: Decimal, from_currency: str, to_currency: str, rate: Decimal | None) -> Decimal:
    """``amount`` in ``to_currency`` at ``rate`` (units of ``to_currency`` per unit of
    ``from_currency``); refused clearly when the currencies differ and no rate is known
    (SPEC R-5.1).

    >>> converted(Decimal("10"), "EUR", "USD", Decimal("1.1"))
    Decimal('11.0')
    """
    if from_currency == to_currency:
        return amount
    if rate is None:
        raise BusinessRuleViolation(
            "currency_not_convertible",
            f"an amount in {from_currency} cannot be converted to {to_currency}: no exchange rate",
        )
    return amount * rate


def round_money(amount: Decimal, currency: str, rounding: Rounding = "half_even") -> Decimal:
    """Round ``amount`` to the minor unit of ``currency``."""
    return round_to_digits(amount, minor_unit(currency), rounding)
