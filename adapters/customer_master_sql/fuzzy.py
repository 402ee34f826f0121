"""Fuzzy name search in SQL (R-14.1, docs/decisions/0016 and 0017).

A fuzzy search lists the prefix matches first — the plain name search of ``listing``,
page by page in sort order — then the close matches, best first and equally good ones
in sort order, the core's ``rank_key`` order, so every database gives the memory
adapter's pages. SQL finds the close matches through the name words and pairs of
adjacent words already stored for the prefix search: the distinct stored words near
each search word's start are read by skipping through the words index (``vocabulary``:
one seek a word, however many customers hold it) and scored against the search word;
then one of two ways, chosen by how many customers hold the likely words:

- **few** (the search's most telling word is held by at most ``FUZZY_CANDIDATES``
  customers): every customer holding a likely word for each search word is read and
  scored by the core (``close_match_keys``);
- **many**: the runs of likely words (``"acme trading"``) are scored instead, and the
  customers holding the best runs are listed run score by run score, each score's page
  read in sort order like a prefix search's — from the runs' few holders (words and
  pairs index), or walking the customers in sort order testing the folded name for a
  common run — so a page costs about the same at any size (``_tiers``).

PostgreSQL's trigram index is not used: a swapped letter in a short word leaves too few
trigrams in common (docs/decisions/0016).

The cursor is the core's ``rank_key``: ``"0\\x00<sort key>"`` while on prefix matches,
``"1<score>\\x00<sort key>"`` after.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence
from functools import cache, partial
from typing import Any

from attrs import evolve
from rapidfuzz import fuzz
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Row

from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, Page, SortField, close_match_keys, fold
from customer_master_sql import listing, mapping
from customer_master_sql.listing import (
    SORT_ORDER,
    after_condition,
    cursor_of,
    filters,
    not_a_prefix_match,
    page_rows,
)
from customer_master_sql.tables import NAME_FOLDED_LENGTH, customers, name_pairs, name_words
from customer_master_sql.types import prefix_range

# A search whose most telling word's likely words are held by at most this many
# customers scores every holder; more, and it lists the holders of its best runs of
# words instead (module docstring).
FUZZY_CANDIDATES = 1000
# Distinct words read at most per word start, and how alike (0–100) a
# stored word must be to a search word to make its holders candidates.
WORDS_PER_START = 100
WORD_FLOOR = 60.0
# Runs of likely words scored at most by a search of many holders: the likely words
# of each search word are cut to the best ``RUNS ** (1 / words)`` of them.
RUNS = 4000

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
    close_after = query.after if query.after is not None and tier != "0" else None
    chosen = close_matches(connection, tenant, query, close_after, limit - len(ranked) + 1)
    loaded = _documents(connection, tenant, [customer_id for _, customer_id, read in chosen if read is None])
    for key, customer_id, read in chosen:
        if read is not None:
            ranked.append((key, mapping.customer_from_document(read)))
        elif customer_id in loaded:
            ranked.append((key, loaded[customer_id]))
    return _page(ranked, limit)


# A close match: its rank key, its id and its document when already read (else None).
Close = tuple[str, str, Any]


def close_matches(
    connection: Connection, tenant: str, query: CustomerQuery, after: str | None, count: int
) -> list[Close]:
    """The first ``count`` close matches of ``query`` that are not prefix matches, in
    rank order, after the rank key ``after`` (if any)."""
    wanted = fold(query.name or "")
    where = [*filters(tenant, query), not_a_prefix_match(wanted)]
    likely = _likely_words(connection, tenant, wanted)
    if not likely:
        return []
    held = [_held(connection, tenant, words) for words in likely]
    if min(held) > FUZZY_CANDIDATES and len(likely) == len(wanted.split()):
        return _tiers(connection, tenant, query, wanted, likely, where, after, count)
    rarest_first = [likely[i] for i in sorted(range(len(likely)), key=held.__getitem__)]
    rows = {str(row.id): row for row in connection.execute(_word_candidates(tenant, rarest_first, where))}
    # Not prefix matches (the statement leaves those out): scored at once, by the core.
    folded = [
        row.name_folded if len(row.name_folded) < NAME_FOLDED_LENGTH else fold(row.name)
        for row in rows.values()
    ]
    keys = close_match_keys(folded, wanted)
    ranked = sorted(
        (f"{key}\x00{cursor_of(row, query.sort)}", customer_id)
        for (customer_id, row), key in zip(rows.items(), keys, strict=True)
        if key is not None
    )
    return [(key, customer_id, None) for key, customer_id in ranked if after is None or key > after][:count]


def _tiers(
    connection: Connection,
    tenant: str,
    query: CustomerQuery,
    wanted: str,
    likely: Sequence[Sequence[str]],
    where: list[ColumnElement[bool]],
    after: str | None,
    count: int,
) -> list[Close]:
    """The close matches of a search of common words, run score by run score: the runs
    of likely words (one word from each list, in the search's order) scoring as close
    matches are grouped by score; a customer holding a run of a score, and none of a
    better one, ranks with that score, in sort order. Each score's page is one bounded
    read (``_holding``), so a page costs about the same at 10k and 1M customers."""
    runs = _close_runs(wanted, likely)
    after_key, _, after_sort = (after or "").partition("\x00")
    found: list[Close] = []
    better: list[str] = []
    by_key = sorted(runs, key=runs.__getitem__)
    for key, group in itertools.groupby(by_key, key=runs.__getitem__):
        members = list(group)
        if after is not None and key < after_key:
            better += members
            continue
        conditions = [*where, *([not_(_holds_any(better))] if better else [])]
        past = after_sort if after is not None and key == after_key else None
        page = _holding(connection, tenant, members, conditions, query.sort, past, count - len(found))
        rows = connection.execute(page)
        for row in rows:
            found.append((f"{key}\x00{cursor_of(row, query.sort)}", str(row.id), row.document))
        if len(found) >= count:
            break
        better += members
    return found


def _close_runs(wanted: str, likely: Sequence[Sequence[str]]) -> dict[str, str]:
    """The runs of likely words (one from each list, in order) that score as close
    matches of ``wanted``, with their ``fuzzy_key``; each list cut to its words most
    like the search word, so that at most about ``RUNS`` runs are scored."""
    searched = wanted.split()
    keep = max(2, int(RUNS ** (1 / len(likely))))
    cut = [
        heapq.nlargest(keep, words, key=partial(fuzz.ratio, word))
        for word, words in zip(searched, likely, strict=True)
    ]
    runs = [" ".join(words) for words in itertools.product(*cut)]
    keys = close_match_keys(runs, wanted)
    return {run: key for run, key in zip(runs, keys, strict=True) if key is not None}


def _holding(
    connection: Connection,
    tenant: str,
    runs: Sequence[str],
    where: list[ColumnElement[bool]],
    sort: SortField,
    after: str | None,
    count: int,
) -> Select[Any]:
    """The first ``count`` customers in ``sort`` order after the sort key ``after`` (if
    any) holding one of ``runs`` (all of one word, or all of several), read one of
    three ways:

    - a run of words in code order: walking its pair's holders in the pairs index,
      which keeps them in code order (cost ∝ page size ÷ the share of holders that pass
      the filters, however many hold the pair);
    - from the holders in the words or pairs index when at most ``COMMON_PREFIX`` hold
      the runs (cost ∝ holders);
    - else walking the customers in sort order testing the folded name (cost ∝ page
      size ÷ the runs' share of names).

    The page's keys are found first, from what the keyset indexes hold (PostgreSQL
    walks them without reading the table), then the documents of the page only."""
    c = customers.c
    order = SORT_ORDER[sort]
    conditions = [*where, *([after_condition(sort, after)] if after is not None else [])]
    words = len(runs[0].split())
    pairs = _first_pairs(runs) if words > 1 else []
    if sort == "code" and len(pairs) == 1:
        p = name_pairs.c
        if after is not None:
            conditions.append(p.code > after)  # the same as the customer's, for the index
        if words > 2:
            conditions.append(_holds_any(runs))
        walked = (
            select(c.id, p.code)
            .join_from(name_pairs, customers, (c.tenant == p.tenant) & (c.id == p.customer_id))
            .where(p.tenant == tenant, p.pair == pairs[0], *conditions)
            .order_by(p.code)
            .limit(count)
        )
        return _with_documents(tenant, walked, [walked.selected_columns.code])
    if words == 1:
        w = name_words.c
        holders = select(w.customer_id).where(w.tenant == tenant, w.word.in_(runs))
    else:
        p = name_pairs.c
        holders = select(p.customer_id).where(p.tenant == tenant, p.pair.in_(pairs))
    if _count_up_to(connection, holders, listing.COMMON_PREFIX) <= listing.COMMON_PREFIX:
        condition: ColumnElement[bool] = c.id.in_(holders)
        if words > 2:  # the pairs index holds the first two words of each
            condition = condition & _holds_any(runs)
    else:
        condition = _holds_any(runs)
    keys = select(*dict.fromkeys((c.id, *order))).where(*conditions, condition).order_by(*order).limit(count)
    return _with_documents(tenant, keys, order)


def _with_documents(tenant: str, keys: Select[Any], order: Sequence[ColumnElement[Any]]) -> Select[Any]:
    """The rows of the page ``keys`` selects, with their documents, in ``order``."""
    page = keys.subquery("page")
    shown = customers.alias("shown")
    return (
        select(page, shown.c.document)
        .join_from(page, shown, (shown.c.tenant == tenant) & (shown.c.id == page.c.id))
        .order_by(*(page.c[column.name] for column in order))
    )


def _first_pairs(runs: Sequence[str]) -> list[str]:
    """The distinct pairs of first two words of ``runs``, as the pairs index holds them."""
    return sorted({" ".join(run.split()[:2]) for run in runs})


def _holds_any(runs: Sequence[str]) -> ColumnElement[bool]:
    """The folded name has one of ``runs`` as whole words (words are one blank apart)."""
    return or_(*(listing.blank_folded_name().contains(f" {run} ", autoescape=True) for run in runs))


def _held(connection: Connection, tenant: str, words: Sequence[str]) -> int:
    """How many times ``words`` are held, counted up to one more than
    ``FUZZY_CANDIDATES``."""
    w = name_words.c
    holders = select(w.customer_id).where(w.tenant == tenant, w.word.in_(words))
    return _count_up_to(connection, holders, FUZZY_CANDIDATES)


def _count_up_to(connection: Connection, rows: Select[Any], most: int) -> int:
    """How many rows ``rows`` selects, counted up to ``most + 1`` (one bounded read)."""
    some = rows.limit(most + 1).subquery()
    return int(connection.execute(select(func.count()).select_from(some)).scalar_one())


def _word_candidates(
    tenant: str, likely: Sequence[Sequence[str]], where: list[ColumnElement[bool]]
) -> Select[Any]:
    """The customers holding one of each list of ``likely`` words, read from the first
    list's holders in the words index — at most ``FUZZY_CANDIDATES`` of them, all when
    that list is the search's most telling (``close_matches``); a customer holding
    two of the words comes twice."""
    c, w = customers.c, name_words.c
    first, *rest = likely
    holding = [c.id.in_(select(w.customer_id).where(w.tenant == tenant, w.word.in_(words))) for words in rest]
    driving = (
        select(w.customer_id).where(w.tenant == tenant, w.word.in_(first)).limit(FUZZY_CANDIDATES).subquery()
    )
    return (
        select(*_KEYS)
        .select_from(driving.join(customers, (c.tenant == tenant) & (c.id == driving.c.customer_id)))
        .where(*where, *holding)
    )


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
    second letter wrong or missing is not found (docs/decisions/0016). The first three
    letters as typed are a start too: in a large vocabulary the first ``WORDS_PER_START``
    words of two letters may all come before the one meant.

    >>> sorted(word_starts("trdaing"))
    ['rda', 'rtd', 'tda', 'tdr', 'tr', 'trd']
    """
    if len(word) < 3:
        return {word}
    swapped = {word[1] + word[0] + word[2], word[0] + word[2] + word[1]}
    return {word[:2], word[:3], word[1:4], word[0] + word[2:4]} | swapped


def vocabulary(connection: Connection, tenant: str, starts: Sequence[str]) -> list[str]:
    """The distinct stored name words beginning with each of ``starts``, at most
    ``WORDS_PER_START`` each: one index seek per word (a recursive query that skips from
    each word to the next), however many customers hold them."""
    if not starts:
        return []
    parameters: dict[str, str] = {"tenant": tenant}
    for slot, start in enumerate(starts):
        low, high = prefix_range(start)
        parameters[f"low{slot}"] = low
        parameters[f"upper{slot}"] = high if high is not None else chr(0x10FFFF) * 101
    mysql = connection.dialect.name in ("mysql", "mariadb")
    found = connection.execute(_vocabulary_statement(len(starts), grouped=mysql), parameters).scalars()
    return sorted(set(found))


@cache
def _vocabulary_statement(count: int, *, grouped: bool) -> Select[Any] | CompoundSelect[Any]:
    """``vocabulary``'s statement for ``count`` starts (``:low<i>``, ``:upper<i>``),
    built once: building it took longer than running it. On MariaDB, ``grouped``: a
    ``GROUP BY tenant, word`` per start, which it answers by skipping through the index
    ("using index for group-by"); its recursive query read every entry (213 ms at 100k
    customers)."""
    w = name_words.c
    if grouped:
        parts = []
        for slot in range(count):
            found = (
                select(w.word)
                .where(w.tenant == bindparam("tenant", type_=String()))
                .where(w.word >= bindparam(f"low{slot}", type_=String()))
                .where(w.word < bindparam(f"upper{slot}", type_=String()))
                .group_by(w.tenant, w.word)
                .order_by(w.word)
                .limit(WORDS_PER_START)
                .subquery(f"start{slot}")
            )
            parts.append(select(found.c.word))
        return union_all(*parts)
    tenant = bindparam("tenant", type_=String())
    anchors = []
    for slot in range(count):
        upper = bindparam(f"upper{slot}", type_=String())
        first = select(func.min(w.word)).where(
            w.tenant == tenant, w.word >= bindparam(f"low{slot}", type_=String()), w.word < upper
        )
        anchors.append(
            select(
                first.scalar_subquery().label("word"),
                cast(upper, String()).label("upper"),
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
    return select(walk.c.word).where(walk.c.word.is_not(null()))


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
