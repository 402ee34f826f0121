"""The outbox relay against the real local RabbitMQ and NATS JetStream (R-15.2, R-15.4):
every event arrives, in commit order per tenant, marked relayed only once confirmed; a
relay killed at random points loses nothing; a broker gone for a while loses nothing; a
broker refusing the connection or the credentials gets nothing marked relayed.

The servers are skipped with the reason when they do not answer, and fail the tests
under CI (.ci/run starts them)."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master_broker import AmqpPublisher, Backoff, JetStreamPublisher, Relay, open_publisher
from customer_master_sql import migrate, open_storage
from customer_master_sql.storage import SqlStorage
from customer_master_sql.testing import ScratchDatabases, Unavailable, wipe

sys.path.insert(0, str(Path(__file__).parent))

from broker_support import (
    AMQP_URL,
    NATS_URL,
    AmqpQueue,
    NatsServer,
    TcpProxy,
    by_tenant,
    changes,
    in_ci,
    in_order_once,
    pending,
    require_broker,
    stream_ids,
    stream_messages,
    unique_tenant,
    wait_until,
    write,
)

pytestmark = pytest.mark.xdist_group("brokers")


@pytest.fixture
def brokers() -> None:
    require_broker("RabbitMQ", "127.0.0.1", 5672)
    require_broker("NATS", "127.0.0.1", 4222)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'customer-master.db'}"
    migrate(url)
    return url


@pytest.fixture
def storage(sqlite_url: str) -> Iterator[SqlStorage]:
    opened = open_storage(sqlite_url)
    yield opened
    opened.close()


def quick_backoff() -> Backoff:
    return Backoff(first=0.2, longest=1.0)


class Running:
    """A relay on a thread of the test."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.stop = threading.Event()
        self.thread = threading.Thread(target=relay.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()


def test_a_customer_change_reaches_both_brokers_with_its_data(brokers: None, sqlite_url: str) -> None:
    tenant = unique_tenant("acme")
    queue = AmqpQueue([tenant])
    master = CustomerMaster.from_url(sqlite_url)
    try:
        ana = Actor(tenant, "ana", {"admin"})
        entity = {"code": "MY01", "name": "Acme Sdn Bhd", "currency": "MYR"}
        master.configuration.add_legal_entity(ana, entity)
        for operation in OPERATIONS:
            master.configuration.set_approval_lane(ana, operation, "green")
        created = master.customers.create(
            ana,
            {"name": "Tan Holdings", "kind": "company", "legal_entity": "MY01", "email": "ap@tan.example"},
        ).applied
        assert created is not None
        running = Running(
            Relay(master.storage, [AmqpPublisher(AMQP_URL), JetStreamPublisher(NATS_URL)], name="one")
        )
        assert wait_until(lambda: pending(master.storage) == 0, 30)
        running.end()
        messages = queue.read(at_least=1)
        nats_messages = stream_messages(f"customer_master.{tenant}.>", at_least=1)
    finally:
        queue.close()
        master.close()

    [(method, properties, body)] = [m for m in messages if m[0].routing_key.endswith(".customer_created")]
    data = orjson.loads(body)
    assert method.routing_key == f"{tenant}.customer_created"
    assert properties.message_id == data["id"]
    assert properties.delivery_mode == 2  # persistent
    assert data["name"] == "customer_created"
    assert data["tenant"] == tenant
    assert data["payload"]["customer"]["code"] == created.code
    assert data["payload"]["customer"]["name"] == "Tan Holdings"
    [message] = [m for m in nats_messages if m.subject.endswith(".customer_created")]
    assert message.subject == f"customer_master.{tenant}.customer_created"
    assert message.headers["Nats-Msg-Id"] == data["id"]
    assert orjson.loads(message.data) == data


def test_every_event_of_10000_changes_arrives_in_order_per_tenant(
    brokers: None, sqlite_url: str, storage: SqlStorage
) -> None:
    tenants = [unique_tenant() for _ in range(5)]
    events = changes(tenants, 10_000)
    write(storage, events)
    queue = AmqpQueue(tenants)
    try:
        # Two relays at once: each tenant's events still go out once and in order.
        relays = [
            Running(
                Relay(
                    open_storage(sqlite_url),
                    [AmqpPublisher(AMQP_URL), JetStreamPublisher(NATS_URL)],
                    name=f"relay-{n}",
                    batch=500,
                )
            )
            for n in range(2)
        ]
        assert wait_until(lambda: pending(storage) == 0, 90), f"{pending(storage)} events still pending"
        for running in relays:
            running.end()
        amqp = queue.ids(at_least=len(events))
    finally:
        queue.close()
    wanted = by_tenant(e.id for e in events)

    assert sorted(amqp) == sorted(wanted_id for ids in wanted.values() for wanted_id in ids)  # once each
    assert by_tenant(amqp) == wanted
    assert sum(r.relay.relayed for r in relays) == len(events)
    for tenant in tenants:
        assert stream_ids(f"customer_master.{tenant}.>", at_least=len(wanted[tenant])) == wanted[tenant]


@pytest.mark.parametrize("kind", ["postgresql", "mariadb"])
def test_relays_on_a_database_server_send_each_event_once_in_order(
    brokers: None, sql_servers: ScratchDatabases, kind: str
) -> None:
    # FOR UPDATE SKIP LOCKED and the leases between three relays on a real server.
    try:
        engine = sql_servers.engine(kind)
    except Unavailable as missing:
        if in_ci():
            pytest.fail(f"CI is set and {missing}", pytrace=False)
        pytest.skip(str(missing))
    wipe(engine)
    url = sql_servers.url(kind)
    storage = open_storage(url)
    tenants = [unique_tenant() for _ in range(4)]
    events = changes(tenants, 1_000)
    write(storage, events)
    queue = AmqpQueue(tenants)
    try:
        relays = [
            Running(Relay(open_storage(url), [AmqpPublisher(AMQP_URL)], name=f"{kind}-{n}", batch=100))
            for n in range(3)
        ]
        assert wait_until(lambda: pending(storage) == 0, 60), f"{pending(storage)} events still pending"
        for running in relays:
            running.end()
            running.relay.storage.close()
        amqp = queue.ids(at_least=len(events))
    finally:
        queue.close()
        storage.close()

    assert len(amqp) == len(set(amqp)) == len(events)  # none sent twice
    assert by_tenant(amqp) == by_tenant(e.id for e in events)
    assert sum(r.relay.relayed for r in relays) == len(events)


def test_a_relay_killed_20_times_and_restarted_loses_nothing(
    brokers: None, sqlite_url: str, storage: SqlStorage
) -> None:
    tenants = [unique_tenant() for _ in range(3)]
    events = changes(tenants, 4_000)
    queue = AmqpQueue(tenants)
    command = [
        sys.executable, "-m", "customer_master_cli", "--url", sqlite_url, "relay",
        "--to", AMQP_URL, "--to", NATS_URL, "--name", "killed",
    ]  # fmt: skip
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    chance = random.Random(17)
    interrupted = 0
    try:
        for round_ in range(20):
            # New changes keep coming while the relay is killed and restarted.
            write(storage, events[round_ * 200 : (round_ + 1) * 200], per_commit=50)
            waiting = pending(storage)
            # Small batches: many claims, publishes and marks for a kill to fall between.
            process = subprocess.Popen([*command, "--batch", "2"], env=environment, stderr=subprocess.DEVNULL)
            if round_ % 2:  # somewhere while it relays
                started = wait_until(lambda: pending(storage) < waiting, 30, every=0.02)  # noqa: B023
                time.sleep(chance.uniform(0, 0.03))
            else:  # anywhere from its start, connecting included
                started = False
                time.sleep(chance.uniform(0.2, 1.2))
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            interrupted += started and pending(storage) > 0  # killed half-way through its work
        assert interrupted >= 8, "the kills should fall while the relay is relaying"
        process = subprocess.Popen([*command, "--batch", "200"], env=environment, stderr=subprocess.DEVNULL)
        try:
            assert wait_until(lambda: pending(storage) == 0, 60), f"{pending(storage)} still pending"
        finally:
            process.terminate()
            assert process.wait(20) == 0
        amqp = queue.ids(at_least=len(events))
    finally:
        queue.close()
    wanted = by_tenant(e.id for e in events)

    for tenant, ids in wanted.items():
        assert in_order_once(by_tenant(amqp)[tenant], ids)
        # JetStream drops the re-sent ones (same Nats-Msg-Id within its duplicate window).
        assert stream_ids(f"customer_master.{tenant}.>", at_least=len(ids)) == ids


def test_brokers_gone_for_a_while_lose_nothing(
    brokers: None, storage: SqlStorage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="customer_master_broker")
    tenants = [unique_tenant() for _ in range(2)]
    first, later = changes(tenants, 2_000), changes(tenants, 2_000, start=2_000)
    proxy = TcpProxy(("127.0.0.1", 5672))
    nats_server = NatsServer(tmp_path / "jetstream")
    nats_server.start()
    queue = AmqpQueue(tenants)
    try:
        relay = Relay(
            storage,
            [AmqpPublisher(proxy.url, timeout=3), JetStreamPublisher(nats_server.url, timeout=3)],
            name="outage",
            batch=100,
            backoff=quick_backoff,
        )
        write(storage, first, per_commit=100)
        running = Running(relay)
        assert wait_until(lambda: relay.relayed > 0, 30)
        proxy.cut()
        nats_server.stop()
        write(storage, later, per_commit=100)
        time.sleep(1)
        waiting = pending(storage)
        assert waiting > 0
        time.sleep(1)
        assert pending(storage) == waiting, "nothing is marked relayed while the brokers are gone"
        proxy.restore()
        nats_server.start()
        assert wait_until(lambda: pending(storage) == 0, 60), f"{pending(storage)} still pending"
        running.end()
        amqp = queue.ids(at_least=len(first) + len(later))
        wanted = by_tenant(e.id for e in [*first, *later])
        for tenant, ids in wanted.items():
            assert in_order_once(by_tenant(amqp)[tenant], ids)
            nats = stream_ids(f"customer_master.{tenant}.>", at_least=len(ids), url=nats_server.url)
            assert in_order_once(nats, ids)
    finally:
        queue.close()
        proxy.cut()
        nats_server.stop()
    log = caplog.text
    assert "nothing is marked relayed, retrying" in log
    assert "is up again after" in log


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("amqp://guest:wrong-password@127.0.0.1:5672/", "credentials refused"),
        ("amqp://guest:guest@127.0.0.1:{port}/", "connection refused"),
        ("nats://127.0.0.1:{port}", "connection refused"),
    ],
)
def test_a_broker_refusing_keeps_the_relay_retrying_and_nothing_relayed(
    brokers: None,
    storage: SqlStorage,
    caplog: pytest.LogCaptureFixture,
    target: str,
    reason: str,
) -> None:
    from broker_support import free_port

    caplog.set_level(logging.INFO, logger="customer_master_broker")
    url = target.format(port=free_port())
    write(storage, changes([unique_tenant()], 10))
    publisher = open_publisher(url)
    running = Running(Relay(storage, [publisher], name="refused", backoff=quick_backoff))
    time.sleep(1.5)

    assert running.thread.is_alive(), "the relay keeps retrying"
    running.end()
    assert pending(storage) == 10
    tries = [r.getMessage() for r in caplog.records if reason in r.getMessage()]
    assert len(tries) >= 2, caplog.text  # it said why, and tried again
    assert "retrying in" in tries[0]
    assert "wrong-password" not in caplog.text
