"""In-memory storage with real transaction semantics.

A unit of work holds the storage lock from ``__enter__`` to ``__exit__`` (transactions
run one at a time, so they are serializable) and writes into a staging area; ``commit``
publishes the staged writes at once, and leaving without commit discards them. Failed
operations therefore leave nothing behind.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Self

from attrs import evolve

from customer_master.domain.aging import AgingQuery, AgingRow, AgingRows, age_items
from customer_master.domain.apikeys import ApiKey
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.attachments import Attachment
from customer_master.domain.audit import AuditRecord, ChainHead
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master.domain.effective import effective_view
from customer_master.domain.erasure import PLACEHOLDER, ErasurePlan, is_erasure_of
from customer_master.domain.events import Backlog, Event
from customer_master.domain.money import converted
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import Application, ItemKind, OpenItem, OpenOrder
from customer_master.domain.search import (
    SIMILAR_CANDIDATES,
    CustomerQuery,
    Page,
    matches,
    rank_key,
    word_starts,
)
from customer_master.domain.timeline import Note
from customer_master.errors import BusinessRuleViolation, Conflict, NotFound
from customer_master.ports import CustomerKey, ExchangeRates, ReceivablesPosition

_DELETED = None


def _mentions(data: object, needles: frozenset[str]) -> bool:
    """Does ``data`` (plain data) hold one of ``needles`` as a string, or inside one?"""
    if isinstance(data, str):
        return any(needle in data for needle in needles)
    if isinstance(data, Mapping):
        return any(_mentions(k, needles) or _mentions(v, needles) for k, v in data.items())
    if isinstance(data, list | tuple):
        return any(_mentions(v, needles) for v in data)
    return False


class _State:
    """Everything committed, shared by the units of work of one storage."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.customers: dict[tuple[str, str], Customer] = {}
        self.codes: dict[tuple[str, str], str] = {}  # (tenant, code) -> id
        self.configs: dict[str, TenantConfiguration] = {}
        self.audit: list[AuditRecord] = []
        self.outbox: list[Event] = []
        self.relayed: set[str] = set()
        self.claims: dict[str, tuple[str, datetime]] = {}  # event id -> (relay, lease end)
        self.sequences: dict[tuple[str, str], int] = {}
        self.api_keys: dict[str, ApiKey] = {}
        self.requests: dict[str, ChangeRequest] = {}
        self.notes: list[Note] = []
        self.attachments: dict[str, Attachment] = {}


