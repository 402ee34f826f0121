"""Audit records: one per applied operation, with before and after values of everything
that changed (SPEC R-11.1). Records are appended, never changed.

>>> change_set({"name": "Old", "tags": []}, {"name": "New", "tags": []})
{'name': {'before': 'Old', 'after': 'New'}}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import field, frozen

from customer_master.domain.serialize import changed_fields


@frozen(kw_only=True)
class AuditRecord:
    """What was done, to which customers, by whom and when, with the change set
    ``{field: {"before": …, "after": …}}`` (related records compare as whole lists)."""

    id: str
    tenant: str
    operation: str
    customer_ids: tuple[str, ...]
    actor: str
    occurred_at: datetime
    changes: Mapping[str, Any] = field(factory=dict)
    approvals: tuple[Mapping[str, Any], ...] = ()
    correlation_id: str | None = None
    sequence: int = 0


# Fields that move on every change and say nothing about it.
_BOOKKEEPING = ("version", "updated_at", "created_at")


def change_set(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fields that differ between two images of a customer (``None`` = absent)."""
    old = {k: v for k, v in (before or {}).items() if k not in _BOOKKEEPING}
    new = {k: v for k, v in (after or {}).items() if k not in _BOOKKEEPING}
    return changed_fields(old, new)
