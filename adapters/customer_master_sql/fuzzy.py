"""Fuzzy name search in SQL (R-14.1, docs/decisions/0016).

A fuzzy search lists the prefix matches first — the plain name search of ``listing``,
page by page in sort order — then the close matches, ranked in Python by the core's own
``fuzzy_key`` (rapidfuzz), so every database gives the memory adapter's pages. SQL only
narrows the close matches down to at most ``FUZZY_CANDIDATES`` customers, with every
other filter applied, through the name words already stored for the prefix search, on
every database alike: the distinct stored words near each search word's start are read
by skipping through the words index (``vocabulary``: one seek a word, however many
customers hold it), scored against the search word, and the customers holding a likely
word for every search word that has one are the candidates.

Nothing is written for it: no column, table or index beyond those of the prefix search.
PostgreSQL's trigram index is not used: a swapped letter in a short word leaves too few
trigrams in common (docs/decisions/0016).

The cursor is the core's ``rank_key``: ``"0\\x00<sort key>"`` while on prefix matches,
``"1<score>\\x00<sort key>"`` after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import evolve
from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, Integer, Select, String, func, literal, null, select
from sqlalchemy.engine import Connection, Row

from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, Page, close_match_keys, fold
from customer_master_sql import mapping
from customer_master_sql.listing import cursor_of, filters, not_a_prefix_match, page_rows
from customer_master_sql.tables import NAME_FOLDED_LENGTH, customers, name_words
from customer_master_sql.types import prefix_range

# How many customers a fuzzy search scores at most; the close matches among them are
# listed. Enough for every name close to a search in a real customer list.
FUZZY_CANDIDATES = 1000
# Distinct words read at most per word start, and how alike (0–100) a
# stored word must be to a search word to make its holders candidates.
WORDS_PER_START = 100
WORD_FLOOR = 60.0

# Holders of its most telling word a fuzzy search reads at most (``_word_candidates``).
DRIVING_HOLDERS = 5_000

_KEYS = (customers.c.id, customers.c.name, customers.c.code, customers.c.name_folded, customers.c.created_key)


def fuzzy_page(connection: Connection, tenant: str, query: CustomerQuery) -> Page:
    """One page of a fuzzy search: prefix matches, then close matches (module docstring)."""
    limit = max(query.limit, 0)
    tier, _, after = (query.after or "").partition("\x00")
    ranked: list[tuple[str, Customer]] = []
    if query.after is None or tier == "0":
        prefix = evolve(query, name_match="prefix", after=after if query.after is not None else None)
        rows = page_rows(connection, tenant, prefix)
        ranked = [(f"0\x00{cursor_of(row, query.sort)}", _customer(row)) for row in rows]
        if len(rows) > limit:
            return _page(ranked, limit)
    close = close_matches(connection, tenant, query)
    if query.after is not None and tier != "0":
        close = [(key, customer_id) for key, customer_id in close if key > query.after]
    chosen = close[: limit - len(ranked) + 1]
    loaded = _documents(connection, tenant, [customer_id for _, customer_id in chosen])
    ranked += [(key, loaded[customer_id]) for key, customer_id in chosen if customer_id in loaded]
    return _page(ranked, limit)


def close_matches(connection: Connection, tenant: str, query: CustomerQuery) -> list[tuple[str, str]]:
    """``(rank key, id)`` of the close matches of ``query`` that are not prefix matches,
    in rank order, found among at most ``FUZZY_CANDIDATES`` candidates."""
    wanted = fold(query.name or "")
    where = [*filters(tenant, query), not_a_prefix_match(wanted)]
    likely = _rarest_first(connection, tenant, _likely_words(connection, tenant, wanted))
    if not likely:
        return []
    rows = {str(row.id): row for row in connection.execute(_word_candidates(tenant, likely, where))}
    # Not prefix matches (the statement leaves those out): scored at once, by the core.
    folded = [
        row.name_folded if len(row.name_folded) < NAME_FOLDED_LENGTH else fold(row.name)
        for row in rows.values()
    ]
    keys = close_match_keys(folded, wanted)
    return sorted(
        (f"{key}\x00{cursor_of(row, query.sort)}", customer_id)
        for (customer_id, row), key in zip(rows.items(), keys, strict=True)
        if key is not None
    )


def _word_candidates(
    tenant: str, likely: Sequence[Sequence[str]], where: list[ColumnElement[bool]]
) -> Select[Any]:
    """The customers holding one of each list of ``likely`` words, read from the first
    list's holders in the words index — at most ``DRIVING_HOLDERS`` of them, so a search
    of common words costs the same however many customers hold them — and at most
    ``FUZZY_CANDIDATES`` (a customer holding two of the words comes twice)."""
    c, w = customers.c, name_words.c
    first, *rest = likely
    holding = [c.id.in_(select(w.customer_id).where(w.tenant == tenant, w.word.in_(words))) for words in rest]
    driving = (
        select(w.customer_id).where(w.tenant == tenant, w.word.in_(first)).limit(DRIVING_HOLDERS).subquery()
    )
    return (
        select(*_KEYS)
        .select_from(driving.join(customers, (c.tenant == tenant) & (c.id == driving.c.customer_id)))
        .where(*where, *holding)
        .limit(FUZZY_CANDIDATES)
    )


def _rarest_first(connection: Connection, tenant: str, likely: list[list[str]]) -> list[list[str]]:
    """``likely`` with the list of words held by the fewest customers first, counted up
    to ``DRIVING_HOLDERS`` (one bounded index read a search word): the candidates are
    read from the most telling word's holders, and all of them when it has fewer."""
    if len(likely) < 2:
        return likely
    w = name_words.c

    def held(words: Sequence[str]) -> int:
        some = select(w.customer_id).where(w.tenant == tenant, w.word.in_(words)).limit(DRIVING_HOLDERS)
        return int(connection.execute(select(func.count()).select_from(some.subquery())).scalar_one())

    counts = [held(words) for words in likely]
    return [likely[i] for i in sorted(range(len(likely)), key=counts.__getitem__)]