class MemoryCustomers:
    """The customer repository over committed state plus this unit of work's staging."""

    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[tuple[str, str], Customer | None] = {}

    def _current(self, key: tuple[str, str]) -> Customer | None:
        if key in self.staged:
            return self.staged[key]
        return self._state.customers.get(key)

    def _all(self, tenant: str) -> Iterable[Customer]:
        seen = set()
        for key, customer in self.staged.items():
            seen.add(key)
            if customer is not None and key[0] == tenant:
                yield customer
        for key, customer in self._state.customers.items():
            if key[0] == tenant and key not in seen:
                yield customer

    def add(self, customer: Customer) -> None:
        if self.get_by_code(customer.tenant, customer.code) is not None:
            raise Conflict(f"customer code {customer.code} is already taken")
        self.staged[(customer.tenant, customer.id)] = customer

    def get(self, tenant: str, customer_id: str) -> Customer | None:
        return self._current((tenant, customer_id))

    def get_by_code(self, tenant: str, code: str) -> Customer | None:
        for key, customer in self.staged.items():
            if key[0] == tenant and customer is not None and customer.code == code:
                return customer
        customer_id = self._state.codes.get((tenant, code))
        found = self._current((tenant, customer_id)) if customer_id else None
        return found if found is not None and found.code == code else None

    def update(self, customer: Customer, *, expected_version: int) -> Customer:
        current = self._current((customer.tenant, customer.id))
        if current is None:
            raise Conflict(f"customer {customer.id} no longer exists")
        if current.version != expected_version:
            raise Conflict(
                f"customer {current.code} was changed by someone else (version {current.version}, "
                f"you had {expected_version}); reload and try again",
                current_version=current.version,
            )
        stored = evolve(customer, version=expected_version + 1)
        self.staged[(customer.tenant, customer.id)] = stored
        return stored

    def remove(self, tenant: str, customer_id: str) -> None:
        self.staged[(tenant, customer_id)] = _DELETED

    def find_by_tax_id(self, tenant: str, number: str) -> Sequence[Customer]:
        return [c for c in self._all(tenant) if c.is_active and any(t.number == number for t in c.tax_ids)]

    def find_by_external_ref(self, tenant: str, system: str, ref: str) -> Customer | None:
        return next(
            (
                c
                for c in self._all(tenant)
                if any(r.system == system and r.ref == ref for r in c.external_refs)
            ),
            None,
        )

    def find_by_email(self, tenant: str, email: str) -> Sequence[Customer]:
        wanted = email.lower()
        return [c for c in self._all(tenant) if c.is_active and (c.email or "").lower() == wanted]

    def similar_name_candidates(self, tenant: str, name: str) -> Iterable[tuple[str, str]]:
        return [(c.code, c.name) for c in self._all(tenant) if c.is_active]

    # -- bulk methods for imports (ports.BulkCustomers): one scan per batch ----------

    def holders_of_keys(self, tenant: str, keys: Collection[CustomerKey]) -> dict[CustomerKey, list[str]]:
        wanted = set(keys)
        found: dict[CustomerKey, list[str]] = {}
        for c in self._all(tenant):
            held: list[CustomerKey] = [("code", c.code)]
            held += [("external_ref", f"{r.system}:{r.ref}") for r in c.external_refs]
            if c.is_active:
                held += [("tax_id", t.number) for t in c.tax_ids]
                held += [("email", c.email.lower())] if c.email else []
            for key in held:
                if key in wanted:
                    found.setdefault(key, []).append(c.id)
        return found

    def look_alike_counts(self, tenant: str, starts: Collection[str]) -> dict[str, int]:
        """Customers (active or not, as the SQL words index) holding a word with each
        start, counted up to one more than ``SIMILAR_CANDIDATES``."""
        wanted = set(starts)
        counts: dict[str, int] = {}
        for c in self._all(tenant):
            for start in word_starts(c.name) & wanted:
                counts[start] = min(counts.get(start, 0) + 1, SIMILAR_CANDIDATES + 1)
        return counts

    def look_alike_holders(self, tenant: str, starts: Collection[str]) -> dict[str, list[tuple[str, str]]]:
        """Active customers sharing the first three letters of a word, at most
        ``SIMILAR_CANDIDATES`` a start, as the SQL adapter finds them."""
        wanted = set(starts)
        by_start: dict[str, list[tuple[str, str]]] = {start: [] for start in wanted}
        for c in self._all(tenant):
            if c.is_active:
                for start in word_starts(c.name) & wanted:
                    if len(by_start[start]) < SIMILAR_CANDIDATES:
                        by_start[start].append((c.code, c.name))
        return by_start

    def add_many(self, customers: Sequence[Customer]) -> None:
        for customer in customers:
            self.add(customer)

    def list(self, tenant: str, query: CustomerQuery) -> Page:
        keyed = sorted(
            ((rank_key(c, query), c) for c in self._all(tenant) if matches(c, query)),
            key=lambda pair: pair[0],
        )
        if query.after is not None:
            keyed = [pair for pair in keyed if pair[0] > query.after]
        page = keyed[: query.limit]
        more = len(keyed) > query.limit
        return Page(tuple(c for _, c in page), page[-1][0] if more and page else None)

    def count_using(
        self, tenant: str, *, payment_terms: str | None = None, price_list: str | None = None
    ) -> int:
        def uses(c: Customer) -> bool:
            if payment_terms is not None and (
                c.payment_terms == payment_terms or any(o.payment_terms == payment_terms for o in c.overrides)
            ):
                return True
            return price_list is not None and (
                c.price_list == price_list or any(o.price_list == price_list for o in c.overrides)
            )

        return sum(1 for c in self._all(tenant) if uses(c))

    def publish(self) -> None:
        for key, customer in self.staged.items():
            old = self._state.customers.pop(key, None)
            if old is not None:
                self._state.codes.pop((key[0], old.code), None)
            if customer is not None:
                self._state.customers[key] = customer
                self._state.codes[(key[0], customer.code)] = customer.id


