"""Customers: create with related records, read (with ``ETag``), partial update with
actions, list and search with keyset pagination, deactivate and reactivate, look-up by
code, effective view per legal entity and entity enablement (SPEC R-1 to R-4.1, R-14).

Each handler parses with a schema, calls one service and renders the result; changes
send ``If-Match`` with the version they were based on.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, request
from flask.views import MethodView

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.customer import Customer
from customer_master.domain.effective import EffectiveView
from customer_master.domain.search import CustomerQuery
from customer_master.domain.serialize import Data, to_data
from customer_master.errors import FieldError, FieldWarning, ValidationFailed
from customer_master.services.base import Outcome
from customer_master_http import links
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.render import (
    change_request_data,
    customer_body,
    json_response,
    page_links,
    warnings_data,
)
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.customers import (
    CustomerCloneSchema,
    CustomerCreateSchema,
    CustomerPageSchema,
    CustomerQuerySchema,
    CustomerResultSchema,
    CustomerSchema,
    CustomerUpdateSchema,
    EffectiveViewSchema,
    LookupSchema,
    PendingSchema,
)
from customer_master_http.versions import ETAG_HEADER, IF_MATCH_PARAMETER, etag, expected_version

blp = Blueprint(
    "customers",
    __name__,
    url_prefix="/customers",
    description="Customer master records with their related records (SPEC R-1 to R-4, R-14).",
)

ETAG = {"ETag": ETAG_HEADER}
IF_MATCH = {"parameters": [IF_MATCH_PARAMETER]}
PENDING = {
    "description": "Accepted: the operation waits for approval as a change request (R-10).",
    "schema": PendingSchema,
    "headers": {"Location": {"schema": {"type": "string"}, "description": "The change request."}},
}


@blp.route("")
class Customers(MethodView):
    @requires(None)
    @blp.arguments(CustomerQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, CustomerPageSchema)
    def get(self, **args: Any) -> tuple[Data, int, dict[str, str]]:
        """List and search customers

        Filters combine; by default only active customers, sorted by code. Pages are keyset
        pages: pass `next_cursor` as `after` for the next one (also in the `Link` header).
        """
        cursor = args.pop("after", None)
        query = CustomerQuery(**args, after=_decode_cursor(cursor) if cursor else None)
        page = customer_master().customers.search(current_actor(), query)
        next_cursor = _encode_cursor(page.next_cursor) if page.next_cursor else None
        data = {"items": [to_data(c) for c in page.items], "next_cursor": next_cursor}
        query_args = {k: v for k, v in request.args.items() if k != "after"}
        return data, 200, page_links(next_cursor, request.base_url, query_args)

    @requires(None)
    @blp.arguments(
        CustomerCreateSchema,
        example={
            "name": "Kedai Runcit Ali Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": "ap@kedai-ali.my",
            "currency": "MYR",
            "payment_terms": "NET30",
            "credit_limit": "50000.00",
            "addresses": [
                {
                    "purposes": ["billing", "shipping"],
                    "default_for": ["billing", "shipping"],
                    "line1": "12 Jalan Ampang",
                    "city": "Kuala Lumpur",
                    "postal_code": "50450",
                    "country": "MY",
                }
            ],
            "contacts": [
                {
                    "name": "Siti Aminah",
                    "roles": ["accounts_payable"],
                    "email": "siti@kedai-ali.my",
                    "is_primary": True,
                }
            ],
        },
    )
    @blp.response(201, CustomerResultSchema, headers={**ETAG, "Location": {"schema": {"type": "string"}}})
    @blp.alt_response(202, **PENDING)
    @blp.doc(**links.CREATED)
    def post(self, payload: dict[str, Any]) -> Any:
        """Create a customer

        The master fields and every related record in one atomic step (R-3.1). Every
        problem is reported at once with its path; warnings (large credit limit, similar
        name, expired exemption) come back with the result.
        """
        outcome = customer_master().customers.create(current_actor(), payload)
        location = {"Location": f"/customers/{outcome.value.id}"} if outcome.value else {}
        return customer_result(outcome, 201, location)


@blp.route("/<customer_id>")
class CustomerResource(MethodView):
    @requires(None)
    @blp.response(200, CustomerSchema, headers=ETAG)
    @blp.alt_response(304, description="Not modified (If-None-Match names the current version).")
    @blp.doc(**links.READ)
    def get(self, customer_id: str) -> Any:
        """Read a customer

        Active or not, with all its related records. The `ETag` is its version.
        """
        customer = customer_master().customers.get(current_actor(), customer_id)
        tag = etag(customer.version)
        if request.if_none_match.contains(tag.strip('"')):
            return Response(status=304, headers={"ETag": tag})
        # The hottest read skips re-dumping the core's JSON-ready data through the schema
        # (the schemathesis test holds the two together).
        return Response(
            customer_body(customer), status=200, headers={"ETag": tag}, mimetype="application/json"
        )

    @requires(None)
    @blp.arguments(
        CustomerUpdateSchema,
        example={
            "credit_limit": "75000.00",
            "addresses": [
                {
                    "action": "add",
                    "purposes": ["site"],
                    "label": "Port Klang Warehouse",
                    "line1": "Lot 5, Jalan Pelabuhan",
                    "city": "Klang",
                    "country": "MY",
                }
            ],
        },
    )
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.doc(**IF_MATCH)
    @blp.alt_response(202, **PENDING)
    def patch(self, changes: dict[str, Any], customer_id: str) -> Any:
        """Change a customer

        Only the fields given change. Related records change through actions:
        `{"action": "add", ...}`, `{"action": "update", "id": ..., ...}`,
        `{"action": "delete", "id": ...}` — all or nothing (R-3.2). Send the version you
        read as `If-Match`.
        """
        version = expected_version()
        outcome = customer_master().customers.update(current_actor(), customer_id, changes, version=version)
        return customer_result(outcome, 200)

    @requires(None)
    @blp.response(204)
    @blp.alt_response(202, **PENDING)
    def delete(self, customer_id: str) -> Any:
        """Delete a customer for good

        Removes the customer and its related records permanently; refused (naming the
        module) when a host module reports transaction history, or while open receivable
        items remain — deactivate it instead (R-4.2, R-4.3). Needs `customer.delete`. The
        audit trail keeps the deletion record.
        """
        result = customer_master().lifecycle.hard_delete(current_actor(), customer_id)
        if result.change_request is not None:
            return pending(result.change_request)
        return "", 204


@blp.route("/<customer_id>/deactivate")
class Deactivate(MethodView):
    @requires(None)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.doc(**IF_MATCH)
    @blp.alt_response(202, **PENDING)
    def post(self, customer_id: str) -> Any:
        """Deactivate a customer

        A soft delete: the customer is hidden from default lists and look-ups for new
        documents, keeps its history, and can be reactivated (R-4.1).
        """
        version = expected_version()
        changed = customer_master().customers.deactivate(current_actor(), customer_id, version=version)
        return customer_result(changed, 200)


@blp.route("/<customer_id>/reactivate")
class Reactivate(MethodView):
    @requires(None)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.doc(**IF_MATCH)
    @blp.alt_response(202, **PENDING)
    def post(self, customer_id: str) -> Any:
        """Reactivate a customer

        A deactivated customer becomes active again; its unique tax ids must still be
        free. A merged-away customer cannot come back.
        """
        version = expected_version()
        changed = customer_master().customers.reactivate(current_actor(), customer_id, version=version)
        return customer_result(changed, 200)


@blp.route("/<customer_id>/clone")
class Clone(MethodView):
    @requires(None)
    @blp.arguments(
        CustomerCloneSchema, example={"name": "Kedai Ali Penang Sdn Bhd", "email": "ap@kedai-penang.my"}
    )
    @blp.response(201, CustomerResultSchema, headers={**ETAG, "Location": {"schema": {"type": "string"}}})
    @blp.alt_response(202, **PENDING)
    def post(self, payload: dict[str, Any], customer_id: str) -> Any:
        """Clone a customer

        A new customer drafted from this one (R-3.5): its classification, tags,
        dimensions, currency, payment terms, price list, pricing tiers, overrides and
        enablements — addresses and contacts with `with_addresses` / `with_contacts` —
        with the fields given laid over them; never its code, tax ids, external
        references, bank accounts or notes. Validated and routed like any create; the
        audit record names the source.
        """
        with_addresses = payload.pop("with_addresses", False)
        with_contacts = payload.pop("with_contacts", False)
        outcome = customer_master().customers.clone(
            current_actor(), customer_id, payload, with_addresses=with_addresses, with_contacts=with_contacts
        )
        location = {"Location": f"/customers/{outcome.value.id}"} if outcome.value else {}
        return customer_result(outcome, 201, location)


@blp.route("/lookup/<key>")
class Lookup(MethodView):
    @requires(None)
    @blp.response(200, LookupSchema, headers=ETAG)
    def get(self, key: str) -> tuple[Data, int, dict[str, str]]:
        """Find a customer by id or code

        A customer merged away leads to the customer it was merged into;
        `redirected_from` then names the one asked for (R-8.1).
        """
        found = customer_master().customers.lookup(current_actor(), key)
        source = found.redirected_from
        data = {
            "customer": to_data(found.customer),
            "redirected_from": {"id": source.id, "code": source.code} if source else None,
        }
        return data, 200, {"ETag": etag(found.customer.version)}


@blp.route("/<customer_id>/entities/<entity>")
class Entity(MethodView):
    @requires(None)
    @blp.response(200, EffectiveViewSchema, headers=ETAG)
    def get(self, customer_id: str, entity: str) -> tuple[Data, int, dict[str, str]]:
        """The effective view for a legal entity

        The master with the entity's override laid over it field by field; `overridden`
        names the fields that came from the override (R-2.2).
        """
        view = customer_master().customers.effective_view(current_actor(), customer_id, entity)
        return _view(view)

    @requires(None)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.doc(**IF_MATCH)
    def put(self, customer_id: str, entity: str) -> Any:
        """Enable the customer for a legal entity

        Documents of the entity may use the customer from now on (R-2.3).
        """
        version = expected_version()
        changed = customer_master().customers.enable_for_entity(
            current_actor(), customer_id, entity, version=version
        )
        return customer_result(changed, 200)

    @requires(None)
    @blp.response(200, CustomerResultSchema, headers=ETAG)
    @blp.doc(**IF_MATCH)
    def delete(self, customer_id: str, entity: str) -> Any:
        """Disable the customer for a legal entity

        The owning entity always stays enabled.
        """
        version = expected_version()
        changed = customer_master().customers.disable_for_entity(
            current_actor(), customer_id, entity, version=version
        )
        return customer_result(changed, 200)


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def customer_result(
    outcome: Outcome[Customer] | Customer, status: int, headers: dict[str, str] | None = None
) -> Any:
    """A changed customer with its warnings and new ``ETag``; or 202 with the change
    request when the operation waits for approval (R-10.2)."""
    if isinstance(outcome, Outcome):
        if outcome.change_request is not None:
            return pending(outcome.change_request, outcome.warnings)
        customer, warnings = outcome.applied, outcome.warnings
    else:
        customer, warnings = outcome, ()
    data = {"customer": to_data(customer), "warnings": warnings_data(warnings)}
    return data, status, {"ETag": etag(customer.version), **(headers or {})}


def pending(request: ChangeRequest, warnings: tuple[FieldWarning, ...] = ()) -> Response:
    """202 Accepted: the operation is a change request waiting for approval."""
    data = {"change_request": change_request_data(request), "warnings": warnings_data(warnings)}
    return json_response(data, 202, {"Location": f"/change-requests/{request.id}"})


def _view(view: EffectiveView) -> tuple[Data, int, dict[str, str]]:
    data = {
        "entity": view.entity,
        "customer": to_data(view.customer),
        "overridden": list(view.overridden),
        "is_enabled": view.is_enabled,
    }
    return data, 200, {"ETag": etag(view.customer.version)}


def _encode_cursor(key: str) -> str:
    """Keyset keys are opaque to clients: URL-safe base64 of the key."""
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(
            [FieldError("after", "invalid", "is not a cursor this API gave out; use next_cursor")]
        ) from error
