"""Tools for the rules on one customer — credit check, credit hold, payment schedule,
price (SPEC R-5 to R-7) — and for change requests: the approvals inbox, one request,
approve and reject (R-10). Approving the step that applies a merge or a delete shows a
preview first, like the merge and the delete themselves."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from customer_master.domain.approvals import IRREVERSIBLE, ChangeRequest
from customer_master.domain.serialize import to_data
from customer_master_http.render import change_request_data, decision_data, price_data
from customer_master_http.schemas.approvals import ChangeRequestQuerySchema, DecisionSchema
from customer_master_http.schemas.customers import EntityPathSchema
from customer_master_http.schemas.rules import (
    CreditCheckSchema,
    CreditHoldRequestSchema,
    InvoiceScheduleQuerySchema,
    PriceQuerySchema,
)
from customer_master_mcp import words
from customer_master_mcp.calls import Answer, Call, Refused, ToolSpec, changes, read_only
from customer_master_mcp.confirm import CONFIRM, CONFIRM_DESCRIPTION
from customer_master_mcp.schemas import customer_key, with_fields
from customer_master_mcp.tools_customers import outcome

REQUEST = fields.String(required=True, metadata={"description": "The change request's id."})


def check_credit(call: Call, args: dict[str, Any]) -> Answer:
    found = call.cm.customers.lookup(call.actor, args.pop("customer")).customer
    decision = call.cm.credit.check(call.actor, found.id, **args)
    return Answer(decision_data(decision), words.credit(found, args["entity"], decision))


def set_hold(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args["customer"])
    result = call.cm.credit.set_hold(
        call.actor, customer_id, reason=args["reason"], entity=args.get("entity")
    )
    return outcome(call, result, "Credit hold")


def release_hold(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args["customer"])
    result = call.cm.credit.release_hold(call.actor, customer_id, entity=args.get("entity"))
    return outcome(call, result, "Credit hold released")


def payment_schedule(call: Call, args: dict[str, Any]) -> Answer:
    customer_id = call.customer_id(args.pop("customer"))
    result = call.cm.terms.invoice_schedule(
        call.actor,
        customer_id,
        entity=args["entity"],
        invoice_date=args["invoice_date"],
        amount=args["amount"],
        currency=args.get("currency"),
        terms_code=args.get("terms"),
    )
    terms = result.terms.code if result.terms else None
    data = {
        "terms": terms,
        "installments": [to_data(i) for i in result.installments],
        "due_date": result.due_date.isoformat(),
    }
    return Answer(data, words.schedule(terms, result.installments))


def price(call: Call, args: dict[str, Any]) -> Answer:
    found = call.cm.customers.lookup(call.actor, args["customer"]).customer
    resolution = call.cm.pricing.resolve(
        call.actor,
        found.id,
        entity=args["entity"],
        item_code=args["item"],
        quantity=args["quantity"],
        on=args.get("on"),
    )
    return Answer(price_data(resolution), words.price(found, args["item"], resolution))


def list_requests(call: Call, args: dict[str, Any]) -> Answer:
    customer = args.pop("customer_id", None)
    customer_id = call.customer_id(customer) if customer else None
    found = call.cm.approvals.list(call.actor, customer_id=customer_id, **args)
    return Answer({"items": [change_request_data(r) for r in found]}, words.requests(found))


def show_request(call: Call, args: dict[str, Any]) -> Answer:
    request = call.cm.approvals.get(call.actor, args["change_request"])
    return Answer(change_request_data(request), words.request_state(request))


def approve(call: Call, args: dict[str, Any]) -> Answer:
    request = call.cm.approvals.get(call.actor, args["change_request"])
    if request.applies_on_next_approval and request.operation in IRREVERSIBLE:
        state = {"request": request.id, "approvals": len(request.approvals)}
        confirmed = call.confirmed(state)
        if confirmed is None:
            return _approval_preview(call, request, call.code(state))
        if not confirmed:
            raise Refused(
                f"the {CONFIRM} code does not match, or the request changed since the preview; "
                f"call {call.tool} without {CONFIRM} to see it again"
            )
    decided = call.cm.approvals.approve(call.actor, request.id, comment=args.get("comment"))
    return Answer(change_request_data(decided), words.request_state(decided))


def _approval_preview(call: Call, request: ChangeRequest, code: str) -> Answer:
    what = request.operation.replace("_", " ")
    summary = (
        f"Nothing done yet. Yours is the last approval of change request {request.id}: it applies the "
        f"{what} ({request.payload}), which cannot be undone. To go ahead, call {call.tool} again with the "
        f'same arguments and {CONFIRM}="{code}".'
    )
    data = {"preview": change_request_data(request), "confirmation_required": True, CONFIRM: code}
    return Answer(data, summary)


def reject(call: Call, args: dict[str, Any]) -> Answer:
    decided = call.cm.approvals.reject(call.actor, args["change_request"], comment=args.get("comment"))
    return Answer(change_request_data(decided), words.request_state(decided))


def _on_customer(base: type[Schema], name: str) -> Schema:
    return with_fields(base, name, customer=customer_key())


_REQUEST_QUERY = with_fields(
    ChangeRequestQuerySchema,
    "ListRequestsTool",
    customer_id=fields.String(metadata={"description": "Only requests about this customer (code or id)."}),
)

TOOLS = (
    ToolSpec(
        "check_credit",
        "Check a document against the customer's credit",
        "Exposure (open receivables + open orders + this document) against the credit limit of the legal "
        "entity's effective view: approved, warning or blocked, with every reason (over limit, overdue, "
        "credit "
        "hold, inactive, not enabled for the entity). Writes nothing, except that a document released once "
        "(document_ref) spends its release when it passes.",
        _on_customer(CreditCheckSchema, "CheckCreditTool"),
        changes("Check credit", destructive=False),
        check_credit,
    ),
    ToolSpec(
        "set_credit_hold",
        "Put a customer on credit hold",
        "Freeze the customer's credit (every credit check blocked) with a reason; with `entity`, only that "
        "legal "
        "entity's account. May wait for approval: the answer names the change request and who approves next.",
        _on_customer(CreditHoldRequestSchema, "SetHoldTool"),
        changes("Set credit hold", destructive=True),
        set_hold,
    ),
    ToolSpec(
        "release_credit_hold",
        "Release a credit hold",
        "Lift the credit hold of the customer (or of one legal entity's account with `entity`).",
        _on_customer(EntityPathSchema, "ReleaseHoldTool"),
        changes("Release credit hold", destructive=True),
        release_hold,
    ),
    ToolSpec(
        "payment_schedule",
        "Payment schedule of an invoice",
        "Installments (due date, amount, early-payment discount) of an invoice under the customer's "
        "effective "
        "payment terms for the legal entity, or the document's own `terms`.",
        _on_customer(InvoiceScheduleQuerySchema, "ScheduleTool"),
        read_only("Payment schedule"),
        payment_schedule,
    ),
    ToolSpec(
        "resolve_price",
        "Price of an item for a customer",
        "The unit price from the first source that applies: pricing tier, last invoiced rate, the customer's "
        "price list, the standard price list — or no price; says why the ones before did not apply.",
        _on_customer(PriceQuerySchema, "PriceTool"),
        read_only("Resolve price"),
        price,
    ),
    ToolSpec(
        "list_change_requests",
        "Change requests (approvals inbox)",
        "Change requests newest first, by state and customer; mine=true: the pending requests whose next "
        "step "
        "you may approve (your inbox).",
        _REQUEST_QUERY,
        read_only("Change requests"),
        list_requests,
    ),
    ToolSpec(
        "show_change_request",
        "Read a change request",
        "One change request: the operation, who submitted it, the approvals so far and who decides next.",
        with_fields(DecisionSchema, "ShowRequestTool", exclude=("comment",), change_request=REQUEST),
        read_only("Change request"),
        show_request,
    ),
    ToolSpec(
        "approve_change_request",
        "Approve the next step of a change request",
        "Approve as the holder of the step's role (not the submitter, not one who approved an earlier step). "
        "The last approval applies the operation; when that is a merge or a permanent delete, the first call "
        "only shows it and gives a confirmation code: call again with `confirm`.",
        with_fields(
            DecisionSchema,
            "ApproveTool",
            change_request=REQUEST,
            confirm=fields.String(metadata={"description": CONFIRM_DESCRIPTION}),
        ),
        changes("Approve a change request", destructive=True),
        approve,
    ),
    ToolSpec(
        "reject_change_request",
        "Reject a change request",
        "Reject the next step: the request ends and nothing is applied.",
        with_fields(DecisionSchema, "RejectTool", change_request=REQUEST),
        changes("Reject a change request", destructive=True),
        reject,
    ),
)
