"""Rows ↔ domain values, written out field by field (docs/decisions/0002).

The domain classes know nothing of SQL; this module is the one place that knows both.
A customer is one ``cm_customers`` row holding the whole customer as a JSON document
(what reads read), plus its rows in the key tables it is searched or kept unique by
(``KEYED``: tax ids, references, tags, entities, overrides, name words and pairs).
Tenant configuration is one JSON document (settings, entities, lists, payment terms in
their neutral form) plus the price-list tables.
"""

from __future__ import annotations

import collections.abc
import itertools
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

import attrs
import orjson
from sqlalchemy import Table

from customer_master.domain.apikeys import ApiKey
from customer_master.domain.audit import AuditRecord
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.customer import (
    CreditHold,
    Customer,
)
from customer_master.domain.events import Event
from customer_master.domain.pricing import PriceList, PriceListLine
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.domain.search import fold
from customer_master.domain.terms import terms_from_dict, terms_to_dict
from customer_master.domain.timeline import Note
from customer_master_sql import tables as t

Row = Mapping[Any, Any]
T = TypeVar("T")

# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------

# Master fields stored as columns of the same name, unchanged.
PLAIN_FIELDS = (
    "tenant", "id", "code", "name", "kind", "legal_entity", "status", "version",
    "alternate_name", "legal_name", "email", "billing_email", "phone", "website",
    "customer_type", "customer_group", "segment", "sub_segment", "region", "industry", "tier",
    "currency", "payment_terms", "credit_limit", "price_list", "tax_code", "revenue_account",
    "receivable_account", "salesperson", "prospect_ref", "notes", "merged_into",
    "created_at", "updated_at",
)  # fmt: skip


def _hold_columns(hold: CreditHold | None) -> dict[str, Any]:
    return {
        "credit_hold_reason": hold.reason if hold else None,
        "credit_hold_by": hold.by if hold else None,
        "credit_hold_at": hold.at if hold else None,
    }


# Every field of ``Customer`` is stored in its document but those never stored; a test
# checks that together they are all of them, so a new field cannot be silently dropped.
NOT_STORED = frozenset({"masked"})  # what a reader may see is decided per reader
MAPPED_FIELDS = frozenset(field.name for field in attrs.fields(Customer)) - NOT_STORED


def utc_key(moment: datetime | None) -> str:
    """The ISO text of an instant in UTC ('' for none): the created_at sort key."""
    if moment is None:
        return ""
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)).isoformat()


def name_words(name: str) -> list[str]:
    """The distinct words of the folded name, as the word-prefix search indexes them."""
    return sorted({word[:100] for word in fold(name).split()})


def name_pairs(name: str) -> list[str]:
    """The distinct pairs of adjacent words of the folded name, each word cut as in
    ``name_words``, as a fuzzy search looks runs of words up (``"acme trading"``)."""
    words = [word[:100] for word in fold(name).split()]
    return sorted({f"{first} {second}" for first, second in itertools.pairwise(words)})


def customer_row(customer: Customer) -> dict[str, Any]:
    """The ``cm_customers`` row of ``customer``, with the whole customer as its
    ``document`` (what reads read, docs/decisions/0011)."""
    row = {name: getattr(customer, name) for name in PLAIN_FIELDS}
    return {
        **row,
        **_hold_columns(customer.credit_hold),
        "name_folded": fold(customer.name)[: t.NAME_FOLDED_LENGTH],
        "email_lower": (customer.email or "").lower(),
        "metadata": dict(customer.metadata),
        "created_key": utc_key(customer.created_at),
        "document": customer_document(customer),
    }


# ---------------------------------------------------------------------------
# The customer as one JSON document (docs/decisions/0011)
# ---------------------------------------------------------------------------
#
# Plain data as ``serialize.to_data`` makes it — decimals as their exact text, dates and
# instants (in UTC, as the columns keep them) as ISO text, tuples as lists in order,
# sets as sorted lists — with ``None`` and empty collections left out when they are the
# field's default. Reading it back gives an equal customer with the same decimal
# exponents. The coders are built once per type from its annotations.

Coder = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _instant_text(moment: datetime) -> str:
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)).isoformat()


def _optional(coder: Coder) -> Coder:
    if coder is _same:
        return _same
    return lambda value: None if value is None else coder(value)


