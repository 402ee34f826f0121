"""The receivables feed: hosts that keep invoices elsewhere push their open items, open
orders and invoiced rates here, so credit checks (SPEC R-5.1), the overdue block (R-5.4)
and last-price pricing (R-7.2) see them (R-13.1).

The core has no receivables service yet: open items go straight to the storage's
receivables store after the customer is found in the caller's tenant (so another
tenant's customer is a 404 like everywhere else). Invoiced rates go through the pricing
service.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from flask.views import MethodView

from customer_master.domain import bounds
from customer_master.domain.money import is_currency, minor_unit
from customer_master.domain.receivables import ItemKind, OpenItem, OpenOrder
from customer_master.domain.serialize import Data, to_data
from customer_master.errors import FieldError, ValidationFailed
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.problems import problem
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


@runtime_checkable
class ReceivablesFeed(Protocol):
    """What a storage that keeps receivables itself accepts."""

    def add_item(self, tenant: str, item: OpenItem) -> None: ...

    def add_order(self, tenant: str, order: OpenOrder) -> None: ...


def _feed() -> ReceivablesFeed:
    receivables = customer_master().storage.receivables
    if not isinstance(receivables, ReceivablesFeed):
        raise problem(501, "http-error", "this storage reads receivables from the host; it takes no feed")
    return receivables


def _checked(customer_id: str, entity: str, currency: str, amounts: dict[str, Decimal | None]) -> str:
    """The tenant of the caller, once the customer is found there, the entity and
    currency are known and each booked amount has at most the currency's minor unit
    (``bounds.amount``: 2 places for MYR, none for JPY)."""
    actor = current_actor()
    master = customer_master()
    master.customers.get(actor, customer_id)
    errors = []
    if not master.configuration.get(actor).has_entity(entity):
        errors.append(FieldError("entity", "unknown_entity", f"no legal entity with code '{entity}'"))
    if not is_currency(currency):
        errors.append(FieldError("currency", "invalid", "is not an ISO 4217 currency code"))
    else:
        for name, value in amounts.items():
            try:
                bounds.amount(value, places=minor_unit(currency)) if value is not None else None
            except bounds.RefusedValue as refused:
                errors.append(FieldError(name, refused.code, f"'{value}' in {currency} {refused}"))
    if errors:
        raise ValidationFailed(errors)
    return actor.tenant


def _post_item(customer_id: str, kind: ItemKind, document: dict[str, Any]) -> tuple[Data, int]:
    booked: Decimal = document["amount"]
    balance = document.get("balance")
    tenant = _checked(
        customer_id, document["entity"], document["currency"], {"amount": booked, "balance": balance}
    )
    item = OpenItem(
        number=document["number"],
        customer_id=customer_id,
        entity=document["entity"],
        kind=kind,
        document_date=document["document_date"],
        due_date=document.get("due_date"),
        amount=booked,
        balance=booked if balance is None else balance,
        currency=document["currency"],
    )
    _feed().add_item(tenant, item)
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
        tenant = _checked(customer_id, entity, currency, {"amount": amount})
        order = OpenOrder(
            number=number, customer_id=customer_id, entity=entity, amount=amount, currency=currency
        )
        _feed().add_order(tenant, order)
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
