"""The HTTP API of customer-master: a JSON REST API (Flask + flask-smorest) with an
OpenAPI document, interactive docs, problem details and ETag/If-Match (SPEC R-16.2).

``create_app(cm)`` serves a façade you built; ``create_app(url=...)`` opens one.
"""

from customer_master_http.app import create_app

__all__ = ["create_app"]
