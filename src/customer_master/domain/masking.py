"""Masking sensitive data for readers without the ``view_sensitive`` permission (SPEC
R-12.2): bank account numbers and IBANs show only their last four characters, and credit
figures (limit, exposure, balances, available credit) are withheld. Done here, in the
core's read models, so every adapter (API, export, statements) inherits it.

>>> mask_number("DE89370400440532013000")
'••••3000'
"""

from __future__ import annotations

from decimal import Decimal

from attrs import evolve

from customer_master.domain.credit import CreditDecision, CreditReason, Exposure
from customer_master.domain.customer import Customer

MASK = "••••"

_WITHOUT_FIGURES = {
    "over_limit": "The exposure exceeds the credit limit.",
    "overdue": "An open invoice is past due beyond the grace days.",
}


def mask_number(value: str | None) -> str | None:
    """``value`` with all but its last four characters hidden."""
    if value is None:
        return None
    return MASK + value[-4:] if len(value) > 4 else MASK


def masked_customer(customer: Customer) -> Customer:
    """The customer as a reader without ``view_sensitive`` sees it."""
    accounts = tuple(
        evolve(a, account_number=mask_number(a.account_number), iban=mask_number(a.iban))
        for a in customer.bank_accounts
    )
    overrides = tuple(evolve(o, credit_limit=None) for o in customer.overrides)
    masked = {"bank_accounts.account_number", "bank_accounts.iban", "credit_limit", "overrides.credit_limit"}
    return evolve(
        customer, bank_accounts=accounts, credit_limit=None, overrides=overrides, masked=frozenset(masked)
    )


def masked_decision(decision: CreditDecision) -> CreditDecision:
    """A credit decision with its outcome and reason codes, but no figures."""
    reasons = tuple(
        CreditReason(r.code, r.severity, _WITHOUT_FIGURES.get(r.code, r.message)) for r in decision.reasons
    )
    zero = Decimal(0)
    return evolve(
        decision,
        reasons=reasons,
        limit=None,
        available=None,
        exposure=Exposure(receivables=zero, open_orders=zero, document=zero),
        masked=True,
    )
