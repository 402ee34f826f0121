"""Tenant configuration over HTTP (SPEC R-1.5, R-1.6, R-2.1, R-6.1, R-7.1, R-10.1, R-12)."""

from __future__ import annotations

from http_support import Api, error_paths, problem_of


def test_legal_entities(api: Api) -> None:
    added = api.put(
        "/configuration/legal-entities/TH01",
        {"name": "Acme Thailand", "currency": "THB", "letterhead": ["1 Sukhumvit Rd, Bangkok"]},
    )
    assert added.json == {
        "code": "TH01",
        "name": "Acme Thailand",
        "currency": "THB",
        "letterhead": ["1 Sukhumvit Rd, Bangkok"],
    }
    codes = [e["code"] for e in api.get("/configuration/legal-entities").json]
    assert codes == ["MY01", "SG01", "US01", "TH01"]
    bad = api.put("/configuration/legal-entities/th 01", {"currency": "Baht"})
    problem_of(bad, 422)
    assert set(error_paths(bad)) == {"code", "name", "currency"}


def test_settings_change_only_what_is_given(api: Api) -> None:
    before = api.get("/configuration/settings").json
    assert before["credit"]["policy"] == "block"
    changed = api.patch("/configuration/settings", {"credit_policy": "warn", "grace_days": 5})
    assert changed.status_code == 200
    assert (changed.json["credit"]["policy"], changed.json["credit"]["grace_days"]) == ("warn", 5)
    assert changed.json["code_prefix"] == before["code_prefix"]
    refused = api.patch(
        "/configuration/settings", {"rounding": "up", "code_width": 99, "standard_price_list": "X"}
    )
    problem_of(refused, 422)
    problem_of(api.patch("/configuration/settings", {"favourite_colour": "blue"}), 422)


def test_classifications_restrict_customer_values(api: Api) -> None:
    response = api.put("/configuration/classifications/tier", {"values": ["Gold", "Silver"]})
    assert response.json["tier"] == ["Gold", "Silver"]
    assert api.get("/configuration/classifications").json == {"tier": ["Gold", "Silver"]}
    refused = api.post(
        "/customers",
        {
            "name": "X Sdn Bhd",
            "kind": "company",
            "legal_entity": "MY01",
            "email": "x@x.my",
            "tier": "Platinum",
        },
    )
    assert "Gold" in problem_of(refused, 422)["errors"][0]["message"]
    problem_of(api.put("/configuration/classifications/colour", {"values": ["red"]}), 422)
    problem_of(api.put("/configuration/classifications/tier", {"values": "Gold"}), 422)


def test_dimension_types_and_custom_fields(api: Api) -> None:
    dims = api.put("/configuration/dimension-types/department", {"values": ["SALES-EU", "SALES-APAC"]})
    assert dims.json == {"name": "department", "values": ["SALES-EU", "SALES-APAC"]}
    assert api.get("/configuration/dimension-types").json == [dims.json]
    field = api.put("/configuration/custom-fields/channel", {"type": "choice", "choices": ["web", "pos"]})
    assert field.json == {"name": "channel", "type": "choice", "required": False, "choices": ["web", "pos"]}
    assert [f["name"] for f in api.get("/configuration/custom-fields").json] == ["channel"]
    problem_of(api.put("/configuration/custom-fields/x", {"type": "colour"}), 422)


def test_payment_terms_lifecycle(api: Api) -> None:
    terms = {
        "name": "2% 10, net 30",
        "lines": [
            {
                "portion": {"kind": "remainder", "value": None},
                "due": [{"add_days": 30}],
                "discount": {"percent": "2", "days": 10},
            },
        ],
    }
    saved = api.put("/configuration/payment-terms/2-10-NET30", terms)
    assert saved.status_code == 200
    assert saved.json["lines"][0]["discount"] == {"percent": "2", "days": 10}
    assert api.get("/configuration/payment-terms/2-10-NET30").json == saved.json
    assert [t["code"] for t in api.get("/configuration/payment-terms").json] == ["2-10-NET30"]
    short = {"name": "Half", "lines": [{"portion": {"kind": "percent", "value": "50"}, "due": []}]}
    assert (
        problem_of(api.put("/configuration/payment-terms/HALF", short), 422)["errors"][0]["code"]
        == "not_covering"
    )

    customer = api.create_customer(payment_terms="2-10-NET30")
    in_use = problem_of(api.delete("/configuration/payment-terms/2-10-NET30"), 422)
    assert in_use["code"] == "in_use"
    api.patch(f"/customers/{customer['id']}", {"payment_terms": None}, headers={"If-Match": '"1"'})
    assert api.delete("/configuration/payment-terms/2-10-NET30").status_code == 204
    problem_of(api.get("/configuration/payment-terms/2-10-NET30"), 404)
    problem_of(api.delete("/configuration/payment-terms/2-10-NET30"), 404)


def test_price_lists_lifecycle(api: Api) -> None:
    body = {"name": "Standard", "currency": "MYR", "lines": [{"item_code": "BOLT", "unit_price": "1.00"}]}
    saved = api.put("/configuration/price-lists/STD", body)
    assert saved.json["lines"][0]["unit_price"] == "1.00"
    assert api.get("/configuration/price-lists/STD").json == saved.json
    api.patch("/configuration/settings", {"standard_price_list": "STD"})
    assert problem_of(api.delete("/configuration/price-lists/STD"), 422)["code"] == "in_use"
    api.put("/configuration/price-lists/OLD", body)
    assert api.delete("/configuration/price-lists/OLD").status_code == 204
    assert [p["code"] for p in api.get("/configuration/price-lists").json] == ["STD"]
    problem_of(api.get("/configuration/price-lists/OLD"), 404)


def test_roles_and_approval_lanes(api: Api) -> None:
    roles = {r["name"]: r["permissions"] for r in api.get("/configuration/roles").json}
    assert roles["viewer"] == ["customer.read"]
    changed = api.put("/configuration/roles/viewer", {"permissions": ["customer.read", "audit.read"]})
    assert changed.json == {"name": "viewer", "permissions": ["audit.read", "customer.read"]}
    problem_of(api.put("/configuration/roles/viewer", {"permissions": ["fly"]}), 422)

    lanes = api.put("/configuration/approval-lanes/create", {"lane": "yellow", "kind": "company"})
    assert {"operation": "create", "lane": "yellow", "kind": "company"} in lanes.json["rules"]
    steps = api.put("/configuration/approval-steps/yellow", {"roles": ["ar_manager"]})
    assert steps.json["steps"]["yellow"] == ["ar_manager"]
    problem_of(api.put("/configuration/approval-lanes/teleport", {"lane": "green"}), 422)
    problem_of(api.put("/configuration/approval-lanes/create", {"lane": "purple"}), 422)

    everything = api.get("/configuration").json
    assert everything["tenant"] == "acme"
    assert [e["code"] for e in everything["entities"]] == ["MY01", "SG01", "US01"]
    assert everything["settings"]["approvals"]["steps"]["yellow"] == ["ar_manager"]
