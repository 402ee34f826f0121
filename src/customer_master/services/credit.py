"""Credit control as a service (SPEC R-5): gather the facts — the effective view for the
entity, the receivables position, today's overdue days — and ask the rule in
``domain/credit.py`` for the decision. Also sets and releases credit holds (R-5.3) and
releases a blocked document once (R-5.7).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from attrs import evolve

from customer_master.actor import Actor
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import change_set
from customer_master.domain.config import TenantSettings
from customer_master.domain.credit import (
    CreditDecision,
    CreditFacts,
    Exposure,
    credit_decision,
)
from customer_master.domain.customer import CreditHold, CreditRelease, Customer, EntityOverride
from customer_master.domain.effective import effective_view
from customer_master.domain.masking import masked_customer, masked_decision
from customer_master.domain.money import round_money
from customer_master.domain.receivables import exact_amount
from customer_master.domain.serialize import to_data
from customer_master.errors import BusinessRuleViolation, FieldError, NotFound, ValidationFailed
from customer_master.services.base import Outcome, ServiceContext, Transaction


class CreditService:
    """Credit checks, credit holds and one-time releases."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def check(
        self,
        actor: Actor,
        customer_id: str,
        *,
        entity: str,
        amount: object,
        currency: str | None = None,
        document_type: str = "order",
        document_ref: str | None = None,
    ) -> CreditDecision:
        """The credit decision for a document of ``amount`` for ``entity`` (R-5.1–R-5.7).

        ``amount`` in ``currency`` (default: the customer's effective currency) is
        converted through the exchange-rate port when the currencies differ, or refused
        with ``BusinessRuleViolation("currency_not_convertible")``. A document released
        earlier by ``document_ref`` passes once.
        """
        exact = exact_amount(amount, "amount", signed=True)  # any exact number
        if isinstance(exact, FieldError):
            raise ValidationFailed([exact])
        amount = exact
        config = self._ctx.require(actor, "customer.read")
        if not config.has_entity(entity):
            raise NotFound("legal entity", entity)
        customer = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        if customer is None:
            raise NotFound("customer", customer_id)
        view = effective_view(customer, entity).customer
        legal_entity = config.entity(entity)
        home = view.currency or (legal_entity.currency if legal_entity else None) or currency
        if home is None:
            raise ValidationFailed(
                [FieldError("currency", "required", "the customer has no currency; give one")]
            )
        if document_type not in config.settings.credit_check_documents:
            return _not_checked(home)
        release = _release_for(customer, document_ref, entity)
        facts = self._facts(customer, view, config.settings, entity, home, amount, currency, document_type)
        decision = credit_decision(evolve(facts, released=release is not None), config.settings.credit)
        # A release is spent only by a check it lets through: one still blocked for a
        # reason no release lifts (a credit hold) keeps it for when that reason is gone.
        if release is not None and decision.outcome != "blocked":
            self._use_release(actor, customer, release)
        return decision if self._ctx.can(actor, "view_sensitive", config) else masked_decision(decision)

    def _facts(
        self,
        customer: Customer,
        view: Customer,
        settings: TenantSettings,
        entity: str,
        home: str,
        amount: Decimal,
        currency: str | None,
        document_type: str,
    ) -> CreditFacts:
        """What the rule needs to know: the effective view's limit and hold, and the
        receivables position and oldest due date, all in the customer's currency (R-5.1)."""
        document = self._convert(amount, currency or home, home, settings.time_zone)
        today = self._ctx.clock.today(settings.time_zone)
        position = self._ctx.storage.receivables.position(
            customer.tenant, customer.id, entity, home, rates=self._ctx.exchange_rates, on=today
        )
        count_orders = document_type != "invoice" or settings.count_open_orders_at_invoice
        oldest = position.oldest_due_date
        return CreditFacts(
            is_active=view.is_active,
            is_enabled_for_entity=customer.is_enabled_for(entity),
            on_credit_hold=view.credit_hold is not None,
            limit=view.credit_limit,
            currency=home,
            exposure=Exposure(
                receivables=round_money(position.receivables, home, settings.rounding),
                open_orders=round_money(
                    position.open_orders if count_orders else Decimal(0), home, settings.rounding
                ),
                document=round_money(document, home, settings.rounding),
            ),
            days_past_due=max(0, (today - oldest).days) if oldest else 0,
            customer_group=view.customer_group,
        )

    def set_hold(
        self, actor: Actor, customer_id: str, *, reason: str, entity: str | None = None
    ) -> Outcome[Customer]:
        """Put the customer (or its account with one entity) on credit hold (R-5.3). Green
        by default (R-10.1); in a tenant that routes holds, the change request is returned."""
        if not reason.strip():
            raise ValidationFailed([FieldError("reason", "blank", "a credit hold needs a reason")])
        hold = CreditHold(reason=reason.strip(), by=actor.user, at=self._ctx.clock.now())
        return self._change_hold(actor, customer_id, entity, hold)

    def release_hold(self, actor: Actor, customer_id: str, *, entity: str | None = None) -> Outcome[Customer]:
        """Lift the credit hold of the customer (or of one entity's override)."""
        return self._change_hold(actor, customer_id, entity, None)

    def release_document(
        self, actor: Actor, customer_id: str, *, document_ref: str, reason: str, entity: str | None = None
    ) -> Customer:
        """Let one blocked document through on its next check (R-5.7); needs the
        ``credit_override`` permission and a reason, and is audited."""
        self._ctx.require(actor, "credit_override")
        errors = [
            FieldError(name, "blank", "is required")
            for name, value in (("document_ref", document_ref), ("reason", reason))
            if not value.strip()
        ]
        if errors:
            raise ValidationFailed(errors)
        release = CreditRelease(
            document_ref=document_ref.strip(),
            reason=reason.strip(),
            by=actor.user,
            at=self._ctx.clock.now(),
            entity=entity,
        )
        with self._ctx.transaction(actor) as tx:
            current = _found(tx, customer_id)
            kept = tuple(r for r in current.credit_releases if r.document_ref != release.document_ref)
            stored = tx.uow.customers.update(
                evolve(current, credit_releases=(*kept, release)), expected_version=current.version
            )
            tx.audit(
                "credit_release", [stored.id], {"credit_release": {"before": None, "after": to_data(release)}}
            )
        return stored

    def _use_release(self, actor: Actor, customer: Customer, release: CreditRelease) -> None:
        """A release lets its document through once: using it removes it (audited)."""
        with self._ctx.transaction(actor) as tx:
            remaining = tuple(r for r in customer.credit_releases if r != release)
            tx.uow.customers.update(
                evolve(customer, credit_releases=remaining), expected_version=customer.version
            )
            tx.audit(
                "credit_release_used",
                [customer.id],
                {"credit_release": {"before": to_data(release), "after": None}},
            )

    def _change_hold(
        self, actor: Actor, customer_id: str, entity: str | None, hold: CreditHold | None
    ) -> Outcome[Customer]:
        with self._ctx.transaction(actor) as tx:
            config = tx.uow.configuration.get(actor.tenant)
            self._ctx.require(actor, "credit.hold", config)
            if entity is not None and not config.has_entity(entity):
                raise NotFound("legal entity", entity)
            current = _found(tx, customer_id)
            payload = {"customer_id": customer_id, "entity": entity, "hold": to_data(hold) if hold else None}
            request = tx.route(
                config,
                "credit_hold",
                payload=payload,
                kind=current.kind,
                customer_versions={current.id: current.version},
            )
            if request is not None:
                return Outcome(None, (), request)
            stored = self._apply_hold(tx, current, entity, hold)
        return Outcome(stored if self._ctx.can(actor, "view_sensitive", config) else masked_customer(stored))

    def apply_request(self, tx: Transaction, request: ChangeRequest) -> Customer:
        """Apply an approved credit-hold change (for tenants that put holds in a lane)."""
        payload = request.payload
        data = payload.get("hold")
        hold = None
        if isinstance(data, Mapping):
            hold = CreditHold(
                reason=str(data["reason"]), by=str(data["by"]), at=datetime.fromisoformat(str(data["at"]))
            )
        entity = payload.get("entity")
        return self._apply_hold(
            tx, _found(tx, str(payload["customer_id"])), str(entity) if entity else None, hold
        )

    def _apply_hold(
        self, tx: Transaction, current: Customer, entity: str | None, hold: CreditHold | None
    ) -> Customer:
        changed = (
            evolve(current, credit_hold=hold) if entity is None else _with_entity_hold(current, entity, hold)
        )
        if changed == current:
            return current
        stored = tx.uow.customers.update(changed, expected_version=current.version)
        delta = change_set(to_data(current), to_data(stored))
        tx.audit("credit_hold" if hold else "credit_hold_release", [stored.id], delta)
        payload = {"customer_id": stored.id, "entity": entity, "hold": to_data(hold) if hold else None}
        tx.emit("credit_hold_changed", {"customer": stored, "entity": entity, "hold": hold}, payload)
        return stored

    def _convert(self, amount: Decimal, from_currency: str, to_currency: str, time_zone: str) -> Decimal:
        if from_currency == to_currency:
            return amount
        rates = self._ctx.exchange_rates
        rate = rates.rate(from_currency, to_currency, self._ctx.clock.today(time_zone)) if rates else None
        if rate is None:
            raise BusinessRuleViolation(
                "currency_not_convertible",
                f"no exchange rate from {from_currency} to {to_currency}; the document cannot be checked",
            )
        return amount * rate


def _with_entity_hold(customer: Customer, entity: str, hold: CreditHold | None) -> Customer:
    override = customer.override_for(entity) or EntityOverride(entity=entity)
    others = tuple(o for o in customer.overrides if o.entity != entity)
    return evolve(customer, overrides=(*others, evolve(override, credit_hold=hold)))


def _release_for(customer: Customer, document_ref: str | None, entity: str) -> CreditRelease | None:
    if document_ref is None:
        return None
    return next(
        (
            r
            for r in customer.credit_releases
            if r.document_ref == document_ref and r.entity in (None, entity)
        ),
        None,
    )


def _not_checked(currency: str) -> CreditDecision:
    """Hosts may switch the check off for a document type (R-5.7): approved, unchecked."""
    return CreditDecision(
        outcome="approved",
        reasons=(),
        limit=None,
        exposure=Exposure(),
        available=None,
        currency=currency,
        policy="off",
    )


def _found(tx: Transaction, customer_id: str) -> Customer:
    customer = tx.uow.customers.get(tx.tenant, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
