"""The storage contract suite runs every test on every storage adapter (R-16.1): memory,
SQLite (a fresh file per test), PostgreSQL and MariaDB (one scratch database per run,
``cm_test_<random>``, migrated at the start, emptied before each test, dropped at the
end).

A server that does not answer is skipped with the reason — except under ``CI=true``,
where it fails the test: CI must run the suite on every storage for real. Set
``CM_TEST_POSTGRESQL_URL`` / ``CM_TEST_MARIADB_URL`` to use other servers.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customer_master.ports import Storage
from customer_master_memory import MemoryStorage
from customer_master_sql import SqlStorage, migrate, open_storage
from customer_master_sql.testing import ScratchDatabases, Unavailable, in_ci, wipe

# The test modules import their sample values from contract_values.py beside this file.
sys.path.insert(0, str(Path(__file__).parent))

STORAGES = ("memory", "sqlite", "postgresql", "mariadb")


@pytest.fixture(scope="session")
def scratch_databases() -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases()
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = tmp_path_factory.mktemp("template") / "customer-master.db"
    migrate(f"sqlite:///{template}")
    return template


def server_engine(databases: ScratchDatabases, kind: str) -> Engine:
    """The run's scratch database on ``kind``'s server; skip (or, in CI, fail) when the
    server is unreachable."""
    try:
        return databases.engine(kind)
    except Unavailable as missing:
        if in_ci():
            pytest.fail(f"CI=true and {missing}", pytrace=False)
        pytest.skip(str(missing))


@pytest.fixture(params=STORAGES)
def storage_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_shared(
    storage_kind: str, scratch_databases: ScratchDatabases, sqlite_template: Path, tmp_path: Path
) -> Iterator[Callable[[], Storage]]:
    """A maker of storages over the same fresh store (two processes sharing a database).
    For memory there is only ever the one storage."""
    made: list[Storage] = []
    if storage_kind == "memory":
        memory = MemoryStorage()

        def make() -> Storage:
            return memory

    elif storage_kind == "sqlite":
        database = tmp_path / "customer-master.db"
        shutil.copyfile(sqlite_template, database)

        def make() -> Storage:
            made.append(open_storage(f"sqlite:///{database}"))
            return made[-1]

    else:
        engine = server_engine(scratch_databases, storage_kind)
        wipe(engine)

        def make() -> Storage:
            # One engine for the run (statements compile once); a new storage each time,
            # so no cache is shared.
            return SqlStorage(engine)

    yield make
    for storage in made:
        storage.close()


@pytest.fixture
def storage(open_shared: Callable[[], Storage]) -> Storage:
    """A fresh, empty storage of each kind."""
    return open_shared()
