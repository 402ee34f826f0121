"""Statement of account: what the customer owed at the start of a period, each document
of the period with the balance after it, what it owes at the end, and how old that is
(SPEC R-13.3).

The balance moves by each document's full amount on its date — an invoice adds, a
credit note or payment takes off — and a reversed document is taken back on the day it
was reversed. Applying a payment to an invoice moves nothing: the payment already took
its amount off. So the closing balance equals the aging total at the period's end when
the host feeds its payments as documents (an invoice sent with a lower balance and no
payment leaves the difference out of the statement; docs/receivables.md).

>>> from customer_master.domain.receivables import OpenItem
>>> def doc(number, kind, day, amount, balance):
...     return OpenItem(number=number, customer_id="c1", entity="MY01", kind=kind,
...         document_date=date(2026, 3, day), due_date=date(2026, 3, day), amount=Decimal(amount),
...         balance=Decimal(balance), currency="MYR")
>>> ledger = statement_ledger(
...     [doc("INV-1", "invoice", 1, "100", "40"), doc("PAY-1", "payment", 10, "60", "0"),
...      doc("INV-2", "invoice", 20, "50", "50")], start=date(2026, 3, 5), end=date(2026, 3, 31))
>>> ledger.opening, [(line.number, line.balance) for line in ledger.lines], ledger.closing
(Decimal('100'), [('PAY-1', Decimal('40')), ('INV-2', Decimal('90'))], Decimal('90'))
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

from attrs import evolve, frozen

from customer_master.domain.aging import AgingBuckets
from customer_master.domain.config import LegalEntity
from customer_master.domain.receivables import OpenItem

LineKind = Literal["invoice", "credit_note", "payment", "reversal"]
_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "reversal": 3}
KIND_WORDS = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "payment": "Payment",
    "reversal": "Reversal",
}


@frozen(kw_only=True)
class StatementLine:
    """One document of the period: ``debit`` adds to what the customer owes, ``credit``
    takes off, ``balance`` is what it owes after this line. Figures are ``None`` on a
    statement masked for its reader (R-12.2)."""

    on: date
    kind: LineKind
    number: str
    reference: str | None
    due_date: date | None
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal | None


@frozen(kw_only=True)
class Ledger:
    """The figures of a statement: opening balance, lines, closing balance."""

    opening: Decimal
    lines: tuple[StatementLine, ...]
    closing: Decimal


@frozen(kw_only=True)
class StatementParty:
    """Who the statement is addressed to: the customer's code, name, postal lines and
    the e-mail it goes to (primary contact, else billing e-mail, else e-mail)."""

    customer_id: str
    code: str
    name: str
    address: tuple[str, ...] = ()
    email: str | None = None
    attention: str | None = None


@frozen(kw_only=True)
class Statement:
    """A statement of account of one customer with one legal entity for a period, in one
    currency. ``id`` is the same for the same customer, entity, currency and period, so a
    send can be recognised and never repeated (R-13.3)."""

    id: str
    tenant: str
    entity: LegalEntity
    customer: StatementParty
    currency: str
    start: date
    end: date
    issued_on: date
    opening: Decimal | None
    lines: tuple[StatementLine, ...]
    closing: Decimal | None
    aging: AgingBuckets | None
    masked: bool = False


def statement_id(tenant: str, customer_id: str, entity: str, currency: str, start: date, end: date) -> str:
    """A stable id for one statement: the same inputs give the same id.

    >>> statement_id("acme", "c1", "MY01", "MYR", date(2026, 3, 1), date(2026, 3, 31))[:12]
    'ST-20260331-'
    """
    key = "|".join((tenant, customer_id, entity, currency, start.isoformat(), end.isoformat()))
    return f"ST-{end:%Y%m%d}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def statement_ledger(items: Iterable[OpenItem], *, start: date, end: date) -> Ledger:
    """Opening balance before ``start``, each document (and reversal) from ``start`` to
    ``end`` inclusive in date order with its running balance, and the closing balance.
    ``items`` are one customer's documents with one entity in one currency."""
    opening = Decimal(0)
    entries: list[tuple[date, str, str, StatementLine]] = []
    for item in items:
        signed = item.sign * item.amount
        if item.document_date < start:
            opening += signed
        elif item.document_date <= end:
            entries.append((item.document_date, item.kind, item.number, _line(item, item.kind, signed)))
        reversed_on = item.reversed_on
        if reversed_on is not None and reversed_on < start:
            opening -= signed
        elif reversed_on is not None and start <= reversed_on <= end:
            line = evolve(_line(item, "reversal", -signed), on=reversed_on, reference=item.number)
            entries.append((reversed_on, "reversal", item.number, line))
    balance = opening
    lines = []
    for _on, _kind, _number, line in sorted(entries, key=lambda e: (e[0], _ORDER[e[1]], e[2])):
        balance += (line.debit or 0) - (line.credit or 0)
        lines.append(evolve(line, balance=balance))
    return Ledger(opening=opening, lines=tuple(lines), closing=balance)


def _line(item: OpenItem, kind: LineKind, signed: Decimal) -> StatementLine:
    return StatementLine(
        on=item.document_date,
        kind=kind,
        number=item.number,
        reference=None,
        due_date=item.due_date if item.is_invoice and kind != "reversal" else None,
        debit=signed if signed > 0 else None,
        credit=-signed if signed < 0 else None,
        balance=None,
    )


def masked_statement(statement: Statement) -> Statement:
    """The statement for a reader without ``view_sensitive`` (R-12.2): its documents, but
    no amounts or balances."""
    lines = tuple(evolve(line, debit=None, credit=None, balance=None) for line in statement.lines)
    return evolve(statement, opening=None, closing=None, aging=None, lines=lines, masked=True)
