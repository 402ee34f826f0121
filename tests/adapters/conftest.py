"""SQL adapter tests run on SQLite, PostgreSQL and MariaDB. Server databases are
scratch databases made once per run (``customer_master_sql.testing``); a server that
does not answer is skipped, or fails under ``CI=true``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from customer_master_sql.testing import ScratchDatabases, Unavailable, in_ci, wipe

SQL_KINDS = ("sqlite", "postgresql", "mariadb")


@pytest.fixture(scope="session")
def sql_servers() -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases()
    yield databases
    databases.close()


def server_url(databases: ScratchDatabases, kind: str) -> str:
    """The run's scratch database of ``kind``, emptied; skipped (failed in CI) when the
    server is unreachable."""
    try:
        engine = databases.engine(kind)
    except Unavailable as missing:
        if in_ci():
            pytest.fail(f"CI=true and {missing}", pytrace=False)
        pytest.skip(str(missing))
    wipe(engine)
    return databases.url(kind)


@pytest.fixture(params=SQL_KINDS)
def sql_url(request: pytest.FixtureRequest, sql_servers: ScratchDatabases, tmp_path: Path) -> str:
    """A migrated, empty database of each kind (SQLite: a new file)."""
    if request.param == "sqlite":
        from customer_master_sql import migrate

        url = f"sqlite:///{tmp_path / 'customer-master.db'}"
        migrate(url)
        return url
    return server_url(sql_servers, str(request.param))


@pytest.fixture
def postgresql_url(sql_servers: ScratchDatabases) -> str:
    """The migrated, empty PostgreSQL database, for what only PostgreSQL does."""
    return server_url(sql_servers, "postgresql")
