"""Countries as people write them (R-1.7, R-9.1): every ISO code, English name and name
in any CLDR language reads as its country; aliases; case, accents, punctuation and
spaces ignored; a name of two countries refused naming both; an unknown one refused
with the closest names; the shipped index is what the installed Babel gives."""

from __future__ import annotations

import gzip

import pytest
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_master.domain.countries import INDEX_FILE, country_code, country_index, country_name, fold
from customer_master.domain.country_index import build_index, index_bytes, iso_countries
from customer_master.errors import InvalidValue

CODES = sorted(country_index().names)


def test_the_shipped_index_is_what_the_installed_babel_and_pycountry_give() -> None:
    """Fails after upgrading Babel or pycountry: run `python -m customer_master.domain.country_index`."""
    shipped = gzip.decompress(INDEX_FILE.read_bytes()).decode("utf-8")
    built = build_index()
    assert shipped == built
    assert index_bytes(built) == INDEX_FILE.read_bytes()  # the same bytes, no time stamp


def test_the_index_knows_every_iso_country_and_only_those() -> None:
    assert set(CODES) == set(iso_countries())
    assert len(CODES) == 249


@pytest.mark.parametrize("code", CODES)
def test_every_code_alpha_3_and_english_name_reads_as_its_country(code: str) -> None:
    alpha_3, *names = iso_countries()[code]
    english = Locale("en").territories.get(code)
    for text in (code, code.lower(), alpha_3, *names, *([english] if english else [])):
        assert country_code(text) == code, text


def test_every_country_is_read_in_its_own_languages() -> None:
    """Deutschland, Österreich, España, 日本, Россия…: each country's name in each of its
    official languages that CLDR has reads as the country, unless it names two."""
    missed = []
    for code in CODES:
        for language in get_official_languages(code, de_facto=True):
            try:
                name = Locale.parse(language).territories.get(code)
            except (ValueError, LookupError, TypeError, UnknownLocaleError):
                continue
            if name and " " not in country_index().codes.get(fold(name), code) and country_code(name) != code:
                missed.append((code, language, name))
    assert missed == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Deutschland", "DE"),
        ("deutschland ", "DE"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("OSTERREICH", "AT"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Malaysia", "MY"),
        ("日本", "JP"),
        ("Россия", "RU"),
        ("Suisse", "CH"),
        ("Schweiz", "CH"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("EL", "GR"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Holland", "NL"),
        ("The Netherlands", "NL"),
        ("the Gambia", "GM"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Bosnia & Herzegovina", "BA"),
        ("Bosnia and Herzegovina", "BA"),
        ("Czech Republic", "CZ"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Viet Nam", "VN"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
    ],
)
def test_everyday_ways_of_writing_a_country(text: str, code: str) -> None:
    assert country_code(text) == code


def test_a_name_of_two_countries_is_refused_naming_both() -> None:
    ambiguous = {key: codes for key, codes in country_index().codes.items() if " " in codes}
    assert ambiguous, "the index keeps names that name two countries"
    key, codes = next(iter(sorted(ambiguous.items())))
    with pytest.raises(InvalidValue) as refused:
        country_code(key)
    for code in codes.split():
        assert f"{country_name(code)} ({code})" in str(refused.value)
    with pytest.raises(InvalidValue, match=r"Congo - Kinshasa \(CD\).*Congo - Brazzaville \(CG\)"):
        country_code("Kongo")


@pytest.mark.parametrize(
    ("text", "closest"),
    [
        ("Germny", "Germany (DE)"),
        ("Deutchland", "Deutschland (DE)"),
        ("Malaysai", "Malaysia (MY)"),
        ("Korea", "(KR)"),
    ],
)
def test_an_unknown_country_is_refused_with_the_closest_names(text: str, closest: str) -> None:
    with pytest.raises(InvalidValue, match="is not a country we know; closest: ") as refused:
        country_code(text)
    assert closest in str(refused.value)


def test_nothing_that_is_a_country_is_refused_blank_is_refused() -> None:
    with pytest.raises(InvalidValue, match="write its ISO code"):
        country_code(" .. ")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CODES), st.sampled_from(["", " ", "  ", "."]), st.booleans())
def test_case_spaces_and_dots_never_change_the_country(code: str, pad: str, lower: bool) -> None:
    name = country_name(code)
    written = pad + (name.lower() if lower else name.upper()) + pad
    assert country_code(written) == code
