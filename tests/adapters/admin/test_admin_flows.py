"""The admin's flows end to end in a real browser (R-16.5, R-3.3, R-3.4, R-3.5, R-1.9,
R-9, R-10, R-12.2), each page checked by axe-core and screenshotted."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from admin_browser import Served, check_page, sign_in

from customer_master import Actor
from customer_master.domain.search import CustomerQuery

pytestmark = pytest.mark.xdist_group("browser")

SETUP = Actor("demo", "setup", frozenset({"admin"}))


def _customer_with_limit(served: Served) -> Any:
    page = served.cm.customers.search(SETUP, CustomerQuery(kind="company", limit=200))
    return next(c for c in page.items if c.credit_limit is not None and c.overrides)


def test_search_as_you_type_forgives_a_misspelt_name(page: Any, served: Served) -> None:
    sign_in(page, served, "ana")
    assert check_page(page, "03-customers") == []
    box = page.get_by_label("Search by name (typing errors are forgiven)")
    box.press_sequentially("Harbourfrnt Foods", delay=20)
    page.wait_for_function("document.querySelector('#results').innerText.includes('Harbourfront Foods')")
    page.wait_for_url("**name=Harbourfrnt%20Foods**")  # the search is in the address, so it can be shared
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    assert all("Harbourfront Foods" in rows.nth(i).inner_text() for i in range(2))
    assert check_page(page, "04-customers-fuzzy-search") == []


def test_create_with_every_error_at_its_field_then_fixed_then_approved_by_two_others(
    page: Any, served: Served, browser: Any
) -> None:
    sign_in(page, served, "sam")
    page.get_by_role("link", name="New customer").click()
    assert check_page(page, "05-new-customer") == []
    page.get_by_label("E-mail", exact=True).fill("not-an-address")
    page.get_by_label("Credit limit").fill("-5")
    page.get_by_role("button", name="Add an address").click()
    page.get_by_label("Street line 1").fill("8 Lebuh Pantai")
    page.get_by_role("button", name="Create the customer").click()
    summary = page.locator("#error-summary").inner_text()
    assert "problems to fix" in summary
    for field in ("name", "email", "credit_limit", "addresses-0-city", "addresses-0-country"):
        assert page.locator(f"#{field}[aria-invalid=true]").count() == 1, field
        assert page.locator(f"#{field}-error").inner_text().strip() != "", field
    assert page.get_by_label("Street line 1").input_value() == "8 Lebuh Pantai"  # nothing typed is lost
    assert check_page(page, "06-new-customer-errors") == []

    page.get_by_label("Name (required)").fill("Butterworth Marine Supplies Sdn Bhd")
    page.get_by_label("E-mail", exact=True).fill("ap@butterworth-marine.my")
    page.get_by_label("Credit limit").fill("25000")
    page.get_by_label("City").fill("George Town")
    page.get_by_label("Country (ISO code)").fill("MY")
    page.get_by_label("Purposes (billing, shipping, delivery, site, hq)").fill("billing")
    page.get_by_role("button", name="Create the customer").click()
    page.wait_for_url("**/admin/approvals/**")
    assert "Submitted for yellow approval" in page.get_by_role("status").first.inner_text()
    assert "Approve as" not in page.content()  # sam may not approve his own request
    assert check_page(page, "07-change-request-submitted") == []
    request_url = page.url.split("?")[0]

    for user, screenshot in (("ana", "08-change-request-step-1"), ("carlos", "09-change-request-review")):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        other = context.new_page()
        sign_in(other, served, user)
        other.get_by_role("link", name="Approvals").click()
        assert "Butterworth Marine Supplies Sdn Bhd" in other.locator("table").first.inner_text()
        other.goto(request_url)
        assert "Butterworth Marine Supplies Sdn Bhd" in other.locator("table").first.inner_text()
        assert check_page(other, screenshot) == []
        other.get_by_label("Comment (optional)").fill(f"checked by {user}")
        other.get_by_role("button", name="Approve as").click()
        other.wait_for_url("**decided=approve")
        context.close()

    found = served.cm.customers.search(SETUP, CustomerQuery(name="Butterworth Marine")).items
    assert [c.name for c in found] == ["Butterworth Marine Supplies Sdn Bhd"]
    page.goto(request_url)
    assert "approved" in page.locator("dl").inner_text()


def test_a_similar_name_is_a_warning_shown_before_saving_with_a_link(page: Any, served: Served) -> None:
    sign_in(page, served, "ana")
    page.goto(served.at("/admin/customers/new"))
    page.get_by_label("Name (required)").fill("Harbourfront Foods Pte Ltd")
    page.get_by_label("E-mail", exact=True).fill("ap@harbourfront-two.sg")
    page.get_by_role("button", name="Create the customer").click()
    warnings = page.locator("#warnings")
    assert "much like existing customer" in warnings.inner_text()
    assert page.get_by_role("button", name="Save anyway").count() == 1
    assert check_page(page, "10-new-customer-warning") == []
    warnings.get_by_role("link").first.click()
    assert "Harbourfront Foods" in page.get_by_role("heading", level=1).inner_text()


def test_editing_from_a_stale_version_is_explained_with_a_way_to_reload(page: Any, served: Served) -> None:
    target = _customer_with_limit(served)
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{target.id}"))
    assert "overridden" in page.content()
    assert check_page(page, "11-customer-page") == []
    page.get_by_role("link", name="Edit").click()
    assert check_page(page, "12-edit-customer") == []
    served.cm.customers.enable_for_entity(SETUP, target.id, "US01")  # someone else changes it
    page.get_by_label("Salesperson").fill("rina")
    page.get_by_role("button", name="Save the changes").click()
    conflict = page.locator("#conflict")
    assert f"Someone changed {target.code} while you were editing" in conflict.inner_text()
    assert page.get_by_label("Salesperson").input_value() == "rina"  # what was typed is kept
    assert check_page(page, "13-edit-conflict") == []
    conflict.get_by_role("link", name="Reload the current record").click()
    assert page.locator("input[name=version]").input_value() == str(target.version + 1)


def test_clone_drafts_a_new_customer_from_an_existing_one(page: Any, served: Served) -> None:
    source = _customer_with_limit(served)
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{source.id}"))
    page.get_by_role("link", name="Clone").click()
    assert page.get_by_label("Name (required)").input_value() == ""
    if source.region:
        assert page.get_by_label("Region").input_value() == source.region
    assert check_page(page, "14-clone-customer") == []
    page.get_by_label("Name (required)").fill("Cloned Trading Sdn Bhd")
    page.get_by_label("E-mail", exact=True).fill("ap@cloned-trading.my")
    page.get_by_role("button", name="Create the customer").click()
    if page.get_by_role("button", name="Save anyway").count():
        page.get_by_role("button", name="Save anyway").click()
    page.wait_for_url("**/admin/approvals/**")
    assert "cloned_from" in page.content()
    assert source.code in page.content()


def test_import_wizard_checks_a_thousand_rows_then_submits_them_for_approval(
    page: Any, served: Served, browser: Any, tmp_path: Any
) -> None:
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["name", "kind", "legal_entity", "email", "currency", "region"])
    for n in range(1000):
        email = "not-an-email" if n % 100 == 7 else f"ap{n}@wizard-import.example"
        writer.writerow([f"Wizard Import Company {n:04d} Sdn Bhd", "company", "MY01", email, "MYR", "Penang"])
    upload = tmp_path / "thousand.csv"
    upload.write_text(rows.getvalue())

    sign_in(page, served, "ana")
    page.get_by_role("link", name="Import").click()
    assert check_page(page, "15-import-upload") == []
    page.get_by_label("CSV file (up to 8 MiB and 10,000 rows)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/admin/import/**")
    status = page.get_by_role("status").first.inner_text()
    assert "1000 rows checked, nothing written" in status
    assert "990 to create" in status
    assert "10 with problems" in status
    assert "Row problems (10)" in page.content()
    page.get_by_label("Show problems in column").select_option("email")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("tbody tr").count() == 10
    assert check_page(page, "16-import-review") == []
    assert served.cm.customers.search(SETUP, CustomerQuery(name="Wizard Import")).items == ()

    page.get_by_role("button", name="Confirm the import").click()
    assert "waits for approval" in page.get_by_role("status").first.inner_text()
    assert check_page(page, "17-import-result") == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV report").click()
    report = download.value.path().read_text()
    assert report.count("not-an-email") >= 10
    request_url = page.get_by_role("link", name="see the request").get_attribute("href")

    for user in ("mei", "carlos"):  # ana submitted: another AR manager and a controller approve
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        other = context.new_page()
        other.set_default_timeout(60_000)
        sign_in(other, served, user)
        other.goto(served.at(request_url))
        other.get_by_role("button", name="Approve as").click()
        other.wait_for_url("**decided=approve")
        context.close()
    created = served.cm.customers.search(SETUP, CustomerQuery(name="Wizard Import", limit=1000)).items
    assert len(created) == 990


def test_batch_hold_on_a_filtered_list_reports_what_happened(page: Any, served: Served) -> None:
    sign_in(page, served, "ana")
    page.goto(served.at("/admin/customers?name=Harbourfront+Foods"))
    assert page.locator("#results tbody tr").count() == 2
    page.get_by_label("Action").select_option("hold")
    page.get_by_label("Reason (for a hold)").fill("Cheque returned by the bank")
    page.get_by_role("button", name="Run the batch action").click()
    assert "2 customers: 2 done, 0 waiting for approval, 0 refused" in page.get_by_role("status").inner_text()
    assert check_page(page, "18-batch-result") == []
    page.goto(served.at("/admin/customers?name=Harbourfront+Foods&on_credit_hold=yes"))
    assert page.locator("#results tbody tr").count() == 2
    held = served.cm.customers.search(
        SETUP, CustomerQuery(name="Harbourfront Foods", on_credit_hold=True)
    ).items
    assert {c.credit_hold.reason for c in held if c.credit_hold} == {"Cheque returned by the bank"}


def test_a_viewer_sees_credit_figures_masked(page: Any, served: Served) -> None:
    target = _customer_with_limit(served)
    sign_in(page, served, "vic")
    page.goto(served.at(f"/admin/customers/{target.id}"))
    content = page.locator("main").inner_text()
    assert "hidden for your role" in content
    assert "figures hidden for your role" in content
    limit = f"{target.credit_limit:,.2f}"
    assert limit not in content
    assert check_page(page, "19-customer-page-viewer") == []
    page.goto(served.at(f"/admin/customers/{target.id}/edit"))
    page.get_by_label("Salesperson").fill("someone")
    page.get_by_role("button", name="Save the changes").click()
    assert "needs the customer.write permission" in page.locator("main").inner_text()


def test_audit_verify_and_a_customers_trail(page: Any, served: Served) -> None:
    target = _customer_with_limit(served)
    sign_in(page, served, "carlos")
    page.get_by_role("link", name="Approvals").click()
    assert "Waiting for you" in page.locator("main").inner_text()
    assert check_page(page, "08-approvals-inbox") == []
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("button", name="Verify the audit chain").click()
    assert "The chain is intact" in page.get_by_role("status").inner_text()
    assert check_page(page, "20-audit-verify") == []
    page.goto(served.at(f"/admin/customers/{target.id}/audit"))
    assert "create" in page.locator("tbody").inner_text()
    assert check_page(page, "21-customer-audit") == []


def test_a_note_is_added_on_the_customer_page(page: Any, served: Served) -> None:
    target = _customer_with_limit(served)
    sign_in(page, served, "ana")
    page.goto(served.at(f"/admin/customers/{target.id}"))
    page.get_by_label("Add a note").fill("Promised to pay by Friday.")
    page.get_by_role("button", name="Add the note").click()
    assert "Promised to pay by Friday." in page.locator("#timeline").inner_text()


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(1280, 720, "desktop"), (640, 360, "zoom-200"), (390, 844, "phone")],
)
def test_pages_do_not_break_their_layout(
    page: Any, served: Served, width: int, height: int, name: str
) -> None:
    target = _customer_with_limit(served)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, served, "ana")
    for path, shot in (
        ("/admin/customers", "customers"),
        (f"/admin/customers/{target.id}", "customer"),
        ("/admin/customers/new", "new-customer"),
        ("/admin/approvals", "approvals"),
        ("/admin/aging", "aging"),
    ):
        page.goto(served.at(path))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
        page.screenshot(path=str(_shot(f"layout-{name}-{shot}")), full_page=False)


def _shot(name: str) -> Any:
    from admin_browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
