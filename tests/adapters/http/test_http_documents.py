"""Erasure and attachments over HTTP (R-4.4, R-16.6): the erasure waits in the red lane
and is decided under /change-requests; documents go up as multipart and come down as
their bytes; bad uploads are problem details and nothing is stored; another tenant's
customer is 404."""

from __future__ import annotations

import io
from typing import Any

from http_support import Api, Keys, error_paths, problem_of

from customer_master import CustomerMaster

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 64
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def _upload(api: Api, customer_id: str, name: str, content: bytes) -> Any:
    form = {"file": (io.BytesIO(content), name)}
    return api.post(f"/customers/{customer_id}/attachments", data=form, content_type="multipart/form-data")


def _stored(api: Api, customer_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/customers/{customer_id}/attachments")
    assert response.status_code == 200, response.json
    items: list[dict[str, Any]] = response.json["items"]
    return items


def test_a_document_goes_up_and_comes_down_as_its_bytes(api: Api) -> None:
    customer = api.create_customer()
    response = _upload(api, customer["id"], "exemption-2026.pdf", PDF)
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == "application/pdf"
    assert response.json["size"] == len(PDF)
    assert response.json["uploaded_by"] == "ana"
    (listed,) = _stored(api, customer["id"])
    assert listed["name"] == "exemption-2026.pdf"
    download = api.get(f"/customers/{customer['id']}/attachments/{listed['id']}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "exemption-2026.pdf" in download.headers["Content-Disposition"]
    timeline = api.get(f"/customers/{customer['id']}/timeline").json
    assert any(entry["summary"] == "attached a document (exemption-2026.pdf)" for entry in timeline)
    assert api.delete(f"/customers/{customer['id']}/attachments/{listed['id']}").status_code == 204
    assert _stored(api, customer["id"]) == []
    assert api.get(f"/customers/{customer['id']}/attachments/{listed['id']}").status_code == 404


def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(api: Api) -> None:
    customer = api.create_customer()
    for content in (EXE, ELF):
        body = problem_of(_upload(api, customer["id"], "invoice.pdf", content), 422)
        assert error_paths_of(body) == {"content": "type_not_accepted"}
    assert _stored(api, customer["id"]) == []


def error_paths_of(body: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e["code"] for e in body["errors"]}


def test_a_path_in_the_name_an_unknown_type_and_a_mismatch_are_refused(api: Api) -> None:
    customer = api.create_customer()
    path = _upload(api, customer["id"], "../../etc/cert.pdf", PDF)
    assert error_paths(path) == {"name": "path"} or problem_of(path, 422)
    unknown = problem_of(_upload(api, customer["id"], "notes.txt", b"just some words\n"), 422)
    assert error_paths_of(unknown) == {"content": "type_not_accepted"}
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    mismatch = problem_of(_upload(api, customer["id"], "contract.pdf", png), 422)
    assert error_paths_of(mismatch) == {"name": "type_mismatch"}
    assert _stored(api, customer["id"]) == []


def test_a_document_over_the_limit_is_refused_before_it_is_stored(api: Api, cm: CustomerMaster) -> None:
    customer = api.create_customer()
    cm.context.attachment_limit = 1024
    try:
        body = problem_of(_upload(api, customer["id"], "big.pdf", PDF + b" " * 2048), 422)
        assert error_paths_of(body) == {"content": "too_large"}
        huge = problem_of(_upload(api, customer["id"], "huge.pdf", PDF + b" " * 200_000), 413)
        assert "limit of 1024 bytes" in huge["detail"]
    finally:
        cm.context.attachment_limit = 20 * 1024 * 1024
    assert _stored(api, customer["id"]) == []


def test_another_tenants_customer_and_documents_are_not_found(api: Api, keys: Keys) -> None:
    customer = api.create_customer()
    document = _upload(api, customer["id"], "contract.pdf", PDF).json
    outsider = api.as_(keys.outsider)
    problem_of(outsider.get(f"/customers/{customer['id']}/attachments"), 404)
    problem_of(outsider.get(f"/customers/{customer['id']}/attachments/{document['id']}"), 404)
    problem_of(_upload(outsider, customer["id"], "x.pdf", PDF), 404)
    problem_of(outsider.post(f"/customers/{customer['id']}/erase"), 404)
    problem_of(api.as_(keys.viewer).post(f"/customers/{customer['id']}/erase"), 403)
    problem_of(_upload(api.as_(keys.viewer), customer["id"], "x.pdf", PDF), 403)


def test_an_erasure_waits_in_the_red_lane_and_blanks_the_customer(
    api: Api, keys: Keys, cm: CustomerMaster
) -> None:
    ar_manager = cm.access.create_api_key("acme", "rudi", ("ar_manager",))[0]
    customer = api.create_customer(
        name="Jane Tan", kind="individual", email="jane.tan@example.com", phone="+60123456789"
    )
    _upload(api, customer["id"], "passport.pdf", PDF)
    lowered = problem_of(api.put("/configuration/approval-lanes/hard_delete", {"lane": "green"}), 422)
    assert "cannot be undone" in str(lowered["errors"])
    response = api.post(f"/customers/{customer['id']}/erase")
    assert response.status_code == 202, response.json
    request = response.json["change_request"]
    assert (request["lane"], request["operation"]) == ("red", "erase")
    for key in (ar_manager, keys.controller, keys.cfo):
        decided = api.as_(key).post(f"/change-requests/{request['id']}/approve", {})
        assert decided.status_code == 200, decided.json
    erased = api.get(f"/customers/{customer['id']}").json
    assert (erased["name"], erased["email"], erased["phone"]) == ("[erased]", None, None)
    assert _stored(api, customer["id"]) == []
    assert api.get("/audit/verify").json["intact"] is True
