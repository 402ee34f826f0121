"""Column types that keep domain values exact on SQLite, PostgreSQL and MariaDB/MySQL.

- ``ExactDecimal``: a ``Decimal`` kept as its own text (``Decimal("12.50")`` comes back
  as ``Decimal("12.50")``, not ``12.500000``), for values SQL never adds up.
- ``Amount``: a ``Decimal`` SQL can sum and compare: ``NUMERIC(28, 6)`` on PostgreSQL and
  MariaDB; on SQLite, which has no exact decimal, an integer count of millionths, so
  sums stay exact there too.
- ``UtcDateTime``: a timezone-aware instant, stored in UTC and read back in UTC
  (``timestamptz`` on PostgreSQL, ``DATETIME(6)`` on MariaDB).
- ``Key``: text that is sorted or prefix-searched; compared by code point on every
  database (collation ``C`` on PostgreSQL; MariaDB tables use ``utf8mb4_bin``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import orjson
from sqlalchemy import BigInteger, DateTime, Integer, Numeric, String
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

SCALE = 6
_MILLIONTHS = Decimal(10) ** SCALE


class ExactDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as its exact text."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Amount(TypeDecorator[Decimal]):
    """A ``Decimal`` with at most six decimal places that SQL can sum and compare.

    With ``floor=True`` finer values are rounded down (for sort keys such as a price-list
    line's minimum quantity); otherwise they are refused rather than silently rounded.
    """

    impl = Numeric(28, SCALE)
    cache_ok = True

    def __init__(self, floor: bool = False) -> None:
        super().__init__()
        self.floor = floor

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(28, SCALE))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = Decimal(value)
        scaled = exact * _MILLIONTHS
        if scaled != scaled.to_integral_value():
            if not self.floor:
                raise ValueError(f"amount {exact} has more than {SCALE} decimal places")
            scaled = scaled.to_integral_value(rounding=ROUND_FLOOR)
        if dialect.name == "sqlite":
            return int(scaled)
        return scaled / _MILLIONTHS

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / _MILLIONTHS).quantize(Decimal(1).scaleb(-SCALE))
        return Decimal(value).quantize(Decimal(1).scaleb(-SCALE))


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant kept in UTC. A naive value is taken to be UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return instant if dialect.name == "postgresql" else instant.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def Key(length: int) -> TypeEngine[str]:  # noqa: N802 - reads as a type in table definitions
    """Text compared by code point, so keyset order and prefix ranges agree everywhere."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def AutoId() -> TypeEngine[int]:  # noqa: N802
    """A 64-bit autoincrement key (SQLite's rowid alias must be plain INTEGER)."""
    return BigInteger().with_variant(Integer(), "sqlite")


def prefix_range(prefix: str) -> tuple[str, str | None]:
    """The key range holding every text that starts with ``prefix``: ``[low, high)``.

    >>> prefix_range("ab")
    ('ab', 'ac')
    """
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return prefix, None
    following = 0xE000 if 0xD800 <= last + 1 <= 0xDFFF else last + 1
    return prefix, prefix[:-1] + chr(following)


def _plain(value: object) -> object:
    """JSON for values plain JSON lacks: decimals and dates as text (as ``to_data`` does)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# The standard encoder for what orjson cannot write (an integer beyond 64 bits, a key
# that is not a string): built once, as ``json.dumps`` with options builds one a call.
_ENCODER = json.JSONEncoder(default=_plain, ensure_ascii=False)


def dumps(value: object) -> str:
    """The engine's JSON serialiser: orjson, an order of magnitude faster than the
    standard encoder (a bulk import writes several JSON values a customer,
    docs/decisions/0018); both write text ``json.loads`` reads back to the same values."""
    try:
        return orjson.dumps(value, default=_plain, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except TypeError:
        return _ENCODER.encode(value)
