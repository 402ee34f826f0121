"""Domain values as the API's JSON: the core's own plain form (``to_data``) with the few
derived figures a client needs beside it (an exposure's total, whether a price was
found). Presentation only: no rule is decided here."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import orjson
from flask import Response

from customer_master.domain.access import DEFAULT_ROLE_PERMISSIONS
from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.audit import AuditRecord, ChainReport
from customer_master.domain.config import TenantConfiguration
from customer_master.domain.credit import CreditDecision
from customer_master.domain.customer import Customer
from customer_master.domain.pricing import PriceResolution
from customer_master.domain.serialize import Data, to_data
from customer_master.domain.terms import terms_to_dict
from customer_master.errors import FieldWarning


def warnings_data(warnings: tuple[FieldWarning, ...]) -> list[dict[str, str]]:
    return [w.to_data() for w in warnings]


def decision_data(decision: CreditDecision) -> Data:
    data = to_data(decision)
    data["exposure"]["total"] = str(decision.exposure.total)
    data["releasable"] = decision.is_releasable
    return data


def price_data(resolution: PriceResolution) -> Data:
    return {**to_data(resolution), "found": resolution.is_found}


def change_request_data(request: ChangeRequest) -> Data:
    return {**to_data(request), "next_role": request.next_role}


def audit_record_data(record: AuditRecord) -> Data:
    """An audit record without the salts of its personal values (they only serve
    verification and erasure)."""
    data = to_data(record)
    del data["personal"]
    return data


def chain_report_data(report: ChainReport) -> Data:
    return {**to_data(report), "intact": report.is_intact}


def settings_data(config: TenantConfiguration) -> Data:
    settings = to_data(config.settings)
    settings["credit"]["group_policies"] = dict(config.settings.credit.group_policies)
    policy = config.settings.approvals
    settings["approvals"] = {
        "rules": [to_data(rule) for rule in policy.rules],
        "steps": {lane: list(roles) for lane, roles in policy.steps},
    }
    return settings


def roles_data(config: TenantConfiguration) -> list[Data]:
    """Every role the tenant knows, with the permissions it grants there."""
    names = dict.fromkeys([*DEFAULT_ROLE_PERMISSIONS, *config.role_permissions])
    return [{"name": name, "permissions": sorted(config.permissions_of(frozenset({name})))} for name in names]


def configuration_data(config: TenantConfiguration) -> Data:
    settings = settings_data(config)
    return {
        "tenant": config.tenant,
        "version": config.version,
        "settings": settings,
        "entities": [to_data(e) for e in config.entities],
        "classifications": {k: list(v) for k, v in config.classifications.items()},
        "dimension_types": {k: list(v) for k, v in config.dimension_types.items()},
        "custom_fields": [to_data(f) for f in config.custom_fields],
        "payment_terms": [terms_to_dict(t) for t in config.payment_terms.values()],
        "price_lists": [to_data(p) for p in config.price_lists.values()],
        "roles": roles_data(config),
    }


def page_links(next_cursor: str | None, base_url: str, args: dict[str, Any]) -> dict[str, str]:
    """The ``Link`` header to the next page, when there is one (RFC 8288)."""
    if next_cursor is None:
        return {}
    query = urlencode({**args, "after": next_cursor})
    return {"Link": f'<{base_url}?{query}>; rel="next"'}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response built by hand (for alternative responses such as 202)."""
    return Response(json_bytes(data), status=status, headers=headers, mimetype="application/json")


def json_bytes(data: Any) -> bytes:
    """``data`` as JSON: orjson (several times faster, ADR 0018), the standard encoder
    for what orjson refuses (an integer beyond 64 bits)."""
    try:
        return orjson.dumps(data, default=_plain)
    except TypeError:
        return json.dumps(data, default=_plain).encode()


# The body of GET /customers/{id} by (tenant, id): kept with the customer object it was
# rendered from, and reused while the storage hands out that same object (its decoded
# customers are kept by version, so a change gives a new object and a new body).
_BODIES: OrderedDict[tuple[str, str], tuple[object, bytes]] = OrderedDict()
_BODIES_SIZE = 4096
_BODIES_LOCK = threading.Lock()


def customer_body(customer: Customer) -> bytes:
    """The JSON of ``customer`` as ``to_data`` writes it, rendered once per object."""
    key = (customer.tenant, customer.id)
    held = _BODIES.get(key)
    if held is not None and held[0] is customer:
        return held[1]
    body = json_bytes(to_data(customer))
    with _BODIES_LOCK:
        _BODIES[key] = (customer, body)
        _BODIES.move_to_end(key)
        if len(_BODIES) > _BODIES_SIZE:
            _BODIES.popitem(last=False)
    return body


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON-ready: {type(value).__name__}")
