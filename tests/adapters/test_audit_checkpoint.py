"""An audit trail that cannot be cut silently (SPEC R-11.2): the database refuses
TRUNCATE of the trail and notes, and a checkpoint kept outside the audited tables shows
a cut tail, an emptied trail and a forged tail that the hash chain alone cannot see.
On SQLite, PostgreSQL and MariaDB (``sql_url``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.exc import DBAPIError

from customer_master import Actor, CustomerMaster
from customer_master.domain.checkpoint import Checkpoint
from customer_master_cli import cli
from customer_master_http import create_app
from customer_master_sql.guards import create_guards, create_truncate_guards, drop_guards
from customer_master_sql.tables import audit_customers, audit_log, notes, outbox

ADMIN = Actor("acme", "ana", {"admin"})


@pytest.fixture
def master(sql_url: str) -> Iterator[CustomerMaster]:
    cm = CustomerMaster.from_url(sql_url, load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    cm.configuration.set_approval_lane(ADMIN, "create", "green")
    yield cm
    cm.close()


def _create(cm: CustomerMaster, name: str) -> str:
    outcome = cm.customers.create(ADMIN, {"name": name, "kind": "individual", "legal_entity": "MY01"})
    return outcome.applied.id


def _without_guards(url: str, statement: object) -> None:
    """What someone with the database's owner rights can do: guards off, a change, guards on."""
    engine = create_engine(url)
    with engine.connect() as connection:
        drop_guards(connection)
        connection.execute(statement)  # type: ignore[call-overload]
        create_guards(connection)
        create_truncate_guards(connection)
        connection.commit()
    engine.dispose()


