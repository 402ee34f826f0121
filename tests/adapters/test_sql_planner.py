"""A bulk import keeps PostgreSQL's planner statistics current as it grows the customer
tables (customer_master_sql/planner.py): without them, a fresh table's batch look-ups and
foreign-key checks scan, and every batch costs more than the last."""

from __future__ import annotations

from sqlalchemy import text

from customer_master.domain.customer import Customer
from customer_master_sql import open_storage


def _customers(start: int, count: int) -> list[Customer]:
    return [
        Customer(
            id=f"c{n}",
            tenant="acme",
            code=f"CUS-{n:06d}",
            name=f"Kedai {n} Sdn Bhd",
            kind="individual",
            legal_entity="MY01",
        )
        for n in range(start, start + count)
    ]


def _believed_rows(storage: object) -> float:
    """How many rows the planner believes ``cm_customers`` holds (set by ANALYZE)."""
    with storage.engine.connect() as connection:  # type: ignore[attr-defined]
        found = connection.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'cm_customers'"))
        return float(found.scalar_one())


def test_adding_customers_in_bulk_analyses_the_tables_as_they_double(postgresql_url: str) -> None:
    # PostgreSQL only: SQLite plans these without statistics, MariaDB's ANALYZE commits.
    storage = open_storage(postgresql_url)
    try:
        with storage.engine.begin() as connection:  # the empty table, as the planner sees it
            connection.exec_driver_sql("ANALYZE cm_customers")
        assert _believed_rows(storage) == 0
        added = 0
        for size in (400, 400, 400, 1200):  # 400, 800, 1,200 (≥ 1,000: analysed), 2,400
            with storage.unit_of_work() as uow:
                uow.customers.add_many(_customers(added, size))  # type: ignore[attr-defined]
                uow.commit()
            added += size
            if added == 1200:
                assert _believed_rows(storage) == 1200
        # 2,400 is the 1,200 known doubled: analysed again; 600 more is not enough.
        assert _believed_rows(storage) == 2400
        with storage.unit_of_work() as uow:
            uow.customers.add_many(_customers(added, 600))  # type: ignore[attr-defined]
            uow.commit()
        assert _believed_rows(storage) == 2400
    finally:
        storage.close()


def test_postgresql_sessions_compile_no_plans_unless_the_url_says(postgresql_url: str) -> None:
    """A walk of the customers the planner prices high was JIT-compiled first: 100 ms
    for a page read in 1 (docs/decisions/0017). The adapter's sessions, writers and
    readers, run with ``jit = off``; ``options`` in the URL replace that setting."""
    storage = open_storage(postgresql_url)
    try:
        with storage.engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
        with storage.read_engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        storage.close()
    separator = "&" if "?" in postgresql_url else "?"
    chosen = open_storage(f"{postgresql_url}{separator}options=-c%20jit%3Don")
    try:
        with chosen.engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "on"
    finally:
        chosen.close()
