"""``customer-master approvals``: change requests waiting for approval (SPEC R-10) — the
inbox, one request, approve and reject — as a user of the tenant."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.serialize import to_data
from customer_master_cli.conventions import EXIT_CODES, acting, actor_options, json_option, opened, print_json


def request_data(request: ChangeRequest) -> dict[str, Any]:
    return {**to_data(request), "next_role": request.next_role}


def request_words(request: ChangeRequest) -> str:
    if request.is_pending:
        done = f"{len(request.approvals)} of {len(request.steps)} approvals"
        return f"change request {request.id} ({request.operation}) waits for {request.next_role} ({done})"
    outcome = f": {request.outcome}" if request.outcome else ""
    return f"change request {request.id} ({request.operation}) is {request.state}{outcome}"


@click.group("approvals", epilog=EXIT_CODES)
def approvals() -> None:
    """Change requests waiting for approval: list, show, approve, reject.

    \b
    Example:
      customer-master approvals list --mine --tenant acme --user mei --role ar_manager
      customer-master approvals approve 3f2a… --tenant acme --user mei --role ar_manager
    """


@approvals.command("list", epilog=EXIT_CODES)
@click.option("--state", type=click.Choice(["pending", "approved", "rejected", "failed"]))
@click.option("--customer", "customer_id", help="Only requests about this customer id.")
@click.option("--mine", is_flag=True, help="Only pending requests whose next step I may decide.")
@actor_options
@json_option
@click.pass_context
def approvals_list(
    ctx: click.Context, state: str | None, customer_id: str | None, mine: bool, as_json: bool, **given: Any
) -> None:
    """Change requests, newest first.

    \b
    Example:
      customer-master approvals list --state pending --tenant acme
    """
    with opened(ctx) as master:
        found = master.approvals.list(acting(master, given), state=state, customer_id=customer_id, mine=mine)
    if as_json:
        print_json([request_data(r) for r in found])
        return
    table = Table(title=f"{len(found)} change request(s)")
    table.add_column("id", no_wrap=True, min_width=32)  # whole: it is what approve takes
    for column in ("operation", "submitter", "lane", "state", "next"):
        table.add_column(column)
    for request in found:
        table.add_row(
            request.id,
            request.operation,
            request.submitter,
            request.lane,
            request.state,
            request.next_role or "",
        )
    Console(highlight=False, soft_wrap=True).print(table)


@approvals.command("show", epilog=EXIT_CODES)
@click.argument("request_id")
@actor_options
@json_option
@click.pass_context
def approvals_show(ctx: click.Context, request_id: str, as_json: bool, **given: Any) -> None:
    """One change request: what it does, who submitted it, the approvals so far.

    \b
    Example:
      customer-master approvals show 3f2a… --tenant acme
    """
    with opened(ctx) as master:
        request = master.approvals.get(acting(master, given), request_id)
    if as_json:
        print_json(request_data(request))
        return
    click.echo(request_words(request))
    click.echo(
        f"submitted by {request.submitter} at {request.submitted_at:%Y-%m-%d %H:%M} ({request.lane} lane)"
    )
    for approval in request.approvals:
        click.echo(f"  step {approval.step + 1} {approval.role}: {approval.decision} by {approval.user}")
    print_json({"payload": request.payload})


def _decide(
    ctx: click.Context,
    request_id: str,
    comment: str | None,
    approve: bool,
    as_json: bool,
    given: dict[str, Any],
) -> None:
    with opened(ctx) as master:
        actor = acting(master, given)
        decide = master.approvals.approve if approve else master.approvals.reject
        request = decide(actor, request_id, comment=comment)
    if as_json:
        print_json(request_data(request))
    else:
        click.echo(request_words(request))


@approvals.command("approve", epilog=EXIT_CODES)
@click.argument("request_id")
@click.option("--comment", help="Why (kept with the approval).")
@actor_options
@json_option
@click.pass_context
def approvals_approve(
    ctx: click.Context, request_id: str, comment: str | None, as_json: bool, **given: Any
) -> None:
    """Approve the next step of REQUEST_ID; the last approval applies the operation.

    \b
    Example:
      customer-master approvals approve 3f2a… --tenant acme --user carl --role controller
    """
    _decide(ctx, request_id, comment, True, as_json, given)


@approvals.command("reject", epilog=EXIT_CODES)
@click.argument("request_id")
@click.option("--comment", help="Why (kept with the decision).")
@actor_options
@json_option
@click.pass_context
def approvals_reject(
    ctx: click.Context, request_id: str, comment: str | None, as_json: bool, **given: Any
) -> None:
    """Reject the next step of REQUEST_ID: the request ends, nothing is applied.

    \b
    Example:
      customer-master approvals reject 3f2a… --comment "duplicate" --tenant acme --user mei --role ar_manager
    """
    _decide(ctx, request_id, comment, False, as_json, given)
