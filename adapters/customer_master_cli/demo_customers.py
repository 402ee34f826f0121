"""Drawing the demo tenant's customers: companies and walk-in individuals of three
countries with addresses, contacts, phones, tax ids, bank accounts, pricing tiers, tax
exemptions and entity overrides — as plain payloads, the way a host would send them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from customer_master.domain.serialize import Data
from customer_master_cli.demo_data import (
    BANKS,
    CITIES,
    CLASSIFICATIONS,
    COMPANY_NAMES,
    FIRST_NAMES,
    FX,
    ITEMS,
    LAST_NAMES,
    PHONE,
    STREETS,
)


class CustomerFactory:
    """Customer payloads drawn from ``rng``; ``counter`` keeps numbers unique."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.counter = 0

    def customer_payload(self) -> Data:
        rng = self.rng
        self.counter += 1
        entity = rng.choices(("MY01", "SG01", "US01"), weights=(6, 2, 2))[0]
        currency = {"MY01": "MYR", "SG01": "SGD", "US01": "USD"}[entity]
        is_company = rng.random() < 0.85
        city, state, postal, region, location = rng.choice(CITIES[entity])
        name = self.company_name(entity) if is_company else self.person_name()
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "customer"
        domain = COMPANY_NAMES[entity][3]
        payload: Data = {
            "name": name,
            "kind": "company" if is_company else "individual",
            "legal_entity": entity,
            "currency": currency,
            "phone": self.phone(entity),
            "region": region,
            "tags": rng.sample(
                ["export", "vip", "e-invoice", "consignment", "seasonal", "tender"], k=rng.randint(0, 2)
            ),
            "dimensions": [{"type": "location", "value": location}],
            "metadata": {
                "onboarding_channel": rng.choice(["web", "field_sales", "referral"]),
                "loyalty_id": f"L{self.counter:06d}",
            },
            "addresses": [self.address(entity, city, state, postal, ["billing", "shipping"], default=True)],
        }
        if is_company:
            payload |= self.company_fields(entity, slug, domain, currency)
            if payload.pop("addresses_extra", False):
                city, state, postal, _region, _location = rng.choice(CITIES["SG01"])
                extra = self.address("SG01", city, state, postal, ["shipping", "delivery"], default=True)
                payload["addresses"].append(extra | {"entity": "SG01", "label": "Singapore warehouse"})
        else:
            payload |= {
                "email": f"{slug}{self.counter}@mail.{domain}",
                "customer_group": "Walk-in",
                "customer_type": "retail",
                "payment_terms": "COD",
                "credit_limit": "0",
                "metadata": {"onboarding_channel": "pos", "loyalty_id": f"L{self.counter:06d}"},
            }
        return payload

    def company_fields(self, entity: str, slug: str, domain: str, currency: str) -> Data:
        rng = self.rng
        group = rng.choices(["Key Accounts", "Distributors", "Retail Chains", "SMB"], weights=(1, 2, 2, 5))[0]
        limit = {"Key Accounts": 500_000, "Distributors": 200_000, "Retail Chains": 100_000, "SMB": 30_000}[
            group
        ]
        fields: Data = {
            "email": f"ap@{slug}.{domain}",
            "billing_email": f"invoices@{slug}.{domain}",
            "website": f"https://www.{slug}.{domain}",
            "legal_name": None,
            "customer_type": {"Distributors": "distributor", "Key Accounts": "enterprise"}.get(
                group, rng.choice(["retail", "wholesale"])
            ),
            "customer_group": group,
            "segment": rng.choice(CLASSIFICATIONS["segment"]),
            "industry": rng.choice(CLASSIFICATIONS["industry"]),
            "tier": rng.choice(CLASSIFICATIONS["tier"]),
            "payment_terms": rng.choice(
                ["NET30", "NET30", "NET60", "2-10-NET30", "EOM30", "15NM", "30DEP-60", "3X30"]
            ),
            "credit_limit": str(limit * rng.choice([1, 2, 3]) // 2),
            "salesperson": rng.choice(["sam", "nadia", "kevin", "li.ting"]),
            "price_list": {
                "MY01": rng.choice(["STD-MYR", "WHOLESALE-MYR"]),
                "SG01": "STD-SGD",
                "US01": "STD-USD",
            }[entity],
            "metadata": {
                "onboarding_channel": rng.choice(["web", "field_sales", "referral"]),
                "employees": rng.randint(5, 2000),
            },
            "contacts": self.contacts(entity, slug, domain),
            "tax_ids": [self.tax_id(entity)],
        }
        fields.pop("legal_name")
        if group == "Key Accounts":
            fields["dimensions"] = [{"type": "department", "value": "KEY-ACCOUNTS"}]
        else:
            fields["dimensions"] = [{"type": "department", "value": f"SALES-{entity[:2]}"}]
        if rng.random() < 0.4:
            bank, bic = BANKS[entity]
            fields["bank_accounts"] = [
                {"bank_name": bank, "account_number": f"{rng.randint(10**11, 10**12 - 1)}", "bic": bic}
            ]
        if rng.random() < 0.25:
            item = rng.choice(list(ITEMS))
            unit = (ITEMS[item] * FX[currency] * Decimal("0.75")).quantize(Decimal("0.01"))
            fields["pricing_tiers"] = [
                {
                    "item_code": item,
                    "min_quantity": "10",
                    "unit_price": str(unit),
                    "currency": currency,
                    "valid_from": (self.today - timedelta(days=90)).isoformat(),
                }
            ]
        if rng.random() < 0.1:
            expired = rng.random() < 0.3
            valid_to = self.today + timedelta(days=-20 if expired else 300)
            fields["tax_profiles"] = [
                {
                    "exempt_tax_code": "SST-EXEMPT",
                    "certificate_number": f"EX-{self.counter:05d}",
                    "valid_from": (valid_to - timedelta(days=365)).isoformat(),
                    "valid_to": valid_to.isoformat(),
                }
            ]
        if entity == "MY01" and rng.random() < 0.2:
            fields["enabled_entities"] = ["SG01"]
            fields["overrides"] = [
                {
                    "entity": "SG01",
                    "currency": "SGD",
                    "payment_terms": "NET60",
                    "price_list": "STD-SGD",
                    "credit_limit": str(limit * 3 // 10),
                }
            ]
            fields["addresses_extra"] = True
        return fields

    def company_name(self, entity: str) -> str:
        first, middle, last, _ = COMPANY_NAMES[entity]
        return f"{self.rng.choice(first)} {self.rng.choice(middle)} {self.rng.choice(last)}"

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def phone(self, entity: str) -> str:
        rng = self.rng
        return PHONE[entity].format(
            a=rng.randint(2000, 9999), a3=rng.randint(200, 999), b=rng.randint(1000, 9999)
        )

    def address(
        self, entity: str, city: str, state: str | None, postal: str, purposes: list[str], *, default: bool
    ) -> Data:
        street = f"{self.rng.randint(1, 250)} {self.rng.choice(STREETS[entity])}"
        address: Data = {
            "purposes": purposes,
            "line1": street,
            "city": city,
            "postal_code": postal,
            "country": entity[:2],
        }
        if state:
            address["state"] = state
        if default:
            address["default_for"] = purposes
        return address

    def contacts(self, entity: str, slug: str, domain: str) -> list[Data]:
        people = []
        for index in range(self.rng.randint(1, 3)):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            handle = f"{first.split()[0].lower()}.{last.lower()}"
            roles = [["accounts_payable"], ["procurement"], ["management"]][index % 3]
            people.append(
                {
                    "name": f"{first} {last}",
                    "roles": roles,
                    "email": f"{handle}@{slug}.{domain}",
                    "phone": self.phone(entity),
                    "is_primary": index == 0,
                }
            )
        return people

    def tax_id(self, entity: str) -> Data:
        self.counter += 1
        if entity == "US01":
            return {"scheme": "us.ein", "number": f"04-{1_000_000 + self.counter:07d}", "is_primary": True}
        if entity == "SG01":
            from stdnum.sg import uen

            digits = f"{53_000_000 + self.counter:08d}"
            return {
                "scheme": "sg.uen",
                "number": digits + uen.calc_business_check_digit(digits),
                "is_primary": True,
            }
        return {"scheme": "my.brn", "number": f"2019{self.counter:08d}", "is_primary": True}
