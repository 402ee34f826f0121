"""The customer form: what a person types, read into the payloads the services take.

The form holds the master fields people edit every day and the related records they add
and remove in it (addresses, contacts, tax ids); the rest (pricing tiers, overrides,
dimensions) is shown on the customer page and kept as it is. Field names are the paths
of the core's errors with ``-`` for brackets and dots (``addresses[2].country`` →
``addresses-2-country``), so every error lands at its field (R-3.3).

>>> field_id("addresses[2].country")
'addresses-2-country'
>>> sorted(read_form({"name": " Kedai ", "tags": "a, b", "addresses-0-city": "KL",
...                   "addresses-0-line1": "1 Jalan", "addresses-0-purposes": "billing"})["addresses"][0])
['city', 'line1', 'purposes']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attrs import evolve, frozen

from customer_master.domain.customer import Customer
from customer_master.domain.serialize import to_data
from customer_master.errors import FieldError

# (name, label, kind): kind is text, email, select, list (comma-separated), amount, area.
MASTER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "Name", "text"),
    ("kind", "Kind", "select"),
    ("legal_entity", "Owning legal entity", "select"),
    ("legal_name", "Legal name", "text"),
    ("alternate_name", "Alternate name", "text"),
    ("email", "E-mail", "email"),
    ("billing_email", "Billing e-mail", "email"),
    ("phone", "Phone", "text"),
    ("website", "Website", "text"),
    ("customer_type", "Customer type", "select"),
    ("customer_group", "Customer group", "select"),
    ("segment", "Segment", "select"),
    ("region", "Region", "select"),
    ("industry", "Industry", "select"),
    ("tier", "Tier", "select"),
    ("tags", "Tags (comma-separated)", "list"),
    ("currency", "Currency (ISO 4217)", "text"),
    ("payment_terms", "Payment terms", "select"),
    ("credit_limit", "Credit limit", "amount"),
    ("price_list", "Price list", "select"),
    ("salesperson", "Salesperson", "text"),
)

RELATED_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "addresses": (
        ("label", "Label", "text"),
        ("purposes", "Purposes (billing, shipping, delivery, site, hq)", "list"),
        ("default_for", "Default for", "list"),
        ("line1", "Street line 1", "text"),
        ("line2", "Street line 2", "text"),
        ("city", "City", "text"),
        ("state", "State or province", "text"),
        ("postal_code", "Postal code", "text"),
        ("country", "Country (ISO code)", "text"),
    ),
    "contacts": (
        ("name", "Name", "text"),
        ("roles", "Roles (comma-separated)", "list"),
        ("email", "E-mail", "email"),
        ("phone", "Phone", "text"),
        ("is_primary", "Primary contact", "check"),
    ),
    "tax_ids": (
        ("scheme", "Scheme (e.g. eu.vat, my.brn)", "text"),
        ("number", "Number", "text"),
        ("is_primary", "Primary", "check"),
    ),
}
RELATED_TITLES = {"addresses": "Addresses", "contacts": "Contacts", "tax_ids": "Tax ids"}
_RECORD = re.compile(r"^(addresses|contacts|tax_ids)\[(\d+)\]")
ROW_INDEX = "__rows__"
_ROW = re.compile(r"^(addresses|contacts|tax_ids)-(\d+)-(\w+)$")


def field_id(path: str) -> str:
    """The form field (and its element id) an error path points at."""
    return re.sub(r"[\[\].]+", "-", path).strip("-")


@frozen
class FormErrors:
    """Every error of a refused save, by the field it belongs to; ``unplaced`` are errors
    whose path is not a field of the form (shown at the top)."""

    by_field: Mapping[str, list[str]]
    unplaced: tuple[FieldError, ...]

    @classmethod
    def of(cls, errors: list[FieldError], fields: set[str]) -> FormErrors:
        by_field: dict[str, list[str]] = {}
        unplaced = []
        for error in errors:
            target = field_id(error.path)
            while target and target not in fields and "-" in target:
                target = target.rsplit("-", 1)[0]
            if target in fields:
                by_field.setdefault(target, []).append(error.message)
            else:
                unplaced.append(error)
        return cls(by_field, tuple(unplaced))


def read_form(form: Mapping[str, str], *, keep_blank: bool = False) -> dict[str, Any]:
    """The create payload a submitted form stands for (blank fields left out, or set to
    ``None`` with ``keep_blank``, so a clone can clear what it drafted)."""
    payload: dict[str, Any] = {}
    for name, _label, kind in MASTER_FIELDS:
        value = _value(form.get(name, ""), kind)
        if value is not None:
            payload[name] = value
        elif keep_blank:
            payload[name] = None
    for section, rows in form_rows(form).items():
        kept = [
            (i, record)
            for i, row in enumerate(rows)
            if not row.get("remove") and (record := _record(section, row))
        ]
        if kept:
            payload[section] = [record for _i, record in kept]
            payload.setdefault(ROW_INDEX, {})[section] = [i for i, _record in kept]
    return payload


def split_rows(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The payload without its row index, and the index: for each related record sent,
    the row of the form it came from (so an error at ``addresses[0]`` finds its row)."""
    index = payload.pop(ROW_INDEX, {})
    return payload, index


