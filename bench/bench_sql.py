"""How fast is the SQL storage at scale? Credit checks, price resolutions and searches on
SQLite and PostgreSQL (issue 4 §8).

Builds a database with CUSTOMERS customers and ITEMS open receivable items (about ITEMS /
CUSTOMERS per customer, plus an open order for one customer in ten), then prints:

- credit-check positions per second (``receivables.position``: one SQL statement), and
  whole credit checks per second through the façade (configuration, customer, position);
- price resolutions per second through the façade (configuration cached by version),
  and single-query price-list look-ups per second;
- name-search latency p50/p99 (a page of 50, name prefix) at 10,000 customers and again
  at CUSTOMERS, and their ratio (goal: p50 ratio ≤ 1.5); the same for a fuzzy name search
  (``name_match="fuzzy"``) of words typed with two letters swapped. Each line shows how
  many names a page held on average: a search of two words finds about 7 names at 10k
  and a full page of 50 at 1M, so it is also timed with pages of 5 (about 3 names at
  10k, 5 at 1M), which compares searches doing about the same work.

The defaults are small so that ``make bench`` stays quick. The full-size run of the issue:

    .venv/bin/python bench/bench_sql.py --customers 100000 --items 1000000
    .venv/bin/python bench/bench_sql.py --customers 1000000 --items 1000000 --only-search

PostgreSQL is reached at $CM_TEST_POSTGRESQL_URL (default: local server, user postgres),
and MariaDB, when asked for (``--databases mariadb``), at $CM_TEST_MARIADB_URL; the bench
makes a scratch database ``cm_test_…`` there and drops it afterwards. A server that does
not answer is skipped with a note.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Customer, TaxId
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.domain.search import CustomerQuery, NameMatch
from customer_master_sql import SqlStorage, mapping
from customer_master_sql.tables import customers as customers_table
from customer_master_sql.tables import name_pairs, name_words, tax_ids
from customer_master_sql.testing import bench_databases

TENANT = "acme"
ADMIN = Actor(TENANT, "bench", {"admin", "sales_admin", "ar_manager", "controller"})
SEARCH_BASE = 10_000
WORDS = """
    acme alpha amber apex atlas aurora bakti baru bintang bukit cahaya cemerlang delta dragon
    eagle east emas era falcon global golden harapan harmoni indah intan jaya kedai kencana
    lestari maju makmur mega mentari mutiara nusantara omega orchid pacific permata perdana
    prima pusaka quantum rakyat raya sentosa setia sinar suria sutera tenaga timur tiara utama
    victory wawasan wira zenith
