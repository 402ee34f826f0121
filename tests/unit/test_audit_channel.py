"""The audit record names the door an operation came through (R-16.4): ``python`` for
host code, and whatever channel the adapter's actor carries; records sealed before
channels were kept (``channel`` absent) still verify, and a channel changed afterwards
breaks the chain."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs

from customer_master import Actor, CustomerMaster
from customer_master.domain.audit import AuditRecord, seal, verify_chain

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _record(n: int, channel: str | None) -> AuditRecord:
    return AuditRecord(
        id=f"a{n}",
        tenant="t",
        operation="update",
        customer_ids=("c1",),
        actor="ana",
        occurred_at=AT,
        channel=channel,
    )


def test_records_without_a_channel_and_with_one_chain_and_verify() -> None:
    old = seal(_record(1, None), previous=None, salt=lambda: "s")
    new = seal(_record(2, "mcp"), previous=old, salt=lambda: "s")
    assert verify_chain([old, new]).is_intact
    # The channel is sealed: rewriting it afterwards is detected.
    assert verify_chain([old, attrs.evolve(new, channel="http")]).first_broken == 2
    # A record sealed without a channel hashes exactly as before channels existed.
    assert seal(_record(1, None), previous=None, salt=lambda: "s").hash == old.hash


def test_the_audit_record_keeps_the_actors_channel(tenant: CustomerMaster, admin: Actor) -> None:
    created = tenant.customers.create(
        admin, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
    )
    customer = created.applied
    via_mcp = attrs.evolve(admin, channel="mcp")
    tenant.customers.update(via_mcp, customer.id, {"name": "Kedai Ali Baru"}, version=customer.version)
    records = tenant.audit.trail(admin, customer.id)
    assert [(r.operation, r.channel) for r in records] == [("create", "python"), ("update", "mcp")]
    assert tenant.audit.verify(admin).is_intact
