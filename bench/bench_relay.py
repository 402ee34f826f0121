"""Events relayed per second from the outbox to each broker (R-15.4): RabbitMQ with
publisher confirms collected per batch, NATS JetStream with acknowledged publishes.

    .venv/bin/python bench/bench_relay.py [--events 20000] [--batch 500] [--url sqlite:///…] [--quick]

For each broker: ``N`` events are committed to the outbox of a fresh SQLite file (or the
database at ``--url``), then one relay sends them all; printed are the events per second
of the whole relay (claim, publish, confirm, mark relayed) and of the publisher alone
(the same events, no storage). RabbitMQ gets a durable queue bound to the exchange so
messages are really stored; JetStream a stream of the bench's own. Goals on this machine:
≥ 5,000/s to RabbitMQ, ≥ 10,000/s to JetStream. The machine is shared: figures vary.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats
import pika

from customer_master.domain.events import Event
from customer_master_broker import AmqpPublisher, JetStreamPublisher, Publisher, Relay, backlog
from customer_master_sql import migrate, open_storage

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
NATS_URL = "nats://127.0.0.1:4222"


def events(tenants: Sequence[str], count: int) -> list[Event]:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return [
        Event(
            id=f"{tenants[n % len(tenants)]}-{n:07d}",
            name="customer_updated",
            tenant=tenants[n % len(tenants)],
            occurred_at=at + timedelta(milliseconds=n),
            payload={
                "customer": {"code": f"CUS-{n:07d}", "name": f"Customer {n} Sdn Bhd", "currency": "MYR"},
                "changes": {"credit_limit": {"before": "50000.00", "after": "75000.00"}},
            },
        )
        for n in range(count)
    ]


def relayed_per_second(url: str, publisher: Publisher, batch: list[Event], size: int) -> float:
    storage = open_storage(url)
    try:
        for first in range(0, len(batch), 2000):
            with storage.unit_of_work() as uow:
                uow.outbox.add_many(batch[first : first + 2000])  # type: ignore[attr-defined]
                uow.commit()
        relay = Relay(storage, [publisher], name="bench", batch=size)
        stop = threading.Event()
        thread = threading.Thread(target=relay.run, args=(stop,))
        start = time.perf_counter()
        thread.start()
        while relay.relayed < len(batch) and thread.is_alive():
            time.sleep(0.01)
        took = time.perf_counter() - start
        stop.set()
        thread.join()
        left = sum(b.pending for b in backlog(storage))
        if left:
            raise SystemExit(f"{left} events were not relayed")
        return len(batch) / took
    finally:
        storage.close()


def published_per_second(publisher: Publisher, batch: list[Event], size: int) -> float:
    publisher.open()
    try:
        start = time.perf_counter()
        for first in range(0, len(batch), size):
            publisher.publish(batch[first : first + size])
        return len(batch) / (time.perf_counter() - start)
    finally:
        publisher.close()


def with_queue(tenants: Sequence[str], exchange: str, run: Callable[[], None]) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.exchange_declare(exchange, "topic", durable=True)
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue, durable=True)
    for tenant in tenants:
        channel.queue_bind(queue, exchange, f"{tenant}.#")
    try:
        run()
        return int(channel.queue_declare(queue, passive=True).method.message_count)
    finally:
        channel.queue_delete(queue)
        channel.exchange_delete(exchange)
        connection.close()


def drop_stream(stream: str) -> None:
    async def drop() -> None:
        nc = await nats.connect(NATS_URL)
        try:
            await nc.jetstream().delete_stream(stream)
        finally:
            await nc.close()

    asyncio.run(drop())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--url", help="storage URL (default: a fresh SQLite file)")
    parser.add_argument("--quick", action="store_true", help="5,000 events")
    args = parser.parse_args()
    count = 5_000 if args.quick else args.events
    run = uuid.uuid4().hex[:8]
    tenants = [f"bench{run}{n}" for n in range(4)]
    others = [f"{tenant}p" for tenant in tenants]  # the publisher-only runs: ids of their own
    with tempfile.TemporaryDirectory() as folder:
        figures: dict[str, float] = {}
        exchange = f"cm_bench_{run}"

        def amqp() -> None:
            url = args.url or _fresh(Path(folder) / "amqp.db")
            figures["relay rabbitmq"] = relayed_per_second(
                url, AmqpPublisher(AMQP_URL, exchange=exchange), events(tenants, count), args.batch
            )
            figures["publish rabbitmq"] = published_per_second(
                AmqpPublisher(AMQP_URL, exchange=exchange), events(others, count), args.batch
            )

        stored = with_queue([*tenants, *others], exchange, amqp)
        stream, prefix = f"CM_BENCH_{run}", f"cm_bench_{run}"
        try:
            url = args.url or _fresh(Path(folder) / "nats.db")

            def jetstream() -> JetStreamPublisher:
                return JetStreamPublisher(NATS_URL, stream=stream, subject_prefix=prefix)

            figures["relay jetstream"] = relayed_per_second(
                url, jetstream(), events(tenants, count), args.batch
            )
            figures["publish jetstream"] = published_per_second(
                jetstream(), events(others, count), args.batch
            )
        finally:
            drop_stream(stream)
    print(f"{count} events, batches of {args.batch}, storage {args.url or 'sqlite (fresh file)'}")
    for name, rate in figures.items():
        print(f"{name}: {rate:,.0f} events/s")
    print(f"rabbitmq queue held {stored} messages (expected {2 * count}: relay + publish runs)")


def _fresh(path: Path) -> str:
    url = f"sqlite:///{path}"
    migrate(url)
    return url


if __name__ == "__main__":
    main()
