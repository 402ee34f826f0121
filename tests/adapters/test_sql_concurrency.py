"""Correctness under concurrency on real databases: no lost update under the optimistic
version check (R-1.9) and customer codes without duplicate or gap (R-1.1), with parallel
writers on PostgreSQL, MariaDB and SQLite."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.audit import verify_chain
from customer_master.domain.customer import Customer
from customer_master.errors import Conflict
from customer_master_sql import open_storage

WRITERS = 8
ADMIN = Actor("acme", "ana", {"admin", "sales_admin", "ar_manager", "controller"})


def facade(url: str) -> CustomerMaster:
    return CustomerMaster(
        open_storage(url),
        clock=FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        load_entry_points=False,
    )


@pytest.fixture
def masters(sql_url: str) -> Iterator[list[CustomerMaster]]:
    """One façade per writer over the same database, as separate worker processes would
    have: a façade runs its own changes one at a time (its delivery lock), so only the
    database keeps writers of different façades apart — which is what is tested here."""
    made = [facade(sql_url) for _ in range(WRITERS)]
    first = made[0]
    first.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        first.configuration.set_approval_lane(ADMIN, operation, "green")
    yield made
    for master in made:
        master.close()


def in_parallel(work: Callable[[int], object], count: int = WRITERS) -> list[object]:
    """Run ``work(0)`` … ``work(count - 1)`` at the same moment on ``count`` threads."""
    start = threading.Barrier(count)

    def run(number: int) -> object:
        start.wait()
        return work(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_writers_lose_no_update(masters: list[CustomerMaster]) -> None:
    master = masters[0]
    customer = master.customers.create(
        ADMIN, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
    )
    assert customer.value is not None
    customer_id = customer.value.id
    rounds = 4
    conflicts = []

    def add_tags(writer: int) -> None:
        mine = masters[writer]
        for round_number in range(rounds):
            while True:
                current = mine.customers.get(ADMIN, customer_id)
                tags = [*current.tags, f"w{writer}-{round_number}"]
                try:
                    mine.customers.update(ADMIN, customer_id, {"tags": tags}, version=current.version)
                    break
                except Conflict:
                    conflicts.append(writer)  # someone else won this version: read again

    in_parallel(add_tags)

    final: Customer = master.customers.get(ADMIN, customer_id)
    expected = {f"w{w}-{r}" for w in range(WRITERS) for r in range(rounds)}
    assert set(final.tags) == expected
    assert len(final.tags) == len(expected)
    assert final.version == 1 + WRITERS * rounds
    assert conflicts, "the writers never met: the test proved nothing"
    with master.storage.unit_of_work() as uow:
        trail = uow.audit.for_customer("acme", customer_id)
        everything = uow.audit.for_tenant("acme")
    assert [r.operation for r in trail].count("update") == WRITERS * rounds
    assert verify_chain(everything).is_intact


def test_of_writers_from_the_same_version_exactly_one_wins(masters: list[CustomerMaster]) -> None:
    created = masters[0].customers.create(
        ADMIN, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
    )
    assert created.value is not None
    original = created.value

    def update(writer: int) -> str:
        try:
            masters[writer].customers.update(
                ADMIN, original.id, {"name": f"Writer {writer}"}, version=original.version
            )
            return "won"
        except Conflict:
            return "conflict"

    outcomes = in_parallel(update)

    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["won"]
    final = masters[0].customers.get(ADMIN, original.id)
    assert final.version == 2
    assert final.name == f"Writer {outcomes.index('won')}"


def test_parallel_creators_get_unique_codes_without_gaps(masters: list[CustomerMaster]) -> None:
    per_writer = 5

    def create(writer: int) -> list[str]:
        made = []
        for number in range(per_writer):
            payload = {"name": f"Shop {writer}-{number}", "kind": "individual", "legal_entity": "MY01"}
            outcome = masters[writer].customers.create(ADMIN, payload)
            assert outcome.value is not None
            made.append(outcome.value.code)
        return made

    codes = [code for made in in_parallel(create) for code in made]  # type: ignore[attr-defined]

    assert sorted(codes) == [f"CUS-{n:04d}" for n in range(1, WRITERS * per_writer + 1)]
    with masters[0].storage.unit_of_work() as uow:
        assert uow.codes.next_value("acme") == WRITERS * per_writer + 1
        trail = uow.audit.for_tenant("acme")
    assert verify_chain(trail).is_intact
