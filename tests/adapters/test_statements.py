"""Statements of account for real (R-13.2, R-13.3, R-11.3, R-12.2): rendered as PDF and
XLSX and read back (pypdf, openpyxl), sent through a real SMTP server started here
(aiosmtpd on a free port), and over the HTTP API — the aging, a download by ``Accept``,
one send and a batch job."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook
from pypdf import PdfReader

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master_http import create_app
from customer_master_statements import PdfStatements, SmtpMailer, XlsxStatements

ADMIN = Actor("acme", "ana", {"admin"})
VIEWER = Actor("acme", "vic", {"viewer"})
START, END = date(2026, 3, 1), date(2026, 3, 31)


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def seeded(mailer: SmtpMailer | None) -> tuple[CustomerMaster, str]:
    cm = CustomerMaster(
        CustomerMaster.from_url("memory://", load_entry_points=False).storage,
        load_entry_points=False,
        clock=FixedClock(datetime(2026, 4, 2, 9, 0, tzinfo=UTC)),
        mailer=mailer,
        statement_pdf=PdfStatements(),
    )
    cm.statements.retry_pause = 0.01
    cm.configuration.add_legal_entity(
        ADMIN,
        {"code": "MY01", "name": "Acme Malaysia Sdn Bhd", "currency": "MYR",
         "letterhead": ["Jalan Ampang 1, 50450 Kuala Lumpur", "SST W10-1808-31000001"]},
    )  # fmt: skip
    cm.configuration.set_approval_lane(ADMIN, "create", "green")
    customer = cm.customers.create(
        ADMIN,
        {
            "name": "Ελληνικά Τρόφιμα Чайка",
            "kind": "company",
            "legal_entity": "MY01",
            "currency": "MYR",
            "email": "info@trofima.example",
            "contacts": [
                {"name": "Eleni Papadopoulou", "email": "eleni@trofima.example", "is_primary": True}
            ],
        },
    ).applied
    feed, cid = cm.receivables, customer.id
    feed.add_invoice(ADMIN, cid, number="INV-100", entity="MY01", document_date=date(2026, 2, 1),
                     due_date=date(2026, 3, 3), amount="1200.00", currency="MYR")  # fmt: skip
    feed.add_invoice(ADMIN, cid, number="INV-101", entity="MY01", document_date=date(2026, 3, 5),
                     due_date=date(2026, 4, 4), amount="3450.50", currency="MYR")  # fmt: skip
    feed.add_payment(ADMIN, cid, number="PAY-7", entity="MY01", document_date=date(2026, 3, 20),
                     amount="1000.00", currency="MYR")  # fmt: skip
    feed.apply(ADMIN, entity="MY01", credit_kind="payment", credit_number="PAY-7",
               invoice_number="INV-100", amount="1000.00", on=date(2026, 3, 20))  # fmt: skip
    return cm, cid


def pdf_text(data: bytes) -> str:
    """The PDF's text, each run of white space (pypdf puts each cell on a line) one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_a_statement_is_mailed_to_the_primary_contact_with_its_pdf(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    mailer = SmtpMailer(host="127.0.0.1", port=port, security="none", sender="ar@acme.example")
    cm, cid = seeded(mailer)

    result = cm.statements.send(ADMIN, cid, entity="MY01", start=START, end=END)

    assert (result.status, result.to, result.closing) == ("sent", "eleni@trofima.example", "3650.50")
    [(recipients, message)] = inbox.messages
    assert recipients == ["eleni@trofima.example"]
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{result.statement_id}.pdf"
    text = pdf_text(attachment.get_payload(decode=True))
    assert "Closing balance 3,650.50" in text
    assert "Opening balance 1,200.00" in text
    assert "Ελληνικά Τρόφιμα Чайка" in text  # the shipped font prints the name as written
    assert "Page 1 of 1" in text
    timeline = cm.audit.timeline(ADMIN, cid)
    assert [e.summary for e in timeline if e.kind == "statement_sent"] == ["sent a statement of account"]

    again = cm.statements.send(ADMIN, cid, entity="MY01", start=START, end=END)

    assert again.status == "already_sent"
    assert len(inbox.messages) == 1  # never twice for one statement id


