"""A tiny sales module plugged into customer-master through the ``customer_master``
entry-point group (SPEC R-15.3).

It keeps, per tenant, a ledger of the customers it has heard of (code, name, whether
new orders are blocked) and of the sales orders it holds. A deactivated customer is
blocked from new orders until it is reactivated (R-4.1), and a customer with orders has
transaction history, so it cannot be hard-deleted (R-4.2).

>>> ledger = Ledger()
>>> ledger.place_order("acme", "c1", "SO-1")
Traceback (most recent call last):
...
sales_plugin.OrderRefused: customer c1 is unknown to sales
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field

from customer_master import HistoryAnswer, hookimpl
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event

__all__ = ["LEDGER", "Ledger", "OrderRefused", "SeenCustomer"]


class OrderRefused(Exception):
    """The sales module will not take a new order for this customer."""


@define
class SeenCustomer:
    """What sales knows of one customer."""

    code: str
    name: str
    version: int
    blocked: bool = False
    events: list[str] = field(factory=list)


@define
class Ledger:
    """Customers heard of and orders held, per tenant."""

    customers: dict[tuple[str, str], SeenCustomer] = field(factory=dict)
    orders: dict[tuple[str, str], list[str]] = field(factory=dict)
    event_ids: list[str] = field(factory=list)

    def hear(self, event: Event, customer: Customer, *, blocked: bool | None = None) -> None:
        key = (customer.tenant, customer.id)
        seen = self.customers.get(key) or SeenCustomer(customer.code, customer.name, customer.version)
        seen.name, seen.version = customer.name, customer.version
        if blocked is not None:
            seen.blocked = blocked
        seen.events.append(event.name)
        self.customers[key] = seen
        self.event_ids.append(event.id)

    def seen(self, tenant: str, customer_id: str) -> SeenCustomer | None:
        return self.customers.get((tenant, customer_id))

    def place_order(self, tenant: str, customer_id: str, number: str) -> None:
        """Take a sales order for a customer sales has heard of and that is not blocked."""
        seen = self.seen(tenant, customer_id)
        if seen is None:
            raise OrderRefused(f"customer {customer_id} is unknown to sales")
        if seen.blocked:
            raise OrderRefused(f"customer {seen.code} is deactivated; no new orders")
        self.orders.setdefault((tenant, customer_id), []).append(number)

    def reset(self) -> None:
        self.customers.clear()
        self.orders.clear()
        self.event_ids.clear()


# The module's state: one ledger for the process, as a host module would keep in its tables.
LEDGER = Ledger()


@hookimpl
def customer_created(event: Event, customer: Customer) -> None:
    LEDGER.hear(event, customer, blocked=not customer.is_active)


@hookimpl
def customer_updated(event: Event, customer: Customer, changes: Mapping[str, Any]) -> None:
    LEDGER.hear(event, customer)


@hookimpl
def customer_deactivated(event: Event, customer: Customer) -> None:
    LEDGER.hear(event, customer, blocked=True)


@hookimpl
def customer_reactivated(event: Event, customer: Customer) -> None:
    LEDGER.hear(event, customer, blocked=False)


@hookimpl
def has_transaction_history(tenant: str, customer_id: str) -> HistoryAnswer | None:
    orders = LEDGER.orders.get((tenant, customer_id), [])
    if not orders:
        return None
    return HistoryAnswer(module="sales", count=len(orders), detail=f"sales orders {', '.join(orders)}")
