"""Steps for features/attachments.feature: documents kept with a customer (R-16.6) on
memory and SQLite, recognised by their bytes (filetype)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster, NotFound, ValidationFailed

scenarios("attachments.feature")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTENTS = {
    "an executable": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56,
    "a plain text file": b"Dear Sir, please find attached.\n",
    "a PNG image": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "the PDF": PDF,
    "a PDF over the 1 KB limit": PDF + b" " * 2048,
}


@pytest.fixture(autouse=True)
def world(cm: CustomerMaster) -> dict[str, Any]:
    return {"ids": {}, "documents": {}, "error": None}


def _attach(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, customer: str, content: bytes
) -> None:
    try:
        world["documents"][name] = cm.attachments.attach(admin, world["ids"][customer], name, content)
    except (ValidationFailed, NotFound) as error:
        world["error"] = error


@given(parsers.parse('"{name}" is a customer of {entity}'))
def a_customer(tenant: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, entity: str) -> None:
    payload = {"name": name, "kind": "individual", "legal_entity": entity.split("(")[1].rstrip(")")}
    world["ids"][name] = tenant.customers.create(admin, payload).applied.id


@given(parsers.parse('"{user}" attached the PDF "{document}" to "{name}"'))
@when(parsers.parse('"{user}" attaches the PDF "{document}" to "{name}"'))
def attach_pdf(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, document: str, name: str
) -> None:
    _attach(cm, admin, world, document, name, PDF)
    assert world["error"] is None, world["error"]


@when(parsers.parse('"{user}" attaches {content} named "{document}" to "{name}"'))
def attach_content(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, content: str, document: str, name: str
) -> None:
    if "1 KB limit" in content:
        cm.context.attachment_limit = 1024
    _attach(cm, admin, world, document, name, CONTENTS[content])


@when(parsers.parse('an administrator of another tenant asks for the documents of "{name}"'))
def outsider_lists(cm: CustomerMaster, outsider: Actor, world: dict[str, Any], name: str) -> None:
    try:
        cm.attachments.list(outsider, world["ids"][name])
    except NotFound as error:
        world["error"] = error


@when(parsers.parse('"{user}" deletes the document "{document}" of "{name}"'))
def delete(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], user: str, document: str, name: str
) -> None:
    cm.attachments.remove(admin, world["ids"][name], world["documents"][document].id)


@then(parsers.parse('"{name}" has the document "{document}" of type "{content_type}" uploaded by "{user}"'))
def has_document(
    cm: CustomerMaster,
    admin: Actor,
    world: dict[str, Any],
    name: str,
    document: str,
    content_type: str,
    user: str,
) -> None:
    (found,) = cm.attachments.list(admin, world["ids"][name])
    assert (found.name, found.content_type, found.uploaded_by, found.size) == (
        document,
        content_type,
        user,
        len(PDF),
    )


@then("the document reads back exactly as it was uploaded")
def reads_back(cm: CustomerMaster, admin: Actor, world: dict[str, Any]) -> None:
    (document,) = world["documents"].values()
    found, content = cm.attachments.download(admin, document.customer_id, document.id)
    assert (found, content) == (document, PDF)


@then(parsers.parse('the timeline of "{name}" says "{user}" {words}'))
def timeline_says(
    cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str, user: str, words: str
) -> None:
    entries = cm.audit.timeline(admin, world["ids"][name])
    assert (user, words) in [(e.actor, e.summary) for e in entries], [(e.actor, e.summary) for e in entries]


@then("the audit trail still verifies")
def verifies(cm: CustomerMaster, admin: Actor) -> None:
    assert cm.audit.verify(admin).is_intact


@then(parsers.parse("the upload is refused: {field} {reason}"))
def refused(cm: CustomerMaster, world: dict[str, Any], field: str, reason: str) -> None:
    cm.context.attachment_limit = 20 * 1024 * 1024
    error = world["error"]
    assert isinstance(error, ValidationFailed), error
    assert [(e.path, e.code) for e in error.errors] == [(field, reason)]


@then(parsers.parse('"{name}" has no documents'))
def no_documents(cm: CustomerMaster, admin: Actor, world: dict[str, Any], name: str) -> None:
    assert cm.attachments.list(admin, world["ids"][name]) == []


@then("the customer is not found")
def not_found(world: dict[str, Any]) -> None:
    assert isinstance(world["error"], NotFound)


@then(parsers.parse('an administrator of another tenant cannot read "{document}" either'))
def outsider_cannot_read(cm: CustomerMaster, outsider: Actor, world: dict[str, Any], document: str) -> None:
    found = world["documents"][document]
    with pytest.raises(NotFound):
        cm.attachments.download(outsider, found.customer_id, found.id)


@then(parsers.parse('the bytes of "{document}" are no longer kept'))
def bytes_gone(cm: CustomerMaster, world: dict[str, Any], document: str) -> None:
    assert cm.context.documents is not None
    with pytest.raises(NotFound):
        cm.context.documents.get(world["documents"][document].tenant, world["documents"][document].digest)
