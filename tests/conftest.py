"""Fixtures shared by every test: a façade over a fresh storage, a tenant with legal
entities, actors and a clock that stands still."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS

TENANT = "acme"
OTHER_TENANT = "globex"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture(params=["memory://", "sqlite"], ids=["memory", "sqlite"])
def storage_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The storage every façade test runs on: memory, and a fresh SQLite file (a copy of
    one migrated once per run). PostgreSQL and MariaDB run the storage contract suite
    (tests/contract/) rather than every façade test: a fresh database per test costs
    too much there."""
    if request.param != "sqlite":
        return str(request.param)
    template = tmp_path_factory.getbasetemp() / "customer-master-template.db"
    if not template.exists():
        from customer_master_sql import migrate

        migrate(f"sqlite:///{template}")
    database = tmp_path_factory.mktemp("sqlite") / "customer-master.db"
    shutil.copyfile(template, database)
    return f"sqlite:///{database}"


@pytest.fixture
def cm(storage_url: str, clock: FixedClock) -> Iterator[CustomerMaster]:
    master = CustomerMaster.from_url(storage_url, clock=clock, load_entry_points=False)
    yield master
    master.close()


@pytest.fixture
def admin() -> Actor:
    return Actor(TENANT, "ana", {"admin", "sales_admin", "ar_manager", "controller"})


@pytest.fixture
def outsider() -> Actor:
    return Actor(OTHER_TENANT, "otto", {"admin", "sales_admin"})


@pytest.fixture
def tenant(cm: CustomerMaster, admin: Actor) -> CustomerMaster:
    """A tenant with three legal entities (Malaysia, Singapore, United States) whose
    changes apply at once (every approval lane green); the approval specs use
    ``tenant_with_approvals`` instead."""
    make_tenant(cm, admin)
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(admin, operation, "green")
    return cm


@pytest.fixture
def tenant_with_approvals(cm: CustomerMaster, admin: Actor) -> CustomerMaster:
    """The same tenant with the SPEC's default approval lanes (R-10.1)."""
    make_tenant(cm, admin)
    return cm


def make_tenant(cm: CustomerMaster, admin: Actor) -> CustomerMaster:
    for code, name, currency in (
        ("MY01", "Acme Malaysia Sdn Bhd", "MYR"),
        ("SG01", "Acme Singapore Pte Ltd", "SGD"),
        ("US01", "Acme Inc", "USD"),
    ):
        cm.configuration.add_legal_entity(admin, {"code": code, "name": name, "currency": currency})
    return cm
