"""NATS JetStream with nats-py: a stream made if missing, subject
``customer_master.<tenant>.<event name>``, header ``Nats-Msg-Id`` = the event id, and
acknowledged publishes (R-15.4). JetStream drops a re-sent event within the stream's
duplicate window (two minutes by default).

nats-py is asyncio; the relay is a plain loop, so the publisher keeps its own event loop
and runs each call on it. A batch is written at once (``publish_async``, in order) and
its acknowledgements are awaited together.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from typing import Any

import nats
import nats.errors
import nats.js.errors

from customer_master.domain.events import Event
from customer_master_broker.messages import SUBJECT_PREFIX, BrokerUnavailable, body, masked, subject

log = logging.getLogger("customer_master_broker.jetstream")

STREAM = "CUSTOMER_MASTER"


class JetStreamPublisher:
    """Publishes events to a JetStream stream and returns once all were acknowledged."""

    def __init__(
        self,
        url: str,
        *,
        stream: str = STREAM,
        subject_prefix: str = SUBJECT_PREFIX,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.target = masked(url)
        self.stream = stream
        self.prefix = subject_prefix
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._nc: Any = None
        self._js: Any = None
        self._last_error: BaseException | None = None

    def open(self) -> None:
        """Connect (no automatic reconnect: the relay retries) and make the stream."""
        self._last_error = None
        try:
            self._loop.run_until_complete(asyncio.wait_for(self._open(), self.timeout))
        except Exception as error:
            self.close()
            raise BrokerUnavailable(f"{self.target}: {self._reason(error)}") from None

    async def _open(self) -> None:
        self._nc = await nats.connect(
            servers=[self.url],
            allow_reconnect=False,
            max_reconnect_attempts=1,  # 0 would mean "for ever"; the relay retries itself
            reconnect_time_wait=0,
            connect_timeout=self.timeout,
            error_cb=self._on_error,
        )
        self._js = self._nc.jetstream(timeout=self.timeout)
        try:
            await self._js.stream_info(self.stream)
        except nats.js.errors.NotFoundError:
            await self._js.add_stream(name=self.stream, subjects=[f"{self.prefix}.>"])
            log.info("%s: made stream %s for %s.>", self.target, self.stream, self.prefix)

    def publish(self, events: Sequence[Event]) -> None:
        """Publish the events in order; return once JetStream acknowledged every one."""
        if self._js is None or self._nc is None or self._nc.is_closed:
            raise BrokerUnavailable(f"{self.target}: not connected")
        try:
            self._loop.run_until_complete(asyncio.wait_for(self._publish(events), self.timeout))
        except Exception as error:
            raise BrokerUnavailable(f"{self.target}: publish failed ({self._reason(error)})") from None

    async def _publish(self, events: Sequence[Event]) -> None:
        js = self._js
        if not hasattr(js, "publish_async"):  # nats-py before publish_async: one at a time
            for event in events:
                await js.publish(subject(event, self.prefix), body(event), headers=_headers(event))
            return
        waiting = [
            await js.publish_async(subject(event, self.prefix), body(event), headers=_headers(event))
            for event in events
        ]
        await asyncio.gather(*waiting)

    def idle(self, seconds: float) -> None:
        """Serve the connection (pings) for ``seconds`` while there is nothing to send."""
        if self._nc is None or self._nc.is_closed:
            raise BrokerUnavailable(f"{self.target}: not connected")
        self._loop.run_until_complete(asyncio.sleep(seconds))
        if self._nc.is_closed:
            raise BrokerUnavailable(f"{self.target}: connection closed ({self._reason(None)})")

    def close(self) -> None:
        """Close the connection (quietly: it may be gone already)."""
        nc, self._nc, self._js = self._nc, None, None
        if nc is not None and not nc.is_closed:
            try:
                self._loop.run_until_complete(asyncio.wait_for(nc.close(), self.timeout))
            except Exception:
                log.debug("closing %s failed", self.target, exc_info=True)

    async def _on_error(self, error: BaseException) -> None:
        self._last_error = error

    def _reason(self, error: BaseException | None) -> str:
        """The failure in one line, preferring what the server said over 'no servers'."""
        if isinstance(error, nats.errors.NoServersError | TimeoutError | None) and self._last_error:
            error = self._last_error
        if error is None:
            return "closed by the server"
        if isinstance(error, nats.errors.AuthorizationError):
            return "credentials refused (authorization violation)"
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, socket.gaierror):
            return f"unknown host ({error})"
        if isinstance(error, TimeoutError | asyncio.TimeoutError):
            return f"no answer within {self.timeout:g} s"
        if isinstance(error, nats.js.errors.ServiceUnavailableError):
            return "JetStream is not enabled on the server (start nats-server with -js)"
        text = str(error).strip()
        return text.splitlines()[0] if text else type(error).__name__


def _headers(event: Event) -> dict[str, str]:
    return {"Nats-Msg-Id": event.id}
