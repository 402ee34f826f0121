"""``customer-master aging`` and ``customer-master statement``: the aging of what
customers owe (SPEC R-13.2) as a table or CSV, and statements of account (R-13.3) saved
as PDF or XLSX or sent by e-mail — one customer, or a batch with a progress bar.

Mail goes through the SMTP server the ``CM_SMTP_*`` variables name (docs/receivables.md).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.domain.aging import BUCKET_TITLES, BUCKETS, AgingLine, AgingQuery
from customer_master.domain.serialize import to_data
from customer_master.services.statements import BatchFilter, SendResult
from customer_master_cli.conventions import (
    EXIT_CODES,
    acting,
    actor_options,
    fail,
    json_option,
    print_json,
    url_of,
)

_date = click.DateTime(formats=["%Y-%m-%d"])


@contextmanager
def opened_for_statements(ctx: click.Context) -> Iterator[CustomerMaster]:
    """The façade with the PDF renderer and, when ``CM_SMTP_HOST`` is set, the mailer."""
    try:
        from customer_master_statements import MailNotConfigured, ports_from_env
    except ImportError as missing:
        fail(str(missing))
    try:
        ports = ports_from_env()
    except MailNotConfigured as wrong:
        fail(str(wrong))
    master = CustomerMaster.from_url(url_of(ctx), **ports)  # type: ignore[arg-type]
    try:
        yield master
    finally:
        master.close()


def _customer_id(master: CustomerMaster, actor: Actor, customer: str) -> str:
    return master.customers.lookup(actor, customer).customer.id


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


# ---------------------------------------------------------------------------
# aging
# ---------------------------------------------------------------------------

CSV_COLUMNS = ("code", "name", "entity", "currency", *BUCKETS, "total")


def _cells(line: AgingLine) -> list[str]:
    figures = (
        [str(getattr(line.buckets, b)) for b in BUCKETS] + [str(line.buckets.total)]
        if line.buckets
        else ["masked"] * 6
    )
    return [line.code, line.name, line.entity, line.currency, *figures]


@click.command(epilog=EXIT_CODES)
@click.option("--as-of", "as_of", type=_date, help="The date to age at (YYYY-MM-DD); default: today.")
@click.option("--entity", help="Only this legal entity.")
@click.option("--customer", help="Only this customer (id or code).")
@click.option("--group", "customer_group", help="Only customers of this group.")
@click.option("--region", help="Only customers of this region.")
@click.option("--salesperson", help="Only customers of this salesperson.")
@click.option("--overdue-only", is_flag=True, help="Only lines with something past due.")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write CSV here (- for stdout).",
)
@click.option("--page-size", default=500, show_default=True, type=click.IntRange(1, 1000))
@actor_options
@json_option
@click.pass_context
def aging(
    ctx: click.Context,
    as_of: datetime | None,
    customer: str | None,
    overdue_only: bool,
    csv_file: str | None,
    page_size: int,
    as_json: bool,
    **given: Any,
) -> None:
    """The aging of what customers owe: current, 1–30, 31–60, 61–90, over 90 days.

    Per customer and legal entity, in the customer's currency, with totals per currency
    (R-13.2). The whole tenant is read page by page; --csv streams it to a file.

    \b
    Example:
      customer-master aging --tenant demo --as-of 2026-03-31 --entity MY01
      customer-master aging --tenant demo --overdue-only --csv aging.csv
    """
    with opened_for_statements(ctx) as master:
        actor = acting(master, given)
        filters = {k: given.pop(k) for k in ("entity", "customer_group", "region", "salesperson")}
        day = _day(as_of) or master.context.clock.today(master.configuration.get(actor).settings.time_zone)
        customer_id = _customer_id(master, actor, customer) if customer else None

        def lines() -> Iterator[AgingLine]:
            after: str | None = None
            while True:
                query = AgingQuery(
                    as_of=day, customer_id=customer_id, after=after, limit=page_size, **filters
                )
                report = master.receivables.aging(actor, query)
                for line in report.lines:
                    if not overdue_only or (line.buckets is not None and line.buckets.overdue != 0):
                        yield line
                if report.next_after is None:
                    return
                after = report.next_after

        if csv_file is not None:
            _write_csv(lines(), csv_file)
            return
        found = list(lines())
    if as_json:
        print_json({"as_of": day, "lines": [to_data(line) for line in found]})
        return
    _print_table(found, day)


def _write_csv(lines: Iterator[AgingLine], target: str) -> None:
    stream: TextIO = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")  # noqa: SIM115
    try:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        count = 0
        for line in lines:
            writer.writerow(_cells(line))
            count += 1
    finally:
        if stream is not sys.stdout:
            stream.close()
    if target != "-":
        click.echo(f"{count} aging lines written to {target}", err=True)


def _print_table(lines: list[AgingLine], day: date) -> None:
    table = Table(title=f"Aging as of {day}", show_lines=False)
    for title in ("Code", "Name", "Entity", "Cur."):
        table.add_column(title)
    for title in [*(BUCKET_TITLES[b] for b in BUCKETS), "Total"]:
        table.add_column(title, justify="right")
    totals: dict[str, list[Any]] = {}
    for line in lines:
        table.add_row(*_cells(line))
        if line.buckets is not None:
            sums = totals.setdefault(line.currency, [0] * 6)
            for index, value in enumerate([*line.buckets.amounts(), line.buckets.total]):
                sums[index] += value
    for currency, sums in totals.items():
        table.add_row("", "[b]Total[/b]", "", currency, *(f"[b]{s}[/b]" for s in sums))
    Console().print(table)


# ---------------------------------------------------------------------------
# statement
# ---------------------------------------------------------------------------


@click.command(epilog=EXIT_CODES)
@click.argument("customer", required=False)
@click.option("--from", "start", type=_date, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", type=_date, required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option("--entity", required=True, help="The legal entity the statement is from.")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path), help="Save as PDF.")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path), help="Save as XLSX.")
@click.option("--send", is_flag=True, help="E-mail it (PDF) to the customer's primary contact.")
@click.option(
    "--batch", is_flag=True, help="Every customer with documents for the entity (narrow with the filters)."
)
@click.option("--group", "customer_group", help="Batch: only customers of this group.")
@click.option("--region", help="Batch: only customers of this region.")
@click.option("--salesperson", help="Batch: only customers of this salesperson.")
@click.option("--overdue-only", is_flag=True, help="Batch: only customers with something past due.")
@actor_options
@json_option
@click.pass_context
def statement(
    ctx: click.Context,
    customer: str | None,
    start: datetime,
    end: datetime,
    entity: str,
    pdf_file: Path | None,
    xlsx_file: Path | None,
    send: bool,
    batch: bool,
    as_json: bool,
    **given: Any,
) -> None:
    """A statement of account (CUSTOMER: id or code): save it or e-mail it.

    Opening balance, each document of the period with its running balance, closing
    balance and the aging at the end (R-13.3). --batch --send sends one to every customer
    the filters select, with a progress bar, and reports each failure; sending again
    skips statements already sent.

    \b
    Example:
      customer-master statement CUS-0001 --from 2026-03-01 --to 2026-03-31 \
        --entity MY01 --pdf s.pdf --tenant demo
      customer-master statement --batch --overdue-only --entity MY01 \
        --from 2026-03-01 --to 2026-03-31 --send --tenant demo
    """
    with opened_for_statements(ctx) as master:
        actor = acting(master, given)
        period = {"start": start.date(), "end": end.date()}
        if batch:
            if customer or pdf_file or xlsx_file or not send:
                fail("--batch takes no CUSTOMER and no --pdf/--xlsx; it needs --send")
            which = BatchFilter(entity=entity, overdue_only=given.pop("overdue_only"), **{
                k: given.pop(k) for k in ("customer_group", "region", "salesperson")})  # fmt: skip
            _send_batch(master, actor, which, period, as_json)
            return
        if not customer:
            fail("name the CUSTOMER (id or code), or give --batch")
        customer_id = _customer_id(master, actor, customer)
        found = master.statements.statement(actor, customer_id, entity=entity, **period)
        _save(found, pdf_file, xlsx_file)
        if send:
            result = master.statements.send(actor, customer_id, entity=entity, **period)
            _report_send(result, as_json)
            return
    if as_json:
        print_json(to_data(found))
    elif not (pdf_file or xlsx_file):
        click.echo(
            f"{found.id}: {found.customer.code} {found.customer.name}, {found.start} to {found.end}: "
            f"opening {found.opening}, {len(found.lines)} documents, closing {found.closing} {found.currency}"
        )


def _save(found: Any, pdf_file: Path | None, xlsx_file: Path | None) -> None:
    from customer_master_statements import PdfStatements, XlsxStatements

    for path, renderer in ((pdf_file, PdfStatements), (xlsx_file, XlsxStatements)):
        if path is not None:
            path.write_bytes(renderer().render(found))
            click.echo(f"saved {path}", err=True)


def _report_send(result: SendResult, as_json: bool) -> None:
    if as_json:
        print_json(to_data(result))
    elif result.status == "sent":
        click.echo(f"{result.code}: sent {result.statement_id} to {result.to}")
    elif result.status == "already_sent":
        click.echo(f"{result.code}: {result.statement_id} was sent before; not sent again")
    else:
        fail(f"{result.code}: not sent ({result.status}): {result.error or 'the customer has no e-mail'}")


def _send_batch(
    master: CustomerMaster, actor: Actor, which: BatchFilter, period: dict[str, date], as_json: bool
) -> None:
    ids = master.statements.batch_customers(actor, which, end=period["end"], for_sending=True)
    results: list[SendResult] = []
    columns = (TextColumn("statements"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=as_json) as progress:
        task = progress.add_task("send", total=len(ids))
        for customer_id in ids:
            result = master.statements.send(actor, customer_id, entity=which.entity, **period)
            results.append(result)
            progress.advance(task)
    if as_json:
        print_json([to_data(r) for r in results])
    else:
        counts: dict[str, int] = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
            if result.status in ("failed", "no_email"):
                click.echo(f"{result.code}: {result.status} {result.error or ''}".rstrip(), err=True)
        click.echo(
            ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items()))
            or "nothing to send"
        )
    if any(r.status == "failed" for r in results):
        sys.exit(3)
