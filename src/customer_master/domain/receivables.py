"""Open items: what the plugin knows of a customer's invoices, credits and orders when it
keeps receivables itself (SPEC R-13.1). Hosts feed them; credit checks, the aging and
statements of account read them.

A payment or credit note is *applied* to an invoice (both balances go down by the
amount applied, on a date); a document entered in error is *reversed* (its balance
becomes 0 from that date; one already applied must be unapplied by the host first).

>>> item = OpenItem(number="INV-1", customer_id="c1", entity="MY01", kind="invoice",
...     document_date=date(2026, 1, 1), due_date=date(2026, 1, 31), amount=Decimal("100"),
...     balance=Decimal("100"), currency="MYR")
>>> item.days_past_due(date(2026, 2, 2))
2
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from attrs import frozen

from customer_master.errors import FieldError

ItemKind = Literal["invoice", "credit_note", "payment"]
CreditKind = Literal["credit_note", "payment"]
ITEM_KINDS: tuple[ItemKind, ...] = ("invoice", "credit_note", "payment")


@frozen(kw_only=True)
class OpenItem:
    """An invoice (owed to us) or an unapplied credit note or payment (owed back)."""

    number: str
    customer_id: str
    entity: str
    kind: ItemKind
    document_date: date
    due_date: date | None
    amount: Decimal
    balance: Decimal
    currency: str
    # The day the document was reversed (entered in error); ``None`` while it stands.
    reversed_on: date | None = None

    @property
    def is_invoice(self) -> bool:
        return self.kind == "invoice"

    @property
    def sign(self) -> int:
        """+1 for an invoice (the customer owes it), -1 for a credit note or payment."""
        return 1 if self.is_invoice else -1

    @property
    def aged_from(self) -> date:
        """The date the aging counts days from: an invoice's due date (its date when it
        has none), a credit note's or payment's own date."""
        return (self.due_date or self.document_date) if self.is_invoice else self.document_date

    def days_past_due(self, today: date) -> int:
        """Whole days this unpaid invoice is past its due date (0 when not due yet)."""
        if not self.is_invoice or self.balance <= 0 or self.due_date is None:
            return 0
        return max(0, (today - self.due_date).days)


@frozen(kw_only=True)
class OpenOrder:
    """A sales order accepted but not yet invoiced."""

    number: str
    customer_id: str
    entity: str
    amount: Decimal
    currency: str


@frozen(kw_only=True)
class Application:
    """A payment or credit note applied to an invoice of the same customer, entity and
    currency on ``applied_on``: both balances went down by ``amount``."""

    customer_id: str
    entity: str
    credit_kind: CreditKind
    credit_number: str
    invoice_number: str
    amount: Decimal
    currency: str
    applied_on: date


def exact_amount(
    value: object, path: str, *, positive: bool = False, signed: bool = False
) -> Decimal | FieldError:
    """An amount or quantity from any exact number — ``int``, a decimal string or
    ``Decimal`` — never from a ``float`` (R-7.3); the field error otherwise. At least 0
    (above 0 when ``positive``), any sign when ``signed``.

    >>> exact_amount("12.50", "amount"), exact_amount(3, "quantity")
    (Decimal('12.50'), Decimal('3'))
    >>> exact_amount(1.5, "amount").message
    'must be an exact number (an integer, a decimal string or a Decimal), not a float'
    """
    if isinstance(value, (bool, float)):
        kind = "not_a_decimal"
        message = "must be an exact number (an integer, a decimal string or a Decimal), not a float"
        return FieldError(path, kind, message if isinstance(value, float) else "must be a number")
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            number = None
    if number is None or not number.is_finite():
        return FieldError(path, "not_a_decimal", f"must be a number, not {value!r}")
    if signed:
        return number
    if number < 0 or (positive and number == 0):
        return FieldError(path, "invalid", "must be greater than 0" if positive else "must be at least 0")
    return number
