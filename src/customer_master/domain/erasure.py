"""Erasure: a data subject's right to be forgotten, for a customer that must stay for the
books (SPEC R-4.4).

The customer keeps its id, code, kind, amounts, tax ids, entities, classification and
history; what identifies a person goes. Each personal value is replaced by the fixed
placeholder ``[erased]`` — or left empty where the field has a format a placeholder would
break (e-mail, phone, IBAN, BIC, account number), so the record can still be edited. The
names of an ``individual`` are personal; a company's names are not (its contacts are).
Street lines and address labels go; city, state, postal code and country stay (tax
jurisdictions need them).

Inside the audit trail each personal value of the customer's records is blanked together
with its salt (``erased_record``): the record's hash covers only the value's digest, so
``verify`` still passes (R-11.2). Payloads kept elsewhere (change requests, outbox
events) are scrubbed by field name (``scrubbed``).

>>> c = Customer(id="c1", tenant="t", code="CUS-0001", name="Jane Tan", kind="individual",
...     legal_entity="MY01", email="jane@example.com", phone="+60123456789")
>>> e = erased_customer(c)
>>> e.code, e.name, e.email, e.phone
('CUS-0001', '[erased]', None, None)
>>> erased_fields(c)
('email', 'name', 'phone')
>>> scrubbed({"customer": {"name": "Jane Tan", "code": "CUS-0001", "email": "jane@example.com"}},
...     kind="individual")
{'customer': {'name': '[erased]', 'code': 'CUS-0001', 'email': '[erased]'}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import evolve, frozen

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import BULK, ERASED, AuditRecord, record_hash
from customer_master.domain.customer import Address, BankAccount, Contact, Customer
from customer_master.domain.events import Event

PLACEHOLDER = ERASED

# Field names that hold personal values wherever they appear in customer data.
PERSONAL_KEYS = frozenset(
    {
        "email",
        "billing_email",
        "phone",
        "notes",
        "line1",
        "line2",
        "line3",
        "label",
        "bank_name",
        "account_number",
        "iban",
        "bic",
    }
)
# The names of a customer: personal for an individual (and always for a contact).
NAME_KEYS = frozenset({"name", "alternate_name", "legal_name"})
# Audit change-set fields kept for a company (its names are not a person's).
_COMPANY_KEEPS = NAME_KEYS


@frozen(kw_only=True)
class ErasurePlan:
    """Everything an erasure writes, found by the core and handed to storage in one go
    (``UnitOfWork.erasure``): the customer's audit records with personal values and salts
    blanked, the ids of its notes (their text becomes the placeholder), its change
    requests and outbox events with their payloads scrubbed."""

    tenant: str
    customer_id: str
    audit_records: tuple[AuditRecord, ...] = ()
    note_ids: tuple[str, ...] = ()
    change_requests: tuple[ChangeRequest, ...] = ()
    events: tuple[Event, ...] = ()


def _blank(value: str | None) -> str | None:
    return None if value is None else PLACEHOLDER


def _address(a: Address) -> Address:
    return evolve(a, line1=PLACEHOLDER, line2=_blank(a.line2), line3=_blank(a.line3), label=_blank(a.label))


def _contact(c: Contact) -> Contact:
    return evolve(c, name=PLACEHOLDER, email=None, phone=None)


def _bank_account(b: BankAccount) -> BankAccount:
    return evolve(b, bank_name=_blank(b.bank_name), account_number=None, iban=None, bic=None)


def erased_customer(customer: Customer) -> Customer:
    """``customer`` with every personal value replaced (see the module docstring)."""
    erased = evolve(
        customer,
        email=None,
        billing_email=None,
        phone=None,
        notes=_blank(customer.notes),
        addresses=tuple(_address(a) for a in customer.addresses),
        contacts=tuple(_contact(c) for c in customer.contacts),
        bank_accounts=tuple(_bank_account(b) for b in customer.bank_accounts),
    )
    if customer.kind == "individual":
        erased = evolve(
            erased,
            name=PLACEHOLDER,
            alternate_name=_blank(customer.alternate_name),
            legal_name=_blank(customer.legal_name),
        )
    return erased


def erased_fields(customer: Customer) -> tuple[str, ...]:
    """The names of the customer's fields that held a personal value, sorted: what the
    erasure's own audit record says it erased (never the values)."""
    before, after = customer, erased_customer(customer)
    names = (
        "name",
        "alternate_name",
        "legal_name",
        "email",
        "billing_email",
        "phone",
        "notes",
        "addresses",
        "contacts",
        "bank_accounts",
    )
    return tuple(sorted(n for n in names if getattr(before, n) != getattr(after, n)))


