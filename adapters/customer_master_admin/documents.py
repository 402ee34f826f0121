"""Attachments on the customer page: list, upload, download and delete (SPEC R-16.6,
R-16.5), through the façade's ``attachments`` service as the signed-in actor.

An upload is a ``multipart/form-data`` form with the CSRF token; the service checks the
document (its name a file name, not a path; its size under the limit; its type from its
bytes, and the name's extension agreeing) and every refusal is shown at the file field
of the customer page, nothing kept. A body far over the limit is refused before it is
read. Deleting asks first, on a page of its own, what will be deleted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, redirect, request, url_for

from customer_master.domain.attachments import ACCEPTED_TYPES
from customer_master.errors import CustomerMasterError, NotFound, ValidationFailed
from customer_master.services.attachments import AttachmentsNotConfigured
from customer_master_admin import session as auth
from customer_master_admin.pages import admin, customer_page, page
from customer_master_http.auth import customer_master

# What a multipart body adds around the document: boundaries, part headers, the token.
ENVELOPE = 64 * 1024
FIELD_LABELS = {"name": "Its name", "content": "The document"}


def file_size(size: int) -> str:
    """A size as people read it: bytes, KB or MB (powers of 1024, one decimal)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def type_label(content_type: str) -> str:
    """``application/pdf`` → ``PDF``: the usual extension of an accepted type."""
    extensions = ACCEPTED_TYPES.get(content_type)
    return extensions[0].upper() if extensions else content_type


@admin.app_template_global()
def document_size(size: int) -> str:
    return file_size(size)


@admin.app_template_global()
def document_type(content_type: str) -> str:
    return type_label(content_type)


@admin.route("/customers/<customer_id>/attachments", methods=["POST"])
@auth.signed_in
def upload_attachment(customer_id: str) -> Any:
    """Keep the uploaded document with the customer, or show why not at the field."""
    master, who = customer_master(), auth.actor()
    item = master.customers.get(who, customer_id)  # another tenant's customer: 404, body unread
    limit = master.attachments.limit
    if request.content_length is not None and request.content_length > limit + ENVELOPE:
        message = f"The document is over the limit of {file_size(limit)}: it was not uploaded."
        return customer_page(item, 413, upload_errors=[message])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return customer_page(item, 422, upload_errors=["Choose a document to upload."])
    content = upload.read()
    try:
        attached = master.attachments.attach(who, customer_id, upload.filename, content)
    except ValidationFailed as refused:
        messages = [f"{FIELD_LABELS.get(e.path, e.path)}: {e.message}." for e in refused.errors]
        return customer_page(item, 422, upload_errors=[f"{upload.filename} was not attached.", *messages])
    except NotFound:
        raise
    except (CustomerMasterError, AttachmentsNotConfigured) as refused:
        status = 503 if isinstance(refused, AttachmentsNotConfigured) else 403
        return customer_page(item, status, upload_errors=[f"{refused}."])
    return redirect(
        url_for("admin.customer", customer_id=customer_id, attached=attached.name, _anchor="attachments")
    )


@admin.route("/customers/<customer_id>/attachments/<attachment_id>")
@auth.signed_in
def download_attachment(customer_id: str, attachment_id: str) -> Any:
    """The document's bytes, with the type its bytes showed and its name."""
    document, content = customer_master().attachments.download(auth.actor(), customer_id, attachment_id)
    return Response(
        content,
        mimetype=document.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.name, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@admin.route("/customers/<customer_id>/attachments/<attachment_id>/delete", methods=["GET", "POST"])
@auth.signed_in
def delete_attachment(customer_id: str, attachment_id: str) -> Any:
    """GET asks to confirm (naming the document); POST deletes it."""
    master, who = customer_master(), auth.actor()
    item = master.customers.get(who, customer_id)
    document = _document(customer_id, attachment_id)
    if request.method == "GET":
        return page("attachment_delete.html", c=item, document=document, error=None)
    try:
        master.attachments.remove(who, customer_id, attachment_id)
    except NotFound:
        raise
    except CustomerMasterError as refused:
        return page("attachment_delete.html", 403, c=item, document=document, error=str(refused))
    return redirect(
        url_for("admin.customer", customer_id=customer_id, deleted=document.name, _anchor="attachments")
    )


def _document(customer_id: str, attachment_id: str) -> Any:
    """The customer's document with this id (its metadata only), or 404."""
    for document in customer_master().attachments.list(auth.actor(), customer_id):
        if document.id == attachment_id:
            return document
    raise NotFound("attachment", attachment_id)
