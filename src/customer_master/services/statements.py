"""Statements of account as a service (SPEC R-13.3): gather one customer's documents with
one legal entity, let ``domain/statements.py`` work out the balances, and send the
statement as a PDF to the customer's primary contact through the mail port.

Reading a statement needs ``customer.read``; its figures need ``view_sensitive`` (R-12.2).
Sending needs ``customer.write`` and ``view_sensitive`` (a customer is never mailed a
masked statement). A statement is identified by customer, entity, currency and period
(``statement_id``): once sent — an audit record ``statement_sent``, which the timeline
shows (R-11.3) — it is not sent again; a failed send is tried again and reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from attrs import evolve, frozen

from customer_master.actor import Actor
from customer_master.domain.aging import BUCKETS, AgingBuckets, AgingQuery, age_items
from customer_master.domain.config import LegalEntity, TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master.domain.effective import effective_view
from customer_master.domain.money import is_currency, minor_unit, round_to_digits
from customer_master.domain.statements import (
    Ledger,
    Statement,
    StatementParty,
    masked_statement,
    statement_id,
    statement_ledger,
)
from customer_master.errors import FieldError, Forbidden, NotFound, ValidationFailed
from customer_master.services.base import ServiceContext

SendStatus = Literal["sent", "already_sent", "failed", "no_email"]
SENT = "statement_sent"


@frozen(kw_only=True)
class SendResult:
    """What happened to one customer's statement: ``sent`` (to ``to``), ``already_sent``
    (this statement id went out before), ``no_email`` or ``failed`` (``error`` says why,
    after ``attempts`` tries)."""

    customer_id: str
    code: str
    statement_id: str | None
    status: SendStatus
    to: str | None = None
    error: str | None = None
    attempts: int = 0
    closing: str | None = None


@frozen(kw_only=True)
class BatchFilter:
    """Which customers a batch sends to: those with documents for ``entity``, narrowed by
    group, region, salesperson, and to those with something overdue at the period's end."""

    entity: str
    customer_group: str | None = None
    region: str | None = None
    salesperson: str | None = None
    overdue_only: bool = False


