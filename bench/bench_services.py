"""Rule services through the façade: credit checks, price resolutions and schedules per
second, the way a host calls them; on in-memory storage, or on the storage of ``--url``.

Run: .venv/bin/python bench/bench_services.py [--customers 1000] [--seconds 1.0]
     .venv/bin/python bench/bench_services.py --url "sqlite:////tmp/cm-bench.db?migrate=1"
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.receivables import OpenItem, OpenOrder


def rate(label: str, call: Callable[[int], object], seconds: float) -> None:
    """Calls a second by the wall clock, and by this process's CPU time (on a loaded,
    shared machine the wall clock includes waiting for a core)."""
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(200):
            call(count)
            count += 1
    used = time.process_time() - cpu
    print(f"{label:<48} {count / elapsed:>12,.0f} /s   ({count / used:,.0f} /s of CPU time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--items", type=int, default=10, help="open invoices per customer")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--url", default="memory://", help="storage URL (an empty database)")
    args = parser.parse_args()
    where = args.url.split(":", 1)[0]

    cm = CustomerMaster.from_url(
        args.url, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)), load_entry_points=False
    )
    admin = Actor("bench", "ana", {"admin"})
    cm.configuration.add_legal_entity(admin, {"code": "US01", "name": "Bench Inc", "currency": "USD"})
    for operation in OPERATIONS:  # no approvals: the bench measures the rules
        cm.configuration.set_approval_lane(admin, operation, "green")
    net30 = {"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}], "discount": None}
    cm.configuration.save_payment_terms(admin, {"code": "NET30", "name": "Net 30", "lines": [net30]})
    lines = [
        {"item_code": f"ITEM-{i:04d}", "unit_price": f"{10 + i % 90}.50", "min_quantity": str(q)}
        for i in range(1000)
        for q in (0, 10, 100)
    ]
    cm.configuration.save_price_list(
        admin, {"code": "STD", "name": "Standard", "currency": "USD", "lines": lines}
    )
    cm.configuration.update_settings(admin, {"standard_price_list": "STD"})

    started = time.perf_counter()
    ids = []
    for n in range(args.customers):
        created = cm.customers.create(
            admin,
            {
                "name": f"Customer {n}",
                "kind": "individual",
                "legal_entity": "US01",
                "currency": "USD",
                "credit_limit": "50000",
                "payment_terms": "NET30",
            },
        )
        ids.append(created.value.id)
    print(
        f"{f'customer creates ({where})':<48} {args.customers / (time.perf_counter() - started):>12,.0f} /s"
    )

    receivables = cm.storage.receivables
    for n, customer_id in enumerate(ids):
        for k in range(args.items):
            day = date(2026, 2, 1) + timedelta(days=k)
            receivables.add_item(
                "bench",
                OpenItem(
                    number=f"INV-{n}-{k}",
                    customer_id=customer_id,
                    entity="US01",
                    kind="invoice",
                    document_date=day,
                    due_date=day + timedelta(days=30),
                    amount=Decimal("100"),
                    balance=Decimal("100"),
                    currency="USD",
                ),
            )
        receivables.add_order(
            "bench",
            OpenOrder(
                number=f"SO-{n}",
                customer_id=customer_id,
                entity="US01",
                amount=Decimal("500"),
                currency="USD",
            ),
        )

    amount = Decimal("1250.00")
    rate(
        f"credit checks ({where}, façade)",
        lambda i: cm.credit.check(admin, ids[i % len(ids)], entity="US01", amount=amount),
        args.seconds,
    )
    rate(
        f"price resolutions ({where}, façade, standard list)",
        lambda i: cm.pricing.resolve(
            admin,
            ids[i % len(ids)],
            entity="US01",
            item_code=f"ITEM-{i % 1000:04d}",
            quantity=Decimal(12),
            on=date(2026, 3, 2),
        ),
        args.seconds,
    )
    rate(
        f"invoice schedules ({where}, façade, effective Net 30)",
        lambda i: cm.terms.invoice_schedule(
            admin, ids[i % len(ids)], entity="US01", invoice_date=date(2026, 3, 2), amount=amount
        ),
        args.seconds,
    )


if __name__ == "__main__":
    main()
