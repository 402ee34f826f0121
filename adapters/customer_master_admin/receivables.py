"""Aging and statements of account in the admin (SPEC R-13.2, R-13.3, R-16.5), through
the façade's ``receivables`` and ``statements`` services as the signed-in actor.

- The customer page shows the aging per legal entity as of a date (figures masked for a
  role without ``view_sensitive``, R-12.2) and a statement form: download the PDF or the
  XLSX, or send it by e-mail after a confirmation naming the recipient.
- ``/admin/aging``: the tenant's aging, filtered by entity, group, region and
  salesperson, in keyset pages of customer codes.
- The list's batch action "send statements": the ticked or filtered customers with
  documents for the entity, confirmed, then sent one by one with a summary.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, redirect, request, url_for

from customer_master.domain.aging import AgingQuery
from customer_master.domain.customer import Customer
from customer_master.errors import CustomerMasterError, NotFound, ValidationFailed
from customer_master.services.statements import BatchFilter, SendResult
from customer_master_admin import session as auth
from customer_master_admin.pages import CUSTOMER_SECTIONS, admin, customer_page, list_query, page
from customer_master_http.auth import customer_master

AGING_PAGE = 50
BATCH_LIMIT = 500
BUCKET_LABELS = (
    ("current", "Current"),
    ("days_1_30", "1–30 days"),
    ("days_31_60", "31–60 days"),
    ("days_61_90", "61–90 days"),
    ("over_90", "Over 90 days"),
)
# The statement form's fields, as the service names them → as the form names them.
FORM_FIELDS = {"start": "from", "end": "to", "entity": "entity", "currency": "entity"}
FORMATS = {
    "pdf": ("application/pdf", "PdfStatements"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XlsxStatements"),
}
SEND_OUTCOMES = ("sent", "already_sent", "no_email", "failed", "skipped")


def today() -> date:
    """Today in the tenant's time zone, from the façade's clock."""
    master = customer_master()
    zone = master.configuration.get(auth.actor()).settings.time_zone
    return master.context.clock.today(zone)


def read_date(form: Any, name: str, default: date, errors: dict[str, str]) -> date:
    """The form's date ``name`` (ISO 8601), ``default`` when blank; a bad one is noted
    in ``errors`` under the form's field name."""
    text = (form.get(name) or "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{text!r} is not a date: write it as YYYY-MM-DD"
        return default


def _period(form: Any, errors: dict[str, str]) -> tuple[date, date]:
    end = read_date(form, "to", today(), errors)
    start = read_date(form, "from", end.replace(day=1), errors)
    if start > end and not errors:
        errors["to"] = f"must not be before the start, {start.isoformat()}"
    return start, end


def _entities(item: Customer) -> list[str]:
    return [item.legal_entity, *sorted(item.enabled_entities - {item.legal_entity})]


# ---------------------------------------------------------------------------
# The customer page's section
# ---------------------------------------------------------------------------


def _customer_section(item: Customer) -> dict[str, Any]:
    """The aging as of the asked date and the statement form's values for the page."""
    master, who = customer_master(), auth.actor()
    errors: dict[str, str] = {}
    as_of = read_date(request.args, "as_of", today(), errors)
    aging = master.receivables.customer_aging(who, item.id, as_of=as_of)
    start, end = as_of.replace(day=1), as_of
    return {
        "aging": aging,
        "aging_error": errors.get("as_of"),
        "as_of": as_of,
        "bucket_labels": BUCKET_LABELS,
        "statement_form": {"entity": item.legal_entity, "from": start.isoformat(), "to": end.isoformat()},
        "statement_errors": {},
        "statement_entities": _entities(item),
    }


CUSTOMER_SECTIONS.append(_customer_section)


@admin.route("/customers/<customer_id>/statement")
@auth.signed_in
def statement_download(customer_id: str) -> Any:
    """The statement as a PDF or XLSX file; bad dates or entity back at their fields."""
    master, who = customer_master(), auth.actor()
    item = master.customers.get(who, customer_id)
    wanted = request.args.get("format", "pdf")
    mimetype, renderer_name = FORMATS.get(wanted, FORMATS["pdf"])
    statement = _statement_or_errors(item)
    if isinstance(statement, tuple):
        return statement
    try:
        import customer_master_statements as renderers
    except ImportError:
        return _form_refused(item, {"entity": "statements need the 'statements' extra on this server"})
    renderer = getattr(renderers, renderer_name)()
    return Response(
        renderer.render(statement),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{item.code}-{statement.entity.code}-'
            f'{statement.start}-{statement.end}.{renderer.extension}"',
            "Cache-Control": "no-store",
        },
    )


