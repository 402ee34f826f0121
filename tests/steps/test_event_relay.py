"""Steps for features/event_relay.feature: the outbox relay to a message broker (SPEC
R-15.2, R-15.4).

The broker here is a recording one (``Broker``): it keeps what it confirmed, in order,
and can be taken down. Each relay reaches it through its own ``Connection``, the
``Publisher`` the relay sends to. The relays are the real ``customer_master_broker.Relay``
over the scenario's storage (memory and SQLite) and clock; tests/adapters/
test_broker_relay.py runs the same relay against the real RabbitMQ and NATS.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import timedelta

import orjson
import pytest
from attrs import define, field
from pytest_bdd import given, parsers, scenarios, then, when
from vocabulary import Story

from customer_master.clock import FixedClock
from customer_master.domain.events import Event
from customer_master.ports import SharedOutbox
from customer_master_broker import BrokerUnavailable, Relay, backlog, body

pytestmark = pytest.mark.usefixtures("story")

scenarios("event_relay.feature")


@define
class Broker:
    """A broker that confirms what it receives, unless it is down."""

    received: list[Event] = field(factory=list)
    bodies: list[bytes] = field(factory=list)
    is_down: bool = False


@define
class Connection:
    """One relay's way to the broker; it may stop answering on its own."""

    broker: Broker
    answering: bool = True  # a connection that opens but whose publishes go unconfirmed
    sent: list[Event] = field(factory=list)
    target: str = "recording://broker"

    def _check(self) -> None:
        if self.broker.is_down:
            raise BrokerUnavailable(f"{self.target}: connection refused")

    def open(self) -> None:
        self._check()

    def publish(self, events: Sequence[Event]) -> None:
        self._check()
        if not self.answering:
            raise BrokerUnavailable(f"{self.target}: no answer within 10 s (waiting for confirms)")
        self.broker.received += events
        self.broker.bodies += [body(event) for event in events]
        self.sent += events

    def idle(self, seconds: float) -> None:
        self._check()

    def close(self) -> None:
        pass


@define
class Relays:
    broker: Broker
    story: Story
    clock: FixedClock
    made: dict[str, tuple[Relay, Connection]] = field(factory=dict)

    def relay(self, name: str) -> tuple[Relay, Connection]:
        if name not in self.made:
            connection = Connection(self.broker)
            relay = Relay(self.story.cm.storage, [connection], name=name, batch=10, clock=self.clock)
            self.made[name] = (relay, connection)
        return self.made[name]

    def run(self, name: str) -> None:
        relay, _ = self.relay(name)
        with contextlib.suppress(BrokerUnavailable):  # what it could not send stays pending
            relay.drain()


@pytest.fixture
def relays(story: Story, clock: FixedClock) -> Relays:
    return Relays(Broker(), story, clock)


# ---------------------------------------------------------------------------
# Given
# ---------------------------------------------------------------------------


@given("a broker that confirms what it receives")
def a_broker(relays: Relays) -> None:
    assert not relays.broker.is_down


@given("the broker is down")
def broker_down(relays: Relays) -> None:
    relays.broker.is_down = True


@given(parsers.parse('a relay died after the broker confirmed "{name}"\'s change but before noting it'))
def relay_died(relays: Relays, story: Story, clock: FixedClock, name: str) -> None:
    with story.cm.storage.unit_of_work() as uow:
        outbox = uow.outbox
        assert isinstance(outbox, SharedOutbox)
        claimed = outbox.claim("dead", 1, now=clock.now(), until=clock.now() + timedelta(seconds=30))
        uow.commit()
    assert _customer(claimed[0]) == name
    Connection(relays.broker).publish(claimed)  # confirmed; then the process is gone


@given("the first relay took the changes but its broker stopped answering")
def first_relay_cut_off(relays: Relays) -> None:
    _, connection = relays.relay("first")
    connection.answering = False
    relays.run("first")
    assert relays.broker.received == []


# ---------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------


@when("the relay runs")
def relay_runs(relays: Relays) -> None:
    relays.run("relay")


@when(parsers.parse("the relay runs {minutes:d} minutes later"))
def relay_runs_later(relays: Relays, clock: FixedClock, minutes: int) -> None:
    clock.advance(minutes=minutes)
    relays.run("relay")


@when("the broker is back and the relay runs")
def broker_back(relays: Relays) -> None:
    relays.broker.is_down = False
    relays.run("relay")


@when("another relay runs once the dead relay's hold has ended")
def another_relay_after_lease(relays: Relays, clock: FixedClock) -> None:
    clock.advance(seconds=31)
    relays.run("another")


@when("a second relay runs")
def second_relay(relays: Relays) -> None:
    relays.run("second")


@when("the first relay's broker is back and it runs")
def first_relay_back(relays: Relays) -> None:
    _, connection = relays.relay("first")
    connection.answering = True
    relays.run("first")


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


@then("the broker received, in this order:")
def received_in_order(relays: Relays, datatable: list[list[str]]) -> None:
    expected = [(row[0], row[1]) for row in datatable[1:]]
    assert [(_customer(e), e.name.removeprefix("customer_")) for e in relays.broker.received] == expected


@then("the broker received nothing")
def received_nothing(relays: Relays) -> None:
    assert relays.broker.received == []


@then("every message carries its change's id and the customer's data")
def messages_carry_data(relays: Relays, story: Story) -> None:
    for event, text in zip(relays.broker.received, relays.broker.bodies, strict=True):
        message = orjson.loads(text)
        customer = story.customer(message["payload"]["customer"]["name"])
        assert message["id"] == event.id
        assert message["tenant"] == story.actor.tenant
        assert message["payload"]["customer"]["code"] == customer.code
        assert message["payload"]["customer"]["id"] == customer.id
    assert len({e.id for e in relays.broker.received}) == len(relays.broker.received)


@then("no change is waiting to be relayed")
def nothing_waiting(story: Story) -> None:
    assert backlog(story.cm.storage) == []


@then(
    parsers.parse(
        "the relay status shows {count:d} changes waiting for the tenant, the oldest {minutes:d} minutes old"
    )
)
def status_shows(story: Story, clock: FixedClock, count: int, minutes: int) -> None:
    [waiting] = backlog(story.cm.storage)
    assert (waiting.tenant, waiting.pending) == (story.actor.tenant, count)
    assert clock.now() - waiting.oldest == timedelta(minutes=minutes)


@then(parsers.parse('both copies of "{name}"\'s change carry the same id'))
def copies_share_id(relays: Relays, name: str) -> None:
    copies = [e.id for e in relays.broker.received if _customer(e) == name]
    assert len(copies) == 2
    assert copies[0] == copies[1]


@then("the second relay sent nothing")
def second_sent_nothing(relays: Relays) -> None:
    _, connection = relays.relay("second")
    assert connection.sent == []
    assert relays.broker.received == []


def _customer(event: Event) -> str:
    return str(event.payload["customer"]["name"])
