"""What the relay tests share: the local RabbitMQ and NATS servers (skipped when they do
not answer, failed under CI), readers of what arrived, a TCP proxy that can be cut to
take RabbitMQ away, and a NATS server of the test's own that can be stopped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pika
import pytest

from customer_master.domain.events import Event
from customer_master.ports import Storage

AMQP_URL = os.environ.get("CM_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
NATS_URL = os.environ.get("CM_TEST_NATS_URL", "nats://127.0.0.1:4222")
NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"
EXCHANGE = "customer_master"
STREAM = "CUSTOMER_MASTER"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_broker(name: str, host: str, port: int) -> None:
    """Skip (fail under CI) when the broker does not answer."""
    if answers(host, port):
        return
    reason = f"{name} is not answering on {host}:{port} (start it: see .ci/run)"
    if in_ci():
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unique_tenant(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


# ---------------------------------------------------------------------------
# Events in the outbox
# ---------------------------------------------------------------------------

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def changes(tenants: Sequence[str], count: int, start: int = 0) -> list[Event]:
    """``count`` events, the tenants taking turns; ids sort in each tenant's order."""
    return [
        Event(
            id=f"{tenants[n % len(tenants)]}-{n:07d}",
            name="customer_updated",
            tenant=tenants[n % len(tenants)],
            occurred_at=AT + timedelta(milliseconds=n),
            payload={"customer": {"code": f"CUS-{n:07d}", "name": f"Customer {n}"}, "changes": {}},
        )
        for n in range(start, start + count)
    ]


def write(storage: Storage, events: Sequence[Event], per_commit: int = 1000) -> None:
    """Commit the events through the outbox's bulk path, ``per_commit`` at a time."""
    for first in range(0, len(events), per_commit):
        with storage.unit_of_work() as uow:
            uow.outbox.add_many(events[first : first + per_commit])  # type: ignore[attr-defined]
            uow.commit()


def pending(storage: Storage) -> int:
    from customer_master_broker import backlog

    return sum(b.pending for b in backlog(storage))


def wait_until(condition: Any, timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def in_order_once(ids: Iterable[str], expected: Sequence[str]) -> bool:
    """Every expected id arrived, and their first arrivals are in the expected order
    (re-sent duplicates may follow; nothing skipped or overtaken)."""
    first = list(dict.fromkeys(i for i in ids if i in set(expected)))
    return first == list(expected)


def by_tenant(ids: Iterable[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for each in ids:
        grouped.setdefault(each.rsplit("-", 1)[0], []).append(each)
    return grouped


# ---------------------------------------------------------------------------
# Reading what arrived
# ---------------------------------------------------------------------------


class AmqpQueue:
    """A queue bound to the relay's exchange for some tenants, made before the relay runs
    (RabbitMQ keeps a message only for queues bound when it arrives)."""

    def __init__(self, tenants: Sequence[str], url: str = AMQP_URL, exchange: str = EXCHANGE) -> None:
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(exchange, "topic", durable=True)
        self.name = f"cm-test-{uuid.uuid4().hex[:10]}"
        self.channel.queue_declare(self.name, durable=True)
        for tenant in tenants:
            self.channel.queue_bind(self.name, exchange, f"{tenant}.#")
        self.messages: list[tuple[Any, Any, bytes]] = []

    def read(self, at_least: int, timeout: float = 30.0) -> list[tuple[Any, Any, bytes]]:
        """Messages until ``at_least`` arrived and the queue stays quiet for a second."""
        deadline = time.monotonic() + timeout
        self.channel.basic_qos(prefetch_count=1000)
        for method, properties, body in self.channel.consume(self.name, auto_ack=True, inactivity_timeout=1):
            if method is None:
                if len(self.messages) >= at_least or time.monotonic() > deadline:
                    break
                continue
            self.messages.append((method, properties, body))
        self.channel.cancel()
        return self.messages

    def ids(self, at_least: int, timeout: float = 30.0) -> list[str]:
        return [properties.message_id for _, properties, _ in self.read(at_least, timeout)]

    def close(self) -> None:
        try:
            self.channel.queue_delete(self.name)
            self.connection.close()
        except Exception:
            pass


def stream_messages(
    subject: str, at_least: int, url: str = NATS_URL, stream: str = STREAM, timeout: float = 30.0
) -> list[Any]:
    """The stream's messages on ``subject`` (wildcards allowed), oldest first; they are
    purged from the stream once read."""
    import nats

    async def read() -> list[Any]:
        nc = await nats.connect(url)
        try:
            js = nc.jetstream()
            sub = await js.pull_subscribe(subject, durable=None, stream=stream)
            got: list[Any] = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    batch = await sub.fetch(1000, timeout=1)
                except Exception:  # nothing more within a second
                    if len(got) >= at_least:
                        break
                    continue
                for message in batch:
                    got.append(message)
                    await message.ack()
            # The shared server keeps nothing of the test's (its tenants are its own).
            await js.purge_stream(stream, subject=subject)
            return got
        finally:
            await nc.close()

    return asyncio.run(read())


def stream_ids(subject: str, at_least: int, url: str = NATS_URL, stream: str = STREAM) -> list[str]:
    return [m.headers["Nats-Msg-Id"] for m in stream_messages(subject, at_least, url, stream)]


# ---------------------------------------------------------------------------
# Taking a broker away
# ---------------------------------------------------------------------------


class TcpProxy:
    """Forwards a local port to a broker; ``cut()`` drops every connection and refuses
    new ones (the broker is gone for the relay), ``restore()`` listens again."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.restore()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            doomed, self._sockets = self._sockets, []
        for each in [listener, *doomed]:
            if each is not None:
                with contextlib.suppress(OSError):
                    each.shutdown(socket.SHUT_RDWR)
                each.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    server.close()
                    return
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        pair = {a: b, b: a}
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    pair[source].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for each in (a, b):
                with contextlib.suppress(OSError):
                    each.close()


class NatsServer:
    """A nats-server with JetStream of the test's own (its port, its store directory),
    to stop and start again without touching the shared one."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [NATS_SERVER, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(lambda: answers("127.0.0.1", self.port), 15):
            raise RuntimeError(f"nats-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
