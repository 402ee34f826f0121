"""The outbox relay (R-15.4): sends every committed event to one or more brokers, at
least once and in commit order per tenant, and marks it relayed once every broker
confirmed it.

One pass of the loop:

1. **Claim** up to ``batch`` pending events for this relay, in a short transaction
   (``SharedOutbox.claim``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL and MariaDB, a lease
   on every row), so several relays at once do not send the same events, and a tenant's
   events held by another relay stop that tenant for this one (docs/decisions/0034).
2. **Publish** them to each broker in order and wait for its confirms.
3. **Mark** them relayed.

A relay killed between 2 and 3 sends the batch again when it (or another relay, once the
lease ended) comes back: duplicates carry the same id, nothing is skipped. A broker that
is down, refuses the connection or the credentials is retried with growing pauses; no
event is claimed meanwhile and none is marked. Every change of state is one log line.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol

from attrs import define, field

from customer_master.clock import SystemClock
from customer_master.domain.events import Backlog, Event
from customer_master.ports import Clock, SharedOutbox, Storage
from customer_master_broker.messages import BrokerUnavailable

log = logging.getLogger("customer_master_broker")


class Publisher(Protocol):
    """A broker connection the relay sends to."""

    target: str  # the broker's URL without its password

    def open(self) -> None:
        """Connect and prepare (exchange, stream); raise ``BrokerUnavailable`` if not."""

    def publish(self, events: Sequence[Event]) -> None:
        """Send the events in order; return only once the broker confirmed every one,
        else raise ``BrokerUnavailable``."""

    def idle(self, seconds: float) -> None:
        """Keep the connection alive for ``seconds``; raise ``BrokerUnavailable`` if lost."""

    def close(self) -> None:
        """Disconnect, quietly."""


def default_name() -> str:
    """``host:pid``; give a relay a fixed ``name`` to resume its own claims on restart."""
    return f"{socket.gethostname()}:{os.getpid()}"


@define
class Backoff:
    """Pauses between retries: ``first`` seconds, doubled each time up to ``longest``."""

    first: float = 0.5
    longest: float = 30.0
    _next: float = field(init=False, default=0.0)

    def pause(self) -> float:
        self._next = self.first if self._next == 0 else min(self._next * 2, self.longest)
        return self._next

    def reset(self) -> None:
        self._next = 0.0


@define
class _Target:
    publisher: Publisher
    is_up: bool = False
    down_since: float | None = None
    retry_at: float = 0.0
    backoff: Backoff = field(factory=Backoff)
    confirmed: set[str] = field(factory=set)  # ids of the current batch it confirmed


@define
class Relay:
    """Relays ``storage``'s outbox to ``publishers`` (see the module docstring)."""

    storage: Storage
    publishers: Sequence[Publisher]
    name: str = field(factory=default_name)
    batch: int = 500
    lease: timedelta = timedelta(seconds=30)
    poll: float = 0.2
    clock: Clock = field(factory=SystemClock)
    backoff: Callable[[], Backoff] = Backoff
    relayed: int = 0
    _targets: list[_Target] = field(init=False, factory=list)
    _storage_down: bool = field(init=False, default=False)

    def __attrs_post_init__(self) -> None:
        if not self.publishers:
            raise ValueError("a relay needs at least one broker to send to")
        self._targets = [_Target(p, backoff=self.backoff()) for p in self.publishers]

    def run(self, stop: threading.Event) -> None:
        """Relay until ``stop`` is set, then give back this relay's claims and disconnect."""
        targets = ", ".join(t.publisher.target for t in self._targets)
        log.info("relay %s started: outbox -> %s (batches of %d)", self.name, targets, self.batch)
        storage_backoff = self.backoff()
        try:
            while not stop.is_set():
                if not self._connect(stop):
                    continue
                try:
                    sent = self.step()
                except BrokerUnavailable:
                    continue  # the target is marked down; the next pass retries it
                except Exception as error:  # the database: keep trying, as for a broker
                    pause = storage_backoff.pause()
                    if not self._storage_down:
                        log.error("relay %s: storage failed (%s); retrying", self.name, _line(error))
                        self._storage_down = True
                    stop.wait(pause)
                    continue
                if self._storage_down:
                    log.info("relay %s: storage is back", self.name)
                    self._storage_down = False
                    storage_backoff.reset()
                if sent == 0:
                    self._idle(stop)
        finally:
            self.close()
            log.info("relay %s stopped after relaying %d events", self.name, self.relayed)

    def drain(self) -> int:
        """Relay everything pending now and return how many events went out (for a
        one-off run, e.g. from cron). A broker that is down raises ``BrokerUnavailable``;
        what it has not confirmed stays pending. ``close()`` when done."""
        for target in self._targets:
            if not target.is_up:
                target.publisher.open()
                target.is_up, target.down_since = True, None
        total = 0
        while sent := self.step():
            total += sent
        return total

    def close(self) -> None:
        """Give back this relay's claims (another relay may take them at once) and
        disconnect from the brokers."""
        self._release()
        for target in self._targets:
            target.publisher.close()
            target.is_up = False

    def step(self) -> int:
        """One pass: claim a batch, publish it to every broker, mark it relayed. Returns
        how many events were relayed; raises ``BrokerUnavailable`` when a broker failed
        (the batch stays claimed by this relay and is sent again on the next pass)."""
        events = self._claim()
        if not events:
            return 0
        ids = {event.id for event in events}
        for target in self._targets:
            target.confirmed &= ids  # what it confirmed of an earlier try of this batch
            unsent = [event for event in events if event.id not in target.confirmed]
            if not unsent:
                continue
            try:
                target.publisher.publish(unsent)
            except BrokerUnavailable as error:
                self._down(target, str(error))
                raise
            target.confirmed |= {event.id for event in unsent}
            target.backoff.reset()
        self._mark(ids)
        for target in self._targets:
            target.confirmed.clear()
        self.relayed += len(events)
        return len(events)

    def backlog(self) -> Sequence[Backlog]:
        """Each tenant's events not yet relayed (``relay status``)."""
        return backlog(self.storage)

    # -- storage ------------------------------------------------------------

    def _claim(self) -> Sequence[Event]:
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            outbox = _shared(uow.outbox)
            events = outbox.claim(self.name, self.batch, now=now, until=now + self.lease)
            uow.commit()
        return events

    def _mark(self, ids: set[str]) -> None:
        with self.storage.unit_of_work() as uow:
            uow.outbox.mark_relayed(ids)
            uow.commit()

    def _release(self) -> None:
        try:
            with self.storage.unit_of_work() as uow:
                _shared(uow.outbox).release(self.name)
                uow.commit()
        except Exception as error:  # the leases end on their own
            log.warning("relay %s: could not give back its claims (%s)", self.name, _line(error))

    # -- brokers ------------------------------------------------------------

    def _connect(self, stop: threading.Event) -> bool:
        """Open every target that is down and due for a retry; ``False`` (after waiting
        for the earliest retry) while one is still down."""
        for target in self._targets:
            if target.is_up or time.monotonic() < target.retry_at:
                continue
            try:
                target.publisher.open()
            except BrokerUnavailable as error:
                self._down(target, str(error))
                continue
            if target.down_since is not None:
                log.info(
                    "relay %s: %s is up again after %.1f s; relaying",
                    self.name,
                    target.publisher.target,
                    time.monotonic() - target.down_since,
                )
            else:
                log.info("relay %s: connected to %s", self.name, target.publisher.target)
            # The pauses grow on until a batch is confirmed: a broker that lets the
            # relay in but confirms nothing is not retried at the shortest pause.
            target.is_up, target.down_since = True, None
        down = [t for t in self._targets if not t.is_up]
        if down:
            stop.wait(max(0.0, min(t.retry_at for t in down) - time.monotonic()))
            return False
        return True

    def _down(self, target: _Target, reason: str) -> None:
        target.publisher.close()
        pause = target.backoff.pause()
        target.retry_at = time.monotonic() + pause
        if target.is_up or target.down_since is None:
            log.warning(
                "relay %s: %s; nothing is marked relayed, retrying in %.1f s", self.name, reason, pause
            )
            target.down_since = time.monotonic()
        else:
            log.info("relay %s: still down: %s; next try in %.1f s", self.name, reason, pause)
        target.is_up = False

    def _idle(self, stop: threading.Event) -> None:
        share = self.poll / len(self._targets)
        for target in self._targets:
            if stop.is_set():
                return
            try:
                target.publisher.idle(share)
            except BrokerUnavailable as error:
                self._down(target, str(error))


def backlog(storage: Storage) -> Sequence[Backlog]:
    """Each tenant's events not yet relayed: how many, and the oldest's time."""
    with storage.unit_of_work() as uow:
        return _shared(uow.outbox).backlog()


def _shared(outbox: object) -> SharedOutbox:
    if not isinstance(outbox, SharedOutbox):
        raise TypeError(f"{type(outbox).__name__} cannot be shared by relays (no claim/release/backlog)")
    return outbox


def _line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
