"""The rules on one customer: credit checks, credit holds and one-time releases
(SPEC R-5), the payment schedule of an invoice (R-6), price resolution (R-7), and merge
(R-8). Hard delete is ``DELETE /customers/{id}`` (customers module)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.views import MethodView

from customer_master.domain.serialize import Data, to_data
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.render import decision_data, price_data
from customer_master_http.resources.base import Blueprint
from customer_master_http.resources.customers import ETAG, PENDING, customer_result, pending
from customer_master_http.schemas.customers import CustomerResultSchema, EntityPathSchema
from customer_master_http.schemas.rules import (
    CreditCheckSchema,
    CreditDecisionSchema,
    CreditHoldRequestSchema,
    CreditReleaseRequestSchema,
    InvoiceScheduleQuerySchema,
    InvoiceScheduleSchema,
    MergeRequestSchema,
    MergeResultSchema,
    PriceQuerySchema,
    PriceResolutionSchema,
)

blp = Blueprint(
    "rules",
    __name__,
    url_prefix="/customers",
    description="Credit control, payment schedules, price resolution and merge for one customer "
    "(SPEC R-5 to R-8).",
)


@blp.route("/<customer_id>/credit-check")
class CreditCheck(MethodView):
    @requires(None)
    @blp.arguments(
        CreditCheckSchema,
        as_kwargs=True,
        example={
            "entity": "MY01",
            "amount": "10000.00",
            "document_type": "order",
            "document_ref": "SO-2026-0042",
        },
    )
    @blp.response(200, CreditDecisionSchema)
    def post(self, customer_id: str, **document: Any) -> Data:
        """Check a document against the customer's credit

        Exposure = open receivables + open orders + this document, for the legal entity's
        effective view. The decision (`approved`, `warning`, `blocked`) lists every reason
        that applied (R-5.1–R-5.7). A document released earlier passes once.
        """
        decision = customer_master().credit.check(current_actor(), customer_id, **document)
        return decision_data(decision)


@blp.route("/<customer_id>/credit-hold")
class CreditHold(MethodView):
    @requires(None)
    @blp.arguments(CreditHoldRequestSchema, as_kwargs=True)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.alt_response(202, **PENDING)
    def put(self, customer_id: str, reason: str, entity: str | None = None) -> Any:
        """Put the customer on credit hold

        Every credit check is blocked while the hold is on, whatever the figures (R-5.3).
        With `entity`, only that legal entity's account is held. Needs `credit.hold`.
        """
        changed = customer_master().credit.set_hold(
            current_actor(), customer_id, reason=reason, entity=entity
        )
        return customer_result(changed, 200)

    @requires(None)
    @blp.arguments(EntityPathSchema, location="query", as_kwargs=True)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.alt_response(202, **PENDING)
    def delete(self, customer_id: str, entity: str | None = None) -> Any:
        """Release the credit hold

        Of the whole customer, or of one legal entity's account with `entity`.
        """
        changed = customer_master().credit.release_hold(current_actor(), customer_id, entity=entity)
        return customer_result(changed, 200)


@blp.route("/<customer_id>/credit-releases")
class CreditRelease(MethodView):
    @requires(None)
    @blp.arguments(CreditReleaseRequestSchema, as_kwargs=True)
    @blp.response(201, CustomerResultSchema, headers=ETAG)
    def post(self, customer_id: str, **release: Any) -> Any:
        """Release a blocked document once

        The next credit check of that document passes (its figures become warnings); the
        release is audited. Needs the `credit_override` permission and a reason (R-5.7).
        """
        changed = customer_master().credit.release_document(current_actor(), customer_id, **release)
        return customer_result(changed, 201)


@blp.route("/<customer_id>/payment-schedule")
class PaymentSchedule(MethodView):
    @requires("customer.read")
    @blp.arguments(InvoiceScheduleQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, InvoiceScheduleSchema)
    def get(
        self,
        customer_id: str,
        entity: str,
        invoice_date: date,
        amount: Decimal,
        currency: str | None = None,
        terms: str | None = None,
    ) -> Data:
        """The payment schedule of an invoice

        Installments (due date, amount, discount date and amount) under the invoice's own
        terms (`terms`) or the customer's effective terms for the entity; the invoice's
        due date is its latest installment's (R-6.2, R-6.4).
        """
        result = customer_master().terms.invoice_schedule(
            current_actor(),
            customer_id,
            entity=entity,
            invoice_date=invoice_date,
            amount=amount,
            currency=currency,
            terms_code=terms,
        )
        return {
            "terms": result.terms.code if result.terms else None,
            "installments": [to_data(i) for i in result.installments],
            "due_date": result.due_date.isoformat(),
        }


@blp.route("/<customer_id>/price")
class Price(MethodView):
    @requires("customer.read")
    @blp.arguments(PriceQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, PriceResolutionSchema)
    def get(
        self, customer_id: str, entity: str, item: str, quantity: Decimal, on: date | None = None
    ) -> Data:
        """Resolve the unit price of an item

        Pricing tier → last invoiced rate (if on) → the customer's price list → the
        standard price list → no price. The answer names the source that won and why the
        ones before it did not apply (R-7.2).
        """
        resolution = customer_master().pricing.resolve(
            current_actor(), customer_id, entity=entity, item_code=item, quantity=quantity, on=on
        )
        return price_data(resolution)


@blp.route("/<customer_id>/merge")
class Merge(MethodView):
    @requires(None)
    @blp.arguments(MergeRequestSchema, as_kwargs=True)
    @blp.response(200, MergeResultSchema)
    @blp.alt_response(202, **PENDING)
    def post(self, customer_id: str, target_id: str) -> Any:
        """Merge this customer into another

        Addresses, contacts, bank accounts, tiers, tax profiles, tax ids, tags and
        enablements move to the target (exact duplicates folded); this customer becomes
        inactive with `merged_into` set; open items move too (R-8). Needs `customer.merge`.
        """
        result = customer_master().lifecycle.merge(current_actor(), customer_id, target_id)
        if result.change_request is not None:
            return pending(result.change_request)
        assert result.target is not None, "an applied merge names its target"
        assert result.source is not None, "an applied merge names its source"
        return {"target": to_data(result.target), "source": to_data(result.source), "folded": result.folded}
