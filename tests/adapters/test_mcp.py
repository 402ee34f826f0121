"""The MCP server (SPEC R-16.4) through the SDK's own client: over stdio (the server as a
subprocess, one API key each) and over streamable HTTP (one server on a free port, a
bearer key per client); and in process for the tools' schemas and hints and the
preview-then-confirm of irreversible actions."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2 as httpx
import jsonschema
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from customer_master import CustomerMaster
from customer_master_mcp import build_server
from customer_master_mcp.server import TOOLS

sys.path.insert(0, str(Path(__file__).parent))

from mcp_support import (
    approve_as,
    call,
    find_check_and_hold,
    hold_applied_through_mcp,
    make_tenant,
    refused_without_permission,
    text,
)

COMMAND = str(Path(sys.executable).with_name("customer-master"))

READ_ONLY = {
    "search_customers",
    "get_customer",
    "effective_view",
    "payment_schedule",
    "resolve_price",
    "list_change_requests",
    "show_change_request",
    "customer_timeline",
    "validate_import",
}
IRREVERSIBLE = {"merge_customers", "delete_customer_permanently"}


@pytest.fixture
def tenant(tmp_path: Path) -> tuple[str, dict[str, str]]:
    return make_tenant(tmp_path / "cm.db")


# ---------------------------------------------------------------------------
# In process: the tools' descriptions
# ---------------------------------------------------------------------------


def test_every_tool_has_a_valid_schema_words_and_truthful_hints(tenant: tuple[str, dict[str, str]]) -> None:
    url, keys = tenant

    async def listed() -> list[Any]:
        cm = CustomerMaster.from_url(url)
        try:
            async with Client(build_server(cm, stdio_key=keys["ana"])) as client:
                return list((await client.list_tools()).tools)
        finally:
            cm.close()

    tools = anyio.run(listed)
    assert {t.name for t in tools} == {spec.name for spec in TOOLS}
    assert len(tools) == 21
    for tool in tools:
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object"
        assert len(tool.description or "") > 40, tool.name
        hints = tool.annotations
        assert hints is not None
        assert hints.open_world_hint is False
        assert hints.read_only_hint is (tool.name in READ_ONLY), tool.name
        if tool.name in IRREVERSIBLE:
            assert hints.destructive_hint is True
            assert "confirm" in tool.input_schema["properties"]


def test_the_schemas_are_the_http_schemas_and_refuse_what_the_api_refuses() -> None:
    schemas = {spec.name: spec for spec in TOOLS}
    create = schemas["create_customer"]
    from customer_master_mcp.schemas import json_schema

    create_schema = json_schema(create.schema)
    from customer_master_http.schemas.customers import CustomerCreateSchema

    assert set(create_schema["properties"]) == set(CustomerCreateSchema().fields)
    check = json_schema(schemas["check_credit"].schema)
    validator = jsonschema.Draft202012Validator(check)
    assert validator.is_valid({"customer": "CUS-0001", "entity": "MY01", "amount": "25000.00"})
    assert not validator.is_valid({"customer": "CUS-0001", "entity": "MY01"})  # amount is required
    assert not validator.is_valid({"customer": "CUS-0001", "entity": "MY01", "amount": "1", "colour": "red"})
    assert check["properties"]["document_type"]["enum"] == ["quotation", "order", "delivery", "invoice"]


def test_a_merge_is_previewed_then_confirmed_and_a_stale_code_is_refused(
    tenant: tuple[str, dict[str, str]],
) -> None:
    url, keys = tenant

    async def conversation() -> None:
        cm = CustomerMaster.from_url(url)
        try:
            async with Client(build_server(cm, stdio_key=keys["olga"])) as client:
                asked = {"customer": "CUS-0002", "target_id": "CUS-0001"}
                preview = await call(client, "merge_customers", asked)
                assert not preview.is_error, text(preview)
                assert preview.structured_content is not None
                code = preview.structured_content["confirm"]
                assert text(preview).startswith("Nothing done yet.")
                after = preview.structured_content["preview"]["after"]
                assert after[0]["merged_into"] == after[1]["id"]
                assert (await call(client, "get_customer", {"customer": "CUS-0002"})).structured_content[
                    "redirected_from"
                ] is None  # still there: nothing was merged

                wrong = await call(client, "merge_customers", {**asked, "confirm": "0" * 24})
                assert wrong.is_error
                assert "does not match" in text(wrong)
                other = await call(
                    client,
                    "merge_customers",
                    {"customer": "CUS-0001", "target_id": "CUS-0002", "confirm": code},
                )
                assert other.is_error

                done = await call(client, "merge_customers", {**asked, "confirm": code})
                assert not done.is_error, text(done)
                assert done.structured_content is not None
                assert done.structured_content["source"]["status"] == "inactive"
                again = await call(client, "merge_customers", {**asked, "confirm": code})
                assert again.is_error  # the customers moved on: the code is spent
        finally:
            cm.close()

    anyio.run(conversation)


def test_refusals_and_bad_input_are_tool_errors_with_reasons(tenant: tuple[str, dict[str, str]]) -> None:
    url, keys = tenant

    async def conversation() -> None:
        cm = CustomerMaster.from_url(url)
        try:
            async with Client(build_server(cm, stdio_key=keys["olga"])) as client:
                bad = await call(
                    client, "check_credit", {"customer": "CUS-0001", "entity": "MY01", "amount": "lots"}
                )
                assert bad.is_error
                assert "amount: 'lots' must be a decimal number" in text(bad)
                missing = await call(client, "get_customer", {"customer": "CUS-9999"})
                assert missing.is_error
                assert "CUS-9999" in text(missing)
                itself = await call(
                    client, "merge_customers", {"customer": "CUS-0001", "target_id": "CUS-0001"}
                )
                assert itself.is_error
                assert "refused (same_customer)" in text(itself)
                remote = await call(
                    client, "validate_import", {"content": "Name\nKedai Baru\n", "preset": "salesforce"}
                )
                assert not remote.is_error, text(remote)
                assert "Dry run of 1 rows, nothing written" in text(remote)
            async with Client(build_server(cm, stdio_key="cm_unknown_key")) as client:
                unknown = await call(client, "get_customer", {"customer": "CUS-0001"})
                assert unknown.is_error
                assert "unknown or revoked" in text(unknown)
        finally:
            cm.close()

    anyio.run(conversation)


# ---------------------------------------------------------------------------
# Over stdio: the server as a subprocess, one key each
# ---------------------------------------------------------------------------


def _stdio(url: str, key: str) -> StdioServerParameters:
    env = {**os.environ, "CUSTOMER_MASTER_API_KEY": key}
    return StdioServerParameters(command=COMMAND, args=["--url", url, "mcp", "--stdio"], env=env)


def test_the_conversation_over_stdio(tenant: tuple[str, dict[str, str]]) -> None:
    url, keys = tenant

    async def conversation() -> None:
        async with Client(_stdio(url, keys["ana"])) as ana:
            tools = (await ana.list_tools()).tools
            assert len(tools) == 21
            request_id = await find_check_and_hold(ana)
            own = await call(ana, "approve_change_request", {"change_request": request_id})
            assert own.is_error
            assert "submitter" in text(own)
        async with Client(_stdio(url, keys["mei"])) as mei:
            first = await approve_as(mei, request_id)
            assert (first["state"], first["next_role"]) == ("pending", "controller")
        async with Client(_stdio(url, keys["carl"])) as carl:
            second = await approve_as(carl, request_id)
            assert second["state"] == "approved"
        async with Client(_stdio(url, keys["vic"])) as vic:
            await refused_without_permission(vic)

    anyio.run(conversation)
    hold_applied_through_mcp(url)


def test_the_stdio_server_refuses_to_start_without_a_key(tenant: tuple[str, dict[str, str]]) -> None:
    url, _ = tenant
    env = {k: v for k, v in os.environ.items() if k != "CUSTOMER_MASTER_API_KEY"}
    started = subprocess.run(
        [COMMAND, "--url", url, "mcp", "--stdio"],
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 1
    assert started.stderr.strip().splitlines() == [
        "Error: no API key: set CUSTOMER_MASTER_API_KEY (stdio) or send Authorization: Bearer <key> (HTTP)"
    ]


# ---------------------------------------------------------------------------
# Over streamable HTTP: one server, a bearer key per client
# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def http_server(tenant: tuple[str, dict[str, str]]) -> Iterator[tuple[str, str, dict[str, str]]]:
    url, keys = tenant
    port = _free_port()
    server = subprocess.Popen(
        [COMMAND, "--url", url, "mcp", "--http", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    endpoint = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        yield url, endpoint, keys
    finally:
        server.terminate()
        server.wait(timeout=30)


def _over_http(endpoint: str, key: str) -> Client:
    headers = {"Authorization": f"Bearer {key}"}
    return Client(streamable_http_client(endpoint, http_client=create_mcp_http_client(headers=headers)))


def test_the_conversation_over_streamable_http(http_server: tuple[str, str, dict[str, str]]) -> None:
    url, endpoint, keys = http_server

    async def conversation() -> None:
        async with _over_http(endpoint, keys["ana"]) as ana:
            assert len((await ana.list_tools()).tools) == 21
            request_id = await find_check_and_hold(ana)
            local = await call(ana, "validate_import", {"path": "/etc/passwd"})
            assert local.is_error
            assert "only a local (stdio) server" in text(local)
        async with _over_http(endpoint, keys["mei"]) as mei:
            await approve_as(mei, request_id)
        async with _over_http(endpoint, keys["carl"]) as carl:
            assert (await approve_as(carl, request_id))["state"] == "approved"
        async with _over_http(endpoint, keys["vic"]) as vic:
            await refused_without_permission(vic)

    anyio.run(conversation)
    hold_applied_through_mcp(url)


def test_http_requests_without_a_valid_key_are_401(http_server: tuple[str, str, dict[str, str]]) -> None:
    _, endpoint, _ = http_server
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    assert httpx.post(endpoint, json=body, timeout=10).status_code == 401
    wrong = httpx.post(endpoint, json=body, headers={"Authorization": "Bearer cm_nope_nope"}, timeout=10)
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
