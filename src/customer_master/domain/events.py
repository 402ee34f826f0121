"""Events: what happened to customers, for host modules (SPEC R-15).

An event is written to the outbox in the same unit of work as the change, and handed
to the host's hook implementations only after that unit of work commits (R-15.2). Each
has a unique id; ``name`` is the hook it is delivered to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from attrs import field, frozen

EventName = Literal[
    "customer_created",
    "customer_updated",
    "customer_deactivated",
    "customer_reactivated",
    "customer_deleted",
    "customer_merged",
    "credit_hold_changed",
    "change_request_submitted",
    "change_request_approved",
    "change_request_rejected",
    "import_completed",
    "customer_erased",
    "audit_checkpoint",
]


@frozen(kw_only=True)
class Event:
    """One thing that happened, with a JSON-ready ``payload`` (the hook's arguments
    besides ``event``)."""

    id: str
    name: EventName
    tenant: str
    occurred_at: datetime
    payload: Mapping[str, Any] = field(factory=dict)
    correlation_id: str | None = None


@frozen(kw_only=True)
class Backlog:
    """A tenant's events not yet relayed to the broker: how many, and when the oldest of
    them happened (R-15.4; ``customer-master relay status``)."""

    tenant: str
    pending: int
    oldest: datetime
