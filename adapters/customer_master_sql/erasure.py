"""Attachments and erasure on SQL (R-16.6, R-4.4; docs/decisions/0036, 0037).

``SqlErasure.apply`` is the one writer that passes the append-only guards: it names the
customer in ``cm_erasure_permits``, blanks what the plan says (each audit record only if
it differs from the stored one in nothing but blanked personal values and salts, checked
here and by the database's trigger), and deletes the permit again, all inside the unit of
work's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, exists, insert, select, update

from customer_master.domain.attachments import Attachment
from customer_master.domain.erasure import PLACEHOLDER, ErasurePlan, is_erasure_of
from customer_master_sql import mapping
from customer_master_sql.tables import (
    attachments,
    audit_log,
    change_requests,
    erasure_permits,
    notes,
    outbox,
)
from customer_master_sql.work import Work

_COLUMNS = ("id", "customer_id", "name", "content_type", "size", "digest", "uploaded_by", "uploaded_at")


def _row(attachment: Attachment) -> dict[str, Any]:
    return {"tenant": attachment.tenant, **{name: getattr(attachment, name) for name in _COLUMNS}}


def _attachment(row: Any) -> Attachment:
    return Attachment(tenant=row.tenant, **{name: getattr(row, name) for name in _COLUMNS})


class SqlAttachments:
    """``AttachmentRepository``: one ``cm_attachments`` row per document."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def add(self, attachment: Attachment) -> None:
        self._work.writing(attachment.tenant)
        self._conn.execute(insert(attachments), [_row(attachment)])

    def get(self, tenant: str, attachment_id: str) -> Attachment | None:
        a = attachments.c
        row = self._conn.execute(select(attachments).where(a.tenant == tenant, a.id == attachment_id)).first()
        return None if row is None else _attachment(row)

    def for_customer(self, tenant: str, customer_id: str) -> Sequence[Attachment]:
        a = attachments.c
        statement = (
            select(attachments)
            .where(a.tenant == tenant, a.customer_id == customer_id)
            .order_by(a.uploaded_at, a.id)
        )
        return [_attachment(row) for row in self._conn.execute(statement)]

    def remove(self, tenant: str, attachment_id: str) -> None:
        self._work.writing(tenant)
        a = attachments.c
        self._conn.execute(delete(attachments).where(a.tenant == tenant, a.id == attachment_id))

    def uses_digest(self, tenant: str, digest: str) -> bool:
        a = attachments.c
        return bool(
            self._conn.execute(select(exists().where(a.tenant == tenant, a.digest == digest))).scalar()
        )


class SqlErasure:
    """``Erasure``: the erasure's writes under a permit (see the module docstring)."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def apply(self, plan: ErasurePlan) -> None:
        tenant, conn = plan.tenant, self._conn
        self._work.writing(tenant)
        self._check(plan)
        permit = {"tenant": tenant, "customer_id": plan.customer_id}
        conn.execute(insert(erasure_permits), [permit])
        a, r, o = audit_log.c, change_requests.c, outbox.c
        # One statement each, executed for many rows (executemany).
        self._many(
            update(audit_log)
            .where(a.tenant == tenant, a.sequence == bindparam("k_sequence"), a.hash == bindparam("k_hash"))
            .values(changes=bindparam("k_changes"), personal=bindparam("k_personal")),
            [
                {"k_sequence": record.sequence, "k_hash": record.hash, "k_changes": row["changes"],
                 "k_personal": row["personal"]}
                for record, row in ((x, mapping.audit_row(x)) for x in plan.audit_records)
            ],
        )  # fmt: skip
        if plan.note_ids:
            n = notes.c
            conn.execute(
                update(notes).where(n.tenant == tenant, n.id.in_(plan.note_ids)).values(text=PLACEHOLDER)
            )
        self._many(
            update(change_requests)
            .where(r.tenant == tenant, r.id == bindparam("k_id"))
            .values(document=bindparam("k_document")),
            [{"k_id": x.id, "k_document": mapping.document_of(x)} for x in plan.change_requests],
        )
        self._many(
            update(outbox)
            .where(o.tenant == tenant, o.id == bindparam("k_id"))
            .values(payload=bindparam("k_payload")),
            [{"k_id": x.id, "k_payload": mapping.event_row(x)["payload"]} for x in plan.events],
        )
        p = erasure_permits.c
        conn.execute(delete(erasure_permits).where(p.tenant == tenant, p.customer_id == plan.customer_id))

    def _many(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._conn.execute(statement, rows)

    def _check(self, plan: ErasurePlan) -> None:
        """Refuse a plan whose audit records change more than personal values and salts."""
        if not plan.audit_records:
            return
        a = audit_log.c
        ids = [record.id for record in plan.audit_records]
        stored = {
            row.id: mapping.audit_from(row._mapping)
            for row in self._conn.execute(select(audit_log).where(a.tenant == plan.tenant, a.id.in_(ids)))
        }
        for record in plan.audit_records:
            if record.id not in stored or not is_erasure_of(stored[record.id], record):
                raise ValueError(f"audit record {record.id}: an erasure may only blank personal values")
