"""Every error is RFC 9457 problem details, never a traceback or an HTML page; the
OpenAPI document and the interactive docs are served, with their assets, by the app
itself (no internet needed)."""

from __future__ import annotations

import pytest
from flask import Flask
from http_support import Api, problem_of

from customer_master import CustomerMaster


def test_unknown_route_and_wrong_method_are_problems(api: Api) -> None:
    assert problem_of(api.get("/no/such/thing"), 404)["instance"] == "/no/such/thing"
    wrong = api.request("PUT", "/customers")
    assert problem_of(wrong, 405)["type"] == "/problems/method-not-allowed"
    assert "GET" in wrong.headers["Allow"]


def test_an_unexpected_failure_is_a_500_problem_without_a_traceback(
    api: Api, cm: CustomerMaster, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire at /var/secret/path")

    monkeypatch.setattr(cm.customers, "search", explode)
    response = api.get("/customers")
    problem = problem_of(response, 500)
    assert problem["type"] == "/problems/server-error"
    assert "fire" not in response.get_data(as_text=True)


def test_problem_types_explain_themselves(api: Api) -> None:
    explained = api.as_(None).get("/problems/precondition-failed")
    assert explained.status_code == 200
    assert explained.json["type"] == "/problems/precondition-failed"
    assert "If-Match" in explained.json["description"]
    problem_of(api.as_(None).get("/problems/no-such-problem"), 404)


def test_health_needs_no_key(api: Api) -> None:
    assert api.as_(None).get("/health").json == {"status": "ok"}


def test_openapi_document_describes_the_api(api: Api) -> None:
    spec = api.as_(None).get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/customers", "/customers/{customer_id}", "/change-requests/{request_id}/approve"} <= set(
        spec["paths"]
    )
    assert spec["components"]["securitySchemes"]["ApiKeyHeader"]["name"] == "X-API-Key"
    patch = spec["paths"]["/customers/{customer_id}"]["patch"]
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    assert "202" in patch["responses"]
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert "application/problem+json" in default["content"]
    assert spec["paths"]["/health"]["get"]["security"] == []


def test_docs_load_their_assets_from_this_server(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/openapi.json" in html
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert asset in html
        assert client.get(asset).status_code == 200
    assert "http://" not in html
    assert "https://" not in html
