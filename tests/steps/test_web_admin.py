"""Steps for features/web_admin.feature: the admin in a real browser (SPEC R-16.5).

The browser, the served store and the page come from the admin browser tests' helpers
(tests/adapters/admin/admin_browser.py); the scenarios run in the ``browser`` group."""

# The fixtures imported from admin_browser are the steps' parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

sys.path.insert(0, str(Path(__file__).parents[1] / "adapters" / "admin"))

from admin_browser import Served, browser, page, read_aside, served, sign_in  # noqa: F401

from customer_master import Actor
from customer_master.domain.search import CustomerQuery

pytestmark = pytest.mark.xdist_group("browser")

scenarios("web_admin.feature")

SETUP = Actor("demo", "setup", frozenset({"admin"}))


@pytest.fixture
def admin_story() -> dict[str, Any]:
    return {}


@given("the admin is served over the demo tenant")
def admin_served(served: Served) -> None:
    assert served.keys.keys() >= {"ana", "sam", "carlos", "mei", "vic"}


@given(parsers.parse('"{user}" is signed in to the admin'))
def signed_in(page: Any, served: Served, user: str) -> None:
    sign_in(page, served, user)


@when(parsers.parse('she types "{text}" in the search box'))
def types(page: Any, text: str) -> None:
    page.get_by_label("Search by name (typing errors are forgiven)").press_sequentially(text, delay=20)
    page.wait_for_url("**name=" + text.replace(" ", "%20") + "**")


@then(parsers.parse('the list shows only "{first}" and "{second}"'))
def list_shows(page: Any, first: str, second: str) -> None:
    page.wait_for_function(f"document.querySelector('#results').innerText.includes({first!r})")
    names = page.locator("#results tbody tr td:nth-child(3)").all_inner_texts()
    assert sorted(names) == sorted([first, second])


@when(
    'he fills a new customer with no name, e-mail "not-an-address" and an address without a city or country'
)
def bad_customer(page: Any) -> None:
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("E-mail", exact=True).fill("not-an-address")
    page.get_by_role("button", name="Add an address").click()
    page.get_by_label("Street line 1").fill("3 Jalan Kebun")
    page.get_by_role("button", name="Create the customer").click()


@then(parsers.parse('the form shows a problem at each of "{a}", "{b}", "{c}" and "{d}"'))
def problems_at(page: Any, a: str, b: str, c: str, d: str) -> None:
    for field in (a, b, c, d):
        assert page.locator(f"#{field}[aria-invalid=true]").count() == 1, field
        assert page.locator(f"#{field}-error").inner_text().strip(), field


@then("what he typed is still in the form")
def kept(page: Any) -> None:
    assert page.get_by_label("E-mail", exact=True).input_value() == "not-an-address"
    assert page.get_by_label("Street line 1").input_value() == "3 Jalan Kebun"


@then("no customer was saved")
def nothing_saved(served: Served) -> None:
    assert served.cm.customers.search(SETUP, CustomerQuery(name="3 Jalan Kebun")).items == ()
    pending = [r for r in served.cm.approvals.list(SETUP, state="pending") if r.submitter == "sam"]
    assert all(r.payload.get("email") != "not-an-address" for r in pending)


@when(parsers.parse('he creates customer "{name}" with e-mail "{email}"'))
def creates(page: Any, admin_story: dict[str, Any], name: str, email: str) -> None:
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name (required)").fill(name)
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_role("button", name="Create the customer").click()
    if page.get_by_role("button", name="Save anyway").count():
        page.get_by_role("button", name="Save anyway").click()
    page.wait_for_url("**/admin/approvals/**")
    admin_story["request"] = page.url.split("?")[0]


@then("the page says it waits for yellow approval and offers him no approval")
def waits(page: Any) -> None:
    assert "Submitted for yellow approval" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("button", name="Approve as ar_manager").count() == 0


