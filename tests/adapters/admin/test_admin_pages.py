"""The admin's pages through Flask's test client, on memory and SQLite (no browser):
sessions, CSRF, forms read into payloads and errors put back at their fields, edits as
actions, batch actions through the lanes, the import wizard's refusals (R-16.5)."""

from __future__ import annotations

from typing import Any

import pytest
from admin_browser import Browser

from customer_master import Actor, CustomerMaster
from customer_master_admin.forms import form_errors, read_form, split_rows, update_changes
from customer_master_http import create_app


@pytest.fixture
def master(tenant: CustomerMaster) -> CustomerMaster:
    return tenant


def _browser(cm: CustomerMaster, user: str, *roles: str) -> Browser:
    secret, _key = cm.access.create_api_key("acme", user, roles)
    app = create_app(cm)
    app.config["ADMIN_INSECURE_COOKIE"] = True  # the test client speaks plain http://localhost
    from customer_master_admin.session import configure_session

    configure_session(app)
    browser = Browser(app.test_client())
    assert browser.sign_in(secret).status_code == 302
    return browser


def _create(cm: CustomerMaster, admin: Actor, **fields: Any) -> Any:
    payload = {"name": "Kedai Ali Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "ap@ali.my"}
    return cm.customers.create(admin, {**payload, **fields}).applied


def test_pages_need_a_session_and_return_to_the_page_asked_for(master: CustomerMaster) -> None:
    client = create_app(master).test_client()
    response = client.get("/admin/approvals")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/sign-in?next=/admin/approvals")


def test_after_sign_in_only_a_local_admin_path_is_followed(master: CustomerMaster) -> None:
    secret, _key = master.access.create_api_key("acme", "ana", ["admin"])
    app = create_app(master)
    app.config["ADMIN_INSECURE_COOKIE"] = True
    from customer_master_admin.session import configure_session

    configure_session(app)
    browser = Browser(app.test_client())
    browser.get("/admin/sign-in")
    response = browser.post("/admin/sign-in", {"api_key": secret, "next": "https://evil.example/admin"})
    assert response.headers["Location"] == "/admin/customers"


def test_a_revoked_key_ends_the_session_at_the_next_click(master: CustomerMaster) -> None:
    secret, key = master.access.create_api_key("acme", "ana", ["admin"])
    app = create_app(master)
    app.config["ADMIN_INSECURE_COOKIE"] = True
    from customer_master_admin.session import configure_session

    configure_session(app)
    browser = Browser(app.test_client())
    browser.sign_in(secret)
    assert browser.get("/admin/customers").status_code == 200
    master.access.revoke_api_key("acme", key.id)
    assert browser.get("/admin/customers").status_code == 302


def test_every_change_needs_the_sessions_csrf_token(master: CustomerMaster, admin: Actor) -> None:
    customer = _create(master, admin)
    browser = _browser(master, "ana", "admin")
    refused = browser.client.post(f"/admin/customers/{customer.id}/notes", data={"text": "hello"})
    assert refused.status_code == 403
    forged = browser.client.post(
        f"/admin/customers/{customer.id}/notes", data={"text": "hello", "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    assert master.audit.notes(admin, customer.id) == []
    browser.get(f"/admin/customers/{customer.id}")
    assert browser.post(f"/admin/customers/{customer.id}/notes", {"text": "hello"}).status_code == 302
    assert [n.text for n in master.audit.notes(admin, customer.id)] == ["hello"]


def test_errors_of_related_records_land_on_the_rows_of_the_form() -> None:
    form = {
        "name": "Kedai",
        "addresses-0-line1": "",  # an empty row is not sent
        "addresses-1-line1": "1 Jalan",
        "addresses-2-line1": "2 Jalan",
        "addresses-2-remove": "on",  # ticked for removal: not sent
        "addresses-3-line1": "3 Jalan",
    }
    payload, rows = split_rows(read_form(form))
    assert [a["line1"] for a in payload["addresses"]] == ["1 Jalan", "3 Jalan"]
    from customer_master.errors import FieldError

    moved = form_errors([FieldError("addresses[1].city", "required", "is required")], rows)
    assert [e.path for e in moved] == ["addresses[3].city"]


def test_an_edit_sends_only_what_changed_and_related_records_as_actions(
    master: CustomerMaster, admin: Actor
) -> None:
    address = {"purposes": ["billing"], "line1": "1 Jalan", "city": "KL", "country": "MY"}
    customer = _create(master, admin, addresses=[address, {**address, "line1": "2 Jalan"}])
    first, second = customer.addresses
    form = {
        "name": customer.name,
        "kind": "company",
        "legal_entity": "MY01",
        "email": "ap@ali.my",
        "region": "",
        "addresses-0-id": first.id,
        "addresses-0-purposes": "billing",
        "addresses-0-line1": "1 Jalan Baru",
        "addresses-0-city": "KL",
        "addresses-0-country": "MY",
        "addresses-1-id": second.id,
        "addresses-1-remove": "on",
        "addresses-2-line1": "9 Lorong",
        "addresses-2-purposes": "site",
        "addresses-2-city": "Ipoh",
        "addresses-2-country": "MY",
    }
    changes, rows = split_rows(update_changes(customer, form))
    assert set(changes) == {"addresses"}
    actions = [(a["action"], a.get("id"), a.get("line1")) for a in changes["addresses"]]
    assert actions == [
        ("update", first.id, "1 Jalan Baru"),
        ("delete", second.id, None),
        ("add", None, "9 Lorong"),
    ]
    assert rows == {"addresses": [0, 1, 2]}


def test_the_edit_form_updates_the_customer_and_a_stale_version_is_a_conflict_page(
    master: CustomerMaster, admin: Actor
) -> None:
    customer = _create(master, admin)
    browser = _browser(master, "ana", "admin")
    page = browser.get(f"/admin/customers/{customer.id}/edit")
    assert 'name="version" value="1"' in page.text
    form = {"name": "Kedai Ali Baru Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "ap@ali.my"}
    saved = browser.post(f"/admin/customers/{customer.id}/edit", {**form, "version": "1"})
    assert saved.status_code == 302
    assert master.customers.get(admin, customer.id).name == "Kedai Ali Baru Sdn Bhd"
    stale = browser.post(f"/admin/customers/{customer.id}/edit", {**form, "name": "Other", "version": "1"})
    assert stale.status_code == 409
    assert "Someone changed CUS-0001 while you were editing" in stale.text
    assert master.customers.get(admin, customer.id).name == "Kedai Ali Baru Sdn Bhd"


def test_a_batch_deactivation_goes_through_the_yellow_lane(master: CustomerMaster, admin: Actor) -> None:
    for n in range(3):
        _create(master, admin, name=f"Batch Target {n} Sdn Bhd", email=f"b{n}@t.my", region=None)
    master.configuration.set_approval_lane(admin, "deactivate", "yellow")
    browser = _browser(master, "ana", "admin", "ar_manager")
    browser.get("/admin/customers?name=Batch+Target")
    result = browser.post("/admin/customers/batch", {"action": "deactivate", "name": "Batch Target"})
    assert result.status_code == 200
    assert "3 customers: 0 done, 3 waiting for approval, 0 refused" in result.text
    pending = master.approvals.list(admin, state="pending")
    assert sorted(r.operation for r in pending) == ["deactivate"] * 3


def test_a_hold_without_a_reason_is_refused_before_anything_runs(
    master: CustomerMaster, admin: Actor
) -> None:
    customer = _create(master, admin)
    browser = _browser(master, "ana", "admin")
    browser.get("/admin/customers")
    refused = browser.post("/admin/customers/batch", {"action": "hold", "ids": customer.id})
    assert refused.status_code == 422
    assert master.customers.get(admin, customer.id).credit_hold is None


def test_the_import_wizard_refuses_an_empty_file_and_keeps_nothing(
    master: CustomerMaster, admin: Actor
) -> None:
    import io

    browser = _browser(master, "ana", "admin")
    browser.get("/admin/import")
    upload = browser.post(
        "/admin/import",
        {"file": (io.BytesIO(b"name,kind,legal_entity\n"), "empty.csv"), "on_duplicate": "skip"},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    review = browser.get(upload.headers["Location"])
    assert review.status_code == 422
    assert "no rows" in review.text
    assert browser.get("/admin/import/not-a-token/report.csv").status_code == 404


def test_a_viewer_cannot_change_anything_and_is_told_why(master: CustomerMaster, admin: Actor) -> None:
    customer = _create(master, admin, credit_limit="50000")
    browser = _browser(master, "vic", "viewer")
    page = browser.get(f"/admin/customers/{customer.id}")
    assert "50,000.00" not in page.text
    assert "hidden for your role" in page.text
    refused = browser.post(f"/admin/customers/{customer.id}/notes", {"text": "hi"})
    assert refused.status_code == 403
    assert "needs the customer.write permission" in refused.text


def test_the_forms_fields_are_the_cores_fields() -> None:
    """One description of the record (DESIGN.md): the form names only fields the core
    reads; its labels and widgets are presentation."""
    from customer_master.domain.master import MASTER_FIELDS as CORE_MASTER
    from customer_master.domain.records import ADDRESS_FIELDS
    from customer_master_admin.forms import MASTER_FIELDS, RELATED_FIELDS

    assert {name for name, _label, _kind in MASTER_FIELDS} <= set(CORE_MASTER)
    assert {name for name, _label, _kind in RELATED_FIELDS["addresses"]} <= {
        *ADDRESS_FIELDS,
        "purposes",
        "default_for",
    }
