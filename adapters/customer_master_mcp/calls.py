"""One tool call: who is asking (the API key's actor, stamped with the channel ``mcp``),
the arguments read by the tool's schema, and the answer — the API's data as structured
content plus a short summary in words — or a tool error with its reasons. A business
refusal (credit blocked, merge forbidden, a role without permission) is a tool error the
assistant can read, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from attrs import evolve, frozen
from marshmallow import Schema
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.errors import (
    BusinessRuleViolation,
    Conflict,
    CustomerMasterError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from customer_master_mcp.confirm import CONFIRM, Confirmations
from customer_master_mcp.schemas import load

KEY_VARIABLE = "CUSTOMER_MASTER_API_KEY"
CHANNEL = "mcp"


class Refused(CustomerMasterError):
    """The call cannot go ahead as asked (no key, a stale confirmation, a path over HTTP)."""


@frozen
class Answer:
    """What a tool gives back: ``data`` (the same JSON object as the HTTP API) and a
    ``summary`` a person can read."""

    data: Mapping[str, Any]
    summary: str


@frozen
class Call:
    """The façade, the actor and the transport of one call."""

    cm: CustomerMaster
    actor: Actor
    tool: str
    transport: str
    confirmations: Confirmations
    arguments: Mapping[str, Any]

    def customer_id(self, key: str) -> str:
        """The id of the customer with this code or id (a merged-away one leads on)."""
        return self.cm.customers.lookup(self.actor, key).customer.id

    def confirmed(self, state: Mapping[str, Any]) -> bool | None:
        """``None``: no code was given (show the preview); else whether it matches."""
        given = self.arguments.get(CONFIRM)
        if given is None:
            return None
        actor = self.actor
        return self.confirmations.matches(
            str(given), actor.tenant, actor.user, self.tool, self.arguments, state
        )

    def code(self, state: Mapping[str, Any]) -> str:
        return self.confirmations.code(self.actor.tenant, self.actor.user, self.tool, self.arguments, state)


Handler = Callable[[Call, dict[str, Any]], Answer]


@frozen
class ToolSpec:
    """A tool: its name, words, argument schema, truthful hints and handler."""

    name: str
    title: str
    description: str
    schema: Schema
    annotations: ToolAnnotations
    handler: Handler


def read_only(title: str) -> ToolAnnotations:
    return ToolAnnotations(title=title, read_only_hint=True, open_world_hint=False)


def changes(title: str, *, destructive: bool, idempotent: bool = False) -> ToolAnnotations:
    return ToolAnnotations(
        title=title,
        read_only_hint=False,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
        open_world_hint=False,
    )


def actor_for(cm: CustomerMaster, key: str | None) -> Actor:
    """The actor of an API key, stamped with the channel; refused without a valid key."""
    if not key:
        raise Refused(f"no API key: set {KEY_VARIABLE} (stdio) or send Authorization: Bearer <key> (HTTP)")
    actor = cm.access.authenticate(key)
    if actor is None:
        raise Refused("the API key is unknown or revoked")
    return evolve(actor, channel=CHANNEL)


def key_from(headers: Mapping[str, str] | None, stdio_key: str | None) -> str | None:
    """The key of the call: the bearer token (or ``X-API-Key``) over HTTP, else the
    server's own key from the environment (stdio)."""
    if headers is None:
        return stdio_key
    lowered = {name.lower(): value for name, value in headers.items()}
    scheme, _, token = lowered.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return lowered.get("x-api-key", "").strip() or None


def stdio_key() -> str | None:
    return os.environ.get(KEY_VARIABLE) or None


def run(
    spec: ToolSpec,
    cm: CustomerMaster,
    confirmations: Confirmations,
    arguments: Mapping[str, Any],
    *,
    key: str | None,
    transport: str,
) -> CallToolResult:
    """Carry out one call and shape the answer or the refusal for the client."""
    try:
        actor = actor_for(cm, key)
        loaded = load(spec.schema, arguments)
        call = Call(cm, actor, spec.name, transport, confirmations, loaded)
        answer = spec.handler(call, dict(loaded))
    except (CustomerMasterError, ValueError) as error:
        return _error(error)
    data = plain(answer.data)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(
        content=[TextContent(type="text", text=answer.summary), TextContent(type="text", text=text)],
        structured_content=data,
    )


def _error(error: Exception) -> CallToolResult:
    """A refusal as a tool error: its reasons in words, and as data."""
    details: dict[str, Any] = {"kind": _KINDS.get(type(error), "refused"), "message": str(error)}
    if isinstance(error, ValidationFailed):
        details["errors"] = [e.to_data() for e in error.errors]
        message = "invalid input — " + "; ".join(f"{e.path}: {e.message}" for e in error.errors)
    elif isinstance(error, BusinessRuleViolation):
        details["code"] = error.code
        message = f"refused ({error.code}): {error}"
    elif isinstance(error, Conflict):
        details["current_version"] = error.current_version
        message = f"conflict: {error}"
    else:
        message = str(error) or type(error).__name__
    return CallToolResult(
        content=[TextContent(type="text", text=message)], structured_content={"error": details}, is_error=True
    )


_KINDS: dict[type[Exception], str] = {
    ValidationFailed: "invalid",
    NotFound: "not_found",
    Forbidden: "forbidden",
    Conflict: "conflict",
    BusinessRuleViolation: "business_rule",
}


def plain(value: Any) -> Any:
    """JSON-ready: decimals as strings (exact), dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