def _statement_or_errors(item: Customer) -> Any:
    """The statement the form asks for, or the customer page with the form's errors."""
    errors: dict[str, str] = {}
    start, end = _period(request.args, errors)
    entity = request.args.get("entity", "").strip() or item.legal_entity
    if errors:
        return _form_refused(item, errors)
    try:
        return customer_master().statements.statement(
            auth.actor(), item.id, entity=entity, start=start, end=end
        )
    except ValidationFailed as refused:
        return _form_refused(item, {FORM_FIELDS.get(e.path, "entity"): e.message for e in refused.errors})
    except NotFound as missing:
        if missing.kind == "customer":
            raise
        return _form_refused(item, {"entity": f"{entity} is not a legal entity of this tenant"})


def _form_refused(item: Customer, errors: dict[str, str]) -> tuple[str, int]:
    form = {k: request.args.get(k, "") for k in ("entity", "from", "to")}
    return customer_page(item, 422, statement_errors=errors, statement_form=form)


@admin.route("/customers/<customer_id>/statement/send", methods=["GET", "POST"])
@auth.signed_in
def statement_send(customer_id: str) -> Any:
    """GET asks to confirm, naming the recipient and the period; POST sends."""
    master, who = customer_master(), auth.actor()
    item = master.customers.get(who, customer_id)
    if request.method == "GET":
        statement = _statement_or_errors(item)
        if isinstance(statement, tuple):
            return statement
        return page("statement_send.html", c=item, s=statement, error=None)
    errors: dict[str, str] = {}
    start, end = _period(request.form, errors)
    entity = request.form.get("entity", "") or item.legal_entity
    if errors:
        return page("problem.html", 422, status=422, message="; ".join(errors.values()))
    try:
        result = master.statements.send(who, customer_id, entity=entity, start=start, end=end)
    except NotFound as missing:
        if missing.kind == "customer":
            raise
        return page("problem.html", 422, status=422, message=str(missing))
    except CustomerMasterError as refused:
        statement = master.statements.statement(who, customer_id, entity=entity, start=start, end=end)
        status = 403 if not isinstance(refused, ValidationFailed) else 503
        return page("statement_send.html", status, c=item, s=statement, error=str(refused))
    if result.status == "failed":
        statement = master.statements.statement(who, customer_id, entity=entity, start=start, end=end)
        message = f"The statement could not be sent after {result.attempts} tries: {result.error}"
        return page("statement_send.html", 502, c=item, s=statement, error=message)
    return redirect(
        url_for(
            "admin.customer",
            customer_id=customer_id,
            statement=result.status,
            to=result.to or "",
            _anchor="statements",
        )
    )


# ---------------------------------------------------------------------------
# The tenant's aging
# ---------------------------------------------------------------------------


