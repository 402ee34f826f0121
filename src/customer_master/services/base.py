"""What every service shares: storage, hooks, clock, ids, and the transaction that ties
a change, its approval lane, its audit record and its events together (DESIGN.md, "The
path of a change")."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from attrs import define, field, frozen

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import BULK, AuditRecord, bulk_changes, change_set, seal
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.events import Event, EventName
from customer_master.domain.serialize import to_data
from customer_master.errors import FieldWarning, Forbidden
from customer_master.ids import new_id
from customer_master.plugins import Hooks
from customer_master.ports import (
    Clock,
    ContentTypes,
    DocumentStore,
    ExchangeRates,
    LastPrices,
    Mailer,
    StatementRenderer,
    Storage,
    UnitOfWork,
)

T = TypeVar("T")


def new_salt() -> str:
    """16 random bytes as hex, for one personal value's digest (R-11.2)."""
    return os.urandom(16).hex()


@define
class ServiceContext:
    """The wiring a façade builds once and hands to every service."""

    storage: Storage
    hooks: Hooks
    clock: Clock
    exchange_rates: ExchangeRates | None = None
    make_id: Callable[[], str] = new_id
    # A host's own last-price port; ``None``: the rates the storage keeps.
    last_prices: LastPrices | None = None
    # How statements are mailed and rendered for mail; set by the façade.
    mailer: Mailer | None = None
    statement_pdf: StatementRenderer | None = None
    make_salt: Callable[[], str] = new_salt
    documents: DocumentStore | None = None
    content_types: ContentTypes | None = None
    attachment_limit: int = 20 * 1024 * 1024

    @contextmanager
    def transaction(
        self,
        actor: Actor,
        correlation_id: str | None = None,
        *,
        approved: ChangeRequest | None = None,
    ) -> Iterator[Transaction]:
        """A unit of work for ``actor``'s tenant. On a clean exit it commits, then hands
        the events to the hooks (after commit, in commit order); on an exception it rolls
        back and no event is delivered (R-15.2). ``approved`` is the change request whose
        final approval is being applied (its lane is then satisfied)."""
        # The delivery lock is taken before the unit of work begins, not only around the
        # commit: a hook may read or write through the façade while it hears of a change,
        # and another thread's transaction waiting for the lock must not hold the storage
        # locks that read or write needs (SQLite takes its write lock at BEGIN). Changes
        # of one process thus commit one at a time, in the order their events are heard.
        with self.hooks.delivery_lock, self.storage.unit_of_work() as uow:
            tx = Transaction(
                uow=uow, actor=actor, context=self, correlation_id=correlation_id, approved=approved
            )
            yield tx
            uow.commit()
            self.hooks.deliver(tx.events)
            for action in tx.after_commit_actions:
                action()

    def require(
        self, actor: Actor, permission: str, config: TenantConfiguration | None = None
    ) -> TenantConfiguration:
        """Refuse with ``Forbidden`` unless the actor's roles grant ``permission`` (R-12);
        the configuration that says so (the committed one, when none is given)."""
        if config is None:
            config = self.storage.lookups.configuration(actor.tenant)
        if permission not in config.permissions_of(actor.roles):
            raise Forbidden(f"{actor.user} may not do this: it needs the {permission} permission")
        return config

    def can(self, actor: Actor, permission: str, config: TenantConfiguration) -> bool:
        return permission in config.permissions_of(actor.roles)


