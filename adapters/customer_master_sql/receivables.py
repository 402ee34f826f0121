"""Receivables and last prices on SQL (R-5.1, R-7.2, R-13.1).

``position`` answers a credit check with **one** statement whatever the number of open
items: a ``UNION ALL`` of two aggregates grouped by currency — the open invoice
balances, the unapplied credits and the oldest due date of an unpaid invoice, and the
open orders — each read from a covering index on ``(tenant, customer_id, entity, …)``.
Amounts in other currencies are converted after the sums, one rate per currency.

Feeding methods (``add_item``, ``add_order``, ``move``…) mirror the in-memory adapter;
``add_items``/``add_orders`` take many at once (``executemany``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    Engine,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from customer_master.domain.money import converted
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import OpenItem, OpenOrder
from customer_master.ports import ExchangeRates, ReceivablesPosition
from customer_master_sql import mapping
from customer_master_sql.driver import DriverReads
from customer_master_sql.engine import write_options
from customer_master_sql.tables import last_prices, open_orders, receivable_items
from customer_master_sql.types import Amount

_BATCH = 5000


def _zero() -> Any:
    return literal(Decimal(0), Amount())


def _position_statement(itemized: bool = False) -> Any:
    """Rows ``(part, currency, a, b, oldest)`` for ``:tenant``, ``:customer_id`` and
    ``:entity``: part ``i`` has the invoice balances (a), unapplied credits (b) and oldest
    unpaid due date; part ``o`` the open orders (a). Summed per currency, or with
    ``itemized`` one row an item (for what SQLite cannot sum, ``SqlReceivables.position``)."""
    i, o = receivable_items.c, open_orders.c
    tenant, customer_id, entity = (
        bindparam(name, type_=String()) for name in ("tenant", "customer_id", "entity")
    )
    is_invoice = i.kind == "invoice"

    def total(value: Any) -> Any:
        return value if itemized else func.sum(value)

    oldest = case((and_(is_invoice, i.balance > _zero()), i.due_date), else_=null())
    items = select(
        literal("i").label("part"),
        i.currency,
        total(case((is_invoice, i.balance), else_=_zero())).label("a"),
        total(case((is_invoice, _zero()), else_=i.balance)).label("b"),
        (oldest if itemized else func.min(oldest)).label("oldest"),
    ).where(i.tenant == tenant, i.customer_id == customer_id, i.entity == entity, i.balance != _zero())
    orders = select(literal("o"), o.currency, total(o.amount), _zero(), cast(null(), Date)).where(
        o.tenant == tenant, o.customer_id == customer_id, o.entity == entity
    )
    if itemized:
        return union_all(items, orders)
    return union_all(items.group_by(i.currency), orders.group_by(o.currency))


# Built once: the credit check's hot path pays only for running it.
POSITION = _position_statement()
# SQLite sums amounts as 64-bit millionths: past 9.2 × 10^12 a customer's items are
# added up here instead (each item is within the range every storage keeps, ADR 0022).
POSITION_ITEMS = _position_statement(itemized=True)


def _open_items_statements() -> tuple[Any, list[Any]]:
    """``has_open_items`` and ``move_open_items``'s statements, built once."""
    i, o = receivable_items.c, open_orders.c
    tenant, customer = bindparam("tenant"), bindparam("customer_id")
    item = exists().where(i.tenant == tenant, i.customer_id == customer, i.balance != _zero())
    order = exists().where(o.tenant == tenant, o.customer_id == customer)
    moves = [
        update(table)
        .where(table.c.tenant == bindparam("b_tenant"), table.c.customer_id == bindparam("b_source"))
        .values(customer_id=bindparam("b_target"))
        for table in (receivable_items, open_orders)
    ]
    return select(or_(item, order)), moves


HAS_OPEN_ITEMS, MOVE_OPEN_ITEMS = _open_items_statements()


def has_open_items(connection: Connection, tenant: str, customer_id: str) -> bool:
    """Does the customer have an open item (balance not 0) or an open order?"""
    return bool(connection.execute(HAS_OPEN_ITEMS, {"tenant": tenant, "customer_id": customer_id}).scalar())


def move_open_items(connection: Connection, tenant: str, source_id: str, target_id: str) -> None:
    """Give the target every open item and order of the source (merge, R-8.2)."""
    for statement in MOVE_OPEN_ITEMS:
        connection.execute(statement, {"b_tenant": tenant, "b_source": source_id, "b_target": target_id})


