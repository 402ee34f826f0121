"""Merges through the façade: the time of one merge (R-8), wall clock and CPU time, on
the storage of ``--url`` (default: a fresh SQLite file). Each merge folds a source with
an address, a contact and a tag into its own target, with the audit record, the events
and the outbox rows a real merge writes.

Run: .venv/bin/python bench/bench_merge.py [--merges 200] [--url sqlite:////tmp/cm-merge.db]
(The machine these figures come from is shared: the CPU time is the steadier figure.)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS


def customer(n: int, role: str) -> dict[str, object]:
    return {
        "name": f"{role} Trading {n}",
        "kind": "company",
        "legal_entity": "US01",
        "currency": "USD",
        "email": f"ap{n}-{role.lower()}@example.com",
        "tags": ["bench", role.lower()],
        "addresses": [{"purposes": ["billing"], "line1": f"{n} Main St", "city": "Austin", "country": "US"}],
        "contacts": [{"name": f"Pat {role} {n}", "email": f"pat{n}-{role.lower()}@example.com"}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--merges", type=int, default=200)
    parser.add_argument("--url", default=None, help="storage URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cm-merge-")
    url = args.url or f"sqlite:///{Path(folder) / 'merge.db'}?migrate=1"

    cm = CustomerMaster.from_url(
        url, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)), load_entry_points=False
    )
    admin = Actor("bench", "ana", {"admin"})
    cm.configuration.add_legal_entity(admin, {"code": "US01", "name": "Bench Inc", "currency": "USD"})
    for operation in OPERATIONS:  # no approvals: the bench measures the merge
        cm.configuration.set_approval_lane(admin, operation, "green")
    pairs = []
    for n in range(args.merges):
        source = cm.customers.create(admin, customer(n, "Source")).applied
        target = cm.customers.create(admin, customer(n, "Target")).applied
        pairs.append((source.id, target.id))

    walls, cpus = [], []
    for source_id, target_id in pairs:
        wall, cpu = time.perf_counter(), time.process_time()
        cm.lifecycle.merge(admin, source_id, target_id)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    where = url.split(":", 1)[0]
    print(f"{f'merges ({where}, façade)':<40} {len(pairs):>6}")
    print(f"{'  median, wall clock':<40} {statistics.median(walls) * 1000:>9.2f} ms")
    print(f"{'  median, CPU time':<40} {statistics.median(cpus) * 1000:>9.2f} ms")
    print(f"{'  mean, CPU time':<40} {statistics.fmean(cpus) * 1000:>9.2f} ms")
    print(f"{'  95th percentile, wall clock':<40} {statistics.quantiles(walls, n=20)[-1] * 1000:>9.2f} ms")
    cm.close()


if __name__ == "__main__":
    main()
