"""A walk through customer-master on the in-memory storage (``make demo``).

It sets up an organisation with three legal entities, creates customers with their
addresses, contacts and entity overrides, shows a refused customer with every problem
at once, a warning, a partial update with record actions, and what each legal entity
sees of a customer (its effective view).
"""

from __future__ import annotations

from datetime import UTC, datetime

from customer_master import Actor, CustomerMaster, ValidationFailed
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.customer import Customer
from customer_master.domain.effective import EffectiveView
from customer_master.errors import FieldWarning
from customer_master.services.base import Outcome

ENTITIES = [
    ("MY01", "Acme Malaysia Sdn Bhd", "MYR"),
    ("SG01", "Acme Singapore Pte Ltd", "SGD"),
    ("US01", "Acme Inc", "USD"),
]


def heading(title: str) -> None:
    print()
    print(title)
    print("=" * len(title))


def show_warnings(warnings: tuple[FieldWarning, ...]) -> None:
    for warning in warnings:
        print(f"  warning  {warning.path}: {warning.message}")


def applied(outcome: Outcome[Customer]) -> Customer:
    """The stored customer (every lane of this demo tenant is green, so nothing waits)."""
    assert outcome.value is not None, "the change waits for approval"
    return outcome.value


def show_customer(customer: Customer) -> None:
    print(f"  {customer.code}  {customer.name}  ({customer.kind}, owned by {customer.legal_entity}, "
          f"version {customer.version}, {customer.status})")  # fmt: skip
    for address in customer.addresses:
        default = f" - default for {', '.join(address.default_for)}" if address.default_for else ""
        where = f" [{address.entity} only]" if address.entity else ""
        place = f"{address.label or address.line1}: {address.city}, {address.country}"
        print(f"    address  {place}{default}{where}")
    for contact in customer.contacts:
        primary = " (primary)" if contact.is_primary else ""
        print(f"    contact  {contact.name}{primary} {', '.join(contact.roles)}")


def show_view(view: EffectiveView) -> None:
    c = view.customer
    enabled = "may be used" if view.is_enabled else "NOT enabled"
    print(f"  {view.entity}: {enabled}")
    for label, name in (("credit limit", "credit_limit"), ("payment terms", "payment_terms"),
                        ("currency", "currency"), ("salesperson", "salesperson")):  # fmt: skip
        source = "override" if name in view.overridden else "master"
        value = getattr(c, name)
        print(f"      {label:<14} {value if value is not None else '-':<12} ({source})")
    billing, shipping = view.default_address("billing"), view.default_address("shipping")
    print(f"      {'bill to':<14} {billing.label if billing else '-'}")
    print(f"      {'ship to':<14} {shipping.label if shipping else '-'}")


def configure(cm: CustomerMaster, admin: Actor) -> None:
    heading("1. The organisation")
    for code, name, currency in ENTITIES:
        cm.configuration.add_legal_entity(admin, {"code": code, "name": name, "currency": currency})
        print(f"  legal entity {code}  {name} ({currency})")
    # This demo applies every change at once; a real tenant routes them through approval lanes.
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(admin, operation, "green")
    for code, days in (("NET30", 30), ("NET60", 60)):
        cm.configuration.save_payment_terms(admin, {
            "code": code, "name": f"Net {days}",
            "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": days}],
                       "discount": None}],
        })  # fmt: skip
        print(f"  payment terms {code}: everything due {days} days after the invoice date")
    cm.configuration.set_classification(admin, "customer_group", ["Trade", "Retail", "Government"])
    cm.configuration.set_classification(admin, "region", ["APAC", "EMEA", "AMER"])
    print("  customer groups: Trade, Retail, Government;  regions: APAC, EMEA, AMER")


