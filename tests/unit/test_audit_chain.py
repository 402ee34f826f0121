"""The audit trail's hash chain (SPEC R-11.2): sealing, verification, erasure of personal
values, and that concurrent writers never fork the chain.

The property at the heart of it: take any chain, change any one field of any one record
behind the system's back, and ``verify_chain`` reports exactly that record as the first
broken one.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.audit import (
    ERASED,
    AuditRecord,
    change_set,
    personal_paths,
    record_hash,
    seal,
    value_digest,
    verify_chain,
)
from customer_master.domain.search import CustomerQuery

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def salts() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"salt-{next(counter):04d}"


def chain(contents: list[dict[str, Any]]) -> list[AuditRecord]:
    """Seal records made of ``contents`` one after another, as the transaction does."""
    sealed: list[AuditRecord] = []
    salt = salts()
    for number, content in enumerate(contents, start=1):
        record = AuditRecord(
            id=f"a{number}", tenant="acme", occurred_at=AT + timedelta(minutes=number), **content
        )
        sealed.append(seal(record, previous=sealed[-1] if sealed else None, salt=salt))
    return sealed


UPDATE = {
    "operation": "update",
    "customer_ids": ("c1",),
    "actor": "sam",
    "changes": {
        "salesperson": {"before": "Aminah", "after": "Badrul"},
        "email": {"before": "ar@acme.example", "after": "ap@acme.example"},
    },
    "approvals": (
        {"step": 0, "role": "ar_manager", "user": "alice", "decision": "approved", "at": AT.isoformat()},
    ),
    "correlation_id": "r1",
}
CREATE = {
    "operation": "create",
    "customer_ids": ("c1",),
    "actor": "sam",
    "changes": {"name": {"before": None, "after": "Acme"}, "tier": {"before": None, "after": "gold"}},
}


def replaced(records: list[AuditRecord], index: int, record: AuditRecord | None) -> list[AuditRecord]:
    edited = list(records)
    if record is None:
        del edited[index]
    else:
        edited[index] = record
    return edited


def with_change(record: AuditRecord, path: str, value: object) -> AuditRecord:
    changes = copy.deepcopy(dict(record.changes))
    *parents, last = path.split(".")
    node = changes
    for part in parents:
        node = node[part]
    node[last] = value
    return attrs.evolve(record, changes=changes)


def with_proof(record: AuditRecord, path: str, part: str, value: str) -> AuditRecord:
    personal = {k: dict(v) for k, v in record.personal.items()}
    personal[path][part] = value
    return attrs.evolve(record, personal=personal)


# ---------------------------------------------------------------------------
# Sealing
# ---------------------------------------------------------------------------


def test_sealed_records_are_numbered_and_each_links_to_the_one_before() -> None:
    records = chain([CREATE, UPDATE, UPDATE])
    assert [r.sequence for r in records] == [1, 2, 3]
    assert records[0].previous_hash == ""
    assert [r.previous_hash for r in records[1:]] == [r.hash for r in records[:-1]]
    assert all(r.hash == record_hash(r) for r in records)
    assert len({r.hash for r in records}) == 3


def test_personal_values_enter_the_seal_only_as_their_salted_digest() -> None:
    record = chain([UPDATE])[0]
    assert set(record.personal) == {"email.before", "email.after"}
    proof = record.personal["email.after"]
    assert proof["digest"] == value_digest(proof["salt"], "ap@acme.example")
    # Any value with the same digest seals the same: the value itself is not in the hash.
    assert record_hash(with_change(record, "email.after", "anything")) == record.hash
    # Each value has its own salt, so equal values do not give equal digests.
    twin = chain([UPDATE, UPDATE])
    assert twin[0].personal["email.after"]["digest"] != twin[1].personal["email.after"]["digest"]


def test_personal_values_inside_a_merge_are_found_too() -> None:
    changes = {"source": {"email": {"before": "a@x.example", "after": None}}, "folded": {"addresses": 1}}
    assert personal_paths(changes) == ["source.email.before"]


def test_an_individuals_name_is_personal_but_a_tier_is_not() -> None:
    record = chain([CREATE])[0]
    assert set(record.personal) == {"name.after"}


def test_the_read_models_mark_of_masking_is_never_audited() -> None:
    before = {"name": "Acme", "masked": [], "version": 1}
    after = {"name": "Acme Sdn Bhd", "masked": ["credit_limit"], "version": 2}
    assert change_set(before, after) == {"name": {"before": "Acme", "after": "Acme Sdn Bhd"}}


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------


def test_an_untouched_chain_verifies() -> None:
    report = verify_chain(chain([CREATE, UPDATE, UPDATE, CREATE]))
    assert (report.is_intact, report.checked, report.first_broken, report.reason) == (True, 4, None, None)


def test_an_empty_chain_verifies() -> None:
    assert verify_chain([]).is_intact


def test_a_removed_record_is_reported_where_it_is_missing() -> None:
    records = chain([CREATE, UPDATE, UPDATE, UPDATE])
    report = verify_chain(replaced(records, 1, None))
    assert (report.first_broken, report.checked) == (2, 2)
    assert report.reason is not None
    assert "a record is missing" in report.reason


def test_removing_the_first_record_is_found_at_record_1() -> None:
    report = verify_chain(chain([CREATE, UPDATE])[1:])
    assert report.first_broken == 1


def test_a_record_edited_and_sealed_again_breaks_the_next_link() -> None:
    records = chain([CREATE, UPDATE, UPDATE])
    forged = attrs.evolve(records[1], actor="mallory")
    forged = attrs.evolve(forged, hash=record_hash(forged))
    report = verify_chain(replaced(records, 1, forged))
    assert (report.first_broken, report.reason) == (3, "does not link to the record before it")


def test_a_forger_who_also_relinks_the_next_record_is_found_there() -> None:
    """The link is part of what is sealed: re-pointing the next record at a forged one
    changes that record's content, so its own seal no longer holds."""
    records = chain([CREATE, UPDATE, UPDATE])
    forged = attrs.evolve(records[1], actor="mallory")
    forged = attrs.evolve(forged, hash=record_hash(forged))
    relinked = attrs.evolve(records[2], previous_hash=forged.hash)
    report = verify_chain([records[0], forged, relinked])
    assert (report.first_broken, report.reason) == (3, "its content does not match its hash")


