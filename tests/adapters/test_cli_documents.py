"""The command line's erase, attach and attachments (R-4.4, R-16.6): the erasure waits
for the red lane; documents go in and come out as their bytes; a bad document is a
one-line error and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from customer_master_cli import cli

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("CUSTOMER_MASTER_DOCUMENTS", raising=False)
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    assert run(url, "migrate").exit_code == 0
    created = run(url, "config", "entity", "MY01", "--name", "Acme Malaysia", *ANA)
    assert created.exit_code == 0, created.output
    for operation in ("create", "update"):
        lane = run(url, "config", "lane", operation, "green", *ANA)
        assert lane.exit_code == 0, lane.output
    made = run(url, "customer", "create", "--set", "name=Jane Tan", "--set", "kind=individual",
               "--set", "legal_entity=MY01", "--set", "email=jane.tan@example.com", *ANA)  # fmt: skip
    assert made.exit_code == 0, made.output
    return url


ANA = ("--tenant", "acme", "--user", "ana")


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--url", url, *args])


def test_a_document_goes_in_and_comes_out(url: str, tmp_path: Path) -> None:
    source = tmp_path / "exemption.pdf"
    source.write_bytes(PDF)
    attached = run(url, "attach", "CUS-0001", str(source), "--json", *ANA)
    assert attached.exit_code == 0, attached.output
    document = json.loads(attached.output)
    assert (document["name"], document["content_type"]) == ("exemption.pdf", "application/pdf")
    assert (tmp_path / "shop.db-documents" / "acme" / document["digest"][:2] / document["digest"]).exists()
    listed = run(url, "attachments", "CUS-0001", *ANA)
    assert "exemption.pdf" in listed.output
    out = tmp_path / "copy.pdf"
    got = run(url, "attachments", "CUS-0001", "--get", document["id"], "--output", str(out), *ANA)
    assert got.exit_code == 0, got.output
    assert out.read_bytes() == PDF
    assert run(url, "attachments", "CUS-0001", "--delete", document["id"], *ANA).exit_code == 0
    assert run(url, "attachments", "CUS-0001", *ANA).output.strip() == "no documents"


def test_an_executable_named_pdf_is_a_one_line_error(url: str, tmp_path: Path) -> None:
    source = tmp_path / "invoice.pdf"
    source.write_bytes(ELF)
    refused = run(url, "attach", "CUS-0001", str(source), *ANA)
    assert refused.exit_code != 0
    assert "application/x-executable" in refused.output
    assert "Traceback" not in refused.output
    assert run(url, "attachments", "CUS-0001", *ANA).output.strip() == "no documents"


def test_an_erasure_waits_for_the_red_lane(url: str) -> None:
    lowered = run(url, "config", "lane", "erase", "green", *ANA)
    assert lowered.exit_code != 0
    assert "cannot be undone" in lowered.output
    submitted = run(url, "erase", "CUS-0001", "--json", *ANA)
    assert submitted.exit_code == 0, submitted.output
    request = json.loads(submitted.output)["change_request"]
    assert (request["lane"], request["operation"]) == ("red", "erase")
    for user, role in (("rudi", "ar_manager"), ("siti", "controller"), ("tan", "cfo")):
        decided = run(
            url, "approvals", "approve", request["id"], "--tenant", "acme", "--user", user, "--role", role
        )
        assert decided.exit_code == 0, decided.output
    shown = json.loads(run(url, "customer", "show", "CUS-0001", "--json", *ANA).output)
    assert (shown["name"], shown["email"]) == ("[erased]", None)
    verified = run(url, "audit", "verify", *ANA)
    assert verified.exit_code == 0, verified.output
