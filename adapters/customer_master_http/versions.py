"""Optimistic concurrency over HTTP (SPEC R-1.9, R-16.2): a customer's ``ETag`` is its
version, and a change must send the version it was based on as ``If-Match``.

>>> etag(7), parse_version('"7"'), parse_version('W/"7"'), parse_version("7")
('"7"', 7, 7, 7)
"""

from __future__ import annotations

from flask import request

from customer_master_http.problems import problem

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The `ETag` of the customer as you read it (its version), e.g. `"3"`. '
    "Missing → 428; not the current version → 412.",
    "schema": {"type": "string", "pattern": r'^(W/)?"[0-9]{1,18}"$', "example": '"3"'},
}

ETAG_HEADER = {"description": "The customer's version, for `If-Match`.", "schema": {"type": "string"}}


def etag(version: int) -> str:
    """The strong entity tag of a customer version."""
    return f'"{version}"'


def parse_version(value: str) -> int | None:
    """The version inside an ``If-Match`` value, or ``None`` when it names none."""
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    return int(text) if text.isdigit() and len(text) < 19 else None


def expected_version() -> int:
    """The version the request's ``If-Match`` names; 428 when missing, 400 when it is
    not one of this API's entity tags."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise problem(428, "precondition-required", "send the customer's ETag as If-Match")
    version = parse_version(header)
    if version is None:
        raise problem(
            400,
            "malformed-request",
            f'If-Match {header!r} is not a customer ETag; send the ETag you read, e.g. "3"',
        )
    return version
