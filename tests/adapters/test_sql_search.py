"""Name search takes one of two ways on SQL — from the few holders of a rare word prefix,
or walking the customers in order for a common one — and both give the in-memory answer
page after page (R-14.1). So does a fuzzy search, whose close matches SQL narrows down
through an index (trigrams on PostgreSQL, the name words elsewhere)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from attrs import evolve

from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery, SortField
from customer_master.ports import Storage
from customer_master_memory import MemoryStorage
from customer_master_sql import SqlStorage, fuzzy, listing, open_storage

WORDS = ["Société", "Générale", "Sentosa", "Setia", "Sinar", "Kedai", "Ali", "Émas", "Bakti", "Prima"]


def population() -> list[Customer]:
    rng = random.Random(7)
    return [
        Customer(
            id=f"c{n}",
            tenant="acme",
            code=f"CUS-{rng.randrange(10_000):04d}-{n}",
            name=" ".join(rng.sample(WORDS, 2)),
            kind="company",
            legal_entity="MY01",
            status="inactive" if n % 9 == 0 else "active",
        )
        for n in range(240)
    ]


def store(storage: Storage, customers: list[Customer]) -> None:
    with storage.unit_of_work() as uow:
        for customer in customers:
            uow.customers.add(customer)
        uow.commit()


def pages(storage: Storage, query: CustomerQuery) -> list[list[str]]:
    walked, after = [], None
    while True:
        with storage.unit_of_work() as uow:
            page = uow.customers.list("acme", evolve(query, after=after))
        walked.append([c.code for c in page.items])
        if page.next_cursor is None:
            return walked
        after = page.next_cursor


@pytest.fixture
def storages(sql_url: str) -> Iterator[tuple[Storage, SqlStorage]]:
    memory, sql = MemoryStorage(), open_storage(sql_url)
    everyone = population()
    store(memory, everyone)
    store(sql, everyone)
    yield memory, sql
    sql.close()


@pytest.mark.parametrize("common_above", [listing.COMMON_PREFIX, 3])
@pytest.mark.parametrize("sort", ["code", "name"])
def test_both_ways_of_searching_give_the_memory_answer(
    storages: tuple[Storage, SqlStorage], monkeypatch: pytest.MonkeyPatch, common_above: int, sort: SortField
) -> None:
    memory, sql = storages
    monkeypatch.setattr(listing, "COMMON_PREFIX", common_above)
    for name in ("s", "SE", "sét", "générale", "ali", "emas", "société g", "zzz", "k"):
        query = CustomerQuery(name=name, sort=sort, limit=7)
        assert pages(sql, query) == pages(memory, query), name


@pytest.mark.parametrize("common_above", [listing.COMMON_PREFIX, 3])
@pytest.mark.parametrize("sort", ["code", "name", "created_at"])
def test_fuzzy_search_gives_the_memory_answer_page_after_page(
    storages: tuple[Storage, SqlStorage], monkeypatch: pytest.MonkeyPatch, common_above: int, sort: SortField
) -> None:
    memory, sql = storages
    monkeypatch.setattr(listing, "COMMON_PREFIX", common_above)
    searches = (
        "setia",
        "steia",
        "kedia ali",
        "Societe Generle",
        "generle",
        "emaas",
        "priam bakti",
        "sinr",
        "zzz",
    )
    for name in searches:
        query = CustomerQuery(name=name, name_match="fuzzy", sort=sort, limit=7)
        walked = pages(sql, query)
        assert walked == pages(memory, query), name
        assert sum(map(len, walked)) > 0 or name == "zzz", name


def test_fuzzy_search_scores_no_more_than_its_candidates(
    storages: tuple[Storage, SqlStorage], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQL pre-filter is bounded: with room for 5 candidates, at most 5 close matches."""
    _, sql = storages
    monkeypatch.setattr(fuzzy, "FUZZY_CANDIDATES", 5)
    query = CustomerQuery(name="steia", name_match="fuzzy", limit=100)
    walked = pages(sql, query)
    assert 0 < sum(map(len, walked)) <= 5


def test_a_common_prefix_finds_the_words_of_long_names_and_takes_wildcards_literally(
    sql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The common-prefix path tests the stored folded name, which keeps 512 characters;
    # a word past them is still found, and "%" or "_" in a search match only themselves.
    long_name = "ﬃ" * 200 + " Zebra Trading"  # folds to 614 characters: 'zebra' starts past 512
    people = [
        Customer(id="c1", tenant="acme", code="CUS-1", name=long_name, kind="company", legal_entity="MY01"),
        Customer(
            id="c2", tenant="acme", code="CUS-2", name="Zebu 100% Foods", kind="company", legal_entity="MY01"
        ),
        Customer(
            id="c3", tenant="acme", code="CUS-3", name="Zebu 1000 Foods", kind="company", legal_entity="MY01"
        ),
        Customer(
            id="c4", tenant="acme", code="CUS-4", name="A_B Trading", kind="company", legal_entity="MY01"
        ),
        Customer(
            id="c5", tenant="acme", code="CUS-5", name="AXB Trading", kind="company", legal_entity="MY01"
        ),
    ]
    memory, sql = MemoryStorage(), open_storage(sql_url)
    try:
        store(memory, people)
        store(sql, people)
        monkeypatch.setattr(listing, "COMMON_PREFIX", 0)  # every prefix takes the common path
        for name, expected in (("zebr", ["CUS-1"]), ("100%", ["CUS-2"]), ("a_b", ["CUS-4"])):
            query = CustomerQuery(name=name, limit=10)
            assert pages(sql, query) == pages(memory, query) == [expected], name
    finally:
        sql.close()
