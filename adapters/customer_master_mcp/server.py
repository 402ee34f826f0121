"""The server: every tool of ``tools_customers`` and ``tools_rules`` registered on the SDK's
``MCPServer`` with its JSON Schema, and the two ways to run it — stdio (the key from
``CUSTOMER_MASTER_API_KEY``) and streamable HTTP (each request's bearer key; a request
without a valid key is answered 401 before it reaches the server).

The SDK derives a tool's input schema from a Python signature; ours come from the HTTP
adapter's marshmallow schemas, so each tool is registered with its schema as given and
an argument model that passes the arguments through to that schema unchanged.
"""

from __future__ import annotations

from typing import Any

import anyio
import uvicorn
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult
from pydantic import ConfigDict
from starlette.types import ASGIApp, Receive, Scope, Send

from customer_master.app import CustomerMaster
from customer_master_mcp import calls, tools_customers, tools_rules
from customer_master_mcp.confirm import Confirmations

TOOLS = (*tools_customers.TOOLS, *tools_rules.TOOLS)

INSTRUCTIONS = """\
customer-master keeps a company's customer master data and answers its rules: credit
checks, payment schedules and prices. Customers are named by code (CUS-0001) or id.
Most changes wait for approval: the answer then names the change request and who must
approve next. Merges and permanent deletes cannot be undone: they first answer with a
preview and a confirmation code; call again with `confirm` to go ahead. Money is written
as decimal strings ("1250.50")."""


class _Arguments(ArgModelBase):
    """Any arguments, handed on as they came: the tool's marshmallow schema reads them."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"arguments": dict(self.model_extra or {})}


def build_server(
    cm: CustomerMaster,
    *,
    transport: str = "stdio",
    stdio_key: str | None = None,
    confirmations: Confirmations | None = None,
) -> MCPServer:
    """An MCP server over ``cm``. ``transport`` says where keys come from: ``stdio`` uses
    ``stdio_key`` for every call, ``http`` each request's own key. Confirmation codes are
    valid on this server (or on those sharing ``confirmations``)."""
    confirmations = confirmations or Confirmations()
    server = MCPServer(
        "customer-master",
        instructions=INSTRUCTIONS,
        version=_version(),
        tools=[_tool(spec, cm, confirmations, transport, stdio_key) for spec in TOOLS],
    )
    return server


def _tool(
    spec: calls.ToolSpec,
    cm: CustomerMaster,
    confirmations: Confirmations,
    transport: str,
    stdio_key: str | None,
) -> Tool:
    from customer_master_mcp.schemas import json_schema

    def call(arguments: dict[str, Any], ctx: Context) -> CallToolResult:
        headers = ctx.headers if transport == "http" else None
        key = calls.key_from(headers, stdio_key) if transport == "http" else stdio_key
        return calls.run(spec, cm, confirmations, arguments, key=key, transport=transport)

    return Tool(
        fn=call,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        parameters=json_schema(spec.schema),
        fn_metadata=FuncMetadata(arg_model=_Arguments),
        is_async=False,
        context_kwarg="ctx",
        annotations=spec.annotations,
    )


def serve_stdio(url: str) -> None:
    """Serve over stdin/stdout, acting as the key in ``CUSTOMER_MASTER_API_KEY``."""
    cm = CustomerMaster.from_url(url)
    try:
        key = calls.stdio_key()
        calls.actor_for(cm, key)  # refuse to start, in one line, without a valid key
        anyio.run(build_server(cm, transport="stdio", stdio_key=key).run_stdio_async)
    finally:
        cm.close()


def serve_http(url: str, host: str, port: int) -> None:
    """Serve streamable HTTP at ``http://host:port/mcp``; every request needs a key."""
    cm = CustomerMaster.from_url(url)
    try:
        server = build_server(cm, transport="http")
        app = KeyRequired(server.streamable_http_app(), cm)
        uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on")
    finally:
        cm.close()


class KeyRequired:
    """ASGI middleware: an HTTP request without a known API key is answered 401."""

    def __init__(self, app: ASGIApp, cm: CustomerMaster) -> None:
        self.app = app
        self.cm = cm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
            key = calls.key_from(headers, None)
            known = key is not None and await anyio.to_thread.run_sync(self.cm.access.authenticate, key)
            if not known:
                await _unauthorized(send)
                return
        await self.app(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = b'{"error": "unauthorized", "message": "send the API key as Authorization: Bearer <key>"}'
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="customer-master"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("customer-master")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
