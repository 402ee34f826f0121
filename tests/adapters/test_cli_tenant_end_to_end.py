"""A new user with the command line only (issue 18, SPEC R-16.3): configure a tenant from
a YAML file, import a CRM export, approve the import as two other users, export the
result — and the conventions every command follows (an example in each help, exit codes,
one-line errors naming the value, who acts)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from customer_master import CustomerMaster
from customer_master_cli import cli

TENANT_YAML = """\
legal_entities:
  - {code: MY01, name: Acme Malaysia Sdn Bhd, currency: MYR}
  - {code: SG01, name: Acme Singapore Pte Ltd, currency: SGD}
classifications:
  region: [APAC, EMEA]
payment_terms:
  - code: NET30
    name: Net 30
    lines:
      - {portion: {kind: remainder, value: null}, due: [{add_days: 30}], discount: null}
price_lists:
  - code: STD-MYR
    name: Standard MYR
    currency: MYR
    lines: [{item_code: WIDGET, unit_price: "12.50"}]
settings:
  company_requires_email: false
  standard_price_list: STD-MYR
  credit_policy: block
approval_lanes:
  - {operation: import, lane: yellow}
  - {operation: create, lane: green, kind: individual}
approval_steps:
  yellow: [ar_manager, controller]
roles:
  collections: [customer.read, credit.hold]
