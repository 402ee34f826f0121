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

from customer_master.domain.aging import AgingQuery, AgingRows
from customer_master.domain.money import converted
from customer_master.domain.pricing import LastPrice
from customer_master.domain.receivables import Application, ItemKind, OpenItem, OpenOrder
from customer_master.errors import BusinessRuleViolation, Conflict
from customer_master.ports import ExchangeRates, ReceivablesPosition
from customer_master_sql import mapping
from customer_master_sql.aging import aging_rows
from customer_master_sql.driver import DriverReads
from customer_master_sql.engine import write_options
from customer_master_sql.tables import invoiced_rates, open_orders, receivable_applications, receivable_items
from customer_master_sql.types import Amount

_BATCH = 5000


def _zero() -> Any:
    return literal(Decimal(0), Amount())


def _position_statement() -> Any:
    """Rows ``(part, currency, a, b, oldest)`` for ``:tenant``, ``:customer_id`` and
    ``:entity``: part ``i`` has the invoice balances (a), unapplied credits (b) and oldest
    unpaid due date; part ``o`` the open orders (a)."""
    i, o = receivable_items.c, open_orders.c
    tenant, customer_id, entity = (
        bindparam(name, type_=String()) for name in ("tenant", "customer_id", "entity")
    )
    is_invoice = i.kind == "invoice"
    items = (
        select(
            literal("i").label("part"),
            i.currency,
            func.sum(case((is_invoice, i.balance), else_=_zero())).label("a"),
            func.sum(case((is_invoice, _zero()), else_=i.balance)).label("b"),
            func.min(case((and_(is_invoice, i.balance > _zero()), i.due_date), else_=null())).label("oldest"),
        )
        .where(i.tenant == tenant, i.customer_id == customer_id, i.entity == entity, i.balance != _zero())
        .group_by(i.currency)
    )
    orders = (
        select(literal("o"), o.currency, func.sum(o.amount), _zero(), cast(null(), Date))
        .where(o.tenant == tenant, o.customer_id == customer_id, o.entity == entity)
        .group_by(o.currency)
    )
    return union_all(items, orders)


# Built once: the credit check's hot path pays only for running it.
POSITION = _position_statement()


def has_open_items(connection: Connection, tenant: str, customer_id: str) -> bool:
    """Does the customer have an open item (balance not 0) or an open order?"""
    i, o = receivable_items.c, open_orders.c
    item = exists().where(i.tenant == tenant, i.customer_id == customer_id, i.balance != _zero())
    order = exists().where(o.tenant == tenant, o.customer_id == customer_id)
    return bool(connection.execute(select(or_(item, order))).scalar())


def move_open_items(connection: Connection, tenant: str, source_id: str, target_id: str) -> None:
    """Give the target every open item and order of the source (merge, R-8.2)."""
    for table in (receivable_items, open_orders):
        connection.execute(
            update(table)
            .where(table.c.tenant == tenant, table.c.customer_id == source_id)
            .values(customer_id=target_id)
        )


