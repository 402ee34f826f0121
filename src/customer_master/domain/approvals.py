"""Approval lanes: every change is routed by risk (SPEC R-10).

A tenant sets a lane per operation: ``green`` applies at once; ``yellow`` needs two
approvals (AR manager, then controller); ``red`` needs three (manager, controller, CFO —
the "manager" step is the AR manager role by default). Defaults: create, update,
deactivate, reactivate, merge and import are yellow; hard delete and erasure are red, and
no tenant may set them lower (they cannot be undone, R-10.1); a credit hold is green,
since it protects the company and must take effect at once. A rule may narrow a
lane to a customer kind, e.g. walk-in ``individual`` customers created at the POS: green.

A non-green operation becomes a **change request** holding the validated payload. Each
step is approved or rejected by a user holding the step's role; the submitter may not
approve their own request, one user may not approve two steps, and a rejection ends the
request (R-10.2).

>>> policy = ApprovalPolicy(rules=(LaneRule(operation="create", lane="green", kind="individual"),))
>>> policy.lane_for("create", kind="individual"), policy.lane_for("create", kind="company")
('green', 'yellow')
>>> policy.steps_for("red")
('ar_manager', 'controller', 'cfo')
>>> lane_refusal("hard_delete", "green")
'hard_delete cannot be undone: its lane stays red (green was asked)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from attrs import evolve, field, frozen

Lane = Literal["green", "yellow", "red"]
LANES: tuple[Lane, ...] = ("green", "yellow", "red")

Operation = Literal[
    "create", "update", "deactivate", "reactivate", "merge", "import", "hard_delete", "credit_hold", "erase"
]
# The operations whose lane a tenant chooses freely.
OPERATIONS: tuple[Operation, ...] = (
    "create",
    "update",
    "deactivate",
    "reactivate",
    "merge",
    "import",
    "credit_hold",
)
# Irreversible operations whose lane is always red: a tenant may set them to red, never
# lower (R-10.1, as amended); a lower lane stored before the rule was kept is read as red.
ALWAYS_RED: tuple[Operation, ...] = ("hard_delete", "erase")
ALL_OPERATIONS: tuple[Operation, ...] = (*OPERATIONS, *ALWAYS_RED)

DEFAULT_LANES: Mapping[str, Lane] = {
    "create": "yellow",
    "update": "yellow",
    "deactivate": "yellow",
    "reactivate": "yellow",
    "merge": "yellow",
    "import": "yellow",
    "hard_delete": "red",
    "credit_hold": "green",
    "erase": "red",
}

DEFAULT_STEPS: Mapping[str, tuple[str, ...]] = {
    "green": (),
    "yellow": ("ar_manager", "controller"),
    "red": ("ar_manager", "controller", "cfo"),
}

# Operations that cannot be undone once applied (a merged-away customer cannot come back;
# a deleted one is gone): a channel shows what they will do and asks for a confirmation
# before it submits or applies one.
IRREVERSIBLE: frozenset[str] = frozenset({"merge", "hard_delete", "erase"})

RequestState = Literal["pending", "approved", "rejected", "failed"]


def lane_refusal(operation: str, lane: str) -> str | None:
    """Why ``operation`` may not be routed to ``lane`` (an irreversible operation below
    red, R-10.1), or ``None``."""
    if operation in ALWAYS_RED and lane != "red":
        return f"{operation} cannot be undone: its lane stays red ({lane} was asked)"
    return None


@frozen(kw_only=True)
class LaneRule:
    """The lane of ``operation``, for customers of ``kind`` only when ``kind`` is given."""

    operation: str
    lane: Lane
    kind: str | None = None


def _rules(value: Iterable[LaneRule]) -> tuple[LaneRule, ...]:
    return tuple(value)


def _steps(
    value: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((lane, tuple(roles)) for lane, roles in pairs))


@frozen(kw_only=True)
class ApprovalPolicy:
    """A tenant's lanes: rules over the defaults, and the role steps of each lane."""

    rules: tuple[LaneRule, ...] = field(default=(), converter=_rules)
    steps: tuple[tuple[str, tuple[str, ...]], ...] = field(
        factory=lambda: _steps(DEFAULT_STEPS), converter=_steps
    )

    def lane_for(self, operation: str, *, kind: str | None = None) -> Lane:
        """The lane of ``operation`` on a customer of ``kind``: a rule for the kind wins
        over a rule for the operation, which wins over the default. An irreversible
        operation is red whatever a rule says (``ALWAYS_RED``)."""
        if operation in ALWAYS_RED:
            return "red"
        for rule in self.rules:
            if rule.operation == operation and rule.kind is not None and rule.kind == kind:
                return rule.lane
        for rule in self.rules:
            if rule.operation == operation and rule.kind is None:
                return rule.lane
        return DEFAULT_LANES.get(operation, "yellow")

    def steps_for(self, lane: Lane) -> tuple[str, ...]:
        """The roles that approve ``lane``'s steps, in order."""
        return dict(self.steps).get(lane, DEFAULT_STEPS[lane])

    @classmethod
    def all_green(cls) -> ApprovalPolicy:
        """Every operation applies at once (a tenant without approvals)."""
        return cls(rules=tuple(LaneRule(operation=op, lane="green") for op in OPERATIONS))


