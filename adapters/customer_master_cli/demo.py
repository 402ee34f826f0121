"""A realistic demo tenant, the same every time for the same seed.

Acme trades from three legal entities (Malaysia, Singapore, United States) with payment
terms of every kind the SPEC names (COD, net days, end of month, early-payment discount,
deposit + balance, three installments, the 15th of next month), a standard price list
with quantity breaks and a wholesale list, classification lists, dimension types and
custom fields. A few hundred customers carry addresses, contacts, bank accounts, tax
ids, pricing tiers, tax exemptions and entity overrides; most have five months of
invoices, payments and credit notes applied to them, invoices still open at every age
(``demo_receivables``) and open orders; a few are on credit hold.
Everything goes through the services, as a host would do it, so the audit trail holds.

At the end the SPEC's default approval lanes are back (walk-in individuals: green) and a
few change requests wait for approval, one of them half-approved. API keys for six
users — an AR manager who administers, a second AR manager, a controller, a
salesperson, a CFO and a viewer — let a visitor walk every approval flow with someone
other than the submitter at each step (``DEMO_DUTIES`` says who does what).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.domain.receivables import OpenOrder
from customer_master.domain.serialize import Data
from customer_master_cli.demo_customers import CustomerFactory
from customer_master_cli.demo_data import (
    CLASSIFICATIONS,
    CUSTOM_FIELDS,
    DIMENSIONS,
    ENTITIES,
    FX,
    ITEMS,
    PAYMENT_TERMS,
    PRICE_LISTS,
)
from customer_master_cli.demo_receivables import feed_customer

Progress = Callable[[int], None]


class DemoSeeder:
    """Builds the demo tenant through the services; ``rng`` makes it repeatable."""

    def __init__(self, cm: CustomerMaster, tenant: str, seed: int) -> None:
        self.cm = cm
        self.tenant = tenant
        self.rng = random.Random(seed)
        self.admin = Actor(tenant, "setup", {"admin"})
        self.today = cm.context.clock.today()
        self.factory = CustomerFactory(self.rng, self.today)
        self.counts: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    # -- configuration --------------------------------------------------------------

    def configure(self) -> None:
        config = self.cm.configuration
        if self.cm.configuration.get(self.admin).entities:
            raise ValueError(
                f"tenant {self.tenant!r} already has data; seed another --tenant or a fresh database"
            )
        for entity in ENTITIES:
            config.add_legal_entity(self.admin, entity)
        for field, values in CLASSIFICATIONS.items():
            config.set_classification(self.admin, field, values)
        for name, values in DIMENSIONS.items():
            config.set_dimension_type(self.admin, name, values)
        for definition in CUSTOM_FIELDS:
            config.set_custom_field(self.admin, definition)
        for terms in PAYMENT_TERMS:
            config.save_payment_terms(self.admin, terms)
        for price_list in PRICE_LISTS:
            config.save_price_list(self.admin, price_list)
        config.update_settings(
            self.admin,
            {
                "standard_price_list": "STD-MYR",
                "time_zone": "Asia/Kuala_Lumpur",
                "grace_days": 5,
                "credit_group_policies": {"Walk-in": "off", "Retail Chains": "warn"},
                "use_last_price": True,
            },
        )
        self.count("legal entities", len(ENTITIES))
        self.count("payment terms", len(PAYMENT_TERMS))
        self.count("price lists", len(PRICE_LISTS))

    @contextmanager
    def all_green(self) -> Iterator[None]:
        """Bulk loading applies at once; the SPEC's lanes come back afterwards."""
        config = self.cm.configuration
        # A hard delete stays red: no tenant may lower it.
        operations = ("create", "update", "deactivate", "reactivate", "merge")
        for operation in operations:
            config.set_approval_lane(self.admin, operation, "green")
        yield
        for operation in operations:
            config.set_approval_lane(self.admin, operation, "yellow")
        config.set_approval_lane(self.admin, "create", "green", kind="individual")

    def create_customers(self, n: int, tick: Progress) -> list[Data]:
        created = []
        for _ in range(n):
            payload = self.factory.customer_payload()
            outcome = self.cm.customers.create(self.admin, payload)
            customer = outcome.applied
            created.append(
                {
                    "id": customer.id,
                    "code": customer.code,
                    "entity": customer.legal_entity,
                    "currency": customer.currency,
                    "kind": customer.kind,
                    "limit": customer.credit_limit,
                    "group": customer.customer_group,
                }
            )
            self.count("customers")
            self.count("warnings on create", len(outcome.warnings))
            tick(1)
        return created

    # -- receivables ---------------------------------------------------------------

    def receivables(self, customers: list[Data]) -> None:
        """Invoices, payments, credit notes and applications (``demo_receivables``), open
        orders and invoiced rates, fed as a host would."""
        storage: Any = self.cm.storage.receivables
        rng = self.rng
        for customer in customers:
            if customer["kind"] != "company" or rng.random() < 0.3:
                continue
            currency, entity = customer["currency"], customer["entity"]
            limit = customer["limit"] or Decimal(50_000)
            feed_customer(self.cm, self.admin, rng, self.today, customer, self.count)
            if rng.random() < 0.4:
                amount = (limit * Decimal(rng.uniform(0.05, 0.3))).quantize(Decimal("0.01"))
                storage.add_order(
                    self.tenant,
                    OpenOrder(
                        number=f"SO-{customer['code']}",
                        customer_id=customer["id"],
                        entity=entity,
                        amount=amount,
                        currency=currency,
                    ),
                )
                self.count("open orders")
            if rng.random() < 0.3:
                item_code = rng.choice(list(ITEMS))
                unit = (ITEMS[item_code] * FX[currency] * Decimal("0.95")).quantize(Decimal("0.01"))
                self.cm.pricing.record_invoiced_rate(
                    self.admin,
                    customer["id"],
                    item_code=item_code,
                    unit_price=unit,
                    currency=currency,
                    invoiced_on=self.today - timedelta(days=10),
                )
                self.count("invoiced rates")

    # -- holds, notes, requests waiting for approval --------------------------------

    def holds_and_notes(self, customers: list[Data]) -> None:
        companies = [c for c in customers if c["kind"] == "company"]
        for customer in companies[3:6]:
            self.cm.credit.set_hold(
                self.admin, customer["id"], reason="Cheque returned unpaid; pending settlement"
            )
            self.count("credit holds")
        for customer in self.rng.sample(companies, k=min(20, len(companies))):
            self.cm.audit.add_note(
                self.admin,
                customer["id"],
                self.rng.choice(
                    [
                        "Called AP about the overdue invoices; promised payment by Friday.",
                        "Asked for e-invoicing; tax id verified against the registry.",
                        "Visited the site; new warehouse opening next quarter.",
                        "Requested a higher credit limit for the festive season.",
                    ]
                ),
            )
            self.count("notes")

    def pending_requests(self, customers: list[Data], duplicates: tuple[str, str]) -> None:
        sam = Actor(self.tenant, "sam", {"sales_admin"})
        carlos = Actor(self.tenant, "carlos", {"controller"})
        olivia = Actor(self.tenant, "olivia", {"admin"})
        ana = Actor(self.tenant, "ana", {"admin", "ar_manager"})
        companies = [c for c in customers if c["kind"] == "company"]
        first = self.cm.customers.get(self.admin, companies[0]["id"])
        bigger = str((first.credit_limit or Decimal(0)) + Decimal(50_000))
        update = self.cm.customers.update(sam, first.id, {"credit_limit": bigger}, version=first.version)
        new = self.cm.customers.create(
            sam,
            {
                "name": "Penang Precision Tools Sdn Bhd",
                "kind": "company",
                "legal_entity": "MY01",
                "email": "ap@penangprecision.com.my",
                "currency": "MYR",
                "payment_terms": "NET30",
                "credit_limit": "80000",
                "customer_group": "SMB",
                "addresses": [
                    {
                        "purposes": ["billing"],
                        "default_for": ["billing"],
                        "line1": "8 Lebuh Pantai",
                        "city": "George Town",
                        "postal_code": "10300",
                        "country": "MY",
                    }
                ],
            },
        )
        quiet = companies[-1]
        self.cm.customers.deactivate(sam, quiet["id"], version=None)
        self.cm.lifecycle.merge(carlos, *duplicates)
        pending = 4
        walk_in = next((c for c in reversed(customers) if c["kind"] == "individual"), None)
        if walk_in is not None:
            self.cm.lifecycle.hard_delete(olivia, walk_in["id"])
            pending += 1
        if update.change_request is not None:
            self.cm.approvals.approve(ana, update.change_request.id, comment="Seasonal uplift is fine by AR")
        self.count("change requests pending", pending if new.change_request else pending - 1)

    def duplicates(self) -> tuple[str, str]:
        """Two records of one customer, typed in twice: the merge waiting for approval."""
        base: Data = {
            "kind": "company",
            "legal_entity": "SG01",
            "currency": "SGD",
            "payment_terms": "NET30",
            "customer_group": "SMB",
            "region": "Singapore",
        }
        target = self.cm.customers.create(
            self.admin, base | {"name": "Harbourfront Foods Pte Ltd", "email": "ap@harbourfrontfoods.com.sg"}
        )
        source = self.cm.customers.create(
            self.admin,
            base | {"name": "Harbourfront Foods Pte. Ltd.", "email": "accounts@harbourfrontfoods.com.sg"},
        )
        self.count("customers", 2)
        return source.applied.id, target.applied.id

    # -- keys -------------------------------------------------------------------------

    def api_keys(self) -> list[Data]:
        keys = []
        for user, roles, label in (
            ("ana", ["admin", "ar_manager"], "demo: AR manager and administrator"),
            ("carlos", ["controller"], "demo: controller (approves the second step)"),
            ("sam", ["sales_admin"], "demo: salesperson (submits changes)"),
            ("dana", ["cfo"], "demo: CFO (approves hard deletes)"),
            ("mei", ["ar_manager"], "demo: second AR manager (approves the first step of ana's requests)"),
            ("vic", ["viewer"], "demo: viewer (reads, credit figures and bank numbers masked)"),
        ):
            secret, _key = self.cm.access.create_api_key(self.tenant, user, roles, label=label)
            keys.append({"user": user, "roles": roles, "secret": secret, "does": DEMO_DUTIES[user]})
        return keys


