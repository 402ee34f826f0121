"""Applications and reversals of fed documents (R-13.1), the aging (R-13.2) and
statements of account (R-13.3) over HTTP: download a statement as JSON, PDF or XLSX (by
``Accept``), send one by mail, or send a batch as a job whose status can be asked.

Batch jobs run in a thread of the worker that took the request and are kept in that
worker's memory (docs/decisions/0033): ask for a job's status on the same server
process, or send batches from the CLI.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date
from typing import Any

from flask import Response, request
from flask.views import MethodView

from customer_master.domain.aging import BUCKETS, AgingBuckets, AgingQuery, AgingReport
from customer_master.domain.serialize import Data, to_data
from customer_master.domain.statements import Statement
from customer_master.services.statements import BatchFilter, SendResult
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.problems import problem
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.receivables import (
    AgingQuerySchema,
    AgingReportSchema,
    ApplicationRequestSchema,
    ApplicationSchema,
    BatchJobSchema,
    BatchRequestSchema,
    CustomerAgingQuerySchema,
    ReversalRequestSchema,
    SendRequestSchema,
    SendResultSchema,
    StatementQuerySchema,
    StatementSchema,
)
from customer_master_http.schemas.rules import OpenItemSchema

blp = Blueprint(
    "statements",
    __name__,
    url_prefix="/",
    description="Applications and reversals, the aging and statements of account (SPEC R-13).",
)

JSON = "application/json"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def buckets_data(buckets: AgingBuckets | None) -> Data | None:
    if buckets is None:
        return None
    return {**{b: str(getattr(buckets, b)) for b in BUCKETS}, "total": str(buckets.total)}


def aging_data(report: AgingReport) -> Data:
    return {
        "as_of": report.as_of.isoformat(),
        "lines": [
            {
                **{k: getattr(line, k) for k in ("customer_id", "code", "name", "entity", "currency")},
                "buckets": buckets_data(line.buckets),
            }
            for line in report.lines
        ],
        "totals": {currency: buckets_data(b) for currency, b in report.totals.items()},
        "next_after": report.next_after,
        "masked": report.masked,
    }


def statement_data(statement: Statement) -> Data:
    data: dict[str, Any] = dict(to_data(statement))
    data["aging"] = buckets_data(statement.aging)
    data.pop("tenant", None)
    return data


def _today() -> date:
    master = customer_master()
    zone = master.configuration.get(current_actor()).settings.time_zone
    return master.context.clock.today(zone)


@blp.route("/receivables/applications")
class Applications(MethodView):
    @requires("customer.write")
    @blp.arguments(ApplicationRequestSchema, as_kwargs=True)
    @blp.response(201, ApplicationSchema)
    def post(self, **application: Any) -> tuple[Data, int]:
        """Apply a payment or credit note to an invoice

        Both balances go down by the amount (at most either balance); the aging as of an
        earlier date adds it back (R-13.1, R-13.2).
        """
        applied = customer_master().receivables.apply(current_actor(), **application)
        return to_data(applied), 201


@blp.route("/receivables/reversals")
class Reversals(MethodView):
    @requires("customer.write")
    @blp.arguments(ReversalRequestSchema, as_kwargs=True)
    @blp.response(201, OpenItemSchema)
    def post(self, **reversal: Any) -> tuple[Data, int]:
        """Reverse a document entered in error

        Its balance becomes 0 from the reversal date; a statement shows the reversal.
        """
        return to_data(customer_master().receivables.reverse(current_actor(), **reversal)), 201


@blp.route("/aging")
class Aging(MethodView):
    @requires("customer.read")
    @blp.arguments(AgingQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, AgingReportSchema)
    def get(self, overdue_only: bool, as_of: date | None = None, **filters: Any) -> Data:
        """The tenant's aging, one page of customers

        Buckets current, 1–30, 31–60, 61–90 and over 90 days past due as of `as_of`
        (default today), per customer and entity in the customer's currency, with totals
        per currency (R-13.2). Figures are masked without `view_sensitive` (R-12.2).
        Pages follow customer codes: pass `next_after` as `after`.
        """
        query = AgingQuery(as_of=as_of or _today(), **filters)
        report = customer_master().receivables.aging(current_actor(), query)
        data = aging_data(report)
        if overdue_only:
            data["lines"] = [
                line
                for line in data["lines"]
                if line["buckets"] is not None and line["buckets"]["total"] != line["buckets"]["current"]
            ]
        return data


@blp.route("/customers/<customer_id>/aging")
class CustomerAging(MethodView):
    @requires("customer.read")
    @blp.arguments(CustomerAgingQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, AgingReportSchema)
    def get(self, customer_id: str, as_of: date | None = None, entity: str | None = None) -> Data:
        """One customer's aging, per legal entity (R-13.2)"""
        report = customer_master().receivables.customer_aging(
            current_actor(), customer_id, as_of=as_of, entity=entity
        )
        return aging_data(report)


