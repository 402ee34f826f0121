"""OpenAPI links (``responses.<status>.links``): where a client goes next with what an
answer gave it, so tools (and schemathesis' stateful phase) can follow real workflows —
create a customer, then read, change, credit-check, deactivate it or read its trail;
submit a change that waits, then approve or reject its change request."""

from __future__ import annotations

from typing import Any


def _ref(path: str, method: str) -> str:
    """A JSON pointer to an operation of this document (``~1`` escapes ``/``)."""
    return f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}"


def _customer_links(customer_id: str) -> dict[str, Any]:
    """What can be done next with the customer whose id is at ``customer_id``."""
    by_id = {"customer_id": customer_id}
    return {
        "GetCustomer": {
            "operationRef": _ref("/customers/{customer_id}", "get"),
            "parameters": by_id,
            "description": "Read the customer created.",
        },
        "UpdateCustomer": {
            "operationRef": _ref("/customers/{customer_id}", "patch"),
            "parameters": {**by_id, "header.If-Match": "$response.header.ETag"},
            "description": "Change it, based on the version just answered.",
        },
        "CheckCredit": {
            "operationRef": _ref("/customers/{customer_id}/credit-check", "post"),
            "parameters": by_id,
            "description": "Check a document against its credit.",
        },
        "DeactivateCustomer": {
            "operationRef": _ref("/customers/{customer_id}/deactivate", "post"),
            "parameters": {**by_id, "header.If-Match": "$response.header.ETag"},
            "description": "Deactivate it.",
        },
        "CustomerAudit": {
            "operationRef": _ref("/customers/{customer_id}/audit", "get"),
            "parameters": by_id,
            "description": "Read its audit records.",
        },
    }


def _request_links(request_id: str) -> dict[str, Any]:
    by_id = {"request_id": request_id}
    return {
        "GetChangeRequest": {
            "operationRef": _ref("/change-requests/{request_id}", "get"),
            "parameters": by_id,
        },
        "ApproveChangeRequest": {
            "operationRef": _ref("/change-requests/{request_id}/approve", "post"),
            "parameters": by_id,
        },
        "RejectChangeRequest": {
            "operationRef": _ref("/change-requests/{request_id}/reject", "post"),
            "parameters": by_id,
        },
    }


CREATED = {
    "responses": {
        "201": {"links": _customer_links("$response.body#/customer/id")},
        "202": {"links": _request_links("$response.body#/change_request/id")},
    }
}
READ = {"responses": {"200": {"links": _customer_links("$response.body#/id")}}}
CHANGED = {
    "responses": {
        "200": {"links": _customer_links("$response.body#/customer/id")},
        "202": {"links": _request_links("$response.body#/change_request/id")},
    }
}

__all__ = ["CHANGED", "CREATED", "READ"]