def _likely_words(connection: Connection, tenant: str, wanted: str) -> list[list[str]]:
    """For each search word that has any, the stored words likely meant by it: those
    near its start (``word_starts``) that begin with it or score ``WORD_FLOOR``."""
    searched = wanted.split()
    starts = sorted({start for word in searched for start in word_starts(word)})
    stored = vocabulary(connection, tenant, starts)
    likely = []
    for word in searched:
        near = [s for s in stored if s.startswith(word) or fuzz.ratio(word, s) >= WORD_FLOOR]
        if near:
            likely.append(near)
    return likely


def word_starts(word: str) -> set[str]:
    """The starts a stored word may have when ``word`` was typed for it with one letter
    wrong, missing, extra or swapped after its first two letters, or with one of the
    first three swapped with the next or one too many. A word typed with its first or
    second letter wrong or missing is not found (docs/decisions/0016).

    >>> sorted(word_starts("trdaing"))
    ['rda', 'rtd', 'tda', 'tdr', 'tr']
    """
    if len(word) < 3:
        return {word}
    swapped = {word[1] + word[0] + word[2], word[0] + word[2] + word[1]}
    return {word[:2], word[1:4], word[0] + word[2:4]} | swapped


def vocabulary(connection: Connection, tenant: str, starts: Sequence[str]) -> list[str]:
    """The distinct stored name words beginning with each of ``starts``, at most
    ``WORDS_PER_START`` each: one index seek per word (a recursive query that skips from
    each word to the next), however many customers hold them."""
    if not starts:
        return []
    w = name_words.c
    anchors = []
    for start in starts:
        low, high = prefix_range(start)
        upper = high if high is not None else chr(0x10FFFF) * 101
        first = select(func.min(w.word)).where(w.tenant == tenant, w.word >= low, w.word < upper)
        anchors.append(
            select(
                first.scalar_subquery().label("word"),
                literal(upper, String()).label("upper"),
                literal(1, Integer()).label("depth"),
            )
        )
    walk = anchors[0].cte("vocabulary", recursive=True)
    inner = name_words.alias("next_word")
    following = select(func.min(inner.c.word)).where(
        inner.c.tenant == tenant, inner.c.word > walk.c.word, inner.c.word < walk.c.upper
    )
    step = select(following.scalar_subquery(), walk.c.upper, walk.c.depth + 1).where(
        walk.c.word.is_not(null()), walk.c.depth < WORDS_PER_START
    )
    walk = walk.union_all(*anchors[1:], step)
    found = connection.execute(select(walk.c.word).where(walk.c.word.is_not(null()))).scalars()
    return sorted(set(found))


def _documents(connection: Connection, tenant: str, ids: Sequence[str]) -> dict[str, Customer]:
    if not ids:
        return {}
    c = customers.c
    rows = connection.execute(select(c.id, c.document).where(c.tenant == tenant, c.id.in_(ids)))
    return {str(row.id): mapping.customer_from_document(row.document) for row in rows}


def _customer(row: Row[Any]) -> Customer:
    return mapping.customer_from_document(row.document)


def _page(ranked: Sequence[tuple[str, Customer]], limit: int) -> Page:
    shown = ranked[:limit]
    more = len(ranked) > limit
    return Page(tuple(customer for _, customer in shown), shown[-1][0] if more and shown else None)