class MemoryConfiguration:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[str, TenantConfiguration] = {}

    def get(self, tenant: str) -> TenantConfiguration:
        return (
            self.staged.get(tenant) or self._state.configs.get(tenant) or TenantConfiguration(tenant=tenant)
        )

    def save(self, config: TenantConfiguration, *, expected_version: int) -> None:
        current = self.get(config.tenant)
        if current.version != expected_version:
            raise Conflict(
                f"the configuration of {config.tenant} changed meanwhile (version {current.version})",
                current_version=current.version,
            )
        self.staged[config.tenant] = config

    def publish(self) -> None:
        self._state.configs.update(self.staged)


class MemoryAudit:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: list[AuditRecord] = []

    def last(self, tenant: str) -> AuditRecord | None:
        records = self.for_tenant(tenant)
        return records[-1] if records else None

    def head(self, tenant: str) -> ChainHead | None:
        last = self.last(tenant)
        return None if last is None else ChainHead(last.sequence, last.hash)

    def append(self, record: AuditRecord) -> None:
        self.staged.append(record)

    def append_many(self, records: Sequence[AuditRecord]) -> None:
        self.staged.extend(records)

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[AuditRecord]:
        return [r for r in self.for_tenant(tenant) if customer_id in r.customer_ids]

    def for_tenant(self, tenant: str) -> Sequence[AuditRecord]:
        return [r for r in [*self._state.audit, *self.staged] if r.tenant == tenant]

    def publish(self) -> None:
        self._state.audit.extend(self.staged)


class MemoryOutbox:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: list[Event] = []

    def add(self, event: Event) -> None:
        self.staged.append(event)

    def add_many(self, events: Sequence[Event]) -> None:
        self.staged.extend(events)

    def pending(self, limit: int = 100) -> Sequence[Event]:
        return [e for e in self._state.outbox if e.id not in self._state.relayed][:limit]

    def mark_relayed(self, event_ids: Iterable[str]) -> None:
        ids = list(event_ids)
        self._state.relayed.update(ids)
        for event_id in ids:
            self._state.claims.pop(event_id, None)

    def claim(self, relay: str, limit: int, *, now: datetime, until: datetime) -> Sequence[Event]:
        """``SharedOutbox.claim``; the unit of work holds the storage lock meanwhile."""
        state, stopped, taken = self._state, set[str](), list[Event]()
        for event in state.outbox:
            if len(taken) >= limit:
                break
            if event.id in state.relayed or event.tenant in stopped:
                continue
            holder = state.claims.get(event.id)
            if holder is not None and holder[0] != relay and holder[1] >= now:
                stopped.add(event.tenant)
                continue
            taken.append(event)
        state.claims.update((event.id, (relay, until)) for event in taken)
        return taken

    def release(self, relay: str) -> None:
        claims = self._state.claims
        for event_id in [key for key, (holder, _) in claims.items() if holder == relay]:
            del claims[event_id]

    def backlog(self) -> Sequence[Backlog]:
        pending: dict[str, list[Event]] = {}
        for event in self._state.outbox:
            if event.id not in self._state.relayed:
                pending.setdefault(event.tenant, []).append(event)
        return [
            Backlog(tenant=tenant, pending=len(events), oldest=min(e.occurred_at for e in events))
            for tenant, events in sorted(pending.items())
        ]

    def mentioning(self, tenant: str, needles: Collection[str]) -> Sequence[Event]:
        return [
            e
            for e in [*self._state.outbox, *self.staged]
            if e.tenant == tenant and _mentions(e.payload, frozenset(needles))
        ]

    def publish(self) -> None:
        self._state.outbox.extend(self.staged)


