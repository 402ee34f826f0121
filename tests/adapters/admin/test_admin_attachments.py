"""Attachments on the admin's customer page through Flask's test client, on memory and
SQLite (R-16.6, R-16.5): list, upload with the service's refusals at the file field,
download, delete after a confirmation, CSRF, and a viewer's refusal."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from admin_browser import Browser, signed_in_client

from customer_master import Actor, CustomerMaster
from customer_master_http import create_app

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x06\x00\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


@pytest.fixture
def customer(tenant: CustomerMaster, admin: Actor) -> Any:
    payload = {"name": "Kedai Ali Sdn Bhd", "kind": "company", "legal_entity": "MY01", "email": "ap@ali.my"}
    return tenant.customers.create(admin, payload).applied


def _upload(client: Browser, customer_id: str, name: str, content: bytes) -> Any:
    client.get(f"/admin/customers/{customer_id}")
    return client.post(f"/admin/customers/{customer_id}/attachments", {"file": (io.BytesIO(content), name)})


def _field_errors(text: str) -> str:
    found = re.search(r'<div class="error" id="document-error">(.*?)</div>', text, re.S)
    return found.group(1) if found else ""


def test_an_uploaded_document_is_listed_downloaded_and_on_the_timeline(
    tenant: CustomerMaster, admin: Actor, customer: Any
) -> None:
    ana = signed_in_client(tenant, "ana", "admin")
    empty = ana.get(f"/admin/customers/{customer.id}")
    assert "No documents yet" in empty.text
    assert 'enctype="multipart/form-data"' in empty.text
    assert '<label for="document">Document to attach</label>' in empty.text

    uploaded = _upload(ana, customer.id, "exemption-2026.pdf", PDF)
    assert uploaded.status_code == 302
    assert uploaded.headers["Location"].endswith("#attachments")
    [kept] = tenant.attachments.list(admin, customer.id)
    assert (kept.name, kept.content_type, kept.size, kept.uploaded_by) == (
        "exemption-2026.pdf",
        "application/pdf",
        len(PDF),
        "ana",
    )

    shown = ana.get(f"/admin/customers/{customer.id}")
    table = re.search(r'<table id="attachment-list">.*?</table>', shown.text, re.S)
    assert table is not None
    cells = re.sub(r"<[^>]+>", "|", table.group(0).split("<tbody>")[1])
    for expected in ("exemption-2026.pdf", "PDF", f"{len(PDF)} bytes", "ana", "2026-03-02 09:00 UTC"):
        assert expected in cells, expected
    assert "attached a document (exemption-2026.pdf)" in shown.text

    download = ana.get(f"/admin/customers/{customer.id}/attachments/{kept.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename*=UTF-8''exemption-2026.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("../../etc/cert.pdf", PDF, "Its name: '../../etc/cert.pdf' is a path"),
        ("invoice.pdf", ELF, "The document: its bytes are application/x-executable"),
        ("scan.pdf", PNG, "Its name: the name says .pdf but the bytes are image/png"),
        ("blank.pdf", b"", "The document: the document is empty"),
    ],
    ids=["path", "executable", "mismatch", "empty"],
)
def test_a_refused_upload_is_explained_at_the_file_field_and_nothing_is_kept(
    tenant: CustomerMaster, admin: Actor, customer: Any, name: str, content: bytes, said: str
) -> None:
    ana = signed_in_client(tenant, "ana", "admin")
    refused = _upload(ana, customer.id, name, content)
    assert refused.status_code == 422
    assert said.replace("'", "&#39;") in _field_errors(refused.text)
    assert 'aria-invalid="true"' in refused.text
    assert 'aria-describedby="document-help document-error"' in refused.text
    assert tenant.attachments.list(admin, customer.id) == []


def test_no_file_chosen_is_said_at_the_field(tenant: CustomerMaster, admin: Actor, customer: Any) -> None:
    ana = signed_in_client(tenant, "ana", "admin")
    ana.get(f"/admin/customers/{customer.id}")
    refused = ana.post(f"/admin/customers/{customer.id}/attachments", {"file": (io.BytesIO(b""), "")})
    assert refused.status_code == 422
    assert "Choose a document to upload." in _field_errors(refused.text)


def test_a_document_over_the_limit_is_refused_at_the_field(tmp_path: Any, admin: Actor) -> None:
    small = CustomerMaster.from_url(
        "memory://", load_entry_points=False, documents=tmp_path / "docs", attachment_limit=1024
    )
    small.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia", "currency": "MYR"})
    small.configuration.set_approval_lane(admin, "create", "green")
    payload = {"name": "Kedai Ali", "kind": "company", "legal_entity": "MY01", "email": "ap@ali.my"}
    created = small.customers.create(admin, payload)
    customer = created.applied
    assert customer is not None
    ana = signed_in_client(small, "ana", "admin")
    over = _upload(ana, customer.id, "big.pdf", PDF + b"0" * 2000)
    assert over.status_code == 422
    assert "is over the limit of 1024 bytes" in _field_errors(over.text)
    # Far over the limit: refused from its length, before the body is read.
    huge = _upload(ana, customer.id, "huge.pdf", PDF + b"0" * (200 * 1024))
    assert huge.status_code == 413
    assert "over the limit of 1.0 KB" in _field_errors(huge.text)
    assert small.attachments.list(admin, customer.id) == []
    assert [p for p in (tmp_path / "docs").rglob("*") if p.is_file()] == []


def test_deleting_asks_first_and_needs_the_csrf_token(
    tenant: CustomerMaster, admin: Actor, customer: Any
) -> None:
    kept = tenant.attachments.attach(admin, customer.id, "contract.pdf", PDF)
    ana = signed_in_client(tenant, "ana", "admin")
    confirm = ana.get(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete")
    assert confirm.status_code == 200
    assert "<title>Delete contract.pdf? · Customer master</title>" in confirm.text
    assert "Delete the document" in confirm.text
    assert tenant.attachments.list(admin, customer.id) == [kept]  # asking deletes nothing

    forged = ana.client.post(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete")
    assert forged.status_code == 403
    assert tenant.attachments.list(admin, customer.id) == [kept]

    deleted = ana.post(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete", {})
    assert deleted.status_code == 302
    assert tenant.attachments.list(admin, customer.id) == []
    assert [r.operation for r in tenant.audit.trail(admin, customer.id)][-1] == "detach"
    after = ana.get(f"/admin/customers/{customer.id}?deleted=contract.pdf")
    assert "Deleted contract.pdf." in after.text
    assert "No documents yet" in after.text
    gone = ana.get(f"/admin/customers/{customer.id}/attachments/{kept.id}")
    assert gone.status_code == 404


def test_an_upload_needs_the_csrf_token(tenant: CustomerMaster, admin: Actor, customer: Any) -> None:
    ana = signed_in_client(tenant, "ana", "admin")
    forged = ana.client.post(
        f"/admin/customers/{customer.id}/attachments", data={"file": (io.BytesIO(PDF), "cert.pdf")}
    )
    assert forged.status_code == 403
    assert tenant.attachments.list(admin, customer.id) == []


def test_a_viewer_reads_and_downloads_but_may_not_upload_or_delete(
    tenant: CustomerMaster, admin: Actor, customer: Any
) -> None:
    kept = tenant.attachments.attach(admin, customer.id, "contract.pdf", PDF)
    vic = signed_in_client(tenant, "vic", "viewer")
    assert "contract.pdf" in vic.get(f"/admin/customers/{customer.id}").text
    assert vic.get(f"/admin/customers/{customer.id}/attachments/{kept.id}").data == PDF
    refused = _upload(vic, customer.id, "mine.pdf", PDF)
    assert refused.status_code == 403
    assert "needs the customer.write permission" in _field_errors(refused.text)
    vic.get(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete")
    kept_still = vic.post(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete", {})
    assert kept_still.status_code == 403
    assert "needs the customer.write permission" in kept_still.text
    assert tenant.attachments.list(admin, customer.id) == [kept]


def test_a_document_of_another_customer_is_not_found_by_this_ones_address(
    tenant: CustomerMaster, admin: Actor, customer: Any
) -> None:
    other = tenant.customers.create(
        admin, {"name": "Kedai Abu", "kind": "company", "legal_entity": "MY01", "email": "ap@abu.my"}
    ).applied
    kept = tenant.attachments.attach(admin, other.id, "theirs.pdf", PDF)
    ana = signed_in_client(tenant, "ana", "admin")
    assert ana.get(f"/admin/customers/{customer.id}/attachments/{kept.id}").status_code == 404
    assert ana.get(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete").status_code == 404
    ana.get(f"/admin/customers/{customer.id}")
    assert ana.post(f"/admin/customers/{customer.id}/attachments/{kept.id}/delete", {}).status_code == 404
    assert tenant.attachments.list(admin, other.id) == [kept]


def test_the_admin_app_has_no_upload_without_a_session(tenant: CustomerMaster, customer: Any) -> None:
    client = create_app(tenant).test_client()
    response = client.post(
        f"/admin/customers/{customer.id}/attachments", data={"file": (io.BytesIO(PDF), "cert.pdf")}
    )
    assert response.status_code == 302
    assert "/admin/sign-in" in response.headers["Location"]
