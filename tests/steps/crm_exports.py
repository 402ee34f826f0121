"""Realistic CRM exports for the import tests (issue 14): a Salesforce Data Loader
accounts export and a HubSpot companies export of a few hundred companies from Britain,
Germany, Austria, Spain, Malaysia, the United States, France, Japan and more, made by a
seeded generator: multi-line streets, phone numbers in national formats with trunk
prefixes and in international ones with ``(0)``, countries written as ISO codes, English
names, their own names and ``UK``. Every row is clean: a person would import all of them.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence

import phonenumbers
from attrs import frozen
from phonenumbers import PhoneNumberFormat, PhoneNumberType


@frozen
class Country:
    code: str
    written: tuple[str, ...]  # how exports write it
    cities: tuple[tuple[str, str, str], ...]  # city, state, postal code
    streets: tuple[str, ...]
    suffixes: tuple[str, ...]


COUNTRIES = (
    Country(
        "GB",
        ("UK", "United Kingdom", "GB", "Great Britain", "U.K.", "England"),
        (("London", "", "EC1A 1BB"), ("Manchester", "Greater Manchester", "M1 1AE")),
        ("12 High Street", "Unit 4\nRiverside Business Park\nWandsworth Road"),
        ("Ltd", "plc", "LLP"),
    ),
    Country(
        "DE",
        ("Germany", "Deutschland", "DE", "DEU", "deutschland"),
        (("München", "Bayern", "80331"), ("Köln", "Nordrhein-Westfalen", "50667")),
        ("Leopoldstraße 12", "Hinterhaus\nMarienplatz 3"),
        ("GmbH", "AG", "GmbH & Co. KG"),
    ),
    Country(
        "AT",
        ("Austria", "Österreich", "AT", "Oesterreich"),
        (("Wien", "", "1010"), ("Graz", "Steiermark", "8010")),
        ("Kärntner Straße 5", "Stiege 2\nTür 14\nMariahilfer Straße 88"),
        ("GmbH", "KG"),
    ),
    Country(
        "ES",
        ("Spain", "España", "ES", "Espana"),
        (("Madrid", "Madrid", "28013"), ("Málaga", "Andalucía", "29015")),
        ("Calle de Alcalá 45", "Polígono Industrial\nNave 7"),
        ("S.L.", "S.A."),
    ),
    Country(
        "MY",
        ("Malaysia", "MY", "MYS", "malaysia"),
        (("Kuala Lumpur", "Wilayah Persekutuan", "50450"), ("Shah Alam", "Selangor", "40000")),
        ("No. 8, Jalan Ampang", "Lot 5, Jalan Kem\nKawasan Perindustrian"),
        ("Sdn Bhd", "Bhd"),
    ),
    Country(
        "US",
        ("United States", "USA", "U.S.A.", "US", "United States of America"),
        (("New York", "NY", "10001"), ("San Francisco", "CA", "94105")),
        ("350 Fifth Avenue", "Suite 1200\n1 Market Street"),
        ("Inc.", "LLC", "Corp."),
    ),
    Country(
        "FR",
        ("France", "FR", "FRA", "france"),
        (("Paris", "Île-de-France", "75008"), ("Lyon", "Auvergne-Rhône-Alpes", "69002")),
        ("12 rue de Rivoli", "Bâtiment B\n4 quai Saint-Antoine"),
        ("SARL", "SAS", "S.A."),
    ),
    Country(
        "JP",
        ("Japan", "日本", "JP", "JPN"),
        (("Tokyo", "Tokyo", "100-0005"), ("Osaka", "Osaka", "530-0001")),
        ("1-1 Marunouchi", "Building 3, 5F\n2-4 Umeda"),
        ("K.K.", "Co., Ltd."),
    ),
    Country(
        "SG",
        ("Singapore", "SG", "Singapura"),
        (("Singapore", "", "018989"),),
        ("8 Marina Boulevard", "#12-01\n1 Raffles Place"),
        ("Pte Ltd",),
    ),
    Country(
        "NL",
        ("Netherlands", "Nederland", "Holland", "NL", "The Netherlands"),
        (("Amsterdam", "Noord-Holland", "1012 AB"),),
        ("Damrak 1", "Unit 3\nKeizersgracht 100"),
        ("B.V.",),
    ),
    Country(
        "CH",
        ("Switzerland", "Schweiz", "Suisse", "CH"),
        (("Zürich", "ZH", "8001"), ("Genève", "GE", "1201")),
        ("Bahnhofstrasse 10",),
        ("AG", "SA", "GmbH"),
    ),
    Country(
        "GR",
        ("Greece", "EL", "Ελλάδα", "GR"),
        (("Athens", "Attica", "105 57"),),
        ("Ermou 25",),
        ("S.A.", "IKE"),
    ),
)

WORDS = (
    "Acme", "Pacific", "Nordic", "Alpine", "Harbour", "Summit", "Orient", "Meridian", "Atlas",
    "Golden", "Crown", "Silver", "Eastern", "Western", "Royal", "United", "Global", "Prime",
)  # fmt: skip
TRADES = ("Foods", "Trading", "Logistics", "Textiles", "Engineering", "Pharma", "Electronics", "Timber")
INDUSTRIES = ("Manufacturing", "Retail", "Technology", "Food & Beverage", "Transportation", "Healthcare")
SALESFORCE_TYPES = ("Customer - Direct", "Customer - Channel", "Prospect", "Wholesale", "Retail", "Other")
SOURCES = ("Web", "Partner Referral", "Trade Show", "Phone Inquiry")

SALESFORCE_COLUMNS = (
    "Id", "Name", "Type", "ParentId", "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode",
    "BillingCountry", "ShippingStreet", "ShippingCity", "ShippingState", "ShippingPostalCode",
    "ShippingCountry", "Phone", "Fax", "AccountNumber", "Website", "Sic", "Industry", "AnnualRevenue",
    "NumberOfEmployees", "Ownership", "TickerSymbol", "Description", "Rating", "Site", "OwnerId",
    "CreatedDate", "LastModifiedDate", "Jigsaw", "AccountSource", "SicDesc",
)  # fmt: skip
HUBSPOT_COLUMNS = (
    "Record ID", "Company name", "Company owner", "Create Date", "Phone Number", "Last Activity Date",
    "City", "Country/Region", "Industry", "Lifecycle Stage", "Street Address", "Street Address 2",
    "Postal Code", "State/Region", "Website URL", "Number of Employees", "Annual Revenue", "Type",
    "Time Zone", "LinkedIn Company Page", "Facebook Company Page", "Twitter Handle", "Description",
)  # fmt: skip


def phone_as_written(rng: random.Random, region: str) -> tuple[str, str]:
    """A valid number of ``region`` as an export writes it, and its E.164 form."""
    kind = rng.choice((PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE))
    number = phonenumbers.example_number_for_type(region, kind)
    assert number is not None
    for _ in range(20):
        digits = str(number.national_number)
        varied = digits[:-3] + f"{rng.randrange(1000):03d}"
        candidate = phonenumbers.parse(f"+{number.country_code}{varied}")
        candidate.italian_leading_zero = number.italian_leading_zero
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    trunk = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
    styles = [national, international, national.replace(" ", "-"), international.replace(" ", ".")]
    if trunk == "0" and not number.italian_leading_zero:
        significant = phonenumbers.national_significant_number(number)
        styles.append(f"+{number.country_code} (0){significant[:2]} {significant[2:]}")
    return rng.choice(styles), e164


@frozen
class Company:
    """One generated company and what a clean import must store for it."""

    ref: str
    name: str
    country: Country
    country_written: str
    city: str
    state: str
    postal_code: str
    street: str
    phone_written: str
    phone_e164: str
    industry: str


def companies(count: int, seed: int, prefix: str) -> list[Company]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        country = COUNTRIES[n % len(COUNTRIES)]
        city, state, postal = rng.choice(country.cities)
        phone, e164 = phone_as_written(rng, country.code)
        name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {n:04d} {rng.choice(country.suffixes)}"
        made.append(
            Company(
                ref=f"{prefix}{seed:03d}{n:09d}",
                name=name,
                country=country,
                country_written=rng.choice(country.written),
                city=city,
                state=state,
                postal_code=postal,
                street=rng.choice(country.streets),
                phone_written=phone,
                phone_e164=e164,
                industry=rng.choice(INDUSTRIES),
            )
        )
    return made


def salesforce_export(made: Sequence[Company], seed: int = 7) -> bytes:
    """A Data Loader accounts export (UTF-8, comma-separated, every cell quoted)."""
    rng = random.Random(seed)
    rows = []
    for company in made:
        rows.append(
            {
                "Id": company.ref,
                "Name": company.name,
                "Type": rng.choice(SALESFORCE_TYPES),
                "ParentId": "",
                "BillingStreet": company.street,
                "BillingCity": company.city,
                "BillingState": company.state,
                "BillingPostalCode": company.postal_code,
                "BillingCountry": company.country_written,
                "ShippingStreet": "",
                "ShippingCity": "",
                "ShippingState": "",
                "ShippingPostalCode": "",
                "ShippingCountry": "",
                "Phone": company.phone_written,
                "Fax": "",
                "AccountNumber": f"AC{rng.randrange(10**6):06d}",
                "Website": f"www.{company.ref.lower()}.example",
                "Sic": str(rng.randrange(1000, 9999)),
                "Industry": company.industry,
                "AnnualRevenue": f"{rng.randrange(1, 500) * 100000}",
                "NumberOfEmployees": str(rng.randrange(5, 5000)),
                "Ownership": rng.choice(("Private", "Public")),
                "TickerSymbol": "",
                "Description": "",
                "Rating": rng.choice(("Hot", "Warm", "Cold")),
                "Site": "",
                "OwnerId": "0055g00000AbCdE",
                "CreatedDate": "2023-04-05T10:11:12.000Z",
                "LastModifiedDate": "2025-01-02T08:00:00.000Z",
                "Jigsaw": "",
                "AccountSource": rng.choice(SOURCES),
                "SicDesc": "",
            }
        )
    return _csv(SALESFORCE_COLUMNS, rows, quoting=csv.QUOTE_ALL)


def hubspot_export(made: Sequence[Company], seed: int = 11) -> bytes:
    """A HubSpot companies export (UTF-8 with a byte order mark)."""
    rng = random.Random(seed)
    rows = []
    for company in made:
        first, _, rest = company.street.partition("\n")
        rows.append(
            {
                "Record ID": company.ref,
                "Company name": company.name,
                "Company owner": "Ana Lim",
                "Create Date": "2024-02-01 09:30",
                "Phone Number": company.phone_written,
                "Last Activity Date": "",
                "City": company.city,
                "Country/Region": company.country_written,
                "Industry": company.industry,
                "Lifecycle Stage": rng.choice(("Customer", "Lead", "Opportunity")),
                "Street Address": first,
                "Street Address 2": rest.replace("\n", ", "),
                "Postal Code": company.postal_code,
                "State/Region": company.state,
                "Website URL": f"https://{company.ref.lower()}.example",
                "Number of Employees": str(rng.randrange(5, 900)),
                "Annual Revenue": str(rng.randrange(1, 90) * 50000),
                "Type": rng.choice(("Partner", "Reseller", "Other")),
                "Time Zone": "Europe/London",
                "LinkedIn Company Page": "",
                "Facebook Company Page": "",
                "Twitter Handle": "",
                "Description": "",
            }
        )
    return b"\xef\xbb\xbf" + _csv(HUBSPOT_COLUMNS, rows, quoting=csv.QUOTE_MINIMAL)


def _csv(columns: Sequence[str], rows: list[dict[str, str]], *, quoting: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, quoting=quoting, lineterminator="\r\n")  # type: ignore[call-overload]
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
