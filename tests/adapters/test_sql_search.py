"""Name search takes one of two ways on SQL — from the few holders of a rare word prefix,
or walking the customers in order for a common one — and both give the in-memory answer
page after page (R-14.1). So does a fuzzy search, whose close matches SQL finds through
the name words and pairs of words, one of two ways (fuzzy.py)."""

from __future__ import annotations

import random
import re
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


@pytest.mark.parametrize("many_above", [fuzzy.FUZZY_CANDIDATES, 0], ids=["few-holders", "many-holders"])
@pytest.mark.parametrize("common_above", [listing.COMMON_PREFIX, 3])
@pytest.mark.parametrize("sort", ["code", "name", "created_at"])
def test_fuzzy_search_gives_the_memory_answer_page_after_page(
    storages: tuple[Storage, SqlStorage],
    monkeypatch: pytest.MonkeyPatch,
    many_above: int,
    common_above: int,
    sort: SortField,
) -> None:
    """Both ways to the close matches — scoring every holder, or listing the holders of
    the best runs of words score by score, from the index or walking the customers —
    give the memory adapter's pages."""
    memory, sql = storages
    monkeypatch.setattr(fuzzy, "FUZZY_CANDIDATES", many_above)
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


@pytest.mark.parametrize("common_above", [listing.COMMON_PREFIX, 0], ids=["from-holders", "walking"])
def test_a_name_holding_runs_of_two_scores_is_listed_once_with_the_better(
    sql_url: str, monkeypatch: pytest.MonkeyPatch, common_above: int
) -> None:
    # "sentosaa" is 93 from "sentosa" and 80 from "sentoza": a name with both words ranks
    # with the first and only there, whichever way the holders are read.
    names = ["Sentosa Sentoza", "Sentoza Trading", "Sentosa Trading", "Alpha Sentoza", "Sentoza Sentosa Jaya"]
    people = [
        Customer(id=f"c{n}", tenant="acme", code=f"CUS-{n}", name=name, kind="company", legal_entity="MY01")
        for n, name in enumerate(names * 3)
    ]
    memory, sql = MemoryStorage(), open_storage(sql_url)
    try:
        store(memory, people)
        store(sql, people)
        monkeypatch.setattr(fuzzy, "FUZZY_CANDIDATES", 0)
        monkeypatch.setattr(listing, "COMMON_PREFIX", common_above)
        for sort in ("code", "name"):
            query = CustomerQuery(name="sentosaa", name_match="fuzzy", sort=sort, limit=4)
            walked = pages(sql, query)
            assert walked == pages(memory, query)
            assert sorted(code for page in walked for code in page) == sorted(c.code for c in people)
    finally:
        sql.close()


@pytest.mark.parametrize("sort", ["code", "name"])
def test_a_run_of_words_held_by_many_is_listed_page_after_page(
    sql_url: str, monkeypatch: pytest.MonkeyPatch, sort: SortField
) -> None:
    # Many customers hold the pair "kedai makmur": in code order its holders are walked
    # in the pairs index, in name order read from it; both give memory's pages.
    rng = random.Random(3)
    people = [
        Customer(
            id=f"c{n}",
            tenant="acme",
            code=f"CUS-{rng.randrange(10_000):04d}-{n}",
            name=f"{rng.choice(['Kedai Makmur', 'Makmur Kedai', 'Kedai Maju'])} {rng.choice(WORDS)}",
            kind="company",
            legal_entity="MY01",
            status="inactive" if n % 7 == 0 else "active",
        )
        for n in range(60)
    ]
    memory, sql = MemoryStorage(), open_storage(sql_url)
    try:
        store(memory, people)
        store(sql, people)
        monkeypatch.setattr(fuzzy, "FUZZY_CANDIDATES", 0)
        query = CustomerQuery(name="kedai makmr", name_match="fuzzy", sort=sort, limit=4)
        walked = pages(sql, query)
        assert walked == pages(memory, query)
        assert sum(map(len, walked)) > 8
    finally:
        sql.close()


def test_a_search_of_many_holders_reads_a_page_and_no_more(
    storages: tuple[Storage, SqlStorage], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing the best runs' holders score by score stops when the page is full: the
    statements it runs read at most a page (and one) of customers each."""
    _, sql = storages
    monkeypatch.setattr(fuzzy, "FUZZY_CANDIDATES", 0)
    read: list[int] = []
    holding = fuzzy._holding

    def counted(*args: object, **kwargs: object) -> object:
        statement = holding(*args, **kwargs)  # type: ignore[arg-type]
        text = str(statement.compile(compile_kwargs={"literal_binds": True}))
        read.extend(int(limit) for limit in re.findall(r"LIMIT (\d+)", text))
        return statement

    monkeypatch.setattr(fuzzy, "_holding", counted)
    with sql.unit_of_work() as uow:
        page = uow.customers.list("acme", CustomerQuery(name="steia", name_match="fuzzy", limit=5))
    assert len(page.items) == 5
    assert page.next_cursor is not None
    assert read
    assert all(limit <= 6 for limit in read)


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