class MemoryCodes:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[tuple[str, str], int] = {}

    def next_value(self, tenant: str, name: str = "customer") -> int:
        key = (tenant, name)
        value = self.staged.get(key, self._state.sequences.get(key, 0)) + 1
        self.staged[key] = value
        return value

    def publish(self) -> None:
        self._state.sequences.update(self.staged)


class MemoryChangeRequests:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[str, ChangeRequest] = {}

    def add(self, request: ChangeRequest) -> None:
        self.staged[request.id] = request

    def get(self, tenant: str, request_id: str) -> ChangeRequest | None:
        found = self.staged.get(request_id) or self._state.requests.get(request_id)
        return found if found is not None and found.tenant == tenant else None

    def save(self, request: ChangeRequest, *, expected_approvals: int) -> None:
        current = self.get(request.tenant, request.id)
        if current is None or len(current.approvals) != expected_approvals or not current.is_pending:
            raise Conflict(f"change request {request.id} was decided meanwhile; reload it")
        self.staged[request.id] = request

    def list(
        self, tenant: str, *, state: str | None = None, customer_id: str | None = None
    ) -> Sequence[ChangeRequest]:
        everything = {**self._state.requests, **self.staged}.values()
        found = [
            r
            for r in everything
            if r.tenant == tenant
            and (state is None or r.state == state)
            and (customer_id is None or customer_id in r.customer_ids)
        ]
        return sorted(found, key=lambda r: r.submitted_at, reverse=True)

    def publish(self) -> None:
        self._state.requests.update(self.staged)


class MemoryNotes:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: list[Note] = []

    def add(self, note: Note) -> None:
        self.staged.append(note)

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Note]:
        return [
            n
            for n in [*self._state.notes, *self.staged]
            if n.tenant == tenant and n.customer_id == customer_id
        ]

    def publish(self) -> None:
        self._state.notes.extend(self.staged)


class MemoryAttachments:
    """``AttachmentRepository`` over committed state plus this unit of work's staging."""

    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[str, Attachment | None] = {}

    def _all(self) -> dict[str, Attachment]:
        merged: dict[str, Attachment | None] = {**self._state.attachments, **self.staged}
        return {k: v for k, v in merged.items() if v is not None}

    def add(self, attachment: Attachment) -> None:
        self.staged[attachment.id] = attachment

    def get(self, tenant: str, attachment_id: str) -> Attachment | None:
        found = self._all().get(attachment_id)
        return found if found is not None and found.tenant == tenant else None

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Attachment]:
        found = [a for a in self._all().values() if a.tenant == tenant and a.customer_id == customer_id]
        return sorted(found, key=lambda a: (a.uploaded_at, a.id))

    def remove(self, tenant: str, attachment_id: str) -> None:
        if self.get(tenant, attachment_id) is not None:
            self.staged[attachment_id] = None

    def uses_digest(self, tenant: str, digest: str) -> bool:
        return any(a.tenant == tenant and a.digest == digest for a in self._all().values())

    def publish(self) -> None:
        for attachment_id, attachment in self.staged.items():
            if attachment is None:
                self._state.attachments.pop(attachment_id, None)
            else:
                self._state.attachments[attachment_id] = attachment


