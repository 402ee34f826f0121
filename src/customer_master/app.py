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

from collections.abc import Iterable
from importlib.metadata import entry_points

from customer_master.clock import SystemClock
from customer_master.plugins import Hooks
from customer_master.ports import Clock, ExchangeRates, LastPrices, Mailer, StatementRenderer, Storage
from customer_master.services.access import AccessService
from customer_master.services.approvals import ApprovalService
from customer_master.services.audit import AuditService
from customer_master.services.base import ServiceContext
from customer_master.services.configuration import ConfigurationService
from customer_master.services.credit import CreditService
from customer_master.services.customers import CustomerService
from customer_master.services.exporting import ExportService
from customer_master.services.importing import ImportService
from customer_master.services.lifecycle import LifecycleService
from customer_master.services.pricing import PricingService
from customer_master.services.receivables import ReceivablesService
from customer_master.services.statements import StatementService
from customer_master.services.terms import TermsService

STORAGE_GROUP = "customer_master.storage"


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


class CustomerMaster:
    """Everything a host needs: ``customers``, ``configuration``, the rules — ``credit``
    (checks and holds), ``terms`` (schedules), ``pricing`` (price resolution),
    ``lifecycle`` (merge, hard delete) — and ``approvals`` (change requests), ``audit``
    (trail, verify, notes, timeline), ``access`` (API keys), ``imports`` and
    ``exports`` (bulk import and export of customers, R-9), ``receivables`` (the feed
    and the aging, R-13.1–R-13.2) and ``statements`` (statements of account, R-13.3)."""

    def __init__(
        self,
        storage: Storage,
        *,
        plugins: Iterable[object] = (),
        clock: Clock | None = None,
        exchange_rates: ExchangeRates | None = None,
        load_entry_points: bool = True,
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
        last_prices: LastPrices | None = None,
        mailer: Mailer | None = None,
        statement_pdf: StatementRenderer | None = None,
    ) -> CustomerMaster:
        """Open the storage for ``url`` and wire the services. Host plugins come from the
        ``customer_master`` entry-point group and from ``plugins``. A host may answer
        last prices itself (``last_prices``, R-7.2), and give the mail port and the PDF
        renderer statements are sent with (R-13.3)."""
        return cls(
            open_storage(url),
            plugins=plugins,
            clock=clock,
            exchange_rates=exchange_rates,
            load_entry_points=load_entry_points,
            last_prices=last_prices,
            mailer=mailer,
            statement_pdf=statement_pdf,
        )

    def close(self) -> None:
        self.storage.close()
