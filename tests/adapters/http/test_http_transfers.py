"""Bulk import and export over HTTP (SPEC R-9, R-10, R-12): upload a CSV or XLSX file and
get the job back (or its CSV report), with every option; an import waits for approval
when the tenant's lane says so; export with the list's filters, masked per role, and
the export → edit → import round trip."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
from flask import Flask
from http_support import Api, Keys, error_paths, problem_of
from openpyxl import Workbook, load_workbook
from werkzeug.test import TestResponse

from customer_master import CustomerMaster
from customer_master_http.resources import transfers

HEADER = (
    "name,kind,legal_entity,email,currency,tax_id_scheme,tax_id_number,"
    "address_line1,address_city,address_country"
)
ROWS = [
    "Kedai Runcit Ali Sdn Bhd,company,MY01,ap@kedai-ali.my,MYR,my.brn,201901000005-X,"
    "12 Jalan Ampang,Kuala Lumpur,MY",
    "Bukit Foods Sdn Bhd,company,MY01,ap@bukitfoods.my,MYR,,,1 Jalan Bukit,Ipoh,MY",
    "Penang Precision Tools,company,MY01,ap@penangprecision.my,MYR,,,5 Lebuh Pantai,George Town,MY",
]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode() + b"\n"


def upload(
    api: Api,
    content: bytes,
    name: str = "customers.csv",
    *,
    headers: dict[str, str] | None = None,
    query: str = "",
    **options: Any,
) -> TestResponse:
    form: dict[str, Any] = {"file": (io.BytesIO(content), name)}
    form.update({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in options.items()})
    path = f"/imports?{query}" if query else "/imports"
    return api.post(path, data=form, content_type="multipart/form-data", headers=headers)


def listed(api: Api) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.get("/customers?status=any&limit=200").json["items"]
    return items


def export_rows(response: TestResponse) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


# ---------------------------------------------------------------------------
# Upload and job
# ---------------------------------------------------------------------------


def test_a_csv_upload_imports_and_answers_with_the_job(api: Api) -> None:
    content = csv_file(*ROWS)
    response = upload(api, content)
    assert response.status_code == 201, response.json
    job = response.json
    assert job["status"] == "completed"
    assert job["file"] == {
        "name": "customers.csv",
        "sha256": hashlib.sha256(content).hexdigest(),
        "format": "csv",
        "size": len(content),
    }
    assert job["counts"] == {"rows": 3, "created": 3, "updated": 0, "skipped": 0, "failed": 0}
    assert job["failures"] == []
    assert [(o["row"], o["outcome"], o["customer"]) for o in job["outcomes"]] == [
        (2, "created", "CUS-0001"),
        (3, "created", "CUS-0002"),
        (4, "created", "CUS-0003"),
    ]
    assert job["change_request"] is None
    assert (response.headers["Import-Id"], response.headers["Import-Status"]) == (job["id"], "completed")
    created = {c["code"]: c for c in listed(api)}
    assert created["CUS-0001"]["tax_ids"][0]["number"] == "201901000005-X"
    assert created["CUS-0002"]["addresses"][0]["city"] == "Ipoh"


def test_an_xlsx_upload_imports_by_name_content_type_or_content(api: Api) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(ROWS[0].split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    first = upload(api, buffer.getvalue(), "Customers.XLSX")
    assert (first.status_code, first.json["file"]["format"], first.json["counts"]["created"]) == (
        201,
        "xlsx",
        1,
    )
    # The same workbook under a name that says nothing: found by its content, a duplicate now.
    again = upload(api, buffer.getvalue(), "upload")
    assert (again.json["file"]["format"], again.json["counts"]["skipped"]) == ("xlsx", 1)


def test_validate_only_reports_everything_and_writes_nothing(api: Api) -> None:
    bad = "Broken,company,MY01,not-an-email,MYR,,,,,"
    response = upload(api, csv_file(ROWS[0], bad), validate_only=True)
    assert response.status_code == 201
    job = response.json
    assert job["status"] == "validated"
    assert job["counts"] == {"rows": 2, "created": 1, "updated": 0, "skipped": 0, "failed": 1}
    assert [(f["row"], f["column"]) for f in job["failures"]] == [(3, "email")]
    assert listed(api) == []


def test_failed_rows_are_listed_with_row_column_code_and_message(api: Api) -> None:
    bad = "Broken,company,MY01,not-an-email,DOLLARS,,,,,"
    response = upload(api, csv_file(ROWS[0], bad))
    job = response.json
    assert (response.status_code, job["status"]) == (201, "failed")
    assert job["counts"]["created"] == 1
    assert job["counts"]["failed"] == 1
    assert {f["column"] for f in job["failures"]} == {"email", "currency"}
    assert all(f["row"] == 3 and f["code"] and f["message"] for f in job["failures"])
    assert job["failures_truncated"] is False
    assert [c["name"] for c in listed(api)] == ["Kedai Runcit Ali Sdn Bhd"]


def test_the_failures_list_is_bounded_but_the_outcomes_are_complete(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfers, "FAILURES_LISTED", 2)
    bad = [f"Broken {n},company,MY01,bad-{n},MYR,,,,," for n in range(4)]
    job = upload(api, csv_file(*bad)).json
    assert (len(job["failures"]), job["failures_truncated"], len(job["outcomes"])) == (2, True, 4)


@pytest.mark.parametrize(
    ("on_duplicate", "counts", "city"),
    [
        ("skip", {"created": 0, "updated": 0, "skipped": 1, "failed": 0}, "Ipoh"),
        ("update", {"created": 0, "updated": 1, "skipped": 0, "failed": 0}, "Kuala Lumpur"),
        ("error", {"created": 0, "updated": 0, "skipped": 0, "failed": 1}, "Ipoh"),
    ],
)
def test_duplicates_follow_on_duplicate(
    api: Api, on_duplicate: str, counts: dict[str, int], city: str
) -> None:
    assert upload(api, csv_file(ROWS[1])).json["counts"]["created"] == 1
    moved = ROWS[1].replace("Ipoh", "Kuala Lumpur")
    job = upload(api, csv_file(moved), on_duplicate=on_duplicate).json
    assert {k: job["counts"][k] for k in counts} == counts
    if on_duplicate == "error":
        assert job["failures"][0]["code"] == "duplicate"
    assert [c["addresses"][0]["city"] for c in listed(api)] == [city]


def test_duplicates_within_the_file_are_found(api: Api) -> None:
    twice = ROWS[1].replace("Bukit Foods Sdn Bhd", "Bukit Foods (again)")
    job = upload(api, csv_file(ROWS[1], twice)).json
    assert job["counts"] == {"rows": 2, "created": 1, "updated": 0, "skipped": 1, "failed": 0}
    assert "row 2" in job["outcomes"][1]["message"]


def test_options_stop_on_error_batch_size_and_query_string(api: Api) -> None:
    bad = "Broken,company,MY01,not-an-email,MYR,,,,,"
    job = upload(api, csv_file(ROWS[0], bad, ROWS[1]), query="stop_on_error=true&batch_size=1").json
    assert job["stopped_at"] == 3
    assert job["options"]["batch_size"] == 1
    assert job["options"]["stop_on_error"] is True
    assert job["counts"] == {"rows": 2, "created": 1, "updated": 0, "skipped": 0, "failed": 1}


def test_a_preset_and_a_mapping_read_a_crm_export(api: Api) -> None:
    export = (
        b"Id,Account Name,Email,BillingStreet,BillingCity,BillingCountry,Owner\n"
        b"0015g00000XyZ,Acme Trading,ap@acme.example,1 Jalan Kem,Klang,Malaysia,005\n"
    )
    mapping = '{"columns": {"Email": "email"}, "defaults": {"legal_entity": "MY01"}}'
    job = upload(api, export, "accounts.csv", preset="salesforce", mapping=mapping).json
    assert job["counts"]["created"] == 1, job
    assert job["ignored_columns"] == ["Owner"]
    again = upload(api, export, "accounts.csv", preset="salesforce", mapping=mapping).json
    assert again["counts"]["skipped"] == 1  # the record id is an external reference (R-9.3)
    custom = upload(
        api,
        b"Company,Mail,Town\nSelangor Steel,ap@selangor-steel.my,Shah Alam\n",
        mapping='{"columns": {"Company": "name", "Mail": "email", "Town": "address_city"}, '
        '"defaults": {"kind": "company", "legal_entity": "MY01", "address_country": "MY", '
        '"address_line1": "1 Jalan Steel"}}',
    ).json
    assert custom["counts"]["created"] == 1, custom


def test_the_csv_report_comes_instead_of_the_job_on_request(api: Api) -> None:
    bad = "Broken,company,MY01,not-an-email,MYR,,,,,"
    response = upload(api, csv_file(ROWS[0], bad), "batch.csv", headers={"Accept": "text/csv"})
    assert (response.status_code, response.mimetype) == (201, "text/csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="batch-report.csv"'
    assert response.headers["Import-Status"] == "failed"
    report = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["row"], r["outcome"]) for r in report] == [("2", "created"), ("3", "failed")]
    assert report[0]["customer"] == "CUS-0001"
    assert report[1]["column"] == "email"
    # JSON stays the default, and wins a tie.
    tie = upload(api, csv_file(ROWS[1]), headers={"Accept": "application/json, text/csv"})
    assert tie.mimetype == "application/json"


# ---------------------------------------------------------------------------
# Approval (R-10)
# ---------------------------------------------------------------------------


@pytest.fixture
def approvals(app: Flask, keys: Keys, tenant_with_approvals: CustomerMaster) -> Api:
    """A salesperson's client in a tenant with the SPEC's default lanes (imports yellow)."""
    return Api(app.test_client(), keys.sales)


def test_an_import_waits_for_approval_in_a_yellow_lane(approvals: Api, keys: Keys) -> None:
    content = csv_file(*ROWS[:2])
    response = upload(approvals, content)
    assert response.status_code == 202, response.json
    job = response.json
    request = job["change_request"]
    assert job["status"] == "pending_approval"
    assert job["id"] == request["id"] == response.headers["Import-Id"]
    assert response.headers["Location"] == f"/change-requests/{request['id']}"
    assert (request["operation"], request["lane"], request["state"]) == ("import", "yellow", "pending")
    assert request["payload"]["checksum"] == hashlib.sha256(content).hexdigest()
    assert "rows" not in request["payload"]
    assert job["counts"]["created"] == 2  # the dry run the reviewers see
    assert listed(approvals) == []

    first = approvals.as_(keys.admin).post(f"/change-requests/{request['id']}/approve", {})
    assert first.json["next_role"] == "controller", first.json
    final = approvals.as_(keys.controller).post(f"/change-requests/{request['id']}/approve", {})
    assert final.json["state"] == "approved", final.json
    assert [c["name"] for c in listed(approvals)] == ["Kedai Runcit Ali Sdn Bhd", "Bukit Foods Sdn Bhd"]


def test_a_dry_run_needs_no_approval(approvals: Api) -> None:
    response = upload(approvals, csv_file(ROWS[0]), validate_only=True)
    assert (response.status_code, response.json["status"]) == (201, "validated")
    assert approvals.get("/change-requests").json == []


# ---------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------


def test_invalid_options_are_422_with_every_path(api: Api) -> None:
    response = upload(
        api, csv_file(ROWS[0]), on_duplicate="merge", batch_size=0, preset="pipedrive", bogus="1"
    )
    problem_of(response, 422)
    assert error_paths(response) == {
        "on_duplicate": "invalid",
        "batch_size": "invalid",
        "preset": "invalid",
        "bogus": "unknown_field",
    }
    assert error_paths(upload(api, csv_file(ROWS[0]), batch_size=1001)) == {"batch_size": "invalid"}
    assert error_paths(upload(api, csv_file(ROWS[0]), mapping="{nope")) == {"mapping": "invalid"}
    assert error_paths(upload(api, csv_file(ROWS[0]), mapping="[1]")) == {"mapping": "invalid"}
    wrong = upload(api, csv_file(ROWS[0]), mapping='{"Company": "company_name"}')
    assert error_paths(wrong) == {"mapping": "invalid"}
    assert "company_name" in wrong.json["errors"][0]["message"]
    assert listed(api) == []


def test_a_missing_or_unreadable_file_is_422(api: Api) -> None:
    missing = api.post("/imports", data={"on_duplicate": "skip"}, content_type="multipart/form-data")
    problem_of(missing, 422)
    assert error_paths(missing) == {"file": "required"}
    as_text = api.post("/imports", data={"file": "name\nA\n"}, content_type="multipart/form-data")
    assert error_paths(as_text) == {"file": "invalid"}
    broken = upload(api, b"PK\x03\x04 not really a workbook", "customers.xlsx")
    problem_of(broken, 422)
    assert error_paths(broken) == {"file": "unreadable"}
    unknown = upload(api, csv_file(ROWS[0]), encoding="klingon-8")
    assert error_paths(unknown) == {"encoding": "unreadable"}
    wrong_sheet = upload(api, _workbook(), "c.xlsx", sheet="Nope")
    assert error_paths(wrong_sheet) == {"sheet": "unreadable"}
    assert error_paths(upload(api, b"")) == {"file": "empty"}
    assert error_paths(upload(api, csv_file())) == {"file": "empty"}


def test_bytes_that_are_not_text_fail_their_row_not_the_request(api: Api) -> None:
    content = csv_file(ROWS[0]) + b"Bad \xff\xfe name,company,MY01,x@y.my,MYR,,,,,\n"
    job = upload(api, content, encoding="utf-8").json
    assert job["counts"]["created"] == 1
    assert job["counts"]["failed"] == 1
    assert job["failures"][0]["code"] == "unreadable"


def test_a_body_that_is_not_multipart_is_415(api: Api) -> None:
    assert problem_of(api.post("/imports", {"file": "x"}), 415)["type"] == "/problems/unsupported-media-type"


def test_too_large_files_are_413_and_point_to_the_command_line(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfers, "MAX_ROWS", 2)
    rows = problem_of(upload(api, csv_file(*ROWS)), 413)
    assert "customer-master import" in rows["detail"]
    monkeypatch.setattr(transfers, "MAX_UPLOAD_BYTES", 100)
    size = problem_of(upload(api, csv_file(*ROWS)), 413)
    assert "customer-master import" in size["detail"]
    assert listed(api) == []


def test_no_key_is_401_and_a_missing_permission_403(api: Api, keys: Keys, cm: CustomerMaster) -> None:
    anonymous = api.as_(None)
    problem_of(upload(anonymous, csv_file(ROWS[0])), 401)
    problem_of(anonymous.get("/exports"), 401)
    forbidden = upload(api.as_(keys.viewer), csv_file(ROWS[0]))
    assert problem_of(forbidden, 403)["type"] == "/problems/forbidden"
    # Checked before the upload is read: a viewer's garbage is refused, not parsed.
    problem_of(api.as_(keys.viewer).post("/imports", {"x": 1}), 403)
    assert api.put("/configuration/roles/viewer", {"permissions": []}).status_code == 200
    problem_of(api.as_(keys.viewer).get("/exports"), 403)
    assert listed(api) == []


# ---------------------------------------------------------------------------
# Export (R-9.6, R-12.2)
# ---------------------------------------------------------------------------


def test_an_export_is_a_file_with_the_lists_filters(api: Api) -> None:
    upload(api, csv_file(*ROWS))
    response = api.get("/exports?name=bukit")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=customers-")
    assert response.headers["Content-Disposition"].endswith(".csv")
    assert response.headers["Export-Count"] == "1"
    assert [r["name"] for r in export_rows(response)] == ["Bukit Foods Sdn Bhd"]
    everyone = export_rows(api.get("/exports?sort=name"))
    assert [r["code"] for r in everyone] == ["CUS-0002", "CUS-0001", "CUS-0003"]
    xlsx = api.get("/exports?format=xlsx")
    assert xlsx.mimetype == transfers.XLSX
    assert xlsx.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(values) == 4
    assert "tax_id_number" in values[0]
    assert error_paths(api.get("/exports?format=pdf")) == {"format": "invalid"}


def test_export_edit_import_csv_changes_only_the_edited_field(api: Api) -> None:
    upload(api, csv_file(*ROWS))
    before = {c["code"]: c for c in listed(api)}
    rows = export_rows(api.get("/exports"))
    edited = next(r for r in rows if r["code"] == "CUS-0002")
    edited["tax_id_scheme"], edited["tax_id_number"] = "my.brn", "201901000006-A"
    job = upload(api, to_csv(rows), "edited.csv", on_duplicate="update").json
    assert job["counts"] == {"rows": 3, "created": 0, "updated": 1, "skipped": 2, "failed": 0}, job
    _assert_only_changed(before, {c["code"]: c for c in listed(api)}, "CUS-0002", "tax_ids")


def test_export_edit_import_xlsx_changes_only_the_edited_field(api: Api) -> None:
    upload(api, csv_file(*ROWS))
    before = {c["code"]: c for c in listed(api)}
    workbook = load_workbook(io.BytesIO(api.get("/exports?format=xlsx").get_data()))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for line in sheet.iter_rows(min_row=2):
        if line[header.index("code")].value == "CUS-0003":
            line[header.index("phone")].value = "+60 4-261 1234"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = upload(api, buffer.getvalue(), "edited.xlsx", on_duplicate="update").json
    assert job["counts"] == {"rows": 3, "created": 0, "updated": 1, "skipped": 2, "failed": 0}, job
    after = {c["code"]: c for c in listed(api)}
    _assert_only_changed(before, after, "CUS-0003", "phone")
    assert after["CUS-0003"]["phone"] == "+6042611234"


def test_an_export_is_masked_for_a_viewer(api: Api, keys: Keys) -> None:
    api.create_customer(credit_limit="50000")
    full = export_rows(api.get("/exports"))[0]
    assert full["credit_limit"] == "50000"
    seen = export_rows(api.as_(keys.viewer).get("/exports"))[0]
    assert "credit_limit" not in seen  # left out, so that importing the file cannot blank it
    assert {k: v for k, v in full.items() if k != "credit_limit"} == seen


def test_another_tenant_exports_and_imports_only_its_own(api: Api, keys: Keys) -> None:
    upload(api, csv_file(*ROWS))
    ours = api.get("/exports").get_data()
    otto = api.as_(keys.outsider)
    assert otto.put("/configuration/approval-lanes/import", {"lane": "green"}).status_code == 200
    assert export_rows(otto.get("/exports?status=any")) == []
    # Our export names our codes: in their tenant no customer has them, and codes are theirs to give.
    refused = upload(otto, ours, "ours.csv", on_duplicate="update").json
    assert refused["counts"]["failed"] == 3
    assert {f["code"] for f in refused["failures"]} == {"read_only"}
    # The same e-mails and tax ids are not duplicates there: duplicates are found per tenant.
    job = upload(otto, csv_file(*ROWS), "theirs.csv", on_duplicate="update").json
    assert job["counts"]["created"] == 3, job
    theirs = export_rows(otto.get("/exports"))
    assert {r["name"] for r in theirs} == {r.split(",")[0] for r in ROWS}
    ids = {c["id"] for c in listed(api)}
    assert ids.isdisjoint(c["id"] for c in otto.get("/customers").json["items"])
    assert export_rows(api.get("/exports")) == export_rows_of(ours)


def export_rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_both_operations_are_in_the_openapi_document(api: Api) -> None:
    spec = api.get("/openapi.json").json
    body = spec["paths"]["/imports"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    created = spec["paths"]["/imports"]["post"]["responses"]["201"]["content"]
    assert set(created) == {"application/json", "text/csv"}
    exported = spec["paths"]["/exports"]["get"]["responses"]["200"]["content"]
    assert exported[transfers.XLSX]["schema"] == {"type": "string", "format": "binary"}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name"])
    sheet.append(["A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _assert_only_changed(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], code: str, field: str
) -> None:
    volatile = {"version", "updated_at", field}
    assert set(after) == set(before)
    for key, customer in before.items():
        if key != code:
            assert after[key] == customer
            continue
        assert after[key][field] != customer[field]
        assert {k: v for k, v in after[key].items() if k not in volatile} == {
            k: v for k, v in customer.items() if k not in volatile
        }
