"""Signing in and out of the admin in a real browser (R-16.5, R-12)."""

from __future__ import annotations

from typing import Any

import pytest
from admin_browser import Served, check_page, sign_in

pytestmark = pytest.mark.xdist_group("browser")

# The focused element's text and outline: a visible focus has an outline.
FOCUSED = """(() => {
  const s = getComputedStyle(document.activeElement);
  return [document.activeElement.textContent, s.outlineStyle, s.outlineWidth];
})()"""


def test_sign_in_keeps_the_key_in_a_secure_http_only_cookie_and_sign_out_ends_it(
    page: Any, served: Served
) -> None:
    page.goto(served.at("/admin/customers"))
    assert "/admin/sign-in" in page.url
    assert check_page(page, "01-sign-in") == []
    page.get_by_label("API key").fill("cm_nothere_wrong")
    page.get_by_role("button", name="Sign in").click()
    assert "unknown or revoked" in page.get_by_role("alert").inner_text()
    assert check_page(page, "02-sign-in-refused") == []
    sign_in(page, served, "ana")
    assert page.get_by_role("heading", level=1).inner_text() == "Customers"
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "cm_admin"]
    assert cookie["httpOnly"] is True
    assert cookie["secure"] is True
    assert cookie["sameSite"] == "Strict"
    assert served.keys["ana"] not in page.content()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/admin/sign-in")
    page.goto(served.at("/admin/approvals"))
    assert "/admin/sign-in" in page.url


def test_a_form_without_its_csrf_token_is_refused(page: Any, served: Served) -> None:
    sign_in(page, served, "ana")
    response = page.request.post(
        served.at("/admin/customers/new"), form={"name": "Sneaky", "kind": "company"}
    )
    assert response.status == 403
    assert "did not come from this site" in response.text()


def test_the_admin_works_with_the_keyboard_alone_and_shows_where_the_focus_is(
    page: Any, served: Served
) -> None:
    page.goto(served.at("/admin/sign-in"))
    assert page.evaluate("document.activeElement.id") == "api_key"  # the one field has the focus
    page.keyboard.type(served.keys["carlos"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/customers**")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused[0] == "Skip to the content"
    assert focused[1] != "none"
    for _ in range(4):  # the brand, Customers, New customer, Approvals
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Approvals"
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/approvals")
    assert page.get_by_role("heading", level=1).inner_text() == "Approvals"
