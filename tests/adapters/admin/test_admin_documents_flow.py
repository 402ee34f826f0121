"""Attachments in a real browser (R-16.6, R-16.5): upload a small PDF on the customer
page, see it listed, download it, then delete it by keyboard through the confirmation;
axe-core on the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from admin_browser import Served, check_page, sign_in

from customer_master import Actor
from customer_master.domain.search import CustomerQuery

pytestmark = pytest.mark.xdist_group("browser")

SETUP = Actor("demo", "setup", frozenset({"admin"}))


def small_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (objects, cross-reference table and trailer)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_upload_a_pdf_see_it_listed_download_it_and_delete_it_by_keyboard(
    page: Any, served: Served, tmp_path: Path
) -> None:
    target = served.cm.customers.search(SETUP, CustomerQuery(kind="company", limit=5)).items[1]
    document = tmp_path / "tax-exemption-2026.pdf"
    document.write_bytes(small_pdf("Tax exemption certificate 2026"))
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{target.id}"))
    page.get_by_label("Document to attach").set_input_files(str(document))
    page.get_by_role("button", name="Upload the document").click()
    page.wait_for_url("**#attachments")
    assert "Attached tax-exemption-2026.pdf." in page.get_by_role("status").first.inner_text()
    row = page.locator("#attachment-list tbody tr").filter(has_text="tax-exemption-2026.pdf")
    cells = row.inner_text()
    for shown in ("PDF", "ana", f"{document.stat().st_size} bytes"):
        assert shown in cells, shown
    assert "attached a document (tax-exemption-2026.pdf)" in page.locator("#timeline").inner_text()
    assert check_page(page, "22-customer-attachments") == []

    with page.expect_download() as downloading:
        row.get_by_role("link", name="tax-exemption-2026.pdf", exact=True).click()
    download = downloading.value
    assert download.suggested_filename == "tax-exemption-2026.pdf"
    assert Path(download.path()).read_bytes() == document.read_bytes()

    # A refused upload: the reason at the field, announced and linked to it.
    fake = tmp_path / "statement.pdf"
    fake.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120)
    page.get_by_label("Document to attach").set_input_files(str(fake))
    page.get_by_role("button", name="Upload the document").click()
    field = page.get_by_label("Document to attach")
    assert field.get_attribute("aria-invalid") == "true"
    assert "application/x-executable" in page.locator("#document-error").inner_text()
    assert check_page(page, "23-customer-attachment-refused") == []

    # Delete with the keyboard alone: the row's link, the confirmation, the button.
    row = page.locator("#attachment-list tbody tr").filter(has_text="tax-exemption-2026.pdf")
    row.get_by_role("link", name="Delete tax-exemption-2026.pdf").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/delete")
    assert check_page(page, "24-attachment-delete-confirm") == []
    page.get_by_role("link", name="Keep it and go back").focus()
    page.keyboard.press("Shift+Tab")  # back from "Keep it" to the button
    assert page.evaluate("document.activeElement.textContent") == "Delete the document"
    page.keyboard.press("Enter")
    page.wait_for_url("**#attachments")
    assert "Deleted tax-exemption-2026.pdf." in page.get_by_role("status").first.inner_text()
    names = [a.name for a in served.cm.attachments.list(SETUP, target.id)]
    assert "tax-exemption-2026.pdf" not in names
