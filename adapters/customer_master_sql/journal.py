"""What is written alongside a change: the audit trail, notes and the outbox (R-11, R-15.2).

The audit trail is a hash chain per tenant (``customer_master.domain.audit.seal``):
``last`` takes the tenant's writer lock before reading the latest record, so two
writers cannot both chain onto it, and the primary key ``(tenant, sequence)`` would
refuse a fork anyway.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Text, cast, func, insert, or_, select, update

from customer_master.domain.audit import AuditRecord, ChainHead
from customer_master.domain.events import Backlog, Event
from customer_master.domain.timeline import Note
from customer_master_sql import mapping
from customer_master_sql.driver import insert_rows
from customer_master_sql.tables import audit_customers, audit_log, notes, outbox
from customer_master_sql.work import Work

_CHUNK = 500


class SqlAudit:
    """``AuditLog``: append-only, each tenant's records in sequence order."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def last(self, tenant: str) -> AuditRecord | None:
        self._work.writing(tenant)
        a = audit_log.c
        statement = select(audit_log).where(a.tenant == tenant).order_by(a.sequence.desc()).limit(1)
        row = self._conn.execute(statement).first()
        return None if row is None else mapping.audit_from(row._mapping)

    def head(self, tenant: str) -> ChainHead | None:
        self._work.writing(tenant)
        a = audit_log.c
        statement = select(a.sequence, a.hash).where(a.tenant == tenant).order_by(a.sequence.desc()).limit(1)
        row = self._conn.execute(statement).first()
        return None if row is None else ChainHead(row.sequence, row.hash)

    def append(self, record: AuditRecord) -> None:
        self._work.writing(record.tenant)
        self._conn.execute(insert(audit_log), [mapping.audit_row(record)])
        named = [
            {"tenant": record.tenant, "customer_id": customer_id, "sequence": record.sequence}
            for customer_id in dict.fromkeys(record.customer_ids)
        ]
        if named:
            self._conn.execute(insert(audit_customers), named)

    def append_many(self, records: Sequence[AuditRecord]) -> None:
        """``append`` for records chained one after the other: two ``executemany``."""
        if not records:
            return
        for tenant in dict.fromkeys(record.tenant for record in records):
            self._work.writing(tenant)
        insert_rows(self._conn, audit_log, [mapping.audit_row(record) for record in records])
        named = [
            {"tenant": record.tenant, "customer_id": customer_id, "sequence": record.sequence}
            for record in records
            for customer_id in dict.fromkeys(record.customer_ids)
        ]
        insert_rows(self._conn, audit_customers, named)

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[AuditRecord]:
        a, n = audit_log.c, audit_customers.c
        statement = (
            select(audit_log)
            .join(audit_customers, (n.tenant == a.tenant) & (n.sequence == a.sequence))
            .where(n.tenant == tenant, n.customer_id == customer_id)
            .order_by(a.sequence)
        )
        return [mapping.audit_from(row._mapping) for row in self._conn.execute(statement)]

    def for_tenant(self, tenant: str) -> Sequence[AuditRecord]:
        statement = select(audit_log).where(audit_log.c.tenant == tenant).order_by(audit_log.c.sequence)
        return [mapping.audit_from(row._mapping) for row in self._conn.execute(statement)]


