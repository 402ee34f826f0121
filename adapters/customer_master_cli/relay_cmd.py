"""``customer-master relay``: the outbox relay to RabbitMQ and NATS JetStream (SPEC
R-15.4), and ``relay status``: how many events wait, per tenant, and for how long."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import timedelta
from types import FrameType

import click
from rich.console import Console
from rich.table import Table

from customer_master.app import open_storage
from customer_master.clock import SystemClock
from customer_master_cli.conventions import EXIT_CODES, fail, json_option, print_json, url_of


@click.group("relay", invoke_without_command=True, epilog=EXIT_CODES)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="URL",
    help="A broker to send to (repeat): amqp://user:password@host:5672/ or nats://host:4222.",
)
@click.option("--name", help="This relay's name; restarted under the same name it resumes at once.")
@click.option(
    "--batch", default=500, show_default=True, type=click.IntRange(1, 10_000), help="Events a batch."
)
@click.option(
    "--lease",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Seconds a claimed batch stays this relay's before another may take it.",
)
@click.option("--exchange", default="customer_master", show_default=True, help="RabbitMQ topic exchange.")
@click.option("--stream", default="CUSTOMER_MASTER", show_default=True, help="JetStream stream.")
@click.pass_context
def relay(
    ctx: click.Context,
    targets: tuple[str, ...],
    name: str | None,
    batch: int,
    lease: float,
    exchange: str,
    stream: str,
) -> None:
    """Send every committed event to message brokers, at least once, in commit order per
    tenant; runs until stopped (Ctrl-C or SIGTERM). docs/relay.md says what consumers get.

    \b
    Example:
      customer-master --url sqlite:///cm.db relay --to amqp://guest:guest@127.0.0.1:5672/
      customer-master relay --to amqp://guest:guest@127.0.0.1:5672/ --to nats://127.0.0.1:4222
      customer-master relay status
    """
    if ctx.invoked_subcommand is not None:
        return
    if not targets:
        fail("--to: give at least one broker URL (amqp://… or nats://…)")
    from customer_master_broker import Relay, default_name, open_publisher

    try:
        publishers = [open_publisher(url, exchange=exchange, stream=stream) for url in targets]
    except ValueError as error:
        fail(str(error))
    # The relay's own lines (one per change of state); the clients' are summed up in them.
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    logging.getLogger("customer_master_broker").setLevel(logging.INFO)
    for client in ("pika", "nats"):
        logging.getLogger(client).setLevel(logging.CRITICAL)
    storage = open_storage(url_of(ctx))
    stop = threading.Event()

    def stopping(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    try:
        Relay(
            storage,
            publishers,
            name=name or default_name(),
            batch=batch,
            lease=timedelta(seconds=lease),
        ).run(stop)
    finally:
        storage.close()


@relay.command("status", epilog=EXIT_CODES)
@json_option
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Events not yet relayed, per tenant: how many, and how old the oldest is.

    \b
    Example:
      customer-master --url sqlite:///cm.db relay status --json
    """
    from customer_master_broker import backlog

    storage = open_storage(url_of(ctx))
    try:
        rows = backlog(storage)
    finally:
        storage.close()
    now = SystemClock().now()
    data = [
        {
            "tenant": row.tenant,
            "pending": row.pending,
            "oldest": row.oldest,
            "oldest_age_seconds": round(max(0.0, (now - row.oldest).total_seconds()), 3),
        }
        for row in rows
    ]
    if as_json:
        print_json({"pending": sum(row.pending for row in rows), "tenants": data})
        return
    console = Console(highlight=False, soft_wrap=True)
    if not data:
        console.print("Nothing waiting: every event has been relayed.")
        return
    table = Table("Tenant", "Pending", "Oldest pending", "Age")
    for item in data:
        age = f"{item['oldest_age_seconds']:.1f} s"
        table.add_row(str(item["tenant"]), str(item["pending"]), str(item["oldest"]), age)
    console.print(table)
    console.print(f"{sum(row.pending for row in rows)} events waiting.")
