"""The admin's pages: sign in, the customer list, a customer's page and its forms.

Each view reads the request, calls one façade service as the signed-in actor and renders
a template; a refusal from the core is shown on the page, in words (never a traceback).
The create, edit and clone forms are in ``editing.py``; the approvals inbox, import
wizard, batch actions and audit pages in ``work.py``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from customer_master.domain.customer import KINDS, OVERRIDE_FIELDS, Customer
from customer_master.domain.effective import effective_view
from customer_master.domain.search import CustomerQuery
from customer_master.errors import (
    CustomerMasterError,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from customer_master_admin import session as auth
from customer_master_admin.forms import (
    field_id,
)
from customer_master_http.auth import customer_master

admin = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

PAGE_SIZE = 50
SEARCH_SIZE = 20
LIST_FILTERS = (
    "status",
    "kind",
    "customer_group",
    "segment",
    "region",
    "tag",
    "entity",
    "on_credit_hold",
    "salesperson",
    "name",
    "sort",
)
SORTS = {"code": "Code", "name": "Name", "created_at": "Newest first"}


# ---------------------------------------------------------------------------
# Shared
# ---------------------------------------------------------------------------


@admin.context_processor
def _shared() -> dict[str, Any]:
    return {
        "csrf_token": auth.csrf_token,
        "money": money,
        "iso": iso,
        "field_id": field_id,
    }


def money(amount: Decimal | str | None, currency: str | None) -> str:
    """An amount as finance writes it: grouped, two decimals at least, with its currency."""
    if amount is None:
        return "no limit"
    value = Decimal(str(amount))
    places = max(2, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 2
    return f"{value:,.{places}f} {currency or ''}".strip()


def iso(moment: Any) -> str:
    """A date or timestamp in ISO 8601 (timestamps to the minute, UTC)."""
    if moment is None:
        return ""
    if hasattr(moment, "hour"):
        return str(moment.strftime("%Y-%m-%d %H:%M UTC"))
    return str(moment.isoformat())


def page(template: str, http_status: int = 200, **context: Any) -> tuple[str, int]:
    """The template rendered for the signed-in actor, with its HTTP status."""
    return render_template(template, me=auth.actor(), **context), http_status


@admin.errorhandler(CustomerMasterError)
def _refused(error: CustomerMasterError) -> Any:
    """A refusal the view did not show itself: a page that says it, with the right status."""
    status = 404 if isinstance(error, NotFound) else 403 if isinstance(error, Forbidden) else 409
    if isinstance(error, ValidationFailed):
        status = 422
    who = auth.signed_in_actor()
    return render_template("problem.html", me=who, status=status, message=str(error)), status


@admin.errorhandler(HTTPException)
def _http_problem(error: HTTPException) -> Any:
    who = auth.signed_in_actor()
    status = error.code or 500
    return render_template("problem.html", me=who, status=status, message=error.description), status


# ---------------------------------------------------------------------------
# Sign in and out
# ---------------------------------------------------------------------------


@admin.route("/sign-in", methods=["GET", "POST"])
def sign_in_page() -> Any:
    target = auth.safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("sign_in.html", me=None, next=target, error=None)
    auth.check_csrf()
    if auth.sign_in(request.form.get("api_key", "")) is None:
        error = "That API key is unknown or revoked. Check it with your administrator."
        return render_template("sign_in.html", me=None, next=target, error=error), 401
    return redirect(target)


@admin.route("/sign-out", methods=["POST"])
@auth.signed_in
def sign_out() -> Any:
    auth.sign_out()
    return redirect(url_for("admin.sign_in_page"))


@admin.route("/")
@auth.signed_in
def home() -> Any:
    return redirect(url_for("admin.customers"))


# ---------------------------------------------------------------------------
# The customer list
# ---------------------------------------------------------------------------


def list_query(args: Mapping[str, str], *, limit: int = PAGE_SIZE) -> CustomerQuery:
    """The list's filters as a query (blank filters left out)."""
    given = {k: args.get(k, "").strip() for k in LIST_FILTERS}
    hold = given.pop("on_credit_hold")
    sort = given.pop("sort") or "code"
    status = given.pop("status") or "active"
    name = given.pop("name")
    after = args.get("after") or None
    return CustomerQuery(
        status=status if status in ("active", "inactive", "any") else "active",  # type: ignore[arg-type]
        on_credit_hold={"yes": True, "no": False}.get(hold),
        name=name or None,
        name_match="fuzzy",
        sort=sort if sort in SORTS else "code",  # type: ignore[arg-type]
        limit=limit,
        after=_decode_cursor(after) if after else None,
        **{k: v or None for k, v in given.items()},
    )


