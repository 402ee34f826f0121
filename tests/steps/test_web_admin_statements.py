"""Steps for features/web_admin_statements.feature (SPEC R-16.5, R-13.3): the admin's
pages through Flask's test client on memory and SQLite; statements are mailed through a
mail port that keeps each message (the real SMTP server is in
tests/adapters/admin/test_admin_receivables.py and tests/adapters/test_statements.py)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

sys.path.insert(0, str(Path(__file__).parents[1] / "adapters" / "admin"))

from admin_browser import Browser, signed_in_client

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master_statements import PdfStatements

pytestmark = pytest.mark.usefixtures("storage_url")  # memory and SQLite

scenarios("web_admin_statements.feature")

ANA = Actor("acme", "setup", {"admin", "ar_manager"})
FEBRUARY = {"entity": "MY01", "from": "2026-02-01", "to": "2026-02-28"}


class Mailbox:
    """The mail port: keeps each message it is given."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(
        self, *, to: str, subject: str, body: str, attachments: Sequence[tuple[str, bytes]] = ()
    ) -> None:
        self.sent.append({"to": to, "subject": subject, "attachments": list(attachments)})


@pytest.fixture
def story() -> dict[str, Any]:
    return {}


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def master(storage_url: str, clock: FixedClock, mailbox: Mailbox) -> Iterator[CustomerMaster]:
    cm = CustomerMaster.from_url(
        storage_url, clock=clock, load_entry_points=False, mailer=mailbox, statement_pdf=PdfStatements()
    )
    yield cm
    cm.close()


@given("the admin over a tenant whose mail goes to a kept mailbox")
def tenant_with_mail(master: CustomerMaster) -> None:
    master.configuration.add_legal_entity(ANA, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    master.configuration.set_approval_lane(ANA, "create", "green")


@given(parsers.parse('"{name}" owes MY01 {amount} MYR and receives mail at "{email}"'))
def owes(master: CustomerMaster, story: dict[str, Any], name: str, amount: str, email: str) -> None:
    customer = master.customers.create(
        ANA, {"name": name, "kind": "company", "legal_entity": "MY01", "email": email}
    ).applied
    master.receivables.add_invoice(
        ANA, customer.id, number=f"INV-{customer.code}", entity="MY01", document_date=date(2026, 1, 5),
        due_date=date(2026, 2, 4), amount=amount, currency="MYR",
    )  # fmt: skip
    story[name] = customer


@given(parsers.parse('"{name}" has no documents'))
def no_documents(master: CustomerMaster, story: dict[str, Any], name: str) -> None:
    story[name] = master.customers.create(
        ANA, {"name": name, "kind": "company", "legal_entity": "MY01", "email": "ap@senyap.example"}
    ).applied


@given('"ana" is signed in to the admin as an AR manager', target_fixture="ana")
def ana_signed_in(master: CustomerMaster) -> Browser:
    return signed_in_client(master, "ana", "admin", "ar_manager")


@when(parsers.parse('she asks to send the statement of "{name}" for February 2026'))
def asks(ana: Browser, story: dict[str, Any], name: str) -> None:
    customer = story[name]
    story["customer"] = customer
    period = "&".join(f"{k}={v}" for k, v in FEBRUARY.items())
    story["page"] = ana.get(f"/admin/customers/{customer.id}/statement/send?{period}")


@then(parsers.parse('the confirmation names "{email}" and no mail has gone'))
def confirmation(story: dict[str, Any], mailbox: Mailbox, email: str) -> None:
    assert story["page"].status_code == 200
    assert f"Send the statement to {email}" in story["page"].text
    assert mailbox.sent == []


@when("she confirms the statement")
def confirms(ana: Browser, story: dict[str, Any]) -> None:
    customer = story["customer"]
    sent = ana.post(f"/admin/customers/{customer.id}/statement/send", FEBRUARY)
    assert sent.status_code == 302
    story["page"] = ana.get(sent.headers["Location"])


@then(parsers.parse('one mail with the statement PDF went to "{email}"'))
def one_mail(mailbox: Mailbox, story: dict[str, Any], email: str) -> None:
    [mail] = mailbox.sent
    assert mail["to"] == email
    [(name, pdf)] = mail["attachments"]
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF")
    assert f"The statement was sent to {email}." in story["page"].text


@then(parsers.parse('the timeline of "{name}" says "{words}"'))
def timeline_says(story: dict[str, Any], name: str, words: str) -> None:
    timeline = story["page"].text.split('id="timeline"')[1]
    assert words in timeline


@then("the page says it was sent before and no other mail went")
def sent_before(story: dict[str, Any], mailbox: Mailbox) -> None:
    assert "was sent to" in story["page"].text
    assert "before: it was not sent again" in story["page"].text
    assert len(mailbox.sent) == 1


@when(parsers.parse('she sends statements for the customers named "{name}" for February 2026'))
def batch(ana: Browser, story: dict[str, Any], name: str) -> None:
    ana.get(f"/admin/customers?name={name}")
    form = {"action": "statements", "name": name, "statement_entity": "MY01", **FEBRUARY}
    story["page"] = ana.post("/admin/customers/batch", form)


@then(parsers.parse('the confirmation lists {count:d} customers to send to and names "{name}" as not sent'))
def batch_confirmation(story: dict[str, Any], mailbox: Mailbox, count: int, name: str) -> None:
    page = story["page"]
    assert f"Send {count} statements" in page.text
    assert story[name].code in page.text.split("Not sent, having no documents")[1]
    story["ids"] = re.findall(r'name="ids" value="([^"]+)"', page.text)
    assert len(story["ids"]) == count
    assert mailbox.sent == []


@when("she confirms the batch")
def confirms_batch(ana: Browser, story: dict[str, Any]) -> None:
    confirmed = {"action": "statements", "confirmed": "yes", "statement_entity": "MY01"}
    form = {**confirmed, **FEBRUARY, "ids": story["ids"]}  # as the confirmation page sends them
    story["page"] = ana.post("/admin/customers/batch", form)


@then(parsers.parse('the summary reads "{summary}"'))
def summary_reads(story: dict[str, Any], summary: str) -> None:
    found = re.search(r'role="status">(.*?)</p>', story["page"].text, re.S)
    assert found is not None
    assert found.group(1).startswith(summary)


@then(parsers.parse('mails went to "{first}" and "{second}"'))
def mails_went(mailbox: Mailbox, first: str, second: str) -> None:
    assert sorted(m["to"] for m in mailbox.sent) == sorted([first, second])
