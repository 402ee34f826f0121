"""What the MCP tests share: a SQLite tenant with customers, keys of users with different
roles, and the conversation of issue 18 run through any connected SDK client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.types import CallToolResult

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS

TENANT = "acme"


def make_tenant(path: Path) -> tuple[str, dict[str, str]]:
    """A migrated SQLite file with acme's entities and two customers (changes green, credit
    holds yellow), and API keys by user."""
    from customer_master_sql import migrate

    url = f"sqlite:///{path}"
    migrate(url)
    cm = CustomerMaster.from_url(url)
    try:
        admin = Actor(TENANT, "setup", {"admin"})
        cm.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
        for operation in OPERATIONS:
            if operation != "hard_delete":
                cm.configuration.set_approval_lane(admin, operation, "green")
        cm.configuration.set_approval_lane(admin, "credit_hold", "yellow")
        for name, limit in (("Kedai Makmur Sdn Bhd", "20000"), ("Syarikat Jaya Trading", "5000")):
            cm.customers.create(
                admin,
                {
                    "name": name,
                    "kind": "company",
                    "legal_entity": "MY01",
                    "email": "ap@example.my",
                    "currency": "MYR",
                    "credit_limit": limit,
                },
            )
        keys = {
            user: cm.access.create_api_key(TENANT, user, roles)[0]
            for user, roles in (
                ("ana", ("sales_admin", "ar_manager")),
                ("mei", ("ar_manager",)),
                ("carl", ("controller",)),
                ("vic", ("viewer",)),
                ("olga", ("admin",)),
            )
        }
    finally:
        cm.close()
    return url, keys


async def call(client: Client, tool: str, arguments: dict[str, Any]) -> CallToolResult:
    result = await client.call_tool(tool, arguments)
    assert "Traceback" not in json.dumps(result.model_dump(mode="json"))
    return result


def text(result: CallToolResult) -> str:
    first = result.content[0]
    assert first.type == "text"
    return str(first.text)


async def find_check_and_hold(client: Client) -> str:
    """As ana: find a customer by a misspelt name, check an order against its credit, put
    it on hold; the hold waits for approval. Returns the change request's id."""
    found = await call(client, "search_customers", {"name": "kedai makmer", "name_match": "fuzzy"})
    assert not found.is_error, text(found)
    assert found.structured_content is not None
    assert [c["code"] for c in found.structured_content["items"]] == ["CUS-0001"]
    assert "CUS-0001 Kedai Makmur Sdn Bhd" in text(found)

    checked = await call(
        client, "check_credit", {"customer": "CUS-0001", "entity": "MY01", "amount": "25000"}
    )
    assert not checked.is_error, text(checked)
    assert checked.structured_content is not None
    assert checked.structured_content["outcome"] == "blocked"
    assert checked.structured_content["available"] == "-5000.00"
    assert text(checked).startswith("BLOCKED")

    held = await call(client, "set_credit_hold", {"customer": "CUS-0001", "reason": "Order over the limit"})
    assert not held.is_error, text(held)
    assert held.structured_content is not None
    request = held.structured_content["change_request"]
    assert (request["state"], request["next_role"]) == ("pending", "ar_manager")
    assert "waits for approval" in text(held)
    assert "Next: someone with the role ar_manager who is not ana, then controller" in text(held)
    return str(request["id"])


async def approve_as(client: Client, request_id: str) -> dict[str, Any]:
    shown = await call(client, "show_change_request", {"change_request": request_id})
    assert not shown.is_error, text(shown)
    approved = await call(client, "approve_change_request", {"change_request": request_id, "comment": "ok"})
    assert not approved.is_error, text(approved)
    assert approved.structured_content is not None
    return dict(approved.structured_content)


async def refused_without_permission(client: Client) -> None:
    """vic (viewer) may read but not hold: a tool error with the reason."""
    read = await call(client, "get_customer", {"customer": "CUS-0002"})
    assert not read.is_error, text(read)
    refused = await call(client, "set_credit_hold", {"customer": "CUS-0002", "reason": "try"})
    assert refused.is_error
    assert "vic may not do this" in text(refused)
    assert refused.structured_content == {"error": refused.structured_content["error"]}
    assert refused.structured_content["error"]["kind"] == "forbidden"


def hold_applied_through_mcp(url: str) -> None:
    """The hold is on, and its audit record names the channel ``mcp``."""
    cm = CustomerMaster.from_url(url)
    try:
        admin = Actor(TENANT, "setup", {"admin"})
        customer = cm.customers.lookup(admin, "CUS-0001").customer
        assert customer.credit_hold is not None
        assert customer.credit_hold.reason == "Order over the limit"
        held = [r for r in cm.audit.trail(admin, customer.id) if r.operation == "credit_hold"]
        assert [r.channel for r in held] == ["mcp"]
        assert [a["user"] for a in held[0].approvals] == ["mei", "carl"]
    finally:
        cm.close()