class SqlReceivables:
    """Open items and orders kept in the database, answering the ``Receivables`` port."""

    def __init__(
        self,
        engine: Engine,
        reads: DriverReads,
        rates: ExchangeRates | None = None,
        today: date | None = None,
    ) -> None:
        self._engine = engine
        self._reads = reads
        self._position = reads.prepare(POSITION)
        self._position_items = reads.prepare(POSITION_ITEMS)
        self.rates = rates
        self.rate_date = today

    # -- feeding --------------------------------------------------------------------

    def add_item(self, tenant: str, item: OpenItem) -> None:
        self.add_items(tenant, [item])

    def add_items(self, tenant: str, items: Iterable[OpenItem]) -> None:
        """Store open items; a document sent again (entity, kind, number) replaces the
        stored one, so a host can resend an invoice with its new balance."""
        i = receivable_items.c
        same = delete(receivable_items).where(
            i.tenant == bindparam("tenant"),
            i.entity == bindparam("entity"),
            i.kind == bindparam("kind"),
            i.number == bindparam("number"),
        )
        self._insert(receivable_items, [mapping.item_row(tenant, item) for item in items], replacing=same)

    def add_order(self, tenant: str, order: OpenOrder) -> None:
        self.add_orders(tenant, [order])

    def add_orders(self, tenant: str, orders: Iterable[OpenOrder]) -> None:
        """Store open orders; the same order number again replaces the stored one."""
        o = open_orders.c
        same = delete(open_orders).where(
            o.tenant == bindparam("tenant"), o.entity == bindparam("entity"), o.number == bindparam("number")
        )
        self._insert(open_orders, [mapping.order_row(tenant, order) for order in orders], replacing=same)

    def _insert(self, table: Any, rows: list[dict[str, Any]], *, replacing: Any) -> None:
        if not rows:
            return
        keys = [name for name in ("tenant", "entity", "kind", "number") if name in rows[0]]
        with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
            for start in range(0, len(rows), _BATCH):
                batch = rows[start : start + _BATCH]
                connection.execute(replacing, [{key: row[key] for key in keys} for row in batch])
                connection.execute(insert(table), batch)
            connection.commit()

    def items(self, tenant: str, customer_id: str) -> list[OpenItem]:
        i = receivable_items.c
        statement = (
            select(receivable_items)
            .where(i.tenant == tenant, i.customer_id == customer_id)
            .order_by(i.row_id)
        )
        with self._engine.connect() as connection:
            return [mapping.item_from(row._mapping) for row in connection.execute(statement)]

    def orders(self, tenant: str, customer_id: str) -> list[OpenOrder]:
        o = open_orders.c
        statement = (
            select(open_orders).where(o.tenant == tenant, o.customer_id == customer_id).order_by(o.row_id)
        )
        with self._engine.connect() as connection:
            return [mapping.order_from(row._mapping) for row in connection.execute(statement)]

    def has_open_items(self, tenant: str, customer_id: str) -> bool:
        with self._engine.connect() as connection:
            return has_open_items(connection, tenant, customer_id)

    def move(self, tenant: str, source_id: str, target_id: str) -> None:
        """Move a merged-away customer's items and orders to the target (R-8.2)."""
        with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
            move_open_items(connection, tenant, source_id, target_id)
            connection.commit()

    # -- the credit check's question ---------------------------------------------------

    def position(
        self,
        tenant: str,
        customer_id: str,
        entity: str,
        currency: str,
        *,
        rates: ExchangeRates | None = None,
        on: date | None = None,
    ) -> ReceivablesPosition:
        parameters = {"tenant": tenant, "customer_id": customer_id, "entity": entity}
        try:
            rows = self._reads.rows(self._position, parameters)
        except sqlite3.OperationalError as overflow:
            if "integer overflow" not in str(overflow):
                raise
            rows = self._reads.rows(self._position_items, parameters)
        rates, day = rates or self.rates, on or self.rate_date or date.today()

        def convert(amount: Decimal, held: str) -> Decimal:
            rate = rates.rate(held, currency, day) if rates is not None and held != currency else None
            return converted(amount, held, currency, rate)

        open_balance = credits = orders = Decimal(0)
        oldest: date | None = None
        for part, row_currency, a, b, due in rows:
            if part == "i":
                open_balance += convert(a, row_currency)
                credits += convert(b, row_currency)
                oldest = due if oldest is None or (due is not None and due < oldest) else oldest
            else:
                orders += convert(a, row_currency)
        return ReceivablesPosition(
            open_balance=open_balance, unapplied_credits=credits, open_orders=orders, oldest_due_date=oldest
        )


class SqlLastPrices:
    """Last invoiced rates per customer and item (R-7.2)."""

    def __init__(self, engine: Engine, reads: DriverReads) -> None:
        self._engine = engine
        self._reads = reads
        p = last_prices.c
        self._last = reads.prepare(
            select(p.unit_price, p.currency, p.invoiced_on).where(
                p.tenant == bindparam("tenant", type_=String()),
                p.customer_id == bindparam("customer_id", type_=String()),
                p.item_code == bindparam("item_code", type_=String()),
            )
        )

    def last_price(self, tenant: str, customer_id: str, item_code: str) -> LastPrice | None:
        parameters = {"tenant": tenant, "customer_id": customer_id, "item_code": item_code}
        rows = self._reads.rows(self._last, parameters)
        if not rows:
            return None
        unit_price, currency, invoiced_on = rows[0]
        return LastPrice(unit_price=unit_price, currency=currency, invoiced_on=invoiced_on)

    def record(self, tenant: str, customer_id: str, item_code: str, price: LastPrice) -> None:
        p = last_prices.c
        key = and_(p.tenant == tenant, p.customer_id == customer_id, p.item_code == item_code)
        values = {
            "unit_price": price.unit_price,
            "currency": price.currency,
            "invoiced_on": price.invoiced_on,
        }
        for _attempt in range(3):
            with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
                # Newer (or same-day) invoices replace older ones, never the reverse.
                newer = update(last_prices).where(key, p.invoiced_on <= price.invoiced_on).values(values)
                if connection.execute(newer).rowcount == 0:
                    if connection.execute(select(p.invoiced_on).where(key)).first() is not None:
                        return
                    try:
                        row = {"tenant": tenant, "customer_id": customer_id, "item_code": item_code, **values}
                        connection.execute(insert(last_prices).values(row))
                    except IntegrityError:
                        continue  # recorded meanwhile by someone else: compare again
                connection.commit()
                return
