"""Steps for features/roles_and_masking.feature: tenant isolation, permissions and
masking of sensitive data (SPEC R-12.1, R-12.2)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from office import (
    Office,
    Snapshot,
    change_called,
    role_code,
    roles_of,
    shared_steps,
    snapshot,
    waiting_request,
)
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story, split_names

from customer_master import Actor, CustomerMaster, Forbidden, NotFound
from customer_master.domain.approvals import OPERATIONS
from customer_master.domain.credit import CreditDecision
from customer_master.domain.customer import Customer
from customer_master.domain.search import CustomerQuery
from customer_master.services.base import Outcome

# Requested up front: the storage under it is a parametrised fixture.
pytestmark = pytest.mark.usefixtures("office")

GLOBEX = "globex"

PERMISSIONS = {
    "read customers": "customer.read",
    "change customers": "customer.write",
    "delete customers": "customer.delete",
    "merge customers": "customer.merge",
    "put customers on credit hold": "credit.hold",
    "release blocked documents": "credit_override",
    "change the configuration": "configuration.write",
    "see sensitive data": "view_sensitive",
    "read the audit trail": "audit.read",
}

# What masked data must never show: bank numbers and credit figures (in any notation).
SENSITIVE = ("514011223344", "DE89370400440532013000", "50000", "75000", "20000")


@pytest.fixture
def office(tenant_with_approvals: CustomerMaster, admin: Actor) -> Office:
    return Office(tenant_with_approvals, admin)


shared_steps()


scenarios("roles_and_masking.feature")


# ---------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------


@given(parsers.parse("{who} asked for the new customer, and {approvers} approved it"))
def asked_for_draft(office: Office, story: Story, who: str, approvers: str) -> None:
    assert story.draft is not None, "describe the new customer first"
    office.on_file(story.draft, who, split_names(approvers))


@given(parsers.parse('another tenant, Globex, has its own customer "{name}" and an administrator {who}'))
def other_tenant(office: Office, name: str, who: str) -> None:
    otto = Actor(GLOBEX, who, {"admin", "ar_manager", "controller", "cfo"})
    office.people[who] = otto
    cm = office.cm
    cm.configuration.add_legal_entity(otto, {"code": "MY01", "name": "Globex Malaysia", "currency": "MYR"})
    cm.configuration.update_settings(otto, {"code_prefix": "GLX-"})
    for operation in OPERATIONS:
        cm.configuration.set_approval_lane(otto, operation, "green")
    created = cm.customers.create(otto, {"name": name, "kind": "individual", "legal_entity": "MY01"})
    assert created.value is not None
    office.ids[f"Globex:{name}"] = created.value.id


def _globex_customer(office: Office) -> str:
    return next(customer_id for name, customer_id in office.ids.items() if name.startswith("Globex:"))


@given("the tenant lets changes to customers through without approval")
def updates_green(office: Office) -> None:
    office.cm.configuration.set_approval_lane(office.admin, "update", "green")


@given(parsers.re(r'the tenant gives its own role "(?P<role>[^"]+)" the permissions (?P<words>.+)'))
def role_permissions(office: Office, role: str, words: str) -> None:
    granted = [PERMISSIONS[w] for w in split_names(words)]
    office.cm.configuration.set_role_permissions(office.admin, role_code(role), granted)


@given(parsers.parse("{who} works in the tenant as {role}"))
def works_as(office: Office, who: str, role: str) -> None:
    office.hire(who, roles_of(role))


# ---------------------------------------------------------------------------
# Another tenant
# ---------------------------------------------------------------------------


def _reach(office: Office, otto: Actor, reach: str, customer_id: str) -> Callable[[], object]:
    cm, theirs = office.cm, _globex_customer(office)
    attempts: dict[str, Callable[[], object]] = {
        "read": lambda: cm.customers.get(otto, customer_id),
        "look up by its code": lambda: cm.customers.lookup(
            otto, office.customer("Acme Trading Sdn Bhd").code
        ),
        "read as MY01 sees": lambda: cm.customers.effective_view(otto, customer_id, "MY01"),
        "change the salesperson of": lambda: cm.customers.update(
            otto, customer_id, {"salesperson": "X"}, version=1
        ),
        "deactivate": lambda: cm.customers.deactivate(otto, customer_id),
        "put on credit hold": lambda: cm.credit.set_hold(otto, customer_id, reason="Overdue"),
        "check the credit of": lambda: cm.credit.check(otto, customer_id, entity="MY01", amount=Decimal("1")),
        "merge their own customer into": lambda: cm.lifecycle.merge(otto, theirs, customer_id),
        "merge into their own customer": lambda: cm.lifecycle.merge(otto, customer_id, theirs),
        "delete for good": lambda: cm.lifecycle.hard_delete(otto, customer_id),
        "read the timeline of": lambda: cm.audit.timeline(otto, customer_id),
        "write a note on": lambda: cm.audit.add_note(otto, customer_id, "Hello from Globex"),
        "approve the pending change request of": lambda: cm.approvals.approve(otto, office.request().id),
    }
    return attempts[reach]


def _both_tenants(office: Office) -> tuple[Snapshot, Snapshot, list[Any]]:
    requests = list(office.cm.approvals.list(office.admin))
    return snapshot(office.cm, office.tenant), snapshot(office.cm, GLOBEX), requests


@when(
    parsers.re(r'(?P<who>\w+) from Globex tries to (?P<reach>.+) "(?P<name>[^"]+)"'),
    target_fixture="untouched",
)
def outsider_tries(office: Office, who: str, reach: str, name: str) -> tuple[Snapshot, Snapshot, list[Any]]:
    before = _both_tenants(office)
    office.attempt(_reach(office, office.person(who), reach, office.ids[name]))
    return before


@then(parsers.parse("{who} is told there is no such {thing}"))
def told_not_found(office: Office, who: str, thing: str) -> None:
    assert isinstance(office.error, NotFound), (
        f"expected 'not found', got {office.error!r} / {office.result!r}"
    )
    assert office.error.kind == thing


@then("nothing of ours has changed, and nothing of Globex's either")
def nothing_of_either(office: Office, untouched: tuple[Snapshot, Snapshot, list[Any]]) -> None:
    assert _both_tenants(office) == untouched


@then(parsers.parse("{who}'s customer list shows only {names}"))
def list_shows_only(office: Office, who: str, names: str) -> None:
    shown = office.cm.customers.search(office.person(who), CustomerQuery(status="any")).items
    assert sorted(c.name for c in shown) == sorted(split_names(names))


@then(parsers.parse('{who} finds no customer named "{name}", nor with e-mail "{email}"'))
def finds_nothing(office: Office, who: str, name: str, email: str) -> None:
    otto, search = office.person(who), office.cm.customers.search
    assert search(otto, CustomerQuery(status="any", name=name)).items == ()
    assert search(otto, CustomerQuery(status="any", email=email)).items == ()
    # The same searches do find it at home: the filters are not simply empty.
    assert search(office.admin, CustomerQuery(status="any", name=name)).items
    assert search(office.admin, CustomerQuery(status="any", email=email)).items


@then(parsers.parse("{who} sees no change request and no audit record about our customers"))
def sees_none_of_ours(office: Office, who: str) -> None:
    otto = office.person(who)
    ours = {customer_id for name, customer_id in office.ids.items() if not name.startswith("Globex:")}
    assert office.cm.approvals.list(otto) == []
    assert office.cm.approvals.list(office.admin)
    trail = office.cm.audit.trail(otto)
    assert trail, "Globex's own changes are audited"
    assert not [r for r in trail if set(r.customer_ids) & ours or r.tenant != GLOBEX]
    assert office.cm.audit.verify(otto).is_intact


# ---------------------------------------------------------------------------
# What a role may do
# ---------------------------------------------------------------------------


def _action(office: Office, actor: Actor, words: str) -> Callable[[], object]:
    cm = office.cm
    if words == "read the audit trail":
        return lambda: cm.audit.trail(actor)
    if words.startswith("write a note on "):
        name = words.removeprefix("write a note on ").strip('"')
        return lambda: cm.audit.add_note(actor, office.ids[name], "Spoke to the buyer")
    if words.startswith("read "):
        name = words.removeprefix("read ").strip('"')
        return lambda: cm.customers.get(actor, office.ids[name])
    return change_called(words)(office, actor)


@when(parsers.re(r"(?P<who>\w+) tries to (?P<action>.+)"))
def tries_to(office: Office, who: str, action: str) -> None:
    office.ask(_action(office, office.person(who), action))


@then("it is refused as not permitted")
def refused(office: Office) -> None:
    assert isinstance(office.error, Forbidden), (
        f"expected a refusal, got {office.error!r} / {office.result!r}"
    )
    assert office.baseline == snapshot(office.cm, office.tenant)
    assert len(office.cm.approvals.list(office.admin)) == office.requests_before


@then("it is waiting for approval")
def waiting(office: Office) -> None:
    office.succeeded()
    assert waiting_request(office.result) is not None


@then("it is done")
def done(office: Office) -> None:
    office.succeeded()
    assert waiting_request(office.result) is None


# ---------------------------------------------------------------------------
# What a role may see
# ---------------------------------------------------------------------------


def _read(office: Office, actor: Actor, name: str, how: str) -> Customer:
    cm, customer_id = office.cm, office.ids[name]
    if how == "by its id":
        return cm.customers.get(actor, customer_id)
    if how == "by its code":
        return cm.customers.lookup(actor, office.customer(name).code).customer
    if how == "as SG01 sees it":
        return cm.customers.effective_view(actor, customer_id, "SG01").customer
    if how == "in the customer list":
        return next(c for c in cm.customers.search(actor).items if c.id == customer_id)
    raise KeyError(how)


@when(
    parsers.re(
        r'(?P<who>\w+) reads "(?P<name>[^"]+)"'
        r" (?P<how>by its id|by its code|as SG01 sees it|in the customer list)"
    )
)
def reads(office: Office, who: str, name: str, how: str) -> None:
    office.attempt(lambda: _read(office, office.person(who), name, how))


def _seen(office: Office) -> Customer:
    seen = office.succeeded()
    assert isinstance(seen, Customer)
    return seen


@then(parsers.parse('they see account number "{account}" and IBAN "{iban}"'))
def sees_bank(office: Office, account: str, iban: str) -> None:
    accounts = _seen(office).bank_accounts
    assert [(a.account_number, a.iban) for a in accounts] == [(account, iban)]


@then(parsers.re(r"they see (?:no credit limit|a credit limit of (?P<amount>[\d,.]+))$"))
def sees_limit(office: Office, amount: str | None) -> None:
    limit = _seen(office).credit_limit
    assert limit == (Decimal(amount.replace(",", "")) if amount else None)


@then(parsers.parse("the fields masked for them are {fields}"))
def masked_fields(office: Office, fields: str) -> None:
    words = {
        "bank account numbers": "bank_accounts.account_number",
        "IBANs": "bank_accounts.iban",
        "the credit limit": "credit_limit",
        "the overrides' credit limits": "overrides.credit_limit",
    }
    assert _seen(office).masked == {words[w] for w in split_names(fields)}


@then(parsers.parse("the {entity} override shows no credit limit"))
def override_masked(office: Office, entity: str) -> None:
    override = _seen(office).override_for(entity)
    assert override is not None
    assert override.credit_limit is None


@when(parsers.parse('{who} checks an order of {amount} {currency} from "{name}" for {entity}'))
def checks_credit(office: Office, who: str, amount: str, currency: str, name: str, entity: str) -> None:
    office.attempt(
        lambda: office.cm.credit.check(
            office.person(who),
            office.ids[name],
            entity=entity,
            amount=Decimal(amount.replace(",", "")),
            currency=currency,
        )
    )


def _decision(office: Office) -> CreditDecision:
    decision = office.succeeded()
    assert isinstance(decision, CreditDecision)
    return decision


@then(parsers.parse('the credit decision is "{outcome}"'))
def decision_is(office: Office, outcome: str) -> None:
    assert _decision(office).outcome == outcome


@then(parsers.parse("it shows a limit of {limit} with {available} available"))
def shows_figures(office: Office, limit: str, available: str) -> None:
    decision = _decision(office)
    assert not decision.masked
    assert (decision.limit, decision.available) == (
        Decimal(limit.replace(",", "")),
        Decimal(available.replace(",", "")),
    )
    assert decision.exposure.document == Decimal("10000.00")


@then("it shows no limit, no exposure and nothing available")
def shows_no_figures(office: Office) -> None:
    decision = _decision(office)
    assert decision.masked
    assert (decision.limit, decision.available) == (None, None)
    assert decision.exposure.total == 0
    assert not [r for r in decision.reasons if any(figure in r.message for figure in SENSITIVE)]


def _leaks(value: object) -> list[str]:
    text = repr(value).replace(",", "")
    return [s for s in SENSITIVE if s in text]


@then(
    parsers.parse(
        '{who} sees no bank number and no credit figure in the timeline of "{name}" or in the change request'
    )
)
def timeline_masked(office: Office, who: str, name: str) -> None:
    actor = office.person(who)
    timeline = office.cm.audit.timeline(actor, office.ids[name])
    assert timeline, "the timeline should not be empty"
    assert _leaks(timeline) == []
    assert _leaks(office.cm.approvals.get(actor, office.request().id)) == []
    assert _leaks(office.cm.approvals.list(actor)) == []


@then(parsers.parse("{who} sees no bank number and no credit figure in the audit trail"))
def trail_masked(office: Office, who: str) -> None:
    trail = office.cm.audit.trail(office.person(who))
    assert trail
    assert _leaks(trail) == []


@then(
    parsers.parse(
        "{who} sees the bank number and the credit limit in the timeline,"
        " and the new credit limit in the change request"
    )
)
def timeline_unmasked(office: Office, who: str) -> None:
    actor = office.person(who)
    customer_id = office.ids["Acme Trading Sdn Bhd"]
    assert {"514011223344", "50000"} <= set(_leaks(office.cm.audit.timeline(actor, customer_id)))
    assert "75000" in _leaks(office.cm.approvals.get(actor, office.request().id))


@then(parsers.parse("the audit trail verifies, for {who} and for {other} alike"))
def verifies_for_both(office: Office, who: str, other: str) -> None:
    for actor in (office.person(who), office.person(other)):
        report = office.cm.audit.verify(actor)
        assert report.is_intact, report
        assert report.checked == len(snapshot(office.cm, office.tenant).audit)


@then(parsers.parse('the customer {who} gets back shows account number "{account}" and no credit limit'))
def written_masked(office: Office, who: str, account: str) -> None:
    result = office.succeeded()
    assert isinstance(result, Outcome)
    assert result.value is not None
    assert [a.account_number for a in result.value.bank_accounts] == [account]
    assert result.value.credit_limit is None
