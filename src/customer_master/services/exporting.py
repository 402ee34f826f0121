"""Export (SPEC R-9.6, R-12.2): the customer list, filtered, as rows in the same columns
an import reads, so that export → edit in a spreadsheet → import with
``on_duplicate=update`` changes exactly what was edited.

The export reads the list twice, a page at a time: once to learn the columns (the most
addresses, contacts and tax ids any customer has, the reference systems and dimension
types in use), once to write the rows; memory stays flat however long the list. A
reader without the ``view_sensitive`` permission sees masked customers, and the masked
columns are left out of the file altogether, so that re-importing it cannot blank them.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import evolve, frozen

from customer_master.actor import Actor
from customer_master.domain.columns import Layout, cells_of
from customer_master.domain.customer import Customer
from customer_master.domain.masking import masked_customer
from customer_master.domain.search import CustomerQuery, query_errors
from customer_master.errors import ValidationFailed
from customer_master.services.base import ServiceContext

PAGE = 500


@frozen
class Export:
    """An export under way: its ``columns``, and its ``rows`` read as they are iterated."""

    columns: tuple[str, ...]
    rows: Iterator[dict[str, str]]


class ExportService:
    """Exports the customer list for spreadsheets (a writer adapter makes the file,
    ``customer_master_files``)."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    def export(self, actor: Actor, query: CustomerQuery | None = None) -> Export:
        """The customers matching ``query`` (default: every active customer) as rows."""
        query = query or CustomerQuery()
        errors = query_errors(query)
        if errors:
            raise ValidationFailed(errors)
        with self._ctx.storage.unit_of_work() as uow:
            config = uow.configuration.get(actor.tenant)
        self._ctx.require(actor, "customer.read", config)
        sensitive = self._ctx.can(actor, "view_sensitive", config)
        layout = Layout()
        for customer in self._customers(actor, query, sensitive):
            layout.widen(customer)
        return Export(layout.columns(), self._rows(actor, query, sensitive, layout))

    def _rows(
        self, actor: Actor, query: CustomerQuery, sensitive: bool, layout: Layout
    ) -> Iterator[dict[str, str]]:
        for customer in self._customers(actor, query, sensitive):
            yield cells_of(customer, layout)

    def _customers(self, actor: Actor, query: CustomerQuery, sensitive: bool) -> Iterator[Customer]:
        """Every customer matching ``query``, page by page (keyset), as the actor sees it."""
        page_query = evolve(query, limit=PAGE, after=query.after)
        while True:
            with self._ctx.storage.unit_of_work() as uow:
                page = uow.customers.list(actor.tenant, page_query)
            for customer in page.items:
                yield customer if sensitive else masked_customer(customer)
            if page.next_cursor is None:
                return
            page_query = evolve(page_query, after=page.next_cursor)
