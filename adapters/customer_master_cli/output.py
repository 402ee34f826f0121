"""How the command line shows results: rich tables for people, plain JSON for scripts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from customer_master.domain.credit import CreditDecision
from customer_master.domain.customer import Customer
from customer_master.domain.pricing import PriceResolution
from customer_master.domain.serialize import to_data
from customer_master.domain.terms import Installment

_OUTCOME_STYLE = {"approved": "green", "warning": "yellow", "blocked": "bold red"}


def plain(value: object) -> Any:
    """A domain value as JSON-ready data."""
    return to_data(value)


def credit_decision(console: Console, customer: Customer, entity: str, decision: CreditDecision) -> None:
    style = _OUTCOME_STYLE.get(decision.outcome, "")
    console.print(f"{customer.code} {customer.name} — {entity}: [{style}]{decision.outcome.upper()}[/]")
    for reason in decision.reasons:
        console.print(f"  • [{_OUTCOME_STYLE.get(reason.severity, '')}]{reason.code}[/]: {reason.message}")
    table = Table(show_header=False, box=None, padding=(0, 2))
    exposure = decision.exposure
    for label, amount in (
        ("Credit limit", "no limit" if decision.limit is None else decision.limit),
        ("Receivables", exposure.receivables),
        ("Open orders", exposure.open_orders),
        ("This document", exposure.document),
        ("Exposure", exposure.total),
        ("Available", "—" if decision.available is None else decision.available),
    ):
        table.add_row(label, f"{amount} {decision.currency}" if not isinstance(amount, str) else amount)
    console.print(table)
    console.print(f"policy: {decision.policy}" + ("  (released document)" if decision.released else ""))


def installments(console: Console, terms: str | None, lines: Iterable[Installment]) -> None:
    table = Table(title=f"Payment schedule — {terms or 'due on the invoice date'}")
    for column in ("Due date", "Amount", "Discount by", "Discount"):
        table.add_column(column, justify="right" if column in ("Amount", "Discount") else "left")
    for line in lines:
        table.add_row(
            line.due_date.isoformat(),
            str(line.amount),
            line.discount_date.isoformat() if line.discount_date else "",
            str(line.discount_amount) if line.discount_amount else "",
        )
    console.print(table)


def price_resolution(console: Console, customer: Customer, item: str, resolution: PriceResolution) -> None:
    if resolution.is_found:
        console.print(
            f"{customer.code} pays [bold]{resolution.unit_price} {resolution.currency}[/] for {item} "
            f"(source: {resolution.source})"
        )
    else:
        console.print(f"[bold red]no price[/] for {item} and {customer.code}")
    for skipped in resolution.skipped:
        console.print(f"  • {skipped.message}")


def demo_summary(console: Console, summary: Mapping[str, Any]) -> None:
    console.print(f"[bold]Demo tenant {summary['tenant']}[/] seeded:")
    for label, count in summary["counts"].items():
        console.print(f"  {label}: {count}")
    console.print(
        "[bold]API keys[/] (shown once; send as `X-API-Key: <key>` or `Authorization: Bearer <key>`):"
    )
    for key in summary["keys"]:
        console.print(f"  {key['user']:<7} {', '.join(key['roles']):<18} ", end="")
        console.print(key["secret"], markup=False, crop=False, overflow="ignore")
    duties = [key for key in summary["keys"] if key.get("does")]
    if duties:
        console.print("[bold]Who does what[/] (no one approves their own request):")
        for key in duties:
            console.print(f"  {key['user']:<7} {key['does']}", markup=False, crop=False, overflow="ignore")