# Who does what in the demo: every lane's steps can be taken by someone other than the
# submitter (the submitter may not approve their own request, R-10.2).
DEMO_DUTIES = {
    "ana": "submits changes, imports, batch holds; approves step 1 (AR manager) of sam's requests",
    "sam": "submits creates, edits and clones (sales admin)",
    "mei": "approves step 1 (AR manager) of ana's requests",
    "carlos": "approves step 2 (controller) of yellow and red requests; merges",
    "dana": "approves step 3 (CFO) of red requests (hard delete, erasure)",
    "vic": "reads only: sees credit figures and bank numbers masked",
}


def seed_demo_tenant(
    cm: CustomerMaster,
    *,
    tenant: str = "demo",
    customers: int = 300,
    seed: int = 2026,
    progress: bool = False,
) -> Data:
    """Seed the demo tenant and return what was made, with the API keys (shown once)."""
    seeder = DemoSeeder(cm, tenant, seed)
    seeder.configure()
    with _progress(progress, customers) as tick, seeder.all_green():
        made = seeder.create_customers(customers, tick)
        seeder.receivables(made)
        seeder.holds_and_notes(made)
        duplicates = seeder.duplicates()
    seeder.pending_requests(made, duplicates)
    return {"tenant": tenant, "counts": seeder.counts, "keys": seeder.api_keys()}


@contextmanager
def _progress(show: bool, total: int) -> Iterator[Progress]:
    if not show:
        yield lambda _n: None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True) as bar:
        task = bar.add_task("Creating customers", total=total)
        yield lambda n: bar.advance(task, n)
