"""Clone over HTTP (SPEC R-3.5): POST /customers/{id}/clone."""

from __future__ import annotations

from http_support import Api, error_paths


def test_clone_creates_a_customer_drafted_from_another(api: Api) -> None:
    source = api.create_customer(
        name="Kedai Ali Sdn Bhd",
        tags=["pos"],
        currency="MYR",
        tax_ids=[{"scheme": "my.brn", "number": "201901000005"}],
        addresses=[{"purposes": ["billing"], "line1": "1 Jalan Ampang", "city": "KL", "country": "MY"}],
    )
    response = api.post(
        f"/customers/{source['id']}/clone",
        json={"name": "Kedai Ali Penang Sdn Bhd", "email": "ap@kedai-penang.example", "with_addresses": True},
    )
    assert response.status_code == 201, response.json
    clone = response.json["customer"]
    assert response.headers["Location"] == f"/customers/{clone['id']}"
    assert clone["code"] != source["code"]
    assert (clone["tags"], clone["currency"], clone["tax_ids"]) == (["pos"], "MYR", [])
    assert [a["line1"] for a in clone["addresses"]] == ["1 Jalan Ampang"]
    trail = api.get(f"/customers/{clone['id']}/audit").json
    assert trail[0]["changes"]["cloned_from"]["after"]["code"] == source["code"]


def test_a_clone_reports_every_problem_with_its_path(api: Api) -> None:
    source = api.create_customer(name="Kedai Ali Sdn Bhd")
    response = api.post(f"/customers/{source['id']}/clone", json={"name": " ", "email": "nope"})
    assert response.status_code == 422
    assert {"name", "email"} <= set(error_paths(response))
