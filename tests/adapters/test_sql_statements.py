"""Credit exposure at scale: a credit check's receivables position costs at most two SQL
statements however many open items the customer has, and a price-list look-up is one
indexed query (issue 4 §6).

Statements are counted where the database driver runs them — SQLite's trace callback,
psycopg's and PyMySQL's ``Cursor.execute`` — so reads that skip SQLAlchemy's execution
machinery (``customer_master_sql.lookups``) are counted too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from customer_master.domain.config import TenantConfiguration
from customer_master.domain.pricing import PriceList, PriceListLine
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master_sql import SqlStorage, open_storage

_COUNTERS: list[list[str]] = []
# Transaction control and connection set-up are not queries.
_NOT_QUERIES = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")


def _heard(statement: str) -> None:
    for statements in _COUNTERS:
        statements.append(statement.strip())


@pytest.fixture(autouse=True)
def driver_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hear every statement the drivers run (connections opened from now on, for SQLite)."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(_heard)

    for module_name in ("psycopg", "pymysql.cursors"):
        module = pytest.importorskip(module_name)
        original = module.Cursor.execute

        def execute(cursor: Any, query: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            _heard(str(query))
            return __original(cursor, query, *args, **kwargs)

        monkeypatch.setattr(module.Cursor, "execute", execute)
    event.listen(Pool, "connect", on_connect)
    yield
    event.remove(Pool, "connect", on_connect)


@contextmanager
def counted() -> Iterator[list[str]]:
    """The queries any connection runs meanwhile."""
    statements: list[str] = []
    _COUNTERS.append(statements)
    try:
        yield statements
    finally:
        _COUNTERS.remove(statements)
        statements[:] = [s for s in statements if not s.upper().startswith(_NOT_QUERIES)]


@pytest.fixture
def storage(sql_url: str) -> Iterator[SqlStorage]:
    opened = open_storage(sql_url)
    yield opened
    opened.close()


def feed(storage: SqlStorage, customer_id: str, invoices: int) -> None:
    first = date(2026, 1, 1)
    storage.receivables.add_items(
        "acme",
        [
            OpenItem(
                number=f"INV-{customer_id}-{n}",
                customer_id=customer_id,
                entity="MY01",
                kind="invoice" if n % 10 else "credit_note",
                document_date=first,
                due_date=first + timedelta(days=n % 90),
                amount=Decimal("100.00"),
                balance=Decimal("100.00") if n % 7 else Decimal(0),
                currency="MYR",
            )
            for n in range(invoices)
        ],
    )
    storage.receivables.add_orders(
        "acme",
        [
            OpenOrder(
                number=f"SO-{customer_id}-{n}",
                customer_id=customer_id,
                entity="MY01",
                amount=Decimal("10.5"),
                currency="MYR",
            )
            for n in range(invoices // 10)
        ],
    )


@pytest.mark.parametrize("items", [10, 3000])
def test_a_credit_check_position_takes_at_most_two_statements(storage: SqlStorage, items: int) -> None:
    feed(storage, "c1", items)
    feed(storage, "c2", 50)  # someone else's items are not read
    storage.receivables.position("acme", "c2", "MY01", "MYR")  # the reader's first connection set up

    with counted() as statements:
        position = storage.receivables.position("acme", "c1", "MY01", "MYR")

    assert 1 <= len(statements) <= 2, statements
    invoices = [n for n in range(items) if n % 10]
    open_invoices = [n for n in invoices if n % 7]
    credits = [n for n in range(items) if not n % 10 and n % 7]
    assert position.open_balance == Decimal("100.00") * len(open_invoices)
    assert position.unapplied_credits == Decimal("100.00") * len(credits)
    assert position.open_orders == Decimal("10.5") * (items // 10)
    assert position.oldest_due_date == date(2026, 1, 2)


def test_a_price_list_look_up_is_one_statement(storage: SqlStorage) -> None:
    lines = [PriceListLine(item_code=f"ITEM-{n % 500}", unit_price=Decimal(n % 97) + Decimal("0.25"),
                           min_quantity=Decimal(n // 500)) for n in range(5000)]  # fmt: skip
    lines.append(PriceListLine(item_code="ITEM-7", unit_price=Decimal("0.01"), min_quantity=Decimal(3),
                               valid_from=date(2027, 1, 1)))  # fmt: skip
    standard = PriceList(code="STD", name="Standard", currency="USD", lines=lines)
    with storage.unit_of_work() as uow:
        uow.configuration.save(
            TenantConfiguration(tenant="acme", version=1, price_lists={"STD": standard}), expected_version=0
        )
        uow.commit()

    with storage.unit_of_work() as uow, counted() as statements:
        found = uow.configuration.price_line("acme", "STD", "ITEM-7", Decimal("3.5"), date(2026, 6, 1))
        nothing = uow.configuration.price_line("acme", "STD", "NONE", Decimal("1"), date(2026, 6, 1))

    assert len(statements) == 2, statements
    assert found == standard.best_line("ITEM-7", Decimal("3.5"), date(2026, 6, 1))
    assert found is not None
    assert found.min_quantity == Decimal(3)
    assert nothing is None


def test_the_whole_credit_check_costs_the_same_for_few_or_many_items(sql_url: str) -> None:
    from customer_master import Actor, CustomerMaster
    from customer_master.domain.approvals import OPERATIONS

    master = CustomerMaster.from_url(sql_url, load_entry_points=False)
    admin = Actor("acme", "ana", {"admin", "sales_admin", "ar_manager", "controller"})
    master.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme", "currency": "MYR"})
    for operation in OPERATIONS:
        master.configuration.set_approval_lane(admin, operation, "green")
    ids = []
    for name in ("Few", "Many"):
        made = master.customers.create(
            admin, {"name": name, "kind": "individual", "legal_entity": "MY01", "credit_limit": "1000"}
        )
        assert made.value is not None
        ids.append(made.value.id)
    storage = master.storage
    assert isinstance(storage, SqlStorage)
    feed(storage, ids[0], 5)
    feed(storage, ids[1], 2000)
    counts = []
    for customer_id in ids:
        master.credit.check(admin, customer_id, entity="MY01", amount=Decimal(1))  # warm caches
        with counted() as statements:
            master.credit.check(admin, customer_id, entity="MY01", amount=Decimal(1))
        counts.append(len(statements))
    master.close()

    assert counts[0] == counts[1]
