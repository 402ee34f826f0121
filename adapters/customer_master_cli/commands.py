"""The ``customer-master`` command: serve the API, migrate the database, make API keys,
seed the demo tenant, verify the audit trail, and the rules for quick use (credit
check, payment schedule, price) — SPEC R-16.3.

Every command works on the storage named by ``--url`` (or ``CUSTOMER_MASTER_URL``;
default ``sqlite:///customer-master.db``). An error is one clear line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.errors import ValidationFailed
from customer_master_cli import output
from customer_master_cli.approvals_cmd import approvals
from customer_master_cli.config_cmd import config
from customer_master_cli.conventions import EXIT_CODES, opened, url_of
from customer_master_cli.customer_cmd import customer
from customer_master_cli.documents_cmd import commands as document_commands
from customer_master_cli.mcp_cmd import mcp
from customer_master_cli.receivables_cmd import aging, statement
from customer_master_cli.relay_cmd import relay

DEFAULT_URL = "sqlite:///customer-master.db"

F = TypeVar("F", bound=Callable[..., Any])


class CommandGroup(click.Group):
    """A group whose commands fail with one line: the error's message, exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except ValidationFailed as error:
            fields = "; ".join(f"{e.path}: {e.message}" for e in error.errors)
            raise click.ClickException(f"invalid input — {fields}") from error
        except Exception as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise click.ClickException(message) from error


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.option(
    "--url",
    envvar="CUSTOMER_MASTER_URL",
    default=DEFAULT_URL,
    show_default=True,
    help="Storage URL (sqlite:///file.db, postgresql+psycopg://…, memory://). Env: CUSTOMER_MASTER_URL.",
)
@click.version_option(package_name="customer-master")
@click.pass_context
def cli(ctx: click.Context, url: str) -> None:
    """customer-master: customer master data and the rules ERP modules read from it.

    Who acts: --api-key (env CUSTOMER_MASTER_API_KEY), or --tenant with --user and
    --role; output: tables, or --json; errors: one line naming the value.

    \b
    Example:
      customer-master --url sqlite:///cm.db migrate
      customer-master config apply tenant.yaml --tenant acme
      customer-master import accounts.csv --preset salesforce --tenant acme --submit
    """
    ctx.obj = {"url": url}


def tenant_options(command: F) -> F:
    """``--tenant`` and ``--user``: the rule commands act as an administrator of the tenant."""
    command = click.option(
        "--user", default=lambda: getpass.getuser(), show_default="your login", help="Who is acting (audit)."
    )(command)
    command = click.option(
        "--tenant",
        envvar="CUSTOMER_MASTER_TENANT",
        required=True,
        help="The tenant (env: CUSTOMER_MASTER_TENANT).",
    )(command)
    return command


def admin(tenant: str, user: str) -> Actor:
    return Actor(tenant, user, {"admin"}, channel="cli")


