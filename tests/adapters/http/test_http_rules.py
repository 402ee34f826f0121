"""The rules over HTTP: credit checks fed by the receivables feed, credit holds and
one-time releases (SPEC R-5), payment schedules (R-6), price resolution (R-7) and merge
(R-8)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from http_support import Api, error_paths, problem_of

NET30 = {
    "name": "Net 30",
    "lines": [{"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 30}]}],
}


def amounts(figures: dict[str, str]) -> dict[str, Decimal]:
    """Figures as numbers: storages may differ in trailing zeros."""
    return {name: Decimal(value) for name, value in figures.items()}


def invoice(number: str, amount: str, *, due: str = "2026-03-31", entity: str = "MY01") -> dict[str, Any]:
    return {
        "number": number,
        "entity": entity,
        "document_date": "2026-02-28",
        "due_date": due,
        "amount": amount,
        "currency": "MYR",
    }


def test_the_worked_example_is_blocked_over_the_limit(api: Api) -> None:
    """R-5.6: limit 20,000, receivables 15,000, new order 10,000 → blocked, over_limit."""
    customer = api.create_customer(credit_limit="20000")
    assert api.post(f"/customers/{customer['id']}/invoices", invoice("INV-1", "15000")).status_code == 201
    response = api.post(f"/customers/{customer['id']}/credit-check", {"entity": "MY01", "amount": "10000"})
    assert response.status_code == 200
    decision = response.json
    assert decision["outcome"] == "blocked"
    assert [r["code"] for r in decision["reasons"]] == ["over_limit"]
    exposure = amounts(decision["exposure"])
    assert exposure == {"receivables": 15000, "open_orders": 0, "document": 10000, "total": 25000}
    assert Decimal(decision["available"]) == -5000
    assert decision["releasable"] is True


def test_the_feed_moves_exposure_both_ways(api: Api) -> None:
    customer = api.create_customer(credit_limit="20000")
    path = f"/customers/{customer['id']}"
    api.post(f"{path}/invoices", invoice("INV-1", "15000"))
    credit = {
        "number": "CN-1",
        "entity": "MY01",
        "document_date": "2026-03-01",
        "amount": "4000",
        "currency": "MYR",
    }
    assert api.post(f"{path}/credit-notes", credit).json["kind"] == "credit_note"
    payment = credit | {"number": "PAY-1", "amount": "1000"}
    assert api.post(f"{path}/payments", payment).json["balance"] == "1000"
    order = {"number": "SO-1", "entity": "MY01", "amount": "2500", "currency": "MYR"}
    assert api.post(f"{path}/open-orders", order).status_code == 201
    at_limit = api.post(f"{path}/credit-check", {"entity": "MY01", "amount": "7500"}).json
    assert amounts(at_limit["exposure"]) == {
        "receivables": 10000,
        "open_orders": 2500,
        "document": 7500,
        "total": 20000,
    }
    assert (at_limit["outcome"], Decimal(at_limit["available"])) == ("approved", 0)
    over = api.post(f"{path}/credit-check", {"entity": "MY01", "amount": "7500.01"}).json
    assert (over["outcome"], Decimal(over["available"])) == ("blocked", Decimal("-0.01"))


def test_the_feed_refuses_unknown_entities_and_currencies(api: Api) -> None:
    customer = api.create_customer()
    bad = invoice("INV-1", "10") | {"entity": "XX99", "currency": "XYZ"}
    response = api.post(f"/customers/{customer['id']}/invoices", bad)
    problem_of(response, 422)
    assert error_paths(response) == {"entity": "unknown_entity", "currency": "invalid"}
    missing = api.post(f"/customers/{customer['id']}/invoices", {"number": "INV-2"})
    problem_of(missing, 422)
    assert set(error_paths(missing)) == {"entity", "document_date", "due_date", "amount", "currency"}


def test_an_overdue_invoice_blocks_and_a_hold_blocks_whatever_the_figures(api: Api) -> None:
    customer = api.create_customer(credit_limit="100000")
    path = f"/customers/{customer['id']}"
    api.post(f"{path}/invoices", invoice("INV-OLD", "100", due="2026-01-31"))
    overdue = api.post(f"{path}/credit-check", {"entity": "MY01", "amount": "10"}).json
    assert [r["code"] for r in overdue["reasons"]] == ["overdue"]

    other = api.create_customer(name="Bukit Foods", email="ap@bukit.my", credit_limit="100000")
    held = api.put(f"/customers/{other['id']}/credit-hold", {"reason": "Cheque returned unpaid"})
    assert held.status_code == 200
    assert held.json["customer"]["credit_hold"]["reason"] == "Cheque returned unpaid"
    blocked = api.post(f"/customers/{other['id']}/credit-check", {"entity": "MY01", "amount": "1"}).json
    assert (blocked["outcome"], [r["code"] for r in blocked["reasons"]]) == ("blocked", ["credit_hold"])
    released = api.delete(f"/customers/{other['id']}/credit-hold")
    assert released.json["customer"]["credit_hold"] is None
    assert (
        api.post(f"/customers/{other['id']}/credit-check", {"entity": "MY01", "amount": "1"}).json["outcome"]
        == "approved"
    )


def test_a_released_document_passes_once(api: Api) -> None:
    customer = api.create_customer(credit_limit="0")
    path = f"/customers/{customer['id']}"
    check = {"entity": "MY01", "amount": "500", "document_ref": "SO-42"}
    assert api.post(f"{path}/credit-check", check).json["outcome"] == "blocked"
    release = {"document_ref": "SO-42", "reason": "CFO approved by phone"}
    assert api.post(f"{path}/credit-releases", release).status_code == 201
    first = api.post(f"{path}/credit-check", check).json
    assert (first["outcome"], first["released"]) == ("warning", True)
    assert api.post(f"{path}/credit-check", check).json["outcome"] == "blocked"
    problem_of(api.post(f"{path}/credit-releases", {"document_ref": " ", "reason": "x"}), 422)


def test_credit_check_parameters_are_checked(api: Api) -> None:
    customer = api.create_customer()
    path = f"/customers/{customer['id']}/credit-check"
    response = api.post(path, {"entity": "MY01", "amount": "lots", "document_type": "wish"})
    problem_of(response, 422)
    assert set(error_paths(response)) == {"amount", "document_type"}
    problem_of(api.post(path, {"entity": "XX99", "amount": "1"}), 404)


def test_payment_schedule_of_an_invoice(api: Api) -> None:
    assert api.put("/configuration/payment-terms/NET30", NET30).status_code == 200
    customer = api.create_customer(payment_terms="NET30")
    path = f"/customers/{customer['id']}/payment-schedule"
    response = api.get(f"{path}?entity=MY01&invoice_date=2026-01-31&amount=1200.00")
    assert response.status_code == 200
    assert response.json == {
        "terms": "NET30",
        "installments": [
            {"due_date": "2026-03-02", "amount": "1200.00", "discount_date": None, "discount_amount": "0.00"}
        ],
        "due_date": "2026-03-02",
    }
    cod = api.get(f"{path}?entity=MY01&invoice_date=2026-01-31&amount=99&terms=NOPE")
    problem_of(cod, 404)
    bad = api.get(f"{path}?entity=MY01&invoice_date=31/01/2026&amount=x")
    problem_of(bad, 422)
    assert set(error_paths(bad)) == {"invoice_date", "amount"}


def test_schedule_under_tenant_terms_splits_exactly(api: Api) -> None:
    terms = {
        "name": "Thirds",
        "lines": [
            {"portion": {"kind": "percent", "value": "33.333333"}, "due": [{"add_days": 30}]},
            {"portion": {"kind": "percent", "value": "33.333333"}, "due": [{"add_days": 60}]},
            {"portion": {"kind": "remainder", "value": None}, "due": [{"add_days": 90}]},
        ],
    }
    assert api.put("/configuration/payment-terms/3X30", terms).status_code == 200
    response = api.get(
        "/configuration/payment-terms/3X30/schedule?invoice_date=2026-01-01&amount=100&currency=USD"
    )
    assert [i["amount"] for i in response.json] == ["33.33", "33.33", "33.34"]


@pytest.mark.parametrize(
    ("quantity", "price", "source"), [("10", "1.00", "standard:STD"), ("250", "0.90", "standard:STD")]
)
def test_price_resolution_names_the_source(api: Api, quantity: str, price: str, source: str) -> None:
    api.put(
        "/configuration/price-lists/STD",
        {
            "name": "Standard",
            "currency": "MYR",
            "lines": [
                {"item_code": "BOLT", "unit_price": "1.00"},
                {"item_code": "BOLT", "unit_price": "0.90", "min_quantity": "100"},
            ],
        },
    )
    assert api.patch("/configuration/settings", {"standard_price_list": "STD"}).status_code == 200
    customer = api.create_customer()
    response = api.get(f"/customers/{customer['id']}/price?entity=MY01&item=BOLT&quantity={quantity}")
    assert response.status_code == 200
    assert (response.json["unit_price"], response.json["source"], response.json["found"]) == (
        price,
        source,
        True,
    )
    assert [s["code"] for s in response.json["skipped"]] == [
        "no_matching_tier",
        "last_price_off",
        "no_default_list",
    ]


def test_last_invoiced_rate_wins_when_the_tenant_uses_it(api: Api) -> None:
    api.patch("/configuration/settings", {"use_last_price": True})
    customer = api.create_customer()
    rate = {"item": "BOLT", "unit_price": "0.75", "currency": "MYR", "invoiced_on": "2026-02-01"}
    assert api.post(f"/customers/{customer['id']}/invoiced-rates", rate).status_code == 201
    price = api.get(f"/customers/{customer['id']}/price?entity=MY01&item=BOLT&quantity=1&on=2026-03-01").json
    assert (price["source"], price["unit_price"]) == ("last_price", "0.75")
    none = api.get(f"/customers/{customer['id']}/price?entity=MY01&item=NUT&quantity=1").json
    assert (none["found"], none["unit_price"]) == (False, None)


def test_merge_moves_records_to_the_target(api: Api) -> None:
    source = api.create_customer(
        name="Harbourfront Foods Pte. Ltd.",
        contacts=[{"name": "Mei Tan", "email": "mei@harbourfront.sg"}],
    )
    target = api.create_customer(name="Harbourfront Foods Pte Ltd", email="accounts@harbourfront.sg")
    response = api.post(f"/customers/{source['id']}/merge", {"target_id": target["id"]})
    assert response.status_code == 200
    assert response.json["source"]["merged_into"] == target["id"]
    assert [c["name"] for c in response.json["target"]["contacts"]] == ["Mei Tan"]
    again = problem_of(api.post(f"/customers/{source['id']}/merge", {"target_id": target["id"]}), 422)
    assert again["code"]
    problem_of(api.post(f"/customers/{source['id']}/merge", {}), 422)