""".split()  # noqa: SIM905 - a block of words reads better than 58 quoted ones
SUFFIXES = ("Sdn Bhd", "Trading", "Enterprise", "Holdings", "Pte Ltd", "Berhad", "Resources")


def customer(number: int, rng: random.Random) -> Customer:
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.choice(SUFFIXES)}"
    return Customer(
        id=f"c{number:08d}",
        tenant=TENANT,
        code=f"CUS-{number:07d}",
        name=name,
        kind="company",
        legal_entity="MY01",
        email=f"ap{number}@example.com",
        currency="MYR",
        credit_limit=Decimal(50_000),
        tax_ids=(TaxId(id="t", scheme="my.brn", number=f"{number:012d}"),),
        created_at=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=number),
    )


def load_customers(storage: SqlStorage, start: int, stop: int, rng: random.Random) -> None:
    """Customers ``start`` … ``stop - 1`` written straight to the tables, in batches."""
    batch = 5_000
    for first in range(start, stop, batch):
        made = [customer(n, rng) for n in range(first, min(stop, first + batch))]
        with storage.engine.begin() as connection:
            connection.execute(insert(customers_table), [mapping.customer_row(c) for c in made])
            keyed: dict[Any, list[dict[str, Any]]] = {}
            for made_customer in made:
                for table, rows in mapping.key_rows(made_customer).items():
                    keyed.setdefault(table, []).extend(rows)
            for table, rows in keyed.items():
                connection.execute(insert(table), sorted(rows, key=lambda row: tuple(map(str, row.values()))))
        if first == start:
            analyze(storage)  # as autovacuum would: plans for a table believed empty scan it
    analyze(storage)


def analyze(storage: SqlStorage) -> None:
    """Fresh statistics, as autovacuum keeps them; on PostgreSQL ``VACUUM ANALYZE``, which
    also sets the visibility map that index-only scans need (a bulk-loaded table's
    pages are not all-visible until vacuumed)."""
    dialect = storage.engine.dialect.name
    if dialect == "postgresql":
        with storage.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        return
    with storage.engine.begin() as connection:
        if dialect in ("mysql", "mariadb"):
            names = ", ".join(table.name for table in (customers_table, name_words, name_pairs, tax_ids))
            connection.exec_driver_sql(f"ANALYZE TABLE {names}")
        else:
            connection.exec_driver_sql("ANALYZE")


def load_items(storage: SqlStorage, customers: int, items: int, rng: random.Random) -> None:
    first = date(2025, 6, 1)
    batch = 20_000
    for start in range(0, items, batch):
        storage.receivables.add_items(
            TENANT,
            [
                OpenItem(
                    number=f"INV-{n}",
                    customer_id=f"c{rng.randrange(customers):08d}",
                    entity="MY01",
                    kind="invoice" if n % 8 else "credit_note",
                    document_date=first,
                    due_date=first + timedelta(days=n % 300),
                    amount=Decimal("1250.00"),
                    balance=Decimal("1250.00") if n % 3 else Decimal(0),
                    currency="MYR",
                )
                for n in range(start, min(items, start + batch))
            ],
        )
        if start == 0:
            analyze(storage)  # the replacing DELETE must not plan for an empty table
    storage.receivables.add_orders(
        TENANT,
        [
            OpenOrder(
                number=f"SO-{n}",
                customer_id=f"c{n:08d}",
                entity="MY01",
                amount=Decimal("99.90"),
                currency="MYR",
            )
            for n in range(0, customers, 10)
        ],
    )


def rate(label: str, seconds: float, work: Callable[[], object]) -> None:
    """Run ``work`` repeatedly for ``seconds``, twice, and print how many per second: the
    first run from cold (connections opening, each of the 10,000 customers decoded once),
    the second warm (what a busy process sees)."""
    for phase in ("cold", "warm"):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            work()
            done += 1
        elapsed = time.perf_counter() - start
        print(f"  {label:<44} {done / elapsed:>10,.0f} /s   ({done:,} in {elapsed:.1f}s, {phase})")


def latencies(
    storage: SqlStorage, prefixes: Sequence[str], repeat: int, match: NameMatch = "prefix", limit: int = 50
) -> tuple[float, float, float]:
    """p50 and p99 in milliseconds of a first page (of ``limit``) of a name search, and
    the names a page held on average."""
    timings, names = [], 0
    with storage.unit_of_work() as uow:
        for number in range(repeat):
            query = CustomerQuery(name=prefixes[number % len(prefixes)], name_match=match, limit=limit)
            start = time.perf_counter()
            names += len(uow.customers.list(TENANT, query).items)
            timings.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[98], names / repeat


def mistyped(word: str) -> str:
    """``word`` with its third and fourth letters swapped (``"makmur"`` → ``"makumr"``)."""
    return word[:2] + word[3] + word[2] + word[4:] if len(word) > 3 else word


# One mistyped word; and a word then a mistyped one, as a clerk types them (every word of
# this bench is held by about a tenth of the customers: the hard case for two words).
FUZZY_ONE_WORD = [mistyped(word) for word in WORDS]
FUZZY_TWO_WORDS = [
    f"{first.title()} {mistyped(second)}" for first, second in zip(WORDS[::3], WORDS[1::3], strict=False)
]


PREFIXES = [word[:3] for word in WORDS] + WORDS[:10]
# Label: (searches, name match, names a page holds at most).
SEARCHES: dict[str, tuple[list[str], NameMatch, int]] = {
    "name search": (PREFIXES, "prefix", 50),
    "fuzzy, one word": (FUZZY_ONE_WORD, "fuzzy", 50),
    "fuzzy, two words": (FUZZY_TWO_WORDS, "fuzzy", 50),
    "fuzzy, two, by 5": (FUZZY_TWO_WORDS, "fuzzy", 5),
}


def search_latencies(storage: SqlStorage, repeat: int) -> list[tuple[float, float, float]]:
    return [latencies(storage, searches, repeat, match, size) for searches, match, size in SEARCHES.values()]


def facade(url: str) -> CustomerMaster:
    master = CustomerMaster.from_url(url, load_entry_points=False)
    master.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        master.configuration.set_approval_lane(ADMIN, operation, "green")
    lines = [
        {"item_code": f"ITEM-{n:04d}", "unit_price": f"{10 + n % 50}.00", "min_quantity": str(q)}
        for n in range(2_000)
        for q in (0, 10, 100)
    ]
    master.configuration.save_price_list(
        ADMIN, {"code": "STD", "name": "Standard", "currency": "MYR", "lines": lines}
    )
    master.configuration.update_settings(ADMIN, {"standard_price_list": "STD"})
    return master


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    print(f"== {name}: {args.customers:,} customers, {args.items:,} open items")
    rng = random.Random(4)
    master = facade(url)
    storage = master.storage
    assert isinstance(storage, SqlStorage)
    base = min(SEARCH_BASE, args.customers)
    started = time.perf_counter()
    load_customers(storage, 0, base, rng)
    at_base = search_latencies(storage, args.searches)
    load_customers(storage, base, args.customers, rng)
    if not args.only_search:
        load_items(storage, args.customers, args.items, rng)
        analyze(storage)
    print(f"  (loaded in {time.perf_counter() - started:.0f}s)")
    at_full = search_latencies(storage, args.searches)
    for label, small, large in zip(SEARCHES, at_base, at_full, strict=True):
        for size, (p50, p99, names) in ((base, small), (args.customers, large)):
            ratio = f"   (p50 ratio {large[0] / small[0]:.2f})" if size != base else ""
            print(f"  {label:<17} p50/p99 at {size:>9,} customers  {p50:6.2f} / {p99:6.2f} ms"
                  f"  {names:4.1f} names{ratio}")  # fmt: skip
    if args.only_search:
        master.close()
        return

    ids = [f"c{rng.randrange(args.customers):08d}" for _ in range(10_000)]
    picks: Iterator[str] = iter(ids * 1_000)
    rate("credit-check position (receivables.position)", args.seconds,
         lambda: storage.receivables.position(TENANT, next(picks), "MY01", "MYR"))  # fmt: skip
    rate("credit check through the façade", args.seconds,
         lambda: master.credit.check(ADMIN, next(picks), entity="MY01", amount=Decimal("500")))  # fmt: skip
    items = [f"ITEM-{rng.randrange(2_000):04d}" for _ in range(1_000)]
    chosen: Iterator[str] = iter(items * 10_000)
    on = date(2026, 3, 2)
    rate("price resolution through the façade", args.seconds,
         lambda: master.pricing.resolve(ADMIN, next(picks), entity="MY01", item_code=next(chosen),
                                        quantity=Decimal(25), on=on))  # fmt: skip

    def look_up() -> Any:
        with storage.unit_of_work() as uow:
            return uow.configuration.price_line(TENANT, "STD", next(chosen), Decimal(25), on)

    rate("price-list look-up (one indexed query)", args.seconds, look_up)
    master.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=300, help="searches per latency measurement")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per throughput figure")
    parser.add_argument("--databases", default="sqlite,postgresql", help="of sqlite, postgresql, mariadb")
    parser.add_argument("--only-search", action="store_true", help="no open items; search figures only")
    args = parser.parse_args()
    for label, url in bench_databases(args.databases.split(",")):
        bench(label, url, args)


if __name__ == "__main__":
    main()
