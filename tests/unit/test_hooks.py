"""When host plugins hear of changes: only after commit, never for a rolled-back change,
in commit order, each event with its own id and also written to the outbox (SPEC R-15.2);
plugins registered in code take part in validation and defaults (R-15.3)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pytest

from customer_master import Actor, Conflict, CustomerMaster, FieldError, ValidationFailed, hookimpl
from customer_master.clock import FixedClock
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event
from customer_master.domain.search import CustomerQuery


class Listener:
    """Notes every customer event; optionally reads the customer back through the façade
    while hearing of it."""

    def __init__(self, cm: CustomerMaster | None = None) -> None:
        self.cm = cm
        self.heard: list[tuple[Event, Customer]] = []
        self.read_back: list[Customer | None] = []

    def _hear(self, event: Event, customer: Customer) -> None:
        self.heard.append((event, customer))
        if self.cm is not None:
            reader = Actor(event.tenant, "listener", {"auditor"})
            found = self.cm.customers.search(reader, CustomerQuery(status="any")).items
            self.read_back.append(next((c for c in found if c.id == customer.id), None))

    @hookimpl
    def customer_created(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @hookimpl
    def customer_updated(self, event: Event, customer: Customer, changes: Mapping[str, Any]) -> None:
        self._hear(event, customer)

    @hookimpl
    def customer_deactivated(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @hookimpl
    def customer_reactivated(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @property
    def names(self) -> list[str]:
        return [event.name for event, _ in self.heard]


class Exploding:
    """A host check that fails with an exception instead of returning errors."""

    @hookimpl
    def validate_customer(self, tenant: str, customer: Customer, operation: str) -> list[FieldError] | None:
        if customer.name.startswith("Boom"):
            raise RuntimeError("the sales database is down")
        return None


def walk_in(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "kind": "individual", "legal_entity": "MY01", **more}


def outbox(cm: CustomerMaster) -> list[Event]:
    with cm.storage.unit_of_work() as uow:
        return list(uow.outbox.pending(limit=100_000))


def stored(cm: CustomerMaster, actor: Actor) -> tuple[tuple[Customer, ...], int, int]:
    customers = cm.customers.search(actor, CustomerQuery(status="any", limit=1000)).items
    with cm.storage.unit_of_work() as uow:
        audit = len(uow.audit.for_tenant(actor.tenant))
    return customers, audit, len(outbox(cm))


@pytest.fixture
def listener(tenant: CustomerMaster) -> Listener:
    plugin = Listener(tenant)
    tenant.hooks.register(plugin)
    return plugin


# ---------------------------------------------------------------------------
# After commit only
# ---------------------------------------------------------------------------


def test_a_listener_reading_back_inside_the_hook_already_sees_each_change(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    tenant.customers.update(admin, created.id, {"salesperson": "Aminah"}, version=1)
    tenant.customers.deactivate(admin, created.id)
    tenant.customers.reactivate(admin, created.id)

    assert listener.names == [
        "customer_created", "customer_updated", "customer_deactivated", "customer_reactivated",
    ]  # fmt: skip
    # What the hook read through the façade is exactly what it was told about.
    assert listener.read_back == [customer for _, customer in listener.heard]
    assert [c.version for c in listener.read_back if c] == [1, 2, 3, 4]


def test_a_host_check_that_raises_rolls_everything_back_and_the_exception_surfaces(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    tenant.hooks.register(Exploding())
    tenant.customers.create(admin, walk_in("Kedai Ali"))
    before = stored(tenant, admin)

    with pytest.raises(RuntimeError, match="sales database is down"):
        tenant.customers.create(admin, walk_in("Boom Trading"))

    assert stored(tenant, admin) == before
    assert listener.names == ["customer_created"]
    # The code the failed create drew is not lost.
    assert tenant.customers.create(admin, walk_in("Kedai Bala")).value.code == "CUS-0002"


def test_a_host_check_that_raises_on_update_leaves_the_customer_as_it_was(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    tenant.hooks.register(Exploding())
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    before = stored(tenant, admin)

    with pytest.raises(RuntimeError):
        tenant.customers.update(admin, created.id, {"name": "Boom Ali"}, version=1)

    assert stored(tenant, admin) == before
    assert tenant.customers.get(admin, created.id) == created
    assert listener.names == ["customer_created"]


def test_a_version_conflict_delivers_no_event_and_writes_no_outbox_entry(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    tenant.customers.update(admin, created.id, {"salesperson": "Aminah"}, version=1)
    before = stored(tenant, admin)

    with pytest.raises(Conflict) as conflict:
        tenant.customers.update(admin, created.id, {"salesperson": "Badrul"}, version=1)
    with pytest.raises(Conflict):
        tenant.customers.deactivate(admin, created.id, version=1)

    assert conflict.value.current_version == 2
    assert stored(tenant, admin) == before
    assert listener.names == ["customer_created", "customer_updated"]


def test_a_refused_create_delivers_no_event(tenant: CustomerMaster, admin: Actor, listener: Listener) -> None:
    with pytest.raises(ValidationFailed):
        tenant.customers.create(admin, {"name": "Acme", "kind": "company", "legal_entity": "MY01"})
    assert listener.heard == []
    assert outbox(tenant) == []


def test_an_update_that_changes_nothing_delivers_no_event(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    created = tenant.customers.create(admin, walk_in("Kedai Ali", salesperson="Aminah")).value
    same = tenant.customers.update(admin, created.id, {"salesperson": "Aminah"}, version=1)
    assert same.value.version == 1
    assert listener.names == ["customer_created"]
    assert len(outbox(tenant)) == 1


def test_a_failing_event_hook_does_not_undo_the_change_nor_silence_other_plugins(
    tenant: CustomerMaster, admin: Actor, listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        @hookimpl
        def customer_created(self, event: Event, customer: Customer) -> None:
            raise RuntimeError("broker unreachable")

    tenant.hooks.register(Broken())
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value

    assert tenant.customers.get(admin, created.id) == created
    assert listener.names == ["customer_created"]
    assert [e.name for e in outbox(tenant)] == ["customer_created"]
    assert "broker unreachable" in caplog.text


# ---------------------------------------------------------------------------
# Order, ids and the outbox
# ---------------------------------------------------------------------------


def test_events_arrive_in_commit_order_with_unique_ids_and_match_the_outbox(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    ali = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    bala = tenant.customers.create(admin, walk_in("Kedai Bala")).value
    tenant.customers.update(admin, ali.id, {"salesperson": "Aminah"}, version=1)
    tenant.customers.enable_for_entity(admin, bala.id, "SG01")
    tenant.customers.deactivate(admin, ali.id)

    heard = [(event.name, customer.name) for event, customer in listener.heard]
    assert heard == [
        ("customer_created", "Kedai Ali"),
        ("customer_created", "Kedai Bala"),
        ("customer_updated", "Kedai Ali"),
        ("customer_updated", "Kedai Bala"),
        ("customer_deactivated", "Kedai Ali"),
    ]
    ids = [event.id for event, _ in listener.heard]
    assert len(set(ids)) == 5
    assert [event.id for event in outbox(tenant)] == ids


def test_outbox_events_carry_the_plain_data_of_the_change(
    tenant: CustomerMaster, admin: Actor, clock: FixedClock
) -> None:
    created = tenant.customers.create(admin, walk_in("Kedai Ali", credit_limit="500.00")).value
    tenant.customers.update(admin, created.id, {"credit_limit": "750.00"}, version=1)

    first, second = outbox(tenant)
    assert (first.name, first.tenant, first.occurred_at) == ("customer_created", "acme", clock.now())
    assert first.payload["customer"]["code"] == "CUS-0001"
    assert first.payload["customer"]["credit_limit"] == "500.00"
    assert second.payload["changes"] == {"credit_limit": {"before": "500.00", "after": "750.00"}}


def test_relayed_events_leave_the_pending_outbox(tenant: CustomerMaster, admin: Actor) -> None:
    tenant.customers.create(admin, walk_in("Kedai Ali"))
    tenant.customers.create(admin, walk_in("Kedai Bala"))
    first, second = outbox(tenant)
    with tenant.storage.unit_of_work() as uow:
        uow.outbox.mark_relayed([first.id])
        uow.commit()
    assert outbox(tenant) == [second]


def test_concurrent_creates_are_heard_in_commit_order_with_gapless_codes(
    tenant: CustomerMaster, admin: Actor, listener: Listener
) -> None:
    def create_some(prefix: str) -> None:
        for number in range(10):
            tenant.customers.create(admin, walk_in(f"{prefix} {number}"))

    threads = [threading.Thread(target=create_some, args=(f"Shop {t}",)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = [customer.code for _, customer in listener.heard]
    assert codes == [f"CUS-{n:04d}" for n in range(1, 41)]
    assert [event.id for event in outbox(tenant)] == [event.id for event, _ in listener.heard]


# ---------------------------------------------------------------------------
# Host checks and defaults (plugins registered in code)
# ---------------------------------------------------------------------------


class Recorder:
    """Notes which operations the host check was asked about."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    @hookimpl
    def validate_customer(self, tenant: str, customer: Customer, operation: str) -> list[FieldError] | None:
        self.asked.append((operation, customer.name))
        return None


