"""Audit records: one per applied operation, with before and after values of everything
that changed, who submitted it and who approved each step (SPEC R-11.1). Records are
appended, never changed (R-11.2).

Each record is sealed with a SHA-256 hash over its canonical content and the hash of the
previous record of the same tenant, so any later edit breaks the chain and ``verify_chain``
finds the first broken record. Personal values (e-mails, phones, street lines, contact
and bank details, notes, an individual's name, a document's name) enter the content only as their own salted
hash, so an erasure (R-4.4) can blank a value and its salt while every link still holds.
A value whose salt is gone must be blank (``None``, ``""`` or ``ERASED``): otherwise
blanking a salt would let anyone rewrite the value unseen.

A bulk import seals one record per committed batch (R-11.1): operation ``import``, every
customer of the batch named, and the change set of each under its id (``bulk_changes``).
Each customer's entry is that customer's record for its timeline, its erasure and
``verify`` (``customer_view``).

>>> change_set({"name": "Old", "tags": []}, {"name": "New", "tags": []})
{'name': {'before': 'Old', 'after': 'New'}}
>>> from datetime import UTC, datetime
>>> at = datetime(2026, 1, 1, tzinfo=UTC)
>>> first = AuditRecord(id="a1", tenant="t", operation="create", customer_ids=("c1",), actor="ana",
...     occurred_at=at, changes={"email": {"before": None, "after": "x@y.com"}})
>>> r1 = seal(first, previous=None, salt=lambda: "s1")
>>> r2 = seal(AuditRecord(id="a2", tenant="t", operation="update", customer_ids=("c1",), actor="ana",
...     occurred_at=at), previous=r1, salt=lambda: "s2")
>>> verify_chain([r1, r2]).is_intact
True
>>> import attrs
>>> verify_chain([r1, attrs.evolve(r2, actor="mallory")]).first_broken
2
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeGuard

from attrs import evolve, field, frozen

from customer_master.domain.canonical import canonical_json
from customer_master.domain.serialize import changed_fields

# Top-level fields (and related-record lists) whose values are personal data.
PERSONAL_FIELDS = frozenset(
    {
        "email",
        "billing_email",
        "phone",
        "notes",
        "contacts",
        "addresses",
        "bank_accounts",
        "alternate_name",
        "legal_name",
        "name",
        "attachments",
    }
)


@frozen(kw_only=True)
class AuditRecord:
    """What was done, to which customers, by whom and when, with the change set
    ``{field: {"before": …, "after": …}}`` (related records compare as whole lists).

    ``channel`` names the door the operation came through (``http``, ``cli``, ``mcp``,
    ``python``; for an approved change request, the final approval's); records sealed
    before channels were kept have ``None``.
    ``personal`` maps each personal value's path (``changes.email.after``) to its salt and
    digest; ``sequence``, ``previous_hash`` and ``hash`` are set when the record is sealed.
    """

    id: str
    tenant: str
    operation: str
    customer_ids: tuple[str, ...]
    actor: str
    occurred_at: datetime
    changes: Mapping[str, Any] = field(factory=dict)
    approvals: tuple[Mapping[str, Any], ...] = ()
    correlation_id: str | None = None
    channel: str | None = None
    sequence: int = 0
    personal: Mapping[str, Mapping[str, str]] = field(factory=dict)
    previous_hash: str = ""
    hash: str = ""


# Fields that move on every change and say nothing about it; ``masked`` is a mark of
# the read models, never stored data.
_BOOKKEEPING = ("version", "updated_at", "created_at", "masked")

# What an erasure writes in place of a personal value whose salt it blanks.
ERASED = "[erased]"


def change_set(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fields that differ between two images of a customer (``None`` = absent)."""
    old = {k: v for k, v in (before or {}).items() if k not in _BOOKKEEPING}
    new = {k: v for k, v in (after or {}).items() if k not in _BOOKKEEPING}
    return changed_fields(old, new)


def value_digest(salt: str, value: object) -> str:
    """The salted hash that stands for a personal value in the chain."""
    return hashlib.sha256((salt + canonical_json(value)).encode()).hexdigest()


def personal_paths(changes: Mapping[str, Any]) -> list[str]:
    """Paths of the personal values in a change set (also inside a merge's nested sets)."""
    paths = []
    for name, change in changes.items():
        if not _is_mapping(change):
            continue
        if name in PERSONAL_FIELDS and ("before" in change or "after" in change):
            paths += [f"{name}.{side}" for side in ("before", "after") if change.get(side) is not None]
        elif "before" not in change and "after" not in change:
            paths += [f"{name}.{inner}" for inner in personal_paths(change)]
    return paths


@frozen
class ChainHead:
    """Where a tenant's chain ends: its latest record's sequence number and hash."""

    sequence: int
    hash: str


def seal(
    record: AuditRecord, *, previous: AuditRecord | ChainHead | None, salt: Callable[[], str]
) -> AuditRecord:
    """``record`` as the next link after ``previous`` (``None`` for the tenant's first):
    numbered, with a salted digest per personal value, chained and hashed."""
    personal = {}
    for path in personal_paths(record.changes):
        grain = salt()
        personal[path] = {"salt": grain, "digest": value_digest(grain, _at(record.changes, path))}
    linked = evolve(
        record,
        sequence=(previous.sequence if previous else 0) + 1,
        previous_hash=previous.hash if previous else "",
        personal=personal,
    )
    return evolve(linked, hash=record_hash(linked))


def record_hash(record: AuditRecord) -> str:
    """SHA-256 over the canonical content, personal values replaced by their digests."""
    changes = _copied_along(record.changes, record.personal)
    for path, proof in record.personal.items():
        _put(changes, path, {"digest": proof.get("digest")})
    content = {
        "id": record.id,
        "tenant": record.tenant,
        "operation": record.operation,
        "customer_ids": list(record.customer_ids),
        "actor": record.actor,
        "occurred_at": record.occurred_at.isoformat(),
        "changes": changes,
        "approvals": [dict(a) for a in record.approvals],
        "correlation_id": record.correlation_id,
        "sequence": record.sequence,
        "previous_hash": record.previous_hash,
    }
    if record.channel is not None:  # records sealed before channels were kept hash as they did
        content["channel"] = record.channel
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


# The operation of a record sealed for a batch of a bulk import.
BULK = "import"


def bulk_changes(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The changes of a batch's record: each customer's change set under its id.

    >>> bulk_changes({"c1": {"name": {"before": "A", "after": "B"}}, "c2": {}})
    {'c1': {'name': {'before': 'A', 'after': 'B'}}}
    """
    return {customer_id: dict(changes) for customer_id, changes in entries.items() if changes}


def customer_view(record: AuditRecord, customer_id: str) -> AuditRecord:
    """``record`` as one customer's record: a batch's record (``BULK``) narrowed to the
    customer's entry — a ``create`` when the entry gives the customer its code, else an
    ``update`` — any other record as it is. The view no longer matches the record's hash
    (``verify`` reads records as stored).

    >>> from datetime import UTC, datetime
    >>> entries = {"c1": {"code": {"before": None, "after": "CUS-1"}},
    ...            "c2": {"name": {"before": "A", "after": "B"}}}
    >>> batch = AuditRecord(id="a1", tenant="t", operation=BULK, customer_ids=("c1", "c2"),
    ...     actor="ana", occurred_at=datetime(2026, 1, 1, tzinfo=UTC), changes=bulk_changes(entries))
    >>> views = [customer_view(batch, "c1"), customer_view(batch, "c2")]
    >>> [(v.operation, v.customer_ids, list(v.changes)) for v in views]
    [('create', ('c1',), ['code']), ('update', ('c2',), ['name'])]
    """
    if record.operation != BULK or customer_id not in record.changes:
        return record
    entry = record.changes[customer_id]
    code = entry.get("code")
    created = isinstance(code, Mapping) and code.get("before") is None
    personal = {
        path.partition(".")[2]: proof
        for path, proof in record.personal.items()
        if path.partition(".")[0] == customer_id
    }
    return evolve(
        record,
        operation="create" if created else "update",
        customer_ids=(customer_id,),
        changes=entry,
        personal=personal,
    )


@frozen
class ChainReport:
    """The result of walking a tenant's chain: how many records were checked and the
    sequence number of the first broken one (``None`` when intact), with why. When a
    record is missing, the first broken sequence number is the missing one's."""

    checked: int
    first_broken: int | None = None
    reason: str | None = None

    @property
    def is_intact(self) -> bool:
        return self.first_broken is None


def verify_chain(records: Iterable[AuditRecord]) -> ChainReport:
    """Walk records in sequence order and report the first that does not hold (R-11.2)."""
    previous: AuditRecord | None = None
    checked = 0
    for record in records:
        checked += 1
        problem = _problem(record, previous)
        if problem is not None:
            return ChainReport(checked, (previous.sequence if previous else 0) + 1, problem)
        previous = record
    return ChainReport(checked)


def _problem(record: AuditRecord, previous: AuditRecord | None) -> str | None:
    expected_sequence = (previous.sequence if previous else 0) + 1
    if record.sequence != expected_sequence:
        return f"sequence {record.sequence} where {expected_sequence} was expected (a record is missing)"
    if record.previous_hash != (previous.hash if previous else ""):
        return "does not link to the record before it"
    for path, proof in record.personal.items():
        if not isinstance(_at(record.changes, path.rpartition(".")[0]), Mapping):
            return f"personal value {path} is not part of the record"
        value = _at(record.changes, path)
        if not proof.get("salt"):
            if value not in (None, "", ERASED):
                return f"personal value {path} was altered (its salt is gone but a value remains)"
        elif value is not None and value_digest(proof["salt"], value) != proof.get("digest"):
            return f"personal value {path} was altered"
    if record_hash(record) != record.hash:
        return "its content does not match its hash"
    return None


def _copied_along(changes: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """``changes`` with the mappings on ``paths`` copied (each once), so ``_put`` can
    replace values without touching the record (the rest is shared: it is only read, to
    be encoded)."""
    copy = dict(changes)
    copied: set[tuple[str, ...]] = set()
    for path in paths:
        node = copy
        parts = path.split(".")[:-1]
        for depth, part in enumerate(parts):
            inner = node.get(part)
            if not _is_mapping(inner):
                break
            key = tuple(parts[: depth + 1])
            if key not in copied:
                node[part] = dict(inner)
                copied.add(key)
            node = node[part]
    return copy


def _is_mapping(value: object) -> TypeGuard[Mapping[str, Any]]:
    """``isinstance(value, Mapping)``, answered at once for the plain dicts records hold
    (the abstract check costs more than everything else a seal does per value)."""
    return type(value) is dict or isinstance(value, Mapping)


def _at(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if _is_mapping(node) else None
    return node


def _put(data: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
