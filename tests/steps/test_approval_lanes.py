"""Steps for features/approval_lanes.feature: lanes, change requests and their approval
(SPEC R-10.1 to R-10.3). The people, the customers on file and the shared steps come
from ``office.py``."""

from __future__ import annotations

from typing import Any

import pytest
from office import (
    OPERATIONS,
    ROLE_WORDS,
    ChangeRequestListener,
    Office,
    role_code,
    said,
    shared_steps,
    snapshot,
    steps_said,
)
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import split_names

from customer_master import Actor, Conflict, CustomerMaster, ValidationFailed
from customer_master.domain.approvals import ALL_OPERATIONS

# Requested up front: the storage under it is a parametrised fixture.
pytestmark = pytest.mark.usefixtures("office")


@pytest.fixture
def office(tenant_with_approvals: CustomerMaster, admin: Actor) -> Office:
    return Office(tenant_with_approvals, admin)


shared_steps()
scenarios("approval_lanes.feature")


# ---------------------------------------------------------------------------
# The tenant's lanes
# ---------------------------------------------------------------------------


@then("the tenant's lanes are:")
def lanes_are(office: Office, datatable: list[list[str]]) -> None:
    policy = office.cm.configuration.get(office.admin).settings.approvals
    shown = [
        [
            operation.replace("_", " "),
            policy.lane_for(operation),
            ", ".join(ROLE_WORDS[r] for r in policy.steps_for(policy.lane_for(operation))) or "nobody",
        ]
        for operation in ALL_OPERATIONS
    ]
    assert shown == datatable[1:]
    assert {OPERATIONS.get(row[0], row[0]) for row in datatable[1:]} == set(ALL_OPERATIONS)


@given("the tenant lets new walk-in customers through without approval")
def walk_ins_green(office: Office) -> None:
    office.cm.configuration.set_approval_lane(office.admin, "create", "green", kind="individual")


@given(parsers.parse("the tenant's yellow lane is approved by the {role} alone"))
def yellow_by_one(office: Office, role: str) -> None:
    office.cm.configuration.set_approval_steps(office.admin, "yellow", [role_code(role)])


# ---------------------------------------------------------------------------
# What a change request holds
# ---------------------------------------------------------------------------


def _asked_for(payload: Any) -> str:
    changes = payload.get("changes", payload)
    return ", ".join(f'{key.replace("_", " ")} "{value}"' for key, value in changes.items())


@then("the request shows:")
def request_shows(office: Office, datatable: list[list[str]]) -> None:
    request = office.request()
    names = {customer_id: name for name, customer_id in office.ids.items()}
    shown = {
        "customer": ", ".join(names[c] for c in request.customer_ids),
        "change": request.operation,
        "asked for": _asked_for(request.payload),
        "submitted by": request.submitter,
        "submitted at": said(request.submitted_at),
        "lane": request.lane,
        "approved by": steps_said(request.steps),
        "state": request.state,
    }
    assert {key: shown[key] for key, _ in datatable} == dict(datatable)


@then("its decisions are:")
def decisions_are(office: Office, datatable: list[list[str]]) -> None:
    shown = [
        [str(a.step + 1), a.role, a.user, a.decision, said(a.at), a.comment or ""]
        for a in office.request().approvals
    ]
    assert shown == datatable[1:]


# ---------------------------------------------------------------------------
# Host modules
# ---------------------------------------------------------------------------


@given("the sales module listens for change requests")
def listens(office: Office) -> None:
    office.listener = ChangeRequestListener(office.cm)
    office.cm.hooks.register(office.listener, name="sales")


@then("the sales module heard, in this order:")
def heard_in_order(office: Office, datatable: list[list[str]]) -> None:
    assert office.listener is not None
    header = datatable[0]
    name = header[3].removeprefix("salesperson of ").split('"')[1]
    shown = [
        [
            h.what,
            office.label_of(h.request_id),
            h.stored_state,
            next(c.salesperson for c in h.stored_customers if c.id == office.ids[name]),
        ]
        for h in office.listener.heard
    ]
    assert shown == datatable[1:]


