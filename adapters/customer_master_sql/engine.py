"""Engines for the three supported databases, chosen by URL (R-16.1).

- ``sqlite:///path.db``: WAL journal (readers never wait for the writer), foreign keys
  on, a 30-second busy timeout. SQLAlchemy, not the driver, opens transactions: a plain
  ``BEGIN`` (a read snapshot), ``BEGIN IMMEDIATE`` for a write (``Work.writing``,
  docs/decisions/0007), or nothing for single-statement reads.
- ``postgresql+psycopg://…`` and ``mysql+pymysql://…`` (MariaDB too): READ COMMITTED;
  version checks and row-locked counters give the guarantees (docs/decisions/0007).
- PostgreSQL sessions run with ``jit = off`` (unless the URL passes its own ``options``):
  the adapter's statements are short, and a page walk that the planner prices high was
  compiled first, 100 ms for a read of 1 (docs/decisions/0017).

The URL query may carry ``migrate=1`` to upgrade the schema on opening; it is removed
before the URL reaches the driver.
"""

from __future__ import annotations

import json
import threading
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import ConnectionPoolEntry, SingletonThreadPool, StaticPool

from customer_master.extras import require
from customer_master_sql.types import dumps

# Execution option naming the statement that opens a transaction on SQLite:
# "BEGIN" (the default), "BEGIN IMMEDIATE" (a connection that writes at once), or None.
SQLITE_BEGIN = "cm_sqlite_begin"

_TRUE = ("1", "true", "yes", "on")


def parse_url(url: str | URL) -> tuple[URL, bool]:
    """The URL without customer-master's own options, and whether it asks to migrate."""
    parsed = make_url(url)
    wants_migrate = str(parsed.query.get("migrate", "")).lower() in _TRUE
    return parsed.difference_update_query(["migrate"]), wants_migrate


# The database drivers the extras bring: driver name in the URL → (extra, module).
DRIVER_EXTRAS = {"psycopg": ("postgres", "psycopg"), "pymysql": ("mysql", "pymysql")}


def make_engine(url: URL, **options: Any) -> Engine:
    """An engine for ``url`` set up as the module docstring says."""
    backend = url.get_backend_name()
    if url.get_driver_name() in DRIVER_EXTRAS:
        extra, module = DRIVER_EXTRAS[url.get_driver_name()]
        require(extra, module, needed_by=f"a {url.drivername} URL")
    common: dict[str, Any] = {"json_serializer": dumps, "json_deserializer": json.loads}
    if backend == "sqlite":
        return _sqlite_engine(url, {**common, **options})
    if backend in ("mysql", "mariadb"):
        if "charset" not in url.query:
            url = url.update_query_dict({"charset": "utf8mb4"})
        return create_engine(url, isolation_level="READ COMMITTED", pool_recycle=3600, **common, **options)
    if backend == "postgresql":
        session = _postgresql_arguments(url)
        return create_engine(url, isolation_level="READ COMMITTED", connect_args=session, **common, **options)
    raise ValueError(f"customer-master does not support {backend!r} databases (sqlite, postgresql, mysql)")


def _postgresql_arguments(url: URL) -> dict[str, Any]:
    """Session settings for PostgreSQL: no JIT compilation, unless the URL sets options."""
    return {} if "options" in url.query else {"options": "-c jit=off"}


def is_file_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def _sqlite_engine(url: URL, options: dict[str, Any]) -> Engine:
    in_memory = not is_file_sqlite(url)
    connect_args = {"timeout": 30, "check_same_thread": False}
    if in_memory:
        # One shared connection, so every unit of work sees the same database.
        options.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not the sqlite3 module, decides when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        statement = connection.get_execution_options().get(SQLITE_BEGIN, "BEGIN")
        if statement:
            connection.exec_driver_sql(statement)

    return engine


class ThreadConnectionPool(SingletonThreadPool):
    """A connection per thread, as ``SingletonThreadPool`` keeps, except what happens past
    its size: that pool then closes connections at random, those of threads still reading
    with them included ("Cannot operate on a closed database" under a server with a
    thread per request). This one closes only the connections of threads that have ended,
    so it holds about one connection per live thread, however many have come and gone."""

    def __init__(self, *arguments: Any, **options: Any) -> None:
        super().__init__(*arguments, **options)
        self._owners: weakref.WeakKeyDictionary[ConnectionPoolEntry, threading.Thread] = (
            weakref.WeakKeyDictionary()
        )

    def _do_get(self) -> ConnectionPoolEntry:
        record = super()._do_get()
        self._owners.setdefault(record, threading.current_thread())
        return record

    def _cleanup(self) -> None:
        for record in list(self._all_conns):
            owner = self._owners.get(record)
            if owner is not None and not owner.is_alive():
                self._all_conns.discard(record)
                record.close()


def reader_engine(engine: Engine) -> Engine:
    """An engine for single-statement reads outside units of work (``lookups``): no
    transaction around them, so the hot path pays for its query and little else — on
    SQLite one connection kept per thread, elsewhere a pool of its own in autocommit that
    needs no rollback when a connection goes back."""
    if engine.dialect.name != "sqlite":
        options = {"json_serializer": dumps, "json_deserializer": json.loads}
        if engine.dialect.name == "postgresql":
            options["connect_args"] = _postgresql_arguments(engine.url)
        else:
            options["pool_recycle"] = 3600
        return create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options)
    if not is_file_sqlite(engine.url):
        return engine.execution_options(**{SQLITE_BEGIN: None})
    options = {"json_serializer": dumps, "json_deserializer": json.loads}
    readers = _sqlite_engine(
        engine.url,
        {**options, "poolclass": ThreadConnectionPool, "pool_size": 32, "pool_reset_on_return": None},
    )
    return readers.execution_options(**{SQLITE_BEGIN: None})


def write_options(engine: Engine) -> dict[str, Any]:
    """Execution options for a connection that will write."""
    return {SQLITE_BEGIN: "BEGIN IMMEDIATE"} if engine.dialect.name == "sqlite" else {}
