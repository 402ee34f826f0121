"""Authentication and permissions over HTTP (SPEC R-12): API keys as a bearer token or
X-API-Key; no key or a bad one → 401; a missing permission → 403; sensitive figures
masked for roles without view_sensitive."""

from __future__ import annotations

import pytest
from http_support import Api, Keys, problem_of

from customer_master import CustomerMaster


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "cm_nope_nope"},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": "Basic abc"},
    ],
)
def test_no_key_or_a_bad_key_is_401(api: Api, headers: dict[str, str]) -> None:
    response = api.as_(None).get("/customers", headers=headers)
    assert problem_of(response, 401)["type"] == "/problems/unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_key_works_as_bearer_token_or_header(api: Api, keys: Keys) -> None:
    bearer = api.as_(None).get("/me", headers={"Authorization": f"Bearer {keys.viewer}"})
    assert bearer.json == {
        "tenant": "acme",
        "user": "vic",
        "roles": ["viewer"],
        "permissions": ["customer.read"],
    }
    assert api.as_(keys.viewer).get("/me").json["user"] == "vic"


def test_a_revoked_key_stops_working(api: Api, cm: CustomerMaster) -> None:
    secret, key = cm.access.create_api_key("acme", "temp", ["viewer"])
    assert api.as_(secret).get("/me").status_code == 200
    cm.access.revoke_api_key("acme", key.id)
    problem_of(api.as_(secret).get("/me"), 401)


def test_missing_permissions_are_403(api: Api, keys: Keys) -> None:
    customer = api.create_customer()
    viewer = api.as_(keys.viewer)
    assert viewer.get(f"/customers/{customer['id']}").status_code == 200
    forbidden = [
        viewer.post("/customers", {"name": "X", "kind": "individual", "legal_entity": "MY01"}),
        viewer.patch(f"/customers/{customer['id']}", {"name": "Y"}, headers={"If-Match": '"1"'}),
        viewer.put(f"/customers/{customer['id']}/credit-hold", {"reason": "r"}),
        viewer.post(f"/customers/{customer['id']}/credit-releases", {"document_ref": "d", "reason": "r"}),
        viewer.delete(f"/customers/{customer['id']}"),
        viewer.put("/configuration/legal-entities/TH01", {"name": "Acme Thailand"}),
        viewer.post(
            f"/customers/{customer['id']}/invoices",
            {
                "number": "I",
                "entity": "MY01",
                "document_date": "2026-01-01",
                "due_date": "2026-01-31",
                "amount": "1",
                "currency": "MYR",
            },
        ),
        api.as_(keys.sales).delete(f"/customers/{customer['id']}"),
        api.as_(keys.sales).get("/audit"),
    ]
    for response in forbidden:
        assert problem_of(response, 403)["type"] == "/problems/forbidden"


def test_sensitive_figures_are_masked_without_view_sensitive(api: Api, keys: Keys) -> None:
    customer = api.create_customer(
        credit_limit="50000",
        bank_accounts=[{"bank_name": "Maybank", "account_number": "514012345678"}],
    )
    path = f"/customers/{customer['id']}"
    seen = api.as_(keys.viewer).get(path).json
    assert seen["credit_limit"] is None
    assert seen["bank_accounts"][0]["account_number"] == "••••5678"
    assert "credit_limit" in seen["masked"]
    assert api.get(path).json["credit_limit"] == "50000"
    listed = api.as_(keys.viewer).get("/customers").json["items"][0]
    assert listed["credit_limit"] is None


def test_credit_figures_are_masked_without_view_sensitive(api: Api, keys: Keys) -> None:
    customer = api.create_customer(credit_limit="50000")
    path = f"/customers/{customer['id']}/credit-check"
    decision = api.as_(keys.viewer).post(path, {"entity": "MY01", "amount": "100"}).json
    assert (decision["masked"], decision["limit"], decision["outcome"]) == (True, None, "approved")
