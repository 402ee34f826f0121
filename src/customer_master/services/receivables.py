"""Receivables as a service (SPEC R-13): the feed hosts use to hand the plugin their
invoices, credit notes, payments and open orders, applications and reversals (the
``ReceivablesFeed`` port), and the aging they give (R-13.2). Feeding needs
``customer.write``; reading the aging needs ``customer.read``, and its figures need
``view_sensitive`` (R-12.2). Statements are in ``services/statements.py``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from customer_master.actor import Actor
from customer_master.domain.aging import (
    AgingBuckets,
    AgingLine,
    AgingQuery,
    AgingReport,
    AgingRow,
    masked_report,
    totals_by_currency,
)
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.money import Rounding, converted, is_currency, minor_unit, round_to_digits
from customer_master.domain.receivables import (
    ITEM_KINDS,
    Application,
    CreditKind,
    ItemKind,
    OpenItem,
    OpenOrder,
    exact_amount,
)
from customer_master.errors import BusinessRuleViolation, FieldError, NotFound, ValidationFailed
from customer_master.ports import ReceivablesFeed
from customer_master.services.base import ServiceContext

MAX_PAGE = 1000


class ReceivablesService:
    """The receivables feed (``ReceivablesFeed``) and the aging."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    # -- the feed ----------------------------------------------------------------------

    def add_invoice(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        due_date: date | None,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post (or post again, replacing) an invoice; ``balance`` defaults to ``amount``."""
        return self._add(
            actor, customer_id, "invoice", number, entity, document_date, due_date, amount, currency, balance
        )

    def add_credit_note(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post a credit note; ``balance`` is what is not yet applied (default: all)."""
        return self._add(
            actor, customer_id, "credit_note", number, entity, document_date, None, amount, currency, balance
        )

    def add_payment(
        self,
        actor: Actor,
        customer_id: str,
        *,
        number: str,
        entity: str,
        document_date: date,
        amount: object,
        currency: str,
        balance: object = None,
    ) -> OpenItem:
        """Post a payment received; ``balance`` is what is not yet applied (default: all)."""
        return self._add(
            actor, customer_id, "payment", number, entity, document_date, None, amount, currency, balance
        )

    def add_open_order(
        self, actor: Actor, customer_id: str, *, number: str, entity: str, amount: object, currency: str
    ) -> OpenOrder:
        """Post an open (not yet invoiced) sales order (R-5.1)."""
        errors = self._document_errors(actor, customer_id, number, entity, currency)
        value = exact_amount(amount, "amount")
        if isinstance(value, FieldError):
            errors.append(value)
        if errors or isinstance(value, FieldError):
            raise ValidationFailed(errors)
        order = OpenOrder(
            number=number.strip(), customer_id=customer_id, entity=entity, amount=value, currency=currency
        )
        self._ctx.storage.receivables.add_orders(actor.tenant, [order])
        return order

    def apply(
        self,
        actor: Actor,
        *,
        entity: str,
        credit_kind: str,
        credit_number: str,
        invoice_number: str,
        amount: object,
        on: date | None = None,
    ) -> Application:
        """Apply a payment or credit note to an invoice of the same customer, entity and
        currency: both balances go down by ``amount`` (at most either balance)."""
        config = self._ctx.require(actor, "customer.write")
        ledger = self._ctx.storage.receivables
        errors: list[FieldError] = []
        if credit_kind not in ("payment", "credit_note"):
            errors.append(FieldError("credit_kind", "invalid", "must be payment or credit_note"))
        value = exact_amount(amount, "amount", positive=True)
        if isinstance(value, FieldError):
            errors.append(value)
        if errors or isinstance(value, FieldError):
            raise ValidationFailed(errors)
        kind: CreditKind = "payment" if credit_kind == "payment" else "credit_note"
        invoice = ledger.item(actor.tenant, entity, "invoice", invoice_number)
        credit = ledger.item(actor.tenant, entity, kind, credit_number)
        if invoice is None or not self._visible(actor, invoice.customer_id):
            raise NotFound("invoice", invoice_number)
        if credit is None or not self._visible(actor, credit.customer_id):
            raise NotFound(kind.replace("_", " "), credit_number)
        problems = _application_problems(invoice, credit, value)
        if problems:
            raise ValidationFailed(problems)
        application = Application(
            customer_id=invoice.customer_id,
            entity=entity,
            credit_kind=kind,
            credit_number=credit.number,
            invoice_number=invoice.number,
            amount=value,
            currency=invoice.currency,
            applied_on=on or self._ctx.clock.today(config.settings.time_zone),
        )
        ledger.apply(actor.tenant, application)
        return application

    def reverse(
        self, actor: Actor, *, entity: str, kind: str, number: str, on: date | None = None
    ) -> OpenItem:
        """Reverse a document entered in error: its balance becomes 0 from ``on`` (default
        today) and a statement shows the reversal. One applied to another must first be
        unapplied by the host (sent again with its full balance)."""
        config = self._ctx.require(actor, "customer.write")
        if kind not in ITEM_KINDS:
            raise ValidationFailed([FieldError("kind", "invalid", "must be invoice, credit_note or payment")])
        item_kind: ItemKind = (
            "invoice" if kind == "invoice" else "payment" if kind == "payment" else "credit_note"
        )
        item = self._ctx.storage.receivables.item(actor.tenant, entity, item_kind, number)
        if item is None or not self._visible(actor, item.customer_id):
            raise NotFound(kind.replace("_", " "), number)
        if item.reversed_on is not None:
            raise BusinessRuleViolation("already_reversed", f"{number} was reversed on {item.reversed_on}")
        if item.balance != item.amount:
            raise BusinessRuleViolation(
                "applied_document", f"{number} has {item.amount - item.balance} applied; unapply it first"
            )
        day = on or self._ctx.clock.today(config.settings.time_zone)
        if day < item.document_date:
            raise ValidationFailed(
                [FieldError("on", "before_document", f"must not be before {item.document_date}")]
            )
        return self._ctx.storage.receivables.reverse(actor.tenant, entity, item_kind, number, day)

    def open_items(self, actor: Actor, customer_id: str) -> list[OpenItem]:
        """The customer's documents as fed (R-13.1)."""
        self._ctx.require(actor, "customer.read")
        self._customer(actor, customer_id)
        return list(self._ctx.storage.receivables.items(actor.tenant, customer_id))

    # -- the aging -----------------------------------------------------------------------

    def aging(self, actor: Actor, query: AgingQuery) -> AgingReport:
        """One page of the tenant's aging as of ``query.as_of`` (R-13.2): per customer and
        entity, in the customer's currency for the entity (documents in a currency that
        cannot be converted keep a line of their own), with totals per currency."""
        config = self._ctx.require(actor, "customer.read")
        if query.entity is not None and not config.has_entity(query.entity):
            raise NotFound("legal entity", query.entity)
        if not 1 <= query.limit <= MAX_PAGE:
            raise ValidationFailed([FieldError("limit", "out_of_range", f"must be 1 to {MAX_PAGE}")])
        rows = self._ctx.storage.receivables.aging(actor.tenant, query)
        merged: dict[tuple[str, str, str], tuple[AgingRow, list[Decimal]]] = {}
        for row in rows.rows:
            entity = config.entity(row.entity)
            home = row.customer_currency or (entity.currency if entity else None) or row.currency
            currency, amounts = home, list(row.buckets.amounts())
            if row.currency != home:
                rate = self._rate(row.currency, home, query.as_of)
                if rate is None:
                    currency = row.currency  # not convertible: a line of its own
                else:
                    amounts = [converted(a, row.currency, home, rate) for a in amounts]
            key = (row.customer_id, row.entity, currency)
            held = merged.get(key)
            if held is None:
                merged[key] = (row, amounts)
            else:
                held[1][:] = [a + b for a, b in zip(held[1], amounts, strict=True)]
        lines = tuple(
            _line(row, currency, amounts, config.settings.rounding)
            for (_, _, currency), (row, amounts) in merged.items()
        )
        report = AgingReport(
            as_of=query.as_of, lines=lines, totals=totals_by_currency(lines), next_after=rows.next_after
        )
        return report if self._ctx.can(actor, "view_sensitive", config) else masked_report(report)

    def customer_aging(
        self, actor: Actor, customer_id: str, *, as_of: date | None = None, entity: str | None = None
    ) -> AgingReport:
        """One customer's aging, per entity (or for one entity)."""
        config = self._ctx.require(actor, "customer.read")
        self._customer(actor, customer_id)
        day = as_of or self._ctx.clock.today(config.settings.time_zone)
        return self.aging(actor, AgingQuery(as_of=day, entity=entity, customer_id=customer_id, limit=1))

    # -- helpers -----------------------------------------------------------------------

    def _rate(self, held: str, wanted: str, on: date) -> Decimal | None:
        rates = self._ctx.exchange_rates
        return rates.rate(held, wanted, on) if rates is not None else None

    def _visible(self, actor: Actor, customer_id: str) -> bool:
        return self._ctx.storage.lookups.customer(actor.tenant, customer_id) is not None

    def _customer(self, actor: Actor, customer_id: str) -> None:
        if not self._visible(actor, customer_id):
            raise NotFound("customer", customer_id)

    def _document_errors(
        self, actor: Actor, customer_id: str, number: str, entity: str, currency: str
    ) -> list[FieldError]:
        config: TenantConfiguration = self._ctx.require(actor, "customer.write")
        self._customer(actor, customer_id)
        errors: list[FieldError] = []
        if not isinstance(number, str) or not number.strip():
            errors.append(FieldError("number", "required", "is required"))
        elif len(number.strip()) > 64:
            errors.append(FieldError("number", "too_long", "must be at most 64 characters"))
        if not config.has_entity(entity):
            errors.append(FieldError("entity", "unknown_entity", f"no legal entity with code '{entity}'"))
        if not isinstance(currency, str) or not is_currency(currency):
            errors.append(FieldError("currency", "invalid", "is not an ISO 4217 currency code"))
        return errors

    def _add(
        self,
        actor: Actor,
        customer_id: str,
        kind: ItemKind,
        number: str,
        entity: str,
        document_date: date,
        due_date: date | None,
        amount: object,
        currency: str,
        balance: object,
    ) -> OpenItem:
        errors = self._document_errors(actor, customer_id, number, entity, currency)
        value = exact_amount(amount, "amount")
        left = value if balance is None else exact_amount(balance, "balance", signed=True)
        for checked in (value, left):
            if isinstance(checked, FieldError):
                errors.append(checked)
        if not isinstance(document_date, date):
            errors.append(FieldError("document_date", "invalid", "must be a date"))
        if due_date is not None and not isinstance(due_date, date):
            errors.append(FieldError("due_date", "invalid", "must be a date"))
        if errors or isinstance(value, FieldError) or isinstance(left, FieldError):
            raise ValidationFailed(errors)
        item = OpenItem(
            number=number.strip(),
            customer_id=customer_id,
            entity=entity,
            kind=kind,
            document_date=document_date,
            due_date=due_date,
            amount=value,
            balance=left,
            currency=currency,
        )
        self._ctx.storage.receivables.add_items(actor.tenant, [item])
        return item


def _line(row: AgingRow, currency: str, amounts: list[Decimal], rounding: Rounding) -> AgingLine:
    """The aging line, each bucket to the currency's minor unit (SQL sums carry the
    column's scale)."""
    digits = minor_unit(currency) if is_currency(currency) else 2
    current, days_1_30, days_31_60, days_61_90, over_90 = (
        round_to_digits(a, digits, rounding) for a in amounts
    )
    buckets = AgingBuckets(
        current=current, days_1_30=days_1_30, days_31_60=days_31_60, days_61_90=days_61_90, over_90=over_90
    )
    return AgingLine(
        customer_id=row.customer_id, code=row.code, name=row.name, entity=row.entity,
        currency=currency, buckets=buckets,
    )  # fmt: skip


def _application_problems(invoice: OpenItem, credit: OpenItem, amount: Decimal) -> list[FieldError]:
    """Why this application cannot be made (empty: it can)."""
    problems = []
    if invoice.customer_id != credit.customer_id:
        problems.append(FieldError("credit_number", "other_customer", "belongs to another customer"))
    if invoice.currency != credit.currency:
        problems.append(
            FieldError(
                "credit_number",
                "other_currency",
                f"is in {credit.currency}, the invoice in {invoice.currency}",
            )
        )
    if invoice.reversed_on is not None or credit.reversed_on is not None:
        problems.append(FieldError("invoice_number", "reversed", "a reversed document cannot be applied"))
    digits = minor_unit(invoice.currency) if is_currency(invoice.currency) else 2
    for owner, held in (("invoice", invoice.balance), ("credit", credit.balance)):
        if amount > held:
            shown = round_to_digits(held, digits)
            message = f"is more than the {owner}'s balance {shown}"
            problems.append(FieldError("amount", "over_application", message))
    return problems


def as_feed(service: ReceivablesService) -> ReceivablesFeed:
    """The service as the ``ReceivablesFeed`` port a host codes against; mypy checks here
    that the service answers the port in full."""
    return service
