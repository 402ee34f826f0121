"""Tenant configuration: settings, legal entities, classification lists, dimension
types, custom fields, payment terms and price lists (SPEC R-1.5, R-1.6, R-2.1, R-6, R-7).

Configuration is one immutable value per tenant with a ``version``, so adapters can cache
it and services read it once per operation.

>>> cfg = TenantConfiguration(tenant="acme", entities=(LegalEntity(code="US01", name="Acme Inc"),))
>>> cfg.has_entity("US01"), cfg.settings.code_for(7)
(True, 'CUS-0007')
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from attrs import evolve, field, frozen

from customer_master.domain.access import DEFAULT_ROLE_PERMISSIONS, permissions_of
from customer_master.domain.approvals import ApprovalPolicy
from customer_master.domain.credit import CreditSettings
from customer_master.domain.money import Rounding
from customer_master.domain.pricing import PriceList
from customer_master.domain.terms import PaymentTerms, ScheduleSettings

MergePolicy = Literal["transfer", "forbid_if_both_have_history"]
MERGE_POLICIES: tuple[MergePolicy, ...] = ("transfer", "forbid_if_both_have_history")

CustomFieldType = Literal["text", "number", "integer", "boolean", "date", "choice"]
CUSTOM_FIELD_TYPES: tuple[CustomFieldType, ...] = (
    "text",
    "number",
    "integer",
    "boolean",
    "date",
    "choice",
)


@frozen(kw_only=True)
class TenantSettings:
    """The switches a tenant sets (R-1.5). Defaults follow the SPEC."""

    auto_generate_code: bool = True
    code_prefix: str = "CUS-"
    code_width: int = 4
    enforce_unique_tax_id: bool = True
    company_requires_email: bool = True
    mandatory_fields: frozenset[str] = frozenset()
    large_credit_limit: Decimal = Decimal("1000000")
    similar_name_threshold: float = 90.0
    exemption_warning_days: int = 30
    time_zone: str = "UTC"
    credit: CreditSettings = field(factory=CreditSettings)
    merge_policy: MergePolicy = "transfer"
    use_last_price: bool = False
    rounding: Rounding = "half_even"
    zero_installments: Literal["keep", "omit"] = "keep"
    overallocation: Literal["reject", "allow"] = "reject"
    standard_price_list: str | None = None
    # the document types whose credit is checked, and whether open orders count
    # when the check runs at invoice time (off: the order is becoming this invoice).
    credit_check_documents: frozenset[str] = frozenset({"order", "delivery", "invoice"})
    count_open_orders_at_invoice: bool = False
    approvals: ApprovalPolicy = field(factory=ApprovalPolicy)

    def code_for(self, number: int) -> str:
        """The customer code for sequence ``number``: prefix + zero-padded number (R-1.1)."""
        return f"{self.code_prefix}{number:0{self.code_width}d}"

    def schedule_settings(self) -> ScheduleSettings:
        return ScheduleSettings(
            rounding=self.rounding,
            zero_installments=self.zero_installments,
            overallocation=self.overallocation,
        )


@frozen(kw_only=True)
class LegalEntity:
    """A legal entity (business unit) of the tenant (R-2.1)."""

    code: str
    name: str
    currency: str | None = None
    # The lines under the entity's name on its statements (address, tax id, bank, …).
    letterhead: tuple[str, ...] = ()


@frozen(kw_only=True)
class CustomField:
    """A tenant-defined custom field stored in a customer's metadata (R-1.3)."""

    name: str
    type: CustomFieldType
    required: bool = False
    choices: tuple[str, ...] = ()


@frozen(kw_only=True)
class TenantConfiguration:
    """Everything a tenant has configured; one value, replaced as a whole on change."""

    tenant: str
    version: int = 0
    settings: TenantSettings = field(factory=TenantSettings)
    entities: tuple[LegalEntity, ...] = ()
    # Allowed values per classified field; a field without a list is unrestricted.
    classifications: Mapping[str, tuple[str, ...]] = field(factory=dict)
    # Allowed value codes per dimension type.
    dimension_types: Mapping[str, tuple[str, ...]] = field(factory=dict)
    custom_fields: tuple[CustomField, ...] = ()
    payment_terms: Mapping[str, PaymentTerms] = field(factory=dict)
    price_lists: Mapping[str, PriceList] = field(factory=dict)
    # The tenant's own role → permissions map; roles not in it keep the defaults.
    role_permissions: Mapping[str, frozenset[str]] = field(factory=dict)

    def has_entity(self, code: str) -> bool:
        return any(e.code == code for e in self.entities)

    def entity(self, code: str) -> LegalEntity | None:
        return next((e for e in self.entities if e.code == code), None)

    def allowed_values(self, field_name: str) -> tuple[str, ...] | None:
        """The allowed values of a classified field, or ``None`` when unrestricted."""
        values = self.classifications.get(field_name)
        return tuple(values) if values else None

    def custom_field(self, name: str) -> CustomField | None:
        return next((f for f in self.custom_fields if f.name == name), None)

    def permissions_of(self, roles: frozenset[str]) -> frozenset[str]:
        """Every permission ``roles`` grant in this tenant."""
        return permissions_of(roles, {**DEFAULT_ROLE_PERMISSIONS, **self.role_permissions})

    def changed(self, **changes: object) -> TenantConfiguration:
        """A copy with ``changes`` applied and the version moved on."""
        return evolve(self, version=self.version + 1, **changes)  # type: ignore[arg-type]
