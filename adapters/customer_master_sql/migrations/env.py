"""Alembic environment for customer-master's schema.

Run through ``customer_master_sql.migrate(url)`` (which hands over an open connection in
``config.attributes["connection"]``) or through the ``alembic`` command with
``sqlalchemy.url`` set. Only customer-master's own tables are compared and migrated;
the version table is ``cm_alembic_version``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from customer_master_sql.engine import make_engine, parse_url, write_options
from customer_master_sql.schema import VERSION_TABLE, include_name_for, include_object_for
from customer_master_sql.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_name=include_name_for(),
        include_object=include_object_for(connection.dialect.name),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif (shared := config.attributes.get("connection")) is not None:
    run(shared)
else:
    engine = make_engine(parse_url(config.get_main_option("sqlalchemy.url") or "")[0])
    try:
        with engine.connect().execution_options(**write_options(engine)) as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()
