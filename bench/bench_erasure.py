"""Erasure (R-4.4) and attachments (R-16.6): how long the final approval of an erasure
takes for a customer with a long history (its audit records, notes, documents and outbox
events are all rewritten in one unit of work), and documents attached per second.

Run: .venv/bin/python bench/bench_erasure.py [--changes 500] [--quick]
     .venv/bin/python bench/bench_erasure.py --url "sqlite:////tmp/cm-erasure.db?migrate=1"
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=500, help="updates of the customer before erasure")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--url", default="memory://", help="storage URL (an empty database)")
    parser.add_argument("--quick", action="store_true", help="50 changes, 20 documents")
    args = parser.parse_args()
    changes, documents = (50, 20) if args.quick else (args.changes, args.documents)
    where = args.url.split(":", 1)[0]

    with tempfile.TemporaryDirectory() as folder:
        cm = CustomerMaster.from_url(args.url, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)),
                                     load_entry_points=False, documents=folder)  # fmt: skip
        admin = Actor("bench", "ana", {"admin"})
        cm.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Bench Sdn Bhd"})
        for operation in OPERATIONS:
            cm.configuration.set_approval_lane(admin, operation, "green")
        payload = {
            "name": "Jane Tan",
            "kind": "individual",
            "legal_entity": "MY01",
            "email": "jane@x.example",
        }
        customer = cm.customers.create(admin, payload).applied
        for n in range(changes):
            current = cm.customers.get(admin, customer.id)
            change = {"email": f"jane{n}@x.example", "phone": f"+6012345{n:04d}"}
            cm.customers.update(admin, customer.id, change, version=current.version)
            if n % 10 == 0:
                cm.audit.add_note(admin, customer.id, f"called jane{n}@x.example")

        start = time.perf_counter()
        for n in range(documents):
            cm.attachments.attach(admin, customer.id, f"letter-{n}.pdf", PDF + str(n).encode())
        attached = time.perf_counter() - start

        request = cm.erasure.erase(admin, customer.id).change_request
        assert request is not None
        for user, role in (("rudi", "ar_manager"), ("siti", "controller")):
            cm.approvals.approve(Actor("bench", user, {role}), request.id)
        start = time.perf_counter()
        cm.approvals.approve(Actor("bench", "tan", {"cfo"}), request.id)
        erased = time.perf_counter() - start
        assert cm.audit.verify(admin).is_intact
        cm.close()
    print(f"storage: {where}; {changes} changes, {documents} documents (machine shared and loaded)")
    print(f"{'documents attached':<48} {documents / attached:>12,.0f} /s")
    print(f"{'erasure applied (final approval)':<48} {erased * 1000:>12,.0f} ms")


if __name__ == "__main__":
    main()
