"""Payment schedules and due dates as a service (SPEC R-6): the rule is in
``domain/terms.py``; this finds the terms — given by code, or the customer's effective
terms for the entity (R-6.4) — and the tenant's rounding settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attrs import frozen

from customer_master.actor import Actor
from customer_master.domain.effective import effective_view
from customer_master.domain.receivables import exact_amount
from customer_master.domain.terms import Installment, PaymentTerms, schedule
from customer_master.errors import BusinessRuleViolation, FieldError, NotFound, ValidationFailed
from customer_master.services.base import ServiceContext


@frozen(kw_only=True)
class InvoiceSchedule:
    """The installments of one invoice, the terms they came from (``None``: due on the
    invoice date) and the invoice's due date — its latest installment's (R-6.4)."""

    terms: PaymentTerms | None
    installments: tuple[Installment, ...]
    due_date: date


class TermsService:
    """Schedules for invoices."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def schedule(
        self, actor: Actor, terms_code: str, *, invoice_date: date, amount: object, currency: str
    ) -> tuple[Installment, ...]:
        """The installments of an invoice under the tenant's terms ``terms_code`` (R-6.2)."""
        config = self._ctx.require(actor, "customer.read")
        terms = config.payment_terms.get(terms_code)
        if terms is None:
            raise NotFound("payment terms", terms_code)
        return schedule(
            terms,
            invoice_date,
            _decimal(amount),
            currency=currency,
            settings=config.settings.schedule_settings(),
        )

    def invoice_schedule(
        self,
        actor: Actor,
        customer_id: str,
        *,
        entity: str,
        invoice_date: date,
        amount: object,
        currency: str | None = None,
        terms_code: str | None = None,
    ) -> InvoiceSchedule:
        """The schedule of a customer's invoice for ``entity``: the document's own terms if
        given, else the customer's effective terms; none → due on the invoice date.
        Refused with ``not_enabled_for_entity`` for an entity the customer is not
        enabled for (R-7.3)."""
        config = self._ctx.require(actor, "customer.read")
        customer = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        if customer is None:
            raise NotFound("customer", customer_id)
        if not config.has_entity(entity):
            raise NotFound("legal entity", entity)
        if not customer.is_enabled_for(entity):
            raise BusinessRuleViolation(
                "not_enabled_for_entity", f"customer {customer.code} is not enabled for legal entity {entity}"
            )
        view = effective_view(customer, entity).customer
        code = terms_code or view.payment_terms
        terms = config.payment_terms.get(code) if code else None
        if code and terms is None:
            raise NotFound("payment terms", code)
        invoice_currency = currency or view.currency
        if invoice_currency is None:
            raise ValidationFailed(
                [FieldError("currency", "required", "the customer has no currency; give one")]
            )
        if terms is None:
            line = Installment(due_date=invoice_date, amount=_decimal(amount), discount_amount=Decimal(0))
            return InvoiceSchedule(terms=None, installments=(line,), due_date=invoice_date)
        lines = schedule(
            terms,
            invoice_date,
            _decimal(amount),
            currency=invoice_currency,
            settings=config.settings.schedule_settings(),
        )
        return InvoiceSchedule(terms=terms, installments=lines, due_date=max(i.due_date for i in lines))


def _decimal(amount: object) -> Decimal:
    """An amount from any exact number (R-7.3); negative amounts (credit notes) too."""
    value = exact_amount(amount, "amount", signed=True)
    if isinstance(value, FieldError):
        raise ValidationFailed([value])
    return value
