"""Erasure (R-4.4) on every storage: memory, SQLite, PostgreSQL and MariaDB. After it,
the erased e-mail, phone and street are in no table, no outbox event and no audit
record, the chain still verifies (R-11.2), and what the books need stays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from customer_master import Actor, CustomerMaster, NotFound, hookimpl
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.erasure import PLACEHOLDER
from customer_master_sql.tables import audit_log, erasure_permits, notes
from customer_master_sql.testing import ScratchDatabases

from .conftest import SQL_KINDS, server_url

ADMIN = Actor("acme", "ana", {"admin"})
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAIL, NEW_EMAIL = "jane.tan@example.com", "jane@tan.example.org"
PHONE, STREET, CONTACT = "+60123456789", "12 Jalan Ampang", "Ahmad Contact"
NEEDLES = (EMAIL, NEW_EMAIL, PHONE, STREET, CONTACT, "Jane Tan", "letter-of-jane.pdf")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Host:
    """A host module that remembers the erasures it heard of."""

    def __init__(self) -> None:
        self.erased: list[tuple[str, str, list[str]]] = []

    @hookimpl
    def customer_erased(self, tenant: str, customer_id: str, code: str, fields: list[str]) -> None:
        self.erased.append((customer_id, code, fields))


@pytest.fixture(params=("memory", *SQL_KINDS))
def url(request: pytest.FixtureRequest, sql_servers: ScratchDatabases, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        from customer_master_sql import migrate

        database = f"sqlite:///{tmp_path / 'customer-master.db'}"
        migrate(database)
        return database
    return server_url(sql_servers, str(request.param))


@pytest.fixture
def host() -> Host:
    return Host()


@pytest.fixture
def cm(url: str, host: Host, tmp_path: Path) -> Iterator[CustomerMaster]:
    master = CustomerMaster.from_url(
        url, clock=FixedClock(AT), plugins=[host], load_entry_points=False, documents=tmp_path / "docs"
    )
    master.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia"})
    yield master
    master.close()


def _approve(cm: CustomerMaster, request_id: str, roles: tuple[str, ...]) -> None:
    for number, role in enumerate(roles):
        cm.approvals.approve(Actor("acme", f"approver{number}", {role}), request_id)


def _jane(cm: CustomerMaster) -> str:
    """An individual created through the yellow lane (so a change request holds her
    first values), her e-mail changed, a note, a document and unrelayed events."""
    payload = {
        "name": "Jane Tan",
        "kind": "individual",
        "legal_entity": "MY01",
        "email": EMAIL,
        "phone": "+60 12-345 6789",
        "tax_ids": [{"scheme": "eu.vat", "number": "NL004495445B01"}],
        "credit_limit": "5000.00",
        "addresses": [{"purposes": ["billing"], "line1": STREET, "city": "Kuala Lumpur", "country": "MY"}],
        "contacts": [{"name": CONTACT, "email": "ahmad@example.com"}],
        "bank_accounts": [{"bank_name": "Maybank", "iban": "DE89370400440532013000"}],
    }
    request = cm.customers.create(ADMIN, payload).change_request
    assert request is not None
    _approve(cm, request.id, ("ar_manager", "controller"))
    (customer,) = cm.customers.search(ADMIN, _all()).items
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    cm.customers.update(ADMIN, customer.id, {"email": NEW_EMAIL}, version=customer.version)
    cm.audit.add_note(ADMIN, customer.id, f"Called {PHONE} about {STREET}")
    cm.attachments.attach(ADMIN, customer.id, "letter-of-jane.pdf", PDF)
    with cm.storage.unit_of_work() as uow:  # a relay delivered the first events, not the rest
        first = uow.outbox.pending(2)
        uow.outbox.mark_relayed([e.id for e in first])
        uow.commit()
    return customer.id


def _all() -> Any:
    from customer_master.domain.search import CustomerQuery

    return CustomerQuery(status="any")


def _everything(cm: CustomerMaster, url: str) -> str:
    """Every row of every table (or every value held in memory) as text."""
    if url.startswith("memory"):
        state = cm.storage._state  # type: ignore[attr-defined]
        return repr(vars(state))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = []
            for table in inspect(connection).get_table_names():
                rows += [repr(tuple(row)) for row in connection.execute(text(f"SELECT * FROM {table}"))]
            return "\n".join(rows)
    finally:
        engine.dispose()


def test_an_erasure_leaves_no_personal_value_anywhere_and_the_chain_verifies(
    cm: CustomerMaster, url: str, host: Host
) -> None:
    customer_id = _jane(cm)
    before = _everything(cm, url)
    assert all(needle in before for needle in NEEDLES), [n for n in NEEDLES if n not in before]
    (attachment,) = cm.attachments.list(ADMIN, customer_id)
    assert cm.context.documents is not None
    cm.context.documents.get("acme", attachment.digest)  # the bytes are kept

    result = cm.erasure.erase(ADMIN, customer_id)
    assert result.change_request is not None
    assert result.change_request.lane == "red"
    assert cm.customers.get(ADMIN, customer_id).email == NEW_EMAIL  # nothing before the approvals
    _approve(cm, result.change_request.id, ("ar_manager", "controller", "cfo"))

    after = _everything(cm, url)
    assert [needle for needle in NEEDLES if needle in after] == []
    assert "jane" not in after.casefold()  # nor a word of her name in the search index
    assert cm.audit.verify(ADMIN).is_intact
    erased = cm.customers.get(ADMIN, customer_id)
    assert (erased.name, erased.email, erased.phone) == (PLACEHOLDER, None, None)
    assert (erased.addresses[0].line1, erased.addresses[0].city) == (PLACEHOLDER, "Kuala Lumpur")
    assert [t.number for t in erased.tax_ids] == ["NL004495445B01"]  # kept for the books
    assert str(erased.credit_limit) == "5000.00"
    assert erased.code.startswith("CUS-")
    assert cm.attachments.list(ADMIN, customer_id) == []
    with pytest.raises(NotFound):
        cm.context.documents.get("acme", attachment.digest)
    record = cm.audit.trail(ADMIN, customer_id)[-1]
    assert (record.operation, record.actor) == ("erase", "ana")
    assert record.changes["erasure"]["fields"] == [
        "addresses", "bank_accounts", "contacts", "email", "name", "phone",
    ]  # fmt: skip
    assert host.erased == [(customer_id, erased.code, record.changes["erasure"]["fields"])]
    with cm.storage.unit_of_work() as uow:
        events = uow.outbox.mentioning("acme", [customer_id])
    assert [e.name for e in events][-2:] == ["customer_erased", "change_request_approved"]


def test_the_erasure_of_another_tenants_customer_is_not_found(cm: CustomerMaster) -> None:
    customer_id = _jane(cm)
    outsider = Actor("globex", "otto", {"admin"})
    with pytest.raises(NotFound):
        cm.erasure.erase(outsider, customer_id)
    assert cm.customers.get(ADMIN, customer_id).email == NEW_EMAIL


def test_a_company_keeps_its_name_and_loses_its_contacts(cm: CustomerMaster, url: str) -> None:
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    payload = {
        "name": "Tan Trading Sdn Bhd",
        "kind": "company",
        "legal_entity": "MY01",
        "email": "accounts@tantrading.example",
        "contacts": [{"name": CONTACT, "phone": "+60 3-2161 1234"}],
    }
    company = cm.customers.create(ADMIN, payload).applied
    request = cm.erasure.erase(ADMIN, company.id).change_request
    assert request is not None
    _approve(cm, request.id, ("ar_manager", "controller", "cfo"))
    erased = cm.customers.get(ADMIN, company.id)
    assert (erased.name, erased.contacts[0].name) == ("Tan Trading Sdn Bhd", PLACEHOLDER)
    everything = _everything(cm, url)
    assert CONTACT not in everything
    assert "accounts@tantrading.example" not in everything
    assert cm.audit.verify(ADMIN).is_intact


def test_an_erasure_waits_for_no_other_request_of_the_customer(cm: CustomerMaster) -> None:
    customer_id = _jane(cm)
    cm.configuration.set_approval_lane(ADMIN, "update", "yellow")
    version = cm.customers.get(ADMIN, customer_id).version
    waiting = cm.customers.update(ADMIN, customer_id, {"phone": "+60 12-999 8888"}, version=version)
    assert waiting.change_request is not None
    with pytest.raises(Exception, match="waits; approve or reject it first"):
        cm.erasure.erase(ADMIN, customer_id)


# -- the database guards: one narrow way past, for the erasure only ------------------


@pytest.fixture
def sql_only(url: str) -> str:
    if url.startswith("memory"):
        pytest.skip("the guards are the SQL database's")
    return url


def _seed(url: str) -> None:
    with create_engine(url).begin() as connection:
        connection.execute(
            insert(audit_log),
            [{"tenant": "acme", "sequence": 1, "id": "a1", "operation": "create", "customer_ids": ["c1"],
              "actor": "ana", "occurred_at": AT, "changes": {"email": {"before": None, "after": EMAIL}},
              "approvals": [], "correlation_id": None, "personal": {}, "previous_hash": "", "hash": "h1"}],
        )  # fmt: skip
        connection.execute(
            text("INSERT INTO cm_audit_customers (tenant, customer_id, sequence) VALUES ('acme', 'c1', 1)")
        )
        connection.execute(
            insert(notes),
            [{"tenant": "acme", "id": "n1", "customer_id": "c1", "author": "ana", "at": AT, "text": "Hi"}],
        )


@pytest.mark.parametrize(
    ("statement", "permit"),
    [
        (update(audit_log).values(changes={"email": {"before": None, "after": PLACEHOLDER}}), False),
        (update(audit_log).values(hash="forged", changes={}), True),
        (update(audit_log).values(actor="mallory"), True),
        (update(notes).values(text=PLACEHOLDER), False),
        (update(notes).values(text="Never called"), True),
        (delete(notes), True),
        (delete(audit_log), True),
    ],
    ids=["blank without permit", "hash under permit", "actor under permit", "note without permit",
         "note rewritten under permit", "delete note under permit", "delete audit under permit"],
)  # fmt: skip
def test_the_guards_refuse_all_but_an_erasure_under_its_permit(
    sql_only: str, statement: Any, permit: bool
) -> None:
    _seed(sql_only)
    engine = create_engine(sql_only)
    with engine.connect() as connection:
        if permit:
            connection.execute(insert(erasure_permits), [{"tenant": "acme", "customer_id": "c1"}])
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(statement)
        connection.rollback()
    with engine.connect() as connection:
        assert connection.execute(select(audit_log.c.actor, audit_log.c.hash)).one() == ("ana", "h1")
        assert connection.execute(select(notes.c.text)).one() == ("Hi",)
    engine.dispose()


def test_the_guards_let_an_erasure_blank_under_its_permit(sql_only: str) -> None:
    _seed(sql_only)
    engine = create_engine(sql_only)
    with engine.begin() as connection:
        connection.execute(insert(erasure_permits), [{"tenant": "acme", "customer_id": "c1"}])
        connection.execute(
            update(audit_log).values(changes={"email": {"before": None, "after": PLACEHOLDER}})
        )
        connection.execute(update(notes).values(text=PLACEHOLDER))
        connection.execute(delete(erasure_permits))
    with engine.connect() as connection:
        assert connection.execute(select(audit_log.c.changes)).scalar_one()["email"]["after"] == PLACEHOLDER
        assert connection.execute(select(notes.c.text)).scalar_one() == PLACEHOLDER
    engine.dispose()


def test_an_imports_request_loses_only_the_erased_customers_values(cm: CustomerMaster, url: str) -> None:
    rows = [
        {"name": "Jane Tan", "kind": "individual", "legal_entity": "MY01", "email": "Jane.Tan@Example.com",
         "phone": "+60 12-345 6789"},
        {"name": "Ali Bakar", "kind": "individual", "legal_entity": "MY01", "email": "ali@example.com"},
    ]  # fmt: skip
    request = cm.imports.submit(ADMIN, rows, None, "ab" * 32).change_request
    assert request is not None
    _approve(cm, request.id, ("ar_manager", "controller"))
    jane = next(c for c in cm.customers.search(ADMIN, _all()).items if c.name == "Jane Tan")
    erasure = cm.erasure.erase(ADMIN, jane.id).change_request
    assert erasure is not None
    _approve(cm, erasure.id, ("ar_manager", "controller", "cfo"))
    everything = _everything(cm, url).casefold()
    assert "jane.tan@example.com" not in everything
    assert "jane tan" not in everything
    assert "345 6789" not in everything
    assert "ali@example.com" in everything  # the other customer's row is kept
    with cm.storage.unit_of_work() as uow:  # in the import's events too
        assert [e.name for e in uow.outbox.mentioning("acme", ["ali@example.com"])] == [
            "change_request_submitted", "customer_created", "change_request_approved",
        ]  # fmt: skip
        assert uow.outbox.mentioning("acme", ["Jane.Tan@Example.com", "jane.tan@example.com"]) == []
    assert cm.audit.verify(ADMIN).is_intact


def test_a_hard_delete_takes_the_customers_documents_with_it(cm: CustomerMaster) -> None:
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    payload = {"name": "Walk-in", "kind": "individual", "legal_entity": "MY01"}
    customer = cm.customers.create(ADMIN, payload).applied
    document = cm.attachments.attach(ADMIN, customer.id, "receipt.pdf", PDF)
    request = cm.lifecycle.hard_delete(ADMIN, customer.id).change_request
    assert request is not None
    _approve(cm, request.id, ("ar_manager", "controller", "cfo"))
    assert cm.context.documents is not None
    with pytest.raises(NotFound):
        cm.context.documents.get("acme", document.digest)
    with cm.storage.unit_of_work() as uow:
        assert uow.attachments.get("acme", document.id) is None


def test_revision_0009_goes_down_to_the_strict_guards_and_up_again(sql_only: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from customer_master_sql import migrate
    from customer_master_sql.engine import make_engine, parse_url
    from customer_master_sql.schema import alembic_config

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0009").down_revision
    engine = make_engine(parse_url(sql_only)[0])
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), str(before))
        with engine.connect() as connection:
            assert not inspect(connection).has_table("cm_erasure_permits")
            assert not inspect(connection).has_table("cm_attachments")
        _seed(sql_only)
        with engine.connect() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                connection.execute(update(notes).values(text=PLACEHOLDER))
            connection.rollback()
    finally:
        engine.dispose()
        migrate(sql_only)
    engine = create_engine(sql_only)
    with engine.begin() as connection:  # back at the head: the erasure's way past is there again
        connection.execute(insert(erasure_permits), [{"tenant": "acme", "customer_id": "c1"}])
        connection.execute(update(notes).values(text=PLACEHOLDER))
        connection.execute(delete(erasure_permits))
    with engine.connect() as connection:
        assert connection.execute(select(notes.c.text)).scalar_one() == PLACEHOLDER
    engine.dispose()
