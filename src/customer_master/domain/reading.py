"""Reading untrusted input into domain values, collecting every problem at once (R-3.3).

Hosts, the HTTP API and imports all hand the core plain mappings (JSON-like data). A
``Reader`` walks one mapping, converts each field to its domain type and records a
``FieldError`` with the full path for everything wrong, instead of stopping at the first.

>>> errors: list[FieldError] = []
>>> r = Reader({"name": "  ", "credit_limit": "-5"}, "", errors)
>>> r.text("name", required=True), r.decimal("credit_limit", minimum=Decimal(0))
(None, None)
>>> [(e.path, e.code) for e in errors]
[('name', 'blank'), ('credit_limit', 'too_small')]

A message names the value it refuses (``shown``): quoted, cut to a readable length,
control characters escaped; bank account numbers and IBANs keep only their last four
characters and credit figures are withheld, whoever reads the message (R-12.2,
decision 0021).

>>> r.text("currency", max_length=3) if r.data.update(currency="RINGGIT") is None else None
>>> errors[-1].message
"'RINGGIT' must be at most 3 characters"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from customer_master.errors import FieldError, InvalidValue

T = TypeVar("T")

# How much of a refused value a message shows.
SHOWN_LENGTH = 60
_MASK = "••••"
# Fields whose values a message never shows in full (as ``masking.py`` masks them).
SENSITIVE_NUMBERS = frozenset({"account_number", "iban"})
SENSITIVE_FIGURES = frozenset({"credit_limit"})
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "'": "\\'", "\\": "\\\\"}


def shown(value: object, name: str | int = "") -> str:
    r"""``value`` as an error message names it.

    >>> shown("nope"), shown("a\nb\x00"), shown(5), shown(True), shown(["x"]), shown("é" * 70)[-3:]
    ("'nope'", "'a\\nb\\x00'", '5', 'true', "['x']", "é…'")
    >>> shown("DE89370400440532013000", "iban"), shown("-5", "credit_limit")
    ("'••••3000'", "'••••'")
    """
    if name in SENSITIVE_FIGURES:
        return f"'{_MASK}'"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = value if isinstance(value, str) else repr(value)
    if name in SENSITIVE_NUMBERS:
        text = _MASK + text.strip()[-4:] if len(text.strip()) > 4 else _MASK
    cut = text[:SHOWN_LENGTH] + ("…" if len(text) > SHOWN_LENGTH else "")
    if not isinstance(value, str):
        return cut
    escaped = "".join(_ESCAPES.get(ch) or (ch if ch.isprintable() else repr(ch)[1:-1]) for ch in cut)
    return f"'{escaped}'"


def join_path(base: str, name: str | int) -> str:
    """``join_path("addresses[2]", "country") == "addresses[2].country"``."""
    if isinstance(name, int):
        return f"{base}[{name}]"
    return f"{base}.{name}" if base else name


class Reader:
    """Reads the fields of one mapping at ``path``, appending problems to ``errors``."""

    def __init__(self, data: object, path: str, errors: list[FieldError]) -> None:
        self.path = path
        self.errors = errors
        if isinstance(data, Mapping):
            self.data: Mapping[str, object] = data
        else:
            self.data = {}
            self.errors.append(FieldError(path or "$", "not_an_object", f"{shown(data)} must be an object"))

    def at(self, name: str | int) -> str:
        return join_path(self.path, name)

    def error(self, name: str | int, code: str, message: str) -> None:
        self.errors.append(FieldError(self.at(name), code, message))

    def refuse(self, name: str, code: str, message: str, value: object = None) -> None:
        """An error about the value of field ``name`` (or ``value``), naming it."""
        given = self.data.get(name) if value is None else value
        self.error(name, code, f"{shown(given, name)} {message}")

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str) -> object:
        return self.data.get(name)

    def only(self, allowed: Iterable[str]) -> None:
        """Report keys that are not fields of this record (catches typos early)."""
        known = set(allowed)
        for key in self.data:
            if key not in known:
                self.error(key, "unknown_field", "is not a field of this record")

    def text(self, name: str, *, required: bool = False, max_length: int = 255) -> str | None:
        """A trimmed string; ``None`` when absent, null or (if not required) empty."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required", "is required")
            return None
        if not isinstance(value, str):
            self.refuse(name, "not_a_string", "must be a string")
            return None
        cleaned = value.strip()
        if not cleaned:
            if required:
                self.error(name, "blank", "must not be blank")
            return None
        if len(cleaned) > max_length:
            self.refuse(name, "too_long", f"must be at most {max_length} characters")
            return None
        return cleaned

    def normalised(
        self,
        name: str,
        normalise: Callable[[str], str],
        *,
        required: bool = False,
        max_length: int = 255,
    ) -> str | None:
        """A string passed through a normaliser (e-mail, phone, country…)."""
        value = self.text(name, required=required, max_length=max_length)
        if value is None:
            return None
        try:
            return normalise(value)
        except InvalidValue as problem:
            self.refuse(name, "invalid", str(problem))
            return None

    def choice(self, name: str, options: Sequence[str], *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is not None and value not in options:
            self.refuse(name, "not_allowed", f"must be one of: {', '.join(options)}")
            return None
        return value

    def decimal(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: Decimal | None = None,
        positive: bool = False,
    ) -> Decimal | None:
        """A decimal from a string, int or Decimal; floats are refused (money is exact)."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required", "is required")
            return None
        number = to_decimal(value)
        if number is None:
            self.refuse(name, "not_a_decimal", "must be a decimal number written as a string")
            return None
        if positive and number <= 0:
            self.refuse(name, "too_small", "must be greater than 0")
            return None
        if minimum is not None and number < minimum:
            self.refuse(name, "too_small", f"must be at least {minimum}")
            return None
        return number

    def integer(self, name: str, *, minimum: int | None = None) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(name, "not_an_integer", "must be a whole number")
            return None
        if minimum is not None and value < minimum:
            self.refuse(name, "too_small", f"must be at least {minimum}")
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required", "is required")
            return None
        day = to_date(value)
        if day is None:
            self.refuse(name, "not_a_date", "must be a date written YYYY-MM-DD")
        return day

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.refuse(name, "not_a_boolean", "must be true or false")
            return default
        return value

    def optional_boolean(self, name: str) -> bool | None:
        """``True``, ``False``, or ``None`` when absent or null (inherit a setting)."""
        value = self.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.refuse(name, "not_a_boolean", "must be true, false or null")
        return None

    def strings(self, name: str, *, max_length: int = 64) -> tuple[str, ...]:
        """A list of non-blank strings, trimmed, duplicates dropped, order kept."""
        value = self.data.get(name)
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)):
            self.refuse(name, "not_a_list", "must be a list of strings")
            return ()
        seen: dict[str, None] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(
                    join_path(name, index), "not_a_string", f"{shown(item)} must be a non-blank string"
                )
            elif len(item.strip()) > max_length:
                message = f"{shown(item)} must be at most {max_length} characters"
                self.error(join_path(name, index), "too_long", message)
            else:
                seen[item.strip()] = None
        return tuple(seen)

    def items(self, name: str) -> list[tuple[str, object]]:
        """The entries of a list field, each with its path."""
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            self.refuse(name, "not_a_list", "must be a list")
            return []
        return [(join_path(self.at(name), i), item) for i, item in enumerate(value)]

    def mapping(self, name: str) -> Mapping[str, object]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            self.refuse(name, "not_an_object", "must be an object")
            return {}
        return value


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a string, int or Decimal; ``None`` for anything else."""
    if isinstance(value, (bool, float)):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def to_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
