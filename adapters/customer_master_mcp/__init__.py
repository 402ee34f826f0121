"""The MCP server of customer-master (SPEC R-16.4): the services as tools for an
assistant, over stdio or streamable HTTP, built on the official ``mcp`` SDK's
``MCPServer`` (FastMCP in the SDK's first major version).

Every call acts as the actor of an API key (``CUSTOMER_MASTER_API_KEY`` for stdio, the
``Authorization: Bearer`` header over HTTP); tenancy, roles, masking, approval lanes and
audit apply as over HTTP, and the audit record names the channel ``mcp``. Tool inputs are
described by the HTTP adapter's marshmallow schemas; results carry the same data as the
API plus a short summary in words. ``docs/mcp.md`` shows a client's configuration and a
conversation.
"""

from customer_master.extras import require

# Without the extra, one line says what to install (before the imports that would fail).
require("mcp", "mcp", "marshmallow", "apispec", "uvicorn", "starlette", needed_by="the MCP server")

from customer_master_mcp.server import build_server, serve_http, serve_stdio  # noqa: E402

__all__ = ["build_server", "serve_http", "serve_stdio"]
