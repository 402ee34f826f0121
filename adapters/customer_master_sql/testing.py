"""Helpers for tests against real database servers: a scratch database per test run,
migrated to the newest schema, emptied between tests and dropped at the end.

Used by customer-master's own contract and adapter tests; a host ERP can use them to
run its integration tests against the same storage.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Collection, Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import URL, make_url

from customer_master_sql.engine import make_engine, parse_url
from customer_master_sql.guards import create_guards, create_truncate_guards, drop_guards
from customer_master_sql.schema import migrate
from customer_master_sql.tables import metadata

# Where the test servers are, unless the environment says otherwise.
SERVER_URLS = {
    "postgresql": os.environ.get(
        "CM_TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get("CM_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def in_ci() -> bool:
    """Under CI a missing database server is a failure, not a reason to skip."""
    return os.environ.get("CI", "").lower() == "true"


def unreachable(server_url: str) -> str | None:
    """Why the server cannot be used, or ``None`` when it answers."""
    engine = create_engine(server_url, connect_args=_quick_connect(make_url(server_url)))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as problem:  # any driver error means "not usable here"
        return f"{make_url(server_url).render_as_string(hide_password=True)}: {str(problem).splitlines()[0]}"
    finally:
        engine.dispose()


def scratch_database(server_url: str) -> str:
    """Create an empty database ``cm_test_<random>`` on the server, migrate it to the
    newest schema and return its URL."""
    server = make_url(server_url)
    name = f"cm_test_{uuid.uuid4().hex[:10]}"
    _admin(server, f"CREATE DATABASE {name}")
    url = server.set(database=name).render_as_string(hide_password=False)
    migrate(url)
    return url


def drop_database(url: str, server_url: str) -> None:
    """Drop a database made by ``scratch_database`` on ``server_url``."""
    name = make_url(url).database or ""
    if not name.startswith("cm_test_"):
        raise ValueError(f"refusing to drop {name!r}: not a scratch database")
    force = " WITH (FORCE)" if make_url(server_url).get_backend_name() == "postgresql" else ""
    _admin(make_url(server_url), f"DROP DATABASE IF EXISTS {name}{force}")


def bench_databases(wanted: Collection[str]) -> Iterator[tuple[str, str]]:
    """(label, URL) of a fresh database of each kind in ``wanted`` (``sqlite``,
    ``postgresql``, ``mariadb``), for a bench: a migrated SQLite file in a temporary
    folder, and a scratch database on each server that answers, dropped once its turn is
    over; a server that does not answer is named and passed over."""
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            migrate(url)
            yield "SQLite", url
    for kind, label in (("postgresql", "PostgreSQL"), ("mariadb", "MariaDB")):
        if kind not in wanted:
            continue
        server = SERVER_URLS[kind]
        problem = unreachable(server)
        if problem is not None:
            print(f"== {label}: skipped, server unreachable ({problem})")
            continue
        url = scratch_database(server)
        try:
            yield label, url
        finally:
            drop_database(url, server)


def wipe(engine: Engine) -> None:
    """Delete every row of every customer-master table; the schema and its revision stay."""
    with engine.connect() as connection:
        # The append-only guards come off for the wipe and go back on after it.
        drop_guards(connection)
        # DELETE, not TRUNCATE: on a few rows it is much faster on PostgreSQL and MariaDB.
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
        create_guards(connection)
        create_truncate_guards(connection)
        connection.commit()


def _admin(server: URL, statement: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _quick_connect(url: URL) -> dict[str, object]:
    return {"connect_timeout": 3} if url.get_backend_name() in ("postgresql", "mysql", "mariadb") else {}


class ScratchDatabases:
    """One scratch database per server kind (``postgresql``, ``mariadb``) for a whole
    test run, made on first use and dropped by ``close``. ``engine`` raises
    ``Unavailable`` (with the reason, remembered) when the server does not answer."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[str, Engine]] = {}
        self._missing: dict[str, str] = {}

    def url(self, kind: str) -> str:
        self.engine(kind)
        return self._made[kind][0]

    def engine(self, kind: str) -> Engine:
        if kind in self._missing:
            raise Unavailable(self._missing[kind])
        if kind not in self._made:
            server = SERVER_URLS[kind]
            reason = unreachable(server)
            if reason is not None:
                self._missing[kind] = f"{kind} server unreachable ({reason})"
                raise Unavailable(self._missing[kind])
            url = scratch_database(server)
            self._made[kind] = (url, make_engine(parse_url(url)[0]))
        return self._made[kind][1]

    def close(self) -> None:
        for kind, (url, engine) in self._made.items():
            engine.dispose()
            drop_database(url, SERVER_URLS[kind])
        self._made.clear()


class Unavailable(RuntimeError):
    """A test database server is not reachable."""