class MemoryErasure:
    """``Erasure``: the plans of this unit of work, written over committed state on commit."""

    def __init__(self, state: _State, audit: MemoryAudit) -> None:
        self._state = state
        self._audit = audit
        self.staged: list[ErasurePlan] = []

    def apply(self, plan: ErasurePlan) -> None:
        stored = {r.id: r for r in self._audit.for_customer(plan.tenant, plan.customer_id)}
        for record in plan.audit_records:
            if record.id not in stored or not is_erasure_of(stored[record.id], record):
                raise ValueError(f"audit record {record.id}: an erasure may only blank personal values")
        self.staged.append(plan)

    def publish(self) -> None:
        state = self._state
        for plan in self.staged:
            records = {r.id: r for r in plan.audit_records}
            state.audit[:] = [records.get(r.id, r) if r.tenant == plan.tenant else r for r in state.audit]
            notes = set(plan.note_ids)
            state.notes[:] = [
                evolve(n, text=PLACEHOLDER) if n.tenant == plan.tenant and n.id in notes else n
                for n in state.notes
            ]
            for request in plan.change_requests:
                if request.id in state.requests and state.requests[request.id].tenant == plan.tenant:
                    state.requests[request.id] = evolve(state.requests[request.id], payload=request.payload)
            events = {e.id: e for e in plan.events}
            state.outbox[:] = [
                evolve(e, payload=events[e.id].payload) if e.tenant == plan.tenant and e.id in events else e
                for e in state.outbox
            ]


class MemoryApiKeys:
    def __init__(self, state: _State) -> None:
        self._state = state
        self.staged: dict[str, ApiKey] = {}

    def add(self, key: ApiKey) -> None:
        self.staged[key.id] = key

    def get(self, key_id: str) -> ApiKey | None:
        return self.staged.get(key_id) or self._state.api_keys.get(key_id)

    def revoke(self, key_id: str) -> None:
        key = self.get(key_id)
        if key is not None:
            self.staged[key_id] = evolve(key, revoked=True)

    def for_tenant(self, tenant: str) -> Sequence[ApiKey]:
        keys = {**self._state.api_keys, **self.staged}
        return [k for k in keys.values() if k.tenant == tenant]

    def publish(self) -> None:
        self._state.api_keys.update(self.staged)


class MemoryOpenItems:
    """Open-item moves staged in a unit of work, applied to the receivables on commit."""

    def __init__(self, receivables: MemoryReceivables) -> None:
        self._receivables = receivables
        self.staged: list[tuple[str, str, str]] = []

    def has_open_items(self, tenant: str, customer_id: str) -> bool:
        return self._receivables.has_open_items(tenant, customer_id)

    def move(self, tenant: str, source_id: str, target_id: str) -> None:
        self.staged.append((tenant, source_id, target_id))

    def publish(self) -> None:
        for tenant, source_id, target_id in self.staged:
            self._receivables.move(tenant, source_id, target_id)


class MemoryUnitOfWork:
    """A unit of work over in-memory state; see the module docstring."""

    def __init__(self, state: _State, receivables: MemoryReceivables) -> None:
        self._state = state
        self._receivables = receivables
        self._fresh()

    def _fresh(self) -> None:
        self.customers = MemoryCustomers(self._state)
        self.configuration = MemoryConfiguration(self._state)
        self.audit = MemoryAudit(self._state)
        self.outbox = MemoryOutbox(self._state)
        self.codes = MemoryCodes(self._state)
        self.open_items = MemoryOpenItems(self._receivables)
        self.api_keys = MemoryApiKeys(self._state)
        self.change_requests = MemoryChangeRequests(self._state)
        self.notes = MemoryNotes(self._state)
        self.attachments = MemoryAttachments(self._state)
        self.erasure = MemoryErasure(self._state, self.audit)

    def __enter__(self) -> Self:
        self._state.lock.acquire()
        self._fresh()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._state.lock.release()

    def commit(self) -> None:
        for part in (
            self.customers,
            self.configuration,
            self.audit,
            self.outbox,
            self.codes,
            self.open_items,
            self.api_keys,
            self.change_requests,
            self.notes,
            self.attachments,
            self.erasure,
        ):
            part.publish()
        self._fresh()

    def rollback(self) -> None:
        self._fresh()


