"""Steps for features/create_and_update.feature: atomic create, partial update, every
error at once, and warnings (SPEC R-3)."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then
from vocabulary import Story

pytestmark = pytest.mark.usefixtures("story")

scenarios("create_and_update.feature")


@then(parsers.parse('the next customer created gets code "{code}"'))
def next_code(story: Story, code: str) -> None:
    created = story.cm.customers.create(
        story.actor, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
    )
    assert created.value.code == code
