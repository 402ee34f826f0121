"""Open items: what the plugin knows of a customer's invoices, credits and orders when it
keeps receivables itself (SPEC R-13.1). Hosts feed them; credit checks read them.

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

ItemKind = Literal["invoice", "credit_note", "payment"]


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

    @property
    def is_invoice(self) -> bool:
        return self.kind == "invoice"

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