def test_erasing_a_personal_value_with_its_salt_keeps_the_chain_intact() -> None:
    records = chain([CREATE, UPDATE, UPDATE])
    for blank in (None, "", ERASED):
        erased = with_proof(with_change(records[1], "email.after", blank), "email.after", "salt", "")
        assert verify_chain(replaced(records, 1, erased)).is_intact, blank


def test_blanking_only_the_value_keeps_the_chain_intact() -> None:
    records = chain([UPDATE])
    assert verify_chain([with_change(records[0], "email.after", None)]).is_intact


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            lambda r: with_change(r, "email.after", "mallory@example.com"),
            "personal value email.after was altered",
        ),
        (
            lambda r: with_proof(
                with_change(r, "email.after", "mallory@example.com"), "email.after", "salt", ""
            ),
            "its salt is gone but a value remains",
        ),
        (lambda r: with_proof(r, "email.after", "salt", ""), "its salt is gone but a value remains"),
        (
            lambda r: with_proof(r, "email.after", "salt", "another salt"),
            "personal value email.after was altered",
        ),
        (
            lambda r: with_proof(r, "email.after", "digest", "0" * 64),
            "personal value email.after was altered",
        ),
    ],
    ids=["value", "value and blank salt", "blank salt", "salt", "digest"],
)
def test_altering_a_personal_value_or_its_proof_is_found(
    edit: Callable[[AuditRecord], AuditRecord], reason: str
) -> None:
    records = chain([CREATE, UPDATE, UPDATE])
    report = verify_chain(replaced(records, 1, edit(records[1])))
    assert report.first_broken == 2
    assert report.reason is not None
    assert reason in report.reason


# ---------------------------------------------------------------------------
# The property: any single-field edit of any record is found at exactly that record
# ---------------------------------------------------------------------------

names = st.sampled_from(["sam", "alice", "carl", "fiona", "mallory"])
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz@.-", min_size=1, max_size=12)
change = st.fixed_dictionaries({"before": st.none() | words, "after": words})
contents = st.fixed_dictionaries(
    {
        "operation": st.sampled_from(["create", "update", "deactivate", "merge", "credit_hold"]),
        "customer_ids": st.lists(
            st.sampled_from(["c1", "c2", "c3"]), min_size=1, max_size=2, unique=True
        ).map(tuple),
        "actor": names,
        "changes": st.dictionaries(
            st.sampled_from(["email", "phone", "salesperson", "tier", "notes"]), change, max_size=4
        ),
        "approvals": st.lists(
            st.fixed_dictionaries({"role": st.sampled_from(["ar_manager", "controller"]), "user": names}),
            max_size=2,
        ).map(tuple),
        "correlation_id": st.none() | st.sampled_from(["r1", "r2"]),
    }
)

