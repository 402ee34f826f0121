"""Schema management: Alembic migrations shipped in this package (R-16.1).

``migrate(url)`` upgrades any supported database to the newest revision; it is what
``customer-master migrate URL`` runs. ``open_storage`` refuses a database whose schema is
not at that revision, with a message that says what to run (docs/decisions/0008).

The migrations keep their own version table, ``cm_alembic_version``, and autogenerate
looks only at customer-master's own tables, so a host ERP can keep its tables and its
own Alembic history in the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL, Connection
from sqlalchemy.schema import SchemaItem

from customer_master_sql.engine import make_engine, parse_url, write_options
from customer_master_sql.tables import metadata

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "cm_alembic_version"


class SchemaNotCurrent(RuntimeError):
    """The database's customer-master schema is missing or at an older revision."""


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migration"
    return head


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def migrate(url: str | URL | Engine) -> str:
    """Upgrade the database at ``url`` (or behind an engine) to the newest schema
    revision; returns that revision. Running it again changes nothing."""
    engine = url if isinstance(url, Engine) else make_engine(parse_url(url)[0])
    try:
        with engine.connect().execution_options(**write_options(engine)) as connection:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
            return current_revision(connection) or ""
    finally:
        if engine is not url:
            engine.dispose()


def check_schema(engine: Engine) -> None:
    """Raise ``SchemaNotCurrent`` unless the schema is at the newest revision."""
    with engine.connect() as connection:
        current = current_revision(connection)
    head = head_revision()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        found = f"is at revision {current}" if current else "has no customer-master tables yet"
        raise SchemaNotCurrent(
            f"The database {where} {found}; this version of customer-master needs revision {head}. "
            f"Upgrade it with `customer-master migrate '{where}'` (or customer_master_sql.migrate(url)), "
            "or open it with '?migrate=1' in the URL to upgrade on opening."
        )


def include_name_for() -> Callable[[str | None, str, Any], bool]:
    """Autogenerate looks at customer-master's tables only, never a host's."""

    def include_name(name: str | None, type_: str, _parents: Any) -> bool:
        return type_ != "table" or name in metadata.tables

    return include_name


def include_object_for(dialect: str) -> Callable[[SchemaItem, str | None, str, bool, Any], bool]:
    """Leave out schema items meant for other databases (``ddl_if(dialect=…)``)."""

    def include_object(item: SchemaItem, _name: str | None, _type: str, reflected: bool, _other: Any) -> bool:
        rule = getattr(item, "_ddl_if", None)
        if reflected or rule is None or rule.dialect is None:
            return True
        wanted = (rule.dialect,) if isinstance(rule.dialect, str) else tuple(rule.dialect)
        return dialect in wanted

    return include_object
