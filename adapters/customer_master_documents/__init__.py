"""Documents kept with customers on the filesystem (SPEC R-16.6, docs/decisions/0037).

``FileDocumentStore`` keeps each tenant's documents in a directory of their own, each
under the SHA-256 digest of its bytes (``<root>/<tenant>/ab/abcdef…``): the same bytes
are kept once, and a name never comes from the user. A document is written to a
temporary file in the same directory, flushed to disk and renamed into place, so a reader
sees the whole document or none. ``FiletypeContentTypes`` recognises a document from its
bytes with the ``filetype`` library. Install with ``pip install customer-master[documents]``.
"""

from __future__ import annotations

from customer_master.extras import require

# Without the extra, one line says what to install (before the imports that would fail).
require("documents", "filetype", needed_by="the document store")

from customer_master_documents.store import FileDocumentStore, FiletypeContentTypes  # noqa: E402

__all__ = ["FileDocumentStore", "FiletypeContentTypes"]
