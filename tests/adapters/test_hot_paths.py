"""The read hot paths open no unit of work (issue 15): with the configuration cache and
the API key cache fresh, a price resolution, a credit check and an HTTP GET of a
customer take no connection from the writers' pool and begin no transaction — they
read committed rows on the reader's connections (docs/decisions/0014).

Transactions are heard where the driver runs statements (SQLite's trace callback,
psycopg's ``Cursor.execute``); checkouts where SQLAlchemy's pool hands out connections."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from customer_master import Actor, CustomerMaster
from customer_master_http import create_app

ADMIN = Actor("acme", "ana", {"admin"})
_HEARD: list[str] = []


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(_HEARD.append)

    psycopg = pytest.importorskip("psycopg")
    original = psycopg.Cursor.execute

    def execute(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        _HEARD.append(str(query))
        return original(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", execute)
    from sqlalchemy.pool import Pool

    event.listen(Pool, "connect", on_connect)
    yield _HEARD
    event.remove(Pool, "connect", on_connect)
    _HEARD.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def master(request: pytest.FixtureRequest, tmp_path: Any, heard: list[str]) -> Iterator[CustomerMaster]:
    if request.param == "postgresql":
        url = str(request.getfixturevalue("postgresql_url"))
    else:
        url = f"sqlite:///{tmp_path / 'hot.db'}?migrate=1"
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "US01", "name": "Acme Inc", "currency": "USD"})
    cm.configuration.set_approval_lane(ADMIN, "create", "green")
    cm.configuration.save_price_list(
        ADMIN,
        {
            "code": "STD",
            "name": "Standard",
            "currency": "USD",
            "lines": [{"item_code": "BOLT", "unit_price": "1.5"}],
        },
    )
    cm.configuration.update_settings(ADMIN, {"standard_price_list": "STD"})
    yield cm
    cm.close()


def _writer_checkouts(cm: CustomerMaster) -> list[object]:
    taken: list[object] = []
    event.listen(cm.storage.engine, "checkout", lambda *a: taken.append(a))  # type: ignore[attr-defined]
    return taken


def test_reads_on_the_hot_paths_take_no_writer_connection_and_begin_nothing(
    master: CustomerMaster, heard: list[str]
) -> None:
    customer = master.customers.create(
        ADMIN, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "US01", "credit_limit": "500"}
    ).applied
    key = master.access.create_api_key("acme", "ana", ["admin"])[0]
    client = create_app(master).test_client()

    def hot_reads() -> None:
        price = master.pricing.resolve(
            ADMIN, customer.id, entity="US01", item_code="BOLT", quantity=Decimal(2), on=date(2026, 3, 2)
        )
        assert price.unit_price == Decimal("1.5")
        decision = master.credit.check(ADMIN, customer.id, entity="US01", amount=Decimal("100"))
        assert decision.outcome == "approved"
        response = client.get(f"/customers/{customer.id}", headers={"X-API-Key": key})
        assert response.status_code == 200
        assert response.json["id"] == customer.id

    hot_reads()  # caches filled
    taken = _writer_checkouts(master)
    heard.clear()

    hot_reads()

    assert taken == []
    transactions = [s for s in heard if s.strip().upper().startswith(("BEGIN", "SAVEPOINT"))]
    assert transactions == []
    assert heard, "the reads were heard at the driver"


def test_a_revoked_key_stops_at_once_through_the_same_storage(master: CustomerMaster) -> None:
    secret, key = master.access.create_api_key("acme", "ana", ["admin"])
    client = create_app(master).test_client()
    assert client.get("/me", headers={"X-API-Key": secret}).status_code == 200
    master.access.revoke_api_key("acme", key.id)
    assert client.get("/me", headers={"X-API-Key": secret}).status_code == 401
