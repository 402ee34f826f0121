"""The demo's receivables, fed through the façade as a host's accounting module would
(SPEC R-13.1): five months of invoices per customer, due after 30 days; most paid by a
payment applied to them (some in part, some late), a few credit notes, money on account
not yet applied, and invoices still open at every age — so the aging (R-13.2) spreads
over all its buckets and a statement of account (R-13.3) reads like a real one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from customer_master.actor import Actor
from customer_master.app import CustomerMaster
from customer_master.domain.serialize import Data

CENT = Decimal("0.01")


def feed_customer(
    cm: CustomerMaster,
    admin: Actor,
    rng: random.Random,
    today: date,
    customer: Data,
    count: Callable[..., None],
) -> None:
    """One customer's invoices, payments, credit notes and applications."""
    feed, cid, code = cm.receivables, customer["id"], customer["code"]
    currency, entity = customer["currency"], customer["entity"]
    limit = customer["limit"] or Decimal(50_000)
    # A customer who pays late leaves invoices open for longer.
    lateness = rng.choice([0, 0, 5, 15, 45, 80])
    issued = today - timedelta(days=150 + rng.randint(0, 20))
    number = 0
    while issued < today - timedelta(days=2):
        number += 1
        invoice = f"INV-{code}-{number:03d}"
        amount = (limit * Decimal(rng.uniform(0.03, 0.18))).quantize(CENT)
        due = issued + timedelta(days=30)
        feed.add_invoice(admin, cid, number=invoice, entity=entity, document_date=issued, due_date=due,
                         amount=amount, currency=currency)  # fmt: skip
        count("invoices")
        paid_on = due + timedelta(days=lateness + rng.randint(-10, 10))
        if rng.random() < 0.12:  # a short delivery: a credit note, applied
            credit = (amount * Decimal(rng.choice(["0.05", "0.1", "0.2"]))).quantize(CENT)
            note_on = issued + timedelta(days=rng.randint(3, 15))
            if note_on < today:
                note = f"CN-{code}-{number:03d}"
                feed.add_credit_note(admin, cid, number=note, entity=entity, document_date=note_on,
                                     amount=credit, currency=currency)  # fmt: skip
                feed.apply(admin, entity=entity, credit_kind="credit_note", credit_number=note,
                           invoice_number=invoice, amount=credit, on=note_on)  # fmt: skip
                amount -= credit
                count("credit notes")
        if paid_on < today and rng.random() < 0.9:
            part = amount if rng.random() < 0.85 else (amount * Decimal("0.5")).quantize(CENT)
            payment = f"PAY-{code}-{number:03d}"
            feed.add_payment(admin, cid, number=payment, entity=entity, document_date=paid_on, amount=part,
                             currency=currency)  # fmt: skip
            feed.apply(admin, entity=entity, credit_kind="payment", credit_number=payment,
                       invoice_number=invoice, amount=part, on=paid_on)  # fmt: skip
            count("payments")
        issued += timedelta(days=rng.randint(12, 35))
    if rng.random() < 0.15:  # money on account, not yet applied
        on_account = (limit * Decimal("0.02")).quantize(CENT)
        feed.add_payment(admin, cid, number=f"PAY-{code}-ACC", entity=entity,
                         document_date=today - timedelta(days=rng.randint(1, 20)), amount=on_account,
                         currency=currency)  # fmt: skip
        count("payments on account")