@frozen(kw_only=True)
class Approval:
    """One decision on one step of a change request."""

    step: int
    role: str
    user: str
    decision: Literal["approved", "rejected"]
    at: datetime
    comment: str | None = None


@frozen(kw_only=True)
class ChangeRequest:
    """An operation waiting for approval, with everything needed to apply it later:
    the validated ``payload``, and the version of each customer it was validated against
    so that a change in between is caught (R-10.3)."""

    id: str
    tenant: str
    operation: str
    payload: Mapping[str, Any]
    customer_ids: tuple[str, ...]
    customer_versions: Mapping[str, int]
    submitter: str
    submitted_at: datetime
    lane: Lane
    steps: tuple[str, ...]
    approvals: tuple[Approval, ...] = ()
    state: RequestState = "pending"
    outcome: str | None = None
    decided_at: datetime | None = None

    @property
    def next_step(self) -> int | None:
        """The index of the step waiting for a decision, or ``None`` when decided."""
        return len(self.approvals) if self.state == "pending" else None

    @property
    def next_role(self) -> str | None:
        step = self.next_step
        return self.steps[step] if step is not None else None

    @property
    def applies_on_next_approval(self) -> bool:
        """Is the step waiting the last one, so that approving it applies the operation?"""
        return self.next_step is not None and self.next_step == len(self.steps) - 1

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"


def approval_refusal(request: ChangeRequest, user: str, roles: frozenset[str]) -> str | None:
    """Why ``user`` may not decide the request's next step, or ``None`` (R-10.2)."""
    if not request.is_pending:
        return f"the change request is {request.state}, not pending"
    if user == request.submitter:
        return "the submitter may not approve or reject their own change request"
    if any(a.user == user for a in request.approvals):
        return "one user may not decide two steps of the same change request"
    role = request.next_role
    if role not in roles:
        return f"step {request.next_step + 1 if request.next_step is not None else '?'} needs the role {role}"
    return None


def decide(
    request: ChangeRequest, *, user: str, approve: bool, at: datetime, comment: str | None = None
) -> ChangeRequest:
    """The request with the next step decided. A rejection ends it; the last approval
    leaves it pending-final (``is_fully_approved``) for the service to apply."""
    step = request.next_step
    assert step is not None, "decide() needs a pending request"
    approval = Approval(
        step=step,
        role=request.steps[step],
        user=user,
        decision="approved" if approve else "rejected",
        at=at,
        comment=comment,
    )
    decided = evolve(request, approvals=(*request.approvals, approval))
    if not approve:
        return evolve(decided, state="rejected", decided_at=at)
    return decided


def is_fully_approved(request: ChangeRequest) -> bool:
    """Has every step been approved (so the operation should now be applied)?"""
    return (
        request.is_pending
        and len(request.approvals) == len(request.steps)
        and all(a.decision == "approved" for a in request.approvals)
    )
