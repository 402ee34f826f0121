"""How many payment-term schedules per second one CPython process computes (SPEC R-6.2).

Run: .venv/bin/python bench/bench_terms.py
The target is at least 200,000 schedules/second for Net 30.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from customer_master.domain.terms import (
    Discount,
    InstallmentLine,
    PaymentTerms,
    percent,
    remainder,
    schedule,
)
from customer_master.domain.terms_steps import (
    day_n_of_month_after_end_of_month,
    net_days,
)

NET30 = PaymentTerms(
    code="NET30", name="Net 30", lines=(InstallmentLine(portion=percent("100"), due=net_days(30)),)
)
THREE_INSTALLMENTS = PaymentTerms(
    code="3X",
    name="30% now with 2% off in 10 days, 30% in 30 days, the rest in 60",
    lines=(
        InstallmentLine(portion=percent("30"), discount=Discount(percent=Decimal(2), days=10)),
        InstallmentLine(portion=percent("30"), due=net_days(30)),
        InstallmentLine(portion=remainder(), due=net_days(60)),
    ),
)
EOM = PaymentTerms(
    code="EOM10",
    name="30 days, end of month on the 10th",
    lines=(
        InstallmentLine(portion=percent("100"), due=day_n_of_month_after_end_of_month(10, after_days=30)),
    ),
)

INVOICE_DATES = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]
AMOUNTS = [Decimal(n).scaleb(-2) for n in range(100_000, 100_000 + 997 * 37, 37)]


def schedules_per_second(terms: PaymentTerms, seconds: float = 1.5) -> float:
    """Schedule invoices (varying dates and amounts) for about ``seconds``."""
    work = list(zip(INVOICE_DATES * 3, AMOUNTS, strict=False))
    done = 0
    started = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for invoice_date, amount in work:
            schedule(terms, invoice_date, amount, currency="USD")
        done += len(work)
        elapsed = time.perf_counter() - started
    return done / elapsed


def main() -> None:
    for label, terms in (
        ("Net 30", NET30),
        ("3 installments with a discount", THREE_INSTALLMENTS),
        ("Odoo end of month on the 10th", EOM),
    ):
        print(f"{label:32} {schedules_per_second(terms):>12,.0f} schedules/s")


if __name__ == "__main__":
    main()
