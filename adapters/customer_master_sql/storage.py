"""The SQL storage adapter: units of work over one database connection each.

A unit of work holds one connection and one transaction from its first statement to
``commit()``/``rollback()`` or the end of the ``with`` block (which rolls back anything
not committed). Its repositories write straight into that transaction, so what they
read includes what they wrote, and nothing is visible to others before commit.

Tenant configuration is cached per storage by version: ``configuration.get`` asks the
database for the tenant's version (one indexed read) and returns the cached value while
it is unchanged, so rule services (credit, pricing) do not re-read price lists.

API keys found by id are kept per storage for five seconds (``approvals.KeyCache``):
authentication reads one on every request. Revoking through this storage takes effect
at once; through another process, within those five seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Date, Engine, Select, String, bindparam, delete, insert, or_, select, update

from customer_master.domain.config import TenantConfiguration
from customer_master.domain.pricing import PriceList, PriceListLine
from customer_master.errors import Conflict
from customer_master_sql import mapping
from customer_master_sql.approvals import KeyCache, SqlApiKeys, SqlChangeRequests
from customer_master_sql.customers import SqlCustomers
from customer_master_sql.driver import DriverReads
from customer_master_sql.engine import make_engine, parse_url, reader_engine
from customer_master_sql.erasure import SqlAttachments, SqlErasure
from customer_master_sql.journal import SqlAudit, SqlNotes, SqlOutbox
from customer_master_sql.lookups import SqlLookups
from customer_master_sql.planner import GrowthAnalyzer
from customer_master_sql.receivables import SqlLastPrices, SqlReceivables, has_open_items, move_open_items
from customer_master_sql.schema import check_schema, migrate
from customer_master_sql.tables import (
    price_list_lines,
    price_lists,
    tenant_configs,
)
from customer_master_sql.work import Work

# The one read every operation makes of the configuration (built once: a hot path).
_VERSION = select(tenant_configs.c.version).where(
    tenant_configs.c.tenant == bindparam("tenant", type_=String())
)


def _price_line_statement() -> Select[Any]:
    p = price_list_lines.c
    on = bindparam("on", type_=Date())
    return (
        select(price_list_lines)
        .where(
            p.tenant == bindparam("tenant", type_=String()),
            p.price_list == bindparam("price_list", type_=String()),
            p.item_code == bindparam("item_code", type_=String()),
            p.min_quantity_key <= bindparam("quantity", type_=p.min_quantity_key.type),
            or_(p.valid_from.is_(None), p.valid_from <= on),
            or_(p.valid_to.is_(None), p.valid_to >= on),
        )
        .order_by(p.min_quantity_key.desc(), p.valid_from.is_(None), p.valid_from.desc(), p.unit_price_key)
        .limit(1)
    )


_PRICE_LINE = _price_line_statement()


class SqlConfiguration:
    """``ConfigurationRepository``: a versioned JSON document per tenant, price lists in
    tables."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection
        self._cache = work.storage.configs

    def get(self, tenant: str) -> TenantConfiguration:
        if tenant in self._work.saved_configs:
            return self._work.saved_configs[tenant]
        while True:
            version = self._version(tenant)
            if version is None:
                return TenantConfiguration(tenant=tenant)
            cached = self._cache.get(tenant)
            if cached is not None and cached.version == version:
                return cached
            config = self._load(tenant)
            # Under READ COMMITTED a save may land between the reads: keep only a
            # value whose version still holds afterwards.
            if config is not None and self._version(tenant) == config.version:
                self._cache[tenant] = config
                return config

    def save(self, config: TenantConfiguration, *, expected_version: int) -> None:
        tenant = config.tenant
        self._work.writing(tenant)
        stored = self._version(tenant)
        current = stored or 0
        if current != expected_version:
            raise Conflict(
                f"the configuration of {tenant} changed meanwhile (version {current})",
                current_version=current,
            )
        row = {"version": config.version, "document": mapping.config_document(config)}
        if stored is None:
            self._conn.execute(insert(tenant_configs).values(tenant=tenant, **row))
            before: dict[str, PriceList] = {}
        else:
            key = (tenant_configs.c.tenant == tenant) & (tenant_configs.c.version == expected_version)
            self._conn.execute(update(tenant_configs).where(key).values(row))
            before = self._previous_lists(tenant, expected_version)
        self._save_price_lists(tenant, before, config.price_lists)
        self._work.saved_configs[tenant] = config

    def price_line(
        self, tenant: str, price_list: str, item_code: str, quantity: Decimal, on: date
    ) -> PriceListLine | None:
        """The line of ``price_list`` for ``item_code`` with the greatest minimum quantity
        ≤ ``quantity`` valid on ``on`` (ties as ``PriceList.best_line``): one indexed query."""
        parameters = {
            "tenant": tenant,
            "price_list": price_list,
            "item_code": item_code,
            "quantity": quantity,
            "on": on,
        }
        row = self._conn.execute(_PRICE_LINE, parameters).first()
        return None if row is None else mapping.price_line(row._mapping)

    def _version(self, tenant: str) -> int | None:
        found = self._conn.execute(_VERSION, {"tenant": tenant}).scalar()
        return None if found is None else int(found)

    def _load(self, tenant: str) -> TenantConfiguration | None:
        row = self._conn.execute(select(tenant_configs).where(tenant_configs.c.tenant == tenant)).first()
        if row is None:
            return None
        return mapping.config_from(tenant, row.version, row.document, self._price_lists(tenant))

    def _price_lists(self, tenant: str) -> dict[str, PriceList]:
        heads = self._conn.execute(
            select(price_lists).where(price_lists.c.tenant == tenant).order_by(price_lists.c.position)
        ).all()
        lines: dict[str, list[Any]] = {head.code: [] for head in heads}
        p = price_list_lines.c
        for line in self._conn.execute(
            select(price_list_lines).where(p.tenant == tenant).order_by(p.price_list, p.position)
        ):
            lines[line.price_list].append(line._mapping)
        return {head.code: mapping.price_list_from(head._mapping, lines[head.code]) for head in heads}

    def _previous_lists(self, tenant: str, version: int) -> dict[str, PriceList]:
        cached = self._cache.get(tenant)
        if cached is not None and cached.version == version:
            return dict(cached.price_lists)
        return self._price_lists(tenant)

    def _save_price_lists(
        self, tenant: str, before: Mapping[str, PriceList], wanted: Mapping[str, PriceList]
    ) -> None:
        """Write only the price lists that changed (a settings change rewrites none)."""
        h = price_lists.c
        for code in before.keys() - wanted.keys():
            self._conn.execute(delete(price_lists).where(h.tenant == tenant, h.code == code))
        for position, (code, price_list) in enumerate(wanted.items()):
            old = before.get(code)
            if old == price_list:
                self._conn.execute(
                    update(price_lists).where(h.tenant == tenant, h.code == code).values(position=position)
                )
                continue
            if old is not None:
                self._conn.execute(delete(price_lists).where(h.tenant == tenant, h.code == code))
            self._conn.execute(insert(price_lists), [mapping.price_list_row(tenant, position, price_list)])
            rows = mapping.price_line_rows(tenant, price_list)
            for start in range(0, len(rows), 5000):
                self._conn.execute(insert(price_list_lines), rows[start : start + 5000])


