"""``customer-master customer``: read, create, change and deactivate one customer from the
command line (SPEC R-1 to R-4.1). A payload comes from a YAML/JSON file (the API's body:
related records and actions included) and/or ``--set NAME=VALUE`` pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from customer_master.domain.customer import Customer
from customer_master.domain.serialize import to_data
from customer_master.services.base import Outcome
from customer_master_cli.approvals_cmd import request_data, request_words
from customer_master_cli.config_cmd import read_document
from customer_master_cli.conventions import (
    EXIT_CODES,
    acting,
    actor_options,
    fail,
    json_option,
    naming_values,
    opened,
    print_json,
)

_payload_options = (
    click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)),
    click.option(
        "--set", "pairs", multiple=True, metavar="NAME=VALUE", help="A field (repeat); VALUE read as YAML."
    ),
)


def payload_options(command: Any) -> Any:
    for option in reversed(_payload_options):
        command = option(command)
    return command


def payload_of(file: Path | None, pairs: tuple[str, ...]) -> dict[str, Any]:
    """The body from FILE, with ``--set`` fields laid over it."""
    import yaml

    payload = read_document(file) if file is not None else {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--set takes NAME=VALUE, not {pair!r}")
        value = yaml.safe_load(text) if text.strip() else None
        # Numbers stay text so money is read exactly; true/false/lists as YAML says.
        payload[name.strip()] = text.strip() if isinstance(value, (int, float)) else value
    if not payload:
        fail("give the customer's fields: a FILE (YAML or JSON) and/or --set NAME=VALUE")
    return payload


def show_outcome(result: Outcome[Customer], what: str, as_json: bool) -> None:
    request = result.change_request
    if as_json:
        body = {"change_request": request_data(request)} if request else {"customer": to_data(result.applied)}
        print_json(body | {"warnings": [w.to_data() for w in result.warnings]})
        return
    if request is not None:
        click.echo(f"{what} waits for approval: {request_words(request)}")
    else:
        customer = result.applied
        click.echo(f"{what}: {customer.code} {customer.name} ({customer.status}), version {customer.version}")
    for warning in result.warnings:
        click.echo(f"warning — {warning.path}: {warning.message}", err=True)


@click.group("customer", epilog=EXIT_CODES)
def customer() -> None:
    """One customer: show, create, update, deactivate.

    \b
    Example:
      customer-master customer show CUS-0001 --tenant acme
      customer-master customer create --set name="Kedai Ali" --set kind=individual \
          --set legal_entity=MY01 --tenant acme
    """


@customer.command("show", epilog=EXIT_CODES)
@click.argument("key")
@actor_options
@json_option
@click.pass_context
def customer_show(ctx: click.Context, key: str, as_json: bool, **given: Any) -> None:
    """The customer with code or id KEY, with its related records.

    \b
    Example:
      customer-master customer show CUS-0001 --tenant acme --json
    """
    with opened(ctx) as master:
        found = master.customers.lookup(acting(master, given), key).customer
    if as_json:
        print_json(to_data(found))
        return
    click.echo(f"{found.code} {found.name} ({found.kind}, {found.status}), version {found.version}")
    for label, value in (
        ("legal entity", found.legal_entity),
        ("email", found.email),
        ("currency", found.currency),
        ("payment terms", found.payment_terms),
        ("credit limit", found.credit_limit),
    ):
        if value is not None:
            click.echo(f"  {label}: {value}")
    if found.credit_hold is not None:
        click.echo(f"  on credit hold: {found.credit_hold.reason}")


@customer.command("create", epilog=EXIT_CODES)
@payload_options
@actor_options
@json_option
@click.pass_context
def customer_create(
    ctx: click.Context, file: Path | None, pairs: tuple[str, ...], as_json: bool, **given: Any
) -> None:
    """Create a customer from FILE and/or --set fields (may wait for approval).

    \b
    Example:
      customer-master customer create new-customer.yaml --tenant acme --user sam --role sales_admin
    """
    payload = payload_of(file, pairs)
    with opened(ctx) as master, naming_values(payload):
        result = master.customers.create(acting(master, given), payload)
    show_outcome(result, "created", as_json)


@customer.command("update", epilog=EXIT_CODES)
@click.argument("key")
@payload_options
@click.option("--version", "expected", type=int, help="The version you read; a newer one is a conflict.")
@actor_options
@json_option
@click.pass_context
def customer_update(
    ctx: click.Context,
    key: str,
    file: Path | None,
    pairs: tuple[str, ...],
    expected: int | None,
    as_json: bool,
    **given: Any,
) -> None:
    """Change only the given fields of customer KEY (may wait for approval).

    \b
    Example:
      customer-master customer update CUS-0001 --set credit_limit=75000 --version 3 --tenant acme
    """
    changes = payload_of(file, pairs)
    with opened(ctx) as master, naming_values(changes):
        actor = acting(master, given)
        customer_id = master.customers.lookup(actor, key).customer.id
        result = master.customers.update(actor, customer_id, changes, version=expected)
    show_outcome(result, "updated", as_json)


@customer.command("deactivate", epilog=EXIT_CODES)
@click.argument("key")
@click.option("--version", "expected", type=int, help="The version you read; a newer one is a conflict.")
@actor_options
@json_option
@click.pass_context
def customer_deactivate(
    ctx: click.Context, key: str, expected: int | None, as_json: bool, **given: Any
) -> None:
    """Deactivate customer KEY (a soft delete; reactivation brings it back).

    \b
    Example:
      customer-master customer deactivate CUS-0042 --tenant acme
    """
    with opened(ctx) as master:
        actor = acting(master, given)
        customer_id = master.customers.lookup(actor, key).customer.id
        result = master.customers.deactivate(actor, customer_id, version=expected)
    show_outcome(result, "deactivated", as_json)
