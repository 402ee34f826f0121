"""Finding customers: filters, name search and keyset pagination (SPEC R-14.1).

Name matching ignores case and accents: ``fold("Société Générale")`` is
``"societe generale"``. A name search finds names that start with the search, or with a
word that does (``name_match="prefix"``, the default). A fuzzy search
(``name_match="fuzzy"``) finds those first and then the names that come close despite
typing errors — a wrong, missing, extra or swapped letter — best match first: a name
scores how alike the search is to its closest run of as many words (0–100,
``name_similarity``), and scores of at least ``FUZZY_THRESHOLD`` count.

>>> fold("Société  Générale ")
'societe generale'
>>> round(name_similarity("Kedai Makmur Sdn Bhd", "Kedai Makmer"))
92
>>> round(name_similarity("Acme Trading", "Acme Trdaing"))
92

Storage adapters implement the query with their own indexes; the in-memory adapter uses
``matches`` and ``rank_key`` from here, and the SQL adapter scores its candidates with
``name_similarity`` and orders them by ``fuzzy_key``, so every storage gives the same
pages.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Literal

from attrs import frozen

from customer_master.domain.customer import Customer
from customer_master.errors import FieldError

SortField = Literal["code", "name", "created_at"]
NameMatch = Literal["prefix", "fuzzy"]
NAME_MATCHES: tuple[NameMatch, ...] = ("prefix", "fuzzy")
# How alike (0–100) a name must be to a fuzzy search to be found: one wrong or swapped
# letter in a word of six (83) passes, in a word of four (75) does not.
FUZZY_THRESHOLD = 80.0
# How many look-alike names the similar-name check scores at most for a name.
SIMILAR_CANDIDATES = 500


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, accents removed, runs of white space made one space (kept for the
    names asked last: one import row folds its name several times)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@frozen(kw_only=True)
class CustomerQuery:
    """A list request. Text fields filter exactly; ``name`` matches a prefix of the name or
    of any word in it, and with ``name_match="fuzzy"`` also names close to it (module
    docstring); ``after`` is the cursor (the last key of the previous page).

    A fuzzy search lists the prefix matches first, in ``sort`` order, then the close
    matches, best first and equally good ones in ``sort`` order; its cursor carries the
    rank (``rank_key``), so pages go on where the last one ended.
    """

    status: Literal["active", "inactive", "any"] = "active"
    kind: str | None = None
    customer_type: str | None = None
    customer_group: str | None = None
    segment: str | None = None
    region: str | None = None
    salesperson: str | None = None
    tag: str | None = None
    entity: str | None = None
    on_credit_hold: bool | None = None
    name: str | None = None
    name_match: NameMatch = "prefix"
    email: str | None = None
    tax_id: str | None = None
    sort: SortField = "code"
    limit: int = 50
    after: str | None = None


@frozen
class Page:
    """One page of customers; ``next_cursor`` is ``None`` on the last page."""

    items: tuple[Customer, ...]
    next_cursor: str | None


def query_errors(query: CustomerQuery) -> list[FieldError]:
    """What is wrong with ``query`` as a request from outside (an empty list when nothing)."""
    if query.name_match not in NAME_MATCHES:
        message = f"must be one of: {', '.join(NAME_MATCHES)} (got {query.name_match!r})"
        return [FieldError("name_match", "not_allowed", message)]
    return []


def is_fuzzy(query: CustomerQuery) -> bool:
    """Does ``query`` ask for a fuzzy name search (with something to search for)?"""
    return query.name_match == "fuzzy" and bool(fold(query.name or ""))


def matches(customer: Customer, query: CustomerQuery) -> bool:
    """Does ``customer`` satisfy every filter of ``query``?"""
    if query.status != "any" and customer.status != query.status:
        return False
    exact = ("kind", "customer_type", "customer_group", "segment", "region", "salesperson")
    if any(getattr(query, f) is not None and getattr(customer, f) != getattr(query, f) for f in exact):
        return False
    if query.tag is not None and query.tag not in customer.tags:
        return False
    if query.entity is not None and not customer.is_enabled_for(query.entity):
        return False
    if query.on_credit_hold is not None and (customer.credit_hold is not None) != query.on_credit_hold:
        return False
    if query.email is not None and (customer.email or "").lower() != query.email.strip().lower():
        return False
    if query.tax_id is not None and not any(
        t.number == query.tax_id.strip().upper() for t in customer.tax_ids
    ):
        return False
    if query.name is None:
        return True
    if is_fuzzy(query):
        return fuzzy_key(customer.name, query.name) is not None
    return name_matches(customer.name, query.name)


@lru_cache(maxsize=8192)
def word_starts(name: str) -> frozenset[str]:
    """The first three letters of each word of the folded name, with and without its
    punctuation: how storage pre-filters look-alike names for the similar-name warning
    (R-3.4) before the core scores them.

    >>> sorted(word_starts("O'Brien & Co."))
    ['&', 'co', 'co.', "o'b", 'obr']
    """
    words = fold(name).split()
    return frozenset(
        {w[:3] for w in words} | {s[:3] for w in words if (s := "".join(ch for ch in w if ch.isalnum()))}
    )


def look_alike_candidates(groups: Iterable[Sequence[tuple[str, str]]], cap: int) -> list[tuple[str, str]]:
    """The ``(code, name)`` pairs a similar-name check scores (R-3.4), from the holders of
    each word start of a name (``word_starts``), at most ``cap``: the rarest starts
    first, so names sharing a distinctive word are compared; a start held ``cap`` times
    or more — a word most names have, such as "Sdn" or "Ltd" — adds its holders only
    when no rarer start has any.

    >>> look_alike_candidates([[("C1", "Sdn A"), ("C2", "Sdn B")], [("C2", "Sdn B")]], cap=2)
    [('C2', 'Sdn B')]
    """
    candidates: dict[str, str] = {}
    for held in sorted(groups, key=len):
        if len(held) >= cap and candidates:
            break
        candidates.update(held[: cap - len(candidates)])
        if len(candidates) >= cap:
            break
    return list(candidates.items())


def rarest_starts(starts: Iterable[str], held: Mapping[str, int], cap: int = SIMILAR_CANDIDATES) -> list[str]:
    """The word starts whose holders a similar-name check reads, as
    ``look_alike_candidates`` takes them from ``held`` (how many hold each start): the
    rarest first until ``cap`` holders, a start held ``cap`` times or more only when no
    rarer one is held.

    >>> rarest_starts(["sdn", "mak", "ked"], {"sdn": 501, "mak": 3, "ked": 40})
    ['mak', 'ked']
    """
    chosen: list[str] = []
    total = 0
    for start in sorted(starts, key=lambda s: (held.get(s, 0), s)):
        count = held.get(start, 0)
        if count == 0:
            continue
        if count >= cap and total:
            break
        chosen.append(start)
        total += count
        if total >= cap:
            break
    return chosen


def name_matches(name: str, search: str) -> bool:
    """Case- and accent-insensitive prefix match on the whole name or any of its words."""
    wanted = fold(search)
    folded = fold(name)
    return folded.startswith(wanted) or any(word.startswith(wanted) for word in folded.split())


def name_similarity(name: str, search: str) -> float:
    """How alike (0–100) the folded ``search`` is to the closest run of as many words of
    the folded ``name`` (the whole name if it has fewer): rapidfuzz's ``ratio``, one
    less for each letter to add or remove, so a swap costs two."""
    from rapidfuzz import fuzz  # loaded on first use, not with the package

    wanted, words = fold(search), fold(name).split()
    if not wanted or not words:
        return 0.0
    size = len(wanted.split())
    runs = [" ".join(words[start : start + size]) for start in range(max(len(words) - size, 0) + 1)]
    return max(fuzz.ratio(wanted, run) for run in runs)


def fuzzy_key(name: str, search: str) -> str | None:
    """Where a name ranks in a fuzzy search for ``search``, as sortable text: ``"0"`` for a
    prefix match, ``"1"`` and the score counted down (``"100834"`` for 83.4) for a close
    one; ``None`` for neither.

    >>> fuzzy_key("Acme Trading", "acme"), fuzzy_key("Acme Trading", "trdaing"), fuzzy_key("Acme", "zz")
    ('0', '101429', None)
    """
    if name_matches(name, search):
        return "0"
    score = name_similarity(name, search)
    if score < FUZZY_THRESHOLD:
        return None
    return f"1{10000 - round(score * 100):05d}"


def close_match_keys(folded_names: Sequence[str], search: str) -> list[str | None]:
    """``fuzzy_key`` of each name (given folded, as ``fold`` gives it) that is not a
    prefix match of ``search``, scored in one rapidfuzz call over every run of words.

    >>> close_match_keys(["acme trading", "zeta"], "trdaing")
    ['101429', None]
    """
    from rapidfuzz import fuzz, process

    wanted = fold(search)
    size = len(wanted.split())
    if not wanted:
        return [None] * len(folded_names)
    runs: list[str] = []
    owners: list[int] = []
    for index, folded in enumerate(folded_names):
        words = folded.split()
        for start in range(max(len(words) - size, 0) + 1) if words else ():
            runs.append(" ".join(words[start : start + size]))
            owners.append(index)
    best = [0.0] * len(folded_names)
    found = process.extract(
        wanted, runs, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=FUZZY_THRESHOLD
    )
    for _, score, at in found:
        owner = owners[at]
        best[owner] = max(best[owner], score)
    return [f"1{10000 - round(score * 100):05d}" if score >= FUZZY_THRESHOLD else None for score in best]


def rank_key(customer: Customer, query: CustomerQuery) -> str:
    """The keyset key of ``customer`` in ``query``'s order: the sort key, preceded in a
    fuzzy search by the customer's ``fuzzy_key`` and a ``"\x00"``."""
    key = sort_key(customer, query.sort)
    if not is_fuzzy(query):
        return key
    return f"{fuzzy_key(customer.name, query.name or '')}\x00{key}"


def sort_key(customer: Customer, sort: SortField) -> str:
    """The keyset key: the sort field plus the code, so keys are unique and ordered."""
    if sort == "name":
        return f"{fold(customer.name)}\x00{customer.code}"
    if sort == "created_at":
        stamp = customer.created_at.isoformat() if customer.created_at else ""
        return f"{stamp}\x00{customer.code}"
    return customer.code
