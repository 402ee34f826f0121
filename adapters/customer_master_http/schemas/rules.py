"""The rules as the API offers them: credit checks, holds and releases (SPEC R-5),
payment schedules (R-6), price resolution (R-7), merge (R-8) and the receivables feed
(R-13.1)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from customer_master_http.schemas.common import Money, day, decimal, text
from customer_master_http.schemas.customers import CustomerSchema

DOCUMENT_TYPES = ("quotation", "order", "delivery", "invoice")

# ---------------------------------------------------------------------------
# Credit
# ---------------------------------------------------------------------------


class CreditCheckSchema(Schema):
    """A document to check against the customer's credit for one legal entity."""

    entity = fields.String(required=True, metadata={"example": "MY01"})
    amount = Money(required=True, metadata={"description": "The document's amount.", "example": "10000.00"})
    currency = fields.String(metadata={"description": "Default: the customer's effective currency."})
    document_type = fields.String(
        load_default="order",
        validate=validate.OneOf(DOCUMENT_TYPES),
        metadata={"description": "Hosts choose per document type whether the check runs (R-5.7)."},
    )
    document_ref = fields.String(metadata={"description": "A released document passes once (R-5.7)."})


class ExposureSchema(Schema):
    receivables = decimal(description="Open invoice balances less unapplied credits.")
    open_orders = decimal(description="Orders not yet invoiced.")
    document = decimal(description="This document.")
    total = decimal()


class CreditReasonSchema(Schema):
    code = text(enum=["inactive", "credit_hold", "overdue", "over_limit", "not_enabled_for_entity"])
    severity = text(enum=["approved", "warning", "blocked"])
    message = text()


class CreditDecisionSchema(Schema):
    """The credit decision (R-5.6)."""

    outcome = text(enum=["approved", "warning", "blocked"])
    reasons = fields.List(fields.Nested(CreditReasonSchema))
    limit = decimal(nullable=True)
    exposure = fields.Nested(ExposureSchema)
    available = decimal(nullable=True, description="Limit less exposure; null when there is no limit.")
    currency = text()
    policy = text(enum=["block", "warn", "off"])
    released = fields.Boolean(metadata={"description": "Passed because a user released this document."})
    releasable = fields.Boolean(metadata={"description": "May a user with credit_override release it?"})
    masked = fields.Boolean(metadata={"description": "Figures withheld: you lack view_sensitive (R-12.2)."})


class CreditHoldRequestSchema(Schema):
    reason = fields.String(required=True, metadata={"example": "Cheque returned unpaid"})
    entity = fields.String(metadata={"description": "Hold only this legal entity's account."})


class CreditReleaseRequestSchema(Schema):
    document_ref = fields.String(required=True, metadata={"example": "SO-2026-0042"})
    reason = fields.String(required=True, metadata={"example": "CFO approved by phone"})
    entity = fields.String()


# ---------------------------------------------------------------------------
# Payment schedules and prices
# ---------------------------------------------------------------------------


class InvoiceScheduleQuerySchema(Schema):
    entity = fields.String(required=True)
    invoice_date = fields.Date(required=True)
    amount = Money(required=True, metadata={"example": "1200.00"})
    currency = fields.String(metadata={"description": "Default: the customer's effective currency."})
    terms = fields.String(metadata={"description": "The document's own terms; default: the customer's."})


class TermsScheduleQuerySchema(Schema):
    invoice_date = fields.Date(required=True)
    amount = Money(required=True, metadata={"example": "1200.00"})
    currency = fields.String(required=True, metadata={"example": "USD"})


class InstallmentSchema(Schema):
    due_date = day()
    amount = decimal()
    discount_date = day(nullable=True)
    discount_amount = decimal()


class InvoiceScheduleSchema(Schema):
    terms = text(nullable=True, description="The payment-terms code used; null: due on the invoice date.")
    installments = fields.List(fields.Nested(InstallmentSchema))
    due_date = day(description="The invoice's due date: its latest installment's (R-6.4).")


class PriceQuerySchema(Schema):
    entity = fields.String(required=True)
    item = fields.String(required=True, metadata={"example": "WIDGET-10"})
    quantity = Money(required=True, metadata={"example": "12"})
    on = fields.Date(metadata={"description": "Default: today in the tenant's time zone."})


class SkippedSourceSchema(Schema):
    source = text(enum=["tier", "last_price", "price_list", "standard"])
    code = text()
    message = text()


class PriceResolutionSchema(Schema):
    """The price source that won and why the ones before it did not apply (R-7.2)."""

    source = text(
        nullable=True, description="tier, last_price, price_list:CODE, standard:CODE; null: no price."
    )
    unit_price = decimal(nullable=True)
    currency = text(nullable=True)
    found = fields.Boolean()
    skipped = fields.List(fields.Nested(SkippedSourceSchema))


# ---------------------------------------------------------------------------
# Merge
# ---------------------------------------------------------------------------


class MergeRequestSchema(Schema):
    target_id = fields.String(required=True, metadata={"description": "The customer that stays."})


class MergeResultSchema(Schema):
    target = fields.Nested(CustomerSchema)
    source = fields.Nested(CustomerSchema)
    folded = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Exact duplicates folded, per record kind."},
    )


# ---------------------------------------------------------------------------
# Receivables feed
# ---------------------------------------------------------------------------


class _Document(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    document_date = fields.Date(required=True)
    amount = Money(required=True, metadata={"example": "1500.00"})
    currency = fields.String(required=True, validate=validate.Length(equal=3), metadata={"example": "MYR"})


class InvoiceFeedSchema(_Document):
    """An invoice of the host: what the customer owes and when it is due."""

    due_date = fields.Date(required=True)
    balance = Money(metadata={"description": "Unpaid balance; default: the amount."})


class CreditFeedSchema(_Document):
    """A credit note or a payment not yet applied to an invoice."""

    balance = Money(metadata={"description": "Unapplied balance; default: the amount."})


class OpenOrderFeedSchema(Schema):
    """A sales order accepted but not yet invoiced."""

    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    amount = Money(required=True)
    currency = fields.String(required=True, validate=validate.Length(equal=3))


class InvoicedRateSchema(Schema):
    """The rate of a sales-invoice line, for last-price pricing (R-7.2)."""

    item = fields.String(required=True, validate=validate.Length(min=1, max=64))
    unit_price = Money(required=True)
    currency = fields.String(required=True, validate=validate.Length(equal=3))
    invoiced_on = fields.Date(required=True)


class OpenItemSchema(Schema):
    number = text()
    customer_id = text()
    entity = text()
    kind = text(enum=["invoice", "credit_note", "payment"])
    document_date = day()
    due_date = day(nullable=True)
    amount = decimal()
    balance = decimal()
    currency = text()


class OpenOrderSchema(Schema):
    number = text()
    customer_id = text()
    entity = text()
    amount = decimal()
    currency = text()


class InvoicedRateResultSchema(Schema):
    item = text()
    unit_price = decimal()
    currency = text()
    invoiced_on = day()
