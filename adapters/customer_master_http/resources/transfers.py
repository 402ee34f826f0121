"""Bulk import and export over HTTP (SPEC R-9, R-10): upload a CSV or XLSX file and get
the import's job back; download the customer list as a file.

``POST /imports`` runs the import **synchronously**, within the request: the upload is
limited to ``MAX_UPLOAD_BYTES`` (8 MiB) and ``MAX_ROWS`` (10,000) rows, so that the
import ends well within a worker's timeout; above either, 413. Larger files go through
the command line (``customer-master import FILE``), which streams a file of any size.
The answer is the finished job — its status, counts, first failures and every row's
outcome — or, with ``Accept: text/csv``, the per-row CSV report itself. Jobs are not
stored: the report comes with the answer (docs/decisions/0013-http-import-jobs.md).
When the tenant's import lane is not green (R-10.1), the file is checked (a dry run)
and a change request holds its rows until it is approved: 202.

``GET /exports`` writes the customers the list's filters select, in the columns an
import reads, masked as the caller may see them (the export service decides).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from itertools import islice
from pathlib import PurePath
from typing import IO, Any

import flask
from flask import Response, request, send_file
from flask.views import MethodView
from werkzeug.datastructures import FileStorage

from customer_master.domain.import_report import ImportResult
from customer_master.domain.importing import PRESETS, ColumnMapping, ImportOptions, SourceRow, mapping_from
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import Data, to_data
from customer_master.errors import FieldError, ValidationFailed
from customer_master_files import UnreadableFile, read_csv, read_xlsx, write_csv, write_xlsx
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.problems import problem
from customer_master_http.render import change_request_data, json_response
from customer_master_http.resources.base import MultipartBlueprint, MultipartParser
from customer_master_http.schemas.transfers import ExportQuerySchema, ImportJobSchema, ImportUploadSchema

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_ROWS = 10_000
FAILURES_LISTED = 100
CHUNK = 1 << 16

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLSX_TYPES = frozenset({XLSX, "application/vnd.ms-excel.sheet.macroenabled.12"})
_CSV_TYPES = frozenset(
    {CSV, "text/plain", "text/tab-separated-values", "application/csv", "application/vnd.ms-excel"}
)
_ZIP_MAGIC = b"PK\x03\x04"


class UploadParser(MultipartParser):
    """The parser of the upload: at most ``MAX_UPLOAD_BYTES``."""

    def limit(self, req: flask.Request) -> int:
        return MAX_UPLOAD_BYTES

    def too_large(self, req: flask.Request) -> Exception:
        return _too_large()


class TransferBlueprint(MultipartBlueprint):
    ARGUMENTS_PARSER = UploadParser()


blp = TransferBlueprint(
    "transfers",
    __name__,
    url_prefix="",
    description="Bulk import of customers from CSV and XLSX files, and export (SPEC R-9).",
)

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_REPORT_CSV = {
    "schema": {"type": "string"},
    "example": "row,outcome,customer,column,code,message\n2,created,CUS-0001,,,\n",
}
_JOB_HEADERS = {
    "Import-Id": {"description": "The job's id.", "schema": {"type": "string"}},
    "Import-Status": {"description": "The job's status (also in a JSON body).", "schema": {"type": "string"}},
}
_IMPORT_RESPONSES = {
    201: {"content": {CSV: _REPORT_CSV}},
    202: {"content": {CSV: _REPORT_CSV}},
}


@blp.route("/imports")
class Imports(MethodView):
    # The permission is checked before the upload is read (the service checks it again).
    @requires("customer.write")
    @blp.arguments(ImportUploadSchema, location="multipart")
    @blp.response(201, ImportJobSchema, headers=_JOB_HEADERS)
    @blp.alt_response(
        202,
        schema=ImportJobSchema,
        description="Accepted: the import waits for approval as a change request (R-10); the body is "
        "the dry run a reviewer sees.",
        headers={
            **_JOB_HEADERS,
            "Location": {"schema": {"type": "string"}, "description": "The change request."},
        },
    )
    @blp.alt_response(413, response=HTTPStatus(413).name)
    @blp.doc(responses=_IMPORT_RESPONSES)
    def post(self, form: dict[str, Any]) -> Any:
        """Import customers from a CSV or XLSX file

        Upload the file as the `file` part of a `multipart/form-data` body, with the
        options as form fields (or in the query string): `on_duplicate` (skip, update,
        error), `batch_size` (1–1000), `stop_on_error`, `validate_only`, `preset`
        (salesforce, hubspot), `mapping` (JSON). The import runs within the request and
        answers with its job: `status`, `counts`, the first `failures` (row, column, code,
        message) and every row's `outcomes`; with `Accept: text/csv`, the per-row report
        as CSV instead. Files up to 8 MiB and 10,000 rows; import larger ones with the
        command line (`customer-master import FILE`). When imports need approval in the
        tenant, the file is checked and submitted as a change request: 202.
        """
        upload: FileStorage = form["file"]
        options = _options(form)
        kind = _format_of(upload, form.get("format"))
        checksum, size = _checksum(upload.stream)
        rows = _rows(upload.stream, kind, form)
        master, actor = customer_master(), current_actor()
        if options.validate_only:
            result = master.imports.run(actor, rows, options, checksum=checksum)
        else:
            result = master.imports.submit(actor, rows, options, checksum)
        job = _job(result, form, upload, kind, checksum, size)
        log.info("import %s by %s/%s: %s", job["id"], actor.tenant, actor.user, result.summary())
        status = 202 if result.change_request is not None else 201
        headers = {"Import-Id": job["id"], "Import-Status": job["status"]}
        if result.change_request is not None:
            headers["Location"] = f"/change-requests/{result.change_request.id}"
        if _wants_csv():
            name = f"{PurePath(upload.filename or 'import').stem}-report.csv"
            headers["Content-Disposition"] = _attachment(name)
            return Response(result.to_csv(), status=status, headers=headers, mimetype=CSV)
        return json_response(job, status, headers)


@blp.route("/exports")
class Exports(MethodView):
    @requires(None)
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(
        200,
        description="The customers as a file (`Content-Disposition: attachment`).",
        headers={
            "Content-Disposition": {"schema": {"type": "string"}, "description": "attachment; filename=…"},
            "Export-Count": {"schema": {"type": "integer"}, "description": "The customers written."},
        },
    )
    @blp.doc(responses={200: {"content": {CSV: _BINARY, XLSX: _BINARY}}})
    def get(self, args: dict[str, Any]) -> Response:
        """Export customers to CSV or XLSX

        The customers the filters select (those of the customer list; by default the
        active ones), in the columns an import reads: export, edit in a spreadsheet,
        import with `on_duplicate=update` (R-9.6). Without `view_sensitive` the masked
        columns are left out of the file. Cells that would start a formula are written
        with a leading apostrophe.
        """
        kind = args.pop("format")
        export = customer_master().exports.export(current_actor(), CustomerQuery(**args))
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=MAX_UPLOAD_BYTES)  # noqa: SIM115 - send_file closes it
        try:
            write = write_xlsx if kind == "xlsx" else write_csv
            count = write(spool, export.columns, export.rows)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        response = send_file(
            spool,
            mimetype=XLSX if kind == "xlsx" else f"{CSV}; charset=utf-8",
            as_attachment=True,
            download_name=f"customers-{stamp}.{kind}",
            max_age=0,
        )
        response.headers["Export-Count"] = str(count)
        response.headers["Cache-Control"] = "no-store"
        return response


# ---------------------------------------------------------------------------
# The upload
# ---------------------------------------------------------------------------


def _options(form: dict[str, Any]) -> ImportOptions:
    mapping: ColumnMapping = PRESETS[form["preset"]] if form.get("preset") else ColumnMapping()
    if form.get("mapping") is not None:
        try:
            mapping = mapping_from(form["mapping"], base=mapping)
        except ValueError as error:
            raise ValidationFailed([FieldError("mapping", "invalid", str(error))]) from error
    return ImportOptions(
        on_duplicate=form["on_duplicate"],
        batch_size=form["batch_size"],
        stop_on_error=form["stop_on_error"],
        validate_only=form["validate_only"],
        mapping=mapping,
    )


def _format_of(upload: FileStorage, given: str | None) -> str:
    """``csv`` or ``xlsx``: as given, else by the file's name, its content type, its first
    bytes (an XLSX workbook is a zip archive)."""
    if given:
        return given
    suffix = PurePath(upload.filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if upload.mimetype in _XLSX_TYPES:
        return "xlsx"
    if upload.mimetype in _CSV_TYPES:
        return "csv"
    stream = upload.stream
    start = stream.tell()
    head = stream.read(len(_ZIP_MAGIC))
    stream.seek(start)
    return "xlsx" if head == _ZIP_MAGIC else "csv"


def _checksum(stream: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the upload, read in chunks; the stream is rewound."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise _too_large()
    return digest.hexdigest(), size


def _rows(stream: IO[bytes], kind: str, form: dict[str, Any]) -> list[SourceRow]:
    """Every row of the file, read before anything is imported: a file that cannot be
    read, has no rows or too many changes nothing."""
    try:
        reader: Iterator[SourceRow] = (
            read_xlsx(stream, sheet=form.get("sheet"))
            if kind == "xlsx"
            else read_csv(stream, delimiter=form.get("delimiter"), encoding=form.get("encoding"))
        )
        rows = list(islice(reader, MAX_ROWS + 1))
    except UnreadableFile as error:
        raise ValidationFailed([FieldError(_culprit(str(error), form), "unreadable", str(error))]) from error
    except (UnicodeError, LookupError) as error:  # an encoding given that cannot decode the file
        raise ValidationFailed([FieldError("encoding", "unreadable", str(error))]) from error
    if len(rows) > MAX_ROWS:
        raise problem(
            413,
            "payload-too-large",
            f"the file has more than {MAX_ROWS:,} rows: import it with the command line "
            "(customer-master import FILE), which streams a file of any size",
        )
    if not rows:
        raise ValidationFailed([FieldError("file", "empty", "the file has a header but no rows, or nothing")])
    return rows


def _culprit(message: str, form: dict[str, Any]) -> str:
    """The option a whole-file problem comes from (an encoding or sheet given), else the file."""
    for option in ("encoding", "sheet"):
        if form.get(option) and option in message:
            return option
    return "file"


def _too_large() -> Exception:
    return problem(
        413,
        "payload-too-large",
        f"an uploaded file is limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB: import a larger one with "
        "the command line (customer-master import FILE)",
    )


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------


def _job(
    result: ImportResult, form: dict[str, Any], upload: FileStorage, kind: str, checksum: str, size: int
) -> Data:
    request_ = result.change_request
    if request_ is not None:
        status = "pending_approval"
    elif result.validate_only:
        status = "validated"
    else:
        status = "failed" if result.has_failures else "completed"
    failures = [
        {k: line[k] if k != "row" else int(line[k]) for k in ("row", "customer", "column", "code", "message")}
        for outcome in result.outcomes
        if outcome.outcome == "failed"
        for line in outcome.report_lines()
    ]
    change_request = None
    if request_ is not None:
        change_request = change_request_data(request_)
        change_request["payload"] = {k: v for k, v in change_request["payload"].items() if k != "rows"}
    return {
        "id": request_.id if request_ is not None else uuid.uuid4().hex,
        "status": status,
        "file": {"name": upload.filename or "", "sha256": checksum, "format": kind, "size": size},
        "options": {
            "on_duplicate": form["on_duplicate"],
            "batch_size": form["batch_size"],
            "stop_on_error": form["stop_on_error"],
            "validate_only": form["validate_only"],
            "preset": form.get("preset"),
        },
        "counts": {"rows": result.rows, **result.counts},
        "stopped_at": result.stopped_at,
        "ignored_columns": list(result.ignored_columns),
        "failures": failures[:FAILURES_LISTED],
        "failures_truncated": len(failures) > FAILURES_LISTED,
        "outcomes": [to_data(o) for o in result.outcomes],
        "change_request": change_request,
    }


def _wants_csv() -> bool:
    """Whether the client prefers the CSV report to the JSON job (``Accept: text/csv``)."""
    accept = request.accept_mimetypes
    return accept[CSV] > accept["application/json"]


def _attachment(name: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "report.csv"
    return f'attachment; filename="{safe}"'
