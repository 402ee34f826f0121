"""Tenant isolation in the web admin (SPEC R-12.1): every admin page that takes an id,
opened by another tenant's administrator with this tenant's ids, answers 404 — as for an
id that does not exist — and changes nothing. The cases are checked against the app's
URL map: a new admin page with an id and no case here fails the test."""

from __future__ import annotations

import io
from typing import Any

import pytest
from admin_browser import Browser
from flask import Flask

from customer_master import Actor, CustomerMaster
from customer_master_admin.session import configure_session
from customer_master_http import create_app

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# (method, rule) → form sent with a POST (a callable value is called for each request).
CASES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/admin/customers/<customer_id>"): {},
    ("GET", "/admin/customers/<customer_id>/edit"): {},
    ("POST", "/admin/customers/<customer_id>/edit"): {"name": "Taken over", "version": "1"},
    ("GET", "/admin/customers/<customer_id>/clone"): {},
    ("POST", "/admin/customers/<customer_id>/clone"): {"name": "Taken over", "kind": "company"},
    ("POST", "/admin/customers/<customer_id>/notes"): {"text": "Not yours"},
    ("GET", "/admin/customers/<customer_id>/audit"): {},
    ("GET", "/admin/approvals/<request_id>"): {},
    ("POST", "/admin/approvals/<request_id>/<decision>"): {},
    ("GET", "/admin/import/<token>"): {},
    ("POST", "/admin/import/<token>/confirm"): {},
    ("GET", "/admin/import/<token>/report.csv"): {},
    ("POST", "/admin/customers/<customer_id>/attachments"): {"file": lambda: (io.BytesIO(PDF), "mine.pdf")},
    ("GET", "/admin/customers/<customer_id>/attachments/<attachment_id>"): {},
    ("GET", "/admin/customers/<customer_id>/attachments/<attachment_id>/delete"): {},
    ("POST", "/admin/customers/<customer_id>/attachments/<attachment_id>/delete"): {},
    ("GET", "/admin/customers/<customer_id>/statement"): {},
    ("GET", "/admin/customers/<customer_id>/statement/send"): {},
    ("POST", "/admin/customers/<customer_id>/statement/send"): {"entity": "MY01", "from": "2026-01-01"},
}
# Not an id of anything: the vendored scripts and styles.
PUBLIC = {("GET", "/admin/static/<path:filename>")}


def test_every_admin_page_with_an_id_has_an_isolation_case(tenant: CustomerMaster) -> None:
    app: Flask = create_app(tenant)
    with_ids = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin/") and rule.arguments
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert with_ids - PUBLIC == set(CASES)


@pytest.fixture
def acme(tenant: CustomerMaster, admin: Actor) -> dict[str, str]:
    payload = {"name": "Kedai Ali Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "ap@ali.my"}
    customer = tenant.customers.create(admin, payload).applied
    tenant.configuration.set_approval_lane(admin, "update", "yellow")
    sam = Actor(admin.tenant, "sam", frozenset({"sales_admin"}))
    request = tenant.customers.update(sam, customer.id, {"salesperson": "rina"}, version=1).change_request
    assert request is not None
    document = tenant.attachments.attach(admin, customer.id, "kedai-ali-contract.pdf", PDF)
    return {
        "customer_id": customer.id,
        "request_id": request.id,
        "decision": "approve",
        "token": "x" * 32,
        "attachment_id": document.id,
    }


def test_another_tenants_ids_are_not_found_in_the_admin(
    tenant: CustomerMaster, admin: Actor, outsider: Actor, acme: dict[str, str]
) -> None:
    tenant.configuration.add_legal_entity(outsider, {"code": "MY01", "name": "Globex Malaysia"})
    secret, _key = tenant.access.create_api_key(outsider.tenant, "otto", ["admin"])
    app = create_app(tenant)
    app.config["ADMIN_INSECURE_COOKIE"] = True
    configure_session(app)
    otto = Browser(app.test_client())
    assert otto.sign_in(secret).status_code == 302
    otto.get("/admin/customers")
    before = tenant.customers.get(admin, acme["customer_id"])
    for (method, rule), form in CASES.items():
        path = rule
        for name, value in acme.items():
            path = path.replace(f"<{name}>", value)
        sent = {k: v() if callable(v) else v for k, v in form.items()}  # a fresh file each time
        response = otto.get(path) if method == "GET" else otto.post(path, sent)
        assert response.status_code == 404, (method, rule, response.status_code)
        assert "Kedai Ali" not in response.text
    assert tenant.customers.get(admin, acme["customer_id"]) == before
    assert tenant.audit.notes(admin, acme["customer_id"]) == []
    assert tenant.approvals.get(admin, acme["request_id"]).approvals == ()
    assert [d.id for d in tenant.attachments.list(admin, acme["customer_id"])] == [acme["attachment_id"]]