class SqlCodes:
    """``CodeSequence``: a row-locked counter per tenant and name (R-1.1)."""

    def __init__(self, work: Work) -> None:
        self._work = work

    def next_value(self, tenant: str, name: str = "customer") -> int:
        self._work.writing(tenant)
        return self._work.next_value(tenant, name)


class SqlOpenItems:
    """``OpenItemsLedger``: the plugin's open items inside the unit of work."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._conn = work.connection

    def has_open_items(self, tenant: str, customer_id: str) -> bool:
        return has_open_items(self._conn, tenant, customer_id)

    def move(self, tenant: str, source_id: str, target_id: str) -> None:
        self._work.writing(tenant)
        move_open_items(self._conn, tenant, source_id, target_id)


class SqlUnitOfWork:
    """A unit of work over one connection; see the module docstring."""

    customers: SqlCustomers
    configuration: SqlConfiguration
    audit: SqlAudit
    outbox: SqlOutbox
    codes: SqlCodes
    open_items: SqlOpenItems
    api_keys: SqlApiKeys
    change_requests: SqlChangeRequests
    notes: SqlNotes
    attachments: SqlAttachments
    erasure: SqlErasure

    def __init__(self, storage: SqlStorage) -> None:
        self._storage = storage
        self._work: Work | None = None

    def __enter__(self) -> Self:
        engine = self._storage.engine
        connection = engine.connect()
        self._work = work = Work(connection, self._storage)
        self.customers = SqlCustomers(work)
        self.configuration = SqlConfiguration(work)
        self.audit = SqlAudit(work)
        self.outbox = SqlOutbox(work)
        self.codes = SqlCodes(work)
        self.open_items = SqlOpenItems(work)
        self.api_keys = SqlApiKeys(work)
        self.change_requests = SqlChangeRequests(work)
        self.notes = SqlNotes(work)
        self.attachments = SqlAttachments(work)
        self.erasure = SqlErasure(work)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        work = self._require()
        try:
            work.connection.rollback()
        finally:
            work.connection.close()
            self._work = None

    def commit(self) -> None:
        work = self._require()
        work.store_counters()
        work.connection.commit()
        self._storage.configs.update(work.saved_configs)
        for key_id in work.forget_keys:  # a read racing the commit may have kept it
            self._storage.api_key_cache.forget(key_id)
        work.reset()

    def rollback(self) -> None:
        work = self._require()
        work.connection.rollback()
        work.reset()

    def _require(self) -> Work:
        if self._work is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self._work


class SqlStorage:
    """The SQL storage adapter (``Storage`` port) over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_engine = reader_engine(engine)
        self.configs: dict[str, TenantConfiguration] = _ConfigCache()
        self.api_key_cache = KeyCache()
        self.driver_reads = DriverReads(engine, self.read_engine)
        self._receivables = SqlReceivables(engine, self.driver_reads, read_engine=self.read_engine)
        self._last_prices = SqlLastPrices(engine, self.driver_reads)
        self._lookups = SqlLookups(self, self.driver_reads)
        self.growth = GrowthAnalyzer()

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self)

    @property
    def lookups(self) -> SqlLookups:
        return self._lookups

    @property
    def receivables(self) -> SqlReceivables:
        return self._receivables

    @property
    def last_prices(self) -> SqlLastPrices:
        return self._last_prices

    def close(self) -> None:
        self.driver_reads.close()
        self.read_engine.dispose()
        self.engine.dispose()


class _ConfigCache(dict[str, TenantConfiguration]):
    """Tenant configurations by tenant; thread-safe enough for plain get and set, and
    ``update`` keeps the newest version when two commits race."""

    _lock = threading.Lock()

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        with self._lock:
            for tenant, config in dict(other, **kwargs).items():
                current = self.get(tenant)
                if current is None or current.version <= config.version:
                    self[tenant] = config


def open_storage(url: str, *, migrate_schema: bool | None = None) -> SqlStorage:
    """The storage for an SQL URL (the ``customer_master.storage`` entry point).

    The schema must be at the newest revision, else ``SchemaNotCurrent`` says how to
    migrate. ``?migrate=1`` in the URL, or ``migrate_schema=True``, upgrades it first.
    """
    target, wants_migrate = parse_url(url)
    engine = make_engine(target)
    try:
        if migrate_schema if migrate_schema is not None else wants_migrate:
            migrate(engine)
        else:
            check_schema(engine)
    except Exception:
        engine.dispose()
        raise
    return SqlStorage(engine)
