"""Tool input schemas from the HTTP adapter's marshmallow schemas (DESIGN.md "One
description of the record"): the same fields, types, limits and descriptions as the API's
bodies and queries, plus what the API carries in its paths (which customer, which change
request). apispec turns them into JSON Schema (OpenAPI 3.1 flavour: ``null`` is a type),
and the same marshmallow schema checks the arguments of each call.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields

from customer_master.errors import FieldError, ValidationFailed
from customer_master_http.limits import body_problem
from customer_master_http.schemas.common import Money

CUSTOMER = "The customer's code (CUS-0001) or id."


def customer_key(description: str = CUSTOMER) -> fields.String:
    return fields.String(required=True, metadata={"description": description})


def with_fields(
    base: type[Schema], name: str, exclude: tuple[str, ...] = (), **extra: fields.Field
) -> Schema:
    """``base`` (an HTTP schema) with the fields the API puts in its path, as one schema
    instance for the tool; ``exclude`` leaves out what the tool decides itself."""
    schema_class = base.from_dict(dict(extra), name=name)
    return schema_class(exclude=exclude)


def json_schema(schema: Schema) -> dict[str, Any]:
    """The JSON Schema of a tool's arguments: an object, unknown keys refused."""
    converted: dict[str, Any] = _json_numbers(_converter().schema2jsonschema(schema))
    converted.setdefault("properties", {})
    converted["type"] = "object"
    converted["additionalProperties"] = schema.unknown in (INCLUDE, EXCLUDE)
    return converted


def _json_numbers(value: Any) -> Any:
    """Limits written as decimals (``Money``'s ±10^12) as JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    return value


def load(schema: Schema, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The call's arguments read by the schema, exact numbers kept: a JSON number arrives
    here as a float, and is read as the decimal it was written as (its shortest form).
    A control character in any text is refused first, as over HTTP (``limits.py``)."""
    unreadable = body_problem(dict(arguments))
    if unreadable:
        raise ValidationFailed(unreadable)
    try:
        loaded: dict[str, Any] = schema.load(_exact(dict(arguments)))
    except ValidationError as error:
        raise ValidationFailed(_field_errors(error.normalized_messages())) from None
    return loaded


def _exact(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


def _field_errors(messages: Any, prefix: str = "") -> list[FieldError]:
    """marshmallow's nested messages as field errors with paths (``amount``, ``tags.0``)."""
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [FieldError(prefix or "_", "invalid", "; ".join(messages))]
    errors: list[FieldError] = []
    if isinstance(messages, Mapping):
        for key, inner in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            errors += _field_errors(inner, path)
    return errors


_CONVERTER: OpenAPIConverter | None = None


def _converter() -> OpenAPIConverter:
    """apispec's converter as the HTTP app sets it up (``Money``: a string or a number)."""
    global _CONVERTER
    if _CONVERTER is None:
        plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)
        APISpec("customer-master MCP", "1", "3.1.0", plugins=[plugin])
        assert plugin.converter is not None, "apispec sets the converter up on init_spec"
        plugin.converter.map_to_openapi_type(Money, None, None)
        _CONVERTER = plugin.converter
    return _CONVERTER