FIELDS = [
    "id",
    "tenant",
    "operation",
    "customer_ids",
    "actor",
    "occurred_at",
    "changes",
    "approvals",
    "correlation_id",
    "sequence",
    "personal",
    "previous_hash",
    "hash",
]


def edited(record: AuditRecord, name: str, data: st.DataObject) -> AuditRecord:
    """``record`` with field ``name`` given another value (Hypothesis draws which)."""
    current = getattr(record, name)
    if name == "sequence":
        return attrs.evolve(record, sequence=data.draw(st.integers(0, 1000).filter(lambda n: n != current)))
    if name == "occurred_at":
        return attrs.evolve(record, occurred_at=current + timedelta(seconds=data.draw(st.integers(1, 10**6))))
    if name == "customer_ids":
        return attrs.evolve(record, customer_ids=(*current, "c9"))
    if name == "approvals":
        return attrs.evolve(record, approvals=(*current, {"role": "cfo", "user": "mallory"}))
    if name == "changes":
        if not current:
            return attrs.evolve(record, changes={"tier": {"before": None, "after": "gold"}})
        field = data.draw(st.sampled_from(sorted(current)))
        side = data.draw(st.sampled_from(["before", "after"]))
        # Replaced by another value: blanking a personal value is what an erasure may do.
        value = data.draw(words.filter(lambda w: w != current[field][side]))
        return with_change(record, f"{field}.{side}", value)
    if name == "personal":
        if not current:
            return attrs.evolve(record, personal={"tier.after": {"salt": "s", "digest": "d"}})
        path = data.draw(st.sampled_from(sorted(current)))
        part = data.draw(st.sampled_from(["salt", "digest"]))
        return with_proof(record, path, part, data.draw(words.filter(lambda w: w != current[path][part])))
    text = data.draw(words.filter(lambda w: w != current))
    return attrs.evolve(record, **{name: text})


@settings(max_examples=300, deadline=None)
@given(records=st.lists(contents, min_size=1, max_size=6).map(chain), data=st.data())
def test_any_single_field_edit_of_any_record_is_found_at_exactly_that_record(
    records: list[AuditRecord], data: st.DataObject
) -> None:
    assert verify_chain(records).is_intact
    index = data.draw(st.integers(0, len(records) - 1), label="record")
    name = data.draw(st.sampled_from(FIELDS), label="field")
    tampered = edited(records[index], name, data)
    assert tampered != records[index]
    report = verify_chain(replaced(records, index, tampered))
    assert report.first_broken == index + 1, report
    assert report.checked == index + 1


# ---------------------------------------------------------------------------
# Concurrent writers through the façade never fork the chain
# ---------------------------------------------------------------------------

ADMIN = Actor("acme", "ana", {"admin"})
WRITERS, CHANGES_EACH = 8, 6


@pytest.fixture
def shop() -> Iterator[CustomerMaster]:
    cm = CustomerMaster.from_url("memory://", clock=FixedClock(AT), load_entry_points=False)
    cm.configuration.add_legal_entity(ADMIN, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(ADMIN, operation, "green")
    yield cm
    cm.close()


def test_concurrent_writers_never_fork_the_chain(shop: CustomerMaster) -> None:
    before = len(shop.audit.trail(ADMIN))
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        clerk = Actor("acme", f"clerk{number}", {"sales_admin", "ar_manager"})
        try:
            start.wait()
            for step in range(CHANGES_EACH // 2):
                created = shop.customers.create(
                    clerk, {"name": f"Kedai {number}-{step}", "kind": "individual", "legal_entity": "MY01"}
                )
                customer = created.applied
                shop.credit.set_hold(clerk, customer.id, reason=f"check {number}-{step}")
        except BaseException as problem:  # report it from the main thread
            failures.append(problem)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    trail = shop.audit.trail(ADMIN)
    assert len(trail) == before + WRITERS * CHANGES_EACH
    assert [r.sequence for r in trail] == list(range(1, len(trail) + 1))
    assert len({r.previous_hash for r in trail}) == len(trail), "two records chained onto the same one"
    report = shop.audit.verify(ADMIN)
    assert (report.is_intact, report.checked) == (True, len(trail))
    codes = [c.code for c in shop.customers.search(ADMIN, CustomerQuery(status="any", limit=1000)).items]
    assert len(set(codes)) == WRITERS * CHANGES_EACH // 2
