"""The rule hot paths' reads, at a cost close to the query's own (docs/decisions/0014).

Credit checks and price resolutions read the same few things thousands of times a
second: the tenant's configuration, one customer, the customer's receivables position,
a last price. Through SQLAlchemy's execution machinery each read costs about 40 µs on
SQLite before the database does anything (the query itself takes under 10 µs), so these
reads are compiled once per dialect and run on a driver cursor of the reader engine
(``driver.DriverReads``): committed rows only — no transaction on SQLite,
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
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, bindparam, cast, select, type_coerce

from customer_master.domain.apikeys import ApiKey
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import Customer
from customer_master_sql import mapping
from customer_master_sql.driver import DriverReads
from customer_master_sql.tables import api_keys, customers, tenant_configs

if TYPE_CHECKING:
    from customer_master_sql.storage import SqlStorage

# Decoded customers kept per storage; past this many the older half is dropped.
CUSTOMER_CACHE_SIZE = 20_000


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
        self._api_key = reads.prepare(select(api_keys).where(api_keys.c.id == key))
        self._api_key_columns = tuple(column.name for column in api_keys.columns)
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

    def api_key(self, key_id: str) -> ApiKey | None:
        """The key from the storage's key cache (``KeyCache``), else read and kept."""
        cache = self._storage.api_key_cache
        cached = cache.get(key_id)
        if cached is not None:
            return cached
        found = self._reads.rows(self._api_key, {"key": key_id})
        if not found:
            return None
        key = mapping.api_key_from(dict(zip(self._api_key_columns, found[0], strict=True)))
        if self._reads.committed_only:
            cache.keep(key)
        return key

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
