"""The words of the features and the story of one scenario, shared by the step modules
in this folder (``conftest.py`` puts the folder on ``sys.path``).

Field names in steps are the words of the SPEC ("credit limit", "billing e-mail");
``FIELDS`` maps them to the names the service takes. A scenario talks about customers by
name; ``Story`` remembers which stored customer each name stands for, which customer
"it" is, and what the last action gave back (the saved customer with its warnings, or
the refusal). Before every action it takes a snapshot of what is stored, so a scenario
can say "nothing was stored" and mean: no customer changed, no audit record and no event
written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from attrs import define, field, frozen

from customer_master import Actor, CustomerMaster, CustomerMasterError, ValidationFailed
from customer_master.domain.customer import Customer
from customer_master.domain.effective import EffectiveView
from customer_master.domain.search import CustomerQuery
from customer_master.services.base import Outcome

# ---------------------------------------------------------------------------
# Words for fields and records
# ---------------------------------------------------------------------------

FIELDS = {
    "name": "name", "kind": "kind", "legal entity": "legal_entity", "code": "code",
    "e-mail": "email", "billing e-mail": "billing_email", "phone": "phone", "website": "website",
    "customer type": "customer_type", "customer group": "customer_group", "segment": "segment",
    "sub-segment": "sub_segment", "region": "region", "industry": "industry", "tier": "tier",
    "tags": "tags", "currency": "currency", "payment terms": "payment_terms",
    "credit limit": "credit_limit", "price list": "price_list", "salesperson": "salesperson",
    "legal name": "legal_name", "alternate name": "alternate_name", "notes": "notes",
    "tax code": "tax_code", "revenue account": "revenue_account",
    "receivable account": "receivable_account", "prospect reference": "prospect_ref",
}  # fmt: skip

LIST_FIELDS = {"tags", "purposes", "default_for", "roles"}
AMOUNT_FIELDS = {"credit_limit", "unit_price", "min_quantity", "max_quantity"}
YES_NO_FIELDS = {"is_primary"}

# Each kind of related record: its payload key, the column words of its tables, and the
# column that names one record in a scenario (so actions can address it by that name).
RECORDS: dict[str, tuple[str, dict[str, str], str]] = {
    "addresses": ("addresses", {
        "label": "label", "purposes": "purposes", "default for": "default_for", "line 1": "line1",
        "line 2": "line2", "line 3": "line3", "city": "city", "state": "state",
        "postal code": "postal_code", "country": "country", "entity": "entity",
    }, "label"),
    "contacts": ("contacts", {
        "name": "name", "roles": "roles", "e-mail": "email", "phone": "phone", "primary": "is_primary",
    }, "name"),
    "bank accounts": ("bank_accounts", {
        "bank": "bank_name", "account number": "account_number", "IBAN": "iban", "BIC": "bic",
    }, "bank_name"),
    "pricing tiers": ("pricing_tiers", {
        "item": "item_code", "min quantity": "min_quantity", "max quantity": "max_quantity",
        "unit price": "unit_price", "currency": "currency", "valid from": "valid_from",
        "valid to": "valid_to",
    }, "item_code"),
    "tax profiles": ("tax_profiles", {
        "exempt tax code": "exempt_tax_code", "certificate": "certificate_number",
        "valid from": "valid_from", "valid to": "valid_to",
    }, "certificate_number"),
    "tax ids": ("tax_ids", {"scheme": "scheme", "number": "number", "primary": "is_primary"}, "number"),
    "overrides": ("overrides", {
        "entity": "entity", "credit limit": "credit_limit", "payment terms": "payment_terms",
        "currency": "currency", "price list": "price_list", "salesperson": "salesperson",
        "receivable account": "receivable_account",
    }, "entity"),
}  # fmt: skip

# "address changes" → "addresses", "override changes" → "overrides", …
SINGULAR = {
    "address": "addresses", "contact": "contacts", "bank account": "bank accounts",
    "pricing tier": "pricing tiers", "tax profile": "tax profiles", "tax id": "tax ids",
    "override": "overrides",
}  # fmt: skip


def field_name(words: str) -> str:
    if words not in FIELDS:
        raise KeyError(f"no field called {words!r} in the step vocabulary; known: {', '.join(FIELDS)}")
    return FIELDS[words]


def value_of(key: str, text: str) -> Any:
    """A table or step value as the service takes it: "(empty)" clears, lists are comma
    separated, amounts may carry thousands separators, yes/no are booleans."""
    text = text.strip()
    if text == "(empty)":
        return None
    if key in LIST_FIELDS:
        return [part.strip() for part in text.split(",") if part.strip()]
    if key in AMOUNT_FIELDS:
        return text.replace(",", "")
    if key in YES_NO_FIELDS:
        return text == "yes"
    return text


def table_records(kind: str, datatable: list[list[str]]) -> list[dict[str, Any]]:
    """The records of a table: one per row, empty cells left out."""
    _, columns, _ = RECORDS[kind]
    header, *rows = datatable
    unknown = [c for c in header if c not in columns and c != "action"]
    assert not unknown, f"unknown column(s) {unknown} for {kind}; known: {list(columns)}"
    records = []
    for row in rows:
        record: dict[str, Any] = {}
        for column, cell in zip(header, row, strict=True):
            if cell.strip():
                key = "action" if column == "action" else columns[column]
                record[key] = value_of(key, cell)
        records.append(record)
    return records


def split_names(text: str) -> list[str]:
    """ "MY01, SG01 and US01" → ["MY01", "SG01", "US01"]; quotes are dropped."""
    return [p.strip().strip('"') for p in re.split(r",|\band\b", text) if p.strip()]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "customer"


# ---------------------------------------------------------------------------
# The story of one scenario
# ---------------------------------------------------------------------------


@frozen
class Stored:
    """What is stored for the tenant at one moment."""

    customers: tuple[Customer, ...]
    audit_records: int
    events: int


def stored_state(cm: CustomerMaster, actor: Actor) -> Stored:
    customers = cm.customers.search(actor, CustomerQuery(status="any", limit=1000)).items
    with cm.storage.unit_of_work() as uow:
        audit = len(uow.audit.for_tenant(actor.tenant))
        events = len([e for e in uow.outbox.pending(limit=100_000) if e.tenant == actor.tenant])
    return Stored(tuple(customers), audit, events)


@define
class Story:
    """What a scenario has done so far."""

    cm: CustomerMaster
    actor: Actor
    ids: dict[str, str] = field(factory=dict)  # customer name in the scenario → stored id
    subject: str | None = None  # the customer "it" refers to
    draft: dict[str, Any] | None = None
    outcome: Outcome[Customer] | None = None
    error: CustomerMasterError | None = None
    before: Stored | None = None
    view: EffectiveView | None = None
    pending: tuple[str, dict[str, Any]] | None = None  # a change being described

    def customer(self, name: str | None = None) -> Customer:
        """The stored customer called ``name`` (or "it"), read fresh from storage."""
        key = name or self.subject
        assert key is not None, "the scenario has not named a customer yet"
        assert key in self.ids, f"no customer called {key!r} was stored in this scenario"
        return self.cm.customers.get(self.actor, self.ids[key])

    def attempt(self, action: Callable[[], Outcome[Customer] | Customer]) -> None:
        """Run a change, remembering what was stored before and what came back."""
        self.before = stored_state(self.cm, self.actor)
        self.outcome, self.error = None, None
        try:
            result = action()
        except CustomerMasterError as error:
            self.error = error
            return
        self.outcome = result if isinstance(result, Outcome) else Outcome(result)
        self.ids.setdefault(self.outcome.value.name, self.outcome.value.id)

    def save_draft(self) -> None:
        draft = self.draft
        assert draft is not None, "describe a new customer first"
        self.draft = None
        self.subject = str(draft.get("name") or "")
        self.attempt(lambda: self.cm.customers.create(self.actor, draft))
        if self.outcome is not None:
            self.subject = self.outcome.value.name

    def update(self, name: str, changes: dict[str, Any], version: int | None = None) -> None:
        current = self.customer(name)
        self.subject = name
        at = current.version if version is None else version
        self.attempt(lambda: self.cm.customers.update(self.actor, current.id, changes, version=at))

    def validation_errors(self) -> tuple[tuple[str, str, str], ...]:
        assert isinstance(self.error, ValidationFailed), (
            f"expected a refusal with validation errors, got {self.error!r} (outcome {self.outcome!r})"
        )
        return tuple((e.path, e.code, e.message) for e in self.error.errors)

    def succeeded(self) -> Customer:
        assert self.error is None, f"the change was refused: {self.error!r}"
        assert self.outcome is not None
        return self.outcome.value
