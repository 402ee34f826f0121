"""The admin's work pages: approvals inbox, import wizard and export, batch actions on a
filtered list, and the audit (SPEC R-9, R-10, R-11, R-16.5).

The import wizard keeps an uploaded file on the server between its steps (upload →
validate-only report → confirm → result), in a folder of its own per tenant (under the
system's temporary folder, or ``CUSTOMER_MASTER_ADMIN_UPLOADS``), under a random name the
page carries; the result's CSV report is kept beside it for download. Files older than a
day are removed at the next upload.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from attrs import evolve
from flask import abort, redirect, request, url_for

from customer_master.domain.approvals import ChangeRequest
from customer_master.domain.importing import ImportOptions
from customer_master.errors import CustomerMasterError, FieldError, ValidationFailed
from customer_master_admin import session as auth
from customer_master_admin.pages import admin, csv_response, list_query, page
from customer_master_files import UnreadableFile, read_csv, write_csv
from customer_master_http.auth import customer_master

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_ROWS = 10_000
BATCH_LIMIT = 500
ERRORS_SHOWN = 500
UPLOADS_ENV = "CUSTOMER_MASTER_ADMIN_UPLOADS"
KEEP_UPLOADS_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


# ---------------------------------------------------------------------------
# Approvals
# ---------------------------------------------------------------------------


@admin.route("/approvals")
@auth.signed_in
def approvals() -> Any:
    master, who = customer_master(), auth.actor()
    waiting = master.approvals.list(who, mine=True)
    everything = master.approvals.list(who)
    mine = sorted(
        (r for r in everything if r.submitter == who.user), key=lambda r: r.submitted_at, reverse=True
    )
    subjects = {r.id: _subject(r) for r in [*waiting, *mine[:100]]}
    return page("approvals.html", waiting=waiting, mine=mine[:100], subjects=subjects)


def _subject(found: ChangeRequest) -> str:
    """Whom a request is about, in a few words: the new customer's name, the customers'
    codes, or the rows of an import."""
    if found.operation == "create":
        return str(found.payload.get("name", ""))
    if found.operation == "import":
        return f"{len(found.payload.get('rows') or [])} rows"
    master, who = customer_master(), auth.actor()
    names = []
    for customer_id in found.customer_ids[:2]:
        try:
            customer = master.customers.get(who, customer_id)
        except CustomerMasterError:
            continue
        names.append(f"{customer.code} {customer.name}")
    return "; ".join(names)


@admin.route("/approvals/<request_id>")
@auth.signed_in
def change_request(request_id: str) -> Any:
    master, who = customer_master(), auth.actor()
    found = master.approvals.get(who, request_id)
    return page("change_request.html", r=found, **_review(found), message=None)


@admin.route("/approvals/<request_id>/<decision>", methods=["POST"])
@auth.signed_in
def decide(request_id: str, decision: str) -> Any:
    if decision not in ("approve", "reject"):
        abort(404)
    master, who = customer_master(), auth.actor()
    comment = request.form.get("comment", "").strip() or None
    try:
        if decision == "approve":
            master.approvals.approve(who, request_id, comment=comment)
        else:
            master.approvals.reject(who, request_id, comment=comment)
    except CustomerMasterError as refused:
        found = master.approvals.get(who, request_id)
        return page("change_request.html", 409, r=found, **_review(found), message=str(refused))
    return redirect(url_for("admin.change_request", request_id=request_id, decided=decision))


def _review(found: ChangeRequest) -> dict[str, Any]:
    """What the request changes, as before and after rows, and what its next step needs."""
    master, who = customer_master(), auth.actor()
    rows: list[dict[str, Any]] = []
    customer = None
    payload = found.payload
    if found.customer_ids:
        try:
            customer = master.customers.get(who, found.customer_ids[0])
        except CustomerMasterError:
            customer = None
    if found.operation == "update":
        changes = payload.get("changes", {})
        for name, after in changes.items():
            before = getattr(customer, name, None) if customer is not None else None
            rows.append({"field": name, "before": _plain(before), "after": _plain(after)})
    elif found.operation in ("create", "credit_hold"):
        for name, after in payload.items():
            if name not in ("customer_id", "rows"):
                rows.append({"field": name, "before": "", "after": _plain(after)})
    elif found.operation == "import":
        for name, after in (payload.get("summary") or {}).items():
            rows.append({"field": name, "before": "", "after": _plain(after)})
    elif customer is not None and found.operation in ("deactivate", "reactivate"):
        after = "inactive" if found.operation == "deactivate" else "active"
        rows.append({"field": "status", "before": customer.status, "after": after})
    refusal = None
    if found.is_pending:
        from customer_master.domain.approvals import approval_refusal

        refusal = approval_refusal(found, who.user, who.roles)
    return {"rows": rows, "customer": customer, "refusal": refusal}


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, [], {}))
    return str(value)


# ---------------------------------------------------------------------------
# Export and batch actions on a filtered list
# ---------------------------------------------------------------------------


@admin.route("/customers/export")
@auth.signed_in
def export() -> Any:
    query = evolve(list_query(request.args), after=None)
    result = customer_master().exports.export(auth.actor(), query)
    out = io.BytesIO()
    write_csv(out, result.columns, result.rows)
    return csv_response(out.getvalue().decode("utf-8"), "customers.csv")


@admin.route("/customers/batch", methods=["POST"])
@auth.signed_in
def batch() -> Any:
    """Deactivate, set or release a hold for every customer the list's filters select (or
    the ticked ones), each through its approval lane; a summary says what happened."""
    master, who = customer_master(), auth.actor()
    action = request.form.get("action", "")
    reason = request.form.get("reason", "").strip()
    if action == "statements":
        from customer_master_admin.receivables import statements_batch

        return statements_batch()
    if action not in ("deactivate", "hold", "release"):
        message = "choose an action: deactivate, hold, release or send statements"
        return page("problem.html", 422, status=422, message=message)
    if action == "hold" and not reason:
        return page(
            "problem.html", 422, status=422, message="a credit hold needs a reason: go back and give one"
        )
    chosen = request.form.getlist("ids")
    if chosen:
        targets = [master.customers.get(who, customer_id) for customer_id in chosen[:BATCH_LIMIT]]
    else:
        query = evolve(list_query(request.form, limit=BATCH_LIMIT), after=None)
        targets = list(master.customers.search(who, query).items)
    results = []
    for customer in targets:
        try:
            if action == "deactivate":
                outcome = master.customers.deactivate(who, customer.id)
            elif action == "hold":
                outcome = master.credit.set_hold(who, customer.id, reason=reason)
            else:
                outcome = master.credit.release_hold(who, customer.id)
            state = "waiting for approval" if outcome.change_request is not None else "done"
            link = outcome.change_request.id if outcome.change_request is not None else None
            results.append({"customer": customer, "state": state, "request_id": link, "message": ""})
        except CustomerMasterError as refused:
            results.append(
                {"customer": customer, "state": "refused", "request_id": None, "message": str(refused)}
            )
    counts = {
        s: sum(1 for r in results if r["state"] == s) for s in ("done", "waiting for approval", "refused")
    }
    return page("batch_result.html", action=action, results=results, counts=counts, limit=BATCH_LIMIT)


# ---------------------------------------------------------------------------
# Import wizard
# ---------------------------------------------------------------------------


def _uploads() -> Path:
    """The tenant's folder for files between the wizard's steps."""
    root = Path(os.environ.get(UPLOADS_ENV) or Path(tempfile.gettempdir()) / "customer-master-admin")
    folder = root / re.sub(r"[^A-Za-z0-9_-]", "_", auth.actor().tenant)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _stored(token: str, suffix: str = ".csv") -> Path:
    if not _TOKEN.match(token):
        abort(404)
    path = _uploads() / f"{token}{suffix}"
    if suffix == ".csv" and not path.exists():
        abort(404, description="this upload is no longer here: upload the file again")
    return path


def _forget_old_uploads() -> None:
    """Files of the tenant's wizards left for more than a day go (uploads and reports)."""
    horizon = time.time() - KEEP_UPLOADS_SECONDS
    for path in _uploads().iterdir():
        if path.is_file() and path.stat().st_mtime < horizon:
            path.unlink(missing_ok=True)


