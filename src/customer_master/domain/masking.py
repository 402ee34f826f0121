"""Masking sensitive data for readers without the ``view_sensitive`` permission (SPEC
R-12.2): bank account numbers and IBANs show only their last four characters, and credit
figures (limit, exposure, balances, available credit) are withheld. Done here, in the
core's read models, so every adapter (API, export, statements) inherits it.

>>> mask_number("DE89370400440532013000")
'••••3000'

Plain data (a change request's payload, an audit record's change set) is masked the same
way, wherever the sensitive keys sit in it:

>>> masked_data({"credit_limit": {"before": "50000", "after": "75000"}})
{'credit_limit': {'before': '••••', 'after': '••••'}}
>>> masked_data({"bank_accounts": [{"bank_name": "Maybank", "account_number": "514011223344"}]})
{'bank_accounts': [{'bank_name': 'Maybank', 'account_number': '••••3344'}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import evolve

from customer_master.domain.credit import CreditDecision, CreditReason, Exposure
from customer_master.domain.customer import Customer

MASK = "••••"

# Keys of plain data whose values are masked: numbers keep their last four characters,
# credit figures are withheld entirely.
NUMBER_KEYS = frozenset({"account_number", "iban"})
FIGURE_KEYS = frozenset({"credit_limit"})

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


def masked_data(data: Any) -> Any:
    """Plain data with bank numbers and credit figures masked at any depth; a change
    ``{"before": …, "after": …}`` of a sensitive key is masked on both sides."""
    if isinstance(data, Mapping):
        return {key: _masked_value(str(key), value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [masked_data(item) for item in data]
    return data


def _masked_value(key: str, value: Any) -> Any:
    if key not in NUMBER_KEYS and key not in FIGURE_KEYS:
        return masked_data(value)
    if isinstance(value, Mapping) and ("before" in value or "after" in value):
        return {side: _masked_value(key, inner) for side, inner in value.items()}
    if value is None:
        return None
    if key in NUMBER_KEYS:
        return mask_number(str(value))
    return MASK
