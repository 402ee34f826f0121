"""The conversation of docs/mcp.md, run for real through the SDK's client: find a customer
by a misspelt name, check an order against its credit, put it on hold, see the change
request, approve it as two other users; and a merge shown before it is done.

Ids are numbered rather than random so every run prints the same transcript;
``tests/unit/test_mcp_transcript.py`` checks that docs/mcp.md shows exactly this output.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

import anyio
from mcp import Client

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master_mcp import build_server
from customer_master_mcp.confirm import Confirmations


def tenant() -> tuple[CustomerMaster, dict[str, str]]:
    cm = CustomerMaster.from_url(
        "memory://", clock=FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)), load_entry_points=False
    )
    numbers = itertools.count(1)
    cm.context.make_id = lambda: f"id-{next(numbers):04d}"
    admin = Actor("acme", "setup", {"admin"})
    cm.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    for operation in ("create", "merge"):
        cm.configuration.set_approval_lane(admin, operation, "green")
    cm.configuration.set_approval_lane(admin, "credit_hold", "yellow")
    for name, limit in (("Kedai Makmur Sdn Bhd", "20000"), ("Kedai Makmur", "5000")):
        cm.customers.create(
            admin,
            {
                "name": name,
                "kind": "company",
                "legal_entity": "MY01",
                "email": "ap@makmur.my",
                "currency": "MYR",
                "credit_limit": limit,
            },
        )
    users = {
        "ana": ("sales_admin", "ar_manager"),
        "mei": ("ar_manager",),
        "carl": ("controller",),
        "olga": ("admin",),
    }
    return cm, {user: cm.access.create_api_key("acme", user, roles)[0] for user, roles in users.items()}


# Every user's session shares one confirmation key, fixed so the transcript stays the same.
CONFIRMATIONS = Confirmations(key=b"transcript")


async def say(cm: CustomerMaster, key: str, user: str, tool: str, arguments: dict[str, Any]) -> Any:
    async with Client(build_server(cm, stdio_key=key, confirmations=CONFIRMATIONS)) as client:
        result = await client.call_tool(tool, arguments)
    first = result.content[0]
    print(f"{user} → {tool} {json.dumps(arguments, ensure_ascii=False)}")
    print(("  ERROR: " if result.is_error else "  ") + str(getattr(first, "text", "")).replace("\n", "\n  "))
    print()
    return result.structured_content


async def conversation() -> None:
    cm, keys = tenant()
    await say(cm, keys["ana"], "ana", "search_customers", {"name": "kedai makmer", "name_match": "fuzzy"})
    await say(
        cm, keys["ana"], "ana", "check_credit", {"customer": "CUS-0001", "entity": "MY01", "amount": "25000"}
    )
    held = await say(
        cm,
        keys["ana"],
        "ana",
        "set_credit_hold",
        {"customer": "CUS-0001", "reason": "Order SO-1042 over the limit"},
    )
    request = held["change_request"]["id"]
    await say(cm, keys["mei"], "mei", "list_change_requests", {"mine": True})
    await say(cm, keys["ana"], "ana", "approve_change_request", {"change_request": request})
    await say(
        cm, keys["mei"], "mei", "approve_change_request", {"change_request": request, "comment": "Agreed"}
    )
    await say(cm, keys["carl"], "carl", "approve_change_request", {"change_request": request})
    await say(
        cm, keys["ana"], "ana", "check_credit", {"customer": "CUS-0001", "entity": "MY01", "amount": "100"}
    )
    merge = {"customer": "CUS-0002", "target_id": "CUS-0001"}
    preview = await say(cm, keys["olga"], "olga", "merge_customers", merge)
    await say(cm, keys["olga"], "olga", "merge_customers", {**merge, "confirm": preview["confirm"]})


def main() -> None:
    anyio.run(conversation)


if __name__ == "__main__":
    main()
