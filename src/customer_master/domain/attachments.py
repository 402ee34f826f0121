"""Attachments: documents kept with a customer — tax-exemption certificates, contracts,
bank letters (SPEC R-16.6).

An attachment is its name, the content type its bytes show (never the one a browser or a
file name claims), its size, the SHA-256 digest of its bytes (where the document store
keeps them), who uploaded it and when. A document is refused when it is larger than the
limit (20 MB unless the host sets another), when its bytes are of no accepted type (an
executable named ``.pdf`` is an executable), when its name's extension says another type
than its bytes, or when its name is a path.

>>> attachment_errors("cert.pdf", size=1200, content_type="application/pdf", limit=DEFAULT_LIMIT)
[]
>>> [e.code for e in attachment_errors("../etc/passwd.pdf", size=10,
...     content_type="application/x-executable", limit=DEFAULT_LIMIT)]
['path', 'type_not_accepted']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import frozen

from customer_master.errors import FieldError

DEFAULT_LIMIT = 20 * 1024 * 1024  # bytes
NAME_LENGTH = 255

# The content types a customer document may have, with the name extensions that say them.
ACCEPTED_TYPES: Mapping[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/tiff": ("tif", "tiff"),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
}


@frozen(kw_only=True)
class Attachment:
    """A document kept with a customer; its bytes are in the document store under
    ``digest``."""

    id: str
    tenant: str
    customer_id: str
    name: str
    content_type: str
    size: int
    digest: str
    uploaded_by: str
    uploaded_at: datetime

    def summary(self) -> dict[str, Any]:
        """What the audit trail and the timeline say of it (no bytes)."""
        return {
            "id": self.id,
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "digest": self.digest,
        }


def attachment_errors(name: str, *, size: int, content_type: str | None, limit: int) -> list[FieldError]:
    """Every reason to refuse the upload, each naming its field; empty when it may be kept."""
    errors = []
    stripped = name.strip()
    if not stripped:
        errors.append(FieldError("name", "blank", "a document needs a name"))
    elif len(stripped) > NAME_LENGTH:
        errors.append(FieldError("name", "too_long", f"must be at most {NAME_LENGTH} characters"))
    elif any(sep in stripped for sep in ("/", "\\")) or stripped in (".", "..") or ":" in stripped:
        errors.append(
            FieldError("name", "path", f"{stripped!r} is a path; give the file's name only, e.g. cert.pdf")
        )
    elif any(ord(ch) < 32 for ch in stripped):
        errors.append(FieldError("name", "invalid", "must not hold control characters"))
    if size == 0:
        errors.append(FieldError("content", "empty", "the document is empty"))
    elif size > limit:
        errors.append(FieldError("content", "too_large", f"{size} bytes is over the limit of {limit} bytes"))
    if size and content_type not in ACCEPTED_TYPES:
        shown = (
            f"its bytes are {content_type}" if content_type else "its type is not recognised from its bytes"
        )
        accepted = ", ".join(sorted({e for exts in ACCEPTED_TYPES.values() for e in exts}))
        errors.append(FieldError("content", "type_not_accepted", f"{shown}; accepted documents: {accepted}"))
    elif content_type is not None and "." in stripped and not any(e.path == "name" for e in errors):
        extension = stripped.rsplit(".", 1)[1].lower()
        known = {e for exts in ACCEPTED_TYPES.values() for e in exts}
        if extension in known and extension not in ACCEPTED_TYPES[content_type]:
            errors.append(
                FieldError(
                    "name",
                    "type_mismatch",
                    f"the name says .{extension} but the bytes are {content_type}",
                )
            )
    return errors