class SqlReceivables:
    """Open items and orders kept in the database, answering the ``Receivables`` port."""

    def __init__(
        self,
        engine: Engine,
        reads: DriverReads,
        rates: ExchangeRates | None = None,
        today: date | None = None,
        read_engine: Engine | None = None,
    ) -> None:
        self._engine = engine
        self.read_engine = read_engine or engine
        self._reads = reads
        self._position = reads.prepare(POSITION)
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

    def item(self, tenant: str, entity: str, kind: ItemKind, number: str) -> OpenItem | None:
        i = receivable_items.c
        statement = select(receivable_items).where(
            i.tenant == tenant, i.entity == entity, i.kind == kind, i.number == number
        )
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return mapping.item_from(row._mapping) if row is not None else None

    def apply(self, tenant: str, application: Application) -> None:
        """Both balances go down in one transaction, each only while it is large enough."""
        a, i = application, receivable_items.c
        documents = (("invoice", a.invoice_number, a.credit_kind, a.credit_number),
                     (a.credit_kind, a.credit_number, "invoice", a.invoice_number))  # fmt: skip
        with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
            for kind, number, counter_kind, counter_number in documents:
                taken = connection.execute(
                    update(receivable_items)
                    .where(
                        i.tenant == tenant,
                        i.entity == a.entity,
                        i.kind == kind,
                        i.number == number,
                        i.customer_id == a.customer_id,
                        i.balance >= a.amount,
                        i.reversed_on.is_(None),
                    )
                    .values(balance=i.balance - a.amount)
                )
                if taken.rowcount != 1:
                    connection.rollback()
                    raise BusinessRuleViolation(
                        "over_application", f"{a.amount} is more than {number} has open"
                    )
                row = {
                    "tenant": tenant, "customer_id": a.customer_id, "entity": a.entity, "kind": kind,
                    "number": number, "counter_kind": counter_kind, "counter_number": counter_number,
                    "amount": a.amount, "currency": a.currency, "applied_on": a.applied_on,
                }  # fmt: skip
                connection.execute(insert(receivable_applications).values(row))
            connection.commit()

    def reverse(self, tenant: str, entity: str, kind: ItemKind, number: str, on: date) -> OpenItem:
        i = receivable_items.c
        with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
            done = connection.execute(
                update(receivable_items)
                .where(
                    i.tenant == tenant,
                    i.entity == entity,
                    i.kind == kind,
                    i.number == number,
                    i.balance == i.amount,
                    i.reversed_on.is_(None),
                )
                .values(balance=_zero(), reversed_on=on)
            )
            if done.rowcount != 1:
                connection.rollback()
                raise Conflict(f"{number} was applied or reversed meanwhile")
            connection.commit()
        item = self.item(tenant, entity, kind, number)
        assert item is not None
        return item

    def applied_after(
        self, tenant: str, customer_id: str, after: date
    ) -> dict[tuple[str, str, str], Decimal]:
        a = receivable_applications.c
        statement = (
            select(a.entity, a.kind, a.number, func.sum(a.amount))
            .where(a.tenant == tenant, a.customer_id == customer_id, a.applied_on > after)
            .group_by(a.entity, a.kind, a.number)
        )
        with self._engine.connect() as connection:
            return {(e, k, n): total for e, k, n, total in connection.execute(statement)}

    def aging(self, tenant: str, query: AgingQuery) -> AgingRows:
        """One page of the aging in one statement (``aging.py``)."""
        with self.read_engine.connect() as connection:
            return aging_rows(connection, tenant, query)

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
        rows = self._reads.rows(self._position, parameters)
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
    """Invoiced rates per customer and item, by date and currency (R-7.2)."""

    def __init__(self, engine: Engine, reads: DriverReads) -> None:
        self._engine = engine
        self._reads = reads
        r = invoiced_rates.c
        key = (
            r.tenant == bindparam("tenant", type_=String()),
            r.customer_id == bindparam("customer_id", type_=String()),
            r.item_code == bindparam("item_code", type_=String()),
        )
        # The newest rate in the currency on or before the date, and any newer ones.
        newest_in_currency = (
            select(func.max(r.invoiced_on))
            .where(
                *key,
                r.currency == bindparam("currency", type_=String()),
                r.invoiced_on <= bindparam("on", type_=Date()),
            )
            .scalar_subquery()
        )
        self._rates = reads.prepare(
            select(r.unit_price, r.currency, r.invoiced_on)
            .where(
                *key,
                r.invoiced_on <= bindparam("on", type_=Date()),
                r.invoiced_on >= func.coalesce(newest_in_currency, literal(date.min, Date())),
            )
            .order_by(r.invoiced_on.desc(), r.currency)
            .limit(50)
        )

    def last_prices(
        self, tenant: str, customer_id: str, item_code: str, *, on: date, currency: str
    ) -> list[LastPrice]:
        parameters = {"tenant": tenant, "customer_id": customer_id, "item_code": item_code, "on": on,
                      "currency": currency}  # fmt: skip
        found = []
        for unit_price, held, invoiced_on in self._reads.rows(self._rates, parameters):
            found.append(LastPrice(unit_price=unit_price, currency=held, invoiced_on=invoiced_on))
            if held == currency:
                break
        return found

    def last_price(self, tenant: str, customer_id: str, item_code: str) -> LastPrice | None:
        """The newest rate in any currency."""
        r = invoiced_rates.c
        statement = (
            select(r.unit_price, r.currency, r.invoiced_on)
            .where(r.tenant == tenant, r.customer_id == customer_id, r.item_code == item_code)
            .order_by(r.invoiced_on.desc())
            .limit(1)
        )
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return LastPrice(unit_price=row[0], currency=row[1], invoiced_on=row[2]) if row else None

    def record(self, tenant: str, customer_id: str, item_code: str, price: LastPrice) -> None:
        """Keep the rate; one of the same day and currency replaces the kept one."""
        r = invoiced_rates.c
        key = {"tenant": tenant, "customer_id": customer_id, "item_code": item_code,
               "invoiced_on": price.invoiced_on, "currency": price.currency}  # fmt: skip
        for _attempt in range(3):
            with self._engine.connect().execution_options(**write_options(self._engine)) as connection:
                same = and_(*(getattr(r, name) == value for name, value in key.items()))
                if (
                    connection.execute(
                        update(invoiced_rates).where(same).values(unit_price=price.unit_price)
                    ).rowcount
                    == 0
                ):
                    try:
                        connection.execute(
                            insert(invoiced_rates).values({**key, "unit_price": price.unit_price})
                        )
                    except IntegrityError:
                        continue  # recorded meanwhile by someone else: replace it
                connection.commit()
                return
