"""RabbitMQ (AMQP 0-9-1) with pika: a durable topic exchange, persistent messages and
publisher confirms, collected for a whole batch (R-15.4).

pika's blocking adapter waits for each confirm in turn (about 2,000 messages a second
here); this publisher drives pika's ``SelectConnection`` itself so a batch is written at
once and its confirms are awaited together (docs/decisions/0035).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Sequence
from typing import Any

import pika
import pika.exceptions
from pika.spec import Basic

from customer_master.domain.events import Event
from customer_master_broker.messages import BrokerUnavailable, body, masked, routing_key

log = logging.getLogger("customer_master_broker.amqp")

EXCHANGE = "customer_master"


class _BatchingConnection(pika.SelectConnection):  # type: ignore[misc]
    """A ``SelectConnection`` that can hold the frames of a batch and write them at once:
    one socket write for the batch instead of three a message (method, header, body)."""

    held: list[bytes] | None = None

    def _adapter_emit_data(self, data: bytes) -> None:
        if self.held is not None:
            self.held.append(data)
        else:
            super()._adapter_emit_data(data)

    def write_held(self) -> None:
        held, self.held = self.held, None
        if held:
            super()._adapter_emit_data(b"".join(held))


class AmqpPublisher:
    """Publishes events to a topic exchange and returns once the broker confirmed all."""

    def __init__(self, url: str, *, exchange: str = EXCHANGE, timeout: float = 10.0) -> None:
        self.url = url
        self.target = masked(url)
        self.exchange = exchange
        self.timeout = timeout
        self._connection: _BatchingConnection | None = None
        self._channel: Any = None
        self._ready = False
        self._failure: str | None = None
        self._waiting: Callable[[], bool] | None = None
        self._next_tag = 0
        self._unconfirmed: set[int] = set()
        self._refused = 0

    # -- the connection -----------------------------------------------------

    def open(self) -> None:
        """Connect, declare the exchange (durable, topic) and turn on confirms."""
        try:
            parameters = pika.URLParameters(self.url)
        except Exception as error:
            raise BrokerUnavailable(f"{self.target}: not an AMQP URL ({error})") from None
        parameters.connection_attempts = 1
        parameters.socket_timeout = self.timeout
        parameters.heartbeat = 30
        self._ready, self._failure, self._next_tag = False, None, 0
        self._unconfirmed.clear()
        self._connection = _BatchingConnection(
            parameters,
            on_open_callback=self._on_open,
            on_open_error_callback=self._on_open_error,
            on_close_callback=self._on_closed,
        )
        self._run_until(lambda: self._ready, "connecting")

    def close(self) -> None:
        """Close the connection (quietly: it may be gone already)."""
        connection, self._connection, self._channel = self._connection, None, None
        if connection is None:
            return
        try:
            if connection.is_open:
                connection.close()
                self._connection = connection
                self._run_until(lambda: connection.is_closed, "closing", raise_on_failure=False)
        except Exception:  # the broker is gone; nothing to give back
            log.debug("closing %s failed", self.target, exc_info=True)
        finally:
            self._connection = None

    def idle(self, seconds: float) -> None:
        """Serve the connection (heartbeats) for ``seconds`` while there is nothing to send."""
        if self._connection is None or not self._ready:
            raise BrokerUnavailable(f"{self.target}: not connected")
        self._run_until(lambda: False, "idle", timeout=seconds, raise_on_failure=False)
        if self._failure is not None:
            raise BrokerUnavailable(f"{self.target}: {self._failure}")

    # -- publishing ---------------------------------------------------------

    def publish(self, events: Sequence[Event]) -> None:
        """Publish the events in order, persistent, each with ``message_id`` = the event
        id; return when the broker confirmed every one, else raise ``BrokerUnavailable``."""
        if not self._ready or self._channel is None:
            raise BrokerUnavailable(f"{self.target}: not connected")
        self._refused = 0
        connection = self._connection
        assert connection is not None
        connection.held = []
        try:
            self._write(events)
        finally:
            connection.write_held()
        self._run_until(lambda: not self._unconfirmed, "waiting for confirms")
        if self._refused:
            raise BrokerUnavailable(f"{self.target}: the broker refused {self._refused} message(s) (nack)")

    def _write(self, events: Sequence[Event]) -> None:
        for event in events:
            properties = pika.BasicProperties(
                message_id=event.id,
                content_type="application/json",
                delivery_mode=pika.DeliveryMode.Persistent,
                type=event.name,
                correlation_id=event.correlation_id,
            )
            try:
                self._channel.basic_publish(self.exchange, routing_key(event), body(event), properties)
            except Exception as error:
                raise BrokerUnavailable(f"{self.target}: publish failed ({_reason(error)})") from None
            self._next_tag += 1
            self._unconfirmed.add(self._next_tag)

    # -- pika's callbacks ---------------------------------------------------

    def _on_open(self, connection: Any) -> None:
        connection.channel(on_open_callback=self._on_channel)

    def _on_channel(self, channel: Any) -> None:
        self._channel = channel
        channel.add_on_close_callback(self._on_channel_closed)
        channel.exchange_declare(
            exchange=self.exchange, exchange_type="topic", durable=True, callback=self._on_declared
        )

    def _on_declared(self, _frame: Any) -> None:
        self._channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=self._on_confirming)

    def _on_confirming(self, _frame: Any) -> None:
        self._ready = True
        self._wake()

    def _on_confirm(self, frame: Any) -> None:
        method = frame.method
        tag = method.delivery_tag
        tags = {t for t in self._unconfirmed if t <= tag} if method.multiple else {tag}
        if isinstance(method, Basic.Nack):
            self._refused += len(tags & self._unconfirmed)
        self._unconfirmed -= tags
        self._wake()

    def _on_open_error(self, _connection: Any, error: BaseException | str) -> None:
        self._fail(_reason(error))

    def _on_closed(self, _connection: Any, reason: BaseException) -> None:
        self._fail(f"connection closed ({_reason(reason)})")

    def _on_channel_closed(self, _channel: Any, reason: BaseException) -> None:
        self._fail(f"channel closed ({_reason(reason)})")

    def _fail(self, message: str) -> None:
        self._ready = False
        if self._failure is None:
            self._failure = message
        self._stop()

    # -- running pika's I/O loop until something happened --------------------

    def _run_until(
        self,
        done: Callable[[], bool],
        doing: str,
        *,
        timeout: float | None = None,
        raise_on_failure: bool = True,
    ) -> None:
        connection = self._connection
        if connection is None:
            raise BrokerUnavailable(f"{self.target}: not connected")
        if not done() and self._failure is None:
            loop = connection.ioloop
            timer = loop.call_later(self.timeout if timeout is None else timeout, self._stop)
            self._waiting = done
            try:
                loop.start()
            finally:
                self._waiting = None
                loop.remove_timeout(timer)
        if not raise_on_failure:
            return
        if self._failure is not None:
            raise BrokerUnavailable(f"{self.target}: {self._failure}")
        if not done():
            raise BrokerUnavailable(f"{self.target}: no answer within {self.timeout:g} s ({doing})")

    def _wake(self) -> None:
        if self._waiting is not None and self._waiting():
            self._stop()

    def _stop(self) -> None:
        connection = self._connection
        if self._waiting is not None and connection is not None:
            self._waiting = None
            connection.ioloop.stop()


def _reason(error: BaseException | str) -> str:
    """A broker's refusal in one line (pika wraps the socket's error several times)."""
    if isinstance(error, (pika.exceptions.ProbableAuthenticationError, pika.exceptions.AuthenticationError)):
        return "credentials refused (ACCESS_REFUSED)"
    if isinstance(error, pika.exceptions.ProbableAccessDeniedError):
        return "access to the virtual host refused"
    inner = _cause(error)
    if inner is not None:
        return _reason(inner)
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error})"
    if isinstance(error, TimeoutError | socket.timeout):
        return "no answer (timed out)"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _cause(error: BaseException | str) -> BaseException | None:
    """The exception a pika connection error wraps, if any."""
    if not isinstance(error, Exception) or isinstance(error, OSError):
        return None
    wrapped = getattr(error, "exceptions", None)
    if wrapped:
        return wrapped[-1] if isinstance(wrapped[-1], BaseException) else None
    for value in (getattr(error, "exception", None), *error.args):
        if isinstance(value, BaseException):
            return value
    return None
