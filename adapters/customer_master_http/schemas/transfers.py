"""Bulk import and export (SPEC R-9): the upload form of an import with its options, the
import job the API answers with, and the export query (the customer list's filters)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from customer_master.domain.import_report import OUTCOMES
from customer_master.domain.importing import MAX_BATCH, ON_DUPLICATE, PRESETS
from customer_master_http.schemas.approvals import ChangeRequestSchema
from customer_master_http.schemas.common import text
from customer_master_http.schemas.customers import CustomerQuerySchema

FORMATS = ("csv", "xlsx")
JOB_STATES = ("completed", "failed", "validated", "pending_approval")

# ---------------------------------------------------------------------------
# The upload (request)
# ---------------------------------------------------------------------------


class FilePart(Upload):
    """A file part of a multipart body (a part with a file name), as werkzeug's
    ``FileStorage``; documented as a binary string."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a file: send the file as a multipart part with a file name."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise self.make_error("invalid")
        return value


class JsonObject(fields.Field):
    """A JSON object written as text (a form field), read into a dict."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if not isinstance(value, str):
            raise ValidationError("Not a JSON object.")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(f"Not valid JSON: {error}") from error
        if not isinstance(parsed, dict):
            raise ValidationError("Not a JSON object.")
        return parsed


class ImportUploadSchema(Schema):
    """A ``multipart/form-data`` body: the ``file`` part and the import's options (R-9.4).
    The options may also be given in the query string."""

    file = FilePart(
        required=True,
        metadata={"description": "The CSV or XLSX file (by its name, content type or content)."},
    )
    on_duplicate = fields.String(
        load_default="skip",
        validate=validate.OneOf(ON_DUPLICATE),
        metadata={"description": "What a row matching a known customer does (R-9.3)."},
    )
    batch_size = fields.Integer(
        load_default=100,
        strict=False,
        validate=validate.Range(min=1, max=MAX_BATCH),
        metadata={"description": "Rows per atomic batch."},
    )
    stop_on_error = fields.Boolean(
        load_default=False, metadata={"description": "The first failed row ends the import."}
    )
    validate_only = fields.Boolean(
        load_default=False, metadata={"description": "A dry run: the full report, nothing written."}
    )
    preset = fields.String(
        validate=validate.OneOf(sorted(PRESETS)),
        metadata={"description": "Column names of a CRM export."},
    )
    mapping = JsonObject(
        metadata={
            "type": "string",
            "description": 'A JSON column mapping: `{"columns": {header: column}, "defaults": '
            '{column: value}, "values": {column: {written: meant}}}` (laid over the preset, if any).',
            "example": '{"columns": {"Company": "name"}, "defaults": {"legal_entity": "MY01"}}',
        }
    )
    format = fields.String(
        validate=validate.OneOf(FORMATS),
        metadata={"description": "The file's format, when neither its name nor its content type says."},
    )
    delimiter = fields.String(
        validate=validate.Length(equal=1), metadata={"description": "CSV delimiter (default: sniffed)."}
    )
    encoding = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "CSV encoding (default: told from the file: a byte order mark, UTF-16/32, UTF-8 "
            "or a legacy encoding; a file whose encoding cannot be told is refused, naming ones to try)."
        },
    )
    sheet = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "XLSX sheet (default: the first)."},
    )


# ---------------------------------------------------------------------------
# The job (response)
# ---------------------------------------------------------------------------


class ImportFileSchema(Schema):
    name = text(description="The uploaded file's name.")
    sha256 = text(description="The SHA-256 of the file's bytes (hex); a change request carries it.")
    format = text(enum=list(FORMATS))
    size = fields.Integer(metadata={"description": "Bytes."})


class ImportCountsSchema(Schema):
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    skipped = fields.Integer()
    failed = fields.Integer()


class RowProblemSchema(Schema):
    column = text(description="The file's column (empty: the row as a whole).")
    code = text()
    message = text()


class RowOutcomeSchema(Schema):
    row = fields.Integer(metadata={"description": "The row number as a spreadsheet counts (header: 1)."})
    outcome = text(enum=list(OUTCOMES))
    customer = text(nullable=True, description="The code of the customer created, updated or matched.")
    message = text(description="Why the row was skipped or failed as a whole.")
    problems = fields.List(fields.Nested(RowProblemSchema))
    warnings = fields.List(fields.Nested(RowProblemSchema))


class ImportFailureSchema(Schema):
    row = fields.Integer()
    customer = text(nullable=True)
    column = text()
    code = text()
    message = text()


class ImportJobSchema(Schema):
    """An import as it ran (synchronously): its state, counts, the first failures and
    every row's outcome; or, waiting for approval, the dry run's and the change request."""

    class Meta:
        unknown = EXCLUDE

    id = text(description="The job; for `pending_approval`, the change request's id.")
    status = text(
        enum=list(JOB_STATES),
        description="`completed`: every row created, updated or skipped; `failed`: some rows failed "
        "(the others were imported, batch by batch); `validated`: a dry run; `pending_approval`: "
        "a change request holds the rows until it is approved.",
    )
    file = fields.Nested(ImportFileSchema)
    options = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    counts = fields.Nested(ImportCountsSchema)
    stopped_at = fields.Integer(allow_none=True, metadata={"description": "With `stop_on_error`."})
    ignored_columns = fields.List(fields.String(), metadata={"description": "Headers no column matched."})
    failures = fields.List(
        fields.Nested(ImportFailureSchema), metadata={"description": "The first failed rows' problems."}
    )
    failures_truncated = fields.Boolean(metadata={"description": "More problems than `failures` lists."})
    outcomes = fields.List(fields.Nested(RowOutcomeSchema), metadata={"description": "Every row's outcome."})
    change_request = fields.Nested(
        ChangeRequestSchema,
        allow_none=True,
        metadata={"description": "For `pending_approval`: the request (its payload without the rows)."},
    )


# ---------------------------------------------------------------------------
# The export (request)
# ---------------------------------------------------------------------------


class ExportQuerySchema(CustomerQuerySchema):
    """The customer list's filters and sort, without paging (the whole list is
    exported), and the file's format."""

    class Meta:
        exclude = ("limit", "after")

    format = fields.String(
        load_default="csv", validate=validate.OneOf(FORMATS), metadata={"description": "The file's format."}
    )
