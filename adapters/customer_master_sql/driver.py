"""Statements run on the database driver's cursor, compiled once per dialect: the hot
reads of credit checks and price resolution (``lookups``, docs/decisions/0014) and the
bulk inserts of an import (docs/decisions/0015).

SQLAlchemy's execution machinery costs about 40 µs a statement on SQLite before the
database does anything, and works on every value of an ``executemany`` in Python; these
helpers apply the same type processors (``Decimal`` amounts, dates, JSON) themselves and
hand the driver the compiled text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, Table, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import CompoundSelect, Select

from customer_master_sql.engine import is_file_sqlite


class DriverRead:
    """A SELECT compiled once for one dialect, with its columns' result processors:
    rows come back as SQLAlchemy would give them (``Decimal`` amounts, ``date``\\ s)."""

    def __init__(self, statement: Select[Any] | CompoundSelect[Any], engine: Engine) -> None:
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._order = tuple(compiled.positiontup or ()) if dialect.positional else None
        # Values the statement carries itself (literals), as the driver takes them.
        self._fixed: dict[str, Any] = {}
        for name, bind in compiled.binds.items():
            if not bind.required:
                process = bind.type.dialect_impl(dialect).bind_processor(dialect)
                self._fixed[name] = bind.value if process is None else process(bind.value)
        self._dialect = dialect
        self._types = [column.type.dialect_impl(dialect) for column in statement.selected_columns]
        # Built at the first run, from the driver's column types (cursor.description).
        self._processors: list[Callable[[Any], Any] | None] | None = None
        self._plain = False

    def run(self, connection: Any, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        cursor = connection.cursor()
        try:
            given = {**self._fixed, **parameters} if self._fixed else parameters
            values = given if self._order is None else [given[n] for n in self._order]
            cursor.execute(self.sql, values)
            found = cursor.fetchall()
            if self._processors is None:
                self._processors = [
                    kind.result_processor(self._dialect, described[1])
                    for kind, described in zip(self._types, cursor.description, strict=True)
                ]
                self._plain = not any(self._processors)
        finally:
            cursor.close()
        processors = self._processors
        if self._plain:
            return found if isinstance(found, list) else list(found)
        return [
            tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))
            for row in found
        ]


class DriverReads:
    """Runs ``DriverRead``\\ s on the reader engine's driver connections.

    A file SQLite reader pool keeps one connection per thread anyway: it stays checked
    out here (no pool round trip per read) until its thread has ended (it goes back when
    another thread first reads) or ``close``. Elsewhere each read takes a
    pooled connection and gives it back (rolled back, if the driver opened a
    transaction)."""

    def __init__(self, engine: Engine, read_engine: Engine) -> None:
        self.engine = read_engine
        self._pinned = is_file_sqlite(engine.url)
        # An in-memory SQLite database has one connection for everything, writers
        # included: what it reads may not be committed yet.
        self.committed_only = engine.dialect.name != "sqlite" or self._pinned
        self._local = threading.local()
        self._held: dict[threading.Thread, Any] = {}
        self._lock = threading.Lock()

    def prepare(self, statement: Select[Any] | CompoundSelect[Any]) -> DriverRead:
        return DriverRead(statement, self.engine)

    def rows(self, read: DriverRead, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        if self._pinned:
            connection = getattr(self._local, "connection", None)
            if connection is None:
                with self._lock:  # the connections of threads that ended go back to the pool
                    for ended in [thread for thread in self._held if not thread.is_alive()]:
                        self._held.pop(ended).close()
                connection = self._local.connection = self.engine.raw_connection()
                with self._lock:
                    self._held[threading.current_thread()] = connection
            return read.run(connection, parameters)
        connection = self.engine.raw_connection()
        try:
            return read.run(connection, parameters)
        finally:
            connection.close()

    def close(self) -> None:
        with self._lock:
            held, self._held = self._held, {}
        for connection in held.values():
            connection.close()
        self._local = threading.local()


class DriverInsert:
    """``INSERT INTO table (keys…)`` compiled once for one dialect and run by the driver's
    ``executemany`` on a unit of work's connection (inside its transaction), each value
    through its column's bind processor, as SQLAlchemy would."""

    def __init__(self, table: Table, keys: Sequence[str], dialect: Dialect) -> None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        self.sql = compiled.string
        self._positional = dialect.positional
        # PostgreSQL takes many rows fastest by COPY (psycopg's ``write_row``).
        quote = dialect.identifier_preparer.quote
        self._copy = (
            f"COPY {quote(table.name)} ({', '.join(quote(key) for key in keys)}) FROM STDIN"
            if dialect.name == "postgresql" and dialect.driver == "psycopg"
            else None
        )
        self._keys = tuple(keys)
        binds = compiled.binds
        names = compiled.positiontup or () if dialect.positional else binds
        # (parameter name, row key, bind processor) in the order the statement wants them.
        self._columns = [
            (name, binds[name].key, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        ]

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """The driver's parameters for ``rows``, each value bound as its column binds it."""
        columns = self._columns
        if self._positional:
            return [
                tuple(row[key] if process is None else process(row[key]) for _, key, process in columns)
                for row in rows
            ]
        return [
            {name: row[key] if process is None else process(row[key]) for name, key, process in columns}
            for row in rows
        ]

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if self._copy is not None and len(rows) >= COPY_FROM:
            self._copy_rows(connection, rows)
        else:
            self.execute(connection, self.parameters(rows))

    def _copy_rows(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """The rows by ``COPY … FROM STDIN``, each value through its column's processor."""
        processes = {key: process for _, key, process in self._columns}
        columns = [(key, processes[key]) for key in self._keys]
        with connection.connection.cursor() as cursor, cursor.copy(self._copy) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(
                    [row[key] if process is None else process(row[key]) for key, process in columns]
                )

    def execute(self, connection: Connection, parameters: Sequence[Any]) -> None:
        """One driver ``executemany`` of ready ``parameters``."""
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(self.sql, parameters)
        finally:
            cursor.close()


_INSERTS: dict[tuple[str, str, tuple[str, ...]], DriverInsert] = {}
# From how many rows PostgreSQL is sent COPY rather than an INSERT a row.
COPY_FROM = 50


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys) into ``table`` with one driver
    ``executemany``; raises the driver's ``IntegrityError`` for a taken key."""
    if not rows:
        return
    keys = tuple(rows[0])
    dialect = connection.dialect
    cache_key = (dialect.name, table.name, keys)
    statement = _INSERTS.get(cache_key)
    if statement is None:
        statement = _INSERTS[cache_key] = DriverInsert(table, keys, dialect)
    statement.run(connection, rows)


def integrity_error(connection: Connection) -> type[Exception]:
    """The driver's ``IntegrityError`` class."""
    found: type[Exception] = connection.dialect.dbapi.IntegrityError  # type: ignore[union-attr]
    return found