def _last_sequence(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(select(audit_log.c.sequence).order_by(audit_log.c.sequence.desc())).first()
    engine.dispose()
    return 0 if value is None else int(value[0])


# ---------------------------------------------------------------------------
# TRUNCATE
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["cm_audit_log", "cm_audit_customers", "cm_notes"])
def test_the_database_refuses_to_empty_the_trail(master: CustomerMaster, sql_url: str, table: str) -> None:
    customer = _create(master, "Kedai Runcit Ali")
    master.audit.add_note(ADMIN, customer, "Called")
    engine = create_engine(sql_url)
    dialect = engine.dialect.name
    statements = {
        "sqlite": [f"DELETE FROM {table}"],  # SQLite has no TRUNCATE
        "postgresql": [f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE"],
        "mariadb": [f"TRUNCATE TABLE {table}"],
        "mysql": [f"TRUNCATE TABLE {table}"],
    }[dialect]

    for statement in statements:
        with pytest.raises(DBAPIError) as refused, engine.begin() as connection:
            connection.execute(text(statement))
        message = str(refused.value).lower()
        assert "append-only" in message or "foreign key" in message, message

    with engine.connect() as connection:
        assert connection.execute(select(audit_log.c.sequence)).all() != []
        assert connection.execute(select(audit_customers.c.sequence)).all() != []
        assert connection.execute(select(notes.c.text)).scalars().all() == ["Called"]
    engine.dispose()
    assert master.audit.verify(ADMIN).is_intact


# ---------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------


def test_a_checkpoint_names_the_head_and_leaves_through_the_outbox(
    master: CustomerMaster, sql_url: str
) -> None:
    for name in ("Kedai Runcit Ali", "Bukit Foods", "Syarikat Maju"):
        _create(master, name)

    taken = master.audit.checkpoint(ADMIN)

    records = master.audit.trail(ADMIN)
    assert (taken.sequence, taken.hash) == (records[-1].sequence, records[-1].hash)
    assert taken.sequence == _last_sequence(sql_url)
    engine = create_engine(sql_url)
    with engine.connect() as connection:
        sent = (
            connection.execute(select(outbox.c.payload).where(outbox.c.name == "audit_checkpoint"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert sent == [{"checkpoint": taken.to_data()}]
    assert Checkpoint.from_data(json.loads(json.dumps(sent[0]["checkpoint"]))) == taken
    assert master.audit.verify(ADMIN, against=taken).is_intact


def test_a_cut_tail_is_reported_against_the_checkpoint(master: CustomerMaster, sql_url: str) -> None:
    for name in ("Kedai Runcit Ali", "Bukit Foods", "Syarikat Maju"):
        _create(master, name)
    taken = master.audit.checkpoint(ADMIN)

    _without_guards(sql_url, delete(audit_log).where(audit_log.c.sequence > taken.sequence - 1))

    alone = master.audit.verify(ADMIN)
    assert alone.is_intact  # what the chain alone cannot see
    report = master.audit.verify(ADMIN, against=taken)
    assert report.first_broken == taken.sequence
    assert report.reason is not None
    assert report.reason.startswith("missing tail")


def test_an_emptied_trail_is_reported_with_or_without_a_checkpoint(
    master: CustomerMaster, sql_url: str
) -> None:
    _create(master, "Kedai Runcit Ali")
    taken = master.audit.checkpoint(ADMIN)

    _without_guards(sql_url, delete(audit_log))

    plain = master.audit.verify(ADMIN)
    assert not plain.is_intact
    assert plain.reason is not None
    assert plain.reason.startswith("empty: the tenant has customers")
    against = master.audit.verify(ADMIN, against=taken)
    assert against.reason is not None
    assert against.reason.startswith("empty: the checkpoint")


def test_a_forged_tail_after_a_checkpoint_is_reported(master: CustomerMaster, sql_url: str) -> None:
    for name in ("Kedai Runcit Ali", "Bukit Foods", "Syarikat Maju"):
        _create(master, name)
    taken = master.audit.checkpoint(ADMIN)
    _without_guards(sql_url, delete(audit_log).where(audit_log.c.sequence == taken.sequence))
    _create(master, "Forged Trading")  # chains a new record at the checkpoint's sequence

    assert master.audit.verify(ADMIN).is_intact
    report = master.audit.verify(ADMIN, against=taken)
    assert report.first_broken == taken.sequence
    assert report.reason is not None
    assert report.reason.startswith("forged")


def test_a_trail_that_grew_since_the_checkpoint_is_intact(master: CustomerMaster) -> None:
    _create(master, "Kedai Runcit Ali")
    taken = master.audit.checkpoint(ADMIN)
    _create(master, "Bukit Foods")
    report = master.audit.verify(ADMIN, against=taken)
    assert report.is_intact
    assert report.checked == taken.sequence + 1


def test_another_tenants_checkpoint_is_refused(master: CustomerMaster) -> None:
    _create(master, "Kedai Runcit Ali")
    taken = master.audit.checkpoint(ADMIN)
    from customer_master.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="tenant 'acme'"):
        master.audit.verify(Actor("globex", "otto", {"admin"}), against=taken)


# ---------------------------------------------------------------------------
# The command line and HTTP
# ---------------------------------------------------------------------------


def test_the_command_line_checkpoints_and_verifies_against_a_file(
    master: CustomerMaster, sql_url: str, tmp_path: Path
) -> None:
    for name in ("Kedai Runcit Ali", "Bukit Foods"):
        _create(master, name)
    kept = tmp_path / "acme-checkpoint.json"
    runner = CliRunner()

    taken = runner.invoke(
        cli, ["--url", sql_url, "audit", "checkpoint", "--tenant", "acme", "--output", str(kept)]
    )
    assert taken.exit_code == 0, taken.output
    head = master.audit.trail(ADMIN)[-1]
    assert json.loads(kept.read_text())["sequence"] == head.sequence
    assert json.loads(taken.output)["hash"] == json.loads(kept.read_text())["hash"]

    verify = ["--url", sql_url, "audit", "verify", "--tenant", "acme", "--against", str(kept)]
    intact = runner.invoke(cli, verify)
    assert intact.exit_code == 0, intact.output
    assert f"reaching the checkpoint's record {head.sequence}" in intact.output

    _without_guards(sql_url, delete(audit_log).where(audit_log.c.sequence == head.sequence))
    cut = runner.invoke(cli, verify)
    assert cut.exit_code == 1
    assert f"broken at record {head.sequence}: missing tail" in cut.output

    kept.write_text("{not json")
    unreadable = runner.invoke(cli, verify)
    assert unreadable.exit_code == 1
    assert "is not a checkpoint file" in unreadable.output


def test_http_checkpoints_and_verifies_against_one(master: CustomerMaster, sql_url: str) -> None:
    _create(master, "Kedai Runcit Ali")
    key = master.access.create_api_key("acme", "ana", ["admin"])[0]
    client = create_app(master).test_client()
    headers = {"X-API-Key": key}

    taken = client.post("/audit/checkpoints", headers=headers)
    assert taken.status_code == 201, taken.json
    assert taken.json["sequence"] == master.audit.trail(ADMIN)[-1].sequence
    assert client.post("/audit/verify", json=taken.json, headers=headers).json["intact"] is True

    _without_guards(sql_url, delete(audit_log))
    emptied = client.get("/audit/verify", headers=headers).json
    assert emptied["intact"] is False
    assert emptied["reason"].startswith("empty")
    against = client.post("/audit/verify", json=taken.json, headers=headers).json
    assert against["intact"] is False
    assert against["reason"].startswith("empty: the checkpoint")
    bad = client.post("/audit/verify", json={**taken.json, "taken_at": "yesterday"}, headers=headers)
    assert bad.status_code == 422
    assert [e["path"] for e in bad.json["errors"]] == ["taken_at"]
