"""Steps for features/audit_trail.feature: one record per applied change, the sealed
chain and its verification, the timeline and notes (SPEC R-11.1 to R-11.3).

Tampering is done "straight in storage", the way someone with database access would:
in the memory storage by replacing a record in its internal list, in the SQL storage by
rewriting the row with plain SQL. Nothing goes through the system's own API.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from office import Office, said, shared_steps, snapshot
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import field_name

from customer_master import Actor, CustomerMaster
from customer_master.domain.audit import ERASED, AuditRecord, ChainReport, record_hash
from customer_master.domain.timeline import Note, TimelineEntry
from customer_master.ports import AuditLog, NoteRepository
from customer_master.services.audit import AuditService

# Requested up front: the storage under it is a parametrised fixture.
pytestmark = pytest.mark.usefixtures("office")


@pytest.fixture
def office(tenant_with_approvals: CustomerMaster, admin: Actor) -> Office:
    return Office(tenant_with_approvals, admin)


shared_steps()
scenarios("audit_trail.feature")


# ---------------------------------------------------------------------------
# One record per applied change
# ---------------------------------------------------------------------------


def _new_records(office: Office) -> tuple[AuditRecord, ...]:
    """Records written since the change in hand was asked for."""
    before = office.before[office.request_id] if office.request_id else office.baseline
    assert before is not None
    return before.new_records(snapshot(office.cm, office.tenant))


def _the_record(office: Office) -> AuditRecord:
    records = _new_records(office)
    assert len(records) == 1, f"expected one new record, got {[r.operation for r in records]}"
    return records[0]


@then("the audit trail has one new record for it, which reads:")
def one_record_reads(office: Office, datatable: list[list[str]]) -> None:
    office.succeeded()
    record = _the_record(office)
    names = {customer_id: name for name, customer_id in office.ids.items()}
    correlation = {office.request_id: "the change request's id", None: "none"}
    shown = {
        "change": record.operation,
        "customers": ", ".join(names.get(c, c) for c in record.customer_ids),
        "submitted by": record.actor,
        "at": said(record.occurred_at),
        "correlation": correlation.get(record.correlation_id, record.correlation_id),
    }
    assert {key: shown[key] for key, _ in datatable} == dict(datatable)


@then("the record's approvals are:")
def record_approvals(office: Office, datatable: list[list[str]]) -> None:
    shown = [
        [str(a["step"] + 1), a["role"], a["user"], said(_at(a["at"])), a["comment"] or ""]
        for a in _the_record(office).approvals
    ]
    assert shown == datatable[1:]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@then("the record's changes are:")
def record_changes(office: Office, datatable: list[list[str]]) -> None:
    changes = _the_record(office).changes
    expected = {field_name(words): (before or None, after or None) for words, before, after in datatable[1:]}
    assert set(changes) == set(expected), f"changed fields: {sorted(changes)}"
    for key, (before, after) in expected.items():
        got = (changes[key]["before"], changes[key]["after"])
        if key == "credit_limit":
            got = tuple(None if v is None else Decimal(v) for v in got)  # type: ignore[assignment]
            before, after = (None if v is None else Decimal(v) for v in (before, after))
        assert got == (before, after), f"{key}: {got}"


_RECORD_NAME = {
    "contact": ("contacts", "name"),
    "address": ("addresses", "label"),
    "bank account": ("bank_accounts", "bank_name"),
}


@then(parsers.parse('the record shows the {kind} of "{customer}" going from none to "{name}"'))
def related_record_change(office: Office, kind: str, customer: str, name: str) -> None:
    key, name_field = _RECORD_NAME[kind]
    record = _the_record(office)
    assert record.customer_ids == (office.ids[customer],)
    assert record.changes[key]["before"] == []
    assert [r[name_field] for r in record.changes[key]["after"]] == [name]


@then(parsers.parse('the record shows "{name}" going from {before} to {after}'))
def merged_status(office: Office, name: str, before: str, after: str) -> None:
    record = _the_record(office)
    side = "source" if record.customer_ids[0] == office.ids[name] else "target"
    assert record.changes[side]["status"] == {"before": before, "after": after}


@then("the audit trail has no new record since it was asked for")
def no_new_record(office: Office) -> None:
    office.succeeded()
    assert _new_records(office) == ()


# ---------------------------------------------------------------------------
# Append-only
# ---------------------------------------------------------------------------

_CHANGING_WORDS = ("update", "delete", "remove", "edit", "replace", "erase", "clear", "truncate", "set")

# What a storage adapter's audit log and notes may offer: reads, appends (one or many at
# once), and the bookkeeping of its own commit.
_APPEND_ONLY = re.compile(r"last|head|for_\w+|append\w*|add\w*|publish")


def _public_methods(kind: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(kind, callable) if not name.startswith("_")}


def _only_reads_and_appends(kind: type) -> None:
    methods = _public_methods(kind)
    assert all(_APPEND_ONLY.fullmatch(m) for m in methods), f"{kind.__name__}: {sorted(methods)}"
    assert not [m for m in methods if any(word in m for word in _CHANGING_WORDS)]


@then("no part of the system offers a way to change or remove an audit record")
def audit_append_only(office: Office) -> None:
    assert _public_methods(AuditLog) == {"last", "head", "append", "for_customer", "for_tenant"}
    with office.cm.storage.unit_of_work() as uow:
        _only_reads_and_appends(type(uow.audit))
    service = _public_methods(AuditService)
    assert service == {"trail", "verify", "checkpoint", "add_note", "notes", "timeline"}


@then("no part of the system offers a way to change or remove a note")
def notes_append_only(office: Office) -> None:
    assert _public_methods(NoteRepository) == {"add", "for_customer"}
    with office.cm.storage.unit_of_work() as uow:
        _only_reads_and_appends(type(uow.notes))
    note = Note(
        id="n", tenant="t", customer_id="c", author="a", at=_at("2026-03-02T09:00:00+00:00"), text="x"
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        note.text = "y"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Verification, and tampering straight in storage
# ---------------------------------------------------------------------------


def _records(office: Office) -> list[AuditRecord]:
    return list(snapshot(office.cm, office.tenant).audit)


def _record(office: Office, sequence: int) -> AuditRecord:
    return next(r for r in _records(office) if r.sequence == sequence)


def _rewrite(office: Office, sequence: int, edited: AuditRecord | None) -> None:
    """Replace (or, with ``None``, remove) a stored record without the system knowing."""
    storage: Any = office.cm.storage
    if hasattr(storage, "_state"):  # the memory storage
        trail: list[AuditRecord] = storage._state.audit
        index = next(i for i, r in enumerate(trail) if r.tenant == office.tenant and r.sequence == sequence)
        if edited is None:
            del trail[index]
        else:
            trail[index] = edited
        return
    from sqlalchemy import delete, update

    from customer_master_sql.mapping import audit_row
    from customer_master_sql.tables import audit_log

    where = (audit_log.c.tenant == office.tenant) & (audit_log.c.sequence == sequence)
    with storage.engine.begin() as connection:
        _drop_guards(connection, audit_log.name)
        if edited is None:
            connection.execute(delete(audit_log).where(where))
        else:
            connection.execute(update(audit_log).where(where).values(**audit_row(edited)))


def _drop_guards(connection: Any, table: str) -> None:
    """Drop the triggers that refuse UPDATE and DELETE on the audit table, as someone with
    database access could: the chain must catch what the database no longer refuses."""
    from sqlalchemy import text

    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"
        for name in connection.execute(text(found), {"table": table}).scalars().all():
            connection.execute(text(f'DROP TRIGGER "{name}"'))
    elif dialect == "postgresql":
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    elif dialect in ("mysql", "mariadb"):
        found = (
            "SELECT trigger_name FROM information_schema.triggers"
            " WHERE event_object_table = :table AND trigger_schema = DATABASE()"
        )
        for name in connection.execute(text(found), {"table": table}).scalars().all():
            connection.execute(text(f"DROP TRIGGER `{name}`"))


def _edit_changes(record: AuditRecord, path: str, value: object) -> AuditRecord:
    changes = copy.deepcopy(dict(record.changes))
    *parents, last = path.split(".")
    node = changes
    for part in parents:
        node = node[part]
    node[last] = value
    return attrs.evolve(record, changes=changes)


def _edit_proof(record: AuditRecord, path: str, part: str, value: str) -> AuditRecord:
    personal = copy.deepcopy({k: dict(v) for k, v in record.personal.items()})
    personal[path][part] = value
    return attrs.evolve(record, personal=personal)


def _approver_swapped(record: AuditRecord) -> AuditRecord:
    approvals = [dict(a) for a in record.approvals]
    approvals[1]["user"] = "mallory"
    return attrs.evolve(record, approvals=tuple(approvals))


_EDITS: dict[str, Callable[[AuditRecord], AuditRecord]] = {
    "the kind of change": lambda r: attrs.evolve(
        r, operation="reactivate" if r.operation != "reactivate" else "x"
    ),
    "the person who asked": lambda r: attrs.evolve(r, actor="mallory"),
    "the time": lambda r: attrs.evolve(r, occurred_at=r.occurred_at + timedelta(days=1)),
    "the customers it names": lambda r: attrs.evolve(r, customer_ids=("someone-else",)),
    "the salesperson before the change": lambda r: _edit_changes(r, "salesperson.before", "Zainal"),
    "the person who approved step 2": _approver_swapped,
    "the change request it names": lambda r: attrs.evolve(r, correlation_id="0" * 32),
    "its seal": lambda r: attrs.evolve(r, hash="f" * 64),
    "its link to the record before it": lambda r: attrs.evolve(r, previous_hash="0" * 64),
    "its sequence number": lambda r: attrs.evolve(r, sequence=60),
    "the e-mail address, keeping its salt": lambda r: _edit_changes(r, "email.after", "mallory@example.com"),
    "the e-mail address, blanking its salt": lambda r: _edit_proof(
        _edit_changes(r, "email.after", "mallory@example.com"), "email.after", "salt", ""
    ),
    "the salt of the e-mail address": lambda r: _edit_proof(r, "email.after", "salt", "0" * 32),
    "the digest of the e-mail address": lambda r: _edit_proof(r, "email.after", "digest", "0" * 64),
}


@given(parsers.re(r"someone edits (?P<what>.+) in audit record (?P<sequence>\d+), straight in storage"))
def edits_record(office: Office, what: str, sequence: str) -> None:
    original = _record(office, int(sequence))
    edited = _EDITS[what](original)
    assert edited != original
    _rewrite(office, original.sequence, edited)


@given(
    parsers.re(
        r"someone edits (?P<what>.+) in audit record (?P<sequence>\d+) and seals it again,"
        r" straight in storage"
    )
)
def edits_and_reseals(office: Office, what: str, sequence: str) -> None:
    original = _record(office, int(sequence))
    edited = _EDITS[what](original)
    resealed = attrs.evolve(edited, hash=record_hash(edited))
    assert resealed.hash != original.hash
    _rewrite(office, original.sequence, resealed)


@given(
    parsers.re(
        r"someone edits (?P<what>.+) in audit record (?P<sequence>\d+), seals it again"
        r" and re-links record (?P<following>\d+) to it, straight in storage"
    )
)
def edits_reseals_and_relinks(office: Office, what: str, sequence: str, following: str) -> None:
    edits_and_reseals(office, what, sequence)
    next_record = _record(office, int(following))
    relinked = attrs.evolve(next_record, previous_hash=_record(office, int(sequence)).hash)
    assert relinked != next_record
    _rewrite(office, next_record.sequence, relinked)


@given(parsers.parse("someone removes audit record {sequence:d}, straight in storage"))
def removes_record(office: Office, sequence: int) -> None:
    _rewrite(office, sequence, None)
    assert sequence not in [r.sequence for r in _records(office)]


@given(parsers.parse("{who} took a checkpoint of the audit trail"))
def took_checkpoint(office: Office, who: str) -> None:
    office.checkpoint = office.cm.audit.checkpoint(office.person(who))
    assert office.checkpoint.sequence == len(_records(office))


@given("someone removes every audit record, straight in storage")
def removes_every_record(office: Office) -> None:
    for record in reversed(_records(office)):
        _rewrite(office, record.sequence, None)
    assert _records(office) == []


@given(parsers.parse("{who} adds the legal entity {code}, which is recorded as record {sequence:d}"))
def adds_entity(office: Office, who: str, code: str, sequence: int) -> None:
    office.cm.configuration.add_legal_entity(office.person(who), {"code": code, "name": f"Acme {code}"})
    assert _records(office)[-1].sequence == sequence


@when(parsers.parse("{who} verifies the audit trail against the checkpoint"))
def verifies_against(office: Office, who: str) -> None:
    office.attempt(lambda: office.cm.audit.verify(office.person(who), against=office.checkpoint))


@given(parsers.parse('audit record {sequence:d} holds the e-mail address "{email}"'))
def record_holds_email(office: Office, sequence: int, email: str) -> None:
    record = _record(office, sequence)
    assert record.changes["email"]["after"] == email
    assert record.personal["email.after"]["salt"]


@when(parsers.parse("an erasure blanks that e-mail address and its salt in audit record {sequence:d}"))
def erasure(office: Office, sequence: int) -> None:
    record = _record(office, sequence)
    erased = _edit_proof(_edit_changes(record, "email.after", ERASED), "email.after", "salt", "")
    _rewrite(office, sequence, erased)


@when(parsers.parse("{who} verifies the audit trail"))
def verifies(office: Office, who: str) -> None:
    office.attempt(lambda: office.cm.audit.verify(office.person(who)))


def _report(office: Office) -> ChainReport:
    report = office.succeeded()
    assert isinstance(report, ChainReport)
    return report


@then(parsers.parse("the audit trail is intact, with {count:d} records checked"))
def intact(office: Office, count: int) -> None:
    report = _report(office)
    assert (report.is_intact, report.checked, report.reason) == (True, count, None)
    assert count == len(_records(office))


@then(parsers.parse('verification fails at record {sequence:d}, because "{reason}"'))
def fails_at(office: Office, sequence: int, reason: str) -> None:
    report = _report(office)
    assert report.first_broken == sequence, report
    assert report.reason is not None
    assert reason in report.reason, report.reason


@then(parsers.parse('no audit record holds "{text}" any more'))
def nowhere(office: Office, text: str) -> None:
    assert text not in repr(_records(office))


# ---------------------------------------------------------------------------
# Timeline and notes
# ---------------------------------------------------------------------------


def _write_note(office: Office, who: str, name: str, text: str) -> None:
    office.attempt(lambda: office.cm.audit.add_note(office.person(who), office.ids[name], text))


@given(parsers.parse('{who} wrote a note on "{name}": "{text}"'))
def wrote_note(office: Office, who: str, name: str, text: str) -> None:
    _write_note(office, who, name, text)
    office.succeeded()


@when(parsers.parse('{who} writes a note on "{name}": "{text}"'))
def writes_note(office: Office, who: str, name: str, text: str) -> None:
    _write_note(office, who, name, text)


@when(parsers.parse('{who} reads the timeline of "{name}"'))
def reads_timeline(office: Office, who: str, name: str) -> None:
    office.attempt(lambda: office.cm.audit.timeline(office.person(who), office.ids[name]))


@then("it reads:")
def timeline_reads(office: Office, datatable: list[list[str]]) -> None:
    entries = office.succeeded()
    assert isinstance(entries, list)
    shown = [[said(e.at), e.actor, e.summary] for e in entries if isinstance(e, TimelineEntry)]
    assert shown == datatable[1:]


@then(parsers.parse('the notes on "{name}" are:'))
def notes_are(office: Office, name: str, datatable: list[list[str]]) -> None:
    notes = office.cm.audit.notes(office.admin, office.ids[name])
    assert [[said(n.at), n.author, n.text] for n in notes] == datatable[1:]


@then(parsers.parse('the note is refused with an error "{code}" at "{path}"'))
def note_refused(office: Office, code: str, path: str) -> None:
    assert office.errors() == [(path, code)]


@then(parsers.parse('"{name}" has no notes'))
def no_notes(office: Office, name: str) -> None:
    assert office.cm.audit.notes(office.admin, office.ids[name]) == []
