"""The web admin's server time at scale (SPEC R-16.5): the customer list, a customer's
page, the approvals inbox (goal: under 100 ms each) and the search-as-you-type request
(goal: under 50 ms), on SQLite.

A fresh SQLite file is filled with ``--customers`` companies (default 100,000; ``--quick``
10,000) through the bulk import path with green lanes and the import's default batch of
100 rows (one audit record a batch, whose entry a customer's timeline reads), then a few
dozen change requests are left waiting for the AR manager. Each page is requested ``--repeat`` times through
Flask's test client signed in as an AR manager — the whole server side (routing, session,
services, storage, templates), without a network — and its median and 95th percentile
are printed. The machine is shared with other work: read the figures as upper bounds.

The seeded file is kept as ``build/bench/admin-<customers>.db`` and reused by the next
run (``--fresh`` seeds again): seeding 100,000 customers takes two to three minutes on an
idle two-core machine, much longer on a busy one.

Run: .venv/bin/python bench/bench_admin.py [--customers 100000] [--repeat 30] [--quick] [--fresh]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.importing import ImportOptions
from customer_master.domain.search import CustomerQuery
from customer_master_http import create_app
from customer_master_sql import migrate

ADMIN = Actor("bench", "setup", frozenset({"admin"}))
CACHE = Path(__file__).resolve().parents[1] / "build" / "bench"
_WORDS = ("Kedai", "Makmur", "Harbour", "Precision", "Golden", "Sinar", "Teknik", "Borneo", "Jaya", "Utara")
_TRADES = ("Trading", "Foods", "Hardware", "Logistics", "Marine", "Textiles", "Motors", "Pharma")
_REGIONS = ("Klang Valley", "Penang", "Johor", "Sabah")


def rows(count: int) -> Iterator[dict[str, str]]:
    for n in range(count):
        yield {
            "name": f"{_WORDS[n % 10]} {_WORDS[n // 10 % 10]} {_TRADES[n // 100 % 8]} {n} Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": f"ap{n}@customer{n}.example",
            "currency": "MYR",
            "credit_limit": str(10_000 + n % 90 * 1_000),
            "region": _REGIONS[n % 4],
        }


def seed(url: str, count: int) -> tuple[CustomerMaster, float]:
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Bench Malaysia", "currency": "MYR"})
    cm.configuration.set_classification(ADMIN, "region", list(_REGIONS))
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    started = time.perf_counter()
    result = cm.imports.run(ADMIN, rows(count), ImportOptions(), on_outcome=lambda _o: None)
    elapsed = time.perf_counter() - started
    assert result.counts["created"] == count, result.summary()
    cm.configuration.set_approval_lane(ADMIN, "update", "yellow")
    sam = Actor("bench", "sam", frozenset({"sales_admin"}))
    page = cm.customers.search(ADMIN, CustomerQuery(limit=40))
    for customer in page.items:
        cm.customers.update(sam, customer.id, {"salesperson": "rina"}, version=customer.version)
    return cm, elapsed


def timed(client: object, path: str, repeat: int, headers: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="10,000 customers, 10 repeats")
    parser.add_argument("--fresh", action="store_true", help="seed again even if a seeded file is kept")
    args = parser.parse_args()
    count, repeat = (10_000, 10) if args.quick else (args.customers, args.repeat)
    kept = CACHE / f"admin-{count}.db"

    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "admin-bench.db"
        url = f"sqlite:///{database}"
        if kept.exists() and not args.fresh:
            shutil.copyfile(kept, database)
            cm = CustomerMaster.from_url(url, load_entry_points=False)
            print(f"scale: {count:,} customers on SQLite (seeded earlier: {kept})")
        else:
            migrate(url)
            cm, seconds = seed(url, count)
            cm.close()
            CACHE.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(database, kept)
            cm = CustomerMaster.from_url(url, load_entry_points=False)
            print(f"scale: {count:,} customers on SQLite, seeded by the import in {seconds:.1f} s")
        secret, _key = cm.access.create_api_key("bench", "ana", ["ar_manager"])
        app = create_app(cm)
        app.config["ADMIN_INSECURE_COOKIE"] = True
        client = app.test_client()
        form = client.get("/admin/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        signed = client.post("/admin/sign-in", data={"csrf_token": token.group(1), "api_key": secret})
        assert signed.status_code == 302, signed.text[:300]
        middle = cm.customers.search(ADMIN, CustomerQuery(name=f"Golden Jaya Marine {count // 2 + 4}")).items
        target = middle[0] if middle else cm.customers.search(ADMIN, CustomerQuery(limit=1)).items[0]
        fed = feed_receivables(cm, target.id)
        fragment = {"HX-Request": "true", "HX-Target": "results"}
        pages = [
            ("customer list (first page of 50)", "/admin/customers", 100, None),
            ("customer list, filtered by region", "/admin/customers?region=Penang&sort=name", 100, None),
            ("customer page", f"/admin/customers/{target.id}", 100, None),
            ("approvals inbox (40 waiting)", "/admin/approvals", 100, None),
            ("search as you type, misspelt", "/admin/customers?name=Goldn+Jaya+Marin", 50, fragment),
            ("search as you type, a prefix", "/admin/customers?name=sinar+tek", 50, fragment),
            (f"aging page ({fed} customers owing)", "/admin/aging", 100, None),
        ]
        print(f"server time per request, {repeat} requests each (median / 95th percentile):")
        for label, path, goal, headers in pages:
            times = sorted(timed(client, path, repeat, headers))
            median = statistics.median(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            verdict = "ok" if median < goal else "OVER"
            print(f"  {label:<38} {median:7.1f} ms / {p95:7.1f} ms   goal < {goal} ms: {verdict}")
        cm.close()


def feed_receivables(cm: CustomerMaster, target_id: str, owing: int = 300) -> int:
    """Invoices at every age for the customer the page is timed on and for ``owing``
    customers in code order (the aging page's first pages), fed through the service."""
    from datetime import timedelta

    today = cm.context.clock.today(cm.configuration.get(ADMIN).settings.time_zone)
    ids = [target_id, *(c.id for c in cm.customers.search(ADMIN, CustomerQuery(limit=owing)).items)]
    for n, customer_id in enumerate(dict.fromkeys(ids)):
        for age in (10, 45, 120):
            cm.receivables.add_invoice(
                ADMIN, customer_id, number=f"B-{n}-{age}", entity="MY01",
                document_date=today - timedelta(days=age + 30), due_date=today - timedelta(days=age),
                amount=f"{100 + n}.50", currency="MYR",
            )  # fmt: skip
    return len(dict.fromkeys(ids))


if __name__ == "__main__":
    main()
