"""The HTTP API of customer-master: a JSON REST API (Flask + flask-smorest) with an
OpenAPI document, interactive docs, problem details and ETag/If-Match (SPEC R-16.2).

``create_app(cm)`` serves a façade you built; ``create_app(url=...)`` opens one.
"""

from customer_master.extras import require

require(
    "http", "flask", "flask_smorest", "marshmallow", "apispec", "webargs", "swagger_ui_bundle",
    needed_by="the HTTP API",
)  # fmt: skip

from customer_master_http.app import create_app  # noqa: E402

__all__ = ["create_app"]
