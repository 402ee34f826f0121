"""Change requests (SPEC R-10), the audit trail and its verification, the timeline and
notes (R-11)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from customer_master_http.schemas.common import instant, strings, text


class ApprovalSchema(Schema):
    step = fields.Integer(metadata={"description": "The step decided, from 0."})
    role = text()
    user = text()
    decision = text(enum=["approved", "rejected"])
    at = instant()
    comment = text(nullable=True)


class ChangeRequestSchema(Schema):
    """An operation waiting for approval, or decided (R-10.2)."""

    id = text()
    tenant = text()
    operation = text(example="create")
    payload = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        metadata={"description": "The validated operation, applied on the final approval."},
    )
    customer_ids = strings()
    customer_versions = fields.Dict(keys=fields.String(), values=fields.Integer())
    submitter = text()
    submitted_at = instant()
    lane = text(enum=["green", "yellow", "red"])
    steps = strings(description="The role that approves each step, in order.")
    approvals = fields.List(fields.Nested(ApprovalSchema))
    state = text(enum=["pending", "approved", "rejected", "failed"])
    outcome = text(nullable=True, description="What applying it did, or why it failed.")
    decided_at = instant(nullable=True)
    next_role = text(nullable=True, description="The role that decides the next step; null when decided.")


class ChangeRequestQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(["pending", "approved", "rejected", "failed"]))
    customer_id = fields.String()
    mine = fields.Boolean(
        load_default=False, metadata={"description": "Only pending requests whose next step I may decide."}
    )


class DecisionSchema(Schema):
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))


class AuditRecordSchema(Schema):
    """One applied operation with its before and after values (R-11.1), sealed into the
    tenant's hash chain (R-11.2)."""

    id = text()
    tenant = text()
    operation = text()
    customer_ids = strings()
    actor = text(description="Who submitted the operation.")
    occurred_at = instant()
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        metadata={"description": "`{field: {before, after}}`."},
    )
    approvals = fields.List(fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)))
    correlation_id = text(nullable=True)
    channel = text(
        nullable=True,
        enum=["http", "cli", "mcp", "python", None],
        description="The door the operation came through; null for records kept before channels were.",
    )
    sequence = fields.Integer()
    previous_hash = text()
    hash = text()


class ChainReportSchema(Schema):
    checked = fields.Integer(metadata={"description": "How many records were checked."})
    intact = fields.Boolean()
    first_broken = fields.Integer(
        allow_none=True, metadata={"description": "Sequence of the first bad record."}
    )
    reason = text(nullable=True)


class CheckpointSchema(Schema):
    """An audit checkpoint: the tenant's chain head at a moment (R-11.2). Keep it
    outside this service's database; send it back to `POST /audit/verify`."""

    tenant = fields.String(required=True, metadata={"example": "acme"})
    sequence = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0),
        metadata={"description": "The head record's sequence."},
    )
    hash = fields.String(
        required=True, validate=validate.Length(max=128), metadata={"description": "The head record's hash."}
    )
    taken_at = fields.String(
        required=True, metadata={"format": "date-time", "example": "2026-03-01T09:00:00+00:00"}
    )


class TimelineEntrySchema(Schema):
    at = instant()
    kind = text()
    actor = text()
    summary = text()
    details = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))


class NoteSchema(Schema):
    id = text()
    customer_id = text()
    author = text()
    at = instant()
    text = fields.String()


class NoteInputSchema(Schema):
    text = fields.String(
        required=True, metadata={"example": "Called about the overdue invoice INV-2026-0101."}
    )
