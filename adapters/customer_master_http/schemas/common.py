"""Building blocks shared by the schemas: problem details, field errors and warnings,
and field makers that document decimals and dates the way the API writes them (as
strings, so money stays exact)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from customer_master.domain.bounds import AMOUNT_MAXIMUM, AMOUNT_PLACES, RefusedValue, amount

LIMIT = AMOUNT_MAXIMUM
DECIMAL_DOC = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?\d{1,12}(\.\d{1,6})?$",
    "maxLength": 20,
}
NUMBER_DOC = {"type": "number", "minimum": -float(AMOUNT_MAXIMUM), "maximum": float(AMOUNT_MAXIMUM)}


class Money(fields.Field[Decimal]):
    """A decimal read exactly from a string (``"1250.50"``) or a JSON number by the
    core's one rule (``bounds.amount``): less than 10^12 in size, at most 6 decimal
    places, never a float; documented as either form."""

    default_error_messages = {"invalid": "Not a valid number."}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"oneOf": [DECIMAL_DOC, NUMBER_DOC], **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        try:
            return amount(value, places=AMOUNT_PLACES)
        except RefusedValue as refused:
            raise ValidationError(f"{str(value)[:40]!r} {refused}") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


def text(*, description: str = "", nullable: bool = False, **doc: Any) -> fields.String:
    return fields.String(allow_none=nullable, metadata={"description": description, **doc})


def decimal(*, description: str = "", nullable: bool = False, example: str = "1000.00") -> fields.String:
    """A decimal written as a string (``"1250.50"``)."""
    return fields.String(
        allow_none=nullable,
        metadata={"description": description, "format": "decimal", "example": example},
    )


def day(*, description: str = "", nullable: bool = False) -> fields.String:
    """A date written ``YYYY-MM-DD``."""
    return fields.String(allow_none=nullable, metadata={"description": description, "format": "date"})


def instant(*, description: str = "", nullable: bool = False) -> fields.String:
    """A UTC timestamp in ISO 8601."""
    return fields.String(allow_none=nullable, metadata={"description": description, "format": "date-time"})


def strings(*, description: str = "") -> fields.List[Any]:
    return fields.List(fields.String(), metadata={"description": description})


def raw(kind: str, description: str, *, nullable: bool = True, **doc: Any) -> fields.Raw:
    """A field passed through to the core unchecked (the core reads it and reports
    problems with their paths); ``kind`` documents the JSON type expected."""
    return fields.Raw(allow_none=nullable, metadata={"type": kind, "description": description, **doc})


def decimal_input(description: str, example: str = "1000.00") -> fields.Raw:
    """A decimal in a request: a string (``"1250.50"``) or a JSON number, read exactly."""
    return fields.Raw(
        allow_none=True,
        metadata={"description": description, "example": example, "oneOf": [DECIMAL_DOC, {"type": "number"}]},
    )


class FieldErrorSchema(Schema):
    path = text(description="Where the problem is, e.g. `addresses[2].country`; `$` for the whole body.")
    code = text(description="A stable code for programs, e.g. `required`, `invalid`, `unknown_field`.")
    message = text(description="What is wrong, for people.")


class FieldWarningSchema(Schema):
    path = text(description="The field the warning is about.")
    code = text(description="e.g. `large_credit_limit`, `similar_name`, `exemption_expired`.")
    message = text(description="The warning, for people.")


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    class Meta:
        unknown = EXCLUDE

    type = text(description="A URI reference naming the problem type; GET it for an explanation.")
    title = text(description="A short summary of the problem type.")
    status = fields.Integer(metadata={"description": "The HTTP status code."})
    detail = text(description="What went wrong with this request.")
    instance = text(description="The path of the request.")
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "Every field problem."})
    code = text(description="For business-rule problems: the rule that refused (stable).")
    current_version = fields.Integer(metadata={"description": "For version conflicts: the current version."})


class ProblemTypeSchema(Schema):
    type = text()
    title = text()
    description = text()
