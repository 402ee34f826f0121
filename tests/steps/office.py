"""The people and the paperwork of the approval, audit and access features
(``approval_lanes``, ``audit_trail``, ``roles_and_masking``).

An ``Office`` is one tenant at work: the people in it with their roles, the customers a
scenario names, the change requests it names ("request A"), and the answer to the last
thing someone tried. Before every change someone asks for, it takes a ``Snapshot`` of
what the change could touch — the customers as stored, the audit trail, and what the
other modules are told (the outbox, less the change-request notices) — so a scenario can
say "nothing has changed yet" and mean exactly that.

``shared_steps()`` registers the steps the three features share into the calling test
module (pytest-bdd's ``stacklevel``), so each step module holds only its own steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from attrs import define, field, frozen
from pytest_bdd import given, parsers, then, when
from vocabulary import field_name, slug, split_names, value_of

from customer_master import Actor, CustomerMaster, CustomerMasterError, ValidationFailed, hookimpl
from customer_master.clock import FixedClock
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import AuditRecord
from customer_master.domain.checkpoint import Checkpoint
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event
from customer_master.domain.search import CustomerQuery
from customer_master.services.base import Outcome
from customer_master.services.lifecycle import DeleteResult, MergeResult

# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------

ROLES = {
    "sales admin": "sales_admin",
    "AR manager": "ar_manager",
    "controller": "controller",
    "CFO": "cfo",
    "viewer": "viewer",
    "auditor": "auditor",
    "administrator": "admin",
}
ROLE_WORDS = {code: words for words, code in ROLES.items()}

OPERATIONS = {"hard delete": "hard_delete", "credit hold": "credit_hold"}


def role_code(words: str) -> str:
    """ "AR manager" → "ar_manager"; a role the tenant made up ("credit clerk") → "credit_clerk"."""
    return ROLES.get(words, words.replace(" ", "_"))


def roles_of(words: str) -> set[str]:
    """ "AR manager and controller" → {"ar_manager", "controller"}."""
    return {role_code(w) for w in split_names(words)}


def moment(text: str) -> datetime:
    """ "2 March 2026 10:15" as an aware datetime (UTC, the clock's zone)."""
    return datetime.strptime(text, "%d %B %Y %H:%M").replace(tzinfo=UTC)


def said(at: datetime) -> str:
    """A moment as the features write it: "2 March 2026 10:15"."""
    return f"{at.day} {at:%B %Y %H:%M}"


def steps_said(roles: tuple[str, ...]) -> str:
    return ", then ".join(ROLE_WORDS.get(r, r) for r in roles) or "nobody"


# ---------------------------------------------------------------------------
# What a change could touch
# ---------------------------------------------------------------------------


@frozen
class Snapshot:
    """What is stored for one tenant at one moment, as far as a change could touch it."""

    customers: tuple[Customer, ...]
    audit: tuple[AuditRecord, ...]
    told: tuple[Event, ...]  # outbox events other than change-request notices

    def new_records(self, later: Snapshot) -> tuple[AuditRecord, ...]:
        return later.audit[len(self.audit) :]

    def new_events(self, later: Snapshot) -> tuple[Event, ...]:
        return later.told[len(self.told) :]


def snapshot(cm: CustomerMaster, tenant: str) -> Snapshot:
    """Read straight from storage: unmasked, whoever is asking."""
    with cm.storage.unit_of_work() as uow:
        customers = uow.customers.list(tenant, CustomerQuery(status="any", limit=1000)).items
        audit = uow.audit.for_tenant(tenant)
        told = [
            e
            for e in uow.outbox.pending(limit=100_000)
            if e.tenant == tenant and not e.name.startswith("change_request_")
        ]
    return Snapshot(tuple(customers), tuple(audit), tuple(told))


# ---------------------------------------------------------------------------
# A host module that listens for change requests
# ---------------------------------------------------------------------------


@frozen
class Heard:
    """A change-request notice, with what was stored at the moment it was heard."""

    what: str  # submitted / approved / rejected
    request_id: str
    stored_state: str | None
    stored_customers: tuple[Customer, ...]


@define
class ChangeRequestListener:
    """What a host ERP's sales module would plug in to follow approvals."""

    cm: CustomerMaster
    heard: list[Heard] = field(factory=list)

    def _hear(self, event: Event, request: Mapping[str, Any]) -> None:
        with self.cm.storage.unit_of_work() as uow:
            stored = uow.change_requests.get(event.tenant, str(request["id"]))
        customers = snapshot(self.cm, event.tenant).customers
        what = event.name.removeprefix("change_request_")
        self.heard.append(Heard(what, str(request["id"]), stored.state if stored else None, customers))

    @hookimpl
    def change_request_submitted(self, event: Event, request: Mapping[str, Any]) -> None:
        self._hear(event, request)

    @hookimpl
    def change_request_approved(self, event: Event, request: Mapping[str, Any]) -> None:
        self._hear(event, request)

    @hookimpl
    def change_request_rejected(self, event: Event, request: Mapping[str, Any]) -> None:
        self._hear(event, request)


# ---------------------------------------------------------------------------
# The office
# ---------------------------------------------------------------------------


@define
class Office:
    """One tenant at work in a scenario."""

    cm: CustomerMaster
    admin: Actor
    people: dict[str, Actor] = field(factory=dict)
    ids: dict[str, str] = field(factory=dict)  # customer name → id
    labels: dict[str, str] = field(factory=dict)  # "A" → change request id
    request_id: str | None = None  # the request "it" is
    result: object = None
    error: CustomerMasterError | None = None
    before: dict[str, Snapshot] = field(factory=dict)  # request id → state before it was asked
    applied: dict[str, Snapshot] = field(factory=dict)  # request id → state right after it applied
    baseline: Snapshot | None = None  # state before the last thing someone asked for
    requests_before: int = 0  # how many change requests the tenant had then
    listener: ChangeRequestListener | None = None
    checkpoint: Checkpoint | None = None  # the audit checkpoint someone took

    @property
    def tenant(self) -> str:
        return self.admin.tenant

    # -- people -----------------------------------------------------------------------

    def person(self, name: str) -> Actor:
        if name not in self.people:
            raise KeyError(f"{name!r} does not work in the tenant; add them to the people table")
        return self.people[name]

    def hire(self, name: str, roles: set[str]) -> Actor:
        self.people[name] = Actor(self.tenant, name, roles)
        return self.people[name]

    def approver_for(self, role: str, request: ChangeRequest) -> Actor:
        """The first person holding ``role`` who may decide the request's next step."""
        decided = {a.user for a in request.approvals} | {request.submitter}
        for actor in self.people.values():
            if role in actor.roles and actor.user not in decided:
                return actor
        raise AssertionError(f"nobody in the people table may approve as {role}")

    # -- customers --------------------------------------------------------------------

    def stored(self, name: str) -> Customer | None:
        """The customer called ``name`` as stored (unmasked), or ``None`` when gone."""
        assert name in self.ids, f"no customer called {name!r} in this scenario"
        with self.cm.storage.unit_of_work() as uow:
            return uow.customers.get(self.tenant, self.ids[name])

    def customer(self, name: str) -> Customer:
        found = self.stored(name)
        assert found is not None, f"{name!r} is not on file"
        return found

    def remember(self, customer: Customer | None) -> None:
        if customer is not None:
            self.ids.setdefault(customer.name, customer.id)

    # -- requests ---------------------------------------------------------------------

    def request(self, label: str | None = None) -> ChangeRequest:
        """The request called ``label`` ("A"), or the one in hand, as stored."""
        request_id = self.labels[label] if label else self.request_id
        assert request_id is not None, "nobody has asked for a change yet"
        with self.cm.storage.unit_of_work() as uow:
            found = uow.change_requests.get(self.tenant, request_id)
        assert found is not None
        return found

    def label_of(self, request_id: str) -> str:
        return next((label for label, rid in self.labels.items() if rid == request_id), "?")

    # -- doing things -----------------------------------------------------------------

    def attempt(self, action: Callable[[], object]) -> object:
        """Run an action, keeping its answer or its refusal."""
        self.result, self.error = None, None
        try:
            self.result = action()
        except CustomerMasterError as error:
            self.error = error
        return self.result

    def ask(self, action: Callable[[], object], label: str | None = None) -> ChangeRequest | None:
        """Someone asks for a change: it applies at once or becomes a change request."""
        self.baseline = snapshot(self.cm, self.tenant)
        self.requests_before = len(self.cm.approvals.list(self.admin))
        self.request_id = None
        result = self.attempt(action)
        request = waiting_request(result)
        if request is None:
            self.remember(applied_customer(result))
            return None
        self.request_id = request.id
        self.before[request.id] = self.baseline
        if label:
            self.labels[label] = request.id
        return request

    def decide(self, who: str, approve: bool, label: str | None = None, comment: str | None = None) -> None:
        request = self.request(label)
        self.request_id = request.id
        actor = self.person(who)
        run = self.cm.approvals.approve if approve else self.cm.approvals.reject
        decided = self.attempt(lambda: run(actor, request.id, comment=comment))
        if isinstance(decided, ChangeRequest) and decided.state == "approved":
            after = self.applied[request.id] = snapshot(self.cm, self.tenant)
            for customer in after.customers:  # a new customer gets its name in the scenario
                self.remember(customer)

    def succeeded(self) -> object:
        assert self.error is None, f"refused: {self.error!r}"
        return self.result

    def errors(self) -> list[tuple[str, str]]:
        assert isinstance(self.error, ValidationFailed), f"expected validation errors, got {self.error!r}"
        return [(e.path, e.code) for e in self.error.errors]

    def on_file(self, payload: Mapping[str, Any], submitter: str, approvers: list[str]) -> Customer:
        """A customer asked for by ``submitter`` and approved by ``approvers`` in turn (or
        applied at once when the tenant's lane for it is green)."""
        request = self.ask(lambda: self.cm.customers.create(self.person(submitter), payload))
        self.succeeded()
        if request is not None:
            for approver in approvers:
                self.decide(approver, approve=True)
                self.succeeded()
            assert self.request().state == "approved", self.request()
        with self.cm.storage.unit_of_work() as uow:
            found = uow.customers.list(self.tenant, CustomerQuery(status="any", name=str(payload["name"])))
        customer = next(c for c in found.items if c.name == payload["name"])
        self.ids[customer.name] = customer.id
        return customer


def waiting_request(result: object) -> ChangeRequest | None:
    """The change request an answer says is waiting, if any."""
    if isinstance(result, (Outcome, MergeResult, DeleteResult)):
        return result.change_request
    return None


def applied_customer(result: object) -> Customer | None:
    if isinstance(result, Outcome) and isinstance(result.value, Customer):
        return result.value
    return result if isinstance(result, Customer) else None


# ---------------------------------------------------------------------------
# What people ask for, in the features' words
# ---------------------------------------------------------------------------


def company(name: str, entity: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "company",
        "legal_entity": entity,
        "email": f"ar@{slug(name)}.example",
        **fields,
    }


def walk_in(name: str, entity: str) -> dict[str, Any]:
    return {"name": name, "kind": "individual", "legal_entity": entity}


Change = Callable[[Office, Actor], Callable[[], object]]

_CHANGES: list[tuple[re.Pattern[str], Callable[..., Change]]] = []


def _change(pattern: str) -> Callable[[Callable[..., Change]], Callable[..., Change]]:
    def register(builder: Callable[..., Change]) -> Callable[..., Change]:
        _CHANGES.append((re.compile(pattern + "$"), builder))
        return builder

    return register


@_change(
    r'create company customer "(?P<name>[^"]+)" for (?P<entity>\w+)'
    r'(?: with tax id "(?P<scheme>[^"]+)" "(?P<number>[^"]+)")?(?P<no_email> without an e-mail address)?'
)
def _create_company(
    name: str, entity: str, scheme: str | None, number: str | None, no_email: str | None
) -> Change:
    payload = company(name, entity)
    if scheme:
        payload["tax_ids"] = [{"scheme": scheme, "number": number, "is_primary": True}]
    if no_email:
        del payload["email"]
    return lambda office, actor: lambda: office.cm.customers.create(actor, payload)


@_change(r'create walk-in customer "(?P<name>[^"]+)" for (?P<entity>\w+)')
def _create_walk_in(name: str, entity: str) -> Change:
    return lambda office, actor: lambda: office.cm.customers.create(actor, walk_in(name, entity))


def update(name: str, changes: Mapping[str, Any]) -> Change:
    def change(office: Office, actor: Actor) -> Callable[[], object]:
        current = office.customer(name)
        return lambda: office.cm.customers.update(actor, current.id, changes, version=current.version)

    return change


@_change(r'change the (?P<words>[a-z -]+) of "(?P<name>[^"]+)" to "(?P<value>[^"]*)"')
def _change_field(words: str, name: str, value: str) -> Change:
    key = field_name(words)
    return update(name, {key: value_of(key, value)})


@_change(r'change the e-mail of "(?P<name>[^"]+)" to "(?P<email>[^"]*)" and its website to "(?P<site>[^"]*)"')
def _change_email_and_site(name: str, email: str, site: str) -> Change:
    return update(name, {"email": email, "website": site})


# A related record as a finance user would add it; ``name`` is its key in the scenario.
RELATED = {
    "contact": ("contacts", lambda name: {"name": name, "email": f"{slug(name)}@example.com"}),
    "address": (
        "addresses",
        lambda name: {
            "label": name,
            "purposes": ["billing"],
            "line1": "1 Jalan Ampang",
            "city": "Kuala Lumpur",
            "country": "MY",
        },
    ),
    "bank account": ("bank_accounts", lambda name: {"bank_name": name, "account_number": "514011223344"}),
}


@_change(r'add (?P<kind>contact|address|bank account) "(?P<name>[^"]+)" to "(?P<customer>[^"]+)"')
def _add_related(kind: str, name: str, customer: str) -> Change:
    key, record = RELATED[kind]
    return update(customer, {key: [{"action": "add", **record(name)}]})


@_change(r'(?P<action>deactivate|reactivate) "(?P<name>[^"]+)"')
def _status(action: str, name: str) -> Change:
    def change(office: Office, actor: Actor) -> Callable[[], object]:
        service = office.cm.customers
        run = service.deactivate if action == "deactivate" else service.reactivate
        return lambda: run(actor, office.ids[name])

    return change


@_change(r'merge "(?P<source>[^"]+)" into "(?P<target>[^"]+)"')
def _merge(source: str, target: str) -> Change:
    return lambda office, actor: (
        lambda: office.cm.lifecycle.merge(actor, office.ids[source], office.ids[target])
    )


@_change(r'delete "(?P<name>[^"]+)" for good')
def _delete(name: str) -> Change:
    return lambda office, actor: lambda: office.cm.lifecycle.hard_delete(actor, office.ids[name])


@_change(r'put "(?P<name>[^"]+)" on credit hold because "(?P<reason>[^"]+)"')
def _hold(name: str, reason: str) -> Change:
    return lambda office, actor: lambda: office.cm.credit.set_hold(actor, office.ids[name], reason=reason)


def change_called(words: str) -> Change:
    """The change a feature describes in words ("deactivate "Kedai Ali"")."""
    for pattern, builder in _CHANGES:
        match = pattern.match(words)
        if match:
            return builder(**match.groupdict())
    raise KeyError(f"no change called {words!r}; known: {[p.pattern for p, _ in _CHANGES]}")


def table_changes(datatable: list[list[str]]) -> dict[str, Any]:
    return {field_name(words): value_of(field_name(words), value) for words, value in datatable}


# ---------------------------------------------------------------------------
# Steps the three features share
# ---------------------------------------------------------------------------

_ASK = r"(?P<who>\w+) (?:asks|asked) to (?P<change>.+?)(?: \(request (?P<label>\w+)\))?"
_DECIDE = (
    r"(?P<who>\w+) (?P<decision>approves|approved|rejects|rejected|tries to approve|tries to reject)"
    r' (?:it|request (?P<label>\w+))(?:, saying "(?P<comment>[^"]*)")?'
)


def shared_steps() -> None:
    """Register the shared steps into the calling step module."""

    @given("a tenant whose changes need the standard approvals", stacklevel=2)
    def standard_approvals(office: Office) -> None:
        policy = office.cm.configuration.get(office.admin).settings.approvals
        assert policy.rules == (), "the tenant should start with the SPEC's default lanes"

    @given("these people work in the tenant:", stacklevel=2)
    def people(office: Office, datatable: list[list[str]]) -> None:
        for name, roles in datatable[1:]:
            office.hire(name, roles_of(roles))

    @given(
        parsers.re(
            r'"(?P<name>[^"]+)", an? (?P<kind>company|walk-in) customer of (?P<entity>\w+)'
            r'(?: with (?P<words>[a-z -]+) "(?P<value>[^"]*)")?,'
            r" was asked for by (?P<who>\w+) and approved by (?P<approvers>.+)"
        ),
        stacklevel=2,
    )
    def customer_on_file(
        office: Office,
        name: str,
        kind: str,
        entity: str,
        words: str | None,
        value: str | None,
        who: str,
        approvers: str,
    ) -> None:
        payload = company(name, entity) if kind == "company" else walk_in(name, entity)
        if words:
            payload[field_name(words)] = value_of(field_name(words), value or "")
        office.on_file(payload, who, split_names(approvers))

    @given(parsers.parse("the clock shows {text}"), stacklevel=2)
    @when(parsers.parse("the clock shows {text}"), stacklevel=2)
    def clock_shows(clock: FixedClock, text: str) -> None:
        clock.set(moment(text))

    @given(parsers.re(_ASK), stacklevel=2)
    def asked(office: Office, who: str, change: str, label: str | None) -> None:
        office.ask(change_called(change)(office, office.person(who)), label)
        office.succeeded()

    @when(parsers.re(_ASK), stacklevel=2)
    def asks(office: Office, who: str, change: str, label: str | None) -> None:
        office.ask(change_called(change)(office, office.person(who)), label)

    @given(parsers.re(r'(?P<who>\w+) asked to change "(?P<name>[^"]+)" with:'), stacklevel=2)
    def asked_with(office: Office, who: str, name: str, datatable: list[list[str]]) -> None:
        office.ask(update(name, table_changes(datatable))(office, office.person(who)))
        office.succeeded()

    @given(parsers.re(_DECIDE), stacklevel=2)
    def decided(office: Office, who: str, decision: str, label: str | None, comment: str | None) -> None:
        office.decide(who, "approve" in decision, label, comment)
        office.succeeded()

    @when(parsers.re(_DECIDE), stacklevel=2)
    def decides(office: Office, who: str, decision: str, label: str | None, comment: str | None) -> None:
        office.decide(who, "approve" in decision, label, comment)

    @given("every approver has approved it", stacklevel=2)
    @when("every approver has approved it", stacklevel=2)
    def every_approver(office: Office) -> None:
        """Each step by the first person who holds its role and may decide it (nothing
        when the change applied at once)."""
        office.succeeded()
        if office.request_id is None:
            return
        while office.request().state == "pending":
            office.decide(office.approver_for(office.request().next_role or "", office.request()).user, True)
            office.succeeded()

    @given("nobody has approved it", stacklevel=2)
    def nobody_approved(office: Office) -> None:
        assert office.request().approvals == ()

    @then("nothing has changed yet", stacklevel=2)
    def nothing_changed(office: Office) -> None:
        """Compared with the moment before the request in hand (or the last refused
        change) was asked for: no customer, audit record or notice to other modules."""
        before = office.before[office.request_id] if office.request_id else office.baseline
        assert before is not None
        now = snapshot(office.cm, office.tenant)
        assert now.customers == before.customers, "a customer changed"
        assert now.audit == before.audit, f"audit records were written: {before.new_records(now)}"
        assert now.told == before.told, f"other modules were told: {[e.name for e in before.new_events(now)]}"

    @then(
        parsers.re(r"(?:the request|request (?P<label>\w+)) is (?P<state>pending|approved|rejected|failed)"),
        stacklevel=2,
    )
    def request_state(office: Office, label: str | None, state: str) -> None:
        assert office.request(label).state == state, office.request(label)

    @then(
        parsers.re(
            r'"(?P<name>[^"]+)" has (?P<words>[a-z -]+) "(?P<value>[^"]*)"(?: at version (?P<version>\d+))?$'
        ),
        stacklevel=2,
    )
    def has_value(office: Office, name: str, words: str, value: str, version: str | None) -> None:
        customer = office.customer(name)
        key = field_name(words)
        stored = getattr(customer, key)
        expected = value_of(key, value)
        if isinstance(stored, Decimal):
            assert stored == Decimal(expected)
        else:
            assert stored == expected, f"{words}: {stored!r}"
        if version is not None:
            assert customer.version == int(version)

    @then(parsers.parse('"{name}" is on file with code "{code}"'), stacklevel=2)
    def on_file_with_code(office: Office, name: str, code: str) -> None:
        customer = office.customer(name)
        assert (customer.code, customer.status) == (code, "active")

    @then(parsers.parse('no customer called "{name}" is on file'), stacklevel=2)
    def not_on_file(office: Office, name: str) -> None:
        customers = snapshot(office.cm, office.tenant).customers
        assert name not in [c.name for c in customers]

    @then(parsers.re(r'"(?P<name>[^"]+)" is (?P<status>active|inactive)$'), stacklevel=2)
    def has_status(office: Office, name: str, status: str) -> None:
        assert office.customer(name).status == status

    @then(parsers.parse('"{name}" is gone'), stacklevel=2)
    def is_gone(office: Office, name: str) -> None:
        assert office.stored(name) is None

    @then(parsers.parse('"{source}" is merged into "{target}"'), stacklevel=2)
    def is_merged(office: Office, source: str, target: str) -> None:
        retired = office.customer(source)
        assert (retired.status, retired.merged_into) == ("inactive", office.ids[target])

    @then(parsers.parse('"{name}" is on credit hold because "{reason}"'), stacklevel=2)
    def on_hold(office: Office, name: str, reason: str) -> None:
        hold = office.customer(name).credit_hold
        assert hold is not None
        assert hold.reason == reason

    @then("the change is applied at once", stacklevel=2)
    def applied_at_once(office: Office) -> None:
        office.succeeded()
        assert waiting_request(office.result) is None
        assert applied_customer(office.result) is not None
        assert office.baseline is not None
        assert office.baseline.new_records(snapshot(office.cm, office.tenant)), "no audit record was written"

    @then(parsers.parse("the change waits for approval in the {lane} lane, by {approvers}"), stacklevel=2)
    def waits(office: Office, lane: str, approvers: str) -> None:
        office.succeeded()
        request = waiting_request(office.result)
        assert request is not None, f"the change did not wait: {office.result!r}"
        stored = office.request()
        assert stored == request
        assert (stored.state, stored.lane, steps_said(stored.steps)) == ("pending", lane, approvers)

    @then(parsers.parse("the request still waits for the {role}"), stacklevel=2)
    def still_waits(office: Office, role: str) -> None:
        request = office.request()
        assert request.state == "pending"
        assert request.next_role == role_code(role), request.next_role

    @then(parsers.parse('the decision is refused, saying "{text}"'), stacklevel=2)
    def decision_refused(office: Office, text: str) -> None:
        assert office.error is not None, f"the decision was not refused: {office.result!r}"
        assert text in str(office.error), str(office.error)

    @then(parsers.re(r"the change is refused with errors at (?P<paths>.+)"), stacklevel=2)
    def refused_with_errors(office: Office, paths: str) -> None:
        assert sorted(p for p, _ in office.errors()) == sorted(split_names(paths))

    @then("no change request was made", stacklevel=2)
    def no_request(office: Office) -> None:
        assert waiting_request(office.result) is None
        assert len(office.cm.approvals.list(office.admin)) == office.requests_before
