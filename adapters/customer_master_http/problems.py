"""Every error as RFC 9457 problem details (``application/problem+json``).

The core's exceptions map to statuses here, in one place (DESIGN.md, "Errors"):
``ValidationFailed`` → 422 with every field error, ``NotFound`` → 404, ``Conflict`` → 409
(412 when the version came from ``If-Match``), ``Forbidden`` → 403,
``BusinessRuleViolation`` → 422 with its ``code``. HTTP errors (unknown route, wrong
method, malformed JSON) and anything unexpected become problems too: a client never
sees a traceback or an HTML page.

>>> problem = Problem(404, "not-found", "Not found", "customer 'x' not found")
>>> problem.to_data("/customers/x")["type"]
'/problems/not-found'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from customer_master.errors import (
    BusinessRuleViolation,
    Conflict,
    CustomerMasterError,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger(__name__)

# The problem types this API answers with: slug → (title, what it means and what to do).
PROBLEM_TYPES: Mapping[str, tuple[str, str]] = {
    "validation-failed": (
        "The request has invalid fields",
        "Every problem is listed in `errors` with its field path, a stable code and a message. "
        "Nothing was changed.",
    ),
    "malformed-request": (
        "The request cannot be read",
        "The body is not valid JSON, or a header is malformed. Nothing was changed.",
    ),
    "unauthorized": (
        "Authentication required",
        "Send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`. "
        "`customer-master apikey create` makes one.",
    ),
    "forbidden": ("Not allowed", "Your roles do not grant the permission this operation needs."),
    "not-found": ("Not found", "There is no such resource in your tenant."),
    "conflict": ("Conflict", "The resource changed since you read it, or a unique key is taken."),
    "precondition-failed": (
        "The customer changed since you read it",
        "The `If-Match` version is not the current one. Read the customer again (its `ETag` is the "
        "current version), re-apply your change and send it with the new `If-Match`.",
    ),
    "precondition-required": (
        "If-Match required",
        "Changes to a customer must name the version they were based on: send the `ETag` you read "
        "as `If-Match`.",
    ),
    "business-rule": (
        "A business rule refuses the operation",
        "`code` names the rule (e.g. `has_transaction_history`, `merged`); `detail` says why.",
    ),
    "method-not-allowed": ("Method not allowed", "This resource does not support that HTTP method."),
    "unsupported-media-type": ("Unsupported media type", "Send the body as `application/json`."),
    "payload-too-large": (
        "Request body too large",
        "Bodies are limited to 16 MiB; an import file uploaded to `POST /imports` to 8 MiB and 10,000 "
        "rows. Split the work, or import large files with the command line (`customer-master import`).",
    ),
    "server-error": (
        "Internal server error",
        "Something went wrong on the server; it has been logged. Try again or contact the operator.",
    ),
    "http-error": ("HTTP error", "A protocol-level error; see `status` and `detail`."),
}


class Problem(Exception):
    """An error response the adapter itself decides on (401, 428, malformed input)."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = tuple(errors)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def to_data(self, instance: str) -> dict[str, Any]:
        return {
            "type": f"/problems/{self.kind}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "errors": [e.to_data() for e in self.errors],
            **self.extra,
        }


def problem(status: int, kind: str, detail: str, **kwargs: Any) -> Problem:
    """A ``Problem`` with the title of its registered type."""
    return Problem(status, kind, PROBLEM_TYPES[kind][0], detail, **kwargs)


def problem_response(error: Problem) -> Response:
    body = json.dumps(error.to_data(request.path if request else ""), ensure_ascii=False)
    response = Response(body, status=error.status, mimetype=PROBLEM_JSON)
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


# ---------------------------------------------------------------------------
# The core's errors
# ---------------------------------------------------------------------------


