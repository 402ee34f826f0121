"""The embedded SQLite file: WAL journal, foreign keys on, readers never wait for the
writer (R-16.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from customer_master.domain.customer import Customer
from customer_master_sql import SqlStorage, open_storage
from customer_master_sql.tables import tags


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


def test_a_related_record_without_its_customer_is_refused(storage: SqlStorage) -> None:
    with storage.engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(insert(tags).values(tenant="acme", customer_id="ghost", position=0, tag="vip"))
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
