"""``import`` and ``export`` for the command line (SPEC R-9, R-16.3), as a click group
that the ``customer-master`` command attaches (``cli.add_command(command)`` for each of
``commands.commands.values()``, or the whole group).

    customer-master import customers.xlsx --tenant acme --on-duplicate update --report report.csv
    customer-master import accounts.csv --tenant acme --preset salesforce --default legal_entity=MY01
    customer-master import customers.csv --tenant acme --validate-only        # dry run
    customer-master import customers.csv --tenant acme --submit               # yellow lane
    customer-master export customers.xlsx --tenant acme --status any --region APAC

The storage is the parent command's ``--url`` (``ctx.obj["url"]``), else this group's
``--url``. The exit code is 0 when every row was imported, skipped or unchanged, 3 when
some rows failed, and 1 for an error (one line, never a traceback).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.domain.import_report import ImportResult, RowOutcome
from customer_master.domain.importing import ON_DUPLICATE, PRESETS, ColumnMapping, ImportOptions, mapping_from
from customer_master.domain.search import CustomerQuery
from customer_master.errors import CustomerMasterError, ValidationFailed
from customer_master_files.readers import UnreadableFile, file_checksum, read_file
from customer_master_files.rows import FileRows
from customer_master_files.writers import write_file

DEFAULT_URL = "sqlite:///customer-master.db"
ROWS_FAILED = 3


class _Commands(click.Group):
    """Errors become one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except ValidationFailed as error:
            raise click.ClickException("; ".join(f"{e.path}: {e.message}" for e in error.errors)) from None
        except (CustomerMasterError, UnreadableFile, ValueError, OSError) as error:
            raise click.ClickException(
                str(error).splitlines()[0] if str(error) else type(error).__name__
            ) from None


@click.group(cls=_Commands, name="files")
@click.option("--url", envvar="CUSTOMER_MASTER_URL", default=None, help="Storage URL (when run on its own).")
@click.pass_context
def commands(ctx: click.Context, url: str | None) -> None:
    """Bulk import and export of customers (CSV and XLSX).

    \b
    Example:
      customer-master import customers.csv --tenant acme --validate-only
    """
    ctx.ensure_object(dict)
    if url is not None or "url" not in ctx.obj:
        ctx.obj["url"] = url or DEFAULT_URL


def _actor_options(command: Any) -> Any:
    command = click.option("--user", default=getpass.getuser, show_default="your login", help="Who acts.")(
        command
    )
    command = click.option(
        "--role",
        "roles",
        multiple=True,
        default=("admin",),
        show_default=True,
        help="The acting user's roles (repeat); an export for a role without view_sensitive is masked.",
    )(command)
    command = click.option(
        "--tenant",
        envvar="CUSTOMER_MASTER_TENANT",
        required=True,
        help="The tenant (env: CUSTOMER_MASTER_TENANT).",
    )(command)
    return command


@contextmanager
def _opened(ctx: click.Context) -> Iterator[CustomerMaster]:
    url = str((ctx.obj or {}).get("url") or DEFAULT_URL)
    master = CustomerMaster.from_url(url)
    try:
        yield master
    finally:
        master.close()


@commands.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_actor_options
@click.option("--on-duplicate", type=click.Choice(ON_DUPLICATE), default="skip", show_default=True)
@click.option("--batch-size", type=click.IntRange(1, 1000), default=100, show_default=True)
@click.option("--stop-on-error", is_flag=True, help="Stop at the first failed row.")
@click.option(
    "--validate-only", "--dry-run", "validate_only", is_flag=True, help="Check everything, write nothing."
)
@click.option(
    "--submit", is_flag=True, help="Submit the file for approval (tenants whose import lane is not green)."
)
@click.option("--preset", type=click.Choice(sorted(PRESETS)), help="Column names of a CRM export.")
@click.option("--mapping", "mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSON file: {"columns": {header: column}, "defaults": {column: value}, '
                   '"values": {column: {written: meant}}}.')  # fmt: skip
@click.option(
    "--default", "defaults", multiple=True, metavar="COLUMN=VALUE", help="Value for blank cells (repeat)."
)
@click.option("--delimiter", help="CSV delimiter (default: sniffed).")
@click.option(
    "--encoding", help="CSV encoding (default: told from the file; refused when it cannot be told)."
)
@click.option("--sheet", help="XLSX sheet (default: the first).")
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the per-row report (CSV)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of a table.")
@click.pass_context
def import_customers(
    ctx: click.Context, file: Path, tenant: str, roles: tuple[str, ...], user: str, **given: Any
) -> None:
    """Import customers from a CSV or XLSX FILE (exit code 3 when some rows failed).

    \b
    Example:
      customer-master import accounts.csv --preset salesforce --default legal_entity=MY01 --tenant acme
      customer-master import customers.xlsx --validate-only --report report.csv --tenant acme
    """
    options = ImportOptions(
        on_duplicate=given["on_duplicate"],
        batch_size=given["batch_size"],
        stop_on_error=given["stop_on_error"],
        validate_only=given["validate_only"],
        mapping=_mapping(given["preset"], given["mapping_file"], given["defaults"]),
    )
    reading = {name: given[name] for name in ("delimiter", "encoding", "sheet")}
    rows = FileRows(lambda: read_file(file, **reading))
    actor = Actor(tenant, user, set(roles), channel="cli")
    checksum = file_checksum(file)
    console = Console(stderr=True, highlight=False)
    with _opened(ctx) as master:
        first = next(iter(rows), None)
        config = master.configuration.get(actor)
        ignored = options.mapping.plan(list(first or ()), config).ignored
        if ignored and not given["as_json"]:
            Console(highlight=False).print(f"Columns ignored (no field takes them): {', '.join(ignored)}")
        if given["submit"]:
            result = master.imports.submit(actor, rows, options, checksum)
        else:
            result = _run_with_progress(
                master, actor, rows, options, checksum, console, given["report"], ignored
            )
    if given["report"] and (given["submit"] or result.keep_outcomes):
        given["report"].write_text(result.to_csv(), encoding="utf-8")
    if given["as_json"]:
        data = result.summary() | {"ignored_columns": list(ignored), "change_request": _request_id(result)}
        click.echo(json.dumps(data, indent=2))
    else:
        _summary_table(result, Console(highlight=False))
    if result.has_failures:
        ctx.exit(ROWS_FAILED)