@define
class BulkAudit:
    """The audit of one batch of a bulk import (R-11.1): each customer's data before its
    first change of the batch and after its last, sealed as one record."""

    before: dict[str, Mapping[str, Any] | None] = field(factory=dict)
    after: dict[str, Mapping[str, Any]] = field(factory=dict)

    def add(self, customer_id: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> None:
        self.before.setdefault(customer_id, before)
        self.after[customer_id] = after

    def changes(self) -> dict[str, Any]:
        """Each changed customer's change set, by id."""
        return bulk_changes({i: change_set(self.before[i], after) for i, after in self.after.items()})


@define
class Transaction:
    """One operation in progress: its unit of work, and the audit record and events it
    writes alongside the change. With ``bulk`` set (a batch of an import) the customers'
    changes are gathered for one record, ``seal_bulk``."""

    uow: UnitOfWork
    actor: Actor
    context: ServiceContext
    correlation_id: str | None = None
    approved: ChangeRequest | None = None
    events: list[tuple[Event, Mapping[str, Any]]] = field(factory=list)
    bulk: BulkAudit | None = None
    after_commit_actions: list[Callable[[], None]] = field(factory=list)

    @property
    def tenant(self) -> str:
        return self.actor.tenant

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the unit of work has committed (and the events are heard):
        for what cannot roll back, such as deleting a document's bytes."""
        self.after_commit_actions.append(action)

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
        """Append the operation's audit record (R-11.1), chained to the tenant's last one
        (R-11.2). When a change request is being applied, the record names its submitter
        and every approval."""
        approved = self.approved
        record = AuditRecord(
            id=self.context.make_id(),
            tenant=self.tenant,
            operation=operation,
            customer_ids=tuple(customer_ids),
            actor=approved.submitter if approved else self.actor.user,
            occurred_at=self.context.clock.now(),
            changes=changes,
            approvals=tuple(to_data(a) for a in approved.approvals) if approved else (),
            correlation_id=self.correlation_id or (approved.id if approved else None),
            channel=self.actor.channel,
        )
        sealed = seal(record, previous=self.uow.audit.head(self.tenant), salt=self.context.make_salt)
        self.uow.audit.append(sealed)
        return sealed

    def audit_customer(
        self,
        operation: str,
        customer_id: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any],
        changes: Mapping[str, Any] | None = None,
    ) -> None:
        """The audit of one customer's change from ``before`` to ``after`` (plain data):
        its own record, or in a bulk batch its entry in the batch's record. ``changes``
        is their change set when the caller has it already."""
        if self.bulk is not None:
            self.bulk.add(customer_id, before, after)
        else:
            self.audit(
                operation, [customer_id], changes if changes is not None else change_set(before, after)
            )

    def seal_bulk(self) -> AuditRecord | None:
        """Seal the batch's gathered changes as one record (none when nothing changed) and
        leave bulk mode."""
        bulk, self.bulk = self.bulk, None
        changes = bulk.changes() if bulk is not None else {}
        return self.audit(BULK, list(changes), changes) if changes else None

    def route(
        self,
        config: TenantConfiguration,
        operation: str,
        *,
        payload: Mapping[str, Any],
        kind: str | None = None,
        customer_versions: Mapping[str, int] | None = None,
    ) -> ChangeRequest | None:
        """Send the operation down its lane (R-10.1): ``None`` means apply now (green, or
        the request being applied is approved); otherwise the stored change request."""
        if self.approved is not None:
            return None
        policy = config.settings.approvals
        lane = policy.lane_for(operation, kind=kind)
        if lane == "green":
            return None
        versions = dict(customer_versions or {})
        request = ChangeRequest(
            id=self.context.make_id(),
            tenant=self.tenant,
            operation=operation,
            payload=dict(payload),
            customer_ids=tuple(versions),
            customer_versions=versions,
            submitter=self.actor.user,
            submitted_at=self.context.clock.now(),
            lane=lane,
            steps=policy.steps_for(lane),
        )
        self.uow.change_requests.add(request)
        data = to_data(request)
        self.emit("change_request_submitted", {"request": data}, {"request": data})
        return request


@frozen
class Outcome(Generic[T]):
    """The result of a change: the stored value and any warnings (R-3.4); or, when the
    operation waits for approval (R-10.2), ``value`` is ``None`` and ``change_request``
    says where it stands."""

    value: T | None
    warnings: tuple[FieldWarning, ...] = ()
    change_request: ChangeRequest | None = None

    @property
    def is_pending(self) -> bool:
        return self.change_request is not None

    @property
    def applied(self) -> T:
        """The stored value; raises if the operation is waiting for approval."""
        if self.value is None:
            raise ValueError("the operation is waiting for approval; see change_request")
        return self.value
