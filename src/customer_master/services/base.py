"""What every service shares: storage, hooks, clock, ids, and the transaction that ties
a change, its audit record and its events together (DESIGN.md, "The path of a change")."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from attrs import define, field, frozen

from customer_master.actor import Actor
from customer_master.domain.audit import AuditRecord
from customer_master.domain.events import Event, EventName
from customer_master.errors import FieldWarning
from customer_master.plugins import Hooks
from customer_master.ports import Clock, ExchangeRates, Storage, UnitOfWork

T = TypeVar("T")


def new_id() -> str:
    """A new opaque id (random UUID, hex)."""
    return uuid.uuid4().hex


@define
class ServiceContext:
    """The wiring a façade builds once and hands to every service."""

    storage: Storage
    hooks: Hooks
    clock: Clock
    exchange_rates: ExchangeRates | None = None
    make_id: Callable[[], str] = new_id

    @contextmanager
    def transaction(self, actor: Actor, correlation_id: str | None = None) -> Iterator[Transaction]:
        """A unit of work for ``actor``'s tenant. On a clean exit it commits, then hands
        the events to the hooks (after commit, in commit order); on an exception it rolls
        back and no event is delivered (R-15.2)."""
        with self.storage.unit_of_work() as uow:
            tx = Transaction(uow=uow, actor=actor, context=self, correlation_id=correlation_id)
            yield tx
            with self.hooks.delivery_lock:
                uow.commit()
                self.hooks.deliver(tx.events)


@define
class Transaction:
    """One operation in progress: its unit of work, and the audit record and events it
    writes alongside the change."""

    uow: UnitOfWork
    actor: Actor
    context: ServiceContext
    correlation_id: str | None = None
    events: list[tuple[Event, Mapping[str, Any]]] = field(factory=list)

    @property
    def tenant(self) -> str:
        return self.actor.tenant

    def emit(self, name: EventName, arguments: Mapping[str, Any], payload: Mapping[str, Any]) -> Event:
        """Write an event to the outbox now and queue it for the hooks after commit.
        ``arguments`` are the hook's arguments (domain values), ``payload`` their plain
        data for the outbox."""
        event = Event(
            id=self.context.make_id(),
            name=name,
            tenant=self.tenant,
            occurred_at=self.context.clock.now(),
            payload=payload,
            correlation_id=self.correlation_id,
        )
        self.uow.outbox.add(event)
        self.events.append((event, arguments))
        return event

    def audit(self, operation: str, customer_ids: Sequence[str], changes: Mapping[str, Any]) -> AuditRecord:
        """Append the operation's audit record (R-11.1)."""
        record = AuditRecord(
            id=self.context.make_id(),
            tenant=self.tenant,
            operation=operation,
            customer_ids=tuple(customer_ids),
            actor=self.actor.user,
            occurred_at=self.context.clock.now(),
            changes=changes,
            correlation_id=self.correlation_id,
        )
        self.uow.audit.append(record)
        return record


@frozen
class Outcome(Generic[T]):
    """The result of a change: the stored value and any warnings (R-3.4)."""

    value: T
    warnings: tuple[FieldWarning, ...] = ()
