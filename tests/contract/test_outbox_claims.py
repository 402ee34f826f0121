"""Several relays share the outbox (R-15.4): claims hand out events in commit order,
never the same ones to two relays while a lease lives, and never a tenant's later events
while another relay holds its earlier ones — on every storage."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from customer_master.domain.events import Event
from customer_master.ports import SharedOutbox, Storage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def event(number: int, tenant: str = "acme") -> Event:
    return Event(
        id=f"{tenant}-{number:05d}",
        name="customer_updated",
        tenant=tenant,
        occurred_at=NOW + timedelta(seconds=number),
        payload={"customer": {"code": f"CUS-{number:04d}"}},
    )


def write(storage: Storage, *events: Event) -> None:
    with storage.unit_of_work() as uow:
        for each in events:
            uow.outbox.add(each)
        uow.commit()


def claim(storage: Storage, relay: str, limit: int = 100, now: datetime = NOW) -> list[str]:
    with storage.unit_of_work() as uow:
        outbox = uow.outbox
        assert isinstance(outbox, SharedOutbox)
        claimed = [e.id for e in outbox.claim(relay, limit, now=now, until=now + LEASE)]
        uow.commit()
    return claimed


def mark(storage: Storage, ids: Sequence[str]) -> None:
    with storage.unit_of_work() as uow:
        uow.outbox.mark_relayed(ids)
        uow.commit()


def pending(storage: Storage) -> int:
    with storage.unit_of_work() as uow:
        outbox = uow.outbox
        assert isinstance(outbox, SharedOutbox)
        return sum(backlog.pending for backlog in outbox.backlog())


def test_a_claim_hands_out_events_in_commit_order_with_their_data(storage: Storage) -> None:
    write(storage, event(1), event(2, "globex"), event(3))

    with storage.unit_of_work() as uow:
        assert isinstance(uow.outbox, SharedOutbox)
        claimed = list(uow.outbox.claim("relay-a", 10, now=NOW, until=NOW + LEASE))
        uow.commit()

    assert claimed == [event(1), event(2, "globex"), event(3)]


def test_a_second_relay_gets_nothing_another_holds_while_the_lease_lives(storage: Storage) -> None:
    write(storage, *(event(n) for n in range(1, 5)))

    assert claim(storage, "relay-a", limit=2) == ["acme-00001", "acme-00002"]
    # The tenant's next events wait for relay-a: sending them now could overtake its batch.
    assert claim(storage, "relay-b") == []
    # relay-a asking again gets its own batch back, then the rest (a restart resumes).
    assert claim(storage, "relay-a", limit=3) == ["acme-00001", "acme-00002", "acme-00003"]


def test_other_tenants_go_on_while_one_tenant_is_held(storage: Storage) -> None:
    write(storage, event(1), event(2), event(3, "globex"), event(4, "globex"), event(5))

    assert claim(storage, "relay-a", limit=1) == ["acme-00001"]
    assert claim(storage, "relay-b") == ["globex-00003", "globex-00004"]


def test_a_dead_relays_lease_ends_and_another_relay_takes_its_events(storage: Storage) -> None:
    write(storage, event(1), event(2))
    assert claim(storage, "relay-a") == ["acme-00001", "acme-00002"]

    assert claim(storage, "relay-b", now=NOW + LEASE - timedelta(seconds=1)) == []
    assert claim(storage, "relay-b", now=NOW + LEASE + timedelta(seconds=1)) == ["acme-00001", "acme-00002"]


def test_released_events_go_to_the_next_relay_at_once(storage: Storage) -> None:
    write(storage, event(1), event(2))
    assert claim(storage, "relay-a") == ["acme-00001", "acme-00002"]

    with storage.unit_of_work() as uow:
        assert isinstance(uow.outbox, SharedOutbox)
        uow.outbox.release("relay-a")
        uow.commit()

    assert claim(storage, "relay-b") == ["acme-00001", "acme-00002"]


def test_relayed_events_are_not_claimed_again_and_leave_the_backlog(storage: Storage) -> None:
    write(storage, event(1), event(2), event(3, "globex"))
    mark(storage, claim(storage, "relay-a", limit=1))

    assert claim(storage, "relay-b") == ["acme-00002", "globex-00003"]
    with storage.unit_of_work() as uow:
        assert isinstance(uow.outbox, SharedOutbox)
        backlog = {b.tenant: (b.pending, b.oldest) for b in uow.outbox.backlog()}
    assert backlog == {"acme": (1, NOW + timedelta(seconds=2)), "globex": (1, NOW + timedelta(seconds=3))}


def test_relays_claiming_at_once_never_share_an_event(open_shared: Callable[[], Storage]) -> None:
    storage = open_shared()
    tenants = [f"t{n}" for n in range(8)]
    write(storage, *(event(n, tenant) for n in range(25) for tenant in tenants))
    claims: dict[str, list[str]] = {}
    start = threading.Barrier(3)

    def relay(name: str) -> None:
        mine = open_shared()
        start.wait()
        taken: list[str] = []
        # Until nothing is pending: under contention a claim may come back short or empty
        # (rows locked by another relay are skipped, their tenants cut), which is not an
        # end. The bound only keeps a broken claim from looping for ever.
        for _ in range(500):
            batch = claim(mine, name, limit=15)
            taken += batch
            mark(mine, batch)
            if not batch and not pending(mine):
                break
        claims[name] = taken

    threads = [threading.Thread(target=relay, args=(f"relay-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every = [event_id for taken in claims.values() for event_id in taken]
    assert len(every) == len(set(every)) == 200
    for taken in claims.values():  # each relay saw every tenant's events in order
        for tenant in tenants:
            own = [e for e in taken if e.startswith(f"{tenant}-")]
            assert own == sorted(own)
