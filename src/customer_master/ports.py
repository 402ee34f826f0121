"""Ports: the interfaces the core needs from the world outside (DESIGN.md).

Each is a ``typing.Protocol``; adapters (in-memory, SQL, host code) implement them. The
core never imports an adapter. Storage ports are reached through a ``UnitOfWork``: all
writes of one operation go through one unit of work and become visible together on
``commit()``, or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self, runtime_checkable

from attrs import frozen

from customer_master.domain.aging import AgingQuery, AgingRows
from customer_master.domain.apikeys import ApiKey
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.attachments import Attachment
from customer_master.domain.audit import AuditRecord, ChainHead
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master.domain.erasure import ErasurePlan
from customer_master.domain.events import Backlog, Event
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import Application, ItemKind, OpenItem, OpenOrder
from customer_master.domain.search import CustomerQuery, Page
from customer_master.domain.statements import Statement
from customer_master.domain.timeline import Note

if TYPE_CHECKING:
    from customer_master.actor import Actor

# ---------------------------------------------------------------------------
# Storage: repositories inside a unit of work
# ---------------------------------------------------------------------------


class CustomerRepository(Protocol):
    """Customers of every tenant; every method is scoped by ``tenant`` (R-12.1)."""

    def add(self, customer: Customer) -> None:
        """Store a new customer. Raises ``Conflict`` if its code is taken in the tenant."""

    def get(self, tenant: str, customer_id: str) -> Customer | None:
        """The customer with this id in this tenant, active or not; ``None`` if absent."""

    def get_by_code(self, tenant: str, code: str) -> Customer | None:
        """The customer with this code (exact, upper case) in this tenant, or ``None``."""

    def update(self, customer: Customer, *, expected_version: int) -> Customer:
        """Replace the stored customer if its version is still ``expected_version``; store
        it with version ``expected_version + 1`` and return what was stored. Raises
        ``Conflict`` (with the current version) otherwise, changing nothing (R-1.9)."""

    def remove(self, tenant: str, customer_id: str) -> None:
        """Delete the customer and all its related records for good (R-4.2)."""

    def find_by_tax_id(self, tenant: str, number: str) -> Sequence[Customer]:
        """Active customers holding the compacted tax id ``number`` (any scheme)."""

    def find_by_external_ref(self, tenant: str, system: str, ref: str) -> Customer | None:
        """The customer holding external reference ``(system, ref)``, active or not."""

    def find_by_email(self, tenant: str, email: str) -> Sequence[Customer]:
        """Active customers whose e-mail equals ``email`` ignoring case."""

    def similar_name_candidates(self, tenant: str, name: str) -> Iterable[tuple[str, str]]:
        """``(code, name)`` of active customers whose names might resemble ``name``; the
        core scores them. An adapter may pre-filter with an index (trigrams)."""

    def list(self, tenant: str, query: CustomerQuery) -> Page:
        """One page of customers matching ``query`` in keyset order (R-14.1)."""

    def count_using(
        self, tenant: str, *, payment_terms: str | None = None, price_list: str | None = None
    ) -> int:
        """How many customers (master or override) refer to these payment terms or price list."""


class ConfigurationRepository(Protocol):
    """Tenant configuration, one value per tenant."""

    def get(self, tenant: str) -> TenantConfiguration:
        """The tenant's configuration; an empty one (version 0) if never saved."""

    def save(self, config: TenantConfiguration, *, expected_version: int) -> None:
        """Replace the configuration if its stored version is ``expected_version``;
        raises ``Conflict`` otherwise."""


class AuditLog(Protocol):
    """The append-only audit trail (R-11). There is no update and no delete."""

    def last(self, tenant: str) -> AuditRecord | None:
        """The tenant's latest record, locked until the unit of work ends so that
        concurrent writers cannot both chain onto it (no fork in the chain)."""

    def head(self, tenant: str) -> ChainHead | None:
        """Where the tenant's chain ends (its latest record's sequence and hash), locked as
        ``last`` locks it: all a new record needs to chain on, without reading the record
        (a bulk import's batch record is large)."""

    def append(self, record: AuditRecord) -> None:
        """Add a sealed record at the end of its tenant's trail."""

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[AuditRecord]:
        """Records naming this customer, oldest first."""

    def for_tenant(self, tenant: str) -> Sequence[AuditRecord]:
        """The tenant's whole trail, oldest first."""


