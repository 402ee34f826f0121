"""Steps for features/aging_and_statements.feature (SPEC R-13.1–R-13.3, R-11.3, R-12.2),
on memory and SQLite: documents go through the façade's receivables feed as a host
feeds them; statements are mailed through a mail port that keeps what it is given (the
real SMTP server is in tests/adapters/test_statements.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from attrs import define, field
from pytest_bdd import given, parsers, scenarios, then, when

from customer_master import Actor, CustomerMaster
from customer_master.clock import FixedClock
from customer_master.domain.aging import BUCKET_TITLES, AgingQuery, AgingReport
from customer_master.domain.statements import KIND_WORDS, Statement
from customer_master.errors import ValidationFailed
from customer_master.services.statements import SendResult
from customer_master_statements import PdfStatements

pytestmark = pytest.mark.usefixtures("cm")

scenarios("aging_and_statements.feature")

BUCKETS_BY_WORDS = {title.lower(): bucket for bucket, title in BUCKET_TITLES.items()}
KINDS = {"invoice": "invoice", "payment": "payment", "credit note": "credit_note"}
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


class Mailbox:
    """The mail port: keeps each message, or refuses while ``down``."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.down = False
        self.tries = 0

    def send(self, *, to: str, subject: str, body: str, attachments: Any = ()) -> None:
        self.tries += 1
        if self.down:
            raise ConnectionRefusedError("the mail server refused the connection")
        self.sent.append({"to": to, "subject": subject, "attachments": list(attachments)})


@define
class Books:
    customer_id: str = ""
    refused: ValidationFailed | None = None
    statement: Statement | None = None
    sends: list[SendResult] = field(factory=list)
    aging: AgingReport | None = None
    mailbox: Mailbox = field(factory=Mailbox)


@pytest.fixture
def books(cm: CustomerMaster) -> Books:
    found = Books()
    cm.context.mailer = found.mailbox
    cm.context.statement_pdf = PdfStatements()
    cm.statements.retry_pause = 0
    return found


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").removesuffix(" MYR"))


# ---------------------------------------------------------------------------
# Given
# ---------------------------------------------------------------------------


@given(parsers.parse("today is {today}"))
def today_is(clock: FixedClock, today: str) -> None:
    clock.set(datetime.combine(date.fromisoformat(today), datetime.min.time(), tzinfo=UTC).replace(hour=9))


@given(
    parsers.re(
        r'"(?P<name>[^"]+)" buys in MYR from .+ \((?P<entity>\w+)\), '
        r'its accounts contact is "(?P<email>[^"]+)"'
    )
)
def customer(tenant: CustomerMaster, admin: Actor, books: Books, name: str, entity: str, email: str) -> None:
    payload = {
        "name": name, "kind": "company", "legal_entity": entity, "currency": "MYR",
        "email": "info@globe.example",
        "contacts": [{"name": "Accounts Payable", "email": email, "is_primary": True}],
    }  # fmt: skip
    books.customer_id = tenant.customers.create(admin, payload).applied.id


@given(parsers.re(
    r'the host fed (?P<kind>invoice|payment|credit note) "(?P<number>[^"]+)" of (?P<amount>[\d,.]+) MYR '
    r"dated (?P<dated>[\d-]+)(?: due (?P<due>[\d-]+))?$"
))  # fmt: skip
def fed(cm: CustomerMaster, admin: Actor, books: Books, kind: str, number: str, amount: str, dated: str,
        due: str | None) -> None:  # fmt: skip
    common = {"number": number, "entity": "MY01", "document_date": date.fromisoformat(dated),
              "amount": amount.replace(",", ""), "currency": "MYR"}  # fmt: skip
    feed = cm.receivables
    if kind == "invoice":
        feed.add_invoice(
            admin, books.customer_id, due_date=date.fromisoformat(due) if due else None, **common
        )
    elif kind == "payment":
        feed.add_payment(admin, books.customer_id, **common)
    else:
        feed.add_credit_note(admin, books.customer_id, **common)


@given(parsers.re(
    r'the host (?:applies|applied) (?P<amount>[\d,.]+) MYR of payment "(?P<payment>[^"]+)" to invoice '
    r'"(?P<invoice>[^"]+)" on (?P<on>[\d-]+)$'
))  # fmt: skip
@when(parsers.re(
    r'the host (?:applies|applied) (?P<amount>[\d,.]+) MYR of payment "(?P<payment>[^"]+)" to invoice '
    r'"(?P<invoice>[^"]+)" on (?P<on>[\d-]+)$'
))  # fmt: skip
def applies(
    cm: CustomerMaster, admin: Actor, books: Books, amount: str, payment: str, invoice: str, on: str
) -> None:
    try:
        cm.receivables.apply(
            admin, entity="MY01", credit_kind="payment", credit_number=payment, invoice_number=invoice,
            amount=amount.replace(",", ""), on=date.fromisoformat(on),
        )  # fmt: skip
    except ValidationFailed as refused:
        books.refused = refused


@given("the mail server refuses every message")
def mail_down(books: Books) -> None:
    books.mailbox.down = True


# ---------------------------------------------------------------------------
# When
# ---------------------------------------------------------------------------


@when(parsers.parse('the host reverses invoice "{number}" on {on}'))
def reverses(cm: CustomerMaster, admin: Actor, number: str, on: str) -> None:
    cm.receivables.reverse(admin, entity="MY01", kind="invoice", number=number, on=date.fromisoformat(on))


