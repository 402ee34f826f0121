"""The rule hot paths' reads, at a cost close to the query's own (docs/decisions/0014).

Credit checks and price resolutions read the same few things thousands of times a
second: the tenant's configuration, one customer, the customer's receivables position,
a last price. Through SQLAlchemy's execution machinery each read costs about 40 µs on
SQLite before the database does anything (the query itself takes under 10 µs), so these
reads are compiled once per dialect (``DriverRead``) and run on a driver cursor of the
reader engine (``DriverReads``): committed rows only — no transaction on SQLite,
autocommit on PostgreSQL, READ COMMITTED on MariaDB.

``SqlLookups`` (``ports.Lookups``) decodes only what changed:

- the configuration: one read of the tenant's version, then the storage's
  configuration cache (the one the units of work fill);
- a customer: one read of its row's ``version`` and its document as text; the decoded
  customer is kept by ``(tenant, id)`` with that version and reused while the stored
  version is the same (every change of a customer moves its version on, R-1.9).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, String, Text, bindparam, cast, select, type_coerce
from sqlalchemy.sql import CompoundSelect, Select

from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master_sql import mapping
from customer_master_sql.engine import is_file_sqlite
from customer_master_sql.tables import customers, tenant_configs

if TYPE_CHECKING:
    from customer_master_sql.storage import SqlStorage

# Decoded customers kept per storage; past this many the older half is dropped.
CUSTOMER_CACHE_SIZE = 20_000


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
            return [tuple(row) for row in found]
        return [
            tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))
            for row in found
        ]


class DriverReads:
    """Runs ``DriverRead``\\ s on the reader engine's driver connections.

    A file SQLite reader pool keeps one connection per thread anyway: it stays checked
    out here (no pool round trip per read) until ``close``. Elsewhere each read takes a
    pooled connection and gives it back (rolled back, if the driver opened a
    transaction)."""

    def __init__(self, engine: Engine, read_engine: Engine) -> None:
        self.engine = read_engine
        self._pinned = is_file_sqlite(engine.url)
        # An in-memory SQLite database has one connection for everything, writers
        # included: what it reads may not be committed yet.
        self.committed_only = engine.dialect.name != "sqlite" or self._pinned
        self._local = threading.local()
        self._held: list[Any] = []
        self._lock = threading.Lock()

    def prepare(self, statement: Select[Any] | CompoundSelect[Any]) -> DriverRead:
        return DriverRead(statement, self.engine)

    def rows(self, read: DriverRead, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        if self._pinned:
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = self._local.connection = self.engine.raw_connection()
                with self._lock:
                    self._held.append(connection)
            return read.run(connection, parameters)
        connection = self.engine.raw_connection()
        try:
            return read.run(connection, parameters)
        finally:
            connection.close()

    def close(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for connection in held:
            connection.close()
        self._local = threading.local()


class SqlLookups:
    """``Lookups``: a tenant's configuration and one customer, as the module says."""

    def __init__(self, storage: SqlStorage, reads: DriverReads) -> None:
        self._storage = storage
        self._reads = reads
        tenant, key = bindparam("tenant", type_=String()), bindparam("key", type_=String())
        c, t = customers.c, tenant_configs.c
        # The document as its text: decoded here, and only when the version moved on.
        is_postgresql = storage.engine.dialect.name == "postgresql"
        document = cast(c.document, Text) if is_postgresql else type_coerce(c.document, Text)
        self._customer = reads.prepare(select(c.version, document).where(c.tenant == tenant, c.id == key))
        self._version = reads.prepare(select(t.version).where(t.tenant == tenant))
        self._customers: dict[tuple[str, str], tuple[int, Customer]] = {}
        self._lock = threading.Lock()

    def configuration(self, tenant: str) -> TenantConfiguration:
        found = self._reads.rows(self._version, {"tenant": tenant})
        if not found:
            return TenantConfiguration(tenant=tenant)
        cached = self._storage.configs.get(tenant)
        if cached is not None and cached.version == int(found[0][0]):
            return cached
        with self._storage.unit_of_work() as uow:  # loads and caches it
            return uow.configuration.get(tenant)

    def customer(self, tenant: str, customer_id: str) -> Customer | None:
        found = self._reads.rows(self._customer, {"tenant": tenant, "key": customer_id})
        if not found:
            return None
        version, text = int(found[0][0]), found[0][1]
        key = (tenant, customer_id)
        cached = self._customers.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        customer = mapping.customer_from_document(json.loads(text) if isinstance(text, str) else text)
        if self._reads.committed_only:
            self._keep(key, version, customer)
        return customer

    def _keep(self, key: tuple[str, str], version: int, customer: Customer) -> None:
        with self._lock:
            if len(self._customers) >= CUSTOMER_CACHE_SIZE:
                for old in list(self._customers)[: CUSTOMER_CACHE_SIZE // 2]:
                    del self._customers[old]
            self._customers[key] = (version, customer)
