"""What the repositories of one SQL unit of work share: the connection, the tenant
writer lock, and counters (docs/decisions/0007).

A write takes its tenant's **writer lock** first (``Work.writing``) — a row lock on the
tenant's ``$writer`` counter, held until commit — so a tenant's writing units of work
run one after another from their first write (or uniqueness look-up) on, as they do in
memory. That makes "check the tax id is free, then insert" atomic, chains audit records
without a fork, and keeps the outbox in commit order per tenant. Reads take no lock.

On SQLite, which has one writer at a time, a unit of work reads from one snapshot
(``BEGIN``) until its first write, which ends the snapshot and waits for the write lock
(``BEGIN IMMEDIATE``): a unit of work that only reads never waits for a writer, and one
that writes never fails to upgrade a stale read lock. As under READ COMMITTED, what it
read before its first write may have changed meanwhile; version checks catch that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable, Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from customer_master.domain.config import TenantConfiguration
from customer_master_sql.tables import code_sequences

if TYPE_CHECKING:
    from customer_master_sql.storage import SqlStorage

WRITER = "$writer"


def insert_if_absent(dialect: str, table: Table, values: dict[str, Any]) -> Executable:
    """An INSERT of ``values`` that does nothing when the primary key is taken."""
    if dialect == "postgresql":
        return pg_insert(table).values(values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite_insert(table).values(values).on_conflict_do_nothing()
    return insert(table).values(values).prefix_with("IGNORE")


class Work:
    """One unit of work's connection and bookkeeping."""

    def __init__(self, connection: Connection, storage: SqlStorage) -> None:
        self.connection = connection
        self.storage = storage
        self.dialect = connection.dialect.name
        self.locked: set[str] = set()
        self.in_write = False
        self.saved_configs: dict[str, TenantConfiguration] = {}
        self.own_events: set[str] = set()

    def reset(self) -> None:
        self.locked.clear()
        self.in_write = False
        self.saved_configs.clear()
        self.own_events.clear()

    def writing(self, tenant: str | None) -> None:
        """Called before every write: on SQLite, open the write transaction
        (``BEGIN IMMEDIATE``; until then reads run on their own); elsewhere take the
        tenant's writer lock, once per transaction."""
        if self.dialect == "sqlite":
            if not self.in_write:
                # End the read snapshot, then wait for the write lock (never upgrade:
                # a snapshot older than the last commit could not write).
                self.connection.exec_driver_sql("COMMIT")
                self.connection.exec_driver_sql("BEGIN IMMEDIATE")
                self.in_write = True
            return
        if tenant is not None and tenant not in self.locked:
            self._bump(tenant, WRITER)
            self.locked.add(tenant)

    def reads_are_stable(self, tenant: str) -> bool:
        """Do several reads in a row see one state of ``tenant``'s data? On SQLite
        always (a snapshot until the first write, then the write lock); elsewhere once
        this unit of work holds the tenant's writer lock."""
        return self.dialect == "sqlite" or tenant in self.locked

    def next_value(self, tenant: str, name: str) -> int:
        """Move the counter ``name`` on by one and return it; the row stays locked until
        the transaction ends, so a rolled-back number is handed out again."""
        c = code_sequences.c
        self._bump(tenant, name)
        return int(
            self.connection.execute(select(c.value).where(c.tenant == tenant, c.name == name)).scalar_one()
        )

    def _bump(self, tenant: str, name: str) -> None:
        c = code_sequences.c
        bump = update(code_sequences).where(c.tenant == tenant, c.name == name).values(value=c.value + 1)
        if self.connection.execute(bump).rowcount == 0:
            start = {"tenant": tenant, "name": name, "value": 0}
            self.connection.execute(insert_if_absent(self.dialect, code_sequences, start))
            self.connection.execute(bump)