def _options(form: Any, *, validate_only: bool) -> ImportOptions:
    on_duplicate = form.get("on_duplicate", "skip")
    return ImportOptions(on_duplicate=on_duplicate, validate_only=validate_only)


def _rows(path: Path) -> list[Any]:
    with path.open("rb") as stream:
        rows = list(islice(read_csv(stream), MAX_ROWS + 1))
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            [FieldError("file", "too_many_rows", f"has more than {MAX_ROWS:,} rows: use the command line")]
        )
    if not rows:
        raise ValidationFailed([FieldError("file", "empty", "has a header but no rows, or nothing")])
    return rows


@admin.route("/import", methods=["GET", "POST"])
@auth.signed_in
def import_upload() -> Any:
    if request.method == "GET":
        return page("import_upload.html", error=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return page("import_upload.html", 422, error="Choose a CSV file to upload.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return page(
            "import_upload.html", 413, error="The file is over 8 MiB: import it with the command line."
        )
    _forget_old_uploads()
    token = secrets.token_urlsafe(24)
    (_uploads() / f"{token}.csv").write_bytes(data)
    (_uploads() / f"{token}.name").write_text(Path(upload.filename).name)
    on_duplicate = request.form.get("on_duplicate", "skip")
    return redirect(url_for("admin.import_review", token=token, on_duplicate=on_duplicate))


@admin.route("/import/<token>")
@auth.signed_in
def import_review(token: str) -> Any:
    """The validate-only report: counts and every row error, filterable by column."""
    path = _stored(token)
    master, who = customer_master(), auth.actor()
    try:
        rows = _rows(path)
        options = _options(request.args, validate_only=True)
        result = master.imports.run(who, rows, options, checksum=_sha256(path))
    except (ValidationFailed, UnreadableFile, UnicodeError) as refused:
        return page("import_upload.html", 422, error=f"The file cannot be imported: {refused}")
    failures = list(_failure_lines(result.outcomes))
    column = request.args.get("column", "")
    shown = [f for f in failures if not column or f["column"] == column]
    return page(
        "import_review.html",
        token=token,
        name=_stored(token, ".name").read_text() if _stored(token, ".name").exists() else "upload.csv",
        result=result,
        failures=shown[:ERRORS_SHOWN],
        failure_total=len(shown),
        columns=sorted({f["column"] for f in failures}),
        column=column,
        on_duplicate=options.on_duplicate,
    )


@admin.route("/import/<token>/confirm", methods=["POST"])
@auth.signed_in
def import_confirm(token: str) -> Any:
    path = _stored(token)
    master, who = customer_master(), auth.actor()
    rows = _rows(path)
    options = _options(request.form, validate_only=False)
    try:
        result = master.imports.submit(who, rows, options, _sha256(path))
    except CustomerMasterError as refused:
        return page("import_upload.html", 409, error=f"The import was refused: {refused}")
    _stored(token, ".report.csv").write_text(result.to_csv())
    return page(
        "import_result.html",
        token=token,
        result=result,
        failures=list(_failure_lines(result.outcomes))[:ERRORS_SHOWN],
    )


@admin.route("/import/<token>/report.csv")
@auth.signed_in
def import_report(token: str) -> Any:
    report = _stored(token, ".report.csv")
    if not report.exists():
        abort(404, description="no report for this import yet: confirm the import first")
    return csv_response(report.read_text(), "import-report.csv")


def _failure_lines(outcomes: Iterable[Any]) -> Iterable[dict[str, str]]:
    for outcome in outcomes:
        if outcome.outcome == "failed":
            yield from outcome.report_lines()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# Audit
# ---------------------------------------------------------------------------


@admin.route("/audit")
@auth.signed_in
def audit_verify() -> Any:
    master, who = customer_master(), auth.actor()
    report = master.audit.verify(who) if request.args.get("verify") else None
    return page("audit.html", report=report)


@admin.route("/customers/<customer_id>/audit")
@auth.signed_in
def customer_audit(customer_id: str) -> Any:
    master, who = customer_master(), auth.actor()
    item = master.customers.get(who, customer_id)
    records = list(reversed(master.audit.trail(who, customer_id)))
    return page("customer_audit.html", c=item, records=records, plain=_plain)
