"""The shipped Alembic migrations create exactly the schema the adapter maps, on every
supported database, and a database not at the newest revision is refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from attrs import evolve
from sqlalchemy import Column, Connection, MetaData, String, inspect

from customer_master import CustomerMaster
from customer_master.domain.customer import Customer
from customer_master_sql import SchemaNotCurrent, SqlStorage, head_revision, migrate, open_storage
from customer_master_sql.engine import make_engine, parse_url
from customer_master_sql.schema import VERSION_TABLE, include_name_for, include_object_for
from customer_master_sql.tables import metadata


def differences(url: str, target: MetaData) -> list[object]:
    engine = make_engine(parse_url(url)[0])
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "version_table": VERSION_TABLE,
                    "include_name": include_name_for(),
                    "include_object": include_object_for(engine.dialect.name),
                },
            )
            return list(compare_metadata(context, target))
    finally:
        engine.dispose()


def test_the_migrations_create_exactly_the_mapped_schema(sql_url: str) -> None:
    assert differences(sql_url, metadata) == []


def test_the_comparison_would_see_a_difference(sql_url: str) -> None:
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["cm_notes"].append_column(Column("mood", String(10)))

    added = [d for d in differences(sql_url, changed) if isinstance(d, tuple) and d[0] == "add_column"]

    assert [(d[2], d[3].name) for d in added] == [("cm_notes", "mood")]  # type: ignore[index]


def test_migrating_again_changes_nothing(sql_url: str) -> None:
    assert migrate(sql_url) == head_revision()
    assert differences(sql_url, metadata) == []


def test_every_table_is_there_with_its_tenant_column(sql_url: str) -> None:
    engine = make_engine(parse_url(sql_url)[0])
    try:
        inspector = inspect(engine)
        for table in metadata.sorted_tables:
            assert "tenant" in {c["name"] for c in inspector.get_columns(table.name)}, table.name
    finally:
        engine.dispose()


def test_a_database_without_the_schema_is_refused_with_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"

    with pytest.raises(SchemaNotCurrent) as refused:
        open_storage(url)

    message = str(refused.value)
    assert "has no customer-master tables yet" in message
    assert "customer-master migrate" in message
    assert "?migrate=1" in message


def test_migrate_in_the_url_upgrades_on_opening(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"

    storage = open_storage(url + "?migrate=1")
    storage.close()
    again = open_storage(url)  # now current: opens without migrating

    assert isinstance(again, SqlStorage)
    again.close()


def test_the_facade_finds_the_sql_adapter_by_url(tmp_path: Path) -> None:
    master = CustomerMaster.from_url(f"sqlite:///{tmp_path / 'cm.db'}?migrate=1", load_entry_points=False)
    try:
        assert isinstance(master.storage, SqlStorage)
    finally:
        master.close()


def test_revision_0002_fills_the_document_of_customers_stored_before_it(tmp_path: Path) -> None:
    """Customers written under revision 0001 (row and related-record rows only) read back
    whole after the upgrade adds and fills ``cm_customers.document``."""
    import sys

    from alembic import command

    from customer_master_sql.schema import alembic_config

    sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
    from contract_values import full_customer, plain_customer

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(parse_url(url)[0])
    stored = [full_customer(), plain_customer(2), full_customer(tenant="other", id="c9", code="CUS-0009")]
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
        with engine.begin() as connection:
            for customer in stored:
                write_as_before_0005(connection, customer)
    finally:
        engine.dispose()

    migrate(url)
    storage = open_storage(url)
    try:
        with storage.unit_of_work() as uow:
            assert [uow.customers.get(c.tenant, c.id) for c in stored] == stored
    finally:
        storage.close()


def test_revision_0004_fills_the_name_pairs_of_customers_stored_before_it(sql_url: str) -> None:
    """Customers written under revision 0003 get the pairs of adjacent words of their name,
    exactly as the adapter writes them for a new customer (on each database: the name is
    read from the stored JSON document)."""
    import sys

    from alembic import command
    from sqlalchemy import select

    from customer_master_sql import mapping
    from customer_master_sql.schema import alembic_config
    from customer_master_sql.tables import name_pairs

    sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
    from contract_values import full_customer, plain_customer

    stored = [
        full_customer(),
        plain_customer(2),
        full_customer(tenant="other", id="c9", code="CUS-0009"),
        plain_customer(3),
    ]
    stored[-1] = evolve(stored[-1], name="  Société   Générale  de Banque  Générale ")
    engine = make_engine(parse_url(sql_url)[0])
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0003")
        with engine.begin() as connection:
            for customer in stored:
                write_as_before_0005(connection, customer)
        migrate(sql_url)
        with engine.connect() as connection:
            p = name_pairs.c
            pairs = select(p.tenant, p.customer_id, p.pair, p.code)
            found = [tuple(row) for row in connection.execute(pairs)]
    finally:
        engine.dispose()
    expected = {(c.tenant, c.id, pair, c.code) for c in stored for pair in mapping.name_pairs(c.name)}
    assert sorted(found) == sorted(expected)
    last = stored[-1]
    assert {pair for tenant, owner, pair, _ in found if (tenant, owner) == (last.tenant, last.id)} == {
        "societe generale",
        "generale de",
        "de banque",
        "banque generale",
    }


def test_revision_0005_keys_the_searched_rows_and_its_downgrade_writes_the_old_ones_back(
    sql_url: str,
) -> None:
    """Customers written under revision 0004 (a row per related record) keep exactly their
    key rows after the upgrade — as the adapter writes them for a new customer — and read
    back unchanged; downgrading writes every old row back from the documents."""
    import sys

    from alembic import command
    from sqlalchemy import select

    from customer_master_sql import legacy, mapping
    from customer_master_sql.schema import alembic_config

    sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
    from contract_values import full_customer, plain_customer

    stored = [full_customer(), plain_customer(2), full_customer(tenant="other", id="c9", code="CUS-0009")]
    engine = make_engine(parse_url(sql_url)[0])
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        with engine.begin() as connection:
            for customer in stored:
                write_as_before_0005(connection, customer, pairs=True)
        migrate(sql_url)
        with engine.connect() as connection:
            for table, _ in mapping.KEYED:
                found = {tuple(sorted(row._asdict().items())) for row in connection.execute(select(table))}
                expected = {
                    tuple(sorted(row.items())) for c in stored for row in mapping.key_rows(c).get(table, ())
                }
                assert found == expected, table.name
        storage = open_storage(sql_url)
        try:
            with storage.unit_of_work() as uow:
                assert [uow.customers.get(c.tenant, c.id) for c in stored] == stored
        finally:
            storage.close()
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        with engine.connect() as connection:
            for table, rows in legacy.related_rows(stored[0]).items():
                held = [
                    r._asdict() for r in connection.execute(select(table).where(table.c.customer_id == "c1"))
                ]
                assert sorted(held, key=repr) == sorted(rows, key=repr), table.name
        migrate(sql_url)
    finally:
        engine.dispose()


def write_as_before_0005(connection: Connection, customer: Customer, *, pairs: bool = False) -> None:
    """Store ``customer`` as revisions 0001 to 0004 did: its row (with the related-table
    bits, and the document where the table has one), its related-record rows and its name
    words (and pairs, from 0004 on)."""
    from sqlalchemy import insert

    from customer_master_sql import legacy, mapping

    table = legacy.stored_customers(connection)
    row = {**mapping.customer_row(customer), "related": legacy.related_bits(customer)}
    connection.execute(insert(table), [{k: v for k, v in row.items() if k in table.c}])
    for related, rows in legacy.related_rows(customer).items():
        if pairs or related is not legacy.name_pairs:
            connection.execute(insert(related), rows)


def test_revision_0007_keeps_the_last_prices_and_fills_the_override_currencies(sql_url: str) -> None:
    """The invoiced rates kept before 0007 are kept after it, and each entity override's
    currency is filled from its customer's document (the aging reads it); downgrading
    keeps each item's newest rate."""
    import sys
    from datetime import date
    from decimal import Decimal

    from alembic import command
    from sqlalchemy import select, text

    from customer_master.domain.customer import EntityOverride
    from customer_master.domain.pricing import LastPrice
    from customer_master_sql.schema import alembic_config
    from customer_master_sql.tables import overrides

    sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
    from contract_values import add_committed, plain_customer

    migrate(sql_url)
    storage = open_storage(sql_url)
    try:
        add_committed(storage, plain_customer(1, overrides=(EntityOverride(entity="SG01", currency="SGD"),)))
        for day, price in ((1, "9.00"), (5, "9.50")):
            rate = LastPrice(unit_price=Decimal(price), currency="USD", invoiced_on=date(2026, 3, day))
            storage.last_prices.record("acme", "c1", "BOLT", rate)
    finally:
        storage.close()
    engine = make_engine(parse_url(sql_url)[0])
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0006")
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT unit_price, invoiced_on FROM cm_last_prices")).all()
        assert [(Decimal(p), str(d)[:10]) for p, d in kept] == [(Decimal("9.50"), "2026-03-05")]
        migrate(sql_url)
        with engine.connect() as connection:
            currencies = connection.execute(select(overrides.c.entity, overrides.c.currency)).all()
        assert [tuple(row) for row in currencies] == [("SG01", "SGD")]
        storage = open_storage(sql_url)
        try:
            found = storage.last_prices.last_prices(
                "acme", "c1", "BOLT", on=date(2026, 3, 31), currency="USD"
            )
        finally:
            storage.close()
        assert [p.unit_price for p in found] == [Decimal("9.50")]
    finally:
        engine.dispose()
