"""The statement's figures (R-13.3): opening balance, running balance, reversals on their
own day, closing balance — a hypothesis property says the closing balance is always the
opening balance plus the period's lines, and the aging total at the end when every
payment is fed as a document and applied."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain.aging import age_items
from customer_master.domain.receivables import OpenItem
from customer_master.domain.statements import statement_ledger

START, END = date(2026, 3, 1), date(2026, 3, 31)


def doc(number: str, kind: str, day: date, amount: str, *, reversed_on: date | None = None) -> OpenItem:
    value = Decimal(amount)
    return OpenItem(
        number=number, customer_id="c1", entity="MY01", kind=kind,  # type: ignore[arg-type]
        document_date=day, due_date=day + timedelta(days=30) if kind == "invoice" else None,
        amount=value, balance=Decimal(0) if reversed_on else value, currency="MYR", reversed_on=reversed_on,
    )  # fmt: skip


def test_a_reversal_in_the_period_is_a_line_of_its_own_day() -> None:
    ledger = statement_ledger(
        [doc("INV-1", "invoice", date(2026, 2, 20), "100"),
         doc("INV-2", "invoice", date(2026, 3, 3), "40", reversed_on=date(2026, 3, 9))],
        start=START, end=END,
    )  # fmt: skip

    assert ledger.opening == Decimal("100")
    assert [
        (line.kind, line.on, line.reference, line.debit, line.credit, line.balance) for line in ledger.lines
    ] == [
        ("invoice", date(2026, 3, 3), None, Decimal("40"), None, Decimal("140")),
        ("reversal", date(2026, 3, 9), "INV-2", None, Decimal("40"), Decimal("100")),
    ]
    assert ledger.closing == Decimal("100")


def test_a_document_reversed_before_the_period_is_not_in_the_opening_balance() -> None:
    ledger = statement_ledger(
        [doc("INV-1", "invoice", date(2026, 1, 5), "100", reversed_on=date(2026, 2, 1))], start=START, end=END
    )

    assert (ledger.opening, ledger.lines, ledger.closing) == (Decimal(0), (), Decimal(0))


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
kinds = st.sampled_from(["invoice", "payment", "credit_note"])


@given(st.lists(st.tuples(kinds, st.integers(0, 120), amounts), max_size=25))
def test_the_closing_balance_is_the_opening_plus_the_lines_and_the_aging_total(
    documents: list[tuple[str, int, Decimal]],
) -> None:
    items = [doc(f"D-{n}", kind, date(2026, 1, 1) + timedelta(days=day), str(amount))
             for n, (kind, day, amount) in enumerate(documents)]  # fmt: skip

    ledger = statement_ledger(items, start=START, end=END)

    moved = sum(((line.debit or 0) - (line.credit or 0) for line in ledger.lines), Decimal(0))
    assert ledger.closing == ledger.opening + moved
    aging = age_items(items, END).get(("MY01", "MYR"))
    assert ledger.closing == (aging.total if aging else Decimal(0))