@when(parsers.parse("a viewer reads the aging as of {as_of}"))
def viewer_reads(cm: CustomerMaster, books: Books, as_of: str) -> None:
    books.aging = cm.receivables.aging(
        Actor("acme", "vic", {"viewer"}), AgingQuery(as_of=date.fromisoformat(as_of))
    )


@when("the statement for March 2026 from Acme Malaysia (MY01) is made")
def made(cm: CustomerMaster, admin: Actor, books: Books) -> None:
    books.statement = cm.statements.statement(
        admin, books.customer_id, entity="MY01", start=MARCH[0], end=MARCH[1]
    )


@when(parsers.re(r"the statement for March 2026 from Acme Malaysia \(MY01\) is sent(?: again)?$"))
def sent(cm: CustomerMaster, admin: Actor, books: Books) -> None:
    books.sends.append(
        cm.statements.send(admin, books.customer_id, entity="MY01", start=MARCH[0], end=MARCH[1])
    )


@when("the mail server is back")
def mail_back(books: Books) -> None:
    books.mailbox.down = False


# ---------------------------------------------------------------------------
# Then
# ---------------------------------------------------------------------------


@then(parsers.re(r'(?P<kind>invoice|payment) "(?P<number>[^"]+)" has a balance of (?P<balance>[\d,.]+) MYR'))
def balance_of(cm: CustomerMaster, admin: Actor, books: Books, kind: str, number: str, balance: str) -> None:
    [item] = [i for i in cm.receivables.open_items(admin, books.customer_id) if i.number == number]
    assert item.balance == money(balance)


@then(parsers.parse('the application is refused: "{message}"'))
def refused(books: Books, message: str) -> None:
    assert books.refused is not None
    assert [f"{e.path}: {e.message}" for e in books.refused.errors] == [message]


def aging_as_of(cm: CustomerMaster, admin: Actor, as_of: str) -> AgingReport:
    return cm.receivables.aging(admin, AgingQuery(as_of=date.fromisoformat(as_of)))


@then(parsers.parse("the aging as of {as_of} shows nothing owed"))
def nothing_owed(cm: CustomerMaster, admin: Actor, as_of: str) -> None:
    assert aging_as_of(cm, admin, as_of).lines == ()


@then(parsers.re(r"the aging as of (?P<as_of>[\d-]+) shows (?P<amount>[\d,.]+) MYR (?P<bucket>.+)$"))
def owed_in(cm: CustomerMaster, admin: Actor, as_of: str, amount: str, bucket: str) -> None:
    [line] = aging_as_of(cm, admin, as_of).lines
    assert line.buckets is not None
    expected = BUCKETS_BY_WORDS[bucket.lower()]
    assert {b: v for b, v in zip(BUCKET_TITLES, line.buckets.amounts(), strict=True) if v} == {
        expected: money(amount)
    }


@then(parsers.parse('the aging lists "{name}" with its figures masked'))
def masked(books: Books, name: str) -> None:
    assert books.aging is not None
    assert [(line.name, line.buckets) for line in books.aging.lines] == [(name, None)]
    assert books.aging.masked


@then(parsers.parse("the statement opens with {amount} MYR"))
def opens(books: Books, amount: str) -> None:
    assert books.statement is not None
    assert books.statement.opening == money(amount)


@then("its documents are:")
def documents(books: Books, datatable: list[list[str]]) -> None:
    assert books.statement is not None
    header, *rows = datatable
    expected = [dict(zip(header, row, strict=True)) for row in rows]

    def shown(value: Decimal | None) -> str:
        return "" if value is None else f"{value:,.2f}"

    found = [
        {"date": line.on.isoformat(), "document": KIND_WORDS[line.kind], "number": line.number,
         "debit": shown(line.debit), "credit": shown(line.credit), "balance": shown(line.balance)}
        for line in books.statement.lines
    ]  # fmt: skip
    assert found == expected


@then(parsers.parse("the statement closes with {amount} MYR"))
def closes(books: Books, amount: str) -> None:
    assert books.statement is not None
    assert books.statement.closing == money(amount)


@then(parsers.re(r"its aging shows (?P<current>[-\d,.]+) MYR current and (?P<late>[-\d,.]+) MYR 1–30 days"))
def statement_aging(books: Books, current: str, late: str) -> None:
    assert books.statement is not None
    aging = books.statement.aging
    assert aging is not None
    assert (aging.current, aging.days_1_30, aging.overdue) == (money(current), money(late), money(late))


@then(parsers.parse('one message went to "{email}" with the statement\'s PDF attached'))
def one_message(books: Books, email: str) -> None:
    [message] = books.mailbox.sent
    assert message["to"] == email
    [(name, data)] = message["attachments"]
    assert re.fullmatch(r"ST-20260331-[0-9a-f]{12}\.pdf", name)
    assert data.startswith(b"%PDF")


@then(parsers.parse('the second send answered "{status}"'))
def second_send(books: Books, status: str) -> None:
    assert [s.status for s in books.sends] == ["sent", status]


@then(parsers.parse('the customer\'s timeline says "{words}"'))
def timeline_says(cm: CustomerMaster, admin: Actor, books: Books, words: str) -> None:
    entries = [e.summary for e in cm.audit.timeline(admin, books.customer_id) if e.kind == "statement_sent"]
    assert entries == [words]


@then(parsers.parse('the send is reported "{status}" after {tries:d} tries'))
def send_failed(books: Books, status: str, tries: int) -> None:
    assert (books.sends[-1].status, books.sends[-1].attempts, books.mailbox.tries) == (status, tries, tries)
    assert "refused" in (books.sends[-1].error or "")
