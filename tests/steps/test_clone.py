"""Steps for features/clone.feature: a create drafted from an existing customer (SPEC R-3.5)."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story

from customer_master import Actor
from customer_master.domain.customer import Customer
from customer_master.services.base import Outcome

pytestmark = pytest.mark.usefixtures("story")

scenarios("clone.feature")


def _clone(story: Story, source: str, name: str, email: str, *, with_records: bool) -> None:
    source_id = story.ids[source]
    changes = {"name": name, "email": email}

    def clone() -> Outcome[Customer]:
        return story.cm.customers.clone(
            story.actor, source_id, changes, with_addresses=with_records, with_contacts=with_records
        )

    if story.cm.configuration.get(story.actor).settings.approvals.lane_for("create") != "green":
        story.outcome, story.error = clone(), None  # waits for approval: nothing stored yet
        return
    story.attempt(clone)
    if story.outcome is not None and story.outcome.value is not None:
        story.ids[name] = story.outcome.value.id
        story.subject = name


@when(parsers.parse('"{source}" is cloned as "{name}" with e-mail "{email}"'))
def is_cloned(story: Story, source: str, name: str, email: str) -> None:
    _clone(story, source, name, email, with_records=False)


@when(parsers.parse('"{source}" is cloned as "{name}" with e-mail "{email}" with its addresses and contacts'))
def is_cloned_with_records(story: Story, source: str, name: str, email: str) -> None:
    _clone(story, source, name, email, with_records=True)


@given("new companies need the yellow lane's approval")
def yellow_creates(story: Story) -> None:
    story.cm.configuration.set_approval_lane(story.actor, "create", "yellow")


@then(parsers.parse("the clone is enabled for {entity}"))
def clone_enabled(story: Story, entity: str) -> None:
    assert entity in story.customer().enabled_entities


@then("the clone has no notes and no external references")
def no_notes(story: Story) -> None:
    clone = story.customer()
    assert clone.notes is None
    assert clone.external_refs == ()


@then("its records are new records, not the source's")
def new_records(story: Story) -> None:
    clone, source = story.customer(), story.customer("Kedai Ali Sdn Bhd")
    assert {a.id for a in clone.addresses}.isdisjoint(a.id for a in source.addresses)
    assert {c.id for c in clone.contacts}.isdisjoint(c.id for c in source.contacts)
    assert [a.line1 for a in clone.addresses] == [a.line1 for a in source.addresses]


@then(parsers.parse("the clone waits for approval by {first}, then {second}"))
def clone_waits(story: Story, first: str, second: str) -> None:
    assert story.outcome is not None
    request = story.outcome.change_request
    assert request is not None
    assert request.steps == (first, second)
    assert request.payload["cloned_from"]["code"] == story.customer("Kedai Ali Sdn Bhd").code


@when("the AR manager and the controller approve it")
def approve(story: Story) -> None:
    assert story.outcome is not None
    request = story.outcome.change_request
    assert request is not None
    tenant = story.actor.tenant
    story.cm.approvals.approve(Actor(tenant, "mei", frozenset({"ar_manager"})), request.id)
    story.cm.approvals.approve(Actor(tenant, "carlos", frozenset({"controller"})), request.id)
    created = story.cm.customers.lookup(story.actor, "CUS-0002").customer
    story.ids[created.name] = created.id
    story.subject = created.name


@then(parsers.parse('the audit record of the clone\'s creation names "{source}" as its source'))
def audit_names_source(story: Story, source: str) -> None:
    origin = story.customer(source)
    records = story.cm.audit.trail(story.actor, story.customer().id)
    (created,) = [r for r in records if r.operation == "create"]
    assert created.changes["cloned_from"]["after"] == {"id": origin.id, "code": origin.code}
    assert [a["user"] for a in created.approvals] == ["mei", "carlos"]


@then(parsers.parse('the clone\'s timeline says it was created as a clone of "{source}"'))
def timeline_names_source(story: Story, source: str) -> None:
    code = story.customer(source).code
    summaries = [e.summary for e in story.cm.audit.timeline(story.actor, story.customer().id)]
    assert f"created the customer as a clone of {code}" in summaries
