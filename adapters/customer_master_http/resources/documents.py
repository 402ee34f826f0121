"""Erasure and attachments over HTTP (SPEC R-4.4, R-16.6).

``POST /customers/{id}/erase`` submits the erasure of a customer's personal data: it
always takes the red lane (R-10.1), so the answer is 202 with the change request, which
the approvers decide under ``/change-requests``. Attachments are uploaded as the ``file``
part of a ``multipart/form-data`` body, listed, downloaded (the bytes, with the content
type their bytes showed) and deleted; everything is scoped to the caller's tenant, and a
customer of another tenant is 404.
"""

from __future__ import annotations

from typing import Any

import flask
from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields

from customer_master.domain.attachments import Attachment
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.problems import problem
from customer_master_http.resources.base import MultipartBlueprint, MultipartParser
from customer_master_http.resources.customers import PENDING, pending
from customer_master_http.schemas.transfers import FilePart

# What a multipart body adds around the document: its boundaries and part headers.
_ENVELOPE = 64 * 1024


class DocumentParser(MultipartParser):
    """Reads a ``multipart`` upload whose size can fit the attachment limit (a larger
    body is refused before it is read)."""

    noun = "document"

    def limit(self, req: flask.Request) -> int:
        # Another tenant's customer (or none) is 404 whatever the body.
        customer_master().customers.get(current_actor(), (req.view_args or {}).get("customer_id", ""))
        return customer_master().attachments.limit + _ENVELOPE

    def too_large(self, req: flask.Request) -> Exception:
        limit = customer_master().attachments.limit
        return problem(413, "payload-too-large", f"the document is over the limit of {limit} bytes")


class DocumentBlueprint(MultipartBlueprint):
    ARGUMENTS_PARSER = DocumentParser()


blp = DocumentBlueprint(
    "documents",
    __name__,
    url_prefix="/customers",
    description="Erasure of a customer's personal data (R-4.4) and documents kept with a customer (R-16.6).",
)


class AttachmentUploadSchema(Schema):
    file = FilePart(
        required=True,
        metadata={"description": "The document (PDF, image, Office or OpenDocument file), by its bytes."},
    )


class AttachmentSchema(Schema):
    id = fields.String()
    customer_id = fields.String()
    name = fields.String()
    content_type = fields.String(metadata={"description": "As the document's bytes show it."})
    size = fields.Integer(metadata={"description": "In bytes."})
    digest = fields.String(metadata={"description": "SHA-256 of the bytes, hex."})
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class AttachmentListSchema(Schema):
    items = fields.List(fields.Nested(AttachmentSchema))


def _data(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "customer_id": attachment.customer_id,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "digest": attachment.digest,
        "uploaded_by": attachment.uploaded_by,
        "uploaded_at": attachment.uploaded_at,
    }


@blp.route("/<customer_id>/erase")
class Erase(MethodView):
    @requires("customer.delete")
    @blp.response(202, **PENDING)
    def post(self, customer_id: str) -> Any:
        """Erase a customer's personal data

        The right to be forgotten for a customer that must stay for the books (R-4.4):
        names of individuals, contacts, e-mails, phones, street lines, bank accounts,
        notes and attachments are replaced or removed, in the record, its change
        requests, its outbox events and its audit records (values and salts blanked, so
        `verify` still passes); code, amounts, tax ids, entities and history stay. It
        cannot be undone, so it always waits for the red lane's three approvals: the
        answer is the change request. Needs `customer.delete`.
        """
        result = customer_master().erasure.erase(current_actor(), customer_id)
        if result.change_request is None:  # pragma: no cover - the lane is always red
            return {"fields": list(result.fields)}, 200
        return pending(result.change_request)


@blp.route("/<customer_id>/attachments")
class Attachments(MethodView):
    @requires(None)
    @blp.response(200, AttachmentListSchema)
    def get(self, customer_id: str) -> Any:
        """List a customer's documents

        Name, content type, size, uploader and time of each document, oldest first.
        """
        items = customer_master().attachments.list(current_actor(), customer_id)
        return {"items": [_data(a) for a in items]}

    @requires("customer.write")
    @blp.arguments(AttachmentUploadSchema, location="multipart")
    @blp.response(201, AttachmentSchema)
    def post(self, form: dict[str, Any], customer_id: str) -> Any:
        """Attach a document to a customer

        Upload the document as the `file` part of a `multipart/form-data` body. Refused
        with every reason at once, and nothing stored, when it is over the size limit
        (20 MB unless configured), when its bytes are of no accepted type (an executable
        named `.pdf` is an executable), when its name's extension says another type, or
        when its name is a path. Audited and shown on the timeline (R-16.6).
        """
        upload = form["file"]
        content = upload.read()
        attachment = customer_master().attachments.attach(
            current_actor(), customer_id, upload.filename or "", content
        )
        return _data(attachment), 201, {"Location": f"/customers/{customer_id}/attachments/{attachment.id}"}


@blp.route("/<customer_id>/attachments/<attachment_id>")
class AttachmentContent(MethodView):
    @requires(None)
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
    def get(self, customer_id: str, attachment_id: str) -> Any:
        """Download a document

        The document's bytes, with the content type its bytes showed and its name.
        """
        attachment, content = customer_master().attachments.download(
            current_actor(), customer_id, attachment_id
        )
        disposition = f"attachment; filename*=UTF-8''{_quoted(attachment.name)}"
        return Response(
            content,
            200,
            {"Content-Type": attachment.content_type, "Content-Disposition": disposition,
             "X-Content-Type-Options": "nosniff"},
        )  # fmt: skip

    @requires("customer.write")
    @blp.response(204)
    def delete(self, customer_id: str, attachment_id: str) -> Any:
        """Delete a document

        The document is no longer kept with the customer (audited); its bytes go when
        no other document of the tenant has the same bytes.
        """
        customer_master().attachments.remove(current_actor(), customer_id, attachment_id)
        return "", 204


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
