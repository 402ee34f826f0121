"""A customer's activity timeline and internal notes (SPEC R-11.3).

Notes are append-only like the audit trail: a correction is a new note. The timeline
merges audit records (changes, credit holds, merges), change requests (submitted,
approved, rejected) and notes, newest first.

>>> from datetime import UTC, datetime
>>> n = Note(id="n1", tenant="t", customer_id="c1", author="ana", at=datetime(2026, 1, 2, tzinfo=UTC),
...          text="Called about the overdue invoice")
>>> [e.kind for e in timeline(notes=[n], audit=[], requests=[])]
['note']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from attrs import field, frozen

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import AuditRecord


@frozen(kw_only=True)
class Note:
    """An internal note on a customer."""

    id: str
    tenant: str
    customer_id: str
    author: str
    at: datetime
    text: str


@frozen(kw_only=True)
class TimelineEntry:
    """One line of the timeline: when, what kind, who, a summary, and the details."""

    at: datetime
    kind: str
    actor: str
    summary: str
    details: Mapping[str, Any] = field(factory=dict)


_OPERATION_WORDS = {
    "create": "created the customer",
    "update": "changed",
    "deactivate": "deactivated the customer",
    "reactivate": "reactivated the customer",
    "merge": "merged customers",
    "hard_delete": "deleted the customer",
    "erase": "erased the customer's personal data",
    "attach": "attached a document",
    "detach": "removed a document",
    "credit_hold": "put the customer on credit hold",
    "credit_hold_release": "released the credit hold",
    "credit_release": "released a blocked document",
    "credit_release_used": "a released document passed its credit check",
    "enable_entity": "enabled the customer for an entity",
    "disable_entity": "disabled the customer for an entity",
    "statement_sent": "sent a statement of account",
}

_OPERATION_NOUNS = {
    "create": "new customer",
    "update": "change",
    "deactivate": "deactivation",
    "reactivate": "reactivation",
    "merge": "merge",
    "import": "import",
    "hard_delete": "deletion for good",
    "erase": "erasure of personal data",
    "credit_hold": "credit hold",
}

_ROLE_WORDS = {"ar_manager": "AR manager", "cfo": "CFO", "sales_admin": "sales admin"}


def role_words(role: str) -> str:
    """A role as people say it: ``ar_manager`` → ``AR manager``, ``controller`` → ``controller``."""
    return _ROLE_WORDS.get(role, role.replace("_", " "))


def _noun(operation: str) -> str:
    return _OPERATION_NOUNS.get(operation, operation.replace("_", " "))


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _document_name(changes: Mapping[str, Any]) -> str:
    """The name of the document an ``attach`` or ``detach`` record is about (after an
    erasure, the placeholder)."""
    change = changes.get("attachments")
    side = (change.get("after") or change.get("before")) if isinstance(change, Mapping) else None
    return str(side.get("name")) if isinstance(side, Mapping) else str(side)


def timeline(
    *, notes: Iterable[Note], audit: Iterable[AuditRecord], requests: Iterable[ChangeRequest]
) -> list[TimelineEntry]:
    """Every event of a customer's life, newest first."""
    entries = [TimelineEntry(at=n.at, kind="note", actor=n.author, summary=n.text) for n in notes]
    for record in audit:
        words = _OPERATION_WORDS.get(record.operation, record.operation)
        if record.operation == "update":
            words = f"changed {', '.join(sorted(record.changes))}"
        elif record.operation in ("attach", "detach"):
            words = f"{words} ({_document_name(record.changes)})"
        cloned_from = record.changes.get("cloned_from")
        if record.operation == "create" and isinstance(cloned_from, Mapping):
            words = f"created the customer as a clone of {cloned_from['after']['code']}"
        entries.append(
            TimelineEntry(
                at=record.occurred_at,
                kind=record.operation,
                actor=record.actor,
                summary=words,
                details={"changes": record.changes, "approvals": list(record.approvals)},
            )
        )
    for request in requests:
        entries.append(
            TimelineEntry(
                at=request.submitted_at,
                kind="change_request_submitted",
                actor=request.submitter,
                summary=f"submitted {_with_article(_noun(request.operation))} for {request.lane} approval",
            )
        )
        for approval in request.approvals:
            entries.append(
                TimelineEntry(
                    at=approval.at,
                    kind=f"change_request_{approval.decision}",
                    actor=approval.user,
                    summary=f"{approval.decision} step {approval.step + 1} as {role_words(approval.role)}"
                    + (f": {approval.comment}" if approval.comment else ""),
                )
            )
    return sorted(entries, key=lambda e: e.at, reverse=True)