class StatementService:
    """Statements of account: build, and send by mail one at a time or in a batch."""

    def __init__(self, context: ServiceContext, *, attempts: int = 3, retry_pause: float = 0.2) -> None:
        self._ctx = context
        self.attempts = attempts
        self.retry_pause = retry_pause

    def statement(
        self,
        actor: Actor,
        customer_id: str,
        *,
        entity: str,
        start: date,
        end: date,
        currency: str | None = None,
    ) -> Statement:
        """The statement of ``customer_id`` with ``entity`` from ``start`` to ``end``
        (both inclusive) in ``currency`` (default: the customer's for the entity)."""
        config = self._ctx.require(actor, "customer.read")
        statement = self._build(actor, config, customer_id, entity, start, end, currency)
        return statement if self._ctx.can(actor, "view_sensitive", config) else masked_statement(statement)

    def send(self, actor: Actor, customer_id: str, *, entity: str, start: date, end: date) -> SendResult:
        """Mail the statement as a PDF to the customer's primary contact (else billing
        e-mail, else e-mail); recorded on the timeline and audited. Not sent again once
        sent; a failure is tried ``attempts`` times and reported, never raised."""
        self._ctx.require(actor, "customer.write")
        if self._ctx.storage.lookups.customer(actor.tenant, customer_id) is None:
            raise NotFound("customer", customer_id)
        config = self._sender_config(actor)
        return self._send(actor, config, customer_id, entity, start, end)

    def send_batch(
        self,
        actor: Actor,
        which: BatchFilter,
        *,
        start: date,
        end: date,
        progress: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        """Send the statements of every customer ``which`` selects; one result each, in
        code order. ``progress`` hears of each result as it comes."""
        config = self._sender_config(actor)
        results = []
        for customer_id in self.batch_customers(actor, which, end=end):
            result = self._send(actor, config, customer_id, which.entity, start, end)
            results.append(result)
            if progress is not None:
                progress(result)
        return results

    def batch_customers(
        self, actor: Actor, which: BatchFilter, *, end: date, for_sending: bool = False
    ) -> list[str]:
        """The ids of the customers a batch would send to, in code order; with
        ``for_sending``, refused as ``send_batch`` would be first (permission, mailer)."""
        config = self._sender_config(actor) if for_sending else self._ctx.require(actor, "customer.read")
        if not config.has_entity(which.entity):
            raise NotFound("legal entity", which.entity)
        ids: list[str] = []
        after: str | None = None
        while True:
            query = AgingQuery(
                as_of=end,
                entity=which.entity,
                customer_group=which.customer_group,
                region=which.region,
                salesperson=which.salesperson,
                after=after,
                limit=500,
            )
            page = self._ctx.storage.receivables.aging(actor.tenant, query)
            for row in page.rows:
                if (not which.overdue_only or row.buckets.overdue > 0) and row.customer_id not in ids:
                    ids.append(row.customer_id)
            if page.next_after is None:
                return ids
            after = page.next_after

    # -- inside ------------------------------------------------------------------------

    def _sender_config(self, actor: Actor) -> TenantConfiguration:
        config = self._ctx.require(actor, "customer.write")
        if not self._ctx.can(actor, "view_sensitive", config):
            raise Forbidden(f"{actor.user} may not send statements: it needs the view_sensitive permission")
        if self._ctx.mailer is None or self._ctx.statement_pdf is None:
            raise ValidationFailed(
                [
                    FieldError(
                        "mailer", "not_configured", "no mail server is configured (see docs/receivables.md)"
                    )
                ]
            )
        return config

    def _send(
        self, actor: Actor, config: TenantConfiguration, customer_id: str, entity: str, start: date, end: date
    ) -> SendResult:
        statement = self._build(actor, config, customer_id, entity, start, end, None)
        code, to = statement.customer.code, statement.customer.email
        closing = str(statement.closing)
        if to is None:
            return SendResult(
                customer_id=customer_id, code=code, statement_id=statement.id, status="no_email"
            )
        if self._was_sent(actor, customer_id, statement.id):
            return SendResult(
                customer_id=customer_id, code=code, statement_id=statement.id, status="already_sent", to=to
            )
        mailer, renderer = self._ctx.mailer, self._ctx.statement_pdf
        assert mailer is not None  # checked by _sender_config
        assert renderer is not None
        pdf = renderer.render(statement)
        subject = f"Statement of account {statement.start} to {statement.end} — {statement.entity.name}"
        body = (
            f"Dear {statement.customer.attention or statement.customer.name},\n\n"
            f"please find attached your statement of account with {statement.entity.name} "
            f"for {statement.start} to {statement.end}.\n"
            f"Balance due: {statement.closing} {statement.currency}.\n"
        )
        error = ""
        for attempt in range(1, self.attempts + 1):
            try:
                mailer.send(to=to, subject=subject, body=body, attachments=[(f"{statement.id}.pdf", pdf)])
            except Exception as failure:  # the port raises whatever its transport raises
                error = f"{type(failure).__name__}: {failure}"
                if attempt < self.attempts:
                    time.sleep(self.retry_pause * attempt)
                continue
            self._record_sent(actor, statement, to)
            return SendResult(
                customer_id=customer_id, code=code, statement_id=statement.id, status="sent",
                to=to, attempts=attempt, closing=closing,
            )  # fmt: skip
        return SendResult(
            customer_id=customer_id, code=code, statement_id=statement.id, status="failed",
            to=to, error=error, attempts=self.attempts, closing=closing,
        )  # fmt: skip

    def _was_sent(self, actor: Actor, customer_id: str, statement: str) -> bool:
        with self._ctx.storage.unit_of_work() as uow:
            records = uow.audit.for_customer(actor.tenant, customer_id)
        return any(r.operation == SENT and r.changes.get("statement_id") == statement for r in records)

    def _record_sent(self, actor: Actor, statement: Statement, to: str) -> None:
        with self._ctx.transaction(actor) as tx:
            tx.audit(
                SENT,
                [statement.customer.customer_id],
                {
                    "statement_id": statement.id,
                    "entity": statement.entity.code,
                    "period": f"{statement.start}..{statement.end}",
                    "to": to,
                    "closing_balance": f"{statement.closing} {statement.currency}",
                },
            )

    def _build(
        self,
        actor: Actor,
        config: TenantConfiguration,
        customer_id: str,
        entity_code: str,
        start: date,
        end: date,
        currency: str | None,
    ) -> Statement:
        if end < start:
            raise ValidationFailed([FieldError("end", "before_start", f"must not be before {start}")])
        if currency is not None and not is_currency(currency):
            raise ValidationFailed([FieldError("currency", "invalid", "is not an ISO 4217 currency code")])
        entity = config.entity(entity_code)
        if entity is None:
            raise NotFound("legal entity", entity_code)
        customer = self._ctx.storage.lookups.customer(actor.tenant, customer_id)
        if customer is None:
            raise NotFound("customer", customer_id)
        view = effective_view(customer, entity_code).customer
        home = currency or view.currency or entity.currency
        if home is None:
            raise ValidationFailed(
                [FieldError("currency", "required", "the customer has no currency; give one")]
            )
        ledger_items = self._ctx.storage.receivables
        items = [
            i
            for i in ledger_items.items(actor.tenant, customer_id)
            if i.entity == entity_code and i.currency == home
        ]
        ledger = _rounded(statement_ledger(items, start=start, end=end), home, config)
        applied = ledger_items.applied_after(actor.tenant, customer_id, end)
        aging = age_items(items, end, applied).get((entity_code, home)) or AgingBuckets()
        digits = minor_unit(home)
        aging = AgingBuckets(**{b: round_to_digits(getattr(aging, b), digits) for b in BUCKETS})
        return Statement(
            id=statement_id(actor.tenant, customer_id, entity_code, home, start, end),
            tenant=actor.tenant,
            entity=entity,
            customer=_party(customer, entity),
            currency=home,
            start=start,
            end=end,
            issued_on=self._ctx.clock.today(config.settings.time_zone),
            opening=ledger.opening,
            lines=ledger.lines,
            closing=ledger.closing,
            aging=aging,
        )


def _rounded(ledger: Ledger, currency: str, config: TenantConfiguration) -> Ledger:
    """Every figure to the currency's minor unit (SQL amounts carry the column's scale)."""
    digits, rounding = minor_unit(currency), config.settings.rounding

    def money(value: Decimal | None) -> Decimal | None:
        return None if value is None else round_to_digits(value, digits, rounding)

    lines = tuple(
        evolve(line, debit=money(line.debit), credit=money(line.credit), balance=money(line.balance))
        for line in ledger.lines
    )
    return Ledger(
        opening=round_to_digits(ledger.opening, digits, rounding),
        lines=lines,
        closing=round_to_digits(ledger.closing, digits, rounding),
    )


def _party(customer: Customer, entity: LegalEntity) -> StatementParty:
    """Who the statement goes to: the billing address (else the first), and the primary
    contact's e-mail, else the billing e-mail, else the customer's e-mail."""
    addresses = [a for a in customer.addresses if a.entity in (None, entity.code)]
    billing = next((a for a in addresses if "billing" in a.purposes), addresses[0] if addresses else None)
    lines: Sequence[str] = ()
    if billing is not None:
        city = " ".join(p for p in (billing.postal_code, billing.city) if p)
        lines = [
            p
            for p in (billing.line1, billing.line2, billing.line3, city, billing.state, billing.country)
            if p
        ]
    contact = customer.primary_contact()
    email = (contact.email if contact is not None else None) or customer.billing_email or customer.email
    return StatementParty(
        customer_id=customer.id,
        code=customer.code,
        name=customer.legal_name or customer.name,
        address=tuple(lines),
        email=email,
        attention=contact.name if contact is not None and contact.email else None,
    )