class MemoryReceivables:
    """Open items and orders kept in memory (R-13.1), answering the ``ReceivablesLedger``
    port."""

    def __init__(self, customers: Callable[[str, str], Customer | None] | None = None) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, str], list[OpenItem]] = {}
        self._orders: dict[tuple[str, str], list[OpenOrder]] = {}
        # (tenant, entity, kind, number) -> the customer holding that document
        self._item_owner: dict[tuple[str, str, str, str], str] = {}
        self._applications: dict[tuple[str, str], list[Application]] = {}
        self._customers = customers
        self.rates: ExchangeRates | None = None
        self.rate_date: date | None = None

    def add_item(self, tenant: str, item: OpenItem) -> None:
        """Record an open item; posting the same document (entity, kind and number) again
        replaces it, so a host can resend an invoice with its new balance."""
        with self._lock:
            key = (tenant, item.entity, item.kind, item.number)
            previous = self._item_owner.get(key)
            if previous is not None:
                self._items[(tenant, previous)] = [
                    i for i in self._items[(tenant, previous)] if (i.entity, i.kind, i.number) != key[1:]
                ]
            self._item_owner[key] = item.customer_id
            self._items.setdefault((tenant, item.customer_id), []).append(item)

    def add_items(self, tenant: str, items: Iterable[OpenItem]) -> None:
        for item in items:
            self.add_item(tenant, item)

    def add_order(self, tenant: str, order: OpenOrder) -> None:
        """Record an open order; the same order number again replaces it."""
        with self._lock:
            key = (tenant, order.entity, "order", order.number)
            previous = self._item_owner.get(key)
            if previous is not None:
                self._orders[(tenant, previous)] = [
                    o
                    for o in self._orders[(tenant, previous)]
                    if (o.entity, o.number) != (order.entity, order.number)
                ]
            self._item_owner[key] = order.customer_id
            self._orders.setdefault((tenant, order.customer_id), []).append(order)

    def add_orders(self, tenant: str, orders: Iterable[OpenOrder]) -> None:
        for order in orders:
            self.add_order(tenant, order)

    def item(self, tenant: str, entity: str, kind: ItemKind, number: str) -> OpenItem | None:
        owner = self._item_owner.get((tenant, entity, kind, number))
        if owner is None:
            return None
        return next(
            (
                i
                for i in self._items.get((tenant, owner), [])
                if (i.entity, i.kind, i.number) == (entity, kind, number)
            ),
            None,
        )

    def items(self, tenant: str, customer_id: str) -> list[OpenItem]:
        return list(self._items.get((tenant, customer_id), []))

    def orders(self, tenant: str, customer_id: str) -> list[OpenOrder]:
        return list(self._orders.get((tenant, customer_id), []))

    def _replace(self, tenant: str, item: OpenItem) -> None:
        kept = self._items[(tenant, item.customer_id)]
        key = (item.entity, item.kind, item.number)
        self._items[(tenant, item.customer_id)] = [
            item if (i.entity, i.kind, i.number) == key else i for i in kept
        ]

    def apply(self, tenant: str, application: Application) -> None:
        with self._lock:
            a = application
            invoice = self.item(tenant, a.entity, "invoice", a.invoice_number)
            credit = self.item(tenant, a.entity, a.credit_kind, a.credit_number)
            if invoice is None or credit is None or min(invoice.balance, credit.balance) < a.amount:
                raise BusinessRuleViolation("over_application", f"{a.amount} is more than is open")
            self._replace(tenant, evolve(invoice, balance=invoice.balance - a.amount))
            self._replace(tenant, evolve(credit, balance=credit.balance - a.amount))
            self._applications.setdefault((tenant, a.customer_id), []).append(a)

    def reverse(self, tenant: str, entity: str, kind: ItemKind, number: str, on: date) -> OpenItem:
        with self._lock:
            item = self.item(tenant, entity, kind, number)
            if item is None or item.reversed_on is not None or item.balance != item.amount:
                raise Conflict(f"{number} was applied or reversed meanwhile")
            reversed_item = evolve(item, balance=Decimal(0), reversed_on=on)
            self._replace(tenant, reversed_item)
            return reversed_item

    def applied_after(
        self, tenant: str, customer_id: str, after: date
    ) -> dict[tuple[str, str, str], Decimal]:
        applied: dict[tuple[str, str, str], Decimal] = {}
        for a in self._applications.get((tenant, customer_id), []):
            if a.applied_on > after:
                for key in (
                    (a.entity, "invoice", a.invoice_number),
                    (a.entity, a.credit_kind, a.credit_number),
                ):
                    applied[key] = applied.get(key, Decimal(0)) + a.amount
        return applied

    def aging(self, tenant: str, query: AgingQuery) -> AgingRows:
        """The aging page, worked out from the kept items (``aging.age_items``)."""
        lookup = self._customers
        candidates = []
        for (held_by, customer_id), items in list(self._items.items()):
            customer = lookup(tenant, customer_id) if lookup is not None else None
            if held_by != tenant or customer is None or not _in_query(customer, query):
                continue
            if any(i.document_date <= query.as_of and (query.entity in (None, i.entity)) for i in items):
                candidates.append(customer)
        candidates.sort(key=lambda c: c.code)
        page = candidates[: query.limit]
        rows = []
        for customer in page:
            applied = self.applied_after(tenant, customer.id, query.as_of)
            items = [i for i in self._items[(tenant, customer.id)] if query.entity in (None, i.entity)]
            for (entity, currency), buckets in sorted(age_items(items, query.as_of, applied).items()):
                view = effective_view(customer, entity).customer
                rows.append(
                    AgingRow(
                        customer_id=customer.id,
                        code=customer.code,
                        name=customer.name,
                        entity=entity,
                        currency=currency,
                        customer_currency=view.currency,
                        buckets=buckets,
                    )
                )
        more = len(candidates) > query.limit
        return AgingRows(rows=tuple(rows), next_after=page[-1].code if more and page else None)

    def has_open_items(self, tenant: str, customer_id: str) -> bool:
        key = (tenant, customer_id)
        return any(i.balance != 0 for i in self._items.get(key, [])) or bool(self._orders.get(key))

    def move(self, tenant: str, source_id: str, target_id: str) -> None:
        """Move a merged-away customer's items and orders to the target (R-8.2)."""
        with self._lock:
            for store in (self._items, self._orders, self._applications):
                moved = [evolve(x, customer_id=target_id) for x in store.pop((tenant, source_id), [])]
                store.setdefault((tenant, target_id), []).extend(moved)  # type: ignore[attr-defined]
            for key, owner in self._item_owner.items():
                if key[0] == tenant and owner == source_id:
                    self._item_owner[key] = target_id

    def position(
        self,
        tenant: str,
        customer_id: str,
        entity: str,
        currency: str,
        *,
        rates: ExchangeRates | None = None,
        on: date | None = None,
    ) -> ReceivablesPosition:
        items = [
            i for i in self._items.get((tenant, customer_id), []) if i.entity == entity and i.balance != 0
        ]
        orders = [o for o in self._orders.get((tenant, customer_id), []) if o.entity == entity]
        invoices = [i for i in items if i.is_invoice]
        credits = [i for i in items if not i.is_invoice]
        due_dates = [i.due_date for i in invoices if i.balance > 0 and i.due_date is not None]
        rates, day = rates or self.rates, on or self.rate_date or date.today()

        def total(pairs: Iterable[tuple[Decimal, str]]) -> Decimal:
            return sum(
                (_in_currency(amount, held, currency, rates, day) for amount, held in pairs), Decimal(0)
            )

        return ReceivablesPosition(
            open_balance=total((i.balance, i.currency) for i in invoices),
            unapplied_credits=total((i.balance, i.currency) for i in credits),
            open_orders=total((o.amount, o.currency) for o in orders),
            oldest_due_date=min(due_dates, default=None),
        )


