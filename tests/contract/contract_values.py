"""Sample values for the storage contract suite: a customer with every field set, small
customers, and a shortcut to store them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from customer_master.domain.customer import (
    Address,
    BankAccount,
    Contact,
    CreditHold,
    CreditRelease,
    Customer,
    Dimension,
    EntityOverride,
    ExternalRef,
    TaxId,
    TaxProfile,
)
from customer_master.domain.pricing import PricingTier
from customer_master.ports import Storage

AT = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def full_customer(
    *, tenant: str = "acme", id: str = "c1", code: str = "CUS-0001", name: str = "Société Générale"
) -> Customer:
    """A customer with every field and every kind of related record set, with values
    that are easy to get wrong: exact decimals, dates, instants with microseconds, order."""
    hold = CreditHold(reason="Cheque bounced", by="ana", at=AT)
    return Customer(
        id=id, tenant=tenant, code=code, name=name, kind="company", legal_entity="MY01",
        status="active", version=3, alternate_name="ソシエテ", legal_name="Société Générale S.A.",
        email="AP@SocGen.example", billing_email="billing@socgen.example", phone="+60312345678",
        website="https://socgen.example/", customer_type="enterprise", customer_group="key",
        segment="banking", sub_segment="retail", region="apac", industry="finance", tier="gold",
        tags=("vip", "bank", "a-tag"), currency="MYR", payment_terms="NET30",
        credit_limit=Decimal("50000.00"), price_list="STD", tax_code="SR", revenue_account="4000",
        receivable_account="1200", salesperson="sam", prospect_ref="P-9",
        external_refs=(ExternalRef("salesforce", "0015g00000XyZ"), ExternalRef("legacy", "42")),
        dimensions=(Dimension("department", "SALES-EU"), Dimension("location", "KL")),
        metadata={"manager": "Lee", "score": 7, "ratio": 0.25, "flags": [True, None], "nested": {"a": "b"}},
        notes="Prefers e-mail.\nSecond line.",
        tax_ids=(
            TaxId(id="t2", scheme="my.brn", number="201901000005", is_primary=False),
            TaxId(id="t1", scheme="eu.vat", number="FR40303265045", is_primary=True),
        ),
        addresses=(
            Address(id="a1", purposes=("billing", "hq"), default_for=("billing",), label="HQ",
                    line1="29 Boulevard Haussmann", line2="Bâtiment B", line3="3e étage", city="Paris",
                    state="IDF", postal_code="75009", country="FR"),
            Address(id="a2", purposes=("shipping",), line1="Lot 5", city="Port Klang", country="MY",
                    entity="SG01"),
        ),
        contacts=(
            Contact(id="p1", name="Lee Mei", roles=("accounts_payable", "procurement"),
                    email="lee@socgen.example", phone="+60123456789", site_id="a1", is_primary=True),
            Contact(id="p2", name="Tan"),
        ),
        bank_accounts=(BankAccount(id="b1", bank_name="Maybank", account_number="5140 1234",
                                   iban="FR7630006000011234567890189", bic="AGRIFRPP"),),
        pricing_tiers=(
            PricingTier(id="r1", item_code="BOLT", unit_price=Decimal("0.8000"), currency="USD",
                        min_quantity=Decimal("100"), max_quantity=Decimal("999.5"),
                        valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)),
            PricingTier(id="r2", item_code="NUT", unit_price=Decimal("1E+1"), currency="USD"),
        ),
        tax_profiles=(TaxProfile(id="x1", exempt_tax_code="EX", certificate_number="C-1",
                                 valid_from=date(2025, 1, 1), valid_to=date(2026, 6, 30)),),
        overrides=(
            EntityOverride(entity="SG01", credit_limit=Decimal("20000.5"), payment_terms="NET60",
                           currency="SGD", price_list="SG", salesperson="sue", receivable_account="1210",
                           credit_hold=hold),
            EntityOverride(entity="US01", salesperson="bob"),
        ),
        credit_releases=(CreditRelease(document_ref="SO-1", reason="CFO said yes", by="cfo", at=AT,
                                       entity="SG01"),),
        enabled_entities=frozenset({"SG01", "US01"}),
        credit_hold=hold,
        merged_into=None,
        created_at=AT,
        updated_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
    )  # fmt: skip


def plain_customer(
    number: int,
    *,
    tenant: str = "acme",
    name: str | None = None,
    **changes: object,
) -> Customer:
    """A small customer ``CUS-<number>`` with id ``c<number>``."""
    values: dict[str, object] = {
        "id": f"c{number}",
        "tenant": tenant,
        "code": f"CUS-{number:04d}",
        "name": name or f"Customer {number}",
        "kind": "company",
        "legal_entity": "MY01",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number),
        **changes,
    }
    return Customer(**values)  # type: ignore[arg-type]


def add_committed(storage: Storage, *customers: Customer) -> None:
    with storage.unit_of_work() as uow:
        for customer in customers:
            uow.customers.add(customer)
        uow.commit()