def from_core(error: CustomerMasterError) -> Problem:
    """The problem for an exception the core raised on purpose."""
    if isinstance(error, ValidationFailed):
        count = len(error.errors)
        detail = f"{count} field{'s are' if count != 1 else ' is'} invalid; see errors."
        return problem(422, "validation-failed", detail, errors=error.errors)
    if isinstance(error, NotFound):
        return problem(404, "not-found", str(error))
    if isinstance(error, Conflict):
        extra = {"current_version": error.current_version} if error.current_version is not None else {}
        if error.current_version is not None and "If-Match" in request.headers:
            return problem(
                412,
                "precondition-failed",
                str(error),
                extra=extra,
                headers={"ETag": f'"{error.current_version}"'},
            )
        return problem(409, "conflict", str(error), extra=extra)
    if isinstance(error, Forbidden):
        return problem(403, "forbidden", str(error))
    if isinstance(error, BusinessRuleViolation):
        return problem(422, "business-rule", str(error), extra={"code": error.code})
    return problem(422, "business-rule", str(error), extra={"code": "refused"})


# ---------------------------------------------------------------------------
# HTTP-level errors (werkzeug) and request parsing errors (webargs / marshmallow)
# ---------------------------------------------------------------------------

_HTTP_KINDS = {
    400: "malformed-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    428: "precondition-required",
}

# marshmallow's messages for the shape checks at the boundary, as the core's codes.
_MESSAGE_CODES = {
    "Unknown field.": "unknown_field",
    "Missing data for required field.": "required",
    "Field may not be null.": "null",
    "Invalid input type.": "not_an_object",
    "Not a valid string.": "not_a_string",
    "Not a valid integer.": "not_an_integer",
    "Not a valid number.": "not_a_decimal",
    "Not a valid boolean.": "not_a_boolean",
    "Not a valid date.": "not_a_date",
    "Not a valid list.": "not_a_list",
    "Not a valid mapping type.": "not_an_object",
}


def from_http(error: HTTPException) -> Problem:
    """The problem for a werkzeug HTTP exception, with the field errors webargs attached."""
    status = error.code or 500
    kind = _HTTP_KINDS.get(status, "http-error")
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    errors = list(field_errors(messages)) if isinstance(messages, Mapping) else []
    headers = dict(data.get("headers") or {})
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(allowed)
    if errors:
        detail = f"{len(errors)} field{'s are' if len(errors) != 1 else ' is'} invalid; see errors."
    else:
        detail = data.get("message") or error.description or PROBLEM_TYPES.get(kind, ("", ""))[1]
    title = PROBLEM_TYPES[kind][0] if kind != "http-error" else (error.name or "HTTP error")
    return Problem(status, kind, title, str(detail), errors=errors, headers=headers)


def field_errors(messages: Mapping[str, Any], base: str = "") -> Iterable[FieldError]:
    """webargs' nested ``{location: {field: [messages]}}`` as flat field errors; the body's
    fields keep their own path (``addresses``), query and header fields are prefixed
    with nothing either — they are named as the parameter is."""
    for key, value in messages.items():
        if not base and key in ("json", "query", "headers", "path", "form", "files", "multipart", "cookies"):
            yield from field_errors(value, "") if isinstance(value, Mapping) else ()
            continue
        path = _join(base, key)
        if isinstance(value, Mapping):
            yield from field_errors(value, path)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    yield from field_errors(item, path)
                else:
                    yield FieldError(path or "$", _MESSAGE_CODES.get(str(item), "invalid"), str(item))
        else:
            yield FieldError(path or "$", _MESSAGE_CODES.get(str(value), "invalid"), str(value))


def _join(base: str, key: object) -> str:
    if key == "_schema":
        return base
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else str(key)


# ---------------------------------------------------------------------------
# Wiring
# ---------------------------------------------------------------------------


def register_error_handlers(app: Flask) -> None:
    """Make every error a problem response."""

    @app.errorhandler(Problem)
    def _problem(error: Problem) -> Response:
        return problem_response(error)

    @app.errorhandler(CustomerMasterError)
    def _core(error: CustomerMasterError) -> Response:
        return problem_response(from_core(error))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        return problem_response(from_http(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return problem_response(problem(500, "server-error", PROBLEM_TYPES["server-error"][1]))
