"""The customer forms: create, edit and clone (SPEC R-3.3, R-3.4, R-3.5, R-1.9).

A save is checked first (``check_create`` / ``check_update``): errors come back at their
fields, all at once, with what was typed kept; warnings are shown before anything is
stored, and "Save anyway" stores. An edit sends only what changed, related records as
actions; a stale version is explained, with a way to reload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import redirect, request, url_for

from customer_master.domain.cloning import clone_payload
from customer_master.domain.customer import CUSTOMER_TYPES, KINDS, Customer
from customer_master.errors import BusinessRuleViolation, Conflict, FieldError, ValidationFailed
from customer_master_admin import session as auth
from customer_master_admin.forms import (
    MASTER_FIELDS,
    RELATED_FIELDS,
    RELATED_TITLES,
    FormErrors,
    form_errors,
    form_rows,
    form_values,
    read_form,
    split_rows,
    update_changes,
)
from customer_master_admin.pages import admin, page
from customer_master_http.auth import customer_master

# ---------------------------------------------------------------------------
# Create, edit, clone
# ---------------------------------------------------------------------------


def _form_page(
    mode: str,
    values: Mapping[str, str],
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    warnings: tuple[Any, ...] = (),
    current: Customer | None = None,
    source: Customer | None = None,
    conflict: str | None = None,
) -> tuple[str, int]:
    master, who = customer_master(), auth.actor()
    config = master.configuration.get(who)
    rows = form_rows(values)
    for section in RELATED_FIELDS:
        rows.setdefault(section, [])
    add = request.form.get("add_row") if request.method == "POST" else None
    if add in rows:
        rows[add].append({})
    names = {name for name, _l, _k in MASTER_FIELDS}
    for section, section_rows in rows.items():
        names |= {
            f"{section}-{i}-{f}" for i in range(len(section_rows)) for f, _l, _k in RELATED_FIELDS[section]
        }
        names.add(section)
    return page(
        "customer_form.html",
        status,
        mode=mode,
        values=values,
        rows=rows,
        errors=FormErrors.of(errors or [], names),
        error_count=len(errors or []),
        warnings=[_warning(w) for w in warnings],
        current=current,
        source=source,
        conflict=conflict,
        choices=_choices(config),
        master_fields=MASTER_FIELDS,
        related_fields=RELATED_FIELDS,
        related_titles=RELATED_TITLES,
    )


def _warning(warning: Any) -> dict[str, str | None]:
    """A warning with the code of the customer it names, for a link (R-3.4)."""
    return {"code": warning.code, "message": warning.message, "other": warning.customer}


def _choices(config: Any) -> dict[str, list[str]]:
    choices: dict[str, list[str]] = {
        "kind": list(KINDS),
        "legal_entity": [e.code for e in config.entities],
        "customer_type": list(CUSTOMER_TYPES),
        "payment_terms": sorted(config.payment_terms),
        "price_list": sorted(config.price_lists),
    }
    for name in ("customer_group", "segment", "region", "industry", "tier"):
        allowed = config.classifications.get(name)
        if allowed:
            choices[name] = list(allowed)
    return choices


def _wants_save() -> bool:
    """A submit that saves (not "add a row"); "save anyway" passes the warnings."""
    return request.form.get("add_row") is None


@admin.route("/customers/new", methods=["GET", "POST"])
@auth.signed_in
def new_customer() -> Any:
    if request.method == "GET":
        entities = customer_master().configuration.get(auth.actor()).entities
        return _form_page("create", {"kind": "company", "legal_entity": entities[0].code if entities else ""})
    master, who = customer_master(), auth.actor()
    values = request.form.to_dict()
    if not _wants_save():
        return _form_page("create", values)
    payload, rows = split_rows(read_form(values))
    try:
        warnings = master.customers.check_create(who, payload)
        if warnings and not request.form.get("accept_warnings"):
            return _form_page("create", values, warnings=warnings)
        outcome = master.customers.create(who, payload)
    except ValidationFailed as refused:
        return _form_page("create", values, status=422, errors=form_errors(list(refused.errors), rows))
    return _after_save(outcome)


@admin.route("/customers/<customer_id>/edit", methods=["GET", "POST"])
@auth.signed_in
def edit_customer(customer_id: str) -> Any:
    master, who = customer_master(), auth.actor()
    current = master.customers.get(who, customer_id)
    if request.method == "GET":
        return _form_page("edit", form_values(current), current=current)
    values = request.form.to_dict()
    if not _wants_save():
        return _form_page("edit", values, current=current)
    version = int(values.get("version") or 0)
    changes, rows = split_rows(update_changes(current, values))
    try:
        warnings = master.customers.check_update(who, customer_id, changes, version=version)
        if warnings and not request.form.get("accept_warnings"):
            return _form_page("edit", values, warnings=warnings, current=current)
        outcome = master.customers.update(who, customer_id, changes, version=version)
    except ValidationFailed as refused:
        errors = form_errors(list(refused.errors), rows)
        return _form_page("edit", values, status=422, errors=errors, current=current)
    except Conflict:
        message = (
            f"Someone changed {current.code} while you were editing (you started from version "
            f"{version}; it is now at version {current.version}). Your changes are below and were "
            "not saved: reload to start again from the current record."
        )
        return _form_page("edit", values, status=409, current=current, conflict=message)
    except BusinessRuleViolation as refused:
        return _form_page("edit", values, status=409, current=current, conflict=str(refused))
    return _after_save(outcome)


@admin.route("/customers/<customer_id>/clone", methods=["GET", "POST"])
@auth.signed_in
def clone_customer(customer_id: str) -> Any:
    master, who = customer_master(), auth.actor()
    source = master.customers.get(who, customer_id)
    with_addresses = request.values.get("with_addresses") == "on"
    with_contacts = request.values.get("with_contacts") == "on"
    if request.method == "GET":
        drafted = clone_payload(source, with_addresses=with_addresses, with_contacts=with_contacts)
        drafted["name"] = ""
        drafted["email"] = ""
        return _form_page("clone", form_values(None, drafted), source=source)
    values = request.form.to_dict()
    if not _wants_save():
        return _form_page("clone", values, source=source)
    changes, rows = split_rows(read_form(values, keep_blank=True))
    for section in RELATED_FIELDS:
        changes.setdefault(section, [])  # the form is what the clone gets
    try:
        payload = {**clone_payload(source), **changes}
        warnings = master.customers.check_create(who, payload)
        if warnings and not request.form.get("accept_warnings"):
            return _form_page("clone", values, warnings=warnings, source=source)
        outcome = master.customers.clone(who, customer_id, changes)
    except ValidationFailed as refused:
        errors = form_errors(list(refused.errors), rows)
        return _form_page("clone", values, status=422, errors=errors, source=source)
    return _after_save(outcome)


def _after_save(outcome: Any) -> Any:
    if outcome.change_request is not None:
        return redirect(url_for("admin.change_request", request_id=outcome.change_request.id, submitted=1))
    return redirect(url_for("admin.customer", customer_id=outcome.value.id, saved=1))
