"""How fast are the aging and statements of account? (issue 16, SPEC R-13.2, R-13.3)

Builds a tenant of CUSTOMERS customers and ITEMS open items (as bench_sql.py does: one
credit note in eight, a third settled, due dates spread over ten months) on SQLite and
PostgreSQL, then prints:

- an aging page of 100 customers through the façade (one SQL statement), p50/p99 over
  pages at random page keys (goal: < 50 ms);
- the whole tenant's aging streamed as CSV, page after page of 1,000 (goal: < 10 s);
- a statement of account of 500 documents rendered as PDF (goal: < 300 ms);
- a batch of STATEMENTS statements built and rendered as PDF (not sent) by WORKERS
  processes (goal: 1,000 in < 60 s on 2 cores).

The defaults are small so that ``make bench`` stays quick; the issue's scale:

    .venv/bin/python bench/bench_receivables.py --customers 100000 --items 1000000 --statements 1000

PostgreSQL is reached at $CM_TEST_POSTGRESQL_URL (a scratch database, dropped after).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_sql import ADMIN, TENANT, analyze, facade, load_customers, load_items

from customer_master import CustomerMaster
from customer_master.domain.aging import BUCKETS, AgingQuery
from customer_master.domain.receivables import OpenItem
from customer_master_sql import SqlStorage
from customer_master_sql.testing import bench_databases
from customer_master_statements import PdfStatements

AS_OF = date(2026, 3, 31)
START, END = date(2025, 1, 1), date(2026, 3, 31)


def aging_pages(master: CustomerMaster, customers: int, repeat: int) -> tuple[float, float, float]:
    """p50 and p99 (ms) of an aging page of 100 customers, and the lines a page held."""
    rng = random.Random(7)
    timings, lines = [], 0
    for _ in range(repeat):
        after = f"CUS-{rng.randrange(customers):07d}"
        query = AgingQuery(as_of=AS_OF, after=after, limit=100)
        start = time.perf_counter()
        lines += len(master.receivables.aging(ADMIN, query).lines)
        timings.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[98], lines / repeat


def whole_tenant_csv(master: CustomerMaster) -> tuple[float, int, int]:
    """Seconds to stream every aging line of the tenant as CSV, lines and bytes written."""
    out = io.StringIO()
    writer = csv.writer(out)
    start, after, count = time.perf_counter(), None, 0
    while True:
        report = master.receivables.aging(ADMIN, AgingQuery(as_of=AS_OF, after=after, limit=1000))
        for line in report.lines:
            assert line.buckets is not None
            writer.writerow([line.code, line.name, line.entity, line.currency,
                             *(getattr(line.buckets, b) for b in BUCKETS), line.buckets.total])  # fmt: skip
            count += 1
        if report.next_after is None:
            break
        after = report.next_after
    return time.perf_counter() - start, count, len(out.getvalue())


def long_statement_pdf(master: CustomerMaster, documents: int, repeat: int) -> tuple[float, float, int, int]:
    """p50 and best (ms) of rendering one statement of ``documents`` documents, its pages
    and bytes; and, once, the statement's build (ms) is included in the first figure."""
    storage: SqlStorage = master.storage  # type: ignore[assignment]
    storage.receivables.add_items(
        TENANT,
        [
            OpenItem(number=f"LONG-{n:04d}", customer_id="c00000000", entity="MY01",
                     kind="invoice" if n % 5 else "payment",
                     document_date=date(2025, 6, 1) + timedelta(days=n % 280),
                     due_date=date(2025, 7, 1) + timedelta(days=n % 280) if n % 5 else None,
                     amount=Decimal("980.50"), balance=Decimal("980.50"), currency="MYR")
            for n in range(documents)
        ],
    )  # fmt: skip
    statement = master.statements.statement(ADMIN, "c00000000", entity="MY01", start=START, end=END)
    renderer = PdfStatements()
    timings, pdf = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = renderer.render(statement)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), min(timings), len(statement.lines), len(pdf)


_WORKER: dict[str, object] = {}


def _open(url: str) -> None:
    _WORKER["master"] = CustomerMaster.from_url(url, load_entry_points=False)
    _WORKER["pdf"] = PdfStatements()


def _render(customer_ids: list[str]) -> int:
    master: CustomerMaster = _WORKER["master"]  # type: ignore[assignment]
    renderer: PdfStatements = _WORKER["pdf"]  # type: ignore[assignment]
    size = 0
    for customer_id in customer_ids:
        statement = master.statements.statement(ADMIN, customer_id, entity="MY01", start=START, end=END)
        size += len(renderer.render(statement))
    return size


def statement_batch(url: str, customers: int, count: int, workers: int) -> tuple[float, int]:
    """Seconds to build and render ``count`` statements over ``workers`` processes."""
    ids = [f"c{n:08d}" for n in random.Random(3).sample(range(1, customers), min(count, customers - 1))]
    chunks = [ids[i :: workers * 4] for i in range(workers * 4)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_open, initargs=(url,)) as pool:
        size = sum(pool.map(_render, chunks))
    return time.perf_counter() - start, size


def bench(label: str, url: str, args: argparse.Namespace) -> None:
    master = facade(url)
    storage: SqlStorage = master.storage  # type: ignore[assignment]
    rng = random.Random(2026)
    started = time.perf_counter()
    load_customers(storage, 0, args.customers, rng)
    load_items(storage, args.customers, args.items, rng)
    analyze(storage)
    print(f"== {label}: {args.customers:,} customers, {args.items:,} open items "
          f"(loaded in {time.perf_counter() - started:.0f}s)")  # fmt: skip
    master.receivables.aging(ADMIN, AgingQuery(as_of=AS_OF, limit=100))  # warm: statements compiled
    p50, p99, lines = aging_pages(master, args.customers, args.pages)
    print(f"  aging page of 100 customers          p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   "
          f"({lines:.0f} lines a page; goal < 50 ms)")  # fmt: skip
    seconds, count, size = whole_tenant_csv(master)
    print(f"  whole tenant as CSV                  {seconds:7.2f} s    "
          f"({count:,} lines, {size / 1e6:.1f} MB; goal < 10 s)")  # fmt: skip
    median, best, documents, pdf_size = long_statement_pdf(master, args.documents, 5)
    print(f"  statement PDF of {documents} documents      p50 {median:7.1f} ms   best {best:6.1f} ms   "
          f"({pdf_size / 1024:.0f} KiB; goal < 300 ms)")  # fmt: skip
    master.close()
    seconds, size = statement_batch(url, args.customers, args.statements, args.workers)
    per_thousand = seconds / max(args.statements, 1) * 1000
    print(f"  {args.statements:,} statements built + rendered    {seconds:7.2f} s    "
          f"({args.workers} processes, {size / 1e6:.1f} MB; {per_thousand:.1f} s per 1,000; "
          f"goal 1,000 < 60 s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--pages", type=int, default=100, help="aging pages timed")
    parser.add_argument("--documents", type=int, default=500, help="documents on the long statement")
    parser.add_argument("--statements", type=int, default=200, help="statements in the batch")
    parser.add_argument("--workers", type=int, default=2, help="processes rendering the batch")
    parser.add_argument("--databases", default="sqlite,postgresql", help="of sqlite, postgresql, mariadb")
    args = parser.parse_args()
    print("(the machine is shared: figures are from a loaded machine)")
    for label, url in bench_databases(args.databases.split(",")):
        bench(label, url, args)


if __name__ == "__main__":
    main()
