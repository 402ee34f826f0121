"""Normalising identifiers with the field's libraries: tax ids and bank numbers with
python-stdnum, e-mail addresses with email-validator (syntax only, no network), phone
numbers with phonenumbers (stored E.164), countries with pycountry (ISO 3166-1).

Each function returns the normal form or raises ``InvalidValue`` with a message a finance
user understands.

>>> normalise_tax_id("eu.vat", "nl 0044.95445.B01")
'NL004495445B01'
>>> normalise_tax_id("my.brn", " 201901000005-x ")
'201901000005-X'
>>> normalise_email("Ana@EXAMPLE.Com")
'Ana@example.com'
>>> normalise_phone("012-345 6789", default_country="MY")
'+60123456789'
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType
from urllib.parse import urlsplit

import email_validator
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import get_cc_module

CODE_PATTERN = re.compile(r"^[A-Z0-9._-]{1,32}$")
TAX_SCHEME_PATTERN = re.compile(r"^[a-z]{2}\.[a-z0-9_]{2,20}$")


class InvalidValue(ValueError):
    """A value that cannot be normalised; the message says why."""


@cache
def _tax_module(scheme: str) -> ModuleType | None:
    country, _, name = scheme.partition(".")
    module: ModuleType | None = get_cc_module(country, name)  # type: ignore[assignment]
    if module is None or not hasattr(module, "validate"):
        return None
    return module


def has_tax_validator(scheme: str) -> bool:
    """Does python-stdnum validate numbers of ``scheme`` (e.g. ``eu.vat``, ``in.gstin``)?"""
    return _tax_module(scheme) is not None


def normalise_tax_id(scheme: str, number: str) -> str:
    """The compact, validated form of a tax id; unknown schemes are trimmed and upper-cased
    (R-1.4)."""
    module = _tax_module(scheme)
    if module is None:
        cleaned = number.strip().upper()
        if not cleaned:
            raise InvalidValue("is empty")
        return cleaned
    try:
        return str(module.validate(number))
    except StdnumError as error:
        raise InvalidValue(f"is not a valid {scheme} number: {error}") from None


def normalise_iban(value: str) -> str:
    """The compact IBAN, mod-97 checked."""
    try:
        return str(stdnum_iban.validate(value))
    except StdnumError as error:
        raise InvalidValue(f"is not a valid IBAN: {error}") from None


def normalise_bic(value: str) -> str:
    """The compact BIC/SWIFT code, format checked."""
    try:
        return str(stdnum_bic.validate(value))
    except StdnumError as error:
        raise InvalidValue(f"is not a valid BIC/SWIFT code: {error}") from None


# The common shape of an address — plain ASCII letters, digits and ``._+-`` before the
# @, host-name labels after it ending in a letter TLD — which email-validator accepts
# as it is, but with its domain in lower case. Addresses of this shape skip the
# library (a bulk import checks two a row); every other address goes through it.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _plain_email(value: str) -> str | None:
    """``value`` normalised as email-validator would, when it has the common shape;
    ``None`` when the library must decide."""
    local, at, domain = value.partition("@")
    domain = domain.lower()
    if (
        not at
        or not value.isascii()
        or len(local) > 64
        or len(value) > 254
        or not _PLAIN_LOCAL.fullmatch(local)
        or not _PLAIN_DOMAIN.fullmatch(domain)
        or "--" in domain  # punycode and R-LDH labels: the library's rules
        or any(domain == d or domain.endswith("." + d) for d in email_validator.SPECIAL_USE_DOMAIN_NAMES)
    ):
        return None
    return f"{local}@{domain}"


def normalise_email(value: str) -> str:
    """The e-mail address with its domain in lower case, syntax checked (RFC 5322/6531)."""
    plain = _plain_email(value.strip())
    if plain is not None:
        return plain
    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise InvalidValue(f"is not a valid e-mail address: {error}") from None


def normalise_phone(value: str, default_country: str | None = None) -> str:
    """The phone number in E.164 (``+60123456789``); a national number needs a country."""
    try:
        number = phonenumbers.parse(value, default_country)
    except phonenumbers.NumberParseException:
        hint = "" if default_country or value.strip().startswith("+") else " (start with +country code)"
        raise InvalidValue(f"is not a phone number{hint}") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidValue("is not a possible phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_website(value: str) -> str:
    """An absolute http(s) URL."""
    cleaned = value.strip()
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidValue("must be an absolute http(s) URL, e.g. https://example.com")
    return cleaned


def normalise_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 country code, upper case."""
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidValue("is not an ISO 3166-1 alpha-2 country code")
    return code


def normalise_code(value: str) -> str:
    """A customer code: 1–32 characters of ``A-Z 0-9 . _ -``, upper-cased (R-1.1)."""
    code = value.strip().upper()
    if not CODE_PATTERN.match(code):
        raise InvalidValue("must be 1-32 characters of A-Z, 0-9, '.', '_' or '-'")
    return code
