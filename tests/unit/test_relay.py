"""The relay's own bookkeeping over the memory storage, with brokers that fail on cue
(R-15.4): several brokers at once, a broker failing half-way, the storage failing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from attrs import define, field

from customer_master.domain.events import Event
from customer_master_broker import Backoff, BrokerUnavailable, Relay, backlog
from customer_master_memory import MemoryStorage

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@define
class Broker:
    target: str
    received: list[str] = field(factory=list)
    failures: int = 0  # publishes still to fail

    def open(self) -> None:
        pass

    def publish(self, events: Sequence[Event]) -> None:
        if self.failures:
            self.failures -= 1
            raise BrokerUnavailable(f"{self.target}: no answer within 10 s (waiting for confirms)")
        self.received += [event.id for event in events]

    def idle(self, seconds: float) -> None:
        pass

    def close(self) -> None:
        pass


def stored(count: int) -> MemoryStorage:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        for n in range(count):
            uow.outbox.add(Event(id=f"e{n}", name="customer_created", tenant="acme",
                                 occurred_at=AT + timedelta(seconds=n)))  # fmt: skip
        uow.commit()
    return storage


def test_relayed_once_every_broker_confirmed_and_a_confirming_broker_is_not_sent_it_again() -> None:
    storage = stored(3)
    rabbit, nats = Broker("amqp://rabbit"), Broker("nats://nats", failures=1)
    relay = Relay(storage, [rabbit, nats], name="r", batch=10)

    with pytest.raises(BrokerUnavailable):
        relay.drain()
    assert sum(b.pending for b in backlog(storage)) == 3  # nats did not confirm: none relayed
    assert rabbit.received == ["e0", "e1", "e2"]

    assert relay.drain() == 3
    assert rabbit.received == ["e0", "e1", "e2"]  # not sent again while nats was retried
    assert nats.received == ["e0", "e1", "e2"]
    assert backlog(storage) == []


def test_the_running_relay_retries_a_failing_broker_and_logs_each_change_of_state(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="customer_master_broker")
    storage = stored(5)
    broker = Broker("amqp://rabbit", failures=2)
    relay = Relay(storage, [broker], name="r", batch=2, backoff=lambda: Backoff(first=0.01, longest=0.02))
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        for _ in range(200):
            if not backlog(storage):
                break
            stop.wait(0.02)
    finally:
        stop.set()
        thread.join(10)

    assert broker.received == ["e0", "e1", "e2", "e3", "e4"]
    messages = [record.getMessage() for record in caplog.records]
    down = [m for m in messages if "no answer within 10 s" in m]
    assert len(down) == 2  # each failure is one line, with the reason and the pause
    assert all("nothing is marked relayed, retrying in" in m for m in down)
    assert sum("is up again after" in m for m in messages) == 2
    assert messages[-1] == "relay r stopped after relaying 5 events"


def test_a_storage_failure_is_retried_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="customer_master_broker")
    storage = stored(2)
    broker = Broker("amqp://rabbit")
    relay = Relay(storage, [broker], name="r", backoff=lambda: Backoff(first=0.01, longest=0.02))
    real, calls = storage.unit_of_work, {"n": 0}

    def flaky():  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] <= 3:
            raise OSError("database is locked")
        return real()

    storage.unit_of_work = flaky  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        for _ in range(200):
            if broker.received:
                break
            stop.wait(0.02)
    finally:
        stop.set()
        thread.join(10)

    assert broker.received == ["e0", "e1"]
    messages = [record.getMessage() for record in caplog.records]
    assert sum("storage failed (database is locked)" in m for m in messages) == 1
    assert "relay r: storage is back" in messages