def scrubbed(data: Any, *, kind: str, personal: bool = False, in_contacts: bool = False) -> Any:
    """``data`` (plain JSON-like data about the customer: a payload, a change set) with
    every string under a personal field name replaced by the placeholder. Names are
    personal inside ``contacts`` and, for an ``individual``, everywhere."""
    if isinstance(data, Mapping):
        result = {}
        for key, value in data.items():
            is_personal = personal or key in PERSONAL_KEYS
            if key in NAME_KEYS and (kind == "individual" or in_contacts):
                is_personal = True
            result[key] = scrubbed(
                value, kind=kind, personal=is_personal, in_contacts=in_contacts or key == "contacts"
            )
        return result
    if isinstance(data, list | tuple):
        return [scrubbed(v, kind=kind, personal=personal, in_contacts=in_contacts) for v in data]
    if personal and isinstance(data, str) and data:
        return PLACEHOLDER
    return data


def _personal_strings(
    data: Any, *, kind: str, personal: bool = False, in_contacts: bool = False
) -> list[str]:
    """The strings ``scrubbed`` would replace."""
    if isinstance(data, Mapping):
        found = []
        for key, value in data.items():
            is_personal = (
                personal
                or key in PERSONAL_KEYS
                or (key in NAME_KEYS and (kind == "individual" or in_contacts))
            )
            found += _personal_strings(
                value, kind=kind, personal=is_personal, in_contacts=in_contacts or key == "contacts"
            )
        return found
    if isinstance(data, list | tuple):
        return [
            s
            for v in data
            for s in _personal_strings(v, kind=kind, personal=personal, in_contacts=in_contacts)
        ]
    return [data] if personal and isinstance(data, str) and data else []


def _fold(text: str) -> str:
    """A value as it may be written anywhere: ``+60 12-345 6789`` and ``+60123456789``
    fold alike, as do e-mails of another case."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def personal_values(
    customer_data: Mapping[str, Any], records: Iterable[AuditRecord], customer_id: str, kind: str
) -> frozenset[str]:
    """Every personal value the customer holds now or held in its audit records, folded:
    what ``scrubbed_values`` looks for in a payload about many customers (an import's
    rows). Values shorter than four letters or digits are left out (they name nobody)."""
    found = _personal_strings(customer_data, kind=kind)
    for record in records:
        prefix = _prefix(record, customer_id)
        for path in record.personal:
            if path.startswith(prefix):
                field_name = path[len(prefix) :].split(".", 1)[0]
                found += _personal_strings({field_name: _at(record.changes, path)}, kind=kind)
    return frozenset(f for f in map(_fold, found) if len(f) >= 4 and f != _fold(PLACEHOLDER))


def scrubbed_values(data: Any, values: frozenset[str]) -> Any:
    """``data`` with every string that folds to one of ``values`` replaced by the
    placeholder, whatever its field: for payloads that hold many customers, where only
    this customer's values may go.

    >>> scrubbed_values({"rows": [{"Email": "JANE@x.example", "City": "Ipoh"}]}, frozenset({"janexexample"}))
    {'rows': [{'Email': '[erased]', 'City': 'Ipoh'}]}
    """
    if isinstance(data, Mapping):
        return {key: scrubbed_values(value, values) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [scrubbed_values(v, values) for v in data]
    if isinstance(data, str) and _fold(data) in values:
        return PLACEHOLDER
    return data


def erased_record(record: AuditRecord, customer_id: str, kind: str) -> AuditRecord | None:
    """``record`` with the customer's personal values and their salts blanked, or ``None``
    when it holds none. Its hash still holds: the hash covers each value's digest, which
    stays (``audit.record_hash``). In a merge's record only the customer's side is
    blanked; in a bulk import's batch record only the customer's entry."""
    prefix = _prefix(record, customer_id)
    personal = dict(record.personal)
    changes = _copy(record.changes)
    blanked = 0
    for path, proof in record.personal.items():
        if not path.startswith(prefix) or not proof.get("salt"):
            continue
        field_name = path[len(prefix) :].split(".", 1)[0]
        if kind != "individual" and field_name in _COMPANY_KEEPS:
            continue
        _put(changes, path, PLACEHOLDER)
        personal[path] = {"salt": "", "digest": proof.get("digest", "")}
        blanked += 1
    if not blanked:
        return None
    erased = evolve(record, changes=changes, personal=personal)
    assert record_hash(erased) == record.hash, "an erasure must leave the record's hash as it was"
    return erased


def is_erasure_of(stored: AuditRecord, erased: AuditRecord) -> bool:
    """Does ``erased`` differ from ``stored`` only in blanked personal values and salts,
    with its hash still holding? The one change the append-only trail allows."""
    same = evolve(erased, changes=stored.changes, personal=stored.personal) == stored
    return same and record_hash(erased) == stored.hash and set(erased.personal) == set(stored.personal)


def _prefix(record: AuditRecord, customer_id: str) -> str:
    if record.operation == BULK:
        return f"{customer_id}."
    if record.operation == "merge" and len(record.customer_ids) == 2:
        return "source." if record.customer_ids[0] == customer_id else "target."
    return ""


def _at(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _copy(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_copy(v) for v in data]
    return data


def _put(data: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