@blp.route("/customers/<customer_id>/open-items")
class OpenItems(MethodView):
    @requires("customer.read")
    @blp.response(200, OpenItemSchema(many=True))
    def get(self, customer_id: str) -> list[Data]:
        """The documents fed for the customer (R-13.1)"""
        return [to_data(i) for i in customer_master().receivables.open_items(current_actor(), customer_id)]


@blp.route("/customers/<customer_id>/statement")
class StatementOfAccount(MethodView):
    @requires("customer.read")
    @blp.arguments(StatementQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, StatementSchema)
    @blp.doc(
        responses={
            "200": {
                "content": {
                    JSON: {"schema": {"$ref": "#/components/schemas/Statement"}},
                    PDF: _BINARY,
                    XLSX: _BINARY,
                }
            }
        }
    )
    def get(self, customer_id: str, **period: Any) -> Any:
        """A statement of account

        Opening balance, each document of the period with its running balance, closing
        balance and aging at the end (R-13.3), as JSON, or as a PDF or XLSX document by
        the `Accept` header. Figures are masked without `view_sensitive`.
        """
        statement = customer_master().statements.statement(current_actor(), customer_id, **period)
        wanted = request.accept_mimetypes.best_match(
            ["application/json", PDF, XLSX], default="application/json"
        )
        if wanted in (PDF, XLSX):
            from customer_master_statements import PdfStatements, XlsxStatements

            renderer = PdfStatements() if wanted == PDF else XlsxStatements()
            body = renderer.render(statement)
            filename = f"{statement.id}.{renderer.extension}"
            return Response(
                body, mimetype=wanted, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
            )
        return statement_data(statement)


@blp.route("/customers/<customer_id>/statement/send")
class SendStatement(MethodView):
    @requires("customer.write")
    @blp.arguments(SendRequestSchema, as_kwargs=True)
    @blp.response(200, SendResultSchema)
    def post(self, customer_id: str, **period: Any) -> Data:
        """Send the statement by e-mail

        As a PDF to the primary contact (else billing e-mail); on the timeline and
        audited. Sent once per statement: again, it answers `already_sent`. A failure is
        tried again and answered as `failed` with the reason (R-13.3).
        """
        return to_data(customer_master().statements.send(current_actor(), customer_id, **period))


_JOBS: dict[str, dict[str, Any]] = {}
_JOBS_LOCK = threading.Lock()


@blp.route("/statement-batches")
class StatementBatches(MethodView):
    @requires("customer.write")
    @blp.arguments(BatchRequestSchema, as_kwargs=True)
    @blp.response(202, BatchJobSchema)
    def post(self, entity: str, start: date, end: date, **filters: Any) -> tuple[Data, int, dict[str, str]]:
        """Send the statements of many customers

        Every customer with documents for the entity, narrowed by group, region,
        salesperson or to those overdue; runs as a job: ask `GET /statement-batches/{id}`.
        """
        master, actor = customer_master(), current_actor()
        which = BatchFilter(entity=entity, **filters)
        customers = master.statements.batch_customers(actor, which, end=end, for_sending=True)
        job_id = uuid.uuid4().hex
        job: dict[str, Any] = {
            "id": job_id,
            "tenant": actor.tenant,
            "status": "running",
            "total": len(customers),
            "done": 0,
            "results": [],
        }

        def heard(result: SendResult) -> None:
            with _JOBS_LOCK:
                job["results"].append(to_data(result))
                job["done"] += 1

        def run() -> None:
            try:
                master.statements.send_batch(actor, which, start=start, end=end, progress=heard)
            finally:
                job["status"] = "completed"

        with _JOBS_LOCK:
            _JOBS[job_id] = job
        threading.Thread(target=run, name=f"statement-batch-{job_id}", daemon=True).start()
        return _job_data(job), 202, {"Location": f"/statement-batches/{job_id}"}


@blp.route("/statement-batches/<job_id>")
class StatementBatch(MethodView):
    @requires("customer.write")
    @blp.response(200, BatchJobSchema)
    def get(self, job_id: str) -> Data:
        """Where a batch send stands: counts per status and each customer's result"""
        job = _JOBS.get(job_id)
        if job is None or job["tenant"] != current_actor().tenant:
            raise problem(404, "not-found", f"no statement batch {job_id} on this server")
        return _job_data(job)


def _job_data(job: dict[str, Any]) -> Data:
    with _JOBS_LOCK:
        results = list(job["results"])
        counts: dict[str, int] = {}
        for result in results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        return {
            "id": job["id"],
            "status": job["status"],
            "total": job["total"],
            "done": job["done"],
            "counts": counts,
            "results": results,
        }
