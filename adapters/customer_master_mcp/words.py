"""The short summaries a person reads beside each tool's data: which customer, what
happened, and — for a change waiting for approval — who must approve next. Presentation
only: every figure and decision comes from the core."""

from __future__ import annotations

from collections.abc import Sequence

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.credit import CreditDecision
from customer_master.domain.customer import Customer
from customer_master.domain.pricing import PriceResolution
from customer_master.domain.terms import Installment
from customer_master.errors import FieldWarning

_LIST_LIMIT = 10


def customer_line(customer: Customer) -> str:
    state = customer.status + (", on credit hold" if customer.credit_hold else "")
    return f"{customer.code} {customer.name} ({state})"


def customers(found: Sequence[Customer], more: bool) -> str:
    if not found:
        return "No customer matches."
    lines = [
        f"{len(found)} customer{'s' if len(found) != 1 else ''}{' (more on the next page)' if more else ''}:"
    ]
    lines += [f"- {customer_line(c)}" for c in found[:_LIST_LIMIT]]
    if len(found) > _LIST_LIMIT:
        lines.append(f"- … and {len(found) - _LIST_LIMIT} more in the data")
    return "\n".join(lines)


def changed(customer: Customer, what: str, warnings: Sequence[FieldWarning] = ()) -> str:
    text = f"{what}: {customer_line(customer)}, version {customer.version}."
    return text + "".join(f"\nWarning — {w.path}: {w.message}" for w in warnings)


def pending(request: ChangeRequest, what: str) -> str:
    """A change waiting for approval, in words a person can act on (R-16.4)."""
    roles = list(request.steps[len(request.approvals) :])
    after = f", then {', then '.join(roles[1:])}" if len(roles) > 1 else ""
    return (
        f"{what} waits for approval: change request {request.id} ({request.lane} lane, "
        f"{len(request.approvals)} of {len(request.steps)} approvals). Next: someone with the role "
        f"{roles[0]} who is not {request.submitter}{after}. Nothing changes until the last approval."
    )


def request_state(request: ChangeRequest) -> str:
    if request.is_pending:
        return pending(request, f"The {request.operation.replace('_', ' ')}")
    outcome = f": {request.outcome}" if request.outcome else ""
    return f"Change request {request.id} ({request.operation}) is {request.state}{outcome}."


def requests(found: Sequence[ChangeRequest]) -> str:
    if not found:
        return "No change request."
    lines = [f"{len(found)} change request{'s' if len(found) != 1 else ''}:"]
    for request in found[:_LIST_LIMIT]:
        waiting = f", next: {request.next_role}" if request.is_pending else ""
        lines.append(f"- {request.id}: {request.operation} by {request.submitter}, {request.state}{waiting}")
    return "\n".join(lines)


def credit(customer: Customer, entity: str, decision: CreditDecision) -> str:
    limit = "no limit" if decision.limit is None else f"{decision.limit} {decision.currency}"
    available = "" if decision.available is None else f", available {decision.available} {decision.currency}"
    lines = [
        f"{decision.outcome.upper()} — {customer.code} {customer.name} for {entity}: exposure "
        f"{decision.exposure.total} {decision.currency} against {limit}{available}."
    ]
    lines += [f"- {reason.code}: {reason.message}" for reason in decision.reasons]
    return "\n".join(lines)


def schedule(terms: str | None, installments: Sequence[Installment]) -> str:
    lines = [f"Payment schedule under {terms or 'no terms (due on the invoice date)'}:"]
    for line in installments:
        discount = (
            f" (or {line.amount - line.discount_amount} by {line.discount_date})"
            if line.discount_date and line.discount_amount
            else ""
        )
        lines.append(f"- {line.amount} due {line.due_date}{discount}")
    return "\n".join(lines)


def price(customer: Customer, item: str, resolution: PriceResolution) -> str:
    if not resolution.is_found:
        head = f"No price for {item} and {customer.code}."
    else:
        paid = f"{resolution.unit_price} {resolution.currency}"
        head = f"{customer.code} pays {paid} for {item} ({resolution.source})."
    return "\n".join([head, *(f"- {s.message}" for s in resolution.skipped)])
