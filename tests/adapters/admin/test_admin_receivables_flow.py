"""Aging and statements in a real browser (R-13.2, R-13.3, R-16.5): the customer page's
aging, a statement PDF downloaded, the send confirmation, the tenant's aging page from
the navigation; axe-core on each page and their screenshots."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from admin_browser import ROOT, SCREENSHOTS, Served, check_page, read_aside, sign_in
from pypdf import PdfReader

from customer_master import Actor
from customer_master.domain.aging import AgingQuery

pytestmark = pytest.mark.xdist_group("browser")

SETUP = Actor("demo", "setup", frozenset({"admin"}))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _owing(served: Served) -> Any:
    """A demo customer with something overdue today, and its aging line."""

    def read() -> Any:
        zone = served.cm.configuration.get(SETUP).settings.time_zone
        today = served.cm.context.clock.today(zone)  # the day the pages age to
        report = served.cm.receivables.aging(SETUP, AgingQuery(as_of=today, limit=40))
        return next(line for line in report.lines if line.buckets is not None and line.buckets.overdue > 0)

    return read_aside(read)


def test_the_aging_is_shown_and_a_statement_pdf_downloaded(page: Any, served: Served, tmp_path: Path) -> None:
    line = _owing(served)
    kept = served.cm.attachments.list(SETUP, line.customer_id)
    if not any(a.name == "credit-application.pdf" for a in kept):
        served.cm.attachments.attach(SETUP, line.customer_id, "credit-application.pdf", PDF)
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{line.customer_id}"))

    aging = page.locator("#aging")
    row = aging.locator("tbody tr").filter(has_text=line.entity).first
    total = f"{line.buckets.total:,.2f} {line.currency}"
    assert row.locator("td").last.inner_text() == total
    assert row.locator("td").last.evaluate("e => getComputedStyle(e).textAlign") == "right"
    headers = aging.locator("thead th").all_inner_texts()
    assert headers == ["Entity", "Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days", "Total"]
    assert check_page(page, "25-customer-aging-statements") == []
    page.locator("#statements").screenshot(path=str(SCREENSHOTS / "25-customer-aging-statements-section.png"))
    page.locator("#attachments").screenshot(path=str(SCREENSHOTS / "22-customer-attachments-section.png"))

    page.get_by_label("From", exact=True).fill("2020-01-01")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the PDF").click()
    download = downloading.value
    assert download.suggested_filename.startswith(f"{line.code}-{line.entity}-2020-01-01-")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert line.code in text
    assert f"{line.buckets.total:,.2f}" in text  # the aging at the period's end, today

    page.get_by_role("button", name="Send by e-mail…").click()
    page.wait_for_url("**/statement/send?**")
    assert "Send a statement" in page.locator("nav.crumbs").inner_text()
    assert check_page(page, "26-statement-send-confirm") == []
    page.get_by_role("link", name="Do not send; go back").click()
    page.wait_for_url("**#statements")

    page.get_by_role("link", name="Aging", exact=True).click()
    page.wait_for_url("**/admin/aging")
    assert page.locator("#aging tbody tr").count() > 0
    assert line.code in page.locator("#aging").inner_text()
    assert check_page(page, "27-aging") == []
    page.get_by_label("Legal entity").select_option(line.entity)
    page.get_by_label("Show").select_option("yes")
    page.get_by_role("button", name="Show the aging").click()
    entities = page.locator("#aging tbody tr td:nth-child(3)").all_inner_texts()
    assert entities
    assert set(entities) == {line.entity}


def test_the_customer_page_screenshot_for_the_docs(page: Any, served: Served) -> None:
    """The screenshot docs/admin.md shows: a customer's page with its aging, statement
    form and attachments (refreshed in docs/screenshots/ when ADMIN_DOC_SCREENSHOTS=1)."""
    import os

    line = _owing(served)
    if not served.cm.attachments.list(SETUP, line.customer_id):
        served.cm.attachments.attach(SETUP, line.customer_id, "credit-application.pdf", PDF)
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{line.customer_id}#statements"))
    assert page.locator("#aging tbody tr").count() >= 1
    assert page.locator("#attachment-list tbody tr").count() >= 1
    shot = SCREENSHOTS / "28-customer-page-aging-attachments.png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#credit-h").scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("ADMIN_DOC_SCREENSHOTS") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "screenshots" / shot.name)
