"""The example host plugin (examples/sales_plugin) is found through the
``customer_master`` entry-point group and hears customer events (SPEC R-15.3, R-15.1)."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from customer_master import Actor, CustomerMaster, HistoryAnswer
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS

sales_plugin = pytest.importorskip(
    "sales_plugin", reason="install it with: pip install -e examples/sales_plugin"
)

TENANT = "plugin-test"


@pytest.fixture
def ledger() -> Iterator[object]:
    sales_plugin.LEDGER.reset()
    yield sales_plugin.LEDGER
    sales_plugin.LEDGER.reset()


@pytest.fixture
def cm_with_entry_points(ledger: object) -> Iterator[CustomerMaster]:
    """A façade built the way a host builds it: entry points loaded (the default)."""
    master = CustomerMaster.from_url("memory://", clock=FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    yield master
    master.close()


@pytest.fixture
def actor(cm_with_entry_points: CustomerMaster) -> Actor:
    actor = Actor(TENANT, "ana", {"admin"})
    configuration = cm_with_entry_points.configuration
    configuration.add_legal_entity(actor, {"code": "MY01", "name": "Acme Malaysia"})
    for operation in OPERATIONS:
        configuration.set_approval_lane(actor, operation, "green")
    return actor


def _walk_in(cm: CustomerMaster, actor: Actor, name: str) -> str:
    payload = {"name": name, "kind": "individual", "legal_entity": "MY01"}
    created = cm.customers.create(actor, payload).value
    assert created is not None
    return created.id


def test_the_sales_plugin_is_found_through_the_entry_point_group(
    cm_with_entry_points: CustomerMaster,
) -> None:
    manager = cm_with_entry_points.hooks.manager
    assert manager.get_plugin("sales") is sales_plugin
    assert ("sales", sales_plugin) in [(name, plugin) for name, plugin in manager.list_name_plugin()]


def test_a_facade_without_entry_points_does_not_load_the_sales_plugin() -> None:
    master = CustomerMaster.from_url("memory://", load_entry_points=False)
    assert master.hooks.manager.get_plugin("sales") is None


def test_the_sales_plugin_hears_of_a_new_customer(
    cm_with_entry_points: CustomerMaster, actor: Actor, ledger: object
) -> None:
    customer_id = _walk_in(cm_with_entry_points, actor, "Kedai Ali")
    seen = sales_plugin.LEDGER.seen(TENANT, customer_id)
    assert seen is not None
    assert (seen.code, seen.name, seen.version, seen.blocked) == ("CUS-0001", "Kedai Ali", 1, False)
    assert seen.events == ["customer_created"]


def test_a_deactivated_customer_is_blocked_from_new_orders_until_reactivated(
    cm_with_entry_points: CustomerMaster, actor: Actor
) -> None:
    cm = cm_with_entry_points
    customer_id = _walk_in(cm, actor, "Kedai Ali")
    sales_plugin.LEDGER.place_order(TENANT, customer_id, "SO-1")

    cm.customers.deactivate(actor, customer_id)
    with pytest.raises(sales_plugin.OrderRefused, match="CUS-0001 is deactivated"):
        sales_plugin.LEDGER.place_order(TENANT, customer_id, "SO-2")

    cm.customers.reactivate(actor, customer_id)
    sales_plugin.LEDGER.place_order(TENANT, customer_id, "SO-3")
    seen = sales_plugin.LEDGER.seen(TENANT, customer_id)
    assert seen.events == ["customer_created", "customer_deactivated", "customer_reactivated"]
    assert sales_plugin.LEDGER.orders[(TENANT, customer_id)] == ["SO-1", "SO-3"]


def test_the_sales_plugin_hears_updates_with_the_new_version(
    cm_with_entry_points: CustomerMaster, actor: Actor
) -> None:
    cm = cm_with_entry_points
    customer_id = _walk_in(cm, actor, "Kedai Ali")
    cm.customers.update(actor, customer_id, {"name": "Kedai Ali & Sons"}, version=1)
    seen = sales_plugin.LEDGER.seen(TENANT, customer_id)
    assert (seen.name, seen.version, seen.events[-1]) == ("Kedai Ali & Sons", 2, "customer_updated")


def test_the_sales_plugin_reports_history_only_for_customers_with_orders(
    cm_with_entry_points: CustomerMaster, actor: Actor
) -> None:
    cm = cm_with_entry_points
    with_orders = _walk_in(cm, actor, "Kedai Ali")
    without_orders = _walk_in(cm, actor, "Kedai Bala")
    sales_plugin.LEDGER.place_order(TENANT, with_orders, "SO-1")
    sales_plugin.LEDGER.place_order(TENANT, with_orders, "SO-2")

    assert cm.hooks.transaction_history(TENANT, with_orders) == HistoryAnswer(
        module="sales", count=2, detail="sales orders SO-1, SO-2"
    )
    assert cm.hooks.transaction_history(TENANT, without_orders) is None


def test_the_sales_plugin_hears_each_event_once_with_the_outbox_ids(
    cm_with_entry_points: CustomerMaster, actor: Actor
) -> None:
    cm = cm_with_entry_points
    first = _walk_in(cm, actor, "Kedai Ali")
    _walk_in(cm, actor, "Kedai Bala")
    cm.customers.deactivate(actor, first)
    with cm.storage.unit_of_work() as uow:
        outbox_ids = [event.id for event in uow.outbox.pending()]
    assert sales_plugin.LEDGER.event_ids == outbox_ids
    assert len(set(outbox_ids)) == 3


def test_the_sales_plugin_examples_run() -> None:
    result = doctest.testmod(sales_plugin)
    assert result.attempted >= 1
    assert result.failed == 0
