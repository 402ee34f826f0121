"""One import batch as one unit of work that asks storage once per batch, not per row
(SPEC R-9.5, and the speed bulk imports need).

``BatchUnitOfWork`` wraps the batch's unit of work for the customer service, which runs
its usual checks row by row. Before the rows, the import hands it every key and name of
the batch (``prefetch``); the customer repository then answers the uniqueness and
duplicate look-ups (``get_by_code``, ``find_by_*``) and the similar-name candidates from
that one bulk answer plus what the batch itself wrote. New customers, audit records and
events are gathered and stored together (``flush``, before commit). All this only when
the storage offers the bulk methods (``ports.BulkCustomers``, ``BulkAuditLog``,
``BulkOutbox``); otherwise each call goes straight through, as it would without the
wrapper. The tenant's last audit record is read once per batch: the batch holds the
tenant's writer lock, so nobody else can append meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from types import TracebackType
from typing import Self

from customer_master.domain.audit import AuditRecord, ChainHead
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event
from customer_master.domain.search import (
    SIMILAR_CANDIDATES,
    CustomerQuery,
    Page,
    rarest_starts,
    word_starts,
)
from customer_master.domain.warnings import LookAlikes
from customer_master.errors import Conflict
from customer_master.ports import (
    ApiKeyRepository,
    AttachmentRepository,
    AuditLog,
    BulkAuditLog,
    BulkCustomers,
    BulkOutbox,
    ChangeRequestRepository,
    CodeSequence,
    ConfigurationRepository,
    CustomerKey,
    CustomerRepository,
    Erasure,
    NoteRepository,
    OpenItemsLedger,
    Outbox,
    UnitOfWork,
)

# How many generated codes a batch asks storage about at once (``expect_codes``).
CODES_AHEAD = 1000


def keys_held(customer: Customer) -> set[CustomerKey]:
    """The keys the repository's look-ups find ``customer`` by: its code and external
    references always, its tax ids and e-mail while it is active."""
    keys: set[CustomerKey] = {("code", customer.code)}
    keys.update(("external_ref", f"{r.system}:{r.ref}") for r in customer.external_refs)
    if customer.is_active:
        keys.update(("tax_id", t.number) for t in customer.tax_ids)
        if customer.email:
            keys.add(("email", customer.email.lower()))
    return keys


class BatchCustomers:
    """The customer repository of one batch (see the module docstring)."""

    def __init__(self, inner: CustomerRepository, tenant: str) -> None:
        self._inner = inner
        self._tenant = tenant
        self._bulk = inner if isinstance(inner, BulkCustomers) else None
        self._holders: dict[CustomerKey, Sequence[str]] = {}
        # Look-alike names in storage by word start: how many hold each, and the holders
        # of the starts the batch's names need (rarest first), their words sorted once.
        self._start_counts: dict[str, int] = {}
        self._look_alikes: dict[str, LookAlikes] = {}
        self._names: set[str] = set()
        self._written: dict[str, Customer] = {}  # what this batch wrote, latest value
        self._written_keys: dict[CustomerKey, set[str]] = {}
        # Active customers the batch wrote, by word start: {id: (code, name)}.
        self._written_starts: dict[str, dict[str, tuple[str, str]]] = {}
        self._written_alikes: dict[str, LookAlikes] = {}  # the same, as look-alikes
        self._removed: set[str] = set()
        self._pending: list[Customer] = []  # added, not yet stored
        self._loaded: dict[str, Customer | None] = {}

    @property
    def is_bulk(self) -> bool:
        return self._bulk is not None

    def prefetch(self, keys: Collection[CustomerKey], names: Collection[str]) -> None:
        """Ask storage once for every key and name the batch will look up: the holders of
        the keys, and for the names the holders of their rarest word starts."""
        if self._bulk is None:
            return
        found = self._bulk.holders_of_keys(self._tenant, keys)
        self._holders.update({key: tuple(found.get(key, ())) for key in keys})
        starts = {name: word_starts(name) for name in names}
        counts = self._bulk.look_alike_counts(self._tenant, set().union(*starts.values()))
        self._start_counts.update(counts)
        needed = {start for held in starts.values() for start in rarest_starts(held, counts)}
        holders = self._bulk.look_alike_holders(self._tenant, needed - self._look_alikes.keys())
        self._look_alikes.update({start: LookAlikes.of(pairs) for start, pairs in holders.items()})
        self._names.update(names)

    def expect_codes(self, codes: Iterable[str]) -> None:
        """Codes about to be drawn and checked (generated codes, in order): when the
        first of them is not known yet, ask storage for all of them at once, so that
        drawing a code does not cost a query a row."""
        wanted = iter(codes)
        first = next(wanted, None)
        if self._bulk is None or first is None or ("code", first) in self._holders:
            return
        keys: list[CustomerKey] = [
            ("code", code) for code in (first, *wanted) if ("code", code) not in self._holders
        ]
        found = self._bulk.holders_of_keys(self._tenant, keys)
        self._holders.update({key: tuple(found.get(key, ())) for key in keys})

    def flush(self) -> None:
        """Store the customers added since the last flush."""
        if self._pending:
            assert self._bulk is not None
            self._bulk.add_many(self._pending)
            self._pending = []

    # -- writes ---------------------------------------------------------------------

    def add(self, customer: Customer) -> None:
        if self._bulk is None:
            self._inner.add(customer)
        else:
            # A code the batch holds clashes now; one taken in storage (not asked here:
            # that would be a query a row) fails ``add_many`` with ``Conflict``, which
            # fails the batch just the same.
            key: CustomerKey = ("code", customer.code)
            held = key in self._holders or self._written_keys.get(key)
            if held and self.get_by_code(customer.tenant, customer.code) is not None:
                raise Conflict(f"customer code {customer.code} is already taken")
            self._pending.append(customer)
        self._wrote(customer.id, customer)

    def update(self, customer: Customer, *, expected_version: int) -> Customer:
        self.flush()
        stored = self._inner.update(customer, expected_version=expected_version)
        self._wrote(stored.id, stored)
        return stored

    def remove(self, tenant: str, customer_id: str) -> None:
        self.flush()
        self._inner.remove(tenant, customer_id)
        self._wrote(customer_id, None)

    def _wrote(self, customer_id: str, customer: Customer | None) -> None:
        """Keep the batch's writes indexed by the keys they hold now."""
        old = self._written.get(customer_id)
        for key in keys_held(old) if old is not None else ():
            self._written_keys[key].discard(customer_id)
        for start in word_starts(old.name) if old is not None else ():
            self._written_starts[start].pop(customer_id, None)
            self._written_alikes.pop(start, None)  # made again when next asked
        if customer is None:
            self._written.pop(customer_id, None)
            self._removed.add(customer_id)
            return
        self._written[customer_id] = customer
        for key in keys_held(customer):
            self._written_keys.setdefault(key, set()).add(customer_id)
        if customer.is_active:
            pair = (customer.code, customer.name)
            for start in word_starts(customer.name):
                self._written_starts.setdefault(start, {})[customer_id] = pair
                alikes = self._written_alikes.get(start)
                if alikes is not None:
                    alikes.append(pair)

    # -- reads ----------------------------------------------------------------------

    def get(self, tenant: str, customer_id: str) -> Customer | None:
        if customer_id in self._written:
            return self._written[customer_id]
        if customer_id not in self._loaded:
            self._loaded[customer_id] = self._inner.get(tenant, customer_id)
        return self._loaded[customer_id]

    def get_by_code(self, tenant: str, code: str) -> Customer | None:
        found = self._lookup(
            ("code", code), lambda: [c for c in [self._inner.get_by_code(tenant, code)] if c]
        )
        return found[0] if found else None

    def find_by_tax_id(self, tenant: str, number: str) -> Sequence[Customer]:
        return self._lookup(("tax_id", number), lambda: self._inner.find_by_tax_id(tenant, number))

    def find_by_external_ref(self, tenant: str, system: str, ref: str) -> Customer | None:
        found = self._lookup(
            ("external_ref", f"{system}:{ref}"),
            lambda: [c for c in [self._inner.find_by_external_ref(tenant, system, ref)] if c],
        )
        return found[0] if found else None

    def find_by_email(self, tenant: str, email: str) -> Sequence[Customer]:
        return self._lookup(("email", email.lower()), lambda: self._inner.find_by_email(tenant, email))

    def similar_name_candidates(self, tenant: str, name: str) -> Iterable[tuple[str, str]]:
        """Storage's look-alikes of ``name`` and the batch's own, taken as storage takes
        them (``search.rarest_starts``): the rarest word starts first, up to the bound."""
        if name not in self._names:
            return self._inner.similar_name_candidates(tenant, name)
        starts = word_starts(name)
        held = {s: self._start_counts.get(s, 0) + len(self._written_starts.get(s, ())) for s in starts}
        candidates = LookAlikes([], [], [])
        for start in rarest_starts(starts, held):
            part = self._look_alikes.get(start) or LookAlikes([], [], [])
            if self._written_starts.get(start):
                part = part + self._written_look_alikes(start)
            candidates = candidates + part[: SIMILAR_CANDIDATES - len(candidates)]
        return candidates

    def _written_look_alikes(self, start: str) -> LookAlikes:
        found = self._written_alikes.get(start)
        if found is None:
            found = self._written_alikes[start] = LookAlikes.of(self._written_starts[start].values())
        return found

    def list(self, tenant: str, query: CustomerQuery) -> Page:
        self.flush()
        return self._inner.list(tenant, query)

    def count_using(
        self, tenant: str, *, payment_terms: str | None = None, price_list: str | None = None
    ) -> int:
        self.flush()
        return self._inner.count_using(tenant, payment_terms=payment_terms, price_list=price_list)

    def _lookup(self, key: CustomerKey, direct: Callable[[], Iterable[Customer]]) -> Sequence[Customer]:
        """Holders of ``key``: from the prefetched ids and the batch's writes, or (not
        prefetched) straight from storage, which then sees the batch's writes itself."""
        if key in self._holders:
            stored = [c for i in self._holders[key] if (c := self.get(self._tenant, i)) is not None]
        else:
            # Asked once per batch: the import's duplicate check and the customer
            # service's uniqueness check look up the same keys.
            stored = list(direct())
            self._holders[key] = [c.id for c in stored]
            self._loaded.update({c.id: c for c in stored if c.id not in self._written})
        found = {c.id: c for c in stored if c.id not in self._written and c.id not in self._removed}
        found.update({i: self._written[i] for i in self._written_keys.get(key, ())})
        return sorted(found.values(), key=lambda c: c.code)


