"""Listing customers: filters, case- and accent-insensitive name search, sort and keyset
pagination give the same pages on every storage (R-14.1)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from contract_values import add_committed, plain_customer

from customer_master.domain.customer import CreditHold, Customer, TaxId
from customer_master.domain.search import CustomerQuery, SortField, sort_key
from customer_master.ports import Storage

NAMES = [
    "Société Générale",
    "societe generale asia",
    "Kedai Runcit Ali",
    "ÉCOLE Normale",
    "Zebra Trading",
    "ali baba",
    "Générale des Eaux",
    "Bank Negara",
    "O'Brien & Sons",
    "Ümit Gıda",
    "Straße GmbH",
    "zebra crossing",
]


@pytest.fixture
def many(storage: Storage) -> list[Customer]:
    hold = CreditHold(reason="overdue", by="ana", at=datetime(2026, 1, 1, tzinfo=UTC))
    customers = [
        plain_customer(
            number,
            name=name,
            kind="individual" if number % 3 == 0 else "company",
            status="inactive" if number % 5 == 0 else "active",
            customer_group="key" if number % 2 == 0 else "retail",
            segment="banking" if number < 6 else "retail",
            region="apac" if number % 4 else "emea",
            salesperson="sam" if number % 2 else "sue",
            customer_type="wholesale" if number % 2 else None,
            tags=("vip",) if number in (2, 3, 7) else ("a", "b"),
            legal_entity="MY01" if number % 2 else "SG01",
            enabled_entities=frozenset({"US01"}) if number in (1, 4) else frozenset(),
            credit_hold=hold if number in (2, 9) else None,
            email=f"buyer{number}@Example.com",
            tax_ids=(TaxId(id="t", scheme="eu.vat", number=f"FR{number:011d}"),),
        )
        for number, name in enumerate(NAMES, start=1)
    ]
    # Stored out of order: the order of the answer comes from the query alone.
    add_committed(storage, *reversed(customers))
    return customers


def listed(storage: Storage, **query: object) -> list[str]:
    with storage.unit_of_work() as uow:
        page = uow.customers.list("acme", CustomerQuery(limit=100, **query))  # type: ignore[arg-type]
    assert page.next_cursor is None
    return [c.code for c in page.items]


def codes(*numbers: int) -> list[str]:
    return [f"CUS-{n:04d}" for n in numbers]


@pytest.mark.usefixtures("many")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, codes(1, 2, 3, 4, 6, 7, 8, 9, 11, 12)),
        ({"status": "inactive"}, codes(5, 10)),
        ({"status": "any"}, codes(*range(1, 13))),
        ({"kind": "individual"}, codes(3, 6, 9, 12)),
        ({"customer_type": "wholesale"}, codes(1, 3, 7, 9, 11)),
        ({"customer_group": "key", "segment": "retail"}, codes(6, 8, 12)),
        ({"region": "emea"}, codes(4, 8, 12)),
        ({"salesperson": "sue"}, codes(2, 4, 6, 8, 12)),
        ({"tag": "vip"}, codes(2, 3, 7)),
        ({"entity": "US01"}, codes(1, 4)),
        ({"entity": "MY01", "kind": "company"}, codes(1, 7, 11)),
        ({"entity": "SG01"}, codes(2, 4, 6, 8, 12)),
        ({"on_credit_hold": True}, codes(2, 9)),
        ({"on_credit_hold": False, "segment": "banking"}, codes(1, 3, 4)),
        ({"email": " BUYER7@example.COM "}, codes(7)),
        ({"tax_id": "fr00000000011"}, codes(11)),
        ({"tax_id": "FR00000000002", "name": "soc"}, codes(2)),
    ],
)
def test_filters(storage: Storage, query: dict[str, object], expected: list[str]) -> None:
    assert listed(storage, **query) == expected


@pytest.mark.usefixtures("many")
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("soc", codes(1, 2)),  # the name starts with it
        ("GÉN", codes(1, 2, 7)),  # a word starts with it, case and accents ignored
        ("societe generale a", codes(2)),  # with a space: the whole name starts with it
        ("SOCIÉTÉ  générale", codes(1, 2)),  # white space folded too
        ("generale a", []),  # …and only the whole name
        ("ali", codes(3, 6)),
        ("ecole", codes(4)),
        ("zeb", codes(5, 12)),
        ("straß", codes(11)),
        ("o'b", codes(9)),
        ("umit", codes(10)),
        ("xyz", []),
        ("", codes(*range(1, 13))),
    ],
)
def test_name_search_is_a_case_and_accent_insensitive_prefix(
    storage: Storage, search: str, expected: list[str]
) -> None:
    assert listed(storage, name=search, status="any") == expected


@pytest.mark.parametrize("sort", ["code", "name", "created_at"])
def test_keyset_pages_walk_every_match_once_in_sort_order(
    storage: Storage, many: list[Customer], sort: SortField
) -> None:
    seen: list[Customer] = []
    cursors: list[str] = []
    after = None
    while True:
        with storage.unit_of_work() as uow:
            page = uow.customers.list("acme", CustomerQuery(status="any", sort=sort, limit=5, after=after))
        seen += page.items
        if page.next_cursor is None:
            break
        cursors.append(page.next_cursor)
        after = page.next_cursor

    expected = sorted(many, key=lambda c: sort_key(c, sort))
    assert [c.code for c in seen] == [c.code for c in expected]
    assert len(cursors) == 2
    # The cursor is the sort key of the page's last customer, as in memory.
    assert cursors == [sort_key(expected[4], sort), sort_key(expected[9], sort)]


def test_a_page_exactly_full_has_no_next_cursor(storage: Storage) -> None:
    add_committed(storage, *(plain_customer(n) for n in range(1, 5)))

    with storage.unit_of_work() as uow:
        page = uow.customers.list("acme", CustomerQuery(limit=4))

    assert len(page.items) == 4
    assert page.next_cursor is None


def test_name_order_is_by_folded_name_then_code(storage: Storage) -> None:
    add_committed(
        storage,
        plain_customer(1, name="b"),
        plain_customer(2, name="Á"),
        plain_customer(3, name="a"),
        plain_customer(4, name="ab"),
        plain_customer(5, name="A b"),
    )

    assert listed(storage, sort="name") == codes(2, 3, 5, 4, 1)


FUZZY_NAMES = [
    "Kedai Makmur Sdn Bhd",
    "Acme Trading",
    "Acme Trading Company",
    "Kedai Makmor",
    "Makmur Jaya Enterprise",
    "Société Générale",
    "Setia Emas Holdings",
    "Acne Studios",
]


@pytest.fixture
def spelled(storage: Storage) -> None:
    customers = [
        plain_customer(number, name=name, status="inactive" if number == 6 else "active")
        for number, name in enumerate(FUZZY_NAMES, start=1)
    ]
    add_committed(storage, *reversed(customers))


@pytest.mark.usefixtures("spelled")
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        # A typo, a swap, a missing letter: best match first, ties by code.
        ("Kedai Makmer", codes(1, 4)),
        ("Acme Trdaing", codes(2, 3)),
        ("kedai makmr", codes(1, 4)),
        # Prefix matches first (as a prefix search gives them), then close ones.
        ("makmur", codes(1, 5, 4)),
        ("acme", codes(2, 3)),
        ("SOCIETE GENRALE", codes(6)),
        ("setia emsa", codes(7)),
        ("emas", codes(7)),
        # One wrong letter in a word of four is too far; nonsense finds nobody.
        ("acne", codes(8)),
        ("qwerty", []),
    ],
)
def test_fuzzy_name_search_finds_names_despite_typing_errors(
    storage: Storage, search: str, expected: list[str]
) -> None:
    assert listed(storage, name=search, name_match="fuzzy", status="any") == expected


@pytest.mark.usefixtures("spelled")
def test_fuzzy_search_keeps_the_other_filters(storage: Storage) -> None:
    assert listed(storage, name="Societe Genrale", name_match="fuzzy") == []
    assert listed(storage, name="Societe Genrale", name_match="fuzzy", status="inactive") == codes(6)


@pytest.mark.usefixtures("spelled")
@pytest.mark.parametrize("sort", ["code", "name", "created_at"])
def test_fuzzy_pages_go_on_where_the_last_one_ended(storage: Storage, sort: SortField) -> None:
    """Prefix matches in sort order, then close matches best first, page after page."""
    seen: list[str] = []
    after = None
    for _ in range(5):
        query = CustomerQuery(name="makmur", name_match="fuzzy", sort=sort, limit=1, after=after)
        with storage.unit_of_work() as uow:
            page = uow.customers.list("acme", query)
        seen += [c.code for c in page.items]
        after = page.next_cursor
        if after is None:
            break
    assert seen == codes(1, 5, 4)


@pytest.mark.usefixtures("spelled")
def test_a_prefix_search_stays_a_prefix_search(storage: Storage) -> None:
    assert listed(storage, name="Kedai Makmer") == []
    assert listed(storage, name="makmur") == codes(1, 5)
