"""A property over every write operation (SPEC R-3.3, R-16.2): whatever hostile value
a client puts in any field of a body — control characters, lone surrogates, absurd or
over-precise numbers, floats, huge integers, deep nesting, wrong types — the answer is
a 4xx problem or a success, never a server error, and nothing stored afterwards holds
a control character or an amount outside the range every storage keeps.

Runs on SQLite and PostgreSQL (the storages where the findings of issue 15 were).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from http_support import Api, Keys, sqlite_or_postgresql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_master.domain.bounds import RefusedValue, amount, text_problem

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "80"))

STATEMENT_PERIOD = {"entity": "MY01", "from": "2026-03-01", "to": "2026-03-31"}
# Every write operation with a body: (method, path, a valid body). ``{c}`` is a customer.
WRITES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/customers"): {"name": "Hostile Sdn Bhd", "kind": "individual", "legal_entity": "MY01"},
    ("PATCH", "/customers/{customer_id}"): {"name": "Renamed", "credit_limit": "100"},
    ("POST", "/customers/{customer_id}/credit-check"): {"entity": "MY01", "amount": "10"},
    ("PUT", "/customers/{customer_id}/credit-hold"): {"reason": "Cheque returned"},
    ("POST", "/customers/{customer_id}/credit-releases"): {"document_ref": "SO-1", "reason": "ok"},
    ("POST", "/customers/{customer_id}/merge"): {"target_id": "x"},
    ("POST", "/customers/{customer_id}/invoices"): {
        "number": "INV-1",
        "entity": "MY01",
        "document_date": "2026-01-01",
        "due_date": "2026-02-01",
        "amount": "10.00",
        "currency": "MYR",
    },
    ("POST", "/customers/{customer_id}/credit-notes"): {
        "number": "CN-1",
        "entity": "MY01",
        "document_date": "2026-01-01",
        "amount": "1.00",
        "currency": "MYR",
    },
    ("POST", "/customers/{customer_id}/payments"): {
        "number": "PAY-1",
        "entity": "MY01",
        "document_date": "2026-01-01",
        "amount": "1.00",
        "currency": "MYR",
    },
    ("POST", "/customers/{customer_id}/open-orders"): {
        "number": "SO-1",
        "entity": "MY01",
        "amount": "5.00",
        "currency": "MYR",
    },
    ("POST", "/customers/{customer_id}/invoiced-rates"): {
        "item": "BOLT",
        "unit_price": "1.50",
        "currency": "MYR",
        "invoiced_on": "2026-01-01",
    },
    ("POST", "/customers/{customer_id}/notes"): {"text": "Called"},
    ("POST", "/customers/{customer_id}/clone"): {"name": "Cloned Sdn Bhd"},
    ("POST", "/customers/{customer_id}/statement/send"): STATEMENT_PERIOD,
    ("POST", "/statement-batches"): STATEMENT_PERIOD,
    ("POST", "/receivables/applications"): {
        "entity": "MY01",
        "credit_kind": "payment",
        "credit_number": "PAY-1",
        "invoice_number": "INV-1",
        "amount": "1.00",
    },
    ("POST", "/receivables/reversals"): {"entity": "MY01", "kind": "invoice", "number": "INV-1"},
    ("POST", "/change-requests/{request_id}/approve"): {"comment": "ok"},
    ("POST", "/change-requests/{request_id}/reject"): {"comment": "no"},
    ("PUT", "/configuration/legal-entities/{code}"): {"name": "Acme Thailand", "currency": "THB"},
    ("PATCH", "/configuration/settings"): {"credit_warning_limit": "1000000"},
    ("PUT", "/configuration/classifications/{field}"): {"values": ["retail", "wholesale"]},
    ("PUT", "/configuration/dimension-types/{name}"): {"values": ["north"]},
    ("PUT", "/configuration/custom-fields/{name}"): {"type": "text"},
    ("PUT", "/configuration/payment-terms/{code}"): {
        "name": "Net 30",
        "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}]}],
    },
    ("PUT", "/configuration/price-lists/{code}"): {
        "name": "Standard",
        "currency": "MYR",
        "lines": [{"item_code": "BOLT", "unit_price": "1.00", "min_quantity": "1"}],
    },
    ("PUT", "/configuration/roles/{role}"): {"permissions": ["customer.read"]},
    ("PUT", "/configuration/approval-lanes/{operation}"): {"lane": "green"},
    ("PUT", "/configuration/approval-steps/{lane}"): {"steps": [["controller"]]},
    ("POST", "/audit/verify"): {
        "tenant": "acme",
        "sequence": 0,
        "hash": "",
        "taken_at": "2026-03-01T00:00:00+00:00",
    },
}
PATH_VALUES = {
    "code": "TH01",
    "field": "segment",
    "name": "region",
    "role": "clerk",
    "operation": "update",
    "lane": "yellow",
}
# Multipart uploads are read by the files adapter (tests/adapters/test_files.py).
NOT_JSON = {("POST", "/imports"), ("POST", "/customers/{customer_id}/attachments")}

AMOUNT_FIELDS = frozenset(
    {"credit_limit", "amount", "balance", "unit_price", "min_quantity", "max_quantity", "limit"}
)

control = st.characters(codec=None, categories=("Cc", "Cs"))
hostile_text = st.one_of(
    st.text(control, min_size=1, max_size=3),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(max_size=5),
        st.text(control, min_size=1, max_size=2),
        st.text(max_size=5),
    ),
    st.just("x" * 70_000),
)
hostile_number = st.one_of(
    st.sampled_from(
        ["1e400", "-1E+15", "1E+13", "NaN", "-Infinity", "0.0000001", "999999999999.9999999", "1e-400"]
    ),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=10**11, max_value=10**70),
    st.integers(min_value=-(10**70), max_value=-(10**11)),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(places=9, min_value=-10, max_value=10),
)
hostile_shape = st.one_of(
    st.booleans(),
    st.none(),
    st.just([[[[[[[[[[[]]]]]]]]]]]),
    st.dictionaries(st.text(control, min_size=1, max_size=2), st.integers(), min_size=1, max_size=2),
    st.lists(st.one_of(hostile_text, hostile_number), min_size=1, max_size=3),
)
hostile = st.one_of(hostile_text, hostile_number, hostile_shape)


def _plain(value: Any) -> Any:
    """A generated value as JSON can carry it (decimals as numbers are sent as text)."""
    if isinstance(value, Decimal):
        return str(value)
    return value


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return sqlite_or_postgresql(request, tmp_path)


@pytest.fixture
def records(api: Api, keys: Keys) -> dict[str, str]:
    first = api.create_customer(credit_limit="5000")
    api.put("/configuration/approval-lanes/create", {"lane": "yellow"})
    pending = api.as_(keys.sales).post(
        "/customers",
        {"name": "Pending Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "p@p.my"},
    )
    api.put("/configuration/approval-lanes/create", {"lane": "green"})
    return {"customer_id": first["id"], "request_id": pending.json["change_request"]["id"], **PATH_VALUES}


def test_every_write_operation_with_a_json_body_is_covered(app: Flask) -> None:
    spec = app.test_client().get("/openapi.json").json
    documented = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch") and "requestBody" in operation
    }
    assert documented - NOT_JSON == set(WRITES)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("HOSTILE_RANDOM") is None,
)
@given(
    operation=st.sampled_from(sorted(WRITES)),
    field=st.one_of(
        st.none(), st.sampled_from(["name", "amount", "credit_limit", "text", "lines", "values"])
    ),
    value=hostile,
)
def test_hostile_values_are_refused_never_a_server_error(
    api: Api, records: dict[str, str], operation: tuple[str, str], field: str | None, value: Any
) -> None:
    method, template = operation
    path = template.format(**records)
    body = dict(WRITES[operation])
    key = field if field is not None else sorted(body)[0]
    body[key] = _plain(value)
    headers = {"If-Match": api.get(f"/customers/{records['customer_id']}").headers.get("ETag", '"1"')}

    response = api.request(method, path, json=body, headers=headers)

    assert response.status_code < 500, (method, path, body, response.get_data(as_text=True)[:500])
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
    _nothing_bad_is_stored(api, records["customer_id"])


def _nothing_bad_is_stored(api: Api, customer_id: str) -> None:
    stored = [
        api.get("/customers?status=any&limit=100").json,
        api.get("/configuration").json,
        api.get(f"/customers/{customer_id}/notes").json,
        api.get("/audit").json,
    ]
    for data in stored:
        for name, text in _strings(data):
            assert text_problem(text) is None, (name, text)
            if name in AMOUNT_FIELDS and text:
                try:
                    amount(text)
                except RefusedValue as refused:  # pragma: no cover - the failure message
                    pytest.fail(f"{name} = {text!r} is stored: {refused}")


def _strings(value: Any, name: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, "")
            yield from _strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)
