"""Tenant isolation over HTTP (SPEC R-12.1): every endpoint, called by another tenant's
administrator with this tenant's ids, answers 404 — the same as for an id that does not
exist, so nothing leaks — and changes nothing.

The cases are checked against the app's URL map: a new endpoint that takes a customer,
change request or configuration code and has no case here fails the test.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from http_support import Api, Keys, problem_of

from customer_master import CustomerMaster

IF_MATCH = {"If-Match": '"1"'}
INVOICE = {
    "number": "INV-X",
    "entity": "MY01",
    "document_date": "2026-01-01",
    "due_date": "2026-01-31",
    "amount": "100",
    "currency": "MYR",
}
CREDIT = {
    "number": "CN-X",
    "entity": "MY01",
    "document_date": "2026-01-01",
    "amount": "100",
    "currency": "MYR",
}

# (method, rule) → (query string, body, headers); ``{other}`` in a body is the caller's own customer.
CASES: dict[tuple[str, str], tuple[str, Any, dict[str, str]]] = {
    ("GET", "/customers/<customer_id>"): ("", None, {}),
    ("PATCH", "/customers/<customer_id>"): ("", {"name": "Taken over"}, IF_MATCH),
    ("DELETE", "/customers/<customer_id>"): ("", None, {}),
    ("POST", "/customers/<customer_id>/deactivate"): ("", None, IF_MATCH),
    ("POST", "/customers/<customer_id>/reactivate"): ("", None, IF_MATCH),
    ("POST", "/customers/<customer_id>/clone"): ("", {"name": "Taken over", "email": "t@o.example"}, {}),
    ("GET", "/customers/lookup/<key>"): ("", None, {}),
    ("GET", "/customers/<customer_id>/entities/<entity>"): ("", None, {}),
    ("PUT", "/customers/<customer_id>/entities/<entity>"): ("", None, IF_MATCH),
    ("DELETE", "/customers/<customer_id>/entities/<entity>"): ("", None, IF_MATCH),
    ("POST", "/customers/<customer_id>/credit-check"): ("", {"entity": "MY01", "amount": "1"}, {}),
    ("PUT", "/customers/<customer_id>/credit-hold"): ("", {"reason": "Not yours"}, {}),
    ("DELETE", "/customers/<customer_id>/credit-hold"): ("", None, {}),
    ("POST", "/customers/<customer_id>/credit-releases"): ("", {"document_ref": "SO-1", "reason": "r"}, {}),
    ("GET", "/customers/<customer_id>/payment-schedule"): (
        "entity=MY01&invoice_date=2026-01-01&amount=1",
        None,
        {},
    ),
    ("GET", "/customers/<customer_id>/price"): ("entity=MY01&item=BOLT&quantity=1", None, {}),
    ("POST", "/customers/<customer_id>/merge"): ("", {"target_id": "{other}"}, {}),
    ("POST", "/customers/<customer_id>/invoices"): ("", INVOICE, {}),
    ("POST", "/customers/<customer_id>/credit-notes"): ("", CREDIT, {}),
    ("POST", "/customers/<customer_id>/payments"): ("", CREDIT, {}),
    ("POST", "/customers/<customer_id>/open-orders"): (
        "",
        {"number": "SO-X", "entity": "MY01", "amount": "1", "currency": "MYR"},
        {},
    ),
    ("POST", "/customers/<customer_id>/invoiced-rates"): (
        "",
        {"item": "BOLT", "unit_price": "1", "currency": "MYR", "invoiced_on": "2026-01-01"},
        {},
    ),
    ("GET", "/customers/<customer_id>/audit"): ("", None, {}),
    ("GET", "/customers/<customer_id>/timeline"): ("", None, {}),
    ("GET", "/customers/<customer_id>/notes"): ("", None, {}),
    ("POST", "/customers/<customer_id>/notes"): ("", {"text": "Not yours"}, {}),
    ("GET", "/change-requests/<request_id>"): ("", None, {}),
    ("POST", "/change-requests/<request_id>/approve"): ("", {}, {}),
    ("POST", "/change-requests/<request_id>/reject"): ("", {}, {}),
    ("GET", "/configuration/payment-terms/<code>"): ("", None, {}),
    ("GET", "/configuration/payment-terms/<code>/schedule"): (
        "invoice_date=2026-01-01&amount=1&currency=MYR",
        None,
        {},
    ),
    ("DELETE", "/configuration/payment-terms/<code>"): ("", None, {}),
    ("GET", "/configuration/price-lists/<code>"): ("", None, {}),
    ("DELETE", "/configuration/price-lists/<code>"): ("", None, {}),
    ("POST", "/customers/<customer_id>/erase"): ("", None, {}),
    ("GET", "/customers/<customer_id>/attachments"): ("", None, {}),
    ("POST", "/customers/<customer_id>/attachments"): ("", None, {}),  # any body: the customer is not found
    ("GET", "/customers/<customer_id>/attachments/<attachment_id>"): ("", None, {}),
    ("DELETE", "/customers/<customer_id>/attachments/<attachment_id>"): ("", None, {}),
    ("GET", "/customers/<customer_id>/aging"): ("as_of=2026-03-31", None, {}),
    ("GET", "/customers/<customer_id>/open-items"): ("", None, {}),
    ("GET", "/customers/<customer_id>/statement"): ("entity=MY01&from=2026-03-01&to=2026-03-31", None, {}),
    ("POST", "/customers/<customer_id>/statement/send"): (
        "",
        {"entity": "MY01", "from": "2026-03-01", "to": "2026-03-31"},
        {},
    ),
    # A batch job is known only to its own tenant (and worker); any other id is 404.
    ("GET", "/statement-batches/<job_id>"): ("", None, {}),
}

# The audit trail of a customer id outlives the customer (a hard delete keeps its
# record), so an id with no records in the caller's tenant gives an empty trail — the
# same for another tenant's customer as for one that never existed. The notes service
# answers the same way (no notes) rather than "no such customer".
# A customer's audit trail outlives the customer (a hard delete keeps its record, R-4.2),
# so an unknown id gives an empty trail rather than 404, for another tenant's id as for
# one that never existed: nothing is revealed either way.
EMPTY_NOT_MISSING = {("GET", "/customers/<customer_id>/audit")}

# Writes that name a code of the caller's own configuration: they create or replace in
# the caller's tenant, never in another's, so they have no "other tenant's id" to try.
OWN_CONFIGURATION = {
    ("PUT", "/configuration/legal-entities/<code>"),
    ("PUT", "/configuration/classifications/<field>"),
    ("PUT", "/configuration/dimension-types/<name>"),
    ("PUT", "/configuration/custom-fields/<name>"),
    ("PUT", "/configuration/payment-terms/<code>"),
    ("PUT", "/configuration/price-lists/<code>"),
    ("PUT", "/configuration/roles/<role>"),
    ("PUT", "/configuration/approval-lanes/<operation>"),
    ("PUT", "/configuration/approval-steps/<lane>"),
    ("GET", "/problems/<kind>"),  # public: the meaning of a problem type
}


@pytest.fixture
def acme(api: Api, cm: CustomerMaster, keys: Keys) -> dict[str, str]:
    """Acme's records: a customer (with an override), payment terms, a price list, and a
    change request waiting for approval."""
    net30 = {"name": "Net 30", "lines": [{"portion": {"kind": "remainder", "value": None}, "due": []}]}
    api.put("/configuration/payment-terms/ACME30", net30)
    api.put("/configuration/price-lists/ACME-STD", {"name": "Acme", "currency": "MYR", "lines": []})
    customer = api.create_customer(overrides=[{"entity": "SG01", "credit_limit": "100"}])
    api.put("/configuration/approval-lanes/create", {"lane": "yellow"})
    pending = api.as_(keys.sales).post(
        "/customers",
        {"name": "Pending Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "p@p.my"},
    )
    assert pending.status_code == 202
    pdf = io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    document = api.post(
        f"/customers/{customer['id']}/attachments", data={"file": (pdf, "contract.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert document.status_code == 201, document.json
    return {
        "attachment_id": document.json["id"],
        "customer_id": customer["id"],
        "key": customer["code"],
        "entity": "SG01",
        "request_id": pending.json["change_request"]["id"],
        "code": "ACME30",
    }


def test_every_endpoint_answers_404_for_another_tenants_ids(
    app: Flask, api: Api, keys: Keys, acme: dict[str, str]
) -> None:
    otto = api.as_(keys.outsider)
    own = otto.post("/customers", {"name": "Globex Trading", "kind": "individual", "legal_entity": "MY01"})
    own_id = (own.json.get("customer") or {}).get("id") or "none"
    before = api.get(f"/customers/{acme['customer_id']}").json

    for (method, rule), (query, body, headers) in CASES.items():
        values = dict(acme)
        if rule.startswith("/configuration/price-lists"):
            values["code"] = "ACME-STD"
        path = rule
        for name, value in values.items():
            path = path.replace(f"<{name}>", value)
        sent = body if body is None else _fill(body, own_id)
        response = otto.request(method, f"{path}?{query}" if query else path, json=sent, headers=headers)
        if (method, rule) in EMPTY_NOT_MISSING:
            unknown = otto.request(method, rule.replace("<customer_id>", "no-such-customer"))
            assert (response.status_code, response.json) == (200, []) == (unknown.status_code, unknown.json)
            continue
        assert response.status_code == 404, (method, rule, response.status_code, response.json)
        problem_of(response, 404)

    if own_id != "none":  # the other way round: my customer merged into theirs
        reverse = otto.post(f"/customers/{own_id}/merge", {"target_id": acme["customer_id"]})
        problem_of(reverse, 404)

    after = api.get(f"/customers/{acme['customer_id']}").json
    assert after == before
    assert api.get(f"/customers/{acme['customer_id']}/notes").json == []


def test_lists_show_nothing_of_another_tenant(api: Api, keys: Keys, acme: dict[str, str]) -> None:
    otto = api.as_(keys.outsider)
    assert otto.get("/customers?status=any").json["items"] == []
    assert otto.get("/customers?name=kedai").json["items"] == []
    assert otto.get("/change-requests").json == []
    assert otto.get(f"/change-requests?customer_id={acme['customer_id']}").json == []
    assert all(acme["customer_id"] not in r["customer_ids"] for r in otto.get("/audit").json)
    assert [t["code"] for t in otto.get("/configuration/payment-terms").json] == []
    assert otto.get("/me").json["tenant"] == "globex"


def test_every_endpoint_with_ids_has_an_isolation_case(app: Flask) -> None:
    with_ids = set()
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint in ("static", "swagger_ui_assets.static"):
            continue
        if rule.rule.startswith(
            "/admin/"
        ):  # the web admin's pages: tests/adapters/admin/test_admin_isolation.py
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) not in OWN_CONFIGURATION:
                with_ids.add((method, rule.rule))
    assert with_ids == set(CASES)


def _fill(body: Any, own_id: str) -> Any:
    if isinstance(body, dict):
        return {k: (own_id if v == "{other}" else v) for k, v in body.items()}
    return body
