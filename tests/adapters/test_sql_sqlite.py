"""The embedded SQLite file: WAL journal, foreign keys on, readers never wait for the
writer (R-16.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from customer_master.domain.customer import Customer
from customer_master_sql import SqlStorage, open_storage


@pytest.fixture
def storage(tmp_path: Path) -> SqlStorage:
    return open_storage(f"sqlite:///{tmp_path / 'cm.db'}?migrate=1")


def walk_in(number: int) -> Customer:
    return Customer(id=f"c{number}", tenant="acme", code=f"CUS-{number:04d}", name="Kedai", kind="individual",
                    legal_entity="MY01")  # fmt: skip


def test_the_file_is_opened_in_wal_mode_with_foreign_keys_on(storage: SqlStorage) -> None:
    with storage.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    storage.close()


def test_a_reader_does_not_wait_for_an_open_writer(storage: SqlStorage) -> None:
    with storage.unit_of_work() as writer:
        writer.customers.add(walk_in(1))  # holds SQLite's write lock until the end
        with storage.unit_of_work() as reader:
            assert reader.customers.get("acme", "c1") is None
        writer.commit()
        with storage.unit_of_work() as reader:
            assert reader.customers.get("acme", "c1") == walk_in(1)
    storage.close()


def test_api_keys_are_cached_briefly_and_a_revocation_here_counts_at_once(tmp_path: Path) -> None:
    """Authentication reads a key per request, so a storage keeps found keys for a few
    seconds: revoked through it, a key stops at once; revoked by another process (another
    storage), within ``api_key_cache.seconds``."""
    import time

    from customer_master.domain.apikeys import ApiKey

    url = f"sqlite:///{tmp_path / 'keys.db'}?migrate=1"
    here, elsewhere = open_storage(url), open_storage(url)
    try:
        with here.unit_of_work() as uow:
            uow.api_keys.add(ApiKey(id="k1", tenant="acme", user="ana", roles=("admin",), digest="d"))
            uow.api_keys.add(ApiKey(id="k2", tenant="acme", user="bob", roles=("admin",), digest="d"))
            uow.commit()
        for key_id in ("k1", "k2"):  # now cached here
            with here.unit_of_work() as uow:
                assert uow.api_keys.get(key_id) is not None
        with here.unit_of_work() as uow:
            uow.api_keys.revoke("k1")
            uow.commit()
        with elsewhere.unit_of_work() as uow:
            uow.api_keys.revoke("k2")
            uow.commit()

        with here.unit_of_work() as uow:
            k1, k2 = uow.api_keys.get("k1"), uow.api_keys.get("k2")
        assert [k1 and k1.revoked, k2 and k2.revoked] == [True, False]  # here: at once; elsewhere: not yet

        here.api_key_cache.seconds = 0.01
        here.api_key_cache.forget("k2")
        with here.unit_of_work() as uow:
            uow.api_keys.get("k2")  # kept for 0.01 s
        time.sleep(0.02)
        with here.unit_of_work() as uow:
            k2 = uow.api_keys.get("k2")
        assert k2 is not None
        assert k2.revoked
    finally:
        here.close()
        elsewhere.close()


def test_more_live_threads_than_the_reader_pool_holds_all_keep_reading(storage: SqlStorage) -> None:
    """A server with a thread per request reads from many threads at once: the reader
    pool keeps a connection per thread and, past its size, closes only those of threads
    that have ended — never one a live thread is reading with."""
    import threading

    with storage.unit_of_work() as uow:
        uow.customers.add(walk_in(1))
        uow.commit()
    threads, rounds = 48, 3
    together = threading.Barrier(threads)
    found: list[bool] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(rounds):
                found.append(storage.lookups.customer("acme", "c1") is not None)
                together.wait(timeout=30)  # every thread holds its connection meanwhile
        except BaseException as failure:
            failures.append(failure)
            together.abort()

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert found == [True] * threads * rounds
    # Threads that ended give their connections up when new threads come.
    for _ in range(threads):
        reader = threading.Thread(
            target=lambda: found.append(storage.lookups.customer("acme", "c1") is not None)
        )
        reader.start()
        reader.join()
    assert all(found)
    held = int(storage.read_engine.pool.status().rsplit(" ", 1)[1])
    assert held <= 33  # about the pool's size (32), not one a thread that ever read
    storage.close()
