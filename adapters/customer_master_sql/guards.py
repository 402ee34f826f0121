"""Database guards that make the audit trail and notes append-only (SPEC R-11.2, R-11.3):
triggers that refuse UPDATE and DELETE on ``cm_audit_log``, ``cm_audit_customers`` and
``cm_notes`` on SQLite, PostgreSQL and MariaDB/MySQL. No port of the core updates or
deletes them either; the triggers stop anyone with plain SQL access too. The hash chain
still catches what someone who can drop triggers might do.

One narrow way past exists, for erasure (R-4.4, docs/decisions/0036): from revision 0009
on, an UPDATE of an audit record passes only while ``cm_erasure_permits`` names a
customer the record names (the erasure writes that row first and deletes it before it
commits), and only if it leaves every column but ``changes`` and ``personal`` as it was
— the hash above all, so ``verify`` still proves that nothing but personal values and
their salts were blanked. An UPDATE of a note passes only under the same permit and
only to set its text to ``[erased]``. DELETE stays refused.

TRUNCATE fires no row trigger. On PostgreSQL a statement-level ``BEFORE TRUNCATE``
trigger refuses it (``create_truncate_guards``, revision 0010). MariaDB/MySQL have no
TRUNCATE trigger: there ``cm_append_only_anchors``, a table that is never written, refers
to each guarded table by a foreign key, and InnoDB refuses to truncate (or drop) a table
referred to (unless ``foreign_key_checks`` is turned off, which needs no privilege
either: checkpoints catch that, decision 0023). SQLite has no TRUNCATE: ``DELETE``
without ``WHERE`` fires the row triggers.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

GUARDED = ("cm_audit_log", "cm_audit_customers", "cm_notes")
MESSAGE = "append-only: rows of this table are never updated or deleted"
PERMITS = "cm_erasure_permits"
ERASABLE = ("cm_audit_log", "cm_notes")
PLACEHOLDER = "[erased]"

# Columns an erasure leaves as they were (nullable ones compared null-safely).
_KEPT = {
    "cm_audit_log": (
        ["tenant", "sequence", "id", "operation", "actor", "occurred_at", "previous_hash", "hash"],
        ["correlation_id", "channel"],
    ),
    "cm_notes": (["row_id", "tenant", "id", "customer_id", "author", "at"], []),
}
_PERMITTED = {
    "cm_audit_log": (
        f"EXISTS (SELECT 1 FROM {PERMITS} p JOIN cm_audit_customers c "
        "ON c.tenant = p.tenant AND c.customer_id = p.customer_id "
        "WHERE c.tenant = OLD.tenant AND c.sequence = OLD.sequence)"
    ),
    "cm_notes": (
        f"EXISTS (SELECT 1 FROM {PERMITS} p WHERE p.tenant = OLD.tenant AND p.customer_id = OLD.customer_id)"
        f" AND NEW.text = '{PLACEHOLDER}'"
    ),
}
_SAME_OR_BOTH_NULL = {"sqlite": "IS", "postgresql": "IS NOT DISTINCT FROM"}


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
    if inspect(connection).has_table(PERMITS):
        allow_erasure(connection)


def allow_erasure(connection: Connection) -> None:
    """Replace the UPDATE guards of the audit trail and notes by the ones that let an
    erasure under a permit through (revision 0009)."""
    dialect = connection.dialect.name
    for table in ERASABLE:
        _drop_trigger(connection, table, "UPDATE")
        if dialect == "postgresql":
            connection.execute(
                text(
                    f"CREATE OR REPLACE FUNCTION {_function(table)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN IF {_erasure(dialect, table)} THEN RETURN NEW; END IF; "
                    f"RAISE EXCEPTION '%: {MESSAGE} (%)', TG_TABLE_NAME, TG_OP; END; $$"
                )
            )
        connection.execute(text(_erasure_trigger(dialect, table)))


def forbid_erasure(connection: Connection) -> None:
    """Put the strict UPDATE guards of revision 0003 back (the downgrade of 0009)."""
    dialect = connection.dialect.name
    for table in ERASABLE:
        _drop_trigger(connection, table, "UPDATE")
        if dialect == "postgresql":
            connection.execute(text(f"DROP FUNCTION IF EXISTS {_function(table)}()"))
        connection.execute(text(_trigger(dialect, table, "UPDATE")))


def _function(table: str) -> str:
    return f"cm_guard_{table}_erasure"


def _erasure(dialect: str, table: str) -> str:
    """The condition under which an UPDATE of ``table`` is an erasure's."""
    same, same_or_null = _KEPT[table]
    null_safe = _SAME_OR_BOTH_NULL.get(dialect, "<=>")
    kept = [f"NEW.{c} = OLD.{c}" for c in same] + [f"NEW.{c} {null_safe} OLD.{c}" for c in same_or_null]
    return f"({_PERMITTED[table]} AND {' AND '.join(kept)})"


def _erasure_trigger(dialect: str, table: str) -> str:
    name = _name(table, "UPDATE")
    if dialect == "sqlite":
        return (
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} WHEN NOT {_erasure(dialect, table)} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"
        )
    if dialect == "postgresql":
        return (
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {_function(table)}()"
        )
    return (
        f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
        f"BEGIN IF NOT {_erasure(dialect, table)} THEN "
        f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{table}: {MESSAGE}'; END IF; END"
    )


def _drop_trigger(connection: Connection, table: str, operation: str) -> None:
    on = f" ON {table}" if connection.dialect.name == "postgresql" else ""
    connection.execute(text(f"DROP TRIGGER IF EXISTS {_name(table, operation)}{on}"))


def drop_guards(connection: Connection) -> None:
    """Remove the triggers (for emptying scratch test databases, and downgrades), the
    TRUNCATE triggers with them (they use the same function)."""
    dialect = connection.dialect.name
    drop_truncate_guards(connection)
    for table in GUARDED:
        for operation in ("UPDATE", "DELETE"):
            _drop_trigger(connection, table, operation)
    if dialect == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS cm_refuse_change()"))
        for table in ERASABLE:
            connection.execute(text(f"DROP FUNCTION IF EXISTS {_function(table)}()"))


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
