"""Database guards that make the audit trail and notes append-only (SPEC R-11.2, R-11.3):
triggers that refuse UPDATE and DELETE on ``cm_audit_log``, ``cm_audit_customers`` and
``cm_notes`` on SQLite, PostgreSQL and MariaDB/MySQL. No port of the core updates or
deletes them either; the triggers stop anyone with plain SQL access too. The hash chain
still catches what someone who can drop triggers might do.

TRUNCATE fires no row trigger. On PostgreSQL a statement-level ``BEFORE TRUNCATE``
trigger refuses it (``create_truncate_guards``, revision 0010). MariaDB/MySQL have no
TRUNCATE trigger: there ``cm_append_only_anchors``, a table that is never written, refers
to each guarded table by a foreign key, and InnoDB refuses to truncate (or drop) a table
referred to (unless ``foreign_key_checks`` is turned off, which needs no privilege
either: checkpoints catch that, decision 0023). SQLite has no TRUNCATE: ``DELETE``
without ``WHERE`` fires the row triggers.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

GUARDED = ("cm_audit_log", "cm_audit_customers", "cm_notes")
MESSAGE = "append-only: rows of this table are never updated or deleted"


def create_guards(connection: Connection) -> None:
    """Create the refusing triggers for the connection's dialect."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION cm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '%: {MESSAGE} (%)', TG_TABLE_NAME, TG_OP; END; $$"
            )
        )
    for table in GUARDED:
        for operation in ("UPDATE", "DELETE"):
            connection.execute(text(_trigger(dialect, table, operation)))


def drop_guards(connection: Connection) -> None:
    """Remove the triggers (for emptying scratch test databases, and downgrades), the
    TRUNCATE triggers with them (they use the same function)."""
    dialect = connection.dialect.name
    drop_truncate_guards(connection)
    for table in GUARDED:
        for operation in ("UPDATE", "DELETE"):
            name = _name(table, operation)
            on = f" ON {table}" if dialect == "postgresql" else ""
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))
    if dialect == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS cm_refuse_change()"))


def _name(table: str, operation: str) -> str:
    return f"{table}_no_{operation.lower()}"


def _trigger(dialect: str, table: str, operation: str) -> str:
    name = _name(table, operation)
    if dialect == "sqlite":
        return (
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"
        )
    if dialect == "postgresql":
        return (
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cm_refuse_change()"
        )
    return (
        f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW "
        f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{table}: {MESSAGE}'"
    )


def create_truncate_guards(connection: Connection) -> None:
    """PostgreSQL: refuse TRUNCATE of the guarded tables with a statement-level trigger
    (elsewhere nothing to create: see the module's docstring)."""
    if connection.dialect.name != "postgresql":
        return
    for table in GUARDED:
        connection.execute(
            text(
                f"CREATE TRIGGER {_name(table, 'TRUNCATE')} BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION cm_refuse_change()"
            )
        )


def drop_truncate_guards(connection: Connection) -> None:
    """Remove the TRUNCATE triggers (downgrade)."""
    if connection.dialect.name != "postgresql":
        return
    for table in GUARDED:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {_name(table, 'TRUNCATE')} ON {table}"))
