"""Hostile input over HTTP (SPEC R-3.3, R-16.2): every bad value is a 4xx problem naming
the field, on SQLite and PostgreSQL alike, and nothing bad is stored.

The findings of issue 15, each a case here: more than 6 decimals or an amount past the
range every storage holds on the receivables feed (was 500), NUL in a name, a note or a
query parameter (was 500 on PostgreSQL, stored on SQLite), a body nested 2,000 deep or a
5,000-digit integer (was 500), a credit limit of 1e400 (was stored).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from http_support import Api, error_paths, problem_of, sqlite_or_postgresql

from customer_master.domain.attachments import DEFAULT_LIMIT
from customer_master_http.limits import MAX_BODY

INVOICE = {
    "number": "INV-1",
    "entity": "MY01",
    "document_date": "2026-01-31",
    "due_date": "2026-03-02",
    "amount": "1500.00",
    "currency": "MYR",
}
CREDIT = {k: v for k, v in INVOICE.items() if k != "due_date"}
ORDER = {"number": "SO-1", "entity": "MY01", "amount": "10.00", "currency": "MYR"}
FEEDS = {"invoices": INVOICE, "credit-notes": CREDIT, "payments": CREDIT, "open-orders": ORDER}


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """This module runs on SQLite and PostgreSQL, where the findings were."""
    return sqlite_or_postgresql(request, tmp_path)


@pytest.fixture
def customer(api: Api) -> str:
    return str(api.create_customer(credit_limit="5000")["id"])


@pytest.mark.parametrize("feed", sorted(FEEDS))
@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("1500.1234567", "invalid"),  # more than 6 places: was a ValueError in the SQL adapter
        ("1500.123", "too_many_places"),  # more than MYR's 2 places
        ("10000000000000", "invalid"),  # 1e13: was an OverflowError on SQLite
        ("1E+15", "invalid"),  # the old documented maximum
        ("1e400", "invalid"),
    ],
)
def test_a_receivables_amount_past_the_boundary_is_a_422(
    api: Api, customer: str, feed: str, amount: str, code: str
) -> None:
    response = api.post(f"/customers/{customer}/{feed}", {**FEEDS[feed], "amount": amount})

    body = problem_of(response, 422)
    assert error_paths(response) == {"amount": code}
    assert amount.lower() in body["errors"][0]["message"].lower()
    check = api.post(f"/customers/{customer}/credit-check", {"entity": "MY01", "amount": "1"}).json
    assert check["exposure"]["receivables"] in ("0", "0.00")
    assert check["exposure"]["open_orders"] in (
        "0",
        "0.00",
    )


def test_the_largest_amount_is_stored_exactly(api: Api, customer: str) -> None:
    largest = "999999999999.99"
    response = api.post(f"/customers/{customer}/invoices", {**INVOICE, "amount": largest})
    assert response.status_code == 201, response.json

    check = api.post(f"/customers/{customer}/credit-check", {"entity": "MY01", "amount": "0.01"}).json
    assert check["exposure"]["receivables"] == largest


@pytest.mark.parametrize("limit", ["1e400", "1E+15", "1000000000000", "12.1234567", "NaN", True])
def test_an_absurd_credit_limit_is_refused(api: Api, customer: str, limit: object) -> None:
    created = api.post(
        "/customers",
        {"name": "Absurd", "kind": "individual", "legal_entity": "MY01", "credit_limit": limit},
    )
    assert list(error_paths(problem_of(created, 422) and created)) == ["credit_limit"]

    current = api.get(f"/customers/{customer}")
    patched = api.patch(
        f"/customers/{customer}", {"credit_limit": limit}, headers={"If-Match": current.headers["ETag"]}
    )
    assert error_paths(patched) == {"credit_limit": error_paths(created)["credit_limit"]}
    assert api.get(f"/customers/{customer}").json["credit_limit"] == "5000"


@pytest.mark.parametrize("amount", ["1e400", "1E+13", "0.12345678", "NaN", "Infinity"])
def test_rule_amounts_past_the_boundary_are_refused(api: Api, customer: str, amount: str) -> None:
    check = api.post(f"/customers/{customer}/credit-check", {"entity": "MY01", "amount": amount})
    assert error_paths(check) == {"amount": "invalid"}
    price = api.get(f"/customers/{customer}/price?entity=MY01&item=BOLT&quantity={amount}")
    assert error_paths(price) == {"quantity": "invalid"}
    schedule = api.get(
        f"/customers/{customer}/payment-schedule?entity=MY01&invoice_date=2026-01-01&amount={amount}"
    )
    assert error_paths(schedule) == {"amount": "invalid"}


@pytest.mark.parametrize("bad", ["Kedai\x00Ali", "Kedai\x1bAli", "Kedai\ud800Ali", "\x7f"])
def test_control_characters_in_a_name_or_note_are_refused(api: Api, customer: str, bad: str) -> None:
    created = api.post("/customers", {"name": bad, "kind": "company", "legal_entity": "MY01"})
    assert error_paths(created) == {"name": "control_character"}
    note = api.post(f"/customers/{customer}/notes", {"text": f"Called {bad}"})
    assert error_paths(note) == {"text": "control_character"}
    nested = api.post(
        "/customers",
        {"name": "Ok", "kind": "company", "legal_entity": "MY01", "addresses": [{"city": bad}]},
    )
    assert error_paths(nested) == {"addresses[0].city": "control_character"}

    assert api.get(f"/customers/{customer}/notes").json == []
    assert [c["name"] for c in api.get("/customers?status=any").json["items"]] == ["Kedai Runcit Ali Sdn Bhd"]


def test_tabs_and_line_breaks_in_a_note_are_kept(api: Api, customer: str) -> None:
    note = api.post(f"/customers/{customer}/notes", {"text": "Called\n\tagain\r\nlater"})
    assert note.status_code == 201, note.json
    assert note.json["text"] == "Called\n\tagain\r\nlater"


@pytest.mark.parametrize(
    "path",
    [
        "/customers?name=ked%00ai",
        "/customers?email=a%00@b.my",
        "/customers?tax_id=%00",
        "/customers?tag=%01",
        "/customers/lookup/CUS%00",
        "/exports?name=%00",
        "/change-requests?customer_id=%00",
        "/customers/%00",
        "/customers?na%00me=x",
    ],
)
def test_control_characters_in_query_parameters_are_refused(api: Api, customer: str, path: str) -> None:
    response = api.get(path)
    body = problem_of(response, 422)
    assert body["errors"][0]["code"] == "control_character"


def test_a_body_nested_2000_deep_is_a_400(api: Api, customer: str) -> None:
    deep = '{"name": ' + "[" * 2000 + "]" * 2000 + "}"
    response = api.post("/customers", data=deep, content_type="application/json")
    assert "nests more than" in problem_of(response, 400)["detail"]
    hidden = '{"name": "' + "[" * 2000 + '", "kind": "company", "legal_entity": "MY01"}'
    assert api.post("/customers", data=hidden, content_type="application/json").status_code == 422


def test_a_5000_digit_integer_is_a_400(api: Api, customer: str) -> None:
    body = '{"entity": "MY01", "amount": ' + "9" * 5000 + "}"
    response = api.post(f"/customers/{customer}/credit-check", data=body, content_type="application/json")
    assert "more than 64 digits" in problem_of(response, 400)["detail"]
    huge = '{"entity": "MY01", "amount": ' + "9" * 30 + "}"
    too_large = api.post(f"/customers/{customer}/credit-check", data=huge, content_type="application/json")
    assert error_paths(too_large) == {"amount": "invalid"}


def test_a_body_past_the_size_limit_is_a_413(app: Flask, api: Api, customer: str) -> None:
    # The larger of the JSON limit and a document at the attachment limit with its envelope.
    assert app.config["MAX_CONTENT_LENGTH"] == max(MAX_BODY, DEFAULT_LIMIT + 1024 * 1024)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    body = json.dumps({"text": "x" * 2048})
    response = api.post(f"/customers/{customer}/notes", data=body, content_type="application/json")
    assert problem_of(response, 413)["type"] == "/problems/payload-too-large"


def test_gunicorn_is_configured_with_request_limits() -> None:
    from customer_master_cli import serve

    captured: dict[str, Any] = {}

    class Recording(serve.ApiServer):  # type: ignore[misc]
        def run(self) -> None:
            captured.update(self.options)

    original = serve.ApiServer
    serve.ApiServer = Recording
    try:
        serve.run_gunicorn("memory://", "127.0.0.1:0", workers=1)
    finally:
        serve.ApiServer = original
    assert captured["limit_request_line"] == 8190
    assert captured["limit_request_field_size"] == 8190
    assert captured["limit_request_fields"] == 100


def test_many_large_open_items_are_summed_exactly(api: Api, customer: str) -> None:
    """Each amount within the range, their sum past what SQLite sums as 64-bit millionths
    (9.2 × 10^12): the credit check adds them up exactly (was an integer overflow, 500)."""
    for n in range(12):
        posted = api.post(
            f"/customers/{customer}/invoices", {**INVOICE, "number": f"INV-{n}", "amount": "999999999999.99"}
        )
        assert posted.status_code == 201, posted.json

    check = api.post(f"/customers/{customer}/credit-check", {"entity": "MY01", "amount": "1"})

    assert check.status_code == 200, check.json
    assert Decimal(check.json["exposure"]["receivables"]) == Decimal("999999999999.99") * 12
    assert check.json["outcome"] == "blocked"
