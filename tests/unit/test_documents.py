"""The filesystem document store (R-16.6): a directory per tenant, content-addressed,
written atomically; and the rules that refuse a document."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from customer_master import NotFound
from customer_master.app import documents_directory
from customer_master.domain.attachments import DEFAULT_LIMIT, attachment_errors
from customer_master_documents import FileDocumentStore, FiletypeContentTypes

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_kept_once_under_their_digest_in_their_tenants_directory(tmp_path: Path) -> None:
    store = FileDocumentStore(tmp_path)
    digest = store.put("acme", PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "acme" / digest[:2] / digest).read_bytes() == PDF
    assert store.put("acme", PDF) == digest  # the same bytes again: kept once
    assert [p.name for p in (tmp_path / "acme").rglob("*") if p.is_file()] == [digest]
    assert store.get("acme", digest) == PDF
    with pytest.raises(NotFound):
        store.get("globex", digest)  # another tenant's directory holds nothing
    store.delete("acme", digest)
    with pytest.raises(NotFound):
        store.get("acme", digest)
    store.delete("acme", digest)  # deleting again is nothing


def test_a_tenant_or_a_digest_cannot_name_a_path_outside_the_root(tmp_path: Path) -> None:
    store = FileDocumentStore(tmp_path / "root")
    digest = store.put("../evil", PDF)
    assert [p.parent.parent.name for p in (tmp_path / "root").rglob(digest)] == ["%2E%2E%2Fevil"]
    assert not (tmp_path / "evil").exists()
    with pytest.raises(NotFound):
        store.get("acme", "../../etc/passwd")


def test_a_failed_write_leaves_no_document_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileDocumentStore(tmp_path)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put("acme", PDF)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_content_type_comes_from_the_bytes() -> None:
    types = FiletypeContentTypes()
    assert types.detect(PDF) == "application/pdf"
    assert types.detect(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120) == "application/x-msdownload"
    assert types.detect(b"plain words") is None


@pytest.mark.parametrize(
    ("name", "size", "content_type", "expected"),
    [
        ("cert.pdf", 10, "application/pdf", []),
        ("scan.JPG", 10, "image/jpeg", []),
        ("no-extension", 10, "application/pdf", []),
        ("invoice.pdf", 10, "application/x-msdownload", [("content", "type_not_accepted")]),
        ("notes.txt", 10, None, [("content", "type_not_accepted")]),
        ("photo.pdf", 10, "image/png", [("name", "type_mismatch")]),
        ("dir/cert.pdf", 10, "application/pdf", [("name", "path")]),
        ("C:\\cert.pdf", 10, "application/pdf", [("name", "path")]),
        ("..", 10, "application/pdf", [("name", "path")]),
        ("  ", 10, "application/pdf", [("name", "blank")]),
        ("x" * 252 + ".pdf", 10, "application/pdf", [("name", "too_long")]),
        ("big.pdf", DEFAULT_LIMIT + 1, "application/pdf", [("content", "too_large")]),
        ("empty.pdf", 0, None, [("content", "empty")]),
    ],
)
def test_what_refuses_a_document(
    name: str, size: int, content_type: str | None, expected: list[tuple[str, str]]
) -> None:
    errors = attachment_errors(name, size=size, content_type=content_type, limit=DEFAULT_LIMIT)
    assert [(e.path, e.code) for e in errors] == expected


def test_the_default_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTOMER_MASTER_DOCUMENTS", raising=False)
    assert documents_directory("sqlite:///data/shop.db") == "data/shop.db-documents"
    assert documents_directory("postgresql+psycopg://db/erp") == "customer-master-documents"
    monkeypatch.setenv("CUSTOMER_MASTER_DOCUMENTS", "/srv/documents")
    assert documents_directory("sqlite:///data/shop.db") == "/srv/documents"
