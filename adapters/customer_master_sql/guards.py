"""Database guards that make the audit trail and notes append-only (SPEC R-11.2, R-11.3):
triggers that refuse UPDATE and DELETE on ``cm_audit_log``, ``cm_audit_customers`` and
``cm_notes`` on SQLite, PostgreSQL and MariaDB/MySQL. No port of the core updates or
deletes them either; the triggers stop anyone with plain SQL access too. The hash chain
still catches what someone who can drop triggers might do.
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
    """Remove the triggers (for emptying scratch test databases, and downgrades)."""
    dialect = connection.dialect.name
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
