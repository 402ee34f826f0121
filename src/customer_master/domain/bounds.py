"""The boundary every value crosses on its way in: what an amount and a text may be.

Every amount, quantity, price and limit, whichever adapter it comes through (HTTP, the
command line, a file, MCP, a host calling the façade), is read by ``amount``: an exact
number (a decimal string, an integer or a ``Decimal`` — never a float), at most
``AMOUNT_PLACES`` decimal places (fewer where the value is booked in a currency: its
minor unit), and less than 10^12 in size. That range is what every storage keeps
exactly: SQLite holds an amount as a 64-bit count of millionths, so 12 integer digits
and 6 places (18 digits) is the most it can hold (decision 0022).

>>> amount("1250.50"), amount(7), amount("2.5", places=2)
(Decimal('1250.50'), Decimal('7'), Decimal('2.5'))
>>> amount("1.2500000")
Decimal('1.250000')
>>> for value in (1.5, "1e400", "0.0000001", "1000000000000", "12.345"):
...     try:
...         amount(value, places=2 if value == "12.345" else AMOUNT_PLACES)
...     except InvalidValue as refused:
...         print(refused.code, "-", refused)
not_a_decimal - must be a decimal number written as a string, not a float
too_large - must be less than 1,000,000,000,000 in size
too_many_places - must have at most 6 decimal places
too_large - must be less than 1,000,000,000,000 in size
too_many_places - must have at most 2 decimal places

Text is refused when it holds a control character other than tab, line feed and
carriage return (a NUL byte above all: PostgreSQL cannot store it, and no name, note or
code means one), or half of a UTF-16 surrogate pair (no database can store that).

>>> text_problem("Kedai\\tRuncit") is None
True
>>> text_problem("Kedai\\x00")
'must not contain control characters (U+0000 at position 6)'
>>> text_problem("\\ud800")
'must not contain a lone surrogate (U+D800 at position 1)'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from customer_master.errors import InvalidValue

AMOUNT_PLACES = 6
AMOUNT_INTEGER_DIGITS = 12
AMOUNT_LIMIT = Decimal(10) ** AMOUNT_INTEGER_DIGITS
# The largest amount as the API documents it.
AMOUNT_MAXIMUM = AMOUNT_LIMIT - Decimal(1).scaleb(-AMOUNT_PLACES)
# A number written with more characters than this is no amount (and is not parsed).
_LONGEST_WRITTEN = 64

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class RefusedValue(InvalidValue):
    """An ``InvalidValue`` with a stable code (``too_large``, ``too_many_places``, …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def amount(value: object, *, places: int = AMOUNT_PLACES) -> Decimal:
    """``value`` as an exact ``Decimal`` within the range every storage holds, with at
    most ``places`` decimal places (trailing zeros beyond them are dropped); raises
    ``RefusedValue`` saying what is wrong."""
    if type(value) is Decimal and value.is_finite() and value.adjusted() < AMOUNT_INTEGER_DIGITS:
        # The hot path (a Decimal handed to a rule): nothing to parse or compare.
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -places:
            return value
    number = _exact(value)
    if abs(number) >= AMOUNT_LIMIT:
        raise RefusedValue("too_large", f"must be less than {AMOUNT_LIMIT:,.0f} in size")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        kept = number.quantize(Decimal(1).scaleb(-places))
        if kept != number:
            raise RefusedValue("too_many_places", f"must have at most {places} decimal places")
        number = kept
    return number


def _exact(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        kind = "a float" if isinstance(value, float) else type(value).__name__
        raise RefusedValue("not_a_decimal", f"must be a decimal number written as a string, not {kind}")
    if isinstance(value, int):
        if value.bit_length() > 64:
            raise RefusedValue("too_large", f"must be less than {AMOUNT_LIMIT:,.0f} in size")
        return Decimal(value)
    if isinstance(value, str):
        written = value.strip()
        if len(written) > _LONGEST_WRITTEN:
            message = f"must be a decimal number of at most {_LONGEST_WRITTEN} characters"
            raise RefusedValue("not_a_decimal", message)
        try:
            value = Decimal(written)
        except InvalidOperation:
            raise RefusedValue("not_a_decimal", "must be a decimal number written as a string") from None
    if not value.is_finite():
        raise RefusedValue("not_a_decimal", "must be a finite decimal number")
    return value


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be kept as text, or ``None`` when it can."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    character = found.group()
    what = "a lone surrogate" if "\ud800" <= character <= "\udfff" else "control characters"
    return f"must not contain {what} (U+{ord(character):04X} at position {found.start() + 1})"


def is_clean_text(value: str) -> bool:
    """Does ``value`` hold no character ``text_problem`` refuses?"""
    return _FORBIDDEN.search(value) is None


__all__ = [
    "AMOUNT_LIMIT",
    "AMOUNT_MAXIMUM",
    "AMOUNT_PLACES",
    "RefusedValue",
    "amount",
    "is_clean_text",
    "text_problem",
]
