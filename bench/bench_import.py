"""Bulk import speed and memory (SPEC R-9; issue 14's goals).

Every line below is measured in the same run on the same customers (by default 100,000,
each with an address, a contact, a tax id and an external reference), and printed so a
script can read it:

- ``lean insert: N rows/s`` — what SQLite takes to store those customers leanly: stdlib
  ``sqlite3``, one ``customers`` row with the customer's JSON document and one audit
  row per customer, the ids the import really uses (``customer_master.ids``), WAL and
  ``synchronous = NORMAL``, batches of 1,000, the rows (their JSON text) built inside
  the clock from the customers made before it.
- ``import sqlite: N rows/s`` and ``import postgresql: N rows/s`` — the real import of
  the same customers from a CSV file, with full validation, duplicate detection,
  similar-name warnings, audit and events, into a fresh database.
- ``import/lean ratio: R`` — the SQLite import over the lean insert (goal ≥ 0.5).
- ``rows per customer: N`` and ``index entries per customer: N`` — counted from the
  SQLite database after the import: every row of every table, and every entry of every
  B-tree (tables and indexes: the leaf cells SQLite's ``dbstat`` counts), per customer.
- ``peak memory 1M rows: N MB`` — the peak resident memory of a fresh process that
  streams a CSV file of 1,000,000 rows through a real import into SQLite (goal < 300 MB).

PostgreSQL runs in a scratch database made on the local server and dropped afterwards
(``--postgres SERVER_URL`` names another server, ``--no-postgres`` skips it). On a
machine busy with other work, ``--cpu`` times the SQLite lines by this process's CPU
time instead of the wall clock (waits for the disk then count for nothing)::

    .venv/bin/python bench/bench_import.py                                   # the full run
    .venv/bin/python bench/bench_import.py --rows 20000 --stream-rows 50000  # a quick one
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import orjson

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Address, Contact, Customer, ExternalRef, TaxId
from customer_master.domain.importing import ImportOptions
from customer_master.ids import new_id
from customer_master_files import read_csv, write_csv

ADMIN = Actor("bench", "bench", {"admin"})
BATCH = 1000
# The clock the rates are timed by (``--cpu``: this process's CPU time).
clock = time.perf_counter
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
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
    """The bench's customers as the cells of a CSV file."""
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


def customers(count: int) -> list[Customer]:
    """The same customers as values, with ids made as the import makes them."""
    return [
        Customer(
            id=new_id(),
            tenant=ADMIN.tenant,
            code=f"CUS-{n + 1:04d}",
            name=cells["name"],
            kind="company",
            legal_entity="MY01",
            email=cells["email"],
            phone=cells["phone"],
            tax_ids=(TaxId(id=new_id(), scheme="my.brn", number=cells["tax_id_number"]),),
            external_refs=(ExternalRef("legacy", cells["external_ref_legacy"]),),
            addresses=(
                Address(
                    id=new_id(),
                    purposes=("billing",),
                    default_for=("billing",),
                    line1=cells["address_line1"],
                    city=cells["address_city"],
                    postal_code=cells["address_postal_code"],
                    country="MY",
                ),
            ),
            contacts=(Contact(id=new_id(), name=cells["contact_name"], email=cells["contact_email"]),),
            enabled_entities=frozenset({"MY01"}),
        )
        for n, cells in enumerate(rows(count))
    ]


# ---------------------------------------------------------------------------
# The lean insert
# ---------------------------------------------------------------------------


def lean_insert_speed(path: Path, values: Sequence[Customer]) -> float:
    """Customers per second stored leanly (module docstring)."""
    from customer_master_sql.mapping import customer_document

    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(
        "CREATE TABLE customers (tenant TEXT NOT NULL, id TEXT NOT NULL, code TEXT NOT NULL,"
        " document TEXT NOT NULL, PRIMARY KEY (tenant, id))"
    )
    connection.execute(
        "CREATE TABLE audit (sequence INTEGER PRIMARY KEY, tenant TEXT NOT NULL,"
        " customer_id TEXT NOT NULL, record TEXT NOT NULL)"
    )
    started = clock()
    for start in range(0, len(values), BATCH):
        customer_rows, audit_rows = [], []
        for customer in values[start : start + BATCH]:
            document = customer_document(customer)
            customer_rows.append(
                (customer.tenant, customer.id, customer.code, orjson.dumps(document).decode())
            )
            record = {"operation": "create", "customer_id": customer.id, "after": document}
            audit_rows.append((customer.tenant, customer.id, orjson.dumps(record).decode()))
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", customer_rows)
        connection.executemany("INSERT INTO audit (tenant, customer_id, record) VALUES (?, ?, ?)", audit_rows)
        connection.execute("COMMIT")
    elapsed = clock() - started
    connection.close()
    return len(values) / elapsed


