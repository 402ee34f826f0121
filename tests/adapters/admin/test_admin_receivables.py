"""Aging and statements in the admin through Flask's test client, on memory and SQLite
(R-13.2, R-13.3, R-12.2, R-16.5): the customer page's aging as of a date, masked for a
viewer; the statement downloaded as PDF and XLSX, with bad periods shown at the fields;
sending one after a confirmation to a real SMTP server (aiosmtpd); the list's batch
"send statements"; the tenant's aging page with its entity filter and keyset pages."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from admin_browser import signed_in_client
from aiosmtpd.controller import Controller
from openpyxl import load_workbook
from pypdf import PdfReader

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master_statements import PdfStatements, SmtpMailer

ANA = Actor("acme", "ana", {"admin", "ar_manager"})
CODE_CELL = r'<th scope="row" class="code"><a [^>]+>(CUS-\d+)</a>'


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    kept = Inbox()
    controller = Controller(kept, hostname="127.0.0.1", port=port)
    controller.start()
    yield kept, port
    controller.stop()


@pytest.fixture
def ar(storage_url: str, clock: FixedClock, inbox: tuple[Inbox, int]) -> Iterator[CustomerMaster]:
    """A tenant (MY01 in MYR, SG01 in SGD) whose changes apply at once, a real SMTP
    server behind its mailer, and the clock at 2026-03-02."""
    mailer = SmtpMailer(host="127.0.0.1", port=inbox[1], security="none", sender="ar@acme.example")
    cm = CustomerMaster.from_url(
        storage_url, clock=clock, load_entry_points=False, mailer=mailer, statement_pdf=PdfStatements()
    )
    cm.statements.retry_pause = 0.01
    for code, name, currency in (("MY01", "Acme Malaysia Sdn Bhd", "MYR"), ("SG01", "Acme Singapore", "SGD")):
        cm.configuration.add_legal_entity(ANA, {"code": code, "name": name, "currency": currency})
    for operation in ("create", "update"):
        cm.configuration.set_approval_lane(ANA, operation, "green")
    yield cm
    cm.close()


def _customer(cm: CustomerMaster, name: str, entity: str = "MY01", **fields: Any) -> Any:
    payload = {
        "name": name,
        "kind": "company",
        "legal_entity": entity,
        "email": f"ap@{name[:5].lower().strip()}.example",
    }
    return cm.customers.create(ANA, {**payload, **fields}).applied


def _invoice(
    cm: CustomerMaster, customer: Any, number: str, due: date, amount: str, entity: str = "MY01"
) -> None:
    currency = {"MY01": "MYR", "SG01": "SGD"}[entity]
    cm.receivables.add_invoice(
        ANA, customer.id, number=number, entity=entity, document_date=date(2025, 11, 1),
        due_date=due, amount=amount, currency=currency,
    )  # fmt: skip


@pytest.fixture
def owing(ar: CustomerMaster) -> Any:
    """Kedai Ali owes MY01 100.00 not yet due, 250.50 15 days overdue and 1,000.00 91
    days overdue on 2026-03-02."""
    customer = _customer(ar, "Kedai Ali Sdn Bhd")
    _invoice(ar, customer, "INV-1", date(2026, 3, 10), "100.00")
    _invoice(ar, customer, "INV-2", date(2026, 2, 15), "250.50")
    _invoice(ar, customer, "INV-3", date(2025, 12, 1), "1000.00")
    return customer


def _aging_cells(text: str) -> list[str]:
    table = re.search(r'<table id="aging">.*?</table>', text, re.S)
    assert table is not None, "no aging table"
    body = table.group(0).split("<tbody>")[1]
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>.*?</t[dh]>", body, re.S)
    ]


def test_the_customer_page_shows_the_aging_in_buckets_right_aligned_in_its_currency(
    ar: CustomerMaster, owing: Any
) -> None:
    ana = signed_in_client(ar, "ana", "admin", "ar_manager")
    shown = ana.get(f"/admin/customers/{owing.id}")
    assert shown.status_code == 200
    assert _aging_cells(shown.text) == [
        "MY01", "100.00 MYR", "250.50 MYR", "0.00 MYR", "0.00 MYR", "1,000.00 MYR", "1,350.50 MYR",
    ]  # fmt: skip
    assert '<td class="num">250.50 MYR</td>' in shown.text
    assert "Aging as of 2026-03-02" in shown.text

    earlier = ana.get(f"/admin/customers/{owing.id}?as_of=2026-02-01")
    # On 1 February INV-2 was not due yet and INV-3 was 62 days overdue.
    assert _aging_cells(earlier.text) == [
        "MY01", "350.50 MYR", "0.00 MYR", "0.00 MYR", "1,000.00 MYR", "0.00 MYR", "1,350.50 MYR",
    ]  # fmt: skip


def test_a_bad_as_of_date_is_said_at_its_field(ar: CustomerMaster, owing: Any) -> None:
    ana = signed_in_client(ar, "ana", "admin")
    shown = ana.get(f"/admin/customers/{owing.id}?as_of=31/12/2025")
    assert "&#39;31/12/2025&#39; is not a date: write it as YYYY-MM-DD" in shown.text
    assert 'id="as_of-error"' in shown.text


def test_a_viewer_sees_who_owes_but_not_how_much(ar: CustomerMaster, owing: Any) -> None:
    vic = signed_in_client(ar, "vic", "viewer")
    shown = vic.get(f"/admin/customers/{owing.id}")
    assert _aging_cells(shown.text) == ["MY01", "figures hidden for your role"]
    for amount in ("1,350.50", "250.50", "1,000.00"):
        assert amount not in shown.text
    aging = vic.get("/admin/aging?as_of=2026-03-02")
    assert "Amounts are hidden for your role" in aging.text
    assert "Kedai Ali Sdn Bhd" in aging.text
    assert "1,350.50" not in aging.text


def test_the_statement_downloads_as_pdf_and_xlsx(ar: CustomerMaster, owing: Any) -> None:
    ana = signed_in_client(ar, "ana", "admin", "ar_manager")
    page = ana.get(f"/admin/customers/{owing.id}")
    assert 'name="from" value="2026-03-01"' in page.text
    assert 'name="to" value="2026-03-02"' in page.text
    pdf = ana.get(
        f"/admin/customers/{owing.id}/statement?entity=MY01&from=2025-11-01&to=2026-03-02&format=pdf"
    )
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert 'filename="CUS-0001-MY01-2025-11-01-2026-03-02.pdf"' in pdf.headers["Content-Disposition"]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    for expected in ("INV-1", "INV-2", "INV-3", "1,350.50"):
        assert expected in text, expected
    xlsx = ana.get(
        f"/admin/customers/{owing.id}/statement?entity=MY01&from=2025-11-01&to=2026-03-02&format=xlsx"
    )
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    cells = [
        str(c) for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True) for c in row
    ]
    assert {"INV-1", "INV-2", "INV-3"} <= set(cells)


@pytest.mark.parametrize(
    ("query", "field", "said"),
    [
        (
            "entity=MY01&from=2026-03-01&to=2026-02-01",
            "statement-to",
            "must not be before the start, 2026-03-01",
        ),
        ("entity=MY01&from=March&to=2026-03-31", "statement-from", "&#39;March&#39; is not a date"),
        ("entity=ZZ99&from=2026-03-01&to=2026-03-31", "statement-entity", "ZZ99 is not a legal entity"),
    ],
    ids=["to-before-from", "not-a-date", "unknown-entity"],
)
def test_a_bad_statement_request_is_shown_at_its_field(
    ar: CustomerMaster, owing: Any, query: str, field: str, said: str
) -> None:
    ana = signed_in_client(ar, "ana", "admin")
    refused = ana.get(f"/admin/customers/{owing.id}/statement?{query}&format=pdf")
    assert refused.status_code == 422
    assert refused.mimetype == "text/html"
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', refused.text)
    assert found is not None
    assert said in found.group(1)
    assert f'id="{field}" ' in refused.text or f'id="{field}"' in refused.text


def test_sending_asks_first_then_mails_the_pdf_once(
    ar: CustomerMaster, owing: Any, inbox: tuple[Inbox, int]
) -> None:
    messages = inbox[0].messages
    ana = signed_in_client(ar, "ana", "admin", "ar_manager")
    period = "entity=MY01&from=2026-02-01&to=2026-02-28"
    confirm = ana.get(f"/admin/customers/{owing.id}/statement/send?{period}")
    assert confirm.status_code == 200
    assert "Send the statement to ap@kedai.example" in confirm.text
    assert "2026-02-01 to 2026-02-28" in confirm.text
    assert messages == []  # asking sends nothing

    form = {"entity": "MY01", "from": "2026-02-01", "to": "2026-02-28"}
    forged = ana.client.post(f"/admin/customers/{owing.id}/statement/send", data=form)
    assert forged.status_code == 403
    assert messages == []

    sent = ana.post(f"/admin/customers/{owing.id}/statement/send", form)
    assert sent.status_code == 302
    assert "statement=sent" in sent.headers["Location"]
    [(to, message)] = messages
    assert to == ["ap@kedai.example"]
    attached = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(attached) == 1
    shown = ana.get(sent.headers["Location"])
    assert "The statement was sent to ap@kedai.example." in shown.text

    again = ana.post(f"/admin/customers/{owing.id}/statement/send", form)
    assert "statement=already_sent" in again.headers["Location"]
    assert len(messages) == 1


def test_a_viewer_may_not_send_a_statement(ar: CustomerMaster, owing: Any, inbox: tuple[Inbox, int]) -> None:
    vic = signed_in_client(ar, "vic", "viewer")
    vic.get(f"/admin/customers/{owing.id}/statement/send?entity=MY01&from=2026-02-01&to=2026-02-28")
    refused = vic.post(
        f"/admin/customers/{owing.id}/statement/send",
        {"entity": "MY01", "from": "2026-02-01", "to": "2026-02-28"},
    )
    assert refused.status_code == 403
    assert "customer.write" in refused.text
    assert inbox[0].messages == []


def test_batch_send_statements_confirms_then_sends_to_the_filtered_customers(
    ar: CustomerMaster, owing: Any, inbox: tuple[Inbox, int]
) -> None:
    other = _customer(ar, "Kedai Abu Sdn Bhd")
    _invoice(ar, other, "INV-9", date(2026, 1, 31), "75.00")
    quiet = _customer(ar, "Kedai Senyap Sdn Bhd")  # no documents: nothing to send
    ana = signed_in_client(ar, "ana", "admin", "ar_manager")
    listed = ana.get("/admin/customers?name=Kedai")
    assert '<option value="statements">Send statements</option>' in listed.text
    form = {
        "action": "statements",
        "name": "Kedai",
        "statement_entity": "MY01",
        "from": "2026-02-01",
        "to": "2026-02-28",
    }
    confirm = ana.post("/admin/customers/batch", form)
    assert confirm.status_code == 200
    assert "Send 2 statements" in confirm.text
    assert quiet.code in confirm.text.split("Not sent, having no documents")[1]
    assert inbox[0].messages == []

    ids = re.findall(r'name="ids" value="([^"]+)"', confirm.text)
    assert sorted(ids) == sorted([owing.id, other.id])
    done = ana.post(
        "/admin/customers/batch",
        {"action": "statements", "confirmed": "yes", "statement_entity": "MY01", "from": "2026-02-01",
         "to": "2026-02-28", "ids": ids},
    )  # fmt: skip
    assert done.status_code == 200
    summary = re.search(r'role="status">(.*?)</p>', done.text, re.S)
    assert summary is not None
    assert summary.group(1).startswith(
        "2 customers: 2 sent, 0 sent before, 0 without an e-mail address, 0 failed"
    )
    assert sorted(to[0] for to, _ in inbox[0].messages) == ["ap@kedai.example", "ap@kedai.example"]
    again = ana.post("/admin/customers/batch", {**form, "confirmed": "yes", "ids": ids})
    assert "0 sent, 2 sent before" in again.text
    assert len(inbox[0].messages) == 2


def test_the_tenants_aging_page_filters_by_entity_and_pages_by_code(
    ar: CustomerMaster, owing: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from customer_master_admin import receivables

    monkeypatch.setattr(receivables, "AGING_PAGE", 2)
    for n in range(3):
        customer = _customer(ar, f"Toko Singa {n} Pte Ltd", entity="SG01")
        _invoice(ar, customer, f"SG-{n}", date(2026, 1, 1), f"{n + 1}000.00", entity="SG01")
    ana = signed_in_client(ar, "ana", "admin", "ar_manager")
    first = ana.get("/admin/aging?as_of=2026-03-02")
    assert first.status_code == 200
    assert '<a href="/admin/aging">Aging</a>' in first.text  # in the navigation
    codes = re.findall(CODE_CELL, first.text)
    assert codes == ["CUS-0001", "CUS-0002"]
    next_url = re.search(r'<a class="button" href="([^"]+)">Next page</a>', first.text)
    assert next_url is not None
    second = ana.get(next_url.group(1).replace("&amp;", "&"))
    assert re.findall(CODE_CELL, second.text) == ["CUS-0003", "CUS-0004"]
    assert "The last page." in second.text

    singapore = ana.get("/admin/aging?as_of=2026-03-02&entity=SG01")
    cells = _aging_cells(singapore.text)
    assert "Kedai Ali Sdn Bhd" not in cells
    assert cells[:3] == ["CUS-0002", "Toko Singa 0 Pte Ltd", "SG01"]
    assert "1,000.00 SGD" in cells
    assert "This page&#39;s total in SGD" in singapore.text or "This page's total in SGD" in singapore.text

    unknown = ana.get("/admin/aging?entity=ZZ99")
    assert unknown.status_code == 422
    assert "ZZ99 is not a legal entity of this tenant" in unknown.text


def test_a_viewers_statement_downloads_without_figures(ar: CustomerMaster, owing: Any) -> None:
    vic = signed_in_client(ar, "vic", "viewer")
    period = "entity=MY01&from=2025-11-01&to=2026-03-02"
    pdf = vic.get(f"/admin/customers/{owing.id}/statement?{period}&format=pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "INV-3" in text
    for amount in ("1,350.50", "1,000.00", "250.50"):
        assert amount not in text


def test_without_a_mail_server_sending_is_refused_in_words(tenant: CustomerMaster, admin: Actor) -> None:
    customer = _customer(tenant, "Kedai Ali Sdn Bhd")
    _invoice(tenant, customer, "INV-1", date(2026, 2, 15), "250.50")
    ana = signed_in_client(tenant, "ana", "admin", "ar_manager")
    ana.get(f"/admin/customers/{customer.id}")
    form = {"entity": "MY01", "from": "2026-02-01", "to": "2026-02-28"}
    one = ana.post(f"/admin/customers/{customer.id}/statement/send", form)
    assert one.status_code == 503
    assert "no mail server is configured" in one.text
    batch = ana.post("/admin/customers/batch", {"action": "statements", "statement_entity": "MY01", **form})
    assert batch.status_code == 503
    assert "no mail server is configured" in batch.text
