"""Plain data (JSON-ready) from domain values: decimals and dates as strings, tuples as
lists. Used for audit before/after images, event payloads, change requests and adapters.

>>> from customer_master.domain.customer import TaxId
>>> to_data(TaxId(id="t1", scheme="us.ein", number="041234567"))
{'id': 't1', 'scheme': 'us.ein', 'number': '041234567', 'is_primary': False}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

Data = dict[str, Any]


def _plain(_instance: object, _field: object, value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):  # attrs.asdict keeps tuples; JSON-ready data has lists
        return list(value)
    return value


def to_data(value: object) -> Data:
    """The attrs value ``value`` as a JSON-ready dict: exactly what
    ``attrs.asdict(value, value_serializer=_plain)`` gives, made faster (every stored
    change and event serialises a whole customer; ``attrs.asdict`` looks up each class's
    fields and recurses through keyword-heavy calls)."""
    return _instance(value)


# Plain JSON values: kept as they are (``attrs.asdict``'s atomic types that occur here).
_ATOMIC = frozenset({type(None), bool, int, float, str})
_COLLECTIONS = (tuple, list, set, frozenset)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(a.name for a in attrs.fields(cls))
    return names


def _instance(value: object) -> Data:
    return {name: _field_value(getattr(value, name)) for name in _names(type(value))}


def _field_value(value: object) -> object:
    """An attribute's value: the serialiser first, then the structure (as ``asdict``)."""
    kind = type(value)
    if kind in _ATOMIC:  # most fields: ``_plain`` keeps them as they are
        return value
    if kind is tuple:  # ``_plain`` makes a list of it
        return [_item(i, is_key=False) for i in value]  # type: ignore[attr-defined]
    # Then the structure of what the serialiser gave, as inside a collection (``_plain``
    # gives back what it already made plain).
    return _item(_plain(None, None, value), is_key=False)


def _item(value: object, *, is_key: bool) -> Any:
    """A value inside a collection or mapping: the structure first, then the serialiser
    (``asdict``'s ``_asdict_anything``)."""
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if attrs.has(kind):
        return _instance(value)
    if issubclass(kind, _COLLECTIONS):
        items = [_item(i, is_key=False) for i in value]  # type: ignore[attr-defined]
        return tuple(items) if is_key else items
    if issubclass(kind, dict):
        return {_item(k, is_key=True): _item(v, is_key=False) for k, v in value.items()}  # type: ignore[attr-defined]
    return _plain(None, None, value)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose value differs, as ``{field: {"before": …, "after": …}}``."""
    keys = dict.fromkeys([*before, *after])
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key)
    }