@admin.route("/customers")
@auth.signed_in
def customers() -> Any:
    """The list; an htmx request (search as you type, a filter changed) gets the table only."""
    master, who = customer_master(), auth.actor()
    query = list_query(request.args)
    result = master.customers.search(who, query)
    start = int(request.args["start"]) if request.args.get("start", "").isdigit() else 1
    filters = {k: request.args.get(k, "") for k in LIST_FILTERS}
    active = {k: v for k, v in filters.items() if v}
    next_args = {**active, "after": _encode_cursor(result.next_cursor), "start": start + len(result.items)}
    context = {
        "items": result.items,
        "filters": filters,
        "active_filters": active,
        "next_url": url_for("admin.customers", **next_args) if result.next_cursor else None,
        "start": start,
        "export_url": url_for("admin.export", **active),
        "config": master.configuration.get(who),
        "sorts": SORTS,
        "kinds": KINDS,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return page("_results.html", **context)
    return page("customers.html", **context)


# ---------------------------------------------------------------------------
# A customer's page
# ---------------------------------------------------------------------------


@admin.route("/customers/<customer_id>")
@auth.signed_in
def customer(customer_id: str) -> Any:
    found = customer_master().customers.lookup(auth.actor(), customer_id)
    return customer_page(found.customer, redirected_from=found.redirected_from)


def customer_page(item: Customer, http_status: int = 200, **context: Any) -> tuple[str, int]:
    """A customer's page; ``context`` puts an error at its form (``note_error``,
    ``upload_errors``) or overrides a section."""
    master, who = customer_master(), auth.actor()
    entities = [item.legal_entity, *sorted(item.enabled_entities - {item.legal_entity})]
    sections: dict[str, Any] = {
        "redirected_from": None,
        "note_error": None,
        "upload_errors": [],
        "views": [_entity_view(item, entity) for entity in entities],
        "credit": [_credit_position(item, entity) for entity in entities],
        "timeline": master.audit.timeline(who, item.id),
        "requests": master.approvals.list(who, customer_id=item.id, state="pending"),
        "attachments": master.attachments.list(who, item.id),
        "attachment_limit": master.attachments.limit,
    }
    for extra in CUSTOMER_SECTIONS:
        sections.update(extra(item))
    return page("customer.html", http_status, c=item, **{**sections, **context})


# Sections other modules add to the customer page (aging and statements): each gets the
# customer and answers the template's variables.
CUSTOMER_SECTIONS: list[Callable[[Customer], dict[str, Any]]] = []


def _entity_view(item: Customer, entity: str) -> dict[str, Any]:
    view = effective_view(item, entity)
    rows = []
    for name in OVERRIDE_FIELDS:
        master_value, effective = getattr(item, name), getattr(view.customer, name)
        rows.append(
            {
                "field": name.replace("_", " "),
                "master": _shown(item, name, master_value),
                "effective": _shown(item, name, effective),
                "overridden": name in view.overridden,
            }
        )
    return {"entity": entity, "rows": rows, "is_enabled": view.is_enabled}


def _shown(item: Customer, name: str, value: Any) -> str:
    if name in item.masked:
        return "hidden for your role"
    if value is None:
        return "—"
    if name == "credit_limit":
        return money(value, item.currency)
    if name == "credit_hold":
        return f"on hold: {value.reason}"
    return str(value)


def _credit_position(item: Customer, entity: str) -> dict[str, Any]:
    """The credit position for an entity: a check of a document of nothing (R-5.6)."""
    try:
        decision = customer_master().credit.check(auth.actor(), item.id, entity=entity, amount=Decimal(0))
    except CustomerMasterError as refused:
        return {"entity": entity, "problem": str(refused)}
    return {"entity": entity, "decision": decision}


@admin.route("/customers/<customer_id>/notes", methods=["POST"])
@auth.signed_in
def add_note(customer_id: str) -> Any:
    master, who = customer_master(), auth.actor()
    try:
        master.audit.add_note(who, customer_id, request.form.get("text", ""))
    except ValidationFailed as refused:
        item = master.customers.get(who, customer_id)
        return customer_page(item, 422, note_error=refused.errors[0].message)
    return redirect(url_for("admin.customer", customer_id=customer_id, _anchor="timeline"))


# ---------------------------------------------------------------------------
# Cursors
# ---------------------------------------------------------------------------


def _encode_cursor(key: str | None) -> str:
    return base64.urlsafe_b64encode((key or "").encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    try:
        return base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(
            [FieldError("after", "invalid", "is not a page this list gave out")]
        ) from error


def csv_response(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


# The form and work pages register themselves on the same blueprint.
from customer_master_admin import documents, editing, receivables, work  # noqa: E402, F401
