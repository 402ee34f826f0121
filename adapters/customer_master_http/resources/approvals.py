"""Change requests: list, read, approve, reject (SPEC R-10.2, R-10.3); the audit trail
and its verification; a customer's timeline and notes (R-11)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from customer_master.domain.checkpoint import Checkpoint
from customer_master.domain.serialize import Data, to_data
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.render import audit_record_data, chain_report_data, change_request_data
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.approvals import (
    AuditRecordSchema,
    ChainReportSchema,
    ChangeRequestQuerySchema,
    ChangeRequestSchema,
    CheckpointSchema,
    DecisionSchema,
    NoteInputSchema,
    NoteSchema,
    TimelineEntrySchema,
)

approvals = Blueprint(
    "change-requests",
    __name__,
    url_prefix="/change-requests",
    description="Operations waiting for approval, and their decisions (SPEC R-10).",
)

audit = Blueprint(
    "audit",
    __name__,
    url_prefix="",
    description="The append-only audit trail, its verification, timelines and notes (SPEC R-11).",
)


@approvals.route("")
class ChangeRequests(MethodView):
    @requires(None)
    @approvals.arguments(ChangeRequestQuerySchema, location="query", as_kwargs=True)
    @approvals.response(200, ChangeRequestSchema(many=True))
    def get(self, state: str | None = None, customer_id: str | None = None, mine: bool = False) -> list[Data]:
        """List change requests

        Newest first, by state and customer; `mine=true`: pending requests whose next
        step you may decide (your approval inbox).
        """
        found = customer_master().approvals.list(
            current_actor(), state=state, customer_id=customer_id, mine=mine
        )
        return [change_request_data(r) for r in found]


@approvals.route("/<request_id>")
class ChangeRequest(MethodView):
    @requires(None)
    @approvals.response(200, ChangeRequestSchema)
    def get(self, request_id: str) -> Data:
        """Read a change request"""
        return change_request_data(customer_master().approvals.get(current_actor(), request_id))


@approvals.route("/<request_id>/approve")
class Approve(MethodView):
    @requires(None)
    @approvals.arguments(DecisionSchema, as_kwargs=True)
    @approvals.response(200, ChangeRequestSchema)
    def post(self, request_id: str, comment: str | None = None) -> Data:
        """Approve the next step

        By a user holding the step's role, not the submitter, and not one who decided an
        earlier step. The final approval re-validates the operation against the current
        state and applies it; if a customer changed meanwhile it fails (409) and nothing
        is applied (R-10.2, R-10.3).
        """
        return change_request_data(
            customer_master().approvals.approve(current_actor(), request_id, comment=comment)
        )


@approvals.route("/<request_id>/reject")
class Reject(MethodView):
    @requires(None)
    @approvals.arguments(DecisionSchema, as_kwargs=True)
    @approvals.response(200, ChangeRequestSchema)
    def post(self, request_id: str, comment: str | None = None) -> Data:
        """Reject the next step

        The request ends; nothing is applied.
        """
        return change_request_data(
            customer_master().approvals.reject(current_actor(), request_id, comment=comment)
        )


@audit.route("/audit")
class Trail(MethodView):
    @requires(None)
    @audit.response(200, AuditRecordSchema(many=True))
    def get(self) -> list[Data]:
        """The tenant's audit trail

        Every applied operation, oldest first, with before and after values, who
        submitted and who approved (R-11.1). Needs `audit.read`.
        """
        return [audit_record_data(r) for r in customer_master().audit.trail(current_actor())]


@audit.route("/audit/verify")
class Verify(MethodView):
    @requires(None)
    @audit.response(200, ChainReportSchema)
    def get(self) -> Data:
        """Verify the audit trail's hash chain

        Walks the tenant's chain and names the first record that does not hold (R-11.2).
        An empty trail while the tenant has customers is reported as emptied.
        """
        return chain_report_data(customer_master().audit.verify(current_actor()))

    @requires(None)
    @audit.arguments(CheckpointSchema)
    @audit.response(200, ChainReportSchema)
    def post(self, checkpoint: dict[str, Any]) -> Data:
        """Verify the audit trail against a checkpoint

        As `GET`, and the trail must still reach the checkpoint's record with the hash it
        saw: a cut tail, an emptied trail or a forged tail is reported (R-11.2).
        """
        against = Checkpoint.from_data(checkpoint)
        return chain_report_data(customer_master().audit.verify(current_actor(), against=against))


@audit.route("/audit/checkpoints")
class Checkpoints(MethodView):
    @requires(None)
    @audit.response(201, CheckpointSchema)
    def post(self) -> tuple[Data, int]:
        """Anchor the audit chain

        Answers the tenant's chain head (sequence and hash) now and sends it as an
        `audit_checkpoint` event through the outbox. Keep the answer outside this
        service's database, and verify against it later (R-11.2). Needs `audit.read`.
        """
        return customer_master().audit.checkpoint(current_actor()).to_data(), 201


@audit.route("/customers/<customer_id>/audit")
class CustomerTrail(MethodView):
    @requires(None)
    @audit.response(200, AuditRecordSchema(many=True))
    def get(self, customer_id: str) -> list[Data]:
        """A customer's audit records

        Oldest first (R-11.1). Needs `audit.read`.
        """
        return [audit_record_data(r) for r in customer_master().audit.trail(current_actor(), customer_id)]


@audit.route("/customers/<customer_id>/timeline")
class Timeline(MethodView):
    @requires(None)
    @audit.response(200, TimelineEntrySchema(many=True))
    def get(self, customer_id: str) -> list[Data]:
        """A customer's activity timeline

        Changes, credit holds, change requests and notes, newest first (R-11.3).
        """
        return [to_data(e) for e in customer_master().audit.timeline(current_actor(), customer_id)]


@audit.route("/customers/<customer_id>/notes")
class Notes(MethodView):
    @requires(None)
    @audit.response(200, NoteSchema(many=True))
    def get(self, customer_id: str) -> list[Data]:
        """A customer's internal notes, oldest first"""
        return [to_data(n) for n in customer_master().audit.notes(current_actor(), customer_id)]

    @requires(None)
    @audit.arguments(NoteInputSchema, as_kwargs=True)
    @audit.response(201, NoteSchema)
    def post(self, customer_id: str, text: str) -> tuple[Data, int]:
        """Add an internal note

        Notes are never edited: a correction is a new note (R-11.3).
        """
        note = customer_master().audit.add_note(current_actor(), customer_id, text)
        return to_data(note), 201


__all__ = ["approvals", "audit"]