@cache
def _coders(hint: Any) -> tuple[Coder, Coder]:
    """(to plain data, from plain data) for values of type ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        to_plain, from_plain = _coders(inner[0]) if len(inner) == 1 else (_same, _same)
        return _optional(to_plain), _optional(from_plain)
    if hint is Decimal:
        return str, Decimal
    if hint is datetime:
        return _instant_text, datetime.fromisoformat
    if hint is date:
        return date.isoformat, date.fromisoformat
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        to_item, from_item = _coders(args[0])
        if to_item is _same and from_item is _same:
            return list, tuple
        return (lambda items: [to_item(item) for item in items]), (
            lambda items: tuple(from_item(item) for item in items)
        )
    if origin in (frozenset, set):
        to_item, from_item = _coders(args[0])
        return (lambda items: sorted(to_item(item) for item in items)), (
            lambda items: frozenset(from_item(item) for item in items)
        )
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        return dict, _same  # JSON-ready already (metadata); the engine's serialiser is plain
    if isinstance(hint, type) and attrs.has(hint):
        return _attrs_coders(hint)
    return _same, _same


_LEFT_OUT_WHEN_EMPTY = object()


def _attrs_coders(cls: type, skip: frozenset[str] = frozenset()) -> tuple[Coder, Coder]:
    """Coders for an attrs class: an object of its fields, leaving out a field whose
    value is its default ``None`` or its default empty collection."""
    hints = _hints(cls)
    fields = []  # (name, to plain, left out when: None, _LEFT_OUT_WHEN_EMPTY or _MISSING)
    by_name = {}
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        to_plain, from_plain = _coders(hints[field.name])
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is None:
            left_out: object = None
        elif isinstance(default, (tuple, frozenset, dict)) and not default:
            left_out = _LEFT_OUT_WHEN_EMPTY
        else:
            left_out = _MISSING
        fields.append((field.name, to_plain, left_out))
        by_name[field.name] = (field.alias or field.name, from_plain)

    def to_plain_value(value: Any) -> dict[str, Any]:
        data = {}
        for name, to_plain, left_out in fields:
            item = getattr(value, name)
            if item is None:
                if left_out is None:
                    continue
            elif left_out is _LEFT_OUT_WHEN_EMPTY and not item:
                continue
            data[name] = None if item is None else to_plain(item)
        return data

    def from_plain_value(data: Mapping[str, Any]) -> Any:
        values = {}
        for name, item in data.items():
            alias, from_plain = by_name[name]
            values[alias] = None if item is None else from_plain(item)
        return cls(**values)

    return to_plain_value, from_plain_value


_MISSING = object()


@cache
def _customer_coders() -> tuple[Coder, Coder]:
    return _attrs_coders(Customer, skip=NOT_STORED)


def customer_document(customer: Customer) -> dict[str, Any]:
    """The whole customer (but what is decided per reader) as a JSON document."""
    document: dict[str, Any] = _customer_coders()[0](customer)
    return document


def customer_from_document(document: Mapping[str, Any]) -> Customer:
    """The customer ``customer_document`` wrote, equal to it in every value."""
    customer: Customer = _customer_coders()[1](document)
    return customer


# ---------------------------------------------------------------------------
# What a customer is searched and kept unique by (docs/decisions/0039)
# ---------------------------------------------------------------------------


def _tax_id_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"number": number} for number in sorted({r.number for r in customer.tax_ids})]


def _ref_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"system": r.system, "ref": r.ref} for r in customer.external_refs]


def _tag_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"tag": tag} for tag in sorted(set(customer.tags))]


def _entity_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"entity": entity} for entity in sorted(customer.enabled_entities)]


def _override_keys(customer: Customer) -> list[dict[str, Any]]:
    return [
        {
            "entity": o.entity,
            "payment_terms": o.payment_terms,
            "price_list": o.price_list,
            "currency": o.currency,
        }
        for o in customer.overrides
    ]


def _word_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"word": word} for word in name_words(customer.name)]


def _pair_keys(customer: Customer) -> list[dict[str, Any]]:
    return [{"pair": pair, "code": customer.code} for pair in name_pairs(customer.name)]


# Each key table with the rows a customer holds in it (less tenant and customer id).
KEYED: tuple[tuple[Table, Callable[[Customer], list[dict[str, Any]]]], ...] = (
    (t.tax_ids, _tax_id_keys),
    (t.external_refs, _ref_keys),
    (t.tags, _tag_keys),
    (t.enabled_entities, _entity_keys),
    (t.overrides, _override_keys),
    (t.name_words, _word_keys),
    (t.name_pairs, _pair_keys),
)


def key_rows(customer: Customer) -> dict[Table, list[dict[str, Any]]]:
    """The rows ``customer`` holds in each key table (only tables where it has any)."""
    found: dict[Table, list[dict[str, Any]]] = {}
    owner = {"tenant": customer.tenant, "customer_id": customer.id}
    for table, keys in KEYED:
        rows = keys(customer)
        if rows:
            found[table] = [{**owner, **row} for row in rows]
    return found


# ---------------------------------------------------------------------------
# Configuration: a JSON document plus price lists
# ---------------------------------------------------------------------------

# Fields of TenantConfiguration kept outside the JSON document's generic part.
_CONFIG_SPECIAL = ("tenant", "version", "payment_terms", "price_lists")


def config_document(config: TenantConfiguration) -> dict[str, Any]:
    """The configuration's JSON document (without price lists, which have tables)."""
    document = {
        field.name: _to_json(getattr(config, field.name))
        for field in attrs.fields(TenantConfiguration)
        if field.name not in _CONFIG_SPECIAL
    }
    document["payment_terms"] = [terms_to_dict(terms) for terms in config.payment_terms.values()]
    return document


