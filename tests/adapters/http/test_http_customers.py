"""The customer resources over HTTP: create, read with ETag, partial update with
If-Match, deactivate and reactivate, look-up, search with keyset pagination, effective
views and entity enablement, hard delete (SPEC R-1 to R-4, R-14, R-16.2)."""

from __future__ import annotations

from http_support import Api, Keys, error_paths, problem_of

from customer_master import CustomerMaster


def test_create_returns_the_customer_with_location_etag_and_warnings(api: Api) -> None:
    body = """{
        "name": "Kedai Runcit Ali Sdn Bhd", "kind": "company", "legal_entity": "MY01",
        "email": "AP@Kedai-Ali.MY", "credit_limit": 2500000.00, "currency": "MYR",
        "addresses": [{"purposes": ["billing"], "default_for": ["billing"], "line1": "12 Jalan Ampang",
                       "city": "Kuala Lumpur", "country": "my"}],
        "contacts": [{"name": "Siti Aminah", "roles": ["accounts_payable"], "is_primary": true}]
    }"""
    response = api.request("POST", "/customers", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    customer = response.json["customer"]
    assert customer["code"] == "CUS-0001"
    assert customer["credit_limit"] == "2500000.00"  # a JSON number is read exactly
    assert customer["addresses"][0]["country"] == "MY"
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/customers/{customer['id']}"
    assert [w["code"] for w in response.json["warnings"]] == ["large_credit_limit"]


def test_create_reports_every_problem_at_once_with_paths(api: Api) -> None:
    response = api.post(
        "/customers",
        {
            "name": " ",
            "kind": "person",
            "legal_entity": "XX99",
            "email": "not-an-email",
            "addresses": [
                {"purposes": ["billing"], "line1": "1 Main", "city": "Springfield", "country": "ZZ"}
            ],
        },
    )
    problem = problem_of(response, 422)
    assert problem["type"] == "/problems/validation-failed"
    assert error_paths(response) == {
        "name": "blank",
        "kind": "not_allowed",
        "legal_entity": "unknown_entity",
        "email": "invalid",
        "addresses[0].country": "invalid",
    }
    assert all(e["message"] for e in problem["errors"])


def test_unknown_top_level_field_is_refused_at_the_boundary(api: Api) -> None:
    response = api.post(
        "/customers", {"name": "X", "kind": "company", "legal_entity": "MY01", "colour": "red"}
    )
    problem_of(response, 422)
    assert error_paths(response) == {"colour": "unknown_field"}


def test_malformed_json_and_wrong_media_type_are_problems(api: Api) -> None:
    broken = api.request("POST", "/customers", data="{name:", headers={"Content-Type": "application/json"})
    assert problem_of(broken, 400)["type"] == "/problems/malformed-request"
    form = api.request("POST", "/customers", data="name=x", headers={"Content-Type": "text/plain"})
    problem_of(form, 415)
    not_object = api.post("/customers", ["a", "list"])
    assert problem_of(not_object, 422)["errors"][0]["path"] == "$"


def test_read_carries_the_version_as_etag_and_honours_if_none_match(api: Api) -> None:
    customer = api.create_customer()
    response = api.get(f"/customers/{customer['id']}")
    assert response.status_code == 200
    assert response.json["name"] == "Kedai Runcit Ali Sdn Bhd"
    assert response.headers["ETag"] == '"1"'
    cached = api.get(f"/customers/{customer['id']}", headers={"If-None-Match": '"1"'})
    assert cached.status_code == 304


def test_update_needs_if_match_and_refuses_a_stale_version(api: Api) -> None:
    customer = api.create_customer()
    path = f"/customers/{customer['id']}"
    missing = api.patch(path, {"name": "Kedai Ali"})
    assert problem_of(missing, 428)["type"] == "/problems/precondition-required"
    garbage = api.patch(path, {"name": "Kedai Ali"}, headers={"If-Match": "yesterday"})
    problem_of(garbage, 400)

    changed = api.patch(path, {"name": "Kedai Ali"}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200
    assert changed.json["customer"]["name"] == "Kedai Ali"
    assert changed.headers["ETag"] == '"2"'

    stale = api.patch(path, {"name": "Kedai Ali Lama"}, headers={"If-Match": '"1"'})
    problem = problem_of(stale, 412)
    assert problem["current_version"] == 2
    assert stale.headers["ETag"] == '"2"'
    assert api.get(path).json["name"] == "Kedai Ali"


def test_related_records_change_through_actions_all_or_nothing(api: Api) -> None:
    customer = api.create_customer(
        addresses=[
            {
                "purposes": ["billing"],
                "default_for": ["billing"],
                "line1": "12 Jalan Ampang",
                "city": "Kuala Lumpur",
                "country": "MY",
            }
        ]
    )
    path = f"/customers/{customer['id']}"
    address_id = customer["addresses"][0]["id"]
    refused = api.patch(
        path,
        {
            "addresses": [
                {"action": "update", "id": address_id, "city": "Petaling Jaya"},
                {"action": "delete", "id": "no-such-address"},
            ]
        },
        headers={"If-Match": '"1"'},
    )
    problem_of(refused, 422)
    assert error_paths(refused) == {"addresses[1].id": "unknown_id"}
    assert api.get(path).json["addresses"][0]["city"] == "Kuala Lumpur"

    applied = api.patch(
        path,
        {
            "addresses": [
                {"action": "update", "id": address_id, "city": "Petaling Jaya"},
                {
                    "action": "add",
                    "purposes": ["site"],
                    "label": "Port Klang Warehouse",
                    "line1": "Lot 5",
                    "city": "Klang",
                    "country": "MY",
                },
            ]
        },
        headers={"If-Match": '"1"'},
    )
    assert applied.status_code == 200
    assert sorted(a["city"] for a in applied.json["customer"]["addresses"]) == ["Klang", "Petaling Jaya"]


def test_deactivate_and_reactivate_need_the_version(api: Api) -> None:
    customer = api.create_customer()
    path = f"/customers/{customer['id']}"
    problem_of(api.post(f"{path}/deactivate"), 428)
    inactive = api.post(f"{path}/deactivate", headers={"If-Match": '"1"'})
    assert inactive.status_code == 200
    assert inactive.json["customer"]["status"] == "inactive"
    assert api.get("/customers").json["items"] == []  # hidden from default lists
    assert api.get(path).status_code == 200  # still readable by id
    active = api.post(f"{path}/reactivate", headers={"If-Match": inactive.headers["ETag"]})
    assert active.json["customer"]["status"] == "active"


def test_lookup_by_code_and_a_merged_customer_leads_to_its_target(api: Api) -> None:
    source = api.create_customer(name="Harbourfront Foods Pte. Ltd.")
    target = api.create_customer(name="Harbourfront Foods Pte Ltd", email="accounts@harbourfront.sg")
    by_code = api.get("/customers/lookup/cus-0001")
    assert by_code.json["customer"]["id"] == source["id"]
    assert by_code.json["redirected_from"] is None
    assert api.post(f"/customers/{source['id']}/merge", {"target_id": target["id"]}).status_code == 200
    redirected = api.get(f"/customers/lookup/{source['code']}")
    assert redirected.json["customer"]["id"] == target["id"]
    assert redirected.json["redirected_from"] == {"id": source["id"], "code": source["code"]}
    problem_of(api.get("/customers/lookup/CUS-9999"), 404)


def test_search_filters_and_pages_by_keyset(api: Api) -> None:
    for name in ("Ánh Dương Trading", "Anchor Supplies", "Bukit Foods", "Anson Hardware", "Zeta Networks"):
        api.create_customer(name=name, region="Penang" if name.lower()[0] in "aá" else None)
    first = api.get("/customers?name=an&sort=name&limit=2")
    assert [c["name"] for c in first.json["items"]] == ["Anchor Supplies", "Ánh Dương Trading"]
    cursor = first.json["next_cursor"]
    assert cursor is not None
    assert 'rel="next"' in first.headers["Link"]
    second = api.get(f"/customers?name=an&sort=name&limit=2&after={cursor}")
    assert [c["name"] for c in second.json["items"]] == ["Anson Hardware"]
    assert second.json["next_cursor"] is None
    assert "Link" not in second.headers
    by_region = api.get("/customers?region=Penang")
    assert {c["name"] for c in by_region.json["items"]} == {
        "Ánh Dương Trading",
        "Anchor Supplies",
        "Anson Hardware",
    }


def test_search_refuses_bad_parameters(api: Api) -> None:
    zero = api.get("/customers?limit=0")
    problem_of(zero, 422)
    assert error_paths(zero) == {"limit": "invalid"}
    problem_of(api.get("/customers?sort=colour"), 422)
    problem_of(api.get("/customers?after=%%%"), 422)
    loose = api.get("/customers?name=acme&name_match=loose")
    problem_of(loose, 422)
    assert error_paths(loose) == {"name_match": "invalid"}


def test_fuzzy_search_finds_a_mistyped_name_best_match_first_page_by_page(api: Api) -> None:
    for name in ("Acme Tradings Co", "Acme Trading", "Kedai Makmur Sdn Bhd", "Zeta Networks"):
        api.create_customer(name=name)
    assert api.get("/customers?name=Acme%20Trdaing").json["items"] == []
    first = api.get("/customers?name=Acme%20Trdaing&name_match=fuzzy&limit=1")
    assert [c["name"] for c in first.json["items"]] == ["Acme Trading"]
    assert "name_match=fuzzy" in first.headers["Link"]
    cursor = first.json["next_cursor"]
    second = api.get(f"/customers?name=Acme%20Trdaing&name_match=fuzzy&limit=1&after={cursor}")
    assert [c["name"] for c in second.json["items"]] == ["Acme Tradings Co"]
    assert second.json["next_cursor"] is None
    kedai = api.get("/customers?name=kedai%20makmer&name_match=fuzzy")
    assert [c["name"] for c in kedai.json["items"]] == ["Kedai Makmur Sdn Bhd"]


def test_effective_view_and_entity_enablement(api: Api) -> None:
    customer = api.create_customer(
        credit_limit="50000", payment_terms=None, overrides=[{"entity": "SG01", "credit_limit": "20000"}]
    )
    path = f"/customers/{customer['id']}/entities/SG01"
    view = api.get(path)
    assert view.status_code == 200
    assert view.json["customer"]["credit_limit"] == "20000"
    assert view.json["overridden"] == ["credit_limit"]
    assert view.json["is_enabled"] is False
    problem_of(api.put(path), 428)
    enabled = api.put(path, headers={"If-Match": view.headers["ETag"]})
    assert enabled.json["customer"]["enabled_entities"] == ["SG01"]
    assert api.get(path).json["is_enabled"] is True
    disabled = api.delete(path, headers={"If-Match": enabled.headers["ETag"]})
    assert disabled.json["customer"]["enabled_entities"] == []
    problem_of(api.get(f"/customers/{customer['id']}/entities/XX99"), 404)


def test_hard_delete_removes_a_customer_without_history(api: Api, keys: Keys, cm: CustomerMaster) -> None:
    customer = api.create_customer()
    submitted = api.delete(f"/customers/{customer['id']}")
    assert submitted.status_code == 202  # the red lane, which no tenant may lower
    request_id = submitted.json["change_request"]["id"]
    ar_manager = cm.access.create_api_key("acme", "rudi", ("ar_manager",))[0]
    for key in (ar_manager, keys.controller, keys.cfo):
        assert api.as_(key).post(f"/change-requests/{request_id}/approve", {}).status_code == 200
    problem_of(api.get(f"/customers/{customer['id']}"), 404)

    kept = api.create_customer(name="Bukit Foods")
    invoice = {
        "number": "INV-1",
        "entity": "MY01",
        "document_date": "2026-01-01",
        "due_date": "2026-01-31",
        "amount": "100.00",
        "currency": "MYR",
    }
    assert api.post(f"/customers/{kept['id']}/invoices", invoice).status_code == 201
    refused = problem_of(api.delete(f"/customers/{kept['id']}"), 422)
    assert refused["code"] == "has_transaction_history"
    assert "deactivate" in refused["detail"]
