"""Merge and hard delete (SPEC R-4.2, R-4.3, R-8): the operations that retire a customer.

Both ask host modules about transaction history through the ``has_transaction_history``
hook, go through their approval lane (merge: yellow, hard delete: red by default, R-10.1),
apply in one unit of work with one audit record, and tell hosts after commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from attrs import field, frozen

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import change_set
from customer_master.domain.customer import Customer
from customer_master.domain.lifecycle import hard_delete_refusal
from customer_master.domain.masking import masked_customer
from customer_master.domain.merge import MergePlan, merge_plan
from customer_master.domain.serialize import to_data
from customer_master.errors import BusinessRuleViolation, NotFound
from customer_master.hookspecs import HistoryAnswer
from customer_master.services.base import ServiceContext, Transaction


@frozen(kw_only=True)
class MergeResult:
    """The target after the merge, the retired source, and how many duplicates folded;
    or, while the merge waits for approval, only ``change_request``."""

    target: Customer | None = None
    source: Customer | None = None
    folded: dict[str, int] = field(factory=dict)
    change_request: ChangeRequest | None = None


@frozen(kw_only=True)
class Preview:
    """What a merge or a hard delete would do, found without doing it: the customers as
    they would be stored (``None`` for one deleted), duplicates folded, and the lane the
    operation takes with the roles that would approve it (none: it applies at once)."""

    operation: str
    before: tuple[Customer, ...]
    after: tuple[Customer | None, ...]
    folded: dict[str, int] = field(factory=dict)
    lane: str = "green"
    steps: tuple[str, ...] = ()


@frozen(kw_only=True)
class DeleteResult:
    """Whether the customer is gone, or the change request waiting for approval."""

    deleted: bool
    change_request: ChangeRequest | None = None


class LifecycleService:
    """Merging duplicates and deleting customers for good."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def merge(self, actor: Actor, source_id: str, target_id: str) -> MergeResult:
        """Merge ``source_id`` into ``target_id`` in one atomic operation (R-8.1–R-8.3)."""
        with self._ctx.transaction(actor) as tx:
            config = tx.uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.merge", config)
            source, target = _found(tx, source_id), _found(tx, target_id)
            self._plan(tx, source, target)  # refuse at once rather than after the approvals
            versions = {source.id: source.version, target.id: target.version}
            request = tx.route(
                config,
                "merge",
                payload={"source_id": source_id, "target_id": target_id},
                kind=source.kind,
                customer_versions=versions,
            )
            if request is not None:
                return MergeResult(change_request=request)
            return self._apply_merge(tx, source_id, target_id)

    def hard_delete(self, actor: Actor, customer_id: str) -> DeleteResult:
        """Remove the customer and its related records for good (R-4.2); refused, naming
        the module, when a host reports transaction history (R-4.3). The audit record of
        the deletion stays."""
        with self._ctx.transaction(actor) as tx:
            config = tx.uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "customer.delete", config)
            customer = _found(tx, customer_id)
            self._refuse_if_history(tx, customer)
            request = tx.route(
                config,
                "hard_delete",
                payload={"customer_id": customer_id},
                kind=customer.kind,
                customer_versions={customer.id: customer.version},
            )
            if request is not None:
                return DeleteResult(deleted=False, change_request=request)
            return self._apply_delete(tx, customer_id)

    def preview_merge(self, actor: Actor, source_id: str, target_id: str) -> Preview:
        """What ``merge`` would do, refused exactly as it would be, with nothing stored: for
        channels that show an irreversible operation before submitting it."""
        with self._previewing(actor, "customer.merge") as tx:
            source, target = _found(tx, source_id), _found(tx, target_id)
            plan = self._plan(tx, source, target)
            return self._preview(
                tx, "merge", source, (source, target), (plan.source, plan.target), plan.folded
            )

    def preview_hard_delete(self, actor: Actor, customer_id: str) -> Preview:
        """What ``hard_delete`` would do, refused exactly as it would be, with nothing stored."""
        with self._previewing(actor, "customer.delete") as tx:
            customer = _found(tx, customer_id)
            self._refuse_if_history(tx, customer)
            return self._preview(tx, "hard_delete", customer, (customer,), (None,), {})

    @contextmanager
    def _previewing(self, actor: Actor, permission: str) -> Iterator[Transaction]:
        """A unit of work that is never committed, for the previews."""
        with self._ctx.storage.unit_of_work() as uow:
            self._ctx.require(actor, permission, uow.configuration.get(actor.tenant))
            yield Transaction(uow=uow, actor=actor, context=self._ctx)

    def _preview(
        self,
        tx: Transaction,
        operation: str,
        subject: Customer,
        before: tuple[Customer, ...],
        after: tuple[Customer | None, ...],
        folded: dict[str, int],
    ) -> Preview:
        config = tx.uow.configuration.get(tx.tenant)
        policy = config.settings.approvals
        lane = policy.lane_for(operation, kind=subject.kind)
        if not self._ctx.can(tx.actor, "view_sensitive", config):  # shown like any read
            before = tuple(masked_customer(c) for c in before)
            after = tuple(None if c is None else masked_customer(c) for c in after)
        return Preview(
            operation=operation,
            before=before,
            after=after,
            folded=folded,
            lane=lane,
            steps=policy.steps_for(lane) if lane != "green" else (),
        )

    def apply_request(self, tx: Transaction, request: ChangeRequest) -> object:
        """Apply an approved merge or hard delete, re-checking every rule."""
        if request.operation == "merge":
            return self._apply_merge(tx, str(request.payload["source_id"]), str(request.payload["target_id"]))
        return self._apply_delete(tx, str(request.payload["customer_id"]))

    def _apply_merge(self, tx: Transaction, source_id: str, target_id: str) -> MergeResult:
        source, target = _found(tx, source_id), _found(tx, target_id)
        plan = self._plan(tx, source, target)
        stored_target = tx.uow.customers.update(plan.target, expected_version=target.version)
        stored_source = tx.uow.customers.update(plan.source, expected_version=source.version)
        tx.uow.open_items.move(tx.tenant, source.id, target.id)
        tx.audit(
            "merge",
            [source.id, target.id],
            {
                "source": change_set(to_data(source), to_data(stored_source)),
                "target": change_set(to_data(target), to_data(stored_target)),
                "folded": plan.folded,
            },
        )
        tx.emit(
            "customer_merged",
            {"source": stored_source, "target": stored_target},
            {
                "source_id": source.id,
                "source_code": source.code,
                "target_id": target.id,
                "target_code": target.code,
            },
        )
        return MergeResult(target=stored_target, source=stored_source, folded=plan.folded)

    def _apply_delete(self, tx: Transaction, customer_id: str) -> DeleteResult:
        customer = _found(tx, customer_id)
        self._refuse_if_history(tx, customer)
        tx.uow.customers.remove(tx.tenant, customer.id)
        self._remove_documents(tx, customer.id)
        tx.audit("hard_delete", [customer.id], change_set(to_data(customer), None))
        payload = {"customer_id": customer.id, "code": customer.code}
        tx.emit("customer_deleted", {"tenant": tx.tenant, **payload}, payload)
        return DeleteResult(deleted=True)

    def _remove_documents(self, tx: Transaction, customer_id: str) -> None:
        """A deleted customer's documents go with it (R-16.6): their metadata now, their
        bytes after the commit unless another document of the tenant keeps them."""
        attachments, store = tx.uow.attachments, self._ctx.documents
        documents = attachments.for_customer(tx.tenant, customer_id)
        for document in documents:
            attachments.remove(tx.tenant, document.id)
        unused = {d.digest for d in documents if not attachments.uses_digest(tx.tenant, d.digest)}
        if store is not None and unused:
            tenant = tx.tenant

            def forget() -> None:
                for digest in sorted(unused):
                    store.delete(tenant, digest)

            tx.after_commit(forget)

    def _plan(self, tx: Transaction, source: Customer, target: Customer) -> MergePlan:
        policy = tx.uow.configuration.get(tx.tenant).settings.merge_policy
        both_checked = policy == "forbid_if_both_have_history"
        plan = merge_plan(
            source,
            target,
            policy=policy,
            source_has_history=both_checked and self._history(tx, source) is not None,
            target_has_history=both_checked and self._history(tx, target) is not None,
            source_has_open_items=tx.uow.open_items.has_open_items(tx.tenant, source.id),
        )
        if plan.refusal is not None:
            raise BusinessRuleViolation(plan.refusal.code, f"merge refused: {plan.refusal.message}")
        return plan

    def _refuse_if_history(self, tx: Transaction, customer: Customer) -> None:
        answer = self._history(tx, customer)
        refusal = hard_delete_refusal(
            history_module=answer.module if answer else None, history_count=answer.count if answer else 0
        )
        if refusal is None and tx.uow.open_items.has_open_items(tx.tenant, customer.id):
            refusal = hard_delete_refusal(history_module="receivables (open items)")
        if refusal is not None:
            raise BusinessRuleViolation("has_transaction_history", f"{customer.code}: {refusal}")

    def _history(self, tx: Transaction, customer: Customer) -> HistoryAnswer | None:
        return self._ctx.hooks.transaction_history(tx.tenant, customer.id)


def _found(tx: Transaction, customer_id: str) -> Customer:
    customer = tx.uow.customers.get(tx.tenant, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
