"""Normalising identifiers with the field's libraries: tax ids and bank numbers with
python-stdnum, e-mail addresses with email-validator (syntax only, no network), phone
numbers with phonenumbers (stored E.164), countries with the country index
(``countries.py``: ISO codes and names in every language).

Each function returns the normal form or raises ``InvalidValue`` with a message a finance
user understands; the reader that calls it adds the field and the value to the message.

The libraries load on first use, not when ``customer_master`` is imported: together they
take longer to import than the rest of the package (python-stdnum's country modules,
phonenumbers' metadata, email-validator's tables).

>>> normalise_tax_id("eu.vat", "nl 0044.95445.B01")
'NL004495445B01'
>>> normalise_tax_id("my.brn", " 201901000005-x ")
'201901000005-X'
>>> normalise_email("Ana@EXAMPLE.Com")
'Ana@example.com'
>>> normalise_phone("012-345 6789", default_country="MY")
'+60123456789'
>>> normalise_phone("+49 (0) 08155 9811 ext. 12")
'+4981559811;ext=12'
>>> normalise_country("Deutschland")
'DE'
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from customer_master.domain.countries import country_code
from customer_master.errors import InvalidValue

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

__all__ = [
    "CODE_PATTERN",
    "TAX_SCHEME_PATTERN",
    "InvalidValue",
    "has_tax_validator",
    "normalise_bic",
    "normalise_code",
    "normalise_country",
    "normalise_email",
    "normalise_iban",
    "normalise_phone",
    "normalise_tax_id",
    "normalise_website",
]

CODE_PATTERN = re.compile(r"^[A-Z0-9._-]{1,32}$")
TAX_SCHEME_PATTERN = re.compile(r"^[a-z]{2}\.[a-z0-9_]{2,20}$")


@cache
def _tax_module(scheme: str) -> ModuleType | None:
    from stdnum.util import get_cc_module

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
    return _stdnum_checked(module, number, f"is not a valid {scheme} number")


def normalise_iban(value: str) -> str:
    """The compact IBAN, mod-97 checked."""
    from stdnum import iban

    return _stdnum_checked(iban, value, "is not a valid IBAN")


def normalise_bic(value: str) -> str:
    """The compact BIC/SWIFT code, format checked."""
    from stdnum import bic

    return _stdnum_checked(bic, value, "is not a valid BIC/SWIFT code")


def _stdnum_checked(module: ModuleType, value: str, problem: str) -> str:
    from stdnum.exceptions import ValidationError

    try:
        return str(module.validate(value))
    except ValidationError as error:
        raise InvalidValue(f"{problem}: {error}") from None


# The common shape of an address — plain ASCII letters, digits and ``._+-`` before the
# @, host-name labels after it ending in a letter TLD — which email-validator accepts
# as it is, but with its domain in lower case. Addresses of this shape skip the
# library (a bulk import checks two a row); every other address goes through it.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@cache
def _special_use_domains() -> tuple[str, ...]:
    import email_validator

    return tuple(email_validator.SPECIAL_USE_DOMAIN_NAMES)


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
        or any(domain == d or domain.endswith("." + d) for d in _special_use_domains())
    ):
        return None
    return f"{local}@{domain}"


def normalise_email(value: str) -> str:
    """The e-mail address with its domain in lower case, syntax checked (RFC 5322/6531)."""
    plain = _plain_email(value.strip())
    if plain is not None:
        return plain
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise InvalidValue(f"is not a valid e-mail address: {error}") from None


# How often a parsed number is read again from its own E.164 form before it must be
# stable: "+49 (0) 08155…" writes the trunk prefix twice, and each reading drops one.
_PHONE_READINGS = 4


def normalise_phone(value: str, default_country: str | None = None) -> str:
    """The phone number in E.164 (``+60123456789``), an extension kept RFC 3966 style
    (``+4981559811;ext=12``, decision 0020). A national number is read with
    ``default_country`` as its region, its trunk prefix dropped; so is a trunk prefix
    written after the country code (``+49 (0) 8155 9811``). The result reads back as
    itself. A number that cannot be dialled anywhere (wrong length) is refused."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, default_country)
        if "(0)" in value and not phonenumbers.is_valid_number(number):
            # "+57 (0) 321…": the bracketed 0 is dialled only at home; the library keeps it.
            without = phonenumbers.parse(value.replace("(0)", " ", 1), default_country)
            number = without if phonenumbers.is_valid_number(without) else number
    except phonenumbers.NumberParseException:
        if default_country or value.strip().startswith("+"):
            raise InvalidValue("is not a phone number") from None
        raise InvalidValue(
            "is not a phone number without a country: start it with +country code, "
            "or give the address's country"
        ) from None
    written = _phone_text(number)
    valid = phonenumbers.is_valid_number(number)  # a valid number reads back as itself
    for _ in range(0 if valid else _PHONE_READINGS):
        again = phonenumbers.parse(written)
        if _phone_text(again) == written:
            break
        number, written = again, _phone_text(again)
    if not phonenumbers.is_possible_number(number):
        region = phonenumbers.region_code_for_number(number) or default_country
        where = f" in {region}" if region and region != "ZZ" else ""
        raise InvalidValue(f"is not a possible phone number{where} (wrong number of digits)")
    return written


def _phone_text(number: PhoneNumber) -> str:
    import phonenumbers

    e164 = str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return f"{e164};ext={number.extension}" if number.extension else e164


def normalise_website(value: str) -> str:
    """An absolute http(s) URL."""
    cleaned = value.strip()
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidValue("must be an absolute http(s) URL, e.g. https://example.com")
    return cleaned


def normalise_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, from a code or a name in any language (``countries.py``)."""
    return country_code(value)


def normalise_code(value: str) -> str:
    """A customer code: 1–32 characters of ``A-Z 0-9 . _ -``, upper-cased (R-1.1)."""
    code = value.strip().upper()
    if not CODE_PATTERN.match(code):
        raise InvalidValue("must be 1-32 characters of A-Z, 0-9, '.', '_' or '-'")
    return code
