"""``customer-master mcp``: the MCP server for assistants (SPEC R-16.4), over stdio for a
local client or streamable HTTP for remote ones."""

from __future__ import annotations

import click

from customer_master_cli.conventions import EXIT_CODES, host_and_port, url_of


@click.command("mcp", epilog=EXIT_CODES)
@click.option(
    "--stdio", "transport", flag_value="stdio", default=True, help="Talk over stdin/stdout (default)."
)
@click.option("--http", "transport", flag_value="http", help="Serve streamable HTTP at http://BIND/mcp.")
@click.option("--bind", "-b", default="127.0.0.1:8765", show_default=True, help="host:port for --http.")
@click.pass_context
def mcp(ctx: click.Context, transport: str, bind: str) -> None:
    """Serve the tools to an MCP client (search, credit, holds, approvals, …).

    Over stdio every call acts as the key in CUSTOMER_MASTER_API_KEY; over HTTP each
    request sends its own key as `Authorization: Bearer <key>`. docs/mcp.md shows a
    client's configuration.

    \b
    Example:
      CUSTOMER_MASTER_API_KEY=cm_… customer-master --url sqlite:///cm.db mcp --stdio
      customer-master --url sqlite:///cm.db mcp --http --bind 127.0.0.1:8765
    """
    from customer_master_mcp import serve_http, serve_stdio

    if transport == "stdio":
        serve_stdio(url_of(ctx))
        return
    host, port = host_and_port(bind)
    click.echo(f"customer-master MCP on http://{host}:{port}/mcp", err=True)
    serve_http(url_of(ctx), host, port)
