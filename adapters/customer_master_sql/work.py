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
        # Counters drawn from in this transaction: (tenant, name) -> [stored, handed out].
        self.counters: dict[tuple[str, str], list[int]] = {}
        # API keys revoked in this transaction: dropped from the key cache after commit too.
        self.forget_keys: set[str] = set()

    def reset(self) -> None:
        self.locked.clear()
        self.in_write = False
        self.saved_configs.clear()
        self.own_events.clear()
        self.counters.clear()
        self.forget_keys.clear()

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

    def next_value(self, tenant: str, name: str) -> int:
        """Move the counter ``name`` on by one and return it; the row stays locked until
        the transaction ends, so a rolled-back number is handed out again.

        The first draw of a transaction moves the row (and locks it); later ones count
        on in memory, and ``store_counters`` writes the last number handed out before
        commit — nobody else can draw meanwhile, and a rollback forgets both."""
        drawn = self.counters.get((tenant, name))
        if drawn is not None:
            drawn[1] += 1
            return drawn[1]
        c = code_sequences.c
        self._bump(tenant, name)
        value = int(
            self.connection.execute(select(c.value).where(c.tenant == tenant, c.name == name)).scalar_one()
        )
        self.counters[(tenant, name)] = [value, value]
        return value

    def store_counters(self) -> None:
        """Write back the counters moved on in memory (before commit)."""
        c = code_sequences.c
        for (tenant, name), (stored, handed) in self.counters.items():
            if handed != stored:
                self.connection.execute(
                    update(code_sequences).where(c.tenant == tenant, c.name == name).values(value=handed)
                )
                self.counters[(tenant, name)] = [handed, handed]

    def _bump(self, tenant: str, name: str) -> None:
        c = code_sequences.c
        bump = update(code_sequences).where(c.tenant == tenant, c.name == name).values(value=c.value + 1)
        if self.connection.execute(bump).rowcount == 0:
            start = {"tenant": tenant, "name": name, "value": 0}
            self.connection.execute(insert_if_absent(self.dialect, code_sequences, start))
            self.connection.execute(bump)
