"""The audit trail, its verification, the customer timeline and internal notes
(SPEC R-11). Reading the trail needs the ``audit.read`` permission; the timeline and
notes belong to whoever may read the customer. A reader without ``view_sensitive`` sees
bank numbers and credit figures in the trail and the timeline masked (R-12.2); ``verify``
always walks the records as stored."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import evolve

from customer_master.actor import Actor
from customer_master.domain.audit import AuditRecord, ChainHead, ChainReport, customer_view, verify_chain
from customer_master.domain.checkpoint import Checkpoint, anchored, emptied
from customer_master.domain.masking import masked_data
from customer_master.domain.search import CustomerQuery
from customer_master.domain.timeline import Note, TimelineEntry, timeline
from customer_master.errors import FieldError, NotFound, ValidationFailed
from customer_master.services.base import ServiceContext


class AuditService:
    """The append-only trail, notes and the timeline that merges them."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def trail(self, actor: Actor, customer_id: str | None = None) -> Sequence[AuditRecord]:
        """The tenant's audit records (or one customer's: a bulk import's batch record
        narrowed to the customer's entry; ``NotFound`` for an id this tenant has neither
        a customer nor a record of), oldest first (R-11.1); masked for a reader
        without ``view_sensitive``, whose copy then no longer matches its hashes
        (``verify`` checks the stored records)."""
        records, sees_sensitive = self._records(actor, customer_id)
        if sees_sensitive:
            return records
        return [evolve(r, changes=masked_data(r.changes)) for r in records]

    def verify(self, actor: Actor, *, against: Checkpoint | None = None) -> ChainReport:
        """Walk the tenant's hash chain and report the first broken record (R-11.2); an
        empty trail while the tenant has customers is reported as emptied, and with
        ``against`` the trail must still reach the checkpoint's record with its hash
        (a cut tail, an emptied trail or a forged tail is reported)."""
        if against is not None and against.tenant != actor.tenant:
            message = f"the checkpoint was taken of tenant '{against.tenant}', not '{actor.tenant}'"
            raise ValidationFailed([FieldError("tenant", "other_tenant", message)])
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, "audit.read", uow.configuration.get(actor.tenant))
            records = uow.audit.for_tenant(actor.tenant)
            report = verify_chain(records)
            if against is not None:
                last = records[-1] if records else None
                head = ChainHead(last.sequence, last.hash) if last is not None else None
                seen = next((r.hash for r in records if r.sequence == against.sequence), None)
                report = anchored(report, against, head=head, at_sequence=seen)
            if not records:
                probe = uow.customers.list(actor.tenant, CustomerQuery(status="any", limit=1))
                report = emptied(report, bool(probe.items))
        return report

    def checkpoint(self, actor: Actor) -> Checkpoint:
        """The tenant's chain head now, sent as an ``audit_checkpoint`` event through the
        outbox (so a copy leaves the database) and returned for the caller to print and
        keep (R-11.2, decision 0024)."""
        with self._ctx.transaction(actor) as tx:
            self._ctx.require(actor, "audit.read", tx.uow.configuration.get(actor.tenant))
            head = tx.uow.audit.head(actor.tenant)
            taken = Checkpoint(
                tenant=actor.tenant,
                sequence=head.sequence if head else 0,
                hash=head.hash if head else "",
                taken_at=self._ctx.clock.now(),
            )
            data = taken.to_data()
            tx.emit("audit_checkpoint", {"checkpoint": data}, {"checkpoint": data})
        return taken

    def _records(self, actor: Actor, customer_id: str | None) -> tuple[Sequence[AuditRecord], bool]:
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "audit.read", config)
            sees_sensitive = self._ctx.can(actor, "view_sensitive", config)
            if customer_id is None:
                return uow.audit.for_tenant(actor.tenant), sees_sensitive
            records = uow.audit.for_customer(actor.tenant, customer_id)
            # A hard-deleted customer keeps its trail; an id with neither a
            # customer nor a record in this tenant is unknown here, whoever holds it.
            if not records and uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
            return [customer_view(record, customer_id) for record in records], sees_sensitive

    def add_note(self, actor: Actor, customer_id: str, text: str) -> Note:
        """Append an internal note; notes are never edited — a correction is a new note."""
        if not text.strip():
            raise ValidationFailed([FieldError("text", "blank", "a note needs some text")])
        if len(text) > 10_000:
            raise ValidationFailed([FieldError("text", "too_long", "must be at most 10000 characters")])
        with self._ctx.transaction(actor) as tx:
            self._ctx.require(actor, "customer.write", tx.uow.configuration.get(actor.tenant))
            if tx.uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
            note = Note(
                id=self._ctx.make_id(),
                tenant=actor.tenant,
                customer_id=customer_id,
                author=actor.user,
                at=self._ctx.clock.now(),
                text=text.strip(),
            )
            tx.uow.notes.add(note)
        return note

    def notes(self, actor: Actor, customer_id: str) -> Sequence[Note]:
        """The customer's notes, oldest first."""
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, "customer.read", uow.configuration.get(actor.tenant))
            notes = uow.notes.for_customer(actor.tenant, customer_id)
            if not notes and uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
            return notes

    def timeline(self, actor: Actor, customer_id: str) -> list[TimelineEntry]:
        """The customer's activity, newest first: changes, holds, approvals, notes (R-11.3)."""
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.read", config)
            if uow.customers.get(actor.tenant, customer_id) is None:
                raise NotFound("customer", customer_id)
            records = uow.audit.for_customer(actor.tenant, customer_id)
            entries = timeline(
                notes=uow.notes.for_customer(actor.tenant, customer_id),
                audit=[customer_view(record, customer_id) for record in records],
                requests=uow.change_requests.list(actor.tenant, customer_id=customer_id),
            )
        if self._ctx.can(actor, "view_sensitive", config):
            return entries
        return [evolve(e, details=masked_data(e.details)) for e in entries]