def _in_query(customer: Customer, query: AgingQuery) -> bool:
    """Does the customer pass the aging query's filters (and come after its page key)?"""
    if query.customer_id is not None and customer.id != query.customer_id:
        return False
    if query.after is not None and customer.code <= query.after:
        return False
    wanted = (
        (query.customer_group, customer.customer_group),
        (query.region, customer.region),
        (query.salesperson, customer.salesperson),
    )
    return all(want is None or want == held for want, held in wanted)


def _in_currency(amount: Decimal, held: str, wanted: str, rates: ExchangeRates | None, on: date) -> Decimal:
    rate = rates.rate(held, wanted, on) if rates is not None and held != wanted else None
    return converted(amount, held, wanted, rate)


class MemoryLastPrices:
    """Invoiced rates per customer and item, by date and currency (R-7.2)."""

    def __init__(self) -> None:
        self._prices: dict[tuple[str, str, str], dict[tuple[date, str], LastPrice]] = {}

    def last_prices(
        self, tenant: str, customer_id: str, item_code: str, *, on: date, currency: str
    ) -> list[LastPrice]:
        kept = self._prices.get((tenant, customer_id, item_code), {})
        found = []
        for price in sorted(kept.values(), key=lambda p: p.invoiced_on, reverse=True):
            if price.invoiced_on <= on:
                found.append(price)
                if price.currency == currency:
                    break
        return found

    def last_price(self, tenant: str, customer_id: str, item_code: str) -> LastPrice | None:
        """The newest rate in any currency."""
        kept = self._prices.get((tenant, customer_id, item_code), {})
        return max(kept.values(), key=lambda p: p.invoiced_on, default=None)

    def record(self, tenant: str, customer_id: str, item_code: str, price: LastPrice) -> None:
        self._prices.setdefault((tenant, customer_id, item_code), {})[(price.invoiced_on, price.currency)] = (
            price
        )