class Outbox(Protocol):
    """Events waiting to be relayed to a broker, written with the change (R-15.2)."""

    def add(self, event: Event) -> None:
        """Store an event in this unit of work."""

    def pending(self, limit: int = 100) -> Sequence[Event]:
        """Events not yet marked relayed, in commit order."""

    def mark_relayed(self, event_ids: Iterable[str]) -> None:
        """Mark events as delivered to the broker."""

    def mentioning(self, tenant: str, needles: Collection[str]) -> Sequence[Event]:
        """The tenant's events, relayed or not, whose payload holds any of ``needles``
        (customer and change-request ids) as a string, in commit order: what an erasure
        scrubs (R-4.4)."""


class ChangeRequestRepository(Protocol):
    """Change requests waiting for approval or decided (R-10.2)."""

    def add(self, request: ChangeRequest) -> None:
        """Store a new change request."""

    def get(self, tenant: str, request_id: str) -> ChangeRequest | None:
        """The request with this id in this tenant."""

    def save(self, request: ChangeRequest, *, expected_approvals: int) -> None:
        """Replace the stored request if it still has ``expected_approvals`` decisions;
        raises ``Conflict`` otherwise (two approvers deciding the same step at once)."""

    def list(
        self, tenant: str, *, state: str | None = None, customer_id: str | None = None
    ) -> Sequence[ChangeRequest]:
        """The tenant's requests, newest first, filtered by state and customer."""


class NoteRepository(Protocol):
    """Internal notes, append-only (R-11.3)."""

    def add(self, note: Note) -> None:
        """Store a note."""

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Note]:
        """The customer's notes, oldest first."""


class AttachmentRepository(Protocol):
    """The metadata of documents kept with customers (R-16.6); the bytes are in the
    ``DocumentStore``. Every method is scoped by ``tenant``."""

    def add(self, attachment: Attachment) -> None:
        """Store a new attachment's metadata."""

    def get(self, tenant: str, attachment_id: str) -> Attachment | None:
        """The attachment with this id in this tenant, or ``None``."""

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Attachment]:
        """The customer's attachments, oldest first."""

    def remove(self, tenant: str, attachment_id: str) -> None:
        """Forget an attachment (its bytes are the document store's to delete)."""

    def uses_digest(self, tenant: str, digest: str) -> bool:
        """Does any attachment of the tenant still keep the bytes with this digest?"""


class Erasure(Protocol):
    """The one way past the append-only audit trail and notes (R-4.4, R-11.2)."""

    def apply(self, plan: ErasurePlan) -> None:
        """Write an erasure in this unit of work: replace each audit record of the plan by
        its erased copy (same id, sequence and hash; only blanked personal values and
        salts differ — anything else raises ``ValueError``), set the text of the plan's
        notes to the placeholder, and replace the stored payloads of its change requests
        and outbox events."""


class CodeSequence(Protocol):
    """Per-tenant counters for customer codes (R-1.1)."""

    def next_value(self, tenant: str, name: str = "customer") -> int:
        """The next number of the counter, taken inside the unit of work: it is consumed
        only if the unit of work commits, so codes have no gaps and are never reused."""


class OpenItemsLedger(Protocol):
    """The open items the plugin keeps itself, as seen inside a unit of work."""

    def has_open_items(self, tenant: str, customer_id: str) -> bool:
        """Does the customer have any open item or open order?"""

    def move(self, tenant: str, source_id: str, target_id: str) -> None:
        """Move every open item and order of ``source_id`` to ``target_id`` (merge, R-8.2);
        applied with the unit of work's commit."""


