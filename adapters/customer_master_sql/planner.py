"""Planner statistics that keep up with a bulk import on PostgreSQL (docs/decisions/0015).

An import's batch look-ups (keys held, look-alike names) join the customer tables. A
planner that believes a table empty — fresh, and not yet analysed by autovacuum, or on a
server with autovacuum off — joins them by scanning, and each batch then costs more
than the last: measured, 3,000 customers into a fresh PostgreSQL database took over
seven minutes. So the storage analyses those tables whenever the customers it added
since the last time outnumber what the tables held then (and at least 1,000): a few
``ANALYZE``\\ s an import (the count doubles between them), inside the batch's
transaction, where PostgreSQL allows it. MariaDB's ``ANALYZE TABLE`` would commit the
batch half-way, and SQLite plans without statistics well enough: neither does it.
"""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection

from customer_master_sql.tables import customers, external_refs, name_pairs, name_words, tax_ids

_LOOKED_UP = (customers, name_words, name_pairs, tax_ids, external_refs)
_AT_LEAST = 1_000


class GrowthAnalyzer:
    """Counts the customers a storage adds in bulk and analyses the tables its batch
    look-ups read when they have grown enough (module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: int | None = None
        self._added = 0

    def added(self, connection: Connection, count: int) -> None:
        if connection.dialect.name != "postgresql":
            return
        with self._lock:
            if self._known is None:
                estimate = connection.execute(
                    text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)"),
                    {"name": customers.name},
                ).scalar()
                self._known = max(int(estimate or 0), 0)
            self._added += count
            if self._added < max(_AT_LEAST, self._known):
                return
            self._known += self._added
            self._added = 0
        connection.exec_driver_sql("ANALYZE " + ", ".join(table.name for table in _LOOKED_UP))
