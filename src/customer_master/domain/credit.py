"""Credit control: may this customer take on this document?

Exposure is what the customer owes (open invoice balances less unapplied credits),
plus orders not yet invoiced, plus the document in hand (SPEC R-5.1). A customer
exceeds the credit limit only when exposure is strictly greater than the limit; no
limit means no ceiling, and a limit of 0 means no credit at all (R-5.2).

Some reasons block whatever the figures and whatever the policy: the customer is
inactive, not enabled for the legal entity, or on credit hold (R-5.3, R-5.5). The
figures (``over_limit``, and ``overdue`` — an open invoice past due by more than the
grace days, R-5.4) follow the credit policy of the customer's group or tenant:
``block`` stops the document, ``warn`` lets it through with a warning, ``off`` does not
look at them. The decision is the most severe of its reasons (R-5.5, R-5.6).

A document blocked by the figures may be released once by a user with the
``credit_override`` permission (R-5.7). The check of a released document passes: its
``over_limit`` and ``overdue`` reasons become warnings, so the outcome is ``warning``
and the UI can still explain the figures. A release never lifts ``inactive``,
``not_enabled_for_entity`` or ``credit_hold``: those are facts about the customer, not
about this document's figures, and a release cannot outrank them.

Worked example (R-5.6): limit 20,000, receivables 15,000, new order 10,000.

>>> facts = CreditFacts(
...     is_active=True, is_enabled_for_entity=True, on_credit_hold=False,
...     limit=Decimal("20000"), currency="USD", days_past_due=0,
...     exposure=Exposure(receivables=Decimal("15000"), document=Decimal("10000")),
... )
>>> decision = credit_decision(facts, CreditSettings(policy="block"))
>>> decision.outcome, decision.reason_codes, decision.available
('blocked', ('over_limit',), Decimal('-5000'))
>>> print(decision.reasons[0].message)
Exposure of 25,000.00 USD exceeds the credit limit of 20,000.00 USD by 5,000.00 USD.

An order that takes the customer exactly to a limit of 50,000 is approved:

>>> at_limit = attrs.evolve(
...     facts, limit=Decimal("50000"), exposure=Exposure(document=Decimal("50000"))
... )
>>> decision = credit_decision(at_limit, CreditSettings())
>>> decision.outcome, decision.reasons, decision.available
('approved', (), Decimal('0'))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal, get_args

import attrs
from attrs import field, frozen

from customer_master.domain.money import minor_unit

CreditPolicy = Literal["block", "warn", "off"]
CreditOutcome = Literal["approved", "warning", "blocked"]
CreditReasonCode = Literal["inactive", "credit_hold", "overdue", "over_limit", "not_enabled_for_entity"]

CREDIT_POLICIES: tuple[CreditPolicy, ...] = get_args(CreditPolicy)

# Most severe last: the decision is the maximum severity over its reasons.
_SEVERITY: dict[CreditOutcome, int] = {"approved": 0, "warning": 1, "blocked": 2}

# The figures: the reasons the policy governs and a release lifts.
_FIGURES: frozenset[CreditReasonCode] = frozenset({"overdue", "over_limit"})

GroupPolicies = tuple[tuple[str, CreditPolicy], ...]


def _check_policy(policy: str) -> CreditPolicy:
    for known in CREDIT_POLICIES:
        if policy == known:
            return known
    raise ValueError(f"unknown credit policy {policy!r}; expected one of {CREDIT_POLICIES}")


def _group_policies(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> GroupPolicies:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((group, _check_policy(policy)) for group, policy in pairs))


@frozen(kw_only=True)
class Exposure:
    """What the customer would owe if this document went through (R-5.1).

    ``receivables`` is open invoice balances minus unapplied credits; ``open_orders``
    is orders not yet invoiced; ``document`` is the amount being checked. All in the
    customer's currency.
    """

    receivables: Decimal = Decimal(0)
    open_orders: Decimal = Decimal(0)
    document: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        """Receivables plus open orders plus this document."""
        return self.receivables + self.open_orders + self.document


@frozen(kw_only=True)
class CreditSettings:
    """The tenant's credit settings (R-5.4, R-5.5).

    ``group_policies`` overrides ``policy`` for customers of a group; it accepts a
    mapping and is kept as sorted ``(group, policy)`` pairs so settings stay hashable.

    >>> settings = CreditSettings(policy="block", group_policies={"retail": "warn"})
    >>> settings.policy_for("retail"), settings.policy_for("wholesale"), settings.policy_for(None)
    ('warn', 'block', 'block')
    """

    policy: CreditPolicy = field(default="block", converter=_check_policy)
    overdue_block: bool = True
    grace_days: int = field(default=0, validator=attrs.validators.ge(0))
    group_policies: GroupPolicies = field(default=(), converter=_group_policies)

    def policy_for(self, group: str | None) -> CreditPolicy:
        """The credit policy for a customer of ``group``: the group's, else the tenant's."""
        for known_group, policy in self.group_policies:
            if known_group == group:
                return policy
        return self.policy


@frozen(kw_only=True)
class CreditFacts:
    """What the effective view and the receivables port know about the customer.

    ``limit`` is ``None`` for no limit and ``0`` for no credit. ``days_past_due`` is the
    largest number of days any open invoice is past its due date (0 if none).
    ``released`` is true when a user with ``credit_override`` released this document
    (R-5.7).
    """

    is_active: bool
    is_enabled_for_entity: bool
    on_credit_hold: bool
    limit: Decimal | None
    currency: str
    exposure: Exposure
    days_past_due: int
    customer_group: str | None = None
    released: bool = False


@frozen
class CreditReason:
    """One reason that applied, with its severity and a message in finance words."""

    code: CreditReasonCode
    severity: CreditOutcome
    message: str


@frozen(kw_only=True)
class CreditDecision:
    """The credit decision for one document (R-5.6).

    ``available`` is the limit minus exposure (negative when over the limit), ``None``
    when there is no limit.
    """

    outcome: CreditOutcome
    reasons: tuple[CreditReason, ...]
    limit: Decimal | None
    exposure: Exposure
    available: Decimal | None
    currency: str
    policy: CreditPolicy
    released: bool = False
    # True when the figures are withheld from a reader without view_sensitive.
    masked: bool = False

    @property
    def reason_codes(self) -> tuple[CreditReasonCode, ...]:
        """The codes of the reasons: those about the customer first, then the figures."""
        return tuple(reason.code for reason in self.reasons)

    @property
    def is_releasable(self) -> bool:
        """May a user with ``credit_override`` release this document? (R-5.7)

        Only when it is blocked and every blocking reason is one of the figures.
        """
        blocking = [reason for reason in self.reasons if reason.severity == "blocked"]
        return bool(blocking) and all(reason.code in _FIGURES for reason in blocking)


def credit_decision(facts: CreditFacts, settings: CreditSettings) -> CreditDecision:
    """Decide whether the customer may take on this document (R-5.2 – R-5.7).

    Returns every reason that applied (those about the customer first, then the
    figures) and the most severe of them as the outcome; ``approved`` when none applied.
    """
    policy = settings.policy_for(facts.customer_group)
    reasons = _customer_reasons(facts) + _figure_reasons(facts, settings, policy)
    severities: list[CreditOutcome] = ["approved", *(reason.severity for reason in reasons)]
    outcome = max(severities, key=_SEVERITY.__getitem__)
    limit = facts.limit
    return CreditDecision(
        outcome=outcome,
        reasons=reasons,
        limit=limit,
        exposure=facts.exposure,
        available=None if limit is None else limit - facts.exposure.total,
        currency=facts.currency,
        policy=policy,
        released=facts.released,
    )


def _customer_reasons(facts: CreditFacts) -> tuple[CreditReason, ...]:
    """Reasons about the customer itself: they block under every policy."""
    reasons = []
    if not facts.is_active:
        reasons.append(CreditReason("inactive", "blocked", "The customer is inactive."))
    if facts.on_credit_hold:
        reasons.append(CreditReason("credit_hold", "blocked", "The customer is on credit hold."))
    if not facts.is_enabled_for_entity:
        message = "The customer is not enabled for this legal entity."
        reasons.append(CreditReason("not_enabled_for_entity", "blocked", message))
    return tuple(reasons)


def _figure_reasons(
    facts: CreditFacts, settings: CreditSettings, policy: CreditPolicy
) -> tuple[CreditReason, ...]:
    """Reasons from the figures: their severity follows the policy and any release."""
    if policy == "off":
        return ()
    severity: CreditOutcome = "blocked" if policy == "block" and not facts.released else "warning"
    reasons = []
    if settings.overdue_block and facts.days_past_due > settings.grace_days:
        message = (
            f"An open invoice is {facts.days_past_due} days past due, more than the "
            f"{settings.grace_days} grace days allowed."
        )
        reasons.append(CreditReason("overdue", severity, message))
    exceeded = _over_limit_message(facts)
    if exceeded is not None:
        reasons.append(CreditReason("over_limit", severity, exceeded))
    return tuple(reasons)


def _over_limit_message(facts: CreditFacts) -> str | None:
    """Why the exposure exceeds the limit, or ``None`` when it does not (R-5.2)."""
    limit, total = facts.limit, facts.exposure.total
    if limit is None or total <= limit:
        return None
    exposure, currency = _amount(total, facts.currency), facts.currency
    if limit == 0:
        return f"No credit is allowed (limit 0); exposure is {exposure} {currency}."
    return (
        f"Exposure of {exposure} {currency} exceeds the credit limit of "
        f"{_amount(limit, currency)} {currency} by {_amount(total - limit, currency)} {currency}."
    )


def _amount(value: Decimal, currency: str) -> str:
    """An amount as a finance user reads it: ``25,000.00``."""
    return f"{value:,.{minor_unit(currency)}f}"
