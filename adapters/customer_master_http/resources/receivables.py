"""The receivables feed: hosts that keep invoices elsewhere push their open items, open
orders, applications, reversals and invoiced rates here, so credit checks (SPEC R-5.1),
the overdue block (R-5.4), last-price pricing (R-7.2), the aging and statements (R-13)
see them (R-13.1). Every call goes through the façade's ``receivables`` service (the
``ReceivablesFeed`` port), which checks the caller's permission and the document.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask.views import MethodView

from customer_master.domain.receivables import ItemKind
from customer_master.domain.serialize import Data, to_data
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.rules import (
    CreditFeedSchema,
    InvoicedRateResultSchema,
    InvoicedRateSchema,
    InvoiceFeedSchema,
    OpenItemSchema,
    OpenOrderFeedSchema,
    OpenOrderSchema,
)

blp = Blueprint(
    "receivables",
    __name__,
    url_prefix="/customers",
    description="A feed for hosts that push their invoices, credit notes, payments, open orders "
    "and invoiced rates (SPEC R-13.1).",
)


def _post_item(customer_id: str, kind: ItemKind, document: dict[str, Any]) -> tuple[Data, int]:
    feed = customer_master().receivables
    actor = current_actor()
    common = {
        "number": document["number"],
        "entity": document["entity"],
        "document_date": document["document_date"],
        "amount": document["amount"],
        "currency": document["currency"],
        "balance": document.get("balance"),
    }
    if kind == "invoice":
        item = feed.add_invoice(actor, customer_id, due_date=document.get("due_date"), **common)
    elif kind == "credit_note":
        item = feed.add_credit_note(actor, customer_id, **common)
    else:
        item = feed.add_payment(actor, customer_id, **common)
    return to_data(item), 201


@blp.route("/<customer_id>/invoices")
class Invoices(MethodView):
    @requires("customer.write")
    @blp.arguments(
        InvoiceFeedSchema,
        example={
            "number": "INV-2026-0101",
            "entity": "MY01",
            "document_date": "2026-01-31",
            "due_date": "2026-03-02",
            "amount": "1500.00",
            "balance": "1500.00",
            "currency": "MYR",
        },
    )
    @blp.response(201, OpenItemSchema)
    def post(self, document: dict[str, Any], customer_id: str) -> tuple[Data, int]:
        """Post an open invoice

        Its unpaid balance counts in credit exposure; past its due date it can block
        credit (R-5.4).
        """
        return _post_item(customer_id, "invoice", document)


@blp.route("/<customer_id>/credit-notes")
class CreditNotes(MethodView):
    @requires("customer.write")
    @blp.arguments(CreditFeedSchema)
    @blp.response(201, OpenItemSchema)
    def post(self, document: dict[str, Any], customer_id: str) -> tuple[Data, int]:
        """Post an unapplied credit note

        Its balance reduces the receivables in credit exposure (R-5.1).
        """
        return _post_item(customer_id, "credit_note", document)


@blp.route("/<customer_id>/payments")
class Payments(MethodView):
    @requires("customer.write")
    @blp.arguments(CreditFeedSchema)
    @blp.response(201, OpenItemSchema)
    def post(self, document: dict[str, Any], customer_id: str) -> tuple[Data, int]:
        """Post an unapplied payment

        Its balance reduces the receivables in credit exposure (R-5.1).
        """
        return _post_item(customer_id, "payment", document)


@blp.route("/<customer_id>/open-orders")
class OpenOrders(MethodView):
    @requires("customer.write")
    @blp.arguments(OpenOrderFeedSchema, as_kwargs=True)
    @blp.response(201, OpenOrderSchema)
    def post(
        self, customer_id: str, number: str, entity: str, amount: Decimal, currency: str
    ) -> tuple[Data, int]:
        """Post an open (not yet invoiced) sales order

        It counts in credit exposure until invoiced (R-5.1).
        """
        order = customer_master().receivables.add_open_order(
            current_actor(), customer_id, number=number, entity=entity, amount=amount, currency=currency
        )
        return to_data(order), 201


@blp.route("/<customer_id>/invoiced-rates")
class InvoicedRates(MethodView):
    @requires("customer.write")
    @blp.arguments(InvoicedRateSchema, as_kwargs=True)
    @blp.response(201, InvoicedRateResultSchema)
    def post(
        self, customer_id: str, item: str, unit_price: Decimal, currency: str, invoiced_on: date
    ) -> tuple[Data, int]:
        """Record the rate of a sales-invoice line

        Used by price resolution when the tenant's `use_last_price` is on; an older
        invoice never replaces a newer rate (R-7.2).
        """
        customer_master().pricing.record_invoiced_rate(
            current_actor(),
            customer_id,
            item_code=item,
            unit_price=unit_price,
            currency=currency,
            invoiced_on=invoiced_on,
        )
        rate = {
            "item": item,
            "unit_price": str(unit_price),
            "currency": currency,
            "invoiced_on": invoiced_on.isoformat(),
        }
        return rate, 201