@when(parsers.parse('"{user}" approves it in the admin as {role}'))
def approves(browser: Any, served: Served, admin_story: dict[str, Any], user: str, role: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    other = context.new_page()
    sign_in(other, served, user)
    other.goto(admin_story["request"])
    other.get_by_role("button", name=f"Approve as {role}").click()
    other.wait_for_url("**decided=approve")
    context.close()


@then(parsers.parse('customer "{name}" exists'))
def exists(served: Served, name: str) -> None:
    found = served.cm.customers.search(SETUP, CustomerQuery(name=name)).items
    assert [c.name for c in found] == [name]


@when("he opens a customer with a credit limit")
def opens(page: Any, served: Served, admin_story: dict[str, Any]) -> None:
    found = served.cm.customers.search(SETUP, CustomerQuery(kind="company", limit=200)).items
    target = next(c for c in found if c.credit_limit is not None)
    admin_story["limit"] = f"{target.credit_limit:,.2f}"
    page.goto(served.at(f"/admin/customers/{target.id}"))


@then('the credit limit and the credit position read "hidden for your role"')
def masked(page: Any, admin_story: dict[str, Any]) -> None:
    main = page.locator("main").inner_text()
    assert (
        "Credit limit\nhidden for your role" in main
        or "hidden for your role" in page.locator("dl").inner_text()
    )
    assert "figures hidden for your role" in main
    assert admin_story["limit"] not in main


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def _attach(page: Any, served: Served, story: dict[str, Any], tmp: Path, name: str, data: bytes) -> None:
    found = served.cm.customers.search(SETUP, CustomerQuery(kind="company", limit=10)).items
    target = found[3]
    story["customer"] = target
    (tmp / name).write_bytes(data)
    story["bytes"] = data
    page.goto(served.at(f"/admin/customers/{target.id}"))
    page.get_by_label("Document to attach").set_input_files(str(tmp / name))
    page.get_by_role("button", name="Upload the document").click()


@when(parsers.parse('she attaches the PDF "{name}" on a customer\'s page'))
def attaches_pdf(page: Any, served: Served, admin_story: dict[str, Any], tmp_path: Path, name: str) -> None:
    _attach(page, served, admin_story, tmp_path, name, PDF)
    page.wait_for_url("**#attachments")


@when(parsers.parse('she attaches an executable named "{name}" on a customer\'s page'))
def attaches_executable(
    page: Any, served: Served, admin_story: dict[str, Any], tmp_path: Path, name: str
) -> None:
    _attach(page, served, admin_story, tmp_path, name, ELF)


@then(parsers.parse('the page lists "{name}" as a PDF uploaded by "{user}"'))
def lists_document(page: Any, name: str, user: str) -> None:
    row = page.locator("#attachment-list tbody tr").filter(has_text=name).first
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "PDF"
    assert cells[2] == user


@then(parsers.parse('downloading "{name}" gives back the bytes she uploaded'))
def downloads(page: Any, admin_story: dict[str, Any], name: str) -> None:
    row = page.locator("#attachment-list tbody tr").filter(has_text=name).first
    with page.expect_download() as downloading:
        row.get_by_role("link", name=name, exact=True).click()
    assert downloading.value.suggested_filename == name
    assert Path(downloading.value.path()).read_bytes() == admin_story["bytes"]


@then(parsers.parse('the file field says "{words}"'))
def field_says(page: Any, words: str) -> None:
    assert page.get_by_label("Document to attach").get_attribute("aria-invalid") == "true"
    assert words in page.locator("#document-error").inner_text()


@then(parsers.parse('the customer keeps no document named "{name}"'))
def no_document(served: Served, admin_story: dict[str, Any], name: str) -> None:
    kept = served.cm.attachments.list(SETUP, admin_story["customer"].id)
    assert name not in [d.name for d in kept]


@when(parsers.re(r"(?:he|she) opens a customer with something overdue"))
def opens_owing(page: Any, served: Served, admin_story: dict[str, Any]) -> None:
    from customer_master.domain.aging import AgingQuery

    def read() -> Any:
        zone = served.cm.configuration.get(SETUP).settings.time_zone
        today = served.cm.context.clock.today(zone)
        report = served.cm.receivables.aging(SETUP, AgingQuery(as_of=today, limit=40))
        return next(x for x in report.lines if x.buckets is not None and x.buckets.overdue > 0)

    line = read_aside(read)
    admin_story["aging"] = line
    page.goto(served.at(f"/admin/customers/{line.customer_id}"))


@then(
    "its aging reads current, 1–30, 31–60, 61–90 and over 90 days and the total, "
    "each amount right-aligned with its currency"
)
def aging_buckets(page: Any, admin_story: dict[str, Any]) -> None:
    line = admin_story["aging"]
    headers = page.locator("#aging thead th").all_inner_texts()
    assert headers == ["Entity", "Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days", "Total"]
    row = page.locator("#aging tbody tr").filter(has_text=line.entity).first
    cells = row.locator("td")
    expected = [*line.buckets.amounts(), line.buckets.total]
    assert cells.all_inner_texts() == [f"{amount:,.2f} {line.currency}" for amount in expected]
    for i in range(cells.count()):
        assert cells.nth(i).evaluate("e => getComputedStyle(e).textAlign") == "right"


@then('its aging reads "figures hidden for your role" and shows no amount')
def aging_masked(page: Any, admin_story: dict[str, Any]) -> None:
    line = admin_story["aging"]
    table = page.locator("#aging").inner_text()
    assert "figures hidden for your role" in table
    assert line.currency not in table
    assert f"{line.buckets.total:,.2f}" not in page.locator("main").inner_text()


@when(parsers.parse('she downloads its statement as a PDF from "{start}" to today'))
def downloads_statement(page: Any, admin_story: dict[str, Any], start: str) -> None:
    page.get_by_label("From", exact=True).fill(start)
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the PDF").click()
    admin_story["pdf"] = Path(downloading.value.path()).read_bytes()


@then("the PDF names the customer and its balance due today")
def statement_pdf(admin_story: dict[str, Any]) -> None:
    import io

    from pypdf import PdfReader

    line = admin_story["aging"]
    data = admin_story["pdf"]
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert line.code in text
    assert f"{line.buckets.total:,.2f}" in text
