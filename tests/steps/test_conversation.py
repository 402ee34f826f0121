"""Steps for features/conversation.feature: people talking to the customer master through
an assistant (SPEC R-16.4). Each person's calls go through the SDK's own client to the
MCP server, in process, with that person's API key; the façade is the test's ``cm``."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster
from customer_master.domain.approvals import OPERATIONS
from customer_master_mcp import build_server
from customer_master_mcp.confirm import Confirmations

scenarios("conversation.feature")
pytestmark = pytest.mark.usefixtures("assistant")

ROLES = {
    "ana": ("sales_admin", "ar_manager"),
    "mei": ("ar_manager",),
    "carl": ("controller",),
    "vic": ("viewer",),
    "olga": ("admin",),
}


class Assistant:
    """The assistant: calls tools as whoever asks, and remembers the last answer."""

    def __init__(self, cm: CustomerMaster, admin: Actor) -> None:
        self.cm, self.admin = cm, admin
        self.keys = {
            user: cm.access.create_api_key(admin.tenant, user, roles)[0] for user, roles in ROLES.items()
        }
        self.confirmations = Confirmations()
        self.answer: CallToolResult | None = None
        self.asked: dict[str, Any] = {}

    def ask(self, user: str, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        server = build_server(self.cm, stdio_key=self.keys[user], confirmations=self.confirmations)

        async def call() -> CallToolResult:
            async with Client(server) as client:
                return await client.call_tool(tool, arguments)

        self.answer, self.asked = anyio.run(call), arguments
        return self.answer

    @property
    def words(self) -> str:
        assert self.answer is not None
        return str(getattr(self.answer.content[0], "text", ""))

    @property
    def data(self) -> dict[str, Any]:
        assert self.answer is not None
        assert self.answer.structured_content is not None
        return dict(self.answer.structured_content)

    def customer(self, name: str) -> Any:
        found = [c for c in self.cm.customers.search(self.admin).items if c.name == name]
        assert found, name
        return found[0]


@pytest.fixture
def assistant(cm: CustomerMaster, admin: Actor) -> Assistant:
    return Assistant(cm, admin)


@given(parsers.parse('"{name}" is a customer of Acme Malaysia with a credit limit of {limit} MYR'))
def customer_with_limit(
    cm: CustomerMaster, admin: Actor, assistant: Assistant, name: str, limit: str
) -> None:
    cm.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        if operation != "hard_delete":
            cm.configuration.set_approval_lane(admin, operation, "green")
    cm.customers.create(
        admin,
        {
            "name": name,
            "kind": "company",
            "legal_entity": "MY01",
            "email": "ap@makmur.my",
            "currency": "MYR",
            "credit_limit": limit.replace(",", ""),
        },
    )


@given("credit holds wait for an AR manager, then a controller")
def holds_wait(cm: CustomerMaster, admin: Actor) -> None:
    cm.configuration.set_approval_lane(admin, "credit_hold", "yellow")


@given(parsers.parse('"{name}" is a duplicate of it'))
def duplicate(cm: CustomerMaster, admin: Actor, name: str) -> None:
    cm.customers.create(
        admin,
        {"name": name, "kind": "company", "legal_entity": "MY01", "email": "ap@makmur.my", "currency": "MYR"},
    )


@when(parsers.parse('ana asks the assistant for customers named "{name}"'))
def ask_search(assistant: Assistant, name: str) -> None:
    assistant.ask("ana", "search_customers", {"name": name, "name_match": "fuzzy"})


@then(parsers.parse('the assistant finds "{name}"'))
def finds(assistant: Assistant, name: str) -> None:
    assert [c["name"] for c in assistant.data["items"]] == [name]
    assert name in assistant.words


@when(parsers.parse("ana asks the assistant whether an order of {amount} MYR fits its credit"))
def ask_credit(assistant: Assistant, amount: str) -> None:
    code = assistant.data["items"][0]["code"]
    assistant.ask(
        "ana", "check_credit", {"customer": code, "entity": "MY01", "amount": amount.replace(",", "")}
    )


@then(parsers.parse('the assistant answers "{outcome}" because of "{reason}"'))
def credit_answer(assistant: Assistant, outcome: str, reason: str) -> None:
    assert assistant.data["outcome"] == outcome
    assert [r["code"] for r in assistant.data["reasons"]] == [reason]
    assert assistant.words.startswith(outcome.upper())


@when(parsers.parse('{user}, a viewer, asks the assistant to put "{name}" on credit hold'))
@when(parsers.parse('{user} asks the assistant to put "{name}" on credit hold'))
def ask_hold(assistant: Assistant, user: str, name: str) -> None:
    code = assistant.customer(name).code
    assistant.ask(user, "set_credit_hold", {"customer": code, "reason": "Order over the credit limit"})


@then("the assistant says the hold waits for approval, next by an AR manager who is not ana")
def hold_waits(assistant: Assistant) -> None:
    request = assistant.data["change_request"]
    assert (request["state"], request["next_role"]) == ("pending", "ar_manager")
    assert "waits for approval" in assistant.words
    assert "Next: someone with the role ar_manager who is not ana, then controller" in assistant.words


@then(parsers.parse('"{name}" is not on credit hold yet'))
def not_held(assistant: Assistant, name: str) -> None:
    assert assistant.customer(name).credit_hold is None


@when(parsers.parse("{user}, an AR manager, approves the hold through the assistant"))
@when(parsers.parse("{user}, a controller, approves the hold through the assistant"))
def approve_hold(assistant: Assistant, admin: Actor, user: str) -> None:
    (request,) = assistant.cm.approvals.list(admin, state="pending")
    answer = assistant.ask(user, "approve_change_request", {"change_request": request.id})
    assert not answer.is_error, assistant.words


@then(parsers.parse('"{name}" is on credit hold'))
def held(assistant: Assistant, name: str) -> None:
    hold = assistant.customer(name).credit_hold
    assert hold is not None
    assert hold.by == "ana"


@then("the audit trail records the hold as made through the assistant")
def audited(assistant: Assistant, admin: Actor) -> None:
    records = [r for r in assistant.cm.audit.trail(admin) if r.operation == "credit_hold"]
    assert [(r.actor, r.channel) for r in records] == [("ana", "mcp")]


@then("the assistant refuses, saying vic may not do this")
def refused(assistant: Assistant) -> None:
    assert assistant.answer is not None
    assert assistant.answer.is_error
    assert "vic may not do this" in assistant.words


@when(parsers.parse('olga, an administrator, asks the assistant to merge "{source}" into "{target}"'))
def ask_merge(assistant: Assistant, source: str, target: str) -> None:
    arguments = {"customer": assistant.customer(source).code, "target_id": assistant.customer(target).code}
    assistant.ask("olga", "merge_customers", arguments)


@then("the assistant shows the merge, does nothing yet and asks for a confirmation")
def merge_shown(assistant: Assistant, admin: Actor) -> None:
    assert assistant.data["confirmation_required"] is True
    assert assistant.words.startswith("Nothing done yet.")
    assert all(c.merged_into is None for c in assistant.cm.customers.search(admin).items)


@when("olga confirms the merge")
def confirm_merge(assistant: Assistant) -> None:
    answer = assistant.ask(
        "olga", "merge_customers", {**assistant.asked, "confirm": assistant.data["confirm"]}
    )
    assert not answer.is_error, assistant.words


@then(parsers.parse('"{source}" is merged into "{target}"'))
def merged(assistant: Assistant, admin: Actor, source: str, target: str) -> None:
    retired = [c for c in assistant.cm.customers.search(admin, None).items if c.name == source]
    assert retired == []  # no longer listed as active
    assert assistant.data["source"]["merged_into"] == assistant.customer(target).id
