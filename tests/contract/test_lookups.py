"""The rule hot paths' reads (``Storage.lookups``) give what the units of work give, see
every committed change at once, even one made through another storage, and never see
what is not committed (R-1.9, R-16.1)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from attrs import evolve
from contract_values import add_committed, full_customer, plain_customer

from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import PricingTier
from customer_master.domain.serialize import to_data
from customer_master.ports import Storage


def _update(storage: Storage, changed: object, expected_version: int) -> None:
    with storage.unit_of_work() as uow:
        uow.customers.update(changed, expected_version=expected_version)  # type: ignore[arg-type]
        uow.commit()


def test_a_looked_up_customer_is_the_stored_one_exactly(storage: Storage) -> None:
    customer = full_customer()
    add_committed(storage, customer)

    found = storage.lookups.customer("acme", "c1")

    assert found == customer
    assert to_data(found) == to_data(customer)
    assert storage.lookups.customer("acme", "nobody") is None
    assert storage.lookups.customer("other", "c1") is None  # another tenant's id


def test_each_committed_change_is_seen_by_the_next_look_up(open_shared: Callable[[], Storage]) -> None:
    reader, writer = open_shared(), open_shared()
    add_committed(writer, plain_customer(1))
    assert reader.lookups.customer("acme", "c1") == plain_customer(1)  # now kept decoded

    for version in range(1, 4):
        current = reader.lookups.customer("acme", "c1")
        assert current is not None
        assert current.version == version
        price = Decimal(current.version * 10)
        tier = PricingTier(
            id="t1", item_code="ITEM-1", unit_price=price, currency="MYR", min_quantity=Decimal(0)
        )
        _update(writer, evolve(current, name=f"Renamed {version}", pricing_tiers=(tier,)), version)

    final = reader.lookups.customer("acme", "c1")
    assert final is not None
    assert (final.version, final.name) == (4, "Renamed 3")
    assert [t.unit_price for t in final.pricing_tiers] == [Decimal(30)]


def test_an_uncommitted_change_is_not_looked_up(storage: Storage) -> None:
    add_committed(storage, plain_customer(1))
    before = storage.lookups.customer("acme", "c1")
    assert before is not None

    with storage.unit_of_work() as uow:
        uow.customers.update(evolve(before, name="Not yet"), expected_version=before.version)
        uow.customers.add(plain_customer(2))
        # The memory storage's look-ups read its committed state without the lock this
        # unit of work holds; SQL look-ups read on a connection of their own.
        assert storage.lookups.customer("acme", "c1") == before
        assert storage.lookups.customer("acme", "c2") is None
        # rolled back here

    assert storage.lookups.customer("acme", "c1") == before


def test_the_looked_up_configuration_follows_its_versions(open_shared: Callable[[], Storage]) -> None:
    reader, writer = open_shared(), open_shared()
    assert reader.lookups.configuration("acme") == TenantConfiguration(tenant="acme")

    for version in (1, 2):
        with writer.unit_of_work() as uow:
            config = evolve(uow.configuration.get("acme"), version=version)
            uow.configuration.save(config, expected_version=version - 1)
            uow.commit()
        assert reader.lookups.configuration("acme").version == version
