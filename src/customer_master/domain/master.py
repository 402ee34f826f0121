"""The customer's master fields (SPEC R-1.2, R-1.3, R-1.6) read from plain data, with the
tenant's rules: mandatory fields, classification lists and custom fields.

``read_master`` returns the fields as keyword arguments for ``Customer``; it is used for
create (the whole payload) and for update (the current master with the changes laid over
it), so both paths apply exactly the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from customer_master.domain.customer import CLASSIFIED_FIELDS, CUSTOMER_TYPES, KINDS
from customer_master.domain.identifiers import (
    normalise_email,
    normalise_phone,
    normalise_website,
)
from customer_master.domain.reading import Reader, shown, to_date, to_decimal
from customer_master.domain.records import (
    ReadContext,
    read_currency,
    read_dimension,
    read_external_ref,
    reference,
)
from customer_master.errors import FieldError

# Free-text master fields and their maximum length.
TEXT_FIELDS = {
    "alternate_name": 255,
    "legal_name": 255,
    "salesperson": 64,
    "prospect_ref": 64,
    "tax_code": 32,
    "revenue_account": 64,
    "receivable_account": 64,
    "notes": 10_000,
}

# Every master field a payload may carry (related records are read elsewhere).
MASTER_FIELDS = (
    "name",
    "kind",
    "legal_entity",
    "email",
    "billing_email",
    "phone",
    "website",
    "customer_type",
    *CLASSIFIED_FIELDS,
    "tags",
    "currency",
    "payment_terms",
    "credit_limit",
    "price_list",
    "use_last_price",
    "external_refs",
    "dimensions",
    "metadata",
    *TEXT_FIELDS,
)

# Optional fields a tenant may make mandatory.
OPTIONAL_FIELDS = tuple(f for f in MASTER_FIELDS if f not in ("name", "kind", "legal_entity"))


def read_master(data: Mapping[str, object], ctx: ReadContext) -> dict[str, Any]:
    """The master fields of ``data`` as ``Customer`` keyword arguments; problems go to
    ``ctx.errors``."""
    r = ctx.reader(data, "")
    config = ctx.config
    values: dict[str, Any] = {
        "name": r.text("name", required=True),
        "kind": r.choice("kind", KINDS, required=True),
        "legal_entity": _legal_entity(r, ctx),
        "email": r.normalised("email", normalise_email),
        "billing_email": r.normalised("billing_email", normalise_email),
        "phone": r.normalised("phone", lambda p: normalise_phone(p, ctx.phone_region()), max_length=40),
        "website": r.normalised("website", normalise_website, max_length=2048),
        "customer_type": r.choice("customer_type", config.allowed_values("customer_type") or CUSTOMER_TYPES),
        "tags": r.strings("tags"),
        "currency": read_currency(r, "currency"),
        "payment_terms": reference(r, "payment_terms", config.payment_terms, "payment terms"),
        "credit_limit": r.decimal("credit_limit", minimum=Decimal(0)),
        "price_list": reference(r, "price_list", config.price_lists, "price list"),
        "use_last_price": r.optional_boolean("use_last_price"),
        "metadata": _metadata(r, ctx),
    }
    for name in CLASSIFIED_FIELDS:
        allowed = config.allowed_values(name)
        values[name] = r.choice(name, allowed) if allowed else r.text(name, max_length=64)
    for name, length in TEXT_FIELDS.items():
        values[name] = r.text(name, max_length=length)
    values["external_refs"] = tuple(
        ref for path, item in r.items("external_refs") if (ref := read_external_ref(item, path, ctx))
    )
    values["dimensions"] = tuple(
        dim for path, item in r.items("dimensions") if (dim := read_dimension(item, path, ctx))
    )
    _mandatory(r, values, ctx)
    return values


def _legal_entity(r: Reader, ctx: ReadContext) -> str | None:
    code = r.text("legal_entity", required=True, max_length=32)
    if code is not None and not ctx.config.has_entity(code):
        r.error("legal_entity", "unknown_entity", f"no legal entity with code '{code}' in this tenant")
        return None
    return code


def _mandatory(r: Reader, values: Mapping[str, Any], ctx: ReadContext) -> None:
    """Fields the tenant made mandatory, and e-mail for companies (R-1.2, R-1.5)."""
    settings = ctx.config.settings
    required = set(settings.mandatory_fields)
    if values.get("kind") == "company" and settings.company_requires_email:
        required.add("email")
    already = {e.path for e in r.errors}
    for name in sorted(required):
        if name in already or name not in values:
            continue
        if values[name] in (None, (), {}):
            reason = (
                "for companies"
                if name == "email" and name not in settings.mandatory_fields
                else "by this tenant"
            )
            r.error(name, "required", f"is required {reason}")


def _metadata(r: Reader, ctx: ReadContext) -> dict[str, object]:
    """Custom metadata: a JSON object; tenant-defined custom fields are type-checked, and
    a value written as text (a file's cell) is read in its field's type: ``"250"`` for
    an integer field is 250, ``"yes"`` for a boolean one true, ``"2024-03-01T10:00:00Z"``
    for a date one 2024-03-01."""
    data = dict(r.mapping("metadata"))
    for definition in ctx.config.custom_fields:
        path = f"metadata.{definition.name}"
        value = data.get(definition.name)
        if value is None:
            if definition.required:
                ctx.errors.append(FieldError(path, "required", "is required by this tenant"))
            continue
        if isinstance(value, str):
            value = data[definition.name] = _from_text(definition.type, value)
        problem = _custom_value_problem(definition.type, definition.choices, value)
        if problem:
            ctx.errors.append(FieldError(path, "invalid", f"{shown(value)} {problem}"))
    return data


_TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0"})


def _from_text(kind: str, text: str) -> object:
    """A custom field's value written as text, in the field's type where it reads as
    one (else the text, which the type check then refuses)."""
    cleaned = text.strip()
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    if kind == "boolean" and cleaned.lower() in _TRUE_WORDS | _FALSE_WORDS:
        return cleaned.lower() in _TRUE_WORDS
    if kind == "date" and re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)", cleaned):
        return cleaned[:10]
    return cleaned if kind in ("number", "choice") else text


def _custom_value_problem(kind: str, choices: tuple[str, ...], value: object) -> str | None:
    if kind == "text":
        return None if isinstance(value, str) else "must be text"
    if kind == "number":
        return None if to_decimal(value) is not None else "must be a number"
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else "must be a whole number"
    if kind == "boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if kind == "date":
        return None if to_date(value) is not None else "must be a date written YYYY-MM-DD"
    return None if value in choices else f"must be one of: {', '.join(choices)}"