def form_errors(errors: list[FieldError], index: Mapping[str, list[int]]) -> list[FieldError]:
    """Errors with their record numbers turned into the form's row numbers."""

    def row_of(match: re.Match[str]) -> str:
        section, number = match.group(1), int(match.group(2))
        rows = index.get(section, [])
        return f"{section}[{rows[number] if number < len(rows) else number}]"

    return [evolve(e, path=_RECORD.sub(row_of, e.path, count=1)) for e in errors]


def form_rows(form: Mapping[str, str]) -> dict[str, list[dict[str, str]]]:
    """The related-record rows of a form, in order: ``{"addresses": [{...}, ...]}``."""
    found: dict[str, dict[int, dict[str, str]]] = {}
    for key, value in form.items():
        match = _ROW.match(key)
        if match:
            section, index, name = match.group(1), int(match.group(2)), match.group(3)
            found.setdefault(section, {}).setdefault(index, {})[name] = value
    return {section: [rows[i] for i in sorted(rows)] for section, rows in found.items()}


def update_changes(current: Customer, form: Mapping[str, str]) -> dict[str, Any]:
    """The partial update a submitted edit form stands for (R-3.2): the master fields that
    differ from ``current``; for related records, ``add`` for new rows, ``update`` for
    changed ones and ``delete`` for rows ticked for removal."""
    before = form_values(current)
    changes: dict[str, Any] = {}
    for name, _label, kind in MASTER_FIELDS:
        if name in current.masked:
            continue
        typed = form.get(name, "").strip()
        if typed != before.get(name, ""):
            changes[name] = _value(typed, kind)
    stored = to_data(current)
    for section, rows in form_rows(form).items():
        was = {str(r["id"]): r for r in stored.get(section) or []}
        actions: list[dict[str, Any]] = []
        for number, row in enumerate(rows):
            count = len(actions)
            record_id = row.get("id", "")
            if record_id and row.get("remove"):
                actions.append({"action": "delete", "id": record_id})
            elif record_id in was:
                old = was[record_id]
                fields = RELATED_FIELDS[section]
                if any(_text(old.get(name), kind) != row.get(name, "").strip() for name, _l, kind in fields):
                    actions.append({"action": "update", "id": record_id, **_with_blanks(section, row)})
            elif not record_id and not row.get("remove") and (record := _record(section, row)):
                actions.append({"action": "add", **record})
            if len(actions) > count:
                changes.setdefault(ROW_INDEX, {}).setdefault(section, []).append(number)
        if actions:
            changes[section] = actions
    return changes


def form_values(customer: Customer | None, payload: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The form's field values for a customer (or a drafted payload), as text."""
    data: Mapping[str, Any] = to_data(customer) if customer is not None else (payload or {})
    values: dict[str, str] = {}
    for name, _label, kind in MASTER_FIELDS:
        values[name] = _text(data.get(name), kind)
    for section, fields in RELATED_FIELDS.items():
        for index, record in enumerate(data.get(section) or []):
            if record.get("id"):
                values[f"{section}-{index}-id"] = str(record["id"])
            for name, _label, kind in fields:
                values[f"{section}-{index}-{name}"] = _text(record.get(name), kind)
    return values


def _record(section: str, row: Mapping[str, str]) -> dict[str, Any]:
    record = {}
    for name, _label, kind in RELATED_FIELDS[section]:
        value = _value(row.get(name, ""), kind)
        if value is not None and value is not False:
            record[name] = value
    return record


def _with_blanks(section: str, row: Mapping[str, str]) -> dict[str, Any]:
    return {name: _value(row.get(name, ""), kind) for name, _label, kind in RELATED_FIELDS[section]}


def _value(text: str, kind: str) -> Any:
    text = text.strip()
    if kind == "check":
        return text in ("on", "yes", "true", "1")
    if not text:
        return None
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "check":
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