# ---------------------------------------------------------------------------
# The last approval
# ---------------------------------------------------------------------------


@given(parsers.re(r"every approver but the last has approved (?:it|request (?P<label>\w+))"))
@when(parsers.re(r"every approver but the last has approved (?:it|request (?P<label>\w+))"))
def all_but_last(office: Office, label: str | None) -> None:
    request = office.request(label)
    for role in request.steps[:-1]:
        office.decide(office.approver_for(role, office.request(label)).user, approve=True, label=label)
        office.succeeded()
        assert office.request(label).state == "pending"


@when(parsers.re(r"the last approver approves (?:it|request (?P<label>\w+))"))
def last_approves(office: Office, label: str | None) -> None:
    request = office.request(label)
    assert request.next_step == len(request.steps) - 1
    office.decide(office.approver_for(request.steps[-1], request).user, approve=True, label=label)


@then(parsers.parse('the audit trail has one new record, an "{operation}" of "{name}"'))
def one_new_record(office: Office, operation: str, name: str) -> None:
    before = office.before[office.request().id]
    records = before.new_records(snapshot(office.cm, office.tenant))
    assert [(r.operation, r.customer_ids) for r in records] == [(operation, (office.ids[name],))]


@then(parsers.parse('the other modules are told of one change: "{event}" for "{name}"'))
def told_of_one(office: Office, event: str, name: str) -> None:
    before = office.before[office.request().id]
    events = before.new_events(snapshot(office.cm, office.tenant))
    assert [(e.name, e.payload["customer"]["id"]) for e in events] == [(event, office.ids[name])]


@then(parsers.parse('the approval fails as a conflict, saying "{text}"'))
def fails_as_conflict(office: Office, text: str) -> None:
    assert isinstance(office.error, Conflict), f"expected a conflict, got {office.error!r}"
    assert text in str(office.error)
    assert office.request().outcome == str(office.error)


@then(parsers.parse('the approval fails with an error "{code}" at "{path}"'))
def fails_with_error(office: Office, code: str, path: str) -> None:
    assert isinstance(office.error, ValidationFailed), f"expected validation errors, got {office.error!r}"
    assert (path, code) in office.errors()


@then(parsers.parse("nothing has changed since request {label} was applied"))
def nothing_since(office: Office, label: str) -> None:
    after = office.applied[office.labels[label]]
    now = snapshot(office.cm, office.tenant)
    assert now == after, f"changed since: {after.new_records(now)} {after.new_events(now)}"


# ---------------------------------------------------------------------------
# Finding requests
# ---------------------------------------------------------------------------


def _labels(office: Office, requests: Any) -> list[str]:
    return sorted(office.label_of(r.id) for r in requests)


def _named(text: str) -> list[str]:
    return [] if text == "none" else sorted(split_names(text))


@then("the pending approvals of each person are:")
def pending_approvals(office: Office, datatable: list[list[str]]) -> None:
    for person, requests in datatable[1:]:
        mine = office.cm.approvals.list(office.person(person), mine=True)
        assert _labels(office, mine) == _named(requests), person


@then(parsers.parse('the requests about "{name}" are {labels}'))
def requests_about(office: Office, name: str, labels: str) -> None:
    found = office.cm.approvals.list(office.admin, customer_id=office.ids[name])
    assert _labels(office, found) == _named(labels)


@then(
    parsers.re(
        r"the (?P<state>pending|approved|rejected|failed) requests are (?P<labels>.+?)"
        r"(?:, with the (?P<others>\d+) that put the customers on file)?$"
    )
)
def requests_in_state(office: Office, state: str, labels: str, others: str | None) -> None:
    found = _labels(office, office.cm.approvals.list(office.admin, state=state))
    assert found == sorted(_named(labels) + ["?"] * int(others or 0))
