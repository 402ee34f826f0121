"""The receivables as the API offers them beyond the feed: applications and reversals
(R-13.1), the aging (R-13.2) and statements of account with their sending (R-13.3)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from customer_master_http.schemas.common import Money, day, decimal, text

_CODE = validate.Length(min=1, max=64)


class ApplicationRequestSchema(Schema):
    """Apply a payment or credit note to an invoice of the same customer."""

    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    credit_kind = fields.String(required=True, validate=validate.OneOf(["payment", "credit_note"]))
    credit_number = fields.String(required=True, validate=_CODE)
    invoice_number = fields.String(required=True, validate=_CODE)
    amount = Money(required=True, metadata={"example": "250.00"})
    on = fields.Date(metadata={"description": "Default: today."})


class ApplicationSchema(Schema):
    customer_id = text()
    entity = text()
    credit_kind = text()
    credit_number = text()
    invoice_number = text()
    amount = decimal()
    currency = text()
    applied_on = day()


class ReversalRequestSchema(Schema):
    """Reverse a document entered in error (nothing applied to it)."""

    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    kind = fields.String(required=True, validate=validate.OneOf(["invoice", "credit_note", "payment"]))
    number = fields.String(required=True, validate=_CODE)
    on = fields.Date(metadata={"description": "Default: today."})


class AgingQuerySchema(Schema):
    as_of = fields.Date(metadata={"description": "Default: today."})
    entity = fields.String(validate=validate.Length(min=1, max=32))
    customer_group = fields.String(validate=_CODE)
    region = fields.String(validate=_CODE)
    salesperson = fields.String(validate=_CODE)
    overdue_only = fields.Boolean(load_default=False)
    after = fields.String(
        validate=_CODE, metadata={"description": "The page key: the last code of the page before."}
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class CustomerAgingQuerySchema(Schema):
    as_of = fields.Date(metadata={"description": "Default: today."})
    entity = fields.String(validate=validate.Length(min=1, max=32))


class BucketsSchema(Schema):
    current = decimal()
    days_1_30 = decimal()
    days_31_60 = decimal()
    days_61_90 = decimal()
    over_90 = decimal()
    total = decimal()


class AgingLineSchema(Schema):
    customer_id = text()
    code = text()
    name = text()
    entity = text()
    currency = text()
    buckets = fields.Nested(
        BucketsSchema, allow_none=True, metadata={"description": "null: masked (R-12.2)."}
    )


class AgingReportSchema(Schema):
    as_of = day()
    lines = fields.List(fields.Nested(AgingLineSchema))
    totals = fields.Dict(keys=fields.String(), values=fields.Nested(BucketsSchema, allow_none=True))
    next_after = text(nullable=True, description="Pass as `after` for the next page; null: last page.")
    masked = fields.Boolean()


class StatementQuerySchema(Schema):
    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    start = fields.Date(required=True, data_key="from", metadata={"description": "First day of the period."})
    end = fields.Date(required=True, data_key="to", metadata={"description": "Last day of the period."})
    currency = fields.String(validate=validate.Length(equal=3))


class SendRequestSchema(Schema):
    entity = fields.String(required=True, validate=validate.Length(min=1, max=32))
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


class BatchRequestSchema(SendRequestSchema):
    customer_group = fields.String(validate=_CODE)
    region = fields.String(validate=_CODE)
    salesperson = fields.String(validate=_CODE)
    overdue_only = fields.Boolean(load_default=False)


class StatementLineSchema(Schema):
    on = day()
    kind = text(enum=["invoice", "credit_note", "payment", "reversal"])
    number = text()
    reference = text(nullable=True)
    due_date = day(nullable=True)
    debit = decimal(nullable=True)
    credit = decimal(nullable=True)
    balance = decimal(nullable=True)


class StatementSchema(Schema):
    id = text()
    entity = fields.Dict()
    customer = fields.Dict()
    currency = text()
    start = day()
    end = day()
    issued_on = day()
    opening = decimal(nullable=True)
    lines = fields.List(fields.Nested(StatementLineSchema))
    closing = decimal(nullable=True)
    aging = fields.Nested(BucketsSchema, allow_none=True)
    masked = fields.Boolean()


class SendResultSchema(Schema):
    customer_id = text()
    code = text()
    statement_id = text(nullable=True)
    status = text(enum=["sent", "already_sent", "failed", "no_email"])
    to = text(nullable=True)
    error = text(nullable=True)
    attempts = fields.Integer()
    closing = decimal(nullable=True)


class BatchJobSchema(Schema):
    id = text()
    status = text(enum=["running", "completed"])
    total = fields.Integer()
    done = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    results = fields.List(fields.Nested(SendResultSchema))
