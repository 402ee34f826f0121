"""The inputs of the rules as declared ports (R-7.2, R-13.1): a host plugs its own
last-price port in at ``from_url``, and codes its feed against ``ReceivablesFeed``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from customer_master import Actor, CustomerMaster
from customer_master.domain.pricing import LastPrice
from customer_master.ports import ReceivablesFeed
from customer_master.services.receivables import as_feed

ADMIN = Actor("acme", "ana", {"admin"})


class HostPrices:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str, date, str]] = []

    def last_prices(
        self, tenant: str, customer_id: str, item_code: str, *, on: date, currency: str
    ) -> Sequence[LastPrice]:
        self.asked.append((tenant, item_code, on, currency))
        return [LastPrice(unit_price=Decimal("7.25"), currency="MYR", invoiced_on=date(2026, 2, 1))]


def test_a_host_plugs_its_last_price_port_in_at_from_url() -> None:
    host = HostPrices()
    cm = CustomerMaster.from_url("memory://", load_entry_points=False, last_prices=host)
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    cm.configuration.set_approval_lane(ADMIN, "create", "green")
    cm.configuration.update_settings(ADMIN, {"use_last_price": True})
    customer = cm.customers.create(ADMIN, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"})

    found = cm.pricing.resolve(ADMIN, customer.applied.id, entity="MY01", item_code="BOLT", quantity="3",
                               on=date(2026, 3, 1))  # fmt: skip

    assert (found.source, found.unit_price) == ("last_price", Decimal("7.25"))
    assert host.asked == [("acme", "BOLT", date(2026, 3, 1), "MYR")]


def test_the_facade_service_is_the_feed_port() -> None:
    cm = CustomerMaster.from_url("memory://", load_entry_points=False)
    feed: ReceivablesFeed = as_feed(cm.receivables)
    assert feed is cm.receivables
