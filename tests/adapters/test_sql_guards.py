"""The database itself refuses to change or remove audit records and notes (R-11.2,
R-11.3), on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, delete, insert, update
from sqlalchemy.exc import DBAPIError

from customer_master_sql.tables import audit_log, notes

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _seed(url: str) -> None:
    with create_engine(url).begin() as connection:
        connection.execute(
            insert(audit_log),
            [
                {
                    "tenant": "acme",
                    "sequence": 1,
                    "id": "a1",
                    "operation": "create",
                    "customer_ids": ["c1"],
                    "actor": "ana",
                    "occurred_at": AT,
                    "changes": {},
                    "approvals": [],
                    "correlation_id": None,
                    "personal": {},
                    "previous_hash": "",
                    "hash": "h1",
                }
            ],
        )
        connection.execute(
            insert(notes),
            [
                {
                    "tenant": "acme",
                    "id": "n1",
                    "customer_id": "c1",
                    "author": "ana",
                    "at": AT,
                    "text": "Called",
                }
            ],
        )


@pytest.mark.parametrize(
    "statement",
    [
        update(audit_log).values(actor="mallory"),
        delete(audit_log),
        update(notes).values(text="Never called"),
        delete(notes),
    ],
    ids=["update audit", "delete audit", "update note", "delete note"],
)
def test_the_database_refuses_to_change_the_trail(sql_url: str, statement: object) -> None:
    _seed(sql_url)
    engine = create_engine(sql_url)

    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]

    with engine.connect() as connection:
        assert connection.execute(audit_log.select()).one().actor == "ana"
        assert connection.execute(notes.select()).one().text == "Called"
