"""The filesystem document store and the content-type detector (see the package)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import filetype

from customer_master.errors import NotFound

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# A tenant id becomes a directory name: anything but letters, digits, '_' and '-'
# is written as %XX, so no tenant can name a path outside the root.
_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def _directory_name(tenant: str) -> str:
    name = _SAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), tenant)
    return name or "%"


class FileDocumentStore:
    """``DocumentStore`` over a directory: ``<root>/<tenant>/<d[:2]>/<digest>``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, tenant: str, digest: str) -> Path:
        if not _DIGEST.match(digest):
            raise NotFound("document", digest)
        return self.root / _directory_name(tenant) / digest[:2] / digest

    def put(self, tenant: str, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(tenant, digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def get(self, tenant: str, digest: str) -> bytes:
        try:
            return self._path(tenant, digest).read_bytes()
        except FileNotFoundError:
            raise NotFound("document", digest) from None

    def delete(self, tenant: str, digest: str) -> None:
        self._path(tenant, digest).unlink(missing_ok=True)


class FiletypeContentTypes:
    """``ContentTypes`` with ``filetype``: the MIME type the magic numbers show."""

    def detect(self, content: bytes) -> str | None:
        kind = filetype.guess(content)
        return None if kind is None else str(kind.mime)