class SqlNotes:
    """``NoteRepository``: internal notes, append-only, oldest first."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def add(self, note: Note) -> None:
        self._work.writing(note.tenant)
        self._conn.execute(insert(notes), [mapping.note_row(note)])

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Note]:
        n = notes.c
        statement = select(notes).where(n.tenant == tenant, n.customer_id == customer_id).order_by(n.row_id)
        return [mapping.note_from(row._mapping) for row in self._conn.execute(statement)]


class SqlOutbox:
    """``Outbox``: events written with the change; the relay reads them in order."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def add(self, event: Event) -> None:
        # Under the writer lock, a tenant's events get positions in commit order.
        self._work.writing(event.tenant)
        self._conn.execute(insert(outbox), [mapping.event_row(event)])
        self._work.own_events.add(event.id)

    def add_many(self, events: Sequence[Event]) -> None:
        """``add`` for many events, in order: one ``executemany`` (positions in order)."""
        if not events:
            return
        for tenant in dict.fromkeys(event.tenant for event in events):
            self._work.writing(tenant)
        insert_rows(self._conn, outbox, [mapping.event_row(event) for event in events])
        self._work.own_events.update(event.id for event in events)

    def pending(self, limit: int = 100) -> Sequence[Event]:
        # Events this unit of work wrote are not committed yet, so not pending.
        own = self._work.own_events
        o = outbox.c
        statement = select(outbox).where(o.relayed_at.is_(None)).order_by(o.position).limit(limit + len(own))
        events = [mapping.event_from(row._mapping) for row in self._conn.execute(statement)]
        return [event for event in events if event.id not in own][:limit]

    def mentioning(self, tenant: str, needles: Collection[str]) -> Sequence[Event]:
        """Found by the payload's JSON text (ids are plain hex, so LIKE finds exactly them)."""
        if not needles:
            return []
        o = outbox.c
        text = cast(o.payload, Text)
        statement = (
            select(outbox)
            .where(o.tenant == tenant, or_(*(text.like(f"%{needle}%") for needle in needles)))
            .order_by(o.position)
        )
        return [mapping.event_from(row._mapping) for row in self._conn.execute(statement)]

    def claim(self, relay: str, limit: int, *, now: datetime, until: datetime) -> Sequence[Event]:
        """``SharedOutbox.claim``: the first free pending rows, taken with ``FOR UPDATE SKIP
        LOCKED`` on PostgreSQL and MariaDB (SQLite has one writer at a time), each tenant
        cut at its first event held by someone else, then leased to ``relay``."""
        self._work.writing(None)
        o = outbox.c
        free = o.relayed_at.is_(None) & (
            o.claimed_by.is_(None) | (o.claimed_by == relay) | (o.claimed_until < now)
        )
        statement = select(outbox).where(free).order_by(o.position).limit(limit)
        if self._work.dialect != "sqlite":
            statement = statement.with_for_update(skip_locked=True)
        rows = [row._mapping for row in self._conn.execute(statement)]
        if not rows:
            return []
        taken = {row["position"] for row in rows}
        # Every pending event of these tenants up to the last one taken: one we did not
        # take (held by another relay, or locked by one claiming now) stops its tenant.
        earlier = (
            select(o.position, o.tenant)
            .where(
                o.relayed_at.is_(None),
                o.tenant.in_({row["tenant"] for row in rows}),
                o.position <= max(taken),
            )
            .order_by(o.position)
        )
        stopped: set[str] = set()
        kept: list[int] = []
        for position, tenant in self._conn.execute(earlier):
            if tenant in stopped:
                continue
            if position in taken:
                kept.append(position)
            else:
                stopped.add(tenant)
        for start in range(0, len(kept), _CHUNK):
            chosen = kept[start : start + _CHUNK]
            self._conn.execute(
                update(outbox).where(o.position.in_(chosen)).values(claimed_by=relay, claimed_until=until)
            )
        keep = set(kept)
        return [mapping.event_from(row) for row in rows if row["position"] in keep]

    def release(self, relay: str) -> None:
        self._work.writing(None)
        o = outbox.c
        self._conn.execute(
            update(outbox)
            .where(o.claimed_by == relay, o.relayed_at.is_(None))
            .values(claimed_by=None, claimed_until=None)
        )

    def backlog(self) -> Sequence[Backlog]:
        o = outbox.c
        statement = (
            select(o.tenant, func.count(), func.min(o.occurred_at))
            .where(o.relayed_at.is_(None))
            .group_by(o.tenant)
            .order_by(o.tenant)
        )
        return [
            Backlog(tenant=tenant, pending=int(count), oldest=oldest)
            for tenant, count, oldest in self._conn.execute(statement)
        ]

    def mark_relayed(self, event_ids: Iterable[str]) -> None:
        ids = list(event_ids)
        self._work.writing(None)
        now = datetime.now(UTC)
        for start in range(0, len(ids), _CHUNK):
            chosen = ids[start : start + _CHUNK]
            self._conn.execute(update(outbox).where(outbox.c.id.in_(chosen)).values(relayed_at=now))
