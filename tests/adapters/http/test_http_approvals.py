"""Approval lanes over HTTP: a change waits as a change request (202), is approved step
by step or rejected (SPEC R-10); the audit trail, its verification, the timeline and
notes (R-11)."""

from __future__ import annotations

import pytest
from flask import Flask
from http_support import Api, Keys, problem_of

from customer_master import CustomerMaster

COMPANY = {
    "name": "Penang Precision Tools Sdn Bhd",
    "kind": "company",
    "legal_entity": "MY01",
    "email": "ap@penangprecision.com.my",
    "currency": "MYR",
}


@pytest.fixture
def api(app: Flask, keys: Keys, tenant_with_approvals: CustomerMaster) -> Api:
    """The client of a salesperson in a tenant with the SPEC's default lanes."""
    return Api(app.test_client(), keys.sales)


def submitted(api: Api) -> dict[str, object]:
    response = api.post("/customers", COMPANY)
    assert response.status_code == 202
    request: dict[str, object] = response.json["change_request"]
    assert response.headers["Location"] == f"/change-requests/{request['id']}"
    return request


def test_a_change_waits_for_two_approvals_then_applies(api: Api, keys: Keys) -> None:
    request = submitted(api)
    assert (request["state"], request["lane"], request["next_role"]) == ("pending", "yellow", "ar_manager")
    assert api.get("/customers").json["items"] == []

    ana, carlos = api.as_(keys.admin), api.as_(keys.controller)
    inbox = ana.get("/change-requests?mine=true").json
    assert [r["id"] for r in inbox] == [request["id"]]
    assert carlos.get("/change-requests?mine=true").json == []

    first = ana.post(f"/change-requests/{request['id']}/approve", {"comment": "Checked the registry"})
    assert first.status_code == 200
    assert (first.json["state"], first.json["next_role"]) == ("pending", "controller")
    final = carlos.post(f"/change-requests/{request['id']}/approve", {})
    assert final.json["state"] == "approved"
    assert final.json["outcome"] == "applied: customer CUS-0001"
    assert [c["code"] for c in api.get("/customers").json["items"]] == ["CUS-0001"]
    assert api.get(f"/change-requests/{request['id']}").json["state"] == "approved"
    assert [r["id"] for r in api.get("/change-requests?state=approved").json] == [request["id"]]


def test_approval_rules_are_enforced(api: Api, keys: Keys) -> None:
    request = submitted(api)
    path = f"/change-requests/{request['id']}"
    assert problem_of(api.post(f"{path}/approve", {}), 403)["type"] == "/problems/forbidden"
    problem_of(api.as_(keys.controller).post(f"{path}/approve", {}), 403)  # step 1 needs ar_manager
    rejected = api.as_(keys.admin).post(f"{path}/reject", {"comment": "Duplicate of CUS-0042"})
    assert rejected.json["state"] == "rejected"
    assert problem_of(api.as_(keys.controller).post(f"{path}/approve", {}), 422)["code"] == "not_pending"
    problem_of(api.get("/change-requests/nope"), 404)
    problem_of(api.get("/change-requests?state=lost"), 422)


def test_an_update_waits_and_fails_if_the_customer_changed_meanwhile(
    api: Api, keys: Keys, cm: CustomerMaster
) -> None:
    ana, carlos = api.as_(keys.admin), api.as_(keys.controller)
    ana.put("/configuration/approval-lanes/create", {"lane": "green"})
    customer = api.post("/customers", COMPANY).json["customer"]
    path = f"/customers/{customer['id']}"
    pending = api.patch(path, {"credit_limit": "90000"}, headers={"If-Match": '"1"'})
    assert pending.status_code == 202
    request_id = pending.json["change_request"]["id"]
    ana.put("/configuration/approval-lanes/update", {"lane": "green"})
    assert ana.patch(path, {"phone": "+60 3-2161 1234"}, headers={"If-Match": '"1"'}).status_code == 200
    ana.post(f"/change-requests/{request_id}/approve", {})
    conflict = problem_of(carlos.post(f"/change-requests/{request_id}/approve", {}), 409)
    assert "changed since the request was submitted" in conflict["detail"]
    assert api.get(f"/change-requests/{request_id}").json["state"] == "failed"


def test_deactivate_merge_and_delete_wait_for_their_lanes(api: Api, keys: Keys) -> None:
    ana = api.as_(keys.admin)
    ana.put("/configuration/approval-lanes/create", {"lane": "green"})
    first = ana.post("/customers", COMPANY).json["customer"]
    second = ana.post("/customers", COMPANY | {"name": "Penang Precision Tools"}).json["customer"]
    assert api.post(f"/customers/{first['id']}/deactivate", headers={"If-Match": '"1"'}).status_code == 202
    merge = api.as_(keys.controller).post(f"/customers/{first['id']}/merge", {"target_id": second["id"]})
    assert merge.status_code == 202
    delete = ana.delete(f"/customers/{second['id']}")
    assert (delete.status_code, delete.json["change_request"]["lane"]) == (202, "red")
    assert len(ana.get("/change-requests?state=pending").json) == 3
    assert len(ana.get(f"/change-requests?customer_id={second['id']}").json) == 2


def test_audit_trail_verify_timeline_and_notes(api: Api, keys: Keys) -> None:
    ana = api.as_(keys.admin)
    ana.put("/configuration/approval-lanes/create", {"lane": "green"})
    customer = ana.post("/customers", COMPANY).json["customer"]
    path = f"/customers/{customer['id']}"
    note = ana.post(f"{path}/notes", {"text": "Called about the overdue invoice."})
    assert (note.status_code, note.json["author"]) == (201, "ana")
    problem_of(ana.post(f"{path}/notes", {"text": "  "}), 422)
    assert [n["text"] for n in api.get(f"{path}/notes").json] == ["Called about the overdue invoice."]
    kinds = [e["kind"] for e in api.get(f"{path}/timeline").json]
    assert "note" in kinds
    assert "create" in kinds

    trail = ana.get(f"{path}/audit")
    assert [r["operation"] for r in trail.json] == ["create"]
    assert "personal" not in trail.json[0]
    assert ana.get("/audit").json[-1]["hash"] == trail.json[0]["hash"]
    report = ana.get("/audit/verify").json
    assert report["intact"] is True
    assert report["checked"] >= 1
    problem_of(api.get("/audit/verify"), 403)  # a salesperson may not read the trail
