"""Countries as people write them (SPEC R-1.7, R-9.1): an address stores the ISO 3166-1
alpha-2 code, but a CRM export or a form may say ``UK``, ``U.S.A.``, ``Deutschland``,
``España``, ``Österreich``, ``日本`` or ``GBR``. Any of them is read, ignoring case,
accents, punctuation and spaces: ISO codes (alpha-2 and alpha-3), English names, a
country's name in every language CLDR knows, and common aliases (``UK``, ``EL``,
``Holland``, ``Great Britain``).

>>> [country_code(text) for text in ("de", "Deutschland", "U.K.", "u.s.a.", "España", "GBR", "日本")]
['DE', 'DE', 'GB', 'US', 'ES', 'GB', 'JP']
>>> country_code("Germny")
Traceback (most recent call last):
...
customer_master.errors.InvalidValue: is not a country we know; closest: Germany (DE)

A name that names two countries in two languages is refused rather than guessed
(decision 0019), naming both. The names come from an index generated from Babel and
pycountry (``country_index.py``) and shipped with the package: it is read on the first
look-up (a few tens of milliseconds), and never when ``customer_master`` is imported.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from attrs import frozen

from customer_master.errors import InvalidValue

INDEX_FILE = Path(__file__).with_name("country_names.tsv.gz")

# Suggestions for an unknown country: how many, and how alike (0-100) they must be.
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 60.0
SUGGESTION_SPREAD = 12.0

_THE = re.compile(r"(?i)^\s*the\s+")
_KEPT_CATEGORIES = frozenset("LNM")


def fold(text: str) -> str:
    """``text`` as the index compares it: compatibility-decomposed, Latin/Greek/Cyrillic
    accents dropped (other scripts keep their marks: they change the letter), case
    folded, and anything but letters, digits and marks left out.

    >>> fold(" Côte d’Ivoire "), fold("U.S.A."), fold("Bosnia & Herzegovina"), fold("ÖSTERREICH")
    ('cotedivoire', 'usa', 'bosniaherzegovina', 'osterreich')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch
        for ch in decomposed
        if not "\u0300" <= ch <= "\u036f" and unicodedata.category(ch)[0] in _KEPT_CATEGORIES
    ).casefold()


@frozen
class CountryIndex:
    """The shipped index: every code's English name, every folded name's code(s), and
    the names (English, aliases, own languages) that suggestions are drawn from."""

    names: dict[str, str]
    codes: dict[str, str]
    suggestible: dict[str, str]

    @classmethod
    def load(cls, path: Path = INDEX_FILE) -> CountryIndex:
        names: dict[str, str] = {}
        codes: dict[str, str] = {}
        suggestible: dict[str, str] = {}
        import gzip

        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith("@"):
                code, name = line[1:].split("\t")
                names[code] = name
                continue
            key, found, tier, shown = line.split("\t")
            codes[key] = found
            if shown:  # a suggestion is shown in English, unless the name is the country's own
                suggestible[key] = shown if tier == "2" else names[found]
        return cls(names, codes, suggestible)


@cache
def country_index() -> CountryIndex:
    """The index, read once on first use."""
    return CountryIndex.load()


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 code (``"GB"`` → ``"United Kingdom"``)."""
    return country_index().names.get(code, code)


def is_country(code: str) -> bool:
    """Is ``code`` an ISO 3166-1 alpha-2 code (upper case)?"""
    return code in country_index().names


# Texts already read, and what they gave; a file repeats its few countries a million times.
_READ: dict[str, str] = {}
_READ_KEPT = 10_000


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country written as a code or a name in any
    language; raises ``InvalidValue`` for a text that names no country or two."""
    code = _READ.get(text)
    if code is None:
        code = _read(text)
        if len(_READ) >= _READ_KEPT:
            _READ.clear()
        _READ[text] = code
    return code


def _read(text: str) -> str:
    index = country_index()
    key = fold(text)
    found = index.codes.get(key)
    if found is None and _THE.match(text):
        found = index.codes.get(fold(_THE.sub("", text)))
    if found is None:
        if not key:
            raise InvalidValue("is not a country: write its ISO code (GB) or its name")
        raise InvalidValue(f"is not a country we know; closest: {', '.join(_closest(key, index))}")
    if " " in found:
        both = ", ".join(f"{index.names[c]} ({c})" for c in found.split())
        raise InvalidValue(f"names more than one country ({both}); write the ISO code instead")
    return found


def _closest(key: str, index: CountryIndex) -> list[str]:
    """The names most like ``key`` (folded), each with its code: at most ``SUGGESTIONS``
    countries, or a hint when none is close."""
    from rapidfuzz import fuzz, process

    shown: list[str] = []
    seen: set[str] = set()
    found = process.extract(
        key, index.suggestible, scorer=fuzz.WRatio, processor=None, limit=30, score_cutoff=SUGGESTION_CUTOFF
    )
    # A mapping's matches come as (its value, score, its key), best first; names far
    # behind the best one are noise.
    for spelling, score, name in found:
        code = index.codes[name]
        if code not in seen and len(seen) < SUGGESTIONS and score >= found[0][1] - SUGGESTION_SPREAD:
            seen.add(code)
            shown.append(f"{spelling} ({code})")
    return shown or ["none; write the ISO code (GB) or the English name"]