class BatchAudit:
    """The audit log of one batch: the chain's head read once, appends gathered."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner.audit
        self._bulk = self._inner if isinstance(self._inner, BulkAuditLog) else None
        self._heads: dict[str, ChainHead | None] = {}
        self._pending: list[AuditRecord] = []

    def last(self, tenant: str) -> AuditRecord | None:
        self.flush()
        return self._inner.last(tenant)

    def head(self, tenant: str) -> ChainHead | None:
        if tenant not in self._heads:
            self._heads[tenant] = self._inner.head(tenant)
        return self._heads[tenant]

    def append(self, record: AuditRecord) -> None:
        if self._bulk is None:
            self._inner.append(record)
        else:
            self._pending.append(record)
        self._heads[record.tenant] = ChainHead(record.sequence, record.hash)

    def flush(self) -> None:
        if self._pending:
            assert self._bulk is not None
            self._bulk.append_many(self._pending)
            self._pending = []

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[AuditRecord]:
        self.flush()
        return self._inner.for_customer(tenant, customer_id)

    def for_tenant(self, tenant: str) -> Sequence[AuditRecord]:
        self.flush()
        return self._inner.for_tenant(tenant)


class BatchOutbox:
    """The outbox of one batch: events gathered and stored together."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner.outbox
        self._bulk = self._inner if isinstance(self._inner, BulkOutbox) else None
        self._pending: list[Event] = []

    def add(self, event: Event) -> None:
        if self._bulk is None:
            self._inner.add(event)
        else:
            self._pending.append(event)

    def flush(self) -> None:
        if self._pending:
            assert self._bulk is not None
            self._bulk.add_many(self._pending)
            self._pending = []

    def pending(self, limit: int = 100) -> Sequence[Event]:
        self.flush()
        return self._inner.pending(limit)

    def mark_relayed(self, event_ids: Iterable[str]) -> None:
        self._inner.mark_relayed(event_ids)

    def mentioning(self, tenant: str, needles: Collection[str]) -> Sequence[Event]:
        self.flush()
        return self._inner.mentioning(tenant, needles)


