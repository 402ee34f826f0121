"""The Flask application: the REST API over one ``CustomerMaster``, its OpenAPI document
at ``/openapi.json`` and interactive docs at ``/docs`` (Swagger UI served from the
``swagger-ui-bundle`` package, so the docs work without internet access)."""

from __future__ import annotations

import http
import os
from typing import Any

import swagger_ui_bundle
from flask import Blueprint as FlaskBlueprint
from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from customer_master.app import CustomerMaster
from customer_master_http.auth import EXTENSION, SECURITY, SECURITY_SCHEMES
from customer_master_http.problems import PROBLEM_JSON, register_error_handlers
from customer_master_http.resources import BLUEPRINTS
from customer_master_http.schemas.common import Money, ProblemSchema

DEFAULT_URL = "sqlite:///customer-master.db"

DESCRIPTION = """\
Customer master data and the rules other ERP modules read from it: customers with their
addresses, contacts, bank accounts, tax ids, pricing tiers, tax profiles and per-entity
overrides; effective views; credit checks and holds; payment schedules; price resolution;
merge and delete; tenant configuration; and a feed for hosts that push their receivables.

**Authentication**: send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`
(`customer-master apikey create --tenant T --user U --role admin` prints one). Click
*Authorize* above to use one here.

**Errors** are RFC 9457 problem details (`application/problem+json`) listing every field
problem with its path, code and message.

**Versions**: a customer's `ETag` is its version; send it as `If-Match` when you change
the customer (missing → 428, stale → 412).

**Money** is written as decimal strings (`"1250.50"`); JSON numbers are read exactly too.
"""


class CustomerMasterApi(Api):  # type: ignore[misc]
    """flask-smorest's Api with problem details for every error."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)

    def _register_responses(self) -> None:
        """Document error responses as problem details (``application/problem+json``)."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A problem (RFC 9457 problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


def create_app(cm: CustomerMaster | None = None, url: str | None = None) -> Flask:
    """The API over ``cm``, or over a façade opened for ``url`` (default: the
    ``CUSTOMER_MASTER_URL`` environment variable, else ``sqlite:///customer-master.db``)."""
    master = cm or CustomerMaster.from_url(
        url or os.environ.get("CUSTOMER_MASTER_URL", DEFAULT_URL), **_statement_ports()
    )
    app = Flask("customer_master_http")
    app.config.update(
        API_TITLE="customer-master",
        API_VERSION=_version(),
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        OPENAPI_SWAGGER_UI_CONFIG={"persistAuthorization": True, "displayRequestDuration": True},
        API_SPEC_OPTIONS={"info": {"description": DESCRIPTION}, "security": SECURITY},
        # Large enough for a document at the attachment limit and its envelope.
        MAX_CONTENT_LENGTH=max(16 * 1024 * 1024, master.attachments.limit + 1024 * 1024),
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = master
    app.register_blueprint(_swagger_assets())
    api = CustomerMasterApi(app)
    api.register_field(Money, None, None)
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    _install_admin(app)
    return app


def _install_admin(app: Flask) -> None:
    """The web admin's pages under ``/admin`` when its package is installed (R-16.5)."""
    try:
        from customer_master_admin import install
    except ImportError:  # pragma: no cover - installed without the admin
        return
    install(app)


def _statement_ports() -> dict[str, Any]:
    """The PDF renderer and SMTP mailer statements are sent with (R-13.3), when the
    ``statements`` extra is installed; the mailer from ``CM_SMTP_*`` (docs/receivables.md)."""
    try:
        from customer_master_statements import ports_from_env
    except ImportError:
        return {}
    return ports_from_env()


def _swagger_assets() -> FlaskBlueprint:
    """Swagger UI's scripts and styles, from the installed package."""
    return FlaskBlueprint(
        "swagger_ui_assets",
        __name__,
        static_folder=swagger_ui_bundle.swagger_ui_path,
        static_url_path="/docs/assets",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("customer-master")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


__all__ = ["CustomerMasterApi", "create_app"]