def decimal_value(value: str, name: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        fail(f"{name} must be a decimal number, e.g. 1250.00 (got {value!r})")
    if not number.is_finite():
        fail(f"{name} must be a finite number")
    return number


def fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------
# Serving and the database
# ---------------------------------------------------------------------------


@cli.command()
@click.option("--bind", "-b", default="127.0.0.1:8000", show_default=True, help="host:port to listen on.")
@click.option(
    "--workers", "-w", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)
@click.option(
    "--threads", default=1, show_default=True, type=click.IntRange(1, 64), help="Threads per worker."
)
@click.option("--dev", is_flag=True, help="Flask's development server (one process) instead of gunicorn.")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
@click.pass_context
def serve(ctx: click.Context, bind: str, workers: int, threads: int, dev: bool, access_log: bool) -> None:
    """Serve the HTTP API (docs at /docs, OpenAPI at /openapi.json).

    \b
    Example:
      customer-master --url sqlite:///cm.db serve --bind 127.0.0.1:8000 --workers 4
    """
    from customer_master_cli.serve import run_dev, run_gunicorn

    url = url_of(ctx)
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        fail(f"--bind must be host:port, not {bind!r}")
    if url.startswith("memory:") and workers > 1 and not dev:
        click.echo("memory:// keeps data per process; serving with 1 worker", err=True)
        workers = 1
    CustomerMaster.from_url(url).close()  # fail here, with one line, if the storage cannot open
    click.echo(
        f"customer-master on http://{host or '127.0.0.1'}:{port}/docs  (storage: {_safe(url)})", err=True
    )
    if dev:
        run_dev(url, host or "127.0.0.1", int(port))
    else:
        run_gunicorn(url, bind, workers=workers, threads=threads, access_log=access_log)


@cli.command()
@click.argument("url", required=False)
@click.pass_context
def migrate(ctx: click.Context, url: str | None) -> None:
    """Create or upgrade the SQL schema (URL defaults to --url).

    \b
    Example:
      customer-master migrate postgresql+psycopg://cm@db/cm
    """
    target = url or url_of(ctx)
    if target.startswith("memory:"):
        click.echo("memory:// has no schema to migrate")
        return
    try:
        from customer_master_sql import migrate as migrate_schema
    except ImportError:  # pragma: no cover - the SQL adapter ships with the package
        fail("the SQL storage adapter (customer_master_sql) is not installed")
    revision = migrate_schema(target)
    click.echo(f"{_safe(target)} is at schema revision {revision}")


def _safe(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"


# ---------------------------------------------------------------------------
# API keys
# ---------------------------------------------------------------------------


@cli.group(cls=CommandGroup)
def apikey() -> None:
    """Make and revoke API keys (stored hashed; shown once).

    \b
    Example:
      customer-master apikey create --tenant acme --user mei --role ar_manager
    """


@apikey.command("create")
@click.option("--tenant", required=True, help="The tenant the key acts in.")
@click.option("--user", required=True, help="The user the key acts as.")
@click.option("--role", "roles", multiple=True, required=True, help="A role (repeat for more), e.g. admin.")
@click.option("--label", default="", help="What the key is for.")
@click.pass_context
def apikey_create(ctx: click.Context, tenant: str, user: str, roles: tuple[str, ...], label: str) -> None:
    """Make a key and print it once (it is not stored, only its hash).

    \b
    Example:
      customer-master apikey create --tenant acme --user mei --role ar_manager --label laptop
    """
    with opened(ctx) as master:
        secret, key = master.access.create_api_key(tenant, user, roles, label=label)
    click.echo(secret)
    click.echo(f"key {key.id}: tenant {key.tenant}, user {key.user}, roles {', '.join(key.roles)}", err=True)


@apikey.command("revoke")
@click.option("--tenant", required=True)
@click.argument("key_id")
@click.pass_context
def apikey_revoke(ctx: click.Context, tenant: str, key_id: str) -> None:
    """Revoke a key by its id (the part after ``cm_`` and before the next ``_``).

    \b
    Example:
      customer-master apikey revoke --tenant acme 7f3c9a
    """
    with opened(ctx) as master:
        master.access.revoke_api_key(tenant, key_id)
    click.echo(f"key {key_id} revoked")


# ---------------------------------------------------------------------------
# Demo data and the audit trail
# ---------------------------------------------------------------------------


@cli.command("seed-demo")
@click.option("--tenant", default="demo", show_default=True)
@click.option("--customers", default=300, show_default=True, type=click.IntRange(10, 100_000))
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.pass_context
def seed_demo(ctx: click.Context, tenant: str, customers: int, seed: int) -> None:
    """Seed a realistic demo tenant: entities, terms, price lists, customers, receivables,
    change requests waiting for approval; prints API keys to try it with.

    \b
    Example:
      customer-master --url sqlite:///demo.db seed-demo --customers 300
    """
    from customer_master_cli.demo import seed_demo_tenant

    with opened(ctx) as master:
        summary = seed_demo_tenant(master, tenant=tenant, customers=customers, seed=seed, progress=True)
    output.demo_summary(console(), summary)


@cli.group(cls=CommandGroup)
def audit() -> None:
    """The audit trail.

    \b
    Example:
      customer-master audit verify --tenant acme
    """


@audit.command("verify")
@tenant_options
@click.pass_context
def audit_verify(ctx: click.Context, tenant: str, user: str) -> None:
    """Verify the tenant's audit hash chain; exit code 1 when a record does not hold.

    \b
    Example:
      customer-master audit verify --tenant acme
    """
    with opened(ctx) as master:
        report = master.audit.verify(admin(tenant, user))
    if report.is_intact:
        click.echo(f"audit trail of {tenant} intact: {report.checked} records verified")
        return
    fail(f"audit trail of {tenant} broken at record {report.first_broken}: {report.reason}")


# ---------------------------------------------------------------------------
# The rules, for quick use
# ---------------------------------------------------------------------------

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


@cli.command("credit-check")
@tenant_options
@click.argument("customer")
@click.option("--entity", required=True, help="The legal entity of the document.")
@click.option("--amount", required=True, help="The document's amount.")
@click.option("--currency", help="Default: the customer's currency.")
@click.option(
    "--document-type",
    default="order",
    show_default=True,
    type=click.Choice(["quotation", "order", "delivery", "invoice"]),
)
@click.option("--document-ref", help="A released document passes once.")
@json_option
@click.pass_context
def credit_check(
    ctx: click.Context,
    tenant: str,
    user: str,
    customer: str,
    entity: str,
    amount: str,
    currency: str | None,
    document_type: str,
    document_ref: str | None,
    as_json: bool,
) -> None:
    """Check a document against a customer's credit (CUSTOMER: id or code).

    \b
    Example:
      customer-master credit-check CUS-0001 --entity MY01 --amount 10000 --tenant acme
    """
    actor = admin(tenant, user)
    with opened(ctx) as master:
        found = master.customers.lookup(actor, customer).customer
        decision = master.credit.check(
            actor,
            found.id,
            entity=entity,
            amount=decimal_value(amount, "--amount"),
            currency=currency,
            document_type=document_type,
            document_ref=document_ref,
        )
    if as_json:
        click.echo(json.dumps(output.plain(decision), indent=2))
    else:
        output.credit_decision(console(), found, entity, decision)


@cli.command()
@tenant_options
@click.option("--terms", help="Payment-terms code (default with --customer: the customer's terms).")
@click.option("--customer", help="Id or code: use the customer's effective terms for --entity.")
@click.option("--entity", help="The legal entity (with --customer).")
@click.option(
    "--date", "invoice_date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Invoice date."
)
@click.option("--amount", required=True, help="Invoice total (negative: credit note).")
@click.option("--currency", help="Invoice currency (required without --customer).")
@json_option
@click.pass_context
def schedule(
    ctx: click.Context,
    tenant: str,
    user: str,
    terms: str | None,
    customer: str | None,
    entity: str | None,
    invoice_date: Any,
    amount: str,
    currency: str | None,
    as_json: bool,
) -> None:
    """The payment schedule of an invoice.

    \b
    Example:
      customer-master schedule --terms NET30 --date 2026-01-31 --amount 1200 --currency MYR --tenant acme
    """
    actor = admin(tenant, user)
    day: date = invoice_date.date()
    total = decimal_value(amount, "--amount")
    with opened(ctx) as master:
        if customer is not None:
            if entity is None:
                fail("--entity is required with --customer")
            found = master.customers.lookup(actor, customer).customer
            result = master.terms.invoice_schedule(
                actor,
                found.id,
                entity=entity,
                invoice_date=day,
                amount=total,
                currency=currency,
                terms_code=terms,
            )
            installments, used = result.installments, (result.terms.code if result.terms else None)
        else:
            if terms is None or currency is None:
                fail("give --terms and --currency, or --customer and --entity")
            installments = master.terms.schedule(
                actor, terms, invoice_date=day, amount=total, currency=currency
            )
            used = terms
    if as_json:
        click.echo(
            json.dumps({"terms": used, "installments": [output.plain(i) for i in installments]}, indent=2)
        )
    else:
        output.installments(console(), used, installments)


@cli.command()
@tenant_options
@click.argument("customer")
@click.option("--entity", required=True)
@click.option("--item", required=True, help="Item code.")
@click.option("--quantity", default="1", show_default=True)
@click.option("--on", "on_date", type=click.DateTime(["%Y-%m-%d"]), help="Price date (default: today).")
@json_option
@click.pass_context
def price(
    ctx: click.Context,
    tenant: str,
    user: str,
    customer: str,
    entity: str,
    item: str,
    quantity: str,
    on_date: Any,
    as_json: bool,
) -> None:
    """Resolve a customer's unit price for an item (CUSTOMER: id or code).

    \b
    Example:
      customer-master price CUS-0001 --entity MY01 --item WIDGET --quantity 12 --tenant acme
    """
    actor = admin(tenant, user)
    with opened(ctx) as master:
        found = master.customers.lookup(actor, customer).customer
        resolution = master.pricing.resolve(
            actor,
            found.id,
            entity=entity,
            item_code=item,
            quantity=decimal_value(quantity, "--quantity"),
            on=on_date.date() if on_date else None,
        )
    if as_json:
        click.echo(json.dumps(output.plain(resolution), indent=2))
    else:
        output.price_resolution(console(), found, item, resolution)


def main() -> None:
    """The console script ``customer-master``."""
    cli(prog_name="customer-master")


def _attach_file_commands() -> None:
    """``import`` and ``export`` come from the files adapter (CSV, XLSX) when installed."""
    try:
        from customer_master_files.cli import commands as file_commands
    except ImportError:  # pragma: no cover - the files adapter ships with the package
        return
    for command in file_commands.commands.values():
        cli.add_command(command)


_attach_file_commands()
for _command in (config, approvals, customer, mcp, *document_commands, aging, statement):
    cli.add_command(_command)
cli.add_command(relay)