@admin.route("/aging")
@auth.signed_in
def aging() -> Any:
    """One page of the tenant's aging, in customer-code order."""
    master, who = customer_master(), auth.actor()
    errors: dict[str, str] = {}
    as_of = read_date(request.args, "as_of", today(), errors)
    names = ("entity", "customer_group", "region", "salesperson")
    filters = {k: request.args.get(k, "").strip() for k in names}
    overdue_only = request.args.get("overdue_only") == "yes"
    after = request.args.get("after", "").strip() or None
    chosen = {k: v or None for k, v in filters.items()}
    query = AgingQuery(as_of=as_of, after=after, limit=AGING_PAGE, **chosen)
    try:
        report = master.receivables.aging(who, query)
    except NotFound:
        errors["entity"] = f"{filters['entity']} is not a legal entity of this tenant"
        query = AgingQuery(as_of=as_of, limit=AGING_PAGE)
        report = master.receivables.aging(who, query)
        filters["entity"] = ""
    lines = [
        line for line in report.lines if not overdue_only or line.buckets is None or line.buckets.overdue > 0
    ]
    active = {k: v for k, v in filters.items() if v}
    if overdue_only:
        active["overdue_only"] = "yes"
    context = {
        "report": report,
        "lines": lines,
        "filters": filters,
        "overdue_only": overdue_only,
        "as_of": as_of,
        "errors": errors,
        "after": after,
        "bucket_labels": BUCKET_LABELS,
        "config": master.configuration.get(who),
        "next_url": url_for("admin.aging", as_of=as_of.isoformat(), after=report.next_after, **active)
        if report.next_after
        else None,
        "first_url": url_for("admin.aging", as_of=as_of.isoformat(), **active) if after else None,
    }
    status = 422 if errors else 200
    return page("aging.html", status, **context)


# ---------------------------------------------------------------------------
# The batch action: send statements
# ---------------------------------------------------------------------------


def statements_batch() -> Any:
    """Confirm, then send, the statements of the ticked or filtered customers that have
    documents for the entity; a summary says what happened to each."""
    master, who = customer_master(), auth.actor()
    form = request.form
    errors: dict[str, str] = {}
    start, end = _period(form, errors)
    entity = (form.get("statement_entity") or form.get("entity") or "").strip()
    if not entity:
        errors["statement_entity"] = "choose the legal entity whose statements to send"
    if errors:
        message = "; ".join(errors.values()) + ": go back and fix it"
        return page("problem.html", 422, status=422, message=message)
    chosen = form.getlist("ids")
    if chosen:
        targets = [master.customers.get(who, customer_id) for customer_id in chosen[:BATCH_LIMIT]]
    else:
        from attrs import evolve

        query = evolve(list_query(form, limit=BATCH_LIMIT), after=None)
        targets = list(master.customers.search(who, query).items)
    try:
        with_documents = set(
            master.statements.batch_customers(who, BatchFilter(entity=entity), end=end, for_sending=True)
        )
    except NotFound:
        return page("problem.html", 422, status=422, message=f"{entity} is not a legal entity of this tenant")
    except CustomerMasterError as refused:
        status = 503 if isinstance(refused, ValidationFailed) else 403  # no mail server; no permission
        return page("problem.html", status, status=status, message=str(refused))
    sending = [c for c in targets if c.id in with_documents]
    skipped = [c for c in targets if c.id not in with_documents]
    period = {"entity": entity, "from": start.isoformat(), "to": end.isoformat()}
    if form.get("confirmed") != "yes":
        return page("statements_confirm.html", sending=sending, skipped=skipped, period=period)
    results: list[dict[str, Any]] = []
    for customer in sending:
        try:
            sent: SendResult = master.statements.send(who, customer.id, entity=entity, start=start, end=end)
            outcome = {"status": sent.status, "to": sent.to, "message": sent.error}
            results.append({"customer": customer, **outcome})
        except CustomerMasterError as refused:
            results.append({"customer": customer, "status": "failed", "to": None, "message": str(refused)})
    for customer in skipped:
        message = f"no documents with {entity} by {end.isoformat()}"
        results.append({"customer": customer, "status": "skipped", "to": None, "message": message})
    counts = {s: sum(1 for r in results if r["status"] == s) for s in SEND_OUTCOMES}
    return page("statements_result.html", results=results, counts=counts, period=period)
