"""Listing customers in SQL: filters, name search and keyset pagination (R-14.1).

The same answers as ``customer_master.domain.search`` gives in memory, through indexes:

- name: the folded name (case and accents removed) is stored and each of its words
  too; a search for ``"gen"`` finds names with a word starting with ``gen`` through an
  index range on ``cm_customer_name_words``; a search with a space (``"societe gen"``)
  is a prefix range on ``cm_customers.name_folded``;
- sort and cursor: ``(sort column, code)`` compared by code point (collation ``C`` on
  PostgreSQL, ``utf8mb4_bin`` on MariaDB), so pages follow the index and each page costs
  the same however deep it is. The cursor is the memory adapter's sort key
  (``"<folded name>\\x00<code>"`` for name order).

A fuzzy name search starts with these prefix pages and goes on in ``fuzzy.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, not_, or_, select
from sqlalchemy.engine import Connection, Row

from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, Page, SortField, fold
from customer_master_sql.tables import (
    NAME_FOLDED_LENGTH,
    customers,
    enabled_entities,
    name_words,
    tags,
    tax_ids,
)
from customer_master_sql.types import prefix_range

_EXACT = ("kind", "customer_type", "customer_group", "segment", "region", "salesperson")

# A word prefix that more names than this share is common: the page is found by walking
# the customers in sort order and stopping when it is full (cost ∝ page size ÷ the
# prefix's share of names); a rarer one is answered from its few holders, fetched first
# (cost ∝ holders ≤ this). Either way a page costs about the same at any size.
COMMON_PREFIX = 2000
_SORT_COLUMN: dict[SortField, str] = {"name": "name_folded", "created_at": "created_key"}
# The document is the customer; the keys make the page's cursor (``cursor_of``).
SHOWN = (customers.c.document, customers.c.code, customers.c.name_folded, customers.c.created_key)
# The keyset order of each sort: its column, then the code.
SORT_ORDER: dict[SortField, tuple[ColumnElement[Any], ...]] = {
    "code": (customers.c.code,),
    **{sort: (customers.c[column], customers.c.code) for sort, column in _SORT_COLUMN.items()},
}


def page_rows(connection: Connection, tenant: str, query: CustomerQuery) -> Sequence[Row[Any]]:
    """One more row than a page of ``query`` (a prefix search, if any), in keyset order:
    ``list_statement`` after asking the words table whether the prefix is rare."""
    word = searches_words(query)
    holders = None
    if word is not None:
        found = connection.execute(word_holders(tenant, word)).scalars().all()
        holders = list(dict.fromkeys(found)) if len(found) <= COMMON_PREFIX else None
    return connection.execute(list_statement(tenant, query, holders=holders)).all()


def list_statement(tenant: str, query: CustomerQuery, *, holders: Sequence[str] | None = None) -> Select[Any]:
    """One more row than a page of ``query``, in keyset order. ``holders`` are the ids
    of the customers with a name word starting as searched, when that prefix is rare
    (``word_holders``); ``None`` for a common one."""
    where = filters(tenant, query)
    if query.name is not None:
        where += _name_condition(fold(query.name), holders)
    if query.after is not None:
        where.append(after_condition(query.sort, query.after))
    return select(*SHOWN).where(*where).order_by(*SORT_ORDER[query.sort]).limit(max(query.limit, 0) + 1)


def filters(tenant: str, query: CustomerQuery) -> list[ColumnElement[bool]]:
    """The conditions of every filter of ``query`` but the name and the cursor."""
    c = customers.c
    where: list[ColumnElement[bool]] = [c.tenant == tenant]
    if query.status != "any":
        where.append(c.status == query.status)
    where += [c[name] == getattr(query, name) for name in _EXACT if getattr(query, name) is not None]
    if query.tag is not None:
        where.append(
            c.id.in_(select(tags.c.customer_id).where(tags.c.tenant == tenant, tags.c.tag == query.tag))
        )
    if query.entity is not None:
        e = enabled_entities.c
        enabled = select(e.customer_id).where(e.tenant == tenant, e.entity == query.entity)
        where.append(or_(c.legal_entity == query.entity, c.id.in_(enabled)))
    if query.on_credit_hold is not None:
        hold = c.credit_hold_reason
        where.append(hold.is_not(None) if query.on_credit_hold else hold.is_(None))
    if query.email is not None:
        where.append(c.email_lower == query.email.strip().lower())
    if query.tax_id is not None:
        t = tax_ids.c
        holding = select(t.customer_id).where(t.tenant == tenant, t.number == query.tax_id.strip().upper())
        where.append(c.id.in_(holding))
    return where


def not_a_prefix_match(wanted: str) -> ColumnElement[bool]:
    """Neither the name nor any of its words starts with the folded ``wanted``."""
    return not_(and_(*_name_condition(wanted, None)))


def searches_words(query: CustomerQuery) -> str | None:
    """The folded word prefix ``query`` looks for in the words table, if any."""
    wanted = fold(query.name or "")
    return wanted if wanted and " " not in wanted else None


def word_holders(tenant: str, wanted: str) -> Select[Any]:
    """The customers with a name word starting with ``wanted``: at most one more than
    ``COMMON_PREFIX`` (more means the prefix is common)."""
    w = name_words.c
    return select(w.customer_id).where(w.tenant == tenant, *_word_range(wanted)).limit(COMMON_PREFIX + 1)


def _word_range(wanted: str) -> list[ColumnElement[bool]]:
    low, high = prefix_range(wanted[:100])
    word = name_words.c.word
    return [word >= low] + ([word < high] if high is not None else [])


def _name_condition(wanted: str, holders: Sequence[str] | None) -> list[ColumnElement[bool]]:
    """The name starts with ``wanted``, or one of its words does (both folded)."""
    if not wanted:
        return []
    if " " in wanted:
        low, high = prefix_range(wanted)
        column = customers.c.name_folded
        return [column >= low] + ([column < high] if high is not None else [])
    w = name_words.c
    c = customers.c
    if holders is not None:
        return [c.id.in_(holders)]
    # A common prefix: tested on the row itself while walking the customers in sort
    # order — the folded name starts with it or has a word that does (words are
    # separated by one blank) — which costs less than a probe of the words index per
    # customer (PostgreSQL at 1M customers: 1 ms a page instead of 11). A folded name
    # longer than the stored one is looked up among its words as before.
    in_words = exists().where(w.tenant == c.tenant, w.customer_id == c.id, *_word_range(wanted))
    return [
        or_(
            blank_folded_name().contains(f" {wanted}", autoescape=True),
            and_(func.length(c.name_folded) >= NAME_FOLDED_LENGTH, in_words),
        )
    ]


def blank_folded_name() -> ColumnElement[str]:
    """The stored folded name between two blanks, so that ``" word "`` is found as a
    whole word anywhere in it, and ``" wor"`` as a word's start. Tested on each row
    while walking an index in sort order: being an expression, it is not mistaken by
    PostgreSQL's planner for something its trigram index answers (which would read
    every holder of a common word instead of a page's worth)."""
    return (literal(" ") + customers.c.name_folded + literal(" ")).self_group()


def after_condition(sort: SortField, cursor: str) -> ColumnElement[bool]:
    """Past ``cursor`` (``cursor_of``) in ``sort`` order."""
    c = customers.c
    if sort == "code":
        after: ColumnElement[bool] = c.code > cursor
        return after
    column = c[_SORT_COLUMN[sort]]
    key, separator, code = cursor.rpartition("\x00")
    if not separator:
        key, code = cursor, ""
    # Written out (not as a row value) so every database walks the index from ``key``.
    return and_(column >= key, or_(column > key, c.code > code))


def cursor_of(row: Row[Any], sort: SortField) -> str:
    """The memory adapter's sort key of a row (``search.sort_key``)."""
    if sort == "code":
        return str(row.code)
    return f"{row._mapping[_SORT_COLUMN[sort]]}\x00{row.code}"


def page_of(items: Sequence[Customer], rows: Sequence[Row[Any]], *, more: bool, sort: SortField) -> Page:
    return Page(tuple(items), cursor_of(rows[-1], sort) if more and rows else None)
