"""Erasure: the right to be forgotten for a customer that must stay for the books
(SPEC R-4.4, docs/decisions/0036).

The story: a user with the ``customer.delete`` permission asks to erase a customer; the
request takes the red lane, which no tenant may lower (R-10.1); on the final approval, in
one unit of work, the customer's personal values are replaced in the record and its
related records, its notes, its change requests and its outbox events; its attachments
are forgotten; the personal values in its audit records are blanked with their salts, so
``verify`` still passes (R-11.2); one audit record says what was erased, never the values;
and hosts hear of it through the ``customer_erased`` hook and the outbox. The bytes of
its attachments leave the document store after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import evolve, frozen

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.customer import Customer
from customer_master.domain.erasure import (
    ErasurePlan,
    erased_customer,
    erased_fields,
    erased_record,
    personal_values,
    scrubbed,
    scrubbed_values,
)
from customer_master.domain.serialize import to_data
from customer_master.errors import BusinessRuleViolation, NotFound
from customer_master.services.base import ServiceContext, Transaction

log = logging.getLogger(__name__)


@frozen(kw_only=True)
class ErasureResult:
    """The erased customer and what was erased (field names and counts, never values);
    or, while the erasure waits for approval, only ``change_request``."""

    customer: Customer | None = None
    fields: tuple[str, ...] = ()
    counts: dict[str, int] | None = None
    change_request: ChangeRequest | None = None


class ErasureService:
    """Erasing a customer's personal data for good."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def erase(self, actor: Actor, customer_id: str) -> ErasureResult:
        """Submit (or, once approved, apply) the erasure of ``customer_id`` (R-4.4). It
        always takes the red lane. Refused while another change request of the customer
        waits: its payload would bring personal values back."""
        with self._ctx.transaction(actor) as tx:
            config = tx.uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.delete", config)
            customer = _found(tx, customer_id)
            self._refuse_if_waiting(tx, customer, None)
            request = tx.route(
                config,
                "erase",
                payload={"customer_id": customer_id},
                kind=customer.kind,
                customer_versions={customer.id: customer.version},
            )
            if request is not None:
                return ErasureResult(change_request=request)
            return self._apply(tx, customer_id)

    def apply_request(self, tx: Transaction, request: ChangeRequest) -> ErasureResult:
        """Apply an approved erasure, re-checking that no other request waits."""
        return self._apply(tx, str(request.payload["customer_id"]), request)

    def _apply(
        self, tx: Transaction, customer_id: str, approved: ChangeRequest | None = None
    ) -> ErasureResult:
        customer = _found(tx, customer_id)
        self._refuse_if_waiting(tx, customer, approved)
        uow, tenant = tx.uow, tx.tenant
        plan = self._plan(tx, customer, approved)
        erased = evolve(erased_customer(customer), updated_at=self._ctx.clock.now())
        stored = uow.customers.update(erased, expected_version=customer.version)
        uow.erasure.apply(plan)
        attachments = uow.attachments.for_customer(tenant, customer.id)
        for attachment in attachments:
            uow.attachments.remove(tenant, attachment.id)
        digests = {a.digest for a in attachments if not uow.attachments.uses_digest(tenant, a.digest)}
        fields = erased_fields(customer)
        counts = {
            "audit_records": len(plan.audit_records),
            "notes": len(plan.note_ids),
            "attachments": len(attachments),
            "change_requests": len(plan.change_requests),
            "outbox_events": len(plan.events),
        }
        tx.audit("erase", [customer.id], {"erasure": {"fields": list(fields), **counts}})
        payload = {"customer_id": customer.id, "code": customer.code, "fields": list(fields)}
        tx.emit("customer_erased", {"tenant": tenant, **payload}, payload)
        # The bytes go after the commit: a rolled-back erasure must not lose them.
        tx.after_commit(lambda: self._forget_documents(tenant, sorted(digests)))
        return ErasureResult(customer=stored, fields=fields, counts=counts)

    def _plan(self, tx: Transaction, customer: Customer, approved: ChangeRequest | None) -> ErasurePlan:
        """What the erasure blanks beside the record: its audit records, notes, change
        requests and outbox events (relayed or not)."""
        uow, tenant, kind = tx.uow, tx.tenant, customer.kind
        records = uow.audit.for_customer(tenant, customer.id)
        values = personal_values(to_data(customer), records, customer.id, kind)
        requests = self._requests(tx, customer, [r.correlation_id for r in records])
        needles = [customer.id, *(r.id for r in requests)]
        events = uow.outbox.mentioning(tenant, needles)
        # The request being applied is saved by the approval workflow itself; its payload
        # names only the customer.
        requests = [r for r in requests if approved is None or r.id != approved.id]
        return ErasurePlan(
            tenant=tenant,
            customer_id=customer.id,
            audit_records=tuple(r for r in (erased_record(x, customer.id, kind) for x in records) if r),
            note_ids=tuple(n.id for n in uow.notes.for_customer(tenant, customer.id)),
            change_requests=tuple(evolve(r, payload=_scrubbed(r.payload, kind, values)) for r in requests),
            events=tuple(evolve(e, payload=_scrubbed(e.payload, kind, values)) for e in events),
        )

    def _requests(
        self, tx: Transaction, customer: Customer, correlation_ids: Iterable[str | None]
    ) -> list[ChangeRequest]:
        """The change requests that name the customer, and those its audit records came
        from (a create's request names no customer yet)."""
        found = {r.id: r for r in tx.uow.change_requests.list(tx.tenant, customer_id=customer.id)}
        for request_id in correlation_ids:
            if request_id and request_id not in found:
                request = tx.uow.change_requests.get(tx.tenant, request_id)
                if request is not None:
                    found[request.id] = request
        return list(found.values())

    def _refuse_if_waiting(self, tx: Transaction, customer: Customer, approved: ChangeRequest | None) -> None:
        waiting = [
            r
            for r in tx.uow.change_requests.list(tx.tenant, state="pending", customer_id=customer.id)
            if approved is None or r.id != approved.id
        ]
        if waiting:
            raise BusinessRuleViolation(
                "change_request_waiting",
                f"{customer.code}: erasure refused while change request {waiting[0].id} "
                f"({waiting[0].operation}) waits; approve or reject it first",
            )

    def _forget_documents(self, tenant: str, digests: Iterable[str]) -> None:
        store = self._ctx.documents
        if store is None:
            return
        for digest in digests:
            try:
                store.delete(tenant, digest)
            except OSError:
                log.exception("could not delete document %s of tenant %s after its erasure", digest, tenant)


def _scrubbed(payload: Mapping[str, Any], kind: str, values: frozenset[str]) -> Any:
    """A payload (a change request's, an event's) without the customer's values: by field
    name when it is about this customer alone; by value when it holds other customers
    too (an import's rows), so their values stay."""
    request = payload.get("request")
    is_import = isinstance(request, Mapping) and request.get("operation") == "import"
    if is_import or payload.get("rows") is not None:
        return scrubbed_values(payload, values)
    return scrubbed(payload, kind=kind)


def _found(tx: Transaction, customer_id: str) -> Customer:
    customer = tx.uow.customers.get(tx.tenant, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