def config_from(
    tenant: str, version: int, document: Mapping[str, Any], price_lists: Mapping[str, PriceList]
) -> TenantConfiguration:
    """The configuration read back from its document and its price lists."""
    hints = _hints(TenantConfiguration)
    values: dict[str, Any] = {
        str(field.alias): _from_json(hints[field.name], document[field.name])
        for field in attrs.fields(TenantConfiguration)
        if field.name not in _CONFIG_SPECIAL and field.name in document
    }
    terms = [terms_from_dict(data) for data in document.get("payment_terms", ())]
    return TenantConfiguration(
        tenant=tenant,
        version=version,
        payment_terms={terms.code: terms for terms in terms},
        price_lists=dict(price_lists),
        **values,
    )


def price_list_row(tenant: str, position: int, price_list: PriceList) -> dict[str, Any]:
    return {
        "tenant": tenant, "code": price_list.code, "position": position, "name": price_list.name,
        "currency": price_list.currency,
    }  # fmt: skip


LINE_COLUMNS = ("item_code", "unit_price", "min_quantity", "valid_from", "valid_to")


def price_line_rows(tenant: str, price_list: PriceList) -> list[dict[str, Any]]:
    head = {"tenant": tenant, "price_list": price_list.code}
    return [
        {
            **head,
            "position": index,
            **{name: getattr(line, name) for name in LINE_COLUMNS},
            "min_quantity_key": line.min_quantity,
            "unit_price_key": line.unit_price,
        }
        for index, line in enumerate(price_list.lines)
    ]


def price_line(row: Row) -> PriceListLine:
    return PriceListLine(**{name: row[name] for name in LINE_COLUMNS})


def price_list_from(row: Row, lines: Iterable[Row]) -> PriceList:
    return PriceList(code=row["code"], name=row["name"], currency=row["currency"],
                     lines=[price_line(line) for line in lines])  # fmt: skip


