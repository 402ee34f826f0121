"""Fixtures for the HTTP API tests: the app over the test façade (tests/conftest.py), API
keys for users with different roles in two tenants, and a JSON client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask

from customer_master import Actor, CustomerMaster
from customer_master_http import create_app

sys.path.insert(0, str(Path(__file__).parent))

from http_support import OTHER_TENANT, Api, Keys


@pytest.fixture
def app(cm: CustomerMaster) -> Flask:
    """The API over the test façade."""
    return create_app(cm)


@pytest.fixture
def keys(cm: CustomerMaster) -> Keys:
    """Keys for acme's users and for an administrator of globex, a second tenant with
    the same legal entity codes (so only tenancy tells them apart)."""
    other = Actor(OTHER_TENANT, "setup", {"admin"})
    for code, name in (("MY01", "Globex Malaysia"), ("SG01", "Globex Singapore"), ("US01", "Globex Inc")):
        cm.configuration.add_legal_entity(other, {"code": code, "name": name})
    return Keys(cm)


@pytest.fixture
def api(app: Flask, keys: Keys, tenant: CustomerMaster) -> Api:
    """The client acting as the administrator (admin + AR manager) of the shared tenant,
    whose changes apply at once (every approval lane green)."""
    return Api(app.test_client(), keys.admin)
