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
    """The attrs value ``value`` as a JSON-ready dict."""
    data: Data = attrs.asdict(value, value_serializer=_plain)  # type: ignore[arg-type]
    return data


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose value differs, as ``{field: {"before": …, "after": …}}``."""
    keys = dict.fromkeys([*before, *after])
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key)
    }
