"""Merge and hard delete (SPEC R-4.2, R-4.3, R-8): the operations that retire a customer.

Both ask host modules about transaction history through the ``has_transaction_history``
hook, apply in one unit of work with one audit record, and tell hosts after commit.
Approval lanes (R-10) will route these operations before they apply; until then they
apply at once for actors holding the permission.
"""

from __future__ import annotations

from attrs import frozen

from customer_master.actor import Actor
from customer_master.domain.access import may
from customer_master.domain.audit import change_set
from customer_master.domain.customer import Customer
from customer_master.domain.lifecycle import hard_delete_refusal
from customer_master.domain.merge import merge_plan
from customer_master.domain.serialize import to_data
from customer_master.errors import BusinessRuleViolation, Forbidden, NotFound
from customer_master.hookspecs import HistoryAnswer
from customer_master.services.base import ServiceContext, Transaction


@frozen(kw_only=True)
class MergeResult:
    """The target after the merge, the retired source, and how many duplicates folded."""

    target: Customer
    source: Customer
    folded: dict[str, int]


class LifecycleService:
    """Merging duplicates and deleting customers for good."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def merge(self, actor: Actor, source_id: str, target_id: str) -> MergeResult:
        """Merge ``source_id`` into ``target_id`` in one atomic operation (R-8.1–R-8.3)."""
        _require(actor, "customer.merge")
        with self._ctx.transaction(actor) as tx:
            source, target = _found(tx, source_id), _found(tx, target_id)
            policy = tx.uow.configuration.get(actor.tenant).settings.merge_policy
            both_checked = policy == "forbid_if_both_have_history"
            plan = merge_plan(
                source,
                target,
                policy=policy,
                source_has_history=both_checked and self._history(actor, source) is not None,
                target_has_history=both_checked and self._history(actor, target) is not None,
                source_has_open_items=tx.uow.open_items.has_open_items(actor.tenant, source.id),
            )
            if plan.refusal is not None:
                raise BusinessRuleViolation(plan.refusal.code, f"merge refused: {plan.refusal.message}")
            stored_target = tx.uow.customers.update(plan.target, expected_version=target.version)
            stored_source = tx.uow.customers.update(plan.source, expected_version=source.version)
            tx.uow.open_items.move(actor.tenant, source.id, target.id)
            tx.audit("merge", [source.id, target.id], {
                "source": change_set(to_data(source), to_data(stored_source)),
                "target": change_set(to_data(target), to_data(stored_target)),
                "folded": plan.folded,
            })  # fmt: skip
            tx.emit("customer_merged", {"source": stored_source, "target": stored_target},
                    {"source_id": source.id, "source_code": source.code,
                     "target_id": target.id, "target_code": target.code})  # fmt: skip
        return MergeResult(target=stored_target, source=stored_source, folded=plan.folded)

    def hard_delete(self, actor: Actor, customer_id: str) -> None:
        """Remove the customer and its related records for good (R-4.2); refused, naming
        the module, when a host reports transaction history (R-4.3). The audit record of
        the deletion stays."""
        _require(actor, "customer.delete")
        with self._ctx.transaction(actor) as tx:
            customer = _found(tx, customer_id)
            answer = self._history(actor, customer)
            refusal = hard_delete_refusal(
                history_module=answer.module if answer else None, history_count=answer.count if answer else 0
            )
            if refusal is not None:
                raise BusinessRuleViolation("has_transaction_history", f"{customer.code}: {refusal}")
            if tx.uow.open_items.has_open_items(actor.tenant, customer.id):
                raise BusinessRuleViolation(
                    "has_transaction_history",
                    f"{customer.code} has open receivable items; deactivate it instead",
                )
            tx.uow.customers.remove(actor.tenant, customer.id)
            tx.audit("hard_delete", [customer.id], change_set(to_data(customer), None))
            payload = {"customer_id": customer.id, "code": customer.code}
            tx.emit("customer_deleted", {"tenant": actor.tenant, **payload}, payload)

    def _history(self, actor: Actor, customer: Customer) -> HistoryAnswer | None:
        return self._ctx.hooks.transaction_history(actor.tenant, customer.id)


def _require(actor: Actor, permission: str) -> None:
    if not may(actor.roles, permission):
        raise Forbidden(f"this needs the {permission} permission")


def _found(tx: Transaction, customer_id: str) -> Customer:
    customer = tx.uow.customers.get(tx.tenant, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