def test_a_failed_send_is_tried_again_reported_and_sent_later(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    down = SmtpMailer(host="127.0.0.1", port=free_port(), security="none", sender="ar@acme.example")
    cm, cid = seeded(down)

    failed = cm.statements.send(ADMIN, cid, entity="MY01", start=START, end=END)

    assert (failed.status, failed.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in (failed.error or "")
    assert [e for e in cm.audit.timeline(ADMIN, cid) if e.kind == "statement_sent"] == []
    cm.context.mailer = SmtpMailer(host="127.0.0.1", port=port, security="none", sender="ar@acme.example")
    assert cm.statements.send(ADMIN, cid, entity="MY01", start=START, end=END).status == "sent"
    assert len(inbox.messages) == 1


def test_a_long_statement_repeats_its_header_and_numbers_its_pages() -> None:
    cm, cid = seeded(None)
    for n in range(120):
        cm.receivables.add_invoice(
            ADMIN, cid, number=f"INV-{n:04d}", entity="MY01", document_date=date(2026, 3, 10),
            due_date=date(2026, 4, 9), amount="10.00", currency="MYR",
        )  # fmt: skip
    statement = cm.statements.statement(ADMIN, cid, entity="MY01", start=START, end=END)

    pdf = PdfReader(io.BytesIO(PdfStatements().render(statement)))
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Date Document Number Due Debit Credit Balance" in page  # the repeated header
    assert "Closing balance 4,850.50" in pages[-1]


def test_a_viewer_gets_the_statement_masked_in_pdf_and_xlsx() -> None:
    cm, cid = seeded(None)

    statement = cm.statements.statement(VIEWER, cid, entity="MY01", start=START, end=END)

    assert (statement.masked, statement.closing, statement.aging) == (True, None, None)
    assert "3,650.50" not in pdf_text(PdfStatements().render(statement))
    assert "Closing balance •••" in pdf_text(PdfStatements().render(statement))
    sheet = load_workbook(io.BytesIO(XlsxStatements().render(statement))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "•••" in values
    assert all(str(v) != "3650.50" for v in values)


def test_the_xlsx_statement_holds_real_numbers() -> None:
    cm, cid = seeded(None)
    statement = cm.statements.statement(ADMIN, cid, entity="MY01", start=START, end=END)

    sheet = load_workbook(io.BytesIO(XlsxStatements().render(statement))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "Closing balance"]

    assert [float(row[6]) for row in rows] == [3650.50]


def test_the_aging_statement_and_batch_over_http(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    cm, cid = seeded(SmtpMailer(host="127.0.0.1", port=port, security="none", sender="ar@acme.example"))
    client = create_app(cm).test_client()
    key = {"X-API-Key": cm.access.create_api_key("acme", "ana", ["admin"])[0]}
    viewer = {"X-API-Key": cm.access.create_api_key("acme", "vic", ["viewer"])[0]}

    aging = client.get("/aging?as_of=2026-03-31", headers=key).json
    assert aging["lines"][0]["buckets"] == {
        "current": "3450.50", "days_1_30": "200.00", "days_31_60": "0.00", "days_61_90": "0.00",
        "over_90": "0.00", "total": "3650.50",
    }  # fmt: skip
    assert client.get("/aging?as_of=2026-03-31", headers=viewer).json["lines"][0]["buckets"] is None
    mine = client.get(f"/customers/{cid}/aging?as_of=2026-03-31", headers=key).json
    assert mine["totals"]["MYR"]["total"] == "3650.50"
    bad = client.get("/aging?as_of=yesterday", headers=key)
    assert bad.status_code == 422
    assert bad.mimetype == "application/problem+json"

    period = "entity=MY01&from=2026-03-01&to=2026-03-31"
    pdf = client.get(f"/customers/{cid}/statement?{period}", headers={**key, "Accept": "application/pdf"})
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert "Closing balance 3,650.50" in pdf_text(pdf.data)
    as_json = client.get(f"/customers/{cid}/statement?{period}", headers=key).json
    assert (as_json["opening"], as_json["closing"]) == ("1200.00", "3650.50")
    assert [line["balance"] for line in as_json["lines"]] == ["4650.50", "3650.50"]

    job = client.post("/statement-batches", json={"entity": "MY01", "from": "2026-03-01", "to": "2026-03-31"},
                      headers=key)  # fmt: skip
    assert job.status_code == 202
    for _ in range(200):
        status = client.get(job.headers["Location"], headers=key).json
        if status["status"] == "completed":
            break
        time.sleep(0.05)
    assert (status["total"], status["counts"]) == (1, {"sent": 1})
    assert [rcpt for rcpt, _ in inbox.messages] == [["eleni@trofima.example"]]
    period_body = {"entity": "MY01", "from": "2026-03-01", "to": "2026-03-31"}
    again = client.post(f"/customers/{cid}/statement/send", json=period_body, headers=key)
    assert again.json["status"] == "already_sent"
    refused = client.post("/statement-batches", json=period_body, headers=viewer)
    assert refused.status_code == 403


# ---------------------------------------------------------------------------
# The command line, on SQLite
# ---------------------------------------------------------------------------


def sqlite_seeded(tmp_path: Any) -> tuple[str, str]:
    """A migrated SQLite file holding ``seeded``'s tenant (copied through the façade)."""
    from click.testing import CliRunner

    from customer_master_cli import cli

    url = f"sqlite:///{tmp_path / 'cm.db'}"
    assert CliRunner().invoke(cli, ["--url", url, "migrate"]).exit_code == 0
    memory, _ = seeded(None)
    cm = CustomerMaster.from_url(url, load_entry_points=False)
    try:
        for entity in memory.configuration.get(ADMIN).entities:
            cm.configuration.add_legal_entity(
                ADMIN, {"code": entity.code, "name": entity.name, "currency": entity.currency,
                        "letterhead": list(entity.letterhead)},
            )  # fmt: skip
        cm.configuration.set_approval_lane(ADMIN, "create", "green")
        [original] = memory.customers.search(ADMIN).items
        copy = cm.customers.create(
            ADMIN,
            {"name": original.name, "kind": "company", "legal_entity": "MY01", "currency": "MYR",
             "email": "info@trofima.example",
             "contacts": [{"name": "Eleni", "email": "eleni@trofima.example", "is_primary": True}]},
        ).applied  # fmt: skip
        for doc in memory.receivables.open_items(ADMIN, original.id):
            add = {"invoice": cm.receivables.add_invoice, "payment": cm.receivables.add_payment}[doc.kind]
            extra = {"due_date": doc.due_date} if doc.kind == "invoice" else {}
            add(ADMIN, copy.id, number=doc.number, entity=doc.entity, document_date=doc.document_date,
                amount=doc.amount, currency=doc.currency, **extra)  # fmt: skip
        cm.receivables.apply(ADMIN, entity="MY01", credit_kind="payment", credit_number="PAY-7",
                             invoice_number="INV-100", amount="1000.00", on=date(2026, 3, 20))  # fmt: skip
    finally:
        cm.close()
    return url, copy.code


def test_the_cli_ages_and_saves_and_sends_statements(smtp: tuple[Inbox, int], tmp_path: Any) -> None:
    from click.testing import CliRunner

    from customer_master_cli import cli

    inbox, port = smtp
    url, code = sqlite_seeded(tmp_path)
    runner = CliRunner()
    who = ["--tenant", "acme", "--user", "ana"]

    aged = runner.invoke(cli, ["--url", url, "aging", "--as-of", "2026-03-31", "--csv", "-", *who])
    assert aged.exit_code == 0, aged.output
    assert aged.stdout.splitlines() == [
        "code,name,entity,currency,current,days_1_30,days_31_60,days_61_90,over_90,total",
        f"{code},Ελληνικά Τρόφιμα Чайка,MY01,MYR,3450.50,200.00,0.00,0.00,0.00,3650.50",
    ]
    period = ["--from", "2026-03-01", "--to", "2026-03-31", "--entity", "MY01"]
    pdf, xlsx = tmp_path / "s.pdf", tmp_path / "s.xlsx"
    saved = runner.invoke(
        cli, ["--url", url, "statement", code, *period, "--pdf", str(pdf), "--xlsx", str(xlsx), *who]
    )
    assert saved.exit_code == 0, saved.output
    assert "Closing balance 3,650.50" in pdf_text(pdf.read_bytes())
    assert load_workbook(xlsx).active is not None

    env = {"CM_SMTP_HOST": "127.0.0.1", "CM_SMTP_PORT": str(port), "CM_SMTP_SECURITY": "none",
           "CM_SMTP_FROM": "ar@acme.example"}  # fmt: skip
    sent = runner.invoke(cli, ["--url", url, "statement", "--batch", *period, "--send", *who], env=env)
    assert sent.exit_code == 0, sent.output
    assert "1 sent" in sent.stdout
    assert [rcpt for rcpt, _ in inbox.messages] == [["eleni@trofima.example"]]
    again = runner.invoke(cli, ["--url", url, "statement", code, *period, "--send", *who], env=env)
    assert "was sent before; not sent again" in again.stdout
    assert len(inbox.messages) == 1

    unset = runner.invoke(
        cli, ["--url", url, "statement", code, *period, "--send", *who], env={"CM_SMTP_HOST": ""}
    )
    assert unset.exit_code == 1
    assert "no mail server is configured" in unset.output
    bad = runner.invoke(cli, ["--url", url, "statement", code, *period, "--send", *who],
                        env={**env, "CM_SMTP_PORT": "smtp"})  # fmt: skip
    assert bad.exit_code == 1
    assert "CM_SMTP_PORT must be a port number" in bad.output
    assert "Traceback" not in bad.output + unset.output