def test_the_host_check_is_asked_about_creates_updates_and_reactivations(
    tenant: CustomerMaster, admin: Actor
) -> None:
    recorder = Recorder()
    tenant.hooks.register(recorder)
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    tenant.customers.update(admin, created.id, {"name": "Kedai Ali Baru"}, version=1)
    tenant.customers.deactivate(admin, created.id)
    tenant.customers.reactivate(admin, created.id)
    # Each operation is asked about (a change may be checked again when it is applied).
    assert list(dict.fromkeys(recorder.asked)) == [
        ("create", "Kedai Ali"), ("update", "Kedai Ali Baru"), ("reactivate", "Kedai Ali Baru"),
    ]  # fmt: skip


def test_plugins_passed_to_the_facade_take_part(storage_url: str) -> None:
    recorder = Recorder()
    cm = CustomerMaster.from_url(storage_url, plugins=[recorder], load_entry_points=False)
    actor = Actor("initech", "ana", {"admin"})
    cm.configuration.add_legal_entity(actor, {"code": "MY01", "name": "Initech Malaysia"})
    cm.customers.create(actor, walk_in("Kedai Ali"))
    assert set(recorder.asked) == {("create", "Kedai Ali")}
    cm.close()


class Defaults:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked_with: list[Mapping[str, Any]] = []

    @hookimpl
    def customer_defaults(self, tenant: str, payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
        self.asked_with.append(dict(payload))
        return self.values


def test_the_first_registered_plugin_wins_a_default_and_the_caller_wins_over_all(
    tenant: CustomerMaster, admin: Actor
) -> None:
    first = Defaults({"salesperson": "First desk", "region": "APAC"})
    second = Defaults({"salesperson": "Second desk", "segment": "SME"})
    tenant.hooks.register(first)
    tenant.hooks.register(second)

    plain = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    typed = tenant.customers.create(admin, walk_in("Kedai Bala", region="EMEA")).value

    assert (plain.salesperson, plain.region, plain.segment) == ("First desk", "APAC", "SME")
    assert (typed.salesperson, typed.region) == ("First desk", "EMEA")
    assert first.asked_with[0]["name"] == "Kedai Ali"


def test_defaults_are_asked_only_for_new_customers(tenant: CustomerMaster, admin: Actor) -> None:
    defaults = Defaults({"salesperson": "House account"})
    tenant.hooks.register(defaults)
    created = tenant.customers.create(admin, walk_in("Kedai Ali")).value
    changed = tenant.customers.update(admin, created.id, {"salesperson": None}, version=1).value
    assert changed.salesperson is None
    assert len(defaults.asked_with) == 1
