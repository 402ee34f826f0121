"""Finding customers: filters, name search and keyset pagination (SPEC R-14.1).

Name matching ignores case and accents: ``fold("Société Générale")`` is
``"societe generale"``. Storage adapters implement the query with their own indexes; the
in-memory adapter uses ``matches`` and ``sort_key`` from here.

>>> fold("Société  Générale ")
'societe generale'
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from attrs import frozen

from customer_master.domain.customer import Customer

SortField = Literal["code", "name", "created_at"]


def fold(text: str) -> str:
    """Lower case, accents removed, runs of white space made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@frozen(kw_only=True)
class CustomerQuery:
    """A list request. Text fields filter exactly; ``name`` matches a prefix of the name or
    of any word in it; ``after`` is the cursor (the last key of the previous page)."""

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
    return query.name is None or name_matches(customer.name, query.name)


def word_starts(name: str) -> set[str]:
    """The first three letters of each word of the folded name, with and without its
    punctuation: how storage pre-filters look-alike names for the similar-name warning
    (R-3.4) before the core scores them.

    >>> sorted(word_starts("O'Brien & Co."))
    ['&', 'co', 'co.', "o'b", 'obr']
    """
    words = fold(name).split()
    return {w[:3] for w in words} | {s[:3] for w in words if (s := "".join(ch for ch in w if ch.isalnum()))}


def name_matches(name: str, search: str) -> bool:
    """Case- and accent-insensitive prefix match on the whole name or any of its words."""
    wanted = fold(search)
    folded = fold(name)
    return folded.startswith(wanted) or any(word.startswith(wanted) for word in folded.split())


def sort_key(customer: Customer, sort: SortField) -> str:
    """The keyset key: the sort field plus the code, so keys are unique and ordered."""
    if sort == "name":
        return f"{fold(customer.name)}\x00{customer.code}"
    if sort == "created_at":
        stamp = customer.created_at.isoformat() if customer.created_at else ""
        return f"{stamp}\x00{customer.code}"
    return customer.code