class ApiKeyRepository(Protocol):
    """Stored API keys (digests only)."""

    def add(self, key: ApiKey) -> None:
        """Store a new key."""

    def get(self, key_id: str) -> ApiKey | None:
        """The key with this id, of any tenant (the caller checks the secret)."""

    def revoke(self, key_id: str) -> None:
        """Mark the key revoked; it no longer authenticates."""

    def for_tenant(self, tenant: str) -> Sequence[ApiKey]:
        """The tenant's keys."""


# ---------------------------------------------------------------------------
# Optional bulk methods: a storage adapter may offer them for imports
# ---------------------------------------------------------------------------

# A key that finds customers: ("code", "CUS-0001"), ("external_ref", "salesforce:001…"),
# ("tax_id", compacted number), ("email", lower-case address).
CustomerKey = tuple[str, str]


@runtime_checkable
class BulkCustomers(Protocol):
    """What an import asks once per batch instead of once per row, when the customer
    repository offers it. Every answer includes the unit of work's own writes."""

    def holders_of_keys(
        self, tenant: str, keys: Collection[CustomerKey]
    ) -> Mapping[CustomerKey, Sequence[str]]:
        """For each key, the ids of the customers holding it, exactly as ``get_by_code``,
        ``find_by_external_ref`` (any status), ``find_by_tax_id`` and ``find_by_email``
        (active customers) would find them; keys nobody holds may be left out."""

    def look_alike_counts(self, tenant: str, starts: Collection[str]) -> Mapping[str, int]:
        """For each word start (``search.word_starts``: a name word's first three
        letters), how many customers hold a name word beginning with it, counted up to
        one more than ``search.SIMILAR_CANDIDATES`` (an estimate: inactive customers may
        count); a start nobody
        holds may be left out. The similar-name check asks only the rarest starts'
        holders (``look_alike_holders``)."""

    def look_alike_holders(
        self, tenant: str, starts: Collection[str]
    ) -> Mapping[str, Sequence[tuple[str, str]]]:
        """``(code, name)`` of at most ``search.SIMILAR_CANDIDATES`` active customers holding a
        name word beginning with each start, as ``similar_name_candidates`` finds them."""

    def add_many(self, customers: Sequence[Customer]) -> None:
        """``add`` for many new customers at once; a code already taken in the tenant
        raises ``Conflict`` and nothing of the call is kept (the batch fails as a whole)."""


@runtime_checkable
class BulkAuditLog(Protocol):
    """An audit log that appends many sealed records at once."""

    def append_many(self, records: Sequence[AuditRecord]) -> None:
        """``append`` for records already chained one after the other, in order."""


@runtime_checkable
class BulkOutbox(Protocol):
    """An outbox that stores many events at once."""

    def add_many(self, events: Sequence[Event]) -> None:
        """``add`` for many events, in order."""


@runtime_checkable
class SharedOutbox(Protocol):
    """An outbox that several relays read at once (R-15.4, docs/decisions/0034). Each call
    runs in the unit of work; the claim holds once it commits."""

    def claim(self, relay: str, limit: int, *, now: datetime, until: datetime) -> Sequence[Event]:
        """Up to ``limit`` pending events for ``relay`` to send, in commit order, held for
        it until ``until`` (its lease). An event held by another relay whose lease has not
        ended at ``now`` is not handed out, nor is any later event of its tenant, so a
        tenant's events go out in order however many relays run. Events this relay
        already holds are handed out again (a relay restarted under its name resumes)."""

    def release(self, relay: str) -> None:
        """Give back every event ``relay`` holds and has not marked relayed."""

    def backlog(self) -> Sequence[Backlog]:
        """Each tenant with events not yet relayed: how many, and the oldest's time."""


