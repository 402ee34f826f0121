"""Building the country-name index that ``countries.py`` reads (SPEC R-1.7, R-9.1).

The index is generated once, here, from the data Babel (CLDR) and pycountry ship, and
shipped in the package as ``country_names.tsv.gz``; reading a country never loads Babel
or pycountry, and never walks CLDR's thousand locales at run time (which takes seconds).
Regenerate it after upgrading Babel or pycountry::

    python -m customer_master.domain.country_index

A test (``tests/unit/test_countries.py``) fails when the shipped file differs from what
the installed Babel and pycountry give.

Each name is **folded** (``countries.fold``) and filed under the best **tier** it comes
from: 0 the ISO codes and the common aliases below, 1 English (CLDR's English locales
and ISO's names), 2 a country's name in one of its own languages (Deutschland, España,
日本), 3 its name in any other language CLDR knows. A folded name that names two
countries within its best tier is kept as ambiguous, listing both (decision 0019).
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from customer_master.domain.countries import INDEX_FILE, fold

# Names people and old systems write that neither CLDR nor ISO list, or list under
# another form (CLDR drops its "alt" names, such as UK for GB). Each is tier 0.
ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "Emirates"),
    "BA": ("Bosnia",),
    "BN": ("Brunei Darussalam",),
    "CD": ("DRC", "DR Congo", "Congo (DRC)", "Congo-Kinshasa", "Democratic Republic of Congo", "Zaire"),
    "CG": ("Congo-Brazzaville", "Congo (Republic)"),
    "CI": ("Ivory Coast",),
    "CN": ("PRC", "Mainland China", "People's Republic of China"),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "FK": ("Falklands",),
    "GB": (
        "UK",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Great Britain and Northern Ireland",
        "GBR",
    ),
    "GR": ("EL",),  # Greece's code in EU VAT numbers and EU documents
    "HK": ("Hong Kong", "Hong Kong SAR"),
    "KR": ("Republic of Korea", "Korea (South)", "Korea, South"),
    "KP": ("Korea (North)", "Korea, North", "DPRK"),
    "LA": ("Lao PDR",),
    "MK": ("Macedonia", "FYROM"),
    "MM": ("Burma",),
    "MO": ("Macau", "Macao", "Macau SAR"),
    "NL": ("Holland", "The Netherlands"),
    "PS": ("Palestine",),
    "RU": ("Russian Federation",),
    "SA": ("KSA",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "US": ("United States of America", "America (USA)", "U.S.", "U.S.A."),
    "VA": ("Vatican", "Vatican City"),
    "VN": ("Vietnam",),
}

_GERMAN_VOWELS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def iso_countries() -> dict[str, tuple[str, ...]]:
    """ISO 3166-1 (pycountry): alpha-2 code → its alpha-3 code and English names."""
    import pycountry

    found: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        names = [getattr(country, key, None) for key in ("name", "official_name", "common_name")]
        found[country.alpha_2] = (country.alpha_3, *[n for n in names if n])
    return found


def cldr_names(codes: Iterable[str]) -> Iterator[tuple[int, str, str, str]]:
    """``(tier, code, name, locale)`` for every country name in every CLDR locale."""
    from babel import Locale, localedata
    from babel.languages import get_official_languages

    wanted = set(codes)
    own = {code: set(get_official_languages(code, de_facto=True)) for code in wanted}
    for identifier in sorted(localedata.locale_identifiers()):
        locale = Locale.parse(identifier)
        for code, name in sorted(locale.territories.items()):
            if code not in wanted:
                continue
            tier = 1 if locale.language == "en" else 2 if locale.language in own[code] else 3
            yield tier, code, name, identifier


def _spellings(name: str) -> list[str]:
    """The name, and with German vowels written out (Österreich → Oesterreich)."""
    written_out = name.translate(_GERMAN_VOWELS)
    return [name] if written_out == name else [name, written_out]


def build_index() -> str:
    """The index file's text (see the module docstring for what it holds)."""
    from babel import __version__ as babel_version
    from pycountry import countries

    iso = iso_countries()
    english: dict[str, str] = {}
    entries: dict[str, dict[int, dict[str, str]]] = {}  # key → tier → code → a spelling

    def add(tier: int, code: str, name: str) -> None:
        for spelling in _spellings(name):
            key = fold(spelling)
            if key:
                entries.setdefault(key, {}).setdefault(tier, {}).setdefault(code, spelling)

    for code, (alpha_3, *names) in iso.items():
        add(0, code, code)
        add(0, code, alpha_3)
        for name in names:
            add(1, code, name)
    for code, aliases in ALIASES.items():
        for alias in aliases:
            add(0, code, alias)
    for tier, code, name, identifier in cldr_names(iso):
        add(tier, code, name)
        if identifier == "en":
            english[code] = name
    lines = [
        "# customer-master country index: generated by `python -m customer_master.domain.country_index`",
        f"# from Babel {babel_version} (CLDR) and pycountry ({len(countries)} countries); do not edit",
    ]
    lines += [f"@{code}\t{english.get(code, iso[code][1])}" for code in sorted(iso)]
    for key in sorted(entries):
        tier = min(entries[key])
        found = entries[key][tier]
        shown = next(iter(found.values())) if tier <= 2 and len(found) == 1 else ""
        lines.append(f"{key}\t{' '.join(sorted(found))}\t{tier}\t{shown}")
    return "\n".join(lines) + "\n"


def index_bytes(text: str) -> bytes:
    """The index as shipped: gzip with no time stamp, so the same text gives the same bytes."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main() -> None:
    """Write the index next to ``countries.py``."""
    data = index_bytes(build_index())
    Path(INDEX_FILE).write_bytes(data)
    print(f"wrote {INDEX_FILE} ({len(data):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
