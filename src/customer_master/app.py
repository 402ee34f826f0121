"""The façade a host builds: storage chosen by URL, host plugins, and the services.

>>> from customer_master.actor import Actor
>>> cm = CustomerMaster.from_url("memory://", load_entry_points=False)
>>> admin = Actor("acme", "ana", {"admin"})
>>> _ = cm.configuration.add_legal_entity(admin, {"code": "MY01", "name": "Acme Malaysia"})
>>> walk_in = {"name": "Kedai Ali", "kind": "individual", "legal_entity": "MY01"}
>>> cm.customers.create(admin, walk_in).change_request.steps   # the SPEC's default lane: yellow
('ar_manager', 'controller')
>>> _ = cm.configuration.set_approval_lane(admin, "create", "green", kind="individual")
>>> cm.customers.create(admin, walk_in).value.code
'CUS-0001'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import Any

from customer_master.clock import SystemClock
from customer_master.domain.attachments import DEFAULT_LIMIT
from customer_master.extras import MissingExtra
from customer_master.plugins import Hooks
from customer_master.ports import (
    Clock,
    ContentTypes,
    DocumentStore,
    ExchangeRates,
    LastPrices,
    Mailer,
    StatementRenderer,
    Storage,
)
from customer_master.services.access import AccessService
from customer_master.services.approvals import ApprovalService
from customer_master.services.attachments import AttachmentService, AttachmentsNotConfigured
from customer_master.services.audit import AuditService
from customer_master.services.base import ServiceContext
from customer_master.services.configuration import ConfigurationService
from customer_master.services.credit import CreditService
from customer_master.services.customers import CustomerService
from customer_master.services.erasure import ErasureService
from customer_master.services.exporting import ExportService
from customer_master.services.importing import ImportService
from customer_master.services.lifecycle import LifecycleService
from customer_master.services.pricing import PricingService
from customer_master.services.receivables import ReceivablesService
from customer_master.services.statements import StatementService
from customer_master.services.terms import TermsService

STORAGE_GROUP = "customer_master.storage"
DOCUMENTS_GROUP = "customer_master.documents"
# Where attachments are kept when nothing says otherwise (docs/erasure-and-attachments.md).
DOCUMENTS_ENV = "CUSTOMER_MASTER_DOCUMENTS"
DEFAULT_DOCUMENTS = "customer-master-documents"


def open_storage(url: str) -> Storage:
    """The storage adapter registered for the URL's scheme (``memory://``,
    ``sqlite:///file.db``, ``postgresql+psycopg://…``, ``mysql+pymysql://…``)."""
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    for point in entry_points(group=STORAGE_GROUP):
        if point.name == scheme:
            opener = point.load()
            storage: Storage = opener(url)
            return storage
    known = ", ".join(sorted(p.name for p in entry_points(group=STORAGE_GROUP)))
    raise ValueError(f"no storage adapter for {scheme!r} (installed: {known or 'none'})")


def _documents_plugin(name: str) -> Any:
    """The object registered as ``name`` in the documents entry-point group, or ``None``
    (also when its extra is not installed: attachments then say which extra they need)."""
    for point in entry_points(group=DOCUMENTS_GROUP):
        if point.name == name:
            try:
                return point.load()
            except MissingExtra:
                return None
    return None


def documents_directory(url: str) -> str:
    """The directory attachments go to when none is given: ``$CUSTOMER_MASTER_DOCUMENTS``,
    else beside an SQLite file (``shop.db`` → ``shop.db-documents``), else
    ``./customer-master-documents``."""
    if os.environ.get(DOCUMENTS_ENV):
        return os.environ[DOCUMENTS_ENV]
    if url.startswith("sqlite:///") and ":memory:" not in url:
        path = url.removeprefix("sqlite:///").split("?", 1)[0]
        if path:
            return f"{path}-documents"
    return DEFAULT_DOCUMENTS


class _ExtraContentTypes:
    """The ``ContentTypes`` of the ``documents`` extra, loaded on the first document (so a
    façade that keeps none imports nothing of the extra)."""

    def __init__(self) -> None:
        self._detector: ContentTypes | None = None

    def detect(self, content: bytes) -> str | None:
        if self._detector is None:
            found = _documents_plugin("content_types")
            if found is None:
                raise AttachmentsNotConfigured(
                    "attachments need the 'documents' extra to recognise a document from its bytes: "
                    "pip install 'customer-master[documents]'"
                )
            self._detector = found()
        return self._detector.detect(content)


