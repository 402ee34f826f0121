"""Reading configuration from plain data: legal entities, settings changes, price lists,
custom fields. Every problem is reported at once with its path (R-3.3).

>>> read_price_list({"code": "STD", "name": "Standard", "currency": "USD",
...                  "lines": [{"item_code": "A", "unit_price": "9.50"}]}).lines[0].unit_price
Decimal('9.50')
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from customer_master.domain.config import (
    CUSTOM_FIELD_TYPES,
    MERGE_POLICIES,
    CustomField,
    CustomFieldType,
    LegalEntity,
    TenantSettings,
)
from customer_master.domain.credit import CreditPolicy, CreditSettings
from customer_master.domain.identifiers import CODE_PATTERN
from customer_master.domain.pricing import PriceList, PriceListLine, validate_price_list
from customer_master.domain.reading import Reader, shown
from customer_master.domain.records import read_currency
from customer_master.errors import FieldError, ValidationFailed


def read_legal_entity(data: Mapping[str, object]) -> LegalEntity:
    errors: list[FieldError] = []
    r = Reader(data, "", errors)
    r.only(("code", "name", "currency", "letterhead"))
    code = _code(r)
    name = r.text("name", required=True)
    currency = read_currency(r, "currency")
    letterhead = r.strings("letterhead", max_length=200)
    if errors or code is None or name is None:
        raise ValidationFailed(errors)
    return LegalEntity(code=code, name=name, currency=currency, letterhead=letterhead)


def read_custom_field(data: Mapping[str, object]) -> CustomField:
    errors: list[FieldError] = []
    r = Reader(data, "", errors)
    r.only(("name", "type", "required", "choices"))
    name = r.text("name", required=True, max_length=64)
    kind = r.choice("type", CUSTOM_FIELD_TYPES, required=True)
    choices = r.strings("choices")
    if kind == "choice" and not choices:
        r.error("choices", "required", "a choice field needs its choices")
    field = CustomField(
        name=name or "",
        type=cast(CustomFieldType, kind or "text"),
        required=r.boolean("required"),
        choices=choices,
    )
    if errors:
        raise ValidationFailed(errors)
    return field


_SETTING_KINDS: dict[str, str] = {
    "auto_generate_code": "bool",
    "code_prefix": "prefix",
    "code_width": "int",
    "enforce_unique_tax_id": "bool",
    "company_requires_email": "bool",
    "mandatory_fields": "set",
    "large_credit_limit": "decimal",
    "similar_name_threshold": "decimal",
    "exemption_warning_days": "int",
    "time_zone": "time_zone",
    "merge_policy": "merge_policy",
    "use_last_price": "bool",
    "rounding": "rounding",
    "zero_installments": "zero",
    "overallocation": "overallocation",
    "standard_price_list": "text",
    "credit_policy": "policy",
    "overdue_block": "bool",
    "grace_days": "int",
    "credit_group_policies": "group_policies",
    "credit_check_documents": "documents",
    "count_open_orders_at_invoice": "bool",
}

DOCUMENT_TYPES = ("quotation", "order", "delivery", "invoice")

_CHOICES: dict[str, tuple[str, ...]] = {
    "merge_policy": MERGE_POLICIES,
    "rounding": ("half_even", "half_up"),
    "zero": ("keep", "omit"),
    "overallocation": ("reject", "allow"),
    "policy": get_args(CreditPolicy),
}


def read_settings_changes(current: TenantSettings, data: Mapping[str, object]) -> TenantSettings:
    """``current`` with the settings in ``data`` changed (credit settings are flattened:
    ``credit_policy``, ``overdue_block``, ``grace_days``, ``credit_group_policies``)."""
    errors: list[FieldError] = []
    r = Reader(data, "", errors)
    r.only(_SETTING_KINDS)
    values: dict[str, Any] = {}
    for name, kind in _SETTING_KINDS.items():
        if r.has(name):
            values[name] = _setting(r, name, kind)
    if "code_width" in values and not 1 <= (values["code_width"] or 0) <= 12:
        r.refuse("code_width", "out_of_range", "must be between 1 and 12")
    if errors:
        raise ValidationFailed(errors)
    credit_names = {
        "credit_policy": "policy",
        "overdue_block": "overdue_block",
        "grace_days": "grace_days",
        "credit_group_policies": "group_policies",
    }
    credit = {credit_names[k]: values.pop(k) for k in list(values) if k in credit_names}
    if "similar_name_threshold" in values:
        values["similar_name_threshold"] = float(values["similar_name_threshold"])
    if "mandatory_fields" in values:
        values["mandatory_fields"] = frozenset(values["mandatory_fields"])
    return attrs.evolve(current, credit=attrs.evolve(current.credit, **credit), **values)


def _setting(r: Reader, name: str, kind: str) -> object:
    if kind == "bool":
        return r.boolean(name)
    if kind == "int":
        return r.integer(name, minimum=0)
    if kind == "decimal":
        return r.decimal(name, minimum=Decimal(0))
    if kind == "set":
        return r.strings(name)
    if kind == "documents":
        documents = r.strings(name)
        unknown = [d for d in documents if d not in DOCUMENT_TYPES]
        if unknown:
            known = ", ".join(DOCUMENT_TYPES)
            r.error(name, "not_allowed", f"unknown document type(s) {', '.join(unknown)}; use: {known}")
        return frozenset(documents)
    if kind == "group_policies":
        mapping = r.mapping(name)
        for group, policy in mapping.items():
            if policy not in _CHOICES["policy"]:
                r.error(f"{name}.{group}", "not_allowed", f"{shown(policy)} must be one of: block, warn, off")
        return tuple(sorted((str(g), str(p)) for g, p in mapping.items()))
    if kind == "prefix":
        return _code_prefix(r, name)
    if kind == "time_zone":
        return _time_zone(r, name)
    if kind == "text":
        return r.text(name, max_length=64)
    return r.choice(name, _CHOICES[kind], required=True)


def _code_prefix(r: Reader, name: str) -> str:
    """A code prefix: empty, or characters a code may hold (R-1.1)."""
    value = r.raw(name)
    if not isinstance(value, str) or (value and not CODE_PATTERN.match(value.upper())) or len(value) > 16:
        r.refuse(name, "invalid", "must be up to 16 characters of A-Z, 0-9, '.', '_' or '-' (may be empty)")
        return ""
    return value.upper()


def _time_zone(r: Reader, name: str) -> str:
    """An IANA time zone such as ``Asia/Kuala_Lumpur``."""
    value = r.text(name, required=True, max_length=64)
    if value is None:
        return "UTC"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        r.refuse(name, "invalid", "is not an IANA time zone (e.g. Asia/Kuala_Lumpur, Europe/Berlin, UTC)")
    return value


def read_price_list(data: Mapping[str, object]) -> PriceList:
    """A price list from plain data, validated (R-7.1)."""
    errors: list[FieldError] = []
    r = Reader(data, "", errors)
    r.only(("code", "name", "currency", "lines"))
    code = _code(r)
    name = r.text("name") or code or ""
    currency = read_currency(r, "currency", required=True)
    lines = []
    for path, item in r.items("lines"):
        line = Reader(item, path, errors)
        line.only(("item_code", "unit_price", "min_quantity", "valid_from", "valid_to"))
        item_code = line.text("item_code", required=True, max_length=64)
        unit_price = line.decimal("unit_price", required=True)
        min_quantity = line.decimal("min_quantity")
        valid_from, valid_to = line.date("valid_from"), line.date("valid_to")
        if item_code is not None and unit_price is not None:
            lines.append(
                PriceListLine(
                    item_code=item_code,
                    unit_price=unit_price,
                    min_quantity=min_quantity or Decimal(0),
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
    if errors or code is None or currency is None:
        raise ValidationFailed(errors)
    price_list = PriceList(code=code, name=name, currency=currency, lines=tuple(lines))
    problems = validate_price_list(price_list)
    if problems:
        raise ValidationFailed(problems)
    return price_list


def _code(r: Reader) -> str | None:
    code = r.text("code", required=True, max_length=32)
    if code is not None and not CODE_PATTERN.match(code):
        r.refuse("code", "invalid", "must be 1-32 characters of A-Z, 0-9, '.', '_' or '-'")
        return None
    return code


__all__ = [
    "CreditSettings",
    "read_custom_field",
    "read_legal_entity",
    "read_price_list",
    "read_settings_changes",
]