def _to_json(value: Any) -> Any:
    """Plain JSON of a configuration value: attrs values as objects, decimals as text,
    sets as sorted lists, tuples as lists."""
    kind = type(value)
    if kind in _JSON_PLAIN:
        return value
    if kind is dict:
        return {key: _to_json(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_to_json(item) for item in value]
    if attrs.has(kind):
        return {field.name: _to_json(getattr(value, field.name)) for field in attrs.fields(type(value))}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(_to_json(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    return value


_JSON_PLAIN = frozenset({str, int, float, bool, type(None)})


# Plain JSON only: refuses decimals, dates, sets and attrs and dataclass values
# (``_to_json`` turns them).
_STRICT_JSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _json_ready(value: Any) -> Any:
    """``_to_json(value)``, or ``value`` itself when it is plain JSON already (as audit
    changes are): orjson checks that far faster than ``_to_json`` walks it, and the
    engine writes both the same."""
    try:
        orjson.dumps(value, option=_STRICT_JSON)
    except TypeError:
        return _to_json(value)
    return value


def document_of(value: Any) -> Any:
    """An attrs value (change request, …) as a JSON document; ``from_document`` reads it."""
    return _to_json(value)


def from_document(cls: type[T], document: Any) -> T:
    value: T = _from_json(cls, document)
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _from_json(hint: Any, value: Any) -> Any:
    """The value of type ``hint`` written by ``_to_json``."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _from_json(next(arg for arg in args if arg is not type(None)), value)
    if origin is typing.Literal or hint in (Any, object):
        return value
    if hint is Decimal:
        return Decimal(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is float:
        return float(value)
    if origin in (frozenset, set):
        return frozenset(_from_json(args[0], item) for item in value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_json(args[0], item) for item in value)
        return tuple(_from_json(arg, item) for arg, item in zip(args, value, strict=True))
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        return {key: _from_json(args[1], item) for key, item in value.items()}
    if isinstance(hint, type) and attrs.has(hint):
        hints = _hints(hint)
        return hint(
            **{
                field.alias: _from_json(hints[field.name], value[field.name])
                for field in attrs.fields(hint)
                if field.name in value
            }
        )
    return value


# ---------------------------------------------------------------------------
# Audit, outbox, receivables
# ---------------------------------------------------------------------------


AUDIT_COLUMNS = ("tenant", "sequence", "id", "operation", "actor", "occurred_at", "correlation_id",
                 "channel", "previous_hash", "hash")  # fmt: skip
AUDIT_FIELDS = frozenset({*AUDIT_COLUMNS, "customer_ids", "changes", "approvals", "personal"})


def audit_row(record: AuditRecord) -> dict[str, Any]:
    return {
        **{name: getattr(record, name) for name in AUDIT_COLUMNS},
        "customer_ids": list(record.customer_ids),
        "changes": _json_ready(record.changes),
        "approvals": [_to_json(approval) for approval in record.approvals],
        "personal": _json_ready(record.personal),
    }


def audit_from(row: Row) -> AuditRecord:
    return AuditRecord(
        **{name: row[name] for name in AUDIT_COLUMNS},
        customer_ids=tuple(row["customer_ids"]),
        changes=row["changes"],
        approvals=tuple(row["approvals"]),
        personal=row["personal"],
    )


def event_row(event: Event) -> dict[str, Any]:
    return {
        "tenant": event.tenant, "id": event.id, "name": event.name, "occurred_at": event.occurred_at,
        "payload": dict(event.payload), "correlation_id": event.correlation_id,
    }  # fmt: skip


def event_from(row: Row) -> Event:
    return Event(
        id=row["id"], name=row["name"], tenant=row["tenant"], occurred_at=row["occurred_at"],
        payload=row["payload"], correlation_id=row["correlation_id"],
    )  # fmt: skip


ITEM_COLUMNS = ("number", "customer_id", "entity", "kind", "document_date", "due_date", "amount",
                "balance", "currency", "reversed_on")  # fmt: skip


def item_row(tenant: str, item: OpenItem) -> dict[str, Any]:
    return {"tenant": tenant, **{name: getattr(item, name) for name in ITEM_COLUMNS}}


def item_from(row: Row) -> OpenItem:
    return OpenItem(**{name: row[name] for name in ITEM_COLUMNS})


NOTE_COLUMNS = ("id", "tenant", "customer_id", "author", "at", "text")


def note_row(note: Note) -> dict[str, Any]:
    return {name: getattr(note, name) for name in NOTE_COLUMNS}


def note_from(row: Row) -> Note:
    return Note(**{name: row[name] for name in NOTE_COLUMNS})


API_KEY_COLUMNS = ("id", "tenant", "user", "digest", "label", "created_at", "revoked")


def api_key_row(key: ApiKey) -> dict[str, Any]:
    return {**{name: getattr(key, name) for name in API_KEY_COLUMNS}, "roles": list(key.roles)}


def api_key_from(row: Row) -> ApiKey:
    return ApiKey(**{name: row[name] for name in API_KEY_COLUMNS}, roles=tuple(row["roles"]))


ORDER_COLUMNS = ("number", "customer_id", "entity", "amount", "currency")


def order_row(tenant: str, order: OpenOrder) -> dict[str, Any]:
    return {"tenant": tenant, **{name: getattr(order, name) for name in ORDER_COLUMNS}}


def order_from(row: Row) -> OpenOrder:
    return OpenOrder(**{name: row[name] for name in ORDER_COLUMNS})
