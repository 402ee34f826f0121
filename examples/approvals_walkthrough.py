"""A yellow-lane update from submission to application (docs/approvals-walkthrough.md).

A sales admin asks to change a customer's salesperson and credit limit. In the SPEC's
default lanes an update is yellow: it waits for the AR manager, then the controller. The
walk-through shows what is stored at each step (nothing, until the last approval), who
may not approve, the audit record the applied change leaves, and ``verify`` passing on
the tenant's chain.

Ids and salts are numbered rather than random so that every run prints the same text;
``tests/unit/test_walkthrough.py`` checks that the doc shows exactly this output.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

from customer_master import Actor, CustomerMaster, CustomerMasterError
from customer_master.clock import FixedClock
from customer_master.domain.customer import Customer


def main() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    cm = CustomerMaster.from_url("memory://", clock=clock, load_entry_points=False)
    numbers = itertools.count(1)
    cm.context.make_id = lambda: f"id-{next(numbers):04d}"
    salts = itertools.count(1)
    cm.context.make_salt = lambda: f"salt-{next(salts):04d}"

    ana = Actor("acme", "ana", {"admin"})
    sam = Actor("acme", "sam", {"sales_admin"})
    alice = Actor("acme", "alice", {"ar_manager"})
    carl = Actor("acme", "carl", {"controller"})

    step("0. The tenant: one legal entity, the SPEC's default approval lanes")
    cm.configuration.add_legal_entity(
        ana, {"code": "MY01", "name": "Acme Malaysia Sdn Bhd", "currency": "MYR"}
    )
    policy = cm.configuration.get(ana).settings.approvals
    print(f"update lane: {policy.lane_for('update')}, approved by {' -> '.join(policy.steps_for('yellow'))}")

    # The customer itself went through the same lane; its creation is shown briefly.
    created = cm.customers.create(
        sam,
        {
            "name": "Acme Trading Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": "ar@acme-trading.example",
            "salesperson": "Aminah",
            "credit_limit": "50000.00",
        },
    )
    assert created.change_request is not None
    cm.approvals.approve(alice, created.change_request.id)
    cm.approvals.approve(carl, created.change_request.id)
    customer = stored(cm, ana)
    print(
        f"on file: {customer.code} {customer.name}, version {customer.version}, "
        f"salesperson {customer.salesperson}, credit limit {customer.credit_limit}"
    )

    step("1. sam (sales admin) asks for the change at 10:00")
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    outcome = cm.customers.update(
        sam, customer.id, {"salesperson": "Badrul", "credit_limit": "75000.00"}, version=customer.version
    )
    request = outcome.change_request
    assert request is not None
    assert outcome.value is None
    print(
        f"change request {request.id}: {request.operation} in the {request.lane} lane, state {request.state}"
    )
    print(f"  payload      {json.dumps(dict(request.payload), sort_keys=True)}")
    print(f"  submitted by {request.submitter} at {request.submitted_at:%Y-%m-%d %H:%M}")
    print(f"  steps        {' -> '.join(request.steps)}; waiting for: {request.next_role}")
    show_stored(cm, ana)

    step("2. Who is waiting on it: each approver's list of pending approvals")
    for actor in (alice, carl, sam):
        mine = cm.approvals.list(actor, mine=True)
        print(f"  {actor.user:<6} {[r.id for r in mine]}")

    step("3. The wrong people are refused")
    for actor in (sam, carl):
        try:
            cm.approvals.approve(actor, request.id)
        except CustomerMasterError as refusal:
            print(f"  {actor.user} may not approve: {refusal}")

    step("4. alice (AR manager) approves step 1 at 11:00")
    clock.set(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    request = cm.approvals.approve(alice, request.id, comment="Badrul takes over the Klang Valley accounts")
    print(f"state {request.state}, waiting for: {request.next_role}")
    show_stored(cm, ana)

    step("5. carl (controller) approves step 2 at 14:30: re-checked and applied at once")
    clock.set(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))
    request = cm.approvals.approve(carl, request.id)
    print(f"state {request.state}: {request.outcome}")
    show_stored(cm, ana)

    step("6. The audit record it left")
    record = cm.audit.trail(ana, customer.id)[-1]
    print(f"  sequence       {record.sequence}")
    print(
        f"  operation      {record.operation} of {customer.code} "
        f"(customer id {', '.join(record.customer_ids)})"
    )
    print(f"  submitted by   {record.actor}, applied at {record.occurred_at:%Y-%m-%d %H:%M}")
    for approval in record.approvals:
        comment = f' "{approval["comment"]}"' if approval["comment"] else ""
        print(
            f"  approved       step {approval['step'] + 1} by {approval['user']} ({approval['role']}) "
            f"at {approval['at'][:16].replace('T', ' ')}{comment}"
        )
    for name, change in record.changes.items():
        print(f"  changed        {name}: {change['before']} -> {change['after']}")
    print(f"  correlation id {record.correlation_id} (the change request)")
    print(f"  previous hash  {record.previous_hash}")
    print(f"  hash           {record.hash}")

    step("7. verify walks the tenant's chain")
    report = cm.audit.verify(ana)
    print(
        f"checked {report.checked} records: {'intact' if report.is_intact else 'BROKEN'} "
        f"(first broken: {report.first_broken})"
    )

    step("8. The customer's timeline, newest first")
    for entry in cm.audit.timeline(ana, customer.id):
        print(f"  {entry.at:%H:%M}  {entry.actor:<6} {entry.summary}")


def step(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def stored(cm: CustomerMaster, reader: Actor) -> Customer:
    return cm.customers.search(reader).items[0]


def show_stored(cm: CustomerMaster, reader: Actor) -> None:
    """What a change could have touched: the customer, the audit trail, the outbox."""
    customer = stored(cm, reader)
    with cm.storage.unit_of_work() as uow:
        records = len(uow.audit.for_tenant(reader.tenant))
        events = [e.name for e in uow.outbox.pending(limit=1000)]
    print(
        f"  stored customer: version {customer.version}, salesperson {customer.salesperson}, "
        f"credit limit {customer.credit_limit}"
    )
    print(f"  audit records:   {records}")
    print(f"  outbox:          {', '.join(events)}")


if __name__ == "__main__":
    main()
