"""Bulk import speed and memory (SPEC R-9; issue 7's goals).

1. Import N customers — each with an address, a contact and a tax id — from a CSV file
   into a fresh SQLite database (or PostgreSQL with ``--postgres URL``), with full
   validation and duplicate detection, and print rows/s.
2. Insert the same customers with bare SQLAlchemy Core (``executemany`` into the SQL
   adapter's tables, no validation) in the same run, and print rows/s and the ratio.
   Then the database alone: the same rows with the driver's parameters made before
   the clock starts, only ``executemany`` and the commits timed — a bound no import
   storing these rows can pass (the import also writes an audit record and an event a
   customer).
3. Stream a CSV file of M rows through the import (a dry run on in-memory storage, so
   nothing but the pipeline holds memory) in a fresh process and print its peak
   resident memory.

Goals on a 2-core machine: ≥ 10,000 rows/s, ≥ 1/3 of the bare insert, < 300 MB peak for
1,000,000 rows. Defaults run in about a minute::

    .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --rows 100000 --stream-rows 1000000   # full size
    .venv/bin/python bench/bench_import.py --postgres postgresql+psycopg://localhost/cm_bench
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Address, Contact, Customer, TaxId
from customer_master.domain.importing import ImportOptions
from customer_master_files import read_csv, write_csv

ADMIN = Actor("bench", "bench", {"admin"})
COLUMNS = (
    "name",
    "kind",
    "legal_entity",
    "email",
    "phone",
    "external_ref_legacy",
    "tax_id_scheme",
    "tax_id_number",
    "address_line1",
    "address_city",
    "address_postal_code",
    "address_country",
    "contact_name",
    "contact_email",
)
_WORDS = ("Global", "Pacific", "Sunrise", "Golden", "Prime", "Delta", "Eastern", "Metro", "Union", "Royal")
_KINDS = ("Trading", "Holdings", "Logistics", "Foods", "Textiles", "Motors", "Systems", "Supplies")


def rows(count: int) -> Iterator[dict[str, str]]:
    for n in range(count):
        yield {
            "name": f"{_WORDS[n % 10]} {_WORDS[n // 10 % 10]} {_KINDS[n % 8]} {n} Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": f"ap{n}@customer{n}.example",
            "phone": f"+6031{n % 10_000_000:07d}",
            "external_ref_legacy": f"L{n}",
            "tax_id_scheme": "my.brn",
            "tax_id_number": f"2019{n:08d}",
            "address_line1": f"{n} Jalan Ampang",
            "address_city": "Kuala Lumpur",
            "address_postal_code": "50450",
            "address_country": "MY",
            "contact_name": f"Person {n}",
            "contact_email": f"p{n}@customer{n}.example",
        }


def fresh_database(url: str | None, directory: Path, name: str) -> str:
    from customer_master_sql import migrate

    if url is None:
        url = f"sqlite:///{directory / name}.db"
    else:
        _drop_everything(url)
    migrate(url)
    return url


def _drop_everything(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def green_tenant(cm: CustomerMaster) -> None:
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Bench Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")


def import_speed(url: str, csv_path: Path, count: int, batch_size: int) -> float:
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    green_tenant(cm)
    counted = {"failed": 0}

    def heard(outcome: object) -> None:
        if getattr(outcome, "outcome", "") == "failed":
            counted["failed"] += 1

    started = time.perf_counter()
    result = cm.imports.run(ADMIN, read_csv(csv_path), ImportOptions(batch_size=batch_size), on_outcome=heard)
    elapsed = time.perf_counter() - started
    cm.close()
    assert result.counts["created"] == count, result.summary()
    return count / elapsed


# Per batch, each table's rows.
Batches = list[dict[Any, list[dict[str, Any]]]]


def table_batches(count: int, batch_size: int) -> Batches:
    """The adapter's table rows of the bench's customers, a mapping table → rows per batch
    (made before any clock starts: only the inserts count)."""
    from customer_master_sql import mapping
    from customer_master_sql.tables import customers, name_pairs, name_words

    values = [_customer(n, cells) for n, cells in enumerate(rows(count))]
    batches = []
    for start in range(0, count, batch_size):
        batch = values[start : start + batch_size]
        tables: dict[Any, list[dict[str, Any]]] = {customers: [mapping.customer_row(c) for c in batch]}
        for customer in batch:
            for kind, kind_rows in mapping.related_rows(customer).items():
                tables.setdefault(kind.table, []).extend(kind_rows)
        tables[name_words] = [w for c in batch for w in mapping.word_rows(c)]
        tables[name_pairs] = [p for c in batch for p in mapping.pair_rows(c)]
        batches.append(tables)
    return batches


def bare_insert_speed(url: str, batches: Batches) -> float:
    """The customers written by plain SQLAlchemy Core ``executemany`` into the adapter's
    tables, on an engine set up as the adapter's (SQLite: WAL, ``synchronous = NORMAL``;
    its JSON serialiser)."""
    from sqlalchemy import insert

    from customer_master_sql.planner import GrowthAnalyzer
    from customer_master_sql.tables import customers

    engine = _engine(url)
    growth = GrowthAnalyzer()  # fresh statistics as the tables grow, as the import has
    started = time.perf_counter()
    for tables in batches:
        with engine.begin() as connection:  # one transaction a batch, as the import
            for table, table_rows in tables.items():
                connection.execute(insert(table), table_rows)
            growth.added(connection, len(tables[customers]))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return sum(len(tables[customers]) for tables in batches) / elapsed


def database_speed(url: str, batches: Batches) -> float:
    """The same rows with the driver's parameters made before the clock starts: only the
    driver's ``executemany`` and the commits are timed — what the database itself takes
    to store these rows, a bound no import that stores them can pass."""
    from customer_master_sql.driver import DriverInsert
    from customer_master_sql.planner import GrowthAnalyzer
    from customer_master_sql.tables import customers

    engine = _engine(url)
    statements = {
        table: DriverInsert(table, tuple(table_rows[0]), engine.dialect)
        for table, table_rows in batches[0].items()
    }
    prepared = []
    for tables in batches:
        inserts = [(statements[t], statements[t].parameters(table_rows)) for t, table_rows in tables.items()]
        prepared.append((inserts, len(tables[customers])))
    growth = GrowthAnalyzer()
    started = time.perf_counter()
    for inserts, added in prepared:
        with engine.begin() as connection:
            for statement, parameters in inserts:
                statement.execute(connection, parameters)
            growth.added(connection, added)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return sum(added for _, added in prepared) / elapsed


def _engine(url: str) -> Any:
    from sqlalchemy import make_url

    from customer_master_sql.engine import make_engine

    return make_engine(make_url(url))


def _customer(n: int, cells: dict[str, str]) -> Customer:
    return Customer(
        id=f"c{n}",
        tenant=ADMIN.tenant,
        code=f"CUS-{n + 1:07d}",
        name=cells["name"],
        kind="company",
        legal_entity="MY01",
        email=cells["email"],
        phone=cells["phone"],
        tax_ids=(TaxId(id=f"t{n}", scheme="my.brn", number=cells["tax_id_number"]),),
        addresses=(
            Address(
                id=f"a{n}",
                purposes=("billing",),
                default_for=("billing",),
                line1=cells["address_line1"],
                city=cells["address_city"],
                postal_code=cells["address_postal_code"],
                country="MY",
            ),
        ),
        contacts=(Contact(id=f"p{n}", name=cells["contact_name"], email=cells["contact_email"]),),
    )


def streamed_peak(csv_path: Path, count: int, batch_size: int) -> tuple[float, float, float]:
    """(rows/s, peak RSS MB, growth MB) of a dry-run import streaming ``csv_path``."""
    cm = CustomerMaster.from_url("memory://", load_entry_points=False)
    green_tenant(cm)
    gc.collect()
    baseline = _peak_mb()
    started = time.perf_counter()
    result = cm.imports.run(
        ADMIN,
        read_csv(csv_path),
        ImportOptions(batch_size=batch_size, validate_only=True),
        on_outcome=lambda outcome: None,
    )
    elapsed = time.perf_counter() - started
    assert result.rows == count, result.summary()
    peak = _peak_mb()
    return count / elapsed, peak, peak - baseline


def _peak_mb() -> float:
    """This process's peak resident memory. On Linux the kernel's high-water mark of this
    process image (``VmHWM``): ``ru_maxrss`` also counts the parent it was forked from."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=2_000, help="customers imported into SQL (default 2,000)")
    parser.add_argument(
        "--stream-rows", type=int, default=20_000, help="rows of the streamed file (default 20,000)"
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--postgres", metavar="URL", help="also measure on this (emptied!) PostgreSQL database"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        source = directory / "customers.csv"
        write_csv(source, COLUMNS, rows(args.rows))
        targets = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
        for label, url in targets:
            imported = import_speed(
                fresh_database(url, directory, "import"), source, args.rows, args.batch_size
            )
            batches = table_batches(args.rows, args.batch_size)
            bare = bare_insert_speed(fresh_database(url, directory, "bare"), batches)
            alone = database_speed(fresh_database(url, directory, "alone"), batches)
            del batches
            print(f"{label}: import {args.rows:,} customers: {imported:,.0f} rows/s (goal ≥ 10,000)")
            print(f"{label}: bare SQLAlchemy Core insert:  {bare:,.0f} rows/s")
            print(f"{label}: ratio import / bare insert:   {imported / bare:.3f} (goal ≥ 0.333)")
            print(
                f"{label}: the database alone (driver executemany + commits of the same rows): "
                f"{alone:,.0f} rows/s"
            )

        streamed = directory / "streamed.csv"
        write_csv(streamed, COLUMNS, rows(args.stream_rows))
        size = os.path.getsize(streamed) / 1e6
        # In a fresh process: this one's peak includes the SQL runs above (the bare
        # insert holds every row in memory).
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as fresh:
            measured = fresh.submit(streamed_peak, streamed, args.stream_rows, args.batch_size)
            speed, peak, growth = measured.result()
        print(
            f"stream {args.stream_rows:,} rows ({size:,.0f} MB CSV, dry run): {speed:,.0f} rows/s, "
            f"peak RSS {peak:,.0f} MB (+{growth:,.0f} MB while importing; goal < 300 MB)"
        )


if __name__ == "__main__":
    main()
