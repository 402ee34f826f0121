"""What is written alongside a change — audit trail, outbox, notes, change requests, API
keys, code sequences — behaves the same on every storage (R-1.1, R-10, R-11, R-15.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve

from customer_master.domain.apikeys import ApiKey
from customer_master.domain.approvals import Approval, ChangeRequest
from customer_master.domain.audit import AuditRecord, ChainHead, seal, verify_chain
from customer_master.domain.events import Event
from customer_master.domain.timeline import Note
from customer_master.errors import Conflict
from customer_master.ports import Storage

AT = datetime(2026, 3, 2, 9, 0, 0, 500, tzinfo=UTC)


def record(number: int, *customers: str, tenant: str = "acme") -> AuditRecord:
    return AuditRecord(
        id=f"r{number}",
        tenant=tenant,
        operation="update",
        customer_ids=customers,
        actor="ana",
        occurred_at=AT + timedelta(seconds=number),
        changes={
            "email": {"before": "a@x.example", "after": f"b{number}@x.example"},
            "tags": {"before": [], "after": ["x"]},
        },
        approvals=({"step": 0, "role": "ar_manager", "user": "bob", "at": AT.isoformat()},),
        correlation_id=f"corr-{number}",
    )


def append_chained(storage: Storage, *records: AuditRecord) -> list[AuditRecord]:
    sealed = []
    with storage.unit_of_work() as uow:
        for each in records:
            sealed.append(seal(each, previous=uow.audit.last(each.tenant), salt=lambda: "salt"))
            uow.audit.append(sealed[-1])
        uow.commit()
    return sealed


def test_audit_records_come_back_whole_and_the_chain_verifies(storage: Storage) -> None:
    sealed = append_chained(storage, record(1, "c1"), record(2, "c2", "c1"), record(3))

    with storage.unit_of_work() as uow:
        trail = uow.audit.for_tenant("acme")
        last = uow.audit.last("acme")
        head = uow.audit.head("acme")

    assert trail == sealed
    assert [r.sequence for r in trail] == [1, 2, 3]
    assert last == sealed[-1]
    assert head == ChainHead(3, sealed[-1].hash)
    assert verify_chain(trail).is_intact


def test_audit_records_of_a_customer_oldest_first(storage: Storage) -> None:
    append_chained(
        storage, record(1, "c1"), record(2, "c2"), record(3, "c2", "c1"), record(4, "c1", tenant="other")
    )

    with storage.unit_of_work() as uow:
        assert [r.id for r in uow.audit.for_customer("acme", "c1")] == ["r1", "r3"]
        assert [r.id for r in uow.audit.for_customer("acme", "c2")] == ["r2", "r3"]
        assert uow.audit.for_customer("acme", "c9") == []
        assert uow.audit.last("nobody") is None
        assert uow.audit.head("nobody") is None


def test_audit_records_are_dropped_with_their_unit_of_work(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        uow.audit.append(seal(record(1, "c1"), previous=None, salt=lambda: "s"))

    with storage.unit_of_work() as uow:
        assert uow.audit.for_tenant("acme") == []


def event(number: int, tenant: str = "acme") -> Event:
    return Event(
        id=f"e{number}",
        name="customer_updated",
        tenant=tenant,
        occurred_at=AT + timedelta(minutes=number),
        payload={"customer": {"id": "c1", "credit_limit": "50000.00"}, "changes": {"name": {"after": "X"}}},
        correlation_id=None if number % 2 else f"corr-{number}",
    )


def test_the_outbox_lists_committed_events_in_commit_order_until_relayed(storage: Storage) -> None:
    for batch in ((event(1), event(2, "other")), (event(3),)):
        with storage.unit_of_work() as uow:
            for each in batch:
                uow.outbox.add(each)
            uow.commit()
    with storage.unit_of_work() as uow:
        uow.outbox.add(event(4))  # not committed: never pending

    with storage.unit_of_work() as uow:
        assert uow.outbox.pending() == [event(1), event(2, "other"), event(3)]
        assert uow.outbox.pending(limit=2) == [event(1), event(2, "other")]
        uow.outbox.mark_relayed(["e1", "e3"])
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.outbox.pending() == [event(2, "other")]


def test_events_of_the_unit_of_work_in_hand_are_not_pending_yet(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        uow.outbox.add(event(1))
        assert uow.outbox.pending() == []


def test_notes_of_a_customer_oldest_first(storage: Storage) -> None:
    notes = [
        Note(id=f"n{n}", tenant="acme", customer_id=f"c{n % 2}", author="ana", at=AT, text=f"note {n}")
        for n in range(5)
    ]
    with storage.unit_of_work() as uow:
        for note in notes:
            uow.notes.add(note)
        uow.commit()

    with storage.unit_of_work() as uow:
        assert uow.notes.for_customer("acme", "c0") == [notes[0], notes[2], notes[4]]
        assert uow.notes.for_customer("other", "c0") == []


def change_request(
    number: int, *, submitted: datetime = AT, customers: tuple[str, ...] = ("c1",)
) -> ChangeRequest:
    return ChangeRequest(
        id=f"cr{number}",
        tenant="acme",
        operation="update",
        payload={
            "customer_id": customers[0] if customers else None,
            "changes": {"credit_limit": "90000.00", "tags": ["a"]},
        },
        customer_ids=customers,
        customer_versions=dict.fromkeys(customers, 3),
        submitter="sam",
        submitted_at=submitted,
        lane="yellow",
        steps=("ar_manager", "controller"),
    )


def test_change_requests_come_back_whole_and_are_listed_newest_first(storage: Storage) -> None:
    requests = [
        change_request(1),
        change_request(2, submitted=AT + timedelta(hours=1), customers=("c2",)),
        change_request(3, submitted=AT + timedelta(hours=1), customers=("c1", "c2")),
        change_request(4, customers=()),
    ]
    with storage.unit_of_work() as uow:
        for each in requests:
            uow.change_requests.add(each)
        uow.commit()

    with storage.unit_of_work() as uow:
        assert uow.change_requests.get("acme", "cr3") == requests[2]
        assert uow.change_requests.get("other", "cr3") is None
        assert [r.id for r in uow.change_requests.list("acme")] == ["cr2", "cr3", "cr1", "cr4"]
        assert [r.id for r in uow.change_requests.list("acme", customer_id="c1")] == ["cr3", "cr1"]
        assert uow.change_requests.list("acme", state="approved") == []


def test_a_change_request_is_decided_once(storage: Storage) -> None:
    request = change_request(1)
    with storage.unit_of_work() as uow:
        uow.change_requests.add(request)
        uow.commit()
    approval = Approval(step=0, role="ar_manager", user="bob", decision="approved", at=AT, comment="ok")
    decided = evolve(request, approvals=(approval,))

    with storage.unit_of_work() as uow:
        uow.change_requests.save(decided, expected_approvals=0)
        uow.commit()
    with storage.unit_of_work() as uow, pytest.raises(Conflict):
        uow.change_requests.save(evolve(decided, state="rejected"), expected_approvals=0)
    rejected = evolve(decided, state="rejected", decided_at=AT, outcome="rejected at step 2")
    with storage.unit_of_work() as uow:
        uow.change_requests.save(rejected, expected_approvals=1)
        uow.commit()
    with storage.unit_of_work() as uow, pytest.raises(Conflict):
        uow.change_requests.save(rejected, expected_approvals=1)  # no longer pending

    with storage.unit_of_work() as uow:
        assert uow.change_requests.get("acme", "cr1") == rejected
        assert [r.id for r in uow.change_requests.list("acme", state="rejected")] == ["cr1"]


def test_api_keys_are_found_by_id_and_revoked(storage: Storage) -> None:
    keys = [
        ApiKey(id="k1", tenant="acme", user="ana", roles=("admin",), digest="d1", label="erp", created_at=AT),
        ApiKey(id="k2", tenant="acme", user="bot", roles=("auditor", "clerk"), digest="d2"),
        ApiKey(id="k3", tenant="other", user="otto", roles=(), digest="d3"),
    ]
    with storage.unit_of_work() as uow:
        for key in keys:
            uow.api_keys.add(key)
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.api_keys.revoke("k2")
        uow.commit()

    with storage.unit_of_work() as uow:
        assert uow.api_keys.get("k1") == keys[0]
        assert uow.api_keys.get("k2") == evolve(keys[1], revoked=True)
        assert uow.api_keys.get("nope") is None
        assert sorted(k.id for k in uow.api_keys.for_tenant("acme")) == ["k1", "k2"]


def test_code_sequences_count_per_tenant_and_name_without_gaps(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        taken = [uow.codes.next_value("acme") for _ in range(3)]
        other = [uow.codes.next_value("globex"), uow.codes.next_value("acme", "supplier")]
        uow.commit()
    with storage.unit_of_work() as uow:
        taken.append(uow.codes.next_value("acme"))
        uow.commit()

    assert taken == [1, 2, 3, 4]
    assert other == [1, 1]


def test_a_number_taken_by_a_rolled_back_unit_of_work_is_handed_out_again(
    open_shared: Callable[[], Storage],
) -> None:
    storage = open_shared()
    with storage.unit_of_work() as uow:
        assert uow.codes.next_value("acme") == 1
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.codes.next_value("acme") == 2
        uow.rollback()
        assert uow.codes.next_value("acme") == 2

    def take_then_fail() -> None:
        with storage.unit_of_work() as uow:
            assert uow.codes.next_value("acme") == 2
            raise RuntimeError("the create failed")

    with pytest.raises(RuntimeError):
        take_then_fail()

    with open_shared().unit_of_work() as uow:
        assert uow.codes.next_value("acme") == 2
