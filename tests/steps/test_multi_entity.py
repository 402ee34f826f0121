"""Steps for features/multi_entity.feature: master, entity overrides and the effective
view (SPEC R-2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_bdd import parsers, scenarios, then
from vocabulary import AMOUNT_FIELDS, Story, field_name, split_names, value_of

from customer_master.domain.effective import EffectiveView
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import to_data

pytestmark = pytest.mark.usefixtures("story")

scenarios("multi_entity.feature")


def _view(story: Story) -> EffectiveView:
    assert story.view is not None, "take an effective view first"
    return story.view


@then(parsers.parse('its effective {words} is "{value}" from the {source}'))
def effective_field(story: Story, words: str, value: str, source: str) -> None:
    key = field_name(words)
    view = _view(story)
    seen = to_data(view.customer)[key]
    if key in AMOUNT_FIELDS:
        assert Decimal(seen) == Decimal(value_of(key, value))
    else:
        assert seen == value_of(key, value)
    assert (key in view.overridden) == (source == "override"), view.overridden


@then("the effective view is the master with nothing overridden")
def view_is_master(story: Story) -> None:
    view = _view(story)
    assert view.overridden == ()
    assert view.customer == story.customer()


@then(parsers.parse('its effective default {purpose} address is "{label}"'))
def effective_default_address(story: Story, purpose: str, label: str) -> None:
    address = _view(story).default_address(purpose)
    assert address is not None
    assert address.label == label


@then(parsers.parse("the effective view shows only the addresses {labels}"))
def effective_addresses(story: Story, labels: str) -> None:
    assert [a.label for a in _view(story).customer.addresses] == split_names(labels)


@then(parsers.re(r'"(?P<name>[^"]+)" may (?P<negation>not )?be used by (?P<entity>\S+)$'))
def may_be_used(story: Story, name: str, negation: str | None, entity: str) -> None:
    view = story.cm.customers.effective_view(story.actor, story.ids[name], entity)
    assert view.is_enabled is (negation is None)


@then(parsers.parse("the tenant stores {count:d} customer"))
def tenant_stores(story: Story, count: int) -> None:
    assert len(story.cm.customers.search(story.actor, CustomerQuery(status="any")).items) == count


@then(parsers.parse('"{name}" is stored with overrides for {entities} only'))
def stored_overrides(story: Story, name: str, entities: str) -> None:
    assert [o.entity for o in story.customer(name).overrides] == split_names(entities)