def create_customers(cm: CustomerMaster, admin: Actor) -> Customer:
    heading("2. New customers")
    acme = applied(cm.customers.create(admin, {
        "name": "Acme Trading Sdn Bhd", "kind": "company", "legal_entity": "MY01",
        "email": "AP@Acme-Trading.Example", "phone": "+60 3-2161 0000",
        "customer_group": "Trade", "region": "APAC", "currency": "MYR",
        "payment_terms": "NET30", "credit_limit": "50000.00", "salesperson": "Aminah",
        "tax_ids": [{"scheme": "my.brn", "number": "201901000005-x", "is_primary": True}],
        "addresses": [
            {"label": "Head office", "purposes": ["billing", "hq"], "default_for": ["billing", "hq"],
             "line1": "1 Jalan Ampang", "city": "Kuala Lumpur", "country": "MY"},
            {"label": "Port Klang Warehouse", "purposes": ["shipping"], "default_for": ["shipping"],
             "line1": "Lot 5, Jalan Kem", "city": "Klang", "country": "MY"},
            {"label": "Tuas Warehouse", "purposes": ["shipping"], "default_for": ["shipping"],
             "line1": "8 Tuas Avenue", "city": "Singapore", "country": "SG", "entity": "SG01"},
        ],
        "contacts": [
            {"name": "Siti Rahman", "roles": ["accounts_payable"], "email": "siti@acme-trading.example",
             "is_primary": True},
            {"name": "Wei Chen", "roles": ["procurement"]},
        ],
        "overrides": [{"entity": "SG01", "credit_limit": "20000.00", "currency": "SGD",
                       "payment_terms": "NET60", "salesperson": "Wei Ling"}],
        "enabled_entities": ["SG01"],
    }))  # fmt: skip
    show_customer(acme)
    print(f"    e-mail stored as {acme.email}, phone as {acme.phone}, "
          f"tax id as {acme.tax_ids[0].number}")  # fmt: skip

    walk_in = cm.customers.create(admin, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"})
    show_customer(applied(walk_in))
    return acme


def refused_and_warned(cm: CustomerMaster, admin: Actor) -> None:
    heading("3. A customer with mistakes is refused, with every problem at once")
    try:
        cm.customers.create(admin, {
            "name": "Globe Imports", "kind": "company", "legal_entity": "MY01",
            "email": "accounts-at-globe", "customer_group": "VIP", "payment_terms": "NET90",
            "addresses": [{"purposes": ["billing"], "line1": "2 Jalan Tun", "city": "Penang",
                           "country": "Malyasia"}],
            "bank_accounts": [{"iban": "GB82 WEST 1234 5698 7654 33"}],
        })  # fmt: skip
    except ValidationFailed as refused:
        for error in refused.errors:
            print(f"  {error.path:<22} {error.code:<18} {error.message}")
    print("  (nothing was stored; the next customer still gets the next code)")

    heading("4. Warnings do not stop a customer")
    similar = cm.customers.create(admin, {
        "name": "ACME Trading Sdn. Bhd", "kind": "company", "legal_entity": "SG01",
        "email": "ap@acme-sg.example", "credit_limit": "2500000",
    })  # fmt: skip
    show_customer(applied(similar))
    show_warnings(similar.warnings)


def update(cm: CustomerMaster, admin: Actor, acme: Customer) -> Customer:
    heading("5. A partial update with record actions")
    old_warehouse = next(a for a in acme.addresses if a.label == "Port Klang Warehouse")
    head_office = next(a for a in acme.addresses if a.label == "Head office")
    changed = cm.customers.update(admin, acme.id, {
        "salesperson": "Badrul",
        "addresses": [
            {"action": "add", "label": "Shah Alam DC", "purposes": ["shipping"], "default_for": ["shipping"],
             "line1": "9 Jalan Kebun", "city": "Shah Alam", "country": "MY"},
            {"action": "update", "id": head_office.id, "city": "Petaling Jaya"},
            {"action": "delete", "id": old_warehouse.id},
        ],
        "overrides": [{"action": "add", "entity": "US01", "credit_limit": "10000.00", "currency": "USD"}],
    }, version=acme.version)  # fmt: skip
    show_customer(applied(changed))
    with cm.storage.unit_of_work() as uow:
        last = uow.audit.for_customer(admin.tenant, acme.id)[-1]
    print(f"  the audit record lists what changed: {', '.join(sorted(last.changes))}")
    return applied(changed)


def effective_views(cm: CustomerMaster, admin: Actor, acme: Customer) -> None:
    heading(f"6. What each legal entity sees of {acme.name}")
    for code, _, _ in ENTITIES:
        show_view(cm.customers.effective_view(admin, acme.id, code))


def what_hosts_heard(cm: CustomerMaster, admin: Actor) -> None:
    heading("7. Events for host modules (after each commit, also in the outbox)")
    with cm.storage.unit_of_work() as uow:
        for event in uow.outbox.pending():
            customer = event.payload.get("customer", {})
            print(f"  {event.name:<22} {customer.get('code', ''):<10} id {event.id[:8]}…")
    sales = cm.hooks.manager.get_plugin("sales")
    if sales is not None:  # the example host module, found through its entry point
        seen = [c for (tenant, _), c in sales.LEDGER.customers.items() if tenant == admin.tenant]
        print(f"  the sales module heard {len(sales.LEDGER.event_ids)} events and knows "
              f"{', '.join(f'{c.code} ({c.name})' for c in seen)}")  # fmt: skip


def main() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    cm = CustomerMaster.from_url("memory://", clock=clock)
    admin = Actor("acme", "ana", {"admin"})
    configure(cm, admin)
    acme = create_customers(cm, admin)
    refused_and_warned(cm, admin)
    acme = update(cm, admin, acme)
    effective_views(cm, admin, acme)
    what_hosts_heard(cm, admin)
    cm.close()


if __name__ == "__main__":
    main()
