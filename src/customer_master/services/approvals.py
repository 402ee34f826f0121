"""Change requests: listing, approving and rejecting (SPEC R-10.2, R-10.3).

Approving the last step re-validates the operation against the current state and applies
it atomically, with the audit record naming the submitter and every approval. If a
customer changed since the request was submitted, or the operation no longer validates,
the request fails — recorded as ``failed`` with the reason — and nothing is applied.

A reader without ``view_sensitive`` sees bank numbers and credit figures in a request's
payload masked (R-12.2); the workflow itself always works on the payload as submitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import evolve

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest, approval_refusal, decide, is_fully_approved
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.masking import masked_data
from customer_master.domain.serialize import to_data
from customer_master.errors import (
    BusinessRuleViolation,
    Conflict,
    CustomerMasterError,
    Forbidden,
    NotFound,
)
from customer_master.services.base import ServiceContext, Transaction

Applier = Callable[[Transaction, ChangeRequest], object]


class ApprovalService:
    """The approval workflow of change requests."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._appliers: dict[str, Applier] = {}

    def register(self, operations: Sequence[str], applier: Applier) -> None:
        """Tell the workflow how to apply approved requests of ``operations``."""
        for operation in operations:
            self._appliers[operation] = applier

    def get(self, actor: Actor, request_id: str) -> ChangeRequest:
        """The change request with this id in the actor's tenant."""
        return self._shown(actor, self._load(actor, request_id))

    def list(
        self, actor: Actor, *, state: str | None = None, customer_id: str | None = None, mine: bool = False
    ) -> Sequence[ChangeRequest]:
        """Requests of the tenant by state and customer; ``mine``: pending requests whose
        next step the actor may decide (my pending approvals)."""
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.read", config)
            found = uow.change_requests.list(
                actor.tenant, state="pending" if mine else state, customer_id=customer_id
            )
        if mine:
            found = [r for r in found if approval_refusal(r, actor.user, actor.roles) is None]
        return [self._shown(actor, r, config) for r in found]

    def approve(self, actor: Actor, request_id: str, *, comment: str | None = None) -> ChangeRequest:
        """Approve the next step; on the last step, apply the operation (R-10.3)."""
        request = self._decidable(actor, request_id)
        decided = decide(request, user=actor.user, approve=True, at=self._ctx.clock.now(), comment=comment)
        if not is_fully_approved(decided):
            return self._shown(actor, self._save(actor, request, decided))
        try:
            with self._ctx.transaction(actor, approved=decided) as tx:
                self._check_versions(tx, decided)
                result = self._appliers[decided.operation](tx, decided)
                applied = evolve(
                    decided, state="approved", decided_at=self._ctx.clock.now(), outcome=_summary(result)
                )
                tx.uow.change_requests.save(applied, expected_approvals=len(request.approvals))
                data = to_data(applied)
                tx.emit("change_request_approved", {"request": data}, {"request": data})
            return self._shown(actor, applied)
        except CustomerMasterError as failure:
            failed = evolve(decided, state="failed", decided_at=self._ctx.clock.now(), outcome=str(failure))
            self._save(actor, request, failed)
            raise

    def reject(self, actor: Actor, request_id: str, *, comment: str | None = None) -> ChangeRequest:
        """Reject the next step; the request ends and nothing is applied (R-10.2)."""
        request = self._decidable(actor, request_id)
        rejected = decide(request, user=actor.user, approve=False, at=self._ctx.clock.now(), comment=comment)
        return self._shown(actor, self._save(actor, request, rejected))

    def _load(self, actor: Actor, request_id: str) -> ChangeRequest:
        """The request as stored (unmasked): what the workflow decides and applies."""
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, "customer.read", uow.configuration.get(actor.tenant))
            request = uow.change_requests.get(actor.tenant, request_id)
        if request is None:
            raise NotFound("change request", request_id)
        return request

    def _shown(
        self, actor: Actor, request: ChangeRequest, config: TenantConfiguration | None = None
    ) -> ChangeRequest:
        """The request as this actor may see it (R-12.2)."""
        if config is None:
            with self._ctx.storage.unit_of_work() as uow:
                config = uow.configuration.get(actor.tenant)
        if self._ctx.can(actor, "view_sensitive", config):
            return request
        return evolve(request, payload=masked_data(request.payload))

    def _decidable(self, actor: Actor, request_id: str) -> ChangeRequest:
        request = self._load(actor, request_id)
        refusal = approval_refusal(request, actor.user, actor.roles)
        if refusal is not None:
            if not request.is_pending:
                raise BusinessRuleViolation("not_pending", refusal)
            raise Forbidden(refusal)
        return request

    def _save(self, actor: Actor, before: ChangeRequest, after: ChangeRequest) -> ChangeRequest:
        with self._ctx.transaction(actor) as tx:
            tx.uow.change_requests.save(after, expected_approvals=len(before.approvals))
            if after.state == "rejected":
                data = to_data(after)
                tx.emit("change_request_rejected", {"request": data}, {"request": data})
        return after

    def _check_versions(self, tx: Transaction, request: ChangeRequest) -> None:
        for customer_id, version in request.customer_versions.items():
            current = tx.uow.customers.get(tx.tenant, customer_id)
            if current is None or current.version != version:
                who = customer_id if current is None else current.code
                now = "deleted" if current is None else f"at version {current.version}"
                raise Conflict(
                    f"customer {who} changed since the request was submitted (was version {version}, "
                    f"now {now}); nothing was applied",
                    current_version=current.version if current else None,
                )


def _summary(result: object) -> str:
    value = getattr(result, "value", result)
    code = getattr(value, "code", None)
    return f"applied: customer {code}" if code else "applied"
