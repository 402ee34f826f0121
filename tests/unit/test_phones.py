"""Phone numbers (R-1.3): read once in the customer's country, stored as valid E.164,
and reading a stored number again gives it back unchanged — for phonenumbers' example
numbers of every region and every number type, written as people write them: national
with the trunk prefix, international with ``(0)``, spaces, brackets, dots, dashes and an
extension (decision 0020)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from customer_master.domain.identifiers import normalise_phone
from customer_master.errors import InvalidValue

TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]
EXAMPLES = [
    (region, number)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS)
    for kind in TYPES
    if (number := phonenumbers.example_number_for_type(region, kind)) is not None
]


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _written(region: str, number: PhoneNumber, style: str, separator: str) -> str:
    """The number as a person might write it."""
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = metadata.national_prefix if metadata else None
    if style == "national":
        text = national
    elif style == "trunk_after_code" and trunk == "0" and not number.italian_leading_zero:
        significant = phonenumbers.national_significant_number(number)
        text = f"+{number.country_code} (0) {significant[:3]} {significant[3:]}"
    elif style == "e164":
        text = _e164(number)
    else:
        text = international
    return text.replace(" ", separator) if separator != " " else text


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(EXAMPLES),
    st.sampled_from(["national", "international", "trunk_after_code", "e164"]),
    st.sampled_from([" ", "-", ".", "  "]),
    st.sampled_from(["", " ext. 123", " x 45", ";ext=6789", " extension 7"]),
)
def test_every_example_number_is_stored_as_e164_and_reads_back_as_itself(
    example: tuple[str, PhoneNumber], style: str, separator: str, extension: str
) -> None:
    region, number = example
    written = _written(region, number, style, separator) + extension
    digits = "".join(ch for ch in extension if ch.isdigit())
    expected = _e164(number) + (f";ext={digits}" if digits else "")

    stored = normalise_phone(written, region)

    assert stored == expected, written
    assert normalise_phone(stored) == stored
    assert normalise_phone(stored, region) == stored


@pytest.mark.parametrize(
    ("written", "region", "stored"),
    [
        ("+49(0) 081559811", None, "+4981559811"),  # the number: trunk prefix written twice
        ("+49 (0)8155 9811", "MY", "+4981559811"),
        ("08155 9811", "DE", "+4981559811"),
        ("(0)20 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958 ext. 12", None, "+442079460958;ext=12"),
        ("06 1234 5678", "IT", "+390612345678"),  # Italy keeps its leading zero
        ("012-345 6789", "MY", "+60123456789"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("8 912 345 67 89", "RU", "+79123456789"),
    ],
)
def test_national_formats_with_trunk_prefixes(written: str, region: str | None, stored: str) -> None:
    assert normalise_phone(written, region) == stored
    assert normalise_phone(stored) == stored


@pytest.mark.parametrize(
    ("written", "region", "message"),
    [
        ("0123", "MY", "is not a possible phone number in MY"),
        ("+49 1", None, "is not a phone number"),
        ("call me", "DE", "is not a phone number"),
        ("012-345 6789", None, "start it with +country code"),
    ],
)
def test_an_impossible_number_is_refused(written: str, region: str | None, message: str) -> None:
    with pytest.raises(InvalidValue, match=re.escape(message)):
        normalise_phone(written, region)
