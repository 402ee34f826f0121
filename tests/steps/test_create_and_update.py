"""Steps for features/create_and_update.feature: atomic create, partial update, every
error at once, and warnings (SPEC R-3)."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then
from vocabulary import Story, field_name

pytestmark = pytest.mark.usefixtures("story")

scenarios("create_and_update.feature")


@then(parsers.parse('the next customer created gets code "{code}"'))
def next_code(story: Story, code: str) -> None:
    created = story.cm.customers.create(
        story.actor, {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
    )
    assert created.value.code == code


CHARACTERS = {"a NUL character": "\x00", "an escape character": "\x1b", "half of a surrogate pair": "\ud800"}


@given(parsers.parse("its {words} holds {character}"))
def field_holds(story: Story, words: str, character: str) -> None:
    assert story.draft is not None
    story.draft[field_name(words)] = f"Acme{CHARACTERS[character]}Trading"
