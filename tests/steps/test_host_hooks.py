"""Steps for features/host_hooks.feature: events after commit, host checks and defaults
(SPEC R-15.1 to R-15.3).

``SalesModule`` is what a host ERP's sales module would plug in: it notes every customer
event it hears, can read the customer back through the façade when it hears of it, can
add its own check, and can supply defaults for new customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from attrs import define, field
from pytest_bdd import given, parsers, scenarios, then
from vocabulary import Story

from customer_master import Actor, CustomerMaster, FieldError, hookimpl
from customer_master.domain.customer import Customer
from customer_master.domain.events import Event

pytestmark = pytest.mark.usefixtures("story")

scenarios("host_hooks.feature")


@define
class Heard:
    """One event as the sales module heard it."""

    event: Event
    customer: Customer
    changes: Mapping[str, Any] = field(factory=dict)
    read_back: Customer | None = None


@define
class SalesModule:
    cm: CustomerMaster
    heard: list[Heard] = field(factory=list)
    reads_back: bool = False
    needs_salesperson: bool = False
    defaults: dict[str, str] = field(factory=dict)

    def _hear(self, event: Event, customer: Customer, changes: Mapping[str, Any] | None = None) -> None:
        read_back = None
        if self.reads_back:
            read_back = self.cm.customers.get(Actor(event.tenant, "sales-module", {"auditor"}), customer.id)
        self.heard.append(Heard(event, customer, changes or {}, read_back))

    @hookimpl
    def customer_created(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @hookimpl
    def customer_updated(self, event: Event, customer: Customer, changes: Mapping[str, Any]) -> None:
        self._hear(event, customer, changes)

    @hookimpl
    def customer_deactivated(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @hookimpl
    def customer_reactivated(self, event: Event, customer: Customer) -> None:
        self._hear(event, customer)

    @hookimpl
    def validate_customer(self, tenant: str, customer: Customer, operation: str) -> list[FieldError] | None:
        if self.needs_salesperson and customer.kind == "company" and not customer.salesperson:
            return [FieldError("salesperson", "required_by_sales", "the sales module needs a salesperson")]
        return None

    @hookimpl
    def customer_defaults(self, tenant: str, payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return self.defaults or None


WHAT = {
    "created": "customer_created",
    "updated": "customer_updated",
    "deactivated": "customer_deactivated",
    "reactivated": "customer_reactivated",
}


@given("the sales module is plugged in", target_fixture="sales")
def plug_in(story: Story) -> SalesModule:
    """Registered in code, as a host does for its own modules (R-15.3)."""
    module = SalesModule(story.cm)
    story.cm.hooks.register(module, name="sales")
    return module


@given("the sales module reads each customer back when it hears of it")
def reads_back(sales: SalesModule) -> None:
    sales.reads_back = True


@given("the sales module requires a salesperson for companies")
def needs_salesperson(sales: SalesModule) -> None:
    sales.needs_salesperson = True


@given(
    parsers.parse('the sales module gives new customers payment terms "{terms}" and salesperson "{person}"')
)
def gives_defaults(sales: SalesModule, terms: str, person: str) -> None:
    sales.defaults = {"payment_terms": terms, "salesperson": person}


def _about(story: Story, sales: SalesModule, name: str) -> list[Heard]:
    return [h for h in sales.heard if h.customer.id == story.ids[name]]


@then(parsers.parse('the sales module heard that "{name}" was {what}'))
def heard_that(story: Story, sales: SalesModule, name: str, what: str) -> None:
    assert WHAT[what] in [h.event.name for h in _about(story, sales, name)]


@then(parsers.parse('the sales module saw "{name}" as {status} with code "{code}" at version {version:d}'))
def saw_customer(story: Story, sales: SalesModule, name: str, status: str, code: str, version: int) -> None:
    last = _about(story, sales, name)[-1]
    customer = last.customer
    assert (customer.name, customer.status, customer.code, customer.version) == (name, status, code, version)
    # The event's plain payload carries the same data for hosts in other processes.
    assert last.event.payload["customer"]["version"] == version
    assert last.event.payload["customer"]["status"] == status


@then(parsers.parse('the sales module heard that its {words} changed from "{before}" to "{after}"'))
def heard_change(story: Story, sales: SalesModule, words: str, before: str, after: str) -> None:
    last = _about(story, sales, story.subject or "")[-1]
    assert last.event.name == "customer_updated"
    assert dict(last.changes) == {words: {"before": before, "after": after}}
    assert last.event.payload["changes"] == last.changes


@then("the sales module heard, in this order:")
def heard_in_order(story: Story, sales: SalesModule, datatable: list[list[str]]) -> None:
    names = {customer_id: name for name, customer_id in story.ids.items()}
    heard = [[names[h.customer.id], h.event.name] for h in sales.heard]
    assert heard == [[customer, WHAT[what]] for customer, what in datatable[1:]]


@then(parsers.parse("the sales module heard of {count:d} event"))
def heard_count(sales: SalesModule, count: int) -> None:
    assert len(sales.heard) == count


@then("the sales module heard nothing")
def heard_nothing(sales: SalesModule) -> None:
    assert sales.heard == []


@then("each time, the sales module read back the customer it had heard of")
def read_back_matches(sales: SalesModule) -> None:
    heard = sales.heard
    assert len(heard) == 3
    for entry in heard:
        assert entry.read_back == entry.customer, f"{entry.event.name} was heard before it was stored"


@then("every event the sales module heard has its own id")
def unique_ids(sales: SalesModule) -> None:
    ids = [h.event.id for h in sales.heard]
    assert len(set(ids)) == len(ids) > 1


@then("the outbox holds the same events in the same order")
def outbox_same(story: Story, sales: SalesModule) -> None:
    with story.cm.storage.unit_of_work() as uow:
        pending = uow.outbox.pending(limit=100_000)
    assert [e.id for e in pending] == [h.event.id for h in sales.heard]
    assert [e.name for e in pending] == [h.event.name for h in sales.heard]