class BatchUnitOfWork:
    """A unit of work that wraps the batch's own (``UnitOfWork`` port); ``flush`` before
    committing the inner one."""

    def __init__(self, inner: UnitOfWork, tenant: str) -> None:
        self.inner = inner
        self.batch_customers = BatchCustomers(inner.customers, tenant)
        self._audit = BatchAudit(inner)
        self._outbox = BatchOutbox(inner)
        self.customers: CustomerRepository = self.batch_customers
        self.audit: AuditLog = self._audit
        self.outbox: Outbox = self._outbox
        self.configuration: ConfigurationRepository = inner.configuration
        self.codes: CodeSequence = inner.codes
        self.open_items: OpenItemsLedger = inner.open_items
        self.api_keys: ApiKeyRepository = inner.api_keys
        self.change_requests: ChangeRequestRepository = inner.change_requests
        self.notes: NoteRepository = inner.notes
        self.attachments: AttachmentRepository = inner.attachments
        self.erasure: Erasure = inner.erasure

    def flush(self) -> None:
        """Store what the batch gathered: customers first, then their audit records and
        events (the order a row-by-row batch writes them in)."""
        self.batch_customers.flush()
        self._audit.flush()
        self._outbox.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def commit(self) -> None:
        self.flush()
        self.inner.commit()

    def rollback(self) -> None:
        self.inner.rollback()