"""

SALESFORCE_EXPORT = """\
Id,Name,Phone,Website,Industry,BillingStreet,BillingCity,BillingPostalCode,BillingCountry
0015g00000AAA01,Kedai Makmur Sdn Bhd,+60 3-2161 1234,,,1 Jalan Ampang,Kuala Lumpur,50450,Malaysia
0015g00000AAA02,Syarikat Jaya Trading,+60 4-262 1111,,,8 Lebuh Pantai,George Town,10300,Malaysia
"""


def run(url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--url", url, *args], env=env)


@pytest.fixture
def url(tmp_path: Path) -> str:
    database = f"sqlite:///{tmp_path / 'cm.db'}"
    assert run(database, "migrate").exit_code == 0
    return database


def test_a_new_user_runs_a_tenant_end_to_end_with_the_cli_only(url: str, tmp_path: Path) -> None:
    tenant_file = tmp_path / "tenant.yaml"
    tenant_file.write_text(TENANT_YAML, encoding="utf-8")
    ana = ("--tenant", "acme", "--user", "ana", "--role", "admin")

    first = run(url, "config", "apply", str(tenant_file), *ana)
    assert first.exit_code == 0, first.output
    assert "change(s) applied" in first.output
    again = run(url, "config", "apply", str(tenant_file), *ana)
    assert (again.exit_code, again.output.strip()) == (0, "acme: already as given")

    shown = json.loads(run(url, "config", "show", "--json", *ana).output)
    assert [e["code"] for e in shown["legal_entities"]] == ["MY01", "SG01"]
    assert shown["classifications"]["region"] == ["APAC", "EMEA"]
    assert {(r["operation"], r["lane"]) for r in shown["approval_lanes"]} >= {("import", "yellow")}
    assert shown["roles"]["collections"] == ["credit.hold", "customer.read"]

    export_file = tmp_path / "accounts.csv"
    export_file.write_text(SALESFORCE_EXPORT, encoding="utf-8")
    imported = run(
        url,
        "import",
        str(export_file),
        "--preset",
        "salesforce",
        "--default",
        "legal_entity=MY01",
        "--default",
        "currency=MYR",
        "--submit",
        "--json",
        *ana,
    )
    assert imported.exit_code == 0, imported.output
    request_id = json.loads(imported.output)["change_request"]
    assert request_id

    mei = ("--tenant", "acme", "--user", "mei", "--role", "ar_manager")
    carl = ("--tenant", "acme", "--user", "carl", "--role", "controller")
    inbox = json.loads(run(url, "approvals", "list", "--mine", "--json", *mei).output)
    assert [r["id"] for r in inbox] == [request_id]
    assert request_id in run(url, "approvals", "list", "--mine", *mei).output  # whole, to copy
    assert run(url, "approvals", "list", "--mine", "--json", *carl).output.strip() == "[]"

    step_one = run(url, "approvals", "approve", request_id, "--comment", "CRM data checked", *mei)
    assert step_one.exit_code == 0, step_one.output
    assert "waits for controller" in step_one.output
    assert "self-approval" not in run(url, "approvals", "approve", request_id, *ana).output
    step_two = run(url, "approvals", "approve", request_id, "--json", *carl)
    assert step_two.exit_code == 0, step_two.output
    assert json.loads(step_two.output)["state"] == "approved"

    exported = tmp_path / "customers.csv"
    result = run(url, "export", str(exported), *ana)
    assert result.exit_code == 0, result.output
    with exported.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(r["name"] for r in rows) == ["Kedai Makmur Sdn Bhd", "Syarikat Jaya Trading"]
    assert {r["legal_entity"] for r in rows} == {"MY01"}

    cm = CustomerMaster.from_url(url)
    try:
        from customer_master import Actor

        trail = cm.audit.trail(Actor("acme", "ana", {"admin"}))
    finally:
        cm.close()
    assert {r.channel for r in trail} == {"cli"}
    imported_ids = {c for r in trail for c in r.customer_ids}
    assert len(imported_ids) == 2


def test_a_bad_file_is_one_line_naming_where_and_what(url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("approval_lanes:\n  - {operation: create, lane: purple}\n", encoding="utf-8")
    result = run(url, "config", "apply", str(bad), "--tenant", "acme")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "approval_lanes[0].lane" in lines[0]
    assert "Traceback" not in result.output

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("legal_entitys: []\n", encoding="utf-8")
    assert "'legal_entitys'" in run(url, "config", "apply", str(unknown), "--tenant", "acme").output


def test_an_api_key_says_who_acts_and_its_roles_hold(url: str) -> None:
    assert run(url, "config", "entity", "MY01", "--name", "Acme Malaysia", "--tenant", "acme").exit_code == 0
    key = run(url, "apikey", "create", "--tenant", "acme", "--user", "vic", "--role", "viewer").stdout.strip()
    env = {"CUSTOMER_MASTER_API_KEY": key}
    shown = run(url, "config", "show", "--json", env=env)
    assert json.loads(shown.output)["tenant"] == "acme"
    refused = run(url, "config", "lane", "create", "green", env=env)
    assert refused.exit_code == 1
    assert "vic may not do this" in refused.output
    both = run(url, "config", "show", "--tenant", "acme", env=env)
    assert "not both" in both.output
    assert run(url, "config", "show", env={"CUSTOMER_MASTER_API_KEY": "cm_nope_nope"}).exit_code == 1


def test_customer_commands_create_show_update_and_deactivate(url: str) -> None:
    ana = ("--tenant", "acme")
    assert (
        run(url, "config", "entity", "MY01", "--name", "Acme Malaysia", "--currency", "MYR", *ana).exit_code
        == 0
    )
    for operation in ("create", "update", "deactivate"):
        assert run(url, "config", "lane", operation, "green", *ana).exit_code == 0
    created = run(
        url,
        "customer",
        "create",
        "--set",
        "name=Kedai Ali",
        "--set",
        "kind=individual",
        "--set",
        "legal_entity=MY01",
        "--set",
        "credit_limit=5000.10",
        "--json",
        *ana,
    )
    assert created.exit_code == 0, created.output
    assert json.loads(created.output)["customer"]["credit_limit"] == "5000.10"
    assert (
        "CUS-0001 Kedai Ali (individual, active), version 1"
        in run(url, "customer", "show", "CUS-0001", *ana).output
    )
    stale = run(url, "customer", "update", "CUS-0001", "--set", "name=Kedai Ali Baru", "--version", "7", *ana)
    assert stale.exit_code == 1
    assert "version" in stale.output
    updated = run(
        url, "customer", "update", "CUS-0001", "--set", "name=Kedai Ali Baru", "--version", "1", *ana
    )
    assert "updated: CUS-0001 Kedai Ali Baru" in updated.output
    assert "(inactive)" in run(url, "customer", "deactivate", "CUS-0001", *ana).output
    bad = run(
        url,
        "customer",
        "create",
        "--set",
        "name=X",
        "--set",
        "kind=robot",
        "--set",
        "legal_entity=MY01",
        *ana,
    )
    assert bad.exit_code == 1
    assert "kind" in bad.output
    assert "robot" in bad.output


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


def test_every_command_has_an_example_and_the_exit_codes() -> None:
    commands = _commands(cli)
    assert len(commands) >= 30
    for path, _ in commands:
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert re.search(r"Example:\n +\S*.*customer-master ", result.output), path
    top = CliRunner().invoke(cli, ["--help"]).output
    for code in ("0  done", "1  error", "2  usage", "3  some rows failed"):
        assert code in top


def test_usage_errors_exit_with_2(url: str) -> None:
    assert run(url, "approvals", "approve").exit_code == 2
    assert run(url, "no-such-command").exit_code == 2
