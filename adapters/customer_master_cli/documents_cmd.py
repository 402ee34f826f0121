"""``customer-master erase``, ``attach`` and ``attachments``: the right to be forgotten
(SPEC R-4.4) and documents kept with a customer (R-16.6) from the command line.

An erasure always waits for the red lane's approvals (``customer-master approvals``).
Documents are kept in ``$CUSTOMER_MASTER_DOCUMENTS``, else beside an SQLite file
(``shop.db-documents``), else ``./customer-master-documents``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from customer_master.domain.attachments import Attachment
from customer_master_cli.approvals_cmd import request_data, request_words
from customer_master_cli.conventions import (
    EXIT_CODES,
    acting,
    actor_options,
    fail,
    json_option,
    opened,
    print_json,
)


def _data(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "digest": attachment.digest,
        "uploaded_by": attachment.uploaded_by,
        "uploaded_at": attachment.uploaded_at.isoformat(),
    }


@click.command("erase", epilog=EXIT_CODES)
@click.argument("key")
@actor_options
@json_option
@click.pass_context
def erase(ctx: click.Context, key: str, as_json: bool, **given: Any) -> None:
    """Erase the personal data of customer KEY (code or id), for good (R-4.4).

    Names of individuals, contacts, e-mails, phones, street lines, bank accounts, notes
    and documents go — in the record, its change requests, its outbox events and its
    audit records (`audit verify` still passes); code, amounts, tax ids, entities and
    history stay. It cannot be undone, so it waits for the red lane's three approvals.

    \b
    Example:
      customer-master erase CUS-0042 --tenant acme --user ana
      customer-master approvals approve <request id> --tenant acme --user rudi --role ar_manager
    """
    with opened(ctx) as master:
        actor = acting(master, given)
        customer_id = master.customers.lookup(actor, key).customer.id
        result = master.erasure.erase(actor, customer_id)
    request = result.change_request
    if as_json:
        print_json({"change_request": request_data(request)} if request else {"fields": list(result.fields)})
    elif request is not None:
        click.echo(f"erasure waits for approval: {request_words(request)}")
    else:  # pragma: no cover - the lane is always red
        click.echo(f"erased: {', '.join(result.fields) or 'nothing personal was kept'}")


@click.command("attach", epilog=EXIT_CODES)
@click.argument("key")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="The document's name (default: the file's name).")
@actor_options
@json_option
@click.pass_context
def attach(ctx: click.Context, key: str, file: Path, name: str | None, as_json: bool, **given: Any) -> None:
    """Keep FILE as a document of customer KEY (R-16.6).

    The type is read from the file's bytes (PDF, images, Office and OpenDocument files);
    an executable named .pdf is refused, as is a file over the size limit (20 MB).

    \b
    Example:
      customer-master attach CUS-0042 exemption-2026.pdf --tenant acme
    """
    with opened(ctx) as master:
        actor = acting(master, given)
        customer_id = master.customers.lookup(actor, key).customer.id
        size, limit = file.stat().st_size, master.attachments.limit
        if size > limit:  # refused before the file is read into memory
            fail(f"{file.name}: {size} bytes is over the limit of {limit} bytes")
        attachment = master.attachments.attach(actor, customer_id, name or file.name, file.read_bytes())
    if as_json:
        print_json(_data(attachment))
    else:
        a = attachment
        click.echo(f"attached {a.name} ({a.content_type}, {a.size} bytes): {a.id}")


@click.command("attachments", epilog=EXIT_CODES)
@click.argument("key")
@click.option("--get", "get_id", metavar="ID", help="Write this document's bytes to --output.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where --get writes.")
@click.option("--delete", "delete_id", metavar="ID", help="Delete this document.")
@actor_options
@json_option
@click.pass_context
def attachments(
    ctx: click.Context,
    key: str,
    get_id: str | None,
    output: Path | None,
    delete_id: str | None,
    as_json: bool,
    **given: Any,
) -> None:
    """The documents of customer KEY: list them, or --get one, or --delete one.

    \b
    Example:
      customer-master attachments CUS-0042 --tenant acme
      customer-master attachments CUS-0042 --get <id> --output cert.pdf --tenant acme
    """
    if get_id and output is None:
        fail("--get needs --output FILE")
    with opened(ctx) as master:
        actor = acting(master, given)
        customer_id = master.customers.lookup(actor, key).customer.id
        if get_id:
            found, content = master.attachments.download(actor, customer_id, get_id)
            assert output is not None
            output.write_bytes(content)
            click.echo(f"wrote {found.name} ({found.size} bytes) to {output}")
            return
        if delete_id:
            gone = master.attachments.remove(actor, customer_id, delete_id)
            click.echo(f"deleted {gone.name}")
            return
        listed = master.attachments.list(actor, customer_id)
    if as_json:
        print_json([_data(a) for a in listed])
        return
    if not listed:
        click.echo("no documents")
    for a in listed:
        when = a.uploaded_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{a.id}  {a.name}  {a.content_type}  {a.size} bytes  {a.uploaded_by} {when}")


commands = (erase, attach, attachments)