class UnitOfWork(Protocol):
    """One atomic operation over storage. Leaving the ``with`` block without
    ``commit()`` (or with an exception) rolls everything back."""

    customers: CustomerRepository
    configuration: ConfigurationRepository
    audit: AuditLog
    outbox: Outbox
    codes: CodeSequence
    open_items: OpenItemsLedger
    api_keys: ApiKeyRepository
    change_requests: ChangeRequestRepository
    notes: NoteRepository
    attachments: AttachmentRepository
    erasure: Erasure

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every write of this unit of work durable and visible at once."""

    def rollback(self) -> None:
        """Discard every write of this unit of work."""


# ---------------------------------------------------------------------------
# Transactional facts the core asks for but does not own
# ---------------------------------------------------------------------------


@frozen(kw_only=True)
class ReceivablesPosition:
    """What a customer owes an entity, in the customer's currency (R-5.1)."""

    open_balance: Decimal
    unapplied_credits: Decimal
    open_orders: Decimal
    oldest_due_date: date | None

    @property
    def receivables(self) -> Decimal:
        """Open invoice balances less unapplied credits."""
        return self.open_balance - self.unapplied_credits


class Receivables(Protocol):
    """Open items per customer and entity, kept by the plugin or read from the host."""

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
        """Balances and the oldest due date of unpaid invoices, converted to ``currency``
        with ``rates`` as of ``on`` (``domain.money.converted``). Raises
        ``BusinessRuleViolation("currency_not_convertible", …)`` when an item's currency
        cannot be converted."""


class ReceivablesLedger(Receivables, Protocol):
    """The open items a storage keeps itself (R-13.1): what hosts feed, what the aging and
    statements read. Documents are keyed by tenant, entity, kind and number."""

    def add_items(self, tenant: str, items: Iterable[OpenItem]) -> None:
        """Store documents; one sent again (entity, kind, number) replaces the stored one."""

    def add_orders(self, tenant: str, orders: Iterable[OpenOrder]) -> None:
        """Store open orders; the same order number again replaces the stored one."""

    def item(self, tenant: str, entity: str, kind: ItemKind, number: str) -> OpenItem | None:
        """The stored document, or ``None``."""

    def items(self, tenant: str, customer_id: str) -> Sequence[OpenItem]:
        """The customer's documents (open, settled and reversed), in the order fed."""

    def orders(self, tenant: str, customer_id: str) -> Sequence[OpenOrder]:
        """The customer's open orders."""

    def apply(self, tenant: str, application: Application) -> None:
        """Take ``application.amount`` off the invoice's and the credit's balance at once
        and keep the application; raises ``BusinessRuleViolation("over_application")``
        and changes nothing when either balance is smaller than the amount."""

    def reverse(self, tenant: str, entity: str, kind: ItemKind, number: str, on: date) -> OpenItem:
        """Mark a document nothing was applied to as reversed on ``on`` (balance 0);
        raises ``Conflict`` when it was applied or reversed meanwhile."""

    def applied_after(
        self, tenant: str, customer_id: str, after: date
    ) -> Mapping[tuple[str, str, str], Decimal]:
        """What was applied after ``after`` to each of the customer's documents, by
        ``(entity, kind, number)`` (``aging.balance_as_of``)."""

    def aging(self, tenant: str, query: AgingQuery) -> AgingRows:
        """One page of the aging (R-13.2): the buckets of each customer (with open items
        as of ``query.as_of``), entity and document currency; one statement on SQL."""


class LastPrices(Protocol):
    """The customer's invoiced rates per item (R-7.2): a host may answer it itself
    (``CustomerMaster.from_url(..., last_prices=...)``)."""

    def last_prices(
        self, tenant: str, customer_id: str, item_code: str, *, on: date, currency: str
    ) -> Sequence[LastPrice]:
        """The customer's sales-invoice rates for the item dated on or before ``on``,
        newest first, down to the newest one in ``currency`` (those before it are in
        other currencies, and price resolution names them as passed over); empty when
        there is none. Raise on failure: pricing does not guess a price."""


class LastPriceStore(LastPrices, Protocol):
    """Invoiced rates kept by the storage, fed by hosts (``pricing.record_invoiced_rate``)."""

    def record(self, tenant: str, customer_id: str, item_code: str, price: LastPrice) -> None:
        """Remember an invoiced rate; one of the same day and currency replaces it."""