def open_documents(
    documents: DocumentStore | str | os.PathLike[str] | None, url: str
) -> tuple[DocumentStore | None, ContentTypes]:
    """The document store for attachments (R-16.6) and the detector of content types,
    through the ``customer_master.documents`` entry points: a store object is used as it
    is; a directory (or none: ``documents_directory``) gets the filesystem store, and a
    ``memory://`` façade with no directory given keeps documents in memory. Without the
    ``documents`` extra the store is ``None`` and the detector says which extra to install."""
    detector = _ExtraContentTypes()
    if documents is not None and not isinstance(documents, str | os.PathLike):
        return documents, detector
    if documents is None and url.startswith("memory:"):
        memory = _documents_plugin("memory")
        return (memory() if memory is not None else None), detector
    opener = _documents_plugin("filesystem")
    if opener is None:
        return None, detector
    directory = os.fspath(documents) if documents is not None else documents_directory(url)
    store: DocumentStore = opener(directory)
    return store, detector


class CustomerMaster:
    """Everything a host needs: ``customers``, ``configuration``, the rules — ``credit``
    (checks and holds), ``terms`` (schedules), ``pricing`` (price resolution),
    ``lifecycle`` (merge, hard delete) — and ``approvals`` (change requests), ``audit``
    (trail, verify, notes, timeline), ``access`` (API keys), ``imports`` and
    ``exports`` (bulk import and export of customers, R-9), ``receivables`` (the feed
    and the aging, R-13.1–R-13.2), ``statements`` (statements of account, R-13.3),
    ``erasure`` (the right to be forgotten, R-4.4) and ``attachments`` (documents kept
    with a customer, R-16.6)."""

    def __init__(
        self,
        storage: Storage,
        *,
        plugins: Iterable[object] = (),
        clock: Clock | None = None,
        exchange_rates: ExchangeRates | None = None,
        load_entry_points: bool = True,
        documents: DocumentStore | None = None,
        content_types: ContentTypes | None = None,
        attachment_limit: int = DEFAULT_LIMIT,
        last_prices: LastPrices | None = None,
        mailer: Mailer | None = None,
        statement_pdf: StatementRenderer | None = None,
    ) -> None:
        self.storage = storage
        self.hooks = Hooks(plugins, load_entry_points=load_entry_points)
        self.context = ServiceContext(
            storage=storage,
            hooks=self.hooks,
            clock=clock or SystemClock(),
            exchange_rates=exchange_rates,
            documents=documents,
            content_types=content_types,
            attachment_limit=attachment_limit,
            last_prices=last_prices,
            mailer=mailer,
            statement_pdf=statement_pdf,
        )
        self.customers = CustomerService(self.context)
        self.configuration = ConfigurationService(self.context)
        self.credit = CreditService(self.context)
        self.terms = TermsService(self.context)
        self.pricing = PricingService(self.context)
        self.lifecycle = LifecycleService(self.context)
        self.access = AccessService(self.context)
        self.audit = AuditService(self.context)
        self.approvals = ApprovalService(self.context)
        self.approvals.register(
            ("create", "update", "deactivate", "reactivate"), self.customers.apply_request
        )
        self.approvals.register(("merge", "hard_delete"), self.lifecycle.apply_request)
        self.approvals.register(("credit_hold",), self.credit.apply_request)
        self.imports = ImportService(self.context, self.customers)
        self.exports = ExportService(self.context)
        self.approvals.register(("import",), self.imports.apply_request)
        self.erasure = ErasureService(self.context)
        self.approvals.register(("erase",), self.erasure.apply_request)
        self.attachments = AttachmentService(self.context)
        self.receivables = ReceivablesService(self.context)
        self.statements = StatementService(self.context)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        plugins: Iterable[object] = (),
        clock: Clock | None = None,
        exchange_rates: ExchangeRates | None = None,
        load_entry_points: bool = True,
        documents: DocumentStore | str | os.PathLike[str] | None = None,
        attachment_limit: int = DEFAULT_LIMIT,
        last_prices: LastPrices | None = None,
        mailer: Mailer | None = None,
        statement_pdf: StatementRenderer | None = None,
    ) -> CustomerMaster:
        """Open the storage for ``url`` and wire the services. Host plugins come from the
        ``customer_master`` entry-point group and from ``plugins``. ``documents`` is where
        attachments are kept: a directory (default: ``documents_directory(url)``) or a
        ``DocumentStore``; ``attachment_limit`` the largest accepted, in bytes. A host may
        answer last prices itself (``last_prices``, R-7.2), and give the mail port and the
        PDF renderer statements are sent with (R-13.3)."""
        store, detector = open_documents(documents, url)
        return cls(
            open_storage(url),
            plugins=plugins,
            clock=clock,
            exchange_rates=exchange_rates,
            load_entry_points=load_entry_points,
            documents=store,
            content_types=detector,
            attachment_limit=attachment_limit,
            last_prices=last_prices,
            mailer=mailer,
            statement_pdf=statement_pdf,
        )

    def close(self) -> None:
        self.storage.close()
