"""The customer record: one master per tenant with its related records (SPEC R-1).

A customer is an immutable value. A change makes a new value with ``attrs.evolve`` and a
higher ``version`` (R-1.9); storage keeps the latest one. Related records (addresses,
contacts, bank accounts, pricing tiers, tax profiles, tax ids) carry their own ``id`` so
that partial updates can address them (R-3.2).

>>> c = Customer(id="c1", tenant="acme", code="CUS-0001", name="Kedai Ali",
...              kind="individual", legal_entity="MY01")
>>> c.is_active, c.version, c.is_enabled_for("MY01"), c.is_enabled_for("SG01")
(True, 1, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from customer_master.domain.pricing import PricingTier

Kind = Literal["company", "individual"]
KINDS: tuple[Kind, ...] = ("company", "individual")

Status = Literal["active", "inactive"]

CUSTOMER_TYPES = (
    "retail",
    "wholesale",
    "distributor",
    "enterprise",
    "government",
    "nonprofit",
    "other",
)

ADDRESS_PURPOSES = ("billing", "shipping", "delivery", "site", "hq")

# Master fields drawn from the tenant's classification lists.
CLASSIFIED_FIELDS = ("customer_group", "segment", "sub_segment", "region", "industry", "tier")


@frozen(kw_only=True)
class TaxId:
    """A tax identifier such as ``("eu.vat", "NL004495445B01")`` (R-1.4), stored compact."""

    id: str
    scheme: str
    number: str
    is_primary: bool = False


@frozen(kw_only=True)
class Address:
    """An address or site with its purposes; ``default_for`` names the purposes it is the
    default for (at most one default per purpose, R-1.7). ``entity`` set means the address
    belongs to that legal entity's override (R-2.1)."""

    id: str
    purposes: tuple[str, ...]
    default_for: tuple[str, ...] = ()
    label: str | None = None
    line1: str
    line2: str | None = None
    line3: str | None = None
    city: str
    state: str | None = None
    postal_code: str | None = None
    country: str
    entity: str | None = None


@frozen(kw_only=True)
class Contact:
    """A person at the customer; the primary contact receives statements (R-1.7)."""

    id: str
    name: str
    roles: tuple[str, ...] = ()
    email: str | None = None
    phone: str | None = None
    site_id: str | None = None
    is_primary: bool = False


@frozen(kw_only=True)
class BankAccount:
    """A bank account of the customer; sensitive (R-12.2)."""

    id: str
    bank_name: str | None = None
    account_number: str | None = None
    iban: str | None = None
    bic: str | None = None


@frozen(kw_only=True)
class TaxProfile:
    """A tax exemption: exempt tax code and its certificate with validity (R-1.7)."""

    id: str
    exempt_tax_code: str
    certificate_number: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def is_expired_on(self, day: date) -> bool:
        return self.valid_to is not None and self.valid_to < day


@frozen
class ExternalRef:
    """Where the customer came from: ``ExternalRef("salesforce", "0015g00000XyZ")``."""

    system: str
    ref: str


@frozen
class Dimension:
    """An accounting dimension value: ``Dimension("department", "SALES-EU")``."""

    type: str
    value: str


@frozen(kw_only=True)
class CreditHold:
    """A manual credit hold: who set it, when, and why (R-5.3)."""

    reason: str
    by: str
    at: datetime


@frozen(kw_only=True)
class CreditRelease:
    """A blocked document released once by a user with ``credit_override`` (R-5.7)."""

    document_ref: str
    reason: str
    by: str
    at: datetime
    entity: str | None = None


@frozen(kw_only=True)
class EntityOverride:
    """What one legal entity sees differently (R-2.1). ``None`` means "inherit the
    master's value"; the entity's own addresses are the customer's addresses whose
    ``entity`` is this entity."""

    entity: str
    credit_limit: Decimal | None = None
    payment_terms: str | None = None
    currency: str | None = None
    price_list: str | None = None
    salesperson: str | None = None
    receivable_account: str | None = None
    credit_hold: CreditHold | None = None
    use_last_price: bool | None = None


# The override fields laid over the master's in the effective view.
OVERRIDE_FIELDS = (
    "credit_limit",
    "payment_terms",
    "currency",
    "price_list",
    "salesperson",
    "receivable_account",
    "credit_hold",
    "use_last_price",
)


def _frozen_metadata(value: Mapping[str, object]) -> Mapping[str, object]:
    return dict(value)


@frozen(kw_only=True)
class Customer:
    """The customer master record of one tenant (R-1.1 to R-1.9, R-2)."""

    id: str
    tenant: str
    code: str
    name: str
    kind: Kind
    legal_entity: str
    status: Status = "active"
    version: int = 1
    alternate_name: str | None = None
    legal_name: str | None = None
    email: str | None = None
    billing_email: str | None = None
    phone: str | None = None
    website: str | None = None
    customer_type: str | None = None
    customer_group: str | None = None
    segment: str | None = None
    sub_segment: str | None = None
    region: str | None = None
    industry: str | None = None
    tier: str | None = None
    tags: tuple[str, ...] = ()
    currency: str | None = None
    payment_terms: str | None = None
    credit_limit: Decimal | None = None
    price_list: str | None = None
    # Price at the last invoiced rate: ``None`` follows the tenant's setting.
    use_last_price: bool | None = None
    tax_code: str | None = None
    revenue_account: str | None = None
    receivable_account: str | None = None
    salesperson: str | None = None
    prospect_ref: str | None = None
    external_refs: tuple[ExternalRef, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    metadata: Mapping[str, object] = field(factory=dict, converter=_frozen_metadata)
    notes: str | None = None
    tax_ids: tuple[TaxId, ...] = ()
    addresses: tuple[Address, ...] = ()
    contacts: tuple[Contact, ...] = ()
    bank_accounts: tuple[BankAccount, ...] = ()
    pricing_tiers: tuple[PricingTier, ...] = ()
    tax_profiles: tuple[TaxProfile, ...] = ()
    overrides: tuple[EntityOverride, ...] = ()
    enabled_entities: frozenset[str] = frozenset()
    credit_hold: CreditHold | None = None
    credit_releases: tuple[CreditRelease, ...] = ()
    merged_into: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Fields hidden from the reader who asked; never stored.
    masked: frozenset[str] = frozenset()

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_merged(self) -> bool:
        return self.merged_into is not None

    def is_enabled_for(self, entity: str) -> bool:
        """May documents of ``entity`` use this customer (R-2.3)? The owning entity always may."""
        return entity == self.legal_entity or entity in self.enabled_entities

    def override_for(self, entity: str) -> EntityOverride | None:
        return next((o for o in self.overrides if o.entity == entity), None)

    def primary_tax_id(self) -> TaxId | None:
        return next((t for t in self.tax_ids if t.is_primary), self.tax_ids[0] if self.tax_ids else None)

    def primary_contact(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), None)