def _run_with_progress(
    master: CustomerMaster,
    actor: Actor,
    rows: Iterable[Any],
    options: ImportOptions,
    checksum: str,
    console: Console,
    report: Path | None,
    ignored: tuple[str, ...],
) -> ImportResult:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("importing", total=None)
        with _report_writer(report, ignored) as write:

            def heard(outcome: RowOutcome) -> None:
                write(outcome)
                progress.update(task, advance=1, description=f"row {outcome.row}: {outcome.outcome}")

            return master.imports.run(actor, rows, options, on_outcome=heard, checksum=checksum)


@contextmanager
def _report_writer(path: Path | None, ignored: tuple[str, ...]) -> Iterator[Any]:
    """Stream the per-row report to ``path`` as outcomes arrive (flat memory), the
    file's ignored columns first."""
    if path is None:
        yield lambda outcome: None
        return
    import csv

    from customer_master.domain.import_report import REPORT_COLUMNS, ignored_lines

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, REPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(ignored_lines(ignored))
        yield lambda outcome: writer.writerows(outcome.report_lines())


def _mapping(preset: str | None, mapping_file: Path | None, defaults: tuple[str, ...]) -> ColumnMapping:
    mapping = PRESETS[preset] if preset else ColumnMapping()
    if mapping_file is not None:
        data = json.loads(mapping_file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise click.ClickException("a mapping file holds a JSON object")
        mapping = mapping_from(data, base=mapping)
    pairs = {}
    for item in defaults:
        column, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--default takes COLUMN=VALUE, not {item!r}")
        pairs[column.strip()] = value.strip()
    return mapping_from({"defaults": pairs}, base=mapping) if pairs else mapping


def _summary_table(result: ImportResult, console: Console) -> None:
    title = "Import (dry run)" if result.validate_only else "Import"
    table = Table(title=title)
    for name in ("rows", "created", "updated", "skipped", "failed"):
        table.add_column(name, justify="right")
    table.add_row(
        str(result.rows), *(str(result.counts[n]) for n in ("created", "updated", "skipped", "failed"))
    )
    console.print(table)
    failures = [o for o in result.outcomes if o.outcome == "failed"][:20]
    if failures:
        problems = Table(title="Failed rows (first 20)")
        for name in ("row", "column", "message"):
            problems.add_column(name)
        for outcome in failures:
            for line in outcome.report_lines():
                problems.add_row(line["row"], line["column"], line["message"])
        console.print(problems)
    if result.stopped_at is not None:
        console.print(f"Stopped at row {result.stopped_at}.")
    if result.change_request is not None:
        request = result.change_request
        steps = ", ".join(request.steps)
        console.print(f"Submitted for approval: change request {request.id} ({request.lane} lane: {steps}).")


def _request_id(result: ImportResult) -> str | None:
    return result.change_request.id if result.change_request else None


@commands.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_actor_options
@click.option(
    "--status", type=click.Choice(["active", "inactive", "any"]), default="active", show_default=True
)
@click.option("--kind", type=click.Choice(["company", "individual"]))
@click.option("--group", "customer_group")
@click.option("--segment")
@click.option("--region")
@click.option("--tag")
@click.option("--entity")
@click.option("--salesperson")
@click.option("--name", help="Name starts with (case and accents ignored).")
@click.option(
    "--name-match",
    type=click.Choice(["prefix", "fuzzy"]),
    default="prefix",
    show_default=True,
    help="fuzzy: also names close to --name despite typing errors.",
)
@click.pass_context
def export_customers(
    ctx: click.Context, file: Path, tenant: str, roles: tuple[str, ...], user: str, **filters: Any
) -> None:
    """Export customers to FILE (.xlsx, else CSV) in the columns an import reads.

    \b
    Example:
      customer-master export customers.xlsx --status any --region APAC --tenant acme
    """
    query = CustomerQuery(**{k: v for k, v in filters.items() if v is not None})
    with _opened(ctx) as master:
        export = master.exports.export(Actor(tenant, user, set(roles), channel="cli"), query)
        count = write_file(file, export.columns, export.rows)
    click.echo(f"{count} customers written to {file}")