class ExchangeRates(Protocol):
    """Currency conversion for credit exposure."""

    def rate(self, from_currency: str, to_currency: str, on: date) -> Decimal | None:
        """How many units of ``to_currency`` one unit of ``from_currency`` buys on ``on``;
        ``None`` when no rate is known (the caller refuses clearly)."""


class Clock(Protocol):
    """The time. Services never read the system clock themselves."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""

    def today(self, time_zone: str = "UTC") -> date:
        """Today's date in ``time_zone`` (the tenant's)."""


class Mailer(Protocol):
    """Outgoing mail (statements)."""

    def send(
        self, *, to: str, subject: str, body: str, attachments: Sequence[tuple[str, bytes]] = ()
    ) -> None:
        """Send one message; raise on failure so the caller can record it."""


class DocumentStore(Protocol):
    """Where the bytes of attachments are kept (R-16.6): a place per tenant, each
    document under the SHA-256 digest of its bytes (the same bytes are kept once)."""

    def put(self, tenant: str, content: bytes) -> str:
        """Keep ``content`` and return its digest (hex SHA-256). Written atomically: a
        reader sees the whole document or none; keeping bytes already kept is a no-op."""

    def get(self, tenant: str, digest: str) -> bytes:
        """The bytes kept under ``digest``; raises ``NotFound`` when there are none."""

    def delete(self, tenant: str, digest: str) -> None:
        """Forget the bytes kept under ``digest`` (nothing when there are none)."""


class ContentTypes(Protocol):
    """Recognises what a document is from its bytes (magic numbers), not its name."""

    def detect(self, content: bytes) -> str | None:
        """The MIME type the bytes show, or ``None`` when they show none known."""


class StatementRenderer(Protocol):
    """Turns a statement of account into a document (PDF, XLSX): an adapter's job."""

    content_type: str
    extension: str

    def render(self, statement: Statement) -> bytes:
        """The document's bytes."""


class ReceivablesFeed(Protocol):
    """What a host feeds the plugin in-process (R-13.1): the façade's ``receivables``
    service answers it, checking the actor's permission; the HTTP feed calls it. Amounts
    are exact numbers (``int``, decimal string, ``Decimal``), never ``float`` (R-7.3)."""

    def add_invoice(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        due_date: date | None,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post (or post again, replacing) an invoice; ``balance`` defaults to ``amount``."""

    def add_credit_note(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post a credit note; ``balance`` is what is not yet applied (default: all)."""

    def add_payment(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post a payment received; ``balance`` is what is not yet applied (default: all)."""

    def add_open_order(
        self, actor: Actor, customer_id: str, *, number: str, entity: str, amount: object, currency: str
    ) -> OpenOrder:
        """Post an open (not yet invoiced) sales order."""

    def apply(
        self,
        actor: Actor,
        *,
        entity: str,
        credit_kind: str,
        credit_number: str,
        invoice_number: str,
        amount: object,
        on: date | None = None,
    ) -> Application:
        """Apply a payment or credit note to an invoice of the same customer."""

    def reverse(
        self, actor: Actor, *, entity: str, kind: str, number: str, on: date | None = None
    ) -> OpenItem:
        """Reverse a document entered in error (nothing applied to it)."""


class Lookups(Protocol):
    """Reads of committed state outside any unit of work, for the rule hot paths
    (credit checks, price resolution): each answer is current when it is read, and two
    answers may come from different moments, as under READ COMMITTED."""

    def configuration(self, tenant: str) -> TenantConfiguration:
        """The tenant's configuration (an empty one when the tenant has none)."""

    def customer(self, tenant: str, customer_id: str) -> Customer | None:
        """The stored customer, or ``None``."""


class Storage(Protocol):
    """What a storage adapter gives the façade: units of work and the stores of
    transactional facts it keeps itself."""

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work."""

    @property
    def lookups(self) -> Lookups: ...

    @property
    def receivables(self) -> ReceivablesLedger: ...

    @property
    def last_prices(self) -> LastPriceStore: ...

    def close(self) -> None:
        """Release connections."""