# ---------------------------------------------------------------------------
# The import
# ---------------------------------------------------------------------------


def green_tenant(cm: CustomerMaster) -> None:
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Bench Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")


def import_speed(url: str, csv_path: Path, count: int) -> float:
    """Customers per second imported from ``csv_path`` into the fresh storage at ``url``."""
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    green_tenant(cm)
    started = clock()
    result = cm.imports.run(
        ADMIN, read_csv(csv_path), ImportOptions(batch_size=BATCH), on_outcome=lambda outcome: None
    )
    elapsed = clock() - started
    cm.close()
    assert result.counts["created"] == count, result.summary()
    return count / elapsed


def stored_per_customer(path: Path) -> tuple[float, float]:
    """(rows, B-tree entries) per customer in the SQLite database at ``path``."""
    connection = sqlite3.connect(path)
    try:
        customers_count = connection.execute("SELECT count(*) FROM cm_customers").fetchone()[0]
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cm\\_%' ESCAPE '\\'"
            )
        ]
        stored = sum(connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        entries = connection.execute(
            "SELECT sum(s.ncell) FROM dbstat AS s JOIN sqlite_master AS m ON m.name = s.name"
            " WHERE s.pagetype = 'leaf' AND m.tbl_name LIKE 'cm\\_%' ESCAPE '\\'"
        ).fetchone()[0]
    finally:
        connection.close()
    return stored / customers_count, entries / customers_count


# ---------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------


def fresh_sqlite(directory: Path, name: str) -> tuple[str, Path]:
    from customer_master_sql import migrate

    path = directory / f"{name}.db"
    url = f"sqlite:///{path}"
    migrate(url)
    return url, path


def streamed_peak(csv_path: Path, url: str, count: int) -> tuple[float, float]:
    """(rows/s, peak resident MB) of this fresh process importing ``csv_path`` into ``url``."""
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    green_tenant(cm)
    gc.collect()
    started = clock()
    result = cm.imports.run(
        ADMIN, read_csv(csv_path), ImportOptions(batch_size=BATCH), on_outcome=lambda outcome: None
    )
    elapsed = clock() - started
    cm.close()
    assert result.counts["created"] == count, result.summary()
    return count / elapsed, _peak_mb()


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


def _in_fresh_process(function: object, *arguments: object) -> object:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        return fresh.submit(function, *arguments).result()  # type: ignore[arg-type]


def _rows_label(count: int) -> str:
    return f"{count // 1_000_000}M" if count % 1_000_000 == 0 else f"{count:,}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="customers imported (default 100,000)")
    parser.add_argument(
        "--stream-rows", type=int, default=1_000_000, help="rows of the streamed file (default 1,000,000)"
    )
    parser.add_argument("--postgres", metavar="SERVER_URL", default=LOCAL_POSTGRES, help="a server to use")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--cpu", action="store_true", help="time by CPU time (a busy machine)")
    args = parser.parse_args()
    if args.cpu:
        global clock
        clock = time.process_time

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        source = directory / "customers.csv"
        write_csv(source, COLUMNS, rows(args.rows))

        lean = lean_insert_speed(directory / "lean.db", customers(args.rows))
        print(f"lean insert: {lean:,.0f} rows/s")

        url, path = fresh_sqlite(directory, "import")
        imported = import_speed(url, source, args.rows)
        print(f"import sqlite: {imported:,.0f} rows/s")
        if not args.no_postgres:
            from customer_master_sql.testing import drop_database, scratch_database

            database = scratch_database(args.postgres)
            try:
                print(f"import postgresql: {import_speed(database, source, args.rows):,.0f} rows/s")
            finally:
                drop_database(database, args.postgres)
        print(f"import/lean ratio: {imported / lean:.3f}")
        stored, entries = stored_per_customer(path)
        print(f"rows per customer: {stored:.1f}")
        print(f"index entries per customer: {entries:.1f}")

        streamed = directory / "streamed.csv"
        write_csv(streamed, COLUMNS, rows(args.stream_rows))
        stream_url, _ = fresh_sqlite(directory, "streamed")
        speed, peak = _in_fresh_process(streamed_peak, streamed, stream_url, args.stream_rows)  # type: ignore[misc]
        print(f"peak memory {_rows_label(args.stream_rows)} rows: {peak:,.0f} MB ({speed:,.0f} rows/s)")


if __name__ == "__main__":
    main()