class MemoryLookups:
    """``Lookups``: what is committed, read without taking the storage lock."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def configuration(self, tenant: str) -> TenantConfiguration:
        return self._state.configs.get(tenant) or TenantConfiguration(tenant=tenant)

    def customer(self, tenant: str, customer_id: str) -> Customer | None:
        return self._state.customers.get((tenant, customer_id))


class MemoryStorage:
    """The in-memory storage adapter."""

    def __init__(self) -> None:
        self._state = _State()
        self._receivables = MemoryReceivables(lambda tenant, id_: self._state.customers.get((tenant, id_)))
        self._last_prices = MemoryLastPrices()
        self._lookups = MemoryLookups(self._state)

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self._state, self._receivables)

    @property
    def lookups(self) -> MemoryLookups:
        return self._lookups

    @property
    def receivables(self) -> MemoryReceivables:
        return self._receivables

    @property
    def last_prices(self) -> MemoryLastPrices:
        return self._last_prices

    def close(self) -> None:
        """Nothing to release."""


def open_storage(url: str) -> MemoryStorage:
    """Entry point for ``memory://`` URLs."""
    return MemoryStorage()


class MemoryDocumentStore:
    """``DocumentStore`` in memory, for ``memory://`` façades (tests, examples): the
    same contract as the filesystem store, kept per tenant under each digest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[tuple[str, str], bytes] = {}

    def put(self, tenant: str, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        with self._lock:
            self._documents[(tenant, digest)] = bytes(content)
        return digest

    def get(self, tenant: str, digest: str) -> bytes:
        try:
            return self._documents[(tenant, digest)]
        except KeyError:
            raise NotFound("document", digest) from None

    def delete(self, tenant: str, digest: str) -> None:
        with self._lock:
            self._documents.pop((tenant, digest), None)

    def digests(self, tenant: str) -> set[str]:
        """The digests kept for a tenant (for tests)."""
        return {d for t, d in self._documents if t == tenant}
