"""What the HTTP API tests share: a JSON client with an API key, the test users' keys,
and checks for problem details."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from customer_master import CustomerMaster

TENANT = "acme"  # as in tests/conftest.py
OTHER_TENANT = "globex"


class Api:
    """A test client that sends JSON with an API key and returns the response."""

    def __init__(self, client: FlaskClient, key: str | None) -> None:
        self.client = client
        self.key = key

    def as_(self, key: str | None) -> Api:
        return Api(self.client, key)

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        sent = dict(headers or {})
        if self.key is not None:
            sent.setdefault("X-API-Key", self.key)
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=sent, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)

    # -- shortcuts ------------------------------------------------------------------

    def create_customer(self, **fields: Any) -> dict[str, Any]:
        body = {
            "name": "Kedai Runcit Ali Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": "ap@kedai-ali.my",
            "currency": "MYR",
            **fields,
        }
        response = self.post("/customers", body)
        assert response.status_code == 201, response.json
        customer: dict[str, Any] = response.json["customer"]
        return customer


class Keys:
    """API keys of the test users."""

    def __init__(self, cm: CustomerMaster) -> None:
        def key(tenant: str, user: str, *roles: str) -> str:
            return cm.access.create_api_key(tenant, user, roles)[0]

        self.admin = key(TENANT, "ana", "admin", "ar_manager")
        self.controller = key(TENANT, "carlos", "controller")
        self.sales = key(TENANT, "sam", "sales_admin")
        self.viewer = key(TENANT, "vic", "viewer")
        self.cfo = key(TENANT, "dana", "cfo")
        self.outsider = key(OTHER_TENANT, "otto", "admin", "ar_manager", "controller")


def problem_of(response: TestResponse, status: int) -> dict[str, Any]:
    """The problem details of an error response, checked for shape."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.json
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"]
    assert body["detail"]
    assert isinstance(body["errors"], list)
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def error_paths(response: TestResponse) -> dict[str, str]:
    return {e["path"]: e["code"] for e in response.json["errors"]}


def sqlite_or_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The storage URL of a ``storage_url`` fixture with params ``sqlite`` and
    ``postgresql`` (where the hostile-input findings were): a migrated SQLite file, or
    the test PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgresql_url"))
    from customer_master_sql import migrate

    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    migrate(url)
    return url
